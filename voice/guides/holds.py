"""Holds: reading "hold for 30 seconds" (or "hold briefly") out of a step's text.

The coach counts a hold down, so a hold found where there is none ("hold the bar")
would make it stop and count in the middle of a rep, and a missed one would rush
the user. The rule is therefore sentence by sentence:

- a sentence with a hold verb (hold, pause, stay, remain) *and* a duration is a
  stated hold: "hold for 30 seconds", "pause at the top for 2 seconds", "hold for a
  count of five", "stay there for a minute";
- a hold verb with no duration is a vague hold, given the default seconds, only
  where what follows the verb is about staying put ("hold briefly", "hold for a
  moment", "pause at the top", "hold this position"), not about gripping something
  ("hold a dumbbell", "hold the bar", "hold onto a rail for balance");
- "on each side" / "per leg" and the like mark the hold as per side.

Ranges ("10-15 seconds", "between 20 and 30 seconds") take the *lower* bound: it is
a figure the guide itself endorses, it is the safe choice for a beginner (the
people a spoken guide serves), and a user who wants longer simply keeps holding
before saying "next".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from voice.guides.model import Hold
from voice.numbers import TENS, UNITS, word_value

MIN_HOLD_S = 1
"""The shortest hold the coach counts (a guide's, or a routine's `hold_s`)."""
MAX_HOLD_S = 600
"""Ten minutes: longer than any static hold in the guides; an hour is a typo."""
SWITCH_S = 5
"""Seconds between the sides of a per-side hold (or set): time to say "Switch sides."
and turn."""

DEFAULT_HOLD_S = 2.0
"""Seconds given to a hold a guide asks for without a figure ("hold briefly", "pause
at the top"): what "briefly" or "a moment" means there, a beat rather than a stretch.
The one default for the parser and the library (`load_library(default_hold_s=...)`)."""

_WORD_NUM = (
    rf"(?:(?:{'|'.join(TENS)})(?:[- ](?:{'|'.join(k for k in UNITS if UNITS[k] < 10)}))?"
    rf"|{'|'.join(sorted(UNITS, key=len, reverse=True))})"
)
_NUM = rf"(?:\d+(?:\.\d+)?|{_WORD_NUM})"
_RANGE_SEP = r"\s*(?:-|–|—|to|or)\s*"  # noqa: RUF001 (en dash is what guides use)
_RANGE = rf"(?P<lo>{_NUM})(?:{_RANGE_SEP}(?P<hi>{_NUM}))?"
_SECONDS = r"(?:seconds?|secs?|s)"
_MINUTES = r"(?:minutes?|mins?)"

# Each pattern captures `lo` (and maybe `hi`) and a unit; order matters only for
# overlapping spans, where the earliest match in the sentence wins.
_DURATIONS: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(rf"\bbetween (?P<lo>{_NUM}) and (?P<hi>{_NUM})[- ]{_SECONDS}\b", re.I), 1.0),
    (re.compile(rf"\bbetween (?P<lo>{_NUM}) and (?P<hi>{_NUM})[- ]{_MINUTES}\b", re.I), 60.0),
    (re.compile(rf"\b{_RANGE}[- ]?{_SECONDS}\b", re.I), 1.0),
    (re.compile(rf"\b{_RANGE}[- ]?{_MINUTES}\b", re.I), 60.0),
    (re.compile(r"\b(?P<lo>half a|a half) minute\b", re.I), 60.0),
    (re.compile(r"\b(?P<lo>an?) minute\b", re.I), 60.0),
    (re.compile(rf"\bcount(?: of| to)? {_RANGE}\b", re.I), 1.0),
    (re.compile(rf"\b{_RANGE}[- ]counts?\b", re.I), 1.0),
)

_VERB = re.compile(r"\b(hold(?:s|ing)?|paus(?:e|es|ing)|stay(?:s|ing)?|remain(?:s|ing)?)\b", re.I)
_NEGATION = re.compile(r"\b(?:without|don'?t|do not|never|avoid|no)\s+(?:\w+\s+)?$", re.I)
# After a bare hold verb, these openings mean "stay put"; anything else (an object
# such as "the bar", "a dumbbell", "onto a rail", "your breath") means "grip".
_STAY_PUT = re.compile(
    r"^\s*(?:$|[,.;:!)]|briefly|momentarily|still|steady|there|here|for\b|at\b|in\b|"
    r"until\b|and\b|while\b|it\s+(?:there|briefly|for|at|still|steady)\b|"
    r"(?:(?:the|this|that|your|each|a)\s+)?(?:\w+\s+)?"
    r"(?:position|pose|stretch|contraction|squeeze|peak|top|bottom|plank|squat|lockout|"
    r"bridge|hold|isometric)s?\b)",
    re.I,
)
_NOUN_BEFORE = re.compile(r"\b(?:a|an|the|your|their|its)\s+(?:[a-z]+\s+)?$", re.I)
_NOT_STAY_PUT = re.compile(r"^\s*(?:on(?:to)?\b|your breath\b)", re.I)
_PER_SIDE = re.compile(
    r"\b(?:each|per|every|other|both|the other) (?:side|leg|arm|direction)s?\b|\bswitch sides\b",
    re.I,
)
# A sentence ends at . ! ? ; followed by a space or the end ("1.5 seconds" is one).
_SENTENCE = re.compile(r"(?:[^.!?;]|[.!?;](?!\s|$))+[.!?;]*")


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    seconds: float | None


def _number(word: str) -> float | None:
    word = word.lower().strip()
    if word in ("a", "an"):
        return 1.0
    if word in ("half a", "a half"):
        return 0.5
    try:
        return float(word)
    except ValueError:
        pass
    value = word_value(word)
    return None if value is None else float(value)


def _duration(sentence: str) -> _Found | None:
    """The earliest duration in the sentence, in seconds (lower bound of a range)."""
    best: _Found | None = None
    for pattern, scale in _DURATIONS:
        for m in pattern.finditer(sentence):
            lo = _number(m.group("lo"))
            if lo is None or lo <= 0:
                continue
            if best is None or m.start() < best.start:
                best = _Found(m.start(), m.end(), lo * scale)
            break
    return best


def _verbs(sentence: str) -> list[re.Match[str]]:
    """Hold verbs in the sentence that are not negated ("without pausing")."""
    return [v for v in _VERB.finditer(sentence) if not _NEGATION.search(sentence[: v.start()])]


def _stays_put(sentence: str, verb: re.Match[str]) -> bool:
    """True where the verb means "keep still", not "grip" (hold/pause only: "stay
    tall" or "remain upright" are posture cues, never counted without a duration)."""
    word = verb.group(1).lower()
    after = sentence[verb.end() :]
    if word.startswith("paus"):
        return True
    if word.startswith(("stay", "remain")):
        return False
    if word in ("hold", "holds") and _NOUN_BEFORE.search(sentence[: verb.start()]):
        return False  # "for a secure hold", "repeat the hold": a noun, not an instruction
    return not _NOT_STAY_PUT.match(after) and bool(_STAY_PUT.match(after))


# "stay in this position for", "remain there for": nothing else between verb and "for".
_STAY_FOR = re.compile(
    r"^\s*(?:(?:in|at) (?:this|the|that) (?:\w+ )?(?:position|pose)|there|here|still|put)?,?"
    r"\s+for\s+(?:about\s+|around\s+|roughly\s+|up to\s+|at least\s+)?$",
    re.I,
)
_FOR_BEFORE = re.compile(r"\bfor\s+(?:about\s+|around\s+|roughly\s+|up to\s+|at least\s+)?$", re.I)


def _states(sentence: str, verb: re.Match[str], duration: _Found) -> bool:
    """Whether the duration belongs to this verb: any duration for a keep-still verb
    ("pause at the top for 2 seconds", "a 30-second hold"); otherwise only "for N
    seconds" after it ("stay there for a minute", "hold the dumbbells for 30 s"),
    so "hold the bar and lower it over 3 seconds" is not a hold."""
    between = sentence[verb.end() : duration.start]
    if _stays_put(sentence, verb) or not between.strip():
        return True
    if verb.group(1).lower().startswith(("stay", "remain")):
        return bool(_STAY_FOR.match(between))
    return duration.start > verb.end() and bool(_FOR_BEFORE.search(sentence[: duration.start]))


def _phrase(sentence: str, start: int, end: int) -> str:
    return " ".join(sentence[start:end].split()).strip(" ,.;:")


def _vague_end(sentence: str, verb: re.Match[str]) -> int:
    """Where a vague hold's phrase ends: the verb plus a short modifier."""
    m = re.match(
        r"\s*(?:briefly|momentarily|for a (?:moment|second|beat|few seconds|brief moment)|"
        r"at the (?:top|bottom)(?: of the movement)?|(?:this|the) position|"
        r"(?:this|the|that) (?:top |bottom )?(?:position|stretch|contraction|squeeze))",
        sentence[verb.end() :],
        re.I,
    )
    return verb.end() + (m.end() if m else 0)


def find_hold(text: str, *, default_s: float = DEFAULT_HOLD_S) -> Hold | None:
    """The hold the text asks for, or None.

    A stated duration anywhere in the text wins over a vague hold elsewhere in it;
    among several of a kind, the first wins. A vague hold gets `default_s` seconds
    with `stated=False`. See the module docstring for the rules (ranges: the lower
    bound).
    """
    if not _VERB.search(text):
        return None  # most steps: no hold verb at all
    vague: Hold | None = None
    per_side_anywhere = bool(_PER_SIDE.search(text))
    for sm in _SENTENCE.finditer(text):
        sentence = sm.group(0)
        verbs = _verbs(sentence)
        if not verbs:
            continue
        per_side = bool(_PER_SIDE.search(sentence)) or per_side_anywhere
        duration = _duration(sentence)
        if duration is not None and duration.seconds is not None:
            for verb in verbs:
                if _states(sentence, verb, duration):
                    start = min(verb.start(), duration.start)
                    end = max(verb.end(), duration.end)
                    return Hold(duration.seconds, _phrase(sentence, start, end), True, per_side)
        if vague is None:
            for verb in verbs:
                if _stays_put(sentence, verb):
                    phrase = _phrase(sentence, verb.start(), _vague_end(sentence, verb))
                    vague = Hold(default_s, phrase, False, per_side)
                    break
    return vague
