"""`coach run --text-in FILE`: a scripted typed session, through the whole chain.

Each line `SECONDS TEXT` is typed at that session time; with `--fast` the
session runs on the virtual clock, so the same script gives the same events
every time. After the last line the coach finishes what it is doing (its line,
a running hold) and the session ends, as at the end of a recording.
"""

from __future__ import annotations

import json
import re
import wave
from pathlib import Path
from typing import Any

import pytest

from voice.cli import main
from voice.coaching.typed import TextScriptError, TypedLine, read_script


def run_script(
    tmp_path: Path, script: str, *extra: str, capsys: pytest.CaptureFixture[str] | None = None
) -> tuple[int, list[dict[str, Any]]]:
    path = tmp_path / "script.txt"
    path.write_text(script, encoding="utf-8")
    events = tmp_path / "events.jsonl"
    status = main(["run", "--text-in", str(path), "--fast", "--events", str(events), *extra])
    rows = [json.loads(line) for line in events.read_text().splitlines()] if status == 0 else []
    return status, rows


def test_lines_are_typed_at_their_times(tmp_path: Path) -> None:
    status, rows = run_script(tmp_path, "# warm up\n0.5 wall sit\n\n12 pause\n15.5 resume\n")
    assert status == 0
    heard = [(r["t"], r["intent"], r["text"]) for r in rows if r["type"] == "heard"]
    assert heard == [
        (0.5, "start", "wall sit"),
        (12.0, "pause", "pause"),
        (15.5, "resume", "resume"),
    ]
    typed = [r for r in rows if r["type"] == "heard"]
    assert all(r["start_s"] == r["end_s"] == r["t"] and r["confidence"] == 1.0 for r in typed)
    assert [r["t"] for r in rows] == sorted(r["t"] for r in rows)
    paused = next(r for r in rows if r["type"] == "state" and r["state"] == "paused")
    assert paused["t"] == 12.0


def test_the_same_script_gives_the_same_session(tmp_path: Path) -> None:
    script = "0.3 plank\n4 next\n9 how long is left\n"
    first = run_script(tmp_path, script)
    second = run_script(tmp_path, script)
    assert first == second and first[0] == 0


def test_a_hold_after_the_last_line_runs_to_its_end(tmp_path: Path) -> None:
    # The wall sit's third step holds for 60 seconds; it is counted down after the
    # script has ended.
    status, rows = run_script(tmp_path, "0.5 wall sit\n10 next\n11 next\n")
    assert status == 0
    ticks = [r for r in rows if r["type"] == "tick"]
    assert len(ticks) == 60 and ticks[-1]["remaining_s"] == 0.0
    assert ticks[0]["t"] > 11.0
    states = [r["state"] for r in rows if r["type"] == "state"]
    assert states[-1] == "ready"
    last = rows[-1]
    assert last["type"] == "say_end" and last["text"] == "And release."
    assert not last["interrupted"]


def test_the_coach_voice_goes_to_a_wav_on_the_same_timeline(tmp_path: Path) -> None:
    voice = tmp_path / "coach.wav"
    status, rows = run_script(tmp_path, "0.5 list\n", "--speak-to", str(voice))
    assert status == 0
    with wave.open(str(voice)) as w:
        seconds = w.getnframes() / w.getframerate()
    last_end = max(r["t"] for r in rows if r["type"] == "say_end")
    assert abs(seconds - last_end) < 0.05


def test_a_quit_line_ends_the_session(tmp_path: Path) -> None:
    status, rows = run_script(tmp_path, "0.5 wall sit\n3 quit\n4 quit\n30 next\n")
    assert status == 0
    assert rows[-1]["t"] < 10.0
    assert not [r for r in rows if r["type"] == "heard" and r["t"] >= 30]


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("soon wall sit\n", r"script.txt:1: expected 'SECONDS TEXT'"),
        ("# fine\n1 plank\n-3 next\n", r"script.txt:3: time -3 is out of range"),
        ("1 plank\n2\n", r"script.txt:2: nothing to type after 2"),
    ],
)
def test_bad_scripts_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], script: str, message: str
) -> None:
    status, _ = run_script(tmp_path, script)
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1
    assert re.search(message, err), err
    assert not (tmp_path / "events.jsonl").exists()  # checked before anything is written


def test_a_missing_script_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(TextScriptError, match=r"nope\.txt: no such file"):
        read_script(tmp_path / "nope.txt")


def test_lines_are_read_in_time_order(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    path.write_text("5 next\n1 plank\n5 repeat\n", encoding="utf-8")
    assert read_script(path) == [
        TypedLine(1.0, "plank"),
        TypedLine(5.0, "next"),
        TypedLine(5.0, "repeat"),
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ["--text-in", "s.txt", "--audio-in", "a.wav"],
        ["--text-in", "s.txt", "--text"],
        ["--text-in", "s.txt", "--echo", "0.5"],
    ],
)
def test_options_that_do_not_go_together(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", *argv]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
