"""The frame loop against small fakes: timing, barge-in, holds, idle reminders, the end."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tests.test_session import FakeCatalog
from voice.audio import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, Frame
from voice.audio.sources import PcmSource
from voice.clock import VirtualClock
from voice.coaching.loop import Chain, CoachLoop, EventLog
from voice.coaching.session import Session, SessionSettings
from voice.coaching.stages import EventBus, FollowState, Outputs
from voice.events import Event, Heard, Ignored, Said, SayEnd, StateChanged, StepStarted, Tick
from voice.guides.model import Hold
from voice.intents import Command, Intent
from voice.listening.context import Context
from voice.listening.echo import EchoCancel, EchoSettings
from voice.listening.own_voice import OwnVoiceFilter
from voice.listening.utterance import Utterance
from voice.speaking.outputs import TimelineOut


class FakeSpeaker:
    """Lines last 0.1 s a word; `stop` cuts at once."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.queue: list[str] = []
        self.line: tuple[str, float] | None = None  # text, end time
        self.pending: list[Event] = []

    def say(self, text: str) -> None:
        self.queue.append(text)

    def stop(self) -> None:
        now = self.clock.now()
        if self.line is not None:
            self.pending.append(SayEnd(now, self.line[0], True))
            self.line = None
        self.queue.clear()

    def update(self) -> list[Event]:
        now = self.clock.now()
        while True:
            if self.line is not None and now >= self.line[1]:
                self.pending.append(SayEnd(self.line[1], self.line[0], False))
                self.line = None
            if self.line is None and self.queue:
                text = self.queue.pop(0)
                self.line = (text, now + 0.1 * len(text.split()))
                self.pending.append(Said(now, text))
                continue
            break
        out, self.pending = self.pending, []
        return out

    @property
    def speaking(self) -> bool:
        return self.line is not None or bool(self.queue)

    @property
    def current_text(self) -> str | None:
        return self.line[0] if self.line else None

    @property
    def busy_until(self) -> float | None:
        if self.queue:
            return float("inf")
        return self.line[1] if self.line else None

    def prepare(self, texts: Sequence[str]) -> None:
        pass

    def close(self) -> None:
        pass


class FakeCountdown:
    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.end: float | None = None
        self.frozen: float | None = None
        self.next_tick = 0.0
        self.done = False

    def start(self, hold: Hold, cues: Sequence[str], *, at: float | None = None) -> None:
        self._run(hold.seconds, at)

    def start_reps(
        self, reps: int, rep_s: float, *, each_side: bool = False, at: float | None = None
    ) -> None:
        self._run(reps * rep_s * (2 if each_side else 1), at)

    def start_rest(self, seconds: float, announce: str, *, at: float | None = None) -> None:
        self._run(seconds, at)

    def _run(self, seconds: float, at: float | None) -> None:
        start = self.clock.now() if at is None else at
        self.end = start + seconds
        self.next_tick = start + 1
        self.frozen, self.done = None, False

    def extend(self, seconds: float) -> bool:
        if self.end is None:
            return False
        self.end += seconds
        return True

    @property
    def ended_at(self) -> float | None:
        return None

    def pause(self) -> None:
        if self.end is not None and self.frozen is None:
            self.frozen = self.end - self.clock.now()

    def resume(self) -> None:
        if self.frozen is not None:
            self.end = self.clock.now() + self.frozen
            self.next_tick = self.clock.now() + 1
            self.frozen = None

    def cancel(self) -> None:
        self.end, self.frozen, self.done = None, None, False

    def update(self) -> list[Event]:
        if self.end is None or self.frozen is not None:
            return []
        ticks = []
        while self.next_tick <= min(self.clock.now(), self.end):
            ticks.append(Tick(self.next_tick, round(self.end - self.next_tick)))
            self.next_tick += 1
        if self.clock.now() >= self.end:
            self.end, self.done = None, True
        return ticks

    @property
    def remaining(self) -> float | None:
        if self.frozen is not None:
            return self.frozen
        return None if self.end is None else max(0.0, self.end - self.clock.now())

    @property
    def finished(self) -> bool:
        return self.done

    @property
    def paused(self) -> bool:
        return self.frozen is not None


class ScriptedListener:
    """Hears given commands at given times (decided 0.3 s after they end)."""

    def __init__(self, script: Sequence[tuple[float, str, Command | None]]) -> None:
        self.script = list(script)
        self.contexts: list[Context] = []

    def expect(self, context: Context) -> None:
        self.contexts.append(context)

    def feed(self, frame: Frame) -> list[Utterance]:
        out = []
        while self.script and self.script[0][0] + 0.3 <= frame.t + FRAME_S:
            end, text, command = self.script.pop(0)
            out.append(Utterance(end - 0.4, end, frame.t + FRAME_S, text, command, 0.9))
        return out

    def flush(self) -> list[Utterance]:
        return []


def fake_chain(listener, *, auto=False, own_voice=None):
    """The chain on fakes: a scripted listener, a speaker and countdown on the clock."""
    clock = VirtualClock()
    log = EventLog()
    session = Session(FakeCatalog(), SessionSettings(auto=auto))
    outputs = Outputs(FakeSpeaker(clock), FakeCountdown(clock))
    bus = EventBus(log.write)
    chain = Chain(clock, session, outputs, bus, listener=listener, own_voice=own_voice)
    if listener is not None:
        bus.subscribe(FollowState(listener, session.state.value))
    if own_voice is not None:
        bus.subscribe(own_voice.observe)
    return chain, log


def run(script, seconds: float, *, auto=False, own_voice=None):
    chain, log = fake_chain(ScriptedListener(script), auto=auto, own_voice=own_voice)
    loop = CoachLoop(chain)
    loop.run(PcmSource(np.zeros(round(seconds * SAMPLE_RATE), dtype=np.int16)))
    return log, loop.chain


def said_after(log: EventLog, t: float) -> str:
    return next(e.text for e in log.of(Said) if e.t >= t)


def test_greets_and_starts_an_exercise_on_command():
    log, _ = run([(1.0, "plank", Command(Intent.START, "plank_bodyweight"))], 10)
    assert log.of(Said)[0].text.startswith("Say the name of an exercise")
    heard = log.of(Heard)
    assert [(h.intent, h.arg) for h in heard] == [("start", "plank_bodyweight")]
    assert said_after(log, 1.3).startswith("Plank, bodyweight.")
    # The answer starts on the frame the command was decided.
    assert abs(next(e.t for e in log.of(Said) if "Plank" in e.text) - 1.3) < FRAME_S + 1e-9
    steps = log.of(StepStarted)
    assert steps and steps[0].index == 0
    intro_end = next(e.t for e in log.of(SayEnd) if e.text.startswith("Plank"))
    assert abs(steps[0].t - intro_end) <= FRAME_S + 1e-9


def test_hold_counts_after_the_step_then_waits():
    log, loop = run([(0.5, "plank", Command(Intent.START, "plank_bodyweight"))], 45)
    ticks = log.of(Tick)
    assert len(ticks) == 30
    step_read_end = next(e.t for e in log.of(SayEnd) if e.text.startswith("Step 1"))
    assert abs(ticks[0].t - (step_read_end + 1)) < 0.05
    assert [e.state for e in log.of(StateChanged)][-2:] == ["holding", "ready"]
    assert loop.session.step_index == 0  # waits for "next"


def test_barge_in_cuts_the_line_on_the_decision_frame():
    script = [
        (0.5, "plank", Command(Intent.START, "plank_bodyweight")),
        (2.0, "next", Command(Intent.NEXT)),
    ]
    log, _ = run(script, 6)
    cut = [e for e in log.of(SayEnd) if e.interrupted and e.t > 1]
    assert cut[0].text.startswith("Step 1") and abs(cut[0].t - 2.3) < FRAME_S + 1e-9
    assert said_after(log, 2.3).startswith("Step 2 of 4")


def test_next_over_the_introduction_goes_to_step_one():
    script = [
        (0.5, "plank", Command(Intent.START, "plank_bodyweight")),
        (0.7, "next", Command(Intent.NEXT)),
    ]
    log, _ = run(script, 3)
    assert said_after(log, 1.0).startswith("Step 1 of 4")


def test_pause_resume_and_time_left_in_a_hold():
    script = [
        (0.5, "plank", Command(Intent.START, "plank_bodyweight")),
        (10.0, "pause", Command(Intent.PAUSE)),
        (15.0, "how long", Command(Intent.TIME_LEFT)),
        (16.0, "resume", Command(Intent.RESUME)),
    ]
    log, _ = run(script, 60)
    answer = said_after(log, 15.3)
    left = int(answer.split()[0])
    ticks_before_pause = [t for t in log.of(Tick) if t.t <= 10.3]
    assert (
        left == ticks_before_pause[-1].remaining_s - 1
        or abs(left - ticks_before_pause[-1].remaining_s) <= 1
    )
    assert not [t for t in log.of(Tick) if 10.4 < t.t < 16.3]
    assert len(log.of(Tick)) >= 28


def test_idle_reminders_while_waiting():
    log, _ = run([], 200)
    reminders = [e.t for e in log.of(Said)]
    # Greeting at 0, reminders 30 s after it ended, then 60 s, then 120 s apart.
    assert len(reminders) == 3
    gaps = np.diff(reminders)
    assert 30 < gaps[0] < 32 and 60 < gaps[1] < 62


def test_auto_advances_through_the_exercise():
    log, loop = run([(0.5, "hip", Command(Intent.START, "hipthrust_dumbbell"))], 60, auto=True)
    assert [s.index for s in log.of(StepStarted)] == [0, 1, 2, 3]
    assert loop.session.state.value == "finished"


def test_quit_ends_after_the_goodbye():
    script = [(0.5, "quit", Command(Intent.QUIT))]
    log, _ = run(script, 30)
    assert log.of(Said)[-1].text == "See you later."
    assert log.events[-1].t < 2.0


def test_input_end_lets_the_line_finish():
    script = [(0.5, "plank", Command(Intent.START, "plank_bodyweight"))]
    log, _ = run(script, 1.0)
    ends = log.of(SayEnd)
    assert ends[-1].t > 1.0 and not ends[-1].interrupted


def test_echo_guard_ignores_the_coach_own_words():
    # "next" heard while the coach says a line containing "next": taken for echo.
    script = [
        (0.5, "hip", Command(Intent.START, "hipthrust_dumbbell")),
        (60.0, "next", Command(Intent.NEXT)),  # after the 30 s reminder, which says "next"
    ]
    guard = OwnVoiceFilter(EchoSettings(cancel=False))
    log, _ = run(script, 70, own_voice=guard)
    reminder = next(e for e in log.of(Said) if "when you're ready" in e.text)
    assert reminder.t < 59.6
    # The reminder is short; a "next" during it is ignored, one outside it obeyed.
    assert not log.of(Ignored) or all(i.intent == "next" for i in log.of(Ignored))


def test_echo_guard_unit_overlap_rule():
    guard = OwnVoiceFilter(EchoSettings(cancel=False))
    guard.observe(Said(10.0, "Say 'next' when you're ready."))
    guard.observe(SayEnd(12.0, "Say 'next' when you're ready.", False))
    during = Utterance(11.0, 11.4, 11.7, "next", Command(Intent.NEXT), 0.9)
    after = Utterance(13.0, 13.4, 13.7, "next", Command(Intent.NEXT), 0.9)
    other = Utterance(11.0, 11.4, 11.7, "stop", Command(Intent.STOP), 0.9)
    assert guard.reject(during) is not None
    assert guard.reject(after) is None
    assert guard.reject(other) is None


def test_echo_canceller_takes_echo_off():
    rng = np.random.default_rng(1)
    far = (rng.standard_normal(SAMPLE_RATE * 4) * 3000).astype(np.int16)
    played = TimelineOut(keep_s=None)
    played.play(far, 0.0)
    stage = EchoCancel(played, EchoSettings(cancel=True, own_words=False))
    echo = (0.5 * far).astype(np.int16)
    before = after = 0.0
    for i in range(0, len(far) - FRAME_SAMPLES, FRAME_SAMPLES):
        out = stage.clean(Frame(i / SAMPLE_RATE, echo[i : i + FRAME_SAMPLES])).pcm
        if i > SAMPLE_RATE * 2:  # after the filter converged
            before += float(np.sum(echo[i : i + FRAME_SAMPLES].astype(np.float64) ** 2))
            after += float(np.sum(out.astype(np.float64) ** 2))
    assert 10 * np.log10(before / after) > 10


def test_echo_guard_near_match_of_a_line():
    guard = OwnVoiceFilter(EchoSettings(cancel=False))
    guard.observe(Said(10.0, "And release."))
    guard.observe(SayEnd(10.8, "And release.", False))
    heard = Utterance(10.1, 10.7, 11.0, "the band please", Command(Intent.CHOOSE, "band"), 0.8)
    assert guard.reject(heard) is not None
    exact_only = OwnVoiceFilter(EchoSettings(cancel=False, similarity=None))
    exact_only.observe(Said(10.0, "And release."))
    assert exact_only.reject(heard) is None
    # A real command over an unrelated line still goes through.
    guard.observe(Said(20.0, "Step 3 of 4: Hold the Wall Sit."))
    stop = Utterance(20.5, 20.9, 21.2, "stop", Command(Intent.STOP), 0.9)
    assert guard.reject(stop) is None
