"""Speech from several synthetic voices, and noise to bury it in, at 16 kHz.

pocketsphinx hears flite's voices better than espeak-ng's and real users are
neither, so tests and benchmarks use many of each (every flite voice, espeak-ng
accents with its voice variants, festival's voices where installed), at several
speeds, with white, pink and babble noise at chosen signal-to-noise ratios.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from voice.audio import SAMPLE_RATE, Pcm
from voice.audio.convert import decode_wav as decode_wav
from voice.audio.convert import resample as resample

# Re-exported: these helpers lived here first and tests still import them from here.
from voice.audio.convert import to_pcm
from voice.audio.convert import trim_silence as trim_silence


@dataclass(frozen=True)
class Voice:
    """A synthesizer, one of its voices, and a speed (1.0 is the voice's normal pace)."""

    engine: str
    """"flite", "espeak-ng" or "festival"."""
    name: str
    """The synthesizer's name for the voice: flite `slt` (or a `.flitevox` path),
    espeak-ng `en-gb-scotland+m2` (accent + variant), festival `kal_diphone`."""
    speed: float = 1.0

    @property
    def label(self) -> str:
        return f"{self.engine}:{self.short_name}@{self.speed:g}"

    @property
    def short_name(self) -> str:
        """The name without a `.flitevox` file's folder and suffix."""
        return Path(self.name).stem if self.name.endswith(".flitevox") else self.name


FLITE_VOICES = ("slt", "rms", "awb", "kal16", "kal")
"""flite's built-in English voices (`awb_time` speaks only clock times, so it is left out)."""
FLITEVOX_DIRS = ("/usr/share/flite/voices", "/usr/lib/flite/voices", "/usr/local/share/flite")
"""Where extra `.flitevox` voice files are looked for (plus `$FLITE_VOICE_DIR`)."""
ESPEAK_VOICES = (
    "en-us",
    "en-us+f3",
    "en-gb-x-rp+m3",
    "en-us+f5",
    "en-us+m1",
    "en-us+m7",
    "en-us+klatt",
    "en-gb-scotland+m2",
    "en-gb-scotland+f1",
    "en-gb-x-gbclan+m4",
    "en-gb-x-gbclan+klatt3",
    "en-029+m6",
    "en-029+f4",
    "en-gb+m5",
    "en-gb+f2",
    "en-us-nyc+m8",
    "en-us-nyc+klatt2",
    "en-gb-x-gbcwmd+klatt4",
)
"""espeak-ng accents with voice variants (`+m1` a male variant, `+klatt` the Klatt synthesizer)."""
FESTIVAL_VOICES = ("kal_diphone", "ked_diphone", "cmu_us_slt_arctic_hts")
"""Debian's festvox-kallpc16k, festvox-kdlpc16k and festvox-us-slt-hts."""
FESTIVAL_DIRS = ("/usr/share/festival/voices", "/usr/lib/festival/voices")


def available_voices(speeds: Sequence[float] = (1.0,)) -> list[Voice]:
    """Every voice of every installed synthesizer, at each of `speeds`."""
    names = [("flite", n) for n in _flite_voices()]
    names += [("espeak-ng", n) for n in _espeak_voices()]
    names += [("festival", n) for n in _festival_voices()]
    return [Voice(engine, name, s) for engine, name in names for s in speeds]


@functools.cache
def _flite_voices() -> tuple[str, ...]:
    if not shutil.which("flite"):
        return ()
    try:
        listed = subprocess.run(["flite", "-lv"], capture_output=True, text=True, timeout=10)
        builtin = set(listed.stdout.split(":", 1)[-1].split())
    except (OSError, subprocess.SubprocessError):
        builtin = set()
    voices = [v for v in FLITE_VOICES if v in builtin or not builtin]
    dirs = [*FLITEVOX_DIRS, *filter(None, [os.environ.get("FLITE_VOICE_DIR")])]
    voices += sorted(str(p) for d in dirs if Path(d).is_dir() for p in Path(d).glob("*.flitevox"))
    return tuple(voices)


@functools.cache
def _espeak_voices() -> tuple[str, ...]:
    return ESPEAK_VOICES if shutil.which("espeak-ng") else ()


@functools.cache
def _festival_voices() -> tuple[str, ...]:
    if not shutil.which("text2wave"):
        return ()
    installed = {p.name for d in FESTIVAL_DIRS if Path(d).is_dir() for p in Path(d).glob("*/*")}
    return tuple(v for v in FESTIVAL_VOICES if v in installed)


@functools.lru_cache(maxsize=4096)
def synthesize(text: str, voice: Voice) -> Pcm:
    """`text` spoken by `voice`, as 16 kHz mono samples with the synthesizer's silences trimmed."""
    if voice.engine == "flite":
        # duration_stretch > 1 slows speech down, so it is the inverse of speed.
        cmd = ["flite", "-voice", voice.name, "--setf", f"duration_stretch={1 / voice.speed:.3f}"]
        wav = _run([*cmd, "-t", text, "-o", "/dev/stdout"])
    elif voice.engine == "espeak-ng":
        speed = str(round(165 * voice.speed))
        wav = _run(["espeak-ng", "-v", voice.name, "-s", speed, "--stdout", text])
    elif voice.engine == "festival":
        wav = _festival(text, voice)
    else:
        raise ValueError(f"unknown synthesizer {voice.engine!r}")
    pcm, rate = decode_wav(wav)
    return trim_silence(resample(pcm, rate, SAMPLE_RATE))


def _run(cmd: list[str], stdin: bytes | None = None) -> bytes:
    return subprocess.run(cmd, input=stdin, capture_output=True, check=True, timeout=60).stdout


def _festival(text: str, voice: Voice) -> bytes:
    """festival's `text2wave` (it writes a file, not a pipe). Diphone voices take a duration
    stretch; the HTS voice ignores it, so its speed is changed afterwards by sox's tempo
    (pitch kept)."""
    hts = voice.name.endswith("_hts")
    with tempfile.TemporaryDirectory(prefix="voice-festival-") as tmp:
        out = Path(tmp) / "out.wav"
        cmd = ["text2wave", "-eval", f"(voice_{voice.name})"]
        if not hts:
            cmd += ["-eval", f"(Parameter.set 'Duration_Stretch {1 / voice.speed:.3f})"]
        _run([*cmd, "-o", str(out)], stdin=text.encode())
        if hts and voice.speed != 1.0:
            faster = Path(tmp) / "tempo.wav"
            _run(["sox", str(out), str(faster), "tempo", "-s", f"{voice.speed:.3f}"])
            out = faster
        return out.read_bytes()


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


Speak = Callable[[str, Voice], Pcm]
"""Text and voice to speech: `synthesize`, or a cache in front of it."""


def babble(
    n: int,
    rng: np.random.Generator,
    sentences: Sequence[str],
    voices: Sequence[Voice],
    *,
    talkers: int = 4,
    speak: Speak = synthesize,
) -> Pcm:
    """Several voices talking over each other: the hardest noise for a command listener."""
    total = np.zeros(n, dtype=np.float64)
    for k in range(talkers):
        track = np.concatenate(
            [
                speak(sentences[(k + i) % len(sentences)], voices[(k + i) % len(voices)])
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
    mixed: Pcm = to_pcm(s + gain * n)
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
    out: Pcm = to_pcm(x * scale)
    return out
