"""Markdown ⇄ `Document`: markdown-it-py tokens in, canonical Markdown out.

This is the only module that imports markdown-it-py. The dialect is CommonMark with GFM
pipe tables. Raw HTML is kept as literal text, never interpreted.

Containers nested deeper than `MAX_NESTING` levels (a block quote counts one level, a list
item two: the list and the item) are refused with a `DocumentError`: markdown-it-py would
silently drop what lies deeper, and Python's recursion would not survive much more.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
from markdown_it import MarkdownIt
from markdown_it.token import Token

from leitlinien import _dicts, _gc
from leitlinien.document import (
    Block,
    BlockKind,
    Document,
    ListItem,
    ListNode,
    Node,
    Quote,
    Reference,
    Section,
    ThematicBreak,
    assemble,
)
from leitlinien.errors import DocumentError, SerializationError

__all__ = ["DOCUMENT_SCHEMA", "MAX_NESTING", "inline_html", "parse", "read_file", "render"]

MAX_NESTING = 64
"""Deepest container nesting accepted, in markdown-it token levels."""

DOCUMENT_SCHEMA = "leitlinien/document"
_DOCUMENT_VERSION = 1

_PIN = re.compile(r"<!--[ \t]*id:[ \t]*(\S+)[ \t]*-->[ \t]*\n?")

_ALIGN = {"text-align:left": "left", "text-align:right": "right", "text-align:center": "center"}
_DELIMITER = {"left": ":--", "right": "--:", "center": ":-:", "": "---"}


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING + 1})
    md.enable("table")
    return md


_MD = _parser()


# -- input checks -----------------------------------------------------------------------------


def _position(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}"


def _check_input(markdown: object, max_size: int) -> str:
    if not isinstance(markdown, str):
        raise DocumentError(
            f"markdown must be a str (got {type(markdown).__name__}: {markdown!r:.60})",
            field="markdown",
            value=type(markdown).__name__,
        )
    nul = markdown.find("\x00")
    if nul >= 0:
        raise DocumentError(
            f"markdown must not contain NUL characters (got one at {_position(markdown, nul)})",
            field="markdown",
            value="\x00",
        )
    try:
        size = len(markdown.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise DocumentError(
            f"markdown must be valid Unicode (got a lone surrogate {markdown[exc.start]!r} at "
            f"{_position(markdown, exc.start)})",
            field="markdown",
            value=markdown[exc.start],
        ) from None
    if size > max_size:
        raise DocumentError(
            f"markdown must be at most {max_size} bytes of UTF-8 (got {size})",
            field="markdown",
            value=size,
        )
    return markdown


def read_file(path: str | Path) -> str:
    """Read a UTF-8 text file; a decoding error becomes a `DocumentError`."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{path} must be UTF-8 (got byte {data[exc.start]:#04x} at offset {exc.start})",
            field="path",
            value=str(path),
        ) from None


# -- tokens -> tree ---------------------------------------------------------------------------


def inline_text(tokens: Sequence[Token]) -> str:
    """Return the reading text of an inline token stream."""
    out: list[str] = []
    stack: list[Iterator[Token]] = [iter(tokens)]
    while stack:
        token = next(stack[-1], None)
        if token is None:
            stack.pop()
            continue
        kind = token.type
        if kind in ("text", "code_inline", "html_inline", "text_special"):
            out.append(token.content)
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind == "image":
            stack.append(iter(token.children or ()))
    return "".join(out)


_SAFE_LINK = re.compile(r"^(?:https?:|mailto:|tel:|#|/|\./|\.\./|[^:/?#]*(?:[/?#]|$))", re.I)


def inline_html(source: str, references: Sequence[Reference] = ()) -> str:
    """Render a block's inline Markdown as HTML whose text content is the block's text.

    Emphasis, strong, code spans and links become elements; raw HTML is escaped and shown
    as text; a hard break is a newline character (style the element ``white-space:
    pre-line``). Links with other schemes than http(s), mailto, tel or relative ones (e.g.
    ``javascript:``) keep their label but lose the link.
    """
    import html  # noqa: PLC0415

    env: dict[str, Any] = {
        "references": {r.label: {"href": r.destination, "title": r.title} for r in references}
    }
    out: list[str] = []
    links: list[str] = []
    stack: list[Iterator[Token]] = [iter(_MD.parseInline(source, env)[0].children or ())]
    while stack:
        token = next(stack[-1], None)
        if token is None:
            stack.pop()
            continue
        kind = token.type
        if kind in ("text", "html_inline", "text_special"):
            out.append(html.escape(token.content))
        elif kind == "code_inline":
            out.append(f"<code>{html.escape(token.content)}</code>")
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind in ("em_open", "strong_open"):
            out.append("<em>" if kind == "em_open" else "<strong>")
        elif kind in ("em_close", "strong_close"):
            out.append("</em>" if kind == "em_close" else "</strong>")
        elif kind == "link_open":
            href = str(token.attrs.get("href", ""))
            if _SAFE_LINK.match(href):
                out.append(f'<a href="{html.escape(href, quote=True)}">')
                links.append("</a>")
            else:
                out.append('<span class="ll-link">')
                links.append("</span>")
        elif kind == "link_close":
            out.append(links.pop() if links else "")
        elif kind == "image":
            stack.append(iter(token.children or ()))
    return "".join(out)


@attrs.define
class _Frame:
    kind: str  # "root", "quote", "list", "item"
    children: list[Node | ListItem] = attrs.Factory(list)
    marker: str = ""
    ordered: bool = False
    shown: int = 0  # paragraphs directly in this list's items that are not hidden
    hidden: int = 0


class _Builder:
    def __init__(self) -> None:
        self.stack = [_Frame("root")]
        self.pin: str | None = None
        self.pin_source = ""

    @property
    def depth(self) -> int:
        return sum(1 for f in self.stack if f.kind in ("quote", "item"))

    def container_kind(self) -> BlockKind:
        for frame in reversed(self.stack):
            if frame.kind == "item":
                return BlockKind.LIST_ITEM
            if frame.kind == "quote":
                return BlockKind.QUOTE
        return BlockKind.PARAGRAPH

    def add(self, block: Block) -> None:
        frame = self.stack[-1]
        if frame.kind == "item" and not frame.children:
            block = attrs.evolve(block, marker=frame.marker)
        if self.pin is not None:
            block = attrs.evolve(block, id=self.pin, pinned=True)
            self.pin = None
        frame.children.append(block)

    def add_node(self, node: Node) -> None:
        self.flush_pin()
        self.stack[-1].children.append(node)

    def flush_pin(self) -> None:
        """A pin comment with no block after it in its container stays literal HTML."""
        if self.pin is not None:
            self.pin = None
            source = self.pin_source
            self.stack[-1].children.append(
                Block(id="", kind=BlockKind.HTML, text=source, source=source, depth=self.depth)
            )

    def open(self, frame: _Frame) -> None:
        self.stack.append(frame)

    def close(self) -> _Frame:
        self.flush_pin()
        return self.stack.pop()


def _tokens_to_tree(tokens: Sequence[Token]) -> list[Node]:
    b = _Builder()
    i = 0
    n = len(tokens)
    while i < n:
        token = tokens[i]
        kind = token.type
        if token.level >= MAX_NESTING and token.nesting == 1:
            line = (token.map[0] + 1) if token.map else "?"
            raise DocumentError(
                f"markdown must not nest block quotes and lists deeper than {MAX_NESTING} "
                f"levels (got deeper nesting at line {line})",
                field="markdown",
                value=MAX_NESTING,
            )
        if kind == "blockquote_open":
            b.open(_Frame("quote"))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            b.open(_Frame("list", ordered=kind == "ordered_list_open"))
        elif kind == "list_item_open":
            marker = token.markup if not token.info else f"{token.info}{token.markup}"
            b.open(_Frame("item", marker=marker))
        elif kind == "blockquote_close":
            frame = b.close()
            b.stack[-1].children.append(Quote(_nodes(frame.children)))
        elif kind == "list_item_close":
            frame = b.close()
            b.stack[-1].children.append(ListItem(frame.marker, _nodes(frame.children)))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            frame = b.close()
            items = tuple(c for c in frame.children if isinstance(c, ListItem))
            tight = frame.shown == 0 and frame.hidden > 0
            b.stack[-1].children.append(ListNode(frame.ordered, tight, items))
        elif kind == "paragraph_open":
            inline = tokens[i + 1]
            if len(b.stack) >= 2 and b.stack[-1].kind == "item":
                parent_list = b.stack[-2]
                if token.hidden:
                    parent_list.hidden += 1
                else:
                    parent_list.shown += 1
            source = _protect_continuations(inline.content)
            b.add(
                Block(
                    id="",
                    kind=b.container_kind(),
                    text=inline_text(inline.children or ()),
                    source=source,
                    depth=b.depth,
                )
            )
            i += 3
            continue
        elif kind == "heading_open":
            inline = tokens[i + 1]
            b.add(
                Block(
                    id="",
                    kind=BlockKind.HEADING,
                    text=inline_text(inline.children or ()),
                    source=_protect_continuations(inline.content),
                    level=int(token.tag[1]),
                    depth=b.depth,
                )
            )
            i += 3
            continue
        elif kind in ("fence", "code_block"):
            content = token.content
            text = content[:-1] if content.endswith("\n") else content
            info = token.info.strip() if kind == "fence" else ""
            b.add(
                Block(
                    id="",
                    kind=BlockKind.CODE,
                    text=text,
                    source=content,
                    info=info,
                    depth=b.depth,
                )
            )
        elif kind == "html_block":
            content = token.content.lstrip(" \t")
            match = _PIN.fullmatch(content)
            if match is not None:
                if b.pin is not None:
                    raise DocumentError(
                        "an id comment must be followed by a block, not by another id comment "
                        f"(got {b.pin!r} then {match.group(1)!r})",
                        field="id",
                        value=match.group(1),
                    )
                b.pin = match.group(1)
                b.pin_source = content[:-1] if content.endswith("\n") else content
            else:
                text = content[:-1] if content.endswith("\n") else content
                b.add(Block(id="", kind=BlockKind.HTML, text=text, source=text, depth=b.depth))
        elif kind == "hr":
            b.add_node(ThematicBreak())
        elif kind == "table_open":
            end = i
            while tokens[end].type != "table_close":
                end += 1
            b.add(_table(tokens[i:end], b.depth))
            i = end + 1
            continue
        i += 1
    b.flush_pin()
    return list(_nodes(b.stack[0].children))


def _nodes(children: Sequence[Node | ListItem]) -> tuple[Node, ...]:
    return tuple(c for c in children if not isinstance(c, ListItem))


def _table(tokens: Sequence[Token], depth: int) -> Block:
    rows: list[list[Token]] = []
    align: list[str] = []
    for j, token in enumerate(tokens):
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            if token.type == "th_open":
                style = token.attrs.get("style", "")
                align.append(_ALIGN.get(str(style), ""))
            rows[-1].append(tokens[j + 1])
    text = "\n".join("\t".join(inline_text(c.children or ()) for c in row) for row in rows)
    cells = [[c.content for c in row] for row in rows]
    source = _render_table(cells, align)
    return Block(
        id="",
        kind=BlockKind.TABLE,
        text=text,
        source=source,
        align=tuple(align),
        depth=depth,
    )


def _render_table(cells: Sequence[Sequence[str]], align: Sequence[str]) -> str:
    def row(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"

    lines = [row(cells[0]), "| " + " | ".join(_DELIMITER[a] for a in align) + " |"]
    lines.extend(row(r) for r in cells[1:])
    return "\n".join(lines)


# A paragraph's continuation line got into it because, where it stood, it could not start a
# block: it was lazy (outside its container) or indented too far. Written back inside the
# container, a line like "- e", "===" or "> x" would start a list, a heading or a quote. Four
# spaces of indentation keep such a line a continuation; the inline parser strips them again.
_BLOCK_START = re.compile(
    r"""^[ ]{0,3}(?![ \t])(?:
        \#{1,6}(?:[ \t]|$)
      | [>]
      | `{3,} | ~{3,}
      | [-+*](?:[ \t]|$)
      | \d{1,9}[.)](?:[ \t]|$)
      | =+[ \t]*$
      | -+[ \t]*$
      | ([*_])(?:[ \t]*\1){2,}[ \t]*$
      | <[A-Za-z/!?]
      | \|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$
    )""",
    re.VERBOSE,
)


def _protect_continuations(source: str) -> str:
    if "\n" not in source:
        return source
    lines = source.split("\n")
    for i in range(1, len(lines)):
        if _BLOCK_START.match(lines[i]):
            lines[i] = "    " + lines[i]
    return "\n".join(lines)


def parse(markdown: str, *, max_size: int = 10_000_000) -> Document:
    """Parse Markdown into a `Document` (see `Document.from_markdown`)."""
    text = _check_input(markdown, max_size)
    # A 1 MB document is about a million short-lived tokens and nodes; collecting cycles
    # while they are built costs as much as a third of the parse (see `_gc.paused`).
    with _gc.paused():
        return _parse(text)


def _parse(text: str) -> Document:
    env: dict[str, Any] = {}
    try:
        tokens = _MD.parse(text, env)
    except RecursionError:
        raise DocumentError(
            f"markdown must not nest constructs this deeply (limit {MAX_NESTING} levels)",
            field="markdown",
            value=MAX_NESTING,
        ) from None
    top = _tokens_to_tree(tokens)
    refs = env.get("references", {})
    references = [
        Reference(label, str(ref.get("href", "")), str(ref.get("title", "")))
        for label, ref in refs.items()
    ]
    return assemble(top, references)


# -- tree -> Markdown -------------------------------------------------------------------------


def render(doc: Document) -> str:
    """Return canonical Markdown for `doc`."""
    chunks = _render_section(doc.root)
    for ref in doc.references:
        title = ""
        if ref.title:
            escaped = ref.title.replace("\\", "\\\\").replace('"', '\\"')
            title = f' "{escaped}"'
        destination = f"<{ref.destination}>" if ref.destination else "<>"
        chunks.append(f"[{ref.label}]: {destination}{title}")
    return "\n\n".join(chunks) + "\n" if chunks else ""


def _render_section(section: Section) -> list[str]:
    chunks: list[str] = []
    if section.heading is not None:
        chunks.append(_render_block(section.heading))
    chunks.extend(_render_node(node) for node in section.content)
    for sub in section.subsections:
        chunks.extend(_render_section(sub))
    return chunks


def _render_node(node: Node) -> str:
    if isinstance(node, Block):
        return _render_block(node)
    if isinstance(node, ThematicBreak):
        return "___"
    if isinstance(node, Quote):
        inner = "\n\n".join(_render_node(c) for c in node.children)
        return _prefix(inner, "> ", "> ") if inner else ">"
    if isinstance(node, ListNode):
        joiner = "\n" if node.tight else "\n\n"
        return joiner.join(_render_item(item, joiner) for item in node.items)
    raise TypeError(node)  # pragma: no cover - Node is closed


def _render_item(item: ListItem, joiner: str) -> str:
    inner = joiner.join(_render_node(c) for c in item.children)
    if not inner:
        return item.marker
    return _prefix(inner, item.marker + " ", " " * (len(item.marker) + 1))


def _prefix(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    out = [first + lines[0] if lines[0] else first.rstrip()]
    for line in lines[1:]:
        out.append(rest + line if line else rest.rstrip())
    return "\n".join(out)


def _render_block(block: Block) -> str:
    pin = f"<!-- id: {block.id} -->\n" if block.pinned else ""
    return pin + _render_body(block)


def _render_body(block: Block) -> str:
    kind = block.kind
    if kind is BlockKind.HEADING:
        source = block.source
        if block.level <= 2 and ("\n" in source or source.endswith("#")):
            return source + "\n" + ("===" if block.level == 1 else "---")
        return "#" * block.level + (" " + source if source else "")
    if kind is BlockKind.CODE:
        fence_char = "~" if "`" in block.info else "`"
        longest = max(
            (len(m) for m in re.findall(re.escape(fence_char) + "+", block.source)), default=0
        )
        fence = fence_char * max(3, longest + 1)
        body = (
            block.source if block.source.endswith("\n") or not block.source else block.source + "\n"
        )
        info = block.info
        return f"{fence}{info}\n{body}{fence}"
    return block.source


# -- dicts ------------------------------------------------------------------------------------


def document_to_dict(doc: Document) -> dict[str, Any]:
    """Return the JSON-ready form of `doc`: its canonical Markdown plus a block index."""
    return {
        "schema": DOCUMENT_SCHEMA,
        "version": _DOCUMENT_VERSION,
        "markdown": render(doc),
        "blocks": [
            {"id": b.id, "kind": b.kind.value, "start": b.start, "end": b.end, "label": b.label}
            for b in doc.blocks
        ],
    }


def document_from_dict(data: Any, path: str = "") -> Document:
    """Rebuild a document from `document_to_dict` output, checking its block index."""
    data = _dicts.check_schema(data, DOCUMENT_SCHEMA, _DOCUMENT_VERSION, path)
    markdown = _dicts.get(data, "markdown", str, path)
    try:
        doc = parse(markdown)
    except DocumentError as exc:
        where = _dicts.join(path, "markdown")
        raise SerializationError(
            f"{where} does not parse: {exc}", field=where, value=None
        ) from None
    listed = _dicts.expect_list(
        _dicts.get(data, "blocks", list, path, default=[]), _dicts.join(path, "blocks")
    )
    if listed and len(listed) != len(doc.blocks):
        where = _dicts.join(path, "blocks")
        raise SerializationError(
            f"{where} must list the {len(doc.blocks)} blocks of the markdown (got {len(listed)})",
            field=where,
            value=len(listed),
        )
    for i, (raw, block) in enumerate(zip(listed, doc.blocks, strict=False)):
        where = _dicts.join(_dicts.join(path, "blocks"), i)
        entry = _dicts.expect_mapping(raw, where)
        for key, expected in (("id", block.id), ("kind", block.kind.value)):
            got = _dicts.get(entry, key, str, where)
            if got != expected:
                field = _dicts.join(where, key)
                raise SerializationError(
                    f"{field} must be {expected!r} as the markdown says (got {got!r})",
                    field=field,
                    value=got,
                )
    return doc
