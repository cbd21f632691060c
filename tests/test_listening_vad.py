"""Silero VAD: the streaming wrapper, and the endpointer deciding speech with it."""

from __future__ import annotations

import importlib.util
import math
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from voice.audio import FRAME_S, SAMPLE_RATE, Pcm
from voice.audio.format import frames_of
from voice.errors import AudioError
from voice.listening import vad
from voice.listening.endpoint import Endpointer, EndpointSettings, Segment
from voice.listening.vad import WINDOW_S, WINDOW_SAMPLES, SileroVad
from voice.testing.chatter import BABBLE
from voice.testing.voices import (
    Voice,
    babble,
    mix_at_snr,
    pink_noise,
    silence,
    synthesize,
    white_noise,
)


def _silero_available() -> bool:
    try:
        SileroVad()
    except AudioError:
        return False
    return True


needs_silero = pytest.mark.skipif(
    not _silero_available(), reason="onnxruntime or faster-whisper's Silero model is missing"
)
needs_flite = pytest.mark.skipif(not shutil.which("flite"), reason="flite is not installed")
VOICE = Voice("flite", "slt")
TALKERS = [Voice("flite", "awb"), Voice("flite", "rms"), Voice("flite", "kal16")]
SILERO = EndpointSettings.for_detector("silero")
LEAD_S = 1.0


def segments(pcm: Pcm, settings: EndpointSettings = SILERO) -> list[Segment]:
    endpointer = Endpointer(settings)
    found: list[Segment] = []
    for frame in frames_of(pcm):
        found += endpointer.feed(frame)
    return found + endpointer.flush()


def next_clip() -> tuple[Pcm, float, float]:
    """A flite "next" after a second of silence, with a second after; where it is."""
    speech = synthesize("next", VOICE)
    pcm = np.concatenate([silence(LEAD_S), speech, silence(1.0)])
    return pcm, LEAD_S, LEAD_S + len(speech) / SAMPLE_RATE


# The wrapper.


@needs_silero
def test_one_probability_per_window_however_the_audio_is_chunked() -> None:
    rng = np.random.default_rng(0)
    pcm = white_noise(5000, rng)
    whole = SileroVad().feed(pcm)
    assert len(whole) == 5000 // WINDOW_SAMPLES
    chunked = SileroVad()
    probs = chunked.feed(pcm[:0])  # an empty chunk is fine too
    start = 0
    for size in (1, 100, 511, 700, 13, 3000, 1000):
        probs += chunked.feed(pcm[start : start + size])
        start += size
    assert probs == whole
    assert chunked.windows_done == len(whole)
    assert chunked.buffered == 5000 % WINDOW_SAMPLES
    # The leftover samples are judged, padded with silence, at the end of the stream.
    assert len(chunked.flush()) == 1
    assert chunked.buffered == 0
    assert chunked.flush() == []


@needs_silero
@needs_flite
def test_speech_scores_high_and_silence_low() -> None:
    pcm, start, end = next_clip()
    probs = np.array(SileroVad().feed(pcm))
    t = (np.arange(len(probs)) + 0.5) * WINDOW_S
    assert probs[(t > start + 0.1) & (t < end - 0.1)].min() > 0.8
    assert probs[(t < start - 0.1) | (t > end + 0.3)].max() < 0.2


@needs_silero
@needs_flite
def test_reset_forgets_the_recurrent_state() -> None:
    pcm, _, _ = next_clip()
    fresh = SileroVad().feed(pcm)
    used = SileroVad()
    used.feed(synthesize("go back", VOICE)[:-100])  # stops mid-window and mid-word
    assert used.feed(pcm) != fresh  # the state carries over...
    used.reset()
    assert used.feed(pcm) == fresh  # ...until reset
    assert used.windows_done == len(fresh)


# Failing to load: one line, so the caller can say it and fall back to webrtc.


def test_a_missing_model_is_an_audio_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(vad, "default_model_path", lambda: tmp_path / "silero_vad_v6.onnx")
    with pytest.raises(AudioError, match="model not found") as error:
        SileroVad()
    assert "\n" not in str(error.value)
    with pytest.raises(AudioError):
        Endpointer(EndpointSettings(detector="silero"))
    # The default detector does not need the model.
    Endpointer()


def test_a_corrupt_model_is_an_audio_error(tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    bad = tmp_path / "silero.onnx"
    bad.write_bytes(b"not a model\n" * 10)
    with pytest.raises(AudioError, match="cannot be loaded") as error:
        SileroVad(bad)
    assert "\n" not in str(error.value)


def test_missing_onnxruntime_is_an_audio_error(monkeypatch: pytest.MonkeyPatch) -> None:
    vad._session.cache_clear()
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # `import onnxruntime` now fails
    try:
        with pytest.raises(AudioError, match="onnxruntime"):
            SileroVad(Path(__file__))
    finally:
        vad._session.cache_clear()


def test_missing_faster_whisper_is_an_audio_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(AudioError, match="faster-whisper"):
        vad.default_model_path()


def test_the_default_model_is_found_in_the_installed_package() -> None:
    pytest.importorskip("faster_whisper")
    path = vad.default_model_path()
    assert path.is_file() and path.name == "silero_vad_v6.onnx"


def test_an_unknown_detector_is_refused() -> None:
    with pytest.raises(ValueError, match="detector"):
        Endpointer(EndpointSettings(detector="nope"))  # type: ignore[arg-type]


# The endpointer with Silero deciding.


@needs_silero
@needs_flite
@pytest.mark.parametrize("noise", ["clean", "white", "pink"])
def test_next_is_found_with_its_boundaries(noise: str) -> None:
    pcm, start, end = next_clip()
    rng = np.random.default_rng(5)
    if noise == "white":
        pcm = mix_at_snr(pcm, white_noise(len(pcm), rng), 5.0)
    elif noise == "pink":
        pcm = mix_at_snr(pcm, pink_noise(len(pcm), rng), 5.0)
    (segment,) = segments(pcm)
    assert segment.start_s == pytest.approx(start, abs=0.15)
    assert segment.end_s == pytest.approx(end, abs=0.15)
    assert not segment.too_long
    # Decided when the frame completing the Silero window that showed the hangover's
    # last frame to be silence arrived: no sooner (that audio was not there yet), no later.
    closing_frame_end = segment.end_s + round(SILERO.hangover_s / FRAME_S) * FRAME_S
    window_end = math.ceil(closing_frame_end / WINDOW_S - 1e-6) * WINDOW_S
    assert segment.decided_s == pytest.approx(math.ceil(window_end / FRAME_S - 1e-6) * FRAME_S)
    assert segment.decided_s - end <= SILERO.hangover_s + 0.15 + WINDOW_S + FRAME_S
    assert len(segment.pcm) / SAMPLE_RATE >= (segment.end_s - segment.start_s) + 0.25


@needs_silero
@needs_flite
def test_next_is_covered_in_babble_but_babble_is_speech_too() -> None:
    """At 5 dB babble Silero hears the word, and the talkers behind it as speech as well."""
    pcm, start, end = next_clip()
    pcm = mix_at_snr(pcm, babble(len(pcm), np.random.default_rng(6), BABBLE, TALKERS), 5.0)
    found = segments(pcm)
    assert any(s.start_s <= start + 0.05 and s.end_s >= end - 0.05 for s in found)


@needs_silero
@needs_flite
@pytest.mark.xfail(reason="Silero takes babble for speech: the segment spans the talkers too")
def test_next_in_babble_has_its_boundaries() -> None:
    pcm, start, end = next_clip()
    pcm = mix_at_snr(pcm, babble(len(pcm), np.random.default_rng(6), BABBLE, TALKERS), 5.0)
    (segment,) = segments(pcm)
    assert segment.start_s == pytest.approx(start, abs=0.15)
    assert segment.end_s == pytest.approx(end, abs=0.15)


@needs_silero
def test_silence_and_noise_alone_give_nothing() -> None:
    rng = np.random.default_rng(7)
    assert segments(silence(5.0)) == []
    assert segments(white_noise(5 * SAMPLE_RATE, rng)) == []
    assert segments(pink_noise(5 * SAMPLE_RATE, rng)) == []


@needs_silero
@needs_flite
def test_several_commands_are_separate_segments_in_order() -> None:
    parts = [silence(0.5)]
    for word in ("next", "pause", "stop"):
        parts += [synthesize(word, VOICE), silence(1.0)]
    found = segments(np.concatenate(parts))
    assert len(found) == 3
    assert [s.start_s for s in found] == sorted(s.start_s for s in found)


@needs_silero
@needs_flite
def test_speech_running_into_the_end_of_the_stream_is_flushed() -> None:
    speech = synthesize("repeat", VOICE)
    pcm = np.concatenate([silence(0.5), speech])
    (segment,) = segments(pcm)
    assert segment.start_s == pytest.approx(0.5, abs=0.15)
    # Decided when the stream ended, not before.
    assert segment.decided_s == pytest.approx(len(pcm) / SAMPLE_RATE, abs=FRAME_S)


@needs_silero
@needs_flite
def test_long_talk_is_cut_off_as_too_long() -> None:
    # Several people talking at once for 10 s: speech to Silero, with no pause in it.
    talk = babble(10 * SAMPLE_RATE, np.random.default_rng(9), BABBLE, TALKERS)
    found = segments(np.concatenate([silence(0.5), talk, silence(1.0)]))
    assert found and found[0].too_long
    assert all(s.end_s - s.start_s <= SILERO.max_speech_s + 0.2 for s in found)


@needs_silero
@needs_flite
def test_endpointer_reset_forgets_the_stream_and_silero_state() -> None:
    pcm, _, _ = next_clip()
    endpointer = Endpointer(SILERO)
    for frame in frames_of(np.concatenate([silence(0.3), synthesize("go back", VOICE)[:-500]])):
        endpointer.feed(frame)
    endpointer.reset()
    assert endpointer.flush() == []
    # After a reset the same clip gives exactly what a new endpointer gives.
    again: list[Segment] = []
    for frame in frames_of(pcm):
        again += endpointer.feed(frame)
    again += endpointer.flush()
    first = segments(pcm)
    assert [(s.start_s, s.end_s, s.decided_s) for s in again] == [
        (s.start_s, s.end_s, s.decided_s) for s in first
    ]
