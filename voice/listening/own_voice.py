"""The own-voice filter: a command made of the coach's own words is the coach's echo.

A stage of the coaching chain after the listener. It follows what the coach says
by subscribing to the session's `Said`/`SayEnd` events, and refuses a command
whose words were all in a line the coach was saying while the user spoke, or
whose text nearly matches part of one ("the band please" heard in "And
release."). It costs the user the chance to say that very word over that line
("next" over "say next when you're ready"), which is why the lines are timed:
only lines overlapping the utterance count.

Measured (benchmarks/bench_session.py, ten minutes of the coach talking into its
own echo at 0.5): with no defence 5 commands were obeyed; the canceller alone
brought that to 0, and own-words rejection alone to 0 once near matches counted
(5 with exact words only). Both run by default: they fail in different ways.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from voice.events import Event, Said, SayEnd
from voice.listening.echo import EchoSettings
from voice.listening.utterance import Utterance
from voice.words import letter_words

_KEEP_LINES = 32
"""Lines long over cannot overlap anything heard from now on."""


@dataclass
class _Line:
    text: str
    start: float
    end: float | None = None


class OwnVoiceFilter:
    """Vets each heard command against the lines the coach was saying at the time."""

    def __init__(self, settings: EchoSettings | None = None) -> None:
        self.settings = settings or EchoSettings()
        self._lines: list[_Line] = []

    def observe(self, event: Event) -> None:
        """Follow the coach's lines (subscribed to the chain's events)."""
        if isinstance(event, Said):
            self._lines.append(_Line(event.text, event.t))
        elif isinstance(event, SayEnd):
            for line in reversed(self._lines):
                if line.end is None:
                    line.end = event.t
                    break
        del self._lines[:-_KEEP_LINES]

    def reject(self, utterance: Utterance) -> str | None:
        """Why the utterance is taken for the coach's own voice, or None to obey it."""
        if not self.settings.own_words or utterance.command is None:
            return None
        words = letter_words(utterance.text)
        if not words:
            return None
        spoken = " ".join(words)
        for text in self._overlapping(utterance):
            said = letter_words(text)
            if set(words) <= set(said):
                return f"own words: {text[:60]!r}"
            limit = self.settings.similarity
            if limit is not None and fuzz.partial_ratio(spoken, " ".join(said)) >= limit:
                return f"like own words: {text[:60]!r}"
        return None

    def _overlapping(self, utterance: Utterance) -> list[str]:
        """Lines said while the user spoke (with `margin_s` of slack), and any still playing."""
        margin = self.settings.margin_s
        return [
            line.text
            for line in self._lines
            if line.end is None
            or (line.start - margin <= utterance.end_s and line.end + margin >= utterance.start_s)
        ]
