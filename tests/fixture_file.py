"""Read markdown-it-py style fixture files and dump documents compactly for comparison.

A fixture file holds cases of five parts, each ended by a line holding a single ".":
a title line, then ".", the Markdown input, ".", the expected dump, ".". Blank lines
between cases are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from leitlinien.document import Block, Document, ListNode, Node, Quote, Section, ThematicBreak

__all__ = ["FixtureCase", "dump", "read_fixture_file"]

FixtureCase = tuple[int, str, str, str]
"""(line number of the title, title, input, expected)."""


def read_fixture_file(path: str | Path) -> list[FixtureCase]:
    """Return the cases of a fixture file in order (markdown-it-py's `read_fixture_file`)."""
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    cases: list[FixtureCase] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title_line = i
        parts: list[list[str]] = [[], []]
        assert lines[i + 1] == ".", f"{path}:{i + 2}: expected '.' after the title"
        j = i + 2
        for part in parts:
            while lines[j] != ".":
                part.append(lines[j])
                j += 1
            j += 1
        cases.append((title_line + 1, lines[i], "\n".join(parts[0]), "\n".join(parts[1])))
        i = j
    return cases


# A derived id with a repeat counter ("p-0123456789-2"): the dump shows the counter only.
_REPEAT = re.compile(r"[a-z]-[0-9a-f]{10}-(\d+)")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def _bar(text: str) -> str:
    """`` | text`` escaped; just ``" |"`` for an empty text, so no line ends in a space."""
    return f" | {_escape(text)}" if text else " |"


def _block_line(block: Block) -> str:
    marker = f" [{block.marker}]" if block.marker else ""
    pin = f" @{block.id}" if block.pinned else ""
    repeat = _REPEAT.fullmatch(block.id)
    if repeat is not None and not block.pinned:
        pin = f" #{repeat.group(1)}"
    level = f" h{block.level}" if block.level else ""
    info = f" ({block.info})" if block.info else ""
    return f"{block.kind.value}{level}{marker}{info} {block.label}{pin}{_bar(block.text)}"


def _nodes(nodes: Sequence[Node], indent: str, out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, Block):
            out.append(indent + _block_line(node))
        elif isinstance(node, ThematicBreak):
            out.append(indent + "hr")
        elif isinstance(node, Quote):
            out.append(indent + "quote")
            _nodes(node.children, indent + "  ", out)
        elif isinstance(node, ListNode):
            out.append(
                indent
                + ("ordered " if node.ordered else "bullet ")
                + "list"
                + (" tight" if node.tight else " loose")
            )
            for item in node.items:
                if not item.children:
                    out.append(f"{indent}  [{item.marker}] (empty)")
                _nodes(item.children, indent + "  ", out)


def _section(section: Section, indent: str, out: list[str]) -> None:
    inner = indent
    heading = section.heading
    if heading is not None:
        pin = f" @{heading.id}" if heading.pinned else ""
        number = f"[{section.number}]"
        out.append(f"{indent}h{section.level} {number}{pin}{_bar(heading.text)}")
        inner = indent + "  "
    _nodes(section.content, inner, out)
    for sub in section.subsections:
        _section(sub, inner, out)


def dump(doc: Document) -> str:
    """Return a compact outline of `doc`, one line per section, container and block.

    A section line is ``h<level> [<number>] | <title>``; blocks are
    ``<kind>[ h<level>][ [<marker>]][ (<info>)] <label>[ @<pinned id>] | <text>``, and
    ``quote``, ``bullet list tight``/``ordered list loose`` and ``hr`` lines show the
    containers; content is indented under its section or container. Link reference
    definitions follow as ``ref [label] -> destination "title"``, and the last line is
    ``text | <reading text>``. Texts escape backslash, newline and tab.
    """
    out: list[str] = []
    _section(doc.root, "", out)
    for ref in doc.references:
        out.append(f'ref [{ref.label}] -> {ref.destination} "{ref.title}"')
    out.append("text" + _bar(doc.text))
    return "\n".join(out)
