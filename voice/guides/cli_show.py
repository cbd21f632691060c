"""`coach show [--json] FILE_OR_NAME...`: guides and routines read from a file, or
found in the library by the name a person would say ("hip thrust", "bodyweight hip
thrust", "morning routine"). A routine shows its plan: each exercise's sets, work
and rest, its notes, and about how long it takes."""

from __future__ import annotations

import argparse
import functools
import json
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

from voice.errors import GuideError
from voice.guides.library import Library, did_you_mean, load_library
from voice.guides.loading import parse_file
from voice.guides.model import Guide
from voice.guides.report import print_errors
from voice.routines.model import Routine, RoutineItem
from voice.routines.plan import estimate_s
from voice.routines.resolve import resolve_routine


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="one JSON object per guide or routine per line"
    )
    parser.add_argument(
        "targets",
        nargs="+",
        metavar="FILE_OR_NAME",
        help="a guide or routine file, or an exercise's or routine's name",
    )


def _is_file_argument(target: str) -> bool:
    return target.lower().endswith(".md") or "/" in target or Path(target).exists()


Shown = Guide | Routine


def _resolve(target: str, library: Callable[[], Library]) -> Sequence[Shown]:
    """What a target names; raises GuideError with suggestions if nothing. The
    library is loaded only for a name or a routine file (whose names it resolves)."""
    if not _is_file_argument(target):
        return _by_name(target, library())
    parsed = parse_file(Path(target))
    if isinstance(parsed, Guide):
        return [parsed]
    return [resolve_routine(parsed, library())]


def _by_name(target: str, library: Library) -> Sequence[Shown]:
    """A guide first (as before routines), then a routine; the exact name first,
    then a light typo of either."""
    for fuzzy in (False, True):
        match = library.find(target, fuzzy=fuzzy)
        if match.guide is not None:
            return [match.guide]
        if match.variants:
            return match.variants
        routine = library.find_routine(target, fuzzy=fuzzy)
        if routine is not None:
            return [routine]
    near = tuple(dict.fromkeys((*match.suggestions, *library.routine_suggestions(target))))
    raise GuideError(target, f"no exercise by that name{did_you_mean(near)}")


def main(args: argparse.Namespace) -> int:
    @functools.cache
    def library() -> Library:
        result = load_library(args.exercises)
        print_errors(result.errors)  # broken guides elsewhere do not stop a lookup
        return result.library

    status = 0
    for target in args.targets:
        try:
            shown = _resolve(target, library)
        except GuideError as error:
            print(f"coach: {error}", file=sys.stderr)
            status = 1
            continue
        for item in shown:
            if args.json:
                print(json.dumps(item.to_json(), ensure_ascii=False))
            elif isinstance(item, Guide):
                print(render(item))
            else:
                print(render_routine(item, library()))
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


def render_routine(routine: Routine, library: Library) -> str:
    """A routine as readable text: its exercises in order with their sets, work and
    rest, its notes, and about how long it takes."""
    lines = [routine.title, "=" * len(routine.title)]
    if routine.aliases:
        lines.append(f"Also called: {', '.join(routine.aliases)}")
    lines.append("")
    last = len(routine.items) - 1
    for index, item in enumerate(routine.items):
        rest = _rest(routine, item, index == last)
        lines.append(f"{index + 1:>2}. {_named(item, library)}: {_work(item)}{rest}")
    if routine.notes:
        lines += ["", "Notes:"]
        for paragraph in routine.notes.split("\n\n"):
            lines += textwrap.wrap(paragraph, 88, initial_indent="  ", subsequent_indent="  ")
    size = f"{len(routine.items)} exercises, {routine.set_count} sets"
    lines += ["", f"Total: about {_duration(estimate_s(routine))} ({size})"]
    lines += [f"({routine.id}, {routine.path})", ""]
    return "\n".join(lines)


def _named(item: RoutineItem, library: Library) -> str:
    guide = library.get(item.guide_id)
    return (
        f"{item.name} ({guide.equipment})" if guide is not None and guide.equipment else item.name
    )


def _work(item: RoutineItem) -> str:
    """ "2 sets x 10 reps at tempo 2-1", "hold 30 s each side"."""
    if item.reps is not None:
        pace = f"tempo {item.tempo}" if len(item.tempo.phases) > 1 else f"{item.tempo} s a rep"
        work = f"{item.reps} reps at {pace}"
    else:
        work = f"hold {item.hold_s or 0:g} s"
    if item.each_side:
        work = (
            work.replace(" at ", " each side at ") if item.reps is not None else f"{work} each side"
        )
    return f"{item.sets} sets x {work}" if item.sets > 1 else work


def _rest(routine: Routine, item: RoutineItem, last: bool) -> str:
    rest = routine.rest_after(item)
    if last:
        return f", rest {rest:g} s between sets" if item.sets > 1 and rest else ""
    return f", rest {rest:g} s" if rest else ", no rest"


def _duration(seconds: float) -> str:
    """ "9 min 5 s", "45 s": a time estimate, to the second."""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"
