"""Non-speech sounds a workout room makes: breathing, coughs, music, a TV.

A listener that takes a cough for "next" is useless mid-plank, so the corpus
plays it these. They are synthesized from noise and sine waves (numpy only,
no recordings in git) and only need to be plausible to a voice activity
detector and a speech decoder: energy in the speech band, onsets, harmonics.

The same makers give the corpus two of its background noises, as long as a
clip: `music_noise` (a workout playlist: chords, melody and a beat) and
`tv_noise` (a television: a talker or two through a small speaker over a
music bed).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from voice.audio import SAMPLE_RATE, Pcm
from voice.audio.convert import to_pcm
from voice.testing.voices import Speak, Voice, babble, synthesize

Float = npt.NDArray[np.float64]


def band_pass(x: Float, low_hz: float, high_hz: float) -> Float:
    """Keep `low_hz`..`high_hz` of `x` (FFT brick wall: fine for whole clips)."""
    spectrum = np.fft.rfft(x)
    freqs = np.fft.rfftfreq(len(x), 1 / SAMPLE_RATE)
    spectrum[(freqs < low_hz) | (freqs > high_hz)] = 0
    out: Float = np.fft.irfft(spectrum, n=len(x))
    return out


def breathing(rng: np.random.Generator) -> Pcm:
    """Two to four breaths: hushed band-limited noise with a swell, in and out."""
    parts: list[Float] = []
    for k in range(int(rng.integers(2, 5))):
        n = int(rng.uniform(0.5, 0.9) * SAMPLE_RATE)
        low, high = (500.0, 2500.0) if k % 2 == 0 else (200.0, 1200.0)
        swell = np.sin(np.linspace(0, np.pi, n)) ** 2
        parts.append(band_pass(rng.standard_normal(n), low, high) * swell)
        parts.append(np.zeros(int(rng.uniform(0.15, 0.4) * SAMPLE_RATE)))
    return _normalize(np.concatenate(parts[:-1]), 2000.0)


def cough(rng: np.random.Generator) -> Pcm:
    """One to three coughs: a sharp burst of noise and a voiced buzz, decaying fast."""
    parts: list[Float] = []
    for _ in range(int(rng.integers(1, 4))):
        n = int(rng.uniform(0.2, 0.35) * SAMPLE_RATE)
        t = np.arange(n) / SAMPLE_RATE
        envelope = np.minimum(t / 0.01, 1.0) * np.exp(-t / rng.uniform(0.05, 0.09))
        pitch = rng.uniform(110, 200)
        buzz = np.sign(np.sin(2 * np.pi * pitch * t)) * 0.3
        burst = band_pass(rng.standard_normal(n), 300.0, 4000.0) + band_pass(buzz, 80, 2000)
        parts.append(burst * envelope)
        parts.append(np.zeros(int(rng.uniform(0.12, 0.3) * SAMPLE_RATE)))
    return _normalize(np.concatenate(parts[:-1]), 3000.0)


_MAJOR = (0, 4, 7)
_MINOR = (0, 3, 7)


def music(rng: np.random.Generator) -> Pcm:
    """A few bars of chords under a melody, with harmonics and note decays."""
    root = 220.0 * 2 ** (int(rng.integers(0, 12)) / 12)
    progression = [(0, _MAJOR), (9, _MINOR), (5, _MAJOR), (7, _MAJOR)]
    bar_s = rng.uniform(0.55, 0.8)
    out: list[Float] = []
    for degree, chord in progression[: int(rng.integers(3, 5))]:
        n = int(bar_s * SAMPLE_RATE)
        bar = sum((_note(root * 2 ** ((degree + i) / 12), n) for i in chord), np.zeros(n))
        # Four melody notes per bar, an octave up, picked from the chord.
        step = n // 4
        for q in range(4):
            semis = degree + chord[int(rng.integers(0, 3))] + 12
            bar[q * step : (q + 1) * step] += 1.5 * _note(root * 2 ** (semis / 12), step)
        out.append(bar)
    return _normalize(np.concatenate(out), 3000.0)


def _note(freq: float, n: int) -> Float:
    t = np.arange(n) / SAMPLE_RATE
    tone = sum(np.sin(2 * np.pi * freq * h * t) / h for h in (1, 2, 3, 4))
    attack = np.minimum(t / 0.01, 1.0)
    decay = np.exp(-t / max(0.05, n / SAMPLE_RATE / 2))
    result: Float = tone * attack * decay
    return result


def television(
    rng: np.random.Generator,
    sentences: Sequence[str],
    voices: Sequence[Voice],
    speak: Speak = synthesize,
) -> Pcm:
    """Voices talking over each other through a small speaker (300-3400 Hz)."""
    n = int(rng.uniform(2.0, 3.0) * SAMPLE_RATE)
    voices_pcm = babble(n, rng, sentences, voices, speak=speak).astype(np.float64)
    return _normalize(band_pass(voices_pcm, 300.0, 3400.0), 3000.0)


def music_noise(n: int, rng: np.random.Generator) -> Pcm:
    """`n` samples of background music: `music` bars back to back, with a kick and a hi-hat."""
    parts: list[Float] = []
    total = 0
    while total < n:
        piece = music(rng).astype(np.float64)
        parts.append(piece)
        total += len(piece)
    x = np.concatenate(parts)[:n]
    beat = int(rng.uniform(0.45, 0.6) * SAMPLE_RATE)
    for start in range(int(rng.integers(0, beat)), n, beat):
        k = min(n - start, int(0.12 * SAMPLE_RATE))
        t = np.arange(k) / SAMPLE_RATE
        kick = np.sin(2 * np.pi * (60 + 60 * np.exp(-t / 0.03)) * t) * np.exp(-t / 0.05)
        x[start : start + k] += 4000 * kick
        half = start + beat // 2
        if half < n:
            m = min(n - half, int(0.05 * SAMPLE_RATE))
            hat = band_pass(rng.standard_normal(m), 5000.0, 7900.0) * np.exp(-np.arange(m) / 200)
            x[half : half + m] += 1500 * hat
    return _normalize(x, 3000.0)


def tv_noise(
    n: int,
    rng: np.random.Generator,
    sentences: Sequence[str],
    voices: Sequence[Voice],
    speak: Speak = synthesize,
) -> Pcm:
    """`n` samples of a television: one or two talkers through a small speaker over music."""
    talk = babble(n, rng, sentences, voices, talkers=int(rng.integers(1, 3)), speak=speak).astype(
        np.float64
    )
    bed = music_noise(n, rng).astype(np.float64)
    mixed = band_pass(talk, 300.0, 3400.0) + 0.4 * band_pass(bed, 100.0, 5000.0)
    return _normalize(mixed, 3000.0)


def _normalize(x: Float, rms: float) -> Pcm:
    scale = rms / (float(np.sqrt(np.mean(x**2))) or 1.0)
    out: Pcm = to_pcm(x * scale)
    return out
