"""Endpointing: cutting a stream of frames into stretches of speech, each decided promptly.

A frame counts as speech when WebRTC's VAD (pocketsphinx's `Vad`) says so AND it is
louder than the background by a margin. The background level is a low percentile of
the last few seconds of frame energies, so it follows a fan, a noisy room or a TV
up and down without being pulled up by the user's own words (which leave gaps).

A segment opens on a few speech frames within a short window (so a clipped "next"
still opens one) and closes after `hangover_s` of non-speech: that sets the decision
latency. The segment handed on carries `pad_before_s`/`pad_after_s` of audio around
the speech because the recognizer does far better with a little silence on each
side (DESIGN.md: 93% instead of 61%). Continuous sound longer than `max_speech_s`
(music, television, a long sentence) is cut there and marked `too_long`; the
endpointer then waits for a pause before opening another segment, so hours of
audio never pile up in memory.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass

import numpy as np
import pocketsphinx

from voice.listening.audio import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, Frame, Pcm


@dataclass(frozen=True)
class EndpointSettings:
    """How eagerly speech opens and closes a segment."""

    vad_mode: int = 2
    """WebRTC VAD aggressiveness, 0 (loose) to 3 (strict)."""
    margin_db: float = 6.0
    """How far above the background a frame must be to count as speech."""
    open_frames: int = 3
    """Speech frames needed within `open_window` frames to open a segment."""
    open_window: int = 5
    hangover_s: float = 0.24
    """Non-speech needed to close a segment: most of the decision latency."""
    min_speech_s: float = 0.08
    """Shorter blips (a click, a knock) are dropped."""
    max_speech_s: float = 4.0
    """Longer continuous sound is not a command: cut and marked `too_long`."""
    pad_before_s: float = 0.15
    pad_after_s: float = 0.24
    floor_window_s: float = 4.0
    """Seconds of history the background level is estimated from."""
    floor_percentile: float = 10.0
    min_level_db: float = 30.0
    """Frames quieter than this (dB re one int16 step) are never speech."""
    background_s: float = 0.5
    """Seconds of recent non-speech kept for the recognizer's noise subtraction."""


@dataclass(frozen=True)
class Segment:
    """A stretch of speech and the audio around it."""

    start_s: float
    end_s: float
    decided_s: float
    pcm: Pcm
    """Audio from `pad_before_s` before the speech to `pad_after_s` after it."""
    too_long: bool = False
    background: Pcm | None = None
    """Up to `background_s` of the non-speech heard before it: the room's noise."""


_BAND = (250.0, 4000.0)
"""Hz: where speech carries its energy; rumble and hiss outside it do not count."""


def level_db(pcm: Pcm) -> float:
    """Level of the frame within the speech band, in dB relative to one sample step.

    Band-limiting matters for pink noise and hum, whose low frequencies swing widely
    in level from frame to frame and would otherwise pass for syllables.
    """
    spectrum = np.fft.rfft(pcm.astype(np.float64))
    freqs = np.fft.rfftfreq(len(pcm), 1.0 / SAMPLE_RATE)
    band = spectrum[(freqs >= _BAND[0]) & (freqs <= _BAND[1])]
    power = 2.0 * float(np.sum(np.abs(band) ** 2)) / (len(pcm) ** 2)
    return float(10.0 * np.log10(power + 1.0))


class Endpointer:
    """Frames in, `Segment`s out, streaming."""

    def __init__(self, settings: EndpointSettings | None = None) -> None:
        self.settings = s = settings or EndpointSettings()
        self._vad = pocketsphinx.Vad(s.vad_mode, SAMPLE_RATE, FRAME_S)
        self._history: collections.deque[float] = collections.deque(
            maxlen=max(1, round(s.floor_window_s / FRAME_S))
        )
        self._pre: collections.deque[Frame] = collections.deque(
            maxlen=s.open_window + round(s.pad_before_s / FRAME_S)
        )
        self._recent: collections.deque[bool] = collections.deque(maxlen=s.open_window)
        self._pre_speech: collections.deque[bool] = collections.deque(maxlen=self._pre.maxlen)
        self._background: collections.deque[Pcm] = collections.deque(
            maxlen=max(1, round(s.background_s / FRAME_S))
        )
        self._floor_db = s.min_level_db
        self._frames_since_floor = 0
        self.reset()

    def reset(self) -> None:
        """Forget the stream (between independent clips); the background estimate too."""
        self._pre.clear()
        self._pre_speech.clear()
        self._recent.clear()
        self._history.clear()
        self._background.clear()
        self._floor_db = self.settings.min_level_db
        self._active: list[Frame] | None = None
        self._speech_start = 0.0
        self._last_speech_end = 0.0
        self._silent_run = 0
        self._skipping = False

    @property
    def floor_db(self) -> float:
        return self._floor_db

    def is_speech(self, frame: Frame) -> bool:
        """This frame's vote; also updates the background estimate."""
        level = level_db(frame.pcm)
        self._history.append(level)
        self._frames_since_floor += 1
        if self._frames_since_floor >= 10 or len(self._history) < 10:
            self._frames_since_floor = 0
            floor = float(
                np.percentile(np.fromiter(self._history, float), self.settings.floor_percentile)
            )
            self._floor_db = max(self.settings.min_level_db, floor)
        if level < max(self.settings.min_level_db, self._floor_db + self.settings.margin_db):
            return False
        return bool(self._vad.is_speech(frame.pcm.astype("<i2").tobytes()))

    def feed(self, frame: Frame) -> list[Segment]:
        if len(frame.pcm) != FRAME_SAMPLES:
            raise ValueError(f"frames must hold {FRAME_SAMPLES} samples, got {len(frame.pcm)}")
        speech = self.is_speech(frame)
        if self._active is None:
            return self._idle(frame, speech)
        return self._in_speech(frame, speech)

    def _idle(self, frame: Frame, speech: bool) -> list[Segment]:
        if len(self._pre) == self._pre.maxlen and not self._pre_speech[0]:
            # A frame leaving the look-back buffer, heard as non-speech: the room.
            self._background.append(self._pre[0].pcm)
        self._pre.append(frame)
        self._pre_speech.append(speech)
        self._recent.append(speech)
        if self._skipping:
            # After a cut-off long sound: wait for a real pause before listening again.
            self._silent_run = 0 if speech else self._silent_run + 1
            if self._silent_run * FRAME_S >= self.settings.hangover_s:
                self._skipping = False
            return []
        if sum(self._recent) < self.settings.open_frames:
            return []
        # Speech began at the first speech frame of the window that opened it.
        window = list(self._pre)[-len(self._recent) :]
        first = next(i for i, v in enumerate(self._recent) if v)
        self._speech_start = window[first].t
        self._last_speech_end = frame.t + FRAME_S
        self._active = list(self._pre)
        self._silent_run = 0
        self._pre.clear()
        self._pre_speech.clear()
        self._recent.clear()
        return []

    def _in_speech(self, frame: Frame, speech: bool) -> list[Segment]:
        assert self._active is not None
        self._active.append(frame)
        if speech:
            self._silent_run = 0
            self._last_speech_end = frame.t + FRAME_S
        else:
            self._silent_run += 1
        decided = frame.t + FRAME_S
        if self._last_speech_end - self._speech_start > self.settings.max_speech_s:
            segment = self._close(decided, too_long=True)
            self._skipping = True
            return [segment]
        if self._silent_run * FRAME_S >= self.settings.hangover_s:
            return self._finish(decided)
        return []

    def _finish(self, decided: float) -> list[Segment]:
        if self._last_speech_end - self._speech_start < self.settings.min_speech_s:
            self._active = None
            return []
        return [self._close(decided)]

    def _close(self, decided: float, *, too_long: bool = False) -> Segment:
        assert self._active is not None
        s = self.settings
        lo = self._speech_start - s.pad_before_s
        hi = self._last_speech_end + s.pad_after_s
        frames = [f for f in self._active if f.t + FRAME_S > lo and f.t < hi]
        pcm = np.concatenate([f.pcm for f in frames]) if frames else np.zeros(0, np.int16)
        self._active = None
        self._silent_run = 0
        background = np.concatenate(list(self._background)) if self._background else None
        return Segment(
            self._speech_start, self._last_speech_end, decided, pcm, too_long, background
        )

    def flush(self) -> list[Segment]:
        """End of stream: close a segment still open."""
        if self._active is None or self._skipping:
            self._active = None
            return []
        last = self._active[-1].t + FRAME_S
        return self._finish(last)
