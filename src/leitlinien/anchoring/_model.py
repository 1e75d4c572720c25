"""The anchor and its re-anchoring result: `Anchor`, `AnchorStatus`, `ReanchorResult`."""

from __future__ import annotations

import enum
import re
from typing import Any

import attrs

from leitlinien import _dicts
from leitlinien.document import Block, Document
from leitlinien.errors import AnchorError, DocumentError, SerializationError

CONTEXT_UTF16 = 32
"""Most UTF-16 code units of prefix and suffix context (dom-anchor-text-quote's limit)."""


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


@attrs.frozen(kw_only=True, weakref_slot=False)
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

    def __attrs_post_init__(self) -> None:
        """Check the selectors' types and that the offsets agree with the quote."""
        # The usual anchor passes in one expression; the checks below name what is wrong.
        if (
            type(self.start) is int
            and type(self.end) is int
            and type(self.block_offset) is int
            and type(self.end_block_offset) is int
            and type(self.exact) is str
            and type(self.prefix) is str
            and type(self.suffix) is str
            and type(self.block_id) is str
            and type(self.end_block_id) is str
            and type(self.whole_block) is bool
            and self.start >= 0
            and self.block_offset >= 0
            and self.end_block_offset >= 0
            and self.end - self.start == len(self.exact)
        ):
            return
        for name in ("start", "end", "block_offset", "end_block_offset"):
            _check_int(getattr(self, name), name)
        for name in ("exact", "prefix", "suffix", "block_id", "end_block_id"):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise AnchorError(
                    f"{name} must be a str (got {type(value).__name__}: {value!r})",
                    field=name,
                    value=value,
                )
        if not isinstance(self.whole_block, bool):
            raise AnchorError(
                f"whole_block must be a bool (got {self.whole_block!r})",
                field="whole_block",
                value=self.whole_block,
            )
        for name in ("start", "block_offset", "end_block_offset"):
            if getattr(self, name) < 0:
                raise AnchorError(
                    f"{name} must not be negative (got {getattr(self, name)!r})",
                    field=name,
                    value=getattr(self, name),
                )
        if self.end - self.start != len(self.exact):
            raise AnchorError(
                f"end must be start + len(exact) = {self.start + len(self.exact)} "
                f"(got start={self.start!r}, end={self.end!r})",
                field="end",
                value=self.end,
            )

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
            and self.end - self.start == len(self.exact)
            and doc.text.startswith(self.exact, self.start)
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
        try:
            return cls(
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
        except AnchorError as error:
            raise SerializationError(
                f"{path}.{error.message}", field=f"{path}.{error.field}", value=error.value
            ) from error


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


@attrs.frozen(kw_only=True, weakref_slot=False)
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
