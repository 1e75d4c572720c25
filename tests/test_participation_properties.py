"""Hypothesis properties: for random procedures and instants exactly the documented rules hold."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leitlinien.participation import Action, Actor, Procedure, Reason, Role
from test_participation_ical import check_ical, check_timezones, events_by_uid, matches
from test_participation_support import MICRO, UTC, comment, procedures, situations

pytestmark = pytest.mark.property

ROLES = st.sampled_from(list(Role))
CHANNELS = st.sampled_from(["online", "workshop", "email", "letter", "phone", "other"])
CONTRIBUTIONS = st.sampled_from(["comment", "reply", "amend", "support"])


def open_consultations(procedure: Procedure, at: dt.datetime) -> list[int]:
    """Return the versions whose consultation is open at `at` (the oracle, by UTC instants)."""
    now = at.astimezone(UTC)
    found = []
    for phase in procedure.consultations:
        window = procedure.window(phase)
        if window.opens.astimezone(UTC) <= now < window.closes.astimezone(UTC):
            assert phase.version is not None
            found.append(phase.version)
    return found


class TestCommentingProperty:
    """Commenting is allowed exactly inside a consultation on the version, for granted roles."""

    @given(situations(), st.tuples(CONTRIBUTIONS, ROLES, CHANNELS, st.integers(1, 4)))
    def test_exactly_the_rule(
        self, situation: tuple[Procedure, dt.datetime], question: tuple[str, Role, str, int]
    ) -> None:
        """Allowed iff a consultation on the version is open and grants role and channel."""
        procedure, at = situation
        action, role, channel, version = question
        decision = procedure.check(
            action, Actor(role=role, id="x"), at, version=version, channel=channel
        )
        expected = (
            version in open_consultations(procedure, at)
            and role is Role.RESIDENT
            and channel == "online"
        )
        assert decision.allowed == expected
        if not open_consultations(procedure, at):
            assert not decision.allowed

    @given(situations())
    def test_never_outside_every_window(self, situation: tuple[Procedure, dt.datetime]) -> None:
        """Outside every consultation window nothing adds to the input but event records."""
        procedure, at = situation
        if open_consultations(procedure, at):
            return
        for action in ("comment", "reply", "amend", "support", "edit", "withdraw"):
            own = comment("x", created_at=at)
            decision = procedure.check(action, Actor(role="resident", id="x"), at, comment=own)
            assert not decision.allowed
            assert decision.reason in (Reason.NOT_YET_OPEN, Reason.CLOSED, Reason.WRONG_VERSION)


class TestStability:
    """An allowed action stays allowed for every instant strictly inside the same phase."""

    @given(
        situations(),
        st.sampled_from(["comment", "respond", "publish", "record"]),
        st.floats(min_value=0, max_value=1, exclude_max=True),
    )
    def test_allowed_throughout_phase(
        self, situation: tuple[Procedure, dt.datetime], action: str, fraction: float
    ) -> None:
        """If a phase allowed it once, it allows it anywhere in the phase's window."""
        procedure, at = situation
        role = {"comment": "resident", "record": "moderator"}.get(action, "administration")
        channel = "letter" if action == "record" else None
        actor = Actor(role=role, id="x")
        decision = procedure.check(action, actor, at, channel=channel)
        if not decision.allowed or decision.phase is None or decision.event is not None:
            return
        window = procedure.window(decision.phase)
        opens, closes = window.opens.astimezone(UTC), window.closes.astimezone(UTC)
        steps = (closes - opens) // MICRO
        inside = opens + MICRO * min(int(steps * fraction), steps - 1)
        for instant in (opens, inside, closes - MICRO):
            again = procedure.check(action, actor, instant, channel=channel)
            assert again.allowed, instant
        assert not procedure.check(action, actor, closes, channel=channel).allowed or any(
            closes in procedure.window(p) for p in procedure.phases if p != decision.phase
        )


class TestEventProperty:
    """Event input is taken exactly during recording, for events inside a consultation."""

    @given(situations())
    def test_recording(self, situation: tuple[Procedure, dt.datetime]) -> None:
        """Allowed iff some event inside a consultation is in its recording period."""
        procedure, at = situation
        decision = procedure.check("record", Actor(role="moderator"), at)
        now = at.astimezone(UTC)
        expected = False
        for event in procedure.events:
            span = procedure.span(event)
            recording = procedure.recording(event)
            inside = any(
                procedure.window(p).opens <= span.opens
                and span.closes <= procedure.window(p).closes
                for p in procedure.consultations
            )
            if inside and recording.opens.astimezone(UTC) <= now < recording.closes.astimezone(UTC):
                expected = True
        assert decision.allowed == expected


class TestMessagesProperty:
    """Every decision explains itself in both languages."""

    @given(situations(), st.sampled_from(list(Action)), ROLES)
    def test_messages(
        self, situation: tuple[Procedure, dt.datetime], action: Action, role: Role
    ) -> None:
        """Messages are non-empty sentences, and the decision's instants are in the zone."""
        procedure, at = situation
        own = comment("x", created_at=at)
        decision = procedure.check(action, Actor(role=role, id="x"), at, comment=own)
        for lang in ("de", "en"):
            text = decision.message(lang)
            assert text.endswith(".")
            assert text[0].isupper() or text[0] in "„“"
        assert decision.at.astimezone(UTC) == at.astimezone(UTC)
        assert decision.zone.key == procedure.zone


class TestStatusProperty:
    """The status agrees with the windows."""

    @given(situations())
    def test_time_left(self, situation: tuple[Procedure, dt.datetime]) -> None:
        """The time left is positive and runs to the next deadline; phases listed are open."""
        procedure, at = situation
        status = procedure.status(at)
        if status.next_deadline is not None:
            assert status.time_left is not None
            assert status.time_left > dt.timedelta(0)
            assert at.astimezone(UTC) + status.time_left == status.next_deadline.at
        for phase in status.phases:
            assert at in procedure.window(phase)
        assert status.is_open("comment", "resident") == bool(open_consultations(procedure, at))


class TestSerializationProperty:
    """Plain data, TOML and iCalendar carry every random procedure."""

    @given(procedures())
    def test_round_trips(self, procedure: Procedure) -> None:
        """to_dict and to_toml read back to an equal procedure."""
        assert Procedure.from_dict(procedure.to_dict()) == procedure
        assert Procedure.from_toml(procedure.to_toml()) == procedure

    @given(procedures())
    def test_ical(self, procedure: Procedure) -> None:
        """The calendar is valid RFC 5545 and every entry parses back to its span."""
        calendar = check_ical(procedure.to_ical())
        check_timezones(calendar)
        events = list(events_by_uid(calendar).values())
        timeline = procedure.timeline()
        assert len(events) == len(timeline)
        for entry, event in zip(timeline, events, strict=True):
            assert matches(entry, event, procedure.tz)
