"""The coaching loop: one pass per audio frame, shared by the live coach and the simulator.

Each frame is the tick of the whole coach. The loop moves the session clock to the
frame's end, (in the simulator) mixes the coach's own voice back in as room echo,
takes the echo out again, feeds the listener, hands what it heard to the session,
carries the session's actions out on the speaker and the countdown, and writes
every event. Nothing else keeps time, so a WAV file read as fast as the machine
allows gives the same timeline, event for event, as the same audio heard live.

Listening never stops while the coach talks: a command decided mid-sentence acts
on that very frame (the session's answer starts with `StopSpeaking`), which is
what makes barge-in work. The price is that the coach hears itself; `EchoGuard`
(voice.listening.echo) decides which hypotheses are the coach's own words.
"""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import numpy as np

from voice.clock import Clock
from voice.coaching.session import (
    Action,
    CancelHold,
    HoldFinished,
    IdleTimeout,
    Input,
    PauseHold,
    Quit,
    ResumeHold,
    Say,
    Session,
    SpeechFinished,
    StartHold,
    StateChanged,
    StepStarted,
    StopSpeaking,
)
from voice.events import Event, Heard
from voice.events import StateChanged as StateEvent
from voice.events import StepStarted as StepEvent
from voice.guides.model import Hold
from voice.intents import Command
from voice.listening.audio import FRAME_S, FRAME_SAMPLES, AudioSource, Frame, Pcm
from voice.listening.context import Context, context_for_state
from voice.listening.echo import EchoGuard
from voice.listening.utterance import Utterance
from voice.speaking.speaker import AudioOut, Speaker


@dataclass(frozen=True)
class Ignored(Event):
    """A command the listener heard but the echo guard judged to be the coach's own voice."""

    type: ClassVar[str] = "ignored"
    intent: str | None
    text: str
    reason: str


class Listener(Protocol):
    """What the loop needs from voice.listening.listener.Listener."""

    def expect(self, context: Context) -> None:
        """What the user may sensibly say now; called as the session changes state."""
        ...

    def feed(self, frame: Frame) -> list[Utterance]: ...

    def flush(self) -> list[Utterance]: ...


class Countdown(Protocol):
    """What the loop needs from a hold's countdown (voice.coaching.countdown)."""

    def start(self, hold: Hold, cues: Sequence[str]) -> None: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def cancel(self) -> None: ...

    def update(self) -> list[Event]:
        """Advance to the clock's now; the ticks (and cues) due since the last call."""
        ...

    @property
    def remaining(self) -> float | None:
        """Seconds left of the hold, None when no hold is running or paused."""
        ...

    @property
    def finished(self) -> bool:
        """True once a started hold has run to zero (until the next start or cancel)."""
        ...


class EventSink(Protocol):
    def write(self, event: Event) -> None: ...


class SettableClock(Clock, Protocol):
    def advance_to(self, t: float) -> None: ...


@dataclass(frozen=True)
class LoopSettings:
    """How the loop runs around the session."""

    echo_gain: float = 0.0
    """Simulator only: the coach's own voice, times this, is added to the microphone."""
    echo_delay_s: float = 0.0
    """Simulator only: how late the echo arrives (the path from speaker to microphone)."""
    drain_limit_s: float = 20.0
    """When the input ends, let the line being said finish, but for no longer than this."""


class CoachLoop:
    """Drives one session from an audio source to a speaker, frame by frame."""

    def __init__(
        self,
        session: Session,
        *,
        speaker: Speaker,
        countdown: Countdown,
        events: EventSink,
        listener: Listener | None = None,
        clock: SettableClock | None = None,
        out: AudioOut | None = None,
        echo: EchoGuard | None = None,
        settings: LoopSettings | None = None,
        typed: queue.Queue[Command] | None = None,
        pace: Callable[[float], None] | None = None,
    ) -> None:
        """`pace(seconds)` is called for each frame of draining after the input ends
        (`time.sleep` where the speakers must get to play the last line); without it
        the drain runs as fast as the clock can be moved."""
        self.session = session
        self.speaker = speaker
        self.countdown = countdown
        self.events = events
        self.listener = listener
        self.clock = clock
        self.out = out
        self.echo = echo
        self.settings = settings or LoopSettings()
        self.typed = typed
        self.pace = pace
        self.quitting = False
        self._was_speaking = False
        self._holding = False
        self._last_activity = 0.0
        self._now = 0.0
        self._apply: dict[type, Callable[[Any], None]] = {
            Say: lambda a: self.speaker.say(a.text),
            StopSpeaking: self._stop_speaking,
            StartHold: self._start_hold,
            PauseHold: lambda _: self.countdown.pause(),
            ResumeHold: lambda _: self.countdown.resume(),
            CancelHold: self._cancel_hold,
            StepStarted: lambda a: self._write(StepEvent(self._now, a.index, a.title, a.total)),
            StateChanged: self._state_changed,
            Quit: lambda _: setattr(self, "quitting", True),
        }

    # -- running -------------------------------------------------------------

    def run(self, source: AudioSource, *, calibrate_s: float = 0.0) -> None:
        """The whole session: greet, follow the source to its end (or "quit"), drain.

        `calibrate_s` of the source is only listened to before the greeting, so the
        listener learns the room's noise level before anyone speaks.
        """
        begun = False
        try:
            for frame in source.frames():
                if not begun and frame.t >= calibrate_s:
                    self.begin(frame.t)
                    begun = True
                if not begun:
                    self._set_time(frame.t + FRAME_S)
                    if self.listener is not None:
                        self.listener.feed(frame)
                    continue
                self.process(frame)
                if self.quitting and not self.speaker.speaking:
                    return
            if not begun:
                self.begin(self._now)
            self.finish_input()
        finally:
            source.close()

    def begin(self, t: float) -> None:
        self._set_time(t)
        if self.listener is not None:
            self.listener.expect(context_for_state(self.session.state.value))
        self._act(self.session.begin())
        self._after_actions()

    def process(self, frame: Frame) -> None:
        """One frame of the coach's life; the session's time becomes the frame's end."""
        self._set_time(frame.t + FRAME_S)
        mic = self._microphone(frame)
        if self.listener is not None:
            for utterance in self.listener.feed(Frame(frame.t, mic)):
                self._heard(utterance)
        while self.typed is not None and not self.typed.empty():
            command = self.typed.get_nowait()
            self._write(Heard(self._now, command.intent.value, command.arg, "(typed)"))
            self.command(command)
        self._after_actions()

    def finish_input(self) -> None:
        """The input ended: decide what is pending, then let the coach finish its line."""
        if self.listener is not None:
            for utterance in self.listener.flush():
                self._heard(utterance)
        self._after_actions()
        deadline = self._now + self.settings.drain_limit_s
        while self.speaker.speaking and self._now < deadline:
            if self.pace is not None:
                self.pace(FRAME_S)
            self._set_time(self._now + FRAME_S)
            self._after_actions(idle=False)
        if self.speaker.speaking:
            self.speaker.stop()
            self._after_actions(idle=False)

    def command(self, command: Command) -> None:
        """Hand a command to the session and act on its answer at once (barge-in)."""
        self._feed(command)

    # -- inside a frame --------------------------------------------------------

    def _set_time(self, t: float) -> None:
        if self.clock is not None:
            self.clock.advance_to(t)
            self._now = self.clock.now()
        else:
            self._now = t

    def _microphone(self, frame: Frame) -> Pcm:
        """The frame as the listener should get it: plus simulated echo, minus echo."""
        if self.out is None:
            return frame.pcm
        reference = self.out.played(frame.t - self.settings.echo_delay_s, FRAME_SAMPLES)
        mic = frame.pcm
        if self.settings.echo_gain > 0:
            mixed = mic.astype(np.int32) + np.round(self.settings.echo_gain * reference)
            mic = np.clip(mixed, -32768, 32767).astype(np.int16)
        if self.echo is not None:
            mic = self.echo.clean(mic, self.out.played(frame.t, FRAME_SAMPLES))
        return mic

    def _heard(self, utterance: Utterance) -> None:
        command = utterance.command
        if command is not None and self.echo is not None:
            reason = self.echo.reject(utterance, self.speaker.current_text)
            if reason is not None:
                self._write(Ignored(self._now, command.intent.value, utterance.text, reason))
                return
        self._write(
            Heard(
                self._now,
                command.intent.value if command else None,
                command.arg if command else None,
                utterance.text,
                utterance.start_s,
                utterance.end_s,
            )
        )
        if command is not None:
            self._feed(command)

    def _feed(self, event: Input) -> None:
        self._last_activity = self._now
        remaining = self.countdown.remaining
        self._act(self.session.handle(event, hold_remaining_s=remaining))

    def _act(self, actions: Iterable[Action]) -> None:
        for action in actions:
            self._apply[type(action)](action)

    def _after_actions(self, *, idle: bool = True) -> None:
        """Let the countdown and the speaker catch up with the clock, and tell the
        session what ended; repeated while the session's answers start new things."""
        for _ in range(8):  # a bound: each pass is one ended line or hold at most
            for event in self.countdown.update():
                self._write(event)
            for event in self.speaker.update():
                self._write(event)
            ended: Input | None = None
            if self._holding and self.countdown.finished:
                self._holding = False
                ended = HoldFinished()
            elif self._was_speaking and not self.speaker.speaking:
                ended = SpeechFinished()
            self._was_speaking = self.speaker.speaking
            if ended is None:
                break
            self._last_activity = self._now
            self._act(self.session.handle(ended, hold_remaining_s=self.countdown.remaining))
        if self.speaker.speaking or self._holding:
            self._last_activity = self._now
        if idle:
            self._check_idle()

    def _check_idle(self) -> None:
        wait = self.session.idle_after_s
        if wait is not None and self._now - self._last_activity >= wait:
            self._feed(IdleTimeout())
            self._after_actions(idle=False)

    def _stop_speaking(self, _action: StopSpeaking) -> None:
        # The cut lines' ends are written now, before the answer's events.
        self.speaker.stop()
        for event in self.speaker.update():
            self._write(event)
        self._was_speaking = False

    def _state_changed(self, action: StateChanged) -> None:
        if self.listener is not None:
            self.listener.expect(context_for_state(action.state))
        self._write(StateEvent(self._now, action.state))

    def _start_hold(self, action: StartHold) -> None:
        self._holding = True
        self.countdown.start(action.hold, action.cues)

    def _cancel_hold(self, _action: CancelHold) -> None:
        self._holding = False
        self.countdown.cancel()

    def _write(self, event: Event) -> None:
        if self.echo is not None:
            self.echo.observe(event)
        self.events.write(event)


class EventLog:
    """Events kept in memory (tests, benchmarks), optionally also passed on."""

    def __init__(self, then: EventSink | None = None) -> None:
        self.events: list[Event] = []
        self._then = then

    def write(self, event: Event) -> None:
        self.events.append(event)
        if self._then is not None:
            self._then.write(event)

    def of(self, kind: type[Event]) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]
