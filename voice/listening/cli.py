"""Placeholder: this subcommand is not built yet."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rest", nargs="*")


def main(args: argparse.Namespace) -> int:
    print("coach: 'listening/cli' is not built yet", file=sys.stderr)
    return 2
