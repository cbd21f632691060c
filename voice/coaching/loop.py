"""The coaching loop: moves each audio frame forward through the chain's stages.

Each frame is the tick of the whole coach. The loop sets the session clock to
the frame's end, passes the frame through echo cancellation to the listener,
vets what was heard against the coach's own voice, hands commands (heard or
typed) to the session, carries the session's actions out (`Outputs`), and
publishes every event. Nothing else keeps time, so a WAV file read as fast as
the machine allows gives the same timeline, event for event, as the same audio
heard live.

Listening never stops while the coach talks: a command decided mid-sentence acts
on that very frame (the session's answer starts with `StopSpeaking`), which is
what makes barge-in work. The stages are in `Chain`; the loop holds no state of
the session's, only the time and when something last happened (for "idle").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from voice.audio import FRAME_S, AudioSource, Frame
from voice.clock import Clock
from voice.coaching.actions import Action, IdleTimeout, Input
from voice.coaching.session import Session
from voice.coaching.stages import EventBus, Listener, Outputs, TypedInput
from voice.events import Event, Heard, Ignored
from voice.intents import Command
from voice.listening.utterance import Utterance


class SettableClock(Clock, Protocol):
    def advance_to(self, t: float) -> None: ...


class FrameFilter(Protocol):
    """A stage between the source and the listener (voice.listening.echo.EchoCancel)."""

    def clean(self, frame: Frame) -> Frame: ...


class UtteranceFilter(Protocol):
    """A stage between the listener and the session (voice.listening.own_voice)."""

    def reject(self, utterance: Utterance) -> str | None:
        """Why the utterance is not to be obeyed, or None."""
        ...


@dataclass
class Chain:
    """One session's stages, in the order data moves through them."""

    clock: SettableClock
    session: Session
    outputs: Outputs
    bus: EventBus
    listener: Listener | None = None
    """None for a typed session: no microphone at all."""
    echo: FrameFilter | None = None
    own_voice: UtteranceFilter | None = None
    typed: TypedInput | None = None


@dataclass(frozen=True)
class LoopSettings:
    """How the loop runs around the session."""

    drain_limit_s: float = 20.0
    """When the input ends, let the line being said finish, but for no longer than this."""
    drain_holds: bool = False
    """When the input ends, also let a running hold (and what follows it) finish: a
    scripted typed session ends when the coach has nothing left to do."""
    pace: Callable[[float], None] | None = None
    """Called with each drained frame's session time before it is processed, to wait
    for it on the wall clock (`voice.audio.sources.WallPacer`, where the speakers must
    get to play the rest of a session); None drains as fast as the clock can be moved."""


class CoachLoop:
    """Drives one session's chain from an audio source, frame by frame."""

    def __init__(self, chain: Chain, settings: LoopSettings | None = None) -> None:
        self.chain = chain
        self.settings = settings or LoopSettings()
        self._now = 0.0
        self._last_activity = 0.0

    @property
    def quitting(self) -> bool:
        return self.chain.outputs.quitting

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
                    if self.chain.listener is not None:
                        self.chain.listener.feed(frame)
                    continue
                self.process(frame)
                if self.quitting and not self.chain.outputs.speaker.speaking:
                    return
            if not begun:
                self.begin(self._now)
            self.finish_input()
        finally:
            source.close()

    def begin(self, t: float) -> None:
        self._set_time(t)
        self._act(self.chain.session.begin())
        self._settle()

    def process(self, frame: Frame) -> None:
        """One frame of the coach's life; the session's time becomes the frame's end."""
        self._set_time(frame.t + FRAME_S)
        chain = self.chain
        if chain.listener is not None:
            heard = chain.echo.clean(frame) if chain.echo is not None else frame
            self._hear(chain.listener.feed(heard))
        if chain.typed is not None:
            for text, command in chain.typed.due(self._now):
                self._publish([Heard(self._now, *_said(command), text, self._now, self._now, 1.0)])
                self._handle(command)
        self._settle()

    def finish_input(self) -> None:
        """The input ended: decide what is pending, then let the coach finish its line
        (and, with `drain_holds`, its hold)."""
        if self.chain.listener is not None:
            self._hear(self.chain.listener.flush())
        self._settle()
        deadline = self._now + self.settings.drain_limit_s
        while self._draining() and self._now < deadline:
            if self.settings.pace is not None:
                self.settings.pace(self._now + FRAME_S)
            self._set_time(self._now + FRAME_S)
            self._settle(idle=False)
        if self.chain.outputs.speaker.speaking:
            self.chain.outputs.speaker.stop()
            self._settle(idle=False)

    # -- inside a frame --------------------------------------------------------

    def _set_time(self, t: float) -> None:
        self.chain.clock.advance_to(t)
        self._now = self.chain.clock.now()

    def _hear(self, utterances: Iterable[Utterance]) -> None:
        for utterance in utterances:
            command = utterance.command
            own = self.chain.own_voice
            reason = own.reject(utterance) if own is not None and command is not None else None
            if reason is not None:
                intent = _said(command)[0]
                times = (utterance.start_s, utterance.end_s)
                self._publish([Ignored(self._now, intent, utterance.text, reason, *times)])
                continue
            self._publish([_heard(self._now, utterance)])
            if command is not None:
                self._handle(command)

    def _handle(self, event: Input) -> None:
        self._last_activity = self._now
        remaining = self.chain.outputs.countdown.remaining
        self._act(self.chain.session.handle(event, hold_remaining_s=remaining, now=self._now))

    def _act(self, actions: Iterable[Action]) -> None:
        self._publish(self.chain.outputs.perform(actions, self._now))

    def _settle(self, *, idle: bool = True) -> None:
        """Let the outputs catch up with the clock and tell the session what ended;
        repeated while the session's answers start new things."""
        outputs = self.chain.outputs
        for _ in range(8):  # a bound: each pass is one ended line or hold at most
            events, ended = outputs.advance(self._now)
            self._publish(events)
            if ended is None:
                break
            self._handle(ended)
        if outputs.busy:
            self._last_activity = self._now
        wait = self.chain.session.idle_after_s
        if idle and wait is not None and self._now - self._last_activity >= wait:
            self._handle(IdleTimeout())
            self._settle(idle=False)

    def _draining(self) -> bool:
        outputs = self.chain.outputs
        counting = outputs.busy and not outputs.countdown.paused
        return outputs.speaker.speaking or (self.settings.drain_holds and counting)

    def _publish(self, events: list[Event]) -> None:
        self.chain.bus.publish(events)


def _said(command: Command | None) -> tuple[str | None, str | None]:
    return (command.intent.value, command.arg) if command is not None else (None, None)


def _heard(now: float, utterance: Utterance) -> Heard:
    intent, arg = _said(utterance.command)
    times = (utterance.start_s, utterance.end_s)
    return Heard(now, intent, arg, utterance.text, *times, utterance.confidence)


class EventLog:
    """Events kept in memory (tests, benchmarks, the simulated user)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def write(self, event: Event) -> None:
        self.events.append(event)

    def of(self, kind: type[Event]) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]
