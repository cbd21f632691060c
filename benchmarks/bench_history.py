"""History: what keeping it costs a session, and how fast it reads back.

Writing. Each bundled routine, and one guide to its end, runs through the real
chain (typed, on the virtual clock, the simulation voice) with the history's
`Recorder` on a real file as one more sink, as `coach run --data-dir` does. Every
transaction is timed where the session's loop waits for it: a write that took
longer than a frame (20 ms) would hold the coach up by that frame.

Whole runs. `coach run --text-in --fast` of a routine as a process, with its
history written and with `--no-history`.

Reading. A history of 1,000 sessions, one a day (the recorded sessions' events
written again through the recorder, so the file is what a user's would be), then
`coach history`, `coach history --json` and `coach history stats` as processes,
and, in process, opening the file (with its quick check) and what a session reads
of the past when it starts (`read_past`).

`--quick` writes 200 sessions instead of 1,000 and runs each process once.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from voice.audio import FRAME_S
from voice.coaching.assemble import RealParts, SessionOptions, assemble
from voice.coaching.loop import EventLog
from voice.coaching.typed import ScriptedTyping, SilentFrames, TypedLine
from voice.commands import Vocabulary
from voice.events import Event
from voice.guides.library import Library, load_library
from voice.history.recorder import Recorder, read_past
from voice.history.store import HistoryStore

T = TypeVar("T")
WRITE_TARGET_S = FRAME_S
"""The slowest write (p95, and we report the maximum) stays under one frame."""


class TimedStore(HistoryStore):
    """The real store, with each transaction's time kept."""

    times: list[float] = []  # noqa: RUF012  (each store gets its own list before writing)

    def _transaction(self, work: Callable[..., T]) -> T:
        started = time.perf_counter()
        try:
            return super()._transaction(work)
        finally:
            self.times = [*self.times, time.perf_counter() - started]


def _session(library: Library, what: str, script: list[TypedLine]) -> list[Event]:
    """The events of one typed session, on the virtual clock."""
    vocabulary = Vocabulary.from_library(library)
    options = SessionOptions(listen=False, drain_holds=True, drain_limit_s=3600.0)
    log = EventLog()
    coach = assemble(
        library, RealParts(library), options, sinks=[log], typed=ScriptedTyping(vocabulary, script)
    )
    coach.run(SilentFrames(realtime=False, until_s=max(line.t for line in script)))
    return log.events


def _sessions(library: Library) -> dict[str, list[Event]]:
    runs = {r.title: [TypedLine(0.5, r.title)] for r in library.routines}
    runs["Wall Sit (a guide)"] = [TypedLine(0.0, "wall sit")] + [
        TypedLine(t, "next") for t in (30.0, 60.0, 150.0, 151.0)
    ]
    return {name: _session(library, name, script) for name, script in runs.items()}


def _write(store: HistoryStore, events: list[Event], started: datetime) -> None:
    """One session's events through a recorder, which closes `store` at the end."""
    recorder = Recorder(store, lambda message: print(f"  ! {message}"), clock=lambda: started)
    for event in events:
        recorder.write(event)
    recorder.close()


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _bench_writes(sessions: dict[str, list[Event]], folder: Path) -> bool:
    print("Writing, per session through the recorder (one transaction per event):")
    print(f"  {'session':<26}{'events':>7}{'writes':>7}{'p50':>10}{'p95':>10}{'max':>10}")
    every: list[float] = []
    for n, (name, events) in enumerate(sessions.items()):
        store = TimedStore.open(folder / f"w{n}" / "history.sqlite3")
        store.times = []
        _write(store, events, datetime.now().astimezone())
        times = store.times
        every += times
        print(
            f"  {name:<26}{len(events):>7}{len(times):>7}"
            f"{_ms(_pct(times, 0.5)):>10}{_ms(_pct(times, 0.95)):>10}{_ms(max(times)):>10}"
        )
    p95, worst = _pct(every, 0.95), max(every)
    ok = p95 < WRITE_TARGET_S
    print(
        f"  all {len(every)} writes: p50 {_ms(_pct(every, 0.5))}, p95 {_ms(p95)}, max {_ms(worst)}"
        f"; target p95 < {_ms(WRITE_TARGET_S)} (a frame): {'met' if ok else 'MISSED'}"
    )
    return ok


def _timed_process(cmd: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.strip()}")
    return statistics.median(times)


def _bench_runs(library: Library, folder: Path, repeats: int) -> None:
    routine = library.routines[0].title
    script = folder / "script.txt"
    script.write_text(f"0.5 {routine}\n", encoding="utf-8")
    base = [sys.executable, "-m", "voice", "run", "--text-in", str(script), "--fast"]
    without = _timed_process([*base, "--no-history"], repeats)
    with_history = _timed_process([*base, "--data-dir", str(folder / "runs")], repeats)
    print(f"`coach run --text-in --fast` of {routine} (median of {repeats}):")
    print(f"  with history {with_history:.2f} s, --no-history {without:.2f} s")


def _bench_reading(
    sessions: dict[str, list[Event]], folder: Path, count: int, repeats: int
) -> None:
    path = folder / "read" / "history.sqlite3"
    runs = list(sessions.values())
    today = datetime.now().astimezone().replace(hour=7, minute=30, second=0, microsecond=0)
    started = time.perf_counter()
    for day in range(count):
        store = HistoryStore.open(path)  # each session is its own coach, opening the file
        _write(store, runs[day % len(runs)], today - timedelta(days=count - 1 - day))
    filled = time.perf_counter() - started
    size = path.stat().st_size + sum(p.stat().st_size for p in path.parent.glob("*-wal"))
    print(
        f"Reading a history of {count} sessions, one a day "
        f"({size / 1e6:.1f} MB; written in {filled:.1f} s):"
    )
    started = time.perf_counter()
    for _ in range(10):
        HistoryStore.open(path).close()
    print(f"  opening it (quick check included): {_ms((time.perf_counter() - started) / 10)}")
    store = HistoryStore.open(path)
    started = time.perf_counter()
    for _ in range(10):
        read_past(store, today.date())
    print(f"  read_past at a session's start: {_ms((time.perf_counter() - started) / 10)}")
    store.close()
    base = [sys.executable, "-m", "voice", "history", "--data-dir", str(path.parent)]
    for label, extra in (
        ("table (20 newest)", []),
        ("--json (all)", ["--json"]),
        ("stats", ["stats"]),
    ):
        seconds = _timed_process([*base, *extra], repeats)
        print(f"  coach history {label:<18} {seconds:.2f} s (median of {repeats})")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_history")
    parser.add_argument("--quick", action="store_true")
    args, _ = parser.parse_known_args(argv)
    library = load_library().library
    sessions = _sessions(library)
    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        folder = Path(tmp)
        ok = _bench_writes(sessions, folder)
        repeats = 1 if args.quick else 5
        _bench_runs(library, folder, repeats)
        _bench_reading(sessions, folder, 200 if args.quick else 1000, 1 if args.quick else 3)
    return 0 if ok else 1
