"""The results report ("Ergebnisbericht") and the weighing table as CSV and JSON (private).

One row per comment of the consulted version (supports are counted on the comment they
support), grouped by the section its passage stands in, with the quoted passage, channel,
date, the response and where the passage stands in the new version. No author data is
printed unless asked for, and never contact data (the library holds none).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from leitlinien.anchoring import AnchorStatus
from leitlinien.comments import (
    CarriedComment,
    Channel,
    Comment,
    CommentKind,
    ModerationState,
    Outcome,
)
from leitlinien.consultation import Consultation
from leitlinien.errors import CommentError
from leitlinien.reports._errors import ReportError
from leitlinien.reports._html import element, escape, page
from leitlinien.reports._lang import Lang, check_lang

__all__ = ["ResultRow", "ResultsReport", "results_report"]

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Ergebnisbericht", "Results report"),
    "summary": ("Übersicht", "Summary"),
    "by_outcome": ("Beiträge nach Ergebnis der Abwägung", "Comments by outcome"),
    "by_channel": ("Beiträge nach Eingangsweg", "Comments by channel"),
    "outcome": ("Ergebnis", "Outcome"),
    "channel": ("Eingangsweg", "Channel"),
    "count": ("Anzahl", "Count"),
    "total": ("Zusammen", "Total"),
    "open": ("noch ohne Antwort", "not yet answered"),
    "no": ("Nr.", "No."),
    "place": ("Stelle und Zitat", "Passage"),
    "comment": ("Beitrag", "Comment"),
    "response": ("Abwägung", "Response"),
    "new_place": ("In Fassung {n}", "In version {n}"),
    "whole": ("Zum ganzen Dokument", "On the whole document"),
    "removed": ("entfallen", "removed"),
    "unchanged": ("unverändert", "unchanged"),
    "moved": ("verschoben", "moved"),
    "changed": ("geändert", "changed"),
    "hidden": ("Beitrag ausgeblendet", "Comment hidden"),
    "withdrawn": ("Beitrag zurückgezogen", "Comment withdrawn"),
    "reply_to": ("Antwort auf Nr. {n}", "Reply to no. {n}"),
    "supported": ("unterstützt von {n}", "supported by {n}"),
    "proposal": ("Vorschlag", "Proposal"),
    "by": ("Entschieden von", "Decided by"),
    "intro": (
        "Alle Beiträge zu Fassung {old} mit der Abwägung und der Stelle in Fassung {new}.",
        "Every comment on version {old} with its response and its place in version {new}.",
    ),
}


_KINDS: dict[CommentKind, tuple[str, str]] = {
    CommentKind.COMMENT: ("Anmerkung", "comment"),
    CommentKind.QUESTION: ("Frage", "question"),
    CommentKind.AMENDMENT: ("Änderungsvorschlag", "amendment"),
    CommentKind.SUPPORT: ("Unterstützung", "support"),
}


def _w(key: str, lang: Lang, **values: object) -> str:
    text = _WORDS[key][0 if lang == "de" else 1]
    return text.format(**values) if values else text


@attrs.frozen(kw_only=True)
class ResultRow:
    """One comment in the results report, as plain values (what the CSV holds)."""

    number: int
    comment_id: str
    section: str
    label: str
    quote: str
    channel: str
    date: str
    kind: str
    body: str
    proposal: str
    supports: int
    reply_to: int | None
    outcome: str
    rationale: str
    decided_by: str
    new_place: str
    status: str
    author: str = ""


@attrs.frozen
class ResultsReport:
    """The results report: rows grouped by section, plus summary counts."""

    title: str
    lang: Lang
    consulted_version: int
    new_version: int
    sections: tuple[tuple[str, tuple[ResultRow, ...]], ...]
    by_outcome: tuple[tuple[str, int], ...]
    by_channel: tuple[tuple[str, int], ...]

    @property
    def rows(self) -> tuple[ResultRow, ...]:
        """All rows in report order."""
        return tuple(r for _, rows in self.sections for r in rows)

    # -- Markdown --------------------------------------------------------------------------

    def to_markdown(self) -> str:
        """Return the report as Markdown (tables use pipes; text is escaped for tables)."""
        lang = self.lang
        out = [f"# {_md(self.title)}", ""]
        out.append(_w("intro", lang, old=self.consulted_version, new=self.new_version))
        out.append("")
        out.append(f"## {_w('summary', lang)}")
        for key, head, counts in (
            ("by_outcome", "outcome", self.by_outcome),
            ("by_channel", "channel", self.by_channel),
        ):
            out += ["", f"**{_w(key, lang)}**", "", f"| {_w(head, lang)} | {_w('count', lang)} |"]
            out.append("| --- | ---: |")
            out += [f"| {_md(name)} | {n} |" for name, n in counts]
            out.append(f"| {_w('total', lang)} | {sum(n for _, n in counts)} |")
        for section, rows in self.sections:
            out += ["", f"## {_md(section)}", ""]
            for r in rows:
                out.append(f"### {_w('no', lang)} {r.number} · {_md(r.label)}")
                out.append("")
                if r.quote:
                    out.append("> " + _md(r.quote).replace("\n", "\n> "))
                    out.append("")
                meta = [r.kind, r.channel, r.date]
                if r.author:
                    meta.insert(0, r.author)
                if r.reply_to is not None:
                    meta.append(_w("reply_to", lang, n=r.reply_to))
                if r.supports:
                    meta.append(_w("supported", lang, n=r.supports))
                out.append(f"*{_md(' · '.join(meta))}*")
                out.append("")
                out.append(_md(r.body))
                if r.proposal:
                    out += ["", f"{_w('proposal', lang)}: „{_md(r.proposal)}“"]
                out += ["", f"**{_w('response', lang)}: {_md(r.outcome)}.** {_md(r.rationale)}"]
                if r.decided_by:
                    out.append(f"({_w('by', lang)}: {_md(r.decided_by)})")
                out += ["", f"{_w('new_place', lang, n=self.new_version)}: {_md(r.new_place)}", ""]
        return "\n".join(out).rstrip() + "\n"

    # -- HTML ------------------------------------------------------------------------------

    def to_html(self) -> str:
        """Return the report as a standalone, printable, accessible HTML page."""
        lang = self.lang
        parts = [element("h1", escape(self.title))]
        parts.append(
            element(
                "p", escape(_w("intro", lang, old=self.consulted_version, new=self.new_version))
            )
        )
        parts.append(element("h2", escape(_w("summary", lang)), id="uebersicht"))
        for key, head, counts in (
            ("by_outcome", "outcome", self.by_outcome),
            ("by_channel", "channel", self.by_channel),
        ):
            summary_rows = "".join(
                element(
                    "tr",
                    element("th", escape(name), scope="row")
                    + element("td", str(n), class_="ll-num"),
                )
                for name, n in counts
            )
            total = element(
                "tr",
                element("th", escape(_w("total", lang)), scope="row")
                + element("td", str(sum(n for _, n in counts)), class_="ll-num"),
            )
            parts.append(
                element(
                    "table",
                    element("caption", escape(_w(key, lang)))
                    + element(
                        "thead",
                        element(
                            "tr",
                            element("th", escape(_w(head, lang)), scope="col")
                            + element("th", escape(_w("count", lang)), scope="col"),
                        ),
                    )
                    + element("tbody", summary_rows + total),
                    class_="ll-summary",
                )
            )
        for k, (section, rows) in enumerate(self.sections):
            parts.append(element("h2", escape(section), id=f"abschnitt-{k + 1}"))
            body = "".join(self._row_html(r) for r in rows)
            head = "".join(
                element("th", escape(h), scope="col")
                for h in (
                    _w("no", lang),
                    _w("place", lang),
                    _w("comment", lang),
                    _w("response", lang),
                    _w("new_place", lang, n=self.new_version),
                )
            )
            parts.append(
                element(
                    "table",
                    element("caption", escape(section))
                    + element("thead", element("tr", head))
                    + element("tbody", body),
                    class_="ll-results",
                )
            )
        return page(title=self.title, lang=lang, body="\n".join(parts), css=_CSS)

    def _row_html(self, r: ResultRow) -> str:
        lang = self.lang
        place = element("div", escape(r.label), class_="ll-label")
        if r.quote:
            place += element("blockquote", escape(r.quote))
        meta = [r.kind, r.channel, r.date]
        if r.author:
            meta.insert(0, r.author)
        if r.reply_to is not None:
            meta.append(_w("reply_to", lang, n=r.reply_to))
        if r.supports:
            meta.append(_w("supported", lang, n=r.supports))
        comment = element("div", escape(" · ".join(meta)), class_="ll-muted") + element(
            "p", escape(r.body)
        )
        if r.proposal:
            comment += element("p", escape(f"{_w('proposal', lang)}: „{r.proposal}“"))
        response = element("p", element("strong", escape(r.outcome)))
        if r.rationale:
            response += element("p", escape(r.rationale))
        if r.decided_by:
            response += element("p", escape(f"{_w('by', lang)}: {r.decided_by}"), class_="ll-muted")
        return element(
            "tr",
            element("th", escape(str(r.number)), scope="row", id=f"beitrag-{r.comment_id}")
            + element("td", place)
            + element("td", comment)
            + element("td", response)
            + element("td", escape(r.new_place)),
        )

    # -- tables ----------------------------------------------------------------------------

    def to_records(self) -> list[dict[str, Any]]:
        """Return the weighing table as a list of plain dicts (for JSON)."""
        return [attrs.asdict(r) for r in self.rows]

    def to_csv(self, *, delimiter: str = ";", bom: bool = True) -> str:
        """Return the weighing table as CSV: UTF-8 with BOM and semicolons by default, as
        German spreadsheet programs expect; `delimiter=","` for others. Cells that a
        spreadsheet would run as a formula (starting with = + - @) are prefixed with "'"."""
        if delimiter not in (";", ",", "\t"):
            raise ReportError(
                f"delimiter must be ';', ',' or a tab (got {delimiter!r})",
                field="delimiter",
                value=delimiter,
            )
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        header = _CSV_HEADER[0 if self.lang == "de" else 1]
        writer.writerow([h.format(n=self.new_version) for h in header])
        for r in self.rows:
            writer.writerow(
                _cell(v)
                for v in (
                    r.number,
                    r.comment_id,
                    r.section,
                    r.label,
                    r.quote,
                    r.kind,
                    r.channel,
                    r.date,
                    r.body,
                    r.proposal,
                    r.supports,
                    r.outcome,
                    r.rationale,
                    r.decided_by,
                    r.new_place,
                    r.status,
                )
            )
        return ("\ufeff" if bom else "") + buffer.getvalue()


_CSV_HEADER = (
    (
        "Nr.", "ID", "Abschnitt", "Stelle", "Zitat", "Art", "Eingangsweg", "Datum", "Beitrag",
        "Vorschlag", "Unterstützungen", "Ergebnis", "Begründung", "Entschieden von",
        "Stelle in Fassung {n}", "Status",
    ),
    (
        "No.", "ID", "Section", "Passage", "Quote", "Kind", "Channel", "Date", "Comment",
        "Proposal", "Supports", "Outcome", "Rationale", "Decided by", "Place in version {n}",
        "Status",
    ),
)  # fmt: skip

_CSS = """
.ll-results { width: 100%; }
.ll-results td:nth-child(2) { width: 24%; }
.ll-results td:nth-child(3), .ll-results td:nth-child(4) { width: 28%; }
.ll-results blockquote { margin: 0.25rem 0 0; padding-left: 0.5rem; border-left: 3px solid; }
.ll-label { font-weight: bold; }
.ll-num { text-align: right; }
.ll-summary { margin-bottom: 1rem; }
"""


def _md(text: str) -> str:
    """Escape text for Markdown (no markup runs, no HTML, no table breaks)."""
    out = []
    for ch in text:
        if ch in "\\`*_[]<>|~#":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def results_report(
    consultation: Consultation,
    *,
    consulted_version: int = 1,
    new_version: int | None = None,
    lang: str = "de",
    title: str | None = None,
    show_names: bool = False,
) -> ResultsReport:
    """Build the results report of a consultation on `consulted_version`.

    `new_version` defaults to the newest version. `show_names` prints the display names
    authors chose (never anything else about them); by default no author data is printed.
    """
    language = check_lang(lang)
    history = consultation.history
    old = history.version(consulted_version)
    new = history.version(new_version if new_version is not None else history.latest.number)
    zone = (
        ZoneInfo(consultation.procedure.zone)
        if isinstance(consultation.procedure.zone, str)
        else consultation.procedure.zone
    )
    comments = list(consultation.on_version(old.number))
    carried = {c.comment.id: c for c in consultation.carried(new.number)}
    supports = Counter(c.parent_id for c in comments if c.kind is CommentKind.SUPPORT)
    listed = [c for c in comments if c.kind is not CommentKind.SUPPORT]
    arrival = {c.id: k for k, c in enumerate(listed)}
    order = {b.id: k for k, b in enumerate(old.document.blocks)}

    def root(c: Comment) -> Comment:
        while c.parent_id is not None:
            try:
                c = consultation.comment(c.parent_id)
            except CommentError:  # a missing parent leaves the reply on its own
                break
        return c

    groups: dict[str, list[Comment]] = {}
    for c in listed:
        anchor = root(c).anchor
        key = old.document.section_of(anchor.block_id).id if anchor is not None else "\x00"
        groups.setdefault(key, []).append(c)

    def section_name(section_id: str) -> str:
        if section_id == "\x00":
            return _w("whole", language)
        section = old.document.section(section_id)
        if section.heading is None:
            return old.document.title or _w("whole", language)
        own = section.number and section.title.startswith(section.number)
        return section.title if own or not section.number else f"{section.number} {section.title}"

    section_order = ["\x00"] + [s.id for s in old.document.root.walk()]
    ordered: list[tuple[str, list[Comment]]] = []
    for section_id in section_order:
        members = groups.get(section_id)
        if not members:
            continue
        members.sort(
            key=lambda c: (
                order.get(root(c).anchor.block_id, 0) if root(c).anchor is not None else -1,  # type: ignore[union-attr]
                arrival[root(c).id],
                c.created_at,
            )
        )
        ordered.append((section_id, members))
    # Numbers follow the report's order, so a reader finds "Nr. 7" after "Nr. 6".
    numbers = {c.id: k for k, c in enumerate((c for _, m in ordered for c in m), start=1)}
    sections = []
    for section_id, members in ordered:
        rows = tuple(
            _row(
                c,
                numbers=numbers,
                supports=supports,
                carried=carried,
                consultation=consultation,
                old_doc=old.document,
                new_doc=new.document,
                zone=zone,
                lang=language,
                show_names=show_names,
            )
            for c in members
        )
        sections.append((section_name(section_id), rows))

    by_outcome: Counter[str] = Counter()
    for c in listed:
        r = consultation.response(c.id)
        by_outcome[r.outcome.label(language) if r else _w("open", language)] += 1
    outcome_order = [o.label(language) for o in Outcome] + [_w("open", language)]
    by_channel = Counter(c.channel.label(language) for c in listed)
    channel_order = [channel.label(language) for channel in Channel]
    default_title = f"{_w('title', language)}: {old.document.title or consultation.procedure.title}"
    return ResultsReport(
        title=title or default_title,
        lang=language,
        consulted_version=old.number,
        new_version=new.number,
        sections=tuple(sections),
        by_outcome=tuple((k, by_outcome[k]) for k in outcome_order if by_outcome[k]),
        by_channel=tuple((k, by_channel[k]) for k in channel_order if by_channel[k]),
    )


def _row(
    c: Comment,
    *,
    numbers: dict[str, int],
    supports: Counter[str | None],
    carried: dict[str, CarriedComment],
    consultation: Consultation,
    old_doc: Any,
    new_doc: Any,
    zone: ZoneInfo,
    lang: Lang,
    show_names: bool,
) -> ResultRow:
    i = 0 if lang == "de" else 1
    response = consultation.response(c.id)
    state = c.state
    body = c.body
    if state is ModerationState.HIDDEN:
        body = _w("hidden", lang)
    elif state is ModerationState.WITHDRAWN:
        body = _w("withdrawn", lang)
    quote = c.anchor.exact if c.anchor is not None else ""
    if c.anchor is not None:
        block = old_doc.block(c.anchor.block_id)
        label = block.label
    elif c.parent_id is not None and c.parent_id in numbers:
        label = _w("reply_to", lang, n=numbers[c.parent_id])
    else:
        label = _w("whole", lang)
    local = c.created_at.astimezone(zone)
    date = local.strftime("%d.%m.%Y") if lang == "de" else local.strftime("%Y-%m-%d")
    item = carried.get(c.id)
    new_place, status = _new_place(item, new_doc, lang)
    return ResultRow(
        number=numbers[c.id],
        comment_id=c.id,
        section=old_doc.section_of(c.anchor.block_id).title if c.anchor is not None else "",
        label=label,
        quote=quote,
        channel=c.channel.label(lang),
        date=date,
        kind=_KINDS[c.kind][i],
        body=body,
        proposal=c.proposal or "",
        supports=supports.get(c.id, 0),
        reply_to=numbers.get(c.parent_id) if c.parent_id is not None else None,
        outcome=response.outcome.label(lang) if response else _w("open", lang),
        rationale=response.rationale if response else "",
        decided_by=response.decided_by if response else "",
        new_place=new_place,
        status=status,
        author=(c.author.display_name or "") if show_names else "",
    )


def _new_place(item: CarriedComment | None, new_doc: Any, lang: Lang) -> tuple[str, str]:
    if item is None or item.status is None:
        return "–", ""
    if item.status is AnchorStatus.ORPHANED or item.anchor is None:
        return _w("removed", lang), item.status.value
    label = new_doc.block(item.anchor.block_id).label
    word = {
        AnchorStatus.EXACT: "unchanged",
        AnchorStatus.SHIFTED: "moved",
        AnchorStatus.MODIFIED: "changed",
    }[item.status]
    return f"{label} ({_w(word, lang)})", item.status.value
