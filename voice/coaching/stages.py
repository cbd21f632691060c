"""The stages of the coaching chain that are not somewhere else, and what each must offer.

The chain, in the order data moves through it (voice.coaching.loop moves it):

    source ─► EchoCancel ─► Listener ─► OwnVoiceFilter ─┐
    typed lines ────────────────────────────────────────┴─► Session ─► Outputs ─► events ─► EventBus

`Outputs` carries the session's actions out on the speaker and the countdown,
and reports what they finished (a line, a hold) as the session's next input.
The `EventBus` hands every event to the sinks (the events file, captions, the
in-memory log) and to the stages that follow the session from behind: the
own-voice filter hears what the coach says, and the listener learns what may be
said now (`FollowState`). Nothing calls back up the chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from voice.audio import Frame
from voice.coaching.actions import (
    Action,
    CancelHold,
    EndRoutine,
    EnterExercise,
    EnterRoutine,
    EnterSet,
    EnterState,
    EnterStep,
    ExtendRest,
    HoldFinished,
    Input,
    PauseHold,
    Quit,
    ResumeHold,
    Say,
    SpeechFinished,
    StartHold,
    StartReps,
    StartRest,
    StopSpeaking,
)
from voice.coaching.countdown import counted_s, held_s
from voice.events import (
    Event,
    ExerciseStarted,
    HoldEnded,
    Rest,
    RoutineEnded,
    RoutineStarted,
    SetStarted,
    StateChanged,
    StepStarted,
)
from voice.guides.model import Hold
from voice.intents import Command
from voice.listening.context import Context, context_for_state
from voice.listening.utterance import Utterance
from voice.speaking.speaker import Speaker


class Listener(Protocol):
    """Frames in, utterances out (voice.listening.listener.Listener)."""

    def expect(self, context: Context) -> None:
        """What the user may sensibly say now; called as the session changes state."""
        ...

    def feed(self, frame: Frame) -> list[Utterance]: ...

    def flush(self) -> list[Utterance]: ...


class Countdown(Protocol):
    """A timed stretch (a hold, a set of reps, a rest) on the session clock
    (voice.coaching.counting.SpokenCountdown)."""

    def start(self, hold: Hold, cues: Sequence[str], *, at: float | None = None) -> None:
        """Count `hold` from `at` (default: the clock's now)."""
        ...

    def start_reps(
        self, reps: int, rep_s: float, *, each_side: bool = False, at: float | None = None
    ) -> None: ...

    def start_rest(self, seconds: float, announce: str, *, at: float | None = None) -> None: ...

    def extend(self, seconds: float) -> bool:
        """Make a running rest longer; False when there is none."""
        ...

    @property
    def ended_at(self) -> float | None:
        """When the stretch that just ran out was scheduled to end (None otherwise)."""
        ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def cancel(self) -> None: ...

    def update(self) -> list[Event]:
        """Advance to the clock's now; the ticks due since the last call."""
        ...

    @property
    def remaining(self) -> float | None:
        """Seconds left of the hold, None when no hold is running or paused."""
        ...

    @property
    def finished(self) -> bool:
        """True once a started hold has run to zero (until the next start or cancel)."""
        ...

    @property
    def paused(self) -> bool:
        """True while a started hold is paused."""
        ...


class EventSink(Protocol):
    def write(self, event: Event) -> None: ...


class TypedInput(Protocol):
    """Typed lines, as commands, when their time has come (voice.coaching.typed)."""

    def due(self, now: float) -> list[tuple[str, Command]]:
        """The lines typed by session time `now` and not yet handed on, with their commands."""
        ...


class EventBus:
    """Every event of the session, handed in order to each subscriber."""

    def __init__(self, *subscribers: Callable[[Event], None]) -> None:
        self._subscribers = list(subscribers)

    def subscribe(self, subscriber: Callable[[Event], None]) -> None:
        self._subscribers.append(subscriber)

    def publish(self, events: Iterable[Event]) -> None:
        for event in events:
            for subscriber in self._subscribers:
                subscriber(event)


class FollowState:
    """Tells the listener what may be said, from the session's `state` events."""

    def __init__(self, listener: Listener, state: str) -> None:
        self.listener = listener
        listener.expect(context_for_state(state))

    def __call__(self, event: Event) -> None:
        if isinstance(event, StateChanged):
            self.listener.expect(context_for_state(event.state))


class Outputs:
    """The speaker and the countdown as one stage: the session's actions go in, events
    come out, and what finished (the coach's lines, a hold) becomes the next input."""

    def __init__(self, speaker: Speaker, countdown: Countdown) -> None:
        self.speaker = speaker
        self.countdown = countdown
        self.quitting = False
        """The session said goodbye: the loop ends once the line is said."""
        self._holding = False
        self._was_speaking = False
        self._chain_at: float | None = None
        """When the stretch that just ran out ended: what the session starts in answer
        starts there, so back-to-back timers never drift by a frame each."""
        self._hold: Hold | None = None
        """The hold being counted (not reps, not a rest), for its `hold_end` event."""

    @property
    def busy(self) -> bool:
        """The coach is talking or a timer is counting (a paused one waits for the
        user, who may need reminding)."""
        return self.speaker.speaking or (self._holding and not self.countdown.paused)

    def perform(self, actions: Iterable[Action], now: float) -> list[Event]:
        """Carry `actions` out at session time `now`; the events they make at once."""
        events: list[Event] = []
        for action in actions:
            events += self._perform(action, now)
        return events

    def advance(self, now: float) -> tuple[list[Event], Input | None]:
        """Let the countdown and the speaker catch up with the clock (at session time
        `now`): their events, and what ended (one finished hold or run of speech at
        most) for the session."""
        events = self.countdown.update() + self.speaker.update()
        ended: Input | None = None
        self._chain_at = None
        if self._holding and self.countdown.finished:
            self._holding = False
            self._chain_at = self.countdown.ended_at
            ended = HoldFinished()
            if self._hold is not None:
                at = self._chain_at if self._chain_at is not None else now
                events.append(_hold_ended(self._hold, at, 0.0, kept=True))
                self._hold = None
        elif self._was_speaking and not self.speaker.speaking:
            ended = SpeechFinished()
        self._was_speaking = self.speaker.speaking
        return events, ended

    def _perform(self, action: Action, now: float) -> list[Event]:
        # What starts in answer to a timer that ran out starts at its scheduled end.
        at = now if self._chain_at is None else self._chain_at
        match action:
            case Say():
                self.speaker.say(action.text)
            case StopSpeaking():
                # The cut lines' ends are written now, before the answer's events.
                self.speaker.stop()
                self._was_speaking = False
                return self.speaker.update()
            case StartHold():
                cut = self._cut_hold(now)
                self._holding, self._hold = True, action.hold
                self.countdown.start(action.hold, action.cues, at=at)
                return cut
            case StartReps():
                cut = self._cut_hold(now)
                self._holding = True
                side = action.each_side
                self.countdown.start_reps(action.reps, action.rep_s, each_side=side, at=at)
                return cut
            case StartRest():
                cut = self._cut_hold(now)
                self._holding = True
                self.countdown.start_rest(action.seconds, action.announce, at=at)
                return [*cut, Rest(at, action.seconds, action.next)]
            case ExtendRest():
                self.countdown.extend(action.seconds)
            case PauseHold():
                self.countdown.pause()
            case ResumeHold():
                self.countdown.resume()
            case CancelHold():
                cut = self._cut_hold(now)
                self._holding = False
                self.countdown.cancel()
                return cut
            case EnterExercise():
                return [ExerciseStarted(now, action.guide_id, action.name, action.steps)]
            case EnterStep():
                return [StepStarted(now, action.index, action.title, action.total)]
            case EnterState():
                return [StateChanged(now, action.state)]
            case EnterRoutine():
                return [RoutineStarted(now, action.title, action.exercises)]
            case EnterSet():
                number, sets = action.number, action.sets
                return [SetStarted(at, action.exercise, number, sets, action.guide_id)]
            case EndRoutine():
                done, skipped, finished = action.done, action.skipped, action.finished
                return [RoutineEnded(now, done, skipped, action.elapsed_s, finished)]
            case Quit():
                self.quitting = True
        return []

    def _cut_hold(self, now: float) -> list[Event]:
        """The hold under way ends short of its time: how long was held (nothing when
        none was counting, or it had not begun)."""
        hold, self._hold = self._hold, None
        remaining = self.countdown.remaining if hold is not None and self._holding else None
        if hold is None or remaining is None:
            return []
        return [_hold_ended(hold, now, remaining, kept=False)]


def _hold_ended(hold: Hold, at: float, remaining_s: float, *, kept: bool) -> HoldEnded:
    """`hold`'s end at `at`, with `remaining_s` of its countdown left."""
    seconds = float(counted_s(hold.seconds))
    return HoldEnded(at, seconds, held_s(hold, remaining_s), kept=kept)
