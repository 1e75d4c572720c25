"""A one-paragraph, plain-language summary of a diff (private; see `change_summary`)."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from leitlinien.diffing import Change, ChangeKind, DocumentDiff, SegmentOp
from leitlinien.document import BlockKind, Document, Section
from leitlinien.reports._errors import ReportError
from leitlinien.reports._lang import (
    Lang,
    check_lang,
    count_phrase,
    is_intro,
    quoted,
    section_place,
    shorten,
)

__all__ = ["change_summary"]


@attrs.frozen
class _Clause:
    """What happened to some blocks of one kind of change, in one place."""

    action: str
    place: str
    source: str = ""
    kinds: tuple[BlockKind, ...] = ()
    parts: tuple[BlockKind, ...] = ()


def _reworded(change: Change) -> bool:
    return any(
        s.op is not SegmentOp.EQUAL and s.text and not s.text.isspace()
        for s in change.word_segments
    )


def _place(doc: Document, block_id: str, lang: Lang, case: str) -> str:
    return section_place(doc, doc.section_of(block_id), lang, case)


def _section_name(doc: Document, section: Section, lang: Lang) -> str:
    """Name a section as the subject of a sentence: "Abschnitt 5", "der Titel", "section 5"."""
    if section.number:
        return f"Abschnitt {section.number}" if lang == "de" else f"section {section.number}"
    if is_intro(doc, section):
        return "der Titel" if lang == "de" else "the title"
    return ("Abschnitt " if lang == "de" else "section ") + quoted(shorten(section.title, 40), lang)


def _renamed(diff: DocumentDiff, change: Change, lang: Lang) -> str:
    section = diff.new.section_of(change.new_ids[0])
    name = _section_name(diff.new, section, lang)
    new = quoted(shorten(change.new_text), lang)
    old = quoted(shorten(change.old_text), lang)
    if lang == "de":
        return f"{name} heißt jetzt {new} (bisher {old})"
    return f"{name} is now called {new} (was {old})"


def _moved_section(diff: DocumentDiff, change: Change, lang: Lang) -> str:
    old = diff.old.section_of(change.old_ids[0])
    new = diff.new.section_of(change.new_ids[0])
    title = quoted(shorten(new.title, 40), lang)
    edited = _reworded(change)
    if lang == "de":
        text = f"{_section_name(diff.old, old, lang)} {title} wurde als Ganzes verschoben"
        if new.number != old.number:
            text += f" und ist jetzt {_section_name(diff.new, new, lang)}"
        return text + (" und dabei geändert" if edited else "")
    text = f"{_section_name(diff.old, old, lang)} {title} moved as a whole"
    if new.number != old.number:
        text += f", now {_section_name(diff.new, new, lang)}"
    return text + (", with changes" if edited else "")


def _sentence(clause: _Clause, lang: Lang) -> str:
    n = len(clause.kinds)
    things = count_phrase(clause.kinds, lang)
    if lang == "en":
        return {
            "edited": f"{things} reworded {clause.place}",
            "cosmetic": f"{things} corrected in form only {clause.place}",
            "inserted": f"{things} added {clause.place}",
            "deleted": f"{things} deleted {clause.place}",
            "moved": f"{things} moved {clause.source} {clause.place}",
            "moved_edited": f"{things} moved {clause.source} {clause.place} and reworded",
            "split": f"{things} split into {count_phrase(clause.parts, lang)} {clause.place}",
            "merged": f"{things} merged into {count_phrase(clause.parts, lang)} {clause.place}",
            "regrouped": f"{things} divided anew into {count_phrase(clause.parts, lang)} "
            f"{clause.place}",
        }[clause.action]
    was = "wurde" if n == 1 else "wurden"
    came = "kam" if n == 1 else "kamen"
    return {
        "edited": f"{clause.place} {was} {things} umformuliert",
        "cosmetic": f"{clause.place} {was} {things} nur redaktionell geändert",
        "inserted": f"{clause.place} {came} {things} hinzu",
        "deleted": f"{clause.place} {was} {things} gestrichen",
        "moved": f"{things} {was} {clause.source} {clause.place} verschoben",
        "moved_edited": f"{things} {was} {clause.source} {clause.place} verschoben "
        "und dabei umformuliert",
        "split": f"{clause.place} {was} {things} in {count_phrase(clause.parts, lang)} geteilt",
        "merged": f"{clause.place} {was} {things} zu "
        f"{count_phrase(clause.parts, lang, dative=True)} zusammengeführt",
        "regrouped": f"{clause.place} {was} {things} neu in "
        f"{count_phrase(clause.parts, lang)} gegliedert",
    }[clause.action]


def _kinds(doc: Document, ids: Sequence[str]) -> tuple[BlockKind, ...]:
    return tuple(doc.block(i).kind for i in ids)


def change_summary(diff: DocumentDiff, *, lang: str = "de") -> str:
    """Summarise a diff in one plain-language paragraph, German or English.

    Changes are grouped by section (the innermost numbered section of the new version; of
    the old version for deletions) and kind, in reading order: "In Abschnitt 2.1 wurde
    1 Absatz umformuliert; 1 Absatz wurde aus Abschnitt 4 nach Abschnitt 2.1 verschoben
    und dabei umformuliert; ... Alles Übrige ist unverändert." Renamed headings name the
    old and the new title, a section moved as a whole is one move. An empty diff gives
    "Keine Änderungen." / "No changes.". `ReportError` for an unknown `lang`.
    """
    checked = check_lang(lang)
    if not isinstance(diff, DocumentDiff):
        raise ReportError(
            f"diff must be a DocumentDiff (got {type(diff).__name__}: {diff!r})",
            field="diff",
            value=diff,
        )
    groups: dict[tuple[str, str, str], list[Change]] = {}
    sentences: list[tuple[tuple[str, str, str], str]] = []
    unchanged = 0
    for change in diff.changes:
        kind = change.kind
        if kind is ChangeKind.UNCHANGED:
            unchanged += 1
            continue
        first_new = diff.new.block(change.new_ids[0]) if change.new_ids else None
        if kind is ChangeKind.EDITED and first_new and first_new.kind is BlockKind.HEADING:
            sentences.append((("rename", change.new_ids[0], ""), _renamed(diff, change, checked)))
            continue
        if kind is ChangeKind.MOVED and first_new and first_new.kind is BlockKind.HEADING:
            text = _moved_section(diff, change, checked)
            sentences.append((("section", change.new_ids[0], ""), text))
            continue
        if kind is ChangeKind.DELETED:
            key = ("deleted", _place(diff.old, change.old_ids[0], checked, "in"), "")
        elif kind is ChangeKind.MOVED:
            action = "moved_edited" if change.edited and _reworded(change) else "moved"
            source = _place(diff.old, change.old_ids[0], checked, "from")
            key = (action, _place(diff.new, change.new_ids[0], checked, "to"), source)
        elif kind is ChangeKind.EDITED:
            action = "edited" if _reworded(change) and not change.cosmetic else "cosmetic"
            key = (action, _place(diff.new, change.new_ids[0], checked, "in"), "")
        else:  # inserted, split, merged
            action = kind.value
            if len(change.old_ids) > 1 and len(change.new_ids) > 1:
                action = "regrouped"
            key = (action, _place(diff.new, change.new_ids[0], checked, "in"), "")
        if key not in groups:
            groups[key] = []
            sentences.append((key, ""))
        groups[key].append(change)
    if not sentences:
        return "Keine Änderungen." if checked == "de" else "No changes."
    parts = []
    for key, text in sentences:
        if text:
            parts.append(text)
            continue
        action, place, source = key
        changes = groups[key]
        olds = tuple(k for c in changes for k in _kinds(diff.old, c.old_ids))
        news = tuple(k for c in changes for k in _kinds(diff.new, c.new_ids))
        subject = olds if action in ("deleted", "split", "merged", "regrouped") else news
        clause = _Clause(action, place, source, subject, news)
        parts.append(_sentence(clause, checked))
    paragraph = "; ".join(parts)
    paragraph = paragraph[0].upper() + paragraph[1:] + "."
    if unchanged:
        paragraph += (
            " Alles Übrige ist unverändert."
            if checked == "de"
            else (" Everything else is unchanged.")
        )
    return paragraph
