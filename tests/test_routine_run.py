"""Routines run through the whole chain: `coach run --text-in FILE --fast`.

Each test types a script at session times and reads the events file back, so
what is checked is what a user's session does on the virtual clock: sets, reps
on the tempo's beat, rest and its countdown, and the commands that steer them.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from voice.cli import main
from voice.guides.library import load_library
from voice.routines.plan import sets_of

LIBRARY = load_library().library
ROUTINES = {r.id: r for r in LIBRARY.routines}
FRAME_S = 0.02


def run(tmp_path: Path, script: str) -> list[dict[str, Any]]:
    path = tmp_path / "script.txt"
    path.write_text(script, encoding="utf-8")
    events = tmp_path / "events.jsonl"
    status = main(["run", "--text-in", str(path), "--fast", "--events", str(events)])
    assert status == 0
    return [json.loads(line) for line in events.read_text().splitlines()]


def of(rows: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r for r in rows if r["type"] == kind]


def said(rows: list[dict[str, Any]]) -> list[str]:
    return [r["text"] for r in of(rows, "say")]


def test_five_routines_are_bundled() -> None:
    assert len(ROUTINES) >= 5


@pytest.mark.parametrize("routine_id", sorted(ROUTINES))
def test_a_bundled_routine_runs_start_to_finish_with_no_commands(
    tmp_path: Path, routine_id: str
) -> None:
    routine = ROUTINES[routine_id]
    planned = sets_of(routine)
    rows = run(tmp_path, f"0.5 {routine.title}\n")
    assert of(rows, "routine") == [
        {
            "t": 0.5,
            "type": "routine",
            "title": routine.title,
            "exercises": [i.name for i in routine.items],
        }
    ]
    sets = of(rows, "set")
    assert [(s["exercise"], s["set"], s["sets"]) for s in sets] == [
        (p.item.name, p.number, p.item.sets) for p in planned
    ]
    reps = of(rows, "rep")
    expected_reps = sum((p.item.reps or 0) * (2 if p.item.each_side else 1) for p in planned)
    assert len(reps) == expected_reps
    rests = of(rows, "rest")
    assert [r["seconds"] for r in rests] == [p.rest_after_s for p in planned if p.rest_after_s]
    (end,) = of(rows, "routine_end")
    assert end["finished"] and end["done"] == len(planned) and end["skipped"] == 0
    # The timers alone take the work and rest planned; talk between sets adds a little.
    timed = sum(p.work_s + p.rest_after_s for p in planned)
    assert timed <= end["elapsed_s"] <= timed + 15.0 * len(planned)
    assert said(rows)[-3].startswith("That's the routine complete:")
    states = [r["state"] for r in of(rows, "state")]
    assert states[-1] == "finished"
    # Nothing is said over anything: every line ends before the next begins.
    timeline = [r for r in rows if r["type"] in ("say", "say_end")]
    assert all(a["type"] != b["type"] for a, b in itertools.pairwise(timeline))


def _first_rest(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return of(rows, "rest")[0]


def _set_after(rows: list[dict[str, Any]], t: float) -> dict[str, Any]:
    return next(s for s in of(rows, "set") if s["t"] > t)


def _rest_time(routine_title: str, tmp_path: Path) -> tuple[float, float]:
    """When the routine's first rest begins, and how long it is, with no commands."""
    rest = _first_rest(run(tmp_path, f"0.5 {routine_title}\n"))
    return rest["t"], rest["seconds"]


def test_the_next_set_starts_exactly_when_the_rest_ends(tmp_path: Path) -> None:
    rows = run(tmp_path, "0.5 core routine\n")
    for rest in of(rows, "rest"):
        following = _set_after(rows, rest["t"])
        assert following["t"] == pytest.approx(rest["t"] + rest["seconds"], abs=1e-6)


def test_pause_mid_rest_extends_the_rest_by_the_pause(tmp_path: Path) -> None:
    start, seconds = _rest_time("core routine", tmp_path)
    pause_at, resume_at = start + 4.0, start + 16.0
    rows = run(tmp_path, f"0.5 core routine\n{pause_at} pause\n{resume_at} resume\n")
    rest = _first_rest(rows)
    assert rest["t"] == pytest.approx(start)
    # The rest goes on once "Picking up where we left off." has been said.
    resumed = next(
        r["t"] for r in of(rows, "state") if r["t"] > resume_at and r["state"] == "resting"
    )
    ack_end = next(r["t"] for r in of(rows, "say_end") if r["t"] > resume_at)
    assert resumed == pytest.approx(ack_end, abs=FRAME_S)
    following = _set_after(rows, rest["t"])
    assert following["t"] == pytest.approx(start + seconds + resumed - pause_at, abs=FRAME_S)
    assert "Picking up where we left off." in said(rows)
    ticks = [r for r in of(rows, "tick") if pause_at < r["t"] < resume_at]
    assert not ticks  # time stood still


def test_skip_rest_starts_the_next_set_at_once(tmp_path: Path) -> None:
    start, _ = _rest_time("core routine", tmp_path)
    skip_at = start + 3.0
    rows = run(tmp_path, f"0.5 core routine\n{skip_at} skip rest\n")
    following = _set_after(rows, _first_rest(rows)["t"])
    assert following["t"] == pytest.approx(skip_at, abs=FRAME_S)
    (end,) = of(rows, "routine_end")
    assert end["finished"] and end["skipped"] == 0


def test_add_30_seconds_lengthens_the_rest(tmp_path: Path) -> None:
    start, seconds = _rest_time("core routine", tmp_path)
    rows = run(tmp_path, f"0.5 core routine\n{start + 2.0} add 30 seconds\n")
    following = _set_after(rows, _first_rest(rows)["t"])
    assert following["t"] == pytest.approx(start + seconds + 30.0, abs=FRAME_S)
    left = round(seconds - 2.0 + 30.0)
    assert f"Resting longer: {left} seconds left." in said(rows)


def test_stop_mid_routine_asks_then_ends_it(tmp_path: Path) -> None:
    rows = run(tmp_path, "0.5 morning routine\n20 stop\n23 stop\n")
    (end,) = of(rows, "routine_end")
    assert end["t"] == 23.0 and not end["finished"]
    assert any("Say 'stop' again to end the routine" in line for line in said(rows))
    assert of(rows, "state")[-1]["state"] == "waiting"
    assert not [r for r in of(rows, "rep") if r["t"] > 20.0]  # the set waited, then ended


def test_reps_are_counted_on_the_tempo_within_20_ms(tmp_path: Path) -> None:
    routine = ROUTINES["morning_mobility"]
    rows = run(tmp_path, "0.5 morning routine\n")
    starts = [r["t"] for r in of(rows, "state") if r["state"] == "reps"]
    reps = of(rows, "rep")
    first = routine.items[0]
    assert first.reps is not None
    beat = first.tempo.rep_s
    for rep in reps[: first.reps]:
        assert rep["t"] == pytest.approx(starts[0] + rep["n"] * beat, abs=FRAME_S)
    # Each rep's number is said on its beat (within a frame), not later.
    spoken: dict[str, float] = {}
    for line in of(rows, "say"):
        spoken.setdefault(line["text"], line["t"])
    assert spoken["One"] == pytest.approx(reps[0]["t"], abs=FRAME_S)
    assert spoken["Three"] == pytest.approx(reps[2]["t"], abs=FRAME_S)


def test_how_many_left_and_whats_next_mid_set(tmp_path: Path) -> None:
    rows = run(tmp_path, "0.5 morning routine\n22 how many left\n26 what's next\n")
    lines = said(rows)
    assert any(line.endswith("to go in this set.") for line in lines)
    assert "Next: Inchworm." in lines


def test_a_routine_starts_from_a_spoken_frame(tmp_path: Path) -> None:
    rows = run(tmp_path, "0.5 start my morning routine\n5 quit\n6 quit\n")
    assert of(rows, "routine")[0]["title"] == "Morning Mobility"
    (end,) = of(rows, "routine_end")
    assert not end["finished"]


def test_a_broken_routine_is_skipped_at_run_time_and_the_rest_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "loop.md").write_text(
        "---\ntitle: Loop\nexercises:\n  - routine: loop\n---\n", encoding="utf-8"
    )
    (folder / "huge.md").write_text(
        "---\ntitle: Huge\nexercises:\n  - exercise: squat\n    sets: 10000\n    reps: 5\n---\n",
        encoding="utf-8",
    )
    (folder / "fine.md").write_text(
        "---\ntitle: Fine Routine\nexercises:\n  - exercise: squat\n    reps: 2\n---\n",
        encoding="utf-8",
    )
    guides = Path(__file__).resolve().parents[1] / "exercises"
    script = tmp_path / "script.txt"
    script.write_text("0.5 fine routine\n3 huge\n", encoding="utf-8")
    events = tmp_path / "events.jsonl"
    argv = ["--exercises", str(guides), "--exercises", str(folder), "run", "--fast"]
    status = main([*argv, "--text-in", str(script), "--events", str(events)])
    assert status == 0
    assert "skipped 2 invalid guide(s)" in capsys.readouterr().err
    rows = [json.loads(line) for line in events.read_text().splitlines()]
    assert of(rows, "routine")[0]["title"] == "Fine Routine"
    assert len(of(rows, "rep")) == 2


def test_routine_names_are_heard_as_commands(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["hear", "--text", "start my morning routine", "leg day", "skip rest"])
    assert status == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["intent"], r["arg"]) for r in rows] == [
        ("start", "morning_mobility"),
        ("start", "lower_body"),
        ("skip", None),
    ]
