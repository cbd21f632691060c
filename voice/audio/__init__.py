"""Audio as its own domain: one format, one converter, sources of timed frames.

Listening, speaking and the test voices all meet here and nowhere else: every
clip and frame in the coach is `Pcm` (16 kHz mono int16), every stream is
`Frame`s of `FRAME_S` with their time on the session's timeline, and anything
in another shape (a WAV of any width or rate, a synthesizer's output, floats
from a mix) goes through `voice.audio.convert` on its way in.
"""

from voice.audio.format import (
    FRAME_S,
    FRAME_SAMPLES,
    SAMPLE_RATE,
    AudioSource,
    Frame,
    Pcm,
    Played,
    frames_of,
)

__all__ = [
    "FRAME_S",
    "FRAME_SAMPLES",
    "SAMPLE_RATE",
    "AudioSource",
    "Frame",
    "Pcm",
    "Played",
    "frames_of",
]
