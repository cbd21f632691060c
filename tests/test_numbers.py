"""Number words, both ways: what a countdown says and what a guide's duration reads."""

from __future__ import annotations

import pytest

from voice.numbers import SAID_UP_TO, number_word, word_value


def test_counts_up_to_twenty_are_words() -> None:
    assert [number_word(n) for n in (0, 5, 20)] == ["Zero", "Five", "Twenty"]
    assert number_word(SAID_UP_TO + 1) == "21"
    assert number_word(-1) == "-1"


@pytest.mark.parametrize(
    ("words", "value"),
    [("seven", 7), ("thirty-five", 35), ("thirty five", 35), ("ninety", 90), ("lots", None)],
)
def test_word_value(words: str, value: int | None) -> None:
    assert word_value(words) == value


def test_every_said_count_reads_back() -> None:
    for n in range(SAID_UP_TO + 1):
        assert word_value(number_word(n).lower()) == n
