"""Voice settings from the command line: checked before a session, built into a speaker."""

from __future__ import annotations

import argparse

import pytest

from voice.clock import VirtualClock
from voice.errors import AudioError
from voice.speaking.outputs import TimelineOut
from voice.speaking.settings import VoiceSettings, add_arguments, build_speaker, from_args
from voice.speaking.synth import CaptionOnlySynth, EspeakSynth, Pyttsx3Synth


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


def test_options_become_settings() -> None:
    settings = from_args(parse("--tts", "espeak-ng", "--voice", "en-us+f3", "--rate", "150"))
    assert settings == VoiceSettings("espeak-ng", "en-us+f3", 150, None)


@pytest.mark.parametrize(
    ("argv", "message"),
    [(("--rate", "5"), "speech rate 5"), (("--volume", "3"), "volume 3")],
)
def test_bad_settings_are_one_line_errors(argv: tuple[str, ...], message: str) -> None:
    with pytest.raises(AudioError, match=message):
        from_args(parse(*argv))


def test_the_chain_ends_in_captions_whatever_the_engine() -> None:
    for engine, first in [("auto", Pyttsx3Synth), ("espeak-ng", EspeakSynth)]:
        speaker = build_speaker(VirtualClock(), TimelineOut(), VoiceSettings(engine=engine))
        chain = speaker.synth.inner.synths  # type: ignore[attr-defined]
        assert isinstance(chain[0], first) and isinstance(chain[-1], CaptionOnlySynth)
        speaker.close()
    speaker = build_speaker(VirtualClock(), TimelineOut(), VoiceSettings(engine="captions"))
    assert [type(s) for s in speaker.synth.inner.synths] == [CaptionOnlySynth]  # type: ignore[attr-defined]
    speaker.close()
