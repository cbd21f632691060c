"""The audio format everything downstream of a source agrees on, and the source interface."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 16_000
"""Samples per second of every frame: pocketsphinx's en-us model is trained at 16 kHz."""
FRAME_S = 0.02
"""Seconds per frame: one of the frame lengths both WebRTC's VAD and pocketsphinx accept."""
FRAME_SAMPLES = int(SAMPLE_RATE * FRAME_S)

Pcm = npt.NDArray[np.int16]
"""Mono 16-bit samples at `SAMPLE_RATE`."""


@dataclass(frozen=True)
class Frame:
    """`FRAME_SAMPLES` samples of mono audio and when they started on the source's timeline."""

    t: float
    pcm: Pcm


class Played(Protocol):
    """What the coach's voice put on the session timeline (an `AudioOut` remembers it)."""

    def played(self, t: float, n: int) -> Pcm:
        """The `n` samples that were playing from time `t` (zeros where silent)."""
        ...


class AudioSource(Protocol):
    """Where the user's voice comes from: a microphone, or a WAV file played as if live."""

    def frames(self) -> Iterator[Frame]:
        """Frames in order, with `t` advancing by `FRAME_S`; ends when the source does."""
        ...

    def close(self) -> None:
        """Release the device or file; safe to call twice."""
        ...


def frames_of(pcm: Pcm, t0: float = 0.0) -> Iterator[Frame]:
    """Whole frames of `pcm`; a final partial frame is padded with silence."""
    for i in range(0, len(pcm), FRAME_SAMPLES):
        chunk = pcm[i : i + FRAME_SAMPLES]
        if len(chunk) < FRAME_SAMPLES:
            chunk = np.concatenate([chunk, np.zeros(FRAME_SAMPLES - len(chunk), np.int16)])
        yield Frame(t0 + i / SAMPLE_RATE, chunk)
