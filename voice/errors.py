"""The project's own error types: every failure a user can cause is one of these.

The command line turns them into one line on stderr (never a traceback), so each
carries what the user needs to fix it: the file, the line where there is one, and
what is wrong.
"""

from __future__ import annotations

from pathlib import Path


class CoachError(Exception):
    """A problem the user can act on; its message is one line."""


class GuideError(CoachError):
    """A guide that cannot be read or is not a valid guide."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


class AudioError(CoachError):
    """An audio file or device that cannot be used."""


class RoutineError(GuideError):
    """A routine file that cannot be read, or names what the library does not have.

    A kind of GuideError: routines load beside guides, from the same folders, and
    their problems are reported the same way (`file:line: message`).
    """
