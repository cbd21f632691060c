"""Keeping the coach from obeying its own voice: the echo canceller, and the settings
of both defences.

The microphone stays open while the coach talks (that is what makes barge-in
possible), so the coach's lines, which say "next", "repeat" and "hold", come back
through it. Two defences, each a stage of the coaching chain and each switchable
so the benchmark can measure them:

- echo cancellation (`EchoCancel`, here): speexdsp's adaptive filter (through
  `pyaec`) subtracts what the speaker played, given as the reference, from the
  microphone's signal, before the listener hears it;
- own-words rejection (voice.listening.own_voice): a command whose words were
  all in a line the coach was saying while the user spoke is taken for echo.

Measured (benchmarks/bench_session.py, ten minutes of the coach talking into its
own echo at 0.5): with no defence 5 commands were obeyed; the canceller alone
brought that to 0, and own-words rejection alone to 0 once near matches counted
(5 with exact words only). Both run by default: they fail in different ways.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

import numpy as np

from voice.audio import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, Frame, Pcm, Played


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


class EchoCancel:
    """The chain's echo-cancelling stage: each microphone frame minus what the coach played.

    `out` is the coach's output (its timeline is the reference). With nothing
    played for longer than the echo path, frames pass untouched: that spares the
    work and keeps the filter from adapting to the user's voice alone.
    """

    def __init__(self, out: Played, settings: EchoSettings | None = None) -> None:
        self.out = out
        self.settings = settings or EchoSettings()
        self._canceller = (
            EchoCanceller(self.settings.filter_s, self.settings.preprocess)
            if self.settings.cancel
            else None
        )
        self._tail_frames = round(self.settings.filter_s / FRAME_S) + 2
        self._silent_frames = self._tail_frames + 1

    def clean(self, frame: Frame) -> Frame:
        """The frame with the coach's own voice taken out, where possible."""
        if self._canceller is None:
            return frame
        reference = self.out.played(frame.t, FRAME_SAMPLES)
        if reference.any():
            self._silent_frames = 0
        else:
            self._silent_frames += 1
            if self._silent_frames > self._tail_frames:
                return frame
        return Frame(frame.t, self._canceller.process(frame.pcm, reference))

    def close(self) -> None:
        if self._canceller is not None:
            self._canceller.close()
