"""Summaries of the history, as plain data: what `coach history stats` shows.

Pure: sessions in, numbers out. Nothing here reads the file or the clock; "now"
and "today" are arguments, so every number can be checked by a test with a
handful of hand-made `SessionRecord`s. The one thing taken from the system is
the local time zone (`datetime.astimezone()`), because the history stores UTC
and a user's days, weeks and streaks are counted in their own local dates.

Conventions, decided once here:
- a session belongs to the local day it *started* on (one that runs past
  midnight is not split);
- its minutes run from start to end, or to the last thing recorded when it was
  cut off (`SessionRecord.duration_s`);
- "the last N weeks" are blocks of seven days ending today (the last one is
  today and the six days before it), not calendar weeks, so the newest block is
  never a half-empty week.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from voice.history.model import SessionRecord

SINCE_FORMS = "a number of days, weeks, hours or minutes (7d, 2w, 12h, 90m) or a date (2026-11-01)"
"""What `--since` accepts, as said in its help and in its error."""

_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_SPAN = re.compile(r"(\d{1,6})([mhdw])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_since(text: str, now: datetime) -> datetime:
    """The moment `--since TEXT` means: `7d`, `2w`, `12h`, `90m` back from `now`, or
    local midnight at the start of an ISO date (`2026-11-01`).

    Raises `ValueError` with one line saying what is accepted."""
    spec = text.strip().lower()
    span = _SPAN.fullmatch(spec)
    try:
        if span is not None and int(span.group(1)) > 0:
            return now - timedelta(**{_UNITS[span.group(2)]: int(span.group(1))})
        if _DATE.fullmatch(spec):
            return local_midnight(date.fromisoformat(spec))
    except (ValueError, OverflowError, OSError):
        pass  # 2026-13-45, 999999w: said below like any other bad value
    raise ValueError(f"--since {text!r}: give {SINCE_FORMS}")


def local_midnight(day: date) -> datetime:
    """The start of `day` in the local time zone, as an aware datetime."""
    return datetime.combine(day, time()).astimezone()


def local_day(moment: datetime) -> date:
    """The user's date at `moment` (a naive moment is taken as local already)."""
    return moment.astimezone().date()


@dataclass(frozen=True)
class ExerciseTotals:
    """One exercise summed over the sessions it was in."""

    id: str
    """The guide's id (what the totals are grouped by)."""
    name: str
    """Its name as the newest session recorded it (a guide may be renamed)."""
    sessions: int
    """How many sessions it was in."""
    sets: int
    """Routine sets of it done, in all."""
    reps: int
    """Reps counted, in all."""
    hold_s: float
    """Seconds spent holding, in all its holds (kept or cut short)."""
    longest_hold_s: float
    """The longest hold kept to its end, in any session (0 when none was)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "sessions": self.sessions,
            "sets": self.sets,
            "reps": self.reps,
            "hold_s": round(self.hold_s, 1),
            "longest_hold_s": round(self.longest_hold_s, 1),
        }


@dataclass(frozen=True)
class DayMinutes:
    """The minutes trained on one local day."""

    day: date
    minutes: float
    """Summed over the sessions that started on `day`."""


@dataclass(frozen=True)
class Stats:
    """What `coach history stats` shows, summed from a list of sessions."""

    today: date
    """The local date the stats were made on (the windows below end on it)."""
    sessions: int
    """How many sessions were summed."""
    minutes: float
    """Their total length, in minutes (cut-off sessions up to their last record)."""
    streak_days: int
    """Consecutive local days with at least one session, up to today; or up to
    yesterday when nothing was done yet today (the streak is still alive)."""
    trained_today: bool
    """At least one session started today."""
    sessions_per_week: tuple[int, ...]
    """Sessions started in each seven-day block ending today, oldest first."""
    exercises: tuple[ExerciseTotals, ...]
    """Per exercise: those in the most sessions first, then by name."""
    minutes_per_day: tuple[DayMinutes, ...]
    """Minutes on each of the last `7 * weeks` local days, oldest first (ends today)."""

    @property
    def mean_per_week(self) -> float:
        """Sessions per week over the blocks in `sessions_per_week`."""
        weeks = self.sessions_per_week
        return sum(weeks) / len(weeks) if weeks else 0.0

    @property
    def streak_needs_today(self) -> bool:
        """The streak ends yesterday: only a session today keeps it going."""
        return self.streak_days > 0 and not self.trained_today

    def to_json(self) -> dict[str, Any]:
        """The `coach history stats --json` shape."""
        return {
            "sessions": self.sessions,
            "minutes": round(self.minutes, 1),
            "streak_days": self.streak_days,
            "sessions_per_week": list(self.sessions_per_week),
            "exercises": [e.to_json() for e in self.exercises],
            "minutes_per_day": [
                {"date": d.day.isoformat(), "minutes": round(d.minutes, 1)}
                for d in self.minutes_per_day
            ],
        }


@dataclass
class _Sum:
    """An exercise's totals while they are being added up."""

    name: str
    newest: datetime
    sessions: set[int]
    sets: int = 0
    reps: int = 0
    hold_s: float = 0.0
    longest_hold_s: float = 0.0


def stats(sessions: Sequence[SessionRecord], today: date, weeks: int = 4) -> Stats:
    """Totals, weekly counts, the streak and minutes per day of `sessions` (in any
    order), seen from the local date `today`, over the last `weeks` weeks."""
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, not {weeks}")
    days = [local_day(s.started) for s in sessions]
    first = today - timedelta(days=7 * weeks - 1)
    per_week = [0] * weeks
    per_day = [0.0] * (7 * weeks)
    for session, day in zip(sessions, days, strict=True):
        if first <= day <= today:
            offset = (day - first).days
            per_week[offset // 7] += 1
            per_day[offset] += session.duration_s / 60
    return Stats(
        today=today,
        sessions=len(sessions),
        minutes=sum(s.duration_s for s in sessions) / 60,
        streak_days=streak(set(days), today),
        trained_today=today in days,
        sessions_per_week=tuple(per_week),
        exercises=_exercise_totals(sessions),
        minutes_per_day=tuple(
            DayMinutes(first + timedelta(days=i), minutes) for i, minutes in enumerate(per_day)
        ),
    )


def streak(days: set[date], today: date) -> int:
    """How many consecutive days in `days` end today, or end yesterday when today is
    not (yet) one of them."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def _exercise_totals(sessions: Sequence[SessionRecord]) -> tuple[ExerciseTotals, ...]:
    sums: dict[str, _Sum] = {}
    for session in sessions:
        for done in session.exercises:
            entry = sums.get(done.id)
            if entry is None:
                entry = sums[done.id] = _Sum(done.name, session.started, set())
            elif session.started > entry.newest:
                entry.name, entry.newest = done.name, session.started
            entry.sessions.add(session.id)
            entry.sets += done.sets
            entry.reps += done.reps
            entry.hold_s += done.hold_s
            entry.longest_hold_s = max(entry.longest_hold_s, done.longest_hold_s)
    totals = [
        ExerciseTotals(gid, s.name, len(s.sessions), s.sets, s.reps, s.hold_s, s.longest_hold_s)
        for gid, s in sums.items()
    ]
    return tuple(sorted(totals, key=lambda t: (-t.sessions, t.name.casefold(), t.id)))
