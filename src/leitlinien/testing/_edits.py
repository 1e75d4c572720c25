"""Edit scripts with the ground-truth fate of every character (private; see `leitlinien.testing`).

The old document is cut into *units*: its top-level nodes (a heading, a paragraph, a whole
list, quote, table or code block), each rendered with its canonical Markdown. Unchanged and
moved units keep that exact source, so their blocks come back with the same text. A unit
that is edited, split or merged becomes *plain*: a top-level paragraph, an ATX heading or a
flat list, written as fully escaped Markdown whose reading text is exactly the characters
we track. Every tracked character remembers the old offset it came from (or None when it is
new), so the new offsets follow from the new document's block spans.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Sequence
from typing import Literal

import attrs
from hypothesis import strategies as st

from leitlinien.document import Block, BlockKind, Document, ListNode, Node, Section
from leitlinien.testing._markdown import PLAIN_WORDS

__all__ = ["Edit", "EditKind", "EditResult", "edit_scripts"]

EditKind = Literal[
    "edit_text",
    "insert_block",
    "delete_block",
    "move_block",
    "split_block",
    "merge_blocks",
    "replace_all",
]
"""What one step of an edit script did."""


@attrs.frozen(kw_only=True)
class Edit:
    """One step of an edit script.

    `old_ids` are the ids (in the old document) of the blocks whose text the step touched,
    moved or deleted (for a move or deletion: the blocks whose text the unit still held, so a
    part of a split that holds only inserted words names none); `new_ids` the ids (in the new
    document) of the blocks that hold the step's result once the whole script has run (empty
    when a later step deleted them, and for deletions). `description` says what happened in
    a few words, for failure reports.
    """

    kind: EditKind
    old_ids: tuple[str, ...]
    new_ids: tuple[str, ...]
    description: str


@attrs.frozen(kw_only=True)
class EditResult:
    """Two versions of a document and the ground truth that links them.

    ``fate[i]`` is, for the code point ``old.text[i]``, the offset in `new.text` where that
    very character ended up, or None if it was deleted. The ``"\\n\\n"`` separators between
    blocks are not characters of any block and always have the fate None, as has the space
    lost where a paragraph was split. Guaranteed: ``len(fate) == len(old.text)``, every
    kept character satisfies ``new.text[fate[i]] == old.text[i]``, no two characters share
    a new offset, and characters of blocks the script did not touch keep their order and
    their block (so an untouched block has the same text, and the same id unless a repeat
    of its text moved ahead of it).
    """

    old: Document
    new: Document
    edits: tuple[Edit, ...]
    fate: tuple[int | None, ...]

    def kept_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Return where ``old.text[start:end]`` is in `new.text`, if it survived intact.

        That is ``(fate[start], fate[end - 1] + 1)`` when every character of the non-empty
        range was kept and they are still adjacent, in order, in the new text; else None.
        """
        if not 0 <= start < end <= len(self.fate):
            return None
        first = self.fate[start]
        if first is None:
            return None
        for k in range(start, end):
            if self.fate[k] != first + (k - start):
                return None
        return first, first + (end - start)

    def deleted(self, start: int, end: int) -> bool:
        """Tell whether every character of ``old.text[start:end]`` was deleted."""
        return all(self.fate[k] is None for k in range(start, end))


# -- the working model ------------------------------------------------------------------------


@attrs.define(eq=False)
class _Leaf:
    """One block of the new document under construction: characters and where they came from."""

    chars: list[str]
    origins: list[int | None]
    old_ids: tuple[str, ...]
    pin: str | None = None
    marker: str = ""

    @property
    def text(self) -> str:
        return "".join(self.chars)


Shape = Literal["kept", "paragraph", "heading", "list"]


@attrs.define(eq=False)
class _Unit:
    """A top-level chunk of the new document's Markdown."""

    shape: Shape
    leaves: list[_Leaf]
    source: str = ""  # the exact Markdown of a kept unit
    node: Node | None = None  # the old node of a kept unit that holds a single node
    level: int = 0
    tight: bool = True

    @property
    def old_ids(self) -> tuple[str, ...]:
        return tuple(i for leaf in self.leaves for i in leaf.old_ids)


_PUNCTUATION = frozenset(string.punctuation)
# Numeric character references markdown-it decodes to the character itself (others become
# U+FFFD): the C0 and C1 controls except tab, line feed, form feed and carriage return fail.
_BAD_ENTITY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _escape(text: str) -> str:
    """Markdown whose reading text, as a paragraph or heading, is exactly `text`."""
    out: list[str] = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        if ch in _PUNCTUATION:
            out.append("\\" + ch)
        elif (ch != " " and (ch.isspace() or unicodedata.category(ch) == "Cc")) or (
            ch == " " and i in (0, last)
        ):
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def _expressible(text: str) -> bool:
    """Tell whether `_escape` can write `text` exactly."""
    return _BAD_ENTITY.search(text) is None and "\r" not in text


def _render(unit: _Unit) -> str:
    if unit.shape == "kept":
        return unit.source

    def pin(leaf: _Leaf) -> str:
        return f"<!-- id: {leaf.pin} -->\n" if leaf.pin else ""

    if unit.shape == "paragraph":
        leaf = unit.leaves[0]
        return pin(leaf) + _escape(leaf.text)
    if unit.shape == "heading":
        leaf = unit.leaves[0]
        return pin(leaf) + "#" * unit.level + " " + _escape(leaf.text)
    items = []
    for leaf in unit.leaves:
        indent = " " * (len(leaf.marker) + 1)
        head = f"{leaf.marker} "
        if leaf.pin:
            items.append(f"{head}<!-- id: {leaf.pin} -->\n{indent}{_escape(leaf.text)}")
        else:
            items.append(head + _escape(leaf.text))
    return ("\n" if unit.tight else "\n\n").join(items)


def _leaves_of(node: Node) -> tuple[Block, ...]:
    return Section(id="", heading=None, level=0, number="", content=(node,)).blocks


def _node_markdown(node: Node) -> str:
    root = Section(id="", heading=None, level=0, number="", content=(node,))
    return Document(root=root).to_markdown().removesuffix("\n")


def _kept_leaf(block: Block) -> _Leaf:
    return _Leaf(
        chars=list(block.text),
        origins=list(range(block.start, block.end)),
        old_ids=(block.id,),
        pin=block.id if block.pinned else None,
        marker=block.marker,
    )


def _split_units(doc: Document) -> tuple[list[_Unit], list[_Unit]]:
    """Cut `doc` into movable units and a tail that must stay last (see `_glue`)."""
    nodes: list[Node] = []
    for section in doc.root.walk():
        if section.heading is not None:
            nodes.append(section.heading)
        nodes.extend(section.content)
    units = [
        _Unit(
            shape="kept",
            leaves=[_kept_leaf(b) for b in _leaves_of(node)],
            source=_node_markdown(node),
            node=node,
        )
        for node in nodes
    ]
    assert [b for u in units for leaf in u.leaves for b in leaf.old_ids] == [
        b.id for b in doc.blocks
    ], "units must hold the document's blocks in reading order"
    return _glue(units)


def _has_html(unit: _Unit) -> bool:
    node = unit.node
    if node is None:
        return True
    return any(b.kind is BlockKind.HTML for b in _leaves_of(node))


def _glue(units: list[_Unit]) -> tuple[list[_Unit], list[_Unit]]:
    """Glue raw HTML to what follows it.

    A raw HTML block may run on into what follows it (an unclosed ``<pre>``), and an id
    comment at the end pins the next block: keep such a unit with its old successor, and
    keep one at the very end last.
    """
    out: list[_Unit] = []
    for unit in units:
        if out and _has_html(out[-1]):
            prev = out[-1]
            out[-1] = _Unit(
                shape="kept",
                leaves=prev.leaves + unit.leaves,
                source=prev.source + "\n\n" + unit.source,
                node=None,
            )
        else:
            out.append(unit)
    if out and _has_html(out[-1]):
        return out[:-1], out[-1:]
    return out, []


def _as_plain(unit: _Unit) -> _Unit:
    """Return the unit in a shape whose text can be edited, or itself if it is plain."""
    if unit.shape != "kept":
        return unit
    node = unit.node
    if isinstance(node, Block):
        shape: Shape = "heading" if node.kind is BlockKind.HEADING else "paragraph"
        return _Unit(shape=shape, leaves=unit.leaves, level=node.level)
    assert isinstance(node, ListNode)
    return _Unit(shape="list", leaves=unit.leaves, tight=node.tight)


def _editable(unit: _Unit) -> bool:
    if any(not _expressible(leaf.text) for leaf in unit.leaves):
        return False
    if unit.shape != "kept":
        return True
    node = unit.node
    if isinstance(node, Block):
        return node.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING) and node.depth == 0
    if isinstance(node, ListNode):
        return all(
            len(item.children) == 1
            and isinstance(item.children[0], Block)
            and item.children[0].kind is BlockKind.LIST_ITEM
            for item in node.items
        )
    return False


def _is_paragraph(unit: _Unit) -> bool:
    if unit.shape == "paragraph":
        return True
    return (
        unit.shape == "kept"
        and isinstance(unit.node, Block)
        and unit.node.kind is BlockKind.PARAGRAPH
        and unit.node.depth == 0
        and _expressible(unit.leaves[0].text)
    )


# -- drawing edits ----------------------------------------------------------------------------

_MARKUP_WORDS = (
    "*wichtig*",
    "**fett**",
    "[Link](x)",
    "# Nr. 1",
    "<b>",
    "&amp;",
    "a_b_c",
    "`Code`",
    "1.",
    "-",
    ">",
    "|",
    "\\",
    "!",
    "~~",
)
_WORDS = PLAIN_WORDS + _MARKUP_WORDS
_CHARS = st.sampled_from(tuple("aeiouäöüßAÖÜ xyz,.;-–„“*_#`[]<>&|\\🙂𝔘é"))


def _words(min_size: int = 1, max_size: int = 6) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(_WORDS), min_size=min_size, max_size=max_size).map(" ".join)


def _new_leaf(text: str) -> _Leaf:
    return _Leaf(chars=list(text), origins=[None] * len(text), old_ids=())


def _edit_leaf(draw: st.DrawFn, leaf: _Leaf) -> str:
    """Change words or characters of `leaf` in place; return what was done."""
    done: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        text = leaf.text
        spans = [m.span() for m in re.finditer(r"\S+", text)]
        ops = ["insert_word", "insert_chars"]
        if spans:
            ops += ["replace_word", "delete_word"]
        if text:
            ops.append("delete_chars")
        op = draw(st.sampled_from(ops))
        if op == "replace_word":
            s, e = draw(st.sampled_from(spans))
            new = draw(_words(1, 2))
            leaf.chars[s:e] = list(new)
            leaf.origins[s:e] = [None] * len(new)
            done.append(f"replaced {text[s:e]!r} with {new!r}")
        elif op == "insert_word":
            new = draw(_words(1, 3))
            starts = [s for s, _ in spans] + [len(text)]
            at = draw(st.sampled_from(starts))
            piece = new + " " if at < len(text) else (" " + new if text else new)
            leaf.chars[at:at] = list(piece)
            leaf.origins[at:at] = [None] * len(piece)
            done.append(f"inserted {new!r} at {at}")
        elif op == "delete_word":
            s, e = draw(st.sampled_from(spans))
            if e < len(text) and text[e] == " ":
                e += 1
            elif s > 0 and text[s - 1] == " ":
                s -= 1
            del leaf.chars[s:e]
            del leaf.origins[s:e]
            done.append(f"deleted {text[s:e]!r}")
        elif op == "insert_chars":
            at = draw(st.integers(0, len(text)))
            new = "".join(draw(st.lists(_CHARS, min_size=1, max_size=5)))
            leaf.chars[at:at] = list(new)
            leaf.origins[at:at] = [None] * len(new)
            done.append(f"inserted {new!r} at {at}")
        else:
            s = draw(st.integers(0, len(text) - 1))
            e = draw(st.integers(s + 1, min(len(text), s + 12)))
            del leaf.chars[s:e]
            del leaf.origins[s:e]
            done.append(f"deleted {text[s:e]!r}")
    if not leaf.text.strip():
        new = draw(_words(1, 2))
        leaf.chars.extend(new)
        leaf.origins.extend([None] * len(new))
        done.append(f"appended {new!r}")
    return "; ".join(done)


def _split_points(leaf: _Leaf) -> list[int]:
    text = leaf.text
    return [
        m.start()
        for m in re.finditer(" ", text)
        if 0 < m.start() < len(text) - 1
        and not text[m.start() - 1].isspace()
        and not text[m.start() + 1].isspace()
    ]


@attrs.define
class _Step:
    kind: EditKind
    old_ids: tuple[str, ...]
    leaves: list[_Leaf]
    description: str


@st.composite
def _script(draw: st.DrawFn, old: Document, max_edits: int) -> EditResult:
    units, tail = _split_units(old)
    steps: list[_Step] = []
    merged_into: dict[int, _Leaf] = {}
    for _ in range(draw(st.integers(0, max_edits))):
        editable = [i for i, u in enumerate(units) if _editable(u)]
        splittable = [
            i for i, u in enumerate(units) if _is_paragraph(u) and _split_points(u.leaves[0])
        ]
        mergeable = [
            i
            for i in range(len(units) - 1)
            if _is_paragraph(units[i]) and _is_paragraph(units[i + 1])
        ]
        kinds: list[EditKind] = ["insert_block"]
        if units:
            kinds += ["delete_block"]
        if len(units) > 1:
            kinds += ["move_block", "move_block"]
        if editable:
            kinds += ["edit_text"] * 4
        if splittable:
            kinds += ["split_block"]
        if mergeable:
            kinds += ["merge_blocks"]
        if draw(st.integers(0, 40)) == 23:  # rarely: Hypothesis favours 0 and the bounds
            kinds = ["replace_all"]
        kind = draw(st.sampled_from(kinds))

        if kind == "insert_block":
            at = draw(st.integers(0, len(units)))
            leaf = _new_leaf(draw(_words(1, 10)))
            if draw(st.integers(0, 3)) == 0:
                level = draw(st.integers(1, 4))
                unit = _Unit(shape="heading", leaves=[leaf], level=level)
                what = f"heading of level {level}"
            else:
                unit = _Unit(shape="paragraph", leaves=[leaf])
                what = "paragraph"
            units.insert(at, unit)
            steps.append(_Step(kind, (), [leaf], f"inserted a {what} at unit {at}"))
        elif kind == "delete_block":
            at = draw(st.integers(0, len(units) - 1))
            unit = units.pop(at)
            steps.append(_Step(kind, _held(old, unit), [], f"deleted unit {at} ({unit.shape})"))
        elif kind == "move_block":
            at = draw(st.integers(0, len(units) - 1))
            unit = units.pop(at)
            to = draw(st.integers(0, len(units) - 1))
            if to >= at:  # anywhere but back where it was
                to += 1
            units.insert(to, unit)
            steps.append(
                _Step(kind, _held(old, unit), list(unit.leaves), f"moved unit {at} to {to}")
            )
        elif kind == "edit_text":
            at = draw(st.sampled_from(editable))
            unit = units[at] = _as_plain(units[at])
            leaf = draw(st.sampled_from(unit.leaves))
            old_ids = leaf.old_ids
            what = _edit_leaf(draw, leaf)
            steps.append(_Step(kind, old_ids, [leaf], f"in unit {at}: {what}"))
        elif kind == "split_block":
            at = draw(st.sampled_from(splittable))
            unit = units[at] = _as_plain(units[at])
            leaf = unit.leaves[0]
            cut = draw(st.sampled_from(_split_points(leaf)))
            right = _Leaf(
                chars=leaf.chars[cut + 1 :], origins=leaf.origins[cut + 1 :], old_ids=leaf.old_ids
            )
            old_ids = leaf.old_ids
            del leaf.chars[cut:]
            del leaf.origins[cut:]
            units.insert(at + 1, _Unit(shape="paragraph", leaves=[right]))
            steps.append(_Step(kind, old_ids, [leaf, right], f"split unit {at} at character {cut}"))
        elif kind == "merge_blocks":
            at = draw(st.sampled_from(mergeable))
            first = units[at] = _as_plain(units[at])
            second = units.pop(at + 1)
            leaf, other = first.leaves[0], second.leaves[0]
            old_ids = leaf.old_ids + other.old_ids
            leaf.chars += [" ", *other.chars]
            leaf.origins += [None, *other.origins]
            leaf.old_ids = old_ids
            merged_into[id(other)] = leaf
            steps.append(_Step(kind, old_ids, [leaf], f"merged units {at} and {at + 1}"))
        else:
            gone = tuple(i for u in units + tail for i in u.old_ids)
            units = [
                _Unit(shape="paragraph", leaves=[_new_leaf(draw(_words(2, 10)))])
                for _ in range(draw(st.integers(1, 4)))
            ]
            tail = []
            steps.append(
                _Step(kind, gone, [u.leaves[0] for u in units], "replaced the whole document")
            )

    final = units + tail
    chunks = [_render(u) for u in final]
    refs = Document(
        root=Section(id="", heading=None, level=0, number="", content=()),
        references=old.references,
    ).to_markdown()
    if refs:
        chunks.append(refs.removesuffix("\n"))
    markdown = "\n\n".join(chunks) + "\n" if chunks else ""
    new = Document.from_markdown(markdown)
    return _verify(old, new, [leaf for u in final for leaf in u.leaves], steps, merged_into)


def _held(old: Document, unit: _Unit) -> tuple[str, ...]:
    """The old blocks whose text `unit` still holds (a part of a split holds only some; an
    empty block, which has no text, is held by the unit it came in)."""
    ids: dict[str, None] = {}
    for leaf in unit.leaves:
        for block_id in leaf.old_ids:
            if not old.block(block_id).text:
                ids[block_id] = None
        for origin in leaf.origins:
            if origin is not None:
                block = old.block_at(origin)
                assert block is not None, "a kept character lies inside an old block"
                ids[block.id] = None
    return tuple(ids)


def _verify(
    old: Document,
    new: Document,
    leaves: Sequence[_Leaf],
    steps: Sequence[_Step],
    merged_into: dict[int, _Leaf],
) -> EditResult:
    assert [b.text for b in new.blocks] == [leaf.text for leaf in leaves], (
        "the new document's blocks must be the planned ones"
    )
    fate: list[int | None] = [None] * len(old.text)
    new_id: dict[int, str] = {}
    for block, leaf in zip(new.blocks, leaves, strict=True):
        new_id[id(leaf)] = block.id
        for j, origin in enumerate(leaf.origins):
            if origin is not None:
                assert fate[origin] is None, "a character must not be kept twice"
                fate[origin] = block.start + j
                assert new.text[block.start + j] == old.text[origin]

    def resolve(leaf: _Leaf) -> _Leaf:
        while id(leaf) in merged_into:
            leaf = merged_into[id(leaf)]
        return leaf

    edits = []
    for step in steps:
        ids: list[str] = []
        for leaf in step.leaves:
            found = new_id.get(id(resolve(leaf)))
            if found is not None and found not in ids:
                ids.append(found)
        edits.append(
            Edit(
                kind=step.kind,
                old_ids=tuple(dict.fromkeys(step.old_ids)),
                new_ids=tuple(ids),
                description=step.description,
            )
        )
    return EditResult(old=old, new=new, edits=tuple(edits), fate=tuple(fate))


def edit_scripts(document: Document, *, max_edits: int = 8) -> st.SearchStrategy[EditResult]:
    """Generate a new version of `document` with the ground-truth fate of every character.

    Up to `max_edits` steps, each one of: change words or characters inside a heading,
    paragraph or list item (``edit_text``), insert a paragraph or heading
    (``insert_block``), delete a block (``delete_block``), move a block elsewhere, also into
    another section (``move_block``), split a paragraph at a space between two words (the
    space is deleted; ``split_block``), merge two consecutive paragraphs with a space between
    them (``merge_blocks``), and, rarely, replace the whole text (``replace_all``). A "block"
    here is a top-level construct: a whole list, quote, table or code block moves and goes
    as one; only flat lists have their items edited. Edited and new text is written as
    escaped Markdown and may hold Markdown punctuation, which then reads literally.

    Unchanged and moved blocks keep their exact Markdown, so their text is identical. The
    ground truth is checked inside the strategy (see `EditResult` for what it guarantees),
    so a drawn example is never wrong.
    """
    if max_edits < 0:
        from hypothesis.errors import InvalidArgument  # noqa: PLC0415

        raise InvalidArgument(f"max_edits must be at least 0 (got {max_edits!r})")
    return _script(document, max_edits)
