"""The policy of `leitlinien.participation`: every rule at its exact boundary.

Boundaries are checked at opens - 1 µs, opens, closes - 1 µs and closes, in winter time (the
bundled example, March 2024) and in summer time (June/July 2024), and across both DST changes.
"""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from leitlinien.errors import PolicyError, ProcedureError
from leitlinien.participation import (
    Action,
    Actor,
    Decision,
    Event,
    Place,
    Procedure,
    Reason,
    Role,
    example_procedure,
)
from test_participation_support import (
    BERLIN,
    CONTRIBUTING,
    MICRO,
    UTC,
    comment,
    consultation,
    local,
    midnight,
    parallel_procedure,
    summer_procedure,
)

RESIDENT = Actor(role="resident", id="r1")
OTHER = Actor(role="resident", id="r2")
VISITOR = Actor(role="visitor")
MODERATOR = Actor(role="moderator", id="m1")
ADMIN = Actor(role="administration", id="a1")

EXAMPLE = example_procedure()
SUMMER = summer_procedure()

# (procedure, opens, closes) of the consultation on version 1, winter and summer time.
WINDOWS = [
    pytest.param(EXAMPLE, local(2024, 3, 8), local(2024, 3, 30), id="winter"),
    pytest.param(SUMMER, local(2024, 6, 3), local(2024, 6, 29), id="summer"),
]


SEASONS = [
    pytest.param(dt.date(2024, 3, 8), dt.date(2024, 3, 29), id="winter"),
    pytest.param(dt.date(2024, 6, 3), dt.date(2024, 6, 28), id="summer"),
]


def boundaries(opens: dt.datetime, closes: dt.datetime) -> list[tuple[dt.datetime, bool, str]]:
    """The four boundary instants with the expected answer for a window action."""
    return [
        (opens - MICRO, False, "not-yet-open"),
        (opens, True, "open"),
        (closes - MICRO, True, "open"),
        (closes, False, "closed"),
    ]


class TestCommenting:
    """Commenting is allowed only while a consultation on the version is open."""

    @pytest.mark.parametrize(("procedure", "opens", "closes"), WINDOWS)
    @pytest.mark.parametrize("action", ["comment", "reply", "amend", "support"])
    def test_window_boundaries(
        self, procedure: Procedure, opens: dt.datetime, closes: dt.datetime, action: str
    ) -> None:
        """Contributions open at the opening instant and end at the closing one (half-open)."""
        for at, allowed, reason in boundaries(opens, closes):
            decision = procedure.check(action, RESIDENT, at, version=1, channel="online")
            assert (allowed, reason) == (decision.allowed, decision.reason.value), at
            assert decision.phase is not None
            assert decision.phase.id == "kommentierung"

    @pytest.mark.parametrize(("procedure", "opens", "closes"), WINDOWS)
    def test_same_answer_for_utc_instants(
        self, procedure: Procedure, opens: dt.datetime, closes: dt.datetime
    ) -> None:
        """An instant given in UTC gets the same answer as the same instant in Berlin time."""
        for at, allowed, _ in boundaries(opens, closes):
            decision = procedure.check("comment", RESIDENT, at.astimezone(UTC), version=1)
            assert allowed == decision.allowed

    def test_closing_instant_is_midnight_after_the_last_day(self) -> None:
        """ "Until 29 March" means through the end of that day: 30 March 00:00 CET closes."""
        decision = EXAMPLE.check(
            "comment", RESIDENT, local(2024, 3, 29, 23, 59) + dt.timedelta(seconds=59), version=1
        )
        assert decision.allowed
        assert local(2024, 3, 30) == decision.deadline
        assert dt.datetime(2024, 3, 29, 23, tzinfo=UTC) == decision.deadline

    def test_other_version_is_refused(self) -> None:
        """During the consultation on version 1, commenting on version 2 is refused."""
        decision = EXAMPLE.check("comment", RESIDENT, local(2024, 3, 15), version=2)
        assert (decision.allowed, decision.reason) == (False, Reason.WRONG_VERSION)
        assert (
            decision.message("de")
        ) == "Kommentieren ist nur zu Version 1 vorgesehen (angefragt: Version 2)."
        assert decision.message("en") == "Commenting is open only on version 1 (asked: version 2)."

    def test_version_taken_from_comment(self) -> None:
        """A reply to a comment on version 2 is refused: the comment gives the version."""
        decision = EXAMPLE.check("reply", RESIDENT, local(2024, 3, 15), comment=comment(version=2))
        assert (decision.allowed, decision.reason) == (False, Reason.WRONG_VERSION)
        assert decision.version == 2

    def test_version_none_asks_about_any_version(self) -> None:
        """Without a version the open consultation decides, whichever version it concerns."""
        decision = EXAMPLE.check("comment", RESIDENT, local(2024, 3, 15))
        assert decision.allowed
        assert decision.phase is not None
        assert decision.phase.version == 1

    def test_visitor_role_not_permitted(self) -> None:
        """In the example, only registered residents comment; a visitor is told so."""
        decision = EXAMPLE.check("comment", VISITOR, local(2024, 3, 15), version=1)
        assert (decision.allowed, decision.reason) == (False, Reason.ROLE_NOT_PERMITTED)
        assert decision.message("de") == "Kommentieren ist für die Rolle „Gast“ nicht vorgesehen."
        assert decision.message("en") == "Commenting is not open to the role “visitor”."

    def test_channel_not_permitted(self) -> None:
        """Residents comment online; a resident comment by letter is not a resident action."""
        decision = EXAMPLE.check("comment", RESIDENT, local(2024, 3, 15), channel="letter")
        assert (decision.allowed, decision.reason) == (False, Reason.CHANNEL_NOT_PERMITTED)
        assert decision.message("de") == "Kommentieren ist über den Weg „Brief“ nicht vorgesehen."
        assert decision.message("en") == "Commenting is not open on the channel “letter”."

    def test_channel_defaults_to_online(self) -> None:
        """Without a channel, a contribution is taken to come in online."""
        decision = EXAMPLE.check("comment", RESIDENT, local(2024, 3, 15), version=1)
        assert decision.allowed
        assert decision.channel is None


class TestReadOnlyAfterClosing:
    """At the closing instant and after it, the consultation is read-only."""

    @pytest.mark.parametrize(("procedure", "opens", "closes"), WINDOWS)
    @pytest.mark.parametrize(
        "later", [dt.timedelta(0), dt.timedelta(days=1), dt.timedelta(days=400)]
    )
    def test_only_viewing_remains(
        self, procedure: Procedure, opens: dt.datetime, closes: dt.datetime, later: dt.timedelta
    ) -> None:
        """Every contribution is refused from the closing instant on; viewing stays open."""
        at = closes + later
        own = comment(created_at=opens + dt.timedelta(days=1))
        for action in CONTRIBUTING:
            decision = procedure.check(action, RESIDENT, at, version=1, comment=own)
            assert not decision.allowed, action
        assert procedure.check("view", VISITOR, at).allowed


class TestOwnComments:
    """Editing and withdrawing: only one's own comment and only while the window is open."""

    @pytest.mark.parametrize(("procedure", "opens", "closes"), WINDOWS)
    @pytest.mark.parametrize("action", ["edit", "withdraw"])
    def test_window_boundaries(
        self, procedure: Procedure, opens: dt.datetime, closes: dt.datetime, action: str
    ) -> None:
        """One's own comment may be changed from opens until just before closes."""
        own = comment(created_at=opens)
        for at, allowed, reason in boundaries(opens, closes):
            decision = procedure.check(action, RESIDENT, at, comment=own)
            assert (allowed, reason) == (decision.allowed, decision.reason.value), at

    @pytest.mark.parametrize("action", ["edit", "withdraw"])
    @pytest.mark.parametrize("actor", [OTHER, VISITOR, MODERATOR, ADMIN])
    def test_not_own_comment(self, action: str, actor: Actor) -> None:
        """Nobody but the author may edit or withdraw, not even a moderator."""
        decision = EXAMPLE.check(action, actor, local(2024, 3, 15), comment=comment("r1"))
        assert (decision.allowed, decision.reason) == (False, Reason.NOT_OWN_COMMENT)
        assert (
            decision.message("de")
            == "Nur wer einen Kommentar verfasst hat, kann ihn bearbeiten oder zurückziehen."
        )
        assert decision.message("en") == "Only a comment's author may edit or withdraw it."

    def test_comment_is_required(self) -> None:
        """Asking about editing without the comment is a malformed question."""
        with pytest.raises(ProcedureError) as info:
            EXAMPLE.check("edit", RESIDENT, local(2024, 3, 15))
        assert (
            str(info.value)
        ) == "comment must be given to check 'edit': only its author may do it (got None)"
        assert info.value.field == "comment"


class TestModeration:
    """Moderators may hide and restore at any time; nothing is ever deleted."""

    @pytest.mark.parametrize(
        "at",
        [
            local(2024, 3, 8) - MICRO,
            local(2024, 3, 8),
            local(2024, 3, 30) - MICRO,
            local(2024, 3, 30),
            local(2024, 6, 3) - MICRO,
            local(2024, 6, 3),
            local(2024, 6, 29) - MICRO,
            local(2024, 6, 29),
            local(2031, 1, 1),
        ],
    )
    @pytest.mark.parametrize("action", ["hide", "restore"])
    def test_moderator_any_time(self, at: dt.datetime, action: str) -> None:
        """Hiding and restoring are open to moderators before, during and after the window."""
        for procedure in (EXAMPLE, SUMMER):
            decision = procedure.check(action, MODERATOR, at, comment=comment())
            assert (decision.allowed, decision.reason) == (True, Reason.MODERATION)
        assert decision.decided_by is None
        assert (
            decision.message("de")
            == "Die Moderation kann Kommentare jederzeit mit Begründung ausblenden und "
            "wiederherstellen; gelöscht wird nichts."
        )

    @pytest.mark.parametrize("actor", [VISITOR, RESIDENT, ADMIN])
    def test_others_may_not_hide(self, actor: Actor) -> None:
        """Only moderators moderate."""
        decision = EXAMPLE.check("hide", actor, local(2024, 3, 15))
        assert (decision.allowed, decision.reason) == (False, Reason.ROLE_NOT_PERMITTED)

    def test_there_is_no_delete_action(self) -> None:
        """Deleting is not an action at all: asking about it is a malformed question."""
        with pytest.raises(ProcedureError) as info:
            EXAMPLE.check("delete", MODERATOR, local(2024, 3, 15))
        assert str(info.value).startswith("action must be one of ['view', 'comment',")
        assert str(info.value).endswith("'publish'] (got 'delete')")


class TestEventInput:
    """Workshop input: recorded by moderators from the event's start to the end of its grace."""

    @pytest.mark.parametrize(
        ("procedure", "start", "until"),
        [
            pytest.param(EXAMPLE, local(2024, 3, 21, 18), local(2024, 3, 24, 20), id="winter"),
            pytest.param(SUMMER, local(2024, 6, 28, 17), local(2024, 6, 30, 19), id="summer"),
        ],
    )
    def test_recording_boundaries(
        self, procedure: Procedure, start: dt.datetime, until: dt.datetime
    ) -> None:
        """Recording opens at the event's start and closes when the grace period ends."""
        expected = [
            (start - MICRO, False, "not-yet-open"),
            (start, True, "event-input"),
            (until - MICRO, True, "event-input"),
            (until, False, "closed"),
        ]
        for at, allowed, reason in expected:
            decision = procedure.check("record", MODERATOR, at, channel="workshop")
            assert (allowed, reason) == (decision.allowed, decision.reason.value), at
            assert decision.event is not None
            assert decision.event.id == "werkstatt"

    def test_accepted_after_the_online_window_closed(self) -> None:
        """A workshop on the last day of the window: its input is taken after commenting closed."""
        at = local(2024, 6, 30, 10)
        assert not SUMMER.check("comment", RESIDENT, at, version=1).allowed
        decision = SUMMER.check(
            "record", MODERATOR, at, version=1, comment=comment(created_at=local(2024, 6, 28, 17))
        )
        assert (decision.allowed, decision.reason) == (True, Reason.EVENT_INPUT)
        assert decision.phase is not None
        assert decision.phase.id == "kommentierung"
        assert (
            decision.message("de")
            == "Beiträge aus „Abschlusswerkstatt“ können bis zum 30.06.2024 um 19:00 Uhr erfasst "
            "werden; sie werden auf die Veranstaltung datiert."
        )
        assert (
            decision.message("en")
            == "Input from “Abschlusswerkstatt” may be recorded until 30 June 2024 at 19:00; "
            "it is dated at the event."
        )

    def test_dated_at_the_event(self) -> None:
        """Recorded input must be dated within the event: [start, end)."""
        expected = [
            (local(2024, 3, 21, 18) - MICRO, False),
            (local(2024, 3, 21, 18), True),
            (local(2024, 3, 21, 20) - MICRO, True),
            (local(2024, 3, 21, 20), False),
        ]
        for created, allowed in expected:
            decision = EXAMPLE.check(
                "record", MODERATOR, local(2024, 3, 22, 9), comment=comment(created_at=created)
            )
            assert allowed == decision.allowed, created
        decision = EXAMPLE.check(
            "record",
            MODERATOR,
            local(2024, 3, 22, 9),
            comment=comment(created_at=local(2024, 3, 22, 9)),
        )
        assert decision.reason == Reason.NOT_DATED_AT_EVENT
        assert (
            decision.message("de")
            == "Beiträge aus „Werkstatt zu den Leitlinien für Bürgerbeteiligung“ sind auf die "
            "Veranstaltung zu datieren (21.03.2024, 18:00–20:00 Uhr)."
        )
        assert (
            decision.message("en")
            == "Input from “Werkstatt zu den Leitlinien für Bürgerbeteiligung” must be dated "
            "within the event (21 March 2024, 18:00–20:00)."
        )

    def test_event_outside_every_consultation(self) -> None:
        """Input of an event outside every consultation window is not taken."""
        decision = SUMMER.check("record", MODERATOR, local(2024, 7, 10, 18, 30))
        assert (decision.allowed, decision.reason) == (False, Reason.EVENT_OUTSIDE_CONSULTATION)
        assert (
            decision.message("de")
            == "„Infoabend“ lag außerhalb jeder Kommentierungsfrist; Beiträge daraus werden nicht "
            "erfasst."
        )

    def test_residents_do_not_record(self) -> None:
        """Recording on behalf of someone is for moderators."""
        decision = EXAMPLE.check("record", RESIDENT, local(2024, 3, 21, 19), channel="workshop")
        assert (decision.allowed, decision.reason) == (False, Reason.ROLE_NOT_PERMITTED)

    def test_closed_message(self) -> None:
        """After the grace period the message names the event and the instant it ended."""
        decision = EXAMPLE.check("record", MODERATOR, local(2024, 3, 25), channel="workshop")
        assert (
            decision.message("de")
            == "Die Frist für das Erfassen von Beiträgen aus „Werkstatt zu den Leitlinien für "
            "Bürgerbeteiligung“ endete am 24.03.2024 um 20:00 Uhr."
        )
        assert (
            decision.message("en")
            == "Recording input from “Werkstatt zu den Leitlinien für Bürgerbeteiligung” closed "
            "on 24 March 2024 at 20:00."
        )

    @pytest.mark.parametrize(("procedure", "opens", "closes"), WINDOWS)
    def test_letters_recorded_within_the_window(
        self, procedure: Procedure, opens: dt.datetime, closes: dt.datetime
    ) -> None:
        """Letters are recorded by moderators through the consultation's grant, in its window."""
        for at, allowed, reason in boundaries(opens, closes):
            decision = procedure.check("record", MODERATOR, at, channel="letter", version=1)
            assert (allowed, reason) == (decision.allowed, decision.reason.value), at


class TestResponding:
    """Responses (weighing) only after the consultation closed."""

    def test_example_boundary(self) -> None:
        """In the example, responding opens exactly when commenting closes."""
        closes = local(2024, 3, 30)
        before = EXAMPLE.check("respond", ADMIN, closes - MICRO, comment=comment())
        at = EXAMPLE.check("respond", ADMIN, closes, comment=comment())
        assert (before.allowed, before.reason) == (False, Reason.NOT_YET_OPEN)
        assert (
            before.message("de")
        ) == "Die Frist für das Abwägen und Beantworten von Kommentaren beginnt am 30.03.2024."
        assert (at.allowed, at.reason) == (True, Reason.OPEN)

    def test_summer_boundaries(self) -> None:
        """The summer evaluation phase opens on 1 July and closes after 19 July."""
        for at, allowed, reason in boundaries(local(2024, 7, 1), local(2024, 7, 20)):
            decision = SUMMER.check("respond", ADMIN, at, version=1)
            assert (allowed, reason) == (decision.allowed, decision.reason.value), at

    def test_parallel_phase_waits_for_closing(self) -> None:
        """Even where a parallel phase grants responding, it waits until commenting closed."""
        procedure = parallel_procedure()
        closes = local(2024, 3, 30)
        before = procedure.check("respond", ADMIN, closes - MICRO, version=1)
        assert (before.allowed, before.reason) == (False, Reason.CONSULTATION_OPEN)
        assert before.phase is not None
        assert before.phase.id == "kommentierung"
        assert (
            before.message("de")
            == "Abwägen und Beantworten von Kommentaren ist erst nach dem Ende der "
            "Kommentierungsfrist am 29.03.2024 um 24:00 Uhr möglich."
        )
        assert (
            before.message("en")
            == "Responding to comments is possible only after commenting closes on 29 March 2024 "
            "at midnight."
        )
        assert procedure.check("respond", ADMIN, closes, version=1).allowed

    def test_parallel_phase_in_summer(self) -> None:
        """The same holds in summer time: at closes - 1 µs refused, at closes allowed."""
        procedure = parallel_procedure(dt.date(2024, 6, 3), dt.date(2024, 6, 28))
        closes = local(2024, 6, 29)
        before = procedure.check("respond", ADMIN, closes - MICRO, version=1)
        assert (before.allowed, before.reason) == (False, Reason.CONSULTATION_OPEN)
        assert procedure.check("respond", ADMIN, closes, version=1).allowed

    def test_consultation_still_to_come(self) -> None:
        """Responses on a version wait for its consultation even before that opened."""
        procedure = parallel_procedure(dt.date(2024, 6, 3), dt.date(2024, 6, 28))
        later = Procedure(
            title="Zwei Runden",
            versions=[1, 2],
            phases=[
                *procedure.phases,
                consultation(dt.date(2024, 7, 1), dt.date(2024, 7, 12), version=2, id="runde-2"),
            ],
        )
        at = local(2024, 6, 30)
        waiting = later.check("respond", ADMIN, at, version=2)
        assert (waiting.allowed, waiting.reason) == (False, Reason.CONSULTATION_OPEN)
        assert waiting.phase is not None
        assert waiting.phase.id == "runde-2"
        assert later.check("respond", ADMIN, at, version=1).allowed
        assert later.check("respond", ADMIN, at).allowed

    def test_residents_do_not_respond(self) -> None:
        """Responding is the working group's task."""
        decision = EXAMPLE.check("respond", RESIDENT, local(2024, 4, 2), version=1)
        assert (decision.allowed, decision.reason) == (False, Reason.ROLE_NOT_PERMITTED)


class TestPublishing:
    """A new version may not be published while a consultation on the current one is open."""

    @pytest.mark.parametrize(("first", "last"), SEASONS)
    def test_parallel_phase_waits_for_closing(self, first: dt.date, last: dt.date) -> None:
        """Publishing version 2 waits until the consultation on version 1 has closed."""
        procedure = parallel_procedure(first, last)
        granted = midnight(first + dt.timedelta(days=7))
        closes = midnight(last + dt.timedelta(days=1))
        expected = [
            (granted - MICRO, False, "not-yet-open"),
            (granted, False, "consultation-open"),
            (closes - MICRO, False, "consultation-open"),
            (closes, True, "open"),
        ]
        for at, allowed, reason in expected:
            decision = procedure.check("publish", ADMIN, at, version=2)
            assert (allowed, reason) == (decision.allowed, decision.reason.value), at

    def test_first_version_during_drafting(self) -> None:
        """Version 1 is published in the drafting phase, up to its last day."""
        opens, closes = local(2024, 1, 15), local(2024, 3, 8)
        for at, allowed, reason in boundaries(opens, closes):
            decision = EXAMPLE.check("publish", ADMIN, at, version=1)
            assert (allowed, reason) == (decision.allowed, decision.reason.value), at

    @pytest.mark.parametrize(
        ("procedure", "opens", "closes"),
        [
            pytest.param(EXAMPLE, local(2024, 5, 13), local(2024, 5, 25), id="example"),
            pytest.param(SUMMER, local(2024, 7, 22), local(2024, 7, 27), id="summer"),
        ],
    )
    def test_second_version_in_adoption(
        self, procedure: Procedure, opens: dt.datetime, closes: dt.datetime
    ) -> None:
        """Version 2 is published in the adoption phase (summer time)."""
        for at, allowed, reason in boundaries(opens, closes):
            decision = procedure.check("publish", ADMIN, at, version=2)
            assert (allowed, reason) == (decision.allowed, decision.reason.value), at

    def test_publishing_during_the_consultation(self) -> None:
        """During the consultation on version 1, publishing version 2 is refused."""
        decision = EXAMPLE.check("publish", ADMIN, local(2024, 3, 15), version=2)
        assert not decision.allowed
        assert (
            decision.message("de")
            == "Die Frist für das Veröffentlichen einer neuen Fassung beginnt am 13.05.2024."
        )
        assert decision.message("en") == "Publishing a new version opens on 13 May 2024."


class TestDaylightSaving:
    """Windows spanning the last Sunday of March or October keep their closing instant."""

    @pytest.mark.parametrize(
        ("first", "last", "hours"),
        [
            pytest.param(dt.date(2024, 3, 25), dt.date(2024, 4, 5), 12 * 24 - 1, id="spring"),
            pytest.param(dt.date(2024, 10, 21), dt.date(2024, 11, 1), 12 * 24 + 1, id="autumn"),
        ],
    )
    def test_window_across_change(self, first: dt.date, last: dt.date, hours: int) -> None:
        """Twelve local days are 287 hours in spring, 289 in autumn; the boundaries hold."""
        procedure = Procedure(title="DST", versions=[1], phases=[consultation(first, last)])
        window = procedure.window(procedure.phases[0])
        assert dt.timedelta(hours=hours) == window.duration
        opens = dt.datetime.combine(first, dt.time(), tzinfo=BERLIN)
        closes = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=BERLIN)
        assert (opens, closes) == (window.opens, window.closes)
        for at, allowed, reason in boundaries(opens, closes):
            decision = procedure.check("comment", RESIDENT, at, version=1)
            assert (allowed, reason) == (decision.allowed, decision.reason.value), at

    def test_repeated_hour_in_autumn(self) -> None:
        """A window closing at 02:30 CEST on 27 October ends before the repeated 02:30 CET."""
        first = dt.datetime(2024, 10, 27, 2, 30, fold=0, tzinfo=BERLIN)
        second = dt.datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=BERLIN)
        procedure = Procedure(
            title="DST", versions=[1], phases=[consultation(dt.date(2024, 10, 20), first)]
        )
        assert procedure.check("comment", RESIDENT, first - MICRO).allowed
        assert not procedure.check("comment", RESIDENT, first).allowed
        # Arithmetic on a Berlin datetime would drop `fold`; step back in UTC instead.
        assert not procedure.check("comment", RESIDENT, second.astimezone(UTC) - MICRO).allowed
        assert not procedure.check("comment", RESIDENT, second).allowed
        assert dt.timedelta(hours=1) == second.astimezone(UTC) - first.astimezone(UTC)

    def test_grace_counts_local_days(self) -> None:
        """Three days of grace after 20:00 on 29 March end at 20:00 on 1 April (CEST)."""
        procedure = Procedure(
            title="DST",
            versions=[1],
            phases=[consultation(dt.date(2024, 3, 25), dt.date(2024, 4, 5))],
            events=[
                Event(
                    id="w",
                    title="Werkstatt",
                    start=local(2024, 3, 29, 18),
                    end=local(2024, 3, 29, 20),
                    place=Place("Saal"),
                    grace=dt.timedelta(days=3),
                )
            ],
        )
        until = local(2024, 4, 1, 20)
        assert procedure.check("record", MODERATOR, until - MICRO).allowed
        assert not procedure.check("record", MODERATOR, until).allowed


class TestViewing:
    """Viewing is public at any time."""

    @pytest.mark.parametrize("role", list(Role))
    def test_everyone_views(self, role: Role) -> None:
        """Every role may view, even outside every phase."""
        decision = EXAMPLE.check("view", Actor(role=role), local(2023, 1, 1))
        assert (decision.allowed, decision.reason) == (True, Reason.PUBLIC)
        assert decision.message("de") == "Die Unterlagen des Verfahrens sind öffentlich."
        assert decision.message("en") == "The procedure's documents are public."


class TestMessages:
    """Decisions explain themselves in German and English."""

    def test_issue_example(self) -> None:
        """The wording the issue asks for, at the closing instant."""
        decision = EXAMPLE.check("comment", RESIDENT, local(2024, 3, 30), version=1)
        assert (
            decision.message("de") == "Die Kommentierungsfrist endete am 29.03.2024 um 24:00 Uhr."
        )
        assert decision.message("en") == "Commenting closed on 29 March 2024 at midnight."

    def test_open_and_coming(self) -> None:
        """Open windows say until when, coming ones from when."""
        open_ = EXAMPLE.check("comment", RESIDENT, local(2024, 3, 8), version=1)
        assert open_.message("de") == "Kommentieren ist bis zum 29.03.2024 um 24:00 Uhr möglich."
        assert open_.message("en") == "Commenting is open until 29 March 2024 at midnight."
        coming = EXAMPLE.check("comment", RESIDENT, local(2024, 3, 8) - MICRO, version=1)
        assert coming.message("de") == "Die Kommentierungsfrist beginnt am 08.03.2024."
        assert coming.message("en") == "Commenting opens on 8 March 2024."

    def test_times_of_day(self) -> None:
        """A window closing at a time of day names that time."""
        procedure = Procedure(
            title="T",
            versions=[1],
            phases=[consultation(local(2024, 6, 3, 9, 30), local(2024, 6, 28, 18))],
        )
        coming = procedure.check("comment", RESIDENT, local(2024, 6, 1))
        assert coming.message("de") == "Die Kommentierungsfrist beginnt am 03.06.2024 um 09:30 Uhr."
        assert coming.message("en") == "Commenting opens on 3 June 2024 at 09:30."
        closed = procedure.check("comment", RESIDENT, local(2024, 6, 28, 18))
        assert closed.message("de") == "Die Kommentierungsfrist endete am 28.06.2024 um 18:00 Uhr."
        assert closed.message("en") == "Commenting closed on 28 June 2024 at 18:00."

    def test_language_tags(self) -> None:
        """Regional tags are accepted; other languages are refused with a clear error."""
        decision = EXAMPLE.check("comment", RESIDENT, local(2024, 3, 30))
        assert decision.message("de-DE") == decision.message("de")
        assert decision.message("en_GB") == decision.message("en")
        with pytest.raises(ProcedureError) as info:
            decision.message("fr")
        assert str(info.value) == "lang must be one of ['de', 'en'] (got 'fr')"

    def test_not_offered(self) -> None:
        """An action no phase grants is not part of the procedure."""
        procedure = Procedure(
            title="T", versions=[1], phases=[consultation(dt.date(2024, 6, 3), dt.date(2024, 6, 5))]
        )
        decision = procedure.check("respond", ADMIN, local(2024, 6, 4))
        assert (decision.allowed, decision.reason) == (False, Reason.NOT_OFFERED)
        assert (
            decision.message("de")
        ) == "Abwägen und Beantworten von Kommentaren ist in diesem Verfahren nicht vorgesehen."
        assert decision.message("en") == "Responding to comments is not part of this procedure."


class TestRequire:
    """`require` returns allowed decisions and raises `PolicyError` carrying denials."""

    def test_allowed(self) -> None:
        """An allowed action returns its decision."""
        decision = EXAMPLE.require("comment", RESIDENT, local(2024, 3, 15), version=1)
        assert decision == EXAMPLE.check("comment", RESIDENT, local(2024, 3, 15), version=1)

    def test_denied(self) -> None:
        """A denied action raises PolicyError with the same decision, which pickles."""
        at = local(2024, 3, 30)
        with pytest.raises(PolicyError) as info:
            EXAMPLE.require("comment", RESIDENT, at, version=1)
        error = info.value
        assert EXAMPLE.check("comment", RESIDENT, at, version=1) == error.decision
        assert (
            str(error)
            == "'comment' is not allowed for role 'resident' at 2024-03-30T00:00:00+01:00 "
            "(closed): Commenting closed on 29 March 2024 at midnight."
        )
        assert (error.field, error.value) == ("action", "comment")
        assert isinstance(error, PermissionError)
        again = pickle.loads(pickle.dumps(error))
        assert error.decision == again.decision
        assert str(error) == str(again)


class TestQuestions:
    """Malformed questions raise `ProcedureError` naming the argument and the value."""

    def test_naive_instant(self) -> None:
        """A naive datetime is refused."""
        with pytest.raises(ProcedureError) as info:
            EXAMPLE.check("comment", RESIDENT, dt.datetime(2024, 3, 15, 12))
        assert (
            str(info.value) == "at must be a timezone-aware datetime, not a naive one "
            "(got datetime.datetime(2024, 3, 15, 12, 0))"
        )
        assert info.value.field == "at"

    def test_not_a_datetime(self) -> None:
        """A date is not an instant."""
        with pytest.raises(ProcedureError) as info:
            EXAMPLE.check("comment", RESIDENT, dt.date(2024, 3, 15))  # type: ignore[arg-type]
        assert (
            str(info.value)
            == "at must be a timezone-aware datetime (got datetime.date(2024, 3, 15))"
        )

    def test_unknown_channel(self) -> None:
        """Channels are converted from strings; unknown ones are refused."""
        with pytest.raises(ProcedureError) as info:
            EXAMPLE.check("comment", RESIDENT, local(2024, 3, 15), channel="fax")
        assert (
            str(info.value)
            == "channel must be one of ['online', 'workshop', 'email', 'letter', 'phone', 'other'] "
            "(got 'fax')"
        )

    def test_unknown_role(self) -> None:
        """Roles are converted from strings; unknown ones are refused."""
        with pytest.raises(ProcedureError) as info:
            Actor(role="mayor")
        assert (
            str(info.value)
            == "role must be one of ['visitor', 'resident', 'moderator', 'administration'] "
            "(got 'mayor')"
        )

    def test_actor_required(self) -> None:
        """The actor must be an Actor."""
        with pytest.raises(ProcedureError) as info:
            EXAMPLE.check("comment", "resident", local(2024, 3, 15))  # type: ignore[arg-type]
        assert (
            str(info.value)
            == "actor must be an Actor such as Actor(role='resident', id='r1') (got 'resident')"
        )

    @pytest.mark.parametrize("version", [0, -1, True, "1", 1.0])
    def test_bad_version(self, version: object) -> None:
        """Versions are numbers of at least 1."""
        with pytest.raises(ProcedureError) as info:
            EXAMPLE.check("comment", RESIDENT, local(2024, 3, 15), version=version)  # type: ignore[arg-type]
        assert f"version must be a version number of at least 1 or None (got {version!r})" == str(
            info.value
        )

    def test_version_contradicting_comment(self) -> None:
        """A version that contradicts the comment's version is refused."""
        with pytest.raises(ProcedureError) as info:
            EXAMPLE.check("reply", RESIDENT, local(2024, 3, 15), version=2, comment=comment())
        assert str(info.value) == "version must match comment.version 1 (got 2)"

    def test_comment_without_fields(self) -> None:
        """A comment lacking what the policy reads is refused, not an AttributeError."""
        with pytest.raises(ProcedureError) as info:
            EXAMPLE.check("reply", RESIDENT, local(2024, 3, 15), comment=object())  # type: ignore[arg-type]
        assert str(info.value).startswith(
            "comment must have id, author.id, version, created_at and channel (got <object"
        )

    def test_enums_and_strings_agree(self) -> None:
        """Enum members and their string values give equal decisions."""
        at = local(2024, 3, 15)
        by_enum = EXAMPLE.check(Action.COMMENT, Actor(role=Role.RESIDENT, id="r1"), at)
        by_text = EXAMPLE.check("comment", Actor(role="resident", id="r1"), at)
        assert by_enum == by_text
        assert isinstance(by_text, Decision)
