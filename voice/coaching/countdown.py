"""Counting a hold down: what to say when (a pure plan) and a runner that never drifts.

Three layers, from pure to edge:

- `plan_countdown(hold, cues)` -> `CountdownPlan`: every cue ("Hold.", the
  numbers, "Halfway.", "10 seconds left.", key points, "And release.") at its
  offset in seconds from the hold's start. Data in, data out.
- `CountdownRunner`: walks a plan given `now` values. Tick k is due at
  start + k and is reported with that scheduled time, however late `update()`
  is called, so speaking never stretches a hold (the Textual/OVOS lesson: keep
  an absolute origin, derive everything from it). Pause moves the origin.
- `SpokenCountdown(clock, speaker)`: the runner on an injected clock, speaking
  its cues; what the coaching loop drives (voice.coaching.loop.Countdown).

What is said fits the hold. Up to `SHORT_HOLD_S` every second is counted. A
longer hold says the halfway point, "10 seconds left" and the last five numbers,
with the guide's key points in the quiet gaps between. A number or key point
that is due while the coach is still talking is skipped, never delayed: a late
"three" said during "two" would be wrong. "Hold.", "Switch sides." and "And
release." are always said (queued behind whatever is playing).

A per-side hold runs twice with "Switch sides." and `SWITCH_S` between them;
ticks and `remaining` count down the whole thing, both sides and the switch.

A hold outside `MIN_HOLD_S`..`MAX_HOLD_S` (0, negative, an hour, not a number)
is clamped into that range, not refused: the step is still worth doing, and a
refusal mid-session would leave the user on the floor with nothing. The plan's
`note` says what was changed; `SpokenCountdown` logs it and shows it as a
caption warning. Fractions of a second are rounded to whole seconds, so every
tick lands on a whole second of the hold.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from voice.clock import Clock
from voice.events import Event, Tick
from voice.guides.model import Hold
from voice.speaking.text import lines as speakable_lines

log = logging.getLogger(__name__)

MIN_HOLD_S = 1
MAX_HOLD_S = 600
"""Ten minutes: longer than any static hold in the guides; an hour is a typo."""
SHORT_HOLD_S = 10
"""Holds up to this long count every second."""
SWITCH_S = 5
"""Seconds between the sides of a per-side hold: time to say "Switch sides." and turn."""
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
LATE_S = 0.5
"""A skippable cue found this late (the loop was held up) is dropped, not said late."""

NUMBER_WORDS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen", "twenty"),
)


def number_word(n: int) -> str:
    """How a count is said: a word up to twenty (synthesizers say "5" oddly), digits above."""
    return NUMBER_WORDS[n].capitalize() if 0 <= n < len(NUMBER_WORDS) else str(n)


COMMON_WORDS = (
    "Hold.",
    *(number_word(n) for n in range(SHORT_HOLD_S, 0, -1)),
    "And release.",
    "Halfway.",
    "10 seconds left.",
    "Switch sides.",
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
class CountdownPlan:
    """A whole hold, laid out in seconds from its start."""

    side_s: int
    """Seconds of one side (of the whole hold when `sides` is 1)."""
    sides: int
    """1, or 2 for a per-side hold."""
    total_s: int
    """Seconds from "Hold." to "And release.", switches included."""
    cues: tuple[Cue, ...]
    """In time order."""
    note: str | None = None
    """What was changed about a hold out of range, for the user; None when nothing."""


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
            plan.append(Cue(offset, "Switch sides.", CueKind.ESSENTIAL))
            offset += SWITCH_S
    plan.append(Cue(offset, "And release.", CueKind.ESSENTIAL))
    plan.sort(key=lambda c: c.at_s)
    return CountdownPlan(side_s, sides, offset, tuple(plan), note)


def _side_cues(side_s: int, offset: int, tips: Sequence[str]) -> list[Cue]:
    fixed = [Cue(offset, "Hold.", CueKind.ESSENTIAL)]
    if side_s <= SHORT_HOLD_S:
        numbers = range(1, side_s)
        fixed += [Cue(offset + k, number_word(side_s - k), CueKind.NUMBER) for k in numbers]
        return fixed
    half = side_s // 2
    if side_s - half > SHORT_HOLD_S + 2:  # not crowding "10 seconds left"
        fixed.append(Cue(offset + half, "Halfway.", CueKind.ESSENTIAL))
    fixed.append(Cue(offset + side_s - 10, "10 seconds left.", CueKind.ESSENTIAL))
    fixed += [Cue(offset + side_s - k, number_word(k), CueKind.NUMBER) for k in range(5, 0, -1)]
    fixed += _time_left_marks(side_s, offset, fixed)
    return fixed + _tips_in_gaps(fixed, offset + side_s, tips)


def _time_left_marks(side_s: int, offset: int, fixed: Sequence[Cue]) -> list[Cue]:
    """Marks for "30 seconds left." and each whole minute left, so a long hold is never silent
    for minutes; a mark within `MARK_CLEAR_S` of another cue is left out."""
    marks = [(30, "30 seconds left.")]
    minutes = range(1, side_s // 60 + 1)
    marks += [(60 * m, f"{m} minute{'s' if m > 1 else ''} left.") for m in minutes]
    out: list[Cue] = []
    for left, text in marks:
        at = offset + side_s - left
        taken = [c.at_s for c in (*fixed, *out)]
        if at - offset >= MARK_CLEAR_S and all(abs(at - t) >= MARK_CLEAR_S for t in taken):
            out.append(Cue(at, text, CueKind.NUMBER))
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


@dataclass(frozen=True)
class DueCue:
    """A cue whose time has come: `t` is when it was due on the clock, not when found."""

    t: float
    text: str
    kind: CueKind


class CountdownRunner:
    """Walks a `CountdownPlan` against `now` values it is given; keeps no clock itself.

    Everything derives from `origin`, the clock time at which the hold's second 0
    was (or would have been, had it not been paused): tick k is due at
    origin + k. `pause` remembers how far in the hold is; `resume` sets a new
    origin so that the same point continues from now.
    """

    def __init__(self, plan: CountdownPlan) -> None:
        self.plan = plan
        self._origin: float | None = None
        self._paused_at: float | None = None  # seconds into the hold when paused
        self._next_tick = 1
        self._next_cue = 0
        self.done = False
        """True once the hold ran to its end or was skipped."""

    @property
    def started(self) -> bool:
        return self._origin is not None or self._paused_at is not None

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    @property
    def running(self) -> bool:
        return self._origin is not None and not self.done

    @property
    def ends_at(self) -> float | None:
        """The clock time the hold is scheduled to end (None unless running)."""
        if not self.running or self._origin is None:
            return None
        return self._origin + self.plan.total_s

    def start(self, now: float) -> None:
        self._origin, self._paused_at = now, None
        self._next_tick, self._next_cue, self.done = 1, 0, False

    def elapsed(self, now: float) -> float:
        """Seconds of the hold gone by (frozen while paused)."""
        if self._paused_at is not None:
            return self._paused_at
        if self._origin is None:
            return 0.0
        return min(float(self.plan.total_s), max(0.0, now - self._origin))

    def remaining(self, now: float) -> float:
        return 0.0 if self.done else self.plan.total_s - self.elapsed(now)

    def update(self, now: float) -> list[Tick | DueCue]:
        """Ticks and cues due by `now`, in time order, each stamped with its scheduled time."""
        if self._origin is None or self.done:
            return []
        origin = self._origin
        elapsed = now - origin
        due: list[Tick | DueCue] = []
        cues = self.plan.cues
        # Merge the two schedules; a cue sharing a second with a tick comes first.
        while self._next_cue < len(cues) or self._next_tick <= self.plan.total_s:
            cue = cues[self._next_cue] if self._next_cue < len(cues) else None
            cue_at = cue.at_s if cue is not None else math.inf
            if cue is not None and cue_at <= self._next_tick and cue_at <= elapsed:
                due.append(DueCue(origin + cue_at, cue.text, cue.kind))
                self._next_cue += 1
            elif self._next_tick <= self.plan.total_s and self._next_tick <= elapsed:
                k = self._next_tick
                due.append(Tick(origin + k, float(self.plan.total_s - k)))
                self._next_tick += 1
            else:
                break
        if elapsed >= self.plan.total_s:
            self.done = True
        return due

    def pause(self, now: float) -> None:
        if self._origin is not None and not self.done:
            self._paused_at = self.elapsed(now)
            self._origin = None

    def resume(self, now: float) -> None:
        if self._paused_at is not None:
            self._origin, self._paused_at = now - self._paused_at, None

    def skip(self) -> None:
        """End the hold now: nothing more is due, and it counts as done."""
        if self.started:
            self.done = True
            self._paused_at = None

    def cancel(self) -> None:
        """Forget the hold: not running, not done."""
        self._origin, self._paused_at, self.done = None, None, False


class CueSpeaker(Protocol):
    """What the countdown needs of the coach's voice (voice.speaking.speaker.Speaker has it)."""

    def say(self, text: str) -> None: ...

    @property
    def speaking(self) -> bool: ...


class HoldCaptions(Protocol):
    """Where the countdown bar goes (voice.speaking.captions.Captions)."""

    def hold(self, remaining_s: float | None, total_s: float) -> None: ...

    def warning(self, message: str) -> None: ...


class SpokenCountdown:
    """A hold's countdown on an injected clock, speaking its cues through a speaker.

    Implements what the coaching loop drives (voice.coaching.loop.Countdown):
    `start(hold, cues)`, `pause()`, `resume()`, `cancel()`, `update()`,
    `remaining`, `finished`; plus `skip()`. `update()` returns only `Tick`
    events; cues become speech, and so `Said`/`SayEnd` events from the speaker.
    """

    def __init__(
        self,
        clock: Clock,
        speaker: CueSpeaker,
        *,
        captions: HoldCaptions | None = None,
        planner: Callable[[Hold | float, Sequence[str]], CountdownPlan] = plan_countdown,
    ) -> None:
        self.clock = clock
        self.speaker = speaker
        self.captions = captions
        self.planner = planner
        self.runner: CountdownRunner | None = None
        self.skipped: list[DueCue] = []
        """Cues not said because the coach was busy or they came too late (for tests)."""
        prepare = getattr(speaker, "prepare", None)
        if prepare is not None:  # the words every hold uses, ready before the first one
            prepare(COMMON_WORDS)

    def start(
        self, hold: Hold | float, cues: Sequence[str] = (), *, at: float | None = None
    ) -> None:
        """Start counting `hold` from `at` (default: the clock's now).

        A loop that knows its frame's time passes it as `at`: the hold then ends
        exactly on a frame boundary and is seen on that frame, not up to a frame
        later, and holds chained end to start never gather a frame's lateness each.
        """
        plan = self.planner(hold, cues)
        if plan.note is not None:
            log.warning(plan.note)
            if self.captions is not None:
                self.captions.warning(plan.note)
        prepare = getattr(self.speaker, "prepare", None)
        if prepare is not None:  # synthesize the words now, so each plays on its second
            prepare(list(dict.fromkeys(c.text for c in plan.cues)))
        self.runner = CountdownRunner(plan)
        self.runner.start(self.clock.now() if at is None else at)
        self.skipped = []

    def pause(self) -> None:
        if self.runner is not None:
            self.runner.pause(self.clock.now())

    def resume(self) -> None:
        if self.runner is not None:
            self.runner.resume(self.clock.now())

    def cancel(self) -> None:
        if self.runner is not None:
            self.runner.cancel()
        self.runner = None
        if self.captions is not None:
            self.captions.hold(None, 0.0)

    def skip(self) -> None:
        if self.runner is not None:
            self.runner.skip()

    def update(self) -> list[Event]:
        if self.runner is None:
            return []
        now = self.clock.now()
        was_done = self.runner.done
        ticks: list[Event] = []
        for item in self.runner.update(now):
            if isinstance(item, Tick):
                ticks.append(item)
            else:
                self._speak(item, now)
        if self.captions is not None and (ticks or self.runner.done != was_done):
            total = float(self.runner.plan.total_s)
            self.captions.hold(None if self.runner.done else self.runner.remaining(now), total)
        return ticks

    @property
    def remaining(self) -> float | None:
        if self.runner is None or self.runner.done or not self.runner.started:
            return None
        return self.runner.remaining(self.clock.now())

    @property
    def finished(self) -> bool:
        return self.runner is not None and self.runner.done

    @property
    def paused(self) -> bool:
        return self.runner is not None and self.runner.paused

    @property
    def ends_at(self) -> float | None:
        """When the running hold is scheduled to end on the clock (None unless running)."""
        return self.runner.ends_at if self.runner is not None else None

    def _speak(self, cue: DueCue, now: float) -> None:
        if cue.kind is not CueKind.ESSENTIAL and (self._busy(now) or now - cue.t > LATE_S):
            self.skipped.append(cue)
            return
        self.speaker.say(cue.text)

    def _busy(self, now: float) -> bool:
        """Is the coach still talking at `now`? Asks when the current line ends where the
        speaker can tell (the loop may not have updated it yet this frame)."""
        busy_until: float | None = getattr(self.speaker, "busy_until", None)
        if busy_until is not None:
            return busy_until > now
        return self.speaker.speaking
