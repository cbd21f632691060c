"""The history database: where it lives, its schema, and every read and write of it.

One SQLite file (`history.sqlite3`) in the user's data folder. WAL journal, so a
reader never blocks the coach and a crash never leaves a half-written page;
foreign keys on; the schema's version in `PRAGMA user_version`, moved forward by
`MIGRATIONS` when an older file is opened. Every write is one short `BEGIN
IMMEDIATE` transaction, so a `kill -9` loses at most the event in flight, and two
coaches writing at once wait their turn (for up to `BUSY_S`) instead of failing.

Every failure SQLite or the file system can give becomes a `HistoryError` with
one line naming the file and what is wrong; the coach goes on without history
when one comes up (voice.history.recorder).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self, TypeVar

from voice.errors import CoachError
from voice.history.model import ExerciseRecord, Outcome, SessionRecord

FILE_NAME = "history.sqlite3"
APP_DIR = "voice-coach"
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CORRUPT = 5, 6, 11
BUSY_S = 10.0
"""How long a write waits for another coach's transaction before giving up."""

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: sessions, the exercises done in them, and their holds.
    (
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            ended TEXT,
            last_at TEXT NOT NULL,
            outcome TEXT CHECK (outcome IN ('finished', 'stopped')),
            routine TEXT
        )""",
        "CREATE INDEX sessions_started ON sessions (started)",
        """CREATE TABLE exercises (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            guide_id TEXT NOT NULL,
            name TEXT NOT NULL,
            steps INTEGER,
            steps_done INTEGER NOT NULL DEFAULT 0,
            finished INTEGER NOT NULL DEFAULT 0,
            started TEXT NOT NULL,
            UNIQUE (session_id, guide_id)
        )""",
        """CREATE TABLE holds (
            id INTEGER PRIMARY KEY,
            exercise_id INTEGER NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
            seconds REAL NOT NULL,
            held_s REAL NOT NULL,
            kept INTEGER NOT NULL,
            at TEXT NOT NULL
        )""",
        "CREATE INDEX holds_exercise ON holds (exercise_id)",
    ),
    # 2: routines: their sets, and the reps counted in them.
    (
        """CREATE TABLE sets (
            id INTEGER PRIMARY KEY,
            exercise_id INTEGER NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            of_sets INTEGER NOT NULL,
            done INTEGER NOT NULL DEFAULT 0,
            started TEXT NOT NULL
        )""",
        "CREATE INDEX sets_exercise ON sets (exercise_id)",
        """CREATE TABLE reps (
            id INTEGER PRIMARY KEY,
            set_id INTEGER NOT NULL REFERENCES sets (id) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            side INTEGER,
            at TEXT NOT NULL
        )""",
        "CREATE INDEX reps_set ON reps (set_id)",
        "ALTER TABLE holds ADD COLUMN set_id INTEGER REFERENCES sets (id) ON DELETE CASCADE",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

T = TypeVar("T")


class HistoryError(CoachError):
    """The history cannot be read or written; the message is one line naming the file."""


def data_dir(override: Path | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    """The folder the history lives in: `override` (`--data-dir`), else
    `$XDG_DATA_HOME/voice-coach`, else `~/.local/share/voice-coach` (an
    `XDG_DATA_HOME` that is not an absolute path is ignored, as the spec says)."""
    if override is not None:
        return override
    xdg = environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".local" / "share"
    return base / APP_DIR


def history_file(override: Path | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    return data_dir(override, environ) / FILE_NAME


def to_text(moment: datetime) -> str:
    """A moment as stored: ISO 8601 in UTC, so text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def from_text(text: str) -> datetime:
    return datetime.fromisoformat(text)


class HistoryStore:
    """One open connection to the history file. `open` it; every method is one
    transaction, and raises `HistoryError` (never a bare `sqlite3.Error`)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> Self:
        """The history at `path`, its schema brought up to date (created with its
        folder when missing and `create`), after a quick check that it is sound."""
        if create:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                reason = error.strerror or str(error)
                raise HistoryError(f"{path.parent}: cannot create the folder ({reason})") from None
        elif not exists(path):
            raise HistoryError(f"{path}: no history yet")
        store = cls(_connect(path, "rwc" if create else "rw"), path)
        try:
            with store._errors():
                _patiently(store._set_up)
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open_to_read(cls, path: Path) -> Self:
        """The history at `path`, read without writing a byte, as long as its schema is
        current. An older schema is upgraded first, which needs the file writable."""
        if not exists(path):
            raise HistoryError(f"{path}: no history yet")
        store = cls(_connect(path, "ro"), path)
        try:
            version = store._version()
            store._check_version(version)
        except BaseException:
            store.close()
            raise
        if version == SCHEMA_VERSION:
            return store
        store.close()
        if not os.access(path, os.W_OK):
            raise HistoryError(f"{path}: read-only, and written by an older coach")
        return cls.open(path, create=False)

    def _set_up(self) -> None:
        """Foreign keys, the WAL journal and the current schema, then a quick check.
        Safe to run again from the start (`_patiently`): each step is idempotent and
        the migration is one transaction."""
        db = self._db
        db.execute("PRAGMA foreign_keys = ON")
        self._check_version(_user_version(db))
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        if _user_version(db) != SCHEMA_VERSION:
            self._run(self._upgrade)
        verdict = db.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise HistoryError(f"{self.path}: {_REASONS[SQLITE_CORRUPT]}")

    def _version(self) -> int:
        with self._errors():
            return _user_version(self._db)

    def _check_version(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise HistoryError(
                f"{self.path}: written by a newer coach (schema {version}; "
                f"this one knows up to {SCHEMA_VERSION})"
            )

    def _upgrade(self, db: sqlite3.Connection) -> None:
        """Bring the schema to `SCHEMA_VERSION` (inside one transaction: a second coach
        opening the file at the same moment waits, then finds nothing left to do)."""
        version = _user_version(db)
        self._check_version(version)
        for number in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[number]:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    # -- writing -------------------------------------------------------------

    def new_session(self, started: datetime, *, routine: str | None = None) -> int:
        """A session that begins with `routine` (or, without one, nothing yet)."""
        return self._transaction(lambda db: _add_session(db, started, routine))

    def new_session_with(
        self, started: datetime, guide_id: str, name: str, steps: int | None
    ) -> tuple[int, int]:
        """A session that begins with an exercise: both rows in one transaction, so no
        crash leaves a session with nothing in it. Their ids."""

        def add(db: sqlite3.Connection) -> tuple[int, int]:
            session = _add_session(db, started, None)
            return session, _add_exercise(db, session, guide_id, name, steps, started)

        return self._transaction(add)

    def set_routine(self, session: int, title: str, at: datetime) -> None:
        """The session's routine, if it has none yet (the first one run names it)."""
        sql = "UPDATE sessions SET routine = ? WHERE id = ? AND routine IS NULL"
        self._write(session, at, lambda db: db.execute(sql, (title, session)))

    def exercise(
        self, session: int, guide_id: str, name: str, steps: int | None, at: datetime
    ) -> int:
        """The row of `guide_id` in `session`, added the first time it is begun."""
        return self._write(
            session, at, lambda db: _add_exercise(db, session, guide_id, name, steps, at)
        )

    def reached_step(self, session: int, exercise: int, steps_done: int, at: datetime) -> None:
        sql = "UPDATE exercises SET steps_done = max(steps_done, ?) WHERE id = ?"
        self._write(session, at, lambda db: db.execute(sql, (steps_done, exercise)))

    def finished_exercise(self, session: int, exercise: int, at: datetime) -> None:
        sql = "UPDATE exercises SET finished = 1 WHERE id = ?"
        self._write(session, at, lambda db: db.execute(sql, (exercise,)))

    def new_set(self, session: int, exercise: int, number: int, of_sets: int, at: datetime) -> int:
        sql = "INSERT INTO sets (exercise_id, number, of_sets, started) VALUES (?, ?, ?, ?)"
        stamp = to_text(at)
        return self._write(
            session, at, lambda db: _insert(db, sql, exercise, number, of_sets, stamp)
        )

    def rep(
        self, session: int, set_id: int, n: int, side: int | None, at: datetime, *, last: bool
    ) -> None:
        """Rep `n` of a set; `last` marks the set done with it."""

        def add(db: sqlite3.Connection) -> None:
            sql = "INSERT INTO reps (set_id, n, side, at) VALUES (?, ?, ?, ?)"
            db.execute(sql, (set_id, n, side, to_text(at)))
            if last:
                _set_done(db, set_id)

        self._write(session, at, add)

    def hold(
        self,
        session: int,
        exercise: int,
        set_id: int | None,
        seconds: float,
        held_s: float,
        kept: bool,
        at: datetime,
    ) -> None:
        """A hold ended: kept to its end, or cut short after `held_s`; a kept hold
        that was a routine's set marks that set done."""

        def add(db: sqlite3.Connection) -> None:
            sql = (
                "INSERT INTO holds (exercise_id, set_id, seconds, held_s, kept, at) "
                "VALUES (?, ?, ?, ?, ?, ?)"
            )
            db.execute(sql, (exercise, set_id, seconds, held_s, int(kept), to_text(at)))
            if kept and set_id is not None:
                _set_done(db, set_id)

        self._write(session, at, add)

    def end_session(self, session: int, ended: datetime, outcome: Outcome) -> None:
        sql = "UPDATE sessions SET ended = ?, outcome = ? WHERE id = ?"
        stamp = to_text(ended)
        self._write(session, ended, lambda db: db.execute(sql, (stamp, outcome.value, session)))

    def _write(self, session: int, at: datetime, change: Callable[[sqlite3.Connection], T]) -> T:
        """`change`, and the session's `last_at`, in one transaction."""

        def write(db: sqlite3.Connection) -> T:
            result = change(db)
            sql = "UPDATE sessions SET last_at = max(last_at, ?) WHERE id = ?"
            db.execute(sql, (to_text(at), session))
            return result

        return self._transaction(write)

    def _transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._errors():
            return self._run(work)

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work` in one `BEGIN IMMEDIATE` transaction: committed whole, or not at all."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            result = work(self._db)
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        return result

    # -- reading -------------------------------------------------------------

    def sessions(
        self, *, since: datetime | None = None, limit: int | None = None
    ) -> list[SessionRecord]:
        """Sessions started at or after `since`, newest first (at most `limit`)."""
        if since is None:
            return self._sessions("", (), limit)
        return self._sessions("WHERE started >= ?", (to_text(since),), limit)

    def count_sessions(self, *, since: datetime | None = None) -> int:
        """How many sessions started at or after `since` (all of them without it)."""
        sql = "SELECT count(*) FROM sessions"
        params: tuple[Any, ...] = ()
        if since is not None:
            sql, params = sql + " WHERE started >= ?", (to_text(since),)
        with self._errors():
            return int(self._db.execute(sql, params).fetchone()[0])

    def last_session(self, *, before: int | None = None) -> SessionRecord | None:
        """The newest session (older than session id `before`, when given)."""
        found = (
            self._sessions("WHERE id < ?", (before,), 1) if before else self._sessions("", (), 1)
        )
        return found[0] if found else None

    def _sessions(
        self, where: str, params: tuple[Any, ...], limit: int | None
    ) -> list[SessionRecord]:
        sql = f"SELECT id, started, ended, last_at, outcome, routine FROM sessions {where}"
        sql += " ORDER BY started DESC, id DESC"
        if limit is not None:
            sql += f" LIMIT {max(0, int(limit))}"
        with self._errors():
            rows = self._db.execute(sql, params).fetchall()
            exercises = self._exercises([row[0] for row in rows])
        return [_session(row, exercises.get(row[0], ())) for row in rows]

    def best_holds(self) -> dict[str, float]:
        """The longest hold ever kept to its end, by guide id."""
        sql = (
            "SELECT e.guide_id, max(h.seconds) FROM holds h "
            "JOIN exercises e ON e.id = h.exercise_id WHERE h.kept GROUP BY e.guide_id"
        )
        with self._errors():
            return {gid: float(s) for gid, s in self._db.execute(sql)}

    def integrity(self) -> str:
        """`PRAGMA integrity_check`'s verdict ("ok" when the file is sound)."""
        with self._errors():
            return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    def _exercises(self, sessions: list[int]) -> dict[int, tuple[ExerciseRecord, ...]]:
        if not sessions:
            return {}
        marks = ",".join("?" * len(sessions))
        sql = f"""
            SELECT e.session_id, e.guide_id, e.name, e.steps_done, e.finished,
                (SELECT count(*) FROM sets s WHERE s.exercise_id = e.id AND s.done),
                (SELECT count(*) FROM reps r JOIN sets s ON s.id = r.set_id
                    WHERE s.exercise_id = e.id AND (r.side IS NULL OR r.side = 1)),
                (SELECT coalesce(sum(h.held_s), 0) FROM holds h WHERE h.exercise_id = e.id),
                (SELECT coalesce(max(h.seconds), 0) FROM holds h
                    WHERE h.exercise_id = e.id AND h.kept)
            FROM exercises e WHERE e.session_id IN ({marks}) ORDER BY e.started, e.id"""
        found: dict[int, list[ExerciseRecord]] = {}
        for row in self._db.execute(sql, sessions):
            session, guide_id, name, steps, finished, sets, reps, held, longest = row
            record = ExerciseRecord(
                guide_id, name, steps, sets, reps, float(held), float(longest), bool(finished)
            )
            found.setdefault(session, []).append(record)
        return {k: tuple(v) for k, v in found.items()}

    # -- errors --------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise HistoryError(f"{self.path}: {describe(error)}") from None


def exists(path: Path) -> bool:
    """Whether `path` exists; a path that cannot even be looked at (too long, in a
    folder the user may not read) is a one-line `HistoryError`."""
    try:
        return path.exists()
    except OSError as error:
        raise HistoryError(f"{path}: {error.strerror or error}") from None


def _user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _patiently(step: Callable[[], T]) -> T:
    """`step`, run again while another coach holds the file. SQLite gives up at once,
    without waiting its busy timeout, in a few places (switching the journal to WAL
    while another coach is creating the file), so two coaches started together on
    an empty folder would otherwise lose one history."""
    deadline = time.monotonic() + BUSY_S
    while True:
        try:
            return step()
        except sqlite3.OperationalError as error:
            busy = (getattr(error, "sqlite_errorcode", 0) & 0xFF) in (SQLITE_BUSY, SQLITE_LOCKED)
            if not busy or time.monotonic() > deadline:
                raise
        time.sleep(0.02)


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    uri = f"{path.absolute().as_uri()}?mode={mode}"
    try:
        return sqlite3.connect(uri, uri=True, timeout=BUSY_S, isolation_level=None)
    except sqlite3.Error as error:
        raise HistoryError(f"{path}: {describe(error)}") from None


def _add_session(db: sqlite3.Connection, started: datetime, routine: str | None) -> int:
    at = to_text(started)
    sql = "INSERT INTO sessions (started, last_at, routine) VALUES (?, ?, ?)"
    return _insert(db, sql, at, at, routine)


def _add_exercise(
    db: sqlite3.Connection,
    session: int,
    guide_id: str,
    name: str,
    steps: int | None,
    at: datetime,
) -> int:
    """The row of `guide_id` in `session`, added if it is not there yet."""
    found = db.execute(
        "SELECT id FROM exercises WHERE session_id = ? AND guide_id = ?", (session, guide_id)
    ).fetchone()
    if found is not None:
        return int(found[0])
    sql = (
        "INSERT INTO exercises (session_id, guide_id, name, steps, started) VALUES (?, ?, ?, ?, ?)"
    )
    return _insert(db, sql, session, guide_id, name, steps, to_text(at))


def _set_done(db: sqlite3.Connection, set_id: int) -> None:
    db.execute("UPDATE sets SET done = 1 WHERE id = ?", (set_id,))


def _insert(db: sqlite3.Connection, sql: str, *params: Any) -> int:
    row = db.execute(sql, params).lastrowid
    assert row is not None
    return row


def _session(row: tuple[Any, ...], exercises: tuple[ExerciseRecord, ...]) -> SessionRecord:
    id_, started, ended, last_at, outcome, routine = row
    return SessionRecord(
        id=id_,
        started=from_text(started),
        ended=from_text(ended) if ended else None,
        last_at=from_text(last_at),
        outcome=Outcome(outcome) if ended and outcome else Outcome.CUT_OFF,
        routine=routine,
        exercises=exercises,
    )


_REASONS = {
    3: "permission denied",
    SQLITE_BUSY: f"another coach kept it busy for over {BUSY_S:g} s",
    SQLITE_LOCKED: f"another coach kept it locked for over {BUSY_S:g} s",
    8: "the file is read-only",
    10: "writing to the disk failed (is it full?)",
    SQLITE_CORRUPT: "the file is damaged (move it aside to start a new history)",
    13: "the disk is full",
    14: "cannot open the file",
    26: "not a history database, or damaged (move it aside to start a new history)",
}


def describe(error: sqlite3.Error) -> str:
    """What went wrong, in words a user can act on (SQLite's primary result code)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _REASONS:
        return _REASONS[code & 0xFF]
    return str(error) or type(error).__name__
