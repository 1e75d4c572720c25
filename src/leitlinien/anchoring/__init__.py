"""Anchors on passages and their re-anchoring in a new version: `Anchor`, `reanchor()`.

An `Anchor` keeps redundant selectors, as the W3C Web Annotation model recommends: the
reading-text range, the block id with the offsets inside the block(s), and a text quote with
up to 32 UTF-16 code units of context on either side, which stops at the block's edge.

`reanchor(anchors, old, new)` diffs the two documents once and maps every anchor through the
diff's position map; it never searches the whole document per anchor. See `AnchorStatus`
for what the results mean.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from leitlinien import _gc
from leitlinien.anchoring._mapper import MIN_RELOCATE as MIN_RELOCATE
from leitlinien.anchoring._mapper import MIN_RELOCATE_WORDS as MIN_RELOCATE_WORDS
from leitlinien.anchoring._mapper import MIN_SURVIVAL as MIN_SURVIVAL
from leitlinien.anchoring._mapper import _Mapper
from leitlinien.anchoring._model import (
    _RANK,
    CONTEXT_UTF16,
    Anchor,
    AnchorStatus,
    ReanchorResult,
    Suggestion,
)
from leitlinien.diffing import DocumentDiff, diff
from leitlinien.document import Document
from leitlinien.errors import AnchorError

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

# Pickles and tracebacks name the public module, not the private one that defines them.
for _public in (Anchor, AnchorStatus, ReanchorResult, Suggestion):
    _public.__module__ = __name__
del _public


def reanchor(
    anchors: Iterable[Anchor], old: Document, new: Document, *, using: DocumentDiff | None = None
) -> list[ReanchorResult]:
    """Carry anchors of `old` to `new`: one result per anchor, in input order.

    The documents are diffed once (or `using` a diff already made of exactly these two);
    each anchor is then mapped through the position map. `AnchorError` if an anchor does not
    belong to `old`.
    """
    # The same documents or equal ones (compared only when they are other objects).
    if (
        using is not None
        and not (using.old is old and using.new is new)
        and (using.old != old or using.new != new)
    ):
        raise AnchorError(
            "using must be the diff of exactly these two documents",
            field="using",
            value=None,
        )
    # One pause for the diff and the mapping: a collection between them would walk the
    # whole heap for objects that form no cycles (see `_gc.paused`).
    with _gc.paused():
        return _Mapper(using if using is not None else diff(old, new)).map_all(anchors)


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
