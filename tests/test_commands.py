"""The command vocabulary: every phrase maps to its own command; typed text is forgiving."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice.commands import INTENT_PHRASES, TEXT_PHRASES, Vocabulary
from voice.guides.library import load_library
from voice.guides.names import name_from_stem
from voice.intents import Command, Intent
from voice.words import normalize

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


@pytest.fixture(scope="module")
def library_vocabulary() -> Vocabulary:
    """The vocabulary the coach builds from the bundled library (plurals, groups)."""
    return Vocabulary.from_library(load_library().library)


TIME_LEFT = Command(Intent.TIME_LEFT)
NEXT = Command(Intent.NEXT)
BACK = Command(Intent.BACK)
STOP = Command(Intent.STOP)
REPEAT = Command(Intent.REPEAT)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how long is left", TIME_LEFT),
        ("how much time is left", TIME_LEFT),
        ("how long left", TIME_LEFT),
        ("How long is left?", TIME_LEFT),
        ("what's next", Command(Intent.WHATS_NEXT)),
        ("whats next?", Command(Intent.WHATS_NEXT)),
        ("go back one", BACK),
        ("back one", BACK),
        ("stop please", STOP),
        ("please stop", STOP),
        ("ok stop", STOP),
        ("stop it", STOP),
        ("Stop!!", STOP),
        ("please just stop it now", STOP),
        ("next one please", NEXT),
        ("NEXT.", NEXT),
        ("can you repeat that please", REPEAT),
        ("say it again", REPEAT),
        ("one more time", REPEAT),
        ("could you say it again please", REPEAT),
        ("let's do hip thrusts", Command(Intent.START, "Hip Thrust")),
        ("lets do hip thrusts", Command(Intent.START, "Hip Thrust")),
        ("start the wall sit", Command(Intent.START, "wallsit_bodyweight")),
        ("ok the wall sit please", Command(Intent.START, "wallsit_bodyweight")),
        ("Wall sit", Command(Intent.START, "wallsit_bodyweight")),
        ("ok let's do one arm row now", Command(Intent.START, "onearmrow_dumbbell")),
        ("the bodyweight", Command(Intent.CHOOSE, "bodyweight")),
        ("plese stop now", STOP),
    ],
)
def test_what_people_type(library_vocabulary: Vocabulary, text: str, expected: Command) -> None:
    assert library_vocabulary.match_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "one",
        "I can't stop thinking about lunch",
        "stop by the shop later",
        "don't stop me now",
        "I like pizza",
        "what's next on the list for dinner",
        "back one day",
        "please",
        "ok thank you",
        "just do it",
        "the",
        "how long is the drive",
    ],
)
def test_typed_chatter_is_no_command(library_vocabulary: Vocabulary, text: str) -> None:
    assert library_vocabulary.match_text(text) is None


def test_text_phrases_match_their_intent_and_stay_out_of_the_grammar(
    library_vocabulary: Vocabulary,
) -> None:
    grammar = dict(library_vocabulary.samples())
    for intent, phrases in TEXT_PHRASES.items():
        for phrase in phrases:
            assert library_vocabulary.match_text(phrase) == Command(intent), phrase
            assert normalize(phrase) not in grammar, phrase


def test_a_group_arg_is_the_group_name_for_every_phrase_of_it(
    library_vocabulary: Vocabulary,
) -> None:
    library = load_library().library
    groups = {name for name, guides in library.groups().items() if len(guides) > 1}
    assert "Hip Thrust" in groups
    for phrase, ids in library.spoken_names().items():
        arg = library_vocabulary.exercise_phrases[phrase]
        assert arg in groups if len(ids) > 1 else arg == ids[0], phrase


class SharedAliasLibrary(FakeLibrary):
    """ "bridge" names guides of two different groups."""

    def spoken_names(self) -> dict[str, tuple[str, ...]]:
        return {**super().spoken_names(), "bridge": ("hipthrust_barbell", "glutebridge_band")}

    def groups(self) -> dict[str, tuple[FakeGuide, ...]]:
        return {**super().groups(), "Glute Bridge": (FakeGuide("glutebridge_band", "band"),)}


def test_a_phrase_of_several_groups_keeps_the_phrase() -> None:
    vocabulary = Vocabulary.from_library(SharedAliasLibrary())
    assert vocabulary.match_text("bridge") == Command(Intent.START, "bridge")
    assert vocabulary.match_text("hip thrust") == Command(Intent.START, "Hip Thrust")
