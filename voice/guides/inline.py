"""A guide's inline text as words: markup gone, one line, and bold lead-in labels.

markdown-it parses a guide's block structure (sections, lists, steps, with their
lines); the text inside each block only has to become words the coach can show and
say, stripped by `voice.markup`.
"""

from __future__ import annotations

import re

from voice.markup import single_spaced, strip_markup

_LABEL = re.compile(r"^\s*(\*\*|__)(?=\S)(.+?)(?<=\S)\1\s*(:?)\s*", re.S)


def plain_text(markdown: str) -> str:
    """The words of inline markdown, markup removed, whitespace collapsed to single spaces."""
    return single_spaced(strip_markup(markdown))


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
