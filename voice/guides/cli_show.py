"""`coach show [--json] FILE_OR_NAME...`: guides read from a file, or found in the
library by the name a person would say ("hip thrust", "bodyweight hip thrust")."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from voice.errors import GuideError
from voice.guides.library import Library, load_library
from voice.guides.model import Guide
from voice.guides.parse import parse_guide
from voice.guides.report import print_errors


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON object per guide per line")
    parser.add_argument(
        "targets", nargs="+", metavar="FILE_OR_NAME", help="a guide file, or an exercise's name"
    )


def _is_file_argument(target: str) -> bool:
    return target.lower().endswith(".md") or "/" in target or Path(target).exists()


def _resolve(target: str, library: Library) -> list[Guide]:
    """The guides a target names; raises GuideError with suggestions if none."""
    if _is_file_argument(target):
        return [parse_guide(Path(target))]
    match = library.find(target)
    if match.guide is not None:
        return [match.guide]
    if match.variants:
        return list(match.variants)
    hint = (
        f"; did you mean {', '.join(repr(s) for s in match.suggestions)}?"
        if match.suggestions
        else ""
    )
    raise GuideError(target, f"no exercise by that name{hint}")


def main(args: argparse.Namespace) -> int:
    library: Library | None = None
    status = 0
    for target in args.targets:
        if library is None and not _is_file_argument(target):
            result = load_library(args.exercises)
            print_errors(result.errors)  # broken guides elsewhere do not stop a lookup
            library = result.library
        try:
            guides = _resolve(target, library or Library(()))
        except GuideError as error:
            print(f"coach: {error}", file=sys.stderr)
            status = 1
            continue
        for guide in guides:
            if args.json:
                print(json.dumps(guide.to_json(), ensure_ascii=False))
            else:
                print(render(guide))
    return status


def render(guide: Guide) -> str:
    """A guide as readable text: what the coach would say, with holds."""
    wrap = textwrap.TextWrapper(width=88, subsequent_indent="     ")
    title = f"{guide.name} ({guide.equipment})" if guide.equipment else guide.name
    lines = [title, "=" * len(title)]
    if guide.aliases:
        lines.append(f"Also called: {', '.join(guide.aliases)}")
    if guide.description:
        lines += textwrap.wrap(guide.description, 88)
    lines += ["", "Steps:"]
    for number, step in enumerate(guide.steps, 1):
        lines.append(wrap.fill(f"{number:>2}. {step.title}: {step.text}".rstrip(": ")))
        if step.hold is not None:
            how = "stated" if step.hold.stated else "default, vague"
            side = " on each side" if step.hold.per_side else ""
            lines.append(f'     [hold {step.hold.seconds:g} s{side}, {how}: "{step.hold.phrase}"]')
    for heading, items in (("Key points:", guide.key_points), ("Common mistakes:", guide.mistakes)):
        if items:
            lines += ["", heading]
            lines += [wrap.fill(f"   - {item}") for item in items]
    if guide.video:
        lines += ["", f"Video: https://www.youtube.com/watch?v={guide.video}"]
    lines += ["", f"({guide.id}, {guide.path})", ""]
    return "\n".join(lines)
