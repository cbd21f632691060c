"""The coaching session as a pure state machine: inputs in, actions out.

The session decides *what* the coach does (read a step, start a hold, answer
"how long is left"); the loop decides *when* and carries the actions out on a
speaker and a countdown. Nothing here touches audio, threads or a clock, so
every behaviour a user relies on can be tested by feeding inputs and reading
the actions back, and a property test can throw any sequence of commands at it.

Inputs are a `Command` (from the listener or a typed line) or one of the
internal events the loop observes: `SpeechFinished` (the speaker's queue ran
dry), `HoldFinished` (the countdown reached zero) and `IdleTimeout` (nobody
said anything for `idle_after_s`). Commands are dispatched through a table of
handlers, one per intent.

What the coach says is worded in `voice.coaching.prompts`: the session picks the
line and fills in its names and numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from voice.coaching import prompts
from voice.coaching.actions import (
    Action,
    CancelHold,
    EnterExercise,
    EnterState,
    EnterStep,
    HoldFinished,
    IdleTimeout,
    Input,
    PauseHold,
    Quit,
    ResumeHold,
    Say,
    SpeechFinished,
    StartHold,
    State,
    StopSpeaking,
)
from voice.coaching.countdown import counted_s
from voice.coaching.prompts import GREETING, either
from voice.coaching.recap import Tally
from voice.coaching.workout import QUIET, Workout
from voice.guides.model import Guide, Step
from voice.history.model import Past
from voice.intents import Command, Intent
from voice.numbers import counted
from voice.routines.model import Routine

# ---------------------------------------------------------------------------
# What the session needs from the guides library.


class GuideMatch(Protocol):
    """The answer of `Catalog.find` (voice.guides.library.Match)."""

    @property
    def guide(self) -> Guide | None: ...

    @property
    def variants(self) -> Sequence[Guide]: ...

    @property
    def suggestions(self) -> Sequence[str]: ...


class Catalog(Protocol):
    """The library of guides as the session uses it (voice.guides.library.Library)."""

    def get(self, guide_id: str) -> Guide | None: ...

    def routine(self, routine_id: str) -> Routine | None: ...

    def find_routine(self, spoken: str) -> Routine | None: ...

    @property
    def routines(self) -> Sequence[Routine]: ...

    def find(self, spoken: str) -> GuideMatch: ...

    def groups(self) -> dict[str, tuple[Guide, ...]]:
        """Guides by spoken name (variants share a name), in the order "list" reads them."""
        ...


@dataclass(frozen=True)
class SessionSettings:
    """How the session paces itself."""

    auto: bool = False
    """Advance to the next step by itself after `auto_pause_s` of quiet."""
    auto_pause_s: float = 3.0
    """The quiet after a finished step before `auto` moves on."""
    remind_after_s: float = 30.0
    """The first reminder after this much quiet; later ones wait twice as long."""
    max_remind_s: float = 120.0
    """The longest wait between reminders, however many were given."""
    list_limit: int = 12
    """How many exercise names "list" reads before "and N more"."""


QUIT_NOW = "now"
"""`Command(Intent.QUIT, QUIT_NOW)` leaves without asking (the end of typed input)."""


@dataclass
class _Progress:
    """The exercise under way."""

    guide: Guide
    index: int = 0
    paused_from: State | None = None
    """The state a pause interrupted (READING or HOLDING)."""


@dataclass
class Session:
    """The state machine. `handle` one input at a time; read the actions it returns."""

    catalog: Catalog
    settings: SessionSettings = field(default_factory=SessionSettings)
    state: State = State.WAITING
    progress: _Progress | None = None
    choices: tuple[Guide, ...] = ()
    last_said: str = GREETING
    reminders: int = 0
    """Reminders given since the user last said something (they back off)."""
    quit_asked: bool = False
    """"Quit" was heard mid-exercise and awaits a second "quit"."""
    workout: Workout | None = None
    """The routine under way (or just finished), if any."""
    now: float = 0.0
    """Session time of the input being handled (the loop passes it)."""
    past: Past | None = None
    """The sessions before this one, from the history (None when it is off)."""
    tally: Tally = field(init=False)
    """This session's progress, for "how did I do" and new bests."""

    def __post_init__(self) -> None:
        self.tally = Tally(self.past)
        self._handlers: dict[Intent, Callable[[Command, float | None], list[Action]]] = {
            Intent.START: self._start,
            Intent.CHOOSE: self._choose,
            Intent.NEXT: self._next,
            Intent.SKIP: self._skip,
            Intent.BACK: self._back,
            Intent.REPEAT: self._repeat,
            Intent.PAUSE: self._pause,
            Intent.RESUME: self._resume,
            Intent.STOP: self._stop,
            Intent.RESTART: self._restart,
            Intent.HELP: self._help,
            Intent.TIPS: self._tips,
            Intent.MISTAKES: self._mistakes,
            Intent.TIME_LEFT: self._time_left,
            Intent.LIST: self._list,
            Intent.QUIT: self._quit,
            Intent.WHATS_NEXT: self._whats_next,
            Intent.HOW_MANY: self._how_many,
            Intent.ADD_TIME: self._add_time,
            Intent.READ_STEPS: self._repeat,  # a guide's steps are read one at a time
            Intent.RECAP: self._recap,
            Intent.LAST_TIME: self._recap,
        }
        self._events: dict[type, Callable[[], list[Action]]] = {
            SpeechFinished: self._speech_finished,
            HoldFinished: self._hold_finished,
            IdleTimeout: self._idle,
        }

    # -- public ------------------------------------------------------------

    def begin(self) -> list[Action]:
        """The first actions of a session: the state and how to begin."""
        return [EnterState(self.state.value), self.say(GREETING)]

    def handle(
        self, event: Input, *, hold_remaining_s: float | None = None, now: float | None = None
    ) -> list[Action]:
        """Actions answering `event`; `hold_remaining_s` is the countdown's, for "how long";
        `now` the session time (a routine's summary says how long it took)."""
        if now is not None:
            self.now = now
        if self.state is State.QUIT:
            return []
        if isinstance(event, Command):
            self.reminders = 0
            if event.intent is not Intent.QUIT:
                self.quit_asked = False
            # Every command answers at once: whatever the coach was saying is cut first.
            before = (self.state, self.guide, self.step_index)
            actions = self._answer(event, hold_remaining_s)
            moved = any(isinstance(a, EnterStep) for a in actions)
            if not moved and before == (self.state, self.guide, self.step_index):
                actions += self._reread_if_cut()
            return [StopSpeaking(), *actions]
        workout = self._routine()
        if workout is not None:
            if isinstance(event, SpeechFinished):
                return workout.speech_finished()
            if isinstance(event, HoldFinished):
                return workout.timer_finished()
        return self._events[type(event)]()

    def _answer(self, command: Command, remaining: float | None) -> list[Action]:
        """A routine (under way, or the last thing run) answers first; the session
        answers what it leaves."""
        if self.workout is not None and self.progress is None:
            answer = self.workout.handle(command, remaining)
            if answer is not None:
                return answer
        return self._handlers[command.intent](command, remaining)

    @property
    def guide(self) -> Guide | None:
        if self.progress is not None:
            return self.progress.guide
        workout = self._routine()
        if workout is not None:
            return workout.guide
        return None

    @property
    def step_index(self) -> int | None:
        return self.progress.index if self.progress else None

    @property
    def idle_after_s(self) -> float | None:
        """Seconds of quiet after which the loop should send `IdleTimeout` (None: never).

        Only where the session waits for the user: while the coach reads or
        counts, the quiet is the coach's own doing.
        """
        if self.state in (State.INTRO, State.READING, State.HOLDING, State.QUIT, *QUIET):
            return None
        if self.state is State.READY and self.settings.auto:
            return self.settings.auto_pause_s
        wait = self.settings.remind_after_s * 2.0**self.reminders
        return min(wait, self.settings.max_remind_s)

    # -- helpers -----------------------------------------------------------

    def say(self, text: str) -> Say:
        """A line to speak, remembered for "repeat"."""
        self.last_said = text
        return Say(text)

    def enter(self, state: State) -> list[Action]:
        """Move to `state`: its event, or nothing when already there."""
        if state is self.state:
            return []
        self.state = state
        return [EnterState(state.value)]

    def _step(self) -> Step:
        assert self.progress is not None
        return self.progress.guide.steps[self.progress.index]

    def _read_step(self, index: int) -> list[Action]:
        """Go to step `index` and read it; its hold starts when the reading ends."""
        assert self.progress is not None
        guide = self.progress.guide
        self.progress.index = index
        self.progress.paused_from = None
        step = guide.steps[index]
        self.tally.reached_step(guide.id, guide.name, index + 1)
        text = prompts.STEP.format(
            number=index + 1, total=len(guide.steps), title=step.title, text=step.text
        )
        return [
            CancelHold(),
            *self.enter(State.READING),
            EnterStep(index, step.title, len(guide.steps)),
            self.say(text),
        ]

    def _begin_guide(self, guide: Guide) -> list[Action]:
        ended = self._leave_routine()
        self.progress = _Progress(guide)
        self.choices = ()
        intro = prompts.introduction(guide.name, guide.equipment, guide.description)
        began = [*ended, CancelHold(), EnterExercise(guide.id, guide.name, len(guide.steps))]
        if not guide.steps:
            return [*began, self.say(intro), *self._finish(prompts.NO_STEPS)]
        # Step 1 follows as soon as the introduction ends (see `_speech_finished`), so
        # its `EnterStep` is stamped when its reading really begins.
        return [*began, *self.enter(State.INTRO), self.say(intro)]

    def _begin_routine(self, routine: Routine) -> list[Action]:
        ended = self._leave_routine()
        self.progress = None
        self.choices = ()
        guides = {i.guide_id: g for i in routine.items if (g := self.catalog.get(i.guide_id))}
        self.workout = Workout(routine, guides, self)
        return [*ended, CancelHold(), *self.workout.begin()]

    def _leave_routine(self) -> list[Action]:
        """A routine left unfinished (another exercise begins, or the coach quits) ends."""
        workout, self.workout = self.workout, None
        return workout.abandon() if workout is not None else []

    def _routine(self) -> Workout | None:
        """The routine under way, if one is."""
        workout = self.workout
        if workout is None or workout.ended or self.progress is not None:
            return None
        return workout

    def _finish(self, lead: str = "") -> list[Action]:
        name = self.guide.name if self.guide else None
        text = prompts.finished(name, lead, self.tally.new_bests())
        return [CancelHold(), *self.enter(State.FINISHED), self.say(text)]

    def _no_exercise(self) -> list[Action]:
        return [self.say(prompts.NO_EXERCISE)]

    def _in_exercise(self) -> bool:
        if self._routine() is not None:
            return self.state not in (State.WAITING, State.FINISHED, State.QUIT)
        return self.progress is not None and self.state in (
            State.INTRO,
            State.READING,
            State.HOLDING,
            State.READY,
            State.PAUSED,
        )

    def _ask_choice(self) -> list[Action]:
        choices = either(g.equipment for g in self.choices)
        return [self.say(prompts.CHOICE.format(name=self.choices[0].name, choices=choices))]

    # -- command handlers --------------------------------------------------

    def _start(self, command: Command, _remaining: float | None) -> list[Action]:
        spoken = (command.arg or "").strip()
        if not spoken:
            return [self.say(prompts.WHICH_EXERCISE)]
        guide = self.catalog.get(spoken)
        if guide is not None:
            return self._begin_guide(guide)
        routine = self.catalog.routine(spoken)
        if routine is not None:
            return self._begin_routine(routine)
        match = self.catalog.find(spoken)
        if match.guide is not None:
            return self._begin_guide(match.guide)
        variants = tuple(match.variants)
        routine = None if variants else self.catalog.find_routine(spoken)
        if routine is not None:
            return self._begin_routine(routine)
        if len(variants) == 1:
            return self._begin_guide(variants[0])
        if variants:
            # Another exercise was named: a routine under way ends, as it would for
            # any other, before asking which equipment.
            ended = self._leave_routine()
            self.choices = variants
            return [*ended, CancelHold(), *self.enter(State.CHOOSING), *self._ask_choice()]
        nearest = list(match.suggestions)[:3]
        text = prompts.UNKNOWN_EXERCISE.format(spoken=spoken) + " "
        text += (
            prompts.DID_YOU_MEAN.format(choices=either(nearest)) if nearest else prompts.SAY_LIST
        )
        return [self.say(text)]

    def _choose(self, command: Command, _remaining: float | None) -> list[Action]:
        wanted = (command.arg or "").strip().lower()
        pool = self.choices
        if not pool and self.guide is not None:
            # "Dumbbell" during a bodyweight hip thrust: switch to that variant.
            pool = tuple(self.catalog.find(self.guide.name).variants)
        for guide in pool:
            if guide.equipment.lower() == wanted or guide.id.lower() == wanted:
                return self._begin_guide(guide)
        if self.state is State.CHOOSING:
            return [self.say(prompts.NOT_WITH.format(equipment=wanted)), *self._ask_choice()]
        return [self.say(prompts.NO_VERSION.format(equipment=wanted))]

    def _next(self, _command: Command, _remaining: float | None) -> list[Action]:
        if self.state is State.CHOOSING:
            return self._ask_choice()
        if self.state is State.FINISHED:
            return [self.say(prompts.ALREADY_FINISHED)]
        if not self._in_exercise() or self.progress is None:
            return self._no_exercise()
        if self.state is State.INTRO:
            return self._read_step(0)
        if self.progress.index + 1 >= len(self.progress.guide.steps):
            return self._finish()
        return self._read_step(self.progress.index + 1)

    def _skip(self, command: Command, remaining: float | None) -> list[Action]:
        # Skipping a hold or a step both mean "move on": the same as next.
        return self._next(command, remaining)

    def _back(self, _command: Command, _remaining: float | None) -> list[Action]:
        if self.state is State.CHOOSING:
            return self._ask_choice()
        if self.progress is None or self.state is State.WAITING:
            return self._no_exercise()
        if self.state is State.FINISHED:
            return (
                self._read_step(len(self.progress.guide.steps) - 1)
                if (self.progress.guide.steps)
                else self._no_exercise()
            )
        if self.progress.index == 0:
            return [self.say(prompts.FIRST_STEP), *self._read_step(0)]
        return self._read_step(self.progress.index - 1)

    def _repeat(self, _command: Command, _remaining: float | None) -> list[Action]:
        if self.state is State.CHOOSING:
            return self._ask_choice()
        if self._in_exercise() and self.progress is not None:
            return self._read_step(self.progress.index)
        return [self.say(self.last_said)]

    def _pause(self, _command: Command, _remaining: float | None) -> list[Action]:
        if self.progress is None or not self._in_exercise():
            return [self.say(prompts.NOTHING_TO_PAUSE)]
        if self.state is State.PAUSED:
            return [self.say(prompts.PAUSED_REMINDER)]
        actions: list[Action] = []
        if self.state is State.HOLDING:
            actions.append(PauseHold())
        self.progress.paused_from = self.state
        return [*actions, *self.enter(State.PAUSED), self.say(prompts.PAUSED)]

    def _resume(self, _command: Command, _remaining: float | None) -> list[Action]:
        if self.state is not State.PAUSED or self.progress is None:
            if self._in_exercise():
                return [self.say(prompts.NOT_PAUSED)]
            return self._no_exercise()
        was = self.progress.paused_from
        self.progress.paused_from = None
        if was is State.HOLDING:
            return [*self.enter(State.HOLDING), ResumeHold()]
        if was is State.READY:
            return [*self.enter(State.READY), self.say(prompts.NEXT_WHEN_READY)]
        # A pause cut the reading short: read the step again from its start.
        return self._read_step(self.progress.index)

    def _stop(self, _command: Command, _remaining: float | None) -> list[Action]:
        if self.state in (State.WAITING, State.FINISHED):
            return []  # "stop" over a reminder just means "be quiet"
        name = self.guide.name if self.guide else None
        self.choices = ()
        actions: list[Action] = [CancelHold(), *self.enter(State.WAITING)]
        return [*actions, self.say(prompts.stopped(name, self.tally.new_bests()))]

    def _restart(self, _command: Command, _remaining: float | None) -> list[Action]:
        if self.progress is None and self.workout is not None:
            return [CancelHold(), *self.workout.begin()]
        if self.progress is None:
            if self.state is State.CHOOSING:
                return self._ask_choice()
            return self._no_exercise()
        return self._begin_guide(self.progress.guide)

    def _help(self, _command: Command, _remaining: float | None) -> list[Action]:
        choices = either(g.equipment for g in self.choices) if self.choices else ""
        return [self.say(prompts.help_for(self.state, choices))]

    def _tips(self, _command: Command, _remaining: float | None) -> list[Action]:
        return self._guide_list(prompts.KEY_POINTS, lambda g: g.key_points)

    def _mistakes(self, _command: Command, _remaining: float | None) -> list[Action]:
        return self._guide_list(prompts.COMMON_MISTAKES, lambda g: g.mistakes)

    def _guide_list(self, what: str, items: Callable[[Guide], Sequence[str]]) -> list[Action]:
        if self.guide is None or self.state is State.WAITING:
            return [self.say(prompts.NEED_EXERCISE.format(what=what))]
        found = list(items(self.guide))
        if not found:
            return [self.say(prompts.NONE_LISTED.format(what=what))]
        return [self.say(prompts.listing(what, found))]

    def _time_left(self, _command: Command, remaining: float | None) -> list[Action]:
        holding = self.state is State.HOLDING or (
            self.state is State.PAUSED
            and self.progress is not None
            and self.progress.paused_from is State.HOLDING
        )
        if not holding or remaining is None:
            return [self.say(prompts.NO_HOLD)]
        return [self.say(prompts.time_left(remaining))]

    def _list(self, _command: Command, _remaining: float | None) -> list[Action]:
        names = list(self.catalog.groups())
        if not names:
            return [self.say(prompts.NO_EXERCISES)]
        routines = [r.title for r in self.catalog.routines]
        return [self.say(prompts.exercise_list(names, self.settings.list_limit, routines))]

    def _quit(self, command: Command, _remaining: float | None) -> list[Action]:
        # Mid-exercise, a misheard "quit" would throw the user out of a workout: ask
        # first. The confirmation is the very next command being "quit" again.
        if self._in_exercise() and not self.quit_asked and command.arg != QUIT_NOW:
            self.quit_asked = True
            return [self.say(prompts.QUIT_AGAIN)]
        ended = self._leave_routine()
        goodbye = prompts.joined(self.tally.new_bests(), prompts.GOODBYE)
        return [*ended, CancelHold(), *self.enter(State.QUIT), self.say(goodbye), Quit()]

    def _whats_next(self, _command: Command, _remaining: float | None) -> list[Action]:
        if not self._in_exercise() or self.progress is None:
            return self._no_exercise()
        steps = self.progress.guide.steps
        following = self.progress.index + (0 if self.state is State.INTRO else 1)
        if following >= len(steps):
            return [self.say(prompts.LAST_STEP)]
        line = prompts.NEXT_STEP.format(number=following + 1, title=steps[following].title)
        return [self.say(line)]

    def _how_many(self, _command: Command, _remaining: float | None) -> list[Action]:
        if not self._in_exercise() or self.progress is None:
            return self._no_exercise()
        after = len(self.progress.guide.steps) - self.progress.index - 1
        if after <= 0:
            return [self.say(prompts.LAST_STEP)]
        return [self.say(prompts.STEPS_LEFT.format(steps=counted(after, "more step")))]

    def _add_time(self, _command: Command, _remaining: float | None) -> list[Action]:
        return [self.say(prompts.NO_REST)]

    def _recap(self, command: Command, _remaining: float | None) -> list[Action]:
        if self._in_exercise():
            return [self.say(prompts.RECAP_LATER)]
        if command.intent is Intent.LAST_TIME:
            return [self.say(self.tally.last_time())]
        return [self.say(self.tally.so_far())]

    def _reread_if_cut(self) -> list[Action]:
        """A command that did not move the session ("tips", "help", an unknown name)
        cut the step's reading short: once it is answered, read the step again, or
        its hold would start on a half-read step."""
        if self.state in (State.INTRO, State.READING) and self.progress is not None:
            return self._read_step(self.progress.index)
        return []

    # -- internal events ---------------------------------------------------

    def _speech_finished(self) -> list[Action]:
        if self.state is State.INTRO and self.progress is not None:
            return self._read_step(self.progress.index)
        if self.state is not State.READING or self.progress is None:
            return []
        step = self._step()
        if step.hold is None:
            return self.enter(State.READY)
        return [*self.enter(State.HOLDING), StartHold(step.hold, self.progress.guide.key_points)]

    def _hold_finished(self) -> list[Action]:
        if self.state is not State.HOLDING or self.progress is None:
            return []
        hold = self._step().hold
        if hold is not None:
            guide = self.progress.guide
            self.tally.kept_hold(guide.id, guide.name, counted_s(hold.seconds))
        return self.enter(State.READY)

    def _idle(self) -> list[Action]:
        if self.state is State.READY and self.settings.auto:
            return self._next(Command(Intent.NEXT), None)
        if self.idle_after_s is None:
            return []
        self.reminders += 1
        if self.state is State.CHOOSING:
            return self._ask_choice()
        return [self.say(prompts.reminder_for(self.state))]
