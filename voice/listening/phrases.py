"""The vocabulary's phrases as a recognizer compares heard text with them, by context.

A transcript ("Okay, hip thrust please.") is split into its filler ("okay",
"please") and its core ("hip thrust"); the core is compared with the core
phrases that fit the listening context, by spelling and by sound. Sound matters
because a neural recognizer's mistakes on a short command are near-homophones
("Keep on it." for "key points", "Scared it." for "skip it"), close in phones
and far in letters. Pure: text in, ranked phrases out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from voice.commands import CLOSERS, OPENERS, START_FRAMES, Vocabulary
from voice.intents import Command
from voice.listening.context import Context, allows
from voice.words import words as spoken_words

_EDGE_WORDS = frozenset(w for p in (*OPENERS, *CLOSERS) for w in p.split()) | {"now", "so"}
"""Politeness and filler at either end of a command; not part of what it means.
("and" is not one: "and pause" is how Whisper hears "unpause".)"""

_SAME = {"ok": "okay"}
"""Spellings Whisper alternates between, which would hide a repeat."""

Pronounce = Callable[[str], "str | None"]
"""A word -> its CMU phones ("N EH1 K S T"), or None when unknown."""


@dataclass(frozen=True)
class Heard:
    """A transcript split into filler and core."""

    before: str
    core: str
    after: str

    def as_said(self, phrase: str) -> str:
        """`phrase` with the transcript's filler around it: what to score against the
        audio, which holds the filler too."""
        return " ".join(w for w in (self.before, phrase, self.after) if w)

    @classmethod
    def of(cls, text: str) -> Heard:
        """Filler at the edges split off, and the repeats a short window provokes
        ("next next next") said once."""
        words = _collapse_repeats([_SAME.get(w, w) for w in spoken_words(text)])
        start, end = 0, len(words)
        while start < end and words[start] in _EDGE_WORDS:
            start += 1
        while end > start and words[end - 1] in _EDGE_WORDS:
            end -= 1
        return cls(" ".join(words[:start]), " ".join(words[start:end]), " ".join(words[end:]))


@dataclass(frozen=True)
class Match:
    """A context phrase close to what was heard."""

    phrase: str
    command: Command
    distance: float
    """Edit distance over the longer length, the smaller of spelling and phones:
    0 the same, 1 nothing alike."""


class PhraseTable:
    """Core phrases (frames included, politeness excluded) and their commands, by context."""

    def __init__(self, vocabulary: Vocabulary, pronounce: Pronounce | None = None) -> None:
        """`pronounce` gives phones for the comparison by sound (none: by spelling only)."""
        self._names = set(vocabulary.exercise_phrases)
        self._phrases: dict[str, Command] = dict(vocabulary.core_samples())
        self._pronounce = pronounce
        self._sounds: dict[str, str] = {}
        self.longest = max((p.count(" ") + 1 for p in self._phrases), default=0)
        """Words in the longest phrase: a transcript far longer is talk."""

    def framed(self, phrase: str) -> bool:
        """Whether `phrase` names an exercise after a start frame ("let's do plank")."""
        return phrase not in self._names and phrase.split(" ", 1)[0] in _START_WORDS

    @functools.cache  # noqa: B019 - one table per vocabulary, a handful of contexts
    def phrases(self, context: Context) -> tuple[str, ...]:
        """The core phrases that fit `context`."""
        return tuple(
            p for p, c in self._phrases.items() if allows(context, c, framed=self.framed(p))
        )

    def fits(self, phrase: str, context: Context) -> bool:
        """Whether `phrase` is one of `phrases(context)`."""
        return phrase in self._fitting(context)

    @functools.cache  # noqa: B019 - as above
    def _fitting(self, context: Context) -> frozenset[str]:
        return frozenset(self.phrases(context))

    @functools.cache  # noqa: B019 - as above
    def _choices(self, context: Context, framed: bool) -> dict[str, str]:
        """The context's phrases (without the framed ones unless `framed`), each with
        its phone string."""
        return {p: self.sound(p) for p in self.phrases(context) if framed or not self.framed(p)}

    @functools.cache  # noqa: B019 - as above
    def _names_after(self, frame: str, context: Context) -> dict[str, str]:
        """The names that fit `context` after `frame`, each with its phone string."""
        fitting = self._fitting(context)
        return {n: self.sound(n) for n in sorted(self._names) if f"{frame} {n}" in fitting}

    def has_frame(self, core: str) -> bool:
        """Whether `core` begins with a start word ("start", "let's", "do")."""
        return core.split(" ", 1)[0] in _START_WORDS

    def command(self, phrase: str) -> Command | None:
        return self._phrases.get(phrase)

    def closest(self, core: str, context: Context, limit: int = 3) -> list[Match]:
        """Up to `limit` fitting phrases nearest to `core`, best first; an exact
        phrase alone when `core` is one."""
        if not core:
            return []
        if self.fits(core, context):
            return [Match(core, self._phrases[core], 0.0)]
        # A name with a start word was not said: "do hip thrust" is not near "hip
        # thrust" when a bare name does not fit (mid-exercise).
        best = self._near(core, self._choices(context, self.has_frame(core)), limit)
        frame, rest = _split_frame(core)
        if frame and rest:
            # The frame ("let's do the") is heard reliably; the name is what is misheard.
            # Keep the frame as said and look for the name alone.
            for name, distance in self._near(
                rest, self._names_after(frame, context), limit
            ).items():
                phrase = f"{frame} {name}"
                best[phrase] = min(best.get(phrase, 1.0), distance)
        ranked = sorted(best.items(), key=lambda item: item[1])[:limit]
        return [Match(p, self._phrases[p], d) for p, d in ranked]

    def _near(self, text: str, choices: dict[str, str], limit: int) -> dict[str, float]:
        """The `limit` choices (phrase -> phones) nearest `text` by spelling, and by
        sound, with distances."""
        best: dict[str, float] = {}
        spelled = process.extract(
            text, choices.keys(), scorer=Levenshtein.normalized_distance, limit=limit
        )
        for phrase, distance, _ in spelled:
            best[phrase] = float(distance)
        heard = self.sound(text)
        if heard:
            by_sound = process.extract(
                heard, choices, scorer=Levenshtein.normalized_distance, limit=limit
            )
            for _, distance, phrase in by_sound:
                best[phrase] = min(best.get(phrase, 1.0), float(distance))
        return best

    def distance(self, core: str, phrase: str) -> float:
        """How far `core` is from `phrase`, by spelling or by sound, whichever is nearer."""
        if not core:
            return 1.0
        spelled = Levenshtein.normalized_distance(core, phrase)
        a, b = self.sound(core), self.sound(phrase)
        return float(min(spelled, Levenshtein.normalized_distance(a, b) if a and b else 1.0))

    def sound(self, text: str) -> str:
        """`text` as phones, one character each; words without a pronunciation are
        left out (a transcript's odd word should not hide the rest)."""
        if self._pronounce is None:
            return ""
        if text not in self._sounds:
            phones: list[str] = []
            for word in text.split():
                phones += (self._pronounce(word) or _possessive(word, self._pronounce)).split()
            self._sounds[text] = "".join(_phone_char(p) for p in phones)
        return self._sounds[text]


def _possessive(word: str, pronounce: Pronounce) -> str:
    """Phones of "mardi's" from "mardi"; "" when that fails too."""
    if word.endswith("'s"):
        base = pronounce(word[:-2])
        return f"{base} Z" if base else ""
    return ""


_START_WORDS = frozenset(p.split(" ", 1)[0] for p in START_FRAMES)
_FRAMES_LONGEST_FIRST = sorted(START_FRAMES, key=len, reverse=True)


def _split_frame(core: str) -> tuple[str, str]:
    """("let's do the", "side plank") for "let's do the side plank"; ("", core) without one."""
    for frame in _FRAMES_LONGEST_FIRST:
        if core.startswith(frame + " "):
            return frame, core[len(frame) + 1 :]
    return "", core


_PHONE_CHARS: dict[str, str] = {}


def _phone_char(phone: str) -> str:
    """One private character per phone (stress marks dropped), for string distances."""
    bare = phone.rstrip("012")
    return _PHONE_CHARS.setdefault(bare, chr(0xE000 + len(_PHONE_CHARS)))


def reduce_transcript(text: str) -> str:
    """A transcript's core: see `Heard.of`."""
    return Heard.of(text).core


def _collapse_repeats(words: list[str]) -> list[str]:
    """`words` if they are not one phrase said over and over, else that phrase once.
    The last repeat may be cut short, even mid-word ("bodyweight bodyweight body")."""
    n = len(words)
    for size in range(1, n // 2 + 1):
        unit = words[:size]
        expected = (unit * -(-n // size))[:n]
        if expected[:-1] == words[:-1] and expected[-1].startswith(words[-1]):
            return unit
    return words
