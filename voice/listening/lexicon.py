"""Pronunciations: every word the grammar uses, in pocketsphinx's CMU phone set.

CMUdict (shipped with pocketsphinx) covers most words but not the gym's:
glute, bodyweight, deadlift, kettlebell, situp, tricep... A missing word gets a
pronunciation at start-up, by the first of these that works:

1. a split into dictionary words when the word is a compound ("bodyweight" ->
   body + weight, "situp" -> sit + up); only parts of four letters or more, or a few
   short everyday words, so "glute" is never read as "glu" + "te";
2. espeak-ng's phonemes (`-x`, its ASCII phoneme names) mapped to the CMU set.

Generated pronunciations are cached on disk, keyed by word, so the next start-up
does not run espeak-ng again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from voice.pronounce import cmudict

CMU_PHONES = frozenset(
    """AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH
    UH UW V W Y Z ZH""".split()  # noqa: SIM905 (a table reads better as words)
)

_SHORT_PARTS = frozenset("up in on out sit row leg arm hip bar box toe ab abs dip".split())  # noqa: SIM905

# espeak-ng's ASCII phoneme names (en-us) -> CMU phones; longest names are tried first.
_ESPEAK_TO_CMU: dict[str, str] = {
    "aI@": "AY ER",
    "aI3": "AY ER",
    "aU@": "AW ER",
    "A@": "AA R",
    "e@": "EH R",
    "i@": "IH R",
    "I@": "IH R",
    "O@": "AO R",
    "o@": "AO R",
    "U@": "UH R",
    "3:": "ER",
    "A:": "AA",
    "O:": "AO",
    "i:": "IY",
    "u:": "UW",
    "aI": "AY",
    "aU": "AW",
    "eI": "EY",
    "oU": "OW",
    "OI": "OY",
    "@L": "AH L",
    "@2": "AH",
    "@5": "AH",
    "I2": "IH",
    "I#": "IH",
    "a#": "AH",
    "t#": "T",
    "tS": "CH",
    "dZ": "JH",
    "a": "AE",
    "A": "AA",
    "E": "EH",
    "e": "EH",
    "@": "AH",
    "3": "ER",
    "I": "IH",
    "i": "IY",
    "0": "AA",
    "O": "AO",
    "o": "OW",
    "U": "UH",
    "u": "UW",
    "V": "AH",
    "p": "P",
    "b": "B",
    "t": "T",
    "d": "D",
    "k": "K",
    "g": "G",
    "f": "F",
    "v": "V",
    "T": "TH",
    "D": "DH",
    "s": "S",
    "z": "Z",
    "S": "SH",
    "Z": "ZH",
    "h": "HH",
    "m": "M",
    "n": "N",
    "N": "NG",
    "l": "L",
    "r": "R",
    "j": "Y",
    "w": "W",
    "x": "K",
    "*": "T",
    "?": "T",
}
_ESPEAK_KEYS = sorted(_ESPEAK_TO_CMU, key=len, reverse=True)
_IGNORED = set("',%=_:;|-!^ ")


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "voice-coach"


def espeak_to_cmu(phonemes: str) -> str | None:
    """espeak-ng `-x` output for one word -> CMU phones, or None if a symbol is unknown."""
    out: list[str] = []
    i = 0
    text = phonemes.strip()
    while i < len(text):
        if text[i] in _IGNORED:
            i += 1
            continue
        for key in _ESPEAK_KEYS:
            if text.startswith(key, i):
                out.extend(_ESPEAK_TO_CMU[key].split())
                i += len(key)
                break
        else:
            return None
    return " ".join(out) or None


def espeak_pronunciation(word: str) -> str | None:
    if not shutil.which("espeak-ng"):
        return None
    try:
        result = subprocess.run(
            ["espeak-ng", "-v", "en-us", "-q", "-x", word],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return espeak_to_cmu(result.stdout)


def split_pronunciation(word: str, entries: Mapping[str, str]) -> str | None:
    """The pronunciation of `word` as a run of dictionary words, fewest parts first."""
    n = len(word)
    best: list[tuple[int, str] | None] = [(0, "")] + [None] * n
    for end in range(1, n + 1):
        for start in range(end):
            part = word[start:end]
            prev = best[start]
            if prev is None or part not in entries:
                continue
            if len(part) < 4 and part not in _SHORT_PARTS:
                continue
            candidate = (prev[0] + 1, f"{prev[1]} {entries[part]}".strip())
            current = best[end]
            if current is None or candidate[0] < current[0]:
                best[end] = candidate
    found = best[n]
    return found[1] if found is not None and found[0] >= 2 else None


class Lexicon:
    """Pronunciations for the grammar's words: the dictionary's, else generated and cached."""

    def __init__(self, cache_dir: Path | None = None, dictionary: Path | None = None) -> None:
        self._entries = cmudict(dictionary)
        self._cache_file = (cache_dir or default_cache_dir()) / "pronunciations.json"
        self._cache: dict[str, str] = self._load_cache()

    def _load_cache(self) -> dict[str, str]:
        try:
            data = json.loads(self._cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(k): str(v)
            for k, v in data.items()
            if isinstance(v, str) and set(v.split()) <= CMU_PHONES
        }

    def _save_cache(self) -> None:
        try:
            self._cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._cache_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(self._cache, indent=0, sort_keys=True), encoding="utf-8")
            tmp.replace(self._cache_file)
        except OSError:
            pass  # a read-only home only costs regenerating next time

    def known(self, word: str) -> bool:
        return word.lower() in self._entries

    def lookup(self, word: str) -> str | None:
        """CMU phones for `word` from the dictionary or the words generated before, or
        None: never runs a generator (for transcripts, whose words are open-ended)."""
        word = word.lower()
        return self._entries.get(word) or self._cache.get(word)

    def pronounce(self, word: str) -> str | None:
        """CMU phones for `word` (dictionary, cache, split, espeak-ng), or None."""
        word = word.lower()
        if word in self._entries:
            return self._entries[word]
        if word in self._cache:
            return self._cache[word]
        generated = self._generate(word)
        if generated is not None:
            self._cache[word] = generated
            self._save_cache()
        return generated

    def _generate(self, word: str) -> str | None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9']*", word):
            return None
        return split_pronunciation(word.replace("'", ""), self._entries) or espeak_pronunciation(
            word
        )

    def missing(self, words: Iterable[str]) -> dict[str, str | None]:
        """The words not in the dictionary, each with its generated pronunciation (or None)."""
        return {
            w: self.pronounce(w) for w in sorted({w.lower() for w in words}) if not self.known(w)
        }


def unpronounceable(words: Iterable[str], cache_dir: Path | None = None) -> list[str]:
    """The words no pronunciation could be found or made for (for `coach check`)."""
    lexicon = Lexicon(cache_dir)
    return [w for w, phones in lexicon.missing(words).items() if phones is None]
