"""Mapping anchors of one version through the diff to the next (`_Mapper`)."""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Sequence

import attrs

from leitlinien._drafts import draft_class
from leitlinien.anchoring._model import (
    Anchor,
    AnchorStatus,
    ReanchorResult,
    Suggestion,
    _block_from,
)
from leitlinien.diffing import ChangeKind, DocumentDiff, PieceKind
from leitlinien.diffing._text import WORD_CHAR, text_has_word, trimmed, uncovered
from leitlinien.errors import AnchorError

_SAME = PieceKind.SAME

MIN_SURVIVAL = 0.25
"""Least share of a passage's word characters that must survive for it to stay attached."""

MIN_RELOCATE = 16
"""Shortest passage (in characters, of at least `MIN_RELOCATE_WORDS` words) that may be found
again verbatim in text the new version added elsewhere (a sentence moved to another
paragraph)."""

MIN_RELOCATE_WORDS = 6
"""Fewest words of a passage found again verbatim in added text: a stock phrase of fewer
words ("nach Maßgabe des Landesrechts") turns up in new text without having moved there."""


_MOVED_AWAY = "passage moved to another paragraph"

_GROWN = "word at the passage's edge changed"
"""The reason of a passage whose text stands whole in the new version, but cut out of a longer
word there (see `_Mapper._grown`)."""

_RENUMBERED = "block renumbered"
"""The reason of a passage in a block kept as it was whose id changed: a derived id
disambiguated anew, because a block with the same text was added or removed before it, or a
pinned id added, changed or removed."""

_Kept = tuple[int, int, int, str, AnchorStatus, str]
"""Where an old block kept as it was went: its old start and end, its new start and id, and
the status and reason of a passage in it (see `_kept`)."""


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


# The usual passage only shifts: its anchor and result are most of its cost, so they are
# built as drafts (see `leitlinien._drafts`), about six times cheaper than through __init__.
_AnchorDraft = draft_class(Anchor)
_ResultDraft = draft_class(ReanchorResult)


_IN_PLACE = {
    ChangeKind.UNCHANGED: "unchanged",
    ChangeKind.EDITED: "paragraph edited elsewhere",
}
"""The changes that leave a block where it was, with the reason of a passage EXACT in it (a
split's or merge's parts may have moved too, which their change does not tell)."""


def _in_place(kind: ChangeKind, old: Anchor, new: Anchor) -> bool:
    """Tell whether `new` stands where `old` stood, as EXACT promises: at the same offsets in
    blocks that kept their ids and their places (a derived id changes with the text, a
    lineage id of a `History` does not)."""
    return (
        kind in _IN_PLACE
        and new.block_id == old.block_id
        and new.block_offset == old.block_offset
        and new.end_block_id == old.end_block_id
        and new.end_block_offset == old.end_block_offset
    )


def _kept(
    anchor: Anchor, start: int, block_id: str, status: AnchorStatus, reason: str
) -> ReanchorResult:
    """The result, with confidence 1, of a passage of a block kept as it was (unchanged or
    moved), now at `start` in the block with id `block_id` (its block offsets unchanged).

    Both objects are built as drafts: this is the usual passage, and most of its cost.
    """
    end = start + (anchor.end - anchor.start)
    if _AnchorDraft is None or _ResultDraft is None:
        new = anchor
        if start != anchor.start or block_id != anchor.block_id:
            new = attrs.evolve(
                anchor, start=start, end=end, block_id=block_id, end_block_id=block_id
            )
        return _found(anchor, status, new, reason)
    if start == anchor.start and block_id == anchor.block_id:
        new = anchor
    else:
        new = _AnchorDraft()
        new.start = start
        new.end = end
        new.exact = anchor.exact
        new.prefix = anchor.prefix
        new.suffix = anchor.suffix
        new.block_id = block_id
        new.block_offset = anchor.block_offset
        new.end_block_id = block_id
        new.end_block_offset = anchor.end_block_offset
        new.whole_block = anchor.whole_block
        new.__class__ = Anchor
    out = _ResultDraft()
    out.original = anchor
    out.status = status
    out.start = start
    out.end = end
    out.confidence = 1.0
    out.reason = reason
    out.anchor = new
    out.suggestion = None
    out.__class__ = ReanchorResult
    return out  # type: ignore[no-any-return]  # a draft turned ReanchorResult (no cast: hot)


_REASONS = {
    ChangeKind.MOVED: "block moved",
    ChangeKind.SPLIT: "paragraph split",
    ChangeKind.MERGED: "paragraphs merged",
}
"""The reason of a passage found whole in a block that changed so (see `_same_text`)."""


class _Mapper:
    """Maps anchors of `old` into `new` through one precomputed diff."""

    def __init__(self, d: DocumentDiff) -> None:
        self.diff = d
        self.old = d.old
        self.new = d.new
        self.pm = d.position_map
        self._material: tuple[str, list[int], list[int]] | None = None
        self._new_spans: tuple[list[int], list[int]] | None = None
        self._new_sorted: list[tuple[int, int]] | None = None
        # What happened to each old block, from the alignment (no texts, no character diffs):
        # where each block kept as it was went (`_Kept`), and the fate of each other one.
        self.shift: dict[str, _Kept] = {}
        self.fate: dict[str, _Fate] = {}
        old_blocks, new_blocks = d.old.blocks, d.new.blocks
        old_index, new_index = d.old._index, d.new._index
        exact, unchanged = AnchorStatus.EXACT, "unchanged"
        for g in d.groups:
            if g.kind == ChangeKind.UNCHANGED:
                # A run of consecutive blocks on both sides, taken in by whole slices.
                i, j, n = g.old[0], g.new[0], len(g.old)
                old_ids, new_ids = old_index.ids[i : i + n], new_index.ids[j : j + n]
                self.shift.update(
                    zip(
                        old_ids,
                        zip(
                            old_index.starts[i : i + n],
                            old_index.ends[i : i + n],
                            new_index.starts[j : j + n],
                            new_ids,
                            itertools.repeat(exact, n),
                            itertools.repeat(unchanged, n),
                            strict=True,
                        ),
                        strict=True,
                    )
                )
                if old_ids != new_ids:
                    # EXACT promises the block kept its id; a renumbered one is SHIFTED.
                    for old_id, new_id in zip(old_ids, new_ids, strict=True):
                        if old_id != new_id:
                            where = self.shift[old_id][:4]
                            self.shift[old_id] = (*where, AnchorStatus.SHIFTED, _RENUMBERED)
                continue
            fate = _Fate(ChangeKind(g.kind), tuple(new_blocks[j].id for j in g.new))
            for i in g.old:
                self.fate[old_blocks[i].id] = fate
            if g.kind == ChangeKind.MOVED and not g.edited and len(g.old) == len(g.new) == 1:
                a, b = old_blocks[g.old[0]], new_blocks[g.new[0]]
                if a.text == b.text:
                    self.shift[a.id] = (
                        a.start,
                        a.end,
                        b.start,
                        b.id,
                        AnchorStatus.SHIFTED,
                        _REASONS[ChangeKind.MOVED],
                    )

    def by_old_change(self, old_block_id: str) -> _Fate:
        fate = self.fate.get(old_block_id)
        if fate is None:
            new_id = self.shift[old_block_id][3]
            fate = self.fate[old_block_id] = _Fate(ChangeKind.UNCHANGED, (new_id,))
        return fate

    def map_all(self, anchors: Iterable[Anchor]) -> list[ReanchorResult]:
        """`run` on each anchor, with the usual case done inline.

        The usual passage lies inside one block that is unchanged in the new version (or
        moved as it was): it keeps its quote, context and block offsets, only its offsets
        shift by as much as its block moved. That case is recognised here with the checks
        `run` makes (the anchor matches the old document, its block was kept as it was, so the
        passage lies in text that survived as it was), from one lookup in `shift`; everything
        else goes through `run`.
        """
        startswith = self.old.text.startswith
        shift = self.shift
        out: list[ReanchorResult] = []
        append = out.append
        for index, anchor in enumerate(anchors):
            if type(anchor) is Anchor:
                block_id = anchor.block_id
                moved = shift.get(block_id)
                if moved is not None:
                    o0, o1, n0, new_id, status, reason = moved
                    start, end, exact = anchor.start, anchor.end, anchor.exact
                    if (
                        o0 <= start < end <= o1
                        and anchor.block_offset == start - o0
                        and anchor.end_block_id == block_id
                        and len(exact) == end - start
                        and startswith(exact, start)
                    ):
                        append(_kept(anchor, n0 + (start - o0), new_id, status, reason))
                        continue
            append(self.run(anchor, index))
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
        new_id = change.new_ids[0]
        if new_id != anchor.block_id:
            return _kept(anchor, ns, new_id, AnchorStatus.SHIFTED, _RENUMBERED)
        return _kept(anchor, ns, new_id, AnchorStatus.EXACT, "unchanged")

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
                # A word at the passage's edge that grew ("eine" into "keine") is found below.
                if not self._cuts_words(anchor, ns, ns + (end - start)):
                    new_anchor = self._new_anchor(ns, ns + (end - start), whole=anchor.whole_block)
                    if new_anchor.whole_block or not anchor.whole_block:
                        return self._same_text(anchor, new_anchor)
                    # A whole-block comment whose block became part of a larger one follows
                    # it there (below).
        pieces = pm.survivors(start, end)
        if not pieces:
            return self._orphan(anchor)
        own: set[str] | None = None  # the passage's own blocks, found when first needed

        def foreign(lo: int, hi: int) -> bool:
            nonlocal own
            if own is None:
                own = self._own_blocks(anchor)
            return self._foreign_between(lo, hi, own)

        cluster = max(_clusters(pieces, len(anchor.exact), foreign), key=_size)
        verbatim = self._verbatim(anchor, cluster)
        if verbatim is not None:
            if self._cuts_words(anchor, verbatim.start, verbatim.end):
                return self._grown(anchor, verbatim.start, verbatim.end)
            return self._same_text(anchor, verbatim)
        words = _Words(anchor.exact)
        share = sum(words.covered(p[0] - start, p[1] - start) for p in cluster) / words.total
        if share < MIN_SURVIVAL:
            return self._orphan(anchor)
        ns, ne = self._extend(anchor, cluster, foreign)
        intact = (
            len(cluster) == len(pieces)
            and self.new.text[ns:ne] == anchor.exact
            and not self._cuts_words(anchor, ns, ne)
        )
        if not intact:
            ns, ne = _whole_words(self.old.text, anchor, self.new.text, ns, ne)
            ns, ne = trimmed(self.new.text, ns, ne)
        if ns >= ne:
            return self._orphan(anchor)
        if anchor.whole_block:
            covered = self.new.blocks_in(ns, ne)
            if not covered:
                return self._orphan(anchor)
            # A whole-block comment covers whole blocks of its block's own change; in text
            # moved into another block it covers only that text.
            if all(b.id in self.by_old_change(anchor.block_id).new_ids for b in covered):
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
        self,
        anchor: Anchor,
        cluster: Sequence[tuple[int, int, int, int, int]],
        foreign: Callable[[int, int], bool],
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
            # The replacement may not dwarf what it replaced (then it is new text, not ours),
            # nor hold text from elsewhere (the start of a block the passage moved into).
            replaced = first[0] - anchor.start
            if (
                edge is not None
                and edge <= ns
                and ns - edge <= min(limit, 3 * replaced + 10)
                and not foreign(edge, ns)
            ):
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
            if (
                edge is not None
                and edge >= ne
                and edge - ne <= min(limit, 3 * replaced + 10)
                and not foreign(ne, edge)
            ):
                ne = edge
        return ns, ne

    def _own_blocks(self, anchor: Anchor) -> set[str]:
        """The new blocks of the changes of every old block the passage touches."""
        blocks = self.old.blocks_in(anchor.start, anchor.end)
        return {j for b in blocks for j in self.by_old_change(b.id).new_ids}

    def _foreign_between(self, start: int, end: int, own: set[str]) -> bool:
        """Tell whether new text in ``[start, end)`` holds words from old text of other
        blocks than the passage's own (`own`: the new blocks of its changes)."""
        if start >= end:
            return False
        if self._new_spans is None:
            text = self.new.text
            spans = [s for s in self._by_new() if s[0] < s[1] and text_has_word(text, *s)]
            self._new_spans = ([b0 for b0, _ in spans], [b1 for _, b1 in spans])
        starts, ends = self._new_spans
        k = max(bisect.bisect_right(starts, start) - 1, 0)
        while k < len(starts) and starts[k] < end:
            lo, hi = max(starts[k], start), min(ends[k], end)
            if lo < hi and any(b.id not in own for b in self.new.blocks_in(lo, hi)):
                return True
            k += 1
        return False

    def _verbatim(
        self, anchor: Anchor, cluster: Sequence[tuple[int, int, int, int, int]]
    ) -> Anchor | None:
        """The passage's whole text where its first or last identical surviving piece puts
        it, if it stands there verbatim (the diff may credit a full stop or a repeated word
        inside it to other old text)."""
        exact, text = anchor.exact, self.new.text
        first, last = cluster[0], cluster[-1]
        starts = []
        if first[4] == _SAME:
            starts.append(first[2] - (first[0] - anchor.start))
        if last[4] == _SAME:
            starts.append(last[3] + (anchor.end - last[1]) - len(exact))
        for ns in starts:
            if ns >= 0 and text.startswith(exact, ns):
                found = self._new_anchor(ns, ns + len(exact), whole=anchor.whole_block)
                if found.whole_block or not anchor.whole_block:
                    return found
        return None

    def _grown(self, anchor: Anchor, start: int, end: int) -> ReanchorResult:
        """The passage's whole text stands at `start`..`end`, but its first or last word grew
        into a longer one ("eine" into "keine", "beteiligung" into "Bürgerbeteiligung"):
        MODIFIED on the whole words, its confidence falling with the share they added."""
        start, end = _whole_words(self.old.text, anchor, self.new.text, start, end)
        new_anchor = Anchor.from_range(self.new, start, end)
        if anchor.whole_block:
            new_anchor = attrs.evolve(new_anchor, whole_block=self._covers_block(new_anchor))
        confidence = round(0.95 * len(anchor.exact) / (end - start), 3)
        return _found(anchor, AnchorStatus.MODIFIED, new_anchor, _GROWN, confidence)

    def _cuts_words(self, anchor: Anchor, start: int, end: int) -> bool:
        """Tell whether the span `start`..`end` of the new text cuts a word that the passage
        held whole ("eine Aufwandsentschädigung" found inside "keine Aufwandsentschädigung"):
        its word was edited, the passage is not the same text."""
        return _whole_words(self.old.text, anchor, self.new.text, start, end) != (start, end)

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
        """The result of a passage found whole: EXACT where it kept its place in blocks that
        kept their ids (`_in_place`), else SHIFTED, with the reason its block's change gives."""
        change = self.by_old_change(anchor.block_id)
        kind = change.kind
        if anchor.whole_block:
            new_anchor = attrs.evolve(new_anchor, whole_block=self._covers_block(new_anchor))
        if new_anchor.block_id not in change.new_ids:
            # Text moved out of its block (see `leitlinien.diffing._moves`).
            return _found(anchor, AnchorStatus.SHIFTED, new_anchor, _MOVED_AWAY)
        if _in_place(kind, anchor, new_anchor):
            return _found(anchor, AnchorStatus.EXACT, new_anchor, _IN_PLACE[kind])
        if (
            kind in _IN_PLACE
            and new_anchor.block_offset == anchor.block_offset
            and change.new_ids[0] == new_anchor.block_id
        ):
            # At its old offsets in its block, which is no longer the block it was in.
            if new_anchor.block_id != anchor.block_id:
                reason = (
                    _RENUMBERED if kind is ChangeKind.UNCHANGED else "paragraph edited elsewhere"
                )
            else:  # its last block's id or offset changed
                reason = "text around it changed"
        else:
            reason = _REASONS.get(kind, "text around it changed")
        return _found(anchor, AnchorStatus.SHIFTED, new_anchor, reason)

    def _point(self, anchor: Anchor) -> ReanchorResult:
        mapped = self.pm.map_offset(anchor.start)
        if mapped.offset is not None:
            new_anchor = Anchor.from_range(
                self.new, mapped.offset, mapped.offset, insertion_point=True
            )
            kind = self.change_kind(anchor.block_id)
            if _in_place(kind, anchor, new_anchor):
                status, reason = AnchorStatus.EXACT, _IN_PLACE[kind]
            else:
                status = AnchorStatus.SHIFTED
                same = (
                    kind is ChangeKind.UNCHANGED and new_anchor.block_offset == anchor.block_offset
                )
                reason = _RENUMBERED if same else "text around it changed"
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

    def _by_new(self) -> list[tuple[int, int]]:
        """The new-side spans of the position map's pieces, sorted (computed once)."""
        if self._new_sorted is None:
            self._new_sorted = sorted((p[2], p[3]) for p in self.pm.pieces)
        return self._new_sorted

    def _material_index(self) -> tuple[str, list[int], list[int]]:
        """New text that no old text maps to, concatenated once, with its offsets."""
        if self._material is None:
            text = self.new.text
            stretches = uncovered(text, self._by_new())
            # A separator between stretches: a passage is never found across two of them.
            material = "\x00".join(text[a:b] for a, b in stretches)
            starts = list(itertools.accumulate((b - a + 1 for a, b in stretches[:-1]), initial=0))
            self._material = (material, starts, [a for a, _ in stretches])
        return self._material

    def _relocate(self, anchor: Anchor) -> ReanchorResult | None:
        """A long passage found verbatim, once, in text the new version added elsewhere."""
        exact = anchor.exact
        if (
            len(exact) < MIN_RELOCATE
            or len(exact.split()) < MIN_RELOCATE_WORDS
            or anchor.is_insertion_point
        ):
            return None
        material, starts, offsets = self._material_index()
        at = material.find(exact)
        if at < 0 or material.find(exact, at + 1) >= 0:
            return None
        k = bisect.bisect_right(starts, at) - 1
        ns = offsets[k] + (at - starts[k])
        if self._cuts_words(anchor, ns, ns + len(exact)):
            return None  # found inside a longer word: other text ("eine" in "keine")
        new_anchor = Anchor.from_range(self.new, ns, ns + len(exact))
        return _found(anchor, AnchorStatus.SHIFTED, new_anchor, _MOVED_AWAY)

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
_LONG_WORD = re.compile(r"[^\W_]{2,}")


def _word_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the words of two or more letters (all words in a very short text): what
    counts when measuring how much of a passage survived (not spaces or punctuation)."""
    pattern = _WORD if len(text) <= 3 else _LONG_WORD
    return [m.span() for m in pattern.finditer(text)]


class _Words:
    """The words of a passage that count when measuring how much of it survived
    (`_word_spans`), with their cumulative lengths, to sum their overlap with a span fast."""

    def __init__(self, text: str) -> None:
        spans = _word_spans(text)
        starts: tuple[int, ...]
        ends: tuple[int, ...]
        starts, ends = zip(*spans, strict=True) if spans else ((), ())
        self.starts = starts
        self.ends = ends
        self.cumulative: list[int] = list(
            itertools.accumulate(map(operator.sub, ends, starts), initial=0)
        )
        self.total = self.cumulative[-1] or len(text)
        """All characters that count (all of the text when it has no word)."""

    def covered(self, lo: int, hi: int) -> int:
        """How many characters that count lie in ``[lo, hi)`` (offsets into the text)."""
        if hi <= lo:
            return 0
        if not self.starts:
            return hi - lo
        first = bisect.bisect_right(self.ends, lo)  # the first word ending after lo
        stop = bisect.bisect_left(self.starts, hi)  # words before stop begin before hi
        if first >= stop:
            return 0
        out = self.cumulative[stop] - self.cumulative[first]
        out -= max(0, lo - self.starts[first])
        out -= max(0, self.ends[stop - 1] - hi)
        return out


def _clusters(
    pieces: Sequence[tuple[int, int, int, int, int]],
    length: int,
    foreign_between: Callable[[int, int], bool],
) -> list[list[tuple[int, int, int, int, int]]]:
    """Group surviving pieces that lie close together in the new text, with no text from
    elsewhere between them (`foreign_between`)."""
    ordered = sorted(pieces, key=lambda p: p[2])
    gap_limit = max(40, 2 * length)
    clusters: list[list[tuple[int, int, int, int, int]]] = [[ordered[0]]]
    for piece in ordered[1:]:
        last = clusters[-1][-1]
        if (
            piece[2] - last[3] <= gap_limit
            and piece[2] >= last[2]
            and not foreign_between(last[3], piece[2])
        ):
            clusters[-1].append(piece)
        else:
            clusters.append([piece])
    return clusters


def _size(cluster: Sequence[tuple[int, int, int, int, int]]) -> tuple[int, int]:
    """Order of clusters: the most old text, then the earliest in the new text."""
    return sum(p[1] - p[0] for p in cluster), -cluster[0][2]


_JOINERS = frozenset("\u00ad\u200c\u200d\u2060")
"""Characters that join the parts of one word: soft hyphen, zero-width non-joiner and joiner,
word joiner."""


def _in_word(ch: str) -> bool:
    """Tell whether `ch` stands inside a word: a word character of the text diff (letter,
    digit, "_", combining mark) or a joiner (`_JOINERS`)."""
    return ch in _JOINERS or WORD_CHAR.match(ch) is not None


def _whole_words(old: str, anchor: Anchor, new: str, start: int, end: int) -> tuple[int, int]:
    """Round a modified span outward to whole words where the passage began or ended with
    a whole word (a word only partly kept is shown whole, not cut)."""
    if anchor.start == 0 or not _in_word(old[anchor.start - 1]):
        while 0 < start < len(new) and _in_word(new[start - 1]) and _in_word(new[start]):
            start -= 1
    if anchor.end == len(old) or not _in_word(old[anchor.end]):
        while 0 < end < len(new) and _in_word(new[end - 1]) and _in_word(new[end]):
            end += 1
    return start, end


def _overlap(a: str, b: str) -> float:
    wa = {w.casefold() for w in a.split()}
    wb = {w.casefold() for w in b.split()}
    return round(len(wa & wb) / len(wa), 3) if wa else 0.0
