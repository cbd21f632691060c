"""Loading 1,000 guides: the library's start-up cost (target: at most 1 s on 2 cores).

The guides are generated from the bundled ones, varied the ways guides in the wild
vary (heading levels, bold-label sections, hold seconds, item order, no howto
marker), each under a new file name whose words the name splitter must separate.
Each run loads a fresh copy of the files with the spoken-name cache emptied, so
every run parses, splits names and indexes 1,000 guides for real; the one-off
load of the pronunciation dictionary is timed apart.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import tempfile
import time
from pathlib import Path

from voice.guides import names
from voice.guides.library import default_exercise_dirs, load_library

TARGET_S = 1.0
PREFIXES = ["", "paused", "tempo", "wide", "narrow", "slow", "elevated", "banded", "alternating"]
SUFFIXES = ["", "hold", "pulse", "reach", "twist", "march"]
EQUIPMENT = ["bodyweight", "band", "dumbbell", "kettlebell", "cable", "barbell"]


def _bold_labels(body: str) -> str:
    return re.sub(r"^#{2,3} (.+)$", r"**\1:**", body, flags=re.M)


def _h3(body: str) -> str:
    return re.sub(r"^## ", "### ", body, flags=re.M)


def _no_marker(body: str) -> str:
    above = body.split("<!-- howto -->")[0]
    return above if re.search(r"^1\. ", above, re.M) else body


def _vary(text: str, rng: random.Random) -> str:
    text = re.sub(r"\b(\d+) seconds", lambda m: f"{rng.randint(5, 60)} seconds", text)
    style = rng.randrange(4)
    if style == 1:
        text = _h3(text)
    elif style == 2:
        text = _bold_labels(text)
    elif style == 3:
        text = _no_marker(text)
    lines = text.splitlines()
    bullets = [i for i, line in enumerate(lines) if line.startswith("- ")]
    shuffled = [lines[i] for i in bullets]
    rng.shuffle(shuffled)
    for i, line in zip(bullets, shuffled, strict=True):
        lines[i] = line
    return "\n".join(lines) + "\n"


def generate(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """Write `count` varied guides into `folder`; return their paths."""
    rng = random.Random(seed)
    templates = sorted(default_exercise_dirs()[0].glob("*.md"))
    combos = [(p, s, e) for p in PREFIXES for s in SUFFIXES for e in EQUIPMENT]
    rng.shuffle(combos)
    paths: list[Path] = []
    i = 0
    while len(paths) < count:
        template = templates[i % len(templates)]
        prefix, suffix, equipment = combos[i % len(combos)]
        i += 1
        base = template.stem.rsplit("_", 1)[0]
        path = folder / f"{prefix}{base}{suffix}_{equipment}.md"
        if path.exists():
            continue  # two templates share a base name ("glutebridge"): skip the clash
        path.write_text(_vary(template.read_text(encoding="utf-8"), rng), encoding="utf-8")
        paths.append(path)
    return paths


def _cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # forked parse workers
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _time_load(folder: Path, workers: int | None) -> tuple[float, float, int, int]:
    """Wall and CPU seconds of one load, and how many guides and errors it gave."""
    names.name_from_stem.cache_clear()  # split every name again, as a fresh start would
    cpu, started = _cpu_s(), time.perf_counter()
    result = load_library([folder], workers=workers)
    elapsed, cpu = time.perf_counter() - started, _cpu_s() - cpu
    return elapsed, cpu, len(result.library.guides), len(result.errors)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_guides")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args, _ = parser.parse_known_args(argv)

    started = time.perf_counter()
    names.dictionary()  # the pronunciation dictionary, loaded once per process
    dictionary_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, args.count)
        load_before = os.getloadavg()[0]
        rows = {
            label: [_time_load(folder, workers) for _ in range(args.runs)]
            for label, workers in (("auto (idle cores)", None), ("1 process", 1))
        }

    print(f"| load_library, {args.count:,} guides | best | median | CPU (median) | target |")
    print("|---|---|---|---|---|")
    ok = True
    for label, runs in rows.items():
        walls = [r[0] for r in runs]
        cpus = [r[1] for r in runs]
        median = statistics.median(walls)
        print(
            f"| {label} | {min(walls):.2f} s | {median:.2f} s | {statistics.median(cpus):.2f} s "
            f"| <= {TARGET_S:.0f} s |"
        )
        ok &= all(r[2] == args.count and r[3] == 0 for r in runs)
        if label.startswith("auto"):
            ok &= median <= TARGET_S
    print(
        f"\n{args.runs} runs each; load average before: {load_before:.2f} on {os.cpu_count()} "
        "cores (other work slows the wall time; CPU includes the parse workers')."
    )
    print(f"One-off CMUdict load before the first name split: {dictionary_s:.2f} s.")
    print("PASS" if ok else "FAIL: over target, or guides lost or in error")
    return 0 if ok else 1


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
