"""`coach history [stats] [--json] [--since SPEC] [--limit N]`: the sessions done,
newest first, and `stats`, their sums.

Built this way because:
- the numbers are not made here: voice.history.report sums the sessions (pure, so
  its tests need no file and no clock); this module picks the sessions from the
  store, takes the clock once, and draws;
- it only reads: the file is opened with `HistoryStore.open_to_read`, and a
  missing file is not an error but a new user's first look, so it gets one
  friendly line and exit 0; any other failure of the file (damaged, written by a
  newer coach) is the store's one-line `HistoryError`, exit 2, like a bad
  `--since`;
- `--json` is for programs and its shapes are a contract
  (`SessionRecord.to_json`, `Stats.to_json`); the tables are for people, drawn by
  rich, with colour only on a terminal: in a pipe or a file the same tables come
  out as plain text, with no escape codes to strip;
- user text (exercise names, routine titles) never goes through rich markup, so
  a name with brackets in it prints as it is.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from voice.coaching.prompts import duration
from voice.errors import CoachError
from voice.history.model import Outcome, SessionRecord
from voice.history.report import SINCE_FORMS, DayMinutes, Stats, parse_since, stats
from voice.history.store import HistoryStore, exists, history_file
from voice.numbers import counted

if TYPE_CHECKING:  # rich loads only when a table is drawn: `coach --help` stays quick
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

TABLE_LIMIT = 20
"""Sessions in the table when no `--limit` is given (`--json` has no default limit)."""
WEEKS = 4
"""How far back `stats` counts weeks and draws minutes per day."""
CHART_ROWS = 6
BLOCKS = "▁▂▃▄▅▆▇█"
"""A bar's top, in eighths of a row."""
NAMES_SHOWN = 3
"""Exercise names in a session's "what" before the rest are "+N more"."""
OUTCOME_STYLES = {Outcome.FINISHED: "green", Outcome.STOPPED: "yellow", Outcome.CUT_OFF: "red"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "view",
        nargs="?",
        choices=["stats"],
        metavar="stats",
        help="sum the sessions: totals per exercise, sessions per week, the streak, "
        "and a chart of minutes per day",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print JSON: an array of sessions, newest first (with 'stats', one object)",
    )
    parser.add_argument(
        "--since", metavar="SPEC", help=f"only the sessions started since SPEC: {SINCE_FORMS}"
    )
    parser.add_argument(
        "--limit",
        type=_positive,
        metavar="N",
        help=f"only the N newest sessions (default: {TABLE_LIMIT} in the table, all otherwise)",
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return value


def main(args: argparse.Namespace) -> int:
    now = datetime.now().astimezone()
    since = _since(args.since, now)
    path = history_file(args.data_dir)
    if not exists(path):
        return _nothing_recorded(args, path.parent, now.date())
    store = HistoryStore.open_to_read(path)
    try:
        if args.view == "stats":
            sessions = store.sessions(since=since, limit=args.limit)
            total = len(sessions)
        else:
            limit = args.limit or (None if args.json else TABLE_LIMIT)
            sessions = store.sessions(since=since, limit=limit)
            full = not args.json and len(sessions) == limit
            total = store.count_sessions(since=since) if full else len(sessions)
    finally:
        store.close()
    if not sessions and not args.json:
        _say_empty(path.parent, since, now.date())
        return 0
    if args.view == "stats":
        _print_stats(stats(sessions, now.date(), WEEKS), args.json)
    elif args.json:
        _print_json([s.to_json() for s in sessions])
    else:
        _print_sessions(sessions, total, now.date())
    return 0


def _since(text: str | None, now: datetime) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_since(text, now)
    except ValueError as error:
        raise CoachError(str(error)) from None


def _nothing_recorded(args: argparse.Namespace, folder: Path, today: date) -> int:
    """No history file: an empty answer in the asked-for form."""
    if not args.json:
        _say_empty(folder, None, today)
    elif args.view == "stats":
        _print_json(stats([], today, WEEKS).to_json())
    else:
        _print_json([])
    return 0


def _say_empty(folder: Path, since: datetime | None, today: date) -> None:
    if since is None:
        print(f"No sessions recorded yet in {folder}.")
    else:
        print(f"No sessions recorded since {when(since, today)}.")


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _console() -> Console:
    """Rich on stdout: colour on a terminal, plain text anywhere else."""
    from rich.console import Console

    tty = sys.stdout.isatty()
    return Console(
        file=sys.stdout,
        force_terminal=None if tty else False,
        no_color=not tty,
        markup=False,
        highlight=False,
        emoji=False,
    )


# -- the sessions ----------------------------------------------------------------


def when(moment: datetime, today: date) -> str:
    """A moment as the table shows it, in local time: "Wed 2 Dec 09:14" (with the
    year when it is not this year's)."""
    local = moment.astimezone()
    year = f" {local.year}" if local.year != today.year else ""
    return f"{local:%a} {local.day} {local:%b}{year} {local:%H:%M}"


def what(session: SessionRecord) -> str:
    """What a session was: its routine's title, else its exercises' names."""
    if session.routine:
        return session.routine
    names = [e.name for e in session.exercises]
    if not names:
        return "-"
    shown = ", ".join(names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return f"{shown} +{more} more" if more > 0 else shown


def clock(seconds: float) -> str:
    """A length as a clock shows it: "12:05", "1:02:03"."""
    hours, rest = divmod(max(0, round(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def _table() -> Table:
    from rich import box
    from rich.table import Table

    return Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)


def _print_sessions(sessions: Sequence[SessionRecord], total: int, today: date) -> None:
    from rich.text import Text

    table = _table()
    table.add_column("Date", no_wrap=True)
    table.add_column("What")
    table.add_column("Duration", justify="right", no_wrap=True)
    table.add_column("Ended", no_wrap=True)
    for session in sessions:
        table.add_row(
            when(session.started, today),
            Text(what(session)),
            clock(session.duration_s),
            Text(session.outcome.value, style=OUTCOME_STYLES[session.outcome]),
        )
    console = _console()
    console.print(table)
    if total > len(sessions):
        console.print(
            f"\n{len(sessions)} of {counted(total, 'session')} shown; "
            "use --limit N or --since SPEC for others."
        )
    else:
        console.print(f"\n{counted(total, 'session')}.")


# -- stats -----------------------------------------------------------------------


def _print_stats(summary: Stats, as_json: bool) -> None:
    if as_json:
        _print_json(summary.to_json())
        return
    from rich.text import Text

    console = _console()
    table = _table()
    table.add_column("Exercise")
    for heading in ("Sessions", "Sets", "Reps", "Total hold", "Longest hold"):
        table.add_column(heading, justify="right", no_wrap=True)
    for done in summary.exercises:
        table.add_row(
            Text(done.name),
            str(done.sessions),
            str(done.sets),
            str(done.reps),
            clock(done.hold_s) if done.hold_s else "-",
            clock(done.longest_hold_s) if done.longest_hold_s else "-",
        )
    if summary.exercises:
        console.print(table)
        console.print()
    weeks = ", ".join(str(n) for n in summary.sessions_per_week)
    console.print(
        f"Sessions per week, last {len(summary.sessions_per_week)} weeks (oldest first): "
        f"{weeks} (mean {summary.mean_per_week:.1f})"
    )
    keep = " (a session today keeps it going)" if summary.streak_needs_today else ""
    console.print(f"Streak: {counted(summary.streak_days, 'day')}{keep}")
    total = duration(60 * round(summary.minutes))
    console.print(f"Total: {counted(summary.sessions, 'session')}, {total}")
    console.print()
    console.print(f"Minutes per day, last {counted(WEEKS, 'week')}:")
    for line in chart(summary.minutes_per_day, console.width):
        console.print(line, no_wrap=True, overflow="crop")


def chart(days: Sequence[DayMinutes], width: int, rows: int = CHART_ROWS) -> list[Text]:
    """Minutes per day as a vertical bar chart `rows` high, scaled to the busiest day
    (its minutes at the top left), with the weekdays and the date each seven-day
    block starts on under it.

    Two columns per day (a bar and a gap) when `width` allows, else one."""
    from rich.text import Text

    weeks = len(days) // 7
    busiest = max((d.minutes for d in days), default=0.0)
    if busiest <= 0:
        return [Text(f"(no sessions in the last {counted(weeks, 'week')})")]
    scale = f"{busiest:.0f} min"
    gutter = len(scale) + 1
    step = 2 if gutter + 2 * len(days) <= width else 1
    heights = [
        min(rows * 8, math.ceil(d.minutes / busiest * rows * 8)) if d.minutes > 0 else 0
        for d in days
    ]
    lines: list[Text] = []
    for row in range(rows - 1, -1, -1):
        line = Text((scale if row == rows - 1 else "").rjust(gutter - 1) + " ")
        for height in heights:
            level = height - row * 8
            line.append(BLOCKS[min(level, 8) - 1] if level > 0 else " ", style="cyan")
            line.append(" " * (step - 1))
        line.rstrip()
        lines.append(line)
    pad = " " * gutter
    lines.append(Text(pad + "─" * (step * len(days) - (step - 1))))
    lines.append(Text(pad + "".join(f"{d.day:%a}"[0].ljust(step) for d in days).rstrip()))
    labels = [" "] * (step * len(days))
    for start in range(0, len(days), 7):
        day = days[start].day
        label = f"{day.day} {day:%b}"
        labels[step * start : step * start + len(label)] = label
    lines.append(Text(pad + "".join(labels).rstrip()))
    return lines
