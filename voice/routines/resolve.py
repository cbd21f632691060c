"""Resolving routine drafts against the library: each `exercise:` to its guide, each
`routine:` include expanded in place.

Runs once every guide is loaded, so a routine may name a guide from any folder. Names
must be exact (case, punctuation and plurals aside): a typo in a file is reported
with the nearest names rather than guessed, and a name several equipment variants
share asks for one of them. Each problem is a `RoutineError` on the line of the item
that causes it; a routine that includes a broken one says which and why.

Includes are expanded depth first with the chain of routines being expanded, so a
routine that includes itself, directly or through others, is reported with that
chain instead of recursing forever. An included routine's exercises keep the rest
they have in that routine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace

from voice.errors import RoutineError
from voice.guides.library import Library, did_you_mean, nearest, spoken_key
from voice.guides.model import Guide
from voice.routines.model import MAX_ITEMS, MAX_TOTAL_S, Routine, RoutineItem
from voice.routines.parse import Include, RoutineDraft
from voice.routines.plan import estimate_s
from voice.words import name_words


def resolve_routines(
    drafts: Sequence[RoutineDraft],
    library: Library,
    fallback: Callable[[], Library] | None = None,
) -> tuple[list[Routine], list[RoutineError]]:
    """Each draft resolved, in order: the routines that resolve and the errors of
    those that do not (a bad routine never stops the others).

    Names are looked up in `library` (its guides, and its routines for includes;
    includes among `drafts` come first), then in `fallback()` for what `library`
    lacks; `fallback` is called once, and only if needed.
    """
    resolver = _Resolver(drafts, library, fallback)
    routines: list[Routine] = []
    errors: list[RoutineError] = []
    for draft in drafts:
        try:
            routines.append(resolver.routine(draft))
        except RoutineError as error:
            errors.append(error)
    return routines, errors


def resolve_routine(
    draft: RoutineDraft, library: Library, fallback: Callable[[], Library] | None = None
) -> Routine:
    """One draft resolved (see `resolve_routines`); raises its RoutineError."""
    routines, errors = resolve_routines([draft], library, fallback)
    if errors:
        raise errors[0]
    return routines[0]


class _CycleError(RoutineError):
    """An include that leads back to a routine being expanded; `loop` is the chain
    from that routine back to itself."""

    def __init__(self, draft: RoutineDraft, line: int, loop: tuple[str, ...]) -> None:
        super().__init__(draft.path, f"includes itself: {' -> '.join(loop)}", line)
        self.loop = loop


class _IncludeError(RoutineError):
    """An include of a routine that fails; `cause` is the first failure down the
    chain (`file:line: message`), named as it is so the message stays one short
    line however deep the includes go."""

    def __init__(self, draft: RoutineDraft, line: int, target: RoutineDraft, cause: str) -> None:
        super().__init__(draft.path, f"included routine {target.title!r}: {cause}", line)
        self.cause = cause


def _several(name: str, variants: Sequence[Guide]) -> str:
    kinds = ", ".join(v.equipment or v.id for v in variants)
    first = variants[0]
    example = (
        " ".join(name_words(f"{first.equipment} {first.name}")) if first.equipment else first.id
    )
    return f"{name!r} has several versions ({kinds}): name one, e.g. {example!r}"


SUGGEST_WITHIN = 15.0
"""Suggest only names scoring this close to the nearest one (rapidfuzz, 0-100): a
file's typo has one name meant, so a clear winner is named alone."""


def _hint(name: str, known: Mapping[str, str]) -> str:
    """ "; did you mean 'Wall Sit'?" for an unknown name, from `known` names by key."""
    return did_you_mean(nearest(spoken_key(name), known, within=SUGGEST_WITHIN))


class _Resolver:
    """Resolves drafts one at a time; looks in the library, then the fallback."""

    def __init__(
        self,
        drafts: Sequence[RoutineDraft],
        library: Library,
        fallback: Callable[[], Library] | None,
    ) -> None:
        self._drafts: dict[str, RoutineDraft] = {}
        for draft in drafts:
            for name in (draft.title, *draft.aliases, draft.id):
                self._drafts.setdefault(spoken_key(name), draft)
        self._library = library
        self._fallback = fallback
        self._fallen_back: Library | None = None

    def _libraries(self) -> Iterator[Library]:
        """The library, then the fallback: loaded only when a lookup gets this far."""
        yield self._library
        if self._fallback is not None:
            if self._fallen_back is None:
                self._fallen_back = self._fallback()
            yield self._fallen_back

    def routine(self, draft: RoutineDraft) -> Routine:
        try:
            items = self._expand(draft, {draft.id: None})
        except RecursionError:
            raise RoutineError(draft.path, "includes nested too deeply", draft.line) from None
        routine = Routine(
            draft.id,
            draft.title,
            draft.aliases,
            draft.rest_s,
            tuple(items),
            draft.notes,
            draft.path,
        )
        total = estimate_s(routine)
        if total > MAX_TOTAL_S:
            raise RoutineError(
                draft.path,
                f"takes about {total / 3600:.1f} hours; a routine takes at most "
                f"{MAX_TOTAL_S / 3600:g}",
                draft.line,
            )
        return routine

    def _expand(self, draft: RoutineDraft, chain: dict[str, None]) -> list[RoutineItem]:
        """The draft's items with includes expanded; `chain`: the ids of the routines
        being expanded, outermost first, the draft last (a dict: ordered, and a
        constant-time test of whether an include leads back into it)."""
        items: list[RoutineItem] = []
        for item in draft.items:
            if isinstance(item, Include):
                items.extend(self._include(draft, item, chain))
            else:
                guide = self._guide(draft, item)
                items.append(replace(item, guide_id=guide.id, name=guide.name))
            if len(items) > MAX_ITEMS:
                raise RoutineError(
                    draft.path,
                    f"more than {MAX_ITEMS} exercises once includes are expanded",
                    item.line,
                )
        return items

    def _include(
        self, draft: RoutineDraft, item: Include, chain: dict[str, None]
    ) -> list[RoutineItem]:
        target = self._drafts.get(spoken_key(item.routine))
        if target is None:
            return self._loaded_routine(draft, item)
        if target.id in chain:
            ids = list(chain)
            raise _CycleError(draft, item.line, (*ids[ids.index(target.id) :], target.id))
        chain[target.id] = None
        try:
            expanded = self._expand(target, chain)
        except _CycleError as cycle:
            if draft.id in cycle.loop:
                raise _CycleError(draft, item.line, cycle.loop) from None
            message = f"includes {target.title!r}, which includes itself: {' -> '.join(cycle.loop)}"
            raise RoutineError(draft.path, message, item.line) from None
        except RoutineError as error:
            cause = error.cause if isinstance(error, _IncludeError) else str(error)
            raise _IncludeError(draft, item.line, target, cause) from None
        finally:
            del chain[target.id]
        return [i if i.rest_s is not None else replace(i, rest_s=target.rest_s) for i in expanded]

    def _loaded_routine(self, draft: RoutineDraft, item: Include) -> list[RoutineItem]:
        """The items of a routine already resolved in a library, each with its rest."""
        name = item.routine
        suggestions = [d.title for d in self._drafts.values()]
        for library in self._libraries():
            routine = library.find_routine(name, fuzzy=False)
            if routine is not None:
                return [replace(i, rest_s=routine.rest_after(i)) for i in routine.items]
            suggestions.extend(r.title for r in library.routines)
        hint = _hint(name, {spoken_key(t): t for t in reversed(suggestions)})
        raise RoutineError(draft.path, f"unknown routine {name!r}{hint}", item.line)

    def _guide(self, draft: RoutineDraft, item: RoutineItem) -> Guide:
        """The one guide an exercise names, exactly, in the library or the fallback."""
        name = item.exercise
        known: dict[str, str] = {}
        for library in self._libraries():
            match = library.find(name, fuzzy=False)
            if match.guide is not None:
                return match.guide
            if match.variants:
                raise RoutineError(draft.path, _several(name, match.variants), item.line)
            known = {**{spoken_key(n): n for n in library.groups()}, **known}
        hint = _hint(name, known)
        raise RoutineError(draft.path, f"unknown exercise {name!r}{hint}", item.line)
