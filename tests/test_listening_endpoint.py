"""Endpointing: speech found, short words kept, decisions prompt, noise and long sounds handled."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from voice.audio import SAMPLE_RATE, Pcm
from voice.audio.format import frames_of
from voice.listening.endpoint import Endpointer, EndpointSettings, Segment
from voice.testing.voices import Voice, mix_at_snr, pink_noise, silence, synthesize, white_noise

pytestmark = pytest.mark.skipif(not shutil.which("flite"), reason="flite is not installed")
VOICE = Voice("flite", "slt")


def segments(pcm: Pcm, settings: EndpointSettings | None = None) -> list[Segment]:
    endpointer = Endpointer(settings)
    found: list[Segment] = []
    for frame in frames_of(pcm):
        found += endpointer.feed(frame)
    return found + endpointer.flush()


def test_short_word_is_found_with_its_times() -> None:
    speech = synthesize("next", VOICE)
    end = 1.0 + len(speech) / SAMPLE_RATE
    (segment,) = segments(np.concatenate([silence(1.0), speech, silence(1.0)]))
    assert segment.start_s == pytest.approx(1.0, abs=0.08)
    assert segment.end_s == pytest.approx(end, abs=0.1)
    assert 0.0 < segment.decided_s - segment.end_s <= 0.3
    assert not segment.too_long
    # The audio handed on covers the speech and a little either side.
    assert len(segment.pcm) / SAMPLE_RATE >= (segment.end_s - segment.start_s) + 0.3


@pytest.mark.parametrize("word", ["back", "stop", "skip"])
def test_quiet_short_words_are_not_dropped(word: str) -> None:
    speech = (synthesize(word, VOICE).astype(np.float64) * 0.1).astype(np.int16)
    assert len(segments(np.concatenate([silence(0.5), speech, silence(0.8)]))) == 1


def test_silence_and_steady_noise_give_nothing() -> None:
    rng = np.random.default_rng(1)
    assert segments(silence(60.0)) == []
    assert segments(white_noise(8 * SAMPLE_RATE, rng)) == []
    assert segments(pink_noise(8 * SAMPLE_RATE, rng)) == []


def test_speech_in_noise_is_found() -> None:
    rng = np.random.default_rng(2)
    speech = np.concatenate([silence(3.0), synthesize("go back", VOICE), silence(1.0)])
    noisy = mix_at_snr(speech, white_noise(len(speech), rng), 10.0)
    found = segments(noisy)
    assert len(found) == 1
    assert found[0].start_s == pytest.approx(3.0, abs=0.15)


def test_several_words_with_pauses_are_separate_segments() -> None:
    parts = [silence(0.5)]
    for word in ("next", "pause", "stop"):
        parts += [synthesize(word, VOICE), silence(1.0)]
    assert len(segments(np.concatenate(parts))) == 3


def test_long_continuous_sound_is_cut_off() -> None:
    from voice.testing.sounds import music

    rng = np.random.default_rng(4)
    tune = music(rng)
    while len(tune) < 12 * SAMPLE_RATE:
        tune = np.concatenate([tune, music(rng)])
    found = segments(np.concatenate([silence(0.5), tune, silence(1.0)]))
    assert found and found[0].too_long
    assert all(s.end_s - s.start_s <= 4.2 for s in found)


def test_reset_forgets_the_stream() -> None:
    endpointer = Endpointer()
    speech = np.concatenate([silence(0.3), synthesize("next", VOICE)])
    for frame in frames_of(speech):
        endpointer.feed(frame)
    endpointer.reset()
    assert endpointer.flush() == []


def test_frames_of_the_wrong_size_are_refused() -> None:
    from voice.audio import Frame

    with pytest.raises(ValueError):
        Endpointer().feed(Frame(0.0, np.zeros(100, np.int16)))
