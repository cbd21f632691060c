"""The pronouncing dictionary: CMUdict as pocketsphinx ships it, read once a process.

Two parts of the coach read it: the listener wants each word's phones
(`voice.listening.lexicon`), and the guide loader wants to know which words
exist, to split a file name such as `hipthrust` into "hip thrust"
(`voice.guides.names`). It is 134k lines and costs a tenth of a second or more to
read, so both take it from `cmudict()`, cached. pocketsphinx is imported only when
the dictionary is first needed: importing the guides must stay cheap.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path


def dictionary_path() -> Path:
    """Where pocketsphinx keeps its US English dictionary."""
    import pocketsphinx  # only once a pronunciation is wanted

    return Path(pocketsphinx.get_model_path()) / "en-us" / "cmudict-en-us.dict"


def cmudict(path: Path | None = None) -> Mapping[str, str]:
    """Word (lower case) -> its first pronunciation, from `path` (default: the one
    pocketsphinx ships); alternate pronunciations ("word(2)") are left out."""
    return _read(path or dictionary_path())


@functools.cache
def _read(path: Path) -> Mapping[str, str]:
    """Cached by the path itself, so `cmudict()` and `cmudict(None)` share one read."""
    entries: dict[str, str] = {}
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            word, _, phones = line.strip().partition(" ")
            if phones and "(" not in word:
                entries.setdefault(word.lower(), phones.strip())
    return entries
