"""Pronunciations: dictionary words as they are, gym words generated, cached, reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from voice.listening.lexicon import (
    CMU_PHONES,
    Lexicon,
    espeak_to_cmu,
    split_pronunciation,
    unpronounceable,
)

GYM_WORDS = ["glute", "glutes", "bodyweight", "deadlift", "kettlebell", "situp", "tricep", "pushup"]


def test_dictionary_words_come_from_cmudict(tmp_path: Path) -> None:
    lexicon = Lexicon(tmp_path)
    assert lexicon.pronounce("next") == "N EH K S T"
    assert lexicon.known("next")


def test_compounds_split_into_dictionary_words(tmp_path: Path) -> None:
    entries = {"body": "B AA D IY", "weight": "W EY T", "sit": "S IH T", "up": "AH P", "te": "T IY"}
    assert split_pronunciation("bodyweight", entries) == "B AA D IY W EY T"
    assert split_pronunciation("situp", entries) == "S IH T AH P"
    assert split_pronunciation("body", entries) is None  # one part is not a split
    assert split_pronunciation("glute", {"glu": "G L UW", "te": "T IY"}) is None


def test_espeak_phonemes_map_to_cmu() -> None:
    assert espeak_to_cmu("gl'u:t") == "G L UW T"
    assert espeak_to_cmu("tr'aIsEp") == "T R AY S EH P"
    assert espeak_to_cmu(",A@d,i:;'El") == "AA R D IY EH L"
    assert espeak_to_cmu("q~~") is None


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng is not installed")
def test_every_gym_word_gets_cmu_phones_and_is_cached(tmp_path: Path) -> None:
    lexicon = Lexicon(tmp_path)
    for word in GYM_WORDS:
        phones = lexicon.pronounce(word)
        assert phones, word
        assert set(phones.split()) <= CMU_PHONES, (word, phones)
    cached = json.loads((tmp_path / "pronunciations.json").read_text())
    assert "glute" in cached and "pushup" not in cached  # pushup is in CMUdict
    # A second lexicon reads the cache instead of generating again.
    assert Lexicon(tmp_path).pronounce("glute") == cached["glute"]


def test_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pronunciations.json").write_text("{not json")
    assert Lexicon(tmp_path).pronounce("next") == "N EH K S T"


def test_unpronounceable_reports_only_hopeless_words(tmp_path: Path) -> None:
    assert unpronounceable(["next", "glute", "90-90", "ü"], cache_dir=tmp_path) == ["90-90", "ü"]
