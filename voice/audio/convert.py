"""Everything into `Pcm`: WAV bytes of any width, other rates, floats from a mix.

`decode_wav`, `resample` and `trim_silence` work on a whole clip held in memory
(a synthesized line, a test phrase), which is why an FFT resample is good enough
there; `to_int16` and `StreamResampler` convert a file as it streams in, a chunk
at a time. `to_pcm` is the one place samples are rounded and clipped to 16 bits.
"""

from __future__ import annotations

import io
import wave

import numpy as np
import numpy.typing as npt

from voice.audio.format import SAMPLE_RATE, Pcm


def to_pcm(samples: npt.ArrayLike) -> Pcm:
    """Any numbers as 16-bit samples: rounded, and clipped rather than wrapped around."""
    out: Pcm = np.clip(np.round(np.asarray(samples, dtype=np.float64)), -32768, 32767).astype(
        np.int16
    )
    return out


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
    return to_pcm(out)


def trim_silence(pcm: Pcm, threshold: int = 64) -> Pcm:
    """Drop leading and trailing samples quieter than `threshold`, so speech timings are known."""
    loud = np.flatnonzero(np.abs(pcm.astype(np.int32)) > threshold)
    return pcm[loud[0] : loud[-1] + 1] if len(loud) else pcm[:0]


def to_int16(raw: bytes, width: int, channels: int) -> Pcm:
    """Interleaved little-endian PCM of any WAV sample width -> mono int16."""
    usable = len(raw) - len(raw) % (width * channels)
    data = raw[:usable]
    x: npt.NDArray[np.float64]
    if width == 1:  # WAV's 8-bit samples are unsigned
        x = (np.frombuffer(data, np.uint8).astype(np.float64) - 128.0) * 256.0
    elif width == 2:
        x = np.frombuffer(data, "<i2").astype(np.float64)
    elif width == 3:
        b = np.frombuffer(data, np.uint8).reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        v = np.where(v >= 1 << 23, v - (1 << 24), v)
        x = v.astype(np.float64) / 256.0
    elif width == 4:
        x = np.frombuffer(data, "<i4").astype(np.float64) / 65536.0
    else:
        raise ValueError(f"{8 * width}-bit samples are not supported")
    mono = x.reshape(-1, channels).mean(axis=1)
    out: Pcm = to_pcm(mono)
    return out


class StreamResampler:
    """Streaming linear-interpolation resampler with a light low-pass before decimating.

    Linear interpolation is plenty for speech recognition at 16 kHz; the moving
    average before downsampling keeps energy above 8 kHz from folding into the band
    the recognizer listens to.
    """

    def __init__(self, rate: int) -> None:
        self._rate = rate
        self._step = rate / SAMPLE_RATE
        self._pos = 0.0  # position of the next output sample, in input samples
        self._tail: npt.NDArray[np.float64] = np.zeros(0)
        self._taps = max(1, round(self._step)) if rate > SAMPLE_RATE else 1

    def __call__(self, pcm: Pcm) -> Pcm:
        if self._rate == SAMPLE_RATE:
            return pcm
        x = np.concatenate([self._tail, pcm.astype(np.float64)])
        if self._taps > 1:
            kernel = np.ones(self._taps) / self._taps
            smooth = np.convolve(x, kernel, mode="same")
        else:
            smooth = x
        last = len(x) - 1 - (self._taps // 2 + 1)
        if last < 1:
            self._tail = x
            return np.zeros(0, np.int16)
        positions = np.arange(self._pos, last, self._step)
        out = np.interp(positions, np.arange(len(x)), smooth)
        next_pos = self._pos + len(positions) * self._step
        keep_from = max(0, int(next_pos) - self._taps - 1)
        self._tail = x[keep_from:]
        self._pos = next_pos - keep_from
        result: Pcm = to_pcm(out)
        return result
