"""The `coach` command line: a table of subcommands, each owned by its domain's module.

Each subcommand module exposes `add_arguments(parser)` and `main(args) -> int`, so a
domain adds its own options without touching this file. Every `CoachError` ends as
one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, cast

from voice.errors import CoachError


class Subcommand(Protocol):
    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def main(self, args: argparse.Namespace) -> int: ...


SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "run": ("voice.coaching.cli", "the live coach (microphone and speakers), or a simulation"),
    "hear": ("voice.listening.cli", "print the commands heard in WAV files, one JSON line each"),
    "list": ("voice.guides.cli_list", "list the exercises in the library"),
    "show": ("voice.guides.cli_show", "show guides by file or by spoken name"),
    "check": ("voice.guides.cli_check", "check guide files; exit 1 if any is invalid"),
    "history": ("voice.history.cli", "the sessions done, newest first; 'history stats' sums them"),
}
VALUED = ("--exercises", "--data-dir")
"""The options shared by every subcommand that take a value."""


def _load(name: str) -> Subcommand:
    return cast(Subcommand, importlib.import_module(SUBCOMMANDS[name][0]))


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--exercises",
        action="append",
        type=Path,
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="use the guides in DIR instead of the bundled ones (repeatable)",
    )
    common.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="keep the history in DIR/history.sqlite3 (default: $XDG_DATA_HOME/voice-coach, "
        "else ~/.local/share/voice-coach)",
    )
    parser = argparse.ArgumentParser(
        prog="coach",
        description="A hands-free voice exercise coach. Say an exercise's name to begin.",
        parents=[common],
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text) in SUBCOMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text, parents=[common])
        _load(name).add_arguments(sub)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    """The subcommand named in `argv`, looking past the options that may come before it
    (`coach --exercises DIR list`); None when there is none (plain `coach`)."""
    words = iter(argv)
    for word in words:
        if word in VALUED:
            next(words, None)  # its value, whatever it is called
        elif not word.startswith("-"):
            return word if word in SUBCOMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _command_of(argv) is None and not {"-h", "--help"} & set(argv):
        argv = ["run", *argv]  # plain `coach` is the live coach
    args = build_parser().parse_args(argv)
    for name in ("exercises", "data_dir"):
        if not hasattr(args, name):
            setattr(args, name, None)
    try:
        return _load(args.command).main(args)
    except CoachError as error:
        print(f"coach: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
