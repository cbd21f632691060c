"""What a timed stretch says and when (a hold, a set of reps, a rest): a pure plan.

`plan_countdown(hold, cues)` -> `CountdownPlan`: every cue ("Hold.", the
numbers, "Halfway.", "10 seconds left.", key points, "And release.") at its
offset in seconds from the hold's start. Walking the plan on a clock and saying
its cues is `voice.coaching.counting`'s job; nothing here keeps time or makes a
sound, so the plan loads without the audio stack and is tested as plain data.
The cues' wording is in `voice.coaching.prompts`, with everything else the coach says.

What is said fits the hold. Up to `SHORT_HOLD_S` every second is counted. A
longer hold says the halfway point, "10 seconds left" and the last five numbers,
with the guide's key points in the quiet gaps between. A number or key point
that is due while the coach is still talking is skipped, never delayed: a late
"three" said during "two" would be wrong. "Hold.", "Switch sides." and "And
release." are always said (queued behind whatever is playing).

A per-side hold runs twice with "Switch sides." and `SWITCH_S` between them;
ticks and `remaining` count down the whole thing, both sides and the switch.

A set of reps (`plan_reps`) says "Go.", then each rep's number as it is
completed at the tempo, "Last one." as the last rep begins, and marks each rep
(`RepMark`, written as `rep` events). A rest (`plan_rest`) says what it is and
what follows, "10 seconds left." on a long one, and "Three. Two. One." before
the next set's "Go.". All three are walked by the same runner on the same
drift-free schedule.

A hold outside `MIN_HOLD_S`..`MAX_HOLD_S` (0, negative, an hour, not a number)
is clamped into that range, not refused: the step is still worth doing, and a
refusal mid-session would leave the user on the floor with nothing. The plan's
`note` says what was changed; the spoken countdown logs it and shows it as a
caption warning. Fractions of a second are rounded to whole seconds, so every
tick lands on a whole second of the hold.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from voice.coaching.prompts import GO, HALFWAY, HOLD, LAST_ONE, RELEASE, SWITCH_SIDES, time_left
from voice.guides.holds import MAX_HOLD_S, MIN_HOLD_S, SWITCH_S
from voice.guides.model import Hold
from voice.numbers import number_word
from voice.speaking.text import lines as speakable_lines

SHORT_HOLD_S = 10
"""Holds up to this long count every second."""
MARK_CLEAR_S = 5
"""A "time left" mark keeps this far from other cues and from the hold's start."""
TIP_MIN_GAP_S = 10
"""A key point is only spoken in a quiet gap at least this long."""
TIP_AFTER_S = 3
"""A key point starts this long after the cue before its gap."""
TIP_EVERY_S = 15
"""At most one key point this often within one long gap."""
TIP_MAX_WORDS = 14
"""Longer key points are cut to their first sentence, then skipped if still too long."""

COMMON_WORDS = (
    HOLD,
    *(number_word(n) for n in range(SHORT_HOLD_S, 0, -1)),
    RELEASE,
    HALFWAY,
    time_left(10),
    SWITCH_SIDES,
)
"""What nearly every countdown says: synthesized ahead when a countdown is made."""


class CueKind(StrEnum):
    """How much a cue matters when the coach is already talking."""

    ESSENTIAL = "essential"
    """Always said, queued if need be: "Hold.", "Switch sides.", "And release."."""
    NUMBER = "number"
    """Said only on time: skipped if the coach is busy at its second."""
    TIP = "tip"
    """A key point for a quiet gap: skipped if the coach is busy."""


@dataclass(frozen=True)
class Cue:
    """Something to say at `at_s` seconds into the hold."""

    at_s: float
    text: str
    kind: CueKind


@dataclass(frozen=True)
class RepMark:
    """Rep `n` of `reps` is complete `at_s` seconds into the set."""

    at_s: float
    n: int
    reps: int
    side: int | None = None
    """1 or 2 in a set done on each side."""


@dataclass(frozen=True)
class CountdownPlan:
    """A whole hold (or set of reps, or rest), laid out in seconds from its start."""

    side_s: int
    """Seconds of one side (of the whole hold when `sides` is 1); 0 for a set of reps,
    whose length is its reps' beats (`total_s`)."""
    sides: int
    """1, or 2 for a per-side hold."""
    total_s: float
    """Seconds from "Hold." to "And release.", switches included (whole for a hold)."""
    cues: tuple[Cue, ...]
    """In time order."""
    note: str | None = None
    """What was changed about a hold out of range, for the user; None when nothing."""
    reps: tuple[RepMark, ...] = ()
    """For a set of reps: when each rep is complete, in time order."""
    ticks: bool = True
    """Whether each second is reported (`tick` events): holds and rests, not reps."""


def clamp_seconds(seconds: float) -> tuple[int, str | None]:
    """`seconds` as whole seconds within `MIN_HOLD_S`..`MAX_HOLD_S`, and a note if changed."""
    if math.isnan(seconds):
        return MIN_HOLD_S, f"hold of {seconds} seconds is not a number; counting {MIN_HOLD_S} s"
    whole = round(seconds) if math.isfinite(seconds) else MAX_HOLD_S
    if whole < MIN_HOLD_S:
        return MIN_HOLD_S, f"hold of {seconds:g} seconds is too short; counting {MIN_HOLD_S} s"
    if whole > MAX_HOLD_S or not math.isfinite(seconds):
        return MAX_HOLD_S, f"hold of {seconds:g} seconds is too long; counting {MAX_HOLD_S} s"
    return whole, None


def plan_countdown(hold: Hold | float, cues: Sequence[str] = ()) -> CountdownPlan:
    """The plan for `hold` (a guide's `Hold`, or plain seconds), with key points `cues`."""
    seconds, per_side = (hold.seconds, hold.per_side) if isinstance(hold, Hold) else (hold, False)
    side_s, note = clamp_seconds(float(seconds))
    tips = _usable_tips(cues)
    sides = 2 if per_side else 1
    plan: list[Cue] = []
    offset = 0
    for side in range(sides):
        plan += _side_cues(side_s, offset, tips)
        offset += side_s
        if side < sides - 1:
            plan.append(Cue(offset, SWITCH_SIDES, CueKind.ESSENTIAL))
            offset += SWITCH_S
    plan.append(Cue(offset, RELEASE, CueKind.ESSENTIAL))
    plan.sort(key=lambda c: c.at_s)
    return CountdownPlan(side_s, sides, offset, tuple(plan), note)


def counted_s(seconds: float) -> int:
    """The whole seconds a hold of `seconds` is counted for (per side): clamped as its
    plan is, so what is recorded and praised is what was counted."""
    return clamp_seconds(seconds)[0]


def held_s(hold: Hold, remaining_s: float) -> float:
    """Seconds spent holding `hold` when its countdown has `remaining_s` left: the
    time gone by, less the switch between sides. With nothing left, both sides."""
    plan = plan_countdown(hold)
    gone = min(plan.total_s, max(0.0, plan.total_s - remaining_s))
    if plan.sides == 2 and gone > plan.side_s:
        return plan.side_s + max(0.0, gone - plan.side_s - SWITCH_S)
    return gone


def plan_reps(reps: int, rep_s: float, *, each_side: bool = False) -> CountdownPlan:
    """A set of `reps` reps of `rep_s` seconds each (per side with `each_side`).

    "Go." starts it; each completed rep's number is said on the beat it completes,
    and the rep before the last says "Last one." with its number. The final number
    closes the set and is always said. Rep times are exact multiples of `rep_s`
    from the start, never accumulated, so a long set does not drift.
    """
    sides = 2 if each_side else 1
    plan: list[Cue] = []
    marks: list[RepMark] = []
    offset = 0.0
    for side in range(sides):
        plan.append(Cue(offset, GO, CueKind.ESSENTIAL))
        for n in range(1, reps + 1):
            at = offset + n * rep_s
            marks.append(RepMark(at, n, reps, side + 1 if each_side else None))
            plan.append(_rep_cue(at, n, reps))
        offset += reps * rep_s
        if side < sides - 1:
            plan.append(Cue(offset, SWITCH_SIDES, CueKind.ESSENTIAL))
            offset += SWITCH_S
    plan.sort(key=lambda c: c.at_s)
    return CountdownPlan(0, sides, offset, tuple(plan), reps=tuple(marks), ticks=False)


def _rep_cue(at: float, n: int, reps: int) -> Cue:
    if n == reps:
        return Cue(at, number_word(n), CueKind.ESSENTIAL)
    if n == reps - 1:
        return Cue(at, f"{number_word(n)}, {LAST_ONE.lower()}", CueKind.ESSENTIAL)
    return Cue(at, number_word(n), CueKind.NUMBER)


def plan_rest(seconds: float, announce: str) -> CountdownPlan:
    """A rest of `seconds` (whole, clamped to 1..`MAX_HOLD_S`) that begins with
    `announce` ("Rest 20 seconds. Next: ...") and counts the last three seconds
    down to the next set, whose own "Go." ends it."""
    total, note = clamp_seconds(seconds)
    plan = [Cue(0, announce, CueKind.ESSENTIAL)]
    if total >= 20:
        plan.append(Cue(total - 10, time_left(10), CueKind.NUMBER))
    plan += [Cue(total - k, number_word(k), CueKind.NUMBER) for k in (3, 2, 1) if total > k]
    plan.sort(key=lambda c: c.at_s)
    return CountdownPlan(total, 1, total, tuple(plan), note)


def _side_cues(side_s: int, offset: int, tips: Sequence[str]) -> list[Cue]:
    fixed = [Cue(offset, HOLD, CueKind.ESSENTIAL)]
    if side_s <= SHORT_HOLD_S:
        numbers = range(1, side_s)
        fixed += [Cue(offset + k, number_word(side_s - k), CueKind.NUMBER) for k in numbers]
        return fixed
    half = side_s // 2
    if side_s - half > SHORT_HOLD_S + 2:  # not crowding "10 seconds left"
        fixed.append(Cue(offset + half, HALFWAY, CueKind.ESSENTIAL))
    fixed.append(Cue(offset + side_s - 10, time_left(10), CueKind.ESSENTIAL))
    fixed += [Cue(offset + side_s - k, number_word(k), CueKind.NUMBER) for k in range(5, 0, -1)]
    fixed += _time_left_marks(side_s, offset, fixed)
    return fixed + _tips_in_gaps(fixed, offset + side_s, tips)


def _time_left_marks(side_s: int, offset: int, fixed: Sequence[Cue]) -> list[Cue]:
    """Marks for "30 seconds left." and each whole minute left, so a long hold is never silent
    for minutes; a mark within `MARK_CLEAR_S` of another cue is left out."""
    marks = [30, *(60 * m for m in range(1, side_s // 60 + 1))]
    out: list[Cue] = []
    for left in marks:
        at = offset + side_s - left
        taken = [c.at_s for c in (*fixed, *out)]
        if at - offset >= MARK_CLEAR_S and all(abs(at - t) >= MARK_CLEAR_S for t in taken):
            out.append(Cue(at, time_left(left), CueKind.NUMBER))
    return out


def _tips_in_gaps(fixed: Sequence[Cue], end: int, tips: Sequence[str]) -> list[Cue]:
    """Key points placed in the quiet stretches between the fixed cues, each once a side."""
    times = sorted({c.at_s for c in fixed} | {end})
    out: list[Cue] = []
    remaining = list(tips)
    for a, b in itertools.pairwise(times):
        t = a + TIP_AFTER_S
        while remaining and b - a >= TIP_MIN_GAP_S and t <= b - (TIP_MIN_GAP_S - TIP_AFTER_S):
            out.append(Cue(t, remaining.pop(0), CueKind.TIP))
            t += TIP_EVERY_S
    return out


def _usable_tips(cues: Sequence[str]) -> list[str]:
    """Key points short enough to say in a gap: first sentence, cleaned, at most a few words."""
    out: list[str] = []
    for cue in cues:
        sentences = speakable_lines(cue)
        if sentences and len(sentences[0].split()) <= TIP_MAX_WORDS:
            out.append(sentences[0])
    return out
