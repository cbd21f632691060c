"""Speech from several synthetic voices, and noise to bury it in, at 16 kHz.

pocketsphinx hears flite's voices better than espeak-ng's and real users are
neither, so tests and benchmarks use several of each, at several speeds, with
white, pink and babble noise at chosen signal-to-noise ratios.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

# Re-exported: these helpers lived here first and tests still import them from here.
from voice.audio_util import decode_wav as decode_wav
from voice.audio_util import resample as resample
from voice.audio_util import trim_silence as trim_silence
from voice.listening.audio import SAMPLE_RATE, Pcm


@dataclass(frozen=True)
class Voice:
    """A synthesizer, one of its voices, and a speed (1.0 is the voice's normal pace)."""

    engine: str
    """"flite" or "espeak-ng"."""
    name: str
    speed: float = 1.0

    @property
    def label(self) -> str:
        return f"{self.engine}:{self.name}@{self.speed:g}"


FLITE_VOICES = ("slt", "rms", "awb", "kal16")
ESPEAK_VOICES = ("en-us", "en-us+f3", "en-gb-x-rp+m3", "en-us+f5")


def available_voices(speeds: Sequence[float] = (1.0,)) -> list[Voice]:
    """Every voice of every installed synthesizer, at each of `speeds`."""
    voices: list[Voice] = []
    if shutil.which("flite"):
        voices += [Voice("flite", n, s) for n in FLITE_VOICES for s in speeds]
    if shutil.which("espeak-ng"):
        voices += [Voice("espeak-ng", n, s) for n in ESPEAK_VOICES for s in speeds]
    return voices


@functools.lru_cache(maxsize=4096)
def synthesize(text: str, voice: Voice) -> Pcm:
    """`text` spoken by `voice`, as 16 kHz mono samples with the synthesizer's silences trimmed."""
    if voice.engine == "flite":
        # duration_stretch > 1 slows speech down, so it is the inverse of speed.
        cmd = ["flite", "-voice", voice.name, "--setf", f"duration_stretch={1 / voice.speed:.3f}"]
        cmd += ["-t", text, "-o", "/dev/stdout"]
    elif voice.engine == "espeak-ng":
        cmd = ["espeak-ng", "-v", voice.name, "-s", str(round(165 * voice.speed)), "--stdout", text]
    else:
        raise ValueError(f"unknown synthesizer {voice.engine!r}")
    wav = subprocess.run(cmd, capture_output=True, check=True, timeout=60).stdout
    pcm, rate = decode_wav(wav)
    return trim_silence(resample(pcm, rate, SAMPLE_RATE))


def silence(seconds: float) -> Pcm:
    return np.zeros(round(seconds * SAMPLE_RATE), dtype=np.int16)


def white_noise(n: int, rng: np.random.Generator) -> Pcm:
    return _to_pcm(rng.standard_normal(n), 3000.0)


def pink_noise(n: int, rng: np.random.Generator) -> Pcm:
    """1/f noise, shaped in the frequency domain: closer to a room's rumble than white."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.arange(len(spectrum), dtype=np.float64)
    freqs[0] = 1.0
    return _to_pcm(np.fft.irfft(spectrum / np.sqrt(freqs), n=n), 3000.0)


def babble(
    n: int, rng: np.random.Generator, sentences: Sequence[str], voices: Sequence[Voice]
) -> Pcm:
    """Several voices talking over each other: the hardest noise for a command listener."""
    total = np.zeros(n, dtype=np.float64)
    for k in range(4):
        track = np.concatenate(
            [
                synthesize(sentences[(k + i) % len(sentences)], voices[(k + i) % len(voices)])
                for i in range(8)
            ]
        ).astype(np.float64)
        while len(track) < n:
            track = np.concatenate([track, track])
        offset = int(rng.integers(0, len(track) - n + 1))
        total += track[offset : offset + n]
    return _to_pcm(total, 3000.0)


def mix_at_snr(speech: Pcm, noise: Pcm, snr_db: float) -> Pcm:
    """`speech` plus `noise` scaled so that speech power / noise power is `snr_db`.

    Speech power is measured over its loud part only, so leading silence does not
    make the noise look quieter than a listener would hear it.
    """
    s = speech.astype(np.float64)
    n = noise[: len(s)].astype(np.float64)
    voiced = s[np.abs(s) > 0.05 * max(1.0, float(np.abs(s).max()))]
    p_speech = float(np.mean(voiced**2)) if len(voiced) else 0.0
    p_noise = float(np.mean(n**2)) or 1.0
    gain = np.sqrt(p_speech / (p_noise * 10 ** (snr_db / 10)))
    mixed: Pcm = np.clip(np.round(s + gain * n), -32768, 32767).astype(np.int16)
    return mixed


def write_wav(path: Path, pcm: Pcm, rate: int = SAMPLE_RATE) -> Path:
    """Write mono 16-bit samples as a WAV file (the parent folder must exist)."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.astype("<i2").tobytes())
    return path


def _to_pcm(x: npt.NDArray[np.float64], rms: float) -> Pcm:
    scale = rms / (float(np.sqrt(np.mean(x**2))) or 1.0)
    out: Pcm = np.clip(np.round(x * scale), -32768, 32767).astype(np.int16)
    return out
