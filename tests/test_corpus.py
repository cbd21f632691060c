"""The hearing corpus: deterministic, honestly labelled, timed right, split apart."""

from __future__ import annotations

import itertools
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from voice.audio import SAMPLE_RATE
from voice.commands import Vocabulary
from voice.guides.library import load_library
from voice.intents import Command, Intent
from voice.listening.context import Context
from voice.testing import chatter, human, sounds
from voice.testing.corpus import (
    CONDITIONS,
    DEFAULT_SIZE,
    NOISES,
    SPLIT_SPEEDS,
    SPLIT_VOICES,
    Clip,
    babble_voices,
    build_corpus,
    build_stream,
    human_corpus,
    place,
    plan_corpus,
    speaker_of,
    split_chatter,
    split_voices,
)
from voice.testing.voices import (
    Voice,
    available_voices,
    mix_at_snr,
    pink_noise,
    synthesize,
    white_noise,
    write_wav,
)

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
        "use the band": Command(Intent.CHOOSE, "band"),
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


@pytest.mark.parametrize("noise", NOISES)
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
    assert {noise for noise, _ in CONDITIONS} == {"clean", "white", "pink", "babble", "music", "tv"}
    assert {snr for _, snr in CONDITIONS} == {None, 20.0, 10.0, 5.0}
    assert max(by_condition.values()) - min(by_condition.values()) <= 4


def test_the_default_test_split_holds_a_thousand_clips_of_every_kind() -> None:
    assert DEFAULT_SIZE >= 1000
    plans = plan_corpus("test", vocabulary=Phrases())
    assert len(plans) == DEFAULT_SIZE
    assert set(Counter(p.kind for p in plans)) == {"command", "name", "chatter", "nonspeech"}


def test_each_clip_is_heard_in_the_context_it_would_be_said_in() -> None:
    plans = plan_corpus("dev", size=200, vocabulary=Phrases())
    for plan in plans:
        if plan.expected is None:
            continue
        if plan.expected.intent is Intent.START:
            assert plan.context is Context.WAITING
        elif plan.expected.intent is Intent.CHOOSE:
            assert plan.context is Context.CHOOSING
        else:
            assert plan.context is Context.EXERCISE
    for kind in ("chatter", "nonspeech"):
        contexts = [p.context for p in plans if p.kind == kind]
        assert contexts[:4] == [Context.WAITING, Context.EXERCISE] * 2
        assert abs(contexts.count(Context.WAITING) - contexts.count(Context.EXERCISE)) <= 1


def test_dev_and_test_share_no_voice_speed_chatter_or_talker() -> None:
    dev_voices = {(v.engine, v.name) for v in split_voices("dev")}
    test_voices = {(v.engine, v.name) for v in split_voices("test")}
    assert dev_voices and test_voices and not dev_voices & test_voices
    # Not even the same speaker through another synthesizer, nor an espeak-ng variant.
    assert not set(SPLIT_VOICES["dev"]) & set(SPLIT_VOICES["test"])
    dev_speakers = {speaker_of(Voice(*key)) for key in SPLIT_VOICES["dev"]}
    test_speakers = {speaker_of(Voice(*key)) for key in SPLIT_VOICES["test"]}
    assert not dev_speakers & test_speakers
    assert speaker_of(Voice("flite", "kal16")) == speaker_of(Voice("festival", "kal_diphone"))
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


def test_every_installed_synthesizer_lends_both_splits_several_voices() -> None:
    for split in ("dev", "test"):
        voices = {(v.engine, v.name) for v in split_voices(split)}
        if shutil.which("flite"):
            assert sum(engine == "flite" for engine, _ in voices) >= 2
        if shutil.which("espeak-ng"):
            assert sum(engine == "espeak-ng" for engine, _ in voices) >= 8
        if any(v.engine == "festival" for v in available_voices()):
            assert any(engine == "festival" for engine, _ in voices)


@pytest.mark.skipif(not shutil.which("text2wave"), reason="festival not installed")
def test_festival_voices_speak_at_the_asked_speed() -> None:
    festival = sorted({v.name for v in available_voices() if v.engine == "festival"})
    if not festival:
        pytest.skip("no festival voice installed")
    for name in festival:
        normal = synthesize("go back to the previous step", Voice("festival", name, 1.0))
        fast = synthesize("go back to the previous step", Voice("festival", name, 1.2))
        assert len(normal) > 0.5 * SAMPLE_RATE
        assert len(fast) < 0.93 * len(normal), name


def test_music_and_tv_backgrounds_fill_the_clip() -> None:
    rng = np.random.default_rng(3)
    n = 3 * SAMPLE_RATE
    music = sounds.music_noise(n, rng)
    tv = sounds.tv_noise(n, rng, chatter.BABBLE, babble_voices("dev"))
    for noise in (music, tv):
        assert len(noise) == n
        quarters = noise.reshape(4, -1).astype(np.float64)
        assert all(np.sqrt(np.mean(q**2)) > 300 for q in quarters)


def test_the_real_vocabulary_gives_every_intent_and_every_exercise_its_turn() -> None:
    vocabulary = Vocabulary.from_library(load_library().library)
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


# --- human speech -------------------------------------------------------------------------


def _recording(name: str, words: tuple[human.Word, ...]) -> human.Recording:
    rng = np.random.default_rng(0)
    pcm = (1000 * rng.standard_normal(8 * SAMPLE_RATE)).astype(np.int16)
    utterances = (("ten of clubs", 1.0, 2.0), ("go forward", 5.0, 6.5))
    return human.Recording("test", name, pcm, utterances, words, "BSD")


def test_a_recording_is_cut_into_utterances_windows_and_words() -> None:
    recording = _recording("a", (("ten", 1.0, 1.3), ("stop", 5.0, 5.4)))
    pieces = list(human.pieces(recording, phrases=["stop", "next"]))
    kinds = Counter(p.kind for p in pieces)
    # Windows at 0, 1.5, 3.0, 4.5 s; the one at 3.0-6.0 holds "go forward", all hold speech.
    assert kinds == {"human_utterance": 2, "human_window": 4, "human_word": 1, "human_command": 1}
    for piece in pieces:
        assert 0 <= piece.speech_start_s < piece.speech_end_s <= len(piece.pcm) / SAMPLE_RATE
        if piece.kind == "human_window":
            assert len(piece.pcm) == 3 * SAMPLE_RATE
    utterance = next(p for p in pieces if p.kind == "human_utterance")
    assert utterance.speech_end_s - utterance.speech_start_s == pytest.approx(1.0)
    word = next(p for p in pieces if p.kind == "human_command")
    assert word.text == "stop"
    assert word.speech_end_s - word.speech_start_s == pytest.approx(0.4)


def test_dev_and_test_hear_alternate_recordings() -> None:
    recordings = [_recording(name, ()) for name in "abcde"]
    dev = {r.name for r in human.split_of(recordings, "dev")}
    test = {r.name for r in human.split_of(recordings, "test")}
    assert dev == {"a", "c", "e"} and test == {"b", "d"}
    assert {r.name for r in human.split_of(recordings, "all")} == set("abcde")


def test_a_folder_of_named_recordings_measures_human_commands(tmp_path: Path) -> None:
    voice = split_voices("test")[0]
    for name, text in (("stop_1", "stop"), ("stop-2", "stop"), ("hello", "hello there")):
        pcm = np.concatenate([np.zeros(SAMPLE_RATE // 2, np.int16), synthesize(text, voice)])
        write_wav(tmp_path / f"{name}.wav", pcm)
    clips, report = human_corpus("test", vocabulary=Phrases(), folder=tmp_path)
    assert any("folder: 3 recordings" in line for line in report)
    mine = [c for c in clips if c.source.startswith("dir:")]
    assert Counter(c.kind for c in mine) == {"human_command": 2, "human_word": 1}
    for clip in mine:
        if clip.kind == "human_command":
            assert clip.expected == Command(Intent.STOP)
            assert clip.context is Context.EXERCISE
            assert clip.speech_start_s == pytest.approx(0.5, abs=0.05)
        else:
            assert clip.expected is None


def test_missing_human_sources_are_skipped_in_one_line_each() -> None:
    lines = human.sources_report([])
    assert len(lines) == 2
    assert all(line.endswith("skipped") for line in lines)


@pytest.mark.skipif(not human.DEBIAN_DIR.is_dir(), reason="pocketsphinx-testdata not installed")
def test_debian_recordings_give_each_split_human_speech_that_expects_nothing() -> None:
    found = human.debian_recordings()
    assert len(found) == 14
    seen: dict[str, set[str]] = {}
    for split in ("dev", "test"):
        clips, report = human_corpus(split, vocabulary=Phrases())  # type: ignore[arg-type]
        assert any("pocketsphinx-testdata: 14 recordings" in line for line in report)
        kinds = Counter(c.kind for c in clips)
        assert kinds["human_utterance"] >= 7 and kinds["human_window"] >= 2
        assert kinds["human_word"] >= 10
        assert all(c.expected is None for c in clips if c.kind != "human_command")
        contexts = Counter(c.context for c in clips)
        assert abs(contexts[Context.WAITING] - contexts[Context.EXERCISE]) <= 1
        seen[split] = {c.source for c in clips}
    assert not seen["dev"] & seen["test"]
