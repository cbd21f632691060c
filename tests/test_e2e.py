"""End to end: a user's voice, synthesized at test time, steers a whole simulated session.

Each script is spoken by two synthetic voices in turn, with quiet pink noise
throughout, and run through the same code as `coach run --audio-in --fast`:
the real listener, session, speaker (to a timeline) and countdown. The checks
are what a user would notice: what was heard, which steps were read, and what
the coach said after each command, with and without its own voice echoing
back into the microphone.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from voice.audio import SAMPLE_RATE
from voice.audio.sources import read_wav
from voice.coaching.assemble import RealParts, SessionOptions, assemble
from voice.coaching.session import SessionSettings
from voice.events import Heard, Said, SayEnd, StepStarted
from voice.guides.library import load_library
from voice.testing.simulate import (
    SimulatedUser,
    Turn,
    UserLine,
    after_quiet,
    compose,
    converse,
    while_talking,
)
from voice.testing.voices import Voice, write_wav

pytestmark = pytest.mark.skipif(shutil.which("flite") is None, reason="needs flite")

VOICES = (Voice("flite", "slt"), Voice("flite", "awb"))

GUIDES = {
    "hipthrust_bodyweight.md": """---
description: "Lift the hips from the floor with the upper back on a bench. It works the glutes."
---

## Key Points
- Keep the chin tucked.

<!-- howto -->

### Set Up
Sit on the floor with your upper back on a bench and your feet flat.

### Lift
Press through your heels and raise your hips until your body is level.

### Lower
Bring your hips down slowly under control.
""",
    "hipthrust_dumbbell.md": """---
description: "The hip thrust with a dumbbell resting on the hips."
---

<!-- howto -->

### Set Up
Sit against a bench with a dumbbell on your hips.

### Lift
Raise your hips until your body is level.
""",
    "wallsit_bodyweight.md": """---
description: "Sit against a wall as if on a chair."
---

<!-- howto -->

### Sit
Lean your back on a wall, slide down until your knees are bent and hold for 5 seconds.

### Stand Up
Press into the wall and slide back up.
""",
}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    folder = tmp_path_factory.mktemp("guides")
    for name, text in GUIDES.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = load_library([folder])
    assert not result.errors, result.errors
    return result.library


def converse_with(library, turns, echo_gain=0.0, seed=0, tail_s=6.0, auto=False):
    options = SessionOptions(session=SessionSettings(auto=auto), echo_gain=echo_gain)
    coach = assemble(library, RealParts(library), options)
    user = SimulatedUser(turns, VOICES, tail_s=tail_s, seed=seed)
    return user, converse(coach, user)


def heard(result):
    return [(e.intent, e.arg) for e in result.events if isinstance(e, Heard) and e.intent]


def answers(result):
    """What the coach said after each command heard, up to the next one (lines joined)."""
    decided = [e.t for e in result.events if isinstance(e, Heard) and e.intent]
    bounds = [*decided, float("inf")]
    return [
        " ".join(e.text for e in result.events if isinstance(e, Said) and a <= e.t < b)
        for a, b in itertools.pairwise(bounds)
    ]


# The user waits for the coach to finish before answering, as people do; a line
# the coach did not act on is said again (at most twice), as people do too.
STEERING = [
    Turn("hip thrust", after_quiet(0.5)),
    Turn("bodyweight", after_quiet(0.5)),
    Turn("next", after_quiet(1.0)),
    Turn("repeat", after_quiet(1.0)),
    Turn("stop", while_talking(1.0, "Press through")),
]


@pytest.mark.parametrize("echo_gain", [0.0, 0.5])
def test_steering_a_session_by_voice(library, echo_gain):
    user, result = converse_with(library, STEERING, echo_gain=echo_gain)
    assert heard(result) == [
        ("start", "Hip Thrust"),
        ("choose", "bodyweight"),
        ("next", None),
        ("repeat", None),
        ("stop", None),
    ]
    said = answers(result)
    assert said[0] == "Hip Thrust: bodyweight or dumbbell?"
    assert said[1].startswith("Hip Thrust, bodyweight. Lift the hips")
    assert "Step 1 of 3: Set Up." in said[1]
    assert said[2].startswith("Step 2 of 3: Lift. Press through your heels")
    assert said[3].startswith("Step 2 of 3: Lift. Press through your heels")
    assert said[4].startswith("Stopped Hip Thrust.")
    steps = [(e.index, e.title) for e in result.events if isinstance(e, StepStarted)]
    assert steps == [(0, "Set Up"), (1, "Lift"), (1, "Lift")]
    # "stop" was said over the coach, and cut it short.
    stop = user.spoken[-1]
    assert stop.over_coach
    cut = [
        e for e in result.events if isinstance(e, SayEnd) and e.interrupted and e.t > stop.start_s
    ]
    assert cut and cut[0].t - stop.end_s < 0.5
    # Every answer began within half a second of the end of the line it answers.
    decided = [e.t for e in result.events if isinstance(e, Heard) and e.intent]
    acted = [s for s in user.spoken if any(s.end_s <= t <= s.end_s + 1.0 for t in decided)]
    assert len(acted) == 5
    for line in acted:
        first = min(e.t for e in result.events if isinstance(e, Said) and e.t >= line.end_s)
        assert first - line.end_s < 0.5
    assert sum(s.attempt > 0 for s in user.spoken) <= 2, "too many repeats needed"


def acted_on(user, result):
    """(line said, heard event) for each line the coach acted on."""
    pairs = []
    for e in result.events:
        if isinstance(e, Heard) and e.intent:
            overlap = [min(s.end_s, e.end_s) - max(s.start_s, e.start_s) for s in user.spoken]
            pairs.append((user.spoken[overlap.index(max(overlap))], e))
    return pairs


def test_barge_in_cuts_the_coach_short(library):
    turns = [Turn("wall sit", after_quiet(0.5)), Turn("stop", while_talking(0.8), retries=3)]
    user, result = converse_with(library, turns, echo_gain=0.5)
    assert heard(result) == [("start", "wallsit_bodyweight"), ("stop", None)]
    line, stop = acted_on(user, result)[-1]
    assert line.over_coach
    cut = next(
        e for e in result.events if isinstance(e, SayEnd) and e.interrupted and e.t >= line.start_s
    )
    assert cut.t == stop.t  # on the frame it was decided
    assert cut.t - line.end_s < 0.5
    assert answers(result)[-1].startswith("Stopped Wall Sit.")


def test_a_step_with_a_hold_counts_it_then_waits(library):
    _, result = converse_with(library, [Turn("wall sit", after_quiet(0.5))], tail_s=25.0)
    assert heard(result) == [("start", "wallsit_bodyweight")]
    ticks = [e for e in result.events if e.type == "tick"]
    assert [round(t.remaining_s) for t in ticks] == [4, 3, 2, 1, 0]
    assert [round(b.t - a.t, 3) for a, b in itertools.pairwise(ticks)] == [1.0] * 4
    assert [e.index for e in result.events if isinstance(e, StepStarted)] == [0]
    states = [e.state for e in result.events if e.type == "state"]
    assert states == ["waiting", "intro", "reading", "holding", "ready"]
    said = [e.text for e in result.events if isinstance(e, Said)]
    assert said[-1] == "And release."


def test_silence_and_noise_only_gets_reminders_not_commands(library):
    _, result = converse_with(library, [], echo_gain=0.5, tail_s=100.0)
    assert heard(result) == []
    reminders = [e for e in result.events if isinstance(e, Said)]
    assert len(reminders) >= 2  # the greeting, then a reminder now and then


def test_coach_run_gives_the_same_session_from_a_file(library, tmp_path):
    """`coach run --audio-in --fast` on the user's side of a simulated session gives
    that session's events again: the command line is the same code path."""
    user, result = converse_with(library, STEERING[:3], echo_gain=0.5, tail_s=3.0)
    wav = write_wav(tmp_path / "user.wav", np.concatenate(user.recording))
    folder = Path(library.guides[0].path).parent
    events = tmp_path / "events.jsonl"
    coach = tmp_path / "coach.wav"
    cmd = [sys.executable, "-m", "voice", "run", "--exercises", str(folder)]
    cmd += ["--audio-in", str(wav), "--speak-to", str(coach), "--events", str(events)]
    cmd += ["--fast", "--echo", "0.5"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    rows = [_rounded(json.loads(line)) for line in events.read_text().splitlines()]
    assert {"heard", "say", "say_end", "step", "state"} <= {r["type"] for r in rows}
    assert rows == [_rounded(e.to_json()) for e in result.events]
    # The coach's voice file covers the session on the same timeline.
    last = max(r["t"] for r in rows)
    assert abs(len(read_wav(coach)) / SAMPLE_RATE - last) < 0.1


def _rounded(row):
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}


def test_speak_to_a_missing_folder_fails_before_the_session(tmp_path):
    cmd = [sys.executable, "-m", "voice", "run", "--audio-in", str(tmp_path / "x.wav")]
    cmd += ["--speak-to", str(tmp_path / "nope" / "coach.wav"), "--fast"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1 and "does not exist" in done.stderr


def test_no_valid_guides_is_one_clear_message(tmp_path):
    (tmp_path / "bad.md").write_text("nothing here\n")
    cmd = [sys.executable, "-m", "voice", "run", "--exercises", str(tmp_path), "--text"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, input="")
    assert done.returncode != 0
    assert "no valid exercise guides" in done.stderr and "Traceback" not in done.stderr


def test_live_without_a_microphone_says_how_to_run(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "voice", "run"], capture_output=True, text=True, timeout=60
    )
    if done.returncode == 0:
        pytest.skip("this machine has a microphone")
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "--text" in lines[0] and "--audio-in" in lines[0]


def test_chatter_and_noise_never_crash_the_session(library):
    chatter = [
        Turn("I think I will make some coffee after this", after_quiet(2.0), retries=0),
        Turn("did you see the game last night", after_quiet(3.0), retries=0),
        Turn("wall sit", after_quiet(1.0)),
        Turn("my knees are a bit sore today honestly", after_quiet(1.0), retries=0),
    ]
    user, result = converse_with(library, chatter, echo_gain=0.5, tail_s=40.0)
    kinds = {e.type for e in result.events}
    assert "heard" in kinds and "say" in kinds
    assert ("start", "wallsit_bodyweight") in heard(result)
    assert result.events[-1].t >= user.spoken[-1].end_s


def test_typed_commands(library, tmp_path):
    folder = Path(library.guides[0].path).parent
    events = tmp_path / "events.jsonl"
    cmd = [sys.executable, "-m", "voice", "run", "--exercises", str(folder), "--text"]
    cmd += ["--events", str(events)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, input="wal sit\nnxet\n")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in events.read_text().splitlines()]
    typed = [(r["intent"], r["arg"]) for r in rows if r["type"] == "heard"]
    # The end of input means "quit": the coach says goodbye and leaves.
    assert typed == [("start", "wallsit_bodyweight"), ("next", None), ("quit", "now")]
    assert [r["text"] for r in rows if r["type"] == "say"][-1] == "See you later."
    assert "See you later." in done.stdout


def test_fast_and_real_time_give_the_same_events(library, tmp_path):
    # "stop" over the greeting: short, so little is left to play out in real time.
    script = compose([UserLine(0.5, "stop")], VOICES, tail_s=1.0)
    wav = write_wav(tmp_path / "user.wav", script.pcm)
    folder = Path(library.guides[0].path).parent
    outputs = []
    for speed in (["--fast"], []):
        events = tmp_path / f"events{len(outputs)}.jsonl"
        cmd = [sys.executable, "-m", "voice", "run", "--exercises", str(folder), "--audio-in"]
        cmd += [str(wav), "--events", str(events), "--speak-to", str(tmp_path / "c.wav"), *speed]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        outputs.append(events.read_text())
    assert outputs[0] == outputs[1]
    assert '"type": "say"' in outputs[0]
