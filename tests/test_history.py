"""`History`: publishing versions, block lineage across versions, JSON."""

from __future__ import annotations

import datetime as dt
import pickle
from zoneinfo import ZoneInfo

import pytest

import leitlinien as ll

BERLIN = ZoneInfo("Europe/Berlin")
A = "Die Stadt beteiligt ihre Einwohnerinnen und Einwohner frühzeitig an wichtigen Vorhaben."
B = "Alle Unterlagen werden in verständlicher Sprache und rechtzeitig veröffentlicht."
C = "Jeder Beitrag wird gelesen, gewogen und beantwortet, auch wenn er abgelehnt wird."
D = "Workshops finden zu unterschiedlichen Tageszeiten an gut erreichbaren Orten statt."


def at(day: int) -> dt.datetime:
    return dt.datetime(2024, 3, day, 9, 0, tzinfo=BERLIN)


def md(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


def ids(version: ll.Version) -> list[str]:
    return [b.id for b in version.document.blocks]


class TestPublish:
    def test_versions_are_numbered_and_kept(self) -> None:
        """Versions are numbered 1, 2, ... and keep label, time, note and document."""
        h = ll.History()
        v1 = h.publish(md(A, B), label="Entwurf", published_at=at(8), note="zur Beteiligung")
        v2 = h.publish(md(A, B, C), label="Fassung 2", published_at=at(29))
        assert [v.number for v in h.versions] == [1, 2]
        assert (v1.label, v1.note, v1.published_at) == ("Entwurf", "zur Beteiligung", at(8))
        assert h.latest is v2
        assert h.version(1) is v1

    def test_naive_and_backwards_times_are_rejected(self) -> None:
        """A naive datetime or one before the previous version raises HistoryError."""
        h = ll.History()
        with pytest.raises(ll.HistoryError, match="published_at must be timezone-aware"):
            h.publish(md(A), label="x", published_at=dt.datetime(2024, 3, 8))
        h.publish(md(A), label="x", published_at=at(10))
        with pytest.raises(ll.HistoryError, match="must not be before version 1"):
            h.publish(md(A, B), label="y", published_at=at(9))
        assert len(h) == 1

    def test_unknown_version_number(self) -> None:
        """Asking for a version that does not exist raises HistoryError naming the range."""
        h = ll.History()
        h.publish(md(A), label="x", published_at=at(8))
        with pytest.raises(ll.HistoryError, match=r"version must be between 1 and 1 \(got 2\)"):
            h.version(2)

    def test_bad_source_type(self) -> None:
        """Publishing something that is neither Markdown nor a Document is a DocumentError."""
        with pytest.raises(ll.DocumentError, match="source must be Markdown"):
            ll.History().publish(b"x", label="x", published_at=at(8))  # type: ignore[arg-type]


class TestLineage:
    def test_ids_survive_edits_and_moves(self) -> None:
        """Unchanged, edited and moved blocks keep their ids; new ones get fresh ids."""
        h = ll.History()
        v1 = h.publish(md(A, B, C, D), label="1", published_at=at(8))
        v2 = h.publish(
            md(B.replace("rechtzeitig", "pünktlich"), C, D, A, "Ein ganz neuer Absatz."),
            label="2",
            published_at=at(29),
        )
        a, b, c, d = ids(v1)
        assert ids(v2)[:4] == [b, c, d, a]
        new_id = ids(v2)[4]
        assert new_id not in ids(v1)
        kinds = {s.new_ids: s.kind for s in h.steps(2)}
        assert kinds[(b,)] == "edited"
        assert kinds[(new_id,)] == "created"

    def test_split_keeps_id_on_larger_part(self) -> None:
        """A split keeps the id on the part holding most of the old text."""
        h = ll.History()
        v1 = h.publish(md(f"{A} {B} {C}", D), label="1", published_at=at(8))
        v2 = h.publish(md(f"{A} {B}", C, D), label="2", published_at=at(9))
        old_id = ids(v1)[0]
        assert ids(v2)[0] == old_id
        other = ids(v2)[1]
        assert other != old_id
        (step,) = [s for s in h.lineage(other).steps if s.version == 2]
        assert (step.kind, step.old_ids) == ("split", (old_id,))

    def test_merge_keeps_id_of_largest_source(self) -> None:
        """A merge keeps the id of its largest source and records the others."""
        h = ll.History()
        short = "Ihre Sitzungen sind öffentlich."
        v1 = h.publish(md(A, short, D), label="1", published_at=at(8))
        v2 = h.publish(md(f"{A} {short}", D), label="2", published_at=at(9))
        a_id, short_id, _ = ids(v1)
        assert ids(v2)[0] == a_id
        lineage = h.lineage(short_id)
        assert lineage.versions == (1,)
        assert lineage.steps[-1].kind == "merged"
        assert lineage.steps[-1].new_ids == (a_id,)

    def test_new_ids_never_reuse_an_earlier_id(self) -> None:
        """A block deleted and later re-added gets an id no earlier version used."""
        h = ll.History()
        v1 = h.publish(md(A, B), label="1", published_at=at(8))
        h.publish(md(A), label="2", published_at=at(9))
        v3 = h.publish(md(A, B), label="3", published_at=at(10))
        assert ids(v3)[1] != ids(v1)[1]
        assert ids(v3)[1] not in {i for v in h.versions[:2] for i in ids(v)}

    def test_lineage_across_three_versions(self) -> None:
        """lineage() tells where a block came from and where it went."""
        h = ll.History()
        v1 = h.publish(md(A, B, C), label="1", published_at=at(8))
        h.publish(md(A, B.replace("Alle", "Sämtliche"), C), label="2", published_at=at(9))
        h.publish(md(A, C), label="3", published_at=at(10))
        b_id = ids(v1)[1]
        lineage = h.lineage(b_id)
        assert lineage.versions == (1, 2)
        assert [s.kind for s in lineage.steps] == ["created", "edited", "deleted"]
        with pytest.raises(ll.HistoryError, match="block_id must name a block"):
            h.lineage("p-nope")

    def test_ids_are_written_into_the_markdown(self) -> None:
        """A version's Markdown pins carried ids, so parsing it again gives the same document."""
        h = ll.History()
        h.publish(md(A, B), label="1", published_at=at(8))
        v2 = h.publish(md(A, B.replace("Alle", "Sämtliche")), label="2", published_at=at(9))
        assert "<!-- id: " in v2.document.to_markdown()
        assert ll.Document.from_markdown(v2.document.to_markdown()) == v2.document

    def test_non_adjacent_diff(self) -> None:
        """history.diff works for any two versions, also backwards."""
        h = ll.History()
        h.publish(md(A, B, C), label="1", published_at=at(8))
        h.publish(md(A, C), label="2", published_at=at(9))
        h.publish(md(A, C, D), label="3", published_at=at(10))
        d13 = h.diff(1, 3)
        assert sorted(c.kind.value for c in d13.changes) == [
            "deleted",
            "inserted",
            "unchanged",
            "unchanged",
        ]
        assert h.diff(3, 1).apply() == h.version(1).document.text


class TestJson:
    def test_round_trip(self) -> None:
        """to_dict/from_dict restores versions, documents and lineage."""
        h = ll.History()
        h.publish(md(A, B, C), label="1", published_at=at(8), note="n")
        h.publish(md(f"{A} {B}", C, D), label="2", published_at=at(9))
        again = ll.History.from_dict(h.to_dict())
        assert [v.document for v in again.versions] == [v.document for v in h.versions]
        assert [v.published_at for v in again.versions] == [v.published_at for v in h.versions]
        assert again.steps(2) == h.steps(2)
        assert pickle.loads(pickle.dumps(ll.HistoryError("m", field="f", value=1))).field == "f"

    @pytest.mark.parametrize(
        ("mutate", "path"),
        [
            (lambda d: d.__setitem__("version", 99), "version"),
            (
                lambda d: d["versions"][0].__setitem__("published_at", "2024-03-08"),
                "versions[0].published_at",
            ),
            (lambda d: d["versions"][1].__setitem__("number", 5), "versions[1].number"),
            (
                lambda d: d["versions"][0]["lineage"][0].__setitem__("kind", "vanished"),
                "versions[0].lineage[0].kind",
            ),
            (
                lambda d: d["versions"][0]["document"]["blocks"][1].__setitem__("id", "p-x"),
                "versions[0].document.blocks[1].id",
            ),
        ],
    )
    def test_bad_fields_are_named(self, mutate: object, path: str) -> None:
        """A malformed dict raises SerializationError naming the bad field's path."""
        h = ll.History()
        h.publish(md(A, B), label="1", published_at=at(8))
        h.publish(md(A, B, C), label="2", published_at=at(9))
        data = h.to_dict()
        mutate(data)  # type: ignore[operator]
        with pytest.raises(ll.SerializationError) as info:
            ll.History.from_dict(data)
        assert info.value.field == path
