"""What a user may sensibly say right now, by the session's situation.

Pure: a `Context` names the situation; `allows` says whether a command fits it.
The recognizer scores and accepts only the phrases that fit, so "hip thrust"
never competes with "hip flexor stretch" while the user is holding a plank, and
a bare equipment word ("band", close to "bad" and "bed") is only heard right
after the coach asked which equipment.
"""

from __future__ import annotations

from enum import StrEnum

from voice.intents import Command, Intent


class Context(StrEnum):
    """The listening situations; the session's states map onto these."""

    ANY = "any"
    """Everything the vocabulary holds (`coach hear` on a recording with no session)."""
    WAITING = "waiting"
    """No exercise running: names start one; general commands work."""
    CHOOSING = "choosing"
    """The coach asked which equipment: equipment answers, names and general commands."""
    EXERCISE = "exercise"
    """Mid-exercise (reading, holding, ready, paused): commands, and "start <name>"
    (with its frame word) to switch to another exercise."""


BETWEEN_EXERCISES = frozenset({Intent.RECAP, Intent.LAST_TIME})
"""Questions about progress: asked between exercises, never heard mid-exercise."""
_GENERAL = frozenset(Intent) - {Intent.START, Intent.CHOOSE} - BETWEEN_EXERCISES


def allows(context: Context, command: Command, *, framed: bool) -> bool:
    """Whether `command` fits `context`. `framed`: the phrase said a start frame
    ("start", "let's do") before an exercise name, rather than the bare name."""
    if context is Context.ANY:
        return True
    if command.intent is Intent.CHOOSE:
        return context is Context.CHOOSING
    if command.intent is Intent.START:
        return context is not Context.EXERCISE or framed
    if command.intent in BETWEEN_EXERCISES:
        return context is Context.WAITING
    return command.intent in _GENERAL


def context_for_state(state: str) -> Context:
    """The listening context for a session state's value (`voice.coaching.actions.State`)."""
    if state in ("waiting", "finished", "quit"):
        return Context.WAITING
    if state == "choosing":
        return Context.CHOOSING
    return Context.EXERCISE
