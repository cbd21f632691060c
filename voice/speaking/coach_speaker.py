"""The coach's voice: queued lines, synthesized, played on an `AudioOut`, timed on the clock.

`CoachSpeaker` implements `voice.speaking.speaker.Speaker`. It keeps no thread
and reads no wall clock: the session loop calls `update()` every frame, and
every time comes from the injected `Clock`. A line starts at `clock.now()` when
it is started (by `say()` when nothing is playing, else by `update()` once the
line before it ends) and ends at its start plus the length of its audio, so the
same session gives the same timeline live and on a virtual clock.

The promise about end events: every line handed to `say()` gets exactly one
`SayEnd`. A line that played gets `Said` then `SayEnd(interrupted=False)` at its
end, or `SayEnd(interrupted=True)` at the moment `stop()` cut it. A line still
waiting in the queue when `stop()` comes gets a `SayEnd(interrupted=True)` at
that moment and no `Said`, because it was never heard; nothing is dropped
without a trace. A synthesizer that fails falls back to silence of the line's
estimated length, so a line is never lost to a broken engine either.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from voice.audio import SAMPLE_RATE, Pcm
from voice.clock import Clock
from voice.events import Event, Said, SayEnd
from voice.speaking.speaker import AudioOut
from voice.speaking.synth import CaptionOnlySynth, Synthesizer
from voice.speaking.text import lines as speakable_lines

log = logging.getLogger(__name__)


class LineCaptions(Protocol):
    """Where each line is shown as it starts (voice.speaking.captions.Captions)."""

    def line(self, text: str) -> None: ...

    def warning(self, message: str) -> None: ...


@dataclass(frozen=True)
class _Playing:
    text: str
    start: float
    end: float


class CoachSpeaker:
    """Speaks lines one after another on `out`, timed on `clock`; `stop()` cuts at once."""

    def __init__(
        self,
        clock: Clock,
        synth: Synthesizer,
        out: AudioOut,
        *,
        captions: LineCaptions | None = None,
        split: bool = True,
    ) -> None:
        """`split`: clean each text and cut it at sentence ends (voice.speaking.text);
        off, each `say()` is one line exactly as given."""
        self.clock = clock
        self.synth = synth
        self.out = out
        self.captions = captions
        self.split = split
        self._queue: deque[str] = deque()
        self._playing: _Playing | None = None
        self._events: list[Event] = []
        self._silence = CaptionOnlySynth()
        self._closed = False

    # -- the Speaker protocol ---------------------------------------------------

    def say(self, text: str) -> None:
        new = speakable_lines(text) if self.split else [text]
        self._queue.extend(new)
        self._advance(self.clock.now())
        # The first line was synthesized just now if nothing was playing; the others
        # are prepared in the background so each starts the moment the last ends.
        waiting = [line for line in new if line in self._queue]
        if waiting:
            self.synth.prefetch(waiting)

    def stop(self) -> None:
        now = self.clock.now()
        if self._playing is not None:
            self.out.stop(now)
            self._events.append(SayEnd(now, self._playing.text, True))
            self._playing = None
        while self._queue:
            self._events.append(SayEnd(now, self._queue.popleft(), True))

    def update(self) -> list[Event]:
        self._advance(self.clock.now())
        events, self._events = self._events, []
        return events

    @property
    def speaking(self) -> bool:
        return self._playing is not None or bool(self._queue)

    @property
    def current_text(self) -> str | None:
        return self._playing.text if self._playing is not None else None

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.stop()
        self.out.close()
        self.synth.close()

    @property
    def busy_until(self) -> float | None:
        if self._queue:
            return math.inf
        return self._playing.end if self._playing is not None else None

    def prepare(self, texts: Sequence[str]) -> None:
        ready: list[str] = []
        for text in texts:
            ready += speakable_lines(text) if self.split else [text]
        self.synth.prefetch(ready)

    # -- beyond the protocol ----------------------------------------------------

    def pending_events(self) -> list[Event]:
        """Events waiting for the next `update()` (read-only peek, for tests)."""
        return list(self._events)

    # -- inside ------------------------------------------------------------------

    def _advance(self, now: float) -> None:
        """Finish the line whose audio has run out, then start the next one, if any."""
        if self._playing is not None and now >= self._playing.end:
            self._events.append(SayEnd(self._playing.end, self._playing.text, False))
            self._playing = None
        if self._playing is None and self._queue:
            self._start(self._queue.popleft())

    def _start(self, text: str) -> None:
        pcm = self._synthesize(text)
        # Read the clock after synthesis: on the real clock the audio starts then.
        start = self.clock.now()
        self.out.play(pcm, start)
        self._playing = _Playing(text, start, start + len(pcm) / SAMPLE_RATE)
        self._events.append(Said(start, text))
        if self.captions is not None:
            self.captions.line(text)

    def _synthesize(self, text: str) -> Pcm:
        try:
            return self.synth.synthesize(text)
        except Exception as e:  # never lose a line to an engine: keep its time in silence
            message = f"could not speak {text[:40]!r}: {e}"
            log.warning(message)
            if self.captions is not None:
                self.captions.warning(message)
            return self._silence.synthesize(text)
