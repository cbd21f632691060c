"""`coach history` and `coach history stats`, through the real command line, on
databases written with the store's own write methods."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from voice.cli import main
from voice.history.cli import clock, what, when
from voice.history.model import ExerciseRecord, Outcome, SessionRecord
from voice.history.store import HistoryStore, history_file

COACH = Path(sys.executable).with_name("coach")
TODAY = date.today()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def noon(days_ago: int) -> datetime:
    """Local noon `days_ago` days before today: on that local date whatever the hour."""
    return datetime.combine(TODAY - timedelta(days=days_ago), time(12)).astimezone()


def record(
    store: HistoryStore,
    started: datetime,
    exercises: Sequence[tuple[str, str]],
    *,
    minutes: float = 10.0,
    outcome: Outcome = Outcome.FINISHED,
    routine: str | None = None,
    reps: int = 0,
    hold_s: float = 0.0,
) -> int:
    """A session with one set of each exercise (`reps` reps, or a kept hold of
    `hold_s`), ended after `minutes`; cut off has its last record then instead."""
    session = store.new_session(started)
    if routine is not None:
        store.set_routine(session, routine, started)
    moment = started
    for guide_id, name in exercises:
        moment += timedelta(seconds=1)
        row = store.exercise(session, guide_id, name, 4, moment)
        set_id = store.new_set(session, row, 1, 1, moment)
        for n in range(1, reps + 1):
            store.rep(session, set_id, n, None, moment, last=n == reps)
        if hold_s:
            store.hold(session, row, set_id, hold_s, hold_s, True, moment)
    end = started + timedelta(minutes=minutes)
    if outcome is Outcome.CUT_OFF:
        store.reached_step(session, row, 2, end)
    else:
        store.end_session(session, end, outcome)
    return session


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A history of five sessions: today, yesterday, 2, 10 and 40 days ago."""
    folder = tmp_path / "data"
    store = HistoryStore.open(history_file(folder))
    try:
        record(store, noon(40), [("plank", "Plank")], minutes=5, hold_s=30)
        record(store, noon(10), [("squat", "Air Squat")], minutes=20, reps=12)
        record(
            store,
            noon(2),
            [
                ("birddog", "Bird Dog"),
                ("deadbug", "Dead Bug"),
                ("calfraise", "Calf Raise"),
                ("squat", "Air Squat"),
                ("plank", "Plank"),
            ],
            minutes=62.05,
            outcome=Outcome.STOPPED,
            reps=8,
        )
        record(
            store,
            noon(1),
            [("wallsit", "Wall Sit"), ("plank", "Plank")],
            minutes=25,
            routine="Morning [core]",
            hold_s=45,
        )
        record(store, noon(0), [("wallsit", "Wall Sit")], minutes=7.5, outcome=Outcome.CUT_OFF)
    finally:
        store.close()
    return folder


# -- formatting ------------------------------------------------------------------


def test_when_is_local_with_the_year_only_when_not_this_one() -> None:
    moment = datetime(2026, 12, 2, 9, 14).astimezone()
    assert when(moment, date(2026, 12, 5)) == "Wed 2 Dec 09:14"
    assert when(moment, date(2027, 1, 3)) == "Wed 2 Dec 2026 09:14"


def test_clock() -> None:
    assert clock(0) == "0:00"
    assert clock(45.4) == "0:45"
    assert clock(725) == "12:05"
    assert clock(3723) == "1:02:03"


def test_what_prefers_the_routine_and_shortens_long_lists() -> None:
    start = datetime(2026, 12, 2, 9).astimezone()

    def of(*names: str, routine: str | None = None) -> SessionRecord:
        done = tuple(ExerciseRecord(n.lower(), n) for n in names)
        return SessionRecord(1, start, start, start, Outcome.FINISHED, routine, done)

    assert what(of("A", "B", "C")) == "A, B, C"
    assert what(of("A", "B", "C", "D")) == "A, B, C +1 more"
    assert what(of("A", "B", "C", "D", "E")) == "A, B, C +2 more"
    assert what(of("A", "B", routine="Legs")) == "Legs"
    assert what(of()) == "-"


# -- the table -------------------------------------------------------------------


def test_table_lists_sessions_newest_first(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    status, out, err = run(capsys, "history", "--data-dir", str(data))
    assert status == 0 and err == ""
    assert "\x1b" not in out  # not a terminal: no colour codes
    lines = out.splitlines()
    header = lines[0].split()
    assert header == ["Date", "What", "Duration", "Ended"]
    assert set(lines[1]) == {"─"}
    rows = lines[2:7]
    assert lines[7:] == ["", "5 sessions."]
    expected = [
        (noon(0), "Wall Sit", "7:30", "cut off"),
        (noon(1), "Morning [core]", "25:00", "finished"),
        (noon(2), "Bird Dog, Dead Bug, Calf Raise +2 more", "1:02:03", "stopped"),
        (noon(10), "Air Squat", "20:00", "finished"),
        (noon(40), "Plank", "5:00", "finished"),
    ]
    for row, (started, title, length, ended) in zip(rows, expected, strict=True):
        assert row.startswith(when(started, TODAY))
        assert title in row
        assert row.rstrip().endswith(ended)
        assert f" {length} " in row


def test_table_default_limit_says_how_many_are_left_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = HistoryStore.open(history_file(tmp_path))
    for n in range(25):
        record(store, noon(n), [(f"ex{n}", f"Exercise {n}")])
    store.close()
    status, out, _ = run(capsys, "history", "--data-dir", str(tmp_path))
    assert status == 0
    assert "Exercise 0" in out and "Exercise 19" in out
    assert "Exercise 20" not in out
    assert "20 of 25 sessions shown" in out

    status, out, _ = run(capsys, "history", "--data-dir", str(tmp_path), "--limit", "3")
    assert [n for n in range(25) if f"Exercise {n} " in out] == [0, 1, 2]
    assert "3 of 25 sessions shown" in out

    status, out, _ = run(capsys, "history", "--data-dir", str(tmp_path), "--limit", "25")
    assert "Exercise 24" in out and out.splitlines()[-1] == "25 sessions."

    status, out, _ = run(capsys, "history", "--data-dir", str(tmp_path), "--json")
    assert len(json.loads(out)) == 25  # no default limit for programs


def test_since_filters_the_table(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    status, out, _ = run(capsys, "history", "--data-dir", str(data), "--since", "7d")
    assert status == 0
    assert "Air Squat" not in out.replace("+2 more", "")  # 10 days ago
    assert "Wall Sit" in out and "Morning [core]" in out
    assert out.splitlines()[-1] == "3 sessions."


# -- --json ----------------------------------------------------------------------


def test_json_is_the_contract_newest_first(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    status, out, err = run(capsys, "history", "--json", "--data-dir", str(data))
    assert status == 0 and err == ""
    sessions = json.loads(out)
    assert [list(s) for s in sessions] == [
        ["started", "ended", "outcome", "routine", "exercises"]
    ] * 5
    starts = [datetime.fromisoformat(s["started"]) for s in sessions]
    assert starts == sorted(starts, reverse=True)
    assert starts[0] == noon(0) and starts[-1] == noon(40)
    assert [s["outcome"] for s in sessions] == [
        "cut off",
        "finished",
        "stopped",
        "finished",
        "finished",
    ]
    assert sessions[0]["ended"] is None
    assert datetime.fromisoformat(sessions[1]["ended"]) == noon(1) + timedelta(minutes=25)
    assert sessions[1]["routine"] == "Morning [core]"
    assert sessions[2]["routine"] is None
    wall, plank = sessions[1]["exercises"]
    assert plank["id"] == "plank"
    assert list(wall) == ["id", "name", "steps_done", "sets", "reps", "hold_s"]
    assert (wall["id"], wall["name"], wall["sets"], wall["hold_s"]) == (
        "wallsit",
        "Wall Sit",
        1,
        45.0,
    )
    assert [e["reps"] for e in sessions[2]["exercises"]] == [8] * 5


def test_json_since_and_limit(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    _, out, _ = run(capsys, "history", "--json", "--data-dir", str(data), "--since", "7d")
    assert [datetime.fromisoformat(s["started"]) for s in json.loads(out)] == [
        noon(0),
        noon(1),
        noon(2),
    ]
    _, out, _ = run(capsys, "history", "--json", "--data-dir", str(data), "--limit", "2")
    assert [datetime.fromisoformat(s["started"]) for s in json.loads(out)] == [noon(0), noon(1)]
    since = (TODAY - timedelta(days=1)).isoformat()
    _, out, _ = run(capsys, "history", "--json", "--data-dir", str(data), "--since", since)
    assert len(json.loads(out)) == 2  # from yesterday's local midnight


def test_json_in_a_real_process(data: Path) -> None:
    done = subprocess.run(
        [str(COACH), "history", "--data-dir", str(data), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    sessions = json.loads(done.stdout)
    assert len(sessions) == 5
    assert sessions[0]["outcome"] == "cut off"
    assert [s["started"] for s in sessions] == sorted(
        (s["started"] for s in sessions), reverse=True
    )


def test_table_in_a_pipe_is_plain_text(data: Path) -> None:
    done = subprocess.run(
        [str(COACH), "history", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "TERM": "xterm-256color"},
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout
    assert "Morning [core]" in done.stdout
    assert "cut off" in done.stdout


# -- nothing recorded, and errors -------------------------------------------------


def test_missing_history_is_a_friendly_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "none"
    status, out, err = run(capsys, "history", "--data-dir", str(folder))
    assert (status, out, err) == (0, f"No sessions recorded yet in {folder}.\n", "")
    status, out, _ = run(capsys, "history", "stats", "--data-dir", str(folder))
    assert (status, out) == (0, f"No sessions recorded yet in {folder}.\n")
    status, out, _ = run(capsys, "history", "--json", "--data-dir", str(folder))
    assert (status, json.loads(out)) == (0, [])
    status, out, _ = run(capsys, "history", "stats", "--json", "--data-dir", str(folder))
    data = json.loads(out)
    assert status == 0
    assert (data["sessions"], data["streak_days"], data["exercises"]) == (0, 0, [])
    assert not folder.exists()  # reading made nothing


def test_an_empty_history_file_is_a_friendly_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    HistoryStore.open(history_file(tmp_path)).close()
    status, out, err = run(capsys, "history", "--data-dir", str(tmp_path))
    assert (status, out, err) == (0, f"No sessions recorded yet in {tmp_path}.\n", "")
    status, out, _ = run(capsys, "history", "--json", "--data-dir", str(tmp_path))
    assert json.loads(out) == []


def test_nothing_since(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    store = HistoryStore.open(history_file(tmp_path))
    record(store, noon(30), [("plank", "Plank")])
    store.close()
    status, out, _ = run(capsys, "history", "--data-dir", str(tmp_path), "--since", "2w")
    assert status == 0
    assert out.startswith("No sessions recorded since ")
    assert len(out.splitlines()) == 1


@pytest.mark.parametrize("spec", ["bogus", "7", "-1d", "2026-02-30"])
def test_bad_since_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], data: Path, spec: str
) -> None:
    status, out, err = run(capsys, "history", "--data-dir", str(data), f"--since={spec}")
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"coach: --since {spec!r}: ")
    assert "7d" in err and "2026-11-01" in err


def test_bad_since_is_an_error_even_without_history(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, _, err = run(capsys, "history", "stats", "--data-dir", str(tmp_path), "--since", "x")
    assert status == 2 and err.startswith("coach: --since 'x'")


def test_a_corrupt_file_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = history_file(tmp_path)
    path.write_bytes(b"this is not a database, just bytes \x00\xff" * 200)
    for argv in (["history"], ["history", "--json"], ["history", "stats"]):
        status, out, err = run(capsys, *argv, "--data-dir", str(tmp_path))
        assert status == 2
        assert out == ""
        assert err.count("\n") == 1
        assert err.startswith(f"coach: {path}: ")
        assert "Traceback" not in err
    done = subprocess.run(
        [str(COACH), "history", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr


# -- stats -----------------------------------------------------------------------


def test_stats_shows_totals_weeks_streak_and_chart(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    status, out, err = run(capsys, "history", "stats", "--data-dir", str(data))
    assert status == 0 and err == ""
    assert "\x1b" not in out
    lines = out.splitlines()
    headings = ["Exercise", "Sessions", "Sets", "Reps", "Total hold", "Longest hold"]
    assert lines[0].split() == " ".join(headings).split()
    rows = {line.split("  ")[0].strip(): line.split() for line in lines if "  " in line}
    # Plank: 40 and 2 days ago, and yesterday; two kept holds of 30 and 45 s.
    assert rows["Plank"][-5:] == ["3", "3", "8", "1:15", "0:45"]
    assert rows["Air Squat"][-5:] == ["2", "2", "20", "-", "-"]
    # Wall Sit: yesterday's kept hold; today's set was cut off before it was done.
    assert rows["Wall Sit"][-5:] == ["2", "1", "0", "0:45", "0:45"]
    assert "Sessions per week, last 4 weeks (oldest first): 0, 0, 1, 3 (mean 1.0)" in lines
    assert "Streak: 3 days" in lines  # today, yesterday, the day before
    assert "Total: 5 sessions, 120 minutes" in lines  # 5 + 20 + 62 + 25 + 7.5

    chart = lines[lines.index("Minutes per day, last 4 weeks:") + 1 :]
    assert chart[0].startswith("62 min")
    bars = chart[:6]
    assert all(set(line[7:]) <= set(" ▁▂▃▄▅▆▇█") for line in bars)
    # The busiest day (2 days ago) reaches the top row; today (7.5 min) does not.
    day_column = {days_ago: 7 + 2 * (27 - days_ago) for days_ago in range(28)}
    assert bars[0][day_column[2]] == "█"
    assert bars[-1][day_column[0]] in "▁▂▃▄▅▆▇█"
    assert len(bars[0]) <= day_column[0] or bars[0][day_column[0]] == " "
    assert all(len(line) <= day_column[3] or line[day_column[3]] == " " for line in bars)
    assert set(chart[6].strip()) == {"─"}
    weekdays = chart[7].split()
    assert len(weekdays) == 28
    assert weekdays[-1] == f"{TODAY:%a}"[0]
    first = TODAY - timedelta(days=27)
    assert chart[8].split()[:2] == [str(first.day), f"{first:%b}"]


def test_stats_streak_alive_from_yesterday(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = HistoryStore.open(history_file(tmp_path))
    for days_ago in (1, 2, 4):
        record(store, noon(days_ago), [("plank", "Plank")])
    store.close()
    _, out, _ = run(capsys, "history", "stats", "--data-dir", str(tmp_path))
    assert "Streak: 2 days (a session today keeps it going)" in out.splitlines()


def test_stats_since_counts_only_those_sessions(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    _, out, _ = run(capsys, "history", "stats", "--data-dir", str(data), "--since", "36h")
    assert "Total: 2 sessions, 32 minutes" in out.splitlines()
    assert "Air Squat" not in out


def test_stats_json(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    status, out, _ = run(capsys, "history", "stats", "--json", "--data-dir", str(data))
    assert status == 0
    summary = json.loads(out)
    assert list(summary) == [
        "sessions",
        "minutes",
        "streak_days",
        "sessions_per_week",
        "exercises",
        "minutes_per_day",
    ]
    assert (summary["sessions"], summary["streak_days"]) == (5, 3)
    assert summary["minutes"] == pytest.approx(119.55, abs=0.06)
    assert summary["sessions_per_week"] == [0, 0, 1, 3]
    plank = next(e for e in summary["exercises"] if e["id"] == "plank")
    assert plank == {
        "id": "plank",
        "name": "Plank",
        "sessions": 3,
        "sets": 3,
        "reps": 8,
        "hold_s": 75.0,
        "longest_hold_s": 45.0,
    }
    days = summary["minutes_per_day"]
    assert len(days) == 28
    assert days[-1] == {"date": TODAY.isoformat(), "minutes": 7.5}
    assert days[-3]["minutes"] == pytest.approx(62.0, abs=0.1)
