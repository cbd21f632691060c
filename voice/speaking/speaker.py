"""The interfaces between the session and the coach's voice.

A `Speaker` turns lines of text into audio on the session's clock and reports when
each line starts and ends; an `AudioOut` is where that audio goes (the speakers, a
WAV on the session timeline, or only memory). The session loop calls `update()` every
frame, so a speaker never needs a thread of its own to keep time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from voice.audio import Pcm
from voice.events import Event


class AudioOut(Protocol):
    """Plays 16 kHz mono audio on the session timeline and remembers what it played."""

    def play(self, pcm: Pcm, t: float) -> None:
        """Start `pcm` at time `t`, replacing anything still playing."""
        ...

    def stop(self, t: float) -> None:
        """Silence from time `t` on."""
        ...

    def played(self, t: float, n: int) -> Pcm:
        """The `n` samples that were playing from time `t` (zeros where silent).

        The echo canceller's reference, and the simulator's source of echo.
        """
        ...

    def close(self) -> None:
        """Release the device or finish the file; safe to call twice."""
        ...


class Speaker(Protocol):
    """The coach's voice: queued lines, cut off on demand, timed on the injected clock."""

    def say(self, text: str) -> None:
        """Queue a line; it starts at once if nothing is being said."""
        ...

    def stop(self) -> None:
        """Cut the current line and drop the queue; each gets an interrupted `SayEnd`."""
        ...

    def update(self) -> list[Event]:
        """Advance to the clock's now: start and finish lines; return `Said`/`SayEnd` events."""
        ...

    @property
    def speaking(self) -> bool:
        """True while a line is playing or queued."""
        ...

    @property
    def current_text(self) -> str | None:
        """The line being played now, if any (for ignoring the coach's own words)."""
        ...

    @property
    def busy_until(self) -> float | None:
        """When the coach falls silent on the clock: the current line's end, infinity while
        more lines wait (their length is unknown until synthesized), None when silent now.
        The countdown asks it before a number, since the loop may not have updated
        the speaker yet this frame."""
        ...

    def prepare(self, texts: Sequence[str]) -> None:
        """Synthesize lines ahead, off the loop's thread, so each plays on its second (the
        countdown prepares its words); a no-op where the voice cannot."""
        ...

    def close(self) -> None:
        """Stop and release the engine and the audio output."""
        ...
