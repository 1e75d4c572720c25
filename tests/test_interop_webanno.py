"""W3C Web Annotation export, and round trips export -> import that give back equal comments."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import leitlinien as ll
from leitlinien import interop
from leitlinien.interop import OffsetUnit
from leitlinien.testing import documents, ranges

SOURCE = "https://beteiligung.example.de/leitlinien/v1"
MD = """# Leitlinien für Bürgerbeteiligung 🏛️

Die Stadt 😀 beteiligt ihre Einwohnerinnen und Einwohner frühzeitig an wichtigen Vorhaben.

Alle Unterlagen 📄 werden in verständlicher Sprache veröffentlicht.

- Jeder Beitrag wird gelesen 👀 und beantwortet.
"""
DOC = ll.Document.from_markdown(MD)
HEADING, P1, P2, ITEM = (b.id for b in DOC.blocks)
UNITS: list[OffsetUnit] = ["code-point", "utf-16"]
CREATED = dt.datetime(2024, 3, 11, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def comment(cid: str, anchor: ll.Anchor | None, **kw: Any) -> ll.Comment:
    fields: dict[str, Any] = {
        "id": cid,
        "author": ll.Author("r-" + cid, "Anna K."),
        "channel": "online",
        "kind": "comment",
        "body": "Bitte genauer 👍",
        "created_at": CREATED,
        "version": 1,
        "anchor": anchor,
    }
    fields.update(kw)
    return ll.Comment(**fields)


def span(quote: str) -> ll.Anchor:
    return ll.Anchor.from_quote(DOC, quote)


def selectors(annotation: dict[str, Any]) -> list[dict[str, Any]]:
    target = annotation["target"]
    return list(target["selector"])


def quotes(selector_list: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every TextQuoteSelector, refinements and range ends included."""
    for s in selector_list:
        if s["type"] == "TextQuoteSelector":
            yield s
        for key in ("refinedBy", "startSelector", "endSelector"):
            if key in s:
                yield from quotes([s[key]])


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class TestExportShape:
    def test_annotation_properties(self) -> None:
        """Context with the unit term, urn id, motivation, ISO created, creator, text body."""
        ann = interop.to_web_annotation(comment("c1", span("beteiligt")), DOC, source=SOURCE)
        assert ann["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
        assert ann["@context"][1]["offsetUnit"] == "ll:offsetUnit"
        assert ann["offsetUnit"] == "code-point"
        assert ann["id"] == "urn:leitlinien:comment:c1"
        assert ann["type"] == "Annotation"
        assert ann["motivation"] == "commenting"
        assert ann["created"] == "2024-03-11T09:30:00+01:00"
        assert ann["creator"] == {"id": "urn:leitlinien:author:r-c1", "name": "Anna K."}
        assert ann["body"] == {
            "type": "TextualBody",
            "value": "Bitte genauer 👍",
            "format": "text/plain",
            "language": "de",
            "purpose": "commenting",
        }
        assert ann["target"]["source"] == SOURCE
        json.dumps(ann)  # JSON-ready

    def test_base_id_and_language(self) -> None:
        """A base IRI replaces the urn; the body language can be set."""
        ann = interop.to_web_annotation(
            comment("c 1", None),
            DOC,
            source=SOURCE,
            base="https://beteiligung.example.de/a/",
            language="en",
        )
        assert ann["id"] == "https://beteiligung.example.de/a/c%201"
        assert ann["body"]["language"] == "en"

    @pytest.mark.parametrize(
        ("unit", "in_block", "in_doc"),
        [("code-point", (27, 55), (64, 92)), ("utf-16", (28, 56), (66, 94))],
    )
    def test_selectors_of_a_passage_in_one_block(
        self, unit: OffsetUnit, in_block: tuple[int, int], in_doc: tuple[int, int]
    ) -> None:
        """Fragment and Css selectors refined by position or quote, then document-wide ones."""
        anchor = span("Einwohnerinnen und Einwohner")
        ann = interop.to_web_annotation(comment("c1", anchor), DOC, source=SOURCE, unit=unit)
        position = {"type": "TextPositionSelector", "start": in_block[0], "end": in_block[1]}
        quote = {
            "type": "TextQuoteSelector",
            "exact": "Einwohnerinnen und Einwohner",
            "prefix": "Die Stadt 😀 beteiligt ihre ",
            "suffix": " frühzeitig an wichtigen Vorhabe",
        }
        fragment = {
            "type": "FragmentSelector",
            "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
            "value": P1,
        }
        css = {"type": "CssSelector", "value": "#" + P1}
        assert selectors(ann) == [
            {**fragment, "refinedBy": position},
            {**fragment, "refinedBy": quote},
            {**css, "refinedBy": position},
            {**css, "refinedBy": quote},
            quote,
            {"type": "TextPositionSelector", "start": in_doc[0], "end": in_doc[1]},
        ]
        assert ann["offsetUnit"] == unit

    def test_passage_across_blocks_is_a_range_of_block_scoped_ends(self) -> None:
        """Two RangeSelectors (Fragment and Css ends, zero-length positions), then fallbacks."""
        start = DOC.text.index("frühzeitig")
        end = DOC.text.index("Alle Unterlagen") + len("Alle Unterlagen")
        anchor = ll.Anchor.from_range(DOC, start, end)
        ann = interop.to_web_annotation(comment("c1", anchor), DOC, source=SOURCE, unit="utf-16")
        first, second, quote, position = selectors(ann)
        assert first["type"] == second["type"] == "RangeSelector"
        assert first["startSelector"]["value"] == P1
        assert first["startSelector"]["refinedBy"] == {
            "type": "TextPositionSelector",
            "start": 57,
            "end": 57,
        }
        assert first["endSelector"]["value"] == P2
        assert first["endSelector"]["refinedBy"] == {
            "type": "TextPositionSelector",
            "start": 15,
            "end": 15,
        }
        assert (second["startSelector"]["value"], second["endSelector"]["value"]) == (
            "#" + P1,
            "#" + P2,
        )
        assert quote["exact"] == "frühzeitig an wichtigen Vorhaben.\n\nAlle Unterlagen"
        assert (quote["prefix"], quote["suffix"]) == (anchor.prefix, anchor.suffix)
        assert position == {"type": "TextPositionSelector", "start": 95, "end": 145}

    def test_whole_block_is_an_unrefined_block_selector(self) -> None:
        """A comment on a paragraph names the element, then falls back to quote and position."""
        ann = interop.to_web_annotation(
            comment("c1", ll.Anchor.for_block(DOC, P2)), DOC, source=SOURCE
        )
        fragment, css, quote, position = selectors(ann)
        assert "refinedBy" not in fragment
        assert "refinedBy" not in css
        assert (fragment["value"], css["value"]) == (P2, "#" + P2)
        assert (quote["exact"], quote["prefix"], quote["suffix"]) == (DOC.block(P2).text, "", "")
        assert position["start"] == DOC.block(P2).start

    def test_amendment_and_insertion_point(self) -> None:
        """An amendment is 'editing' with its proposal as an editing body; an insertion point
        has positions only (no empty quote)."""
        at = DOC.text.index(" veröffentlicht")
        point = ll.Anchor.from_range(DOC, at, at, insertion_point=True)
        c = comment("c1", point, kind="amendment", proposal=" und erklärt")
        ann = interop.to_web_annotation(c, DOC, source=SOURCE)
        assert ann["motivation"] == "editing"
        assert [b["purpose"] for b in ann["body"]] == ["commenting", "editing"]
        assert ann["body"][1]["value"] == " und erklärt"
        assert {s["type"] for s in selectors(ann)} == {
            "FragmentSelector",
            "CssSelector",
            "TextPositionSelector",
        }
        assert list(quotes(selectors(ann))) == []

    def test_reply_and_support_target_their_parent_annotation(self) -> None:
        """A reply is 'replying', a support 'assessing'; both target the parent's annotation id."""
        reply = interop.to_web_annotation(comment("c2", None, parent_id="c1"), DOC, source=SOURCE)
        support = interop.to_web_annotation(
            comment("c3", None, kind="support", body="", parent_id="c1"), DOC, source=SOURCE
        )
        assert (reply["motivation"], reply["target"]) == ("replying", "urn:leitlinien:comment:c1")
        assert (support["motivation"], support["target"]) == (
            "assessing",
            "urn:leitlinien:comment:c1",
        )
        assert "body" not in support

    def test_question_and_document_wide(self) -> None:
        """A question is 'questioning'; without an anchor the target is just the source."""
        ann = interop.to_web_annotation(comment("c1", None, kind="question"), DOC, source=SOURCE)
        assert (ann["motivation"], ann["target"]) == ("questioning", SOURCE)

    def test_block_id_is_css_escaped(self) -> None:
        """An id with '.' or ':' is escaped in the CssSelector, verbatim in the fragment."""
        doc = ll.Document.from_markdown("<!-- id: abs.1:a -->\nDie Stadt beteiligt alle.\n")
        ann = interop.to_web_annotation(
            comment("c1", ll.Anchor.for_block(doc, "abs.1:a")), doc, source=SOURCE
        )
        assert [s["value"] for s in selectors(ann)[:2]] == ["abs.1:a", "#abs\\.1\\:a"]
        assert interop._webanno.css_unescape("abs\\.1\\:a") == "abs.1:a"
        assert interop._webanno.css_escape("1a") == "\\31 a"

    def test_anchor_of_another_version_is_refused(self) -> None:
        """Exporting against a document the anchor does not belong to is an AnchorError."""
        other = ll.Document.from_markdown("Ganz anderer Text.\n")
        with pytest.raises(ll.AnchorError, match=r"comment\.anchor of comment 'c1' must match"):
            interop.to_web_annotation(comment("c1", span("beteiligt")), other, source=SOURCE)

    def test_bad_arguments(self) -> None:
        """An empty source or an unknown unit is refused with the value."""
        with pytest.raises(ll.SerializationError, match=r"source must be a non-empty IRI"):
            interop.to_web_annotation(comment("c1", None), DOC, source="")
        with pytest.raises(ll.SerializationError, match=r"unit must be one of .* \(got 'bytes'\)"):
            interop.to_web_annotation(comment("c1", None), DOC, source=SOURCE, unit="bytes")  # type: ignore[arg-type]


class TestContext:
    @pytest.mark.parametrize("unit", UNITS)
    @pytest.mark.parametrize(
        "quote",
        [
            "Die Stadt",
            "Vorhaben.",
            "Alle Unterlagen 📄 werden in verständlicher Sprache veröffentlicht",
            "👀",
        ],
    )
    def test_prefix_and_suffix_stay_in_the_block_within_32_units(
        self, unit: OffsetUnit, quote: str
    ) -> None:
        """Every quote's context is at most 32 UTF-16 units and never crosses a block edge."""
        anchor = span(quote)
        block = DOC.block(anchor.block_id)
        ann = interop.to_web_annotation(comment("c1", anchor), DOC, source=SOURCE, unit=unit)
        found = list(quotes(selectors(ann)))
        assert len(found) == 3
        for q in found:
            assert utf16_len(q["prefix"]) <= 32
            assert utf16_len(q["suffix"]) <= 32
            assert DOC.text[block.start : anchor.start].endswith(q["prefix"])
            assert DOC.text[anchor.end : block.end].startswith(q["suffix"])
            assert "\n" not in q["prefix"] + q["suffix"]

    @pytest.mark.property
    @given(data=st.data())
    def test_context_property(self, data: st.DataObject) -> None:
        """For any passage of any document, context stays in its blocks within 32 units."""
        doc, anchor = data.draw(passages())
        ann = interop.to_web_annotation(comment("c1", anchor), doc, source=SOURCE, unit="utf-16")
        first, last = doc.block(anchor.block_id), doc.block(anchor.end_block_id)
        for q in quotes(selectors(ann)):
            assert utf16_len(q["prefix"]) <= 32
            assert utf16_len(q["suffix"]) <= 32
            assert doc.text[first.start : anchor.start].endswith(q["prefix"])
            assert doc.text[anchor.end : last.end].startswith(q["suffix"])


@st.composite
def passages(draw: st.DrawFn) -> tuple[ll.Document, ll.Anchor]:
    """A generated document and a non-empty passage of it."""
    doc = draw(documents(min_blocks=1).filter(lambda d: any(b.text for b in d.blocks)))
    start, end = draw(ranges(doc, min_size=1))
    try:
        return doc, ll.Anchor.from_range(doc, start, end)
    except ll.AnchorError:  # only a separator: no passage
        assume(False)
        raise


def round_trip(
    c: ll.Comment, unit: OffsetUnit, doc: ll.Document = DOC
) -> interop.ImportedAnnotation:
    ann = interop.to_web_annotation(c, doc, source=SOURCE, unit=unit)
    (imported,) = interop.from_web_annotations(json.loads(json.dumps(ann)), doc, version=1)
    return imported


def between(a: str, b: str) -> ll.Anchor:
    return ll.Anchor.from_range(DOC, DOC.text.index(a), DOC.text.index(b) + len(b))


CASES: dict[str, tuple[Callable[[], ll.Anchor], dict[str, Any]]] = {
    "emoji before the passage": (lambda: span("Einwohnerinnen und Einwohner"), {}),
    "emoji inside the passage": (lambda: span("Unterlagen 📄 werden"), {}),
    "emoji alone": (lambda: span("👀"), {}),
    "heading with emoji": (lambda: span("Bürgerbeteiligung 🏛️"), {}),
    "across blocks": (lambda: between("frühzeitig", "Alle Unterlagen 📄"), {}),
    "across three blocks": (lambda: between("😀 beteiligt", "Jeder Beitrag"), {}),
    "whole block": (lambda: ll.Anchor.for_block(DOC, ITEM), {}),
    "whole heading": (lambda: ll.Anchor.for_block(DOC, HEADING), {}),
    "amendment": (lambda: span("verständlicher"), {"kind": "amendment", "proposal": "leichter"}),
    "insertion point": (
        lambda: ll.Anchor.from_range(
            DOC, DOC.text.index(" und beant"), DOC.text.index(" und beant"), insertion_point=True
        ),
        {"kind": "amendment", "proposal": ", veröffentlicht"},
    ),
    "insertion at block end": (
        lambda: ll.Anchor.from_range(
            DOC, DOC.block(P1).end, DOC.block(P1).end, insertion_point=True
        ),
        {"kind": "amendment", "proposal": " Auch online."},
    ),
    "question": (lambda: span("wichtigen"), {"kind": "question"}),
}


class TestRoundTrip:
    @pytest.mark.parametrize("unit", UNITS)
    @pytest.mark.parametrize("case", list(CASES))
    def test_gives_back_the_equal_comment_from_block_scoped_selectors(
        self, unit: OffsetUnit, case: str
    ) -> None:
        """Export then import yields an equal anchor and comment, found by a block selector."""
        make, extra = CASES[case]
        anchor = make()
        original = comment("c1", anchor, **extra)
        imported = round_trip(original, unit)
        assert imported.anchor == anchor
        assert imported.comment == original
        assert imported.selector in {
            "FragmentSelector+TextPositionSelector",
            "FragmentSelector",
            "RangeSelector",
        }
        assert imported.unit == (None if anchor.whole_block else unit)
        assert imported.resolved
        assert imported.reason == ""

    @pytest.mark.parametrize("unit", UNITS)
    def test_document_wide_reply_and_support(self, unit: OffsetUnit) -> None:
        """Comments without a passage come back with their parent and kind."""
        items = [
            comment("c1", None),
            comment("c2", None, parent_id="c1", author=ll.Author("r-2")),
            comment("c3", None, kind="support", body="", parent_id="c1"),
            comment("c4", None, kind="question", parent_id="c1"),
        ]
        coll = interop.to_annotation_collection(items, DOC, source=SOURCE, unit=unit)
        back = interop.from_web_annotations(coll, DOC, version=1)
        assert [i.comment for i in back] == items
        assert [i.anchor for i in back] == [None] * 4

    @pytest.mark.parametrize("unit", UNITS)
    def test_fallback_to_document_wide_position_when_the_block_is_renamed(
        self, unit: OffsetUnit
    ) -> None:
        """With the block id unknown, the document-wide position (checked by the quote) wins."""
        anchor = span("Unterlagen 📄 werden")
        ann = interop.to_web_annotation(comment("c1", anchor), DOC, source=SOURCE, unit=unit)
        text = json.dumps(ann).replace(P2, "p-renamed")
        (imported,) = interop.from_web_annotations(json.loads(text), DOC, version=1)
        assert imported.anchor == anchor
        assert (imported.selector, imported.unit) == ("TextPositionSelector", unit)

    def test_fallback_to_quote_when_positions_are_wrong(self) -> None:
        """With block ids unknown and positions off in both units, the quote resolves it."""
        anchor = span("Unterlagen 📄 werden")
        ann = interop.to_web_annotation(comment("c1", anchor), DOC, source=SOURCE)
        ann["target"]["selector"] = [
            s
            for s in ann["target"]["selector"]
            if s["type"] in ("TextQuoteSelector", "TextPositionSelector")
        ]
        ann["target"]["selector"][1].update(start=3, end=22)
        (imported,) = interop.from_web_annotations(ann, DOC, version=1)
        assert imported.anchor == anchor
        assert (imported.selector, imported.unit) == ("TextQuoteSelector", None)

    def test_mislabelled_unit_is_caught_by_the_quote(self) -> None:
        """UTF-16 offsets declared as code points disagree with the quote and are re-read."""
        anchor = span("verständlicher Sprache")
        ann = interop.to_web_annotation(comment("c1", anchor), DOC, source=SOURCE, unit="utf-16")
        ann["offsetUnit"] = "code-point"
        (imported,) = interop.from_web_annotations(ann, DOC, version=1)
        assert imported.anchor == anchor
        assert imported.unit == "utf-16"

    def test_css_selector_alone_resolves(self) -> None:
        """A client that keeps only the CssSelector still finds the passage, escaped id and all."""
        doc = ll.Document.from_markdown("<!-- id: abs.1 -->\nDie Stadt 😀 beteiligt alle.\n")
        anchor = ll.Anchor.from_quote(doc, "beteiligt")
        ann = interop.to_web_annotation(comment("c1", anchor), doc, source=SOURCE, unit="utf-16")
        ann["target"]["selector"] = [s for s in selectors(ann) if s["type"] == "CssSelector"][:1]
        (imported,) = interop.from_web_annotations(ann, doc, version=1)
        assert imported.anchor == anchor
        assert imported.selector == "CssSelector+TextPositionSelector"

    def test_block_scoped_quote_alone_resolves(self) -> None:
        """A Fragment selector refined by a quote only is searched inside that block."""
        anchor = span("Einwohner frühzeitig")
        ann = interop.to_web_annotation(comment("c1", anchor), DOC, source=SOURCE)
        ann["target"]["selector"] = [selectors(ann)[1]]
        (imported,) = interop.from_web_annotations(ann, DOC, version=1)
        assert imported.anchor == anchor
        assert imported.selector == "FragmentSelector+TextQuoteSelector"

    @pytest.mark.property
    @given(data=st.data(), unit=st.sampled_from(UNITS))
    def test_round_trip_property(self, data: st.DataObject, unit: OffsetUnit) -> None:
        """Any passage of any generated document survives export and import unchanged."""
        doc, anchor = data.draw(passages())
        imported = round_trip(comment("c1", anchor), unit, doc)
        assert imported.anchor == anchor


class TestCarriedAndCollections:
    GONE = "Die Stadt 😀 beteiligt ihre Einwohnerinnen und Einwohner frühzeitig an wichtigen "
    V2 = MD.replace(GONE + "Vorhaben.\n\n", "").replace("Alle Unterlagen", "Alle 🗂️ Unterlagen")

    def carried(self) -> tuple[ll.History, list[ll.CarriedComment]]:
        history = ll.History()
        history.publish(MD, label="Entwurf", published_at=dt.datetime(2024, 3, 8, tzinfo=dt.UTC))
        history.publish(
            self.V2, label="Fassung 2", published_at=dt.datetime(2024, 5, 2, tzinfo=dt.UTC)
        )
        v1 = history.version(1).document
        kept = comment("k", ll.Anchor.from_quote(v1, "verständlicher Sprache"))
        gone = comment("g", ll.Anchor.from_quote(v1, "Einwohnerinnen und Einwohner"))
        return history, ll.carry_forward([kept, gone], history, 2)

    def test_carried_comment_is_exported_where_it_stands_now(self) -> None:
        """A carried passage gets selectors in the new version and its status."""
        history, (kept, _) = self.carried()
        v2 = history.version(2).document
        ann = interop.to_web_annotation(kept.comment, v2, source=SOURCE, unit="utf-16", result=kept)
        assert ann["target"]["anchorStatus"] == kept.status
        (back,) = interop.from_web_annotations(ann, v2, version=2)
        assert back.anchor == kept.anchor
        assert back.anchor is not None
        assert back.anchor.exact == "verständlicher Sprache"

    def test_orphan_keeps_only_its_original_quote(self) -> None:
        """An orphaned comment exports its original quote, no position, and says so."""
        history, (_, gone) = self.carried()
        assert gone.status is ll.AnchorStatus.ORPHANED
        v2 = history.version(2).document
        ann = interop.to_web_annotation(gone.comment, v2, source=SOURCE, result=gone)
        assert ann["target"]["selector"] == [
            {
                "type": "TextQuoteSelector",
                "exact": "Einwohnerinnen und Einwohner",
                "prefix": "Die Stadt 😀 beteiligt ihre ",
                "suffix": " frühzeitig an wichtigen Vorhabe",
            }
        ]
        assert ann["target"]["anchorStatus"] == "orphaned"
        assert ann["target"]["anchorNote"].startswith("orphaned: ")
        (back,) = interop.from_web_annotations(ann, v2, version=2, strict=False)
        assert back.anchor is None
        assert back.comment is not None
        assert back.quote == "Einwohnerinnen und Einwohner"
        assert "no selector resolves" in back.reason

    def test_result_of_another_comment_is_refused(self) -> None:
        """Passing the carried result of a different comment is an error."""
        history, (kept, gone) = self.carried()
        with pytest.raises(
            ll.SerializationError,
            match=r"result must be the CarriedComment of comment 'k' \(got 'g'\)",
        ):
            interop.to_web_annotation(
                kept.comment, history.version(2).document, source=SOURCE, result=gone
            )

    def test_collection_shape_and_round_trip(self) -> None:
        """A collection embeds one page of items without their own context; it imports back."""
        items = [
            comment("c1", span("Einwohnerinnen")),
            comment("c2", ll.Anchor.for_block(DOC, P2)),
            comment("c3", None, parent_id="c1"),
        ]
        coll = interop.to_annotation_collection(
            items, DOC, source=SOURCE, unit="utf-16", label="Fassung 1"
        )
        assert coll["type"] == "AnnotationCollection"
        assert (
            coll["id"]
            == "urn:leitlinien:annotations:https%3A%2F%2Fbeteiligung.example.de%2Fleitlinien%2Fv1"
        )
        assert (coll["label"], coll["total"]) == ("Fassung 1", 3)
        page = coll["first"]
        assert (page["type"], page["startIndex"], page["id"]) == (
            "AnnotationPage",
            0,
            coll["id"] + "#page1",
        )
        assert all("@context" not in item for item in page["items"])
        back = interop.from_web_annotations(coll, DOC, version=1)
        assert [b.comment for b in back] == items
        assert [b.path for b in back] == ["first.items[0]", "first.items[1]", "first.items[2]"]

    def test_collection_names_the_failing_item(self) -> None:
        """An item whose anchor does not fit the document is reported with its index."""
        other = ll.Document.from_markdown("Die Stadt beteiligt.\n")
        items = [comment("c1", None), comment("c2", span("Einwohnerinnen"))]
        with pytest.raises(ll.AnchorError, match=r"^comments\[1\]: comment\.anchor") as e:
            interop.to_annotation_collection(items, other, source=SOURCE)
        assert e.value.field == "comments[1].comment.anchor"
