"""W3C Web Annotation import: sample exports of real clients, containers, and errors."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import leitlinien as ll
from leitlinien import interop

DATA = Path(__file__).parent / "data" / "annotations"
MD = """# Leitlinien für Bürgerbeteiligung 🏛️

Die Stadt 😀 beteiligt ihre Einwohnerinnen und Einwohner frühzeitig an wichtigen Vorhaben.

Alle Unterlagen 📄 werden in verständlicher Sprache veröffentlicht.

- Jeder Beitrag wird gelesen 👀 und beantwortet.
"""
DOC = ll.Document.from_markdown(MD)


def sample(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def exact(item: interop.ImportedAnnotation) -> str:
    assert item.anchor is not None
    return item.anchor.exact


def test_sample_block_ids_match_the_document() -> None:
    """The hand-written samples name the blocks of the test document (guards the fixtures)."""
    assert [b.id for b in DOC.blocks] == [
        "h-5798b911fa",
        "p-3cb2282daf",
        "p-44839bdac0",
        "l-8c8849b220",
    ]


class TestApacheAnnotatorSample:
    def test_imports_each_annotation_with_code_point_offsets(self) -> None:
        """Css refined by code-point positions, a quote with a page position, a Css quote."""
        items = interop.from_web_annotations(sample("apache-annotator.json"), DOC, version=1)
        assert [exact(i) for i in items] == ["frühzeitig", "verständlicher Sprache", "beantwortet"]
        assert [i.selector for i in items] == [
            "CssSelector+TextPositionSelector",
            "TextQuoteSelector",
            "CssSelector+TextQuoteSelector",
        ]
        assert [i.selector_path for i in items] == [
            "items[0].target.selector",
            "items[1].target.selector[0]",
            "items[2].target.selector",
        ]
        assert items[0].unit == "code-point"

    def test_comment_fields(self) -> None:
        """Ids, kinds, bodies, authors (never contact data) and dates come from the annotation."""
        first, second, third = (
            i.comment
            for i in interop.from_web_annotations(sample("apache-annotator.json"), DOC, version=1)
        )
        assert first is not None
        assert second is not None
        assert third is not None
        assert first.id == "urn:uuid:6f1c0f8e-2b7a-4c8e-9a53-0d7a1e3f5b21"
        assert first.kind is ll.CommentKind.QUESTION
        assert first.body == "Was heißt frühzeitig konkret? Vor dem Ratsbeschluss?"
        assert first.author == ll.Author("https://beteiligung.example.de/users/7", "B. Weber")
        assert first.created_at == dt.datetime(2024, 3, 11, 8, 30, tzinfo=dt.UTC)
        assert (first.version, first.channel) == (1, ll.Channel.ONLINE)
        assert second.body == "Bitte auch in Leichter Sprache 👍"
        assert second.author == ll.Author("https://beteiligung.example.de/users/12", "lotte")
        assert "lotte@example.org" not in repr(second)
        assert third.author == ll.Author("anonymous")
        assert third.kind is ll.CommentKind.COMMENT

    def test_the_same_offsets_read_as_utf16_are_rejected_for_their_quote(self) -> None:
        """Declared UTF-16, the code-point offsets of the first item would be wrong: with a quote
        added, the other unit is tried and the true passage found."""
        data = sample("apache-annotator.json")
        data[0]["target"]["selector"]["refinedBy"] = [
            data[0]["target"]["selector"]["refinedBy"],
            {"type": "TextQuoteSelector", "exact": "frühzeitig"},
        ]
        (item,) = interop.from_web_annotations(data[:1], DOC, version=1, unit="utf-16")
        assert (exact(item), item.unit) == ("frühzeitig", "code-point")


class TestHypothesisSample:
    @pytest.mark.parametrize("unit", [None, "utf-16"])
    def test_utf16_position_resolves_and_xpath_range_is_skipped(self, unit: Any) -> None:
        """The UTF-16 TextPositionSelector resolves (checked by the quote); XPath is ignored."""
        (item,) = interop.from_web_annotations(sample("hypothesis.json"), DOC, version=1, unit=unit)
        assert exact(item) == "Einwohnerinnen und Einwohner"
        assert (item.selector, item.unit) == ("TextPositionSelector", "utf-16")
        assert item.selector_path == "target[0].selector[1]"
        assert item.path == ""

    def test_comment_fields_from_the_api_format(self) -> None:
        """Body from `text`, author from `user` and `user_info`, aware `created`."""
        (item,) = interop.from_web_annotations(
            sample("hypothesis.json"), DOC, version=1, channel="other"
        )
        c = item.comment
        assert c is not None
        assert c.id == "Kx3kQ0gEEe-7Wz9Y2bV1pA"
        assert c.body == "Auch wer hier nur arbeitet oder lernt, sollte gemeint sein."
        assert c.author == ll.Author("acct:anna_k@hypothes.is", "Anna K.")
        assert c.created_at == dt.datetime(2024, 3, 12, 9, 15, 42, 118000, tzinfo=dt.UTC)
        assert c.channel is ll.Channel.OTHER
        assert item.annotation["tags"] == ["Beteiligung", "Zielgruppen"]

    def test_search_result_rows_with_a_reply(self) -> None:
        """A page-relative position falls back to the quote; a reply follows `references`."""
        first, reply = interop.from_web_annotations(
            sample("hypothesis-search.json"), DOC, version=1
        )
        assert (exact(first), first.selector) == ("wichtigen", "TextQuoteSelector")
        assert first.anchor == ll.Anchor.from_quote(DOC, "wichtigen")
        assert reply.comment is not None
        assert reply.anchor is None
        assert reply.comment.parent_id == "Qm8pV2gFEe-1aB2cD3eF4g"
        assert reply.comment.author == ll.Author("acct:carla@hypothes.is")
        assert [first.path, reply.path] == ["rows[0]", "rows[1]"]


class TestCollectionSample:
    def test_collection_with_embedded_page(self) -> None:
        """Amendment, whole block, range across blocks and a reply, all in UTF-16."""
        items = interop.from_web_annotations(sample("collection.json"), DOC, version=1)
        comments = [i.comment for i in items]
        assert [c.id for c in comments if c] == ["k-1", "k-2", "k-3", "k-4"]
        amendment, whole, across, reply = items
        assert amendment.comment is not None
        assert amendment.comment.kind is ll.CommentKind.AMENDMENT
        assert amendment.comment.body == "Klarer sagen, was gemeint ist."
        assert amendment.comment.proposal == "Leichter und verständlicher Sprache"
        assert (exact(amendment), amendment.selector, amendment.unit) == (
            "verständlicher Sprache",
            "FragmentSelector+TextPositionSelector",
            "utf-16",
        )
        assert whole.anchor == ll.Anchor.for_block(DOC, "h-5798b911fa")
        assert across.anchor == ll.Anchor.from_range(DOC, 93, 143)
        assert across.selector == "RangeSelector"
        assert reply.comment is not None
        assert reply.comment.parent_id == "k-1"
        assert reply.comment.body == "Ja, und bitte auch als Audio."
        assert whole.comment is not None
        assert whole.comment.author == ll.Author("moderation-ws1", "Werkstatt 21. März")

    def test_page_and_list_give_the_same_comments(self) -> None:
        """An AnnotationPage alone and a plain list of its items import the same."""
        page = sample("collection.json")["first"]
        from_page = interop.from_web_annotations(page, DOC, version=1)
        from_list = interop.from_web_annotations(page["items"], DOC, version=1)
        assert [i.comment for i in from_page] == [i.comment for i in from_list]
        assert [i.path for i in from_list][:2] == ["items[0]", "items[1]"]


def hypothesis_list() -> list[dict[str, Any]]:
    one = sample("hypothesis.json")
    two = copy.deepcopy(one)
    two["id"] = "second"
    three = copy.deepcopy(one)
    three["id"] = "third"
    return [one, two, three]


class TestErrors:
    def test_missing_created_names_the_path(self) -> None:
        """`created` is required: its absence is reported at `items[2].created`."""
        data = hypothesis_list()
        del data[2]["created"]
        with pytest.raises(ll.SerializationError, match=r"^items\[2\]\.created is missing$"):
            interop.from_web_annotations(data, DOC, version=1)

    def test_naive_created_is_refused(self) -> None:
        """A `created` without a UTC offset is ambiguous and refused."""
        data = hypothesis_list()
        data[1]["created"] = "2024-03-12T09:15:42"
        with pytest.raises(
            ll.SerializationError, match=r"items\[1\]\.created must carry a UTC offset"
        ) as e:
            interop.from_web_annotations(data, DOC, version=1)
        assert e.value.field == "items[1].created"

    def test_unresolvable_annotation_names_its_target(self) -> None:
        """An annotation whose selectors fit nowhere is an AnchorError, never dropped."""
        data = hypothesis_list()
        data[1]["target"][0]["selector"][2]["exact"] = "Sätze, die es nicht gibt"
        with pytest.raises(ll.AnchorError, match=r"^items\[1\]\.target: no selector resolves") as e:
            interop.from_web_annotations(data, DOC, version=1)
        assert e.value.field == "items[1].target"
        assert "exact must occur in the document" in str(e.value)

    def test_non_strict_returns_it_unanchored_with_a_reason(self) -> None:
        """With strict=False nothing is lost: the comment comes back without a passage."""
        data = hypothesis_list()
        data[1]["target"][0]["selector"][2]["exact"] = "Sätze, die es nicht gibt"
        items = interop.from_web_annotations(data, DOC, version=1, strict=False)
        assert len(items) == 3
        assert [i.resolved for i in items] == [True, False, True]
        assert items[1].comment is not None
        assert items[1].comment.anchor is None
        assert items[1].quote == "Sätze, die es nicht gibt"
        assert items[1].reason.startswith("items[1].target: no selector resolves")

    def test_unresolved_amendment_keeps_its_annotation(self) -> None:
        """An amendment cannot exist without its passage: comment None, annotation kept."""
        data = sample("collection.json")
        item = data["first"]["items"][0]
        item["target"]["selector"] = [{"type": "TextQuoteSelector", "exact": "gibt es nicht"}]
        items = interop.from_web_annotations(data, DOC, version=1, strict=False)
        assert items[0].comment is None
        assert not items[0].resolved
        assert items[0].annotation["id"] == "urn:leitlinien:comment:k-1"

    def test_xpath_range_alone_does_not_resolve(self) -> None:
        """Only an XPath RangeSelector: nothing usable, reported, not guessed."""
        data = hypothesis_list()[:1]
        data[0]["target"][0]["selector"] = data[0]["target"][0]["selector"][:1]
        with pytest.raises(ll.AnchorError, match=r"no usable selector"):
            interop.from_web_annotations(data, DOC, version=1)

    def test_duplicate_ids(self) -> None:
        """Two annotations with one id would make two comments with one id: refused."""
        data = hypothesis_list()
        data[2]["id"] = data[0]["id"]
        with pytest.raises(
            ll.SerializationError, match=r"items\[2\]\.id must be unique .* at items\[0\]"
        ):
            interop.from_web_annotations(data, DOC, version=1)

    def test_collection_without_embedded_page_or_with_missing_items(self) -> None:
        """A page given only by IRI, or a total larger than what is embedded, is refused."""
        data = sample("collection.json")
        data["total"] = 9
        with pytest.raises(ll.SerializationError, match=r"total must equal .* \(4\) \(got 9\)"):
            interop.from_web_annotations(data, DOC, version=1)
        data["first"] = "https://beteiligung.example.de/leitlinien/v1/annotations?page=0"
        with pytest.raises(
            ll.SerializationError, match=r"first must be an embedded AnnotationPage"
        ):
            interop.from_web_annotations(data, DOC, version=1)
        page = sample("collection.json")["first"]
        page["next"] = "https://beteiligung.example.de/leitlinien/v1/annotations?page=1"
        with pytest.raises(
            ll.SerializationError, match=r"^next must be an embedded AnnotationPage"
        ):
            interop.from_web_annotations(page, DOC, version=1)

    def test_bad_unit_and_channel(self) -> None:
        """Unknown units (argument or declared) and channels are refused with the value."""
        with pytest.raises(ll.SerializationError, match=r"unit must be one of .* \(got 'bytes'\)"):
            interop.from_web_annotations([], DOC, version=1, unit="bytes")  # type: ignore[arg-type]
        with pytest.raises(ll.SerializationError, match=r"channel must be one of .* \(got 'fax'\)"):
            interop.from_web_annotations([], DOC, version=1, channel="fax")
        data = hypothesis_list()
        data[0]["offsetUnit"] = "bytes"
        with pytest.raises(ll.SerializationError, match=r"items\[0\]\.offsetUnit must be one of"):
            interop.from_web_annotations(data, DOC, version=1)

    def test_editing_without_proposal_and_assessing_without_parent(self) -> None:
        """Kinds that need more than the annotation gives are refused at the right field."""
        data = sample("collection.json")["first"]["items"]
        amendment = copy.deepcopy(data[0])
        amendment["body"] = amendment["body"][:1]
        with pytest.raises(ll.SerializationError, match=r"^items\[0\]\.body: proposal must hold"):
            interop.from_web_annotations([amendment], DOC, version=1)
        support = copy.deepcopy(data[1])
        support["motivation"] = "assessing"
        with pytest.raises(
            ll.SerializationError, match=r"^items\[0\]\.target: parent_id must name"
        ):
            interop.from_web_annotations([support], DOC, version=1)

    def test_mailto_creator_is_not_kept_as_contact_data(self) -> None:
        """A creator identified by e-mail address gets an opaque hash instead."""
        data = hypothesis_list()[:1]
        del data[0]["user"]
        data[0]["creator"] = {"id": "mailto:anna@example.org", "name": "Anna"}
        (item,) = interop.from_web_annotations(data, DOC, version=1)
        assert item.comment is not None
        assert item.comment.author.id.startswith("sha1:")
        assert "anna@example.org" not in item.comment.author.id

    def test_annotation_without_id_gets_a_stable_one(self) -> None:
        """No id: a deterministic one derived from the content, the same on every import."""
        data = hypothesis_list()[:1]
        del data[0]["id"]
        first = interop.from_web_annotations(data, DOC, version=1)[0].comment
        second = interop.from_web_annotations(copy.deepcopy(data), DOC, version=1)[0].comment
        assert first is not None
        assert second is not None
        assert first.id == second.id
        assert first.id.startswith("sha1:")
