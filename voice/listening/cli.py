"""`coach hear [--exercises DIR] WAV...`: the commands heard in recordings, one JSON line each.

One process and one loaded model for all the files, each streamed through the same
listener a live session uses, so the times printed (`decided_s` above all) are the
ones a live coach would have acted at. A file that cannot be read is one line on
stderr; the others still run, and the exit status is 1 at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from voice.commands import Vocabulary
from voice.errors import AudioError, CoachError
from voice.listening.listener import Listener, hear
from voice.listening.sources import WavSource


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("wavs", nargs="+", type=Path, metavar="WAV", help="recordings to hear")


def load_vocabulary(exercises: list[Path] | None) -> Vocabulary:
    """The vocabulary of the library in `exercises` (default: the bundled guides)."""
    from voice.guides.library import load_library

    result = load_library(exercises)
    for error in result.errors:
        print(f"coach: {error}", file=sys.stderr)
    return Vocabulary.from_library(result.library)


def main(args: argparse.Namespace) -> int:
    vocabulary = load_vocabulary(args.exercises)
    listener = Listener(vocabulary)
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
    listener.reset()
    source = WavSource(path)
    try:
        for utterance in hear(source, listener):
            print(json.dumps(utterance.to_json(str(path))), flush=True)
    finally:
        source.close()
