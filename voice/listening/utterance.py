"""One stretch of speech heard, and what it meant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from voice.intents import Command


@dataclass(frozen=True)
class Utterance:
    """A segment of speech the endpointer found and the recognizer judged."""

    start_s: float
    end_s: float
    decided_s: float
    """Audio time at which a live listener would have acted on it."""
    text: str
    """The words recognized ("" where nothing could be read)."""
    command: Command | None
    """None for speech that is not a command."""
    confidence: float
    """0..1: how sure the recognizer is that `command` was said."""
    decode_s: float = 0.0
    """Compute time the recognizer spent on it (not part of the JSON: it varies by run)."""

    def to_json(self, file: str) -> dict[str, Any]:
        """The `coach hear` object (see DESIGN.md, Contracts)."""
        return {
            "file": file,
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
            "decided_s": round(self.decided_s, 3),
            "intent": self.command.intent.value if self.command else None,
            "arg": self.command.arg if self.command else None,
            "text": self.text,
            "confidence": round(self.confidence, 3),
        }
