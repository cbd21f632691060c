"""What the coach's voice may say: guide text cleaned of markup and cut into lines.

Guides are markdown written for the eye. A synthesizer reads `**Keep**` as
"star star keep" and a URL letter by letter, and one long paragraph as one line
that cannot be interrupted between sentences, so every line goes through here first.
Pure functions: text in, text out.
"""

from __future__ import annotations

import re
import unicodedata

from voice.markup import TAG, single_spaced, strip_markup

MAX_LINE_CHARS = 220
"""A line longer than this is cut at a clause (or a word) so no single line drags on."""

_URL = re.compile(r"(?:https?://|www\.)\S*[^\s.,;:!?)\]]", re.IGNORECASE)
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
"""GFM strikethrough: not commonmark, so guides keep it as text, but never said."""
_LINE_MARK = re.compile(r"^\s*(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.MULTILINE)
_STRAY_MARK = re.compile(r"[*_`#|<>]+|\s~~\s")
# A sentence ends at . ! or ? followed by a space; abbreviations are protected below.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "min.", "sec.", "no.", "st.", "dr.")
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")
_INVISIBLE = {"\u200d", "\ufe0f", "\ufe0e", "\u200b"}


def clean(text: str) -> str:
    """`text` as words to be spoken: no markdown, no emoji, no URLs, single spaces.

    A tag is a pause between words here ("Line<br>break" is two words), where the
    guide's text joins them.
    """
    text = _STRIKE.sub(r"\1", strip_markup(TAG.sub(" ", text)))
    text = _URL.sub(" ", text)
    text = _LINE_MARK.sub(" ", text)
    text = _STRAY_MARK.sub(" ", text)
    text = single_spaced("".join(ch for ch in text if _speakable(ch)))
    # Removing a URL or an emoji can leave " ." or " ,": glue punctuation back on.
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


def lines(text: str, max_chars: int = MAX_LINE_CHARS) -> list[str]:
    """`text` cleaned and split into lines to speak one after another.

    One sentence a line, so the coach can be cut off between sentences and the
    echo guard knows which words are playing; paragraphs and list items end a
    sentence even without a full stop. A sentence longer than `max_chars` is cut
    at a comma or semicolon, or failing that between words.
    """
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)", text):
        cleaned = clean(paragraph)
        for sentence in _sentences(cleaned):
            out.extend(_shorten(sentence, max_chars))
    return [line for line in out if any(ch.isalnum() for ch in line)]


def _speakable(ch: str) -> bool:
    if ch in _INVISIBLE:
        return False
    category = unicodedata.category(ch)
    # So: pictographs and emoji; Sk: skin tones; Me: keycaps; Cs/Co/Cn: surrogates,
    # private use, unassigned.
    return category not in ("So", "Sk", "Me", "Cs", "Co", "Cn")


def _sentences(text: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()]
        last_word = candidate.rsplit(" ", 1)[-1].lower()
        if last_word in _ABBREVIATIONS:
            continue
        pieces.append(candidate.strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def _shorten(sentence: str, max_chars: int) -> list[str]:
    if len(sentence) <= max_chars:
        return [sentence]
    out: list[str] = []
    current = ""
    for clause in _CLAUSE_END.split(sentence):
        for piece in _split_words(clause, max_chars):
            joined = f"{current} {piece}".strip()
            if len(joined) <= max_chars:
                current = joined
            else:
                if current:
                    out.append(current)
                current = piece
    if current:
        out.append(current)
    return out


def _split_words(clause: str, max_chars: int) -> list[str]:
    if len(clause) <= max_chars:
        return [clause]
    out: list[str] = []
    current = ""
    for word in clause.split():
        joined = f"{current} {word}".strip()
        if len(joined) > max_chars and current:
            out.append(current)
            current = word
        else:
            current = joined
    if current:
        out.append(current)
    return out
