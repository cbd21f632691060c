"""The coach's voice: text to speech, played so it can be cut off, with captions.

`CoachSpeaker` (the `Speaker`) queues lines, synthesizes them with a
`Synthesizer` (`default_synth()`: pyttsx3, then espeak-ng, then silence sized
like speech) and plays them on an `AudioOut` (`SoundDeviceOut`, `TimelineOut`,
`NullOut`; `open_output()` picks one), timed on the injected clock.
"""

from __future__ import annotations

from voice.speaking.captions import Captions
from voice.speaking.coach_speaker import CoachSpeaker
from voice.speaking.outputs import (
    NullOut,
    SoundDeviceOut,
    TimelineOut,
    check_writable,
    open_output,
)
from voice.speaking.settings import VoiceSettings, build_speaker
from voice.speaking.speaker import AudioOut, Speaker
from voice.speaking.synth import (
    CachedSynth,
    CaptionOnlySynth,
    EspeakSynth,
    FallbackSynth,
    Pyttsx3Synth,
    SynthError,
    Synthesizer,
    default_synth,
)

__all__ = [
    "AudioOut",
    "CachedSynth",
    "CaptionOnlySynth",
    "Captions",
    "CoachSpeaker",
    "EspeakSynth",
    "FallbackSynth",
    "NullOut",
    "Pyttsx3Synth",
    "SoundDeviceOut",
    "Speaker",
    "SynthError",
    "Synthesizer",
    "TimelineOut",
    "VoiceSettings",
    "build_speaker",
    "check_writable",
    "default_synth",
    "open_output",
]
