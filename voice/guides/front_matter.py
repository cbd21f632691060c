"""YAML front matter, as guides and routines both open with it.

One reader for both, so a routine's `title:` and `aliases:` mean what a guide's
do, and a broken front matter is reported the same way: the file, the line, and
what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from voice.errors import GuideError

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?-{3,}[ \t]*\r?\n(.*?)^-{3,}[ \t]*$", re.S | re.M)
_YAML = YAMLHandler()
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""The C loader where PyYAML has it (several times faster), else the pure one."""


@dataclass(frozen=True)
class FrontMatter:
    """A file's YAML front matter, read: its keys, and its lines for line numbers."""

    data: dict[str, Any]
    lines: tuple[str, ...]
    """The front matter's own lines, to find the line a key is on."""

    def line_of(self, key: str) -> int | None:
        for index, line in enumerate(self.lines):
            if line.startswith(f"{key}:"):
                return index + 2  # the opening `---` is line 1
        return None


def raw_front_matter(text: str) -> str | None:
    """The YAML between a file's opening and closing `---` lines, unparsed; None when
    there is none (a cheap look, for telling routines from guides)."""
    match = _FRONT_MATTER.match(text)
    return match.group(1) if match is not None else None


def split_front_matter(path: Path, text: str) -> tuple[FrontMatter, str]:
    """The front matter and the body, with the body padded by blank lines so that the
    markdown parser's line numbers are the file's."""
    if not re.match(r"\A(?:\ufeff)?-{3,}[ \t]*\r?$", text, re.M):
        return FrontMatter({}, ()), text
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise GuideError(path, "front matter opened with '---' is never closed", 1)
    raw = match.group(1)
    try:
        data = _YAML.load(raw, Loader=YAML_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        # An error found at the end of input points past the last line: name the last.
        last = len(raw.splitlines()) + 1
        line = min(mark.line + 2, last) if mark is not None else 1
        problem = error.problem or "invalid YAML"
        raise GuideError(path, f"broken YAML front matter: {problem}", line) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as error:
        message = str(error).splitlines()[0] if str(error) else "invalid YAML"
        raise GuideError(path, f"broken YAML front matter: {message}", 1) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise GuideError(path, f"front matter must be key: value pairs, not {kind}", 2)
    body = "\n" * text.count("\n", 0, match.end()) + text[match.end() :]
    return FrontMatter(data, tuple(raw.splitlines())), body


def optional_str(path: Path, fm: FrontMatter, key: str) -> str | None:
    """The text of `key`, or None when absent or blank; anything but text is an error."""
    value = fm.data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise GuideError(path, f"front matter '{key}' must be text", fm.line_of(key))
    return str(value).strip() or None


def aliases_of(path: Path, fm: FrontMatter) -> tuple[str, ...]:
    """The `aliases:` names (one name or a list), each once, blanks dropped."""
    value = fm.data.get("aliases")
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise GuideError(
            path, "front matter 'aliases' must be a list of names", fm.line_of("aliases")
        )
    return tuple(dict.fromkeys(a.strip() for a in value if a.strip()))
