"""The table of everything the coach says (voice.coaching.prompts).

The coach's voice comes back through the microphone. A line that is, on its own,
a command the coach obeys ("next", "paused" read as "pause") is a command the
coach can give itself, so every prompt is filled with representative values (each
exercise of the bundled library, the numbers 1 to 60, every state) and each
prompt, and each sentence of it as the speaker cuts it into lines, is read
through the real vocabulary. A quoted command inside a longer sentence ("Say
'next' when you're ready.") is fine exactly when the whole sentence is no command.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import string
from collections.abc import Callable, Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path

import pytest

from voice.coaching import prompts
from voice.coaching.actions import State
from voice.commands import Vocabulary
from voice.guides.library import load_library
from voice.numbers import counted
from voice.speaking.text import lines

LIBRARY = load_library().library
VOCABULARY = Vocabulary.from_library(LIBRARY)
GROUPS = LIBRARY.groups()
GUIDES = LIBRARY.guides
NAMES = sorted({*GROUPS, *(g.name for g in GUIDES)})
EQUIPMENT = sorted({g.equipment for g in GUIDES if g.equipment})
NUMBERS = range(1, 61)
STATES = [s.value for s in State]
CHOICES = [
    *(prompts.either(g.equipment for g in group) for group in GROUPS.values()),
    *(prompts.either(NAMES[i : i + n]) for n in (1, 2, 3) for i in range(0, len(NAMES), n)),
]
STEPS = [step for g in GUIDES for step in g.steps]
WHATS = [prompts.KEY_POINTS, prompts.COMMON_MISTAKES]
ROUTINE_TITLES = [r.title for r in LIBRARY.routines]
COUNTS = [
    counted(n, noun)
    for noun in ("set", "rep", "more set", "more step", "exercise")
    for n in (1, 2, 12)
]
NEXT_SETS = [prompts.next_set(name, n, sets) for name in NAMES for n, sets in ((1, 1), (2, 3))]
DURATIONS = [prompts.duration(s) for s in (1, 30, 60, 61, 125, 600, 3600)]
BESTS = [prompts.longest_yet(name, s) for name in NAMES[:3] for s in (30, 90)]
RECAP_ITEMS = [
    prompts.recap_item(name, steps=steps, sets=sets, reps=reps, hold_s=hold)
    for name in NAMES
    for steps, sets, reps, hold in ((0, 0, 0, 0), (4, 0, 0, 60), (0, 3, 30, 0), (2, 1, 0, 45))
]
RECAPS = [
    prompts.recap_items(RECAP_ITEMS[i : i + n]) for n in (1, 2, 5) for i in range(0, 40, n)
] + [f"{title}: {prompts.recap_items(RECAP_ITEMS[:2])}" for title in ROUTINE_TITLES]
WHENS = [
    prompts.day_said(date(2026, 12, 2) - timedelta(days=ago), date(2026, 12, 2))
    for ago in (0, 1, 3, 30, 300)
]

SLOTS: Mapping[str, list[str] | list[int]] = {
    "name": NAMES,
    "spoken": [*NAMES, *(a for g in GUIDES for a in g.aliases)],
    "equipment": EQUIPMENT,
    "choices": CHOICES,
    "number": list(NUMBERS),
    "total": [*NUMBERS[::-1]],
    "title": [*(s.title for s in STEPS), *ROUTINE_TITLES],
    "text": [s.text for s in STEPS],
    "what": WHATS,
    "sets": [*NUMBERS, *COUNTS],
    "reps": COUNTS,
    "steps": COUNTS,
    "exercises": COUNTS,
    "routines": [prompts.either(ROUTINE_TITLES[:n]) for n in (1, 2, len(ROUTINE_TITLES))],
    "duration": DURATIONS,
    "next": NEXT_SETS,
    "left": [prompts.time_left(s) for s in (1, 30, 75)],
    "when": WHENS,
    "items": RECAPS,
    "ending": list(prompts.ENDINGS.values()),
}
"""Representative values for each template slot (`str.format` field) in the table."""


def _filled(template: str) -> Iterator[str]:
    """`template` with every sample of every slot used at least once (the slots'
    samples are walked side by side, the shorter ones round again)."""
    fields = sorted({f for _, f, _, _ in string.Formatter().parse(template) if f})
    if not fields:
        yield template
        return
    missing = [f for f in fields if f not in SLOTS]
    assert not missing, f"no sample values for slot(s) {missing}: add them to SLOTS"
    rounds = max(len(SLOTS[f]) for f in fields)
    for i in range(rounds):
        yield template.format(**{f: SLOTS[f][i % len(SLOTS[f])] for f in fields})


def _listings() -> Iterator[str]:
    for guide, what in itertools.product(GUIDES, WHATS):
        items = guide.key_points if what == prompts.KEY_POINTS else guide.mistakes
        if items:
            yield prompts.listing(what, items)


FUNCTIONS: Mapping[str, Callable[[], Iterator[str]]] = {
    "help_for": lambda: (prompts.help_for(s, c) for s in STATES for c in CHOICES[:3]),
    "reminder_for": lambda: (prompts.reminder_for(s) for s in STATES),
    "introduction": lambda: itertools.chain(
        (prompts.introduction(g.name, g.equipment, g.description) for g in GUIDES),
        (prompts.introduction(name, "", "") for name in NAMES),
    ),
    "finished": lambda: (
        prompts.finished(name, lead, bests)
        for name in (*NAMES, None)
        for lead in ("", prompts.NO_STEPS, prompts.FIRST_STEP)
        for bests in ("", *BESTS[:2])
    ),
    "stopped": lambda: (
        prompts.stopped(name, bests) for name in (*NAMES, None) for bests in ("", *BESTS[:2])
    ),
    "longest_yet": lambda: iter(BESTS),
    "listing": _listings,
    "exercise_list": lambda: (
        prompts.exercise_list(list(GROUPS), limit, ROUTINE_TITLES[:n])
        for limit in range(1, len(GROUPS) + 2)
        for n in (0, 1, len(ROUTINE_TITLES))
    ),
    "time_left": lambda: (prompts.time_left(s) for s in (*NUMBERS, *range(60, 601, 5), 0.4)),
    "routine_start": lambda: (
        prompts.routine_start(title, n, s)
        for title in ROUTINE_TITLES
        for n in (1, 5)
        for s in (200, 610)
    ),
    "work": lambda: (
        prompts.work(reps, hold, side)
        for reps, hold in ((1, None), (12, None), (None, 30.0), (None, 90.0))
        for side in (False, True)
    ),
    "set_line": lambda: (
        prompts.set_line(n, sets, prompts.work(reps, None, False))
        for n, sets in ((1, 1), (2, 3))
        for reps in (1, 10)
    ),
    "exercise_up": lambda: (
        prompts.exercise_up(g.name, cue) for g in GUIDES for cue in ("", *g.key_points[:1])
    ),
    "steps_text": lambda: (
        prompts.steps_text(g.name, [(s.title, s.text) for s in g.steps]) for g in GUIDES
    ),
    "cue": lambda: (prompts.cue(point) for g in GUIDES for point in g.key_points),
}
"""How each of the table's functions is called with representative values."""

HELPERS = {
    "either",
    "duration",
    "first_sentence",
    "next_set",
    "recap_item",
    "recap_items",
    "day_said",
    "joined",
}
"""Public functions that build a slot's value, not a line (their output is in `CHOICES`)."""
FRAGMENTS = {"KEY_POINTS", "COMMON_MISTAKES"}
"""Words said only inside a line (the `what` of `NEED_EXERCISE`, `NONE_LISTED` and
`listing`), never alone: checked through those lines, as `SLOTS["what"]`."""


def _table() -> dict[str, list[str]]:
    """Every prompt name in `prompts` -> the lines it can say, filled in."""
    table: dict[str, list[str]] = {}
    for name, value in vars(prompts).items():
        if name.startswith("_") or inspect.ismodule(value):
            continue
        if isinstance(value, str):
            table[name] = [] if name in FRAGMENTS else list(_filled(value))
        elif isinstance(value, Mapping):
            table[name] = [line for v in value.values() for line in _filled(v)]
        elif inspect.isfunction(value) and value.__module__ == prompts.__name__:
            table[name] = [] if name in HELPERS else list(FUNCTIONS[name]())
    return table


TABLE = _table()


def test_every_function_of_the_table_is_enumerated() -> None:
    functions = {
        name
        for name, value in vars(prompts).items()
        if inspect.isfunction(value) and value.__module__ == prompts.__name__
    }
    public = {name for name in functions if not name.startswith("_")}
    assert public - HELPERS == set(FUNCTIONS), "add new prompt functions to FUNCTIONS"


def test_the_table_is_not_empty() -> None:
    assert len(TABLE) > 30
    lines_of = {name: said for name, said in TABLE.items() if name not in FRAGMENTS | HELPERS}
    assert all(lines_of.values()), [name for name, said in lines_of.items() if not said]
    assert set(SLOTS["what"]) == {getattr(prompts, name) for name in FRAGMENTS}


def test_per_state_prompts_are_keyed_by_states() -> None:
    assert set(prompts.HELP) <= set(STATES)
    assert set(prompts.REMINDERS) <= set(STATES)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_no_prompt_is_a_command_on_its_own(name: str) -> None:
    """Neither a whole prompt nor any line the speaker cuts it into is a command."""
    offenders: dict[str, str] = {}
    for said in TABLE[name]:
        for line in dict.fromkeys([said, *lines(said)]):
            command = VOCABULARY.match_text(line)
            if command is not None:
                offenders.setdefault(line, f"{command.intent.value} {command.arg or ''}".strip())
    assert not offenders, f"{name} says a command on its own: {offenders}"


def _uses(root: Path) -> set[str]:
    """Names of the table used in `root`'s modules: `prompts.X`, imported `X`, and
    (inside the table itself) any `X` read by another prompt or function."""
    used: set[str] = set()
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        own = path.resolve() == Path(prompts.__file__).resolve()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.value.id == "prompts":
                    used.add(node.attr)
            elif isinstance(node, ast.ImportFrom) and node.module == prompts.__name__:
                used.update(alias.name for alias in node.names)
            elif own and isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                used.add(node.id)
    return used


def test_every_prompt_is_said_somewhere() -> None:
    """No dead prompts: each name of the table is used by the coach (voice/)."""
    voice_root = Path(prompts.__file__).resolve().parents[1]
    dead = sorted(set(TABLE) - _uses(voice_root))
    assert not dead, f"prompts nothing in voice/ says: {dead}"
