"""What a routine is once read and resolved against the library of guides.

Frozen dataclasses, like the guides: a loaded library (guides and routines) is
shared by the listener, the session and the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_SETS = 20
"""Sets of one exercise: more is a typo ("10000"), not a workout."""
MAX_REPS = 100
MAX_REST_S = 600.0
MAX_ITEMS = 50
"""Exercises in one routine, includes expanded."""
MIN_REP_S = 0.5
"""The shortest rep a tempo may give: faster cannot be counted aloud."""
MAX_REP_S = 20.0
MAX_PHASE_S = 10.0
"""The longest single phase of a tempo ("down" of "2-1")."""
MAX_TOTAL_S = 4 * 3600.0
"""A routine whose plan runs longer than this is refused: it is a typo."""


@dataclass(frozen=True)
class Tempo:
    """How long each rep takes, phase by phase: "2-1" is 2 s down and 1 s up."""

    phases: tuple[float, ...]

    @property
    def rep_s(self) -> float:
        """Seconds of one rep: the phases added up."""
        return float(sum(self.phases))

    def __str__(self) -> str:
        return "-".join(f"{p:g}" for p in self.phases)


DEFAULT_TEMPO = Tempo((2.0, 1.0))
"""Two seconds down, one up: an unhurried, controlled rep (3 s each)."""


@dataclass(frozen=True)
class RoutineItem:
    """One exercise of a routine: which guide, how many sets, and the work of each set.

    Exactly one of `reps` and `hold_s` is set.
    """

    exercise: str
    """The name as written in the file ("wall sit")."""
    guide_id: str
    """The guide it resolved to in the library."""
    name: str
    """The guide's spoken name ("Wall Sit")."""
    sets: int = 1
    reps: int | None = None
    hold_s: float | None = None
    tempo: Tempo = DEFAULT_TEMPO
    each_side: bool = False
    """Each set is done on one side, then the other."""
    rest_s: float | None = None
    """Rest after each set of this exercise; None takes the routine's."""
    line: int | None = None
    """1-based line of the item in its file."""


@dataclass(frozen=True)
class Routine:
    """A routine as the coach runs it: its items in order, includes expanded."""

    id: str
    """The file's stem: `morning_mobility`."""
    title: str
    aliases: tuple[str, ...]
    rest_s: float
    """Rest after each set, unless an item says otherwise."""
    items: tuple[RoutineItem, ...]
    notes: str = ""
    """The markdown body, as plain text (read on request)."""
    path: Path | None = field(default=None, compare=False)

    @property
    def set_count(self) -> int:
        """Sets in the whole routine."""
        return sum(item.sets for item in self.items)

    def rest_after(self, item: RoutineItem) -> float:
        return self.rest_s if item.rest_s is None else item.rest_s

    def to_json(self) -> dict[str, Any]:
        """The `coach show --json` object of a routine (`"kind": "routine"`)."""
        from voice.routines.plan import estimate_s

        return {
            "kind": "routine",
            "file": str(self.path) if self.path is not None else None,
            "id": self.id,
            "title": self.title,
            "aliases": list(self.aliases),
            "rest_s": self.rest_s,
            "exercises": [
                {
                    "exercise": i.exercise,
                    "id": i.guide_id,
                    "name": i.name,
                    "sets": i.sets,
                    "reps": i.reps,
                    "hold_s": i.hold_s,
                    "tempo": str(i.tempo) if i.reps is not None else None,
                    "each_side": i.each_side,
                    "rest_s": self.rest_after(i),
                }
                for i in self.items
            ],
            "estimate_s": round(estimate_s(self)),
            "notes": self.notes,
        }
