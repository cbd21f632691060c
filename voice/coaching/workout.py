"""A routine under way: which set it is on, and what each command means mid-routine.

The session (voice.coaching.session) hands a running routine's inputs to its
`Workout`, which answers with the same actions a guide's steps use, plus the
routine's own (`StartReps`, `StartRest`, `ExtendRest`, `EnterSet`...). Pure, like
the session: it keeps no clock, and learns the time from the session's inputs.

A routine walks its planned sets (voice.routines.plan): each set is announced
("Calf Raise. Keep your heels down. Set 1 of 2: 10 reps."), its timer (reps at
their tempo, or a hold) starts when the announcement ends, and a rest follows
that names what comes next. The next set's timer is chained to the rest's end,
so a routine's schedule never gathers lateness from one set to the next.

Commands answer in the routine's terms: "next" moves to the next set, "repeat"
says the current instruction again without restarting its timer, "stop" asks
first (the timer waits meanwhile), "read the steps" stops the clock while the
guide's steps are read and starts it again after.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from voice.coaching import prompts
from voice.coaching.actions import (
    Action,
    CancelHold,
    EndRoutine,
    EnterRoutine,
    EnterSet,
    ExtendRest,
    PauseHold,
    ResumeHold,
    Say,
    StartHold,
    StartReps,
    StartRest,
    State,
)
from voice.coaching.countdown import counted_s
from voice.coaching.recap import Tally
from voice.guides.holds import SWITCH_S
from voice.guides.model import Guide, Hold
from voice.intents import Command, Intent
from voice.numbers import counted
from voice.routines.model import Routine, RoutineItem
from voice.routines.plan import PlannedSet, estimate_s, sets_of

ADD_TIME_S = 30.0
"""Seconds "add time" gives a rest when the user names no amount."""
TIMED = (State.REPS, State.HOLDING, State.RESTING)
"""The states in which a timer runs."""
QUIET = (State.SET, State.REPS, State.HOLDING, State.RESTING, State.READING)
"""The states in which the coach, not the user, moves the routine on."""


class Voice(Protocol):
    """What a workout needs from its session: the state, and the session's own
    way of saying a line and of entering a state (voice.coaching.session.Session)."""

    @property
    def state(self) -> State: ...

    @property
    def now(self) -> float:
        """Session time of the input being handled."""
        ...

    @property
    def tally(self) -> Tally:
        """The session's progress (sets done, holds kept, new bests)."""
        ...

    def say(self, text: str) -> Say: ...

    def enter(self, state: State) -> list[Action]: ...


@dataclass
class Workout:
    """One run of a routine. `begin`, then `handle` commands and the timer's events."""

    routine: Routine
    guides: Mapping[str, Guide]
    """The routine's guides by id (for cues, steps and tips)."""
    voice: Voice
    started_at: float = 0.0
    """Session time the routine began (for the summary's duration)."""
    sets: tuple[PlannedSet, ...] = field(init=False)
    position: int = 0
    """Index in `sets` of the set under way (or just done, while resting)."""
    done: set[int] = field(default_factory=set)
    skipped: set[int] = field(default_factory=set)
    paused_from: State | None = None
    """The state a pause (or the steps being read) interrupted."""
    paused_before_reading: bool = False
    """The steps were asked for while paused: the pause goes on after them."""
    resuming: bool = False
    """"Resume" was answered: the timer goes on once the answer has been said, so the
    answer never talks over a count."""
    stop_asked: bool = False
    ended: bool = False

    def __post_init__(self) -> None:
        self.sets = sets_of(self.routine)
        self._handlers: dict[Intent, Callable[[Command, float | None], list[Action]]] = {
            Intent.NEXT: self._next,
            Intent.SKIP: self._next,
            Intent.BACK: self._back,
            Intent.REPEAT: self._repeat,
            Intent.PAUSE: self._pause,
            Intent.RESUME: self._resume,
            Intent.STOP: self._stop,
            Intent.RESTART: lambda _c, _r: self.begin(),
            Intent.TIME_LEFT: self._time_left,
            Intent.HOW_MANY: self._how_many,
            Intent.WHATS_NEXT: self._whats_next,
            Intent.ADD_TIME: self._add_time,
            Intent.READ_STEPS: self._read_steps,
            Intent.HELP: self._help,
            Intent.CHOOSE: self._choose,
        }

    # -- public ------------------------------------------------------------

    @property
    def current(self) -> PlannedSet:
        return self.sets[self.position]

    @property
    def guide(self) -> Guide | None:
        return self.guides.get(self.current.item.guide_id)

    def begin(self) -> list[Action]:
        """The routine from its first set, as a fresh run (also for "start over")."""
        self.started_at = self.voice.now
        self.done, self.skipped = set(), set()
        self.ended = self.stop_asked = self.resuming = self.paused_before_reading = False
        names = tuple(item.name for item in self.routine.items)
        items = len(self.routine.items)
        intro = prompts.routine_start(self.routine.title, items, estimate_s(self.routine))
        return [EnterRoutine(self.routine.title, names), *self._announce(0, lead=intro)]

    def handle(self, command: Command, remaining: float | None) -> list[Action] | None:
        """The answer to `command` mid-routine; None where the session's own answer
        fits as it is (tips, list, quit, another exercise's name)."""
        if command.intent is not Intent.STOP:
            self.stop_asked = False
        if self.ended:
            if command.intent in (Intent.NEXT, Intent.SKIP, Intent.BACK):
                return [self.voice.say(prompts.ROUTINE_FINISHED_WHAT_NOW)]
            return self.begin() if command.intent is Intent.RESTART else None
        handler = self._handlers.get(command.intent)
        return handler(command, remaining) if handler is not None else None

    def speech_finished(self) -> list[Action]:
        """The coach's lines ran out: an announced set's timer starts now, and the
        clock stopped for the steps starts again."""
        state = self.voice.state
        if state is State.SET:
            return self._start_work()
        if state is State.READING:
            return self._after_reading()
        if state is State.PAUSED and self.resuming:
            return self._resume_timer()
        return []

    def timer_finished(self) -> list[Action]:
        """A set's reps or hold ran out (rest follows), or a rest did (the next set)."""
        state = self.voice.state
        if state in (State.REPS, State.HOLDING):
            self.done.add(self.position)
            self.skipped.discard(self.position)
            item = self.current.item
            self.voice.tally.set_done(item.guide_id, item.name, item.reps)
            if state is State.HOLDING and item.hold_s:
                self.voice.tally.kept_hold(item.guide_id, item.name, counted_s(item.hold_s))
            return self._after_set()
        if state is State.RESTING:
            return self._begin_set(self.position + 1)
        return []

    def abandon(self) -> list[Action]:
        """The routine ends here, unfinished (another exercise began, or the coach quits)."""
        if self.ended:
            return []
        self.ended = True
        return [self._end_event(finished=False)]

    def end(self, *, finished: bool) -> list[Action]:
        """The routine is over: its summary, and the session waits for what is next."""
        self.ended = True
        event = self._end_event(finished=finished)
        elapsed = prompts.duration(event.elapsed_s)
        sets = counted(len(self.done), "set")
        if finished and self.done:
            items = {self.sets[p].item_index for p in self.done}
            exercises = counted(len(items), "exercise")
            line = prompts.ROUTINE_DONE.format(exercises=exercises, sets=sets, duration=elapsed)
        else:
            line = prompts.ROUTINE_STOPPED.format(sets=sets, duration=elapsed)
        state = State.FINISHED if finished else State.WAITING
        tail = prompts.ROUTINE_FINISHED_WHAT_NOW if finished else prompts.GREETING
        said = prompts.joined(line, self.voice.tally.new_bests(), tail)
        return [CancelHold(), event, *self.voice.enter(state), self.voice.say(said)]

    def _end_event(self, *, finished: bool) -> EndRoutine:
        elapsed = self.voice.now - self.started_at
        return EndRoutine(len(self.done), len(self.skipped), finished, elapsed)

    # -- moving through the sets -------------------------------------------

    def _announce(self, position: int, *, lead: str = "") -> list[Action]:
        """Go to set `position` and say it; its timer starts when the line ends. The
        exercise is named when the set is its first, or when the routine moved here
        from another exercise ("back" into the one before)."""
        moved = self.sets[position].item_index != self.current.item_index
        self.position = position
        self.paused_from = None
        self.resuming = False
        planned = self.current
        parts = [lead] if lead else []
        if planned.first_of_item or moved:
            parts.append(self._exercise_intro(planned.item))
        parts.append(self._set_line(planned))
        return [CancelHold(), *self.voice.enter(State.SET), self.voice.say(" ".join(parts))]

    def _begin_set(self, position: int) -> list[Action]:
        """Set `position` starts at once (after a rest that already named it)."""
        self.position = position
        self.paused_from = None
        self.resuming = False
        return self._start_work()

    def _start_work(self) -> list[Action]:
        """The set's timer starts, and with it the set (its `set` event is stamped here,
        whether it follows an announcement or is chained to a rest's end)."""
        planned = self.current
        item = planned.item
        began = EnterSet(item.name, planned.number, item.sets, item.guide_id)
        if item.reps is not None:
            reps = StartReps(item.reps, item.tempo.rep_s, item.each_side)
            return [*self.voice.enter(State.REPS), began, reps]
        seconds = item.hold_s or 0.0
        hold = Hold(seconds, f"hold {seconds:g} seconds", stated=True, per_side=item.each_side)
        cues = self.guide.key_points if self.guide is not None else ()
        return [*self.voice.enter(State.HOLDING), began, StartHold(hold, cues)]

    def _after_set(self) -> list[Action]:
        if self.position + 1 >= len(self.sets):
            return self.end(finished=True)
        rest = self.current.rest_after_s
        if rest <= 0:
            return self._announce(self.position + 1)
        following = self.sets[self.position + 1]
        label = self._next_label(following)
        announce = prompts.REST.format(duration=prompts.duration(rest), next=label)
        if following.first_of_item:
            cue = self._cue(following.item)
            announce = f"{announce} {cue}" if cue else announce
        return [*self.voice.enter(State.RESTING), StartRest(rest, announce, label)]

    # -- command handlers --------------------------------------------------

    def _next(self, _command: Command, _remaining: float | None) -> list[Action]:
        if self._timer_state() is State.RESTING:
            return [CancelHold(), *self._begin_set(self.position + 1)]
        if self.position not in self.done:
            self.skipped.add(self.position)
        if self.position + 1 >= len(self.sets):
            return self.end(finished=True)
        return self._announce(self.position + 1)

    def _back(self, _command: Command, _remaining: float | None) -> list[Action]:
        if self._timer_state() is State.RESTING:
            return self._announce(self.position)
        if self.position == 0:
            return [self.voice.say(prompts.FIRST_SET), *self._announce(0)]
        return self._announce(self.position - 1)

    def _repeat(self, _command: Command, remaining: float | None) -> list[Action]:
        state = self.voice.state
        if state is State.SET:
            return self._announce(self.position)
        if state is State.READING:
            return self._say_steps()
        if state is State.PAUSED:
            return [self.voice.say(prompts.PAUSED_REMINDER)]
        if state is State.RESTING:
            left = prompts.time_left(remaining or 0.0)
            return [self.voice.say(f"{left} {self._whats_next_line()}")]
        planned = self.current
        line = prompts.exercise_up(planned.item.name, self._set_line(planned))
        return [self.voice.say(line)]

    def _pause(self, _command: Command, _remaining: float | None) -> list[Action]:
        if self.resuming:  # "pause" while "resume" was being answered: still paused
            self.resuming = False
            return [self.voice.say(prompts.PAUSED)]
        if self.voice.state is State.PAUSED:
            return [self.voice.say(prompts.PAUSED_REMINDER)]
        return [*self._hold_still(), self.voice.say(prompts.PAUSED)]

    def _resume(self, _command: Command, _remaining: float | None) -> list[Action]:
        state = self.voice.state
        if state is State.READING:  # the steps are cut short: back to it now
            self.paused_before_reading = False
            return self._carry_on(prompts.PICK_UP)
        if state is not State.PAUSED or self.resuming:
            return [self.voice.say(prompts.NOT_PAUSED)]
        return self._carry_on(prompts.PICK_UP)

    def _stop(self, _command: Command, _remaining: float | None) -> list[Action]:
        if self.stop_asked:
            return self.end(finished=False)
        self.stop_asked = True
        self.resuming = False
        if self.voice.state is State.PAUSED:
            return [self.voice.say(prompts.STOP_ROUTINE)]
        return [*self._hold_still(), self.voice.say(prompts.STOP_ROUTINE)]

    def _time_left(self, command: Command, remaining: float | None) -> list[Action]:
        timer = self._timer_state()
        if timer is State.REPS:
            return self._how_many(command, remaining)
        if timer in (State.HOLDING, State.RESTING) and remaining is not None:
            return [self.voice.say(prompts.time_left(remaining))]
        return [self.voice.say(prompts.NO_HOLD)]

    def _how_many(self, _command: Command, remaining: float | None) -> list[Action]:
        parts: list[str] = []
        timer = self._timer_state()
        if timer is State.REPS and remaining is not None:
            item = self.current.item
            reps = counted(_reps_left(item, remaining), "rep")
            template = prompts.REPS_LEFT_SIDE if item.each_side else prompts.REPS_LEFT
            parts.append(template.format(reps=reps))
        elif timer is State.HOLDING and remaining is not None:
            parts.append(prompts.time_left(remaining))
        after = len(self.sets) - self.position - 1
        if not after:
            parts.append(prompts.LAST_SET)
        elif timer is State.RESTING:
            parts.append(prompts.SETS_TO_GO.format(sets=counted(after, "set")))
        else:
            parts.append(prompts.SETS_LEFT.format(sets=counted(after, "more set")))
        return [self.voice.say(" ".join(parts))]

    def _whats_next(self, _command: Command, _remaining: float | None) -> list[Action]:
        return [self.voice.say(self._whats_next_line())]

    def _add_time(self, command: Command, remaining: float | None) -> list[Action]:
        if self._timer_state() is not State.RESTING:
            return [self.voice.say(prompts.NO_REST)]
        seconds = float(command.arg) if command.arg and command.arg.isdigit() else ADD_TIME_S
        left = prompts.time_left((remaining or 0.0) + seconds)
        return [ExtendRest(seconds), self.voice.say(prompts.MORE_REST.format(left=left))]

    def _read_steps(self, _command: Command, _remaining: float | None) -> list[Action]:
        state = self.voice.state
        if state is State.READING:
            return self._say_steps()
        self.paused_before_reading = state is State.PAUSED
        if not self.paused_before_reading:
            self.paused_from = state
        return [*_pause_timer(state), *self.voice.enter(State.READING), *self._say_steps()]

    def _help(self, _command: Command, _remaining: float | None) -> list[Action]:
        state = self.voice.state
        if state in (State.SET, State.REPS, State.RESTING):
            return [self.voice.say(prompts.help_for(state))]
        return [self.voice.say(prompts.ROUTINE_HELP)]

    def _choose(self, command: Command, _remaining: float | None) -> list[Action]:
        return [self.voice.say(prompts.NO_VERSION.format(equipment=command.arg or ""))]

    # -- pausing -----------------------------------------------------------

    def _hold_still(self) -> list[Action]:
        """Stop the clock where it is (a pause, a stop to confirm, the steps read)."""
        state = self.voice.state
        if state is State.READING:
            return self.voice.enter(State.PAUSED)
        self.paused_from = state
        return [*_pause_timer(state), *self.voice.enter(State.PAUSED)]

    def _carry_on(self, line: str) -> list[Action]:
        """Back to what the pause interrupted: its timer from where it stopped, once
        `line` has been said (`_resume_timer`), or the set's announcement from its start."""
        if self.paused_from not in TIMED:
            return self._announce(self.position)
        self.resuming = True
        return [*self.voice.enter(State.PAUSED), self.voice.say(line)]

    def _resume_timer(self) -> list[Action]:
        was = self.paused_from
        self.paused_from = None
        self.resuming = False
        if was is None:
            return []
        return [*self.voice.enter(was), ResumeHold()]

    def _after_reading(self) -> list[Action]:
        if self.paused_before_reading:
            self.paused_before_reading = False
            return self.voice.enter(State.PAUSED)
        return self._carry_on(prompts.PICK_UP)

    def _say_steps(self) -> list[Action]:
        guide = self.guide
        if guide is None or not guide.steps:
            return [self.voice.say(prompts.NO_STEPS)]
        steps = [(s.title, s.text) for s in guide.steps]
        return [self.voice.say(prompts.steps_text(guide.name, steps))]

    # -- lines -------------------------------------------------------------

    def _timer_state(self) -> State:
        """The timed state under way, looking through a pause or the steps' reading."""
        state = self.voice.state
        if state in (State.PAUSED, State.READING) and self.paused_from is not None:
            return self.paused_from
        return state

    def _set_line(self, planned: PlannedSet) -> str:
        item = planned.item
        what = prompts.work(item.reps, item.hold_s, item.each_side)
        return prompts.set_line(planned.number, item.sets, what)

    def _exercise_intro(self, item: RoutineItem) -> str:
        return prompts.exercise_up(item.name, self._cue(item))

    def _cue(self, item: RoutineItem) -> str:
        """One short cue for an exercise: its guide's first key point."""
        guide = self.guides.get(item.guide_id)
        if guide is None or not guide.key_points:
            return ""
        return prompts.cue(guide.key_points[0])

    def _next_label(self, planned: PlannedSet) -> str:
        return prompts.next_set(planned.item.name, planned.number, planned.item.sets)

    def _whats_next_line(self) -> str:
        if self.position + 1 >= len(self.sets):
            return prompts.LAST_SET
        return prompts.NEXT_UP.format(next=self._next_label(self.sets[self.position + 1]))


def _pause_timer(state: State) -> list[Action]:
    """Freeze the timer, where `state` has one running."""
    return [PauseHold()] if state in TIMED else []


def _reps_left(item: RoutineItem, remaining: float) -> int:
    """Reps still to do on the current side, from the seconds left of the set (a set
    on each side runs side, switch, side)."""
    reps = item.reps or 0
    rep_s = item.tempo.rep_s
    side_s = reps * rep_s
    if item.each_side and remaining > side_s:
        remaining = max(0.0, remaining - side_s - SWITCH_S)  # first side, or switching
        if remaining == 0.0:
            return reps
    return min(reps, math.ceil(remaining / rep_s - 1e-9))
