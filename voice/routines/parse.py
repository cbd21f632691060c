"""The routine parser: one markdown file in, one unresolved `RoutineDraft` out, or a
`RoutineError` saying which file, which line and what is wrong.

A routine is a guide-like file whose YAML front matter has an `exercises:` list.
Everything that can be checked without the library is checked here (types, ranges,
keys), each problem on the line of the key or item that causes it: YAML's node marks
give those lines. The names in the list are resolved later, once every guide is
loaded (`voice.routines.resolve`). Drafts are plain frozen dataclasses, so they
travel back from the forked worker processes that parse a large library.

The front matter is read by the guides' reader (`voice.guides.front_matter`), so a
routine's title, aliases and broken YAML are handled exactly as a guide's are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import yaml

from voice.errors import GuideError, RoutineError
from voice.guides.front_matter import (
    YAML_LOADER,
    FrontMatter,
    aliases_of,
    optional_str,
    raw_front_matter,
    split_front_matter,
)
from voice.guides.holds import MAX_HOLD_S, MIN_HOLD_S
from voice.guides.inline import plain_text
from voice.guides.parse import read_guide_text
from voice.routines.model import (
    DEFAULT_TEMPO,
    MAX_ITEMS,
    MAX_PHASE_S,
    MAX_REP_S,
    MAX_REPS,
    MAX_REST_S,
    MAX_SETS,
    MIN_REP_S,
    RoutineItem,
    Tempo,
)

DEFAULT_REST_S = 20.0
"""Rest after each set where the routine does not say."""
MAX_PHASES = 4
"""A tempo names at most four phases ("3-1-1-0": down, pause, up, pause)."""

TOP_KEYS = ("title", "aliases", "rest_s", "exercises")
EXERCISE_KEYS = ("exercise", "sets", "reps", "hold_s", "tempo", "each_side", "rest_s")
ROUTINE_KEYS = ("routine",)

_EXERCISES_KEY = re.compile(r"^exercises[ \t]*:", re.M)
_TEMPO = re.compile(r"^\s*\d+(?:\.\d+)?(?:\s*-\s*\d+(?:\.\d+)?)*\s*$")
_HEADING_OR_BULLET = re.compile(r"^\s{0,3}(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+)", re.M)
_FRONT_LINE = 2
"""The file line of the front matter's first line: the opening `---` is line 1."""


@dataclass(frozen=True)
class Include:
    """A `routine:` entry: another routine's exercises, expanded in its place."""

    routine: str
    """The name as written: a routine's title, alias or id."""
    line: int
    """1-based line of the entry in its file."""


DraftItem: TypeAlias = RoutineItem | Include
"""An `exercises:` entry as read: an exercise, whose `guide_id` and `name` stay empty
until it is resolved against the library, or an include."""


@dataclass(frozen=True)
class RoutineDraft:
    """A routine file read and checked, its names not yet looked up in the library."""

    id: str
    title: str
    aliases: tuple[str, ...]
    rest_s: float
    items: tuple[DraftItem, ...]
    notes: str
    path: Path
    line: int | None = None
    """Line of the `exercises:` key, for problems of the list as a whole."""


def is_routine(text: str) -> bool:
    """Whether a file's text is a routine: its front matter has a top-level
    `exercises:` key. A cheap look at the text; the YAML is parsed once, later."""
    if not text.lstrip("\ufeff").startswith("---"):
        return False
    raw = raw_front_matter(_normalized(text))
    return raw is not None and _EXERCISES_KEY.search(raw) is not None


def parse_routine(path: Path, text: str | None = None) -> RoutineDraft:
    """Read the routine at `path` (or parse `text` as that file's content).

    Raises RoutineError (a GuideError), and nothing else, for anything that is not
    a usable routine.
    """
    try:
        text = read_guide_text(path) if text is None else text
        fm, body = split_front_matter(path, _normalized(text))
        return _draft(path, fm, body)
    except RoutineError:
        raise
    except GuideError as error:  # the guide reader's words, said of a routine
        raise RoutineError(error.path, error.message, error.line) from None


def _normalized(text: str) -> str:
    """One text form for every file: no byte-order mark, `\\n` line ends (so the
    front matter's closing `---` is found whatever the file's line ends)."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# --- the lines of keys and items ------------------------------------------------------


@dataclass(frozen=True)
class _Marks:
    """File lines of the front matter's keys and of each `exercises:` item's keys."""

    keys: Mapping[str, int]
    items: tuple[tuple[int, Mapping[str, int]], ...]
    """Per item: its own line and the lines of its keys."""


def _key_lines(node: yaml.Node) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): key.start_mark.line + _FRONT_LINE
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }


def _marks(fm: FrontMatter) -> _Marks:
    """Where each key and item is, from the node marks of the front matter composed
    again (only routines pay for it, and only a few hundred bytes)."""
    root = yaml.compose("\n".join(fm.lines), Loader=YAML_LOADER)
    if not isinstance(root, yaml.MappingNode):
        return _Marks({}, ())
    listed = next((v for k, v in root.value if getattr(k, "value", None) == "exercises"), None)
    items = (
        tuple((n.start_mark.line + _FRONT_LINE, _key_lines(n)) for n in listed.value)
        if isinstance(listed, yaml.SequenceNode)
        else ()
    )
    return _Marks(_key_lines(root), items)


# --- checking values ----------------------------------------------------------------


def _shown(value: Any) -> str:
    """A value as the file wrote it: `true`, `'three'`, `2.5`, `[1, 2]`."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)


def _is_number(value: Any) -> bool:
    """Numbers as YAML gives them; `true` is no number, though Python counts it one."""
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class _Fields:
    """One mapping's values and the lines they are on, checked one key at a time."""

    path: Path
    values: Mapping[str, Any]
    lines: Mapping[str, int]
    line: int | None
    """The mapping's own line, for what has no line of its own."""

    def error(self, key: str | None, message: str) -> RoutineError:
        line = self.lines.get(key, self.line) if key is not None else self.line
        return RoutineError(self.path, message, line)

    def refuse_unknown(self, allowed: tuple[str, ...], what: str) -> None:
        for key in self.values:
            if key not in allowed:
                raise self.error(
                    str(key), f"unknown {what} key {_shown(key)}; allowed: {', '.join(allowed)}"
                )

    def whole(self, key: str, low: int, high: int) -> int | None:
        value = self.values.get(key)
        if value is None:
            return None
        if not _is_number(value) or not float(value).is_integer():
            raise self.error(key, f"'{key}' must be a whole number, not {_shown(value)}")
        if not low <= value <= high:
            raise self.error(key, f"'{key}' must be {low} to {high}, not {value:g}")
        return int(value)

    def seconds(self, key: str, low: float, high: float) -> float | None:
        value = self.values.get(key)
        if value is None:
            return None
        if not _is_number(value):
            raise self.error(key, f"'{key}' must be a number of seconds, not {_shown(value)}")
        if not low <= value <= high:
            raise self.error(key, f"'{key}' must be {low:g} to {high:g} seconds, not {value:g}")
        return float(value)

    def flag(self, key: str) -> bool:
        value = self.values.get(key, False)
        if not isinstance(value, bool):
            raise self.error(key, f"'{key}' must be true or false, not {_shown(value)}")
        return value

    def name(self, key: str) -> str | None:
        value = self.values.get(key)
        if value is None:
            return None
        text = str(value).strip() if _is_number(value) or isinstance(value, str) else ""
        if not text:
            raise self.error(key, f"'{key}' must be a name, not {_shown(value)}")
        return text

    def tempo(self) -> Tempo | None:
        value = self.values.get("tempo")
        if value is None:
            return None
        if _is_number(value):
            phases: tuple[float, ...] = (float(value),)
        elif isinstance(value, str) and _TEMPO.match(value):
            phases = tuple(float(p) for p in value.split("-"))
        else:
            raise self.error(
                "tempo",
                "'tempo' must be seconds per rep (3) or per phase (2-1, 3-1-1), "
                f"not {_shown(value)}",
            )
        return self._checked_tempo(Tempo(phases))

    def _checked_tempo(self, tempo: Tempo) -> Tempo:
        if len(tempo.phases) > MAX_PHASES:
            raise self.error(
                "tempo", f"tempo {tempo} has {len(tempo.phases)} phases; at most {MAX_PHASES}"
            )
        if not all(0 <= p <= MAX_PHASE_S for p in tempo.phases):
            raise self.error(
                "tempo", f"tempo {tempo}: each phase must be 0 to {MAX_PHASE_S:g} seconds"
            )
        if not MIN_REP_S <= tempo.rep_s <= MAX_REP_S:
            raise self.error(
                "tempo",
                f"tempo {tempo} makes a rep of {tempo.rep_s:g} s; "
                f"a rep takes {MIN_REP_S:g} to {MAX_REP_S:g} s",
            )
        return tempo


# --- the routine --------------------------------------------------------------------


def _draft(path: Path, fm: FrontMatter, body: str) -> RoutineDraft:
    marks = _marks(fm)
    top = _Fields(path, fm.data, marks.keys, None)
    top.refuse_unknown(TOP_KEYS, "front matter")
    title = optional_str(path, fm, "title") or _title_from_stem(path.stem)
    aliases = aliases_of(path, fm)
    rest_s = top.seconds("rest_s", 0.0, MAX_REST_S)
    listed = fm.data.get("exercises")
    if not isinstance(listed, list) or not listed:
        raise top.error("exercises", "'exercises' must be a list of at least one exercise")
    if len(listed) > MAX_ITEMS:
        raise top.error("exercises", f"{len(listed)} exercises; a routine has at most {MAX_ITEMS}")
    line = marks.keys.get("exercises")
    lines = marks.items if len(marks.items) == len(listed) else ((line or 1, {}),) * len(listed)
    items = tuple(
        _item(_Fields(path, raw if isinstance(raw, dict) else {}, keys, item_line), raw)
        for raw, (item_line, keys) in zip(listed, lines, strict=True)
    )
    return RoutineDraft(
        id=path.stem,
        title=title,
        aliases=aliases,
        rest_s=DEFAULT_REST_S if rest_s is None else rest_s,
        items=items,
        notes=_notes(body),
        path=path,
        line=line,
    )


def _item(fields: _Fields, raw: Any) -> DraftItem:
    """One `exercises:` entry checked: an exercise with its work, or an include."""
    if not isinstance(raw, dict):
        raise fields.error(
            None, f"each exercise must be a mapping like 'exercise: wall sit', not {_shown(raw)}"
        )
    if ("exercise" in raw) == ("routine" in raw):
        raise fields.error(None, "each item needs one of 'exercise' or 'routine'")
    if "routine" in raw:
        fields.refuse_unknown(ROUTINE_KEYS, "routine item")
        return Include(fields.name("routine") or "", fields.line or 1)
    fields.refuse_unknown(EXERCISE_KEYS, "exercise")
    return _exercise(fields)


def _exercise(fields: _Fields) -> DraftItem:
    """Each value checked where it stands, then how they go together."""
    item = RoutineItem(
        exercise=fields.name("exercise") or "",
        guide_id="",
        name="",
        sets=fields.whole("sets", 1, MAX_SETS) or 1,
        reps=fields.whole("reps", 1, MAX_REPS),
        hold_s=fields.seconds("hold_s", MIN_HOLD_S, MAX_HOLD_S),
        tempo=fields.tempo() or DEFAULT_TEMPO,
        each_side=fields.flag("each_side"),
        rest_s=fields.seconds("rest_s", 0.0, MAX_REST_S),
        line=fields.line or 1,
    )
    if item.reps is not None and item.hold_s is not None:
        raise fields.error("hold_s", "give reps or hold_s, not both")
    if item.reps is None and item.hold_s is None:
        raise fields.error("exercise", "give reps or hold_s")
    if "tempo" in fields.values and item.reps is None:
        raise fields.error("tempo", "'tempo' goes with reps, not with hold_s")
    return item


def _title_from_stem(stem: str) -> str:
    """A title for a file without one, as guides get theirs: `morning_mobility` is
    "Morning Mobility"."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", stem) if w]
    return " ".join(w.capitalize() for w in words) or stem


def _notes(body: str) -> str:
    """The body as plain text: paragraphs kept apart, markup, headings' `#` and list
    bullets gone."""
    paragraphs = re.split(r"\n\s*\n", body.strip())
    plain = (plain_text(_HEADING_OR_BULLET.sub("", p)) for p in paragraphs)
    return "\n\n".join(p for p in plain if p)
