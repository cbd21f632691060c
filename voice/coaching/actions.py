"""What flows into and out of the coaching session: its inputs, its actions, its states.

Plain frozen data, apart from the session (voice.coaching.session) and the
routine it may be running (voice.coaching.workout), so both speak one
vocabulary and the stages that carry the actions out (voice.coaching.stages)
need neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from voice.guides.model import Hold
from voice.intents import Command

# ---------------------------------------------------------------------------
# Actions: what the loop must do.


@dataclass(frozen=True)
class Say:
    """Speak a line (queued after anything already queued)."""

    text: str


@dataclass(frozen=True)
class StopSpeaking:
    """Cut the current line and drop the queue (barge-in)."""


@dataclass(frozen=True)
class StartHold:
    """Start counting `hold` down; `cues` are key points to speak in long gaps."""

    hold: Hold
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class PauseHold:
    """Freeze the running countdown."""


@dataclass(frozen=True)
class ResumeHold:
    """Continue a frozen countdown from where it stopped."""


@dataclass(frozen=True)
class CancelHold:
    """Drop the countdown, if one is running or paused."""


@dataclass(frozen=True)
class EnterStep:
    """The session moved to step `index` (0-based) of the current guide."""

    index: int
    title: str
    total: int | None = None
    """How many steps the guide has (for "step N of M" captions)."""


@dataclass(frozen=True)
class EnterExercise:
    """A guide begins, named by the user (a routine's exercises begin with their sets)."""

    guide_id: str
    name: str
    steps: int


@dataclass(frozen=True)
class EnterState:
    """The session entered `state` (one of `State`'s values)."""

    state: str


@dataclass(frozen=True)
class Quit:
    """The user asked to leave; the loop ends once the goodbye is said."""


@dataclass(frozen=True)
class StartReps:
    """Count a set of `reps` reps of `rep_s` seconds each (twice, with `each_side`)."""

    reps: int
    rep_s: float
    each_side: bool = False


@dataclass(frozen=True)
class StartRest:
    """Rest for `seconds`: `announce` opens it; `next` names what follows (for events)."""

    seconds: float
    announce: str
    next: str


@dataclass(frozen=True)
class ExtendRest:
    """Make the running rest `seconds` longer."""

    seconds: float


@dataclass(frozen=True)
class EnterRoutine:
    """A routine began: its title and its exercises' names."""

    title: str
    exercises: tuple[str, ...]


@dataclass(frozen=True)
class EnterSet:
    """Set `number` of `sets` of `exercise` begins (when its timer does, if chained)."""

    exercise: str
    number: int
    sets: int
    guide_id: str = ""


@dataclass(frozen=True)
class EndRoutine:
    """The routine ended: sets done and skipped; `finished` is False when stopped."""

    done: int
    skipped: int
    finished: bool
    elapsed_s: float
    """Session seconds since the routine (or its "start over") began."""


Action = (
    Say
    | StopSpeaking
    | StartHold
    | StartReps
    | StartRest
    | ExtendRest
    | PauseHold
    | ResumeHold
    | CancelHold
    | EnterExercise
    | EnterStep
    | EnterState
    | EnterRoutine
    | EnterSet
    | EndRoutine
    | Quit
)

# ---------------------------------------------------------------------------
# Internal events: what the loop observed.


@dataclass(frozen=True)
class SpeechFinished:
    """Everything queued on the speaker has been said (or cut)."""


@dataclass(frozen=True)
class HoldFinished:
    """The countdown under way (a step's hold, a set's reps or hold, a rest) reached zero."""


@dataclass(frozen=True)
class IdleTimeout:
    """`Session.idle_after_s` passed with the coach silent and nothing heard."""


Input = Command | SpeechFinished | HoldFinished | IdleTimeout


class State(StrEnum):
    """Where the session is; written as `state` events."""

    WAITING = "waiting"
    """No exercise chosen yet (or the last one was stopped)."""
    CHOOSING = "choosing"
    """Asked which equipment variant of a name the user means."""
    INTRO = "intro"
    """Saying the exercise's name and description (step 1 follows at once)."""
    READING = "reading"
    """Reading a step's title and text (in a routine: the exercise's steps)."""
    HOLDING = "holding"
    """Counting the step's hold down."""
    READY = "ready"
    """The step (and its hold) is done: waiting for "next"."""
    PAUSED = "paused"
    SET = "set"
    """A routine: announcing the next set (its timer starts when the line ends)."""
    REPS = "reps"
    """A routine: counting a set's reps at their tempo."""
    RESTING = "resting"
    """A routine: resting between sets."""
    FINISHED = "finished"
    """The last step is done; another exercise may be started."""
    QUIT = "quit"
