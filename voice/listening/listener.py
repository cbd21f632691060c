"""The listener: frames in, judged utterances out, as a live coach would hear them.

It joins the endpointer (where speech is) and the recognizer (what it meant) and
stamps each utterance with the audio time at which it was decided, so `coach hear`
on a file reports the same `decided_s` a live session would have acted at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from voice.commands import Vocabulary
from voice.listening.audio import AudioSource, Frame
from voice.listening.endpoint import Endpointer, EndpointSettings, Segment
from voice.listening.lexicon import Lexicon
from voice.listening.recognizer import Recognizer, RecognizerSettings
from voice.listening.utterance import Utterance


@dataclass(frozen=True)
class ListenerSettings:
    """Endpointing and recognition settings together."""

    endpoint: EndpointSettings = field(default_factory=EndpointSettings)
    recognizer: RecognizerSettings = field(default_factory=RecognizerSettings)
    cache_dir: Path | None = None
    """Where generated pronunciations are cached (None: the user's cache folder)."""


class Listener:
    """Streaming command listener with one long-lived decoder."""

    def __init__(self, vocabulary: Vocabulary, *, settings: ListenerSettings | None = None) -> None:
        self.settings = s = settings or ListenerSettings()
        self.vocabulary = vocabulary
        self.recognizer = Recognizer(
            vocabulary, settings=s.recognizer, lexicon=Lexicon(s.cache_dir)
        )
        self._endpointer = Endpointer(s.endpoint)

    def feed(self, frame: Frame) -> list[Utterance]:
        """Utterances decided at this frame (usually none)."""
        return [self._judge(segment) for segment in self._endpointer.feed(frame)]

    def flush(self) -> list[Utterance]:
        """End of stream: judge the speech still open."""
        return [self._judge(segment) for segment in self._endpointer.flush()]

    def reset(self) -> None:
        """Forget the stream between independent clips; the decoder stays loaded."""
        self._endpointer.reset()

    def _judge(self, segment: Segment) -> Utterance:
        if segment.too_long:
            return Utterance(segment.start_s, segment.end_s, segment.decided_s, "", None, 0.0)
        result = self.recognizer.recognize(
            segment.pcm, segment.end_s - segment.start_s, segment.background
        )
        return Utterance(
            start_s=segment.start_s,
            end_s=segment.end_s,
            decided_s=segment.decided_s,
            text=result.text,
            command=result.command,
            confidence=result.confidence,
        )


def hear(source: AudioSource, listener: Listener) -> Iterator[Utterance]:
    """Every utterance in `source`, in order, as each is decided."""
    for frame in source.frames():
        yield from listener.feed(frame)
    yield from listener.flush()
