"""Sessions as the history keeps them, as plain data.

A session that was written up to some moment and never closed (the process was
killed, the machine lost power) has no `ended`: it is "cut off", and its
duration runs to the last thing recorded (`last_at`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    """How a session ended."""

    FINISHED = "finished"
    """The last exercise or routine begun ran to its end."""
    STOPPED = "stopped"
    """The session ended with the last exercise or routine unfinished."""
    CUT_OFF = "cut off"
    """The session never ended: the coach was killed or crashed mid-session."""


@dataclass(frozen=True)
class ExerciseRecord:
    """One exercise in a session (all its runs and sets there together)."""

    id: str
    """The guide's id."""
    name: str
    steps_done: int = 0
    """How many of the guide's steps were reached (0 in a routine's sets)."""
    sets: int = 0
    """A routine's sets of it that were done (their reps or hold ran out)."""
    reps: int = 0
    """Reps counted (on each side, a set done on each side counts its reps once)."""
    hold_s: float = 0.0
    """Seconds spent holding, in all its holds (kept or cut short)."""
    longest_hold_s: float = 0.0
    """The longest hold kept to its end (per side for a hold on each side)."""
    finished: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "steps_done": self.steps_done,
            "sets": self.sets,
            "reps": self.reps,
            "hold_s": round(self.hold_s, 1),
        }


@dataclass(frozen=True)
class SessionRecord:
    """One session, as read back from the history."""

    id: int
    started: datetime
    ended: datetime | None
    """None when the session was cut off."""
    last_at: datetime
    """When its last event was recorded."""
    outcome: Outcome
    routine: str | None = None
    """The title of the (first) routine run in it."""
    exercises: tuple[ExerciseRecord, ...] = ()

    @property
    def duration_s(self) -> float:
        """From start to end, or to the last thing recorded when cut off."""
        end = self.ended or self.last_at
        return max(0.0, (end - self.started).total_seconds())

    def to_json(self) -> dict[str, Any]:
        """The `coach history --json` shape (see the README): times in the user's
        local time, with its offset."""
        ended = self.ended.astimezone().isoformat(timespec="seconds") if self.ended else None
        return {
            "started": self.started.astimezone().isoformat(timespec="seconds"),
            "ended": ended,
            "outcome": self.outcome.value,
            "routine": self.routine,
            "exercises": [e.to_json() for e in self.exercises],
        }


@dataclass(frozen=True)
class Past:
    """What a session is told about the ones before it, read once when it starts."""

    today: date
    """The user's date when the session began ("yesterday" is said from it)."""
    last: SessionRecord | None = None
    """The most recent session before this one."""
    best_hold_s: Mapping[str, float] = field(default_factory=dict)
    """The longest hold ever kept, by guide id."""
