"""Where the coach's voice goes: the speakers, or a WAV on the session timeline.

Each output implements `AudioOut` (voice.speaking.speaker); `open_output` picks
one. All of them remember what they played on the session timeline, because the
echo canceller needs that reference and the simulator mixes it back into the
microphone as room echo.

`TimelineOut` keeps only the recent past in memory (`keep_s`) and streams older
audio to its WAV as soon as it can no longer change, so an hour's session costs
a few seconds of memory, not an hour's.
"""

from __future__ import annotations

import os
import threading
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from voice.audio import SAMPLE_RATE, Pcm
from voice.errors import AudioError


def check_writable(path: Path | str, what: str = "a WAV file") -> None:
    """Raise `AudioError` now, before a session starts, if `what` cannot be written at `path`.

    Checked up front because a session that fails to save its recording at the end
    has wasted the user's whole workout.
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise AudioError(f"{path}: is a folder; {what} needs a file name")
    if not parent.is_dir():
        raise AudioError(f"{path}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise AudioError(f"{path}: cannot write here (permission denied)")


def _index(t: float) -> int:
    return round(t * SAMPLE_RATE)


@dataclass
class _Segment:
    start: int
    """First sample's index on the timeline."""
    pcm: Pcm
    end: int
    """One past the last sample that plays (earlier than start + len where cut off)."""


class TimelineOut:
    """Records the coach's voice on the session timeline; optionally writes it as a WAV.

    `play` and `stop` must come in time order (the session clock never goes back).
    Audio before the latest `play`/`stop` time can no longer change, so it is
    written to the file at once; `played` answers for the last `keep_s` seconds.
    """

    def __init__(self, path: Path | str | None = None, *, keep_s: float | None = 30.0) -> None:
        """`keep_s`: seconds of the past `played` can answer for; None keeps the whole
        session in memory (for `recording()`: the simulator and tests)."""
        self.path = Path(path) if path is not None else None
        self.keep = _index(keep_s) if keep_s is not None else None
        self._segments: list[_Segment] = []
        self._final = 0  # everything before this sample index is settled
        self._written = 0  # samples already in the file
        self._lock = threading.Lock()
        self._wav: wave.Wave_write | None = None
        if self.path is not None:
            check_writable(self.path)
            try:
                # Open for the whole session: audio is streamed in as it settles.
                self._wav = wave.open(str(self.path), "wb")  # noqa: SIM115
            except OSError as e:
                raise AudioError(f"{self.path}: cannot write: {e.strerror or e}") from e
            self._wav.setnchannels(1)
            self._wav.setsampwidth(2)
            self._wav.setframerate(SAMPLE_RATE)

    def play(self, pcm: Pcm, t: float) -> None:
        with self._lock:
            start = self._cut(t)
            if len(pcm):
                self._segments.append(_Segment(start, pcm, start + len(pcm)))
            self._settle(start)

    def stop(self, t: float) -> None:
        with self._lock:
            self._settle(self._cut(t))

    def played(self, t: float, n: int) -> Pcm:
        out = np.zeros(n, np.int16)
        start = _index(t)
        with self._lock:
            for seg in self._segments:
                self._copy(seg, start, out)
        return out

    def playing_at(self, t: float) -> bool:
        """True if some line is sounding at time `t`."""
        i = _index(t)
        with self._lock:
            return any(seg.start <= i < seg.end for seg in self._segments)

    def recording(self) -> Pcm:
        """Everything played, from time 0 to the end of the last line (needs `keep_s=None`)."""
        if self.keep is not None:
            raise ValueError("TimelineOut(keep_s=None) is needed to keep the whole recording")
        with self._lock:
            end = self._end()
        return self.played(0.0, end)

    def close(self) -> None:
        with self._lock:
            end = self._end()
            self._write_until(end)
            self._segments.clear()
            if self._wav is not None:
                self._wav.close()
                self._wav = None

    # -- inside the lock ---------------------------------------------------------

    def _end(self) -> int:
        return max([self._final, *(seg.end for seg in self._segments)])

    def _cut(self, t: float) -> int:
        """Drop everything from `t` on; returns `t` as a sample index (never before the past)."""
        i = max(_index(t), self._final)
        kept: list[_Segment] = []
        for seg in self._segments:
            if seg.start < i:
                seg.end = min(seg.end, i)
                kept.append(seg)
        self._segments = kept
        return i

    def _settle(self, i: int) -> None:
        self._final = max(self._final, i)
        self._write_until(self._final)
        if self.keep is not None:
            horizon = self._final - self.keep
            self._segments = [seg for seg in self._segments if seg.end > horizon]

    def _write_until(self, i: int) -> None:
        if self._wav is None or i <= self._written:
            self._written = max(self._written, i)
            return
        chunk = np.zeros(i - self._written, np.int16)
        for seg in self._segments:
            self._copy(seg, self._written, chunk)
        self._wav.writeframes(chunk.astype("<i2").tobytes())
        self._written = i

    @staticmethod
    def _copy(seg: _Segment, start: int, out: Pcm) -> None:
        lo = max(seg.start, start)
        hi = min(seg.end, start + len(out))
        if lo < hi:
            out[lo - start : hi - start] = seg.pcm[lo - seg.start : hi - seg.start]


StreamFactory = Callable[..., Any]
"""Makes a startable output stream: `(samplerate, blocksize, channels, dtype,
callback, device, latency) -> stream` with `start()`, `stop()`, `close()`, like
`sounddevice.OutputStream`; tests and the benchmark pass a fake one."""


def _portaudio_stream(**kwargs: Any) -> Any:
    try:
        import sounddevice as sd
    except OSError as e:  # the PortAudio library itself is missing
        raise AudioError(f"no audio output: PortAudio is not installed ({e})") from e
    try:
        sd.query_devices(kwargs.get("device"), kind="output")
        return sd.OutputStream(**kwargs)
    except (sd.PortAudioError, ValueError) as e:
        raise AudioError(f"no audio output device ({e})") from e


class SoundDeviceOut:
    """The speakers, through PortAudio: a callback pulls small blocks from a buffer.

    `stop()` empties the buffer, so the next block the device asks for is silence:
    the voice stops within one block (`block_s`, 20 ms) plus the device's own
    latency. What was handed to the device is also kept on the session timeline
    (a `TimelineOut`) as the echo reference.
    """

    def __init__(
        self,
        *,
        device: int | str | None = None,
        block_s: float = 0.02,
        stream_factory: StreamFactory | None = None,
    ) -> None:
        self.block = max(1, _index(block_s))
        self._buffer: Pcm = np.zeros(0, np.int16)
        self._pos = 0
        self._lock = threading.Lock()
        self._timeline = TimelineOut(keep_s=10.0)
        self._closed = False
        factory = stream_factory or _portaudio_stream
        try:
            self._stream = factory(
                samplerate=SAMPLE_RATE,
                blocksize=self.block,
                channels=1,
                dtype="int16",
                callback=self._fill,
                device=device,
                # PortAudio's default output latency is "high" (100-200 ms of buffer),
                # which alone would break the promise that stop() is heard within 100 ms.
                latency="low",
            )
            self._stream.start()
        except AudioError:
            raise
        except Exception as e:  # a device that vanished, a driver error: one line
            raise AudioError(f"no audio output: {type(e).__name__}: {e}") from e

    @property
    def playing(self) -> bool:
        """True while samples are waiting to be handed to the device."""
        with self._lock:
            return self._pos < len(self._buffer)

    def play(self, pcm: Pcm, t: float) -> None:
        with self._lock:
            self._buffer, self._pos = pcm, 0
        self._timeline.play(pcm, t)

    def stop(self, t: float) -> None:
        with self._lock:
            self._buffer, self._pos = np.zeros(0, np.int16), 0
        self._timeline.stop(t)

    def played(self, t: float, n: int) -> Pcm:
        return self._timeline.played(t, n)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.stop(0.0)
        try:
            self._stream.stop()
            self._stream.close()
        except Exception:  # closing a dead device must not turn an exit into a traceback
            pass
        self._timeline.close()

    def _fill(self, outdata: Any, frames: int, _time: Any, _status: Any) -> None:
        """The device's callback (its own thread): the next block, or silence."""
        with self._lock:
            chunk = self._buffer[self._pos : self._pos + frames]
            self._pos += len(chunk)
        outdata[: len(chunk), 0] = chunk
        outdata[len(chunk) :, 0] = 0


def open_output(
    speak_to: Path | str | None = None,
    *,
    device: bool = True,
    warn: Callable[[str], None] | None = None,
    stream_factory: StreamFactory | None = None,
) -> TimelineOut | SoundDeviceOut:
    """Where the coach's voice goes: a WAV when `speak_to` is given, else the speakers
    (`device`), else only the session's timeline in memory (a simulation's echo
    reference). With no usable sound device, one warning and the timeline: the
    captions carry the words, and the echo reference stays honest (silent)."""
    if speak_to is not None:
        return TimelineOut(speak_to)
    if not device:
        return TimelineOut()
    try:
        return SoundDeviceOut(stream_factory=stream_factory)
    except AudioError as e:
        if warn is not None:
            warn(f"{e}; showing captions only")
        return TimelineOut()
