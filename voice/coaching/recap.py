"""What the session knows of the user's progress: the sessions before it (`Past`,
read once from the history when it began) and what it has seen done itself.

Pure, like the session: it answers "how did I do" and "what did I do last time"
in one line, and says when a hold was kept longer than ever before ("Your
longest Wall Sit yet: 1 minute."), once per new best. The history itself is
written elsewhere, from the session's events (voice.history.recorder).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from voice.coaching import prompts
from voice.history.model import Past, SessionRecord
from voice.history.report import local_day


@dataclass
class _Done:
    """One exercise as this session saw it."""

    name: str
    steps: int = 0
    sets: int = 0
    reps: int = 0
    longest_s: float = 0.0


@dataclass
class Tally:
    """This session's progress beside the past's (None when the history is off)."""

    past: Past | None = None
    done: dict[str, _Done] = field(default_factory=dict)
    """By guide id, in the order begun."""
    said_best: dict[str, float] = field(default_factory=dict)
    """The new bests already announced, by guide id."""

    def reached_step(self, guide_id: str, name: str, steps: int) -> None:
        entry = self.done.setdefault(guide_id, _Done(name))
        entry.steps = max(entry.steps, steps)

    def kept_hold(self, guide_id: str, name: str, seconds: float) -> None:
        """A hold of `seconds` (per side) ran to its end."""
        entry = self.done.setdefault(guide_id, _Done(name))
        entry.longest_s = max(entry.longest_s, seconds)

    def set_done(self, guide_id: str, name: str, reps: int | None) -> None:
        """A routine's set ran to its end (`reps`: its reps, on each side)."""
        entry = self.done.setdefault(guide_id, _Done(name))
        entry.sets += 1
        entry.reps += reps or 0

    def new_bests(self) -> str:
        """The holds kept longer than ever before and not yet announced, as lines
        ("" when there are none). A first-ever hold sets no record to beat."""
        if self.past is None:
            return ""
        lines = []
        for guide_id, entry in self.done.items():
            before = self.past.best_hold_s.get(guide_id)
            best = max(before or 0.0, self.said_best.get(guide_id, 0.0))
            if before is not None and entry.longest_s > best:
                self.said_best[guide_id] = entry.longest_s
                lines.append(prompts.longest_yet(entry.name, entry.longest_s))
        return " ".join(lines)

    def so_far(self) -> str:
        """ "How did I do": this session's exercises, or the last session's when none
        was begun yet."""
        items = [
            prompts.recap_item(e.name, steps=e.steps, sets=e.sets, reps=e.reps, hold_s=e.longest_s)
            for e in self.done.values()
        ]
        if not items:
            return self.last_time()
        return prompts.SO_FAR.format(items=prompts.recap_items(items))

    def last_time(self) -> str:
        """ "What did I do last time": the last session before this one, in one line."""
        if self.past is None:
            return prompts.HISTORY_OFF
        if self.past.last is None:
            return prompts.NO_HISTORY_YET
        return session_line(self.past.last, self.past)


def session_line(record: SessionRecord, past: Past) -> str:
    """A recorded session in one line: when, what, how long, how it ended."""
    when = prompts.day_said(local_day(record.started), past.today)
    items = [
        prompts.recap_item(
            e.name, steps=e.steps_done, sets=e.sets, reps=e.reps, hold_s=e.longest_hold_s
        )
        for e in record.exercises
    ]
    if record.routine:
        done = prompts.recap_items(items)
        items = [f"{record.routine}: {done}" if done else record.routine]
    if not items:
        return prompts.LAST_TIME_EMPTY.format(when=when)
    return prompts.LAST_TIME.format(
        when=when,
        items=prompts.recap_items(items),
        duration=prompts.duration(record.duration_s),
        ending=prompts.ENDINGS[record.outcome.value],
    )
