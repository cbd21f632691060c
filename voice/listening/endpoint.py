"""Endpointing: cutting a stream of frames into stretches of speech, each decided promptly.

Two detectors can say whether a frame is speech (`EndpointSettings.detector`):

- "webrtc" (the default): WebRTC's VAD (pocketsphinx's `Vad`) says so AND the frame
  is louder than the background by a margin. The background level is a low
  percentile of the last few seconds of frame energies, so it follows a fan, a
  noisy room or a TV up and down without being pulled up by the user's own words
  (which leave gaps).
- "silero": Silero VAD's speech probability (`voice.listening.vad`), with
  hysteresis: a frame opens speech at `speech_threshold` and, right after speech,
  stays speech down to `keep_threshold`. Silero judges 32 ms windows while frames
  are 20 ms, so a frame waits for the window holding its last sample; a decision
  therefore comes up to one window later than the frame it is about, and
  `decided_s` is the end of the frame that was being fed when it became possible.
  Needs onnxruntime and faster-whisper's bundled model: without them the
  `Endpointer` raises `AudioError` and the caller can fall back to "webrtc".

Measured on the synthetic corpus (`voice.testing.corpus`, 270 speech clips and 90
non-speech per split, thresholds tuned on dev, figures from test; speech times
without the synthesizers' quiet lead-in): share of clips whose segments cover
>= 80% of the speech, clean / 20 / 10 / 5 dB:

- webrtc: 100% / 95% / 74% / 44%; white and pink noise 53% and 65%. Segments on
  music, breathing or a cough: 67 of 68 clips. Hangover (decided_s minus the end
  of the speech) p50 0.23 s. 4 ms CPU per second of audio.
- silero (`EndpointSettings.for_detector("silero")`): 96% / 99% / 98% / 98%;
  white and pink 96% and 98%. Music, breathing, cough: 24 of 68. Hangover p50
  0.30 s (Silero's probability lingers ~0.1 s after speech, so its `hangover_s`
  is shorter; at that setting a pause inside a phrase splits it about as often
  as with webrtc). 8 ms CPU per second.
- Both take the TV for speech, and Silero takes babble (other people talking)
  for speech at every level tried (5-20 dB below the user): in a babble-filled
  clip its segment spans the whole clip, and under continuous talk every segment
  runs to `max_speech_s` and is cut as `too_long` (webrtc fares little better).

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
from typing import Literal

import numpy as np
import pocketsphinx

from voice.audio import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, Frame, Pcm
from voice.listening.vad import WINDOW_SAMPLES, SileroVad

Detector = Literal["webrtc", "silero"]
DETECTORS: tuple[Detector, ...] = ("webrtc", "silero")


@dataclass(frozen=True)
class EndpointSettings:
    """How eagerly speech opens and closes a segment."""

    detector: Detector = "webrtc"
    """What says a frame is speech: "webrtc" (VAD plus energy margin) or "silero"."""
    vad_mode: int = 2
    """WebRTC VAD aggressiveness, 0 (loose) to 3 (strict)."""
    margin_db: float = 6.0
    """How far above the background a frame must be to count as speech (webrtc)."""
    speech_threshold: float = 0.5
    """Silero probability at which a frame counts as speech."""
    keep_threshold: float = 0.35
    """Silero probability down to which a frame right after speech still counts as speech."""
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
    """Frames quieter than this (dB re one int16 step) are never speech (webrtc)."""

    @classmethod
    def for_detector(cls, detector: Detector) -> EndpointSettings:
        """The settings measured best for `detector` (see the module's notes)."""
        if detector == "silero":
            # Silero's probability stays up ~0.1 s after speech, so a shorter hangover
            # splits phrases at pauses about as often as webrtc's 0.24 s and decides
            # 0.05-0.07 s later (0.12 s: as prompt as webrtc, but splits more).
            return cls(detector="silero", hangover_s=0.16)
        return cls(detector=detector)


@dataclass(frozen=True)
class Segment:
    """A stretch of speech and the audio around it."""

    start_s: float
    end_s: float
    decided_s: float
    pcm: Pcm
    """Audio from `pad_before_s` before the speech to `pad_after_s` after it."""
    too_long: bool = False


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
        """Raises `AudioError` if the "silero" detector cannot be loaded here."""
        self.settings = s = settings or EndpointSettings()
        if s.detector not in DETECTORS:
            raise ValueError(f"unknown detector {s.detector!r}: use one of {', '.join(DETECTORS)}")
        self._vad = pocketsphinx.Vad(s.vad_mode, SAMPLE_RATE, FRAME_S)
        self._silero = SileroVad() if s.detector == "silero" else None
        # Silero: frames waiting for the window that holds their last sample, each with
        # its index since `reset`; and the probabilities of windows not yet used up.
        self._waiting: collections.deque[tuple[int, Frame]] = collections.deque()
        self._probs: collections.deque[float] = collections.deque()
        self._history: collections.deque[float] = collections.deque(
            maxlen=max(1, round(s.floor_window_s / FRAME_S))
        )
        self._pre: collections.deque[Frame] = collections.deque(
            maxlen=s.open_window + round(s.pad_before_s / FRAME_S)
        )
        self._recent: collections.deque[bool] = collections.deque(maxlen=s.open_window)
        self._floor_db = s.min_level_db
        self._frames_since_floor = 0
        self.reset()

    def reset(self) -> None:
        """Forget the stream (between independent clips); the background estimate too."""
        self._pre.clear()
        self._recent.clear()
        self._history.clear()
        self._floor_db = self.settings.min_level_db
        self._active: list[Frame] | None = None
        self._speech_start = 0.0
        self._last_speech_end = 0.0
        self._silent_run = 0
        self._skipping = False
        self._frames_in = 0
        self._probs_base = 0  # the window index of `_probs[0]`
        self._voiced = False
        self._waiting.clear()
        self._probs.clear()
        if self._silero is not None:
            self._silero.reset()

    @property
    def floor_db(self) -> float:
        """The background level (webrtc only; stays at `min_level_db` with silero)."""
        return self._floor_db

    def is_speech(self, frame: Frame) -> bool:
        """This frame's WebRTC-and-energy vote; also updates the background estimate."""
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
        now = frame.t + FRAME_S
        if self._silero is None:
            return self._step(frame, self.is_speech(frame), now)
        self._frames_in += 1
        self._waiting.append((self._frames_in - 1, frame))
        self._probs.extend(self._silero.feed(frame.pcm))
        return self._judge_waiting(now)

    def _judge_waiting(self, now: float) -> list[Segment]:
        """Run every waiting frame whose Silero window is done through the segmenter."""
        s = self.settings
        found: list[Segment] = []
        while self._waiting:
            index, frame = self._waiting[0]
            window = ((index + 1) * FRAME_SAMPLES - 1) // WINDOW_SAMPLES
            if window >= self._probs_base + len(self._probs):
                break
            self._waiting.popleft()
            while self._probs_base < window:
                self._probs.popleft()
                self._probs_base += 1
            p = self._probs[0]
            self._voiced = p >= s.speech_threshold or (self._voiced and p >= s.keep_threshold)
            found += self._step(frame, self._voiced, now)
        return found

    def _step(self, frame: Frame, speech: bool, now: float) -> list[Segment]:
        """One frame's vote through the segmenter; `now` is when it is being decided."""
        if self._active is None:
            return self._idle(frame, speech)
        return self._in_speech(frame, speech, now)

    def _idle(self, frame: Frame, speech: bool) -> list[Segment]:
        self._pre.append(frame)
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
        self._recent.clear()
        return []

    def _in_speech(self, frame: Frame, speech: bool, decided: float) -> list[Segment]:
        assert self._active is not None
        self._active.append(frame)
        if speech:
            self._silent_run = 0
            self._last_speech_end = frame.t + FRAME_S
        else:
            self._silent_run += 1
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
        return Segment(self._speech_start, self._last_speech_end, decided, pcm, too_long)

    def flush(self) -> list[Segment]:
        """End of stream: close a segment still open."""
        found: list[Segment] = []
        if self._silero is not None and self._waiting:
            # The last frames' window, padded with silence, then judged at the stream's end.
            self._probs.extend(self._silero.flush())
            found = self._judge_waiting(self._waiting[-1][1].t + FRAME_S)
        if self._active is None or self._skipping:
            self._active = None
            return found
        last = self._active[-1].t + FRAME_S
        return found + self._finish(last)
