"""`coach list`, `coach show` and `coach check`, run through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voice.cli import main
from voice.guides.library import default_exercise_dirs

SEED = default_exercise_dirs()[0] / "hipthrust_bodyweight.md"
STEPS = (
    "<!-- howto -->\n### One\nLie down.\n"
    "### Two\nLift and hold for 20 seconds.\n### Three\nLower.\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def guides(tmp_path: Path) -> Path:
    folder = tmp_path / "guides"
    folder.mkdir()
    for stem in ["glutebridge_bodyweight", "glutebridge_band", "plank_bodyweight"]:
        (folder / f"{stem}.md").write_text(f"---\ndescription: {stem}.\n---\n{STEPS}")
    return folder


def test_show_json_of_a_file_is_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "show", "--json", str(SEED))
    assert status == 0 and err == ""
    (line,) = out.splitlines()
    data = json.loads(line)
    assert list(data) == [
        "file", "id", "name", "equipment", "aliases", "video", "description",
        "steps", "key_points", "mistakes",
    ]  # fmt: skip
    assert (data["id"], data["name"], data["equipment"]) == (
        "hipthrust_bodyweight",
        "Hip Thrust",
        "bodyweight",
    )
    assert list(data["steps"][0]) == ["title", "text", "hold_s"]
    assert [s["hold_s"] for s in data["steps"]] == [None, None, 2.0, None]


def test_show_by_spoken_name_in_the_bundled_library(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "show", "--json", "bodyweight hip thrust")
    assert status == 0
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["hipthrust_bodyweight"]


def test_show_human_form_has_steps_and_holds(
    capsys: pytest.CaptureFixture[str], guides: Path
) -> None:
    status, out, _ = run(capsys, "show", "--exercises", str(guides), "plank")
    assert status == 0
    assert "Plank (bodyweight)" in out and " 2. Two: Lift and hold for 20 seconds." in out
    assert "[hold 20 s, stated" in out


def test_show_group_prints_every_variant(capsys: pytest.CaptureFixture[str], guides: Path) -> None:
    status, out, _ = run(capsys, "show", "--json", "--exercises", str(guides), "glute bridges")
    assert status == 0
    assert [json.loads(x)["equipment"] for x in out.splitlines()] == ["band", "bodyweight"]


def test_show_unknown_name_is_one_line_with_suggestions(
    capsys: pytest.CaptureFixture[str], guides: Path
) -> None:
    status, out, err = run(capsys, "show", "--exercises", str(guides), "glute brige stretch")
    assert status == 1 and out == ""
    (line,) = err.splitlines()
    assert "no exercise by that name" in line and "Glute Bridge" in line


def test_show_bad_file_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad_band.md"
    bad.write_text("---\n[oops\n---\n")
    status, _, err = run(capsys, "show", str(bad))
    assert status == 1
    (line,) = err.splitlines()
    assert line.startswith(f"coach: {bad}:") and "YAML" in line


def test_list_groups_variants(capsys: pytest.CaptureFixture[str], guides: Path) -> None:
    status, out, err = run(capsys, "list", "--exercises", str(guides))
    assert status == 0 and err == ""
    assert "Glute Bridge  band, bodyweight" in out and "3 guides, 2 exercises" in out


def test_list_json(capsys: pytest.CaptureFixture[str], guides: Path) -> None:
    status, out, _ = run(capsys, "list", "--json", "--exercises", str(guides))
    assert status == 0
    rows = [json.loads(x) for x in out.splitlines()]
    assert [r["id"] for r in rows] == [
        "glutebridge_band",
        "glutebridge_bodyweight",
        "plank_bodyweight",
    ]
    assert rows[0]["name"] == "Glute Bridge" and rows[0]["steps"] == 3


def test_exercises_is_repeatable(
    capsys: pytest.CaptureFixture[str], guides: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "wallsit_bodyweight.md").write_text(STEPS)
    status, out, _ = run(
        capsys, "list", "--json", "--exercises", str(guides), "--exercises", str(other)
    )
    assert status == 0 and len(out.splitlines()) == 4


def test_check_bundled_guides_pass(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check", str(default_exercise_dirs()[0]))
    assert status == 0, err
    assert out.startswith("OK: ") and err == ""


def test_check_reports_file_line_message_and_exits_1(
    capsys: pytest.CaptureFixture[str], guides: Path
) -> None:
    bad = guides / "broken_bodyweight.md"
    bad.write_text("---\ndescription: fine\nvideo: [\n---\n" + STEPS)
    status, _, err = run(capsys, "check", str(guides), str(guides / "missing.md"))
    assert status == 1
    lines = err.splitlines()
    assert lines[0].startswith(f"{bad}:3: broken YAML front matter")
    assert lines[1].startswith(f"{guides / 'missing.md'}: no such")
    assert "2 problem(s); 3 guide(s) valid." in lines[-1]


def test_check_nothing_found_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "check", str(tmp_path))
    assert status == 1 and "no guide files" in err


def test_check_warns_about_names_it_cannot_pronounce(tmp_path):
    """Without espeak-ng to make a pronunciation, a made-up word is reported by file."""
    import os
    import subprocess
    import sys

    guide = tmp_path / "zzqxv_bodyweight.md"
    seed = Path(__file__).resolve().parents[1] / "exercises" / "plank_bodyweight.md"
    text = seed.read_text(encoding="utf-8").replace('title: "Plank"', 'title: "Zzqxv Hold"')
    guide.write_text(text, encoding="utf-8")
    env = {**os.environ, "PATH": str(Path(sys.executable).parent), "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "voice", "check", str(guide)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0
    assert f"{guide}: warning: cannot pronounce 'zzqxv'" in done.stderr


def test_exercises_may_come_before_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(SEED.parent)
    status, out, err = run(capsys, "--exercises", folder, "list")
    assert (status, err) == (0, "")
    assert "Hip Thrust" in out and "guide" in out.splitlines()[-1]
