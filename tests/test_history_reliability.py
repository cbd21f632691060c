"""The history survives what real machines do: a coach killed mid-write, two coaches
writing at once, a damaged, read-only, newer or full file.

Every test runs real `coach run` processes on typing scripts (`--text-in --fast`,
captions for a voice so they are quick), as a user's sessions would run, and
reads the database back afterwards.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from voice.guides.library import load_library
from voice.history.model import Outcome
from voice.history.store import SCHEMA_VERSION, HistoryStore

COACH = [sys.executable, "-m", "voice", "run", "--fast", "--tts", "captions"]
ROUTINE = "0.5 morning mobility\n"
"""A routine with sets, reps and holds: about seventy writes."""
TWO_ROUTINES = ROUTINE + "600 lower body\n"
"""Two routines: some two hundred writes, over a second or two of running."""
WALL_SIT = "0 wall sit\n30 next\n60 next\n150 next\n151 next\n"
"""One exercise to its end: a handful of writes."""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two routines and their guides alone, so each coach starts quickly."""
    bundled = load_library().library
    folder = tmp_path_factory.mktemp("library")
    for routine in bundled.routines:
        if routine.title in ("Morning Mobility", "Lower Body"):
            assert routine.path is not None
            shutil.copy(routine.path, folder)
            for item in routine.items:
                guide = bundled.get(item.guide_id)
                assert guide is not None
                shutil.copy(guide.path, folder)
    return folder


def start(data: Path, script: str, *extra: str, **popen: Any) -> subprocess.Popen[str]:
    path = data.parent / f"{data.name}-script.txt"
    path.write_text(script, encoding="utf-8")
    cmd = [*COACH, "--text-in", str(path), "--data-dir", str(data), *extra]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = process.communicate(timeout=120)
    return process.returncode, err


def snapshot(path: Path) -> list[tuple[int, dict[str, Any]]]:
    if not path.exists():
        return []
    store = HistoryStore.open(path)
    try:
        assert store.integrity() == "ok"
        return [(s.id, s.to_json()) for s in store.sessions()]
    finally:
        store.close()


def holes(path: Path, session: int) -> list[str]:
    """What a killed session's rows say was lost besides the last event: a set's reps
    must run 1, 2, 3... with no gap, and its sets 1, 2... in order."""
    db = sqlite3.connect(path)
    problems = []
    sets = db.execute(
        "SELECT s.id, s.number, e.guide_id FROM sets s JOIN exercises e ON e.id = s.exercise_id "
        "WHERE e.session_id = ? ORDER BY s.id",
        (session,),
    ).fetchall()
    for set_id, _, guide in sets:
        reps = db.execute(
            "SELECT n, side FROM reps WHERE set_id = ? ORDER BY id", (set_id,)
        ).fetchall()
        for side in {s for _, s in reps}:
            numbers = [n for n, s in reps if s == side]
            if numbers != list(range(1, len(numbers) + 1)):
                problems.append(f"{guide} set {set_id} side {side}: reps {numbers}")
    db.close()
    return problems


def wait_for_session(path: Path, process: subprocess.Popen[str], count: int) -> None:
    """Until the history holds `count` sessions (or the process ended)."""
    deadline = time.monotonic() + 30
    while process.poll() is None and time.monotonic() < deadline:
        if path.exists():
            db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=10)
            try:
                if db.execute("SELECT count(*) FROM sessions").fetchone()[0] >= count:
                    return
            except sqlite3.OperationalError:
                pass  # not made yet
            finally:
                db.close()
        time.sleep(0.005)


def kill_lane(
    data: Path, library: Path, seed: int, kills: int, results: list[str], cut: list[int]
) -> None:
    """Run the routine `kills` times into `data`, each killed at a random moment, and
    check the file after each kill."""
    rng = random.Random(seed)
    path = data / "history.sqlite3"
    for attempt in range(kills):
        before = snapshot(path)
        process = start(data, TWO_ROUTINES, "--exercises", str(library))
        if attempt % 5 == 0:  # anywhere from its start: opening, migrating, writing
            time.sleep(rng.uniform(0.05, 2.0))
        else:  # while it writes: from the moment its session's first row is there
            wait_for_session(path, process, len(before) + 1)
            time.sleep(rng.uniform(0.0, 1.2))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        after = snapshot(path)  # opens, and passes the integrity check
        kept = dict(after)
        for id_, record in before:
            if kept.get(id_) != record:
                results.append(f"attempt {attempt}: session {id_} changed by a kill")
        new = [(i, r) for i, r in after if i not in dict(before)]
        if len(new) > 1:
            results.append(f"attempt {attempt}: {len(new)} sessions from one run")
        for id_, record in new:
            results += [f"attempt {attempt}: {p}" for p in holes(path, id_)]
            if record["outcome"] == Outcome.CUT_OFF.value:
                assert record["ended"] is None
                cut.append(id_)


@pytest.mark.timeout(600)  # fifty coaches started one after another, two at a time
def test_a_coach_killed_at_random_moments_50_times_leaves_a_sound_history(
    tmp_path: Path, library: Path
) -> None:
    problems: list[str] = []
    cut: list[int] = []
    lanes = [
        threading.Thread(
            target=kill_lane, args=(tmp_path / f"lane{n}", library, n, 25, problems, cut)
        )
        for n in range(2)
    ]
    for lane in lanes:
        lane.start()
    for lane in lanes:
        lane.join()
    assert problems == []
    # Most kills landed mid-session (the rest before its first write or after its end).
    assert len(cut) >= 25, f"only {len(cut)} of 50 kills landed mid-session"


def test_two_coaches_writing_at_once_both_record_their_session(
    tmp_path: Path, library: Path
) -> None:
    data = tmp_path / "data"
    both = [start(data, ROUTINE, "--exercises", str(library)) for _ in range(2)]
    results = [finish(process) for process in both]
    for code, err in results:
        assert code == 0 and err == "", err
    sessions = snapshot(data / "history.sqlite3")
    assert len(sessions) == 2
    for _, record in sessions:
        assert record["outcome"] == "finished" and record["routine"] == "Morning Mobility"
    assert sessions[0][1]["exercises"] == sessions[1][1]["exercises"]


def one_line(err: str, *words: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and all(w in lines[0] for w in words), lines[0]
    return lines[0]


def ran_to_the_end(events: Path) -> None:
    rows = [json.loads(line) for line in events.read_text().splitlines()]
    states = [r["state"] for r in rows if r["type"] == "state"]
    assert "finished" in states


def test_a_damaged_file_is_one_line_left_as_it_is_and_the_coach_runs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    garbage = b"SQLite format 2\0" + bytes(range(256)) * 64
    (data / "history.sqlite3").write_bytes(garbage)
    code, err = finish(start(data, WALL_SIT, "--events", str(tmp_path / "e.jsonl")))
    assert code == 0
    one_line(err, "history off", str(data / "history.sqlite3"), "not a history database")
    ran_to_the_end(tmp_path / "e.jsonl")
    assert (data / "history.sqlite3").read_bytes() == garbage


def test_a_newer_schema_is_one_line_and_left_untouched(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = sqlite3.connect(data / "history.sqlite3")
    db.execute("CREATE TABLE future (x)")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    code, err = finish(start(data, WALL_SIT, "--events", str(tmp_path / "e.jsonl")))
    assert code == 0
    one_line(err, "history off", "newer coach")
    ran_to_the_end(tmp_path / "e.jsonl")
    db = sqlite3.connect(data / "history.sqlite3")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


def _make_read_only(path: Path) -> bool:
    """Make `path` read-only even for root (the immutable flag); False if impossible."""
    path.chmod(0o444)
    if not os.access(path, os.W_OK):
        return True
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if done.returncode != 0:
        return False
    try:
        with path.open("r+b"):
            pass
    except OSError:
        return True
    return False


def test_a_read_only_file_is_one_line_and_the_coach_runs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, err = finish(start(data, WALL_SIT))
    assert code == 0 and err == ""
    path = data / "history.sqlite3"
    if not _make_read_only(path):
        pytest.skip("cannot make a file read-only for this user here")
    try:
        code, err = finish(start(data, WALL_SIT, "--events", str(tmp_path / "e.jsonl")))
        assert code == 0
        one_line(err, "history off", str(path), "read-only")
        ran_to_the_end(tmp_path / "e.jsonl")
    finally:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
        path.chmod(0o644)
    assert len(snapshot(path)) == 1


def test_a_full_disk_mid_session_is_one_line_and_the_coach_runs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    HistoryStore.open(data / "history.sqlite3").close()
    size = (data / "history.sqlite3").stat().st_size

    def small_disk() -> None:
        # No file may grow past the empty database's size: the history's journal
        # fills up a few writes into the session, as on a disk with no room left.
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    events = tmp_path / "e.jsonl"
    code, err = finish(start(data, WALL_SIT, "--events", str(events), preexec_fn=small_disk))
    assert code == 0
    one_line(err, "history off for the rest of this session", "disk")
    ran_to_the_end(events)
    (session,) = snapshot(data / "history.sqlite3")  # sound, with what was written in time
    assert session[1]["outcome"] == "cut off"


def test_a_file_damaged_inside_is_one_line_left_as_it_is_and_the_coach_runs(
    tmp_path: Path,
) -> None:
    """A sound header over broken pages: found by the check on opening, before the
    coach reads the past or writes anything."""
    data = tmp_path / "data"
    for _ in range(2):
        assert finish(start(data, WALL_SIT)) == (0, "")
    path = data / "history.sqlite3"
    with path.open("r+b") as file:
        file.seek(2 * 4096)  # past the header page and the first table's root
        file.write(bytes(range(256)) * 48)
    damaged = path.read_bytes()
    code, err = finish(start(data, WALL_SIT, "--events", str(tmp_path / "e.jsonl")))
    assert code == 0
    one_line(err, "history off for this session", str(path), "damaged")
    ran_to_the_end(tmp_path / "e.jsonl")
    assert path.read_bytes() == damaged
    done = subprocess.run(
        [sys.executable, "-m", "voice", "history", "--data-dir", str(data)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    one_line(done.stderr, "damaged")
