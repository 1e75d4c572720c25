"""The Synopse: the two-column comparison of two versions, as rows (private).

`synopsis(diff)` turns a `DocumentDiff` into a `Synopsis`: one `SynopsisRow` per change, in
reading order of the new version, plus a marker row where a moved block used to stand and,
with `context=N`, one row for each run of unchanged blocks left out. The renderers in
`_synopsis_html` and `_synopsis_markdown` only lay these rows out.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence

import attrs

from leitlinien.diffing import Change, ChangeKind, DocumentDiff, SegmentOp
from leitlinien.document import SEPARATOR, Block, BlockKind, Document
from leitlinien.reports._errors import ReportError
from leitlinien.reports._lang import Lang, check_lang, labels_phrase

__all__ = ["RowKind", "Shown", "Synopsis", "SynopsisRow", "synopsis"]

Piece = tuple[bool, str]
"""A run of a block's text and whether it is marked (inserted or deleted)."""


class RowKind(enum.StrEnum):
    """What a row of a Synopse shows."""

    CHANGE = "change"
    """One change of the diff (unchanged blocks included)."""
    MOVED_AWAY = "moved_away"
    """Where a moved block stood in the old version; its text is shown at the new place."""
    OMITTED = "omitted"
    """A run of unchanged blocks left out (only with ``context=N``)."""


@attrs.frozen(kw_only=True)
class SynopsisRow:
    """One row of a Synopse.

    `label` is the margin (the new version's block labels, "bisher 7 ¶3" / "was 7 ¶3" for a
    row that shows only old text), `note` says what happened ("verschoben aus 1 ¶4"), and
    `omitted` counts the blocks an `OMITTED` row stands for.
    """

    kind: RowKind
    change: Change | None = None
    label: str = ""
    note: str = ""
    omitted: int = 0

    @property
    def changed(self) -> bool:
        """Tell whether the row shows a change (anything but unchanged or omitted blocks)."""
        if self.kind is RowKind.OMITTED:
            return False
        return self.change is None or self.change.kind is not ChangeKind.UNCHANGED


@attrs.frozen
class Shown:
    """A block as shown in one cell: its element id and its text, whole or in marked pieces.

    `pieces` is None when the block's text is shown whole and unmarked; otherwise the runs
    of its text in order (they join to exactly `block.text`), marked ones inserted (new
    side) or deleted (old side).
    """

    block: Block
    element_id: str
    pieces: tuple[Piece, ...] | None = None


_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Synopse", "Side-by-side comparison"),
    "title_label": ("Titel", "Title"),
    "old": ("Fassung 1", "Version 1"),
    "new": ("Fassung 2", "Version 2"),
    "was": ("bisher", "was"),
    "edited": ("geändert", "changed"),
    "cosmetic": ("redaktionell geändert", "changed in form only"),
    "heading": ("Überschrift geändert", "heading changed"),
    "moved": ("verschoben aus {}", "moved from {}"),
    "moved_edited": ("verschoben aus {} und geändert", "moved from {} and changed"),
    "moved_away": ("verschoben nach {}", "moved to {}"),
    "split": ("geteilt in {}", "split into {}"),
    "split_edited": ("geteilt in {} und geändert", "split into {} and changed"),
    "merged": ("zusammengeführt aus {}", "merged from {}"),
    "merged_edited": ("zusammengeführt aus {} und geändert", "merged from {} and changed"),
    "inserted": ("neu eingefügt", "added"),
    "deleted": ("gestrichen", "deleted"),
}


def word(key: str, lang: Lang) -> str:
    """Return one of the Synopse's fixed words in the language."""
    de, en = _WORDS[key]
    return de if lang == "de" else en


@attrs.frozen(kw_only=True)
class Synopsis:
    """The Synopse of a diff. Build one with `synopsis`; render with `to_html`/`to_markdown`."""

    diff: DocumentDiff
    title: str
    old_label: str
    new_label: str
    lang: Lang
    text_lang: str | None = None
    context: int | None = None

    @functools.cached_property
    def rows(self) -> tuple[SynopsisRow, ...]:
        """The rows in reading order of the new version (see the module docstring)."""
        return tuple(_elide(_rows(self.diff, self.lang), self.context))

    @functools.cached_property
    def summary(self) -> str:
        """The plain-language change summary (`change_summary`) in the Synopse's language."""
        from leitlinien.reports._summary import change_summary  # noqa: PLC0415 (cycle)

        return change_summary(self.diff, lang=self.lang)

    @functools.cached_property
    def old_id_prefix(self) -> str:
        """What old-side element ids start with: "alt-" (or "alt2-", ... if that collides)."""
        new_ids = {b.id for b in self.diff.new.blocks}
        old_ids = [b.id for b in self.diff.old.blocks]
        n = 1
        prefix = "alt-"
        while any(prefix + i in new_ids for i in old_ids):
            n += 1
            prefix = f"alt{n}-"
        return prefix

    def cell(self, row: SynopsisRow, side: str) -> tuple[tuple[Shown, ...], str]:
        """Return what a row shows on one `side` ("old" or "new") and how it is marked as a whole.

        The mark is "ins" for an inserted block, "del" for a deleted one, "" otherwise.
        """
        change = row.change
        if row.kind is not RowKind.CHANGE or change is None:
            return (), ""
        doc = self.diff.old if side == "old" else self.diff.new
        ids = change.old_ids if side == "old" else change.new_ids
        blocks = [doc.block(i) for i in ids]
        prefix = self.old_id_prefix if side == "old" else ""
        whole = tuple(Shown(b, prefix + b.id) for b in blocks)
        if change.kind is ChangeKind.INSERTED:
            return whole, "ins" if side == "new" else ""
        if change.kind is ChangeKind.DELETED:
            return whole, "del" if side == "old" else ""
        if change.kind is ChangeKind.UNCHANGED or not change.edited or not blocks:
            return whole, ""
        cut = _cut(_side_pieces(change, side), [b.text for b in blocks])
        if cut is None:  # the diff's texts do not add up: show the texts unmarked
            return whole, ""
        return tuple(
            Shown(s.block, s.element_id, pieces if any(m for m, _ in pieces) else None)
            for s, pieces in zip(whole, cut, strict=True)
        ), ""

    def to_html(self) -> str:
        """Return the Synopse as a standalone, accessible HTML page (see `docs/synopsis.md`)."""
        from leitlinien.reports._synopsis_html import render_html  # noqa: PLC0415 (cycle)

        return render_html(self)

    def to_markdown(self) -> str:
        """Return the Synopse as Markdown: a heading, the summary and one pipe table."""
        from leitlinien.reports._synopsis_markdown import render_markdown  # noqa: PLC0415

        return render_markdown(self)


def synopsis(
    diff: DocumentDiff,
    *,
    title: str | None = None,
    old_label: str | None = None,
    new_label: str | None = None,
    lang: str = "de",
    text_lang: str | None = None,
    context: int | None = None,
) -> Synopsis:
    """Build the Synopse (two-column comparison) of a diff.

    `old_label`/`new_label` head the two text columns ("Fassung 1"/"Fassung 2", or
    "Version 1"/"Version 2" with ``lang="en"``). `title` defaults to "Synopse: <title of the
    new version>". `lang` ("de" or "en") is the language of everything the Synopse adds;
    `text_lang` the language of the document text if it differs (the HTML marks it up).
    `context=None` shows every unchanged block; ``context=N`` only N unchanged blocks on
    either side of each change, the rest summed up in one row per run.

    Raises `ReportError` for an unknown language, a negative or non-int `context`, or a
    `diff` that is not a `DocumentDiff`.
    """
    checked = check_lang(lang)
    if not isinstance(diff, DocumentDiff):
        raise ReportError(
            f"diff must be a DocumentDiff (got {type(diff).__name__}: {diff!r})",
            field="diff",
            value=diff,
        )
    if context is not None and (
        isinstance(context, bool) or not isinstance(context, int) or context < 0
    ):
        raise ReportError(
            f"context must be None or an int >= 0 (got {context!r})", field="context", value=context
        )
    for field, value in (
        ("title", title),
        ("old_label", old_label),
        ("new_label", new_label),
        ("text_lang", text_lang),
    ):
        if value is not None and not isinstance(value, str):
            raise ReportError(
                f"{field} must be a str or None (got {type(value).__name__}: {value!r})",
                field=field,
                value=value,
            )
    if title is None:
        head = word("title", checked)
        title = f"{head}: {diff.new.title}" if diff.new.title else head
    return Synopsis(
        diff=diff,
        title=title,
        old_label=word("old", checked) if old_label is None else old_label,
        new_label=word("new", checked) if new_label is None else new_label,
        lang=checked,
        text_lang=text_lang if text_lang != checked else None,
        context=context,
    )


# -- rows -------------------------------------------------------------------------------------


def margin(labels: Sequence[str]) -> str:
    """Return the margin text for some block labels ("3 ¶7, 3 ¶8", "2 – 2.4 ¶3")."""
    if len(labels) <= 2:
        return ", ".join(labels)
    return f"{labels[0]} – {labels[-1]}"


def _labels(doc: Document, ids: Sequence[str], lang: Lang) -> list[str]:
    """Block labels for the margin; an unnumbered title heading is called "Titel"."""
    out = []
    for i in ids:
        block = doc.block(i)
        if block.kind is BlockKind.HEADING and not doc.section_of(i).number:
            out.append(word("title_label", lang))
        else:
            out.append(block.label)
    return out


def _moved_phrase(doc: Document, ids: Sequence[str], labels: Sequence[str], lang: Lang) -> str:
    """Name where moved blocks stand: "Abschnitt 3" for a whole section, else their labels."""
    first = doc.block(ids[0])
    number = doc.section_of(ids[0]).number
    if len(ids) > 1 and first.kind is BlockKind.HEADING and number:
        return f"Abschnitt {number}" if lang == "de" else f"section {number}"
    return labels_phrase(labels, lang)


def _has_marks(change: Change) -> bool:
    return any(
        s.op is not SegmentOp.EQUAL and s.text and not s.text.isspace()
        for s in change.word_segments
    )


def _note(diff: DocumentDiff, change: Change, lang: Lang) -> str:
    old = _labels(diff.old, change.old_ids, lang)
    new = _labels(diff.new, change.new_ids, lang)
    kind = change.kind
    if kind is ChangeKind.UNCHANGED:
        return ""
    if kind is ChangeKind.INSERTED:
        return word("inserted", lang)
    if kind is ChangeKind.DELETED:
        return word("deleted", lang)
    marked = _has_marks(change)
    if kind is ChangeKind.MOVED:
        key = "moved_edited" if change.edited and marked else "moved"
        return word(key, lang).format(_moved_phrase(diff.old, change.old_ids, old, lang))
    if kind is ChangeKind.SPLIT:
        return word("split_edited" if marked else "split", lang).format(labels_phrase(new, lang))
    if kind is ChangeKind.MERGED:
        return word("merged_edited" if marked else "merged", lang).format(labels_phrase(old, lang))
    if diff.new.block(change.new_ids[0]).kind is BlockKind.HEADING:
        return word("heading", lang)
    return word("cosmetic" if change.cosmetic or not marked else "edited", lang)


def _rows(diff: DocumentDiff, lang: Lang) -> list[SynopsisRow]:
    rows: list[SynopsisRow] = []
    was = word("was", lang)
    for change in diff.changes:
        if change.new_ids:
            label = margin(_labels(diff.new, change.new_ids, lang))
        else:
            label = f"{was} {margin(_labels(diff.old, change.old_ids, lang))}"
        rows.append(
            SynopsisRow(
                kind=RowKind.CHANGE, change=change, label=label, note=_note(diff, change, lang)
            )
        )
    # A marker where each moved block stood: after the row of the nearest old block before
    # it that did not move itself (or at the top).
    row_of_old = {i: k for k, r in enumerate(rows) if r.change for i in r.change.old_ids}
    old_index = {b.id: k for k, b in enumerate(diff.old.blocks)}
    after: dict[int, list[tuple[int, SynopsisRow]]] = {}
    for change in diff.changes:
        if change.kind is not ChangeKind.MOVED or not change.old_ids or not change.new_ids:
            continue
        start = old_index[change.old_ids[0]]
        anchor = -1
        for j in range(start - 1, -1, -1):
            previous = diff.old.blocks[j].id
            if diff.change_of_old(previous).kind is not ChangeKind.MOVED:
                anchor = row_of_old[previous]
                break
        old_labels = _labels(diff.old, change.old_ids, lang)
        new_labels = _labels(diff.new, change.new_ids, lang)
        marker = SynopsisRow(
            kind=RowKind.MOVED_AWAY,
            change=change,
            label=f"{was} {margin(old_labels)}",
            note=word("moved_away", lang).format(
                _moved_phrase(diff.new, change.new_ids, new_labels, lang)
            ),
        )
        after.setdefault(anchor, []).append((start, marker))
    out = [m for _, m in sorted(after.get(-1, []), key=lambda sm: sm[0])]
    for k, row in enumerate(rows):
        out.append(row)
        out.extend(m for _, m in sorted(after.get(k, []), key=lambda sm: sm[0]))
    return out


def _weight(row: SynopsisRow) -> int:
    if row.change is None:
        return row.omitted
    return max(len(row.change.old_ids), len(row.change.new_ids))


def _elide(rows: list[SynopsisRow], context: int | None) -> list[SynopsisRow]:
    """Keep changed rows and `context` unchanged rows on either side; sum up the rest."""
    if context is None:
        return rows
    keep = [False] * len(rows)
    for k, row in enumerate(rows):
        if row.changed:
            for j in range(max(0, k - context), min(len(rows), k + context + 1)):
                keep[j] = True
    out: list[SynopsisRow] = []
    hidden = 0
    for k, row in enumerate(rows):
        if keep[k]:
            if hidden:
                out.append(SynopsisRow(kind=RowKind.OMITTED, omitted=hidden))
                hidden = 0
            out.append(row)
        else:
            hidden += _weight(row)
    if hidden:
        out.append(SynopsisRow(kind=RowKind.OMITTED, omitted=hidden))
    return out


# -- marked pieces ----------------------------------------------------------------------------


def _side_pieces(change: Change, side: str) -> list[Piece]:
    """One side's text as pieces: equal text, and what only this side has, marked.

    A run that is only whitespace is not marked: it is a reflowed line or a block boundary,
    and an underlined blank helps no one.
    """
    own = SegmentOp.DELETE if side == "old" else SegmentOp.INSERT
    pieces: list[Piece] = []
    for segment in change.word_segments:
        if segment.op is SegmentOp.EQUAL:
            pieces.append((False, segment.text))
        elif segment.op is own:
            pieces.append((not segment.text.isspace(), segment.text))
    return pieces


def _cut(pieces: Sequence[Piece], texts: Sequence[str]) -> list[tuple[Piece, ...]] | None:
    """Cut one side's pieces into per-block pieces, dropping the separators between blocks.

    Returns None if the pieces do not join to the blocks' texts (they always should).
    """
    if "".join(t for _, t in pieces) != SEPARATOR.join(texts):
        return None
    out: list[tuple[Piece, ...]] = []
    start = 0
    for text in texts:
        end = start + len(text)
        parts: list[Piece] = []
        offset = 0
        for marked, piece in pieces:
            lo, hi = max(offset, start), min(offset + len(piece), end)
            if lo < hi:
                chunk = piece[lo - offset : hi - offset]
                mark = marked and not chunk.isspace()
                if parts and parts[-1][0] == mark:
                    parts[-1] = (mark, parts[-1][1] + chunk)
                else:
                    parts.append((mark, chunk))
            offset += len(piece)
        out.append(tuple(parts))
        start = end + len(SEPARATOR)
    return out
