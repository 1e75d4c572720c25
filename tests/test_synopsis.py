"""The Synopse (`leitlinien.reports.synopsis`) and the change summary (`change_summary`).

The example's expectations come from `src/leitlinien/examples/CHANGES.md`: the indices below
are its 0-based block positions in version 1 and version 2.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import re
from collections import Counter
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import leitlinien as ll
from leitlinien.diffing import ChangeKind, DocumentDiff, diff
from leitlinien.reports import ReportError, RowKind, change_summary, synopsis
from test_html_accessibility import Node, check_page, parse_html, text_content

CUE = "ll-cue"


@pytest.fixture(scope="module")
def example() -> DocumentDiff:
    """The diff of the bundled example's version 1 and version 2."""
    return diff(ll.examples.load("v1"), ll.examples.load("v2"))


def elements_by_id(html: str) -> dict[str, Node]:
    """Parse a page and index its elements by id."""
    root, errors = parse_html(html)
    assert errors == []
    return {n.attrs["id"]: n for n in root.walk() if "id" in n.attrs}


def body_rows(html: str) -> list[Node]:
    """Return the rows of the Synopse's main table body."""
    root, _ = parse_html(html)
    table = next(n for n in root.walk() if "ll-synopsis" in n.classes)
    body = next(n for n in table.element_children() if n.tag == "tbody")
    return body.element_children()


def row_cells(row: Node) -> list[Node]:
    """Return a row's cells (margin, old, new, note)."""
    return [c for c in row.element_children() if c.tag in {"th", "td"}]


def markdown_rows(markdown: str) -> list[list[str]]:
    """Split the Markdown table's body rows into cells (escaped pipes stay in cells)."""
    lines = [line for line in markdown.splitlines() if line.startswith("| ")][2:]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]


Edit = tuple[str, list[int], list[int], str, list[str], list[str]]
# (kind, v1 indices, v2 indices, note, deleted words, inserted words): CHANGES.md, edits 1-12.
EDITS: list[Edit] = [
    ("moved", [5], [55], "verschoben aus 1 ¶4", [], []),
    ("edited", [8], [7], "geändert", [], [", vollständig"]),
    (
        "moved",
        [31],
        [8],
        "verschoben aus 4 ¶7 und geändert",
        ["zweimal im Jahr"],
        ["vierteljährlich"],
    ),
    (
        "edited",
        [10],
        [10],
        "geändert",
        [
            "Wer erst eingebunden wird, wenn alle Pläne fertig sind, "
            "kann nur noch zustimmen oder ablehnen"
        ],
        [
            "Eine späte Beteiligung enttäuscht alle Seiten "
            "und kostet am Ende mehr Zeit, als sie einspart"
        ],
    ),
    ("inserted", [], [16], "neu eingefügt", [], []),
    ("split", [23], [24, 25], "geteilt in 3 ¶7 und 3 ¶8", [], []),
    ("edited", [26], [28], "geändert", ["150"], ["100", "mit ihrer Unterschrift "]),
    ("inserted", [], [31], "neu eingefügt", [], []),
    ("edited", [33], [35], "Überschrift geändert", [], [" und Zeitplan"]),
    ("merged", [46, 47], [48], "zusammengeführt aus 6.2 ¶2 und 6.2 ¶3", [], []),
    (
        "edited",
        [50],
        [51],
        "geändert",
        ["veröffentlicht, bevor der Rat entscheidet"],
        ["mindestens zwei Wochen vor der Entscheidung des Rates veröffentlicht"],
    ),
    ("deleted", [52], [], "gestrichen", [], []),
]


class TestExampleHtml:
    """The example's Synopse as an HTML page."""

    @pytest.mark.parametrize("edit", EDITS, ids=[f"{k + 1}-{e[0]}" for k, e in enumerate(EDITS)])
    def test_every_edit_of_changes_md_is_one_row(self, example: DocumentDiff, edit: Edit) -> None:
        """Each edit listed in CHANGES.md is one row: its kind, old and new blocks, marks."""
        kind, olds, news, note, dels, inss = edit
        old_ids = [example.old.blocks[i].id for i in olds]
        new_ids = [example.new.blocks[i].id for i in news]
        change = example.change_of_new(new_ids[0]) if new_ids else example.change_of_old(old_ids[0])
        assert (change.kind.value, list(change.old_ids), list(change.new_ids)) == (
            kind,
            old_ids,
            new_ids,
        )
        rows = body_rows(synopsis(example).to_html())
        key = new_ids[0] if new_ids else "alt-" + old_ids[0]
        row = next(r for r in rows if any(n.attrs.get("id") == key for n in r.walk()))
        assert f"ll-{kind}" in row.classes
        _, old_cell, new_cell, note_cell = row_cells(row)
        assert text_content(note_cell) == note
        assert [n.attrs["id"] for n in old_cell.walk() if "id" in n.attrs] == [
            "alt-" + i for i in old_ids
        ]
        assert [n.attrs["id"] for n in new_cell.walk() if "id" in n.attrs] == new_ids
        marked_del = [text_content(n, skip_class=CUE) for n in old_cell.walk() if n.tag == "del"]
        marked_ins = [text_content(n, skip_class=CUE) for n in new_cell.walk() if n.tag == "ins"]
        if kind == "inserted":
            assert marked_ins == [example.new.blocks[news[0]].text]
        elif kind == "deleted":
            assert marked_del == [example.old.blocks[olds[0]].text]
        else:
            assert (marked_del, marked_ins) == (dels, inss)

    def test_moved_paragraph_is_marked_where_it_stood(self, example: DocumentDiff) -> None:
        """At its old place (after the Präambel's quote) a row says where the paragraph went."""
        rows = body_rows(synopsis(example).to_html())
        quote_row = next(
            k
            for k, r in enumerate(rows)
            if any(n.attrs.get("id") == "alt-" + example.old.blocks[4].id for n in r.walk())
        )
        marker = rows[quote_row + 1]
        assert "ll-moved_away" in marker.classes
        cells = row_cells(marker)
        assert [text_content(c) for c in cells] == ["bisher 1 ¶4", "", "", "verschoben nach 8 ¶1"]
        link = next(n for n in cells[3].walk() if n.tag == "a")
        assert link.attrs["href"] == "#" + example.new.blocks[55].id

    def test_every_block_is_shown_once_with_its_text(self, example: DocumentDiff) -> None:
        """Every new block has an element with its id, every old one with "alt-" + id; the
        element's text is the block's text (with the hidden cues left out where marked)."""
        by_id = elements_by_id(synopsis(example).to_html())
        for prefix, doc in (("", example.new), ("alt-", example.old)):
            for block in doc.blocks:
                node = by_id[prefix + block.id]
                assert text_content(node, skip_class=CUE) == block.text
                if not any(CUE in n.classes for n in node.walk()):
                    assert text_content(node) == block.text

    def test_unchanged_blocks_are_shown_whole_on_both_sides(self, example: DocumentDiff) -> None:
        """All 46 unchanged blocks appear on both sides, unmarked and with exact textContent."""
        by_id = elements_by_id(synopsis(example).to_html())
        unchanged = [c for c in example.changes if c.kind is ChangeKind.UNCHANGED]
        assert len(unchanged) == 46
        for change in unchanged:
            (block_id,) = change.new_ids
            for key in (block_id, "alt-" + block_id):
                node = by_id[key]
                assert text_content(node) == example.new.block(block_id).text
                assert not [n for n in node.walk() if n.tag in {"ins", "del"}]

    def test_table_block_keeps_cells_and_text(self, example: DocumentDiff) -> None:
        """The example's table is a real table with a caption and column headers; its body
        carries the block id and its textContent is the block text (tabs and newlines)."""
        block = next(b for b in example.new.blocks if b.kind is ll.BlockKind.TABLE)
        node = elements_by_id(synopsis(example).to_html())[block.id]
        assert node.tag == "tbody"
        assert text_content(node) == block.text
        table = node.parent
        assert table is not None
        assert text_content(table.element_children()[0]) == "Tabelle 5 ¶6"
        headers = [n for n in node.walk() if n.tag == "th"]
        assert [text_content(h) for h in headers] == ["Verfahrensschritt", "Frist"]
        assert {h.attrs["scope"] for h in headers} == {"col"}

    def test_page_passes_accessibility_checker(self, example: DocumentDiff) -> None:
        """The example's page is valid and accessible by the shared checker."""
        assert check_page(synopsis(example).to_html()) == []

    def test_german_by_default(self, example: DocumentDiff) -> None:
        """Headers, caption, cues and title are German unless asked otherwise."""
        html = synopsis(example).to_html()
        root, _ = parse_html(html)
        heads = [
            text_content(n) for n in root.walk() if n.tag == "th" and n.attrs.get("scope") == "col"
        ]
        assert heads[:4] == ["Gliederung", "Fassung 1", "Fassung 2", "Änderung"]
        assert '<html lang="de">' in html
        assert "<title>Synopse: Leitlinien für Bürgerbeteiligung der Stadt Lindenau</title>" in html
        cues = {text_content(n) for n in root.walk() if CUE in n.classes}
        assert cues == {"eingefügt: ", "gestrichen: "}


class TestEnglish:
    """``lang="en"``: everything the Synopse adds is in English."""

    def test_labels_notes_and_cues_are_english(self, example: DocumentDiff) -> None:
        """Headers, notes, cues, margin and page language are English; document text is kept."""
        html = synopsis(example, lang="en", text_lang="de").to_html()
        root, _ = parse_html(html)
        heads = [
            text_content(n) for n in root.walk() if n.tag == "th" and n.attrs.get("scope") == "col"
        ]
        assert heads[:4] == ["Section", "Version 1", "Version 2", "Change"]
        notes = [text_content(row_cells(r)[3]) for r in body_rows(html)]
        assert "moved from 1 ¶4" in notes
        assert "moved to 8 ¶1" in notes
        assert "split into 3 ¶7 and 3 ¶8" in notes
        assert "merged from 6.2 ¶2 and 6.2 ¶3" in notes
        assert {"added", "deleted", "heading changed", "changed"} <= set(notes)
        assert {text_content(n) for n in root.walk() if CUE in n.classes} == {
            "inserted: ",
            "deleted: ",
        }
        assert '<html lang="en">' in html
        text_cells = [n for n in root.walk() if n.tag == "td" and n.attrs.get("lang") == "de"]
        assert len(text_cells) > 50
        margins = [text_content(row_cells(r)[0]) for r in body_rows(html)]
        assert "was 7 ¶3" in margins
        assert margins[0] == "Title"

    def test_markdown_is_english(self, example: DocumentDiff) -> None:
        """The Markdown's header row and title are English too."""
        markdown = synopsis(example, lang="en").to_markdown()
        assert markdown.startswith("# Side-by-side comparison: Leitlinien")
        assert "| Section | Version 1 | Version 2 | Change |" in markdown
        assert "Everything else is unchanged." in markdown


class TestExampleMarkdown:
    """The example's Synopse as Markdown."""

    @pytest.mark.parametrize("edit", EDITS, ids=[f"{k + 1}-{e[0]}" for k, e in enumerate(EDITS)])
    def test_every_edit_of_changes_md_is_one_row(self, example: DocumentDiff, edit: Edit) -> None:
        """Each CHANGES.md edit is a row with its note, deletions [-…-] and insertions {+…+}."""
        kind, olds, news, note, dels, inss = edit
        old_text = [example.old.blocks[i].text for i in olds]
        new_text = [example.new.blocks[i].text for i in news]
        margin = (
            ", ".join(example.new.blocks[i].label for i in news)
            if news
            else f"bisher {example.old.blocks[olds[0]].label}"
        )
        rows = markdown_rows(synopsis(example).to_markdown())
        matching = [r for r in rows if r[0] == margin and r[3] == note]
        assert len(matching) == 1
        _, old_cell, new_cell, _ = matching[0]
        assert re.findall(r"\\\[-(.*?)-\\\]", old_cell) == (old_text if kind == "deleted" else dels)
        assert re.findall(r"\{\+(.*?)\+\}", new_cell) == (new_text if kind == "inserted" else inss)
        assert old_cell.count("<br><br>") == max(len(olds) - 1, 0)
        assert new_cell.count("<br><br>") == max(len(news) - 1, 0)

    def test_all_unchanged_blocks_are_rows(self, example: DocumentDiff) -> None:
        """With no context limit, each unchanged block is a row with equal text on both sides."""
        rows = markdown_rows(synopsis(example).to_markdown())
        same = [r for r in rows if r[1] == r[2] and r[1] and not r[3]]
        assert len(same) == 46

    def test_markdown_renders_marks_literally(self, example: DocumentDiff) -> None:
        """Rendered by a CommonMark renderer, the marks show as [-…-] and {+…+}, not as links."""
        rendered = MarkdownIt("commonmark").enable("table").render(synopsis(example).to_markdown())
        assert "[-zweimal im Jahr-]" in rendered
        assert "{+vierteljährlich+}" in rendered
        assert "<a " not in rendered
        assert rendered.count("<tr>") == len(synopsis(example).rows) + 1


HOSTILE_OLD = (
    "# Titel <script>alert(1)</script>\n\n## Teil\n\n"
    'Erster Satz mit " onmouseover="alert(1) darin.\n\n'
    "Zweiter Satz javascript:alert(1) und <img src=x onerror=alert(1)>.\n\n"
    "Dritter Satz | mit *Sternen* und \\[Klammern\\](javascript:alert(3)) & &amp; Co.\n"
)
HOSTILE_NEW = (
    "# Titel <script>alert(1)</script>\n\n## Teil\n\n"
    'Erster Satz mit " onmouseover="alert(2) darin.\n\n'
    "Zweiter Satz javascript:alert(2) und <img src=x onerror=alert(2)>.\n\n"
    "Neuer Satz <script>alert(4)</script>.\n"
)


class TestEscaping:
    """Document text can never become markup."""

    def test_html_escapes_document_text(self) -> None:
        """Script tags, attribute injection and javascript: text stay text in the HTML."""
        d = diff(ll.Document.from_markdown(HOSTILE_OLD), ll.Document.from_markdown(HOSTILE_NEW))
        html = synopsis(d, title='<script>x</script>" onload="y').to_html()
        root, errors = parse_html(html)
        assert errors == []
        tags = {n.tag for n in root.walk()}
        assert not tags & {"script", "img"}
        assert not [n for n in root.walk() for a in n.attrs if a.startswith("on")]
        by_id = {n.attrs["id"]: n for n in root.walk() if "id" in n.attrs}
        for block in d.new.blocks:
            assert text_content(by_id[block.id], skip_class=CUE) == block.text
        for block in d.old.blocks:
            assert text_content(by_id["alt-" + block.id], skip_class=CUE) == block.text
        assert check_page(html) == []

    def test_markdown_escapes_document_text(self) -> None:
        """Rendered by a CommonMark renderer with HTML on, the Markdown yields no tag or link."""
        d = diff(ll.Document.from_markdown(HOSTILE_OLD), ll.Document.from_markdown(HOSTILE_NEW))
        markdown = synopsis(d).to_markdown()
        rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
        assert "<script" not in rendered
        assert "<img" not in rendered
        assert "<a " not in rendered
        assert "&lt;script&gt;alert(4)&lt;/script&gt;" in rendered
        assert "[-Dritter Satz | mit Sternen und [Klammern](javascript:alert(3)) &amp;" in rendered

    def test_old_ids_stay_unique_when_alt_prefix_collides(self) -> None:
        """If the new version pins an id "alt-<old id>", old ids get another prefix."""
        old = ll.Document.from_markdown("<!-- id: a1 -->\nEins.\n\nZwei.\n")
        new = ll.Document.from_markdown("<!-- id: alt-a1 -->\nNeu.\n\n<!-- id: a1 -->\nEins.\n")
        syn = synopsis(diff(old, new))
        assert syn.old_id_prefix == "alt2-"
        html = syn.to_html()
        assert check_page(html) == []
        assert {"alt-a1", "a1", "alt2-a1"} <= set(elements_by_id(html))


class TestContextAndEmpty:
    """``context=N`` and diffs without changes."""

    def test_context_keeps_neighbours_and_counts_the_rest(self, example: DocumentDiff) -> None:
        """With context=1 each shown unchanged row touches a change; omitted rows add up."""
        rows = synopsis(example, context=1).rows
        for k, row in enumerate(rows):
            if row.kind is RowKind.CHANGE and not row.changed:
                neighbours = rows[max(k - 1, 0) : k + 2]
                assert any(r.changed for r in neighbours)
        assert all(
            not (a.kind is RowKind.OMITTED and b.kind is RowKind.OMITTED)
            for a, b in itertools.pairwise(rows)
        )
        shown = sum(1 for r in rows if r.kind is RowKind.CHANGE and not r.changed)
        omitted = sum(r.omitted for r in rows)
        assert shown + omitted == 46
        assert omitted > 0
        html = synopsis(example, context=1).to_html()
        gaps = [text_content(r) for r in body_rows(html) if "ll-gap" in r.classes]
        first_gap = next(r.omitted for r in rows if r.kind is RowKind.OMITTED)
        assert gaps[0] == f"… {first_gap} unveränderte Textblöcke ausgelassen …"

    def test_empty_diff(self) -> None:
        """An unchanged document: summary says so, nothing is marked, context=0 hides all."""
        doc = ll.examples.load("v1")
        d = diff(doc, doc)
        assert change_summary(d) == "Keine Änderungen."
        assert change_summary(d, lang="en") == "No changes."
        html = synopsis(d).to_html()
        assert check_page(html) == []
        assert not [n for r in body_rows(html) for n in r.walk() if n.tag in {"ins", "del"}]
        assert len(body_rows(html)) == len(doc.blocks)
        rows = synopsis(d, context=0).rows
        assert [(r.kind, r.omitted) for r in rows] == [(RowKind.OMITTED, len(doc.blocks))]
        markdown = synopsis(d, context=0, lang="en").to_markdown()
        assert f"… {len(doc.blocks)} unchanged blocks not shown …" in markdown
        assert "No changes." in markdown


class TestSummary:
    """`change_summary` on the example and on small documents."""

    def test_example_counts_per_section_match_changes_md(self, example: DocumentDiff) -> None:
        """The diff's changes per section are those CHANGES.md lists, and the summary says so."""
        counts: Counter[tuple[str, str]] = Counter()
        for change in example.changes:
            if change.kind is ChangeKind.UNCHANGED:
                continue
            if change.new_ids:
                section = example.new.section_of(change.new_ids[0]).number
            else:
                section = example.old.section_of(change.old_ids[0]).number
            counts[section, change.kind.value] += 1
        assert counts == Counter(
            {
                ("2.1", "edited"): 1,
                ("2.1", "moved"): 1,
                ("2.2", "edited"): 1,
                ("2.4", "inserted"): 1,
                ("3", "split"): 1,
                ("4", "edited"): 1,
                ("4", "inserted"): 1,
                ("5", "edited"): 1,
                ("6.2", "merged"): 1,
                ("7", "edited"): 1,
                ("7", "deleted"): 1,
                ("8", "moved"): 1,
            }
        )
        summary = change_summary(example)
        for (section, kind), n in counts.items():
            phrase = {
                "edited": f"in Abschnitt {section} wurde {n} ",
                "inserted": f"in Abschnitt {section} kam {n} ",
                "deleted": f"in Abschnitt {section} wurde {n} Absatz gestrichen",
                "split": f"in Abschnitt {section} wurde {n} Absatz in 2 Absätze geteilt",
                "merged": f"in Abschnitt {section} wurden 2 Absätze zu {n} Absatz zusammengeführt",
                "moved": f"nach Abschnitt {section} verschoben",
            }[kind]
            if kind == "edited" and section == "5":
                phrase = "Abschnitt 5 heißt jetzt „Fristen und Zeitplan“ (bisher „Fristen“)"
            assert phrase.lower() in summary.lower(), phrase
        assert summary.startswith("In Abschnitt 2.1 wurde 1 Absatz umformuliert; ")
        assert (
            "1 Absatz wurde aus Abschnitt 4 nach Abschnitt 2.1 verschoben und dabei umformuliert"
            in summary
        )
        assert "1 Absatz wurde aus Abschnitt 1 nach Abschnitt 8 verschoben." in summary
        assert (
            "in Abschnitt 4 wurde 1 Listenpunkt umformuliert; "
            "in Abschnitt 4 kam 1 Listenpunkt hinzu" in summary
        )
        assert summary.endswith("Alles Übrige ist unverändert.")

    def test_example_summary_in_english(self, example: DocumentDiff) -> None:
        """The English summary names the same changes."""
        summary = change_summary(example, lang="en")
        assert summary.startswith("1 paragraph reworded in section 2.1; ")
        for phrase in (
            "1 paragraph moved from section 4 to section 2.1 and reworded",
            "1 paragraph added in section 2.4",
            "1 paragraph split into 2 paragraphs in section 3",
            "1 list item added in section 4",
            "section 5 is now called “Fristen und Zeitplan” (was “Fristen”)",
            "2 paragraphs merged into 1 paragraph in section 6.2",
            "1 paragraph deleted in section 7",
            "1 paragraph moved from section 1 to section 8",
        ):
            assert phrase in summary

    def test_plurals(self) -> None:
        """Several blocks of one kind in one section are counted in the plural, both languages."""
        old = ll.Document.from_markdown(
            "# T\n\n## A\n\nEins zwei drei vier.\n\nFünf sechs sieben acht.\n\nWeg damit eins.\n\n"
            "Weg damit zwei.\n\n- Punkt eins zwei\n"
        )
        new = ll.Document.from_markdown(
            "# T\n\n## A\n\nEins zwei drei fünf.\n\nFünf sechs sieben neun.\n\n"
            "- Punkt eins zwei\n- Ganz neu hier\n- Noch ein Punkt\n"
        )
        d = diff(old, new)
        assert change_summary(d) == (
            "In Abschnitt 1 wurden 2 Absätze umformuliert; in Abschnitt 1 wurden 2 Absätze "
            "gestrichen; in Abschnitt 1 kamen 2 Listenpunkte hinzu. Alles Übrige ist unverändert."
        )
        assert change_summary(d, lang="en") == (
            "2 paragraphs reworded in section 1; 2 paragraphs deleted in section 1; "
            "2 list items added in section 1. Everything else is unchanged."
        )

    def test_section_moved_as_a_whole(self) -> None:
        """A section that moved is one move in the summary and one row in the Synopse."""
        a = "## A\n\nAlpha eins zwei drei.\n\nAlpha vier fünf.\n\n"
        b = "## B\n\nBeta eins zwei drei.\n\nBeta vier.\n\n"
        c = "## C\n\nGamma eins zwei.\n\n"
        d = diff(
            ll.Document.from_markdown("# T\n\n" + a + b + c),
            ll.Document.from_markdown("# T\n\n" + b + c + a),
        )
        moved = [ch for ch in d.changes if ch.kind is ChangeKind.MOVED]
        assert [len(ch.new_ids) for ch in moved] == [3]
        assert change_summary(d) == (
            "Abschnitt 1 „A“ wurde als Ganzes verschoben und ist jetzt Abschnitt 3. "
            "Alles Übrige ist unverändert."
        )
        assert change_summary(d, lang="en") == (
            "Section 1 “A” moved as a whole, now section 3. Everything else is unchanged."
        )
        notes = [r.note for r in synopsis(d).rows if r.changed]
        assert notes == ["verschoben nach Abschnitt 3", "verschoben aus Abschnitt 1"]


class TestValidation:
    """Bad arguments raise `ReportError` naming the field and the value."""

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"lang": "fr"}, "lang must be one of ['de', 'en'] (got 'fr')"),
            ({"context": -1}, "context must be None or an int >= 0 (got -1)"),
            ({"context": True}, "context must be None or an int >= 0 (got True)"),
            ({"title": 3}, "title must be a str or None (got int: 3)"),
        ],
    )
    def test_bad_options(
        self, example: DocumentDiff, kwargs: dict[str, object], message: str
    ) -> None:
        """Each bad option gives a clear message."""
        with pytest.raises(ReportError) as info:
            synopsis(example, **kwargs)  # type: ignore[arg-type]
        assert str(info.value) == message
        assert isinstance(info.value, ValueError)

    def test_not_a_diff(self) -> None:
        """Passing a document instead of a diff is refused by both functions."""
        doc = ll.examples.load("v1")
        with pytest.raises(ReportError, match="diff must be a DocumentDiff"):
            synopsis(doc)  # type: ignore[arg-type]
        with pytest.raises(ReportError, match="diff must be a DocumentDiff"):
            change_summary(doc)  # type: ignore[arg-type]
        with pytest.raises(ReportError, match=r"lang must be one of \['de', 'en'\]"):
            change_summary(diff(doc, doc), lang="EN")


class TestDocs:
    """docs/synopsis.md opens with a runnable example."""

    def test_example_runs(self) -> None:
        """The first Python block runs and prints what its comments say."""
        page = Path(__file__).parent.parent / "docs" / "synopsis.md"
        blocks = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(compile(blocks[0], str(page), "exec"), {})
        assert output.getvalue().splitlines() == [
            "In Abschnitt 2.1 wurde 1 Absatz umformuliert",
            "1 paragraph reworded in section 2.1",
            "14",
        ]
