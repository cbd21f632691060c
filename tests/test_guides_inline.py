"""Inline markdown to words: what the coach reads must carry no markup."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voice.guides.inline import plain_text, split_label


@pytest.mark.parametrize(
    ("markdown", "words"),
    [
        ("Plain words,\nover two lines.", "Plain words, over two lines."),
        ("Keep your **back flat** and *core* tight.", "Keep your back flat and core tight."),
        ("***Really*** __important__ _here_", "Really important here"),
        ("See [the video](https://example.com/x) first.", "See the video first."),
        ("An ![image of a squat](squat.png) here.", "An image of a squat here."),
        ("Use a `band` or `` `tube` ``.", "Use a band or `tube`."),
        ("Go to <https://example.com>.", "Go to https://example.com."),
        ("Line<br>break and <b>tags</b>.", "Linebreak and tags."),
        ("Escaped \\*stars\\* stay.", "Escaped *stars* stay."),
        ("Tom &amp; Jerry &ndash; fine", "Tom & Jerry \u2013 fine"),
        ("snake_case_words stay", "snake_case_words stay"),
        ("2 * 3 * 4 reps", "2 * 3 * 4 reps"),
    ],
)
def test_plain_text(markdown: str, words: str) -> None:
    assert plain_text(markdown) == words


@pytest.mark.parametrize(
    ("markdown", "label", "rest"),
    [
        ("**Engage Core**: Tighten your abs.", "Engage Core", "Tighten your abs."),
        ("**Engage Core:** Tighten your abs.", "Engage Core", "Tighten your abs."),
        ("**Setup:**", "Setup", ""),
        ("__Tips__:", "Tips", ""),
        ("**Slowly** lower the bar.", None, "Slowly lower the bar."),
        ("Lower **slowly**: count to three.", None, "Lower slowly: count to three."),
        ("**[Grip](x)**: wide.", "Grip", "wide."),
    ],
)
def test_split_label(markdown: str, label: str | None, rest: str) -> None:
    assert split_label(markdown) == (label, rest)


@given(st.text(max_size=200))
def test_plain_text_never_fails_and_is_one_line(markdown: str) -> None:
    words = plain_text(markdown)
    assert "\n" not in words and words == words.strip()
    label, _ = split_label(markdown)
    assert label is None or label.strip() == label
