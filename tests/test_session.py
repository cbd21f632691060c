"""The pure session: commands and internal events in, actions out."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voice.coaching.actions import (
    CancelHold,
    EnterState,
    EnterStep,
    HoldFinished,
    IdleTimeout,
    PauseHold,
    Quit,
    ResumeHold,
    Say,
    SpeechFinished,
    StartHold,
    State,
    StopSpeaking,
)
from voice.coaching.session import Session, SessionSettings
from voice.guides.model import Guide, Hold, Step
from voice.intents import Command, Intent
from voice.routines.model import Routine, RoutineItem, Tempo


def _guide(gid: str, name: str, equipment: str, holds: dict[int, float] | None = None) -> Guide:
    holds = holds or {}
    steps = tuple(
        Step(
            title=f"Title {i + 1}",
            text=f"Text of step {i + 1}.",
            hold=Hold(holds[i], f"hold for {holds[i]} seconds", True) if i in holds else None,
            line=10 + i,
        )
        for i in range(4)
    )
    return Guide(
        id=gid,
        name=name,
        equipment=equipment,
        aliases=(),
        video=None,
        description=f"{name} builds strength. More words here.",
        steps=steps,
        key_points=("Keep your chin tucked", "Breathe out on the way up"),
        mistakes=("Arching the back",),
    )


HIP_BW = _guide("hipthrust_bodyweight", "Hip Thrust", "bodyweight", {2: 5})
HIP_DB = _guide("hipthrust_dumbbell", "Hip Thrust", "dumbbell")
PLANK = _guide("plank_bodyweight", "Plank", "bodyweight", {0: 30})
SHORT_CORE = Routine(
    id="short_core",
    title="Short Core",
    aliases=("core routine",),
    rest_s=20.0,
    items=(
        RoutineItem("plank", PLANK.id, PLANK.name, sets=2, hold_s=30.0),
        RoutineItem("hip thrust", HIP_BW.id, HIP_BW.name, sets=1, reps=5, tempo=Tempo((2.0, 2.0))),
    ),
)


@dataclass
class FakeMatch:
    guide: Guide | None = None
    variants: tuple[Guide, ...] = ()
    suggestions: tuple[str, ...] = ()


@dataclass
class FakeCatalog:
    guides: tuple[Guide, ...] = (HIP_BW, HIP_DB, PLANK)
    routines: tuple[Routine, ...] = ()
    by_id: dict[str, Guide] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {g.id: g for g in self.guides}

    def get(self, guide_id: str) -> Guide | None:
        return self.by_id.get(guide_id)

    def routine(self, routine_id: str) -> Routine | None:
        return next((r for r in self.routines if r.id == routine_id), None)

    def find_routine(self, spoken: str) -> Routine | None:
        wanted = spoken.lower()
        return next((r for r in self.routines if wanted in (r.title.lower(), *r.aliases)), None)

    def find(self, spoken: str) -> FakeMatch:
        same = tuple(g for g in self.guides if g.name.lower() == spoken.lower())
        if len(same) == 1:
            return FakeMatch(guide=same[0], variants=same)
        if same:
            return FakeMatch(variants=same)
        near = tuple(g.name for g in self.guides if g.name.lower()[:2] == spoken.lower()[:2])
        return FakeMatch(suggestions=tuple(dict.fromkeys(near)))

    def groups(self) -> dict[str, tuple[Guide, ...]]:
        groups: dict[str, tuple[Guide, ...]] = {}
        for g in self.guides:
            groups[g.name] = (*groups.get(g.name, ()), g)
        return groups


def said(actions) -> list[str]:
    return [a.text for a in actions if isinstance(a, Say)]


def cmd(intent: Intent, arg: str | None = None) -> Command:
    return Command(intent, arg)


def started(session: Session, guide_id: str = "plank_bodyweight"):
    session.begin()
    return session.handle(cmd(Intent.START, guide_id))


def reading(session: Session, guide_id: str = "plank_bodyweight"):
    """Started, introduced, and step 1 being read."""
    started(session, guide_id)
    return session.handle(SpeechFinished())


def test_begin_says_how_to_start():
    session = Session(FakeCatalog())
    actions = session.begin()
    assert EnterState("waiting") in actions
    assert said(actions) == ["Say the name of an exercise, or 'list'."]


def test_start_says_name_and_description_then_step_one():
    session = Session(FakeCatalog())
    actions = started(session)
    assert said(actions) == ["Plank, bodyweight. Plank builds strength."]  # one line
    assert isinstance(actions[0], StopSpeaking)
    assert session.state is State.INTRO
    step = session.handle(SpeechFinished())
    assert said(step) == ["Step 1 of 4: Title 1. Text of step 1. "[:-1]]
    assert EnterStep(0, "Title 1", 4) in step
    assert session.state is State.READING


def test_next_during_the_introduction_goes_to_step_one():
    session = Session(FakeCatalog())
    started(session)
    assert EnterStep(0, "Title 1", 4) in session.handle(cmd(Intent.NEXT))


def test_hold_starts_after_the_step_is_read_then_waits_for_next():
    session = Session(FakeCatalog())
    reading(session)
    actions = session.handle(SpeechFinished())
    holds = [a for a in actions if isinstance(a, StartHold)]
    assert holds and holds[0].hold.seconds == 30
    assert holds[0].cues == PLANK.key_points
    assert session.state is State.HOLDING
    assert session.handle(SpeechFinished()) == []  # countdown speech ends: still holding
    assert session.handle(HoldFinished()) == [EnterState("ready")]
    assert session.state is State.READY


def test_step_without_hold_waits_for_next():
    session = Session(FakeCatalog())
    session.handle(cmd(Intent.START, "hipthrust_bodyweight"))
    session.handle(SpeechFinished())
    assert session.handle(SpeechFinished()) == [EnterState("ready")]
    actions = session.handle(cmd(Intent.NEXT))
    assert EnterStep(1, "Title 2", 4) in actions
    assert said(actions) == ["Step 2 of 4: Title 2. Text of step 2."]


def test_next_on_last_step_wraps_up():
    session = Session(FakeCatalog())
    session.handle(cmd(Intent.START, "hipthrust_dumbbell"))
    session.handle(cmd(Intent.NEXT))  # over the introduction: step 1
    for _ in range(3):
        session.handle(cmd(Intent.NEXT))
    assert session.step_index == 3
    actions = session.handle(cmd(Intent.NEXT))
    assert session.state is State.FINISHED
    assert "last step" in said(actions)[0] and "Hip Thrust" in said(actions)[0]
    again = session.handle(cmd(Intent.NEXT))
    assert session.state is State.FINISHED and said(again)


def test_back_and_repeat():
    session = Session(FakeCatalog())
    session.handle(cmd(Intent.START, "hipthrust_dumbbell"))
    session.handle(cmd(Intent.NEXT))
    assert EnterStep(0, "Title 1", 4) in session.handle(cmd(Intent.BACK))
    first = session.handle(cmd(Intent.BACK))
    assert said(first)[0] == "This is the first step."
    assert EnterStep(0, "Title 1", 4) in first
    again = session.handle(cmd(Intent.REPEAT))
    assert EnterStep(0, "Title 1", 4) in again


def test_repeat_while_waiting_repeats_the_last_line():
    session = Session(FakeCatalog())
    session.begin()
    session.handle(cmd(Intent.LIST))
    assert said(session.handle(cmd(Intent.REPEAT)))[0].startswith("You can say: Hip Thrust")


def test_variants_ask_which_and_take_the_answer():
    session = Session(FakeCatalog())
    session.begin()
    actions = session.handle(cmd(Intent.START, "hip thrust"))
    assert session.state is State.CHOOSING
    assert said(actions) == ["Hip Thrust: bodyweight or dumbbell?"]
    wrong = session.handle(cmd(Intent.CHOOSE, "kettlebell"))
    assert session.state is State.CHOOSING
    assert said(wrong)[-1] == "Hip Thrust: bodyweight or dumbbell?"
    chosen = session.handle(cmd(Intent.CHOOSE, "dumbbell"))
    assert session.guide == HIP_DB
    assert said(chosen)[0].startswith("Hip Thrust, dumbbell.")


def test_variant_answer_by_start_with_id():
    session = Session(FakeCatalog())
    session.handle(cmd(Intent.START, "hip thrust"))
    session.handle(cmd(Intent.START, "hipthrust_bodyweight"))
    assert session.guide == HIP_BW


def test_choose_during_an_exercise_switches_variant():
    session = Session(FakeCatalog())
    session.handle(cmd(Intent.START, "hipthrust_bodyweight"))
    session.handle(cmd(Intent.CHOOSE, "dumbbell"))
    assert session.guide == HIP_DB and session.step_index == 0


def test_unknown_name_offers_the_nearest():
    session = Session(FakeCatalog())
    actions = session.handle(cmd(Intent.START, "pla"))
    assert said(actions) == ["I don't know an exercise called pla. Did you mean Plank?"]
    assert session.state is State.WAITING
    nothing = session.handle(cmd(Intent.START, "zzz"))
    assert "list" in said(nothing)[0]


def test_start_another_exercise_at_any_time():
    session = Session(FakeCatalog())
    reading(session)
    session.handle(SpeechFinished())
    assert session.state is State.HOLDING
    actions = session.handle(cmd(Intent.START, "hipthrust_dumbbell"))
    assert CancelHold() in actions
    assert session.guide == HIP_DB and session.state is State.INTRO


def test_pause_and_resume_a_hold():
    session = Session(FakeCatalog())
    reading(session)
    session.handle(SpeechFinished())
    paused = session.handle(cmd(Intent.PAUSE))
    assert PauseHold() in paused and session.state is State.PAUSED
    left = session.handle(cmd(Intent.TIME_LEFT), hold_remaining_s=12.4)
    assert said(left) == ["12 seconds left."]
    resumed = session.handle(cmd(Intent.RESUME))
    assert ResumeHold() in resumed and session.state is State.HOLDING


def test_pause_while_reading_rereads_on_resume():
    session = Session(FakeCatalog())
    started(session)
    session.handle(cmd(Intent.PAUSE))
    assert session.state is State.PAUSED
    assert session.handle(SpeechFinished()) == []  # "Paused." ended: no hold starts
    assert EnterStep(0, "Title 1", 4) in session.handle(cmd(Intent.RESUME))


def test_time_left():
    session = Session(FakeCatalog())
    reading(session)
    session.handle(SpeechFinished())
    assert said(session.handle(cmd(Intent.TIME_LEFT), hold_remaining_s=75)) == [
        "1 minute 15 seconds left."
    ]
    session.handle(HoldFinished())
    assert said(session.handle(cmd(Intent.TIME_LEFT))) == ["There is no hold running."]


def test_side_question_while_reading_rereads_the_step():
    session = Session(FakeCatalog())
    started(session)
    actions = session.handle(cmd(Intent.TIPS))
    lines = said(actions)
    assert lines[0] == "Key points: Keep your chin tucked. Breathe out on the way up."
    assert lines[1].startswith("Step 1 of 4")
    # Only once the re-read is over does the hold start.
    assert any(isinstance(a, StartHold) for a in session.handle(SpeechFinished()))


def test_mistakes_and_tips_need_an_exercise():
    session = Session(FakeCatalog())
    assert "Start an exercise first" in said(session.handle(cmd(Intent.MISTAKES)))[0]
    session.handle(cmd(Intent.START, "hipthrust_dumbbell"))
    session.handle(SpeechFinished())
    session.handle(SpeechFinished())
    assert said(session.handle(cmd(Intent.MISTAKES))) == ["Common mistakes: Arching the back."]


def test_help_depends_on_the_moment():
    session = Session(FakeCatalog())
    waiting = said(session.handle(cmd(Intent.HELP)))[0]
    reading(session)
    session.handle(SpeechFinished())
    holding = said(session.handle(cmd(Intent.HELP)))[0]
    session.handle(HoldFinished())
    ready = said(session.handle(cmd(Intent.HELP)))[0]
    assert "name of an exercise" in waiting
    assert "how long" in holding
    assert "'next'" in ready
    session.handle(cmd(Intent.START, "hip thrust"))
    assert "bodyweight or dumbbell" in said(session.handle(cmd(Intent.HELP)))[0]


def test_stop_returns_to_waiting_and_restart_starts_over():
    session = Session(FakeCatalog())
    reading(session)
    session.handle(SpeechFinished())
    stopped = session.handle(cmd(Intent.STOP))
    assert CancelHold() in stopped and session.state is State.WAITING
    assert said(stopped)[0].startswith("Stopped Plank.")
    # Stop over a reminder just silences it.
    assert session.handle(cmd(Intent.STOP)) == [StopSpeaking()]
    restarted = session.handle(cmd(Intent.RESTART))
    assert said(restarted)[0].startswith("Plank, bodyweight.") and session.step_index == 0


def test_list_is_bounded():
    many = tuple(_guide(f"ex{i}_bodyweight", f"Exercise {i}", "bodyweight") for i in range(30))
    session = Session(FakeCatalog(many), SessionSettings(list_limit=5))
    text = said(session.handle(cmd(Intent.LIST)))[0]
    assert text.endswith("Exercise 4, and 25 more.")


def test_quit_mid_exercise_asks_first():
    session = Session(FakeCatalog())
    reading(session)
    asked = said(session.handle(cmd(Intent.QUIT)))
    assert asked[0] == "Say 'quit' again to leave the coach."
    assert asked[1].startswith("Step 1 of 4")  # then back to the step
    assert session.state is State.READING
    session.handle(cmd(Intent.HELP))  # anything else in between: asked again
    assert Quit() not in session.handle(cmd(Intent.QUIT))
    assert Quit() in session.handle(cmd(Intent.QUIT))


def test_quit_now_does_not_ask():
    session = Session(FakeCatalog())
    reading(session)
    assert Quit() in session.handle(cmd(Intent.QUIT, "now"))


def test_quit_says_goodbye_and_ends():
    session = Session(FakeCatalog())
    started(session)
    session.handle(cmd(Intent.QUIT))
    actions = session.handle(cmd(Intent.QUIT))
    assert said(actions) == ["See you later."] and Quit() in actions
    assert session.handle(cmd(Intent.NEXT)) == []
    assert session.idle_after_s is None


def test_idle_reminders_back_off():
    session = Session(FakeCatalog(), SessionSettings(remind_after_s=30, max_remind_s=120))
    session.begin()
    waits = []
    for _ in range(4):
        waits.append(session.idle_after_s)
        assert said(session.handle(IdleTimeout())) == ["Say the name of an exercise, or 'list'."]
    assert waits == [30, 60, 120, 120]
    session.handle(cmd(Intent.HELP))
    assert session.idle_after_s == 30


def test_no_idle_timer_while_the_coach_reads_or_counts():
    session = Session(FakeCatalog())
    started(session)
    assert session.idle_after_s is None
    session.handle(SpeechFinished())
    assert session.idle_after_s is None


def test_auto_advances_after_a_pause():
    session = Session(FakeCatalog(), SessionSettings(auto=True, auto_pause_s=2.0))
    session.handle(cmd(Intent.START, "hipthrust_dumbbell"))
    session.handle(SpeechFinished())
    session.handle(SpeechFinished())
    assert session.idle_after_s == 2.0
    assert EnterStep(1, "Title 2", 4) in session.handle(IdleTimeout())


def test_without_auto_ready_gets_a_reminder_not_a_step():
    session = Session(FakeCatalog())
    session.handle(cmd(Intent.START, "hipthrust_dumbbell"))
    session.handle(SpeechFinished())
    session.handle(SpeechFinished())
    actions = session.handle(IdleTimeout())
    assert not any(isinstance(a, EnterStep) for a in actions)
    assert "next" in said(actions)[0]


@pytest.mark.parametrize("intent", list(Intent))
def test_every_intent_answers_in_every_state(intent):
    for setup in (
        [],
        [cmd(Intent.START, "hip thrust")],
        [cmd(Intent.START, "plank_bodyweight")],
        [cmd(Intent.START, "plank_bodyweight"), SpeechFinished(), SpeechFinished()],
        [
            cmd(Intent.START, "plank_bodyweight"),
            SpeechFinished(),
            SpeechFinished(),
            cmd(Intent.PAUSE),
        ],
        [cmd(Intent.START, "plank_bodyweight"), SpeechFinished(), SpeechFinished(), HoldFinished()],
    ):
        session = Session(FakeCatalog())
        for event in setup:
            session.handle(event)
        actions = session.handle(cmd(intent, "dumbbell" if intent is Intent.CHOOSE else None))
        assert isinstance(actions[0], StopSpeaking)


_ARGS = st.sampled_from([None, "", "hip thrust", "plank_bodyweight", "hipthrust_dumbbell",
                         "dumbbell", "bodyweight", "kettlebell", "nonsense words",
                         "short_core", "core routine", "30"])  # fmt: skip
_INPUTS = st.one_of(
    st.builds(Command, st.sampled_from(list(Intent)), _ARGS),
    st.sampled_from([SpeechFinished(), HoldFinished(), IdleTimeout()]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_INPUTS, max_size=40), st.booleans(), st.floats(0, 100))
def test_any_sequence_leaves_a_valid_state(events, auto, remaining):
    """Nothing the user says can leave the session stuck."""
    session = Session(FakeCatalog(routines=(SHORT_CORE,)), SessionSettings(auto=auto))
    session.begin()
    for event in events:
        session.handle(event, hold_remaining_s=remaining)
        assert session.state in State
        workout = session.workout
        if workout is not None and not workout.ended:
            assert session.progress is None and 0 <= workout.position < len(workout.sets)
            assert not workout.done & workout.skipped
            assert session.guide is not None
        elif session.state in (State.INTRO, State.READING, State.HOLDING, State.READY):
            assert session.guide is not None and session.step_index is not None
            assert 0 <= session.step_index < len(session.guide.steps)
        if session.state in (State.SET, State.REPS, State.RESTING):
            assert workout is not None and not workout.ended
        if session.state is State.CHOOSING:
            assert len(session.choices) > 1
        if session.state is State.QUIT:
            return
        # Never stuck: a way forward always exists (an idle timer or an event that moves).
        waits_for_user = session.idle_after_s is not None
        busy = session.state in (
            State.INTRO, State.READING, State.HOLDING, State.SET, State.REPS, State.RESTING
        )  # fmt: skip
        assert waits_for_user or busy
        # And "stop" always brings it back to a state that accepts a new exercise (twice
        # mid-routine, where the first one asks).
    session.handle(Command(Intent.STOP))
    if session.state is State.PAUSED and session.workout is not None:
        session.handle(Command(Intent.STOP))
    assert session.state in (State.WAITING, State.FINISHED, State.QUIT)
    session.handle(Command(Intent.START, "plank_bodyweight"))
    assert session.state in (State.INTRO, State.QUIT)


def test_unknown_name_while_reading_rereads_the_step():
    session = Session(FakeCatalog())
    reading(session)
    actions = session.handle(cmd(Intent.START, "zzz"))
    assert said(actions)[0].startswith("I don't know")
    assert EnterStep(0, "Title 1", 4) in actions


def test_help_only_offers_phrases_the_vocabulary_knows():
    import re

    from voice.coaching.prompts import HELP
    from voice.commands import Vocabulary

    vocabulary = Vocabulary()
    for text in HELP.values():
        for phrase in re.findall(r"'([a-zA-Z ]+)'", text):
            assert vocabulary.match_text(phrase) is not None, phrase
