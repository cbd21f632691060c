"""voice.history.report: `--since` and the sums `coach history stats` shows, from
hand-made sessions (no file, no clock)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from voice.history.model import ExerciseRecord, Outcome, SessionRecord
from voice.history.report import parse_since, stats, streak

TODAY = date(2026, 12, 2)  # a Wednesday
NOW = datetime(2026, 12, 2, 18, 30).astimezone()


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A local moment on `day`, as an aware datetime."""
    return datetime(day.year, day.month, day.day, hour, minute).astimezone()


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


_ids = iter(range(1, 10_000))


def session(
    started: datetime,
    minutes: float = 10.0,
    *exercises: ExerciseRecord,
    cut_off: bool = False,
    last_minutes: float | None = None,
) -> SessionRecord:
    end = started + timedelta(minutes=minutes)
    last = started + timedelta(minutes=minutes if last_minutes is None else last_minutes)
    return SessionRecord(
        id=next(_ids),
        started=started,
        ended=None if cut_off else end,
        last_at=last,
        outcome=Outcome.CUT_OFF if cut_off else Outcome.FINISHED,
        exercises=exercises,
    )


def on(days_ago: int, minutes: float = 10.0, *exercises: ExerciseRecord) -> SessionRecord:
    return session(at(ago(days_ago)), minutes, *exercises)


# -- --since ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("7d", timedelta(days=7)),
        ("2w", timedelta(weeks=2)),
        ("12h", timedelta(hours=12)),
        ("90m", timedelta(minutes=90)),
        ("1d", timedelta(days=1)),
        (" 3D ", timedelta(days=3)),
    ],
)
def test_since_a_span_back_from_now(text: str, back: timedelta) -> None:
    assert parse_since(text, NOW) == NOW - back


def test_since_a_date_is_its_local_midnight() -> None:
    since = parse_since("2026-11-01", NOW)
    assert since.tzinfo is not None
    local = since.astimezone()
    assert (local.date(), local.hour, local.minute, local.second) == (date(2026, 11, 1), 0, 0, 0)
    assert since == datetime(2026, 11, 1).astimezone()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "7",
        "d",
        "7x",
        "-3d",
        "0d",
        "7 days",
        "1.5d",
        "2026-13-01",
        "2026-02-30",
        "2026/11/01",
        "01-11-2026",
        "2026-11-01T10:00",
        "yesterday",
        "999999w",
    ],
)
def test_since_anything_else_is_one_line_saying_what_is_accepted(text: str) -> None:
    with pytest.raises(ValueError, match="--since") as caught:
        parse_since(text, NOW)
    message = str(caught.value)
    assert "\n" not in message
    assert repr(text) in message
    for form in ("7d", "2w", "12h", "90m", "2026-11-01"):
        assert form in message


# -- per exercise ----------------------------------------------------------------


def test_totals_per_exercise_are_summed_by_guide_id() -> None:
    old = on(
        9,
        20,
        ExerciseRecord("wallsit", "Wallsit", sets=2, hold_s=75.0, longest_hold_s=45.0),
        ExerciseRecord("squat", "Air Squat", sets=3, reps=30),
    )
    new = on(
        2,
        15,
        ExerciseRecord("wallsit", "Wall Sit", sets=1, hold_s=50.5, longest_hold_s=60.0),
        ExerciseRecord("plank", "Plank", hold_s=20.0),  # cut short: no hold kept
    )
    middle = on(5, 5, ExerciseRecord("wallsit", "Wall-sit", hold_s=30.0, longest_hold_s=30.0))
    # The input order does not matter: the name comes from the newest session.
    summary = stats([middle, new, old], TODAY)
    by_id = {e.id: e for e in summary.exercises}
    wall = by_id["wallsit"]
    assert wall.name == "Wall Sit"
    assert (wall.sessions, wall.sets, wall.reps) == (3, 3, 0)
    assert wall.hold_s == pytest.approx(155.5)
    assert wall.longest_hold_s == 60.0
    squat = by_id["squat"]
    assert (squat.name, squat.sessions, squat.sets, squat.reps, squat.hold_s) == (
        "Air Squat",
        1,
        3,
        30,
        0.0,
    )
    assert by_id["plank"].longest_hold_s == 0.0
    # Most sessions first, then by name.
    assert [e.id for e in summary.exercises] == ["wallsit", "squat", "plank"]
    assert summary.sessions == 3
    assert summary.minutes == pytest.approx(40.0)


def test_no_sessions_sum_to_zero() -> None:
    summary = stats([], TODAY)
    assert (summary.sessions, summary.minutes, summary.streak_days) == (0, 0.0, 0)
    assert summary.sessions_per_week == (0, 0, 0, 0)
    assert summary.mean_per_week == 0.0
    assert summary.exercises == ()
    assert len(summary.minutes_per_day) == 28
    assert all(d.minutes == 0 for d in summary.minutes_per_day)


# -- sessions per week -----------------------------------------------------------


def test_sessions_per_week_are_seven_day_blocks_ending_today() -> None:
    sessions = [
        on(0),
        session(at(TODAY, 0, 1)),  # just after midnight today
        on(6),  # the newest block's first day
        on(7),  # the block before
        on(13),
        on(14),
        on(27),  # the oldest block's first day
        on(28),  # out of the four weeks
        on(-1),  # tomorrow (a clock set wrong): in no block
    ]
    summary = stats(sessions, TODAY)
    assert summary.sessions_per_week == (1, 1, 2, 3)
    assert summary.mean_per_week == pytest.approx(7 / 4)
    # ... but every session is in the totals.
    assert summary.sessions == len(sessions)


def test_the_number_of_weeks_is_a_parameter() -> None:
    summary = stats([on(0), on(8), on(20)], TODAY, weeks=2)
    assert summary.sessions_per_week == (1, 1)
    assert len(summary.minutes_per_day) == 14
    with pytest.raises(ValueError):
        stats([], TODAY, weeks=0)


# -- the streak ------------------------------------------------------------------


def test_streak_ending_today() -> None:
    summary = stats([on(0), on(0), on(1), on(2), on(4)], TODAY)
    assert summary.streak_days == 3
    assert summary.trained_today
    assert not summary.streak_needs_today


def test_streak_is_still_alive_from_yesterday() -> None:
    summary = stats([on(1), on(2), on(3), on(5)], TODAY)
    assert summary.streak_days == 3
    assert not summary.trained_today
    assert summary.streak_needs_today


def test_streak_is_broken_by_a_gap() -> None:
    assert stats([on(0), on(2), on(3)], TODAY).streak_days == 1
    # Nothing today or yesterday: the streak is over, whatever came before.
    assert stats([on(2), on(3), on(4)], TODAY).streak_days == 0
    assert not stats([on(2)], TODAY).streak_needs_today


def test_streak_counts_days_not_sessions() -> None:
    days = {ago(0), ago(1), ago(2), ago(3), ago(4), ago(5), ago(6), ago(7)}
    assert streak(days, TODAY) == 8
    assert streak(set(), TODAY) == 0
    assert streak({ago(1)}, TODAY) == 1


# -- minutes per day -------------------------------------------------------------


def test_minutes_per_day_oldest_first_ending_today() -> None:
    sessions = [
        on(0, 12.0),
        on(0, 8.5),  # two on one day add up
        on(3, 30.0),
        on(27, 5.0),
        on(28, 99.0),  # too old for the chart
    ]
    days = stats(sessions, TODAY).minutes_per_day
    assert [d.day for d in days] == [ago(27 - i) for i in range(28)]
    minutes = {d.day: d.minutes for d in days}
    assert minutes[TODAY] == pytest.approx(20.5)
    assert minutes[ago(3)] == pytest.approx(30.0)
    assert minutes[ago(27)] == pytest.approx(5.0)
    assert sum(minutes.values()) == pytest.approx(55.5)


def test_a_cut_off_session_counts_up_to_its_last_record() -> None:
    killed = session(at(ago(1), 9), 0.0, cut_off=True, last_minutes=17.5)
    summary = stats([killed, on(1, 10.0)], TODAY)
    assert killed.ended is None
    assert {d.day: d.minutes for d in summary.minutes_per_day}[ago(1)] == pytest.approx(27.5)
    assert summary.minutes == pytest.approx(27.5)


def test_a_session_past_midnight_counts_on_the_day_it_started() -> None:
    late = session(at(ago(1), 23, 30), 60.0)
    minutes = {d.day: d.minutes for d in stats([late], TODAY).minutes_per_day}
    assert minutes[ago(1)] == pytest.approx(60.0)
    assert minutes[TODAY] == 0.0


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if not hasattr(time, "tzset"):
        pytest.skip("no time.tzset here")
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("new_york")
def test_days_are_the_users_local_days() -> None:
    # 02:00 UTC on 2 Dec is 21:00 on 1 Dec in New York: as stored, it is read back.
    stored = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    summary = stats([session(stored, 30.0)], TODAY)
    minutes = {d.day: d.minutes for d in summary.minutes_per_day}
    assert minutes[date(2026, 12, 1)] == pytest.approx(30.0)
    assert minutes[TODAY] == 0.0
    assert summary.streak_days == 1 and summary.streak_needs_today


# -- JSON ------------------------------------------------------------------------


def test_to_json_shape() -> None:
    summary = stats(
        [
            on(0, 12.34, ExerciseRecord("wallsit", "Wall Sit", sets=2, hold_s=61.26)),
            on(1, 3.0, ExerciseRecord("squat", "Air Squat", reps=10, longest_hold_s=0.0)),
        ],
        TODAY,
    )
    data = summary.to_json()
    assert list(data) == [
        "sessions",
        "minutes",
        "streak_days",
        "sessions_per_week",
        "exercises",
        "minutes_per_day",
    ]
    assert data["sessions"] == 2
    assert data["minutes"] == 15.3
    assert data["streak_days"] == 2
    assert data["sessions_per_week"] == [0, 0, 0, 2]
    assert data["exercises"][0] == {
        "id": "squat",
        "name": "Air Squat",
        "sessions": 1,
        "sets": 0,
        "reps": 10,
        "hold_s": 0.0,
        "longest_hold_s": 0.0,
    }
    assert data["exercises"][1]["hold_s"] == 61.3
    assert len(data["minutes_per_day"]) == 28
    assert data["minutes_per_day"][0] == {"date": "2026-11-05", "minutes": 0.0}
    assert data["minutes_per_day"][-1] == {"date": "2026-12-02", "minutes": 12.3}
