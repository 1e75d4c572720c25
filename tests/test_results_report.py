"""The results report (Ergebnisbericht): content, privacy, escaping, accessibility, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest

import leitlinien as ll
from leitlinien.consultation import Consultation
from leitlinien.participation import Actor
from leitlinien.reports import results_report
from test_html_accessibility import check_page

BERLIN = ZoneInfo("Europe/Berlin")
NASTY = '<script>alert(1)</script> " onmouseover="x" [klick](javascript:alert(2)) =SUMME(A1)'


def at(month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2024, month, day, hour, tzinfo=BERLIN)


@pytest.fixture
def consultation() -> Consultation:
    history = ll.History()
    history.publish(ll.examples.markdown("v1"), label="Entwurf", published_at=at(3, 7))
    c = Consultation(history, ll.examples.procedure())
    doc = history.version(1).document
    resident = Actor(role="resident", id="r1")
    c.submit(
        ll.Comment(
            id="c1",
            author=ll.Author("r1", display_name="Erika Beispiel"),
            channel="online",
            kind="comment",
            body=NASTY,
            created_at=at(3, 10),
            version=1,
            anchor=ll.Anchor.from_quote(doc, "Lindenau lebt davon"),
        ),
        resident,
    )
    c.submit(
        ll.Comment(
            id="c2",
            author=ll.Author("r2"),
            channel="online",
            kind="question",
            body='=HYPERLINK("https://example.org";"Gilt das auch für Ortsteile?")',
            created_at=at(3, 11),
            version=1,
        ),
        Actor(role="resident", id="r2"),
    )
    c.publish(
        ll.examples.markdown("v2"),
        Actor(role="administration", id="ag"),
        label="Fassung 2",
        published_at=at(5, 14),
    )
    c.respond(
        ll.Response(
            comment_id="c1",
            outcome="rejected",
            rationale=NASTY,
            decided_by="Arbeitsgruppe",
            decided_at=at(4, 10),
        ),
        Actor(role="administration", id="ag"),
    )
    return c


class TestContent:
    def test_rows_sections_and_counts(self, consultation: Consultation) -> None:
        """Each comment is a row in its section; the summary counts outcomes and channels."""
        report = results_report(consultation)
        assert [r.comment_id for r in report.rows] == ["c2", "c1"]
        assert report.sections[0][0] == "Zum ganzen Dokument"
        assert dict(report.by_outcome) == {"nicht berücksichtigt": 1, "noch ohne Antwort": 1}
        assert dict(report.by_channel) == {"online": 2}
        row = report.rows[1]
        assert row.quote == "Lindenau lebt davon"
        assert row.new_place.endswith("(unverändert)")
        assert row.date == "10.03.2024"

    def test_english_labels(self, consultation: Consultation) -> None:
        """lang='en' writes English labels and outcomes."""
        report = results_report(consultation, lang="en")
        assert dict(report.by_outcome) == {"not accepted": 1, "not yet answered": 1}
        assert "Results report" in report.to_markdown()


class TestPrivacyAndEscaping:
    def test_no_author_data_unless_asked(self, consultation: Consultation) -> None:
        """Names are printed only with show_names; ids never."""
        html = results_report(consultation).to_html()
        assert "Erika Beispiel" not in html
        assert "Erika Beispiel" not in results_report(consultation).to_markdown()
        named = results_report(consultation, show_names=True).to_html()
        assert "Erika Beispiel" in named

    def test_user_text_is_escaped(self, consultation: Consultation) -> None:
        """Script tags, attribute injection and javascript: links in comments stay text."""
        html = results_report(consultation).to_html()
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
        assert 'onmouseover="x"' not in html
        assert 'href="javascript:' not in html
        md = results_report(consultation).to_markdown()
        assert "<script>" not in md
        assert "\\<script\\>" in md

    def test_page_passes_accessibility_checks(self, consultation: Consultation) -> None:
        """Valid structure, lang, one heading hierarchy, captioned tables with header cells."""
        assert check_page(results_report(consultation).to_html()) == []


class TestCsv:
    def test_bom_semicolons_and_formula_guard(self, consultation: Consultation) -> None:
        """UTF-8 with BOM, semicolons; a cell a spreadsheet would run as a formula is guarded."""
        text = results_report(consultation).to_csv()
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
        assert rows[0][:3] == ["Nr.", "ID", "Abschnitt"]
        assert len(rows) == 3
        comma = results_report(consultation).to_csv(delimiter=",", bom=False)
        assert not comma.startswith("\ufeff")
        assert next(iter(csv.reader(io.StringIO(comma))))[0] == "Nr."
        body = {r[1]: r for r in rows[1:]}
        beitrag = rows[0].index("Beitrag")
        assert body["c2"][beitrag].startswith("'=HYPERLINK(")

    def test_bad_delimiter(self, consultation: Consultation) -> None:
        """Only ; , and tab are offered."""
        with pytest.raises(ll.ReportError, match="delimiter must be"):
            results_report(consultation).to_csv(delimiter="|")
