"""Resolving W3C selectors in a document (private): the order `from_web_annotations` uses.

Most precise first: a block-scoped `FragmentSelector`/`CssSelector` refined by a position
(checked against a quote of the same passage), the whole block, a `RangeSelector` of two
block-scoped ends, the document-wide position (checked against the quote), a block-scoped
quote, and the document-wide quote with the position as a hint. A position that disagrees
with its quote is tried in the other unit first.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

import attrs

from leitlinien import _dicts
from leitlinien.anchoring import Anchor
from leitlinien.document import Document
from leitlinien.errors import AnchorError, SerializationError
from leitlinien.interop._utf16 import OffsetUnit, Utf16Index
from leitlinien.interop._webanno import RFC3986, css_unescape

__all__ = ["Resolved", "Resolver", "as_list", "selector_type"]

_CSS_ID = re.compile(r"#((?:[A-Za-z0-9_\u0080-\U0010ffff-]|\\[0-9A-Fa-f]{1,6}[ \t\n]?|\\[^\n])+)")


@attrs.frozen
class Resolved:
    anchor: Anchor
    selector: str
    path: str
    unit: OffsetUnit | None


@attrs.frozen
class _Quote:
    exact: str
    prefix: str
    suffix: str


@attrs.frozen
class _Scoped:
    """A block-scoped selector with what refines it."""

    kind: str
    block_id: str
    position: tuple[int, int] | None
    quote: _Quote | None
    path: str


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def selector_type(selector: Mapping[str, Any]) -> str:
    kind = selector.get("type", "")
    return kind.removeprefix("oa:") if isinstance(kind, str) else ""


def _int(data: Mapping[str, Any], key: str, path: str) -> int:
    value = _dicts.get(data, key, int, path)
    if value < 0:
        where = _dicts.join(path, key)
        raise SerializationError(f"{where} must be >= 0 (got {value!r})", field=where, value=value)
    return value


def _quote_of(selector: Mapping[str, Any], path: str) -> _Quote:
    return _Quote(
        _dicts.get(selector, "exact", str, path),
        _dicts.get(selector, "prefix", str, path, default=""),
        _dicts.get(selector, "suffix", str, path, default=""),
    )


def _block_id(selector: Mapping[str, Any], path: str) -> str | None:
    """The element id a Fragment or Css selector names, if it names just an element id."""
    kind = selector_type(selector)
    value = _dicts.get(selector, "value", str, path)
    if kind == "FragmentSelector":
        conforms = selector.get("conformsTo", RFC3986)
        if conforms not in (RFC3986, "https://tools.ietf.org/rfc/rfc3986"):
            return None
        return urllib.parse.unquote(value.removeprefix("#")) or None
    m = _CSS_ID.fullmatch(value.strip())
    return css_unescape(m.group(1)) if m else None


def _scoped(selector: Mapping[str, Any], path: str) -> _Scoped | None:
    block_id = _block_id(selector, path)
    if block_id is None:
        return None
    position = quote = None
    refiners = selector.get("refinedBy")
    many = isinstance(refiners, list | tuple)
    for k, refiner in enumerate(as_list(refiners)):
        where = f"{path}.refinedBy[{k}]" if many else f"{path}.refinedBy"
        r = _dicts.expect_mapping(refiner, where)
        if selector_type(r) == "TextPositionSelector" and position is None:
            position = (_int(r, "start", where), _int(r, "end", where))
        elif selector_type(r) == "TextQuoteSelector" and quote is None:
            quote = _quote_of(r, where)
    if refiners is not None and position is None and quote is None:
        return None  # refined by something we cannot read: not the whole block
    return _Scoped(selector_type(selector), block_id, position, quote, path)


class Resolver:
    """Finds one annotation's passage in the document."""

    def __init__(self, doc: Document, index: Utf16Index, unit: OffsetUnit, amendment: bool) -> None:
        self.doc = doc
        self.index = index
        self.unit = unit
        self.amendment = amendment
        self.reasons: list[str] = []

    def _units(self) -> tuple[OffsetUnit, OffsetUnit]:
        other: OffsetUnit = "utf-16" if self.unit == "code-point" else "code-point"
        return self.unit, other

    def _range(self, start: int, end: int) -> Anchor:
        return Anchor.from_range(self.doc, start, end, insertion_point=self.amendment)

    def _in_block(self, block_id: str, start: int, end: int, unit: OffsetUnit) -> tuple[int, int]:
        """Reading-text offsets of offsets inside a block counted in `unit`."""
        block = self.doc.block(block_id)
        if unit == "code-point":
            s, e = start, end
        else:
            base = self.index.to_utf16(block.start)
            s = self.index.to_code_point(base + start) - block.start
            e = self.index.to_code_point(base + end) - block.start
        if not 0 <= s <= e <= len(block.text):
            raise AnchorError(
                f"offsets must lie in block {block_id!r} of {len(block.text)} characters "
                f"(got {start}..{end})",
                field="offset",
                value=start,
            )
        return block.start + s, block.start + e

    def _scoped_positions(self, scoped: list[_Scoped], quote: _Quote | None) -> Resolved | None:
        for item in scoped:
            if item.position is None:
                continue
            if not self.doc.has_block(item.block_id):
                self.reasons.append(f"{item.path}: no block {item.block_id!r}")
                continue
            expected = item.quote or next(
                (s.quote for s in scoped if s.block_id == item.block_id and s.quote), quote
            )
            for unit in self._units() if expected else self._units()[:1]:
                try:
                    s, e = self._in_block(item.block_id, *item.position, unit)
                except AnchorError:
                    continue
                if expected is None or self.doc.text[s:e] == expected.exact:
                    return self._accept(s, e, f"{item.kind}+TextPositionSelector", item.path, unit)
            self.reasons.append(f"{item.path}: position does not fit the block or its quote")
        return None

    def _accept(
        self, s: int, e: int, selector: str, path: str, unit: OffsetUnit | None
    ) -> Resolved | None:
        try:
            return Resolved(self._range(s, e), selector, path, unit)
        except AnchorError as exc:
            self.reasons.append(f"{path}: {exc}")
            return None

    def _whole(self, scoped: list[_Scoped]) -> Resolved | None:
        for item in scoped:
            if item.position is None and item.quote is None:
                if self.doc.has_block(item.block_id):
                    anchor = Anchor.for_block(self.doc, item.block_id)
                    return Resolved(anchor, item.kind, item.path, None)
                self.reasons.append(f"{item.path}: no block {item.block_id!r}")
        return None

    def _ranges(
        self, ranges: list[tuple[_Scoped, _Scoped, str]], quote: _Quote | None
    ) -> Resolved | None:
        for first, last, path in ranges:
            missing = [b.block_id for b in (first, last) if not self.doc.has_block(b.block_id)]
            if missing or first.position is None or last.position is None:
                self.reasons.append(f"{path}: ends not found ({', '.join(map(repr, missing))})")
                continue
            for unit in self._units() if quote else self._units()[:1]:
                try:
                    s, _ = self._in_block(first.block_id, *first.position, unit)
                    e, _ = self._in_block(last.block_id, *last.position, unit)
                except AnchorError:
                    continue
                if s <= e and (quote is None or self.doc.text[s:e] == quote.exact):
                    return self._accept(s, e, "RangeSelector", path, unit)
            self.reasons.append(f"{path}: range does not hold the quoted text")
        return None

    def _parse(self, offset: int, unit: OffsetUnit) -> int:
        return self.index.parse(offset, unit)

    def _position(
        self, positions: list[tuple[int, int, str]], quote: _Quote | None
    ) -> Resolved | None:
        for start, end, path in positions:
            for unit in self._units() if quote else self._units()[:1]:
                try:
                    s, e = self._parse(start, unit), self._parse(end, unit)
                except AnchorError:
                    continue
                if s <= e and (quote is None or self.doc.text[s:e] == quote.exact):
                    return self._accept(s, e, "TextPositionSelector", path, unit)
            self.reasons.append(f"{path}: position {start}..{end} does not hold the quoted text")
        return None

    def _scoped_quotes(self, scoped: list[_Scoped]) -> Resolved | None:
        for item in scoped:
            if item.quote is None or not item.quote.exact or item.position is not None:
                continue
            if not self.doc.has_block(item.block_id):
                self.reasons.append(f"{item.path}: no block {item.block_id!r}")
                continue
            block = self.doc.block(item.block_id)
            found = _best(block.text, item.quote)
            if found is None:
                self.reasons.append(f"{item.path}: quote not found once in block {block.id!r}")
                continue
            s = block.start + found
            return self._accept(
                s, s + len(item.quote.exact), f"{item.kind}+TextQuoteSelector", item.path, None
            )
        return None

    def _quote(self, quote: tuple[_Quote, str] | None, hint: int | None) -> Resolved | None:
        if quote is None or not quote[0].exact:
            return None
        q, path = quote
        try:
            anchor = Anchor.from_quote(self.doc, q.exact, q.prefix, q.suffix, hint=hint)
        except AnchorError as exc:
            loose = _loose(self.doc.text, q.exact, hint)
            if loose is None:
                self.reasons.append(f"{path}: {exc}")
                return None
            return self._accept(*loose, "TextQuoteSelector", path, None)
        return Resolved(anchor, "TextQuoteSelector", path, None)

    def resolve(self, selectors: list[tuple[Mapping[str, Any], str]]) -> Resolved | None:
        scoped: list[_Scoped] = []
        ranges: list[tuple[_Scoped, _Scoped, str]] = []
        positions: list[tuple[int, int, str]] = []
        quote: tuple[_Quote, str] | None = None
        for selector, path in selectors:
            kind = selector_type(selector)
            if kind in ("FragmentSelector", "CssSelector"):
                item = _scoped(selector, path)
                if item is not None:
                    scoped.append(item)
            elif kind == "RangeSelector" and "startSelector" in selector:
                ends = [
                    _scoped(_dicts.get(selector, key, Mapping, path), f"{path}.{key}")
                    for key in ("startSelector", "endSelector")
                ]
                if ends[0] is not None and ends[1] is not None:
                    ranges.append((ends[0], ends[1], path))
            elif kind == "TextPositionSelector":
                positions.append((_int(selector, "start", path), _int(selector, "end", path), path))
            elif kind == "TextQuoteSelector" and quote is None:
                quote = (_quote_of(selector, path), path)
        q = quote[0] if quote else None
        hint = None
        if positions:
            try:
                hint = self._parse(positions[0][0], self.unit)
            except AnchorError:
                hint = positions[0][0]
        return (
            self._scoped_positions(scoped, q)
            or self._whole(scoped)
            or self._ranges(ranges, q)
            or self._position(positions, q)
            or self._scoped_quotes(scoped)
            or self._quote(quote, hint)
        )


def _best(text: str, quote: _Quote) -> int | None:
    """Where `quote` occurs in `text`, chosen by the longest matching context; None if unclear."""
    hits = [m.start() for m in re.finditer(f"(?={re.escape(quote.exact)})", text)]
    if not hits:
        return None

    def score(at: int) -> int:
        before, after = text[:at], text[at + len(quote.exact) :]
        n = 0
        while n < min(len(before), len(quote.prefix)) and before[-1 - n] == quote.prefix[-1 - n]:
            n += 1
        m = 0
        while m < min(len(after), len(quote.suffix)) and after[m] == quote.suffix[m]:
            m += 1
        return n + m

    hits.sort(key=score, reverse=True)
    if len(hits) > 1 and score(hits[0]) == score(hits[1]):
        return None
    return hits[0]


def _loose(text: str, exact: str, hint: int | None) -> tuple[int, int] | None:
    """Find `exact` with any run of whitespace matching any other (a page's "\\n" vs "\\n\\n")."""
    words = exact.split()
    if len(words) < 2:
        return None
    pattern = re.compile(r"\s+".join(map(re.escape, words)))
    hits = [(m.start(), m.end()) for m in pattern.finditer(text)]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1 and hint is not None:
        hits.sort(key=lambda h: abs(h[0] - hint))
        if abs(hits[0][0] - hint) < abs(hits[1][0] - hint):
            return hits[0]
    return None
