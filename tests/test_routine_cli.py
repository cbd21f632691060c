"""`coach check`, `coach list` and `coach show` with routines, run through the real
command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_guides_cli import run
from tests.test_routine_files import GOOD, STEPS
from voice.guides.library import default_exercise_dirs

ROUTINES = default_exercise_dirs()[1]
ESTIMATE_S = 265
"""GOOD's plan: 2 x (30 + 20 + 4) + 2 x (30 + 20 + 4) + (20 + 5 + 20 + 4): work, rest
and the coach's talk of each set (`voice.routines.plan`)."""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three guides and one routine using them."""
    folder = tmp_path / "lib"
    folder.mkdir()
    for stem in ["wallsit_bodyweight", "calfraise_bodyweight", "sideplank_bodyweight"]:
        (folder / f"{stem}.md").write_text(f"---\ndescription: {stem}.\n---\n{STEPS}")
    (folder / "morning.md").write_text(GOOD)
    return folder


# --- check --------------------------------------------------------------------------


def test_check_counts_routines(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    status, out, err = run(capsys, "check", str(folder))
    assert (status, err) == (0, "")
    assert out == "OK: 3 guide(s), 9 steps, 3 holds; 1 routine(s).\n"


def test_check_the_bundled_routines_alone(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check", str(ROUTINES))
    assert (status, out, err) == (0, "OK: 5 routine(s).\n", "")


def test_check_a_routine_file_alone_uses_the_bundled_guides(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    mine = tmp_path / "mine.md"
    mine.write_text(GOOD.replace("- exercise: calf raise", "- exercise: dead bug"))
    status, out, err = run(capsys, "check", str(mine))
    assert (status, out, err) == (0, "OK: 1 routine(s).\n", "")


def test_check_a_routine_against_an_exercises_folder(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.md"
    mine.write_text(GOOD)
    status, out, _ = run(capsys, "check", "--exercises", str(folder), str(mine))
    assert (status, out) == (0, "OK: 1 routine(s).\n")
    mine.write_text(GOOD.replace("calf raise", "dead bug"))
    status, out, err = run(capsys, "check", "--exercises", str(folder), str(mine))
    assert status == 1 and out == ""
    assert err.splitlines() == [
        f"{mine}:9: unknown exercise 'dead bug'",
        "1 problem(s); 0 guide(s) valid.",
    ]


def test_check_reports_a_bad_routine_as_file_line_message(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    bad = folder / "bad.md"
    bad.write_text(GOOD.replace("reps: 10", "reps: 1000"))
    status, out, err = run(capsys, "check", str(folder))
    assert status == 1 and out == ""
    assert err.splitlines() == [
        f"{bad}:11: 'reps' must be 1 to 100, not 1000",
        "1 problem(s); 3 guide(s) valid. 1 routine(s) valid.",
    ]


def test_check_a_cycle_is_one_line_per_routine(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    (folder / "a.md").write_text("---\nexercises:\n  - routine: b\n---\n")
    (folder / "b.md").write_text("---\nexercises:\n  - routine: a\n---\n")
    status, _, err = run(capsys, "check", str(folder))
    assert status == 1
    assert err.splitlines()[:2] == [
        f"{folder / 'a.md'}:3: includes itself: a -> b -> a",
        f"{folder / 'b.md'}:3: includes itself: b -> a -> b",
    ]


# --- list ---------------------------------------------------------------------------


def test_list_has_a_routines_section(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    status, out, err = run(capsys, "list", "--exercises", str(folder))
    assert (status, err) == (0, "")
    exercises, routines = out.split("\nRoutines:\n")
    assert "Wall Sit" in exercises
    assert routines.splitlines()[0] == "Morning Mobility  3 exercises, 5 sets, about 4 min"
    assert out.endswith("\n3 guides, 3 exercises, 1 routine.\n")


def test_list_json_marks_each_kind(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    status, out, _ = run(capsys, "list", "--json", "--exercises", str(folder))
    assert status == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["kind"] for r in rows] == ["guide", "guide", "guide", "routine"]
    assert set(rows[0]) == {"kind", "id", "name", "equipment", "aliases", "steps", "file"}
    assert rows[-1] == {
        "kind": "routine",
        "id": "morning",
        "name": "Morning Mobility",
        "title": "Morning Mobility",
        "aliases": ["morning routine"],
        "exercises": 3,
        "sets": 5,
        "estimate_s": ESTIMATE_S,
        "file": str(folder / "morning.md"),
    }


def test_list_the_bundled_library(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "list")
    assert (status, err) == (0, "")
    assert "\nRoutines:\n" in out and out.rstrip().endswith("5 routines.")


# --- show ---------------------------------------------------------------------------


def test_show_a_routine_by_name_prints_its_plan(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    status, out, err = run(capsys, "show", "--exercises", str(folder), "morning routine")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == ["Morning Mobility", "================", "Also called: morning routine"]
    assert lines[4:7] == [
        " 1. Wall Sit (bodyweight): 2 sets x hold 30 s, rest 20 s",
        " 2. Calf Raise (bodyweight): 2 sets x 10 reps at tempo 2-1, rest 20 s",
        " 3. Side Plank (bodyweight): hold 20 s each side",
    ]
    assert lines[8:11] == ["Notes:", "  Free notes in markdown.", "  A second paragraph."]
    assert "Total: about 4 min 25 s (3 exercises, 5 sets)" in lines


@pytest.mark.parametrize("target", ["Morning Mobility", "morning-routines", "MORNING"])
def test_show_json_is_the_routine_contract(
    capsys: pytest.CaptureFixture[str], folder: Path, target: str
) -> None:
    status, out, _ = run(capsys, "show", "--json", "--exercises", str(folder), target)
    assert status == 0
    (line,) = out.splitlines()
    data = json.loads(line)
    assert (data["kind"], data["id"], data["estimate_s"]) == ("routine", "morning", ESTIMATE_S)
    assert [e["id"] for e in data["exercises"]] == [
        "wallsit_bodyweight",
        "calfraise_bodyweight",
        "sideplank_bodyweight",
    ]
    assert [e["rest_s"] for e in data["exercises"]] == [20.0, 20.0, 10.0]
    assert data["exercises"][1]["tempo"] == "2-1" and data["exercises"][0]["tempo"] is None


def test_show_a_routine_file(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    path = folder / "morning.md"
    status, out, _ = run(capsys, "show", "--json", "--exercises", str(folder), str(path))
    assert status == 0 and json.loads(out)["file"] == str(path)


def test_show_a_bundled_routine_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "show", str(ROUTINES / "core_routine.md"))
    assert (status, err) == (0, "")
    assert out.startswith("Core Routine\n") and "Total: about " in out


def test_show_a_bad_routine_file_is_one_line(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(GOOD.replace("wall sit", "wal sit"))
    status, out, err = run(capsys, "show", "--exercises", str(folder), str(bad))
    assert status == 1 and out == ""
    assert err.splitlines() == [
        f"coach: {bad}:6: unknown exercise 'wal sit'; did you mean 'Wall Sit'?"
    ]


def test_show_a_name_both_guide_and_routine_shows_the_guide(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    (folder / "wall.md").write_text(GOOD.replace("title: Morning Mobility", "title: Wall Sit"))
    status, out, _ = run(capsys, "show", "--json", "--exercises", str(folder), "wall sit")
    assert status == 0 and json.loads(out)["id"] == "wallsit_bodyweight"


def test_show_unknown_name_suggests_routines_too(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    status, out, err = run(capsys, "show", "--exercises", str(folder), "morning thing")
    assert status == 1 and out == ""
    (line,) = err.splitlines()
    assert "no exercise by that name" in line and "'Morning Mobility'" in line
