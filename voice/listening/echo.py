"""Keeping the coach from obeying its own voice.

The microphone stays open while the coach talks (that is what makes barge-in
possible), so the coach's lines, which say "next", "repeat" and "hold", come back
through it. Two defences, each switchable so the benchmark can measure them:

- echo cancellation: speexdsp's adaptive filter (through `pyaec`) subtracts what
  the speaker played, given as the reference, from the microphone's signal;
- own-words rejection: a command whose words were all in the line the coach was
  saying while the user spoke, or whose text nearly matches part of it ("the band
  please" heard in "And release."), is taken for echo. It costs the user the
  chance to say that very word over that line ("next" over "say next when you're
  ready"), which is why the lines are timed: only lines overlapping the utterance
  count.

Measured (benchmarks/bench_session.py, ten minutes of the coach talking into its
own echo at 0.5): with no defence 5 commands were obeyed; the canceller alone
brought that to 0, and own-words rejection alone to 0 once near matches counted
(5 with exact words only). Both run by default: they fail in different ways.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from voice.events import Event, Said, SayEnd
from voice.listening.audio import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, Pcm
from voice.listening.utterance import Utterance

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class EchoSettings:
    """Which defences run, and how hard."""

    cancel: bool = True
    """Subtract the played audio from the microphone (speexdsp AEC)."""
    filter_s: float = 0.1
    """Length of the echo path the canceller models (room reverberation plus delays)."""
    preprocess: bool = True
    """speexdsp's residual-echo suppressor and denoiser after the filter: with it, 14 of
    30 commands said over the coach were recognized instead of 12 (17 with no echo)."""
    own_words: bool = True
    """Ignore a command whose words were all in a line overlapping the utterance."""
    margin_s: float = 0.3
    """Slack around a line's start and end when judging overlap (echo tails, decoding lag)."""
    similarity: float | None = 80.0
    """Also ignore a command whose text is this close (rapidfuzz partial ratio, 0-100) to
    part of such a line: the recognizer turns "And release." into "the band please".
    None: exact words only."""


class EchoCanceller:
    """speexdsp's acoustic echo canceller, one 20 ms frame at a time.

    `pyaec.Aec.cancel_echo` converts Python lists sample by sample; the shared
    library is called directly on the numpy buffers instead (50 frames a second,
    for hours, on a small machine).
    """

    def __init__(self, filter_s: float = 0.1, preprocess: bool = False) -> None:
        import pyaec  # a C library: loaded only when cancellation is wanted

        self._lib: Any = pyaec.lib
        self._handle = self._lib.AecNew(
            FRAME_SAMPLES, int(filter_s * SAMPLE_RATE), SAMPLE_RATE, preprocess
        )
        if not self._handle:
            raise RuntimeError("speexdsp echo canceller could not be created")
        self._out = np.zeros(FRAME_SAMPLES, dtype=np.int16)

    def process(self, mic: Pcm, reference: Pcm) -> Pcm:
        """`mic` with the part that is `reference` (what was played) taken out."""
        mic = np.ascontiguousarray(mic, dtype=np.int16)
        reference = np.ascontiguousarray(reference, dtype=np.int16)
        pointer = ctypes.POINTER(ctypes.c_int16)
        self._lib.AecCancelEcho(
            self._handle,
            mic.ctypes.data_as(pointer),
            reference.ctypes.data_as(pointer),
            self._out.ctypes.data_as(pointer),
            len(mic),
        )
        return self._out.copy()

    def close(self) -> None:
        if self._handle:
            self._lib.AecDestroy(self._handle)
            self._handle = None

    def __del__(self) -> None:
        self.close()


@dataclass
class _Line:
    text: str
    start: float
    end: float | None = None


class EchoGuard:
    """Cleans each microphone frame and vets each command against the coach's lines."""

    def __init__(self, settings: EchoSettings | None = None) -> None:
        self.settings = settings or EchoSettings()
        self._canceller = (
            EchoCanceller(self.settings.filter_s, self.settings.preprocess)
            if self.settings.cancel
            else None
        )
        self._lines: list[_Line] = []
        self._tail_frames = round(self.settings.filter_s / FRAME_S) + 2
        self._silent_frames = self._tail_frames + 1

    def clean(self, mic: Pcm, reference: Pcm) -> Pcm:
        """The microphone frame with the coach's own voice taken out, where possible."""
        if self._canceller is None:
            return mic
        if reference.any():
            self._silent_frames = 0
        else:
            self._silent_frames += 1
            if self._silent_frames > self._tail_frames:
                # Nothing played for longer than the echo path: spare the work, and
                # keep the filter from adapting to the user's voice alone.
                return mic
        return self._canceller.process(mic, reference)

    def observe(self, event: Event) -> None:
        """Follow the coach's lines (from the loop's `Said`/`SayEnd` events)."""
        if isinstance(event, Said):
            self._lines.append(_Line(event.text, event.t))
        elif isinstance(event, SayEnd):
            for line in reversed(self._lines):
                if line.end is None:
                    line.end = event.t
                    break
        # Lines long over cannot overlap anything heard from now on.
        if len(self._lines) > 32:
            del self._lines[:-32]

    def reject(self, utterance: Utterance, speaking_now: str | None = None) -> str | None:
        """Why the utterance is taken for the coach's own voice, or None to obey it."""
        if not self.settings.own_words or utterance.command is None:
            return None
        words = set(_WORD.findall(utterance.text.lower()))
        if not words:
            return None
        margin = self.settings.margin_s
        overlapping = [
            line.text
            for line in self._lines
            if line.start - margin <= utterance.end_s
            and (line.end is None or line.end + margin >= utterance.start_s)
        ]
        if speaking_now:
            overlapping.append(speaking_now)
        spoken = " ".join(_WORD.findall(utterance.text.lower()))
        for text in overlapping:
            said = _WORD.findall(text.lower())
            if words <= set(said):
                return f"own words: {text[:60]!r}"
            limit = self.settings.similarity
            if limit is not None and fuzz.partial_ratio(spoken, " ".join(said)) >= limit:
                return f"like own words: {text[:60]!r}"
        return None

    def close(self) -> None:
        if self._canceller is not None:
            self._canceller.close()
