"""Synthetic speech and noise for tests, benchmarks and the simulator's scripts.

Test audio is made at test time from the system's synthesizers (flite, espeak-ng,
festival where installed) rather than committed as recordings; the real human
speech the benchmark plays (`human`) is read from the packages that install it.
"""
