"""Finding guide files and parsing many at once: the library's contact with the disk.

A file is a routine when its front matter has an `exercises:` list, and a guide
otherwise; `parse_file` tells them apart by a look at the text it reads once.

Folders are searched recursively, following symlinks but never into a folder twice
(a link back up the tree is reported, not walked forever). A large library is
parsed across idle cores in forked worker processes.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import stat
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeAlias

from voice.errors import GuideError
from voice.guides import names
from voice.guides.holds import DEFAULT_HOLD_S
from voice.guides.model import Guide
from voice.guides.parse import parse_guide, read_guide_text
from voice.routines.parse import RoutineDraft, is_routine, parse_routine

PARALLEL_MIN = 150
"""From this many files, parsing is spread over worker processes (one per core)."""

Parsed: TypeAlias = Guide | RoutineDraft
"""What a file in an exercises folder is: a guide, or a routine still to resolve."""


def parse_file(path: Path, default_hold_s: float = DEFAULT_HOLD_S) -> Parsed:
    """The guide or routine draft at `path`; raises GuideError for anything that is
    neither (a RoutineError once the file is known to be a routine)."""
    text = read_guide_text(path)
    if is_routine(text):
        return parse_routine(path, text)
    return parse_guide(path, text, default_hold_s=default_hold_s)


def parse_many(
    paths: Sequence[Path], default_hold_s: float = DEFAULT_HOLD_S, *, workers: int | None = None
) -> list[Parsed | GuideError]:
    """Each path parsed, in order: its guide, its routine draft or its error.

    Parsing is pure CPU (markdown-it, under a millisecond a guide), so a large library
    is parsed in forked worker processes, one per idle core (`workers` overrides the
    count; 1 parses here). Only where forking is safe: a process already running
    threads (audio, the coach loop) parses serially, since a fork can inherit a lock
    another thread holds.
    """
    if workers is None:
        workers = min(_idle_cores(), 8) if len(paths) >= PARALLEL_MIN else 1
    if (
        workers < 2
        or len(paths) < 2
        or threading.active_count() > 1
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [_parse_one(p, default_hold_s) for p in paths]
    names.dictionary()  # load the dictionary once, shared by the forked workers
    chunks = [list(paths[i::workers]) for i in range(workers)]
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(workers) as pool:
            results = pool.starmap(_parse_chunk, [(chunk, default_hold_s) for chunk in chunks])
    except (OSError, multiprocessing.ProcessError):  # no processes to be had: do it here
        return [_parse_one(p, default_hold_s) for p in paths]
    merged: list[Parsed | GuideError] = [GuideError(p, "not parsed") for p in paths]
    for offset, chunk_results in enumerate(results):
        for index, outcome in enumerate(chunk_results):
            merged[offset + index * workers] = (
                GuideError(*outcome) if isinstance(outcome, tuple) else outcome
            )
    return merged


def _idle_cores() -> int:
    """Cores not already busy (by the 1-minute load average): on a machine whose
    cores are taken, worker processes only add their start-up cost."""
    cores = os.cpu_count() or 1
    try:
        busy = round(os.getloadavg()[0] - 1)  # this process, about to parse, counts once
    except OSError:
        busy = 0
    return max(1, cores - max(0, busy))


def _parse_one(path: Path, default_hold_s: float) -> Parsed | GuideError:
    try:
        return parse_file(path, default_hold_s)
    except GuideError as error:
        return error


def _parse_chunk(
    paths: list[Path], default_hold_s: float
) -> list[Parsed | tuple[str, str, int | None]]:
    """Worker side: errors travel as (path, message, line), which pickle plainly."""
    out: list[Parsed | tuple[str, str, int | None]] = []
    for path in paths:
        outcome = _parse_one(path, default_hold_s)
        if isinstance(outcome, GuideError):
            out.append((outcome.path, outcome.message, outcome.line))
        else:
            out.append(outcome)
    return out


def guide_files(root: Path) -> Iterator[Path | GuideError]:
    """The guide files under `root` in name order, and the problems met on the way
    (a missing path, an unreadable folder, a symlink loop) where they were met."""
    try:
        info = root.stat()
    except FileNotFoundError:
        yield GuideError(root, "no such file or folder")
        return
    except OSError as error:
        yield GuideError(root, f"cannot read: {_reason(error)}")
        return
    if not stat.S_ISDIR(info.st_mode):
        yield root  # a file named on purpose is read whatever its name
        return
    yield from _walk(root, {(info.st_dev, info.st_ino)})


def _walk(folder: Path, seen: set[tuple[int, int]]) -> Iterator[Path | GuideError]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        yield GuideError(folder, f"cannot read folder: {_reason(error)}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            info = entry.stat()  # follows symlinks; a link to itself raises ELOOP
        except OSError as error:
            if entry.name.lower().endswith(".md") or entry.is_symlink():
                yield GuideError(path, f"cannot read: {_reason(error)}")
            continue
        if stat.S_ISDIR(info.st_mode):
            if (info.st_dev, info.st_ino) in seen:
                yield GuideError(path, _why_seen(folder, path))
                continue
            seen.add((info.st_dev, info.st_ino))
            yield from _walk(path, seen)
        elif entry.name.lower().endswith(".md") and not entry.name.lower().startswith("readme"):
            yield path


def _why_seen(folder: Path, link: Path) -> str:
    try:
        looped = folder.resolve().is_relative_to(link.resolve())
    except (OSError, RuntimeError):
        looped = True
    if looped:
        return "symlink loop: links back to a folder above it, skipped"
    return "folder already searched through another link, skipped"


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symlink loop"
    return error.strerror or str(error)
