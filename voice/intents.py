"""The intents a user can express, and a recognized command.

Kept apart from the phrase vocabulary (`voice.commands`) so that the session,
the listener and the command line can share these types without importing the
whole grammar.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Intent(StrEnum):
    """What the user wants; the value is what `coach hear` prints."""

    START = "start"
    """Start an exercise or a routine; `arg` is the guide or routine id (or a group name)."""
    NEXT = "next"
    BACK = "back"
    REPEAT = "repeat"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"
    RESTART = "restart"
    HELP = "help"
    TIPS = "tips"
    MISTAKES = "mistakes"
    TIME_LEFT = "time_left"
    LIST = "list"
    SKIP = "skip"
    QUIT = "quit"
    """Leave the coach altogether."""
    CHOOSE = "choose"
    """An answer to "barbell or bodyweight?"; `arg` is the equipment."""
    WHATS_NEXT = "whats_next"
    """What comes after this step or set, without moving on."""
    HOW_MANY = "how_many"
    """How many reps or sets are left (in a routine)."""
    ADD_TIME = "add_time"
    """More rest: `arg` is the seconds to add, as digits (default 30)."""
    READ_STEPS = "read_steps"
    """Read the current exercise's steps (in a routine, time stops meanwhile)."""
    RECAP = "recap"
    """"How did I do": this session so far (the last one, when nothing was done yet)."""
    LAST_TIME = "last_time"
    """"What did I do last time": the last recorded session."""


@dataclass(frozen=True)
class Command:
    """A recognized command: an intent and, for some intents, its argument."""

    intent: Intent
    arg: str | None = None
