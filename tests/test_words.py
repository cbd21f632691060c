"""Words to match: one rule per kind of comparison, each differing only where it must."""

from __future__ import annotations

from voice.words import letter_words, name_words, normalize, words


def test_command_words_keep_inner_apostrophes_and_digits() -> None:
    assert words("Let\u2019s do the 90-90 Stretch!") == [
        "let's",
        "do",
        "the",
        "90",
        "90",
        "stretch",
    ]
    assert normalize("  What's   NEXT? ") == "what's next"


def test_letter_words_drop_numbers() -> None:
    assert letter_words("Step 1: don\u2019t rush, 10 seconds left.") == [
        "step",
        "don't",
        "rush",
        "seconds",
        "left",
    ]


def test_name_words_break_at_every_other_character() -> None:
    assert name_words("Child's Pose (Push-ups 2x)") == ["child", "s", "pose", "push", "ups", "2x"]
