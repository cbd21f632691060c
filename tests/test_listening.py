"""The pocketsphinx listener (the fallback engine) end to end on synthesized speech:
commands heard, chatter rejected, times sane. The default engine's own tests are in
test_listening_neural.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.test_commands import stem_phrases
from voice.audio import FRAME_S, SAMPLE_RATE, Pcm
from voice.audio.sources import PcmSource
from voice.commands import Vocabulary
from voice.intents import Command, Intent
from voice.listening.factory import build_listener
from voice.listening.listener import Listener, ListenerSettings, hear
from voice.listening.utterance import Utterance
from voice.testing.voices import Voice, mix_at_snr, silence, synthesize, white_noise, write_wav

pytestmark = pytest.mark.skipif(not shutil.which("flite"), reason="flite is not installed")

EXERCISES = Path(__file__).resolve().parents[1] / "exercises"
VOICES = (Voice("flite", "slt"), Voice("flite", "rms"), Voice("flite", "kal16"))


@pytest.fixture(scope="module")
def listener(tmp_path_factory: pytest.TempPathFactory) -> Listener:
    cache = tmp_path_factory.mktemp("cache")
    settings = ListenerSettings(cache_dir=cache)
    return build_listener(Vocabulary(stem_phrases()), engine="pocketsphinx", settings=settings)


def padded(speech: Pcm, before: float = 0.6, after: float = 0.8) -> Pcm:
    return np.concatenate([silence(before), speech, silence(after)])


def spoken_in_turn(texts: list[str], voice: Voice) -> tuple[Pcm, list[tuple[float, float]]]:
    """`texts` said one after another with 1.5 s pauses, and where each is in the audio."""
    parts: list[Pcm] = [silence(1.0)]
    spans: list[tuple[float, float]] = []
    t = 1.0
    for text in texts:
        speech = synthesize(text, voice)
        spans.append((t, t + len(speech) / SAMPLE_RATE))
        parts += [speech, silence(1.5)]
        t += len(speech) / SAMPLE_RATE + 1.5
    return np.concatenate(parts), spans


def run(listener: Listener, pcm: Pcm) -> list[Utterance]:
    listener.reset()
    return list(hear(PcmSource(pcm), listener))


def commands(utterances: list[Utterance]) -> list[Command]:
    return [u.command for u in utterances if u.command is not None]


CASES = [
    ("next", Command(Intent.NEXT)),
    ("okay next", Command(Intent.NEXT)),
    ("go back", Command(Intent.BACK)),
    ("can you repeat that", Command(Intent.REPEAT)),
    ("pause", Command(Intent.PAUSE)),
    ("resume", Command(Intent.RESUME)),
    ("stop", Command(Intent.STOP)),
    ("skip", Command(Intent.SKIP)),
    ("how much longer", Command(Intent.TIME_LEFT)),
    ("start the wall sit", Command(Intent.START, "wallsit_bodyweight")),
    ("let's do side plank", Command(Intent.START, "sideplank_bodyweight")),
    ("bodyweight hip thrust", Command(Intent.START, "hipthrust_bodyweight")),
    ("glute bridge", Command(Intent.START, "glutebridge_bodyweight")),
]


def test_commands_are_heard(listener: Listener) -> None:
    """Each command in three clean voices: at most one command per clip, rarely a wrong one,
    most heard right. (Measured today: flite's rms voice is the weak one.)"""
    missed: list[str] = []
    wrong: list[str] = []
    for text, expected in CASES:
        for voice in VOICES:
            heard = commands(run(listener, padded(synthesize(text, voice))))
            assert len(heard) <= 1
            if heard and heard != [expected]:
                wrong.append(f"{text} ({voice.label}) -> {heard}")
            elif not heard:
                missed.append(f"{text} ({voice.label})")
    total = len(CASES) * len(VOICES)
    assert len(wrong) <= 2, wrong
    assert len(missed) + len(wrong) <= total // 4, (missed, wrong)


CHATTER = [
    "I think we should order pizza tonight",
    "where did you put the car keys",
    "my sister called me yesterday afternoon",
    "the weather is lovely this morning",
]


@pytest.mark.parametrize("text", CHATTER)
def test_chatter_is_not_a_command(listener: Listener, text: str) -> None:
    for voice in VOICES[:2]:
        utterances = run(listener, padded(synthesize(text, voice)))
        assert utterances, "speech should still be reported, as no command"
        assert commands(utterances) == [], f"{text!r} ({voice.label}) -> {utterances}"


def test_a_stream_gives_each_command_once_in_order(listener: Listener) -> None:
    # Phrases this voice is heard saying right on their own (test_commands_are_heard
    # covers recognition); this test is about segmentation, order and timing.
    texts = ["start the wall sit", "next", "skip", "go back", "stop"]
    pcm, spans = spoken_in_turn(texts, VOICES[0])
    utterances = run(listener, pcm)
    heard = [u for u in utterances if u.command is not None]
    assert [u.command for u in heard] == [
        Command(Intent.START, "wallsit_bodyweight"),
        Command(Intent.NEXT),
        Command(Intent.SKIP),
        Command(Intent.BACK),
        Command(Intent.STOP),
    ]
    for u, (start, end) in zip(heard, spans, strict=True):
        assert u.start_s == pytest.approx(start, abs=0.2)  # a soft "s" onset can be late
        assert u.end_s == pytest.approx(end, abs=0.15)
        assert 0.0 < u.decided_s - u.end_s <= 0.4
        assert 0.5 <= u.confidence <= 1.0


@pytest.mark.xfail(
    strict=True,
    reason="known gap: in white noise at 20 dB this 'next' is decoded as 'dead' (see report)",
)
def test_noisy_command_is_still_heard(listener: Listener) -> None:
    rng = np.random.default_rng(3)
    speech = padded(synthesize("next", VOICES[0]))
    noisy = mix_at_snr(speech, white_noise(len(speech), rng), 20.0)
    assert commands(run(listener, noisy)) == [Command(Intent.NEXT)]


def test_silence_noise_and_clipping_give_no_commands(listener: Listener) -> None:
    rng = np.random.default_rng(5)
    assert run(listener, silence(30.0)) == []
    assert commands(run(listener, white_noise(10 * SAMPLE_RATE, rng))) == []
    clipped = np.clip(
        padded(synthesize("the weather is lovely", VOICES[0])).astype(int) * 50, -32768, 32767
    ).astype(np.int16)
    assert commands(run(listener, clipped)) == []


def test_long_continuous_sound_is_cut_and_not_a_command(listener: Listener) -> None:
    rng = np.random.default_rng(7)
    # Ten seconds of continuous speech-like sound: sentences back to back, no pauses.
    talk = np.concatenate([synthesize(s, v) for s in CHATTER for v in VOICES])[: 10 * SAMPLE_RATE]
    utterances = run(listener, padded(talk + (white_noise(len(talk), rng) // 50)))
    assert commands(utterances) == []
    assert all(u.end_s - u.start_s <= 4.5 for u in utterances)


def test_to_json_contract(listener: Listener) -> None:
    (u,) = run(listener, padded(synthesize("next", VOICES[0])))
    obj = u.to_json("a.wav")
    assert set(obj) == {
        "file",
        "start_s",
        "end_s",
        "decided_s",
        "intent",
        "arg",
        "text",
        "confidence",
    }
    assert obj["intent"] == "next" and obj["text"] == "next"
    json.dumps(obj)


def test_decided_soon_after_speech(listener: Listener) -> None:
    (u,) = run(listener, padded(synthesize("stop", VOICES[1]), after=2.0))
    assert u.decided_s - u.end_s <= 0.3 + FRAME_S


def test_cli_hears_files_and_reports_bad_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import argparse

    from voice.listening import cli

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    good = write_wav(tmp_path / "good.wav", padded(synthesize("go back", VOICES[0])))
    bad = tmp_path / "bad.wav"
    bad.write_text("not audio")
    other = write_wav(tmp_path / "other.wav", padded(synthesize("next", VOICES[0])))
    args = argparse.Namespace(exercises=[EXERCISES], wavs=[good, bad, other])
    assert cli.main(args) == 1
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(x["file"], x["intent"]) for x in lines] == [(str(good), "back"), (str(other), "next")]
    assert err.count("\n") == 1 and "bad.wav" in err
