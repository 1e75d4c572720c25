"""Versions of a document and the lineage of its blocks: `Version`, `History`.

When a version is published, it is diffed against the one before and its blocks get their
ids by lineage: a block keeps its id when it is unchanged, edited or moved; a split keeps it
on the part that holds most of the old text; a merge keeps the id of its largest source; a
new block gets a fresh id that no earlier version used. Ids an author pinned in the Markdown
(``<!-- id: x -->``) are kept as they are.

`History` only grows: a published version never changes or goes away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from leitlinien import _dicts
from leitlinien.diffing import ChangeKind, DocumentDiff, diff
from leitlinien.document import Document
from leitlinien.errors import DocumentError, HistoryError, SerializationError

__all__ = ["HISTORY_SCHEMA", "History", "Lineage", "LineageStep", "Version"]

HISTORY_SCHEMA = "leitlinien/history"
_HISTORY_VERSION = 1


def check_aware(value: object, field: str) -> dt.datetime:
    """Return `value` if it is a timezone-aware datetime, else raise `HistoryError`."""
    if not isinstance(value, dt.datetime):
        raise HistoryError(
            f"{field} must be a timezone-aware datetime (got {type(value).__name__}: {value!r})",
            field=field,
            value=value,
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise HistoryError(
            f"{field} must be timezone-aware (got naive {value.isoformat()!r}); "
            "attach a zone, e.g. ZoneInfo('Europe/Berlin')",
            field=field,
            value=value,
        )
    return value


@attrs.frozen(kw_only=True)
class Version:
    """A published version: its number (1, 2, ...), label, time, note and document."""

    number: int
    label: str
    published_at: dt.datetime
    document: Document
    note: str = ""


@attrs.frozen(kw_only=True)
class LineageStep:
    """What happened to a block on the way into `version`.

    `kind` is ``"created"`` for a block of the first version or one inserted later, else a
    `ChangeKind` value; `old_ids` and `new_ids` are the blocks of that change (so a split part
    knows the block it came from and its siblings, a merged block its other sources).
    """

    version: int
    kind: str
    old_ids: tuple[str, ...]
    new_ids: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Lineage:
    """Where a block came from and where it went, across all versions."""

    block_id: str
    versions: tuple[int, ...]
    steps: tuple[LineageStep, ...]

    @property
    def first_version(self) -> int:
        """The first version that holds the block."""
        return self.versions[0]

    @property
    def last_version(self) -> int:
        """The last version that holds the block."""
        return self.versions[-1]


class History:
    """An ordered, append-only list of published versions with block lineage."""

    def __init__(self) -> None:
        self._versions: list[Version] = []
        self._steps: list[tuple[LineageStep, ...]] = []
        self._used_ids: set[str] = set()
        self._diffs: dict[tuple[int, int], DocumentDiff] = {}

    def __len__(self) -> int:
        return len(self._versions)

    def __iter__(self) -> Iterator[Version]:
        return iter(self._versions)

    @property
    def versions(self) -> tuple[Version, ...]:
        """All versions, oldest first."""
        return tuple(self._versions)

    @property
    def latest(self) -> Version:
        """The newest version; `HistoryError` if none was published."""
        if not self._versions:
            raise HistoryError("the history has no version yet", field="versions", value=0)
        return self._versions[-1]

    def version(self, number: int) -> Version:
        """Return version `number` (1-based)."""
        if (
            isinstance(number, bool)
            or not isinstance(number, int)
            or not 1 <= number <= len(self._versions)
        ):
            raise HistoryError(
                f"version must be between 1 and {len(self._versions)} (got {number!r})",
                field="version",
                value=number,
            )
        return self._versions[number - 1]

    def publish(
        self,
        source: str | Document,
        *,
        label: str,
        published_at: dt.datetime,
        note: str = "",
    ) -> Version:
        """Add a version from Markdown or a `Document`; return it with lineage ids assigned.

        Raises `HistoryError` for a naive or earlier `published_at` and `DocumentError` for
        Markdown that does not parse.
        """
        if not isinstance(label, str):
            raise HistoryError(
                f"label must be a str (got {type(label).__name__}: {label!r})",
                field="label",
                value=label,
            )
        if not isinstance(note, str):
            raise HistoryError(
                f"note must be a str (got {type(note).__name__}: {note!r})",
                field="note",
                value=note,
            )
        check_aware(published_at, "published_at")
        if self._versions and published_at < self._versions[-1].published_at:
            previous = self._versions[-1]
            raise HistoryError(
                f"published_at must not be before version {previous.number}'s "
                f"{previous.published_at.isoformat()} (got {published_at.isoformat()})",
                field="published_at",
                value=published_at,
            )
        if isinstance(source, Document):
            document = source
        elif isinstance(source, str):
            document = Document.from_markdown(source)
        else:
            raise DocumentError(
                f"source must be Markdown (str) or a Document (got {type(source).__name__})",
                field="source",
                value=type(source).__name__,
            )
        number = len(self._versions) + 1
        if self._versions:
            document, steps = self._carry_ids(self._versions[-1].document, document, number)
        else:
            steps = tuple(
                LineageStep(version=1, kind="created", old_ids=(), new_ids=(b.id,))
                for b in document.blocks
            )
        version = Version(
            number=number, label=label, published_at=published_at, document=document, note=note
        )
        self._append(version, steps)
        return version

    def _append(self, version: Version, steps: tuple[LineageStep, ...]) -> None:
        self._versions.append(version)
        self._steps.append(steps)
        self._used_ids.update(b.id for b in version.document.blocks)

    def _fresh(self, wanted: str, taken: set[str]) -> str:
        candidate, n = wanted, 1
        while candidate in self._used_ids or candidate in taken:
            n += 1
            candidate = f"{wanted}-{n}"
        return candidate

    def _carry_ids(
        self, old: Document, new: Document, number: int
    ) -> tuple[Document, tuple[LineageStep, ...]]:
        first = diff(old, new)
        pinned = {b.id for b in new.blocks if b.pinned}
        ids: dict[str, str] = {}
        taken = set(pinned)

        def give(new_id: str, wanted: str) -> None:
            if new_id in pinned:
                return
            final = wanted if wanted not in taken else self._fresh(wanted, taken)
            ids[new_id] = final
            taken.add(final)

        for change in first.changes:
            if change.kind in (ChangeKind.UNCHANGED, ChangeKind.EDITED, ChangeKind.MOVED):
                for old_id, new_id in zip(change.old_ids, change.new_ids, strict=True):
                    give(new_id, old_id)
            elif change.kind is ChangeKind.SPLIT:
                give(change.primary_id, change.old_ids[0])
            elif change.kind is ChangeKind.MERGED:
                give(change.new_ids[0], change.primary_id)
        for change in first.changes:
            for new_id in change.new_ids:
                if new_id not in ids and new_id not in pinned:
                    give(new_id, self._fresh(new_id, taken))
        renamed = new.with_ids({k: v for k, v in ids.items() if k != v})
        # The alignment refers to blocks by position and the position map to offsets, and
        # renaming changes neither: the one diff serves, now under the lineage ids.
        final = DocumentDiff(
            old=old, new=renamed, groups=first.groups, position_map=first.position_map
        )
        self._diffs[(number - 1, number)] = final
        steps = tuple(
            LineageStep(
                version=number,
                kind="created" if c.kind is ChangeKind.INSERTED else c.kind.value,
                old_ids=c.old_ids,
                new_ids=c.new_ids,
            )
            for c in final.changes
        )
        return renamed, steps

    def diff(self, v_from: int, v_to: int) -> DocumentDiff:
        """Return the diff between two versions (any two, also non-adjacent or backwards)."""
        a = self.version(v_from)
        b = self.version(v_to)
        key = (a.number, b.number)
        found = self._diffs.get(key)
        if found is None:
            found = self._diffs[key] = diff(a.document, b.document)
        return found

    def steps(self, number: int) -> tuple[LineageStep, ...]:
        """Return the lineage steps that led into version `number`."""
        self.version(number)
        return self._steps[number - 1]

    def lineage(self, block_id: str) -> Lineage:
        """Tell where a block came from and where it went, across all versions."""
        versions = tuple(v.number for v in self._versions if v.document.has_block(block_id))
        steps = tuple(
            step
            for per_version in self._steps
            for step in per_version
            if block_id in step.old_ids or block_id in step.new_ids
        )
        if not versions and not steps:
            raise HistoryError(
                f"block_id must name a block of some version (got {block_id!r})",
                field="block_id",
                value=block_id,
            )
        return Lineage(block_id=block_id, versions=versions, steps=steps)

    # -- JSON ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (schema ``leitlinien/history``, version 1)."""
        return {
            "schema": HISTORY_SCHEMA,
            "version": _HISTORY_VERSION,
            "versions": [
                {
                    "number": v.number,
                    "label": v.label,
                    "published_at": v.published_at.isoformat(),
                    "note": v.note,
                    "document": v.document.to_dict(),
                    "lineage": [
                        {"kind": s.kind, "old_ids": list(s.old_ids), "new_ids": list(s.new_ids)}
                        for s in steps
                    ],
                }
                for v, steps in zip(self._versions, self._steps, strict=True)
            ],
        }

    @classmethod
    def from_dict(cls, data: Any) -> History:
        """Rebuild a history from `to_dict` output; `SerializationError` names a bad field."""
        from leitlinien.markdown import document_from_dict  # noqa: PLC0415

        mapping = _dicts.check_schema(data, HISTORY_SCHEMA, _HISTORY_VERSION)
        history = cls()
        entries = _dicts.expect_list(_dicts.get(mapping, "versions", list, ""), "versions")
        for n, raw in enumerate(entries):
            path = f"versions[{n}]"
            entry = _dicts.expect_mapping(raw, path)
            number = _dicts.get(entry, "number", int, path)
            if number != n + 1:
                raise SerializationError(
                    f"{path}.number must be {n + 1} (got {number!r})",
                    field=f"{path}.number",
                    value=number,
                )
            published_raw = _dicts.get(entry, "published_at", str, path)
            published_at = _dicts.aware_datetime(published_raw, f"{path}.published_at")
            if history._versions and published_at < history._versions[-1].published_at:
                raise SerializationError(
                    f"{path}.published_at must not be before the previous version's "
                    f"(got {published_raw!r})",
                    field=f"{path}.published_at",
                    value=published_raw,
                )
            document = document_from_dict(
                _dicts.get(entry, "document", Mapping, path), f"{path}.document"
            )
            steps = []
            for k, raw_step in enumerate(
                _dicts.expect_list(_dicts.get(entry, "lineage", list, path), f"{path}.lineage")
            ):
                spath = f"{path}.lineage[{k}]"
                step = _dicts.expect_mapping(raw_step, spath)
                kind = _dicts.get(step, "kind", str, spath)
                if kind != "created" and kind not in {c.value for c in ChangeKind}:
                    raise SerializationError(
                        f"{spath}.kind must be 'created' or a change kind (got {kind!r})",
                        field=f"{spath}.kind",
                        value=kind,
                    )
                old_ids = _id_list(step, "old_ids", spath)
                new_ids = _id_list(step, "new_ids", spath)
                for j, block_id in enumerate(new_ids):
                    if not document.has_block(block_id):
                        raise SerializationError(
                            f"{spath}.new_ids[{j}] must name a block of version {n + 1} "
                            f"(got {block_id!r})",
                            field=f"{spath}.new_ids[{j}]",
                            value=block_id,
                        )
                steps.append(
                    LineageStep(version=n + 1, kind=kind, old_ids=old_ids, new_ids=new_ids)
                )
            version = Version(
                number=n + 1,
                label=_dicts.get(entry, "label", str, path),
                published_at=published_at,
                document=document,
                note=_dicts.get(entry, "note", str, path, default=""),
            )
            history._append(version, tuple(steps))
        return history


def _id_list(data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
    values = _dicts.expect_list(_dicts.get(data, key, list, path), f"{path}.{key}")
    for j, value in enumerate(values):
        if not isinstance(value, str):
            raise SerializationError(
                f"{path}.{key}[{j}] must be a string (got {type(value).__name__}: {value!r})",
                field=f"{path}.{key}[{j}]",
                value=value,
            )
    return tuple(values)
