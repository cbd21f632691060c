"""A routine laid out as the sets the coach runs, one after another, and how long it takes.

Pure data: `sets_of(routine)` gives every set in order with the rest that follows
it, so the session walks a list and `coach show` prints the same list.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice.guides.holds import SWITCH_S
from voice.routines.model import Routine, RoutineItem

SPEECH_S = 4.0
"""An estimate of the talk around each set (its name, "set 2 of 3"), for time estimates."""


@dataclass(frozen=True)
class PlannedSet:
    """One set of one exercise, as run."""

    position: int
    """0-based place of the set in the whole routine."""
    item_index: int
    """0-based index of its exercise in `Routine.items`."""
    item: RoutineItem
    number: int
    """1-based set number within its exercise."""
    rest_after_s: float
    """Rest after it, in whole seconds (as the rest's countdown keeps it); 0 for the
    routine's last set."""

    @property
    def first_of_item(self) -> bool:
        return self.number == 1

    @property
    def work_s(self) -> float:
        """Seconds of the set's work: its reps at their tempo, or its hold, per side."""
        item = self.item
        one_side = item.reps * item.tempo.rep_s if item.reps is not None else item.hold_s or 0.0
        return one_side * 2 + SWITCH_S if item.each_side else one_side


def sets_of(routine: Routine) -> tuple[PlannedSet, ...]:
    """Every set of `routine` in the order they are done, each with its rest after."""
    flat = [
        (index, item, n)
        for index, item in enumerate(routine.items)
        for n in range(1, item.sets + 1)
    ]
    out: list[PlannedSet] = []
    for position, (index, item, number) in enumerate(flat):
        last = position == len(flat) - 1
        rest = 0.0 if last else float(round(routine.rest_after(item)))
        out.append(PlannedSet(position, index, item, number, rest))
    return tuple(out)


def estimate_s(routine: Routine) -> float:
    """About how long the routine takes: work, rest and the coach's talk between sets."""
    return sum(s.work_s + s.rest_after_s + SPEECH_S for s in sets_of(routine))
