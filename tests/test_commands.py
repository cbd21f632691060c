"""The command vocabulary: every phrase maps to its own command; typed text is forgiving."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice.commands import INTENT_PHRASES, Vocabulary, normalize
from voice.guides.names import name_from_stem
from voice.intents import Command, Intent

EXERCISES = Path(__file__).resolve().parents[1] / "exercises"


def stem_phrases() -> dict[str, str]:
    """Exercise phrases from the bundled file names (independent of the library loader)."""
    phrases: dict[str, str] = {}
    for path in sorted(EXERCISES.glob("*.md")):
        name, equipment = name_from_stem(path.stem)
        phrases[name] = path.stem
        phrases[f"{equipment} {name}"] = path.stem
    return phrases


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary(stem_phrases())


def test_every_sample_maps_to_its_own_command(vocabulary: Vocabulary) -> None:
    samples = list(vocabulary.samples())
    assert len(samples) > 1000
    for phrase, command in samples:
        assert vocabulary.match_text(phrase) == command, phrase


def test_each_intent_has_phrases_and_samples(vocabulary: Vocabulary) -> None:
    intents = {command.intent for _, command in vocabulary.samples()}
    assert intents == set(Intent)
    for intent, phrases in INTENT_PHRASES.items():
        assert phrases, intent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("okay next", Command(Intent.NEXT)),
        ("Next, please!", Command(Intent.NEXT)),
        ("can you repeat that", Command(Intent.REPEAT)),
        ("go back", Command(Intent.BACK)),
        ("start the wall sit", Command(Intent.START, "wallsit_bodyweight")),
        ("let's do side plank", Command(Intent.START, "sideplank_bodyweight")),
        ("Let\u2019s do side plank", Command(Intent.START, "sideplank_bodyweight")),
        ("bodyweight hip thrust", Command(Intent.START, "hipthrust_bodyweight")),
        ("barbell", Command(Intent.CHOOSE, "barbell")),
        ("the dumbbell", Command(Intent.CHOOSE, "dumbbell")),
        ("how much longer", Command(Intent.TIME_LEFT)),
    ],
)
def test_phrases(vocabulary: Vocabulary, text: str, expected: Command) -> None:
    assert vocabulary.match_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nxet", Command(Intent.NEXT)),
        ("paus", Command(Intent.PAUSE)),
        ("repaet", Command(Intent.REPEAT)),
        ("strat the wall sit", Command(Intent.START, "wallsit_bodyweight")),
        ("side plnak", Command(Intent.START, "sideplank_bodyweight")),
    ],
)
def test_typos(vocabulary: Vocabulary, text: str, expected: Command) -> None:
    assert vocabulary.match_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "I think we should order pizza",
        "stop by the shop later",
        "next week maybe",
        "one two three",
        "x",
        "zzzz",
    ],
)
def test_not_commands(vocabulary: Vocabulary, text: str) -> None:
    assert vocabulary.match_text(text) is None


def test_ambiguous_typo_is_not_guessed() -> None:
    vocabulary = Vocabulary({"bat": "bat_x", "cat": "cat_x"})
    assert vocabulary.match_text("rat") is None  # two words equally near... and too short
    assert vocabulary.match_text("bat") == Command(Intent.START, "bat_x")


def test_command_phrases_win_over_exercise_names() -> None:
    vocabulary = Vocabulary({"stop": "stop_bodyweight"})
    assert vocabulary.match_text("stop") == Command(Intent.STOP)


def test_words_and_grammar(vocabulary: Vocabulary) -> None:
    words = vocabulary.words()
    assert {"next", "bodyweight", "glute", "wall", "sit"} <= words
    grammar = vocabulary.jsgf()
    assert "public <command>" in grammar
    assert "wall sit" in grammar
    assert "wall sit" not in vocabulary.jsgf(exclude={"wall"})


def test_normalize() -> None:
    assert normalize("  Let\u2019s  DO the Wall-Sit! ") == "let's do the wall sit"


class FakeGuide:
    def __init__(self, guide_id: str, equipment: str) -> None:
        self.id = guide_id
        self.equipment = equipment


class FakeLibrary:
    def spoken_names(self) -> dict[str, tuple[str, ...]]:
        return {
            "hip thrust": ("hipthrust_barbell", "hipthrust_bodyweight"),
            "barbell hip thrust": ("hipthrust_barbell",),
            "bodyweight hip thrust": ("hipthrust_bodyweight",),
        }

    def groups(self) -> dict[str, tuple[FakeGuide, ...]]:
        return {
            "Hip Thrust": (
                FakeGuide("hipthrust_barbell", "barbell"),
                FakeGuide("hipthrust_bodyweight", "bodyweight"),
            )
        }


def test_from_library_groups_variants() -> None:
    vocabulary = Vocabulary.from_library(FakeLibrary())
    assert vocabulary.match_text("hip thrust") == Command(Intent.START, "Hip Thrust")
    assert vocabulary.match_text("barbell hip thrust") == Command(Intent.START, "hipthrust_barbell")
    assert vocabulary.match_text("barbell") == Command(Intent.CHOOSE, "barbell")
