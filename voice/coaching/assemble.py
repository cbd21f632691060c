"""A coaching session wired to its edges: the one assembly the live coach, the
typed coach and the simulator share.

`assemble` puts the `CoachLoop` and the `Session` on one virtual clock between
`Parts`: where frames are heard (a pocketsphinx `Listener`, or none for typed
commands), where the coach's voice goes (the speakers, or a WAV on the session's
timeline) and the countdown. The clock is moved by the frames themselves, so a
WAV read as fast as possible (`--fast`) and the same WAV in real time give
identical events. `RealParts` are the project's real edges; tests pass fakes.
"""

from __future__ import annotations

import functools
import json
import queue
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

from voice.clock import Clock, VirtualClock
from voice.coaching.countdown import SpokenCountdown
from voice.coaching.loop import CoachLoop, Countdown, EventLog, EventSink, Listener, LoopSettings
from voice.coaching.session import Catalog, Session, SessionSettings
from voice.commands import Vocabulary
from voice.errors import AudioError
from voice.events import Event
from voice.guides.library import Library
from voice.intents import Command
from voice.listening.audio import AudioSource
from voice.listening.echo import EchoGuard, EchoSettings
from voice.speaking.captions import Captions
from voice.speaking.coach_speaker import CoachSpeaker
from voice.speaking.outputs import SoundDeviceOut, TimelineOut
from voice.speaking.speaker import AudioOut, Speaker
from voice.speaking.synth import Synthesizer, default_synth


class JsonLines:
    """`--events FILE`: one JSON object per event per line, flushed as it happens."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, event: Event) -> None:
        self._stream.write(json.dumps(event.to_json(), ensure_ascii=False) + "\n")
        self._stream.flush()


class Parts(Protocol):
    """Makers of the edges a simulated session runs on (swapped for fakes in tests)."""

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
    """What `coach run` takes, as data."""

    auto: bool = False
    echo_gain: float = 0.0
    """Simulator only: the coach's voice mixed back into the recording at this gain."""
    echo: EchoSettings = field(default_factory=EchoSettings)
    listen: bool = True
    """False for typed commands: no listener at all."""
    session: SessionSettings | None = None
    """Overrides `auto` where given."""
    loop: LoopSettings | None = None
    """Overrides `echo_gain` where given."""
    real_time: bool = False
    """The input arrives in real time: the last line is drained in real time too, so
    the speakers get to play it before they are closed."""


@dataclass
class Coach:
    """A session wired to its edges, ready to `run` (or to be driven frame by frame)."""

    loop: CoachLoop
    out: AudioOut
    speaker: Speaker
    guard: EchoGuard
    log: EventLog
    parts: Parts

    def run(self, source: AudioSource, *, calibrate_s: float = 0.0) -> SessionResult:
        try:
            self.loop.run(source, calibrate_s=calibrate_s)
        finally:
            self.close()
        return SessionResult(self.log.events)

    def close(self) -> None:
        self.speaker.close()
        self.guard.close()
        self.out.close()


@dataclass
class SessionResult:
    events: list[Event]


def assemble(
    catalog: Catalog,
    parts: Parts,
    options: SessionOptions | None = None,
    *,
    sink: EventSink | None = None,
    typed: queue.Queue[Command] | None = None,
) -> Coach:
    """The loop, the session and the edges, on one virtual clock.

    The clock is virtual in every mode and moved by the frames, whose times come
    from the source: a microphone's frames arrive in real time, a file's as fast
    as it is read, and the session cannot tell the difference.
    """
    options = options or SessionOptions()
    log = EventLog(_tee(sink, parts.sink()))
    clock = VirtualClock()
    out = parts.audio_out()
    speaker = parts.speaker(out, clock)
    guard = EchoGuard(options.echo)
    loop = CoachLoop(
        Session(catalog, options.session or SessionSettings(auto=options.auto)),
        speaker=speaker,
        countdown=parts.countdown(speaker, clock),
        events=log,
        listener=parts.listener() if options.listen else None,
        clock=clock,
        out=out,
        echo=guard,
        settings=options.loop or LoopSettings(echo_gain=options.echo_gain),
        typed=typed,
        pace=time.sleep if options.real_time else None,
    )
    return Coach(loop, out, speaker, guard, log, parts)


def run_session(
    source: AudioSource,
    catalog: Catalog,
    parts: Parts,
    options: SessionOptions | None = None,
    *,
    sink: EventSink | None = None,
    typed: queue.Queue[Command] | None = None,
    calibrate_s: float = 0.0,
) -> SessionResult:
    """One whole session from `source`, live or simulated."""
    coach = assemble(catalog, parts, options, sink=sink, typed=typed)
    return coach.run(source, calibrate_s=calibrate_s)


class _Tee:
    def __init__(self, *sinks: EventSink) -> None:
        self._sinks = sinks

    def write(self, event: Event) -> None:
        for sink in self._sinks:
            sink.write(event)


def _tee(*sinks: EventSink | None) -> EventSink | None:
    present = [s for s in sinks if s is not None]
    return None if not present else present[0] if len(present) == 1 else _Tee(*present)


SIMULATION_ENGINE = "espeak-ng"
"""The voice of simulated sessions. pyttsx3 (the live default) gave a different
session from the same recording in two runs out of two (its lines come out
differently from one process to the next), and a simulation must replay exactly."""


class RealParts:
    """The project's real edges: the listener, synthesized voice, countdown.

    `speak_to` writes the coach's voice to a WAV on the session timeline; `device`
    plays it on the speakers instead (with one warning and captions only when
    there are none); neither keeps it in memory only, as the simulator's echo
    reference. `synth` may be shared between sessions (benchmarks) to reuse its cache.
    """

    def __init__(
        self,
        library: Library,
        *,
        speak_to: Path | None = None,
        device: bool = False,
        captions: bool = False,
        synth: Synthesizer | None = None,
        engine: str = SIMULATION_ENGINE,
        asr_engine: str = "auto",
        asr_model: Path | None = None,
    ) -> None:
        """`asr_engine` and `asr_model`: the speech recognizer (see
        `voice.listening.factory`)."""
        self.library = library
        self.asr_engine = asr_engine
        self.asr_model = asr_model
        self.speak_to = speak_to
        self.device = device and speak_to is None
        self.captions = Captions() if captions else None
        self.synth = synth or shared_synth(engine)

    def audio_out(self) -> AudioOut:
        if self.device:
            try:
                return SoundDeviceOut()
            except AudioError as error:
                print(f"coach: {error}; showing captions only", file=sys.stderr)
                return TimelineOut()
        return TimelineOut(self.speak_to)

    def speaker(self, out: AudioOut, clock: Clock) -> Speaker:
        return CoachSpeaker(clock, self.synth, out, captions=self.captions)

    def countdown(self, speaker: Speaker, clock: Clock) -> Countdown:
        return SpokenCountdown(clock, speaker, captions=self.captions)

    def listener(self) -> Listener:
        from voice.listening.factory import build_listener

        vocabulary = Vocabulary.from_library(self.library)
        return build_listener(vocabulary, engine=self.asr_engine, asr_model=self.asr_model)

    def sink(self) -> EventSink | None:
        return self.captions


@functools.cache
def shared_synth(engine: str = SIMULATION_ENGINE) -> Synthesizer:
    """One cached synthesizer per engine and process: the coach repeats its lines."""
    return default_synth(engine=engine)
