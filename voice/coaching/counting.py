"""Counting a hold down on the clock, aloud: a runner that never drifts, and its voice.

- `CountdownRunner` walks a `CountdownPlan` (voice.coaching.countdown) given
  `now` values. Tick k is due at start + k and is reported with that scheduled
  time, however late `update()` is called, so speaking never stretches a hold
  (the Textual/OVOS lesson: keep an absolute origin, derive everything from it).
  Pause moves the origin.
- `SpokenCountdown(clock, speaker)`: the runner on an injected clock, saying
  its cues on the coach's `Speaker`; the countdown stage of the coaching chain.

A number or key point due while the coach is still talking is skipped, never
delayed: a late "three" said during "two" would be wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from voice.clock import Clock
from voice.coaching.countdown import (
    COMMON_WORDS,
    CountdownPlan,
    CueKind,
    plan_countdown,
    plan_reps,
    plan_rest,
)
from voice.events import Event, Rep, Tick
from voice.guides.model import Hold
from voice.speaking.speaker import Speaker

log = logging.getLogger(__name__)

_EPS_S = 1e-6
"""Float slack: a cue due on a frame's end is due on that frame, not the next
(an origin of 7.98 plus 6 is 13.979999... on the frame ending at 13.98)."""

LATE_S = 0.5
"""A skippable cue found this late (the loop was held up) is dropped, not said late."""


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
        self._next_rep = 0
        self._ran_out = False
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

    @property
    def ended_at(self) -> float | None:
        """The clock time a hold that ran to its end was scheduled to end; None
        otherwise. The next timed stretch chained to it starts there, not a frame late."""
        if not self._ran_out or self._origin is None:
            return None
        return self._origin + self.plan.total_s

    def start(self, now: float) -> None:
        self._origin, self._paused_at = now, None
        self._next_tick, self._next_cue, self._next_rep = 1, 0, 0
        self.done = self._ran_out = False

    def elapsed(self, now: float) -> float:
        """Seconds of the hold gone by (frozen while paused)."""
        if self._paused_at is not None:
            return self._paused_at
        if self._origin is None:
            return 0.0
        return min(float(self.plan.total_s), max(0.0, now - self._origin))

    def remaining(self, now: float) -> float:
        return 0.0 if self.done else self.plan.total_s - self.elapsed(now)

    def update(self, now: float) -> list[Tick | Rep | DueCue]:
        """Ticks, reps and cues due by `now`, in time order, each stamped with its
        scheduled time (a cue sharing a second with a tick comes first)."""
        if self._origin is None or self.done:
            return []
        origin = self._origin
        elapsed = now - origin + _EPS_S
        plan = self.plan
        due: list[tuple[float, int, Tick | Rep | DueCue]] = []
        while self._next_cue < len(plan.cues) and plan.cues[self._next_cue].at_s <= elapsed:
            cue = plan.cues[self._next_cue]
            due.append((cue.at_s, 0, DueCue(origin + cue.at_s, cue.text, cue.kind)))
            self._next_cue += 1
        while self._next_rep < len(plan.reps) and plan.reps[self._next_rep].at_s <= elapsed:
            mark = plan.reps[self._next_rep]
            rep = Rep(origin + mark.at_s, mark.n, mark.reps, mark.side)
            due.append((mark.at_s, 1, rep))
            self._next_rep += 1
        while self._next_tick <= plan.total_s and self._next_tick <= elapsed:
            k = self._next_tick
            if plan.ticks:
                due.append((k, 2, Tick(origin + k, float(plan.total_s - k))))
            self._next_tick += 1
        if elapsed >= plan.total_s:
            self.done = self._ran_out = True
        return [item for _, _, item in sorted(due, key=lambda d: (d[0], d[1]))]

    def replan(self, plan: CountdownPlan, now: float) -> None:
        """Go on with `plan` from the point reached (a rest made longer): cues and reps
        already past stay said; the rest of the new plan is due from the same origin."""
        elapsed = self.elapsed(now)
        self.plan = plan
        self._next_cue = sum(1 for c in plan.cues if c.at_s < elapsed)
        self._next_rep = sum(1 for r in plan.reps if r.at_s < elapsed)
        self.done = self._ran_out = False

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


class HoldCaptions(Protocol):
    """Where the countdown bar goes (voice.speaking.captions.Captions)."""

    def hold(self, remaining_s: float | None, total_s: float) -> None: ...

    def warning(self, message: str) -> None: ...


class SpokenCountdown:
    """A timed stretch (hold, set of reps, rest) on an injected clock, speaking its
    cues through a speaker.

    Implements what the coaching loop drives (voice.coaching.stages.Countdown):
    `start(hold, cues)`, `start_reps(reps, rep_s)`, `start_rest(seconds, announce)`,
    `extend(seconds)`, `pause()`, `resume()`, `cancel()`, `update()`,
    `remaining`, `finished`; plus `skip()`. `update()` returns `Tick` and `Rep`
    events; cues become speech, and so `Said`/`SayEnd` events from the speaker.
    """

    def __init__(
        self,
        clock: Clock,
        speaker: Speaker,
        *,
        captions: HoldCaptions | None = None,
        planner: Callable[[Hold | float, Sequence[str]], CountdownPlan] = plan_countdown,
    ) -> None:
        self.clock = clock
        self.speaker = speaker
        self.captions = captions
        self.planner = planner
        self.runner: CountdownRunner | None = None
        self._replan: Callable[[float], CountdownPlan] | None = None
        self.skipped: list[DueCue] = []
        """Cues not said because the coach was busy or they came too late (for tests)."""
        speaker.prepare(COMMON_WORDS)  # the words every hold uses, ready before the first

    def start(
        self, hold: Hold | float, cues: Sequence[str] = (), *, at: float | None = None
    ) -> None:
        """Start counting `hold` from `at` (default: the clock's now).

        A loop that knows its frame's time passes it as `at`: the hold then ends
        exactly on a frame boundary and is seen on that frame, not up to a frame
        later, and holds chained end to start never gather a frame's lateness each.
        """
        self.start_plan(self.planner(hold, cues), at=at)

    def start_reps(
        self, reps: int, rep_s: float, *, each_side: bool = False, at: float | None = None
    ) -> None:
        """Count a set of `reps` reps of `rep_s` seconds each, from `at`; see `start`."""
        self.start_plan(plan_reps(reps, rep_s, each_side=each_side), at=at)

    def start_rest(self, seconds: float, announce: str, *, at: float | None = None) -> None:
        """Start a rest of `seconds` that opens with `announce`; `extend` can lengthen it."""
        self.start_plan(plan_rest(seconds, announce), at=at)
        self._replan = lambda total: plan_rest(total, announce)

    def start_plan(self, plan: CountdownPlan, *, at: float | None = None) -> None:
        """Walk `plan` from `at` (default: the clock's now); see `start`."""
        if plan.note is not None:
            log.warning(plan.note)
            if self.captions is not None:
                self.captions.warning(plan.note)
        # Synthesized now, so each word plays on its second.
        self.speaker.prepare(list(dict.fromkeys(c.text for c in plan.cues)))
        self.runner = CountdownRunner(plan)
        self.runner.start(self.clock.now() if at is None else at)
        self._replan = None
        self.skipped = []

    def extend(self, seconds: float) -> bool:
        """Make the running rest `seconds` longer; False when no rest is running."""
        if self.runner is None or self._replan is None or self.runner.done:
            return False
        self.runner.replan(self._replan(self.runner.plan.total_s + seconds), self.clock.now())
        return True

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
            if isinstance(item, DueCue):
                self._speak(item, now)
            else:
                ticks.append(item)
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

    @property
    def ended_at(self) -> float | None:
        """When the hold that just ran out was scheduled to end (None otherwise)."""
        return self.runner.ended_at if self.runner is not None else None

    def _speak(self, cue: DueCue, now: float) -> None:
        if cue.kind is not CueKind.ESSENTIAL and (self._busy(now) or now - cue.t > LATE_S):
            self.skipped.append(cue)
            return
        self.speaker.say(cue.text)

    def _busy(self, now: float) -> bool:
        """Is the coach still talking at `now`? Asks when the current line ends (the loop
        may not have updated the speaker yet this frame)."""
        busy_until = self.speaker.busy_until
        return busy_until is not None and busy_until > now
