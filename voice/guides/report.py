"""How guide problems reach the terminal: one `file:line: message` line each."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from voice.errors import GuideError


def print_errors(errors: Iterable[GuideError], *, prefix: str = "coach: ") -> int:
    """Print each error on one line to stderr; return how many there were."""
    count = 0
    for error in errors:
        print(f"{prefix}{error}", file=sys.stderr)
        count += 1
    return count
