"""W3C Web Annotation export of comments (private): `to_web_annotation`, collections.

The selectors follow DESIGN.md ("What real web-annotation clients need from an export"):
block-scoped selectors first (a `FragmentSelector` and an equivalent `CssSelector` naming the
block's element, each refined by a `TextPositionSelector` or a `TextQuoteSelector` inside the
block; a `RangeSelector` of two block-scoped ends for a passage across blocks), then
document-wide `TextQuoteSelector` and `TextPositionSelector` as a fallback. `refinedBy` holds a
single selector, as Apache Annotator reads it, so each block selector appears once refined by a
position and once by a quote.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable
from typing import Any

from leitlinien.anchoring import Anchor, AnchorStatus
from leitlinien.comments import CarriedComment, Comment, CommentKind
from leitlinien.document import Document
from leitlinien.errors import AnchorError, SerializationError
from leitlinien.interop._utf16 import UNITS, OffsetUnit, Utf16Index

__all__ = [
    "ANNO_CONTEXT",
    "AUTHOR_URN",
    "COMMENT_URN",
    "CONTEXT",
    "RFC3986",
    "TERMS",
    "annotation_id",
    "css_escape",
    "css_unescape",
    "to_annotation_collection",
    "to_web_annotation",
]

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
"""The W3C Web Annotation JSON-LD context."""

TERMS = "urn:leitlinien:terms#"
"""Namespace of the extension terms leitlinien adds to the W3C context."""

CONTEXT: list[Any] = [
    ANNO_CONTEXT,
    {
        "ll": TERMS,
        "offsetUnit": "ll:offsetUnit",
        "anchorStatus": "ll:anchorStatus",
        "anchorNote": "ll:anchorNote",
    },
]
"""``@context`` of every export: the W3C context plus the terms ``offsetUnit`` (how
`TextPositionSelector` offsets count: "code-point" or "utf-16"), ``anchorStatus`` and
``anchorNote`` (where a carried comment's passage stands in the exported version)."""

COMMENT_URN = "urn:leitlinien:comment:"
AUTHOR_URN = "urn:leitlinien:author:"
RFC3986 = "http://tools.ietf.org/rfc/rfc3986"

MOTIVATION = {
    CommentKind.COMMENT: "commenting",
    CommentKind.QUESTION: "questioning",
    CommentKind.AMENDMENT: "editing",
    CommentKind.SUPPORT: "assessing",
}

_CSS_PLAIN = re.compile(r"[A-Za-z0-9_-]")


def css_escape(ident: str) -> str:
    """Escape an identifier for a CSS selector, as the CSSOM ``CSS.escape()`` does.

    >>> css_escape("p.3:a")
    'p\\\\.3\\\\:a'
    """
    out = []
    for i, ch in enumerate(ident):
        cp = ord(ch)
        if cp == 0:
            out.append("\ufffd")
        elif (
            cp <= 0x1F
            or cp == 0x7F
            or (i == 0 and ch.isascii() and ch.isdigit())
            or (i == 1 and ch.isascii() and ch.isdigit() and ident[0] == "-")
        ):
            out.append(f"\\{cp:x} ")
        elif i == 0 and ch == "-" and len(ident) == 1:
            out.append("\\-")
        elif cp >= 0x80 or _CSS_PLAIN.fullmatch(ch):
            out.append(ch)
        else:
            out.append("\\" + ch)
    return "".join(out)


_CSS_HEX = re.compile(r"([0-9A-Fa-f]{1,6})[ \t\n]?")


def css_unescape(text: str) -> str:
    """Undo CSS escapes (``\\.``, ``\\31 ``) in an identifier."""
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            m = _CSS_HEX.match(text, i + 1)
            if m:
                cp = int(m.group(1), 16)
                out.append(
                    chr(cp) if 0 < cp <= 0x10FFFF and not 0xD800 <= cp <= 0xDFFF else "\ufffd"
                )
                i = m.end()
            else:
                out.append(text[i + 1])
                i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def annotation_id(comment_id: str, base: str | None = None) -> str:
    """Return the annotation IRI of a comment: `base` + id, or ``urn:leitlinien:comment:<id>``."""
    return (base if base is not None else COMMENT_URN) + urllib.parse.quote(comment_id, safe="")


def _check_args(source: object, unit: object) -> OffsetUnit:
    if not isinstance(source, str) or not source:
        raise SerializationError(
            f"source must be a non-empty IRI string (got {source!r})", field="source", value=source
        )
    if unit not in UNITS:
        raise SerializationError(
            f"unit must be one of {list(UNITS)!r} (got {unit!r})", field="unit", value=unit
        )
    return unit


class _Exporter:
    """Builds annotations for one document, reusing one UTF-16 index."""

    def __init__(
        self,
        document: Document,
        *,
        source: str,
        unit: OffsetUnit,
        base: str | None,
        language: str,
    ) -> None:
        if not isinstance(document, Document):
            raise SerializationError(
                f"document must be a Document (got {type(document).__name__})",
                field="document",
                value=type(document).__name__,
            )
        self.doc = document
        self.source = source
        self.unit = unit
        self.base = base
        self.language = language
        self._index: Utf16Index | None = None

    def offset(self, code_point: int) -> int:
        """A reading-text offset in the export's unit."""
        if self.unit == "code-point":
            return code_point
        if self._index is None:
            self._index = Utf16Index(self.doc.text)
        return self._index.to_utf16(code_point)

    # -- selectors ---------------------------------------------------------------------------

    def _block_selectors(self, block_id: str) -> list[dict[str, Any]]:
        return [
            {"type": "FragmentSelector", "conformsTo": RFC3986, "value": block_id},
            {"type": "CssSelector", "value": "#" + css_escape(block_id)},
        ]

    def _in_block(self, block_id: str, start: int, end: int) -> dict[str, Any]:
        block_start = self.offset(self.doc.block(block_id).start)
        return {
            "type": "TextPositionSelector",
            "start": self.offset(start) - block_start,
            "end": self.offset(end) - block_start,
        }

    @staticmethod
    def _quote(anchor: Anchor) -> dict[str, Any]:
        return {
            "type": "TextQuoteSelector",
            "exact": anchor.exact,
            "prefix": anchor.prefix,
            "suffix": anchor.suffix,
        }

    def selectors(self, anchor: Anchor) -> list[dict[str, Any]]:
        """Alternative selectors for one passage, the most robust first."""
        out: list[dict[str, Any]] = []
        position = {
            "type": "TextPositionSelector",
            "start": self.offset(anchor.start),
            "end": self.offset(anchor.end),
        }
        if anchor.whole_block:
            out.extend(self._block_selectors(anchor.block_id))
        elif anchor.block_id == anchor.end_block_id:
            refiners = [self._in_block(anchor.block_id, anchor.start, anchor.end)]
            if not anchor.is_insertion_point:
                refiners.append(self._quote(anchor))
            for block_selector in self._block_selectors(anchor.block_id):
                out.extend({**block_selector, "refinedBy": r} for r in refiners)
        else:
            starts = self._block_selectors(anchor.block_id)
            ends = self._block_selectors(anchor.end_block_id)
            first = self._in_block(anchor.block_id, anchor.start, anchor.start)
            last = self._in_block(anchor.end_block_id, anchor.end, anchor.end)
            out.extend(
                {
                    "type": "RangeSelector",
                    "startSelector": {**s, "refinedBy": first},
                    "endSelector": {**e, "refinedBy": last},
                }
                for s, e in zip(starts, ends, strict=True)
            )
        if not anchor.is_insertion_point:
            out.append(self._quote(anchor))
        out.append(position)
        return out

    # -- annotations -------------------------------------------------------------------------

    def _target(self, comment: Comment, result: CarriedComment | None) -> list[Any]:
        targets: list[Any] = []
        if comment.anchor is not None:
            targets.append(self._specific(comment, result))
        if comment.parent_id is not None:
            targets.append(annotation_id(comment.parent_id, self.base))
        if not targets:
            targets.append(self.source)
        return targets

    def _specific(self, comment: Comment, result: CarriedComment | None) -> dict[str, Any]:
        assert comment.anchor is not None
        target: dict[str, Any] = {"source": self.source}
        if result is None:
            anchor = comment.anchor
            where = "comment.anchor"
        elif result.anchor is not None:
            anchor = result.anchor
            where = "result.anchor"
            target["anchorStatus"] = (result.status or AnchorStatus.EXACT).value
        elif result.status is AnchorStatus.ORPHANED:
            target["selector"] = [self._quote(comment.anchor)]
            target["anchorStatus"] = AnchorStatus.ORPHANED.value
            target["anchorNote"] = f"orphaned: {result.reason}"
            return target
        else:
            raise AnchorError(
                f"result must place comment {comment.id!r} in the exported version "
                f"(got status {result.status!r}: {result.reason})",
                field="result",
                value=result.reason,
            )
        if not anchor.matches(self.doc):
            raise AnchorError(
                f"{where} of comment {comment.id!r} must match the exported document "
                f"(got {anchor.exact[:40]!r} at {anchor.start}, which is not there); export "
                "against the version it belongs to, or pass the carried result",
                field=where,
                value=anchor.start,
            )
        target["selector"] = self.selectors(anchor)
        return target

    def _bodies(self, comment: Comment, purpose: str) -> list[dict[str, Any]]:
        def textual(value: str, purpose: str) -> dict[str, Any]:
            return {
                "type": "TextualBody",
                "value": value,
                "format": "text/plain",
                "language": self.language,
                "purpose": purpose,
            }

        if purpose == "editing":
            purpose = "commenting"  # the remark; the proposal below is the editing body
        bodies = [textual(comment.body, purpose)] if comment.body else []
        if comment.proposal is not None:
            bodies.append(textual(comment.proposal, "editing"))
        return bodies

    def annotation(
        self, comment: Comment, result: CarriedComment | None, *, context: bool
    ) -> dict[str, Any]:
        if not isinstance(comment, Comment):
            raise SerializationError(
                f"comment must be a Comment (got {type(comment).__name__})",
                field="comment",
                value=type(comment).__name__,
            )
        if result is not None and (
            not isinstance(result, CarriedComment) or result.comment.id != comment.id
        ):
            got = result.comment.id if isinstance(result, CarriedComment) else result
            raise SerializationError(
                f"result must be the CarriedComment of comment {comment.id!r} (got {got!r})",
                field="result",
                value=got,
            )
        motivation = MOTIVATION[comment.kind]
        if comment.kind is CommentKind.COMMENT and comment.parent_id is not None:
            motivation = "replying"
        out: dict[str, Any] = {"@context": CONTEXT} if context else {}
        out["id"] = annotation_id(comment.id, self.base)
        out["type"] = "Annotation"
        out["motivation"] = motivation
        out["created"] = comment.created_at.isoformat()
        creator: dict[str, Any] = {"id": AUTHOR_URN + urllib.parse.quote(comment.author.id, "")}
        if comment.author.display_name:
            creator["name"] = comment.author.display_name
        out["creator"] = creator
        out["offsetUnit"] = self.unit
        bodies = self._bodies(comment, motivation)
        if bodies:
            out["body"] = bodies[0] if len(bodies) == 1 else bodies
        targets = self._target(comment, result)
        out["target"] = targets[0] if len(targets) == 1 else targets
        return out


def to_web_annotation(
    comment: Comment,
    document: Document,
    *,
    source: str,
    unit: OffsetUnit = "code-point",
    result: CarriedComment | None = None,
    base: str | None = None,
    language: str = "de",
) -> dict[str, Any]:
    """Export a comment as a W3C Web Annotation (a JSON-ready dict, JSON-LD).

    `document` is the version the comment's passage is in: the version it was made on, or
    with `result` (from `carry_forward`) the version it was carried to. `source` is the IRI of
    that version's page. Offsets of `TextPositionSelector`s count in `unit` ("code-point" or
    "utf-16"), declared by the ``offsetUnit`` term. The annotation id is
    ``urn:leitlinien:comment:<id>``, or `base` + id. An orphaned carried comment keeps only its
    original quote, with ``"anchorStatus": "orphaned"`` on the target.

    `AnchorError` if the anchor does not belong to `document`; `SerializationError` for a bad
    `source` or `unit`.
    """
    exporter = _Exporter(
        document, source=source, unit=_check_args(source, unit), base=base, language=language
    )
    return exporter.annotation(comment, result, context=True)


def to_annotation_collection(
    comments: Iterable[Comment | CarriedComment],
    document: Document,
    *,
    source: str,
    unit: OffsetUnit = "code-point",
    id: str | None = None,
    label: str | None = None,
    base: str | None = None,
    language: str = "de",
) -> dict[str, Any]:
    """Export comments as an ``AnnotationCollection`` with one embedded ``AnnotationPage``.

    Each item is a `Comment` (exported as made on `document`) or a `CarriedComment`
    (exported where it stands in `document`). The collection id defaults to
    ``urn:leitlinien:annotations:<source, percent-encoded>``; the page id is the collection
    id with ``#page1`` (or ``-page1`` if it already has a fragment).
    """
    exporter = _Exporter(
        document, source=source, unit=_check_args(source, unit), base=base, language=language
    )
    items = []
    for k, item in enumerate(comments):
        try:
            if isinstance(item, CarriedComment):
                items.append(exporter.annotation(item.comment, item, context=False))
            else:
                items.append(exporter.annotation(item, None, context=False))
        except (AnchorError, SerializationError) as exc:
            where = f"comments[{k}].{exc.field}" if exc.field else f"comments[{k}]"
            raise type(exc)(f"comments[{k}]: {exc}", field=where, value=exc.value) from None
    collection_id = id or "urn:leitlinien:annotations:" + urllib.parse.quote(source, safe="")
    page_id = collection_id + ("-page1" if "#" in collection_id else "#page1")
    out: dict[str, Any] = {"@context": CONTEXT, "id": collection_id, "type": "AnnotationCollection"}
    if label is not None:
        out["label"] = label
    out["total"] = len(items)
    out["first"] = {"id": page_id, "type": "AnnotationPage", "startIndex": 0, "items": items}
    return out
