"""Synthetic speech and noise for tests, benchmarks and the simulator's scripts.

Test audio is made at test time from the system's synthesizers (flite, espeak-ng)
rather than committed as recordings.
"""
