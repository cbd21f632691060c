"""`coach hear --text` and the typed coach read a line the same way.

Both build their vocabulary with `Vocabulary.from_library`, so a typed line gives
the same intent and `arg` in `coach hear --text` as in `coach run --text`'s
`heard` events; a name shared by equipment variants is the group's name in both,
and the session asks which equipment.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.test_loop import FakeCountdown, FakeSpeaker
from voice.audio import SAMPLE_RATE, Frame
from voice.audio.format import frames_of
from voice.cli import main
from voice.clock import Clock, VirtualClock
from voice.coaching.assemble import SessionOptions, assemble
from voice.coaching.session import QUIT_NOW
from voice.coaching.stages import Countdown, EventSink, Listener
from voice.coaching.typed import LiveTyping
from voice.commands import Vocabulary
from voice.events import Heard, Said
from voice.guides.library import Library, load_library
from voice.intents import Command, Intent
from voice.speaking.outputs import TimelineOut
from voice.speaking.speaker import AudioOut, Speaker

COMMANDS = [
    "hip thrusts",
    "bodyweight",
    "how long is left",
    "what's next",
    "go back one",
    "say it again",
    "stop please",
    "let's do the wall sit",
    "stop it",
]
"""Typed lines that are all commands, in an order the session can follow."""


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library().library


class FakeParts:
    """Typed-coach edges: no listener, instant fake voice and countdown."""

    def __init__(self) -> None:
        self.clock: VirtualClock | None = None

    def audio_out(self) -> AudioOut:
        return TimelineOut()

    def speaker(self, out: AudioOut, clock: Clock) -> Speaker:
        assert isinstance(clock, VirtualClock)
        return FakeSpeaker(clock)

    def countdown(self, speaker: Speaker, clock: Clock) -> Countdown:
        assert isinstance(clock, VirtualClock)
        return FakeCountdown(clock)

    def listener(self) -> Listener:
        raise AssertionError("the typed coach has no listener")

    def sink(self) -> EventSink | None:
        return None


class Typist:
    """Silent frames, with one typed line handed on every `gap_s`, the way a person
    types them (all at once, each would cut the answer to the last)."""

    def __init__(self, typed: list[tuple[str, Command]], gap_s: float = 3.0) -> None:
        self.pending = list(typed)
        self.gap_s = gap_s
        self.next_s = gap_s

    def frames(self) -> Iterator[Frame]:
        seconds = self.gap_s * (len(self.pending) + 1)
        yield from frames_of(np.zeros(round(seconds * SAMPLE_RATE), dtype=np.int16))

    def due(self, now: float) -> list[tuple[str, Command]]:
        if not self.pending or now < self.next_s:
            return []
        self.next_s += self.gap_s
        return [self.pending.pop(0)]

    def close(self) -> None:
        pass


def typed_lines(library: Library, lines: list[str]) -> list[tuple[str, Command]]:
    """What `coach run --text` makes of typed lines, ending with "quit now"."""
    text = io.StringIO("".join(f"{line}\n" for line in lines))
    typing = LiveTyping(Vocabulary.from_library(library), text)
    typed: list[tuple[str, Command]] = []
    deadline = time.monotonic() + 10.0
    while (not typed or typed[-1][1] != Command(Intent.QUIT, QUIT_NOW)) and (
        time.monotonic() < deadline
    ):
        typed += typing.due(0.0)
        time.sleep(0.005)
    return typed


def typed_session(library: Library, lines: list[str], gap_s: float = 3.0) -> list[Heard | Said]:
    """The `heard` and `say` events of a typed session (`coach run --text`'s path)."""
    typist = Typist(typed_lines(library, lines), gap_s)
    options = SessionOptions(listen=False)
    coach = assemble(library, FakeParts(), options, typed=typist)
    result = coach.run(typist)
    return [e for e in result.events if isinstance(e, Heard | Said)]


def hear_text(
    capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[dict[str, object]]]:
    status = main(["hear", "--text", *args])
    out = capsys.readouterr().out
    return status, [json.loads(line) for line in out.splitlines()]


def test_hear_text_and_the_typed_coach_agree(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    status, rows = hear_text(capsys, *COMMANDS)
    assert status == 0
    heard = [(e.intent, e.arg) for e in typed_session(library, COMMANDS) if isinstance(e, Heard)]
    assert heard[-1] == ("quit", "now")  # the end of the typed input
    assert [(r["intent"], r["arg"]) for r in rows] == heard[:-1]
    assert heard[0] == ("start", "Hip Thrust")
    assert ("start", "wallsit_bodyweight") in heard


def test_a_typed_group_name_asks_which_equipment(library: Library) -> None:
    events = typed_session(library, ["hip thrusts", "dumbbell", "how long is left"])
    said = [e.text for e in events if isinstance(e, Said)]
    assert "Hip Thrust: bodyweight or dumbbell?" in said
    assert any(text.startswith("Hip Thrust, dumbbell.") for text in said)
    assert not any("I don't know" in text for text in said)


def test_hear_text_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    status, rows = hear_text(capsys, "next", "how long is left", "I like pizza")
    assert status == 0
    keys = ["file", "start_s", "end_s", "decided_s", "intent", "arg", "text", "confidence"]
    assert all(list(row) == keys for row in rows)
    assert [(r["intent"], r["text"], r["confidence"]) for r in rows] == [
        ("next", "next", 1.0),
        ("time_left", "how long is left", 1.0),
        (None, "I like pizza", 0.0),
    ]
    assert {(r["file"], r["start_s"], r["end_s"], r["decided_s"]) for r in rows} == {
        ("(typed)", 0.0, 0.0, 0.0)
    }
    assert rows[2]["arg"] is None


def test_hear_text_uses_the_exercises_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path
    source = load_library().library.get("wallsit_bodyweight")
    assert source is not None and source.path
    (folder / "wallsit_bodyweight.md").write_text(Path(source.path).read_text())
    status = main(["hear", "--exercises", str(folder), "--text", "wall sit", "plank"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 0
    assert [(r["intent"], r["arg"]) for r in rows] == [
        ("start", "wallsit_bodyweight"),
        (None, None),
    ]


def test_hear_needs_wavs_or_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hear"]) == 2
    assert "--text" in capsys.readouterr().err


def test_how_long_is_left_mid_hold_is_answered(library: Library) -> None:
    lines = ["wall sit", "next", "next", "how much time is left"]
    events = typed_session(library, lines, gap_s=6.0)
    asked = next(e.t for e in events if isinstance(e, Heard) and e.intent == "time_left")
    answer = next(e.text for e in events if isinstance(e, Said) and e.t >= asked)
    assert "second" in answer and "no hold" not in answer, answer
