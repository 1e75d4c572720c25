"""Comments: validation, edits and moderation kept as history, carry_forward over a History."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

import leitlinien as ll

BERLIN = ZoneInfo("Europe/Berlin")
A = "Die Stadt beteiligt ihre Einwohnerinnen und Einwohner frühzeitig an wichtigen Vorhaben."
B = "Alle Unterlagen werden in verständlicher Sprache und rechtzeitig veröffentlicht."
C = "Jeder Beitrag wird gelesen, gewogen und beantwortet, auch wenn er abgelehnt wird."


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2024, 3, day, hour, tzinfo=BERLIN)


def md(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


def comment(cid: str, doc: ll.Document | None, quote: str | None, **kw: object) -> ll.Comment:
    fields: dict[str, object] = {
        "id": cid,
        "author": ll.Author("r-" + cid),
        "channel": "online",
        "kind": "comment",
        "body": "Anmerkung",
        "created_at": at(10),
        "version": 1,
        "anchor": ll.Anchor.from_quote(doc, quote) if doc is not None and quote else None,
    }
    fields.update(kw)
    return ll.Comment(**fields)  # type: ignore[arg-type]


class TestComment:
    def test_kinds_and_channels_are_converted(self) -> None:
        """Plain strings become the enums; unknown ones are rejected."""
        c = comment("c1", None, None, channel="workshop", kind="question")
        assert (c.channel, c.kind) == (ll.Channel.WORKSHOP, ll.CommentKind.QUESTION)
        with pytest.raises(ll.CommentError, match=r"channel must be one of \['online'"):
            comment("c2", None, None, channel="fax")

    def test_naive_time_rejected(self) -> None:
        """created_at must be timezone-aware."""
        with pytest.raises(ll.CommentError, match="created_at must be a timezone-aware"):
            comment("c1", None, None, created_at=dt.datetime(2024, 3, 10))

    def test_amendment_needs_proposal_and_passage(self) -> None:
        """An amendment carries replacement text for a passage; others carry none."""
        d = ll.Document.from_markdown(md(A))
        with pytest.raises(ll.CommentError, match="proposal must hold the replacement text"):
            comment("c1", d, "frühzeitig", kind="amendment")
        with pytest.raises(ll.CommentError, match="anchor must name the passage"):
            comment("c1", None, None, kind="amendment", proposal="x")
        with pytest.raises(ll.CommentError, match="proposal is only for amendments"):
            comment("c1", d, "frühzeitig", proposal="x")
        ok = comment("c1", d, "frühzeitig", kind="amendment", proposal="so früh wie möglich")
        assert ok.proposal == "so früh wie möglich"

    def test_insertion_point_only_for_amendments(self) -> None:
        """An empty passage is an insertion point, allowed for amendments only."""
        d = ll.Document.from_markdown(md(A))
        point = ll.Anchor.from_range(d, 4, 4, insertion_point=True)
        with pytest.raises(ll.CommentError, match="insertion point"):
            comment("c1", None, None, anchor=point)
        assert comment("c2", None, None, anchor=point, kind="amendment", proposal="neu ").anchor

    def test_comment_on_an_empty_block(self) -> None:
        """A whole-block comment on an empty block (an empty heading) is a comment, not an
        insertion point."""
        d = ll.Document.from_markdown("# Titel\n\n#\n\nText.\n")
        empty = next(b for b in d.blocks if not b.text)
        c = comment("c1", None, None, anchor=ll.Anchor.for_block(d, empty.id))
        assert c.anchor is not None
        assert c.anchor.whole_block

    def test_support_needs_parent(self) -> None:
        """A support names the comment it supports."""
        with pytest.raises(ll.CommentError, match="parent_id must name the comment a support"):
            comment("c1", None, None, kind="support")

    def test_edits_and_moderation_keep_history(self) -> None:
        """Editing, hiding and restoring return new comments that keep earlier states."""
        c = comment("c1", None, None, body="erste Fassung")
        edited = c.edited("zweite Fassung", at(11))
        assert edited.body == "zweite Fassung"
        assert [r.body for r in edited.revisions] == ["erste Fassung"]
        hidden = edited.hidden("beleidigend", at(12), by="mod-1")
        assert not hidden.visible
        assert hidden.state is ll.ModerationState.HIDDEN
        restored = hidden.restored(at(13), by="mod-2")
        assert restored.visible
        assert [e.state.value for e in restored.moderation] == ["hidden", "visible"]
        assert c.body == "erste Fassung"
        with pytest.raises(ll.CommentError, match="reason must be a non-empty str"):
            c.hidden("", at(12), by="mod-1")
        withdrawn = c.withdrawn(at(14))
        assert withdrawn.state is ll.ModerationState.WITHDRAWN
        assert withdrawn.moderation[-1].by == c.author.id

    def test_dict_round_trip_and_bad_field(self) -> None:
        """to_dict/from_dict round-trips; a bad field is named by its path."""
        d = ll.Document.from_markdown(md(A, B))
        c = comment("c1", d, "Sprache", channel="letter").edited("neu", at(12))
        c = c.hidden("Spam", at(13), by="mod")
        assert ll.Comment.from_dict(c.to_dict()) == c
        data = c.to_dict()
        data["moderation"][0]["at"] = "gestern"
        with pytest.raises(ll.SerializationError) as info:
            ll.Comment.from_dict(data)
        assert info.value.field == "moderation[0].at"


class TestCarryForward:
    def _history(self) -> ll.History:
        h = ll.History()
        h.publish(md(A, B, C), label="Entwurf", published_at=at(8))
        h.publish(
            md(C, B.replace("rechtzeitig", "pünktlich")), label="Fassung 2", published_at=at(30)
        )
        return h

    def test_every_comment_comes_out_in_order(self) -> None:
        """One result per comment, input order kept, original anchor and version kept."""
        h = self._history()
        d = h.version(1).document
        comments = [
            comment("c1", d, "verständlicher Sprache"),
            comment("c2", d, "frühzeitig"),
            comment("c3", None, None, parent_id="c1", body="Zustimmung"),
            comment("c4", None, None),
            comment("c5", d, "rechtzeitig", kind="amendment", proposal="sofort"),
            comment("c6", None, None, kind="support", parent_id="c2"),
        ]
        carried = ll.carry_forward(comments, h, 2)
        assert [c.comment for c in carried] == comments
        status = {c.comment.id: c.status for c in carried}
        assert status == {
            "c1": ll.AnchorStatus.SHIFTED,
            "c2": ll.AnchorStatus.ORPHANED,
            "c3": ll.AnchorStatus.SHIFTED,
            "c4": None,
            "c5": ll.AnchorStatus.ORPHANED,
            "c6": ll.AnchorStatus.ORPHANED,
        }
        by_id = {c.comment.id: c for c in carried}
        assert by_id["c5"].needs_review
        assert not by_id["c1"].needs_review
        assert by_id["c1"].anchor is not None
        assert by_id["c1"].anchor.exact == "verständlicher Sprache"
        assert by_id["c2"].comment.anchor is not None
        assert by_id["c2"].comment.anchor.exact == "frühzeitig"

    def test_comments_on_the_target_version_stay(self) -> None:
        """A comment made on the target version keeps its anchor as it is."""
        h = self._history()
        d2 = h.version(2).document
        (carried,) = ll.carry_forward([comment("c1", d2, "pünktlich", version=2)], h, 2)
        assert carried.status is ll.AnchorStatus.EXACT
        assert carried.anchor == carried.comment.anchor

    def test_comment_on_a_later_version_is_reported_not_dropped(self) -> None:
        """Carrying to an earlier version keeps later comments, with no status."""
        h = self._history()
        d2 = h.version(2).document
        (carried,) = ll.carry_forward([comment("c1", d2, "pünktlich", version=2)], h, 1)
        assert carried.status is None
        assert "after version 1" in carried.reason

    def test_duplicate_ids_rejected(self) -> None:
        """Two comments with one id are a CommentError naming the second."""
        h = self._history()
        with pytest.raises(ll.CommentError, match=r"comments\[1\]\.id must be unique"):
            ll.carry_forward([comment("c1", None, None), comment("c1", None, None)], h, 2)

    def test_example_comments_carry_with_sensible_statuses(self) -> None:
        """On the bundled example, passages land where a careful reader would put them."""
        h = ll.History()
        h.publish(ll.examples.markdown("v1"), label="Entwurf", published_at=at(8))
        h.publish(ll.examples.markdown("v2"), label="Fassung 2", published_at=at(30))
        v1 = h.version(1).document
        quotes = {
            "moved": "Die Leitlinien gelten für alle Vorhaben",
            "edited": "mindestens 150",
            "deleted": "Die ersten drei Verfahren",
            "split": "Das Konzept wird vor Beginn",
            "merged": "Ihre Sitzungen sind öffentlich",
            "untouched": "Lindenau lebt davon",
        }
        comments = [comment(k, v1, q) for k, q in quotes.items()]
        status = {c.comment.id: c.status for c in ll.carry_forward(comments, h, 2)}
        assert status == {
            "moved": ll.AnchorStatus.SHIFTED,
            "edited": ll.AnchorStatus.MODIFIED,
            "deleted": ll.AnchorStatus.ORPHANED,
            "split": ll.AnchorStatus.SHIFTED,
            "merged": ll.AnchorStatus.SHIFTED,
            "untouched": ll.AnchorStatus.EXACT,
        }
