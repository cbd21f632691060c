"""`coach hear [--exercises DIR] WAV... [--text LINE...]`: the commands heard in
recordings, or read in typed lines, one JSON line each.

One process and one loaded model for all the files, each streamed through the same
listener a live session uses, so the times printed (`decided_s` above all) are the
ones a live coach would have acted at. A file that cannot be read is one line on
stderr; the others still run, and the exit status is 1 at the end.

`--text` lines go through the same vocabulary as the typed coach (`coach run
--text`), so the spoken and typed paths can be compared line for line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from voice.commands import Vocabulary
from voice.errors import AudioError, CoachError
from voice.listening import options
from voice.listening.utterance import Utterance

if TYPE_CHECKING:
    from voice.listening.listener import Listener

TYPED_FILE = "(typed)"
"""The `file` of a typed line's JSON object."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("wavs", nargs="*", type=Path, metavar="WAV", help="recordings to hear")
    parser.add_argument(
        "--text",
        nargs="+",
        metavar="LINE",
        help="typed lines to read as commands, printed first (WAVs go before --text)",
    )
    options.add_arguments(parser)


def load_vocabulary(exercises: list[Path] | None) -> Vocabulary:
    """The vocabulary of the library in `exercises` (default: the bundled guides)."""
    from voice.guides.library import load_library

    result = load_library(exercises)
    for error in result.errors:
        print(f"coach: {error}", file=sys.stderr)
    return Vocabulary.from_library(result.library)


def main(args: argparse.Namespace) -> int:
    lines: list[str] = getattr(args, "text", None) or []  # absent in hand-made Namespaces
    if not args.wavs and not lines:
        raise CoachError("hear needs WAV files to hear, or --text LINE... to read")
    vocabulary = load_vocabulary(args.exercises)
    for line in lines:
        print(json.dumps(read_text(line, vocabulary).to_json(TYPED_FILE)), flush=True)
    if not args.wavs:
        return 0
    listener = options.listener_from_args(vocabulary, args)
    failed = False
    for path in args.wavs:
        try:
            hear_file(path, listener)
        except AudioError as error:
            print(f"coach: {error}", file=sys.stderr)
            failed = True
        except CoachError as error:
            print(f"coach: {path}: {error}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


def hear_file(path: Path, listener: Listener) -> None:
    from voice.audio.sources import WavSource
    from voice.listening.listener import hear

    listener.reset()
    source = WavSource(path)
    try:
        for utterance in hear(source, listener):
            print(json.dumps(utterance.to_json(str(path))), flush=True)
    finally:
        source.close()


def read_text(line: str, vocabulary: Vocabulary) -> Utterance:
    """A typed line as an utterance: no audio, so every time is 0.0; sure (1.0) of a
    command the vocabulary knows, and of none (0.0) otherwise."""
    command = vocabulary.match_text(line)
    return Utterance(0.0, 0.0, 0.0, line, command, 1.0 if command else 0.0)
