"""Names: what a person says for a guide whose name only lives in its file name.

Liftosaur names files `<words run together>_<equipment>.md` (`hipthrust_bodyweight`,
`aroundtheworld_dumbbell`). The spoken name comes from splitting the run-together
words with the pronunciation dictionary pocketsphinx ships (CMUdict, 134k words):
every split point must land on dictionary words, and a dynamic programme picks the
split with the lowest cost, where a word costs less the longer it is and the more
it belongs to the gym's vocabulary. That prefers "hip thrust" to "hi pth rust" and
"arnold press" to "arn old press" without a hand-made list of exercise names.

The gym vocabulary is short and only tips the balance: CMUdict has no frequencies,
so it cannot tell a common short word ("row", "up") from a rare one ("ro", "wup"),
and it lacks words the sport uses every day ("glute", "situp", "kettlebell").
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping

from voice.guides.equipment import RUN_TOGETHER
from voice.pronounce import cmudict

# Words of the sport: some missing from CMUdict, all cheaper than a stranger of the
# same length, so they win ties. "push up" is two words because that is how people
# say it (CMUdict spells it "pushup").
_GYM_TEXT = """
    ab abs abductor adductor alternating arm arnold around back band bar barbell bell bench
    bent bicep biceps bird bridge bug bulgarian burpee butterfly cable calf chest chin
    clam clean climber close concentration copenhagen crunch curl dead deadlift decline deck
    deficit dip donkey dumbbell extension face flat floor fly front glute good hack hammer
    hang hanging high hip hollow incline jack jackknife jump kick kickback knee kettlebell
    lat lateral leg lever lift lunge lying machine march military mountain neck
    negative overhead palm palms pec pendulum pike pistol plank plate preacher press
    pull pulldown pullover pulse push pushdown raise rear reverse ring rock romanian row
    russian scapular seated shoulder shrug side single skull skullcrusher snatch split squat
    stand standing step stiff straight sumo superman swing thrust thruster toe trap tricep
    triceps twist up upright v wall wheel wide wrist world zercher crusher grip down
    sit rollout extension box goblet bear crawl star plyo hyperextension elliptical battle
    ropes rope vbar ez curtsy inchworm walkout bodyweight dog morning flexor flexors pallof
    quad quads hamstring hamstrings stretch pose cat cow
"""
_GYM_WORDS = frozenset(_GYM_TEXT.split())
# Unsplittable words that are two spoken words.
_SPOKEN = {
    "pushup": "push up",
    "pullup": "pull up",
    "situp": "sit up",
    "stepup": "step up",
    "chinup": "chin up",
    "vup": "v up",
    "vbar": "v bar",
    **RUN_TOGETHER,
}
_UPPER = {"ez": "EZ", "v": "V"}


@functools.cache
def dictionary() -> Mapping[str, str]:
    """CMUdict, read once for the listener and the names alike (`voice.pronounce`);
    empty where it is missing: the gym words and unknown chunks still give a name."""
    try:
        return cmudict()
    except (OSError, ImportError):
        return {}


def is_word(word: str, entries: Mapping[str, str] | None = None) -> bool:
    """Whether lowercase `word` may be part of a name: a gym word, or a dictionary word
    of plain letters (CMUdict also lists "a.", "'bout" and "ad-hoc"). `entries`:
    `dictionary()`, passed in by a caller asking many times."""
    if word in _GYM_WORDS:
        return True
    known = dictionary() if entries is None else entries
    return word.isascii() and word.isalpha() and word in known


# A split's cost is the sum of its words' costs; lower is better.
_GYM_COST = 0.7  # two gym words beat one dictionary compound: "good morning"
_WORD_COST = 1.5
# Short dictionary "words" are mostly initials and abbreviations ("hi", "pth").
_SHORT_PENALTY = {1: 4.0, 2: 2.0, 3: 0.8}
_UNKNOWN_COST = 3.0  # plus 1 a letter: a chunk no dictionary knows, only as a last resort


@functools.cache
def _lengths_by_prefix() -> dict[str, tuple[int, ...]]:
    """Word lengths by first three letters (a short word is its own key): the split
    then tries only the lengths some word starting there could have."""
    lengths: dict[str, set[int]] = {}
    letters_only = filter(str.isalpha, filter(str.isascii, dictionary()))
    for word in itertools.chain(_GYM_WORDS, letters_only):
        lengths.setdefault(word[:3], set()).add(len(word))
    return {prefix: tuple(sorted(found)) for prefix, found in lengths.items()}


def _word_cost(word: str, entries: Mapping[str, str]) -> float | None:
    if word in _GYM_WORDS:
        return _GYM_COST
    if is_word(word, entries):
        return _WORD_COST + _SHORT_PENALTY.get(len(word), 0.0)
    return None


def split_words(run: str) -> list[str]:
    """Split run-together lowercase letters into the cheapest sequence of words.

    A forward dynamic programme: from each position, try the dictionary words that
    start there, and an unknown chunk of any length (whose cost, linear in its length,
    lets one running minimum stand for all of them).
    """
    run = run.lower()
    entries = dictionary()
    by_prefix = _lengths_by_prefix()
    n = len(run)
    cost = [0.0] + [float("inf")] * n
    back = [0] * (n + 1)
    unknown_base, unknown_from = float("inf"), 0  # min of cost[s] - s over s so far
    for start in range(n + 1):
        via_unknown = unknown_base + _UNKNOWN_COST + start
        if start > 0 and via_unknown < cost[start]:
            cost[start], back[start] = via_unknown, unknown_from
        if start == n:
            break
        if cost[start] - start < unknown_base:
            unknown_base, unknown_from = cost[start] - start, start
        lengths = (
            by_prefix.get(run[start : start + 1], ())
            + by_prefix.get(run[start : start + 2], ())
            + by_prefix.get(run[start : start + 3], ())
        )
        for length in lengths:
            end = start + length
            if end > n:
                continue
            word_cost = _word_cost(run[start:end], entries)
            if word_cost is not None and cost[start] + word_cost < cost[end]:
                cost[end], back[end] = cost[start] + word_cost, start
    words: list[str] = []
    end = n
    while end > 0:
        start = back[end]
        words.append(run[start:end])
        end = start
    words.reverse()
    return words


def _title(words: list[str]) -> str:
    return " ".join(_UPPER.get(w, w.capitalize()) for w in words)


def _spoken_words(chunk: str) -> list[str]:
    out: list[str] = []
    for word in split_words(chunk):
        out.extend(_SPOKEN.get(word, word).split())
    return out


def equipment_name(token: str) -> str:
    """How equipment from a file name is said: "leveragemachine" -> "leverage machine"."""
    token = token.strip().lower()
    if token in _SPOKEN:
        return _SPOKEN[token]
    if not token:
        return ""
    return token if is_word(token) else " ".join(_spoken_words(token))


@functools.cache
def name_from_stem(stem: str) -> tuple[str, str]:
    """The spoken name and equipment for a file stem: ("Hip Thrust", "bodyweight").

    The equipment is the part after the last `_`, said the way a person says it
    ("leverage machine", "ez bar"); a stem without `_` has no equipment (""). Words
    already separated by `-`, `_` or spaces are kept; each chunk is then split.
    """
    base, sep, equipment = stem.rpartition("_")
    if not sep:
        base, equipment = stem, ""
    chunks = [c for c in re.split(r"[^A-Za-z0-9]+", base) if c]
    words: list[str] = []
    for chunk in chunks:
        if chunk.isalpha():
            words.extend(_spoken_words(chunk))
        else:
            words.append(chunk.lower())
    name = _title(words) if words else stem
    return name, equipment_name(equipment)
