"""Typed input: lines typed live (`coach run --text`) or scripted (`--text-in FILE`).

A typed session has no microphone, but the loop still moves on audio frames:
silent ones, paced by the real clock (`SilentFrames(realtime=True)`) or as fast
as the machine allows on the virtual clock (`--text-in FILE --fast`). Typed
lines enter the chain where heard commands do, after the listener, at the
session time they were typed.

A line that is no command is taken for an exercise's name, so a typo gets
"I don't know ...; did you mean ...?" rather than silence.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from voice.audio import FRAME_S, FRAME_SAMPLES, Frame
from voice.audio.sources import paced
from voice.coaching.session import QUIT_NOW
from voice.commands import Vocabulary
from voice.errors import CoachError
from voice.intents import Command, Intent


def read_command(vocabulary: Vocabulary, text: str) -> Command:
    """What a typed line asks for: a command, else an exercise's name."""
    return vocabulary.match_text(text) or Command(Intent.START, text)


class LiveTyping:
    """Lines typed on a stream, read on a worker thread (reading blocks), handed on as
    soon as the loop asks. The stream's end (Ctrl-D) means "quit": the coach says
    goodbye and exits."""

    def __init__(self, vocabulary: Vocabulary, stream: IO[str]) -> None:
        self._vocabulary = vocabulary
        self._stream = stream
        self._lines: queue.Queue[tuple[str, Command]] = queue.Queue()
        self._thread = threading.Thread(target=self._read, name="typed-commands", daemon=True)
        self._thread.start()

    def due(self, now: float) -> list[tuple[str, Command]]:
        out: list[tuple[str, Command]] = []
        while not self._lines.empty():
            out.append(self._lines.get_nowait())
        return out

    def _read(self) -> None:
        try:
            for line in self._stream:
                text = line.strip()
                if text:
                    self._lines.put((text, read_command(self._vocabulary, text)))
        except (OSError, ValueError):
            pass  # the stream closed under us: the same as its end
        self._lines.put(("(end of input)", Command(Intent.QUIT, QUIT_NOW)))


@dataclass(frozen=True)
class TypedLine:
    """One line of a typing script: `text` is typed at `t` seconds of the session."""

    t: float
    text: str


class TextScriptError(CoachError):
    """A typing script that cannot be read (one line, naming the file and line)."""


def read_script(path: Path) -> list[TypedLine]:
    """`--text-in FILE`: lines `SECONDS TEXT`; blank lines and `#` comments are skipped.

    Lines are typed in time order; two at the same second keep the file's order.
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TextScriptError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise TextScriptError(f"{path}: is a folder, not a text file") from None
    except UnicodeDecodeError:
        raise TextScriptError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise TextScriptError(f"{path}: cannot read ({error.strerror or error})") from None
    lines: list[TypedLine] = []
    for number, line in enumerate(raw.splitlines(), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            lines.append(_script_line(stripped, f"{path}:{number}"))
    return sorted(lines, key=lambda line: line.t)


def _script_line(line: str, where: str) -> TypedLine:
    seconds, _, text = line.partition(" ")
    try:
        t = float(seconds)
    except ValueError:
        raise TextScriptError(f"{where}: expected 'SECONDS TEXT', got {line[:40]!r}") from None
    if not 0.0 <= t < 86_400.0:
        raise TextScriptError(f"{where}: time {seconds} is out of range (0 to 86400 seconds)")
    if not text.strip():
        raise TextScriptError(f"{where}: nothing to type after {seconds}")
    return TypedLine(t, text.strip())


class ScriptedTyping:
    """A typing script's lines, each handed on once the session reaches its time."""

    def __init__(self, vocabulary: Vocabulary, lines: list[TypedLine]) -> None:
        self._vocabulary = vocabulary
        self._lines = list(lines)

    def due(self, now: float) -> list[tuple[str, Command]]:
        out: list[tuple[str, Command]] = []
        while self._lines and self._lines[0].t <= now:
            text = self._lines.pop(0).text
            out.append((text, read_command(self._vocabulary, text)))
        return out


class SilentFrames:
    """Silent frames: the heartbeat of a typed session.

    `realtime` paces them by the wall clock (someone is typing, or a script plays
    in real time); otherwise they come as fast as they are taken. They run until
    `until_s` (None: until closed).
    """

    def __init__(self, *, realtime: bool = True, until_s: float | None = None) -> None:
        self.realtime = realtime
        self.until_s = until_s
        self._closed = False

    def frames(self) -> Iterator[Frame]:
        return paced(self._silence()) if self.realtime else self._silence()

    def _silence(self) -> Iterator[Frame]:
        silent = np.zeros(FRAME_SAMPLES, dtype=np.int16)
        k = 0
        while not self._closed and (self.until_s is None or k * FRAME_S <= self.until_s):
            yield Frame(k * FRAME_S, silent)
            k += 1

    def close(self) -> None:
        self._closed = True
