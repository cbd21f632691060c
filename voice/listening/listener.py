"""The listener: frames in, judged utterances out, as a live coach would hear them.

It joins the endpointer (where speech is) and a recognizer (what it meant) and
stamps each utterance with the audio time at which it was decided, so `coach hear`
on a file reports the same `decided_s` a live session would have acted at. The
session tells it what makes sense to say now (`expect`); the recognizer accepts
only commands that fit.

Build one with `voice.listening.factory.build_listener`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from voice.audio import AudioSource, Frame, Pcm
from voice.commands import Vocabulary
from voice.listening.context import Context
from voice.listening.endpoint import Endpointer, EndpointSettings, Segment
from voice.listening.recognizer import Recognition, RecognizerSettings
from voice.listening.utterance import Utterance


class SegmentRecognizer(Protocol):
    """What the listener needs of a recognizer: one segment in, one verdict out."""

    vocabulary: Vocabulary

    def recognize(
        self, pcm: Pcm, speech_s: float | None = None, context: Context = Context.ANY
    ) -> Recognition: ...


@dataclass(frozen=True)
class ListenerSettings:
    """Endpointing and recognition settings together."""

    endpoint: EndpointSettings = field(default_factory=EndpointSettings)
    recognizer: RecognizerSettings = field(default_factory=RecognizerSettings)
    """The pocketsphinx recognizer's own thresholds (its fallback path)."""
    cache_dir: Path | None = None
    """Where generated pronunciations are cached (None: the user's cache folder)."""


class Listener:
    """Streaming command listener over one long-lived recognizer."""

    def __init__(self, recognizer: SegmentRecognizer, endpointer: Endpointer) -> None:
        self.recognizer = recognizer
        self.vocabulary = recognizer.vocabulary
        self.context = Context.ANY
        self._endpointer = endpointer

    def expect(self, context: Context) -> None:
        """What the user may sensibly say from now on (the session's situation)."""
        self.context = context

    def feed(self, frame: Frame) -> list[Utterance]:
        """Utterances decided at this frame (usually none)."""
        return [self._judge(segment) for segment in self._endpointer.feed(frame)]

    def flush(self) -> list[Utterance]:
        """End of stream: judge the speech still open."""
        return [self._judge(segment) for segment in self._endpointer.flush()]

    def reset(self) -> None:
        """Forget the stream between independent clips; the models stay loaded."""
        self._endpointer.reset()

    def _judge(self, segment: Segment) -> Utterance:
        if segment.too_long:
            return Utterance(segment.start_s, segment.end_s, segment.decided_s, "", None, 0.0)
        result = self.recognizer.recognize(
            segment.pcm, segment.end_s - segment.start_s, self.context
        )
        return Utterance(
            start_s=segment.start_s,
            end_s=segment.end_s,
            decided_s=segment.decided_s,
            text=result.text,
            command=result.command,
            confidence=result.confidence,
            decode_s=result.decode_s,
        )


def hear(source: AudioSource, listener: Listener) -> Iterator[Utterance]:
    """Every utterance in `source`, in order, as each is decided."""
    for frame in source.frames():
        yield from listener.feed(frame)
    yield from listener.flush()
