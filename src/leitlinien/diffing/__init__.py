"""Text and structure alignment between two documents: `diff(old, new) -> DocumentDiff`.

Blocks are aligned first (each block one token), text second (only inside changed blocks,
word by word, refined to characters where a run of words was replaced). Every old and every
new block appears in exactly one `Change`. The `PositionMap` maps any reading-text offset of
`old` to `new` through one precomputed table of equal runs (a bisect, no scan).

Knobs: `leitlinien.diffing._align.SIMILAR` (0.5, word similarity for an edit or move),
`SIMILAR_IN_PLACE` (0.3, for a block rewritten where it stood), `CONTAINED`/`COVERED` (0.7/0.6,
for splits and merges), `GROW` (0.5, a leftover block's share of words that an edit left
over, to join it as a split or merge), `PROBES` (16 rarest words per block to look up similar
ones), `CANDIDATES_APART` (8 changes a block may have been merged into from elsewhere, looked
up by its words found once), `SCANS` (32 words searched in the text of unchanged blocks
before its words are collected at once) and in `leitlinien.diffing._text` `REORDERED` (0.5,
the share of a left-over stretch's words for a split or merge's parts to count as
reordered), `PATIENCE_MIN` (4 tokens: shorter stretches go to diff-match-patch directly,
longer ones are first split at tokens unique to both sides), `MYERS_LIMIT` (40,000: the
length product above which a stretch without such a token counts as replaced),
`REFINE_LIMIT` (2,000 characters), `REPLACED_LIMIT` (400) and `MIN_CHAR_RUN` (3), and in
`leitlinien.diffing._moves` `MOVED_MIN_WORDS` (3), `MOVED_MIN_CHARS` (16), `MOVED_WORDS`
(6), `MOVED_SHARE` (0.5) and `MOVED_COVERED` (0.8) for text moved out of its block into text
added elsewhere (see `moved_pieces`; words that crossed a paragraph boundary need none of
these, see `continued_pieces`). No diff-match-patch time-out is used (``Diff_Timeout``
is 0): results never depend on the machine's speed; the limits above bound the cost instead.
"""

from __future__ import annotations

import bisect
import enum
import functools
import itertools
from collections import Counter
from collections.abc import Iterator, Sequence

import attrs

from leitlinien import _gc
from leitlinien.diffing import _text
from leitlinien.diffing._align import Group, align
from leitlinien.diffing._moves import moved_pieces
from leitlinien.document import SEPARATOR, Block, Document

__all__ = [
    "Change",
    "ChangeKind",
    "DiffStatistics",
    "DocumentDiff",
    "MappedOffset",
    "Piece",
    "PieceKind",
    "PositionMap",
    "Segment",
    "SegmentOp",
    "diff",
]


class ChangeKind(enum.StrEnum):
    """What happened to a block (or a run of blocks) between two versions."""

    UNCHANGED = "unchanged"
    EDITED = "edited"
    MOVED = "moved"
    SPLIT = "split"
    MERGED = "merged"
    INSERTED = "inserted"
    DELETED = "deleted"


class SegmentOp(enum.StrEnum):
    """One segment of a text diff."""

    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


@attrs.frozen
class Segment:
    """A run of text that is equal in both versions, inserted in the new or deleted from the old."""

    op: SegmentOp
    text: str


def _segments(pairs: Sequence[tuple[str, str]]) -> tuple[Segment, ...]:
    return tuple(Segment(SegmentOp(op), text) for op, text in pairs)


@attrs.frozen(kw_only=True)
class Change:
    """One entry of a `DocumentDiff`.

    `old_ids`/`new_ids` name the blocks involved (several for a merge, a split or a section
    moved as a whole; a merge's sources may lie apart). `old_text`/`new_text` are their texts
    joined by ``"\\n\\n"``. `edited` tells whether the text changed (always for edits,
    splits and merges; for moves, whether the block was also edited); `cosmetic` whether only
    case, whitespace, typography or Unicode normalisation changed. `primary_id` is the block
    that carries the lineage: for a split the new part that holds most of the old text, for a
    merge the largest old source.
    """

    kind: ChangeKind
    old_ids: tuple[str, ...]
    new_ids: tuple[str, ...]
    old_text: str = ""
    new_text: str = ""
    edited: bool = False
    cosmetic: bool = False
    primary_id: str = ""

    @functools.cached_property
    def segments(self) -> tuple[Segment, ...]:
        """Character diff from `old_text` to `new_text`, semantically cleaned up."""
        return _segments(_text.char_diff(self.old_text, self.new_text))

    @functools.cached_property
    def word_segments(self) -> tuple[Segment, ...]:
        """The same diff with change boundaries only between words (for rendering)."""
        return _segments(_text.word_diff(self.old_text, self.new_text))

    @property
    def inserted_chars(self) -> int:
        """Characters inserted by this change."""
        return sum(len(s.text) for s in self.segments if s.op is SegmentOp.INSERT)

    @property
    def deleted_chars(self) -> int:
        """Characters deleted by this change."""
        return sum(len(s.text) for s in self.segments if s.op is SegmentOp.DELETE)


@attrs.frozen
class MappedOffset:
    """Where an old reading-text offset stands in the new text.

    `offset` is set when the position survived. When its text was deleted, `offset` is None
    and `before`/`after` are the nearest surviving new offsets on either side (None at the
    document's ends).
    """

    offset: int | None
    before: int | None = None
    after: int | None = None

    @property
    def deleted(self) -> bool:
        """Tell whether the position's text was deleted."""
        return self.offset is None


class PieceKind(enum.IntEnum):
    """How a piece of old text survives in the new text."""

    SAME = _text.SAME
    NORMALIZED = _text.NORMALIZED


Piece = tuple[int, int, int, int, int]
"""(old start, old end, new start, new end, `PieceKind`) of a surviving run."""


@attrs.frozen(eq=False)
class PositionMap:
    """Maps reading-text offsets of the old document to the new one.

    Built once from the surviving runs (`pieces`) of all changes and of text moved out of its
    block into text added elsewhere, sorted by old offset; every lookup is a bisect. A piece
    is identical text (`PieceKind.SAME`) or text equal but for case, whitespace, typography
    or normalisation (`NORMALIZED`). Inside a piece whose sides differ in length, offsets are
    scaled and clamped.
    """

    pieces: tuple[Piece, ...]
    old_length: int
    new_length: int
    _starts: list[int] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_starts", [p[0] for p in self.pieces])

    def _find(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset) - 1

    @staticmethod
    def _inside(piece: Piece, offset: int) -> int:
        a0, a1, b0, b1, _ = piece
        if a1 - a0 == b1 - b0:
            return b0 + (offset - a0)
        if offset >= a1:
            return b1
        return b0 + (offset - a0) * (b1 - b0) // (a1 - a0)

    def map_char(self, index: int) -> int | None:
        """Return the new index of the old character at `index`, or None if it was deleted."""
        k = self._find(index)
        if k >= 0 and index < self.pieces[k][1]:
            return self._inside(self.pieces[k], index)
        return None

    def map_offset(self, offset: int) -> MappedOffset:
        """Map a position (0..len(old.text)) between characters."""
        k = self._find(offset)
        if k >= 0 and offset <= self.pieces[k][1]:
            return MappedOffset(self._inside(self.pieces[k], offset))
        before = self.pieces[k][3] if k >= 0 else None
        after = self.pieces[k + 1][2] if k + 1 < len(self.pieces) else None
        return MappedOffset(None, before, after)

    def survivors(self, start: int, end: int) -> tuple[Piece, ...]:
        """Return the surviving parts of old ``[start, end)``, clipped, in old order."""
        out = []
        k = max(self._find(start), 0)
        pieces = self.pieces
        while k < len(pieces):
            piece = pieces[k]
            a0, a1 = piece[0], piece[1]
            if a0 >= end:
                break
            lo, hi = max(a0, start), min(a1, end)
            if lo < hi:
                out.append((lo, hi, self._inside(piece, lo), self._inside(piece, hi), piece[4]))
            k += 1
        return tuple(out)


@attrs.frozen(kw_only=True)
class DiffStatistics:
    """Counts of a diff: blocks by change kind and characters inserted and deleted."""

    blocks: dict[str, int]
    inserted_chars: int
    deleted_chars: int
    by_section: dict[str, dict[str, int]]

    @property
    def changed_blocks(self) -> int:
        """Blocks of the new version that are not unchanged (plus deleted old ones)."""
        return sum(n for kind, n in self.blocks.items() if kind != ChangeKind.UNCHANGED)


@attrs.frozen(eq=False)
class DocumentDiff:
    """The alignment of two documents: `changes` in reading order of the new document.

    Deleted blocks stand where they stood relative to their surviving neighbours. The
    position map is built when the diff is made; the `changes` (with their texts and
    character diffs) are built when first asked for.
    """

    old: Document
    new: Document
    groups: tuple[Group, ...] = attrs.field(repr=False)
    position_map: PositionMap

    @functools.cached_property
    def changes(self) -> tuple[Change, ...]:
        """Every change, in reading order of the new document."""
        return _changes(self.old, self.new, self.groups)

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    @property
    def is_empty(self) -> bool:
        """Tell whether nothing changed."""
        return all(c.kind is ChangeKind.UNCHANGED for c in self.changes)

    def change_of_old(self, block_id: str) -> Change:
        """Return the change that holds an old block."""
        return self._by_old[block_id]

    def change_of_new(self, block_id: str) -> Change:
        """Return the change that holds a new block."""
        return self._by_new[block_id]

    @functools.cached_property
    def _by_old(self) -> dict[str, Change]:
        return {i: c for c in self.changes for i in c.old_ids}

    @functools.cached_property
    def _by_new(self) -> dict[str, Change]:
        return {i: c for c in self.changes for i in c.new_ids}

    def apply(self) -> str:
        """Rebuild the new reading text from the old text and the changes alone."""
        parts = []
        for change in self.changes:
            if not change.new_ids:
                continue
            if change.kind in (ChangeKind.UNCHANGED, ChangeKind.MOVED) and not change.edited:
                parts.append(change.old_text)
            else:
                parts.append(
                    "".join(s.text for s in change.segments if s.op is not SegmentOp.DELETE)
                )
        return SEPARATOR.join(parts)

    @functools.cached_property
    def statistics(self) -> DiffStatistics:
        """Blocks and characters inserted, deleted, changed; overall and per section."""
        blocks: Counter[str] = Counter()
        by_section: dict[str, Counter[str]] = {}
        inserted = deleted = 0
        for change in self.changes:
            weight = max(len(change.new_ids), len(change.old_ids))
            blocks[change.kind.value] += weight
            if change.new_ids:
                section = self.new.section_of(change.new_ids[0]).id
            else:
                section = self.old.section_of(change.old_ids[0]).id
            by_section.setdefault(section, Counter())[change.kind.value] += weight
            if change.kind is ChangeKind.INSERTED:
                inserted += len(change.new_text)
            elif change.kind is ChangeKind.DELETED:
                deleted += len(change.old_text)
            elif change.edited:
                inserted += change.inserted_chars
                deleted += change.deleted_chars
        return DiffStatistics(
            blocks=dict(blocks),
            inserted_chars=inserted,
            deleted_chars=deleted,
            by_section={k: dict(v) for k, v in by_section.items()},
        )


def _span(doc: Document, indices: Sequence[int]) -> tuple[int, int]:
    """The reading-text span of consecutive blocks."""
    return doc.blocks[indices[0]].start, doc.blocks[indices[-1]].end


def _contiguous(indices: Sequence[int]) -> bool:
    return indices[-1] - indices[0] == len(indices) - 1


def _group_text(doc: Document, indices: Sequence[int]) -> str:
    """The texts of a group's blocks joined by the separator (a slice when they are
    consecutive; a merge's sources may lie apart)."""
    if not indices:
        return ""
    if _contiguous(indices):
        start, end = _span(doc, indices)
        return doc.text[start:end]
    return SEPARATOR.join(doc.blocks[i].text for i in indices)


def _places(doc: Document, indices: Sequence[int]) -> list[tuple[int, int, int]]:
    """(start in the joined group text, end there, start in the document) of each block."""
    out = []
    at = 0
    for i in indices:
        block = doc.blocks[i]
        out.append((at, at + len(block.text), block.start))
        at += len(block.text) + len(SEPARATOR)
    return out


def _placed(
    local: Sequence[Piece], olds: list[tuple[int, int, int]], news: list[tuple[int, int, int]]
) -> Iterator[Piece]:
    """Pieces in joined group texts (see `_places`) turned into document offsets.

    A piece is cut where it leaves a block on either side (the separator between two blocks
    that lie apart stands for no text of the document); a normalised piece that leaves a block
    is dropped (its two sides need not line up character by character).
    """
    for a0, a1, b0, b1, kind in local:
        if kind != _text.SAME:
            oa = _holder(olds, a0, a1)
            ob = _holder(news, b0, b1)
            if oa is not None and ob is not None:
                yield (a0 + oa, a1 + oa, b0 + ob, b1 + ob, kind)
            continue
        cuts = {0, a1 - a0}
        for places, start, end in ((olds, a0, a1), (news, b0, b1)):
            for s, e, _ in places:
                for edge in (s, e):
                    if start < edge < end:
                        cuts.add(edge - start)
        points = sorted(cuts)
        for t0, t1 in itertools.pairwise(points):
            oa = _holder(olds, a0 + t0, a0 + t1)
            ob = _holder(news, b0 + t0, b0 + t1)
            if oa is not None and ob is not None:
                yield (a0 + t0 + oa, a0 + t1 + oa, b0 + t0 + ob, b0 + t1 + ob, kind)


def _holder(places: list[tuple[int, int, int]], start: int, end: int) -> int | None:
    """The shift from joined-text to document offsets of the block holding ``[start, end)``."""
    for s, e, doc_start in places:
        if s <= start and end <= e:
            return doc_start - s
    return None


def diff(old: Document, new: Document) -> DocumentDiff:
    """Align two documents and build the position map (see the module docstring)."""
    with _gc.paused():
        return _diff(old, new)


def _diff(old: Document, new: Document) -> DocumentDiff:
    groups = tuple(align(old.blocks, new.blocks))
    pieces: list[Piece] = []
    same = _text.SAME
    for g in groups:
        if not g.old or not g.new:
            continue
        if not (_contiguous(g.old) and _contiguous(g.new)):
            local = _group_pieces(g, _group_text(old, g.old), _group_text(new, g.new))
            pieces.extend(_placed(local, _places(old, g.old), _places(new, g.new)))
            continue
        o0, o1 = _span(old, g.old)
        n0, n1 = _span(new, g.new)
        if not g.edited:
            pieces.append((o0, o1, n0, n1, same))
            continue
        local = _group_pieces(g, old.text[o0:o1], new.text[n0:n1])
        pieces.extend((o0 + a0, o0 + a1, n0 + b0, n0 + b1, k) for a0, a1, b0, b1, k in local)
    merged = _merge_pieces(pieces, old.text, new.text)
    moved = moved_pieces(old, new, merged)
    if moved:
        # Not joined with the pieces next to them: a moved piece that happens to continue
        # an unchanged block's piece on both sides is still text of another block.
        merged = sorted(merged + moved)
    return DocumentDiff(
        old=old,
        new=new,
        groups=groups,
        position_map=PositionMap(tuple(merged), len(old.text), len(new.text)),
    )


def _group_pieces(g: Group, old_text: str, new_text: str) -> list[_text.Piece]:
    """The mapping pieces of an edited group; a split or merge's parts may change order."""
    local = _text.mapping_pieces(old_text, new_text)
    if len(g.old) > 1 or len(g.new) > 1:
        local = _text.reordered_pieces(old_text, new_text, local)
    return local


def _changes(old: Document, new: Document, groups: Sequence[Group]) -> tuple[Change, ...]:
    """Turn alignment groups into `Change`s in reading order of the new document."""
    old_to_new: dict[int, int] = {}
    for g in groups:
        if g.new:
            for i in g.old:
                old_to_new[i] = g.new[0]
    survivor_before = []
    last = -1
    for i in range(len(old.blocks)):
        survivor_before.append(last)
        last = old_to_new.get(i, last)
    keyed: list[tuple[tuple[float, int, int], Change]] = []
    for g in _per_block(groups):
        olds = [old.blocks[i] for i in g.old]
        news = [new.blocks[j] for j in g.new]
        old_text = _group_text(old, g.old)
        new_text = _group_text(new, g.new)
        kind = ChangeKind(g.kind)
        primary = ""
        if kind is ChangeKind.SPLIT:
            local = _group_pieces(g, old_text, new_text)
            places = _places(new, g.new)
            primary = _largest_share(local, [p[0] for p in places], [p[1] for p in places], news)
        elif kind is ChangeKind.MERGED:
            primary = max(olds, key=lambda b: (len(b.text), -b.start)).id
        key: tuple[float, int, int]
        if g.new:
            key = (g.new[0], 0, g.old[0] if g.old else -1)
        else:
            key = (survivor_before[g.old[0]] + 0.5, 1, g.old[0])
        change = Change(
            kind=kind,
            old_ids=tuple(b.id for b in olds),
            new_ids=tuple(b.id for b in news),
            old_text=old_text,
            new_text=new_text,
            edited=g.edited,
            cosmetic=g.cosmetic,
            primary_id=primary,
        )
        keyed.append((key, change))
    keyed.sort(key=lambda kc: kc[0])
    return tuple(c for _, c in keyed)


def _per_block(groups: Sequence[Group]) -> list[Group]:
    """Unchanged runs as one group per block: each unchanged block is its own change."""
    out: list[Group] = []
    for g in groups:
        if g.kind == "unchanged" and len(g.old) > 1:
            out.extend(Group("unchanged", (i,), (j,)) for i, j in zip(g.old, g.new, strict=True))
        else:
            out.append(g)
    return out


def _largest_share(
    local: Sequence[Piece], starts: Sequence[int], ends: Sequence[int], news: Sequence[Block]
) -> str:
    share = [0] * len(news)
    for _, _, b0, b1, _ in local:
        for k, (s, e) in enumerate(zip(starts, ends, strict=True)):
            share[k] += max(0, min(b1, e) - max(b0, s))
    best = max(range(len(news)), key=lambda k: (share[k], -k))
    return news[best].id


def _merge_pieces(pieces: list[Piece], old_text: str, new_text: str) -> list[Piece]:
    """Sort by old offset and join runs that continue directly or across a block separator."""
    pieces.sort()
    out: list[Piece] = []
    sep = len(SEPARATOR)
    for p in pieces:
        if out and p[4] == _text.SAME and out[-1][4] == _text.SAME:
            a0, a1, b0, b1, _ = out[-1]
            contiguous = (p[0] == a1 and p[2] == b1) or (
                p[0] == a1 + sep
                and p[2] == b1 + sep
                and old_text[a1 : p[0]] == SEPARATOR
                and new_text[b1 : p[2]] == SEPARATOR
            )
            if contiguous:
                out[-1] = (a0, p[1], b0, p[3], _text.SAME)
                continue
        out.append(p)
    return out
