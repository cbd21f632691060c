"""Captions: plain lines when stdout is not a terminal, rich (with a bar) when it is."""

from __future__ import annotations

import re
from io import StringIO

from rich.console import Console

from voice.events import StepStarted, Tick
from voice.speaking.captions import Captions


def plain() -> tuple[Captions, StringIO]:
    buffer = StringIO()
    return Captions(Console(file=buffer, width=100), total_steps=4), buffer


def test_plain_captions_are_one_line_each() -> None:
    captions, buffer = plain()
    captions.step(1, "Lift your hips")
    captions.line("Press through your [heels].")
    captions.warning("pyttsx3 hung; using the next voice")
    assert buffer.getvalue().splitlines() == [
        "Step 2 of 4: Lift your hips",
        "coach: Press through your [heels].",
        "warning: pyttsx3 hung; using the next voice",
    ]


def test_plain_hold_shows_every_five_seconds_and_the_last_five() -> None:
    captions, buffer = plain()
    for remaining in range(11, -1, -1):
        captions.hold(float(remaining), 12.0)
    captions.hold(None, 12.0)
    assert buffer.getvalue().splitlines() == [
        f"hold: {n} s left of 12" for n in (10, 5, 4, 3, 2, 1, 0)
    ]


def test_step_events_are_captioned_and_others_ignored() -> None:
    captions, buffer = plain()
    captions.write(StepStarted(0.0, 0, "Setup"))
    captions.write(Tick(1.0, 5.0))
    assert buffer.getvalue().splitlines() == ["Step 1 of 4: Setup"]


def test_terminal_captions_draw_a_bar_and_clear_it() -> None:
    buffer = StringIO()
    captions = Captions(Console(file=buffer, width=80, force_terminal=True))
    assert captions.rich
    captions.step(0, "Setup", total=3)
    captions.line("Hold.")
    for remaining in (29.0, 28.0, 15.0):
        captions.hold(remaining, 30.0)
    captions.hold(None, 30.0)
    captions.close()
    out = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", buffer.getvalue())
    assert "Step 1 of 3" in out and "Hold." in out and "15 s left" in out and "━" in out
