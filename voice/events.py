"""The session's event vocabulary, as written by `coach run --events` (one JSON line each).

Every event carries `t`, seconds on the session timeline (the audio input's time).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class Event:
    """Base of all session events."""

    type: ClassVar[str] = "event"
    t: float

    def to_json(self) -> dict[str, Any]:
        data = {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}
        return {"t": data.pop("t"), "type": self.type, **data}


@dataclass(frozen=True)
class Heard(Event):
    """The listener decided on an utterance (intent None for non-commands)."""

    type: ClassVar[str] = "heard"
    intent: str | None
    arg: str | None
    text: str
    start_s: float = 0.0
    end_s: float = 0.0
    confidence: float | None = None
    """How sure the listener was (0..1); 1 for a typed line."""


@dataclass(frozen=True)
class Ignored(Event):
    """A command the listener heard but the own-voice filter judged to be the coach's echo."""

    type: ClassVar[str] = "ignored"
    intent: str | None
    text: str
    reason: str
    start_s: float = 0.0
    end_s: float = 0.0


@dataclass(frozen=True)
class Said(Event):
    """The coach started speaking a line."""

    type: ClassVar[str] = "say"
    text: str


@dataclass(frozen=True)
class SayEnd(Event):
    """A line ended: finished, or cut off by `stop()`."""

    type: ClassVar[str] = "say_end"
    text: str
    interrupted: bool


@dataclass(frozen=True)
class StepStarted(Event):
    """The session moved to a step (0-based index)."""

    type: ClassVar[str] = "step"
    index: int
    title: str
    total: int | None = None
    """How many steps the guide has (an addition to the contract's fields)."""


@dataclass(frozen=True)
class Tick(Event):
    """A countdown second passed; `remaining_s` is what is left of the hold."""

    type: ClassVar[str] = "tick"
    remaining_s: float


@dataclass(frozen=True)
class StateChanged(Event):
    """The session's state changed."""

    type: ClassVar[str] = "state"
    state: str


@dataclass(frozen=True)
class ExerciseStarted(Event):
    """An exercise's guide began (by its name; a routine's sets have `set` events)."""

    type: ClassVar[str] = "exercise"
    id: str
    name: str
    steps: int


@dataclass(frozen=True)
class HoldEnded(Event):
    """A hold ended: `kept` to its end, or cut short after `held_s` seconds of holding.

    `seconds` is the hold's length (per side, for a hold on each side); `held_s`
    counts both sides and leaves out pauses and the switch between sides.
    """

    type: ClassVar[str] = "hold_end"
    seconds: float
    held_s: float
    kept: bool


@dataclass(frozen=True)
class RoutineStarted(Event):
    """A routine began: its title and its exercises' names, in order."""

    type: ClassVar[str] = "routine"
    title: str
    exercises: tuple[str, ...]


@dataclass(frozen=True)
class SetStarted(Event):
    """A set of a routine's exercise began (1-based `set` of `sets`)."""

    type: ClassVar[str] = "set"
    exercise: str
    set: int
    sets: int
    id: str = ""
    """The exercise's guide id (an addition to the routine events' first fields)."""


@dataclass(frozen=True)
class Rep(Event):
    """Rep `n` of `reps` was completed, on the tempo's schedule."""

    type: ClassVar[str] = "rep"
    n: int
    reps: int
    side: int | None = None
    """1 or 2 in a set done on each side; None otherwise."""


@dataclass(frozen=True)
class Rest(Event):
    """A rest of `seconds` began; `next` says what follows it."""

    type: ClassVar[str] = "rest"
    seconds: float
    next: str


@dataclass(frozen=True)
class RoutineEnded(Event):
    """A routine ended, finished or stopped: sets `done` and `skipped`, and its time."""

    type: ClassVar[str] = "routine_end"
    done: int
    skipped: int
    elapsed_s: float
    finished: bool = True
    """False when the user stopped it before its last set."""
