"""The hearing corpus: deterministic, honestly labelled, timed right, split apart."""

from __future__ import annotations

import itertools
import shutil
from collections import Counter
from collections.abc import Iterator
from typing import ClassVar

import numpy as np
import pytest

from voice.intents import Command, Intent
from voice.listening.audio import SAMPLE_RATE
from voice.testing import chatter
from voice.testing.corpus import (
    CONDITIONS,
    SPLIT_SPEEDS,
    Clip,
    babble_voices,
    build_corpus,
    build_stream,
    place,
    plan_corpus,
    split_chatter,
    split_voices,
)
from voice.testing.voices import mix_at_snr, pink_noise, synthesize, white_noise

pytestmark = pytest.mark.skipif(
    not (shutil.which("flite") or shutil.which("espeak-ng")), reason="no speech synthesizer"
)


class Phrases:
    """A small vocabulary standing in for `voice.commands.Vocabulary`."""

    table: ClassVar[dict[str, Command]] = {
        "next": Command(Intent.NEXT),
        "okay next": Command(Intent.NEXT),
        "go back": Command(Intent.BACK),
        "go back please": Command(Intent.BACK),
        "stop": Command(Intent.STOP),
        "start the wall sit": Command(Intent.START, "wallsit_bodyweight"),
        "wall sit": Command(Intent.START, "wallsit_bodyweight"),
        "side plank": Command(Intent.START, "sideplank_bodyweight"),
    }

    def samples(self) -> Iterator[tuple[str, Command]]:
        yield from self.table.items()


@pytest.fixture(scope="module")
def dev() -> list[Clip]:
    return build_corpus("dev", size=40, vocabulary=Phrases())


def test_same_seed_same_corpus_other_seed_other_corpus(dev: list[Clip]) -> None:
    again = build_corpus("dev", size=40, vocabulary=Phrases())
    assert [c.text for c in again] == [c.text for c in dev]
    assert all(np.array_equal(a.pcm, b.pcm) for a, b in zip(again, dev, strict=True))
    other = build_corpus("dev", size=40, seed=1, vocabulary=Phrases())
    assert any(not np.array_equal(a.pcm, b.pcm) for a, b in zip(other, dev, strict=True))


def test_labels_follow_the_vocabulary_and_chatter_expects_nothing(dev: list[Clip]) -> None:
    kinds = Counter(c.kind for c in dev)
    assert kinds == {"command": 16, "name": 10, "chatter": 10, "nonspeech": 4}
    for clip in dev:
        if clip.kind in ("command", "name"):
            assert clip.expected == Phrases.table[clip.text]
            assert (clip.kind == "name") == (clip.expected.intent is Intent.START)
        else:
            assert clip.expected is None
    # Every intent and every exercise of the vocabulary comes round.
    assert {c.expected for c in dev if c.expected} >= set(Phrases.table.values())


def test_clean_speech_lies_exactly_within_its_stated_interval(dev: list[Clip]) -> None:
    clean = [c for c in dev if c.noise == "clean"]
    assert clean
    for clip in clean:
        start = round(clip.speech_start_s * SAMPLE_RATE)
        end = round(clip.speech_end_s * SAMPLE_RATE)
        assert 0.5 <= clip.speech_start_s <= 1.0
        assert clip.duration_s - clip.speech_end_s == pytest.approx(0.8, abs=1e-3)
        assert not clip.pcm[:start].any() and not clip.pcm[end:].any()
        assert clip.pcm[start] != 0 and clip.pcm[end - 1] != 0


def test_noisy_speech_is_louder_inside_its_interval_than_outside(dev: list[Clip]) -> None:
    for clip in dev:
        if clip.snr_db != 20 or clip.kind == "nonspeech":
            continue
        x = clip.pcm.astype(np.float64)
        start = round(clip.speech_start_s * SAMPLE_RATE)
        end = round(clip.speech_end_s * SAMPLE_RATE)
        outside = np.concatenate([x[:start], x[end:]])
        assert np.mean(x[start:end] ** 2) > 3 * np.mean(outside**2), clip.text


@pytest.mark.parametrize("noise", ["white", "pink", "babble"])
@pytest.mark.parametrize("snr_db", [20.0, 10.0, 5.0])
def test_clip_noise_is_at_the_stated_snr(noise: str, snr_db: float) -> None:
    talkers = babble_voices("dev")
    speech = synthesize("okay next", split_voices("dev")[0])
    clean, start, end = place(speech, np.random.default_rng(7), "clean", None, talkers)
    noisy, start2, end2 = place(speech, np.random.default_rng(7), noise, snr_db, talkers)  # type: ignore[arg-type]
    assert (start, end) == (start2, end2)
    s = clean.astype(np.float64)
    n = noisy.astype(np.float64) - s
    voiced = s[np.abs(s) > 0.05 * np.abs(s).max()]
    measured = 10 * np.log10(np.mean(voiced**2) / np.mean(n**2))
    assert measured == pytest.approx(snr_db, abs=0.3)
    # Noise covers the whole clip, lead-in and tail included.
    quarter = len(n) // 4
    assert all(np.mean(part**2) > 0 for part in (n[:quarter], n[-quarter:]))


def test_mix_at_snr_scales_the_noise_not_the_speech() -> None:
    rng = np.random.default_rng(0)
    speech = (3000 * np.sin(np.arange(16000) / 5)).astype(np.int16)
    for make in (white_noise, pink_noise):
        noise = make(16000, rng)
        mixed = mix_at_snr(speech, noise, 10.0).astype(np.float64)
        residue = mixed - speech
        s = speech.astype(np.float64)
        voiced = s[np.abs(s) > 0.05 * np.abs(s).max()]  # silence does not count as speech
        ratio = 10 * np.log10(np.mean(voiced**2) / np.mean(residue**2))
        assert ratio == pytest.approx(10.0, abs=0.1)


def test_conditions_are_balanced() -> None:
    plans = plan_corpus("test", size=200, vocabulary=Phrases())
    by_condition = Counter((p.noise, p.snr_db) for p in plans)
    assert set(by_condition) == set(CONDITIONS)
    assert max(by_condition.values()) - min(by_condition.values()) <= 4


def test_dev_and_test_share_no_voice_speed_chatter_or_talker() -> None:
    dev_voices = {(v.engine, v.name) for v in split_voices("dev")}
    test_voices = {(v.engine, v.name) for v in split_voices("test")}
    assert dev_voices and test_voices and not dev_voices & test_voices
    assert not set(SPLIT_SPEEDS["dev"]) & set(SPLIT_SPEEDS["test"])
    assert not set(split_chatter("dev")) & set(split_chatter("test"))
    assert set(split_chatter("dev")) | set(split_chatter("test")) == {
        s for group in chatter.ALL for s in group
    }
    assert not set(babble_voices("dev")) & set(babble_voices("test"))
    dev_plan = plan_corpus("dev", size=100, vocabulary=Phrases())
    test_plan = plan_corpus("test", size=100, vocabulary=Phrases())
    dev_labels = {p.voice.label for p in dev_plan if p.voice}
    test_labels = {p.voice.label for p in test_plan if p.voice}
    assert not dev_labels & test_labels


def test_the_real_vocabulary_gives_every_intent_and_every_exercise_its_turn() -> None:
    commands = pytest.importorskip("voice.commands")
    library = pytest.importorskip("voice.guides.library")
    vocabulary = commands.Vocabulary.from_library(library.load_library().library)
    everything = dict(vocabulary.samples())
    plans = plan_corpus("dev", size=1000, vocabulary=vocabulary)
    for plan in plans:
        if plan.expected is not None:
            assert everything[plan.text] == plan.expected
    heard = {p.expected for p in plans if p.expected}
    intents = {c.intent for c in everything.values()}
    assert {c.intent for c in heard} == intents
    exercises = {c.arg for c in everything.values() if c.intent is Intent.START}
    assert {c.arg for c in heard if c.intent is Intent.START} == exercises


def test_a_stream_places_each_clip_after_its_gap(dev: list[Clip]) -> None:
    clips = dev[:3]
    stream = build_stream(clips, gap_s=1.5)
    assert len(stream.pcm) == sum(len(c.pcm) for c in clips) + 3 * round(1.5 * SAMPLE_RATE)
    spoken = stream.spoken()
    assert [e for _, _, e in spoken] == [c.expected for c in clips]
    first_start, first_end, _ = spoken[0]
    assert first_start == pytest.approx(1.5 + clips[0].speech_start_s)
    assert first_end - first_start == pytest.approx(clips[0].speech_end_s - clips[0].speech_start_s)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spoken))
