"""Holds read from step text: what counts, for how long, and what is not a hold."""

from __future__ import annotations

import pytest

from voice.guides.holds import find_hold

# text, seconds (None: no hold), stated, per_side
CASES = [
    ("Hold for 30 seconds.", 30, True, False),
    ("Hold for twenty seconds, then lower.", 20, True, False),
    ("Pause at the top for 2 seconds.", 2, True, False),
    ("Hold for a count of five.", 5, True, False),
    ("Hold 10-15 seconds.", 10, True, False),  # a range: its lower bound
    ("Hold for 10 to 15 seconds.", 10, True, False),
    ("Hold for 1–2 seconds.", 1, True, False),  # noqa: RUF001 (en dash, as guides write)
    ("Hold between 20 and 30 seconds.", 20, True, False),
    ("Hold for a minute.", 60, True, False),
    ("Hold for half a minute.", 30, True, False),
    ("Hold for 2 minutes.", 120, True, False),
    ("Hold this position for twenty-five seconds.", 25, True, False),
    ("Do a 30-second hold.", 30, True, False),
    ("Stay in this position for 45 seconds.", 45, True, False),
    ("Hold for 30 seconds on each side.", 30, True, True),
    ("Hold for 20 seconds, then switch sides.", 20, True, True),
    ("Hold the plank for 45 seconds per side.", 45, True, True),
    ("Hold for 5 counts.", 5, True, False),
    ("Hold for 1.5 seconds.", 1.5, True, False),
    ("Hold for 2 or 3 seconds.", 2, True, False),
    ("Hold 30s.", 30, True, False),
    ("Hold it for ten seconds. Then rest.", 10, True, False),
    ("Soften your knees and hold.", 2, False, False),
    ("Hold for a moment.", 2, False, False),
    ("Squeeze your glutes at the top and hold briefly.", 2, False, False),
    ("Pause at the top.", 2, False, False),
    ("Hold the stretch, breathing slowly.", 2, False, False),
    ("Hold for a few seconds.", 2, False, False),
    ("Hold a dumbbell in each hand.", None, False, False),
    ("Hold the bar with an overhand grip.", None, False, False),
    ("Hold onto a rail for balance.", None, False, False),
    ("Hold on to a chair if you need balance.", None, False, False),
    ("Don't hold your breath.", None, False, False),
    ("Lower without pausing at the bottom.", None, False, False),
    ("Lower for 3 seconds.", None, False, False),
    ("Hold the bar and lower it over 3 seconds.", None, False, False),
    ("Stay tall and lower for 3 seconds.", None, False, False),
    ("Rest for 60 seconds between sets.", None, False, False),
    ("Keep your core tight.", None, False, False),
    ("Wrap your thumbs around the bar for a secure hold.", None, False, False),
    ("Lower, then repeat the hold on the other side.", None, False, False),
    ("", None, False, False),
]


@pytest.mark.parametrize(("text", "seconds", "stated", "per_side"), CASES)
def test_find_hold(text: str, seconds: float | None, stated: bool, per_side: bool) -> None:
    hold = find_hold(text)
    if seconds is None:
        assert hold is None
        return
    assert hold is not None
    assert (hold.seconds, hold.stated, hold.per_side) == (seconds, stated, per_side)
    assert hold.phrase and hold.phrase.lower() in text.lower()


def test_vague_default_is_configurable() -> None:
    hold = find_hold("Hold briefly at the top.", default_s=3.5)
    assert hold is not None and hold.seconds == 3.5 and not hold.stated


def test_stated_hold_wins_over_earlier_vague_one() -> None:
    hold = find_hold("Pause briefly. Then hold the top for 10 seconds.")
    assert hold is not None and hold.seconds == 10 and hold.stated


def test_phrase_is_the_words_of_the_hold() -> None:
    hold = find_hold("Press up. Pause at the top for 2 seconds and squeeze.")
    assert hold is not None and hold.phrase == "Pause at the top for 2 seconds"
