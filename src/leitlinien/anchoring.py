"""Anchors on passages and their re-anchoring in a new version: `Anchor`, `reanchor()`.

An `Anchor` keeps redundant selectors, as the W3C Web Annotation model recommends: the
reading-text range, the block id with the offsets inside the block(s), and a text quote with
up to 32 UTF-16 code units of context on either side, which stops at the block's edge.

`reanchor(anchors, old, new)` diffs the two documents once and maps every anchor through the
diff's position map; it never searches the whole document per anchor. See `AnchorStatus`
for what the results mean.
"""

from __future__ import annotations

import bisect
import enum
import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from leitlinien import _dicts, _gc
from leitlinien.diffing import ChangeKind, DocumentDiff, PieceKind, diff
from leitlinien.document import Block, Document
from leitlinien.errors import AnchorError, DocumentError

__all__ = [
    "CONTEXT_UTF16",
    "Anchor",
    "AnchorStatus",
    "ReanchorResult",
    "Suggestion",
    "compose",
    "reanchor",
    "reanchor_steps",
]

_SAME = PieceKind.SAME

CONTEXT_UTF16 = 32
"""Most UTF-16 code units of prefix and suffix context (dom-anchor-text-quote's limit)."""

MIN_SURVIVAL = 0.25
"""Least share of a passage's word characters that must survive for it to stay attached."""

MIN_RELOCATE = 16
"""Shortest passage (in characters, at least 3 words) that may be found again verbatim in
text the new version added elsewhere (a sentence moved to another paragraph)."""


class AnchorStatus(enum.StrEnum):
    """Where a re-anchored passage stands in the new version.

    EXACT: the same text at the same place relative to its block, which kept its id.
    SHIFTED: the same text found elsewhere (offsets moved, block moved, split or merged).
    MODIFIED: the passage was edited; the result is the best surviving span, confidence < 1.
    ORPHANED: the passage is gone; the anchor keeps its original quote.
    """

    EXACT = "exact"
    SHIFTED = "shifted"
    MODIFIED = "modified"
    ORPHANED = "orphaned"


_RANK = {
    AnchorStatus.EXACT: 0,
    AnchorStatus.SHIFTED: 1,
    AnchorStatus.MODIFIED: 2,
    AnchorStatus.ORPHANED: 3,
}


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _tail(text: str, limit: int) -> str:
    """The longest suffix of `text` within `limit` UTF-16 code units."""
    cut = text[-limit:] if limit else ""
    if _ASTRAL.search(cut) is None:
        return cut
    out, units = len(text), 0
    while out > 0:
        units += 2 if ord(text[out - 1]) > 0xFFFF else 1
        if units > limit:
            break
        out -= 1
    return text[out:]


def _head(text: str, limit: int) -> str:
    """The longest prefix of `text` within `limit` UTF-16 code units."""
    cut = text[:limit]
    if _ASTRAL.search(cut) is None:
        return cut
    out, units = 0, 0
    while out < len(text):
        units += 2 if ord(text[out]) > 0xFFFF else 1
        if units > limit:
            break
        out += 1
    return text[:out]


def _check_int(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnchorError(
            f"{field} must be an int (got {type(value).__name__}: {value!r})",
            field=field,
            value=value,
        )
    return value


@attrs.frozen(kw_only=True)
class Anchor:
    """A passage of one document, kept as several redundant selectors.

    `start`/`end` are reading-text offsets (code points). `block_id`/`block_offset` locate
    `start` inside its block, `end_block_id`/`end_block_offset` locate `end` (the same block
    unless the passage crosses blocks). `exact` is the quoted text, `prefix`/`suffix` its
    context inside the blocks. `whole_block` marks a comment on a whole paragraph. An empty
    passage (start == end) is an insertion point, allowed only for amendment proposals.
    """

    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""
    block_id: str
    block_offset: int
    end_block_id: str
    end_block_offset: int
    whole_block: bool = False

    @property
    def is_insertion_point(self) -> bool:
        """Tell whether the anchor is an empty range (a place to insert text)."""
        return self.start == self.end

    # -- constructors ----------------------------------------------------------------------

    @classmethod
    def from_range(
        cls, doc: Document, start: int, end: int, *, insertion_point: bool = False
    ) -> Anchor:
        """Anchor ``doc.text[start:end]``.

        Ends that fall into the separator between two blocks are moved onto the nearest block
        text inside the range. An empty range is an `AnchorError` unless `insertion_point`.
        """
        _check_int(start, "start")
        _check_int(end, "end")
        n = len(doc.text)
        if not 0 <= start <= n:
            raise AnchorError(
                f"start must be between 0 and {n} (got {start!r})", field="start", value=start
            )
        if not 0 <= end <= n:
            raise AnchorError(
                f"end must be between 0 and {n} (got {end!r})", field="end", value=end
            )
        if start > end:
            raise AnchorError(
                f"start must not be after end (got start={start!r}, end={end!r})",
                field="start",
                value=start,
            )
        if not doc.blocks:
            raise AnchorError("the document has no blocks to anchor to", field="start", value=start)
        first = _block_from(doc, start)
        last = _block_until(doc, end)
        if start != end:
            start = max(start, first.start)
            end = min(end, last.end)
            if start >= end:
                raise AnchorError(
                    f"the range {start}..{end} holds no block text (only a separator)",
                    field="start",
                    value=start,
                )
        elif not insertion_point:
            raise AnchorError(
                f"an empty range (start == end == {start}) is allowed only as an insertion "
                "point for an amendment proposal",
                field="end",
                value=end,
            )
        else:
            first = last = _block_until(doc, start) if doc.block_at(start) is None else first
            start = end = min(max(start, first.start), first.end)
        return cls._build(doc, start, end, first, last)

    @classmethod
    def _build(
        cls, doc: Document, start: int, end: int, first: Block, last: Block, *, whole: bool = False
    ) -> Anchor:
        return cls(
            start=start,
            end=end,
            exact=doc.text[start:end],
            prefix=_tail(doc.text[max(first.start, start - CONTEXT_UTF16) : start], CONTEXT_UTF16),
            suffix=_head(doc.text[end : min(last.end, end + CONTEXT_UTF16)], CONTEXT_UTF16),
            block_id=first.id,
            block_offset=start - first.start,
            end_block_id=last.id,
            end_block_offset=end - last.start,
            whole_block=whole,
        )

    @classmethod
    def for_block(cls, doc: Document, block_id: str) -> Anchor:
        """Anchor a whole block (a comment on a paragraph)."""
        try:
            block = doc.block(block_id)
        except DocumentError:
            raise AnchorError(
                f"block_id must name a block of the document (got {block_id!r})",
                field="block_id",
                value=block_id,
            ) from None
        return cls._build(doc, block.start, block.end, block, block, whole=True)

    @classmethod
    def from_quote(
        cls,
        doc: Document,
        exact: str,
        prefix: str = "",
        suffix: str = "",
        *,
        hint: int | None = None,
    ) -> Anchor:
        """Find a quoted passage: ambiguity is resolved by context, then whole words, then `hint`.

        `AnchorError` if the quote is empty, not found, or still ambiguous without a hint.
        """
        if not isinstance(exact, str) or not exact:
            raise AnchorError(
                f"exact must be a non-empty str (got {exact!r})", field="exact", value=exact
            )
        for name, value in (("prefix", prefix), ("suffix", suffix)):
            if not isinstance(value, str):
                raise AnchorError(
                    f"{name} must be a str (got {type(value).__name__}: {value!r})",
                    field=name,
                    value=value,
                )
        if hint is not None:
            _check_int(hint, "hint")
        text = doc.text
        found = []
        at = text.find(exact)
        while at >= 0:
            found.append(at)
            at = text.find(exact, at + 1)
        if not found:
            raise AnchorError(
                f"exact must occur in the document (got {exact[:60]!r}, not found)",
                field="exact",
                value=exact,
            )

        def score(at: int) -> tuple[int, int, int]:
            before = text[max(0, at - len(prefix)) : at]
            after = text[at + len(exact) : at + len(exact) + len(suffix)]
            context = _common_suffix(before, prefix) + _common_prefix(after, suffix)
            end = at + len(exact)
            whole = int(
                (at == 0 or not text[at - 1].isalnum())
                and (end == len(text) or not text[end].isalnum())
            )
            near = -abs(at - hint) if hint is not None else 0
            return context, whole, near

        ranked = sorted(found, key=score, reverse=True)
        if len(ranked) > 1 and score(ranked[0]) == score(ranked[1]):
            raise AnchorError(
                f"exact is ambiguous: {exact[:60]!r} occurs {len(found)} times with equally "
                "good context; give more prefix/suffix or a position hint",
                field="exact",
                value=exact,
            )
        return cls.from_range(doc, ranked[0], ranked[0] + len(exact))

    # -- checks and JSON -------------------------------------------------------------------

    def matches(self, doc: Document) -> bool:
        """Tell whether the anchor's selectors agree with `doc`."""
        return (
            0 <= self.start <= self.end <= len(doc.text)
            and doc.text[self.start : self.end] == self.exact
            and doc.has_block(self.block_id)
            and doc.block(self.block_id).start + self.block_offset == self.start
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (offsets in code points)."""
        return {
            "start": self.start,
            "end": self.end,
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "block_id": self.block_id,
            "block_offset": self.block_offset,
            "end_block_id": self.end_block_id,
            "end_block_offset": self.end_block_offset,
            "whole_block": self.whole_block,
        }

    @classmethod
    def from_dict(cls, data: Any, path: str = "anchor") -> Anchor:
        """Rebuild an anchor from `to_dict` output; `SerializationError` names a bad field."""
        m = _dicts.expect_mapping(data, path)
        anchor = cls(
            start=_dicts.get(m, "start", int, path),
            end=_dicts.get(m, "end", int, path),
            exact=_dicts.get(m, "exact", str, path),
            prefix=_dicts.get(m, "prefix", str, path, default=""),
            suffix=_dicts.get(m, "suffix", str, path, default=""),
            block_id=_dicts.get(m, "block_id", str, path),
            block_offset=_dicts.get(m, "block_offset", int, path),
            end_block_id=_dicts.get(m, "end_block_id", str, path),
            end_block_offset=_dicts.get(m, "end_block_offset", int, path),
            whole_block=_dicts.get(m, "whole_block", bool, path, default=False),
        )
        if not 0 <= anchor.start <= anchor.end or anchor.end - anchor.start != len(anchor.exact):
            from leitlinien.errors import SerializationError  # noqa: PLC0415

            raise SerializationError(
                f"{path}.end must be start + len(exact) = {anchor.start + len(anchor.exact)} "
                f"(got start={anchor.start!r}, end={anchor.end!r})",
                field=f"{path}.end",
                value=anchor.end,
            )
        return anchor


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _block_from(doc: Document, offset: int) -> Block:
    """The block holding `offset`, or the first block after it (the last one at the end)."""
    k = doc.block_index(offset)
    if k >= 0 and offset <= doc.blocks[k].end:
        return doc.blocks[k]
    return doc.blocks[min(k + 1, len(doc.blocks) - 1)]


def _block_until(doc: Document, offset: int) -> Block:
    """The block holding `offset`, or the last block before it (the first one at the start)."""
    return doc.blocks[max(doc.block_index(offset), 0)]


@attrs.frozen
class Suggestion:
    """A place where an orphaned passage might now be, for a moderator to confirm.

    Never applied automatically.
    """

    start: int
    end: int
    score: float
    reason: str


@attrs.frozen(kw_only=True)
class ReanchorResult:
    """The fate of one anchor in the new document.

    `start`/`end`/`anchor` are None when ORPHANED; `original` is always the input anchor.
    `confidence` is 1.0 for EXACT and SHIFTED, below 1 for MODIFIED, 0.0 for ORPHANED.
    `reason` is short and machine-readable ("block moved", "passage reworded 40%").
    """

    original: Anchor
    status: AnchorStatus
    start: int | None
    end: int | None
    confidence: float
    reason: str
    anchor: Anchor | None = None
    suggestion: Suggestion | None = None


@attrs.frozen
class _Fate:
    kind: ChangeKind
    new_ids: tuple[str, ...]


def _found(
    original: Anchor,
    status: AnchorStatus,
    anchor: Anchor,
    reason: str,
    confidence: float = 1.0,
) -> ReanchorResult:
    """The result of an anchor that landed on `anchor` in the new document."""
    return ReanchorResult(
        original=original,
        status=status,
        start=anchor.start,
        end=anchor.end,
        confidence=confidence,
        reason=reason,
        anchor=anchor,
    )


# The usual passage only shifts: its anchor and result are built one slot at a time, exactly
# as attrs' keyword __init__ would (neither class has validators or converters), which costs
# about a fifth less per object; the two objects are most of the cost of such a passage.
_new = object.__new__
_set = object.__setattr__


def _moved(anchor: Anchor, start: int, end: int, block_id: str) -> Anchor:
    """`anchor` at new offsets in a block with id `block_id` (its block offsets unchanged)."""
    out = _new(Anchor)
    _set(out, "start", start)
    _set(out, "end", end)
    _set(out, "exact", anchor.exact)
    _set(out, "prefix", anchor.prefix)
    _set(out, "suffix", anchor.suffix)
    _set(out, "block_id", block_id)
    _set(out, "block_offset", anchor.block_offset)
    _set(out, "end_block_id", block_id)
    _set(out, "end_block_offset", anchor.end_block_offset)
    _set(out, "whole_block", anchor.whole_block)
    return out


def _unchanged_result(original: Anchor, anchor: Anchor) -> ReanchorResult:
    """The EXACT result of a passage whose block is unchanged."""
    out = _new(ReanchorResult)
    _set(out, "original", original)
    _set(out, "status", AnchorStatus.EXACT)
    _set(out, "start", anchor.start)
    _set(out, "end", anchor.end)
    _set(out, "confidence", 1.0)
    _set(out, "reason", "unchanged")
    _set(out, "anchor", anchor)
    _set(out, "suggestion", None)
    return out


def _unchanged(anchor: Anchor, start: int, block_id: str) -> ReanchorResult:
    """The EXACT result of a passage of an unchanged block, now at `start` in `block_id`."""
    if start == anchor.start and block_id == anchor.block_id:
        return _unchanged_result(anchor, anchor)
    end = start + (anchor.end - anchor.start)
    return _unchanged_result(anchor, _moved(anchor, start, end, block_id))


class _Mapper:
    """Maps anchors of `old` into `new` through one precomputed diff."""

    def __init__(self, d: DocumentDiff) -> None:
        self.diff = d
        self.old = d.old
        self.new = d.new
        self.pm = d.position_map
        self._material: tuple[str, list[int], list[int]] | None = None
        # What happened to each old block, from the alignment (no texts, no character diffs):
        # the new id of each unchanged block, the fate of each other one.
        self.fate: dict[str, _Fate] = {}
        self.unchanged_to: dict[str, str] = {}
        old_ids = [b.id for b in d.old.blocks]
        new_ids = [b.id for b in d.new.blocks]
        for g in d.groups:
            if g.kind == ChangeKind.UNCHANGED:
                self.unchanged_to.update(
                    zip(
                        map(old_ids.__getitem__, g.old),
                        map(new_ids.__getitem__, g.new),
                        strict=True,
                    )
                )
                continue
            fate = _Fate(ChangeKind(g.kind), tuple(new_ids[j] for j in g.new))
            for i in g.old:
                self.fate[old_ids[i]] = fate

    def by_old_change(self, old_block_id: str) -> _Fate:
        fate = self.fate.get(old_block_id)
        if fate is None:
            new_id = self.unchanged_to[old_block_id]
            fate = self.fate[old_block_id] = _Fate(ChangeKind.UNCHANGED, (new_id,))
        return fate

    def map_all(self, anchors: Iterable[Anchor]) -> list[ReanchorResult]:
        """`run` on each anchor, with the usual case done inline.

        The usual passage lies inside one block that is unchanged in the new version: it keeps
        its quote, context and block offsets, only its offsets shift by as much as its block
        moved. That case is recognised here with the checks `run` makes (the anchor matches
        the old document, its block is unchanged, so the passage lies in text that survived as
        it was); everything else goes through `run`.
        """
        old_text = self.old.text
        old_blocks, new_blocks = self.old._index.by_id, self.new._index.by_id
        unchanged_to = self.unchanged_to
        out: list[ReanchorResult] = []
        for index, anchor in enumerate(anchors):
            if type(anchor) is Anchor:
                new_id = unchanged_to.get(anchor.block_id)
                if new_id is not None:
                    block = old_blocks[anchor.block_id]
                    o0 = block.start
                    start, end, exact = anchor.start, anchor.end, anchor.exact
                    if (
                        o0 <= start < end <= block.end
                        and o0 + anchor.block_offset == start
                        and anchor.end_block_id == anchor.block_id
                        and len(exact) == end - start
                        and old_text.startswith(exact, start)
                    ):
                        ns = new_blocks[new_id].start + (start - o0)
                        out.append(_unchanged(anchor, ns, new_id))
                        continue
            out.append(self.run(anchor, index))
        return out

    def change_kind(self, old_block_id: str) -> ChangeKind:
        return self.by_old_change(old_block_id).kind

    def _unchanged_block(self, anchor: Anchor, ns: int) -> ReanchorResult | None:
        """A passage inside one unchanged block: same quote, context and block offsets."""
        if anchor.block_id != anchor.end_block_id:
            return None
        change = self.by_old_change(anchor.block_id)
        if change.kind is not ChangeKind.UNCHANGED:
            return None
        return _unchanged(anchor, ns, change.new_ids[0])

    def _new_anchor(self, start: int, end: int, *, whole: bool) -> Anchor:
        """Build the anchor of a span of the new text (both ends inside blocks)."""
        doc = self.new
        first = doc.blocks[max(doc.block_index(start), 0)]
        last = doc.blocks[max(doc.block_index(end), 0)] if end > first.end else first
        anchor = Anchor._build(doc, start, end, first, last)
        if whole:
            anchor = attrs.evolve(anchor, whole_block=self._covers_block(anchor))
        return anchor

    def run(self, anchor: Anchor, index: int) -> ReanchorResult:
        anchor = self._resolve(anchor, index)
        start, end = anchor.start, anchor.end
        if start == end:
            return self._point(anchor)
        # Most passages lie inside text that survived as it was: map them in one step.
        pm = self.pm
        k = bisect.bisect_right(pm._starts, start) - 1
        if k >= 0:
            a0, a1, b0, _, kind = pm.pieces[k]
            if kind == _SAME and end <= a1:
                ns = b0 + (start - a0)
                quick = self._unchanged_block(anchor, ns)
                if quick is not None:
                    return quick
                if not anchor.whole_block:
                    new_anchor = self._new_anchor(ns, ns + (end - start), whole=False)
                    return self._same_text(anchor, new_anchor)
                # A whole-block comment follows its block into what became of it (below).
        pieces = pm.survivors(start, end)
        if not pieces:
            return self._orphan(anchor)
        words = _word_spans(anchor.exact)
        total = sum(e - s for s, e in words) or len(anchor.exact)
        cluster = _best_cluster(pieces, len(anchor.exact))

        def kept(group: Sequence[tuple[int, int, int, int, int]]) -> float:
            if not words:
                return float(sum(a1 - a0 for a0, a1, _, _, _ in group))
            out = 0
            for a0, a1, _, _, _ in group:
                lo, hi = a0 - start, a1 - start
                out += sum(max(0, min(e, hi) - max(s, lo)) for s, e in words)
            return float(out)

        share = kept(cluster) / total
        if share < MIN_SURVIVAL:
            return self._orphan(anchor)
        ns, ne = self._extend(anchor, cluster)
        intact = len(cluster) == len(pieces) and self.new.text[ns:ne] == anchor.exact
        if not intact:
            ns, ne = _whole_words(self.old.text, anchor, self.new.text, ns, ne)
            ns, ne = _trim(self.new.text, ns, ne)
        if ns >= ne:
            return self._orphan(anchor)
        if anchor.whole_block:
            covered = self.new.blocks_in(ns, ne)
            if not covered:
                return self._orphan(anchor)
            ns, ne = covered[0].start, covered[-1].end
        new_anchor = Anchor.from_range(self.new, ns, ne)
        if anchor.whole_block:
            new_anchor = attrs.evolve(new_anchor, whole_block=self._covers_block(new_anchor))
        if new_anchor.exact == anchor.exact and len(cluster) == len(pieces):
            return self._same_text(anchor, new_anchor)
        if share >= 0.999:
            inserted = sum(p[3] - p[2] for p in cluster) < (ne - ns)
            reason = (
                "text inserted inside passage"
                if inserted
                else "passage changed only in spelling or spacing"
            )
            confidence = 0.9 if inserted else 0.95
        else:
            reason = f"passage reworded {round((1 - share) * 100)}%"
            confidence = max(0.05, round(0.95 * share, 3))
        return _found(anchor, AnchorStatus.MODIFIED, new_anchor, reason, confidence)

    def _extend(
        self, anchor: Anchor, cluster: Sequence[tuple[int, int, int, int, int]]
    ) -> tuple[int, int]:
        """Take in new text that replaced the passage's own first or last words.

        Text that replaced old text lying wholly inside the passage belongs to it; text merely
        inserted at the passage's edge does not (the edge itself survived).
        """
        first, last = cluster[0], cluster[-1]
        ns, ne = first[2], last[3]
        limit = max(40, len(anchor.exact))
        if first[0] > anchor.start:
            if anchor.block_offset > 0:
                before = self.pm.map_char(anchor.start - 1)
                edge = before + 1 if before is not None else None
            else:
                edge = _block_from(self.new, ns).start if self.new.blocks else None
            # The replacement may not dwarf what it replaced (then it is new text, not ours).
            replaced = first[0] - anchor.start
            if edge is not None and edge <= ns and ns - edge <= min(limit, 3 * replaced + 10):
                ns = edge
        if last[1] < anchor.end:
            end_block = self.old.block(anchor.end_block_id)
            if anchor.end < end_block.end:
                after = self.pm.map_char(anchor.end)
                edge = after
            else:
                holder = self.new.blocks_in(max(ne - 1, 0), ne)
                edge = holder[-1].end if holder else None
            replaced = anchor.end - last[1]
            if edge is not None and edge >= ne and edge - ne <= min(limit, 3 * replaced + 10):
                ne = edge
        return ns, ne

    def _covers_block(self, anchor: Anchor) -> bool:
        block = self.new.block(anchor.block_id)
        return (
            anchor.block_id == anchor.end_block_id
            and anchor.start == block.start
            and anchor.end == block.end
        )

    def _resolve(self, anchor: Anchor, index: int) -> Anchor:
        if not isinstance(anchor, Anchor):
            raise AnchorError(
                f"anchors[{index}] must be an Anchor (got {type(anchor).__name__})",
                field=f"anchors[{index}]",
                value=type(anchor).__name__,
            )
        if anchor.matches(self.old):
            return anchor
        # The offsets are stale but the block and the quote may still agree.
        if self.old.has_block(anchor.block_id):
            start = self.old.block(anchor.block_id).start + anchor.block_offset
            end = start + len(anchor.exact)
            if self.old.text[start:end] == anchor.exact:
                return attrs.evolve(anchor, start=start, end=end)
        raise AnchorError(
            f"anchors[{index}] does not match the old document (quote {anchor.exact[:40]!r} "
            f"not at {anchor.start}..{anchor.end} nor in block {anchor.block_id!r})",
            field=f"anchors[{index}]",
            value=anchor.exact,
        )

    def _same_text(self, anchor: Anchor, new_anchor: Anchor) -> ReanchorResult:
        kind = self.change_kind(anchor.block_id)
        in_place = (
            kind in (ChangeKind.UNCHANGED, ChangeKind.EDITED)
            and new_anchor.block_offset == anchor.block_offset
            and self.by_old_change(anchor.block_id).new_ids[:1] == (new_anchor.block_id,)
        )
        if anchor.whole_block:
            new_anchor = attrs.evolve(new_anchor, whole_block=self._covers_block(new_anchor))
        if in_place:
            reason = "unchanged" if kind is ChangeKind.UNCHANGED else "paragraph edited elsewhere"
            return _found(anchor, AnchorStatus.EXACT, new_anchor, reason)
        reasons = {
            ChangeKind.MOVED: "block moved",
            ChangeKind.SPLIT: "paragraph split",
            ChangeKind.MERGED: "paragraphs merged",
        }
        return _found(
            anchor, AnchorStatus.SHIFTED, new_anchor, reasons.get(kind, "text around it changed")
        )

    def _point(self, anchor: Anchor) -> ReanchorResult:
        mapped = self.pm.map_offset(anchor.start)
        if mapped.offset is not None:
            new_anchor = Anchor.from_range(
                self.new, mapped.offset, mapped.offset, insertion_point=True
            )
            same = self.change_kind(anchor.block_id) is ChangeKind.UNCHANGED
            in_place = same and new_anchor.block_offset == anchor.block_offset
            status = AnchorStatus.EXACT if in_place else AnchorStatus.SHIFTED
            reason = "unchanged" if same else "text around it changed"
            return _found(anchor, status, new_anchor, reason)
        return self._orphan(anchor)

    def _orphan(self, anchor: Anchor) -> ReanchorResult:
        relocated = self._relocate(anchor)
        if relocated is not None:
            return relocated
        kinds = {self.change_kind(anchor.block_id), self.change_kind(anchor.end_block_id)}
        if kinds == {ChangeKind.DELETED}:
            reason = "passage deleted with its paragraph"
        elif anchor.is_insertion_point:
            reason = "insertion point deleted"
        else:
            reason = "passage deleted or rewritten"
        return ReanchorResult(
            original=anchor,
            status=AnchorStatus.ORPHANED,
            start=None,
            end=None,
            confidence=0.0,
            reason=reason,
            suggestion=self._suggest(anchor),
        )

    def _material_index(self) -> tuple[str, list[int], list[int]]:
        """New text that no old text maps to, concatenated once, with its offsets."""
        if self._material is None:
            parts: list[str] = []
            starts: list[int] = []
            offsets: list[int] = []
            pos = cursor = 0
            for _, _, b0, b1, _ in sorted(self.pm.pieces, key=lambda p: p[2]):
                if b0 > cursor:
                    parts.append(self.new.text[cursor:b0] + "\x00")
                    starts.append(pos)
                    offsets.append(cursor)
                    pos += b0 - cursor + 1
                cursor = max(cursor, b1)
            if cursor < len(self.new.text):
                parts.append(self.new.text[cursor:])
                starts.append(pos)
                offsets.append(cursor)
            self._material = ("".join(parts), starts, offsets)
        return self._material

    def _relocate(self, anchor: Anchor) -> ReanchorResult | None:
        """A long passage found verbatim, once, in text the new version added elsewhere."""
        exact = anchor.exact
        if len(exact) < MIN_RELOCATE or len(exact.split()) < 3 or anchor.is_insertion_point:
            return None
        material, starts, offsets = self._material_index()
        at = material.find(exact)
        if at < 0 or material.find(exact, at + 1) >= 0:
            return None
        k = bisect.bisect_right(starts, at) - 1
        ns = offsets[k] + (at - starts[k])
        new_anchor = Anchor.from_range(self.new, ns, ns + len(exact))
        return _found(
            anchor, AnchorStatus.SHIFTED, new_anchor, "passage moved to another paragraph"
        )

    def _suggest(self, anchor: Anchor) -> Suggestion | None:
        """The new block(s) that took the place of the passage's block, if any."""
        change = self.by_old_change(anchor.block_id)
        if not change.new_ids or anchor.is_insertion_point:
            return None
        blocks = [self.new.block(i) for i in change.new_ids]
        text = self.new.text[blocks[0].start : blocks[-1].end]
        score = _overlap(anchor.exact, text)
        return Suggestion(blocks[0].start, blocks[-1].end, score, f"{change.kind.value} block")


_WORD = re.compile(r"[^\W_]+")


def _word_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the words of two or more letters (all words in a very short text): what
    counts when measuring how much of a passage survived (not spaces or punctuation)."""
    short = len(text) <= 3
    return [m.span() for m in _WORD.finditer(text) if short or m.end() - m.start() >= 2]


def _best_cluster(
    pieces: Sequence[tuple[int, int, int, int, int]], length: int
) -> list[tuple[int, int, int, int, int]]:
    """Group surviving pieces that lie close together in the new text; keep the largest."""
    ordered = sorted(pieces, key=lambda p: p[2])
    gap_limit = max(40, 2 * length)
    clusters: list[list[tuple[int, int, int, int, int]]] = [[ordered[0]]]
    for piece in ordered[1:]:
        if piece[2] - clusters[-1][-1][3] <= gap_limit and piece[2] >= clusters[-1][-1][2]:
            clusters[-1].append(piece)
        else:
            clusters.append([piece])
    return max(clusters, key=lambda c: (sum(p[1] - p[0] for p in c), -c[0][2]))


def _whole_words(old: str, anchor: Anchor, new: str, start: int, end: int) -> tuple[int, int]:
    """Round a modified span outward to whole words where the passage began or ended with
    a whole word (a word only partly kept is shown whole, not cut)."""
    if anchor.start == 0 or not old[anchor.start - 1].isalnum():
        while 0 < start < len(new) and new[start - 1].isalnum() and new[start].isalnum():
            start -= 1
    if anchor.end == len(old) or not old[anchor.end].isalnum():
        while 0 < end < len(new) and new[end - 1].isalnum() and new[end].isalnum():
            end += 1
    return start, end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _overlap(a: str, b: str) -> float:
    wa = {w.casefold() for w in a.split()}
    wb = {w.casefold() for w in b.split()}
    return round(len(wa & wb) / len(wa), 3) if wa else 0.0


def reanchor(
    anchors: Iterable[Anchor], old: Document, new: Document, *, using: DocumentDiff | None = None
) -> list[ReanchorResult]:
    """Carry anchors of `old` to `new`: one result per anchor, in input order.

    The documents are diffed once (or `using` a diff already made of exactly these two);
    each anchor is then mapped through the position map. `AnchorError` if an anchor does not
    belong to `old`.
    """
    d = using if using is not None else diff(old, new)
    if (d.old is not old or d.new is not new) and (d.old != old or d.new != new):
        raise AnchorError(
            "using must be the diff of exactly these two documents",
            field="using",
            value=None,
        )
    with _gc.paused():
        return _Mapper(d).map_all(anchors)


def reanchor_steps(
    anchors: Sequence[Anchor], diffs: Sequence[DocumentDiff]
) -> list[ReanchorResult]:
    """Carry anchors across several consecutive diffs (v1->v2, v2->v3, ...), step by step.

    Each step maps the anchors that are still attached; an orphan stays an orphan. The result
    keeps the original anchor and combines statuses (the worst wins) and confidences (their
    product), so carrying v1->v4 at once equals carrying it one version at a time.
    """
    if not diffs:
        raise AnchorError("diffs must hold at least one diff", field="diffs", value=0)
    results = reanchor(anchors, diffs[0].old, diffs[0].new, using=diffs[0])
    for d in diffs[1:]:
        alive = [k for k, r in enumerate(results) if r.anchor is not None]
        stepped = reanchor([results[k].anchor for k in alive], d.old, d.new, using=d)  # type: ignore[misc]
        for k, step in zip(alive, stepped, strict=True):
            results[k] = compose(results[k], step)
    return results


def compose(first: ReanchorResult, second: ReanchorResult | None) -> ReanchorResult:
    """Combine two consecutive steps (v1->v2, v2->v3) into one result for v1->v3."""
    if second is None or first.status is AnchorStatus.ORPHANED:
        return first
    status = max(first.status, second.status, key=lambda s: _RANK[s])
    if status is AnchorStatus.ORPHANED:
        return attrs.evolve(second, original=first.original)
    confidence = round(first.confidence * second.confidence, 3)
    reason = second.reason if _RANK[second.status] >= _RANK[first.status] else first.reason
    return attrs.evolve(
        second, original=first.original, status=status, confidence=confidence, reason=reason
    )
