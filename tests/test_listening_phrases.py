"""Context and the phrase table: which phrases may be heard when, and what is near what."""

from __future__ import annotations

import pytest

from voice.commands import Vocabulary
from voice.guides.library import load_library
from voice.intents import Command, Intent
from voice.listening.context import Context, allows, context_for_state
from voice.listening.phrases import Heard, PhraseTable
from voice.pronounce import cmudict


@pytest.fixture(scope="module")
def table() -> PhraseTable:
    vocabulary = Vocabulary.from_library(load_library().library)
    return PhraseTable(vocabulary, cmudict().get)


def test_heard_splits_filler_and_collapses_repeats() -> None:
    assert Heard.of("Okay, hip thrust please.") == Heard("okay", "hip thrust", "please")
    assert Heard.of("Next. Next. Next.").core == "next"
    assert Heard.of("Hip thrust. Hip thrust. Hip").core == "hip thrust"
    assert Heard.of("and pause").core == "and pause"  # how Whisper hears "unpause"
    assert Heard.of("please").core == ""
    assert Heard("okay", "next", "").as_said("next step") == "okay next step"


def test_state_maps_to_context() -> None:
    assert context_for_state("waiting") is Context.WAITING
    assert context_for_state("finished") is Context.WAITING
    assert context_for_state("choosing") is Context.CHOOSING
    for state in ("intro", "reading", "holding", "ready", "paused"):
        assert context_for_state(state) is Context.EXERCISE


def test_context_rules() -> None:
    start = Command(Intent.START, "plank_bodyweight")
    choose = Command(Intent.CHOOSE, "band")
    nxt = Command(Intent.NEXT)
    assert allows(Context.WAITING, start, framed=False)
    assert not allows(Context.EXERCISE, start, framed=False)  # a bare name mid-exercise
    assert allows(Context.EXERCISE, start, framed=True)  # "start the plank" switches
    assert allows(Context.CHOOSING, choose, framed=False)
    assert not allows(Context.WAITING, choose, framed=False)
    assert not allows(Context.EXERCISE, choose, framed=False)
    assert all(allows(c, nxt, framed=False) for c in Context)
    assert all(allows(Context.ANY, c, framed=False) for c in (start, choose, nxt))


def test_phrases_by_context(table: PhraseTable) -> None:
    exercise = set(table.phrases(Context.EXERCISE))
    waiting = set(table.phrases(Context.WAITING))
    choosing = set(table.phrases(Context.CHOOSING))
    assert "next" in exercise and "next" in waiting
    assert "hip thrust" in waiting and "hip thrust" not in exercise
    assert "start the wall sit" in exercise
    assert "band" in choosing and "band" not in waiting and "band" not in exercise


def test_exact_phrase_is_the_only_match(table: PhraseTable) -> None:
    (match,) = table.closest("start over", Context.EXERCISE)
    assert match.phrase == "start over" and match.distance == 0.0
    assert match.command == Command(Intent.RESTART)


@pytest.mark.parametrize(
    ("misheard", "meant"),
    [
        ("keep on it", "key points"),  # Whisper's readings of synthesized commands
        ("scared it", "skip it"),
        ("rizzo", "resume"),
        ("priestard", "restart"),
        ("mac", "back"),
    ],
)
def test_near_homophones_are_among_the_candidates(
    table: PhraseTable, misheard: str, meant: str
) -> None:
    phrases = [m.phrase for m in table.closest(misheard, Context.EXERCISE, limit=3)]
    assert meant in phrases, phrases


def test_closest_respects_context(table: PhraseTable) -> None:
    near_name = [m.phrase for m in table.closest("hip thrust", Context.EXERCISE, limit=5)]
    assert "hip thrust" not in near_name
    assert all(table.command(p) is not None for p in near_name)


def test_distance_uses_sound(table: PhraseTable) -> None:
    assert table.distance("keep on it", "key points") < table.distance("keep on it", "stop")
    assert table.distance("", "next") == 1.0
