"""The simulator's wiring with fake parts: echo mixing, cancellation, event files, scripts."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from tests.test_loop import FakeCountdown, FakeSpeaker, ScriptedListener
from tests.test_session import FakeCatalog
from voice.audio import FRAME_SAMPLES, SAMPLE_RATE, Frame
from voice.audio.sources import PcmSource
from voice.coaching.assemble import JsonLines, SessionOptions, assemble
from voice.errors import AudioError
from voice.events import Said, StepStarted
from voice.intents import Command, Intent
from voice.listening.echo import EchoSettings
from voice.speaking.outputs import check_writable
from voice.testing.simulate import UserLine, compose


class FakeOut:
    """A timeline: each line plays white noise of its length until stopped."""

    def __init__(self) -> None:
        self.buffer = np.zeros(SAMPLE_RATE * 120, dtype=np.int16)

    def play(self, pcm, t: float) -> None:
        i = round(t * SAMPLE_RATE)
        self.buffer[i:] = 0
        self.buffer[i : i + len(pcm)] = pcm[: len(self.buffer) - i]

    def stop(self, t: float) -> None:
        self.buffer[round(t * SAMPLE_RATE) :] = 0

    def played(self, t: float, n: int):
        i = max(0, round(t * SAMPLE_RATE))
        return self.buffer[i : i + n].copy()

    def close(self) -> None:
        pass


class NoiseSpeaker(FakeSpeaker):
    """The fake speaker, but its lines are audible noise on a `FakeOut`."""

    def __init__(self, clock, out: FakeOut) -> None:
        super().__init__(clock)
        self.out = out
        self.rng = np.random.default_rng(0)

    def stop(self) -> None:
        super().stop()
        self.out.stop(self.clock.now())

    def update(self):
        events = super().update()
        for e in events:
            if isinstance(e, Said) and self.line is not None:
                n = round((self.line[1] - e.t) * SAMPLE_RATE)
                self.out.play((self.rng.standard_normal(n) * 3000).astype(np.int16), e.t)
        return events


class EnergyListener(ScriptedListener):
    """Scripted, and it remembers how loud each frame it was fed is."""

    def __init__(self, script) -> None:
        super().__init__(script)
        self.levels: list[float] = []

    def feed(self, frame: Frame):
        self.levels.append(float(np.sqrt(np.mean(frame.pcm.astype(np.float64) ** 2))))
        return super().feed(frame)


class FakeParts:
    def __init__(self, script) -> None:
        self.the_listener = EnergyListener(script)
        self.out = FakeOut()

    def audio_out(self):
        return self.out

    def speaker(self, out, clock):
        return NoiseSpeaker(clock, out)

    def countdown(self, speaker, clock):
        return FakeCountdown(clock)

    def listener(self):
        return self.the_listener

    def sink(self):
        return None


def _session(echo_gain: float, cancel: bool):
    parts = FakeParts([(0.5, "plank", Command(Intent.START, "plank_bodyweight"))])
    stream = io.StringIO()
    options = SessionOptions(echo_gain=echo_gain, echo=EchoSettings(cancel=cancel))
    silence = np.zeros(SAMPLE_RATE * 10, dtype=np.int16)
    coach = assemble(FakeCatalog(), parts, options, sinks=[JsonLines(stream)])
    result = coach.run(PcmSource(silence))
    return parts, result, stream.getvalue()


def test_echo_reaches_the_listener_and_the_canceller_takes_it_off():
    quiet, _, _ = _session(0.0, cancel=False)
    echoed, _, _ = _session(0.5, cancel=False)
    cancelled, _, _ = _session(0.5, cancel=True)
    loud = np.mean(echoed.the_listener.levels)
    assert np.mean(quiet.the_listener.levels) == 0
    assert loud > 100
    # Once the filter has converged (after the first second of speech), most echo is gone.
    echo_levels = np.array(echoed.the_listener.levels)
    speaking = np.flatnonzero(echo_levels > 0)
    later = speaking[speaking > speaking[0] + 50]
    before = np.sum(np.square(echo_levels[later]))
    after = np.sum(np.square(np.array(cancelled.the_listener.levels)[later]))
    assert 10 * np.log10(before / after) > 10


def test_events_file_is_json_lines_in_time_order():
    _, result, text = _session(0.0, cancel=False)
    rows = [json.loads(line) for line in text.splitlines()]
    assert len(rows) == len(result.events)
    assert [r["t"] for r in rows] == sorted(r["t"] for r in rows)
    assert rows[0] == {"t": 0.0, "type": "state", "state": "waiting"}
    kinds = {r["type"] for r in rows}
    assert {"heard", "say", "say_end", "step", "state", "tick"} <= kinds
    assert any(isinstance(e, StepStarted) for e in result.events)


def test_check_writable(tmp_path):
    check_writable(tmp_path / "ok.wav", "--speak-to")
    with pytest.raises(AudioError, match="does not exist"):
        check_writable(tmp_path / "missing" / "x.wav", "--speak-to")
    with pytest.raises(AudioError, match="is a folder"):
        check_writable(tmp_path, "--speak-to")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        import os

        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        with pytest.raises(AudioError, match="cannot write"):
            check_writable(locked / "x.wav", "--speak-to")
    finally:
        locked.chmod(0o700)


def test_compose_places_lines_after_their_pauses():
    pytest.importorskip("shutil").which("flite") or pytest.skip("needs flite")
    from voice.testing.voices import Voice

    script = compose(
        [UserLine(1.0, "next"), UserLine(2.0, "stop")],
        [Voice("flite", "slt")],
        tail_s=1.0,
        noise_rms=0,
    )
    first, second = script.lines
    assert first.start_s == pytest.approx(1.0)
    assert second.start_s == pytest.approx(first.end_s + 2.0)
    assert len(script.pcm) == pytest.approx((second.end_s + 1.0) * SAMPLE_RATE, abs=2)
    assert not script.pcm[: FRAME_SAMPLES * 40].any()
