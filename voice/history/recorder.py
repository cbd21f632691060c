"""Writing a session into the history as it goes, from its events.

The `Recorder` is one more sink on the session's event bus (beside the events
file and the captions): it follows the session from behind and never talks back
to it. Each event that changes the record is one transaction (voice.history.store),
written the moment the event happens, so a session killed at any point is on
disk up to its last event, and is shown as "cut off" because its end never came.

The session's row is only made when something is done, in the same transaction
as the exercise or routine that begins it: a coach opened and closed again, or
killed in between, leaves no empty session behind. Times are the session's
timeline laid on the wall clock where its first event is seen, so a live
session's times are the user's, and a simulated one (`--fast`) is recorded with
the durations it simulated.

Any failure of the history (a full disk, a file made read-only mid-session) is
one line, once, and the session goes on without history.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from voice.events import (
    Event,
    ExerciseStarted,
    HoldEnded,
    Rep,
    RoutineEnded,
    RoutineStarted,
    SetStarted,
    StateChanged,
    StepStarted,
)
from voice.history.model import Outcome, Past
from voice.history.store import HistoryError, HistoryStore

Warn = Callable[[str], None]


def _now() -> datetime:
    return datetime.now().astimezone()


def open_history(path: Path, warn: Warn) -> HistoryStore | None:
    """The history to write this session into, or None (with one line saying why)."""
    try:
        return HistoryStore.open(path)
    except HistoryError as error:
        warn(f"history off for this session: {error}")
        return None


def read_past(store: HistoryStore, today: date) -> Past:
    """What the session is told of the sessions before it; a `HistoryError` when
    they cannot be read (the history is then not to be written either)."""
    return Past(today, store.last_session(), store.best_holds())


class Recorder:
    """Writes one session's events into `store` (an `EventSink`); `close` ends it."""

    def __init__(
        self, store: HistoryStore, warn: Warn, clock: Callable[[], datetime] = _now
    ) -> None:
        """`clock`: the wall clock, read once, at the first event, to place the
        session's timeline (t = 0) on it."""
        self._store: HistoryStore | None = store
        self._warn = warn
        self._clock = clock
        self._origin: datetime | None = None
        self.session: int | None = None
        """The session's row, once something was done."""
        self._exercises: dict[str, int] = {}
        """Exercise rows by guide id."""
        self._steps: dict[int, int] = {}
        """Steps reached, by exercise row (so only a step further is written)."""
        self._exercise: int | None = None
        self._set: int | None = None
        """The routine's set under way; None outside a routine's sets."""
        self._completed = False
        """The last exercise or routine begun ran to its end."""
        self._last_t = 0.0
        self._handlers: dict[type[Event], Callable[[Any], None]] = {
            ExerciseStarted: self._exercise_started,
            RoutineStarted: self._routine_started,
            SetStarted: self._set_started,
            StepStarted: self._step,
            Rep: self._rep,
            HoldEnded: self._hold,
            StateChanged: self._state,
            RoutineEnded: self._routine_ended,
        }

    @property
    def recording(self) -> bool:
        return self._store is not None

    def write(self, event: Event) -> None:
        if self._origin is None:
            self._origin = self._clock() - timedelta(seconds=event.t)
        self._last_t = max(self._last_t, event.t)
        handler = self._handlers.get(type(event))
        if handler is None or self._store is None:
            return
        try:
            handler(event)
        except HistoryError as error:
            self._give_up(error)

    def close(self) -> None:
        """The session ended: its end and outcome are written, and the file closed."""
        store = self._store
        if store is None:
            return
        try:
            if self.session is not None:
                outcome = Outcome.FINISHED if self._completed else Outcome.STOPPED
                store.end_session(self.session, self._at(self._last_t), outcome)
        except HistoryError as error:
            self._give_up(error)
            return
        self._store = None
        store.close()

    # -- events ----------------------------------------------------------------

    def _exercise_started(self, event: ExerciseStarted) -> None:
        self._exercise = self._exercise_row(event.t, event.id, event.name, event.steps)
        self._set = None
        self._completed = False

    def _routine_started(self, event: RoutineStarted) -> None:
        at = self._at(event.t)
        if self.session is None:
            self.session = self._live().new_session(at, routine=event.title)
        else:
            self._live().set_routine(self.session, event.title, at)
        self._exercise = self._set = None
        self._completed = False

    def _set_started(self, event: SetStarted) -> None:
        self._exercise = self._exercise_row(event.t, event.id or event.exercise, event.exercise)
        store, session = self._target()
        self._set = store.new_set(session, self._exercise, event.set, event.sets, self._at(event.t))

    def _step(self, event: StepStarted) -> None:
        if self._exercise is None or self._set is not None:
            return
        reached = event.index + 1
        if reached > self._steps.get(self._exercise, 0):
            self._steps[self._exercise] = reached
            store, session = self._target()
            store.reached_step(session, self._exercise, reached, self._at(event.t))

    def _rep(self, event: Rep) -> None:
        if self._set is None:
            return
        last = event.n == event.reps and event.side in (None, 2)
        store, session = self._target()
        store.rep(session, self._set, event.n, event.side, self._at(event.t), last=last)

    def _hold(self, event: HoldEnded) -> None:
        if self._exercise is None:
            return
        store, session = self._target()
        seconds, held, at = event.seconds, event.held_s, self._at(event.t)
        store.hold(session, self._exercise, self._set, seconds, held, event.kept, at)

    def _state(self, event: StateChanged) -> None:
        if event.state != "finished":
            return
        self._completed = True
        if self._exercise is not None and self._set is None:
            store, session = self._target()
            store.finished_exercise(session, self._exercise, self._at(event.t))

    def _routine_ended(self, event: RoutineEnded) -> None:
        self._completed = event.finished
        self._exercise = self._set = None

    # -- helpers ---------------------------------------------------------------

    def _exercise_row(self, t: float, guide_id: str, name: str, steps: int | None = None) -> int:
        row = self._exercises.get(guide_id)
        if row is not None:
            return row
        at = self._at(t)
        if self.session is None:
            self.session, row = self._live().new_session_with(at, guide_id, name, steps)
        else:
            row = self._live().exercise(self.session, guide_id, name, steps, at)
        self._exercises[guide_id] = row
        return row

    def _target(self) -> tuple[HistoryStore, int]:
        """The open file and the session's row. Events that write into a session
        (steps, sets, reps, holds, an end) only come once an exercise or a routine
        has begun, which made the row."""
        assert self.session is not None
        return self._live(), self.session

    def _live(self) -> HistoryStore:
        assert self._store is not None
        return self._store

    def _at(self, t: float) -> datetime:
        assert self._origin is not None  # set by the first event
        return self._origin + timedelta(seconds=t)

    def _give_up(self, error: HistoryError) -> None:
        self._warn(f"history off for the rest of this session: {error}")
        store, self._store = self._store, None
        if store is not None:
            store.close()
