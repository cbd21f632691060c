"""`coach check PATH...`: validate guide files and folders before the coach reads them.

Each problem is one `file:line: message` line on stderr; the exit status is 1 when
any guide is invalid (or nothing was found to check), so it fits CI and editors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from voice.commands import Vocabulary
from voice.guides.library import Library, load_library
from voice.guides.report import print_errors
from voice.listening.lexicon import unpronounceable
from voice.words import normalize


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="guide files or folders of guides"
    )


def main(args: argparse.Namespace) -> int:
    result = load_library(args.paths)
    problems = print_errors(result.errors, prefix="")
    guides = result.library.guides
    if problems:
        print(f"{problems} problem(s); {len(guides)} guide(s) valid.", file=sys.stderr)
        return 1
    if not guides:
        print("coach: no guide files found (looked for *.md)", file=sys.stderr)
        return 1
    steps = sum(len(g.steps) for g in guides)
    holds = sum(1 for g in guides for s in g.steps if s.hold is not None)
    print(f"OK: {len(guides)} guide(s), {steps} steps, {holds} holds.")
    warn_unpronounceable(result.library)
    return 0


def warn_unpronounceable(library: Library) -> None:
    """Name the guides whose spoken names hold a word the recognizer cannot pronounce.

    A warning, not a failure: the guide is valid and can still be started by its
    other names or by typing, but saying that name will never work.
    """
    words = set(unpronounceable(Vocabulary.from_library(library).words()))
    for guide in library.guides if words else ():
        for phrase in (guide.name, *guide.aliases):
            for word in sorted(set(normalize(phrase).split()) & words):
                print(
                    f"{guide.path}: warning: cannot pronounce {word!r} in {phrase!r}; "
                    "the coach will not hear this name",
                    file=sys.stderr,
                )
