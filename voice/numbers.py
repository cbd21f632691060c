"""Numbers as words, both ways: the counts the coach says, the durations guides write.

A countdown says "Five", not "5", and a guide may write "hold for thirty seconds";
one table of number words serves the saying (`number_word`) and the reading
(`word_value`, and the patterns `voice.guides.holds` builds from `UNITS` and `TENS`).
Pure: stdlib only.
"""

from __future__ import annotations

import re

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip
"""The numbers below twenty, each one word."""
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
"""The tens, which a unit may follow ("thirty-five", "thirty five")."""

SAID_UP_TO = 20
"""Counts up to this are said as words; larger ones as digits, which synthesizers
read well enough, and a countdown only counts the last few seconds anyway."""

_VALUES = {**UNITS, **TENS}
_WORDS = {value: word for word, value in _VALUES.items()}


def number_word(n: int) -> str:
    """How a count is said: a capitalized word from zero to `SAID_UP_TO`
    (synthesizers say "5" oddly), digits otherwise."""
    return _WORDS[n].capitalize() if 0 <= n <= SAID_UP_TO else str(n)


def counted(number: int, noun: str) -> str:
    """ "1 set", "3 sets": a count with its noun, plural when it needs one."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def number_phrase(n: int) -> str:
    """`n` (0 to 99) in lowercase words, as people type it: "thirty", "forty five"."""
    if n in _WORDS:
        return _WORDS[n]
    tens, unit = divmod(n, 10)
    return f"{_WORDS[tens * 10]} {_WORDS[unit]}"


def word_value(words: str) -> int | None:
    """The number lowercase `words` spell ("seven", "thirty-five", "thirty five"), or
    None when any part is not a number word."""
    total = 0
    for part in re.split(r"[- ]", words):
        value = _VALUES.get(part)
        if value is None:
            return None
        total += value
    return total
