"""Inline markup to words: the one place that knows how markdown and HTML are written.

A guide's text is shown (captions, `coach show`) and spoken, and both want its words
without the bold, links, code and tags around them: `voice.guides.inline` keeps the
words for the guide, `voice.speaking.text` then drops what a voice cannot say (URLs,
emoji, stray symbols). Both strip the markup here, so a rule learned once (escaped
stars, entities, `snake_case` that is no emphasis) serves the eye and the ear alike.

Markdown-it parses a guide's blocks; the text inside each block is stripped by these
regular expressions instead of by its inline pass, which cost a third of the time to
load a library and built a node for every bold word. Pure: stdlib only.
"""

from __future__ import annotations

import html
import re

TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->", re.S)
"""An HTML tag or comment: markup, never words."""

_CODE = re.compile(r"(`+)(.+?)\1", re.S)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>", re.I)
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)", re.S)
_EMPHASIS = re.compile(r"\*(?=\S)(.+?)(?<=\S)\*|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)", re.S)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HARD_BREAK = re.compile(r"\\\n")
_KEPT_MARK = "\x00"
_KEPT = re.compile(f"{_KEPT_MARK}(\\d+){_KEPT_MARK}")
_MARKUP = re.compile(r"[`*_\[\]<>&\\!]")
"""A character every kind of inline markup needs: text without one has nothing to strip."""


def strip_markup(markdown: str) -> str:
    """The text of inline markdown and HTML: emphasis, links, images, code spans,
    tags, backslash escapes and entities become the characters they show.

    Code and escaped characters are kept literally (`` `*args*` `` stays "*args*"),
    and an underscore inside a word is no emphasis ("snake_case"). Line breaks and
    spaces are left as they are: a caller that reads lines (list items, headings)
    still sees them; `single_spaced` joins them.
    """
    if not _MARKUP.search(markdown):
        return markdown  # most lines: nothing to strip
    kept: list[str] = []  # code and escaped characters, put back once markup is gone

    def keep(literal: str) -> str:
        kept.append(literal)
        return f"{_KEPT_MARK}{len(kept) - 1}{_KEPT_MARK}"

    text = _CODE.sub(lambda m: keep(m.group(2).strip()), markdown.replace(_KEPT_MARK, ""))
    text = _ESCAPE.sub(lambda m: keep(m.group(1)), text)
    text = _HARD_BREAK.sub(" ", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = html.unescape(_strip_emphasis(TAG.sub("", text)))
    return _KEPT.sub(lambda m: kept[int(m.group(1))], text) if kept else text


def _strip_emphasis(text: str) -> str:
    """`text` without bold and emphasis marks, nested ones too (***both***, **a *b***)."""
    for _ in range(3):
        stripped = _EMPHASIS.sub(_either, _STRONG.sub(_either, text))
        if stripped == text:
            break
        text = stripped
    return text


def _either(match: re.Match[str]) -> str:
    return next(g for g in match.groups() if g is not None)


def single_spaced(text: str) -> str:
    """`text` with each run of white space (line breaks too) one space, none at the ends."""
    return " ".join(text.split())
