"""What is going on now (`Procedure.status`) and the time plan (`Procedure.timeline`)."""

from __future__ import annotations

import datetime as dt

import pytest

from leitlinien.errors import ProcedureError
from leitlinien.participation import Action, DeadlineKind, EntryKind, Role, example_procedure
from test_participation_support import MICRO, UTC, local

EXAMPLE = example_procedure()


class TestStatus:
    """The status tells a portal's banner what is open and the next deadline."""

    def test_during_workshop(self) -> None:
        """During the workshop: commenting open, the workshop on, its input being recorded."""
        status = EXAMPLE.status(local(2024, 3, 21, 19))
        assert [p.id for p in status.phases] == ["kommentierung"]
        assert [e.id for e in status.events] == ["werkstatt"]
        assert [e.id for e in status.recording] == ["werkstatt"]
        assert status.is_open("comment", "resident")
        assert status.is_open(Action.RECORD, Role.MODERATOR)
        assert not status.is_open("comment", "visitor")
        assert status.next_deadline is not None
        assert status.next_deadline.kind is DeadlineKind.ENDS
        assert status.next_deadline.at == local(2024, 3, 21, 20)
        assert status.time_left == dt.timedelta(hours=1)

    def test_last_instant_of_consultation(self) -> None:
        """One microsecond before closing, the deadline is the closing, one microsecond away."""
        status = EXAMPLE.status(local(2024, 3, 30) - MICRO)
        assert status.next_deadline is not None
        assert (status.next_deadline.kind, status.next_deadline.at) == (
            DeadlineKind.CLOSES,
            local(2024, 3, 30),
        )
        assert status.time_left == MICRO
        assert status.next_opening is not None
        assert status.next_opening.at == local(2024, 3, 30)

    def test_at_closing(self) -> None:
        """At the closing instant commenting is no longer open; the evaluation is."""
        status = EXAMPLE.status(local(2024, 3, 30))
        assert [p.id for p in status.phases] == ["auswertung"]
        assert not status.is_open("comment")
        assert status.is_open("respond", "administration")

    def test_time_left_across_spring_change(self) -> None:
        """From 30 March 00:00 CET to 20 April 00:00 CEST is 21 days less one hour."""
        status = EXAMPLE.status(local(2024, 3, 30))
        assert status.time_left == dt.timedelta(days=21, hours=-1)

    def test_between_phases(self) -> None:
        """On a weekend between phases nothing is open and the next opening is named."""
        status = EXAMPLE.status(local(2024, 4, 20, 12).astimezone(UTC))
        assert status.phases == ()
        assert status.open == ()
        assert status.next_deadline is None
        assert status.time_left is None
        assert status.next_opening is not None
        assert status.next_opening.kind is DeadlineKind.OPENS
        assert status.next_opening.at == local(2024, 4, 22)
        assert status.at.tzinfo == local(2024, 1, 1).tzinfo

    def test_one_line_summary(self) -> None:
        """str() gives a one-line summary for logs and the command line."""
        status = EXAMPLE.status(local(2024, 3, 21, 19))
        assert str(status) == (
            "at 2024-03-21T19:00:00+01:00; phases: kommentierung; events: werkstatt; "
            "open: comment, reply, amend, support, edit, withdraw, record; "
            "next deadline: werkstatt ends at 2024-03-21T20:00:00+01:00 (in 1:00:00); "
            "next opening: auswertung opens at 2024-03-30T00:00:00+01:00"
        )

    def test_unknown_action_in_is_open(self) -> None:
        """Asking about an unknown action is an error, not a silent False."""
        with pytest.raises(ProcedureError) as info:
            EXAMPLE.status(local(2024, 3, 21, 19)).is_open("delete")
        assert info.value.field == "action"

    def test_naive_instant(self) -> None:
        """A naive datetime is refused."""
        with pytest.raises(ProcedureError) as info:
            EXAMPLE.status(dt.datetime(2024, 3, 21, 19))
        assert info.value.field == "at"


class TestTimeline:
    """The timeline lists phases, events and materials in order."""

    def test_example_order(self) -> None:
        """Entries come by start; on the same day phases before events before materials."""
        entries = EXAMPLE.timeline()
        assert [(e.kind.value, e.id) for e in entries] == [
            ("phase", "entwurf"),
            ("material", "protokoll-2024-02-15"),
            ("phase", "kommentierung"),
            ("material", "zeitplan"),
            ("event", "werkstatt"),
            ("phase", "auswertung"),
            ("material", "protokoll-2024-04-11"),
            ("phase", "ueberarbeitung"),
            ("phase", "veroeffentlichung"),
        ]

    def test_entries(self) -> None:
        """Whole-day phases are all-day entries; events keep their times."""
        entries = {e.id: e for e in EXAMPLE.timeline()}
        consultation = entries["kommentierung"]
        assert consultation.all_day
        assert (consultation.start, consultation.end) == (local(2024, 3, 8), local(2024, 3, 30))
        workshop = entries["werkstatt"]
        assert workshop.kind is EntryKind.EVENT
        assert not workshop.all_day
        assert (workshop.start, workshop.end) == (local(2024, 3, 21, 18), local(2024, 3, 21, 20))
        minutes = entries["protokoll-2024-04-11"]
        assert (minutes.start, minutes.end) == (local(2024, 4, 11), local(2024, 4, 12))
        assert minutes.title == "Protokoll der Sitzung der Arbeitsgruppe vom 11.04.2024"
