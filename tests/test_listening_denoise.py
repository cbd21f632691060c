"""Noise subtraction: steady noise goes down, a tone in it stays, short input is left alone."""

from __future__ import annotations

import numpy as np

from voice.listening.audio import SAMPLE_RATE
from voice.listening.denoise import noise_spectrum, subtract_noise


def test_steady_noise_is_reduced_and_a_tone_survives() -> None:
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 1000, 2 * SAMPLE_RATE)
    t = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    tone = 4000 * np.sin(2 * np.pi * 500 * t)
    mixed = (tone + noise[SAMPLE_RATE:]).astype(np.int16)
    power = noise_spectrum(noise[:SAMPLE_RATE].astype(np.int16))
    assert power is not None
    cleaned = subtract_noise(mixed, power).astype(np.float64)
    assert len(cleaned) == len(mixed)
    residual = cleaned - tone
    assert np.std(residual) < 0.7 * np.std(noise)  # the noise is down by 3 dB or more (gently)
    kept = np.dot(cleaned, tone) / np.dot(tone, tone)
    assert 0.8 < kept < 1.1  # the tone is not


def test_too_little_background_gives_no_estimate() -> None:
    assert noise_spectrum(np.zeros(100, np.int16)) is None


def test_empty_segment() -> None:
    assert len(subtract_noise(np.zeros(0, np.int16), np.ones(257))) == 0
