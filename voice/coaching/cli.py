"""`coach run`: the live coach, a typed-command coach, or a simulation from a recording
or a typing script.

They differ only at the edges: where frames come from (the microphone, a WAV,
or silence while typed lines arrive, live or from a script), and where the
coach's voice goes (the speakers, or a WAV on the session's timeline). The chain
in the middle is the same (voice.coaching.assemble builds it), so what a
simulation shows is what a user gets.

Every problem the user can fix (no microphone, an unwritable `--speak-to`, no
valid guides) is checked before the session starts and reported as one line.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from voice.errors import CoachError
from voice.guides.library import Library, load_library
from voice.listening import options as listening_options
from voice.speaking import settings as voice_settings

if TYPE_CHECKING:
    from voice.audio import AudioSource
    from voice.coaching.stages import EventSink, TypedInput
    from voice.coaching.typed import TypedLine
    from voice.history.model import Past
    from voice.history.recorder import Recorder


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
        help="with --audio-in or --text-in: run on a virtual clock as fast as possible "
        "(same event times)",
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
        "--text-in",
        type=Path,
        metavar="FILE",
        help="a typing script: lines 'SECONDS TEXT', each typed at that session time",
    )
    parser.add_argument(
        "--auto", action="store_true", help="move on to the next step by itself after a pause"
    )
    voice_settings.add_arguments(parser)
    listening_options.add_arguments(parser)
    parser.add_argument(
        "--no-history",
        action="store_true",
        help="keep no history of this session (a simulation keeps none unless given --data-dir)",
    )
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
    from voice.coaching.typed import read_script

    script = read_script(args.text_in) if args.text_in is not None else None
    # The input first: no microphone, or a WAV that cannot be read, is one line
    # before anything is loaded or written.
    source = _open_source(args, script)
    try:
        library = load_guides(args.exercises)
        with _event_stream(args.events) as stream, _history(args) as (recorder, past):
            from voice.coaching.assemble import JsonLines

            sinks = [s for s in (JsonLines(stream) if stream else None, recorder) if s]
            _run(args, source, library, script, sinks, past)
            return 0
    finally:
        source.close()


def _open_source(args: argparse.Namespace, script: list[TypedLine] | None) -> AudioSource:
    from voice.audio.sources import MicSource, WavSource
    from voice.coaching.typed import SilentFrames

    if args.audio_in is not None:
        return WavSource(args.audio_in, realtime=not args.fast)
    if script is not None:
        until = max((line.t for line in script), default=0.0)
        return SilentFrames(realtime=not args.fast, until_s=until)
    if args.text:
        return SilentFrames(realtime=True)
    return MicSource()


def _run(
    args: argparse.Namespace,
    source: AudioSource,
    library: Library,
    script: list[TypedLine] | None,
    sinks: Sequence[EventSink],
    past: Past | None,
) -> None:
    from voice.coaching.assemble import RealParts, SessionOptions, assemble
    from voice.coaching.session import SessionSettings
    from voice.coaching.typed import LiveTyping, ScriptedTyping
    from voice.commands import Vocabulary
    from voice.listening.echo import EchoSettings

    live = args.audio_in is None and script is None
    voice = voice_settings.from_args(args)
    if not live:
        voice = voice.for_simulation()
    parts = RealParts(
        library,
        speak_to=args.speak_to,
        device=args.speak_to is None and not args.fast,
        captions=live,
        synth=voice_settings.synth_for(voice, warn=_warn),
        asr_engine=listening_options.engine_from_args(args),
        asr_model=args.asr_model,
    )
    options = SessionOptions(
        session=SessionSettings(auto=args.auto),
        echo=EchoSettings(cancel=not args.no_echo_cancel),
        echo_gain=args.echo,
        listen=not (args.text or script is not None),
        real_time=not args.fast,
        past=past,
    )
    if script is not None:
        options = dataclasses.replace(options, drain_holds=True, drain_limit_s=SCRIPT_DRAIN_S)
    vocabulary = Vocabulary.from_library(library)
    typed: TypedInput | None = None
    if script is not None:
        typed = ScriptedTyping(vocabulary, script)
    elif args.text:
        print(
            "Type a command (an exercise's name, 'list', 'next', 'help', 'quit').", file=sys.stderr
        )
        typed = LiveTyping(vocabulary, sys.stdin)
    elif live:
        print("coach: listening to the room for a second first", file=sys.stderr)
    calibrate_s = 1.0 if live and not args.text else 0.0
    coach = assemble(library, parts, options, sinks=sinks, typed=typed)
    coach.run(source, calibrate_s=calibrate_s)


SCRIPT_DRAIN_S = 3600.0
"""After a typing script's last line, the coach finishes what it is doing (its line,
a running hold and what follows it by itself), for at most an hour of session time."""


def history_path(args: argparse.Namespace) -> Path | None:
    """Where this session is recorded: nowhere with `--no-history`, nor in a simulation
    (`--audio-in`, `--text-in`) unless `--data-dir` names a folder for it, so tests
    and benchmarks never write into a user's real history."""
    from voice.history.store import history_file

    simulated = args.audio_in is not None or args.text_in is not None
    if args.no_history or (simulated and args.data_dir is None):
        return None
    return history_file(args.data_dir)


@contextlib.contextmanager
def _history(args: argparse.Namespace) -> Iterator[tuple[Recorder | None, Past | None]]:
    """The session's recorder and what it is told of the past; (None, None) with the
    history off, or when it cannot be opened (one line says why)."""
    path = history_path(args)
    if path is None:
        yield None, None
        return
    from voice.history.recorder import Recorder, open_history, read_past
    from voice.history.store import HistoryError

    store = open_history(path, _warn)
    if store is None:
        yield None, None
        return
    try:
        past = read_past(store, datetime.now().astimezone().date())
    except HistoryError as error:
        _warn(f"history off for this session: {error}")
        store.close()
        yield None, None
        return
    recorder = Recorder(store, _warn)
    try:
        yield recorder, past
    finally:
        recorder.close()


def _warn(message: str) -> None:
    print(f"coach: {message}", file=sys.stderr)


def _check_options(args: argparse.Namespace) -> None:
    inputs = [
        name
        for name, given in (
            ("--audio-in", args.audio_in),
            ("--text-in", args.text_in),
            ("--text", args.text),
        )
        if given
    ]
    if len(inputs) > 1:
        raise UsageError(f"{' and '.join(inputs)} cannot be used together")
    if args.audio_in is None and args.text_in is None and args.fast:
        raise UsageError("--fast needs --audio-in WAV or --text-in FILE (it simulates a session)")
    if args.audio_in is None and args.echo:
        raise UsageError("--echo needs --audio-in WAV (it simulates the room's echo)")


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
