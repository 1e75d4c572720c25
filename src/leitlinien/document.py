"""The paragraph tree: `Document`, `Section`, `Block`, stable ids, reading text and offsets.

A document is a tree of sections (nested by heading level) holding leaf blocks in reading
order; lists, list items and block quotes are containers between a section and its blocks.
The *reading text* `Document.text` is what a reader sees: every leaf block's plain text,
headings included, joined by ``"\\n\\n"``. Offsets everywhere are Python code points in it.

Block ids are derived from the block's kind and text (so an unchanged block keeps its id when
other blocks change around it) and disambiguated for repeats by their order of appearance.
An author may pin an id with an HTML comment before the block (blank lines between allowed),
``<!-- id: my-id -->``, which every Markdown renderer hides.
"""

from __future__ import annotations

import bisect
import enum
import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from leitlinien.errors import DocumentError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "ID_PATTERN",
    "SEPARATOR",
    "Block",
    "BlockKind",
    "Document",
    "ListItem",
    "ListNode",
    "Node",
    "Quote",
    "Reference",
    "Section",
    "ThematicBreak",
]

SEPARATOR = "\n\n"
"""What joins two blocks' texts in `Document.text`."""

ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]{0,63}")
"""What a block id looks like: it is also used as an HTML element id and in URLs."""

# Headings that carry their own numbering keep it: "§ 4", "Art. 5", "3.2", "IV.", "A.", "Teil 2".
_OWN_NUMBER = re.compile(
    r"""^(
        §{1,2}\s*\d+[a-z]?
      | Art(?:ikel|\.)?\s*\d+[a-z]?
      | (?:Teil|Abschnitt|Kapitel|Anlage|Anhang|Part|Chapter|Section)\s+[\dIVXLC]+[a-z]?
      | \d{1,3}(?:\.\d{1,3})*\.?   # not four digits: "2024 war ..." is a year
      | [IVXLC]+\.
      | [A-Z]\.
    )(?=\s|$)""",
    re.VERBOSE,
)


class BlockKind(enum.StrEnum):
    """What a leaf block is."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    QUOTE = "quote"
    TABLE = "table"
    CODE = "code"
    HTML = "html"


_ID_PREFIX = {
    BlockKind.HEADING: "h",
    BlockKind.PARAGRAPH: "p",
    BlockKind.LIST_ITEM: "l",
    BlockKind.QUOTE: "q",
    BlockKind.TABLE: "t",
    BlockKind.CODE: "c",
    BlockKind.HTML: "x",
}


@attrs.frozen(kw_only=True)
class Block:
    """A leaf block: the unit comments attach to and diffs align.

    `text` is the reading text (inline markup stripped), `start`/`end` its span in
    `Document.text`. `source` is the block's own Markdown without container prefixes: the
    inline source of a paragraph or heading, a code block's content, raw HTML, or a
    canonical pipe table. `marker` is the list marker ("-", "3.") of the list item this
    block opens, `depth` the number of containers (list items, quotes) around it.
    """

    id: str
    kind: BlockKind
    text: str
    start: int = 0
    end: int = 0
    source: str = ""
    label: str = ""
    level: int = 0
    depth: int = 0
    marker: str = ""
    info: str = ""
    align: tuple[str, ...] = ()
    pinned: bool = False

    def __len__(self) -> int:
        """The length of the block's text (its span in the reading text)."""
        return self.end - self.start

    def __bool__(self) -> bool:
        # A block is a thing, not a container: an empty heading is still there.
        return True


@attrs.frozen
class ThematicBreak:
    """A thematic break (``***``): structure only, no text."""


@attrs.frozen
class Quote:
    """A block quote container."""

    children: tuple[Node, ...]


@attrs.frozen
class ListItem:
    """One item of a list; `marker` is its bullet ("-", "*", "+") or number ("3.", "2)")."""

    marker: str
    children: tuple[Node, ...]


@attrs.frozen
class ListNode:
    """A bullet or ordered list; `tight` lists have no blank lines between items."""

    ordered: bool
    tight: bool
    items: tuple[ListItem, ...]


Node: TypeAlias = Block | Quote | ListNode | ThematicBreak
"""What a section or container holds."""


@attrs.frozen
class Reference:
    """A link reference definition (``[label]: destination "title"``)."""

    label: str
    destination: str
    title: str = ""


@attrs.frozen(kw_only=True)
class Section:
    """A heading and what follows it up to the next heading of the same or a higher level.

    The document's root section has no heading, level 0 and id ``""``; it holds what stands
    before the first heading. `number` is the heading's own numbering ("§ 4") or a computed
    one ("2.1"); a single top-level heading is the document's title and has none.
    """

    id: str
    heading: Block | None
    level: int
    number: str
    content: tuple[Node, ...]
    subsections: tuple[Section, ...] = ()

    @property
    def title(self) -> str:
        """The heading's text ("" for the root)."""
        return self.heading.text if self.heading is not None else ""

    @property
    def own_blocks(self) -> tuple[Block, ...]:
        """The heading and the leaf blocks of this section, without its subsections."""
        head = (self.heading,) if self.heading is not None else ()
        return head + tuple(_leaves(self.content))

    @property
    def blocks(self) -> tuple[Block, ...]:
        """All leaf blocks of this section and its subsections, in reading order."""
        out = list(self.own_blocks)
        for sub in self.subsections:
            out.extend(sub.blocks)
        return tuple(out)

    def walk(self) -> Iterator[Section]:
        """Yield this section and all its subsections, depth first, in reading order."""
        stack = [self]
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.subsections))


def _leaves(nodes: Sequence[Node]) -> Iterator[Block]:
    stack: list[Iterator[Node]] = [iter(nodes)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif isinstance(node, Block):
            yield node
        elif isinstance(node, Quote):
            stack.append(iter(node.children))
        elif isinstance(node, ListNode):
            stack.append(iter(child for item in node.items for child in item.children))


@attrs.frozen(eq=False)
class _Index:
    by_id: Mapping[str, Block]
    section_of: Mapping[str, Section]
    sections: Mapping[str, Section]
    starts: Sequence[int]
    ends: Sequence[int]
    ids: Sequence[str]
    """Each block's start, end and id, in reading order (for lookups by position)."""


@attrs.frozen
class Document:
    """A parsed guideline document. Build one with `Document.from_markdown`.

    Two documents are equal when their trees (ids, kinds, texts, sources, labels) and link
    reference definitions are equal.
    """

    root: Section
    references: tuple[Reference, ...] = ()
    text: str = attrs.field(default="", eq=False)
    blocks: tuple[Block, ...] = attrs.field(default=(), eq=False, repr=False)
    _index: _Index = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda self: self._build_index(), takes_self=True),
    )

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the document without its lookup index: it is rebuilt when loaded."""
        return {f.name: getattr(self, f.name) for f in attrs.fields(Document) if f.init}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Load a pickled document; an index pickled with it (by an earlier version, whose
        index may lack what this one needs) is ignored and rebuilt."""
        for f in attrs.fields(Document):
            if f.init:
                object.__setattr__(self, f.name, state[f.name])
        object.__setattr__(self, "_index", self._build_index())

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def from_markdown(cls, markdown: str, *, max_size: int = 10_000_000) -> Document:
        """Parse CommonMark (plus pipe tables) into a document.

        Raises `DocumentError` for input that is not a `str`, holds NUL characters or lone
        surrogates, is larger than `max_size` bytes of UTF-8, or nests containers deeper
        than the parser's limit.
        """
        from leitlinien.markdown import parse  # noqa: PLC0415 (markdown imports document)

        return parse(markdown, max_size=max_size)

    @classmethod
    def from_file(cls, path: str | Path, *, max_size: int = 10_000_000) -> Document:
        """Read a UTF-8 Markdown file and parse it."""
        from leitlinien.markdown import read_file  # noqa: PLC0415

        return cls.from_markdown(read_file(path), max_size=max_size)

    @classmethod
    def empty(cls) -> Document:
        """Return a document with no blocks."""
        return assemble((), ())

    def to_markdown(self) -> str:
        """Return canonical Markdown; ``Document.from_markdown(d.to_markdown()) == d``."""
        from leitlinien.markdown import render  # noqa: PLC0415

        return render(self)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (schema ``leitlinien/document``, version 1)."""
        from leitlinien.markdown import document_to_dict  # noqa: PLC0415

        return document_to_dict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Document:
        """Rebuild a document from `to_dict` output; `SerializationError` names a bad field."""
        from leitlinien.markdown import document_from_dict  # noqa: PLC0415

        return document_from_dict(data)

    def with_ids(self, ids: Mapping[str, str]) -> Document:
        """Return a copy whose blocks are renamed by `ids` (old id -> new id), pinned.

        Used by `History` to carry ids across versions. Renamed blocks are marked as pinned
        (and so is any other block whose id parsing would no longer derive), so `to_markdown`
        writes their ids and parsing restores them.
        """
        if not ids:
            return self
        for old, new in ids.items():
            if old not in self._index.by_id:
                raise DocumentError(
                    f"ids must name blocks of the document (got unknown block id {old!r})",
                    field="ids",
                    value=old,
                )
            _check_id(new, "ids")
        blocks = [
            attrs.evolve(b, id=ids[b.id], pinned=True) if b.id in ids else b for b in self.blocks
        ]
        seen: set[str] = set()
        for b in blocks:
            if b.id in seen:
                raise DocumentError(
                    f"ids must stay unique within a document (got {b.id!r} twice)",
                    field="ids",
                    value=b.id,
                )
            seen.add(b.id)
        # Parsing the Markdown again derives the ids of unpinned blocks anew; where that would
        # give another id (a repeat numbered differently now that a twin is pinned), pin it too.
        derived = _assign_ids(blocks)
        blocks = [
            b if b.pinned or derived[id(b)] == b.id else attrs.evolve(b, pinned=True)
            for b in blocks
        ]
        renamed = dict(zip((b.id for b in self.blocks), blocks, strict=True))
        return _replace_blocks(self, renamed)

    # -- lookups ---------------------------------------------------------------------------

    def _build_index(self) -> _Index:
        by_id: dict[str, Block] = {}
        section_of: dict[str, Section] = {}
        sections: dict[str, Section] = {}
        for section in self.root.walk():
            sections[section.id] = section
            for block in section.own_blocks:
                by_id[block.id] = block
                section_of[block.id] = section
        return _Index(
            by_id=by_id,
            section_of=section_of,
            sections=sections,
            starts=[b.start for b in self.blocks],
            ends=[b.end for b in self.blocks],
            ids=[b.id for b in self.blocks],
        )

    @property
    def sections(self) -> tuple[Section, ...]:
        """Every section with a heading, in reading order (the root is `root`)."""
        return tuple(s for s in self.root.walk() if s.heading is not None)

    @property
    def title(self) -> str:
        """The text of the document's title heading, or of its first heading, or ""."""
        for section in self.root.walk():
            if section.heading is not None:
                return section.heading.text
        return ""

    def block(self, block_id: str) -> Block:
        """Return the block with this id; `DocumentError` if there is none."""
        try:
            return self._index.by_id[block_id]
        except (KeyError, TypeError):
            raise DocumentError(
                f"block_id must name a block of the document (got {block_id!r})",
                field="block_id",
                value=block_id,
            ) from None

    def has_block(self, block_id: str) -> bool:
        """Tell whether a block with this id exists."""
        return block_id in self._index.by_id

    def section(self, section_id: str) -> Section:
        """Return the section with this id (a heading's block id; "" is the root)."""
        try:
            return self._index.sections[section_id]
        except (KeyError, TypeError):
            raise DocumentError(
                f"section_id must name a section of the document (got {section_id!r})",
                field="section_id",
                value=section_id,
            ) from None

    def section_of(self, block_id: str) -> Section:
        """Return the innermost section that holds the block."""
        self.block(block_id)
        return self._index.section_of[block_id]

    def section_text(self, section_id: str) -> str:
        """Return the reading text of a section with its subsections."""
        blocks = self.section(section_id).blocks
        if not blocks:
            return ""
        return self.text[blocks[0].start : blocks[-1].end]

    def _check_offset(self, offset: int, field: str) -> None:
        if isinstance(offset, bool) or not isinstance(offset, int):
            raise DocumentError(
                f"{field} must be an int (got {type(offset).__name__}: {offset!r})",
                field=field,
                value=offset,
            )
        if not 0 <= offset <= len(self.text):
            raise DocumentError(
                f"{field} must be between 0 and {len(self.text)} (got {offset!r})",
                field=field,
                value=offset,
            )

    def _index_at(self, offset: int) -> int:
        """Index of the last block starting at or before `offset` (-1 if none)."""
        return bisect.bisect_right(self._index.starts, offset) - 1

    def block_index(self, offset: int) -> int:
        """Return the index in `blocks` of the last block that starts at or before `offset`.

        -1 when no block starts there (an empty document). A bisect, not a scan.
        """
        self._check_offset(offset, "offset")
        return self._index_at(offset)

    def block_at(self, offset: int) -> Block | None:
        """Return the block whose span ``[start, end]`` holds `offset`, or None between blocks."""
        self._check_offset(offset, "offset")
        i = self._index_at(offset)
        if i < 0:
            return None
        block = self.blocks[i]
        return block if offset <= block.end else None

    def blocks_in(self, start: int, end: int) -> tuple[Block, ...]:
        """Return the blocks that overlap ``[start, end)`` (for start == end: that holds it)."""
        self._check_offset(start, "start")
        self._check_offset(end, "end")
        if start > end:
            raise DocumentError(
                f"start must not be after end (got start={start!r}, end={end!r})",
                field="start",
                value=start,
            )
        if start == end:
            block = self.block_at(start)
            return (block,) if block is not None else ()
        out = []
        blocks = self.blocks
        # From the bisect on, by index: a slice would copy the rest of the list, and many
        # calls on a long document would be quadratic.
        for k in range(max(self._index_at(start), 0), len(blocks)):
            block = blocks[k]
            if block.start >= end:
                break
            if block.end > start or (block.start == block.end and start <= block.start):
                out.append(block)
        return tuple(out)

    def locate(self, offset: int) -> tuple[str, int]:
        """Convert a reading-text offset to ``(block id, offset in block)``.

        An offset inside the separator between two blocks snaps to the end of the block
        before it. `DocumentError` for an empty document or an offset out of range.
        """
        self._check_offset(offset, "offset")
        if not self.blocks:
            raise DocumentError(
                f"offset must lie in a block, but the document has none (got {offset!r})",
                field="offset",
                value=offset,
            )
        i = max(self._index_at(offset), 0)
        block = self.blocks[i]
        return block.id, min(offset, block.end) - block.start

    def offset(self, block_id: str, offset_in_block: int) -> int:
        """Convert ``(block id, offset in block)`` to a reading-text offset."""
        block = self.block(block_id)
        if (
            isinstance(offset_in_block, bool)
            or not isinstance(offset_in_block, int)
            or not 0 <= offset_in_block <= len(block.text)
        ):
            raise DocumentError(
                f"offset_in_block must be between 0 and {len(block.text)} for block "
                f"{block_id!r} (got {offset_in_block!r})",
                field="offset_in_block",
                value=offset_in_block,
            )
        return block.start + offset_in_block

    def outline(self) -> str:
        """Return a plain-text outline: sections, then each block's id, kind, label, first words."""
        lines = []
        for section in self.root.walk():
            indent = "  " * max(section.level - 1, 0)
            if section.heading is not None:
                own = section.title.startswith(section.number)
                number = f"{section.number} " if section.number and not own else ""
                lines.append(f"{indent}{number}{section.title}")
            for block in section.own_blocks:
                if block is section.heading:
                    continue
                words = " ".join(block.text.split()[:8])
                lines.append(
                    f"{indent}  {block.id:<16} {block.kind.value:<10} {block.label:<10} {words}"
                )
        return "\n".join(lines) + ("\n" if lines else "")


# -- assembly -------------------------------------------------------------------------------


def _check_id(value: str, field: str) -> None:
    if not isinstance(value, str) or ID_PATTERN.fullmatch(value) is None:
        raise DocumentError(
            f"{field} must be an id of a letter followed by up to 63 letters, digits, "
            f"'_', '.', ':' or '-' (got {value!r})",
            field=field,
            value=value,
        )


def derived_id(kind: BlockKind, text: str) -> str:
    """Return the content-derived id of a block (before disambiguation of repeats)."""
    digest = hashlib.blake2b(f"{kind.value}\x1f{text}".encode(), digest_size=5).hexdigest()
    return f"{_ID_PREFIX[kind]}-{digest}"


def assemble(top: Sequence[Node], references: Sequence[Reference]) -> Document:
    """Build a document from top-level nodes whose blocks lack ids, spans and labels.

    Blocks that arrive with ``pinned=True`` keep their `id`; every other block gets a derived
    one. Sections are formed by the top-level headings.
    """
    blocks_in_order = list(_leaves(top))
    ids = _assign_ids(blocks_in_order)
    root = _sectionize(top)
    numbers = _number_sections(root)

    spans: dict[int, tuple[int, int]] = {}
    pos = 0
    parts: list[str] = []
    for i, block in enumerate(blocks_in_order):
        if i:
            parts.append(SEPARATOR)
            pos += len(SEPARATOR)
        parts.append(block.text)
        spans[id(block)] = (pos, pos + len(block.text))
        pos += len(block.text)

    labels: dict[int, str] = {}
    for section in _walk_raw(root):
        number = numbers[id(section)]
        if section.heading is not None:
            labels[id(section.heading)] = number or section.heading.text[:40]
        for counter, block in enumerate(_leaves(section.content), start=1):
            labels[id(block)] = f"{number} ¶{counter}" if number else f"¶{counter}"

    final: dict[int, Block] = {}
    for block in blocks_in_order:
        start, end = spans[id(block)]
        # Built directly rather than with attrs.evolve: this runs once per block of every
        # document parsed, and evolve's field introspection costs more than the rest.
        final[id(block)] = Block(
            id=ids[id(block)],
            kind=block.kind,
            text=block.text,
            start=start,
            end=end,
            source=block.source,
            label=labels[id(block)],
            level=block.level,
            depth=block.depth,
            marker=block.marker,
            info=block.info,
            align=block.align,
            pinned=block.pinned,
        )
    new_root = _rebuild_section(root, final, numbers)
    return Document(
        root=new_root,
        references=tuple(references),
        text="".join(parts),
        blocks=tuple(final[id(b)] for b in blocks_in_order),
    )


def _assign_ids(blocks: Sequence[Block]) -> dict[int, str]:
    ids: dict[int, str] = {}
    used: set[str] = set()
    for block in blocks:
        if block.pinned:
            _check_id(block.id, "id")
            if block.id in used:
                raise DocumentError(
                    f"pinned ids must be unique in a document (got {block.id!r} twice)",
                    field="id",
                    value=block.id,
                )
            used.add(block.id)
            ids[id(block)] = block.id
    for block in blocks:
        if block.pinned:
            continue
        base = derived_id(block.kind, block.text)
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        ids[id(block)] = candidate
    return ids


@attrs.define
class _RawSection:
    heading: Block | None
    level: int
    content: list[Node] = attrs.Factory(list)
    subsections: list[_RawSection] = attrs.Factory(list)


def _sectionize(top: Sequence[Node]) -> _RawSection:
    root = _RawSection(heading=None, level=0)
    stack = [root]
    for node in top:
        if isinstance(node, Block) and node.kind is BlockKind.HEADING and node.depth == 0:
            while stack[-1].level >= node.level:
                stack.pop()
            section = _RawSection(heading=node, level=node.level)
            stack[-1].subsections.append(section)
            stack.append(section)
        else:
            stack[-1].content.append(node)
    return root


def _walk_raw(root: _RawSection) -> Iterator[_RawSection]:
    stack = [root]
    while stack:
        section = stack.pop()
        yield section
        stack.extend(reversed(section.subsections))


def _number_sections(root: _RawSection) -> dict[int, str]:
    numbers: dict[int, str] = {id(root): ""}
    children = root.subsections
    # A single top-level heading over everything is the title: it gets no number.
    if len(children) == 1 and not root.content:
        title = children[0]
        own = _own_number(title.heading)
        numbers[id(title)] = own
        _number_children(title, own, numbers)
    else:
        _number_children(root, "", numbers)
    return numbers


def _number_children(parent: _RawSection, prefix: str, numbers: dict[int, str]) -> None:
    stack = [(parent, prefix)]
    while stack:
        section, number = stack.pop()
        for i, sub in enumerate(section.subsections, start=1):
            own = _own_number(sub.heading)
            computed = own or (f"{number}.{i}" if number else str(i))
            numbers[id(sub)] = computed
            stack.append((sub, computed))


def _own_number(heading: Block | None) -> str:
    if heading is None:
        return ""
    match = _OWN_NUMBER.match(heading.text.strip())
    if match is None:
        return ""
    number = match.group(1)
    if re.fullmatch(r"\d+(?:\.\d+)*\.", number):
        number = number[:-1]
    return number


def _rebuild_section(
    raw: _RawSection, final: Mapping[int, Block], numbers: Mapping[int, str]
) -> Section:
    heading = final[id(raw.heading)] if raw.heading is not None else None
    return Section(
        id=heading.id if heading is not None else "",
        heading=heading,
        level=raw.level,
        number=numbers[id(raw)],
        content=tuple(_rebuild_node(n, final) for n in raw.content),
        subsections=tuple(_rebuild_section(s, final, numbers) for s in raw.subsections),
    )


def _rebuild_node(node: Node, final: Mapping[int, Block]) -> Node:
    if isinstance(node, Block):
        return final[id(node)]
    if isinstance(node, Quote):
        return Quote(tuple(_rebuild_node(c, final) for c in node.children))
    if isinstance(node, ListNode):
        return ListNode(
            node.ordered,
            node.tight,
            tuple(
                ListItem(item.marker, tuple(_rebuild_node(c, final) for c in item.children))
                for item in node.items
            ),
        )
    return node


def _replace_blocks(doc: Document, renamed: Mapping[str, Block]) -> Document:
    """Return `doc` with blocks swapped by id (same spans), sections re-keyed."""

    def node(n: Node) -> Node:
        if isinstance(n, Block):
            return renamed[n.id]
        if isinstance(n, Quote):
            return Quote(tuple(node(c) for c in n.children))
        if isinstance(n, ListNode):
            return ListNode(
                n.ordered,
                n.tight,
                tuple(ListItem(i.marker, tuple(node(c) for c in i.children)) for i in n.items),
            )
        return n

    def section(s: Section) -> Section:
        heading = renamed[s.heading.id] if s.heading is not None else None
        return Section(
            id=heading.id if heading is not None else "",
            heading=heading,
            level=s.level,
            number=s.number,
            content=tuple(node(c) for c in s.content),
            subsections=tuple(section(c) for c in s.subsections),
        )

    return Document(
        root=section(doc.root),
        references=doc.references,
        text=doc.text,
        blocks=tuple(renamed[b.id] for b in doc.blocks),
    )
