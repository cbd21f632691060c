"""`coach run`: the live coach, a typed-command coach, or a simulation from a recording.

The three differ only at the edges: where frames come from (the microphone, a
WAV, or silence paced by the real clock while typed lines arrive), and where the
coach's voice goes (the speakers, or a WAV on the session's timeline). The loop
and the session in the middle are the same, so what a simulation shows is what
a user gets.

Every problem the user can fix (no microphone, an unwritable `--speak-to`, no
valid guides) is checked before the session starts and reported as one line.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import queue
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

import numpy as np

from voice.coaching.session import QUIT_NOW
from voice.errors import CoachError
from voice.guides.library import Library, load_library
from voice.intents import Command, Intent
from voice.listening import options as listening_options
from voice.listening.audio import FRAME_S, FRAME_SAMPLES, AudioSource, Frame
from voice.listening.echo import EchoSettings
from voice.speaking import settings as voice_settings

if TYPE_CHECKING:
    from voice.coaching.assemble import JsonLines


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--audio-in", type=Path, metavar="WAV", help="a recording plays the microphone's part"
    )
    parser.add_argument(
        "--speak-to",
        type=Path,
        metavar="WAV",
        help="write the coach's voice to WAV on the session's timeline instead of the speakers",
    )
    parser.add_argument(
        "--events", type=Path, metavar="FILE", help="write the session's events as JSON lines"
    )
    parser.add_argument(
        "--fast",
        action="store_true",
        help="with --audio-in: run on a virtual clock as fast as possible (same event times)",
    )
    parser.add_argument(
        "--echo",
        type=_gain,
        default=0.0,
        metavar="GAIN",
        help="with --audio-in: mix the coach's voice back into the recording at GAIN (0-2)",
    )
    parser.add_argument(
        "--text", action="store_true", help="type commands instead of speaking (no microphone)"
    )
    parser.add_argument(
        "--auto", action="store_true", help="move on to the next step by itself after a pause"
    )
    voice_settings.add_arguments(parser)
    listening_options.add_arguments(parser)
    parser.add_argument(
        "--no-echo-cancel",
        action="store_true",
        help="turn the echo canceller off (for measuring it)",
    )


def _gain(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 2.0:
        raise argparse.ArgumentTypeError(f"echo gain must be between 0 and 2, got {value:g}")
    return value


class UsageError(CoachError):
    """Options that do not go together."""


def main(args: argparse.Namespace) -> int:
    _check_options(args)
    from voice.speaking.outputs import check_writable

    if args.speak_to is not None:
        check_writable(args.speak_to, "--speak-to")
    if args.events is not None:
        check_writable(args.events, "--events")
    # The input first: no microphone, or a WAV that cannot be read, is one line
    # before anything is loaded or written.
    from voice.coaching.assemble import JsonLines

    source = _open_source(args)
    try:
        library = load_guides(args.exercises)
        with _event_stream(args.events) as stream:
            return _run(args, source, library, JsonLines(stream) if stream else None)
    finally:
        source.close()


def _open_source(args: argparse.Namespace) -> AudioSource:
    from voice.listening.sources import MicSource, WavSource

    if args.audio_in is not None:
        return WavSource(args.audio_in, realtime=not args.fast)
    if args.text:
        return PacedSilence()
    return MicSource()


def _run(
    args: argparse.Namespace, source: AudioSource, library: Library, sink: JsonLines | None
) -> int:
    from voice.coaching.assemble import SIMULATION_ENGINE, RealParts, SessionOptions, run_session

    live = args.audio_in is None
    settings = voice_settings.from_args(args)
    if not live and settings.engine == "auto":
        # pyttsx3 is the live voice; simulations use the engine that replays exactly.
        settings = dataclasses.replace(settings, engine=SIMULATION_ENGINE)
    synth = voice_settings.synth_for(
        settings, warn=lambda message: print(f"coach: {message}", file=sys.stderr)
    )
    parts = RealParts(
        library,
        speak_to=args.speak_to,
        device=args.speak_to is None,
        captions=live,
        synth=synth,
        asr_engine=listening_options.engine_from_args(args),
        asr_model=args.asr_model,
    )
    options = SessionOptions(
        auto=args.auto,
        echo_gain=args.echo,
        echo=EchoSettings(cancel=not args.no_echo_cancel),
        listen=not args.text,
        real_time=not args.fast,
    )
    typed = None
    if args.text:
        print(
            "Type a command (an exercise's name, 'list', 'next', 'help', 'quit').", file=sys.stderr
        )
        typed = TypedCommands(library, sys.stdin).commands
    elif live:
        print("coach: listening to the room for a second first", file=sys.stderr)
    calibrate_s = 1.0 if live and not args.text else 0.0
    run_session(source, library, parts, options, sink=sink, typed=typed, calibrate_s=calibrate_s)
    return 0


def _check_options(args: argparse.Namespace) -> None:
    if args.audio_in is None:
        if args.fast:
            raise UsageError("--fast needs --audio-in WAV (it simulates a recorded session)")
        if args.echo:
            raise UsageError("--echo needs --audio-in WAV (it simulates the room's echo)")
    if args.text and args.audio_in is not None:
        raise UsageError("--text and --audio-in cannot be used together")


def load_guides(dirs: list[Path] | None) -> Library:
    """The library, or one clear error when it has no valid guide."""
    result = load_library(dirs)
    if not result.library.guides:
        where = ", ".join(str(d) for d in dirs) if dirs else "the bundled exercises folder"
        detail = ""
        if result.errors:
            more = f"; {len(result.errors) - 1} more: 'coach check' lists them"
            detail = f" ({result.errors[0]}{more if len(result.errors) > 1 else ''})"
        raise CoachError(f"no valid exercise guides in {where}{detail}")
    if result.errors:
        print(
            f"coach: skipped {len(result.errors)} invalid guide(s); 'coach check' lists why",
            file=sys.stderr,
        )
    return result.library


@contextlib.contextmanager
def _event_stream(path: Path | None) -> Iterator[IO[str] | None]:
    if path is None:
        yield None
        return
    try:
        stream = path.open("w", encoding="utf-8")
    except OSError as error:
        raise CoachError(f"{path}: cannot write events ({error.strerror})") from None
    with stream:
        yield stream


class TypedCommands:
    """Typed lines from a stream, read on a worker thread (input() blocks), as commands.

    A line that is no command is taken for an exercise's name, so a typo gets
    "I don't know ...; did you mean ...?" rather than silence.
    """

    def __init__(self, library: Library, stream: IO[str]) -> None:
        from voice.commands import Vocabulary

        self.commands: queue.Queue[Command] = queue.Queue()
        self._vocabulary = Vocabulary.from_library(library)
        self._stream = stream
        self._thread = threading.Thread(target=self._read, name="typed-commands", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            for line in self._stream:
                text = line.strip()
                if text:
                    command = self._vocabulary.match_text(text)
                    self.commands.put(command or Command(Intent.START, text))
        except (OSError, ValueError):
            pass  # stdin closed under us: the same as its end
        # The end of input (Ctrl-D) means "quit": the coach says goodbye and exits.
        self.commands.put(Command(Intent.QUIT, QUIT_NOW))


class PacedSilence:
    """Silent frames paced by the real clock: the typed coach's heartbeat."""

    def __init__(self) -> None:
        self._closed = False

    def frames(self) -> Iterator[Frame]:
        start = time.monotonic()
        silent = np.zeros(FRAME_SAMPLES, dtype=np.int16)
        k = 0
        while not self._closed:
            delay = start + k * FRAME_S - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            yield Frame(k * FRAME_S, silent)
            k += 1

    def close(self) -> None:
        self._closed = True
