"""`coach check PATH...`: validate guide and routine files and folders before the coach
reads them.

Routines are resolved against the guides checked beside them, and against the library
of `--exercises` (default: the bundled one) for names those lack, so a routine file
can be checked alone.

Each problem is one `file:line: message` line on stderr; the exit status is 1 when
any guide is invalid (or nothing was found to check), so it fits CI and editors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from voice.commands import Vocabulary
from voice.errors import GuideError
from voice.guides.library import Library, load_library
from voice.guides.model import Guide
from voice.guides.report import print_errors
from voice.listening.lexicon import unpronounceable
from voice.routines.model import Routine
from voice.words import normalize


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="guide and routine files, or folders of them",
    )


def main(args: argparse.Namespace) -> int:
    elsewhere: list[GuideError] = []

    def fallback() -> Library:
        """What the checked routines name and the checked paths lack: the library of
        `--exercises` (default: the bundled one), loaded only if needed."""
        result = load_library(args.exercises)
        elsewhere.extend(result.errors)
        return result.library

    result = load_library(args.paths, fallback=fallback)
    problems = print_errors(result.errors, prefix="")
    print_errors(elsewhere)  # not what is checked: shown, not counted
    guides, routines = result.library.guides, result.library.routines
    if problems:
        valid = f" {len(routines)} routine(s) valid." if routines else ""
        print(f"{problems} problem(s); {len(guides)} guide(s) valid.{valid}", file=sys.stderr)
        return 1
    if not guides and not routines:
        print("coach: no guide files found (looked for *.md)", file=sys.stderr)
        return 1
    print(f"OK: {_summary(guides, routines)}.")
    warn_unpronounceable(result.library)
    return 0


def _summary(guides: Sequence[Guide], routines: Sequence[Routine]) -> str:
    """ "44 guide(s), 160 steps, 20 holds; 5 routine(s)": what was checked."""
    steps = sum(len(g.steps) for g in guides)
    holds = sum(1 for g in guides for s in g.steps if s.hold is not None)
    parts = [f"{len(guides)} guide(s), {steps} steps, {holds} holds"] if guides else []
    parts += [f"{len(routines)} routine(s)"] if routines else []
    return "; ".join(parts)


def warn_unpronounceable(library: Library) -> None:
    """Name the guides and routines whose spoken names hold a word the recognizer
    cannot pronounce.

    A warning, not a failure: the file is valid and can still be started by its
    other names or by typing, but saying that name will never work.
    """
    words = set(unpronounceable(Vocabulary.from_library(library).words()))
    named = [(g.path, (g.name, *g.aliases)) for g in library.guides]
    named += [(r.path, (r.title, *r.aliases)) for r in library.routines]
    for path, phrases in named if words else ():
        for phrase in phrases:
            for word in sorted(set(normalize(phrase).split()) & words):
                print(
                    f"{path}: warning: cannot pronounce {word!r} in {phrase!r}; "
                    "the coach will not hear this name",
                    file=sys.stderr,
                )
