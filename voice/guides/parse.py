"""The guide parser: one markdown file in, one `Guide` out, or a `GuideError` saying
which file, which line and what is wrong.

A guide is YAML front matter (python-frontmatter) and a markdown body
(markdown-it-py, walked as a `SyntaxTreeNode` tree so every block knows its line).
Above the `<!-- howto -->` marker are sections (Setup, Execution, Tips, ...), titled
by `##`/`###` headings or by bold labels (`**Setup:**`); below it, each `### Title`
and its paragraphs is one step. Guides in the wild vary (see DESIGN.md), so the
walk is lenient about shape and strict only about what the coach cannot do without:
readable text, valid front matter, and steps to read out.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from voice.errors import GuideError
from voice.guides.front_matter import aliases_of, optional_str, split_front_matter
from voice.guides.holds import DEFAULT_HOLD_S, find_hold
from voice.guides.inline import plain_text, split_label
from voice.guides.model import Guide, Hold, Role, Section, Step
from voice.guides.names import name_from_stem
from voice.guides.roles import role_of

MAX_GUIDE_BYTES = 1_000_000
"""Guides are a few kilobytes; anything past this is not a guide (or not a sane one)."""

_MARKER = re.compile(r"<!--\s*howto\s*-->", re.I)
_NUMBERED_TITLE = re.compile(r"^\s*(?:step\s+)?\d+\s*[.):-]\s*", re.I)
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)", re.S)
# Only the block rules a guide's shape needs: headings, lists, paragraphs and the
# marker (an HTML comment). A coach reads words aloud, so code, quotes and rules are
# just text or nothing (`_flatten` below); inline markup is stripped by
# `inline.plain_text` rather than markdown-it's inline pass. Together this halves
# the parse time of a library (see benchmarks/bench_guides.py).
_MD = MarkdownIt("commonmark").disable(
    ["code", "reference", "lheading", "fence", "blockquote", "hr", "inline", "text_join"]
)
_QUOTE = re.compile(r"^([ \t]{0,3})>[ \t]?", re.M)
_RULE_OR_FENCE = re.compile(r"^[ \t]{0,3}(?:(?:[-*_][ \t]*){3,}|`{3,}[^\n]*|~{3,}[^\n]*)$", re.M)


def _flatten(body: str) -> str:
    """Quotes as plain lines, thematic breaks and code fences as blank lines; each
    line stays on its line, so line numbers do not move."""
    if ">" in body:
        body = _QUOTE.sub(r"\1", body)
    return _RULE_OR_FENCE.sub("", body)


def parse_guide(
    path: Path, text: str | None = None, *, default_hold_s: float = DEFAULT_HOLD_S
) -> Guide:
    """Read the guide at `path` (or parse `text` as if it were that file's content).

    Raises GuideError, and nothing else, for anything that is not a usable guide.
    """
    if text is None:
        text = read_guide_text(path)
    elif len(text) > MAX_GUIDE_BYTES:
        raise GuideError(path, f"guide is too large ({len(text):,} characters)")
    try:
        return _parse(path, text, default_hold_s)
    except RecursionError:
        raise GuideError(path, "markdown nested too deeply to read") from None


def read_guide_text(path: Path) -> str:
    """The file's text, refusing directories, huge files, binaries and invalid UTF-8."""
    try:
        if path.is_dir():
            raise GuideError(path, "is a directory, not a guide file")
        size = path.stat().st_size
        if size > MAX_GUIDE_BYTES:
            raise GuideError(
                path,
                f"file is {size / 1e6:.1f} MB; a guide is at most {MAX_GUIDE_BYTES // 1000} kB",
            )
        with path.open("rb") as file:
            data = file.read(MAX_GUIDE_BYTES + 1)
    except FileNotFoundError:
        raise GuideError(path, "no such file") from None
    except OSError as error:
        reason = "symlink loop" if error.errno == errno.ELOOP else (error.strerror or str(error))
        raise GuideError(path, f"cannot read: {reason}") from None
    if len(data) > MAX_GUIDE_BYTES:
        raise GuideError(path, f"file is larger than {MAX_GUIDE_BYTES // 1000} kB")
    if b"\x00" in data:
        raise GuideError(
            path, "binary file, not a markdown guide", data[: data.index(b"\0")].count(b"\n") + 1
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise GuideError(path, f"invalid UTF-8 (byte 0x{data[error.start]:02x})", line) from None


# --- markdown text ------------------------------------------------------------------


def _plain(node: SyntaxTreeNode) -> str:
    """The words of an inline node (its raw markdown, markup stripped)."""
    return plain_text(node.content)


def _inline(block: SyntaxTreeNode) -> SyntaxTreeNode | None:
    for child in block.children:
        if child.type == "inline":
            return child
    return None


def _line(node: SyntaxTreeNode) -> int:
    return node.map[0] + 1 if node.map else 1


def _label_and_rest(paragraph: SyntaxTreeNode) -> tuple[str | None, str]:
    """A paragraph's bold lead-in label ("Engage Core" of "**Engage Core**: ...") and
    the text after it; (None, text) where it does not start with one."""
    inline = _inline(paragraph)
    if inline is None:
        return None, ""
    return split_label(inline.content)


def _item_text(item: SyntaxTreeNode) -> str:
    """A list item as one readable line: "Engage Core: Tighten ...", nested items after."""
    parts: list[str] = []
    for child in item.children:
        if child.type == "paragraph":
            label, rest = _label_and_rest(child)
            parts.append(f"{label}: {rest}".strip() if label else rest)
        elif child.type in ("bullet_list", "ordered_list"):
            parts.extend(_item_text(sub) for sub in child.children)
    joined = " ".join(p for p in parts if p)
    return re.sub(r":\s*:", ":", joined).rstrip(": ")


def _section_title(block: SyntaxTreeNode) -> tuple[str, str] | None:
    """(title, rest) where a paragraph is a bold label or a short "Title:" line."""
    label, rest = _label_and_rest(block)
    if label is not None:
        return label, rest
    inline = _inline(block)
    text = _plain(inline) if inline is not None else ""
    if text.endswith(":") and len(text) <= 60 and not re.search(r"[.!?]", text):
        return text.rstrip(":").strip(), ""
    return None


# --- sections above the marker -------------------------------------------------------


@dataclass
class _SectionDraft:
    title: str
    line: int
    numbered_title: bool
    items: list[str] = field(default_factory=list)
    item_lines: list[int] = field(default_factory=list)
    has_list: bool = False
    has_ordered_list: bool = False

    @property
    def role(self) -> Role:
        role = role_of(self.title)
        if role is Role.OTHER and self.numbered_title:
            role = Role.MOVEMENT  # "3. Drive Up": a numbered heading is a phase of the lift
        return role

    def freeze(self) -> Section:
        return Section(self.title, self.role, tuple(self.items), self.line)


def _sections(blocks: Iterable[SyntaxTreeNode]) -> tuple[list[_SectionDraft], list[str]]:
    """Sections above the marker, and the loose prose (intros and closing remarks)."""
    sections: list[_SectionDraft] = []
    prose: list[str] = []
    current: _SectionDraft | None = None

    def start(title: str, line: int) -> _SectionDraft:
        numbered = bool(_NUMBERED_TITLE.match(title))
        draft = _SectionDraft(_NUMBERED_TITLE.sub("", title).strip() or title, line, numbered)
        sections.append(draft)
        return draft

    for block in blocks:
        if block.type == "heading" and block.tag == "h1":
            current = None  # the document's title: what follows is its introduction
        elif block.type == "heading":
            inline = _inline(block)
            title = _plain(inline) if inline is not None else ""
            current = start(title.rstrip(":").strip(), _line(block)) if title else None
        elif block.type in ("bullet_list", "ordered_list"):
            if current is None:
                current = start("Steps", _line(block))  # an untitled list reads as the steps
            current.has_list = True
            current.has_ordered_list |= block.type == "ordered_list"
            for item in block.children:
                text = _item_text(item)
                if text:
                    current.items.append(text)
                    current.item_lines.append(_line(item))
        elif block.type == "paragraph":
            titled = _section_title(block)
            if titled is not None:
                current = start(titled[0], _line(block))
                if titled[1]:
                    current.items.append(titled[1])
                    current.item_lines.append(_line(block))
                continue
            inline = _inline(block)
            text = _plain(inline) if inline is not None else ""
            if current is not None and not current.has_list:
                current.items.append(text)  # a section told in prose ("## Overview")
                current.item_lines.append(_line(block))
            else:
                prose.append(text)  # closing remarks after a list end its section
                current = None
    return sections, prose


# --- steps --------------------------------------------------------------------------


def _hold(title: str, text: str, default_hold_s: float) -> Hold | None:
    return find_hold(text, default_s=default_hold_s) or find_hold(title, default_s=default_hold_s)


def _howto_steps(blocks: Iterable[SyntaxTreeNode], default_hold_s: float) -> list[Step]:
    """`### Title` + paragraphs below the marker, one step per heading."""
    drafts: list[tuple[str, int, list[str]]] = []
    for block in blocks:
        if block.type == "heading":
            inline = _inline(block)
            drafts.append((_plain(inline) if inline is not None else "", _line(block), []))
        elif drafts and block.type == "paragraph":
            inline = _inline(block)
            drafts[-1][2].append(_plain(inline) if inline is not None else "")
        elif drafts and block.type in ("bullet_list", "ordered_list"):
            drafts[-1][2].extend(_item_text(item) for item in block.children)
    steps: list[Step] = []
    for title, line, texts in drafts:
        text = " ".join(t for t in texts if t)
        if not title and not text:
            continue
        steps.append(
            Step(title or _short_title(text), text, _hold(title, text, default_hold_s), line)
        )
    return steps


def _short_title(text: str) -> str:
    words = text.split()
    return " ".join(words[:5]).rstrip(".,;:") + (" ..." if len(words) > 5 else "")


def _section_steps(sections: list[_SectionDraft], default_hold_s: float) -> list[Step]:
    """Steps for a guide without a marker: the items of its setup and movement sections,
    in order, provided at least one of them is a numbered list."""
    chosen = [s for s in sections if s.has_list and s.role in (Role.SETUP, Role.MOVEMENT)]
    if not any(s.has_ordered_list for s in chosen):
        return []
    steps: list[Step] = []
    for section in chosen:
        for item, line in zip(section.items, section.item_lines, strict=True):
            title, sep, rest = item.partition(": ")
            if not sep or len(title) > 40:
                title, rest = section.title, item
            steps.append(Step(title, rest, _hold(title, rest, default_hold_s), line))
    return steps


# --- the guide ----------------------------------------------------------------------


def _split_at_marker(
    nodes: list[SyntaxTreeNode],
) -> tuple[list[SyntaxTreeNode], list[SyntaxTreeNode] | None]:
    for index, node in enumerate(nodes):
        if node.type == "html_block" and _MARKER.search(node.content):
            return nodes[:index], nodes[index + 1 :]
    return nodes, None


def _description(fm_description: str | None, prose: list[str], steps: list[Step]) -> str:
    if fm_description:
        return fm_description
    for text in [*prose, *(s.text for s in steps)]:
        match = _FIRST_SENTENCE.match(text.strip())
        if match:
            return match.group(1)
        if text.strip():
            return text.strip()
    return ""


def _parse(path: Path, text: str, default_hold_s: float) -> Guide:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise GuideError(path, "empty file")
    if "\x00" in text:
        raise GuideError(
            path, "binary file, not a markdown guide", text[: text.index("\0")].count("\n") + 1
        )
    fm, body = split_front_matter(path, text)
    nodes = list(SyntaxTreeNode(_MD.parse(_flatten(body))).children)
    above, below = _split_at_marker(nodes)
    drafts, prose = _sections(above)
    steps = _howto_steps(below, default_hold_s) if below is not None else []
    if not steps:
        steps = _section_steps(drafts, default_hold_s)
    if not steps:
        if below is not None:
            marker_line = _line(nodes[len(above)])
            raise GuideError(
                path, "no '### Title' steps after the <!-- howto --> marker", marker_line
            )
        raise GuideError(path, "no <!-- howto --> marker and no numbered steps to read out")
    sections = tuple(d.freeze() for d in drafts)
    stem_name, stem_equipment = name_from_stem(path.stem)
    return Guide(
        id=path.stem,
        name=optional_str(path, fm, "title") or stem_name,
        equipment=(optional_str(path, fm, "equipment") or stem_equipment).lower(),
        aliases=aliases_of(path, fm),
        video=optional_str(path, fm, "video"),
        description=_description(optional_str(path, fm, "description"), prose, steps),
        steps=tuple(steps),
        sections=sections,
        key_points=_items(sections, Role.KEY_POINTS),
        mistakes=_items(sections, Role.MISTAKES),
        path=path,
    )


def _items(sections: Iterable[Section], role: Role) -> tuple[str, ...]:
    return tuple(chain.from_iterable(s.items for s in sections if s.role is role))
