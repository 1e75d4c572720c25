"""W3C Web Annotation import (private): `from_web_annotations`, `ImportedAnnotation`.

Reads what web annotation clients export (a list, one annotation, an ``AnnotationCollection``
with embedded pages, an ``AnnotationPage``, or a Hypothesis API search result with ``rows``)
and builds a `Comment` from each, its passage resolved in a document by `_resolve.Resolver`
(block-scoped selectors first, then the document-wide position and quote). XPath
`RangeSelector`s (``startContainer``) are skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from leitlinien import _dicts
from leitlinien.anchoring import Anchor
from leitlinien.comments import Author, Channel, Comment, CommentKind
from leitlinien.document import Document
from leitlinien.errors import AnchorError, CommentError, LeitlinienError, SerializationError
from leitlinien.interop._resolve import Resolver, as_list, selector_type
from leitlinien.interop._utf16 import UNITS, OffsetUnit, Utf16Index
from leitlinien.interop._webanno import AUTHOR_URN, COMMENT_URN

__all__ = ["ImportedAnnotation", "from_web_annotations"]

_KINDS = {
    "commenting": CommentKind.COMMENT,
    "replying": CommentKind.COMMENT,
    "questioning": CommentKind.QUESTION,
    "editing": CommentKind.AMENDMENT,
    "assessing": CommentKind.SUPPORT,
}


@attrs.frozen(kw_only=True)
class ImportedAnnotation:
    """One imported annotation: the comment built from it and how its passage was found.

    `comment` holds `anchor` (None for a document-wide annotation or a reply). `selector`
    names what resolved it ("FragmentSelector+TextPositionSelector", "RangeSelector",
    "TextQuoteSelector", ...) and `selector_path` where it stands in the input; `unit` is the
    unit its offsets were read in (None when a quote or a whole block resolved it).

    With ``strict=False`` an annotation whose selectors do not resolve comes back unanchored:
    `reason` says why, `quote` holds the text it quoted, and `comment` is None only for an
    amendment (which cannot exist without its passage). `annotation` is the input, unchanged.
    """

    path: str
    annotation_id: str
    comment: Comment | None
    anchor: Anchor | None
    selector: str | None = None
    selector_path: str | None = None
    unit: OffsetUnit | None = None
    reason: str = ""
    quote: str | None = None
    annotation: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    @property
    def resolved(self) -> bool:
        """Tell whether the annotation's target was understood (anchored or document-wide)."""
        return not self.reason


def _strip(iri: str, prefix: str | None) -> str | None:
    if prefix and iri.startswith(prefix) and len(iri) > len(prefix):
        return urllib.parse.unquote(iri[len(prefix) :])
    return None


def _local_id(iri: str, base: str | None) -> str:
    """The comment id an annotation IRI stands for."""
    return _strip(iri, base) or _strip(iri, COMMENT_URN) or iri


def _annotations(data: Any, path: str = "") -> list[tuple[Mapping[str, Any], str, Any]]:
    """Every annotation in `data` with its path and the unit declared by its container."""
    if isinstance(data, list | tuple):
        return [
            (_dicts.expect_mapping(a, f"items[{k}]"), f"items[{k}]", None)
            for k, a in enumerate(data)
        ]
    m = _dicts.expect_mapping(data, path)
    kind = m.get("type")
    if kind == "AnnotationCollection" or (kind is None and "first" in m):
        first = m.get("first")
        where = _dicts.join(path, "first")
        if not isinstance(first, Mapping):
            raise SerializationError(
                f"{where} must be an embedded AnnotationPage (got {first!r:.80}); fetch the "
                "pages and pass each one",
                field=where,
                value=first,
            )
        out = _pages(first, where, m.get("offsetUnit"))
        total = m.get("total")
        if isinstance(total, int) and not isinstance(total, bool) and total != len(out):
            where = _dicts.join(path, "total")
            raise SerializationError(
                f"{where} must equal the number of embedded annotations ({len(out)}) (got "
                f"{total!r}); the missing pages are not embedded",
                field=where,
                value=total,
            )
        return out
    if kind == "AnnotationPage" or (kind is None and "items" in m):
        return _pages(m, path, None)
    if kind is None and "rows" in m:  # a Hypothesis API search result
        rows = _dicts.expect_list(_dicts.get(m, "rows", list, path), _dicts.join(path, "rows"))
        where = _dicts.join(path, "rows")
        return [
            (_dicts.expect_mapping(a, f"{where}[{k}]"), f"{where}[{k}]", None)
            for k, a in enumerate(rows)
        ]
    return [(m, path, None)]


def _pages(
    page: Mapping[str, Any], path: str, unit: Any
) -> list[tuple[Mapping[str, Any], str, Any]]:
    out: list[tuple[Mapping[str, Any], str, Any]] = []
    seen = 0
    while True:
        unit = page.get("offsetUnit", unit)
        items_path = _dicts.join(path, "items")
        items = _dicts.expect_list(_dicts.get(page, "items", list, path), items_path)
        out.extend(
            (_dicts.expect_mapping(a, f"{items_path}[{k}]"), f"{items_path}[{k}]", unit)
            for k, a in enumerate(items)
        )
        following = page.get("next")
        if following is None:
            return out
        path = _dicts.join(path, "next")
        if not isinstance(following, Mapping) or seen > 10_000:
            raise SerializationError(
                f"{path} must be an embedded AnnotationPage (got {following!r:.80}); fetch the "
                "pages and pass each one",
                field=path,
                value=following,
            )
        page, seen = following, seen + 1


def _unit(value: Any, where: str) -> OffsetUnit:
    if value not in UNITS:
        raise SerializationError(
            f"{where} must be one of {list(UNITS)!r} (got {value!r})", field=where, value=value
        )
    return value  # type: ignore[no-any-return]


def _created(ann: Mapping[str, Any], path: str) -> dt.datetime:
    where = _dicts.join(path, "created")
    raw = _dicts.get(ann, "created", str, path)
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise SerializationError(
            f"{where} must be an ISO 8601 date-time (got {raw!r})", field=where, value=raw
        ) from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise SerializationError(
            f"{where} must carry a UTC offset (got naive {raw!r})", field=where, value=raw
        )
    return value


def _optional_str(data: Mapping[str, Any], keys: Sequence[str], path: str) -> str | None:
    for key in keys:
        if data.get(key) is not None:
            return _dicts.get(data, key, str, path)
    return None


def _author(ann: Mapping[str, Any], path: str, anonymous: str) -> Author:
    """Who wrote it: an id and a display name only; contact data is never kept."""
    creators = as_list(ann.get("creator"))
    author_id = name = None
    if creators:
        where = _dicts.join(path, "creator") + ("[0]" if isinstance(ann["creator"], list) else "")
        creator = creators[0]
        if isinstance(creator, str):
            author_id = creator
        else:
            c = _dicts.expect_mapping(creator, where)
            author_id = _optional_str(c, ("id", "@id"), where)
            name = _optional_str(c, ("name", "nickname"), where)
    elif ann.get("user") is not None:
        author_id = _dicts.get(ann, "user", str, path)
        info = ann.get("user_info")
        if isinstance(info, Mapping):
            name = _optional_str(info, ("display_name",), _dicts.join(path, "user_info"))
    if not author_id:
        author_id = anonymous
    author_id = _strip(author_id, AUTHOR_URN) or author_id
    if author_id.lower().startswith("mailto:"):
        author_id = "sha1:" + hashlib.sha1(author_id.encode()).hexdigest()  # noqa: S324 (an alias, not security)
    return Author(author_id, name or None)


def _texts(ann: Mapping[str, Any], path: str) -> tuple[str, str | None]:
    """The comment text and the proposal (a TextualBody with purpose "editing")."""
    texts: list[str] = []
    proposals: list[str] = []
    for key in ("bodyValue", "text"):  # W3C shorthand; Hypothesis API
        if ann.get(key) is not None and _dicts.get(ann, key, str, path):
            texts.append(ann[key])
    raw = ann.get("body")
    many = isinstance(raw, list | tuple)
    for k, body in enumerate(as_list(raw)):
        where = _dicts.join(_dicts.join(path, "body"), k) if many else _dicts.join(path, "body")
        if not isinstance(body, Mapping) or (
            selector_type(body) != "TextualBody" and "value" not in body
        ):
            continue  # a linked resource or a choice: kept in `annotation`, not text
        value = _dicts.get(body, "value", str, where)
        purposes = [
            p.removeprefix("oa:") for p in as_list(body.get("purpose")) if isinstance(p, str)
        ]
        if "editing" in purposes:
            proposals.append(value)
        elif "tagging" not in purposes:
            texts.append(value)
    return "\n\n".join(texts), "\n\n".join(proposals) if proposals else None


def _targets(
    ann: Mapping[str, Any], path: str
) -> tuple[list[tuple[Mapping[str, Any], str]], list[str]]:
    """The selectors of the target(s), and the targets that are plain IRIs."""
    selectors: list[tuple[Mapping[str, Any], str]] = []
    iris: list[str] = []
    raw = ann.get("target")
    many = isinstance(raw, list | tuple)
    for k, target in enumerate(as_list(raw)):
        where = _dicts.join(_dicts.join(path, "target"), k) if many else _dicts.join(path, "target")
        if isinstance(target, str):
            iris.append(target)
            continue
        t = _dicts.expect_mapping(target, where)
        if "selector" in t:
            several = isinstance(t["selector"], list | tuple)
            for j, s in enumerate(as_list(t["selector"])):
                spath = f"{where}.selector[{j}]" if several else f"{where}.selector"
                selectors.append((_dicts.expect_mapping(s, spath), spath))
        elif "source" not in t and isinstance(t.get("id"), str):
            iris.append(t["id"])
    return selectors, iris


def _raw_id(ann: Mapping[str, Any], path: str) -> str:
    if ann.get("id") is not None:
        return _dicts.get(ann, "id", str, path)
    canonical = json.dumps(ann, sort_keys=True, ensure_ascii=False, default=str)
    return "sha1:" + hashlib.sha1(canonical.encode()).hexdigest()[:20]  # noqa: S324


def from_web_annotations(
    data: Any,
    document: Document,
    *,
    version: int,
    unit: OffsetUnit | None = None,
    channel: str = "online",
    strict: bool = True,
    base: str | None = None,
    anonymous: str = "anonymous",
) -> list[ImportedAnnotation]:
    """Import W3C Web Annotations made on `document` (version `version`) as comments.

    `data` is a list of annotations, one annotation, an ``AnnotationCollection`` (its pages
    embedded), an ``AnnotationPage`` (``items``) or a Hypothesis API search result (``rows``).
    Results come in input order; paths name annotations as ``items[2]`` (``first.items[2]``
    in a collection, ``rows[2]`` in a Hypothesis result, "" for a single annotation).

    Offsets count in the annotation's ``offsetUnit``, else `unit`, else code points. The
    comment id is the annotation id (without ``urn:leitlinien:comment:`` or `base`), the
    author its ``creator`` (or Hypothesis ``user``; `anonymous` if none). An annotation whose
    selectors do not resolve is an `AnchorError` naming its target's path, or with
    ``strict=False`` an unanchored `ImportedAnnotation` with a `reason`. A missing or naive
    ``created`` and other malformed fields are a `SerializationError` naming the path.
    """
    if not isinstance(document, Document):
        raise SerializationError(
            f"document must be a Document (got {type(document).__name__})",
            field="document",
            value=type(document).__name__,
        )
    default_unit = _unit(unit, "unit") if unit is not None else "code-point"
    if channel not in {c.value for c in Channel}:
        raise SerializationError(
            f"channel must be one of {[c.value for c in Channel]!r} (got {channel!r})",
            field="channel",
            value=channel,
        )
    found = _annotations(data)
    raw_ids = [_raw_id(ann, path) for ann, path, _ in found]
    known = set(raw_ids)
    index = Utf16Index(document.text)
    out: list[ImportedAnnotation] = []
    seen: dict[str, str] = {}
    for (ann, path, container_unit), raw_id in zip(found, raw_ids, strict=True):
        comment_id = _local_id(raw_id, base)
        if comment_id in seen:
            where = _dicts.join(path, "id")
            raise SerializationError(
                f"{where} must be unique (got {raw_id!r}, already used at "
                f"{seen[comment_id] or 'the root'})",
                field=where,
                value=raw_id,
            )
        seen[comment_id] = path
        out.append(
            _import_one(
                ann,
                path,
                comment_id=comment_id,
                raw_id=raw_id,
                known=known,
                document=document,
                index=index,
                unit=_declared_unit(ann, path, container_unit, default_unit),
                version=version,
                channel=Channel(channel),
                strict=strict,
                base=base,
                anonymous=anonymous,
            )
        )
    return out


def _declared_unit(
    ann: Mapping[str, Any], path: str, container: Any, default: OffsetUnit
) -> OffsetUnit:
    for key in ("offsetUnit", "ll:offsetUnit"):
        if key in ann:
            return _unit(ann[key], _dicts.join(path, key))
    return _unit(container, "offsetUnit") if container is not None else default


def _import_one(
    ann: Mapping[str, Any],
    path: str,
    *,
    comment_id: str,
    raw_id: str,
    known: set[str],
    document: Document,
    index: Utf16Index,
    unit: OffsetUnit,
    version: int,
    channel: Channel,
    strict: bool,
    base: str | None,
    anonymous: str,
) -> ImportedAnnotation:
    created = _created(ann, path)
    author = _author(ann, path, anonymous)
    body, proposal = _texts(ann, path)
    motivations = [
        m.removeprefix("oa:") for m in as_list(ann.get("motivation")) if isinstance(m, str)
    ]
    kind = next((_KINDS[m] for m in motivations if m in _KINDS), CommentKind.COMMENT)
    if proposal is not None:
        kind = CommentKind.AMENDMENT
    selectors, iris = _targets(ann, path)
    parent_iri = None
    references = ann.get("references")
    if isinstance(references, list) and references and isinstance(references[-1], str):
        parent_iri = references[-1]  # Hypothesis: the thread, the direct parent last
    else:
        replying = {"replying", "assessing"} & set(motivations)
        parent_iri = next(
            (
                iri
                for iri in iris
                if replying or iri in known or _strip(iri, COMMENT_URN) or _strip(iri, base)
            ),
            None,
        )
    resolved = reason = quote = None
    where = _dicts.join(path, "target")
    if selectors:
        resolver = Resolver(document, index, unit, kind is CommentKind.AMENDMENT)
        try:
            resolved = resolver.resolve(selectors)
        except LeitlinienError as exc:
            if isinstance(exc, SerializationError):
                raise
            resolver.reasons.append(str(exc))
        if resolved is None:
            reason = (
                f"{where}: no selector resolves in the document "
                f"({'; '.join(resolver.reasons) or 'no usable selector'})"
            )
            if strict:
                raise AnchorError(reason, field=where, value=len(selectors))
            quote = next(
                (s.get("exact") for s, _ in selectors if selector_type(s) == "TextQuoteSelector"),
                None,
            )
    anchor = resolved.anchor if resolved is not None else None
    comment: Comment | None = None
    if not (anchor is None and reason and kind is CommentKind.AMENDMENT):
        try:
            comment = Comment(
                id=comment_id,
                author=author,
                channel=channel,
                kind=kind,
                body=body,
                created_at=created,
                version=version,
                anchor=anchor,
                parent_id=_local_id(parent_iri, base) if parent_iri is not None else None,
                proposal=proposal,
            )
        except CommentError as exc:
            field = {"parent_id": "target", "proposal": "body", "anchor": "target"}.get(
                exc.field or "", exc.field or ""
            )
            at = _dicts.join(path, field)
            raise SerializationError(f"{at}: {exc}", field=at, value=exc.value) from None
    return ImportedAnnotation(
        path=path,
        annotation_id=raw_id,
        comment=comment,
        anchor=anchor,
        selector=resolved.selector if resolved else None,
        selector_path=resolved.path if resolved else None,
        unit=resolved.unit if resolved else None,
        reason=reason or "",
        quote=quote if isinstance(quote, str) else None,
        annotation=ann,
    )
