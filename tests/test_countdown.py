"""Hold countdowns on the virtual clock: ticks at exactly start + k seconds whatever the
speech does, what is said for short and long holds, pause, resume, skip, and bad holds."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from voice.audio import FRAME_S, SAMPLE_RATE
from voice.clock import VirtualClock
from voice.coaching.countdown import CueKind, clamp_seconds, plan_countdown
from voice.coaching.counting import LATE_S, CountdownRunner, SpokenCountdown
from voice.events import Said, SayEnd, Tick
from voice.guides.holds import MAX_HOLD_S, SWITCH_S
from voice.guides.model import Hold
from voice.speaking.coach_speaker import CoachSpeaker
from voice.speaking.outputs import TimelineOut
from voice.speaking.synth import Synthesizer


class FixedSynth(Synthesizer):
    """Every line lasts `seconds`: 1.5 s makes every number run into the next second."""

    label = "fixed"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def synthesize(self, text: str) -> np.ndarray:
        return np.full(round(self.seconds * SAMPLE_RATE), 500, np.int16)


def hold(seconds: float, per_side: bool = False) -> Hold:
    return Hold(seconds, f"hold for {seconds} seconds", True, per_side)


def run(clock, countdown, speaker, until: float, first_frame: int):
    """The loop's order each frame: countdown, then speaker; frame times as the loop has them."""
    ticks, speech = [], []
    frame = first_frame
    while frame * FRAME_S <= until + 1e-9:
        clock.advance_to(frame * FRAME_S)
        ticks += countdown.update()
        speech += speaker.update() if speaker is not None else []
        frame += 1
    return ticks, speech, frame


@pytest.mark.parametrize("seconds", [3, 10, 30, 90])
def test_ticks_land_exactly_on_each_second(seconds: int) -> None:
    clock = VirtualClock()
    speaker = CoachSpeaker(clock, FixedSynth(0.4), TimelineOut())
    countdown = SpokenCountdown(clock, speaker)
    start_frame = 57  # a start that is not a whole second: 1.14 s
    clock.advance_to(start_frame * FRAME_S)
    start = clock.now()
    countdown.start(hold(seconds))
    ticks, _, _ = run(clock, countdown, speaker, start + seconds + 1, start_frame)
    assert [t.t for t in ticks] == [start + k for k in range(1, seconds + 1)]
    assert [t.remaining_s for t in ticks] == [float(seconds - k) for k in range(1, seconds + 1)]
    assert countdown.finished and countdown.remaining is None


def test_short_holds_count_every_second() -> None:
    plan = plan_countdown(5)
    assert [(c.at_s, c.text) for c in plan.cues] == [
        (0, "Hold."),
        (1, "Four"),
        (2, "Three"),
        (3, "Two"),
        (4, "One"),
        (5, "And release."),
    ]


def test_long_holds_say_halfway_ten_left_and_the_last_five() -> None:
    plan = plan_countdown(60, ["Keep your chin tucked.", "Breathe slowly."])
    said = {c.at_s: c.text for c in plan.cues}
    assert said[0] == "Hold." and said[30] == "Halfway." and said[50] == "10 seconds left."
    assert [said[t] for t in range(55, 61)] == [
        "Five",
        "Four",
        "Three",
        "Two",
        "One",
        "And release.",
    ]
    tips = [c for c in plan.cues if c.kind is CueKind.TIP]
    assert [c.text for c in tips] == ["Keep your chin tucked.", "Breathe slowly."]
    fixed = sorted(c.at_s for c in plan.cues if c.kind is not CueKind.TIP)
    for tip in tips:  # in a gap, with room to say it before the next cue
        after = min(t for t in fixed if t > tip.at_s)
        assert after - tip.at_s >= 7
    assert len(plan.cues) < 20  # no counting every second of a minute


def test_long_key_points_are_cut_to_a_sentence_or_left_out() -> None:
    plan = plan_countdown(
        40,
        [
            "**Squeeze** your glutes. Then some more words that go on.",
            " ".join(["word"] * 30),
        ],
    )
    tips = [c.text for c in plan.cues if c.kind is CueKind.TIP]
    assert tips == ["Squeeze your glutes."]


def test_per_side_holds_run_twice_with_a_switch() -> None:
    plan = plan_countdown(hold(4, per_side=True))
    assert plan.total_s == 4 + SWITCH_S + 4 and plan.sides == 2
    texts = [(c.at_s, c.text) for c in plan.cues]
    assert texts[:6] == [
        (0, "Hold."),
        (1, "Three"),
        (2, "Two"),
        (3, "One"),
        (4, "Switch sides."),
        (9, "Hold."),
    ]
    assert texts[-1] == (13, "And release.")


@pytest.mark.parametrize(
    ("seconds", "expected", "word"),
    [
        (0, 1, "too short"),
        (-5, 1, "too short"),
        (0.3, 1, "too short"),
        (3600, MAX_HOLD_S, "too long"),
        (math.inf, MAX_HOLD_S, "too long"),
        (math.nan, 1, "not a number"),
    ],
)
def test_bad_holds_are_clamped_with_a_note(seconds: float, expected: int, word: str) -> None:
    plan = plan_countdown(hold(seconds))
    assert plan.total_s == expected
    assert plan.note is not None and word in plan.note


def test_good_holds_have_no_note_and_whole_seconds() -> None:
    assert clamp_seconds(30) == (30, None)
    assert clamp_seconds(7.6) == (8, None)


def test_pause_and_resume_keep_the_remaining_time() -> None:
    runner = CountdownRunner(plan_countdown(30))
    runner.start(100.0)
    before = runner.update(112.3)
    assert [t.t for t in before if isinstance(t, Tick)] == [100.0 + k for k in range(1, 13)]
    runner.pause(112.3)
    assert runner.paused and runner.remaining(150.0) == pytest.approx(17.7)
    assert runner.update(150.0) == []  # nothing is due while paused
    runner.resume(200.0)
    assert runner.remaining(200.0) == pytest.approx(17.7)
    after = [t for t in runner.update(300.0) if isinstance(t, Tick)]
    # Tick 13 comes 0.7 s after the resume, then one a second; the end 17.7 s after it.
    assert [t.t for t in after] == pytest.approx([200.7 + k for k in range(18)])
    assert after[-1].remaining_s == 0.0 and runner.done


def test_pause_and_resume_through_the_spoken_countdown() -> None:
    clock = VirtualClock()
    speaker = CoachSpeaker(clock, FixedSynth(0.3), TimelineOut())
    countdown = SpokenCountdown(clock, speaker)
    countdown.start(hold(10))
    ticks, _, frame = run(clock, countdown, speaker, 4.5, 0)
    countdown.pause()
    assert countdown.paused and countdown.remaining == pytest.approx(5.5)
    more, _, frame = run(clock, countdown, speaker, 20.0, frame)
    assert more == [] and countdown.remaining == pytest.approx(5.5)
    countdown.resume()
    more, speech, _ = run(clock, countdown, speaker, 30.0, frame)
    assert [t.t for t in ticks] == [1.0, 2.0, 3.0, 4.0]
    assert [t.t for t in more] == pytest.approx([20.5, 21.5, 22.5, 23.5, 24.5, 25.5])
    said = [e.text for e in speech if isinstance(e, Said)]
    assert said == ["Five", "Four", "Three", "Two", "One", "And release."]


def test_skip_ends_the_hold_at_once() -> None:
    clock = VirtualClock()
    speaker = CoachSpeaker(clock, FixedSynth(0.3), TimelineOut())
    countdown = SpokenCountdown(clock, speaker)
    countdown.start(hold(30))
    _, _, frame = run(clock, countdown, speaker, 3.0, 0)
    countdown.skip()
    assert countdown.finished and countdown.remaining is None
    ticks, _, _ = run(clock, countdown, speaker, 10.0, frame)
    assert ticks == []


def test_cancel_forgets_the_hold() -> None:
    clock = VirtualClock()
    countdown = SpokenCountdown(clock, CoachSpeaker(clock, FixedSynth(0.3), TimelineOut()))
    countdown.start(hold(30))
    countdown.cancel()
    clock.advance_to(40.0)
    assert countdown.update() == [] and not countdown.finished and countdown.remaining is None


def test_speech_longer_than_a_second_never_shifts_a_tick() -> None:
    """Every line takes 1.5 s: the numbers collide, yet ticks and the end do not move."""
    results = {}
    for seconds in (0.2, 1.5):
        clock = VirtualClock()
        speaker = CoachSpeaker(clock, FixedSynth(seconds), TimelineOut())
        countdown = SpokenCountdown(clock, speaker)
        countdown.start(hold(10))
        ticks, speech, _ = run(clock, countdown, speaker, 15.0, 0)
        results[seconds] = (ticks, speech, countdown)
    slow_ticks, slow_speech, slow = results[1.5]
    assert slow_ticks == results[0.2][0]
    assert [t.t for t in slow_ticks] == [float(k) for k in range(1, 11)]
    # Numbers that would have run into the next one were skipped, not said late.
    numbers = {"Nine", "Eight", "Seven", "Six", "Five", "Four", "Three", "Two", "One"}
    said_numbers = [e for e in slow_speech if isinstance(e, Said) and e.text in numbers]
    assert 0 < len(said_numbers) < 9 and slow.skipped
    due = {c.text: c.at_s for c in plan_countdown(10).cues}
    for e in said_numbers:
        assert e.t - due[e.text] <= LATE_S
    # Essentials are never skipped: "And release." is said even though it waits its turn.
    assert any(isinstance(e, Said) and e.text == "And release." for e in slow_speech)
    assert sum(isinstance(e, SayEnd) for e in slow_speech) == sum(
        isinstance(e, Said) for e in slow_speech
    )


def test_a_stalled_loop_gets_ticks_at_their_scheduled_times_and_no_stale_numbers() -> None:
    clock = VirtualClock()
    speaker = CoachSpeaker(clock, FixedSynth(0.2), TimelineOut())
    countdown = SpokenCountdown(clock, speaker)
    countdown.start(hold(10))
    countdown.update()  # "Hold." at 0
    clock.advance_to(6.3)  # the loop was held up for 6.3 s
    ticks = countdown.update()
    assert [t.t for t in ticks] == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    # Each of those numbers is stale by more than LATE_S; "Four" (due at 6.0) still fits.
    assert [c.text for c in countdown.skipped] == ["Nine", "Eight", "Seven", "Six", "Five"]
    assert speaker.current_text == "Four"


def test_key_points_are_spoken_in_the_gaps_of_a_long_hold() -> None:
    clock = VirtualClock()
    speaker = CoachSpeaker(clock, FixedSynth(0.8), TimelineOut())
    countdown = SpokenCountdown(clock, speaker)
    countdown.start(hold(45), ["Keep your chin tucked.", "Breathe out."])
    _, speech, _ = run(clock, countdown, speaker, 50.0, 0)
    said = [(round(e.t, 2), e.text) for e in speech if isinstance(e, Said)]
    assert (3.0, "Keep your chin tucked.") in said and (25.0, "Breathe out.") in said


class Notes:
    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.bars: list[tuple[float | None, float]] = []

    def hold(self, remaining_s: float | None, total_s: float) -> None:
        self.bars.append((remaining_s, total_s))

    def warning(self, message: str) -> None:
        self.warnings.append(message)


def test_an_absurd_hold_is_clamped_and_the_user_told() -> None:
    clock = VirtualClock()
    notes = Notes()
    countdown = SpokenCountdown(
        clock, CoachSpeaker(clock, FixedSynth(0.2), TimelineOut()), captions=notes
    )
    countdown.start(hold(3600))
    assert notes.warnings == ["hold of 3600 seconds is too long; counting 600 s"]
    assert countdown.remaining == MAX_HOLD_S


def test_captions_follow_the_ticks_and_clear_at_the_end() -> None:
    clock = VirtualClock()
    notes = Notes()
    countdown = SpokenCountdown(
        clock, CoachSpeaker(clock, FixedSynth(0.2), TimelineOut()), captions=notes
    )
    countdown.start(hold(3))
    run(clock, countdown, None, 4.0, 0)
    assert notes.bars == [(2.0, 3.0), (1.0, 3.0), (None, 3.0)]


class PreparingSpeaker:
    def __init__(self) -> None:
        self.prepared: list[str] = []
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)

    @property
    def speaking(self) -> bool:
        return False

    @property
    def busy_until(self) -> float | None:
        return None

    def prepare(self, texts) -> None:
        self.prepared += list(texts)


def test_countdown_words_are_prepared_before_they_are_needed() -> None:
    clock = VirtualClock()
    speaker = PreparingSpeaker()
    countdown = SpokenCountdown(clock, speaker)
    assert {"Hold.", "Five", "One", "And release."} <= set(speaker.prepared)
    countdown.start(hold(40), ["Keep your chin tucked."])
    assert "Keep your chin tucked." in speaker.prepared


def test_a_plain_speaker_without_busy_until_works_too() -> None:
    clock = VirtualClock()
    speaker = PreparingSpeaker()
    countdown = SpokenCountdown(clock, speaker)
    countdown.start(hold(3))
    for frame in range(1, 200):
        clock.advance_to(frame * FRAME_S)
        countdown.update()
    assert speaker.said == ["Hold.", "Two", "One", "And release."]


def test_very_long_holds_say_the_time_left_without_crowding() -> None:
    said = {c.at_s: c.text for c in plan_countdown(90).cues}
    assert said[30] == "1 minute left." and said[45] == "Halfway."
    assert said[60] == "30 seconds left." and said[80] == "10 seconds left."
    ten_minutes = plan_countdown(600)
    texts = [c.text for c in ten_minutes.cues]
    assert "9 minutes left." in texts and "5 minutes left." not in texts  # that is halfway
    times = sorted(c.at_s for c in ten_minutes.cues)
    assert max(b - a for a, b in itertools.pairwise(times)) <= 60
