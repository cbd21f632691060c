"""A routine run by the pure session: commands and timer events in, actions out."""

from __future__ import annotations

from tests.test_session import SHORT_CORE, FakeCatalog, said
from voice.coaching.actions import (
    CancelHold,
    EndRoutine,
    EnterRoutine,
    EnterSet,
    EnterState,
    ExtendRest,
    HoldFinished,
    IdleTimeout,
    PauseHold,
    ResumeHold,
    SpeechFinished,
    StartHold,
    StartReps,
    StartRest,
    State,
)
from voice.coaching.session import Session
from voice.intents import Command, Intent

ROUTINE = SHORT_CORE


def session() -> Session:
    s = Session(FakeCatalog(routines=(ROUTINE,)))
    s.begin()
    return s


def started(s: Session, now: float = 1.0) -> list[object]:
    return list(s.handle(Command(Intent.START, "short_core"), now=now))


def holding() -> Session:
    """A session on the first set's hold."""
    s = session()
    started(s)
    s.handle(SpeechFinished())
    return s


def resting() -> Session:
    """A session in the rest after the first set."""
    s = holding()
    s.handle(HoldFinished())
    return s


def of(kind: type, actions: list[object]) -> list[object]:
    return [a for a in actions if isinstance(a, kind)]


def test_a_routine_starts_by_id_or_by_alias() -> None:
    s = session()
    actions = started(s)
    assert of(EnterRoutine, actions) == [EnterRoutine("Short Core", ("Plank", "Hip Thrust"))]
    assert not of(EnterSet, actions)  # a set begins with its timer, after this line
    text = " ".join(said(actions))
    assert text.startswith("Short Core: 2 exercises, about")
    assert "Exercise: Plank. Keep your chin tucked. Set 1 of 2: hold 30 seconds." in text
    assert s.state is State.SET
    other = session()
    other.handle(Command(Intent.START, "core routine"))
    assert other.state is State.SET and other.workout is not None


def test_the_whole_routine_with_no_commands() -> None:
    s = session()
    started(s, now=0.0)
    steps: list[object] = []
    # Plank set 1: the hold starts when its announcement ends.
    steps += s.handle(SpeechFinished())
    assert of(EnterSet, steps) == [EnterSet("Plank", 1, 2, "plank_bodyweight")]
    assert of(StartHold, steps)[0].hold.seconds == 30.0  # type: ignore[attr-defined]
    rest = s.handle(HoldFinished())
    start_rest = of(StartRest, rest)
    assert start_rest == [
        StartRest(20.0, "Rest 20 seconds. Next: Plank, set 2 of 2.", "Plank, set 2 of 2")
    ]
    assert s.state is State.RESTING
    # The rest ends: set 2 starts at once (chained), with no announcement.
    second = s.handle(HoldFinished())
    assert of(EnterSet, second) == [EnterSet("Plank", 2, 2, "plank_bodyweight")] and not said(
        second
    )
    assert of(StartHold, second)
    rest2 = s.handle(HoldFinished())
    announce = of(StartRest, rest2)[0].announce  # type: ignore[attr-defined]
    assert announce == "Rest 20 seconds. Next: Hip Thrust. Keep your chin tucked."
    reps = s.handle(HoldFinished())
    assert of(StartReps, reps) == [StartReps(5, 4.0, False)]
    assert s.state is State.REPS
    end = s.handle(HoldFinished(), now=200.0)
    assert of(EndRoutine, end) == [EndRoutine(3, 0, True, 200.0)]
    assert s.state is State.FINISHED
    assert said(end)[0].startswith(
        "That's the routine complete: 2 exercises, 3 sets in 3 minutes 20 seconds."
    )


def test_pause_in_rest_stops_the_timer_and_resume_picks_it_up() -> None:
    s = resting()
    assert s.state is State.RESTING
    paused = s.handle(Command(Intent.PAUSE))
    assert of(PauseHold, paused) and s.state is State.PAUSED
    assert s.idle_after_s is not None  # a pause waits for the user, with reminders
    resumed = s.handle(Command(Intent.RESUME))
    assert said(resumed) == ["Picking up where we left off."]
    # The timer goes on once that is said, so the line never covers a count.
    assert not of(ResumeHold, resumed) and s.state is State.PAUSED
    going = s.handle(SpeechFinished())
    assert of(ResumeHold, going) and s.state is State.RESTING


def test_pause_while_resume_is_answered_stays_paused() -> None:
    s = resting()
    s.handle(Command(Intent.PAUSE))
    s.handle(Command(Intent.RESUME))
    again = s.handle(Command(Intent.PAUSE))
    assert said(again) == ["Taking a break."]
    assert s.handle(SpeechFinished()) == [] and s.state is State.PAUSED


def test_skip_rest_starts_the_next_set_now() -> None:
    s = resting()
    skipped = s.handle(Command(Intent.SKIP))
    assert of(CancelHold, skipped) and of(EnterSet, skipped) == [
        EnterSet("Plank", 2, 2, "plank_bodyweight")
    ]
    assert of(StartHold, skipped) and s.state is State.HOLDING


def test_add_time_lengthens_a_rest_only() -> None:
    s = holding()
    during_hold = s.handle(Command(Intent.ADD_TIME), hold_remaining_s=12.0)
    assert not of(ExtendRest, during_hold)
    assert said(during_hold) == ["There is no rest to make longer right now."]
    s.handle(HoldFinished())
    more = s.handle(Command(Intent.ADD_TIME), hold_remaining_s=12.0)
    assert of(ExtendRest, more) == [ExtendRest(30.0)]
    assert said(more) == ["Resting longer: 42 seconds left."]
    minute = s.handle(Command(Intent.ADD_TIME, "60"), hold_remaining_s=42.0)
    assert of(ExtendRest, minute) == [ExtendRest(60.0)]


def test_stop_mid_routine_asks_first_and_the_timer_waits() -> None:
    s = holding()
    first = s.handle(Command(Intent.STOP))
    assert of(PauseHold, first) and s.state is State.PAUSED
    assert "Say 'stop' again to end the routine" in said(first)[0]
    assert not of(EndRoutine, first)
    second = s.handle(Command(Intent.STOP), now=40.0)
    assert of(EndRoutine, second) == [EndRoutine(0, 0, False, 39.0)]
    assert s.state is State.WAITING
    assert said(second)[0].startswith("Routine ended: 0 sets in")


def test_stop_then_resume_carries_on() -> None:
    s = holding()
    s.handle(Command(Intent.STOP))
    s.handle(Command(Intent.RESUME))
    back = s.handle(SpeechFinished())
    assert of(ResumeHold, back) and s.state is State.HOLDING
    # The earlier "stop" no longer counts: one more asks again.
    again = s.handle(Command(Intent.STOP))
    assert not of(EndRoutine, again)


def test_next_skips_a_set_and_counts_it_skipped() -> None:
    s = holding()
    moved = s.handle(Command(Intent.NEXT))
    assert said(moved) == ["Set 2 of 2: hold 30 seconds."] and s.state is State.SET
    s.handle(Command(Intent.NEXT))
    end = s.handle(Command(Intent.NEXT))
    assert [(e.done, e.skipped, e.finished) for e in of(EndRoutine, end)] == [(0, 3, True)]  # type: ignore[attr-defined]
    # Nothing was done: the summary does not call that a completed routine.
    assert said(end)[0].startswith("Routine ended: 0 sets in")


def test_a_set_skipped_then_done_counts_as_done_only() -> None:
    s = holding()
    s.handle(Command(Intent.NEXT))  # set 1 skipped
    s.handle(Command(Intent.BACK))  # ... and done after all
    s.handle(SpeechFinished())
    s.handle(HoldFinished())
    assert s.workout is not None
    assert s.workout.done == {0} and not s.workout.skipped


def test_repeat_during_a_timer_repeats_the_instruction_without_restarting_it() -> None:
    s = holding()
    again = s.handle(Command(Intent.REPEAT), hold_remaining_s=14.0)
    assert said(again) == ["Exercise: Plank. Set 1 of 2: hold 30 seconds."]
    assert not of(StartHold, again) and not of(CancelHold, again)
    assert s.state is State.HOLDING


def test_how_many_left_and_whats_next() -> None:
    s = resting()
    s.handle(HoldFinished())
    s.handle(HoldFinished())
    s.handle(HoldFinished())
    assert s.state is State.REPS
    # 5 reps of 4 s: 9 s left means rep 3 is under way, so 3 to go.
    left = said(s.handle(Command(Intent.HOW_MANY), hold_remaining_s=9.0))
    assert left == ["3 reps to go in this set. This is the last set of the routine."]
    assert said(s.handle(Command(Intent.WHATS_NEXT))) == ["This is the last set of the routine."]


def test_read_the_steps_stops_the_clock_and_starts_it_after() -> None:
    s = holding()
    reading = s.handle(Command(Intent.READ_STEPS))
    assert of(PauseHold, reading) and s.state is State.READING
    assert said(reading)[0].startswith("How to do Plank: Step 1: Title 1. Text of step 1.")
    picked_up = s.handle(SpeechFinished())
    assert said(picked_up) == ["Picking up where we left off."]
    after = s.handle(SpeechFinished())
    assert of(ResumeHold, after) and s.state is State.HOLDING


def test_resume_while_the_steps_are_read_goes_back_to_it() -> None:
    s = holding()
    s.handle(Command(Intent.PAUSE))
    s.handle(Command(Intent.READ_STEPS))
    answer = s.handle(Command(Intent.RESUME))
    assert said(answer) == ["Picking up where we left off."]
    assert of(ResumeHold, s.handle(SpeechFinished())) and s.state is State.HOLDING


def test_back_into_the_previous_exercise_names_it() -> None:
    s = resting()
    for _ in range(3):  # plank set 2, its rest, then the hip thrust's reps
        s.handle(HoldFinished())
    assert s.state is State.REPS
    back = s.handle(Command(Intent.BACK))
    assert said(back) == ["Exercise: Plank. Keep your chin tucked. Set 2 of 2: hold 30 seconds."]


def test_naming_an_exercise_with_versions_leaves_the_routine_to_ask_which() -> None:
    s = holding()
    asked = s.handle(Command(Intent.START, "hip thrust"))
    assert [(e.done, e.finished) for e in of(EndRoutine, asked)] == [(0, False)]  # type: ignore[attr-defined]
    assert s.state is State.CHOOSING and s.workout is None
    chosen = s.handle(Command(Intent.CHOOSE, "bodyweight"))
    assert s.state is State.INTRO and said(chosen)


def test_after_the_routine_next_says_what_can_be_done() -> None:
    s = holding()
    s.handle(Command(Intent.STOP))
    s.handle(Command(Intent.STOP))
    assert said(s.handle(Command(Intent.NEXT))) == [
        "Say a routine's or an exercise's name, 'start over', or 'quit'."
    ]


def test_list_names_the_routines_too() -> None:
    s = session()
    assert said(s.handle(Command(Intent.LIST)))[0].endswith("Routines: Short Core.")


def test_another_exercise_ends_the_routine_unfinished() -> None:
    s = holding()
    switched = s.handle(Command(Intent.START, "plank_bodyweight"))
    assert of(EndRoutine, switched) == [EndRoutine(0, 0, False, 0.0)]
    assert s.workout is None and s.state is State.INTRO


def test_start_over_runs_the_routine_from_its_first_set() -> None:
    s = resting()
    s.handle(HoldFinished())
    again = s.handle(Command(Intent.RESTART), now=80.0)
    assert of(EnterRoutine, again) and EnterState("set") in again
    assert s.workout is not None and s.workout.position == 0
    assert s.workout.done == set() and s.workout.started_at == 80.0


def test_no_reminders_while_the_routine_runs_itself() -> None:
    s = session()
    started(s)
    for event in (None, SpeechFinished(), HoldFinished()):
        if event is not None:
            s.handle(event)
        assert s.idle_after_s is None
    assert s.handle(IdleTimeout()) == []
