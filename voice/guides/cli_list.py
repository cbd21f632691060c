"""`coach list [--json]`: the exercises in the library, grouped by spoken name, then
the routines with their size and about how long each takes."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from voice.guides.library import Library, load_library
from voice.guides.model import Guide
from voice.guides.report import print_errors
from voice.numbers import counted
from voice.routines.model import Routine
from voice.routines.plan import estimate_s


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="one JSON object per guide or routine per line"
    )


def main(args: argparse.Namespace) -> int:
    result = load_library(args.exercises)
    print_errors(result.errors)
    library = result.library
    if args.json:
        rows = [*map(_guide_row, library.guides), *map(_routine_row, library.routines)]
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return 0
    groups = library.groups()
    if not groups:
        print("No exercises found.", file=sys.stderr)
        return 1
    width = max(len(name) for name in groups)
    for name, variants in groups.items():
        equipment = ", ".join(g.equipment or g.id for g in variants)
        print(f"{name:<{width}}  {equipment}")
    _print_routines(library)
    counts = [counted(len(library.guides), "guide"), counted(len(groups), "exercise")]
    if library.routines:
        counts.append(counted(len(library.routines), "routine"))
    print(f"\n{', '.join(counts)}.")
    return 0


def _guide_row(guide: Guide) -> dict[str, Any]:
    return {
        "kind": "guide",
        "id": guide.id,
        "name": guide.name,
        "equipment": guide.equipment,
        "aliases": list(guide.aliases),
        "steps": len(guide.steps),
        "file": str(guide.path) if guide.path is not None else None,
    }


def _routine_row(routine: Routine) -> dict[str, Any]:
    return {
        "kind": "routine",
        "id": routine.id,
        "name": routine.title,
        "title": routine.title,
        "aliases": list(routine.aliases),
        "exercises": len(routine.items),
        "sets": routine.set_count,
        "estimate_s": round(estimate_s(routine)),
        "file": str(routine.path) if routine.path is not None else None,
    }


def _print_routines(library: Library) -> None:
    """The routines' own section: title, exercises, sets and minutes, one a line."""
    if not library.routines:
        return
    print("\nRoutines:")
    width = max(len(r.title) for r in library.routines)
    for routine in library.routines:
        size = [
            counted(len(routine.items), "exercise"),
            counted(routine.set_count, "set"),
        ]
        minutes = max(1, round(estimate_s(routine) / 60))
        print(f"{routine.title:<{width}}  {', '.join(size)}, about {minutes} min")
