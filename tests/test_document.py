"""The document model: lookups, ids, labels, dicts, bad input, the bundled example, the CLI."""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
import time
from typing import Any

import pytest

import leitlinien as ll
from leitlinien import Document, DocumentError, SerializationError, examples

SOURCE = """# Leitlinien

## Grundsätze

Eins zwei drei.

- vier
- fünf

## Formate

> sechs

Sieben acht.
"""


@pytest.fixture(scope="module")
def doc() -> Document:
    return Document.from_markdown(SOURCE)


def by_text(doc: Document, text: str) -> ll.Block:
    (block,) = [b for b in doc.blocks if b.text == text]
    return block


class TestReadingText:
    def test_text_joins_blocks(self, doc: Document) -> None:
        """The reading text is every block's text, headings included, joined by a blank line."""
        expected = (
            "Leitlinien\n\nGrundsätze\n\nEins zwei drei.\n\nvier\n\nfünf\n\nFormate"
            "\n\nsechs\n\nSieben acht."
        )
        assert expected == doc.text

    def test_block_spans(self, doc: Document) -> None:
        """Each block knows its span in the reading text."""
        block = by_text(doc, "vier")
        assert (block.start, block.end, len(block)) == (41, 45, 4)
        assert doc.text[block.start : block.end] == "vier"

    def test_kinds(self, doc: Document) -> None:
        """Blocks carry their kind in reading order."""
        kinds = [b.kind.value for b in doc.blocks]
        assert kinds == [
            "heading",
            "heading",
            "paragraph",
            "list_item",
            "list_item",
            "heading",
            "quote",
            "paragraph",
        ]


class TestLookups:
    def test_block_by_id(self, doc: Document) -> None:
        """`block` returns the block with an id; `has_block` tells whether there is one."""
        block = doc.blocks[3]
        assert doc.block(block.id) is block
        assert doc.has_block(block.id)
        assert not doc.has_block("p-unbekannt")

    def test_unknown_block_id(self, doc: Document) -> None:
        """An unknown id is a DocumentError naming the id."""
        with pytest.raises(DocumentError) as info:
            doc.block("p-unbekannt")
        assert str(info.value) == "block_id must name a block of the document (got 'p-unbekannt')"
        assert info.value.field == "block_id"

    def test_section_and_section_of(self, doc: Document) -> None:
        """A section is found by its heading's id; `section_of` gives a block's section."""
        vier = by_text(doc, "vier")
        section = doc.section_of(vier.id)
        assert section.title == "Grundsätze"
        assert doc.section(section.id) is section
        assert doc.section("") is doc.root
        assert section.number == "1"

    def test_section_of_heading_is_its_own_section(self, doc: Document) -> None:
        """A heading belongs to the section it opens."""
        heading = by_text(doc, "Formate")
        assert doc.section_of(heading.id).heading == heading

    def test_unknown_section(self, doc: Document) -> None:
        """An unknown section id is a DocumentError naming it."""
        with pytest.raises(DocumentError, match=r"section_id must name a section .*'nope'"):
            doc.section("nope")
        with pytest.raises(DocumentError, match=r"block_id must name a block .*'nope'"):
            doc.section_of("nope")

    def test_section_text(self, doc: Document) -> None:
        """A section's text runs from its heading to its last block, subsections included."""
        grund = by_text(doc, "Grundsätze")
        assert doc.section_text(grund.id) == "Grundsätze\n\nEins zwei drei.\n\nvier\n\nfünf"
        title = by_text(doc, "Leitlinien")
        assert doc.section_text(title.id) == doc.text
        assert Document.empty().section_text("") == ""

    def test_block_at(self, doc: Document) -> None:
        """`block_at` finds the block holding an offset, its end included; None in between."""
        vier = by_text(doc, "vier")
        assert doc.block_at(vier.start) == vier
        assert doc.block_at(vier.end) == vier
        assert doc.block_at(vier.end + 1) is None
        assert doc.block_at(len(doc.text)) == doc.blocks[-1]

    @pytest.mark.parametrize("bad", [-1, 10_000, True, 1.5, "3"])
    def test_block_at_out_of_range(self, doc: Document, bad: Any) -> None:
        """An offset outside the text or not an int is a DocumentError naming `offset`."""
        with pytest.raises(DocumentError) as info:
            doc.block_at(bad)
        assert info.value.field == "offset"
        assert repr(bad) in str(info.value)

    def test_blocks_in(self, doc: Document) -> None:
        """`blocks_in` returns the blocks overlapping a range, in reading order."""
        drei, vier, fuenf = (by_text(doc, t) for t in ("Eins zwei drei.", "vier", "fünf"))
        assert doc.blocks_in(drei.start + 5, fuenf.start + 1) == (drei, vier, fuenf)
        assert doc.blocks_in(vier.start, vier.end) == (vier,)
        assert doc.blocks_in(vier.end, vier.end + 2) == ()
        assert doc.blocks_in(vier.start + 1, vier.start + 1) == (vier,)
        assert doc.blocks_in(0, len(doc.text)) == doc.blocks

    def test_blocks_in_reversed_range(self, doc: Document) -> None:
        """A range with start after end is a DocumentError that shows both."""
        with pytest.raises(DocumentError) as info:
            doc.blocks_in(5, 2)
        assert str(info.value) == "start must not be after end (got start=5, end=2)"

    def test_locate_and_offset(self, doc: Document) -> None:
        """`locate` and `offset` convert between reading-text offsets and block offsets."""
        vier = by_text(doc, "vier")
        assert doc.locate(vier.start + 2) == (vier.id, 2)
        assert doc.offset(vier.id, 2) == vier.start + 2
        assert doc.locate(vier.end) == (vier.id, 4)
        assert doc.offset(vier.id, 4) == vier.end

    def test_locate_in_separator_snaps_back(self, doc: Document) -> None:
        """An offset inside the separator snaps to the end of the block before it."""
        vier = by_text(doc, "vier")
        assert doc.locate(vier.end + 1) == (vier.id, 4)

    def test_locate_in_empty_document(self) -> None:
        """An empty document has no block to locate an offset in."""
        with pytest.raises(DocumentError, match="the document has none"):
            Document.empty().locate(0)

    @pytest.mark.parametrize("bad", [-1, 5, True, None])
    def test_offset_out_of_block(self, doc: Document, bad: Any) -> None:
        """An offset beyond the block's text is a DocumentError naming the block."""
        vier = by_text(doc, "vier")
        with pytest.raises(DocumentError) as info:
            doc.offset(vier.id, bad)
        assert str(info.value) == (
            f"offset_in_block must be between 0 and 4 for block {vier.id!r} (got {bad!r})"
        )


class TestIds:
    def test_deterministic(self) -> None:
        """The same input gives the same ids."""
        first = Document.from_markdown(SOURCE)
        second = Document.from_markdown(SOURCE)
        assert [b.id for b in first.blocks] == [b.id for b in second.blocks]

    def test_unique_with_repeats(self) -> None:
        """Repeated blocks get distinct ids, disambiguated in order of appearance."""
        doc = Document.from_markdown("Gleich.\n\nGleich.\n\n- Gleich.\n\nGleich.")
        ids = [b.id for b in doc.blocks]
        assert len(set(ids)) == 4
        assert ids[1] == ids[0] + "-2"
        assert ids[3] == ids[0] + "-3"

    def test_look_like_ids(self) -> None:
        """Ids are valid HTML ids: a letter, then letters, digits and a few marks."""
        doc = examples.load("v1")
        assert all(ll.document.ID_PATTERN.fullmatch(b.id) for b in doc.blocks)

    @pytest.mark.parametrize(
        "change",
        [
            pytest.param(
                lambda s: s.replace("Eins zwei drei.", "Neu.\n\nEins zwei drei."), id="insert"
            ),
            pytest.param(lambda s: s.replace("- fünf\n", ""), id="delete"),
            pytest.param(lambda s: s.replace("sechs", "sechs und mehr"), id="edit"),
            pytest.param(
                lambda s: s.replace("Sieben acht.", "Sieben acht.\n\n# Anhang"), id="renumber"
            ),
        ],
    )
    def test_stable_around_changes(self, doc: Document, change: Any) -> None:
        """An unchanged block keeps its id when other blocks are inserted, deleted or edited."""
        changed = Document.from_markdown(change(SOURCE))
        old = {b.text: b.id for b in doc.blocks}
        new = {b.text: b.id for b in changed.blocks}
        kept = set(old) & set(new)
        assert len(kept) >= 6
        assert {t: old[t] for t in kept} == {t: new[t] for t in kept}

    def test_pinned_id(self) -> None:
        """An id comment on the line before a block pins its id, and canonical Markdown keeps it."""
        doc = Document.from_markdown("<!-- id: frist -->\nDrei Wochen.\n\nDanach.")
        assert doc.blocks[0].id == "frist"
        assert doc.blocks[0].pinned
        assert doc.to_markdown().startswith("<!-- id: frist -->\nDrei Wochen.")
        assert Document.from_markdown(doc.to_markdown()) == doc

    def test_pinned_id_survives_edit(self) -> None:
        """A pinned block keeps its id when its text changes."""
        before = Document.from_markdown("<!-- id: frist -->\nDrei Wochen.")
        after = Document.from_markdown("<!-- id: frist -->\nVier Wochen.")
        assert before.blocks[0].id == after.blocks[0].id == "frist"

    def test_duplicate_pinned_id(self) -> None:
        """Two blocks pinning the same id are a DocumentError naming the id."""
        with pytest.raises(DocumentError) as info:
            Document.from_markdown("<!-- id: a -->\nEins.\n\n<!-- id: a -->\nZwei.")
        assert str(info.value) == "pinned ids must be unique in a document (got 'a' twice)"
        assert info.value.value == "a"

    def test_pinned_id_wins_over_derived(self) -> None:
        """A derived id never takes an id some block pinned."""
        plain = Document.from_markdown("Zwei.")
        derived = plain.blocks[0].id
        doc = Document.from_markdown(f"Zwei.\n\n<!-- id: {derived} -->\nEins.")
        assert doc.blocks[1].id == derived
        assert doc.blocks[0].id != derived
        assert len({b.id for b in doc.blocks}) == 2

    def test_with_ids(self, doc: Document) -> None:
        """`with_ids` renames blocks and pins the new names, so they survive a round trip."""
        vier = by_text(doc, "vier")
        renamed = doc.with_ids({vier.id: "punkt-vier"})
        assert renamed.block("punkt-vier").text == "vier"
        assert Document.from_markdown(renamed.to_markdown()).block("punkt-vier").pinned
        with pytest.raises(DocumentError, match="ids must stay unique"):
            doc.with_ids({vier.id: doc.blocks[0].id})


class TestLabels:
    def test_section_numbers_and_paragraph_counter(self, doc: Document) -> None:
        """Labels are the section number and a per-section paragraph counter; the title has none."""
        labels = [(b.text, b.label) for b in doc.blocks]
        assert labels == [
            ("Leitlinien", "Leitlinien"),
            ("Grundsätze", "1"),
            ("Eins zwei drei.", "1 ¶1"),
            ("vier", "1 ¶2"),
            ("fünf", "1 ¶3"),
            ("Formate", "2"),
            ("sechs", "2 ¶1"),
            ("Sieben acht.", "2 ¶2"),
        ]

    def test_example_labels(self) -> None:
        """The example's sections are numbered under its title."""
        doc = examples.load("v1")
        numbers = [s.number for s in doc.sections]
        assert numbers[0] == ""
        assert numbers[1:4] == ["1", "2", "2.1"]


class TestDicts:
    def test_round_trip(self, doc: Document) -> None:
        """`from_dict(to_dict(d)) == d`, with the same reading text and ids."""
        data = doc.to_dict()
        assert data["schema"] == "leitlinien/document"
        assert data["version"] == 1
        again = Document.from_dict(data)
        assert again == doc
        assert again.text == doc.text
        assert [b.id for b in again.blocks] == [b.id for b in doc.blocks]

    def test_example_round_trip(self) -> None:
        """The bundled example survives the dict round trip."""
        doc = examples.load("v2")
        assert Document.from_dict(doc.to_dict()) == doc

    @pytest.mark.parametrize(
        ("mutate", "field", "message"),
        [
            (
                lambda d: d["blocks"][2].__setitem__("id", "p-falsch"),
                "blocks[2].id",
                "blocks[2].id must be {id!r} as the markdown says (got 'p-falsch')",
            ),
            (
                lambda d: d["blocks"][2].__setitem__("id", 7),
                "blocks[2].id",
                "blocks[2].id must be a string (got int: 7)",
            ),
            (
                lambda d: d.__setitem__("schema", "leitlinien/comment"),
                "schema",
                "schema must be 'leitlinien/document' (got 'leitlinien/comment')",
            ),
            (
                lambda d: d.__setitem__("version", 2),
                "version",
                "version must be between 1 and 1 for 'leitlinien/document' (got 2); "
                "a newer version was written by a newer leitlinien",
            ),
            (lambda d: d.pop("markdown"), "markdown", "markdown is missing"),
            (
                lambda d: d["blocks"].pop(),
                "blocks",
                "blocks must list the 8 blocks of the markdown (got 7)",
            ),
            (
                lambda d: d["blocks"].__setitem__(1, "x"),
                "blocks[1]",
                "blocks[1] must be an object (got str: 'x')",
            ),
            (
                lambda d: d.__setitem__("markdown", "a\x00"),
                "markdown",
                "markdown does not parse: markdown must not contain NUL characters "
                "(got one at line 1, column 2)",
            ),
        ],
    )
    def test_bad_field_named(self, doc: Document, mutate: Any, field: str, message: str) -> None:
        """A malformed dict gets a SerializationError naming the path of the bad field."""
        data = copy.deepcopy(doc.to_dict())
        mutate(data)
        with pytest.raises(SerializationError) as info:
            Document.from_dict(data)
        assert info.value.field == field
        assert str(info.value) == message.format(id=doc.blocks[2].id)

    def test_not_a_dict(self) -> None:
        """Something that is not a dict at all is a SerializationError too."""
        with pytest.raises(SerializationError, match=r"value must be an object \(got list: \[\]\)"):
            Document.from_dict([])

    def test_document_pickles_and_rebuilds_its_index(self, doc: Document) -> None:
        """A pickled document loads equal, with working lookups; an index pickled with it by
        an earlier version (which may lack what this one needs) is rebuilt, not trusted."""
        again = pickle.loads(pickle.dumps(doc))
        assert again == doc
        assert again.text == doc.text
        assert again.blocks == doc.blocks
        last = doc.blocks[-1]
        assert again.block(last.id) == last
        assert again.block_index(last.start) == len(doc.blocks) - 1
        state = dict(doc.__getstate__())
        assert "_index" not in state
        state["_index"] = "an index from an earlier version"
        old = Document.__new__(Document)
        old.__setstate__(state)
        assert old.block(last.id) == last
        # Re-anchoring reads the index's block lists.
        anchor = ll.Anchor.for_block(doc, last.id)
        assert ll.reanchor([anchor], doc, old)[0].status is ll.AnchorStatus.EXACT

    def test_error_pickles(self, doc: Document) -> None:
        """Errors keep their field and value through pickling."""
        with pytest.raises(SerializationError) as info:
            Document.from_dict({"schema": "x"})
        again = pickle.loads(pickle.dumps(info.value))
        assert (str(again), again.field, again.value) == (
            str(info.value),
            info.value.field,
            info.value.value,
        )


class TestBadInput:
    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (b"# Titel", "markdown must be a str (got bytes: b'# Titel')"),
            (None, "markdown must be a str (got NoneType: None)"),
            (42, "markdown must be a str (got int: 42)"),
        ],
    )
    def test_not_a_string(self, value: Any, message: str) -> None:
        """Only str is accepted; the error names the type got."""
        with pytest.raises(DocumentError) as info:
            Document.from_markdown(value)
        assert str(info.value) == message

    def test_nul(self) -> None:
        """A NUL character is refused with its position."""
        with pytest.raises(DocumentError) as info:
            Document.from_markdown("a\nb\x00c")
        assert str(info.value) == (
            "markdown must not contain NUL characters (got one at line 2, column 2)"
        )

    def test_lone_surrogate(self) -> None:
        """A lone surrogate is refused with its position."""
        with pytest.raises(DocumentError) as info:
            Document.from_markdown("ab\udc80")
        assert str(info.value) == (
            "markdown must be valid Unicode (got a lone surrogate '\\udc80' at line 1, column 3)"
        )

    def test_max_size(self) -> None:
        """Input over `max_size` bytes of UTF-8 is refused; at the limit it is accepted."""
        assert Document.from_markdown("ää", max_size=4).text == "ää"
        with pytest.raises(DocumentError) as info:
            Document.from_markdown("äää", max_size=4)
        assert str(info.value) == "markdown must be at most 4 bytes of UTF-8 (got 6)"

    def test_default_max_size_is_10_mb(self) -> None:
        """The default limit is 10 MB."""
        with pytest.raises(DocumentError, match="at most 10000000 bytes"):
            Document.from_markdown("x" * 10_000_001)

    @pytest.mark.parametrize(
        "markdown",
        [
            pytest.param("> " * 10_000 + "tief", id="quotes"),
            pytest.param("- " * 10_000 + "tief", id="bullets"),
            pytest.param("1. " * 10_000 + "tief", id="ordered"),
            pytest.param("> - " * 5_000 + "tief", id="mixed"),
            pytest.param("".join(" " * (2 * i) + "- x\n" for i in range(1_000)), id="lines"),
            pytest.param(">" * 10_000 + "\n", id="bare-quotes"),
        ],
    )
    def test_deep_nesting_refused_quickly(self, markdown: str) -> None:
        """Nesting 10,000 deep (1,000 on indented lines) is refused within a second."""
        started = time.perf_counter()
        with pytest.raises(DocumentError) as info:
            Document.from_markdown(markdown)
        assert time.perf_counter() - started < 1.0
        assert "must not nest block quotes and lists deeper than 64 levels" in str(info.value)

    def test_moderate_nesting_keeps_all_text(self) -> None:
        """Nesting within the limit keeps every word (nothing is dropped silently)."""
        doc = Document.from_markdown("> " * 30 + "tief")
        assert doc.text == "tief"
        assert doc.blocks[0].depth == 30

    def test_empty_document(self) -> None:
        """An empty document is valid and has no blocks."""
        doc = Document.from_markdown("")
        assert doc.blocks == ()
        assert doc.text == ""
        assert doc.sections == ()
        assert doc == Document.empty()
        assert doc.to_markdown() == ""

    def test_errors_are_value_errors(self) -> None:
        """DocumentError is both a LeitlinienError and a ValueError."""
        assert issubclass(DocumentError, ll.LeitlinienError)
        assert issubclass(DocumentError, ValueError)
        assert issubclass(SerializationError, ValueError)


class TestExamples:
    @pytest.mark.parametrize("version", ["v1", "v2"])
    def test_load(self, version: str) -> None:
        """Both bundled versions load: about 8 sections and 40 to 60 blocks."""
        doc = examples.load(version)
        assert doc.title == "Leitlinien für Bürgerbeteiligung der Stadt Lindenau"
        assert 40 <= len(doc.blocks) <= 60
        assert 7 <= len([s for s in doc.sections if s.level == 2]) <= 10
        assert doc == Document.from_markdown(examples.markdown(version))

    def test_versions_differ(self) -> None:
        """Version 2 is a revision: some blocks kept, some new."""
        v1, v2 = examples.load("v1"), examples.load("v2")
        old, new = {b.id for b in v1.blocks}, {b.id for b in v2.blocks}
        assert old & new
        assert new - old
        assert old - new

    def test_unknown_version(self) -> None:
        """An unknown version name is a DocumentError listing the known ones."""
        with pytest.raises(DocumentError) as info:
            examples.load("v3")
        assert str(info.value) == "version must be one of ['v1', 'v2'] (got 'v3')"


class TestCommandLine:
    def test_python_m_prints_outline(self) -> None:
        """`python -m leitlinien` prints the bundled example's outline and exits 0."""
        result = subprocess.run(
            [sys.executable, "-m", "leitlinien"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == examples.load("v1").outline()
        lines = result.stdout.splitlines()
        assert lines[0] == "Leitlinien für Bürgerbeteiligung der Stadt Lindenau"
        assert "  1 Präambel" in lines
        block = examples.load("v1").blocks[2]
        assert any(line.split()[:2] == [block.id, block.kind.value] for line in lines)
