"""Words to match: what two spellings of one phrase have in common.

What the coach matches arrives typed, transcribed or written in a guide ("Let's do
the Wall-Sit!"), and is compared with phrases it knows ("let's do the wall sit").
Case, punctuation and spacing never matter, and a typographic apostrophe (U+2019)
is the plain one. What counts as part of a word differs by what is compared, one rule
each, named here:

- `words`: letters and digits, and an apostrophe inside a word ("let's", "what's"):
  the command vocabulary's words, which are the recognizer's grammar words, spelt
  as the pronouncing dictionary spells them;
- `letter_words`: the same without digits, for comparing what was heard with what
  the coach said, and a section heading with the words of its role;
- `name_words`: letters and digits, any other character a break ("child's pose" is
  "child s pose"): the words of exercise names and the phrases made from them,
  which `voice.guides.library.spoken_key` joins again, so spacing and hyphens
  ("push-up", "push up", "pushup") do not matter.

Pure: stdlib only.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_LETTER_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_NAME_WORD = re.compile(r"[a-z0-9]+")


def _lower(text: str) -> str:
    """`text` in lower case, with a typographic apostrophe (U+2019) as a plain one."""
    return text.lower().replace("\u2019", "'")


def words(text: str) -> list[str]:
    """The lowercase words of `text`: letters and digits, an inner "'" kept."""
    return _WORD.findall(_lower(text))


def normalize(text: str) -> str:
    """Lower case words separated by single spaces; punctuation other than "'" dropped."""
    return " ".join(words(text))


def letter_words(text: str) -> list[str]:
    """The lowercase words of `text` without its numbers.

    Digits are no evidence where these are used: the coach says its counts as words
    ("Five.") that a transcript writes as "5", and a heading's number ("Step 1")
    says nothing of what the section is for.
    """
    return _LETTER_WORD.findall(_lower(text))


def name_words(text: str) -> list[str]:
    """The lowercase runs of letters and digits in `text`; everything else separates."""
    return _NAME_WORD.findall(text.lower())
