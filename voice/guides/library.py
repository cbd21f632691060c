"""The library: every guide and routine the coach knows, loaded from folders, looked
up by what a person says.

Loading never stops at a bad guide: each one becomes a `GuideError` in
`LoadResult.errors` (shown as `file:line: message`) and the rest load. Lookup is
forgiving the way speech and typing are: case, punctuation, hyphens, plurals and
spacing do not matter ("Calf-raises" finds "Calf Raise"), and a light typo is
corrected with rapidfuzz. A name shared by several equipment variants ("Hip
Thrust": barbell, bodyweight) is one group, so the coach can ask which one.

Routines (voice.routines) load from the same folders: a file whose front matter has
an `exercises:` list. They are resolved once every guide is loaded, so a routine
names guides from any folder, and a bad guide only fails the routines that use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Protocol, TypeVar

from rapidfuzz import fuzz, process

import voice
from voice.errors import GuideError, RoutineError
from voice.guides.equipment import EQUIPMENT_PHRASES
from voice.guides.holds import DEFAULT_HOLD_S
from voice.guides.loading import guide_files, parse_many
from voice.guides.model import Guide
from voice.routines.model import Routine
from voice.routines.parse import RoutineDraft
from voice.words import name_words

FUZZY_ACCEPT = 88.0
"""rapidfuzz ratio (0-100) at or above which a near miss is taken as the name meant."""
FUZZY_SUGGEST = 55.0
"""Ratio at or above which a name is offered as a suggestion for an unknown one."""

_FILLER = frozenset({"a", "an", "the", "with", "using", "on", "some", "please", "of"})


def default_exercise_dirs() -> list[Path]:
    """The guides and routines bundled with the project: the repository's
    `exercises/` and `routines/` folders."""
    root = Path(voice.__file__).resolve().parents[1]
    return [root / "exercises", root / "routines"]


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


def did_you_mean(names: Sequence[str]) -> str:
    """The end of an "unknown name" message: "; did you mean 'Wall Sit'?", or ""."""
    return f"; did you mean {', '.join(repr(n) for n in names)}?" if names else ""


def nearest(
    key: str, names: Mapping[str, str], limit: int = 3, *, within: float = 100.0
) -> tuple[str, ...]:
    """The names (values of `names`, by their `spoken_key`) nearest to `key`, best
    first: suggestions for a name nothing matched. `within`: keep only those scoring
    that close to the best (0-100), so a clear winner comes alone."""
    if not key:
        return ()
    hits = process.extract(key, list(names), scorer=fuzz.WRatio, limit=limit)
    best = hits[0][1] if hits else 0.0
    return tuple(names[k] for k, score, _ in hits if score >= max(FUZZY_SUGGEST, best - within))


def _fuzzy(key: str, index: Mapping[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    """The ids of the one indexed name a light typo of `key` means, or None."""
    hits = process.extract(key, list(index), scorer=fuzz.ratio, limit=2)
    if not hits or hits[0][1] < FUZZY_ACCEPT:
        return None
    best = index[hits[0][0]]
    if len(hits) > 1 and hits[1][1] == hits[0][1] and index[hits[1][0]] != best:
        return None  # two names equally near: do not guess
    return best


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
    """Loaded guides and routines, in load order, with their spoken-name index."""

    guides: tuple[Guide, ...]
    routines: tuple[Routine, ...] = ()
    _by_id: Mapping[str, Guide] = field(init=False, repr=False, compare=False)
    _index: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _phrases: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _routine_by_id: Mapping[str, Routine] = field(init=False, repr=False, compare=False)
    _routine_index: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _guide_phrases: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

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
        object.__setattr__(
            self, "_index", MappingProxyType({k: tuple(v) for k, v in index.items()})
        )
        self._set_phrases(phrases)

    def _set_phrases(self, guide_phrases: Mapping[str, tuple[str, ...]]) -> None:
        """The spoken names: the guides', then the routines' (`find` finds guides only)."""
        object.__setattr__(self, "_guide_phrases", MappingProxyType(dict(guide_phrases)))
        phrases = dict(sorted(self._add_routines(dict(guide_phrases)).items()))
        object.__setattr__(self, "_phrases", MappingProxyType(phrases))

    def with_routines(self, routines: Sequence[Routine]) -> Library:
        """This library's guides with `routines`: the guides' indexes are shared, not
        built again (the library is loaded guides first, to resolve the routines)."""
        library = object.__new__(Library)
        for name in ("guides", "_by_id", "_index"):
            object.__setattr__(library, name, getattr(self, name))
        object.__setattr__(library, "routines", tuple(routines))
        library._set_phrases(self._guide_phrases)
        return library

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

    def _add_routines(self, phrases: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        """Index the routines by title, alias and id; return `phrases` with theirs
        (title, aliases, and "my ..." of each) where no guide or earlier routine
        has the phrase already."""
        phrases = dict(phrases)
        index: dict[str, tuple[str, ...]] = {}
        for routine in self.routines:
            names = (routine.title, *routine.aliases)
            for name in (*names, routine.id):
                index.setdefault(spoken_key(name), (routine.id,))
            for name in names:
                for phrase in (_words(name), _words(f"my {name}")):
                    phrases.setdefault(phrase, (routine.id,))
        object.__setattr__(
            self, "_routine_by_id", MappingProxyType({r.id: r for r in self.routines})
        )
        object.__setattr__(self, "_routine_index", MappingProxyType(index))
        return phrases

    def get(self, guide_id: str) -> Guide | None:
        return self._by_id.get(guide_id)

    def routine(self, routine_id: str) -> Routine | None:
        return self._routine_by_id.get(routine_id)

    def find_routine(self, spoken: str, *, fuzzy: bool = True) -> Routine | None:
        """The routine a name means: its title, an alias or its id, forgiving case,
        punctuation and plurals like `find` (and a light typo where `fuzzy`). Only
        the name: "start my morning routine" is the command parser's to take apart."""
        key = spoken_key(spoken)
        ids = self._routine_index.get(key) if key else None
        if ids is None and key and fuzzy:
            ids = _fuzzy(key, self._routine_index)
        return self._routine_by_id[ids[0]] if ids else None

    def routine_suggestions(self, spoken: str) -> tuple[str, ...]:
        """The titles of the routines nearest to an unknown name, best first."""
        return nearest(spoken_key(spoken), {spoken_key(r.title): r.title for r in self.routines})

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

        For each routine: its title and aliases, and each after "my" ("my morning
        routine"), mapped to the routine's id. A phrase a guide has stays the
        guide's; the routine keeps its other names.
        """
        return self._phrases

    def find(self, spoken: str, *, fuzzy: bool = True) -> Match:
        """The guide (or variants) a spoken or typed name means; see `Match`.

        `fuzzy=False` takes the name only as written (case, punctuation and plurals
        aside): no typo correction and no dropping of unknown equipment, for a file
        whose names must be exact (a routine's `exercise:`).
        """
        key = spoken_key(spoken)
        ids = self._index.get(key) if key else None
        if ids is None and key and fuzzy:
            ids = self._without_unknown_equipment(spoken) or _fuzzy(key, self._index)
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

    def _suggestions(self, key: str) -> tuple[str, ...]:
        return nearest(key, {spoken_key(name): name for name in self.groups()})


@dataclass(frozen=True)
class LoadResult:
    """A library and the guides and routines that could not join it."""

    library: Library
    errors: list[GuideError]


class _Loaded(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def path(self) -> Path | None: ...


_T = TypeVar("_T", bound=_Loaded)


def _add_once(loaded: dict[str, _T], item: _T, errors: list[GuideError]) -> None:
    """Keep the first of each id; a second is an error naming where the first is."""
    first = loaded.get(item.id)
    if first is None:
        loaded[item.id] = item
        return
    message = f"duplicate id '{item.id}', already loaded from {first.path}"
    errors.append(GuideError(item.path or item.id, message))


def load_library(
    dirs: Sequence[Path] | None = None,
    *,
    default_hold_s: float = DEFAULT_HOLD_S,
    workers: int | None = None,
    fallback: Callable[[], Library] | None = None,
) -> LoadResult:
    """Load every guide and routine under `dirs` (default: the bundled folders).

    A path may be a folder (searched recursively for `*.md`, skipping README files and
    hidden names, following symlinks but never into a folder twice) or a single file.
    Bad guides, missing paths, symlink loops and a second guide with an id already
    loaded are reported in `errors`, in the order met; then the routines are resolved
    against the guides loaded, and the routines that cannot be (an unknown name, an
    include of itself, an id a guide has) are reported after. All else loads.
    `workers`: parse processes (None: one per idle core for a large library; see
    `loading.parse_many`). `fallback`: a library to find what the routines name and
    `dirs` lack (`coach check` of a routine alone); called only if needed.
    """
    found: list[Path | GuideError] = []
    for root in default_exercise_dirs() if dirs is None else dirs:
        found.extend(guide_files(root))
    paths = [item for item in found if isinstance(item, Path)]
    parsed = iter(parse_many(paths, default_hold_s, workers=workers))
    errors: list[GuideError] = []
    guides: dict[str, Guide] = {}
    drafts: dict[str, RoutineDraft] = {}
    for item in found:
        outcome = next(parsed) if isinstance(item, Path) else item
        if isinstance(outcome, GuideError):
            errors.append(outcome)
        elif isinstance(outcome, RoutineDraft):
            _add_once(drafts, outcome, errors)
        else:
            _add_once(guides, outcome, errors)
    library = Library(tuple(guides.values()))
    if not drafts:
        return LoadResult(library, errors)
    routines = _routines(list(drafts.values()), library, fallback, errors)
    return LoadResult(library.with_routines(routines), errors)


def _routines(
    drafts: list[RoutineDraft],
    library: Library,
    fallback: Callable[[], Library] | None,
    errors: list[GuideError],
) -> list[Routine]:
    """The drafts resolved against the loaded guides; their problems go to `errors`."""
    from voice.routines.resolve import resolve_routines  # it imports this module

    kept: list[RoutineDraft] = []
    for draft in drafts:
        guide = library.get(draft.id)
        if guide is None:
            kept.append(draft)
            continue
        message = f"duplicate id '{draft.id}', already used by the guide {guide.path}"
        errors.append(RoutineError(draft.path, message))
    routines, problems = resolve_routines(kept, library, fallback)
    errors.extend(problems)
    return routines
