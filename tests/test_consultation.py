"""`Consultation`: policy enforced on every write, nothing dropped, queries, weighing, JSON."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

import leitlinien as ll
from leitlinien.consultation import Consultation, Refusal
from leitlinien.participation import Actor

BERLIN = ZoneInfo("Europe/Berlin")
RESIDENT = Actor(role="resident", id="r1")
OTHER = Actor(role="resident", id="r2")
MODERATOR = Actor(role="moderator", id="m1")
ADMIN = Actor(role="administration", id="ag")


def at(month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(2024, month, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def consultation() -> Consultation:
    history = ll.History()
    history.publish(ll.examples.markdown("v1"), label="Entwurf", published_at=at(3, 7))
    return Consultation(history, ll.examples.procedure())


def comment(c: Consultation, cid: str, when: dt.datetime, **kw: object) -> ll.Comment:
    doc = c.history.version(1).document
    quote = kw.pop("quote", "Lindenau lebt davon")
    fields: dict[str, object] = {
        "id": cid,
        "author": ll.Author("r1"),
        "channel": "online",
        "kind": "comment",
        "body": "Anmerkung",
        "created_at": when,
        "version": 1,
        "anchor": ll.Anchor.from_quote(doc, quote) if quote else None,
    }
    fields.update(kw)
    return ll.Comment(**fields)  # type: ignore[arg-type]


class TestWrites:
    def test_submit_inside_window_and_refusal_after(self, consultation: Consultation) -> None:
        """Online comments are taken while the window is open and refused from its close on."""
        ok = consultation.submit(comment(consultation, "c1", at(3, 29, 23, 59)), RESIDENT)
        assert ok.id == "c1"
        late = comment(consultation, "c2", at(3, 30, 0, 0))
        with pytest.raises(ll.PolicyError) as info:
            consultation.submit(late, RESIDENT)
        assert info.value.decision.message("de") == (
            "Die Kommentierungsfrist endete am 29.03.2024 um 24:00 Uhr."
        )
        assert [c.id for c in consultation.comments] == ["c1"]
        refused = consultation.try_submit(late, RESIDENT)
        assert isinstance(refused, Refusal)
        assert not refused.decision.allowed

    def test_workshop_input_recorded_after_the_event(self, consultation: Consultation) -> None:
        """Moderators record workshop input, dated at the event, until the grace period ends."""
        said = comment(
            consultation, "w1", at(3, 21, 19), channel="workshop", author=ll.Author("tisch-1")
        )
        consultation.record(said, MODERATOR, at=at(3, 24, 19, 59))
        too_late = comment(
            consultation, "w2", at(3, 21, 19), channel="workshop", author=ll.Author("tisch-2")
        )
        with pytest.raises(ll.PolicyError):
            consultation.record(too_late, MODERATOR, at=at(3, 24, 20, 0))
        assert consultation.comment("w1").created_at == at(3, 21, 19)
        assert consultation.by_channel() == {ll.Channel.WORKSHOP: 1}

    def test_edit_and_withdraw_only_own_and_kept(self, consultation: Consultation) -> None:
        """Only the author edits or withdraws, while the window is open; old states are kept."""
        consultation.submit(comment(consultation, "c1", at(3, 10), body="alt"), RESIDENT)
        with pytest.raises(ll.PolicyError):
            consultation.edit("c1", "fremd", OTHER, at(3, 11))
        consultation.edit("c1", "neu", RESIDENT, at(3, 11))
        with pytest.raises(ll.PolicyError):
            consultation.edit("c1", "zu spät", RESIDENT, at(3, 30))
        consultation.withdraw("c1", RESIDENT, at(3, 12))
        states = consultation.states("c1")
        assert [s.body for s in states] == ["alt", "neu", "neu"]
        assert consultation.comment("c1").state is ll.ModerationState.WITHDRAWN
        assert len(consultation) == 1

    def test_hide_needs_moderator_and_never_deletes(self, consultation: Consultation) -> None:
        """Moderators hide with a reason at any time; the comment stays, restorable."""
        consultation.submit(comment(consultation, "c1", at(3, 10)), RESIDENT)
        with pytest.raises(ll.PolicyError):
            consultation.hide("c1", "Spam", RESIDENT, at(3, 11))
        consultation.hide("c1", "Beleidigung", MODERATOR, at(6, 1))
        assert not consultation.comment("c1").visible
        consultation.restore("c1", MODERATOR, at(6, 2))
        assert consultation.comment("c1").visible
        assert len(consultation.states("c1")) == 3

    def test_responses_only_after_close_and_revisions_kept(
        self, consultation: Consultation
    ) -> None:
        """Responses come after the window closed; a revised response keeps the earlier one."""
        consultation.submit(comment(consultation, "c1", at(3, 10)), RESIDENT)
        early = ll.Response(
            comment_id="c1", outcome="noted", rationale="x", decided_by="AG", decided_at=at(3, 20)
        )
        with pytest.raises(ll.PolicyError):
            consultation.respond(early, ADMIN)
        first = ll.Response(
            comment_id="c1", outcome="rejected", rationale="a", decided_by="AG", decided_at=at(4, 2)
        )
        second = ll.Response(
            comment_id="c1", outcome="accepted", rationale="b", decided_by="AG", decided_at=at(4, 3)
        )
        consultation.respond(first, ADMIN)
        consultation.respond(second, ADMIN)
        assert consultation.response("c1") == second
        assert consultation.responses("c1") == (first, second)
        assert consultation.by_outcome() == {ll.Outcome.ACCEPTED: 1}
        assert consultation.unanswered() == ()

    def test_bad_references_rejected(self, consultation: Consultation) -> None:
        """Duplicate ids, unknown parents and anchors of another version are errors."""
        consultation.submit(comment(consultation, "c1", at(3, 10)), RESIDENT)
        with pytest.raises(ll.CommentError, match="id must be new"):
            consultation.submit(comment(consultation, "c1", at(3, 10)), RESIDENT)
        with pytest.raises(ll.CommentError, match="parent_id must name a comment"):
            consultation.submit(
                comment(consultation, "c2", at(3, 10), quote=None, parent_id="nope"), RESIDENT
            )
        with pytest.raises(ll.HistoryError):
            consultation.submit(
                comment(consultation, "c3", at(3, 10), quote=None, version=2), RESIDENT
            )


class TestQueries:
    def test_per_block_section_and_unanswered(self, consultation: Consultation) -> None:
        """Comments are found per block and per section; replies follow their parent."""
        doc = consultation.history.version(1).document
        consultation.submit(comment(consultation, "c1", at(3, 10)), RESIDENT)
        consultation.submit(
            comment(consultation, "c2", at(3, 10), quote=None, parent_id="c1"), OTHER
        )
        consultation.submit(comment(consultation, "c3", at(3, 10), quote="mindestens 150"), OTHER)
        block = doc.block(ll.Anchor.from_quote(doc, "Lindenau lebt davon").block_id)
        assert [c.id for c in consultation.on_block(1, block.id)] == ["c1", "c2"]
        section = doc.section_of(block.id).id
        assert [c.id for c in consultation.on_section(1, section)] == ["c1", "c2"]
        assert [c.id for c in consultation.unanswered()] == ["c1", "c2", "c3"]


class TestJson:
    def test_round_trip(self, consultation: Consultation) -> None:
        """to_dict/from_dict keeps every state and response."""
        consultation.submit(comment(consultation, "c1", at(3, 10)), RESIDENT)
        consultation.edit("c1", "neu", RESIDENT, at(3, 11))
        consultation.respond(
            ll.Response(
                comment_id="c1",
                outcome="noted",
                rationale="r",
                decided_by="AG",
                decided_at=at(4, 2),
            ),
            ADMIN,
        )
        again = Consultation.from_dict(consultation.to_dict())
        assert again.states("c1") == consultation.states("c1")
        assert again.response("c1") == consultation.response("c1")
        assert again.procedure == consultation.procedure

    def test_response_to_unknown_comment_named(self, consultation: Consultation) -> None:
        """A stored response whose comment is missing is a SerializationError with its path."""
        data = consultation.to_dict()
        data["responses"] = [
            ll.Response(
                comment_id="x", outcome="noted", rationale="", decided_by="AG", decided_at=at(4, 2)
            ).to_dict()
        ]
        with pytest.raises(ll.SerializationError) as info:
            Consultation.from_dict(data)
        assert info.value.field == "responses[0].comment_id"
