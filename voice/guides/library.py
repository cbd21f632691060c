"""The library: every guide the coach knows, loaded from folders, looked up by what a
person says.

Loading never stops at a bad guide: each one becomes a `GuideError` in
`LoadResult.errors` (shown as `file:line: message`) and the rest load. Lookup is
forgiving the way speech and typing are: case, punctuation, hyphens, plurals and
spacing do not matter ("Calf-raises" finds "Calf Raise"), and a light typo is
corrected with rapidfuzz. A name shared by several equipment variants ("Hip
Thrust": barbell, bodyweight) is one group, so the coach can ask which one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from rapidfuzz import fuzz, process

import voice
from voice.errors import GuideError
from voice.guides.equipment import EQUIPMENT_PHRASES
from voice.guides.holds import DEFAULT_HOLD_S
from voice.guides.loading import guide_files, parse_many
from voice.guides.model import Guide
from voice.words import name_words

FUZZY_ACCEPT = 88.0
"""rapidfuzz ratio (0-100) at or above which a near miss is taken as the name meant."""
FUZZY_SUGGEST = 55.0
"""Ratio at or above which a name is offered as a suggestion for an unknown one."""

_FILLER = frozenset({"a", "an", "the", "with", "using", "on", "some", "please", "of"})


def default_exercise_dirs() -> list[Path]:
    """The guides bundled with the project: the repository's `exercises/` folder."""
    return [Path(voice.__file__).resolve().parents[1] / "exercises"]


def _singular(word: str) -> str:
    if word.endswith("sses") or word.endswith(("ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us")) and len(word) > 2:
        return word[:-1]
    return word


def spoken_key(text: str) -> str:
    """What two phrasings of one name have in common: lowercase words, singular, filler
    dropped, spaces removed ("Push-ups" and "push up" both give "pushup")."""
    return "".join(_singular(w) for w in name_words(text) if w not in _FILLER)


def _words(text: str) -> str:
    return " ".join(name_words(text))


def _plural(phrase: str) -> str:
    if phrase.endswith(("ss", "ch", "sh", "x")):
        return phrase + "es"
    if phrase.endswith("s"):
        return phrase
    if re.search(r"[^aeiou]y$", phrase):
        return phrase[:-1] + "ies"
    return phrase + "s"


@dataclass(frozen=True)
class Match:
    """What `Library.find` made of a spoken or typed name."""

    guide: Guide | None = None
    """The one guide meant, when it is unambiguous."""
    variants: tuple[Guide, ...] = ()
    """Several equipment variants of one name: ask which (sorted by equipment)."""
    suggestions: tuple[str, ...] = ()
    """Nearest known names when nothing matched, best first."""
    query: str = ""
    """What was said or typed."""

    @property
    def found(self) -> bool:
        return self.guide is not None or bool(self.variants)


@dataclass(frozen=True)
class Library:
    """Loaded guides, in load order, with their spoken-name index."""

    guides: tuple[Guide, ...]
    _by_id: Mapping[str, Guide] = field(init=False, repr=False, compare=False)
    _index: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _phrases: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {g.id: g for g in self.guides}
        phrases = self._build_phrases()
        index: dict[str, list[str]] = {}
        for phrase, ids in phrases.items():
            bucket = index.setdefault(spoken_key(phrase), [])
            bucket.extend(i for i in ids if i not in bucket)
        for guide in self.guides:  # typed forms: the id, and the equipment after the name
            index.setdefault(spoken_key(guide.id), [guide.id])
            index.setdefault(spoken_key(f"{guide.name} {guide.equipment}"), [guide.id])
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))
        object.__setattr__(self, "_phrases", MappingProxyType(phrases))
        object.__setattr__(
            self, "_index", MappingProxyType({k: tuple(v) for k, v in index.items()})
        )

    def _build_phrases(self) -> dict[str, tuple[str, ...]]:
        phrases: dict[str, list[str]] = {}

        def add(phrase: str, ids: Sequence[str]) -> None:
            for form in (_words(phrase), _plural(_words(phrase))):
                if form:
                    bucket = phrases.setdefault(form, [])
                    bucket.extend(i for i in ids if i not in bucket)

        for group in self.groups().values():
            add(group[0].name, [g.id for g in group])
        for guide in self.guides:
            for alias in guide.aliases:
                add(alias, [guide.id])
            if guide.equipment:
                add(f"{guide.equipment} {guide.name}", [guide.id])
                for alias in guide.aliases:
                    add(f"{guide.equipment} {alias}", [guide.id])
        return {p: tuple(ids) for p, ids in sorted(phrases.items())}

    def get(self, guide_id: str) -> Guide | None:
        return self._by_id.get(guide_id)

    def groups(self) -> dict[str, tuple[Guide, ...]]:
        """Guides by spoken name (case and punctuation aside), each group's variants
        sorted by equipment; groups in name order."""
        by_key: dict[str, list[Guide]] = {}
        for guide in self.guides:
            by_key.setdefault(spoken_key(guide.name), []).append(guide)
        groups = {
            g[0].name: tuple(sorted(g, key=lambda x: (x.equipment, x.id))) for g in by_key.values()
        }
        return dict(sorted(groups.items(), key=lambda item: item[0].lower()))

    def spoken_names(self) -> Mapping[str, tuple[str, ...]]:
        """Every phrase a person may say to start a guide, mapped to the guide ids it
        means; the source for the speech recognizer's grammar.

        Phrases are lowercase words separated by single spaces, no punctuation
        ("hip thrust", "bodyweight hip thrust", "calf raises"). For each group of
        guides sharing a name: the name and its plural. For each guide: its aliases
        (and plurals), and its equipment before its name and before each alias
        ("bodyweight hip thrust", "barbell hip thrusts"). One id means the phrase
        names one guide; several mean the variants of one name, so the coach should
        ask which (by equipment). Numbers stay digits ("90 90 stretch"): a
        recognizer needs its own pronunciation for them.
        """
        return self._phrases

    def find(self, spoken: str) -> Match:
        """The guide (or variants) a spoken or typed name means; see `Match`."""
        key = spoken_key(spoken)
        ids = self._index.get(key) if key else None
        if ids is None and key:
            ids = self._without_unknown_equipment(spoken) or self._fuzzy(key)
        if ids:
            guides = tuple(self._by_id[i] for i in ids)
            if len(guides) == 1:
                return Match(guide=guides[0], query=spoken)
            variants = tuple(sorted(guides, key=lambda g: (g.equipment, g.id)))
            return Match(variants=variants, query=spoken)
        return Match(suggestions=self._suggestions(key), query=spoken)

    def _without_unknown_equipment(self, spoken: str) -> tuple[str, ...] | None:
        """ "kettlebell hip thrust" where no kettlebell variant exists: all the variants
        of "hip thrust", so the coach asks which rather than saying it knows none."""
        equipment_keys = {spoken_key(e) for e in EQUIPMENT_PHRASES}
        equipment_keys.update(spoken_key(g.equipment) for g in self.guides if g.equipment)
        words = _words(spoken).split()
        for count in (1, 2):
            if len(words) <= count:
                continue
            for said, rest in ((words[:count], words[count:]), (words[-count:], words[:-count])):
                if spoken_key(" ".join(said)) in equipment_keys:
                    ids = self._index.get(spoken_key(" ".join(rest)))
                    if ids:
                        return ids
        return None

    def _fuzzy(self, key: str) -> tuple[str, ...] | None:
        hits = process.extract(key, list(self._index), scorer=fuzz.ratio, limit=2)
        if not hits or hits[0][1] < FUZZY_ACCEPT:
            return None
        best = self._index[hits[0][0]]
        if len(hits) > 1 and hits[1][1] == hits[0][1] and self._index[hits[1][0]] != best:
            return None  # two names equally near: do not guess
        return best

    def _suggestions(self, key: str, limit: int = 3) -> tuple[str, ...]:
        if not key:
            return ()
        names = {spoken_key(name): name for name in self.groups()}
        hits = process.extract(key, list(names), scorer=fuzz.WRatio, limit=limit)
        return tuple(names[k] for k, score, _ in hits if score >= FUZZY_SUGGEST)


@dataclass(frozen=True)
class LoadResult:
    """A library and the guides that could not join it."""

    library: Library
    errors: list[GuideError]


def load_library(
    dirs: Sequence[Path] | None = None,
    *,
    default_hold_s: float = DEFAULT_HOLD_S,
    workers: int | None = None,
) -> LoadResult:
    """Load every guide under `dirs` (default: the bundled folder).

    A path may be a folder (searched recursively for `*.md`, skipping README files and
    hidden names, following symlinks but never into a folder twice) or a single guide
    file. Bad guides, missing paths, symlink loops and a second guide with an id
    already loaded are reported in `errors`, in the order met; all else loads.
    `workers`: parse processes (None: one per idle core for a large library; see
    `loading.parse_many`).
    """
    found: list[Path | GuideError] = []
    for root in default_exercise_dirs() if dirs is None else dirs:
        found.extend(guide_files(root))
    paths = [item for item in found if isinstance(item, Path)]
    parsed = iter(parse_many(paths, default_hold_s, workers=workers))
    errors: list[GuideError] = []
    guides: dict[str, Guide] = {}
    for item in found:
        outcome = next(parsed) if isinstance(item, Path) else item
        if isinstance(outcome, GuideError):
            errors.append(outcome)
        else:
            guide = outcome
            first = guides.get(guide.id)
            if first is not None:
                message = f"duplicate id '{guide.id}', already loaded from {first.path}"
                errors.append(GuideError(guide.path or guide.id, message))
                continue
            guides[guide.id] = guide
    return LoadResult(Library(tuple(guides.values())), errors)
