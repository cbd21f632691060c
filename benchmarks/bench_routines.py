"""Routines: how far a routine's timing drifts from its schedule, and the start-up cost.

Drift. A bundled routine of about ten minutes runs with no commands through the
real chain (the simulation voice, no speakers), typed-session style:

- on the virtual clock, every rep and tick is compared with its ideal time (its
  timer's start plus n beats or seconds) and every set after a rest with the
  rest's scheduled end; the coach's spoken count with the rep it counts;
- in real time (`--real-time`, the default unless `--quick`), each event's wall
  time since the start is compared with its session time: the lag the machine
  adds, and whether it grows over ten minutes.

Start-up. `load_library()` of the bundled folders (guides and routines) against
the guides alone, the same with 200 more routines, and `coach list` as a process.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from voice.audio import FRAME_S
from voice.coaching.assemble import RealParts, SessionOptions, assemble
from voice.coaching.typed import ScriptedTyping, SilentFrames, TypedLine
from voice.commands import Vocabulary
from voice.events import Event, Rep, Rest, RoutineEnded, Said, SetStarted, Tick
from voice.guides.holds import SWITCH_S
from voice.guides.library import Library, default_exercise_dirs, load_library
from voice.routines.model import Routine
from voice.routines.plan import estimate_s, sets_of

TARGET_MINUTES = 10.0
REAL_TIME_LAG_TARGET_S = FRAME_S
"""Over a routine run live, the lag behind the wall clock grows by less than a frame."""


@dataclass
class Recorder:
    """An event sink keeping each event with the wall time it was published at."""

    source: SilentFrames | None = None
    started: float = field(default_factory=time.monotonic)
    rows: list[tuple[float, Event]] = field(default_factory=list)

    def write(self, event: Event) -> None:
        self.rows.append((time.monotonic() - self.started, event))
        if isinstance(event, RoutineEnded) and self.source is not None:
            self.source.close()  # the routine is over: the session may end


def _routine(library: Library) -> Routine:
    """The bundled routine whose estimate is nearest ten minutes."""
    return min(library.routines, key=lambda r: abs(estimate_s(r) / 60 - TARGET_MINUTES))


def _run(library: Library, routine: Routine, *, real_time: bool) -> Recorder:
    vocabulary = Vocabulary.from_library(library)
    typed = ScriptedTyping(vocabulary, [TypedLine(0.5, routine.title)])
    options = SessionOptions(
        listen=False, real_time=real_time, drain_holds=True, drain_limit_s=3600.0
    )
    source = SilentFrames(realtime=real_time, until_s=None)
    recorder = Recorder(source)
    coach = assemble(library, RealParts(library), options, sinks=[recorder], typed=typed)
    recorder.started = time.monotonic()
    coach.run(source)
    return recorder


def _schedule_errors(events: list[Event], routine: Routine) -> dict[str, float]:
    """Largest distance (s) of each timed event from its ideal time, the ideal worked out
    from the routine's plan (beats, work and rest seconds), not from the coach's timers."""
    planned = iter(sets_of(routine))
    current = None
    set_at = rest_end = None
    errors = dict.fromkeys(
        ("rep on its beat", "rest at the set's planned end", "set at the rest's end",
         "tick on its second", "count said on its rep"),
        0.0,
    )  # fmt: skip

    def note(name: str, error: float) -> None:
        errors[name] = max(errors[name], abs(error))

    last_rep: float | None = None
    timer_at: float | None = None
    for event in events:
        if isinstance(event, SetStarted):
            current, set_at = next(planned), event.t
            if rest_end is not None:
                note("set at the rest's end", event.t - rest_end)
        elif isinstance(event, Rest) and current is not None and set_at is not None:
            note("rest at the set's planned end", event.t - (set_at + current.work_s))
            rest_end = event.t + event.seconds
        elif isinstance(event, Rep) and current is not None and set_at is not None:
            beat = current.item.tempo.rep_s
            side = 0.0 if event.side in (None, 1) else event.reps * beat + SWITCH_S
            note("rep on its beat", event.t - (set_at + side + event.n * beat))
            last_rep = event.t
        elif isinstance(event, Said) and last_rep is not None and event.text[:1].isupper():
            note("count said on its rep", event.t - last_rep)
            last_rep = None
        elif isinstance(event, Tick) and timer_at is not None:
            note("tick on its second", (event.t - timer_at) - round(event.t - timer_at))
        if isinstance(event, SetStarted | Rest):
            timer_at = event.t
    return errors


def _drift(library: Library, routine: Routine, *, real_time: bool) -> bool:
    recorder = _run(library, routine, real_time=real_time)
    events = [e for _, e in recorder.rows]
    ended = [e for e in events if isinstance(e, RoutineEnded)]
    length = ended[0].elapsed_s if ended else float("nan")
    errors = _schedule_errors(events, routine)
    print(
        f"\nRoutine: {routine.title} ({len(routine.items)} exercises, "
        f"estimate {estimate_s(routine) / 60:.1f} min, ran {length / 60:.1f} min)"
    )
    print("\n| schedule (virtual clock) | largest error |")
    print("|---|---|")
    for name, error in errors.items():
        print(f"| {name} | {error * 1000:.1f} ms |")
    ok = bool(ended) and ended[0].finished and max(errors.values()) <= FRAME_S
    if not real_time:
        return ok
    lags = [wall - event.t for wall, event in recorder.rows if event.t > 0]
    head = [wall - event.t for wall, event in recorder.rows if 0 < event.t < 30]
    tail = [wall - event.t for wall, event in recorder.rows if event.t > length - 30]
    drift = statistics.median(tail) - statistics.median(head)
    print("\n| wall clock minus session time (real time) | value |")
    print("|---|---|")
    print(f"| median lag | {statistics.median(lags) * 1000:.1f} ms |")
    print(f"| largest lag | {max(lags) * 1000:.1f} ms |")
    print(f"| median lag, first 30 s | {statistics.median(head) * 1000:.1f} ms |")
    print(f"| median lag, last 30 s | {statistics.median(tail) * 1000:.1f} ms |")
    print(f"| drift (last 30 s minus first 30 s) | {drift * 1000:.1f} ms |")
    print(f"| events | {len(lags)} |")
    print(
        "\n(A frame is processed when it begins on the wall clock and its events carry "
        "its end,\nso a coach on time shows about -20 ms.)"
    )
    return ok and abs(drift) <= REAL_TIME_LAG_TARGET_S


def _median_load(dirs: list[Path], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        load_library(dirs)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _many_routines(folder: Path, count: int) -> None:
    """`count` copies of the bundled routines, each under a title of its own."""
    sources = sorted(default_exercise_dirs()[1].glob("*.md"))
    for n in range(count):
        text = sources[n % len(sources)].read_text(encoding="utf-8")
        lines = text.splitlines()
        lines = [f"title: Routine number {n}" if li.startswith("title:") else li for li in lines]
        lines = [li for li in lines if not li.startswith("aliases:")]
        (folder / f"routine_{n:04d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _startup(runs: int) -> None:
    guides, routines = default_exercise_dirs()
    load_library([guides])  # warm: the pronunciation dictionary loads once per process
    rows = [
        ("bundled guides only", _median_load([guides], runs)),
        ("bundled guides and routines", _median_load([guides, routines], runs)),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        extra = Path(tmp)
        _many_routines(extra, 200)
        rows.append(
            (
                "bundled guides and routines, plus 200 routines",
                _median_load([guides, routines, extra], runs),
            )
        )
    coach = shutil.which("coach") or str(Path(sys.executable).parent / "coach")
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([coach, "list"], check=True, capture_output=True)
        walls.append(time.perf_counter() - started)
    print(f"\n| start-up (median of {runs}) | time |")
    print("|---|---|")
    for label, seconds in rows:
        print(f"| load_library: {label} | {seconds * 1000:.0f} ms |")
    print(f"| `coach list` as a process | {statistics.median(walls) * 1000:.0f} ms |")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_routines")
    parser.add_argument("--quick", action="store_true", help="virtual clock only (seconds)")
    parser.add_argument("--runs", type=int, default=5)
    args, _ = parser.parse_known_args(argv)
    library = load_library().library
    routine = _routine(library)
    ok = _drift(library, routine, real_time=not args.quick)
    _startup(args.runs)
    print("PASS" if ok else "FAIL: a timing error over its target, or the routine did not finish")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
