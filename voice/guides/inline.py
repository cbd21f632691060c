"""Inline markdown to spoken words: bold, emphasis, links, code and HTML stripped.

markdown-it parses a guide's block structure (sections, lists, steps, with their
lines); the text inside each block only has to become words the coach can say, so it
is stripped here instead of by markdown-it's inline pass, which cost a third of the
time to load a library and built a node for every bold word.
"""

from __future__ import annotations

import html
import re

_CODE = re.compile(r"(`+)(.+?)\1", re.S)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->", re.S)
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)", re.S)
_EMPHASIS = re.compile(r"\*(?=\S)(.+?)(?<=\S)\*|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)", re.S)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HARD_BREAK = re.compile(r"\\\n")
_LABEL = re.compile(r"^\s*(\*\*|__)(?=\S)(.+?)(?<=\S)\1\s*(:?)\s*", re.S)
_CODE_MARK = "\x00"
_MARKUP = re.compile(r"[`*_\[\]<>&\\!]")


def _either(match: re.Match[str]) -> str:
    return next(g for g in match.groups() if g is not None)


def plain_text(markdown: str) -> str:
    """The words of inline markdown, markup removed, whitespace collapsed to single spaces."""
    if not _MARKUP.search(markdown):
        return " ".join(markdown.split())  # most lines: nothing to strip
    kept: list[str] = []  # code and escaped characters, put back once markup is gone

    def keep(literal: str) -> str:
        kept.append(literal)
        return f"{_CODE_MARK}{len(kept) - 1}{_CODE_MARK}"

    text = _CODE.sub(lambda m: keep(m.group(2).strip()), markdown.replace(_CODE_MARK, ""))
    text = _ESCAPE.sub(lambda m: keep(m.group(1)), text)
    text = _HARD_BREAK.sub(" ", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    for _ in range(3):  # nested emphasis: ***both***, **bold *and em***
        stripped = _EMPHASIS.sub(_either, _STRONG.sub(_either, text))
        if stripped == text:
            break
        text = stripped
    text = html.unescape(text)
    if kept:
        text = re.sub(f"{_CODE_MARK}(\\d+){_CODE_MARK}", lambda m: kept[int(m.group(1))], text)
    return " ".join(text.split())


def split_label(markdown: str) -> tuple[str | None, str]:
    """A bold lead-in label and the plain text after it.

    "**Engage Core**: Tighten ..." and "**Engage Core:** Tighten ..." both give
    ("Engage Core", "Tighten ..."); a bold word inside a sentence is no label, so
    "**Slowly** lower" gives (None, "Slowly lower").
    """
    match = _LABEL.match(markdown)
    if match is None:
        return None, plain_text(markdown)
    label = plain_text(match.group(2))
    rest = markdown[match.end() :]
    if not (label.endswith(":") or match.group(3) or not rest.strip()):
        return None, plain_text(markdown)
    return label.rstrip(":").strip() or None, plain_text(rest).lstrip(": ").strip()
