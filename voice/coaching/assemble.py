"""The one assembly of a coaching session: the chain built from options, for `coach run`
live, typed or simulated, and for the tests and benchmarks.

`assemble` puts the stages (voice.coaching.stages) on one virtual clock between
`Parts`, the makers of the edges: where frames are heard (a `Listener`, or none
for typed commands), where the coach's voice goes (the speakers, or a WAV on the
session's timeline) and the countdown. The clock is moved by the frames
themselves, so a WAV read as fast as possible (`--fast`) and the same WAV in
real time give identical events. `RealParts` are the project's real edges;
tests pass fakes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

from voice.audio import AudioSource
from voice.audio.room import RoomEcho
from voice.audio.sources import WallPacer
from voice.clock import Clock, VirtualClock
from voice.coaching.counting import SpokenCountdown
from voice.coaching.loop import Chain, CoachLoop, EventLog, LoopSettings
from voice.coaching.session import Catalog, Session, SessionSettings
from voice.coaching.stages import (
    Countdown,
    EventBus,
    EventSink,
    FollowState,
    Listener,
    Outputs,
    TypedInput,
)
from voice.commands import Vocabulary
from voice.events import Event
from voice.guides.library import Library
from voice.history.model import Past
from voice.listening.echo import EchoCancel, EchoSettings
from voice.listening.own_voice import OwnVoiceFilter
from voice.speaking.captions import Captions
from voice.speaking.outputs import open_output
from voice.speaking.settings import VoiceSettings, build_speaker, shared_synth
from voice.speaking.speaker import AudioOut, Speaker
from voice.speaking.synth import Synthesizer


class JsonLines:
    """`--events FILE`: one JSON object per event per line, flushed as it happens."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, event: Event) -> None:
        self._stream.write(json.dumps(event.to_json(), ensure_ascii=False) + "\n")
        self._stream.flush()


class Closable(Protocol):
    def close(self) -> None: ...


class Parts(Protocol):
    """Makers of the edges a session runs on (swapped for fakes in tests)."""

    def audio_out(self) -> AudioOut:
        """Where the coach's voice goes: the speakers, or a timeline (`--speak-to`)."""
        ...

    def speaker(self, out: AudioOut, clock: Clock) -> Speaker: ...

    def countdown(self, speaker: Speaker, clock: Clock) -> Countdown: ...

    def listener(self) -> Listener: ...

    def sink(self) -> EventSink | None:
        """Where events are shown as they happen (captions), if anywhere."""
        ...


@dataclass(frozen=True)
class SessionOptions:
    """How `coach run` wires a session, as data."""

    session: SessionSettings = field(default_factory=SessionSettings)
    echo: EchoSettings = field(default_factory=EchoSettings)
    echo_gain: float = 0.0
    """Simulation only: the coach's voice mixed back into the recording at this gain."""
    echo_delay_s: float = 0.0
    """Simulation only: how late that echo arrives (the path from speaker to microphone)."""
    listen: bool = True
    """False for typed commands: no listener at all."""
    real_time: bool = False
    """The input arrives in real time: the last line is drained in real time too, so
    the speakers get to play it before they are closed."""
    drain_holds: bool = LoopSettings.drain_holds
    """When the input ends, let a running hold finish too (a typing script's end)."""
    drain_limit_s: float = LoopSettings.drain_limit_s
    past: Past | None = None
    """The sessions before this one, from the history; None with the history off."""


@dataclass
class Coach:
    """A session's chain wired to its edges, ready to `run` (or to be driven frame by
    frame through `loop`)."""

    loop: CoachLoop
    out: AudioOut
    log: EventLog
    options: SessionOptions
    closers: list[Closable] = field(default_factory=list)

    @property
    def session(self) -> Session:
        return self.loop.chain.session

    @property
    def speaker(self) -> Speaker:
        return self.loop.chain.outputs.speaker

    @property
    def countdown(self) -> Countdown:
        return self.loop.chain.outputs.countdown

    def run(self, source: AudioSource, *, calibrate_s: float = 0.0) -> SessionResult:
        """The whole session from `source` (with the room's echo mixed in, if simulated)."""
        if self.options.echo_gain > 0:
            source = RoomEcho(source, self.out, self.options.echo_gain, self.options.echo_delay_s)
        try:
            self.loop.run(source, calibrate_s=calibrate_s)
        finally:
            self.close()
        return SessionResult(self.log.events)

    def close(self) -> None:
        for part in self.closers:
            part.close()


@dataclass
class SessionResult:
    events: list[Event]


def assemble(
    catalog: Catalog,
    parts: Parts,
    options: SessionOptions | None = None,
    *,
    sinks: Sequence[EventSink] = (),
    typed: TypedInput | None = None,
) -> Coach:
    """The chain of one session, on one virtual clock; every event also goes to each
    of `sinks` (the events file, the history), in order.

    The clock is virtual in every mode and moved by the frames, whose times come
    from the source: a microphone's frames arrive in real time, a file's as fast
    as it is read, and the session cannot tell the difference.
    """
    options = options or SessionOptions()
    clock = VirtualClock()
    out = parts.audio_out()
    speaker = parts.speaker(out, clock)
    session = Session(catalog, options.session, past=options.past)
    log = EventLog()
    bus = EventBus(log.write)
    listener: Listener | None = None
    echo: EchoCancel | None = None
    own_voice: OwnVoiceFilter | None = None
    if options.listen:
        listener = parts.listener()
        echo = EchoCancel(out, options.echo)
        own_voice = OwnVoiceFilter(options.echo)
        bus.subscribe(own_voice.observe)
        bus.subscribe(FollowState(listener, session.state.value))
    for extra in (parts.sink(), *sinks):
        if extra is not None:
            bus.subscribe(extra.write)
    outputs = Outputs(speaker, parts.countdown(speaker, clock))
    chain = Chain(clock, session, outputs, bus, listener, echo, own_voice, typed)
    settings = LoopSettings(
        drain_limit_s=options.drain_limit_s,
        drain_holds=options.drain_holds,
        pace=WallPacer() if options.real_time else None,
    )
    closers: list[Closable] = [speaker, *([echo] if echo is not None else []), out]
    return Coach(CoachLoop(chain, settings), out, log, options, closers)


class RealParts:
    """The project's real edges: the listener, the synthesized voice, the countdown.

    `speak_to` writes the coach's voice to a WAV on the session timeline; `device`
    plays it on the speakers instead (with one warning and captions only when
    there are none); neither keeps it in memory only, as the simulator's echo
    reference. Without a `synth`, one per `voice` settings is shared by the
    sessions of a process, to reuse its cache.
    """

    def __init__(
        self,
        library: Library,
        *,
        voice: VoiceSettings | None = None,
        speak_to: Path | None = None,
        device: bool = False,
        captions: bool = False,
        synth: Synthesizer | None = None,
        asr_engine: str = "auto",
        asr_model: Path | None = None,
    ) -> None:
        """`asr_engine` and `asr_model`: the speech recognizer (see
        `voice.listening.factory`)."""
        self.library = library
        self.asr_engine = asr_engine
        self.asr_model = asr_model
        self.speak_to = speak_to
        self.device = device
        self.captions = Captions() if captions else None
        self.synth = synth or shared_synth((voice or VoiceSettings()).for_simulation())

    def audio_out(self) -> AudioOut:
        warn = self.captions.warning if self.captions is not None else _warn
        return open_output(self.speak_to, device=self.device, warn=warn)

    def speaker(self, out: AudioOut, clock: Clock) -> Speaker:
        return build_speaker(clock, out, captions=self.captions, synth=self.synth)

    def countdown(self, speaker: Speaker, clock: Clock) -> Countdown:
        return SpokenCountdown(clock, speaker, captions=self.captions)

    def listener(self) -> Listener:
        from voice.listening.factory import build_listener

        vocabulary = Vocabulary.from_library(self.library)
        return build_listener(vocabulary, engine=self.asr_engine, asr_model=self.asr_model)

    def sink(self) -> EventSink | None:
        return self.captions


def _warn(message: str) -> None:
    print(f"coach: {message}", file=sys.stderr)
