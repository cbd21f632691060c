"""Captions: what the coach says, which step it is on, and a bar while a hold counts down.

For a user who cannot hear the coach (no speakers, a loud room, no working
text-to-speech), and for anyone glancing at the screen. In a terminal they use
rich (colour, a live countdown bar that redraws in place); when stdout is a pipe
or a file they are plain lines, one per event, with the hold shown every five
seconds and each of the last five, so a log stays readable.

`Captions` is also an event sink (`write(event)`), so the coaching loop can pass
its events through it: steps are captioned from `StepStarted`. Lines themselves
come from the speaker (`line(text)`) as each starts playing, so `Said` events
are not captioned twice.
"""

from __future__ import annotations

import math

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TextColumn

from voice.events import Event, Rep, RoutineEnded, RoutineStarted, SetStarted, StepStarted


class Captions:
    """Prints the coach's lines, steps and hold countdowns to a console."""

    def __init__(self, console: Console | None = None, *, total_steps: int | None = None) -> None:
        self.console = console or Console(highlight=False)
        self.total_steps = total_steps
        """Steps in the current guide, for "Step N of M" (None: "Step N")."""
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._last_plain: int | None = None

    @property
    def rich(self) -> bool:
        """True in a terminal: colour and a bar redrawn in place."""
        return self.console.is_terminal

    def line(self, text: str) -> None:
        """A line the coach starts saying."""
        if self.rich:
            self.console.print(f"[bold cyan]Coach:[/] {escape(text)}")
        else:
            self._plain(f"coach: {text}")

    def step(self, index: int, title: str, total: int | None = None) -> None:
        """The session moved to step `index` (0-based) of `total`."""
        total = total if total is not None else self.total_steps
        label = f"Step {index + 1} of {total}" if total else f"Step {index + 1}"
        if self.rich:
            self.console.rule(f"[bold]{escape(label)}: {escape(title)}")
        else:
            self._plain(f"{label}: {title}")

    def hold(self, remaining_s: float | None, total_s: float) -> None:
        """The countdown now; `remaining_s` None when the hold ended or was cancelled."""
        if remaining_s is None:
            self._end_hold()
            return
        if self.rich:
            self._draw_bar(remaining_s, total_s)
            return
        whole = math.ceil(remaining_s)
        if whole != self._last_plain and (whole % 5 == 0 or whole <= 5):
            self._plain(f"hold: {whole} s left of {total_s:g}")
        self._last_plain = whole

    def warning(self, message: str) -> None:
        if self.rich:
            self.console.print(f"[yellow]warning:[/] {escape(message)}")
        else:
            self._plain(f"warning: {message}")

    def write(self, event: Event) -> None:
        """As an event sink: caption the session's steps, a routine's sets and reps."""
        match event:
            case StepStarted():
                self.step(event.index, event.title, event.total)
            case RoutineStarted():
                self.heading(f"{event.title}: {len(event.exercises)} exercises")
            case SetStarted():
                self.heading(f"{event.exercise}: set {event.set} of {event.sets}")
            case Rep():
                side = f" (side {event.side})" if event.side is not None else ""
                self._plain(f"rep {event.n} of {event.reps}{side}")
            case RoutineEnded():
                how = "complete" if event.finished else "ended"
                self.heading(f"Routine {how}: {event.done} sets in {event.elapsed_s:.0f} s")

    def heading(self, text: str) -> None:
        """A ruled heading in a terminal, a plain line elsewhere."""
        if self.rich:
            self.console.rule(f"[bold]{escape(text)}")
        else:
            self._plain(text)

    def close(self) -> None:
        self._end_hold()

    # -- inside -----------------------------------------------------------------

    def _plain(self, text: str) -> None:
        # Plain text, not markup: guide text may contain brackets rich would eat.
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def _draw_bar(self, remaining_s: float, total_s: float) -> None:
        if self._bar is None:
            self._bar = Progress(
                TextColumn("[bold]Hold"),
                BarColumn(),
                TextColumn("{task.fields[left]} s left"),
                console=self.console,
                auto_refresh=False,  # redrawn on each tick: no refresh thread of its own
                transient=True,
            )
            self._task = self._bar.add_task("hold", total=total_s, left=math.ceil(total_s))
            self._bar.start()
        assert self._task is not None
        done = total_s - remaining_s
        self._bar.update(self._task, completed=done, left=math.ceil(remaining_s))
        self._bar.refresh()

    def _end_hold(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
            self._task = None
        self._last_plain = None
