"""Whole-clip audio helpers shared by the synthesizers, the outputs and the test voices.

Everything here works on a complete clip held in memory (a synthesized line, a
test phrase), never on a live stream, which is why an FFT resample is good enough.
"""

from __future__ import annotations

import io
import wave

import numpy as np

from voice.listening.audio import Pcm


def decode_wav(data: bytes) -> tuple[Pcm, int]:
    """Mono 16-bit samples and the rate of a WAV held in memory.

    Synthesizers writing to a pipe cannot seek back to fill in the data size, so
    the header's frame count is not trusted: everything after it is read.
    """
    with wave.open(io.BytesIO(data)) as w:
        rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
        header_end = data.find(b"data") + 8
    if width != 2:
        raise ValueError(f"expected 16-bit audio, got {8 * width}-bit")
    body = data[header_end : header_end + (len(data) - header_end) // (2 * channels) * 2 * channels]
    pcm = np.frombuffer(body, dtype="<i2").reshape(-1, channels).mean(axis=1)
    return pcm.astype(np.int16), rate


def resample(pcm: Pcm, rate: int, target: int) -> Pcm:
    """Band-limited resampling of a whole clip (FFT based): fine for files, not for streams."""
    if rate == target or len(pcm) == 0:
        return pcm
    n_out = round(len(pcm) * target / rate)
    spectrum = np.fft.rfft(pcm.astype(np.float64))
    keep = min(len(spectrum), n_out // 2 + 1)
    out = np.fft.irfft(spectrum[:keep], n=n_out) * (n_out / len(pcm))
    return np.clip(np.round(out), -32768, 32767).astype(np.int16)


def trim_silence(pcm: Pcm, threshold: int = 64) -> Pcm:
    """Drop leading and trailing samples quieter than `threshold`, so speech timings are known."""
    loud = np.flatnonzero(np.abs(pcm.astype(np.int32)) > threshold)
    return pcm[loud[0] : loud[-1] + 1] if len(loud) else pcm[:0]
