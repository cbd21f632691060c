"""Audio sources: a WAV file streamed as if live, audio in memory, and the microphone.

Each yields 16 kHz mono `Frame`s of `FRAME_SAMPLES` with `t` counted from the
source's start, so everything downstream (endpointing, decoding, `decided_s`) is the
same whichever the user's voice came from. Files are converted on the way in (any
sample width, rate and channel count); a file that is not usable audio raises one
`AudioError` line naming it.
"""

from __future__ import annotations

import contextlib
import queue
import time
import wave
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from voice.audio.convert import StreamResampler, to_int16
from voice.audio.format import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, Frame, Pcm, frames_of
from voice.errors import AudioError

_CHUNK_S = 1.0
"""Seconds of a file converted at a time: keeps a ten-minute file's memory small."""

NO_MIC_HINT = "run with --text to type commands or --audio-in FILE.wav"


class PcmSource:
    """Audio already in memory (tests, the benchmark corpus)."""

    def __init__(self, pcm: Pcm) -> None:
        self._pcm = pcm

    def frames(self) -> Iterator[Frame]:
        yield from frames_of(self._pcm)

    def close(self) -> None:
        pass


def paced(
    frames: Iterable[Frame],
    *,
    lag_s: float = 0.0,
    start: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], float] = time.monotonic,
) -> Iterator[Frame]:
    """`frames`, each handed over once its time has come on the wall clock: a recording,
    or a typed session's silence, standing in for a live microphone.

    Frame times count from `start` on the `now` clock (default: when the first frame
    is asked for); `lag_s` later still, so a frame can arrive as a microphone's does,
    once it has been recorded (`lag_s=FRAME_S`).
    """
    for frame in frames:
        if start is None:
            start = now() - frame.t
        delay = start + frame.t + lag_s - now()
        if delay > 0:
            sleep(delay)
        yield frame


class WallPacer:
    """Waits for session times on the wall clock, from an anchor set by the first call.

    Each wait is to an absolute time (anchor + session time), never a fixed sleep
    per frame, so the time spent processing frames is absorbed rather than added:
    a ten-minute drain stays on the wall clock to the frame.
    """

    def __init__(
        self,
        *,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sleep = sleep
        self._now = now
        self._anchor: float | None = None

    def __call__(self, t: float) -> None:
        if self._anchor is None:
            self._anchor = self._now() - t
        delay = self._anchor + t - self._now()
        if delay > 0:
            self._sleep(delay)


class WavSource:
    """A WAV file, converted to 16 kHz mono and streamed frame by frame.

    `realtime=True` paces frames to the wall clock (a recording standing in for a
    live microphone); otherwise frames come as fast as they are read.
    """

    def __init__(
        self,
        path: Path,
        *,
        realtime: bool = False,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self._realtime = realtime
        self._sleep = sleep
        self._now = now
        self._wave: wave.Wave_read | None = None
        try:
            self._wave = wave.open(str(self.path), "rb")  # noqa: SIM115 (closed by close())
            self._rate = self._wave.getframerate()
            self._width = self._wave.getsampwidth()
            self._channels = self._wave.getnchannels()
        except FileNotFoundError:
            raise AudioError(f"{self.path}: no such file") from None
        except IsADirectoryError:
            raise AudioError(f"{self.path}: is a folder, not a WAV file") from None
        except (wave.Error, EOFError, OSError) as error:
            self.close()
            detail = str(error) or "the header ends early"
            raise AudioError(f"{self.path}: not a readable WAV file ({detail})") from None
        if self._width not in (1, 2, 3, 4) or self._channels < 1 or self._rate < 4000:
            self.close()
            raise AudioError(
                f"{self.path}: unsupported WAV format ({8 * self._width}-bit, "
                f"{self._channels} channels, {self._rate} Hz)"
            )

    def frames(self) -> Iterator[Frame]:
        if not self._realtime:
            return self._read()
        return paced(self._read(), sleep=self._sleep, now=self._now)

    def _read(self) -> Iterator[Frame]:
        if self._wave is None:
            return
        resample = StreamResampler(self._rate)
        pending = np.zeros(0, np.int16)
        emitted = 0
        chunk = max(1, int(self._rate * _CHUNK_S))
        while True:
            try:
                raw = self._wave.readframes(chunk)
            except (wave.Error, EOFError, OSError) as error:
                raise AudioError(f"{self.path}: truncated or damaged WAV data ({error})") from None
            if not raw:
                break
            pending = np.concatenate(
                [pending, resample(to_int16(raw, self._width, self._channels))]
            )
            whole = len(pending) - len(pending) % FRAME_SAMPLES
            yield from frames_of(pending[:whole], emitted * FRAME_S)
            emitted += whole // FRAME_SAMPLES
            pending = pending[whole:]
        if len(pending):
            yield from frames_of(pending, emitted * FRAME_S)

    def close(self) -> None:
        if self._wave is not None:
            self._wave.close()
            self._wave = None


def read_wav(path: Path) -> Pcm:
    """A whole WAV file as 16 kHz mono samples (for tests and tools)."""
    source = WavSource(path)
    try:
        frames = [f.pcm for f in source.frames()]
    finally:
        source.close()
    return np.concatenate(frames) if frames else np.zeros(0, np.int16)


class MicSource:
    """The default microphone through sounddevice (PortAudio), at 16 kHz mono.

    Opening fails with one `AudioError` line saying how to run without a
    microphone, never a traceback or a hang, when there is no device or no PortAudio.
    """

    def __init__(self, device: int | str | None = None) -> None:
        try:
            import sounddevice as sd
        except (ImportError, OSError) as error:
            raise AudioError(f"no microphone support ({error}); {NO_MIC_HINT}") from None
        self._queue: queue.Queue[Pcm] = queue.Queue(maxsize=500)
        self._closed = False
        try:
            info: Any = sd.query_devices(device, "input")
            if not info or int(info.get("max_input_channels", 0)) < 1:
                raise ValueError("no input device")
            self._stream: Any = sd.InputStream(
                samplerate=SAMPLE_RATE,
                channels=1,
                dtype="int16",
                blocksize=FRAME_SAMPLES,
                device=device,
                callback=self._callback,
            )
            self._stream.start()
        except Exception as error:  # PortAudio reports missing devices many ways
            detail = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise AudioError(f"no microphone found ({detail}); {NO_MIC_HINT}") from None

    def _callback(self, data: Any, n: int, when: Any, status: Any) -> None:
        # When the listener falls behind, dropping audio beats growing without bound.
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(np.asarray(data[:, 0], dtype=np.int16).copy())

    def frames(self) -> Iterator[Frame]:
        count = 0
        while not self._closed:
            try:
                pcm = self._queue.get(timeout=0.5)
            except queue.Empty:
                continue
            for frame in frames_of(pcm, count * FRAME_S):
                yield frame
                count += 1

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._stream.stop()
            self._stream.close()
