"""Text cleaned for speech: markup, emoji and URLs gone; long text cut at sentence ends."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from voice.speaking.text import MAX_LINE_CHARS, clean, lines


def test_markdown_is_stripped() -> None:
    text = "## Setup\n**Lie** on your _back_ with `knees` bent, see [the video](https://x.io/v)."
    assert clean(text) == "Setup Lie on your back with knees bent, see the video."


def test_emoji_and_urls_are_not_spoken() -> None:
    assert clean("Squeeze 💪🏽 hard 🔥! More at https://example.com/a?b=1 or www.x.org.") == (
        "Squeeze hard! More at or."
    )


def test_html_comments_and_tags_are_dropped() -> None:
    assert clean("<!-- howto --> Keep <b>still</b>") == "Keep still"


def test_sentences_become_lines() -> None:
    assert lines("Lie down. Bend your knees! Ready? Go") == [
        "Lie down.",
        "Bend your knees!",
        "Ready?",
        "Go",
    ]


def test_abbreviations_do_not_end_a_sentence() -> None:
    assert lines("Use a prop, e.g. a towel. Then lift.") == [
        "Use a prop, e.g. a towel.",
        "Then lift.",
    ]


def test_list_items_are_lines_of_their_own() -> None:
    assert lines("Check:\n- chin tucked\n- back flat") == ["Check:", "chin tucked", "back flat"]


def test_a_very_long_sentence_is_cut_at_clauses() -> None:
    sentence = ", ".join(f"then move part {i} slowly" for i in range(40)) + "."
    out = lines(sentence)
    assert len(out) > 1
    assert all(len(line) <= MAX_LINE_CHARS for line in out)
    assert " ".join(out).split() == sentence.split()  # no word lost or invented


def test_lines_without_words_are_dropped() -> None:
    assert lines("💪 🔥\n\n---\n\n**  **") == []


@given(st.text(max_size=400))
def test_any_text_gives_bounded_speakable_lines(text: str) -> None:
    for line in lines(text, max_chars=80):
        assert line.strip() == line and line
        assert any(ch.isalnum() for ch in line)
        # A single word longer than the limit is kept whole; nothing else runs over.
        assert len(line) <= 80 or " " not in line
