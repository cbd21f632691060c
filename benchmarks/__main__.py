"""`make bench`: run every benchmark module (`benchmarks/bench_*.py`), or those named.

Each module has `main(argv: list[str]) -> int` and prints its own table; the
README's figures come from this run. `make bench ARGS="guides"` runs one.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    # Names come first; everything from the first option on goes to each benchmark,
    # so `--split test` keeps its value.
    first_option = next((i for i, a in enumerate(argv) if a.startswith("-")), len(argv))
    wanted, options = argv[:first_option], argv[first_option:]
    if wanted:
        names = [n for n in names if any(w in n for w in wanted)]
    status = 0
    for name in names:
        print(f"\n== {name} ==", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"benchmarks.{name}")
        status |= int(module.main(options))
        print(f"({name} took {time.perf_counter() - started:.1f} s)", flush=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
