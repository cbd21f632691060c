"""The history database and the recorder that writes a session into it.

In-process: the store's schema, migrations and one-line errors, and the recorder
fed a session's events as the event bus would. The crash, concurrency and
bad-file tests through real `coach` processes are in test_history_reliability.py.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from voice.events import (
    Event,
    ExerciseStarted,
    HoldEnded,
    Rep,
    RoutineEnded,
    RoutineStarted,
    Said,
    SetStarted,
    StateChanged,
    StepStarted,
)
from voice.history.model import Outcome
from voice.history.recorder import Recorder, open_history, read_past
from voice.history.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    HistoryError,
    HistoryStore,
    data_dir,
    history_file,
)

T0 = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)


def store_at(tmp_path: Path) -> HistoryStore:
    return HistoryStore.open(tmp_path / "data" / "history.sqlite3")


# -- where it lives -------------------------------------------------------------


def test_data_dir_follows_the_override_then_xdg_then_home(tmp_path: Path) -> None:
    home = Path.home()
    assert data_dir(tmp_path, {"XDG_DATA_HOME": "/x"}) == tmp_path
    assert data_dir(None, {"XDG_DATA_HOME": "/x/data"}) == Path("/x/data/voice-coach")
    assert data_dir(None, {}) == home / ".local" / "share" / "voice-coach"
    # The XDG spec: a relative XDG_DATA_HOME is invalid and ignored.
    assert data_dir(None, {"XDG_DATA_HOME": "rel"}) == home / ".local" / "share" / "voice-coach"
    assert history_file(tmp_path).name == "history.sqlite3"


def test_opening_makes_the_folder_and_a_current_wal_database(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "history.sqlite3"
    store = HistoryStore.open(path)
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"sessions", "exercises", "holds", "sets", "reps"} <= tables


def test_an_older_schema_is_migrated_and_keeps_its_sessions(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        db.execute(statement)
    db.execute(
        "INSERT INTO sessions (started, ended, last_at, outcome) VALUES (?, ?, ?, ?)",
        (
            "2026-11-01T10:00:00.000+00:00",
            "2026-11-01T10:05:00.000+00:00",
            "2026-11-01T10:05:00.000+00:00",
            "finished",
        ),
    )
    db.execute(
        "INSERT INTO exercises (session_id, guide_id, name, steps, steps_done, started) "
        "VALUES (1, 'plank', 'Plank', 3, 3, '2026-11-01T10:00:00.000+00:00')"
    )
    db.execute(
        "INSERT INTO holds (exercise_id, seconds, held_s, kept, at) "
        "VALUES (1, 45, 45, 1, '2026-11-01T10:03:00.000+00:00')"
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = HistoryStore.open(path)
    (old,) = store.sessions()
    assert old.outcome is Outcome.FINISHED and old.duration_s == 300
    assert old.exercises[0].longest_hold_s == 45 and old.exercises[0].sets == 0
    # The routine tables arrived with the migration, and work.
    session = store.new_session(T0)
    exercise = store.exercise(session, "plank", "Plank", None, T0)
    store.new_set(session, exercise, 1, 2, T0)
    assert store.best_holds() == {"plank": 45.0}
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_newer_schema_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.close()
    with pytest.raises(HistoryError, match="newer coach") as caught:
        HistoryStore.open(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"these are not the pages you are looking for" * 200)
    with pytest.raises(HistoryError, match="not a history database") as caught:
        HistoryStore.open(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_a_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(HistoryError, match="cannot create the folder"):
        HistoryStore.open(blocker / "sub" / "history.sqlite3")


def test_a_full_disk_is_one_line_naming_it(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    session = store.new_session(T0)
    exercise = store.exercise(session, "plank", "Plank", 3, T0)
    # The database may not grow past its size now: the next page it needs is "disk full".
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(HistoryError, match="the disk is full"):
        for n in range(2000):
            store.hold(session, exercise, None, 30, 30, True, T0 + timedelta(seconds=n))
    # The failed transaction was rolled back: what was written before is all there.
    assert store.integrity() == "ok"
    assert store.sessions()[0].exercises[0].id == "plank"


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    with pytest.raises(HistoryError):
        store.exercise(999, "plank", "Plank", 3, T0)


def test_sessions_read_back_newest_first_with_their_totals(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    first = store.new_session(T0)
    ex = store.exercise(first, "wallsit", "Wall Sit", 4, T0)
    store.reached_step(first, ex, 3, T0 + timedelta(seconds=30))
    store.reached_step(first, ex, 2, T0 + timedelta(seconds=31))  # never goes back
    store.hold(first, ex, None, 60, 60, True, T0 + timedelta(seconds=90))
    store.hold(first, ex, None, 60, 12.5, False, T0 + timedelta(seconds=120))
    store.end_session(first, T0 + timedelta(seconds=125), Outcome.STOPPED)

    second = store.new_session(T0 + timedelta(days=1))
    store.set_routine(second, "Leg Day", T0 + timedelta(days=1))
    store.set_routine(second, "Other", T0 + timedelta(days=1))  # the first one names it
    squat = store.exercise(second, "squat", "Squat", None, T0 + timedelta(days=1))
    for number in (1, 2):
        at = T0 + timedelta(days=1, seconds=60 * number)
        set_id = store.new_set(second, squat, number, 2, at)
        for side in (1, 2):
            for n in (1, 2, 3):
                last = n == 3 and side == 2 and number == 1  # the second set is cut short
                store.rep(second, set_id, n, side, at, last=last)

    newest, oldest = store.sessions()
    assert newest.outcome is Outcome.CUT_OFF and newest.ended is None
    assert newest.routine == "Leg Day"
    assert newest.exercises[0].to_json() == {
        "id": "squat",
        "name": "Squat",
        "steps_done": 0,
        "sets": 1,
        "reps": 6,
        "hold_s": 0.0,
    }
    # A cut-off session lasts until the last thing recorded.
    assert newest.duration_s == 120
    assert oldest.outcome is Outcome.STOPPED and oldest.duration_s == 125
    (wall,) = oldest.exercises
    assert (wall.steps_done, wall.hold_s, wall.longest_hold_s) == (3, 72.5, 60.0)
    assert oldest.to_json()["ended"] is not None
    assert store.best_holds() == {"wallsit": 60.0}
    assert [s.id for s in store.sessions(since=T0 + timedelta(hours=1))] == [second]
    assert store.last_session(before=second) == oldest
    assert store.last_session() == newest


# -- the recorder ---------------------------------------------------------------


class Warnings(list[str]):
    def __call__(self, message: str) -> None:
        self.append(message)


def at_t0(events: list[Event]) -> Callable[[], datetime]:
    """A wall clock that places the session's timeline (t = 0) at T0."""
    return lambda: T0 + timedelta(seconds=events[0].t)


def record(store: HistoryStore, events: list[Event]) -> tuple[Recorder, Warnings]:
    warnings = Warnings()
    recorder = Recorder(store, warnings, clock=at_t0(events))
    for event in events:
        recorder.write(event)
    recorder.close()
    return recorder, warnings


def reopen(tmp_path: Path) -> HistoryStore:
    return HistoryStore.open(tmp_path / "data" / "history.sqlite3")


def test_a_finished_exercise_is_recorded_with_its_steps_and_hold(tmp_path: Path) -> None:
    events: list[Event] = [
        StateChanged(0.0, "waiting"),
        Said(0.0, "Say the name of an exercise."),
        ExerciseStarted(5.0, "wallsit", "Wall Sit", 3),
        StepStarted(8.0, 0, "Set up", 3),
        StepStarted(20.0, 1, "Sit", 3),
        HoldEnded(80.0, 60.0, 60.0, kept=True),
        StepStarted(90.0, 2, "Stand", 3),
        StateChanged(95.0, "finished"),
        Said(96.0, "See you later."),
    ]
    _, warnings = record(store_at(tmp_path), events)
    (session,) = reopen(tmp_path).sessions()
    assert not warnings
    assert session.started == T0 + timedelta(seconds=5)  # when something was first done
    assert session.ended == T0 + timedelta(seconds=96)
    assert session.outcome is Outcome.FINISHED
    assert [e.to_json() for e in session.exercises] == [
        {"id": "wallsit", "name": "Wall Sit", "steps_done": 3, "sets": 0, "reps": 0, "hold_s": 60.0}
    ]
    assert session.exercises[0].finished


def test_a_session_where_nothing_was_done_leaves_no_row(tmp_path: Path) -> None:
    record(store_at(tmp_path), [StateChanged(0.0, "waiting"), Said(0.5, "See you later.")])
    assert reopen(tmp_path).sessions() == []


def test_an_exercise_left_unfinished_makes_the_session_stopped(tmp_path: Path) -> None:
    events: list[Event] = [
        ExerciseStarted(1.0, "plank", "Plank", 2),
        StateChanged(10.0, "finished"),
        ExerciseStarted(20.0, "wallsit", "Wall Sit", 3),
        StepStarted(21.0, 0, "Set up", 3),
        HoldEnded(30.0, 60.0, 9.0, kept=False),
        StateChanged(31.0, "waiting"),
    ]
    record(store_at(tmp_path), events)
    (session,) = reopen(tmp_path).sessions()
    assert session.outcome is Outcome.STOPPED
    plank, wall = session.exercises
    assert plank.finished and not wall.finished
    assert (wall.hold_s, wall.longest_hold_s) == (9.0, 0.0)


def test_a_routine_records_its_sets_and_reps(tmp_path: Path) -> None:
    events: list[Event] = [
        RoutineStarted(0.5, "Leg Day", ("Squat", "Wall Sit")),
        SetStarted(4.0, "Squat", 1, 2, "squat"),
        *[Rep(4.0 + 3 * n, n, 3) for n in (1, 2, 3)],
        SetStarted(30.0, "Squat", 2, 2, "squat"),
        *[Rep(30.0 + 3 * n, n, 3) for n in (1, 2, 3)],
        SetStarted(60.0, "Wall Sit", 1, 1, "wallsit"),
        HoldEnded(90.0, 30.0, 30.0, kept=True),
        RoutineEnded(91.0, 3, 0, 90.5, finished=True),
        StateChanged(91.0, "finished"),
    ]
    record(store_at(tmp_path), events)
    (session,) = reopen(tmp_path).sessions()
    assert session.routine == "Leg Day" and session.outcome is Outcome.FINISHED
    squat, wall = session.exercises
    assert (squat.sets, squat.reps) == (2, 6)
    assert (wall.sets, wall.hold_s, wall.longest_hold_s) == (1, 30.0, 30.0)


def test_a_write_that_fails_turns_history_off_in_one_line(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    warnings = Warnings()
    first = ExerciseStarted(1.0, "plank", "Plank", 2)
    recorder = Recorder(store, warnings, clock=at_t0([first]))
    recorder.write(first)
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")
    for n in range(3000):
        recorder.write(HoldEnded(2.0 + n, 30.0, 30.0, kept=True))
    recorder.close()
    assert len(warnings) == 1 and "history off" in warnings[0] and "disk is full" in warnings[0]
    assert not recorder.recording
    (session,) = reopen(tmp_path).sessions()
    assert session.outcome is Outcome.CUT_OFF  # its end could not be written either
    assert session.exercises[0].hold_s > 0


def test_open_history_and_read_past_say_why_in_one_line(tmp_path: Path) -> None:
    warnings = Warnings()
    bad = tmp_path / "history.sqlite3"
    bad.write_bytes(b"\0garbage" * 1000)
    assert open_history(bad, warnings) is None
    assert warnings == [f"history off for this session: {bad}: " + warnings[0].split(": ", 2)[2]]
    assert "not a history database" in warnings[0]
    store = store_at(tmp_path)
    past = read_past(store, date(2026, 12, 1))
    assert past.last is None and past.best_hold_s == {}


def test_the_timeline_is_placed_where_the_first_event_is_seen(tmp_path: Path) -> None:
    """Live, the chain starts a while after the command (models load): the session's
    t = 0 is the wall clock at its first event less that event's t, read once."""
    readings = iter([T0 + timedelta(seconds=42)])
    recorder = Recorder(store_at(tmp_path), Warnings(), clock=lambda: next(readings))
    recorder.write(StateChanged(2.0, "waiting"))
    recorder.write(ExerciseStarted(12.0, "plank", "Plank", 2))
    recorder.close()
    (session,) = reopen(tmp_path).sessions()
    assert session.started == T0 + timedelta(seconds=52)


def test_a_routine_leaves_no_exercise_marked_finished(tmp_path: Path) -> None:
    events: list[Event] = [
        RoutineStarted(0.5, "Leg Day", ("Squat",)),
        SetStarted(4.0, "Squat", 1, 1, "squat"),
        *[Rep(4.0 + 3 * n, n, 2) for n in (1, 2)],
        RoutineEnded(11.0, 1, 0, 10.5, finished=True),
        StateChanged(11.0, "finished"),
    ]
    record(store_at(tmp_path), events)
    (session,) = reopen(tmp_path).sessions()
    assert session.outcome is Outcome.FINISHED
    assert not session.exercises[0].finished  # a routine's sets, not the guide run to its end


def _open_together(path: str, barrier: Any, failures: Any) -> None:
    barrier.wait()
    try:
        store = HistoryStore.open(Path(path))
        store.new_session(T0)
        store.close()
    except HistoryError as error:
        failures.put(str(error))


def test_coaches_opening_a_new_history_at_the_same_moment_all_get_it(tmp_path: Path) -> None:
    """Three coaches (processes) started together on an empty folder: each makes or
    finds the schema and the WAL journal, and none gives up (the moments the file is
    busy are waited out)."""
    context = multiprocessing.get_context("fork")
    failures = context.Queue()
    for attempt in range(30):
        path = tmp_path / str(attempt) / "history.sqlite3"
        barrier = context.Barrier(3)
        workers = [
            context.Process(target=_open_together, args=(str(path), barrier, failures))
            for _ in range(3)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
            assert worker.exitcode == 0
        errors = [failures.get() for _ in range(failures.qsize())]
        assert errors == [], f"attempt {attempt}"
        assert len(HistoryStore.open(path).sessions()) == 3


def test_reading_leaves_a_current_file_as_it_is(tmp_path: Path) -> None:
    store = store_at(tmp_path)
    session = store.new_session(T0, routine="Leg Day")
    store.end_session(session, T0 + timedelta(minutes=5), Outcome.FINISHED)
    store.close()
    path = tmp_path / "data" / "history.sqlite3"
    before = path.read_bytes()
    reader = HistoryStore.open_to_read(path)
    assert [s.routine for s in reader.sessions()] == ["Leg Day"]
    reader.close()
    assert path.read_bytes() == before
    with pytest.raises(HistoryError, match="no history yet"):
        HistoryStore.open_to_read(tmp_path / "nothing" / "history.sqlite3")
    with pytest.raises(HistoryError, match="too long"):
        HistoryStore.open_to_read(tmp_path / ("x" * 300) / "history.sqlite3")
