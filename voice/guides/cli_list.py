"""`coach list [--json]`: the exercises in the library, grouped by spoken name."""

from __future__ import annotations

import argparse
import json
import sys

from voice.guides.library import load_library
from voice.guides.report import print_errors


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON object per guide per line")


def main(args: argparse.Namespace) -> int:
    result = load_library(args.exercises)
    print_errors(result.errors)
    library = result.library
    if args.json:
        for guide in library.guides:
            line = {
                "id": guide.id,
                "name": guide.name,
                "equipment": guide.equipment,
                "aliases": list(guide.aliases),
                "steps": len(guide.steps),
                "file": str(guide.path) if guide.path is not None else None,
            }
            print(json.dumps(line, ensure_ascii=False))
        return 0
    groups = library.groups()
    if not groups:
        print("No exercises found.", file=sys.stderr)
        return 1
    width = max(len(name) for name in groups)
    for name, variants in groups.items():
        equipment = ", ".join(g.equipment or g.id for g in variants)
        print(f"{name:<{width}}  {equipment}")
    print(f"\n{_count(len(library.guides), 'guide')}, {_count(len(groups), 'exercise')}.")
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
