"""Every line the coach says that is written in the code, in one table.

The session (voice.coaching.session) and the countdown plan
(voice.coaching.countdown) say only what is here, plus the guides' own text
(names, steps, key points), which these lines frame. One table, so the wording
can be read and changed in one place, and so a test can go through every line
the coach can say (tests/test_prompts.py).

The coach's own lines avoid command words where a synonym does ("complete", not
"done"): its voice comes back through the microphone, and a word it never says
alone cannot be heard as a command (voice.listening.echo and
voice.listening.own_voice cover the rest). Command words the user is told to
say are quoted inside a longer sentence ("Say 'next' when you're ready."): a
sentence is spoken as one line, and as a whole it is no command. The test checks
exactly that, sentence by sentence, against the real vocabulary.

Three shapes:
- fixed lines: `str` constants (`GREETING`, `GOODBYE`);
- templates: `str` constants with named `str.format` slots (`UNKNOWN_EXERCISE`
  takes `spoken`), filled where they are said;
- lines built by a rule (a number, a list, a fallback name): small functions
  (`time_left`, `exercise_list`, `finished`).
Per-state lines (`HELP`, `REMINDERS`) are keyed by the session state's value
("waiting", "ready"...): the session's `State` is a `StrEnum`, so it looks them
up as it is, and this module needs nothing from the session.

Pure and stdlib only: it loads without the audio stack, like the session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from voice.numbers import counted

# ---------------------------------------------------------------------------
# Starting, and asking which exercise.

GREETING = "Say the name of an exercise, or 'list'."
"""The first line, and the reminder while nothing is chosen."""
WHICH_EXERCISE = "Which exercise? " + GREETING
"""A start with no name ("start")."""
UNKNOWN_EXERCISE = "I don't know an exercise called {spoken}."
"""Slots: `spoken`, the name as heard. Followed by `DID_YOU_MEAN` or `SAY_LIST`."""
DID_YOU_MEAN = "Did you mean {choices}?"
"""Slots: `choices`, the nearest names joined by `either`."""
SAY_LIST = "Say 'list' to hear the exercises."
"""An unknown name with no near match."""
CHOICE = "{name}: {choices}?"
"""Asks which equipment variant. Slots: `name`, `choices` (the equipment, `either`)."""
NOT_WITH = "I don't have it with {equipment}."
"""An equipment answer none of the offered variants has. Slots: `equipment`."""
NO_VERSION = "There is no {equipment} version here."
"""Equipment named mid-exercise that the exercise has no variant for. Slots: `equipment`."""
NO_EXERCISES = "There are no exercises in the library."
ROUTINES_ARE = "Routines: {routines}."
"""Ends the answer to "list" when there are routines. Slots: `routines` (`either`)."""
"""The answer to "list" with an empty library."""

# ---------------------------------------------------------------------------
# Reading an exercise.

INTRO = "{name}, {equipment}."
"""An exercise's first line. Slots: `name`, `equipment`."""
INTRO_NAME_ONLY = "Exercise: {name}."
"""An exercise's first line when its guide names no equipment. Slots: `name`."""
STEP = "Step {number} of {total}: {title}. {text}"
"""A step read out. Slots: `number` (from 1), `total`, and the step's `title` and `text`."""
NO_STEPS = "This guide has no steps."
LAST_STEP = "This is the last step."
""""what's next" on a guide's last step."""
NEXT_STEP = "Next: step {number}, {title}."
""""what's next" in a guide. Slots: `number` (from 1), `title`."""
STEPS_LEFT = "{steps} after this one."
""""how many left" in a guide. Slots: `steps`, counted ("2 more steps")."""
FIRST_STEP = "This is the first step."
"""'back' on step 1 (the step is read again)."""
NO_EXERCISE = "No exercise is under way. " + GREETING
"""A step command with no exercise started."""
KEY_POINTS = "key points"
"""What "tips" asks for, as said in `NEED_EXERCISE`, `NONE_LISTED` and `listing`."""
COMMON_MISTAKES = "common mistakes"
"""What "mistakes" asks for, as said in `NEED_EXERCISE`, `NONE_LISTED` and `listing`."""
NEED_EXERCISE = "Start an exercise first, then ask for its {what}."
"""Slots: `what`, `KEY_POINTS` or `COMMON_MISTAKES`."""
NONE_LISTED = "This guide lists no {what}."
"""Slots: `what`, `KEY_POINTS` or `COMMON_MISTAKES`."""

# ---------------------------------------------------------------------------
# Pausing, holding, waiting.

PAUSED = "Taking a break."
"""The answer to "pause"."""
PAUSED_REMINDER = "On a break. Say 'resume' when you're ready."
"""'pause' while paused, and the reminder while paused."""
NOT_PAUSED = "We are not paused."
NOTHING_TO_PAUSE = "There is nothing to pause. " + GREETING
NEXT_WHEN_READY = "Say 'next' when you're ready."
"""Resuming a pause taken after a step was done."""
NO_HOLD = "There is no hold running."
""""how long" with no countdown under way."""

# ---------------------------------------------------------------------------
# The countdown's fixed cues (voice.coaching.countdown); its numbers are words
# made by `voice.numbers.number_word`, and its "N seconds left." marks are `time_left`.

HOLD = "Hold."
"""A hold (or one side of it) begins."""
HALFWAY = "Halfway."
SWITCH_SIDES = "Switch sides."
"""Between the sides of a per-side hold."""
RELEASE = "And release."
"""The hold is over."""
GO = "Go."
"""A set of reps begins (after a rest's "Three. Two. One.")."""
LAST_ONE = "Last one."
"""Said with the number of the rep before the last."""

# ---------------------------------------------------------------------------
# Finishing, stopping, leaving.

FINISHED = "That was the last step: {name} is complete. Great work!"
"""Slots: `name`, the exercise's. Said through `finished`."""
WHAT_NOW = "Say another exercise's name, 'start over', or 'quit'."
"""Follows `FINISHED`."""
STOPPED = "Stopped {name}."
"""Slots: `name`, the exercise's (or "that"). Said through `stopped`, with `GREETING`."""
QUIT_AGAIN = "Say 'quit' again to leave the coach."
"""A first "quit" mid-exercise: a misheard one must not end a workout."""
GOODBYE = "See you later."
"""The last line. Not "Goodbye.": "goodbye" alone is "quit"."""

# ---------------------------------------------------------------------------
# Routines (voice.coaching.workout).

ROUTINE_START = "{title}: {exercises}, about {duration}."
"""A routine's first line. Slots: `title`, `exercises` (counted), `duration`."""
SET_OF = "Set {number} of {sets}"
"""Which set, when an exercise has several. Slots: `number`, `sets`."""
REST = "Rest {duration}. Next: {next}."
"""Opens a rest. Slots: `duration` ("20 seconds"), `next` (`next_set`)."""
NEXT_UP = "Next: {next}."
""""what's next" in a routine. Slots: `next` (`next_set`)."""
LAST_SET = "This is the last set of the routine."
REPS_LEFT = "{reps} to go in this set."
"""Slots: `reps`, counted ("3 reps")."""
REPS_LEFT_SIDE = "{reps} to go on this side."
"""`REPS_LEFT` in a set done on each side. Slots: `reps`, counted."""
SETS_LEFT = "{sets} after this one."
"""Slots: `sets`, counted ("2 more sets")."""
SETS_TO_GO = "{sets} to go."
""""how many left" while resting. Slots: `sets`, counted ("3 sets")."""
ROUTINE_DONE = "That's the routine complete: {exercises}, {sets} in {duration}. Great work!"
"""The summary. Slots: `exercises` and `sets` (counted), `duration`."""
ROUTINE_STOPPED = "Routine ended: {sets} in {duration}."
"""Slots: `sets` (counted, done), `duration`."""
STOP_ROUTINE = "Timer on hold. Say 'stop' again to end the routine, or 'resume' to carry on."
"""A first "stop" mid-routine: the timer waits while the user confirms."""
PICK_UP = "Picking up where we left off."
"""The answer to "resume" mid-routine."""
MORE_REST = "Resting longer: {left}"
"""Slots: `left`, a `time_left` line."""
NO_REST = "There is no rest to make longer right now."
FIRST_SET = "This is the first set."
"""'back' on the routine's first set (it starts again)."""
STEPS_OF = "How to do {name}: {steps}"
"""The answer to "read the steps". Slots: `name`, `steps` (`steps_text`)."""
STEP_SHORT = "Step {number}: {title}. {text}"
"""One step in `STEPS_OF`. Slots: `number`, `title`, `text`."""
ROUTINE_FINISHED_WHAT_NOW = "Say a routine's or an exercise's name, 'start over', or 'quit'."

# ---------------------------------------------------------------------------
# The history: what was done before, and what improved.

LONGEST_YET = "Your longest {name} yet: {duration}."
"""A hold kept longer than any before it. Slots: `name`, `duration` (`duration`)."""
NO_HISTORY_YET = "There are no sessions on record yet."
""""What did I do last time" before any session was recorded."""
HISTORY_OFF = "I'm not keeping a history this time, so I can't tell you."
"""The same with the history off (`--no-history`, or a simulation)."""
RECAP_LATER = "Ask me that between exercises."
""""How did I do" mid-exercise."""
LAST_TIME = "{when}, you did {items}, in {duration}{ending}."
"""The last session in one line. Slots: `when` (`day_said`), `items` (`recap_items`),
`duration`, `ending` (one of `ENDINGS`)."""
ENDINGS: Mapping[str, str] = {
    "finished": "",
    "stopped": ", and stopped early",
    "cut off": ", before the coach was cut off",
}
"""How `LAST_TIME` ends, by the session's outcome."""
SO_FAR = "So far this session: {items}."
"""This session in one line. Slots: `items` (`recap_items`)."""
LAST_TIME_EMPTY = "{when}, a session began, but nothing in it was recorded."
"""A last session with no exercise in it (its first write was cut off). Slots: `when`."""
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# ---------------------------------------------------------------------------
# Per state.

HELP: Mapping[str, str] = {
    "waiting": "Say the name of an exercise to start it, or 'list' to hear them. "
    "'What did I do last time' reads your last session. 'Quit' ends the coach.",
    "choosing": "Say which one you want: {choices}. Or say 'stop'.",
    "reading": "You can say 'next', 'back', 'repeat', 'pause', 'tips', 'mistakes', "
    "'start over' or 'stop'.",
    "holding": "You can say 'how long', 'pause', 'skip', 'repeat' or 'stop'.",
    "ready": "Say 'next' for the next step, 'repeat' to hear this one once more, 'back', "
    "'tips', 'mistakes', 'start over' or 'stop'.",
    "paused": "Say 'resume' to carry on, 'repeat', 'start over' or 'stop'.",
    "finished": "Say another exercise's name, 'start over' to do this one from the top, "
    "'list', 'how did I do', or 'quit'.",
    "set": "You can say 'next', 'back', 'repeat', 'pause', 'read the steps', 'tips' or 'stop'.",
    "reps": "You can say 'how many left', 'what comes next', 'pause', 'next', 'repeat' or 'stop'.",
    "resting": "You can say 'skip rest', 'add 30 seconds', 'what comes next', 'how long', "
    "'pause' or 'stop'.",
}
"""The answer to "help" in each state; "choosing" has the slot `choices` (`either`)."""

REMINDERS: Mapping[str, str] = {
    "waiting": GREETING,
    "ready": "Say 'next' when you're ready, or 'repeat' to hear the step.",
    "paused": PAUSED_REMINDER,
    "finished": "Say another exercise's name, or 'quit'.",
}
"""What the coach says after a long quiet in each state that waits for the user."""

ROUTINE_HELP = (
    "In a routine you can say 'next', 'back', 'repeat', 'how many left', "
    "'what comes next', 'read the steps', 'pause', 'resume' or 'stop'."
)
"""The answer to "help" mid-routine, where no state of its own has one."""

ALREADY_FINISHED = "That was the last step. " + HELP["finished"]
""""next" after the last step."""


def help_for(state: str, choices: str = "") -> str:
    """The help of `state` (of "waiting" in a state with none), with `choices` filled in."""
    return HELP.get(state, HELP["waiting"]).format(choices=choices)


def reminder_for(state: str) -> str:
    """The reminder of `state`: `GREETING` in a state with none of its own."""
    return REMINDERS.get(state, GREETING)


# ---------------------------------------------------------------------------
# Lines built by a rule.


def either(words: Iterable[str]) -> str:
    """ "a or b", "a, b or c": how a choice is offered."""
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def introduction(name: str, equipment: str, description: str) -> str:
    """An exercise's first line: its name, its equipment if any, and the first sentence
    of its description (the rest is for reading, not for a coach to say)."""
    if equipment:
        intro = INTRO.format(name=name, equipment=equipment)
    else:
        intro = INTRO_NAME_ONLY.format(name=name)
    return f"{intro} {first_sentence(description)}" if description else intro


def duration(seconds: float) -> str:
    """A length of time as said: "45 seconds", "1 minute", "9 minutes 40 seconds"."""
    whole = max(0, round(seconds))
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return counted(rest, "second")
    said = counted(minutes, "minute")
    return f"{said} {counted(rest, 'second')}" if rest else said


def routine_start(title: str, exercises: int, estimate_s: float) -> str:
    """A routine's first line: its title, how many exercises, about how long."""
    about = duration(60 * max(1, round(estimate_s / 60)))
    return ROUTINE_START.format(
        title=title, exercises=counted(exercises, "exercise"), duration=about
    )


def work(reps: int | None, hold_s: float | None, each_side: bool) -> str:
    """What one set asks: "10 reps", "hold 30 seconds", "... on each side"."""
    what = counted(reps, "rep") if reps is not None else f"hold {duration(hold_s or 0)}"
    return f"{what} on each side" if each_side else what


def set_line(number: int, sets: int, what: str) -> str:
    """A set announced: "Set 1 of 2: 10 reps." (no set number when there is one set)."""
    if sets <= 1:
        return _sentence(what[:1].upper() + what[1:])
    return f"{SET_OF.format(number=number, sets=sets)}: {what}."


def next_set(name: str, number: int, sets: int) -> str:
    """What comes next, as the rest line and "what's next" name it."""
    if sets <= 1:
        return name
    return f"{name}, {SET_OF.format(number=number, sets=sets).lower()}"


def exercise_up(name: str, cue: str = "") -> str:
    """A routine's next exercise: its name (never bare: a bare name is a command) and a cue."""
    intro = INTRO_NAME_ONLY.format(name=name)
    return f"{intro} {cue}" if cue else intro


def steps_text(name: str, steps: Sequence[tuple[str, str]]) -> str:
    """An exercise's steps read out in one go (`steps`: title and text of each)."""
    said = " ".join(
        _sentence(STEP_SHORT.format(number=n, title=title, text=text).strip())
        for n, (title, text) in enumerate(steps, 1)
    )
    return STEPS_OF.format(name=name, steps=said)


def finished(name: str | None, lead: str = "", bests: str = "") -> str:
    """The end of an exercise (`name`; None when unknown), after `lead` if any, with
    the new bests (`longest_yet`) it set."""
    done = FINISHED.format(name=name or "The exercise")
    return joined(lead, done, bests, WHAT_NOW)


def stopped(name: str | None, bests: str = "") -> str:
    """The answer to "stop" mid-exercise (`name`; None when no exercise is named), with
    the new bests set before it stopped."""
    return joined(STOPPED.format(name=name or "that"), bests, GREETING)


def listing(what: str, items: Sequence[str]) -> str:
    """A guide's key points or mistakes (`what`) read out, one sentence each."""
    return f"{what.capitalize()}: " + " ".join(_sentence(i) for i in items)


def exercise_list(names: Sequence[str], limit: int, routines: Sequence[str] = ()) -> str:
    """The answer to "list": the first `limit` of `names`, how many more there are, and
    the routines' titles."""
    text = "You can say: " + ", ".join(names[:limit])
    if len(names) > limit:
        text += f", and {len(names) - limit} more"
    text += "."
    return f"{text} {ROUTINES_ARE.format(routines=either(routines))}" if routines else text


def time_left(remaining_s: float) -> str:
    """How long a hold has to go, to the second: "1 minute 5 seconds left.".

    Both the answer to "how long" and the countdown's own marks ("10 seconds
    left.", "2 minutes left."), so the two always say it the same way.
    """
    return f"{duration(remaining_s)} left."


def cue(text: str) -> str:
    """A key point as a short spoken cue: its first sentence, ending like one."""
    return _sentence(first_sentence(text.strip()))


def first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def longest_yet(name: str, seconds: float) -> str:
    """A new longest hold of exercise `name`."""
    return LONGEST_YET.format(name=name, duration=duration(seconds))


def recap_item(
    name: str, *, steps: int = 0, sets: int = 0, reps: int = 0, hold_s: float = 0
) -> str:
    """One exercise of a recap: "Wall Sit with 3 steps and a 60 second hold"; a
    routine's exercise gives its sets and reps instead of steps."""
    parts = [counted(sets, "set")] if sets else [counted(steps, "step")] if steps else []
    if reps:
        parts.append(counted(reps, "rep"))
    if hold_s:
        parts.append(f"a hold of {duration(hold_s)}")
    return f"{name} with {' and '.join(parts)}" if parts else name


def recap_items(items: Sequence[str], limit: int = 3) -> str:
    """Recap items joined as said, the first `limit` of them and how many more: "A,
    and B"; "A; B; and C" (an item says "and" itself: "with 4 steps and a hold")."""
    shown = list(items[:limit])
    if len(items) > limit:
        shown.append(counted(len(items) - limit, "more exercise"))
    if len(shown) <= 1:
        return "".join(shown)
    joiner = ", " if len(shown) == 2 else "; "
    return joiner.join(shown[:-1]) + joiner + "and " + shown[-1]


def day_said(day: date, today: date) -> str:
    """When `day` was, said from `today`: "Earlier today", "Yesterday", "On Monday"
    within the week, else "On 3 November"."""
    ago = (today - day).days
    if ago <= 0:
        return "Earlier today"
    if ago == 1:
        return "Yesterday"
    if ago < 7:
        return f"On {WEEKDAYS[day.weekday()]}"
    return f"On {day.day} {MONTHS[day.month - 1]}"


def joined(*lines: str) -> str:
    """Lines said one after the other, as one: the non-empty ones, a space apart (a
    new best, say, is there only when one was set)."""
    return " ".join(line for line in lines if line)
