"""Real human speech for the hearing corpus, read from where packages install it.

Synthetic voices are not people, so the benchmark also plays recordings of
real speech. None is committed here: each source is read from the package that
installs it, and a source that is not installed is skipped (`sources_report`
says which, in one line each).

- Debian's `pocketsphinx-testdata` (BSD-2-Clause, Carnegie Mellon University;
  `/usr/share/pocketsphinx/test/data`): 14 recordings, 16 kHz, about 46 s in
  all: five AN4 card names ("four queen of clubs"), five LibriVox sentences of
  *Sense and Sensibility*, "go forward ten meters", "go somewhere and do
  something", a string of numbers and a TIDIGITS digit string. Word times
  (`_DEBIAN`) come from aligning each file with pocketsphinx's en-us model;
  the texts are the package's transcripts where it has them.
- PyPI `pyannote.audio` (MIT; the recording's own origin is not stated):
  `pyannote/audio/sample/sample.wav`, 30 s of a two-person telephone
  conversation with utterance times in `sample.stm`. The package pulls in
  torch, so it is not a dependency: install it apart (`pip install --no-deps
  --target DIR pyannote.audio`) and pass DIR (`--human-site` / `$VOICE_HUMAN_SITE`).
  It is read from the files; nothing of it is imported.
- A folder of your own recordings (`--human-dir` / `$VOICE_HUMAN_DIR`): WAV
  files named by what is said (`stop.wav`, `stop_2.wav`, `hip thrust-3.wav`).
  A file whose words are a phrase of the vocabulary measures recall on human
  commands; any other is a human word that must give no command.

Each recording gives three kinds of clip: its utterances (`human_utterance`),
3 s windows across it (`human_window`, hop 1.5 s, only where someone speaks),
and single words cut at their aligned times (`human_word`; `human_command`
where the word is itself a command). Dev and test take alternate recordings
(the pyannote conversation is cut in two at 14.3 s), so neither split hears
the other's.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice.audio import SAMPLE_RATE, Pcm
from voice.audio.convert import decode_wav, resample
from voice.listening.context import Context

DEBIAN_DIR = Path("/usr/share/pocketsphinx/test/data")
WINDOW_S = 3.0
WINDOW_HOP_S = 1.5
WORD_LEAD_S = 0.5
"""Silence before a cut word (the corpus's clips have 0.5-1.0 s)."""
WORD_TAIL_S = 0.8
MARGIN_S = 0.25
"""Audio kept before and after an utterance cut from a longer recording."""
MIN_WORD_S = 0.15
"""Shorter aligned words ("of") are not cut out: too little to judge."""

Word = tuple[str, float, float]

# file: (samples, transcript, words with their start and end in seconds)
_DEBIAN: dict[str, tuple[int, str, tuple[Word, ...]]] = {
    "cards/001.wav": (17526, "ten of clubs", (("ten", 0.15, 0.34), ("clubs", 0.45, 0.96))),
    "cards/002.wav": (
        31364,
        "four queen of clubs",
        (("four", 0.06, 0.63), ("queen", 0.77, 1.04), ("clubs", 1.19, 1.72)),
    ),
    "cards/003.wav": (24611, "seven of clubs", (("seven", 0.07, 0.56), ("clubs", 0.69, 1.27))),
    "cards/004.wav": (24864, "five five", (("five", 0.18, 0.72), ("five", 0.83, 1.24))),
    "cards/005.wav": (
        56040,
        "eight of spades four of clubs seven of hearts",
        (
            ("eight", 0.19, 0.40),
            ("spades", 0.54, 1.14),
            ("four", 1.25, 1.54),
            ("clubs", 1.64, 2.16),
            ("seven", 2.21, 2.63),
            ("hearts", 2.73, 3.26),
        ),
    ),
    "goforward.raw": (
        44580,
        "go forward ten meters",
        (("go", 0.46, 0.64), ("forward", 0.64, 1.17), ("ten", 1.17, 1.53), ("meters", 1.53, 2.12)),
    ),
    "numbers.raw": (
        64371,
        "thirty three four or six ninety two",
        (
            ("thirty", 0.39, 0.74),
            ("three", 0.74, 1.19),
            ("four", 1.19, 1.61),
            ("or", 1.61, 1.92),
            ("six", 1.92, 2.38),
            ("ninety", 2.38, 2.68),
            ("two", 2.68, 3.26),
        ),
    ),
    "something.raw": (
        47979,
        "go somewhere and do something",
        (
            ("go", 0.43, 0.63),
            ("somewhere", 0.63, 1.18),
            ("and", 1.18, 1.35),
            ("do", 1.35, 1.53),
            ("something", 1.53, 2.12),
        ),
    ),
    "tidigits/dhd.2934z.raw": (
        38400,
        "two nine three four zero",
        (
            ("two", 0.22, 0.40),
            ("nine", 0.40, 0.65),
            ("three", 0.65, 0.88),
            ("four", 0.88, 1.13),
            ("zero", 1.13, 1.62),
        ),
    ),
}
# The LibriVox sentences: utterance bounds only (the alignment's words are not all right).
_LIBRIVOX: dict[str, tuple[int, str, float, float]] = {
    "0870": (
        113600,
        "and mister john dashwood had then leisure to consider how much there might be"
        " prudently in his power to do for them",
        0.20,
        6.90,
    ),
    "0880": (47840, "he was not an ill disposed young man", 0.20, 2.74),
    "0890": (
        84800,
        "unless to be rather cold hearted and rather selfish is to be ill disposed",
        0.22,
        5.09,
    ),
    "0920": (
        96800,
        "had he married a more a amiable woman he might have been made still more"
        " respectable than he was",
        0.22,
        5.83,
    ),
    "0930": (52640, "he might even have been made amiable himself", 0.21, 2.94),
}
_PYANNOTE_SPLIT_S = 14.3
"""Between two utterances of the pyannote sample: dev hears before, test after."""


@dataclass(frozen=True)
class Recording:
    """One recording of real speech and what is known of its timing."""

    source: str
    """The package it comes from (`pocketsphinx-testdata`, `pyannote.audio`, `dir`)."""
    name: str
    pcm: Pcm
    utterances: tuple[Word, ...]
    """Each utterance's text, start and end (seconds of `pcm`)."""
    words: tuple[Word, ...] = ()
    """Single words with their aligned start and end, where known."""
    license: str = ""


@dataclass(frozen=True)
class Piece:
    """A cut of a recording, ready to become a corpus clip."""

    kind: str
    """`human_utterance`, `human_window`, `human_word` or `human_command`."""
    pcm: Pcm
    speech_start_s: float
    speech_end_s: float
    text: str
    recording: Recording


def debian_recordings() -> list[Recording]:
    """Debian's pocketsphinx-testdata, if installed; files that differ are left out."""
    if not DEBIAN_DIR.is_dir():
        return []
    found: list[Recording] = []
    license_ = "BSD-2-Clause (Carnegie Mellon University), Debian pocketsphinx-testdata"
    for name, (samples, text, words) in _DEBIAN.items():
        pcm = _read(DEBIAN_DIR / name)
        if pcm is None or len(pcm) != samples:
            continue
        utterance = (text, max(0.0, words[0][1] - 0.05), words[-1][2] + 0.05)
        kept = tuple(w for w in words if w[2] - w[1] >= MIN_WORD_S)
        found.append(Recording("pocketsphinx-testdata", name, pcm, (utterance,), kept, license_))
    for stem, (samples, text, start, end) in _LIBRIVOX.items():
        name = f"librivox/sense_and_sensibility_01_austen_64kb-{stem}.wav"
        pcm = _read(DEBIAN_DIR / name)
        if pcm is None or len(pcm) != samples:
            continue
        found.append(
            Recording(
                "pocketsphinx-testdata",
                name,
                pcm,
                ((text, start, end),),
                (),
                license_ + " (a LibriVox public-domain reading)",
            )
        )
    return sorted(found, key=lambda r: r.name)


def pyannote_recordings(site_dirs: Sequence[str | Path] = ()) -> list[Recording]:
    """pyannote.audio's sample conversation, read from its installed files (never imported)."""
    dist = _distribution("pyannote.audio", site_dirs)
    if dist is None:
        return []
    wav = Path(str(dist.locate_file("pyannote/audio/sample/sample.wav")))
    stm = wav.with_suffix(".stm")
    pcm = _read(wav)
    if pcm is None or not stm.is_file():
        return []
    utterances: list[Word] = []
    for line in stm.read_text(encoding="utf-8").splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) == 6:
            text = re.sub(r"[^a-z' ]", "", fields[5].lower()).strip()
            utterances.append((text, float(fields[3]), float(fields[4])))
    license_ = f"pyannote.audio {dist.version}: package {_license(dist)}"
    license_ += "; the recording's origin is not stated"
    cut = round(_PYANNOTE_SPLIT_S * SAMPLE_RATE)
    first = tuple(u for u in utterances if u[2] <= _PYANNOTE_SPLIT_S)
    second = tuple(
        (t, s - _PYANNOTE_SPLIT_S, e - _PYANNOTE_SPLIT_S)
        for t, s, e in utterances
        if s >= _PYANNOTE_SPLIT_S
    )
    return [
        Recording("pyannote.audio", "sample.wav[0:14.3]", pcm[:cut], first, (), license_),
        Recording("pyannote.audio", "sample.wav[14.3:30]", pcm[cut:], second, (), license_),
    ]


def folder_recordings(folder: str | Path | None) -> list[Recording]:
    """WAV files named by what is said in them (`stop_2.wav` says "stop")."""
    if folder is None or not Path(folder).is_dir():
        return []
    found = []
    for path in sorted(Path(folder).glob("*.wav")):
        pcm = _read(path)
        if pcm is None or not len(pcm):
            continue
        text = re.sub(r"[-_ ]*\d+$", "", path.stem).replace("_", " ").strip().lower()
        start, end = _speech_bounds(pcm)
        found.append(
            Recording("dir", path.name, pcm, ((text, start, end),), ((text, start, end),), "")
        )
    return found


def recordings(
    *, site_dirs: Sequence[str | Path] = (), folder: str | Path | None = None
) -> list[Recording]:
    """Every recording found here, from every source."""
    site_dirs = [*site_dirs, *filter(None, os.environ.get("VOICE_HUMAN_SITE", "").split(":"))]
    folder = folder or os.environ.get("VOICE_HUMAN_DIR") or None
    return [*debian_recordings(), *pyannote_recordings(site_dirs), *folder_recordings(folder)]


def sources_report(found: Sequence[Recording]) -> list[str]:
    """One line per source: what was found, or that it is missing and how to get it."""
    lines = []
    by_source: dict[str, list[Recording]] = {}
    for r in found:
        by_source.setdefault(r.source, []).append(r)
    wanted = {
        "pocketsphinx-testdata": "not installed (apt-get install pocketsphinx-testdata)",
        "pyannote.audio": "not found (pip install --no-deps --target DIR pyannote.audio;"
        " then --human-site DIR)",
    }
    for source, missing in wanted.items():
        got = by_source.get(source)
        if not got:
            lines.append(f"human speech: {source} {missing}: skipped")
            continue
        seconds = sum(len(r.pcm) for r in got) / SAMPLE_RATE
        lines.append(
            f"human speech: {source}: {len(got)} recordings, {seconds:.0f} s ({got[0].license})"
        )
    if "dir" in by_source:
        lines.append(f"human speech: folder: {len(by_source['dir'])} recordings")
    return lines


def split_of(recordings_: Sequence[Recording], split: str) -> list[Recording]:
    """Alternate recordings of each source (in name order): evens for dev, odds for test.
    Own-folder recordings (`--human-dir`) go to both: they are never tuned on here."""
    chosen: list[Recording] = []
    for source in dict.fromkeys(r.source for r in recordings_):
        group = sorted((r for r in recordings_ if r.source == source), key=lambda r: r.name)
        if source == "dir" or split == "all":
            chosen += group
        else:
            chosen += group[0 if split == "dev" else 1 :: 2]
    return chosen


def pieces(recording: Recording, phrases: Iterable[str] = ()) -> Iterator[Piece]:
    """The utterances, windows and words of `recording`; a word that is one of `phrases`
    (a command said by a person) is a `human_command`."""
    known = {" ".join(p.split()) for p in phrases}
    pcm, n = recording.pcm, len(recording.pcm)
    if recording.source == "dir":
        # One word or phrase per file, heard as recorded.
        for text, start, end in recording.words:
            kind = "human_command" if " ".join(text.split()) in known else "human_word"
            yield Piece(kind, pcm, start, end, text, recording)
        return
    for text, start, end in recording.utterances:
        a = max(0, round((start - MARGIN_S) * SAMPLE_RATE))
        b = min(n, round((end + MARGIN_S) * SAMPLE_RATE))
        t0 = a / SAMPLE_RATE
        yield Piece("human_utterance", pcm[a:b], start - t0, end - t0, text, recording)
    window, hop = round(WINDOW_S * SAMPLE_RATE), round(WINDOW_HOP_S * SAMPLE_RATE)
    for a in range(0, n - window + 1, hop):
        t0, t1 = a / SAMPLE_RATE, (a + window) / SAMPLE_RATE
        inside = [(t, s, e) for t, s, e in recording.utterances if s < t1 and e > t0]
        if not inside:
            continue
        text = " ".join(t for t, _, _ in inside)
        start = max(0.0, min(s for _, s, _ in inside) - t0)
        end = min(WINDOW_S, max(e for _, _, e in inside) - t0)
        yield Piece("human_window", pcm[a : a + window], start, end, f"[{text}]", recording)
    lead = round(WORD_LEAD_S * SAMPLE_RATE)
    tail = np.zeros(round(WORD_TAIL_S * SAMPLE_RATE), np.int16)
    for text, start, end in recording.words:
        word = _faded(pcm[max(0, round(start * SAMPLE_RATE)) : min(n, round(end * SAMPLE_RATE))])
        padded = np.concatenate([np.zeros(lead, np.int16), word, tail])
        kind = "human_command" if " ".join(text.split()) in known else "human_word"
        end_s = (lead + len(word)) / SAMPLE_RATE
        yield Piece(kind, padded, lead / SAMPLE_RATE, end_s, text, recording)


def context_for_negative(index: int) -> Context:
    """Talk that must give nothing is heard both while waiting and mid-exercise."""
    return Context.WAITING if index % 2 == 0 else Context.EXERCISE


def _faded(pcm: Pcm, fade_s: float = 0.01) -> Pcm:
    """`pcm` with 10 ms fades, so a word cut from running speech starts and ends without a click."""
    x = pcm.astype(np.float64)
    k = min(len(x) // 2, round(fade_s * SAMPLE_RATE))
    if k:
        ramp = np.linspace(0.0, 1.0, k)
        x[:k] *= ramp
        x[-k:] *= ramp[::-1]
    out: Pcm = np.round(x).astype(np.int16)
    return out


def _speech_bounds(pcm: Pcm) -> tuple[float, float]:
    """Where a recording's loud part starts and ends (5% of its peak)."""
    loud = np.flatnonzero(np.abs(pcm.astype(np.int32)) > 0.05 * max(1, int(np.abs(pcm).max())))
    if not len(loud):
        return 0.0, len(pcm) / SAMPLE_RATE
    return loud[0] / SAMPLE_RATE, (loud[-1] + 1) / SAMPLE_RATE


def _read(path: Path) -> Pcm | None:
    """A WAV (any rate, mono or stereo, 16-bit) or a headerless 16 kHz `.raw`, at 16 kHz."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if path.suffix == ".raw":
        return np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2").astype(np.int16)
    try:
        pcm, rate = decode_wav(data)
    except (ValueError, EOFError, OSError):
        return None
    return resample(pcm, rate, SAMPLE_RATE)


def _license(dist: importlib.metadata.Distribution) -> str:
    """The license its metadata states (expression, field, classifier, or license file)."""
    meta = dist.metadata
    for value in (meta.get_all(key) or [] for key in ("License-Expression", "License")):
        if value and len(value[0]) < 40:
            return str(value[0])
    licenses = [
        c.rsplit("::", 1)[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License")
    ]
    if licenses:
        return ", ".join(licenses)
    for name in meta.get_all("License-File") or []:
        text = dist.read_text(f"licenses/{name}") or dist.read_text(name) or ""
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        if first and len(first) < 40:
            return first
    return "license not stated"


def _distribution(
    name: str, site_dirs: Sequence[str | Path]
) -> importlib.metadata.Distribution | None:
    paths = [str(d) for d in site_dirs] + sys.path
    for dist in importlib.metadata.distributions(path=paths):
        if (dist.name or "").lower().replace("-", ".") == name:
            return dist
    return None
