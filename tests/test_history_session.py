"""What the coach says about the history: "how did I do", "what did I do last time",
and a new longest hold; and what `coach run` records, through the whole chain.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.test_session import PLANK, SHORT_CORE, FakeCatalog, cmd, said
from voice.cli import main
from voice.coaching import prompts
from voice.coaching.actions import HoldFinished, SpeechFinished
from voice.coaching.countdown import held_s
from voice.coaching.session import Session
from voice.commands import Vocabulary
from voice.guides.holds import SWITCH_S
from voice.guides.library import load_library
from voice.guides.model import Hold
from voice.history.model import ExerciseRecord, Outcome, Past, SessionRecord
from voice.history.store import HistoryStore
from voice.intents import Command, Intent
from voice.listening.context import Context, allows
from voice.testing.simulate import UserLine, compose
from voice.testing.voices import Voice, write_wav

TODAY = date(2026, 12, 2)  # a Wednesday


def local(day: date, hour: int = 18) -> datetime:
    return datetime(day.year, day.month, day.day, hour).astimezone()


def record(
    day: date, *, outcome: Outcome = Outcome.STOPPED, routine: str | None = None
) -> SessionRecord:
    started = local(day)
    ended = None if outcome is Outcome.CUT_OFF else started + timedelta(seconds=125)
    wall = ExerciseRecord("wallsit", "Wall Sit", steps_done=3, hold_s=60, longest_hold_s=60)
    return SessionRecord(
        1, started, ended, started + timedelta(seconds=125), outcome, routine, (wall,)
    )


def finish_plank(session: Session) -> list[Any]:
    """Plank from its name to its end: the intro, step 1 with its 30 s hold, then "next"."""
    session.handle(cmd(Intent.START, PLANK.id))
    session.handle(SpeechFinished())  # the intro ends: step 1 is read
    session.handle(SpeechFinished())  # step 1's reading ends: its hold starts
    session.handle(HoldFinished())
    actions: list[Any] = []
    for _ in PLANK.steps:
        actions = session.handle(cmd(Intent.NEXT))
    return actions


# -- what did I do last time -------------------------------------------------------


def test_last_time_with_the_history_off_says_so() -> None:
    session = Session(FakeCatalog())
    assert said(session.handle(cmd(Intent.LAST_TIME))) == [prompts.HISTORY_OFF]


def test_last_time_with_no_sessions_yet() -> None:
    session = Session(FakeCatalog(), past=Past(TODAY))
    assert said(session.handle(cmd(Intent.LAST_TIME))) == [prompts.NO_HISTORY_YET]


@pytest.mark.parametrize(
    ("day", "outcome", "line"),
    [
        (
            TODAY - timedelta(days=1),
            Outcome.STOPPED,
            "Yesterday, you did Wall Sit with 3 steps and a hold of 1 minute, "
            "in 2 minutes 5 seconds, and stopped early.",
        ),
        (
            TODAY,
            Outcome.FINISHED,
            "Earlier today, you did Wall Sit with 3 steps and a hold of 1 minute, "
            "in 2 minutes 5 seconds.",
        ),
        (
            TODAY - timedelta(days=2),
            Outcome.CUT_OFF,
            "On Monday, you did Wall Sit with 3 steps and a hold of 1 minute, "
            "in 2 minutes 5 seconds, before the coach was cut off.",
        ),
        (
            TODAY - timedelta(days=10),
            Outcome.FINISHED,
            "On 22 November, you did Wall Sit with 3 steps and a hold of 1 minute, "
            "in 2 minutes 5 seconds.",
        ),
    ],
)
def test_last_time_is_one_line_from_the_last_session(
    day: date, outcome: Outcome, line: str
) -> None:
    session = Session(FakeCatalog(), past=Past(TODAY, record(day, outcome=outcome)))
    session.begin()
    assert said(session.handle(cmd(Intent.LAST_TIME))) == [line]


def test_a_session_cut_off_before_anything_was_recorded_is_said_plainly() -> None:
    started = local(TODAY - timedelta(days=1))
    empty = SessionRecord(1, started, None, started, Outcome.CUT_OFF)
    session = Session(FakeCatalog(), past=Past(TODAY, empty))
    assert said(session.handle(cmd(Intent.LAST_TIME))) == [
        "Yesterday, a session began, but nothing in it was recorded."
    ]


@pytest.mark.parametrize(
    ("seconds", "said_as"),
    [
        (8, "a hold of 8 seconds"),
        (120, "a hold of 2 minutes"),
        (150, "a hold of 2 minutes 30 seconds"),
    ],
)
def test_holds_are_said_grammatically(seconds: float, said_as: str) -> None:
    assert (
        prompts.recap_item("Plank", steps=2, hold_s=seconds) == f"Plank with 2 steps and {said_as}"
    )


def test_two_exercises_and_more_are_joined_as_said() -> None:
    assert prompts.recap_items(["A with 2 steps", "B"]) == "A with 2 steps, and B"
    assert prompts.recap_items(["A", "B", "C", "D", "E"]) == "A; B; C; and 2 more exercises"


def test_a_routine_session_is_named_by_its_routine() -> None:
    past = Past(TODAY, record(TODAY - timedelta(days=1), routine="Leg Day"))
    session = Session(FakeCatalog(), past=past)
    (line,) = said(session.handle(cmd(Intent.LAST_TIME)))
    assert line.startswith("Yesterday, you did Leg Day: Wall Sit with 3 steps")


# -- how did I do ----------------------------------------------------------------------


def test_how_did_i_do_before_anything_is_done_reads_the_last_session() -> None:
    past = Past(TODAY, record(TODAY - timedelta(days=1)))
    session = Session(FakeCatalog(), past=past)
    session.begin()
    assert said(session.handle(cmd(Intent.RECAP))) == said(session.handle(cmd(Intent.LAST_TIME)))


def test_how_did_i_do_after_an_exercise_reads_this_session() -> None:
    session = Session(FakeCatalog(), past=Past(TODAY, record(TODAY - timedelta(days=1))))
    session.begin()
    finish_plank(session)
    assert said(session.handle(cmd(Intent.RECAP))) == [
        "So far this session: Plank with 4 steps and a hold of 30 seconds."
    ]
    # "last time" still means the session before this one.
    assert said(session.handle(cmd(Intent.LAST_TIME)))[0].startswith("Yesterday")


def test_progress_questions_wait_until_between_exercises() -> None:
    session = Session(FakeCatalog(), past=Past(TODAY))
    session.begin()
    session.handle(cmd(Intent.START, PLANK.id))
    session.handle(SpeechFinished())
    assert said(session.handle(cmd(Intent.RECAP)))[0] == prompts.RECAP_LATER
    assert session.state.value == "reading"


def test_progress_questions_are_only_heard_between_exercises() -> None:
    for intent in (Intent.RECAP, Intent.LAST_TIME):
        assert allows(Context.WAITING, Command(intent), framed=False)
        assert not allows(Context.EXERCISE, Command(intent), framed=False)
        assert not allows(Context.CHOOSING, Command(intent), framed=False)


def test_the_phrases_are_understood() -> None:
    vocabulary = Vocabulary.from_library(load_library().library)
    for text, intent in [
        ("how did I do", Intent.RECAP),
        ("how am I doing", Intent.RECAP),
        ("what did I do last time", Intent.LAST_TIME),
        ("what did I do yesterday", Intent.LAST_TIME),
        ("last time", Intent.LAST_TIME),
    ]:
        command = vocabulary.match_text(text)
        assert command is not None and command.intent is intent, text


# -- new bests ---------------------------------------------------------------------------


def test_a_longer_hold_than_ever_is_said_at_the_end_once() -> None:
    session = Session(FakeCatalog(), past=Past(TODAY, None, {PLANK.id: 20.0}))
    session.begin()
    (line,) = said(finish_plank(session))
    assert "Your longest Plank yet: 30 seconds." in line
    (again,) = said(finish_plank(session))
    assert "longest" not in again


@pytest.mark.parametrize("past", [None, Past(TODAY), Past(TODAY, None, {PLANK.id: 30.0})], ids=str)
def test_no_best_without_a_record_beaten(past: Past | None) -> None:
    session = Session(FakeCatalog(), past=past)
    session.begin()
    (line,) = said(finish_plank(session))
    assert "longest" not in line


def plank_hold_kept(past: Past) -> Session:
    """A session where the plank's 30 s hold has just run to its end."""
    session = Session(FakeCatalog(), past=past)
    session.begin()
    session.handle(cmd(Intent.START, PLANK.id))
    session.handle(SpeechFinished())
    session.handle(SpeechFinished())
    session.handle(HoldFinished())
    return session


def test_a_best_set_before_stopping_or_quitting_is_still_said() -> None:
    best = Past(TODAY, None, {PLANK.id: 10.0})
    (stopped,) = said(plank_hold_kept(best).handle(cmd(Intent.STOP)))
    assert stopped.startswith("Stopped Plank. Your longest Plank yet: 30 seconds.")
    session = plank_hold_kept(best)
    session.handle(cmd(Intent.QUIT))
    (goodbye,) = said(session.handle(cmd(Intent.QUIT)))
    assert goodbye == "Your longest Plank yet: 30 seconds. " + prompts.GOODBYE


def test_a_routine_hold_can_set_a_best() -> None:
    session = Session(FakeCatalog(routines=(SHORT_CORE,)), past=Past(TODAY, None, {PLANK.id: 25}))
    session.begin()
    session.handle(cmd(Intent.START, SHORT_CORE.id))
    lines: list[str] = []
    for _ in range(12):  # announce, count, rest... to the routine's end
        lines += said(session.handle(SpeechFinished()))
        lines += said(session.handle(HoldFinished()))
    assert any(
        "That's the routine complete" in x and "Your longest Plank yet: 30 seconds." in x
        for x in lines
    )


def test_held_seconds_leave_out_the_switch_between_sides() -> None:
    one = Hold(30, "hold 30 seconds", stated=True)
    both = Hold(30, "hold 30 seconds on each side", stated=True, per_side=True)
    assert held_s(one, 0.0) == 30 and held_s(one, 12.0) == 18 and held_s(one, 40.0) == 0
    total = 60 + SWITCH_S
    assert held_s(both, total) == 0
    assert held_s(both, total - 25) == 25  # 25 s into the first side
    assert held_s(both, total - 30 - SWITCH_S / 2) == 30  # switching: the first side only
    assert held_s(both, 10.0) == 50  # 10 s left of the second side
    assert held_s(both, 0.0) == 60


# -- through `coach run` ------------------------------------------------------------------


def run(tmp_path: Path, script: str, *extra: str) -> list[dict[str, Any]]:
    path = tmp_path / "script.txt"
    path.write_text(script, encoding="utf-8")
    events = tmp_path / "events.jsonl"
    args = ["run", "--text-in", str(path), "--fast", "--tts", "captions", "--events", str(events)]
    assert main([*args, *extra]) == 0
    return [json.loads(line) for line in events.read_text().splitlines()]


def test_a_simulation_keeps_no_history_unless_given_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    run(tmp_path, "0 wall sit\n")
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()
    run(tmp_path, "0 wall sit\n", "--data-dir", str(tmp_path / "d"), "--no-history")
    assert not (tmp_path / "d").exists()


def test_sessions_run_with_a_data_dir_are_recorded_and_read_back(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rows = run(
        tmp_path, "0 wall sit\n30 next\n60 next\n150 next\n151 next\n", "--data-dir", str(data)
    )
    holds = [r for r in rows if r["type"] == "hold_end"]
    assert holds and holds[0]["kept"] and holds[0]["seconds"] == holds[0]["held_s"] == 60
    (exercise,) = [r for r in rows if r["type"] == "exercise"]
    assert exercise["id"] == "wallsit_bodyweight" and exercise["name"] == "Wall Sit"

    store = HistoryStore.open(data / "history.sqlite3")
    (session,) = store.sessions()
    assert session.outcome is Outcome.FINISHED
    (wall,) = session.exercises
    assert (wall.id, wall.steps_done, wall.hold_s, wall.finished) == (
        "wallsit_bodyweight",
        4,
        60,
        True,
    )
    store.close()

    rows = run(tmp_path, "0 what did I do last time\n", "--data-dir", str(data))
    lines = [r["text"] for r in rows if r["type"] == "say"]
    assert any(
        line.startswith("Earlier today, you did Wall Sit with 4 steps and a hold of 1 minute")
        for line in lines
    ), lines
    # A session where nothing was done is not recorded.
    store = HistoryStore.open(data / "history.sqlite3")
    assert len(store.sessions()) == 1


def test_a_hold_cut_short_is_recorded_with_the_seconds_held(tmp_path: Path) -> None:
    rows = run(
        tmp_path, "0 wall sit\n30 next\n60 next\n100 stop\n", "--data-dir", str(tmp_path / "d")
    )
    start = next(r["t"] for r in rows if r["type"] == "state" and r["state"] == "holding")
    (cut,) = [r for r in rows if r["type"] == "hold_end"]
    assert not cut["kept"] and cut["held_s"] == pytest.approx(100 - start, abs=0.05)
    store = HistoryStore.open(tmp_path / "d" / "history.sqlite3")
    (session,) = store.sessions()
    assert session.outcome is Outcome.STOPPED
    assert session.exercises[0].hold_s == pytest.approx(100 - start, abs=0.05)


def test_a_session_from_a_recording_is_recorded_and_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`coach run --audio-in WAV --data-dir D`, then `coach history --json`: the
    whole path a user's spoken session takes into the history."""
    if shutil.which("flite") is None:
        pytest.skip("needs flite")
    script = compose([UserLine(1.0, "wall sit")], [Voice("flite", "slt")], tail_s=40.0, noise_rms=0)
    wav = write_wav(tmp_path / "user.wav", script.pcm)
    data = tmp_path / "data"
    args = ["run", "--audio-in", str(wav), "--fast", "--tts", "captions", "--data-dir", str(data)]
    assert main(args) == 0
    capsys.readouterr()
    assert main(["history", "--json", "--data-dir", str(data)]) == 0
    (session,) = json.loads(capsys.readouterr().out)
    assert session["outcome"] == "stopped" and session["routine"] is None
    (exercise,) = session["exercises"]
    assert (exercise["id"], exercise["steps_done"]) == ("wallsit_bodyweight", 1)
