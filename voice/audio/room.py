"""A room's echo for simulations: the coach's own voice mixed back into a recording.

Live, the microphone hears the speakers by itself; a recording made without the
coach does not. `RoomEcho` wraps the recording's source and adds what the coach
played, `delay_s` late and scaled by `gain`, so a simulated session faces the
echo a real one does (`coach run --audio-in WAV --echo GAIN`). It is a source
wrapper, so the production frame path never mixes anything in.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from voice.audio.convert import to_pcm
from voice.audio.format import FRAME_SAMPLES, AudioSource, Frame, Played


class RoomEcho:
    """`source`'s frames plus the coach's voice (from `out`) at `gain`, `delay_s` late."""

    def __init__(self, source: AudioSource, out: Played, gain: float, delay_s: float = 0.0):
        self.source = source
        self.out = out
        self.gain = gain
        self.delay_s = delay_s

    def frames(self) -> Iterator[Frame]:
        for frame in self.source.frames():
            # Read as the frame is asked for: the coach's voice up to now is on the timeline.
            echo = self.out.played(frame.t - self.delay_s, FRAME_SAMPLES)
            mixed = frame.pcm.astype(np.float64) + self.gain * echo
            yield Frame(frame.t, to_pcm(mixed))

    def close(self) -> None:
        self.source.close()
