"""What a guide is once read: an exercise, its sections, its steps and their holds.

Frozen dataclasses, so a loaded library can be shared by the listener, the session
and the command line without anyone changing it under the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Hold:
    """A pause in a step that the coach counts down."""

    seconds: float
    """How long to hold, per side where `per_side` is set."""
    phrase: str
    """The words of the step the hold was read from ("hold for 30 seconds")."""
    stated: bool
    """True where the guide gives the seconds; False where a default filled them in."""
    per_side: bool = False
    """True where the hold is done once on each side ("on each side")."""


@dataclass(frozen=True)
class Step:
    """One howto step: what the coach reads, then counts if it holds."""

    title: str
    text: str
    hold: Hold | None
    line: int
    """1-based line of the step's title in its file."""


class Role(StrEnum):
    """What a section above the howto marker is for, judged by its heading's meaning."""

    SETUP = "setup"
    MOVEMENT = "movement"
    KEY_POINTS = "key_points"
    MISTAKES = "mistakes"
    OTHER = "other"


@dataclass(frozen=True)
class Section:
    """A titled section above the howto marker (Setup, Execution, Tips, ...)."""

    title: str
    role: Role
    items: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Guide:
    """One exercise guide, as the coach uses it."""

    id: str
    """The file's stem: `hipthrust_bodyweight`."""
    name: str
    """What a person says: "Hip Thrust"."""
    equipment: str
    aliases: tuple[str, ...]
    video: str | None
    description: str
    steps: tuple[Step, ...]
    sections: tuple[Section, ...] = ()
    key_points: tuple[str, ...] = ()
    mistakes: tuple[str, ...] = ()
    path: Path | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The `coach show --json` object (see DESIGN.md, Contracts)."""
        return {
            "file": str(self.path) if self.path is not None else None,
            "id": self.id,
            "name": self.name,
            "equipment": self.equipment,
            "aliases": list(self.aliases),
            "video": self.video,
            "description": self.description,
            "steps": [
                {
                    "title": s.title,
                    "text": s.text,
                    "hold_s": s.hold.seconds if s.hold is not None else None,
                }
                for s in self.steps
            ],
            "key_points": list(self.key_points),
            "mistakes": list(self.mistakes),
        }
