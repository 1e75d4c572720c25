"""Building procedures: each part checks itself, the procedure checks how they fit together."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from leitlinien.errors import LeitlinienError, ProcedureError
from leitlinien.participation import (
    Action,
    Actor,
    Event,
    Grant,
    Material,
    MaterialKind,
    Phase,
    PhaseKind,
    Place,
    Procedure,
    Role,
    Window,
    example_procedure,
)
from test_participation_support import BERLIN, UTC, consultation, local


def phase(**changes: object) -> Phase:
    """Return a valid evaluation phase with `changes` applied."""
    fields: dict[str, object] = {
        "id": "auswertung",
        "kind": "evaluation",
        "title": "Auswertung",
        "opens": dt.date(2024, 4, 1),
        "closes": dt.date(2024, 4, 19),
    }
    fields.update(changes)
    return Phase(**fields)  # type: ignore[arg-type]


def event(**changes: object) -> Event:
    """Return a valid workshop with `changes` applied."""
    fields: dict[str, object] = {
        "id": "werkstatt",
        "title": "Werkstatt",
        "start": local(2024, 3, 21, 18),
        "end": local(2024, 3, 21, 20),
        "place": Place("Bürgerhaus", "Am Lindenplatz 3"),
    }
    fields.update(changes)
    return Event(**fields)  # type: ignore[arg-type]


def raised(build: object) -> ProcedureError:
    """Return the ProcedureError that calling `build` raises."""
    with pytest.raises(ProcedureError) as info:
        build()  # type: ignore[operator]
    return info.value


class TestPhase:
    """A phase checks its own fields."""

    def test_kinds(self) -> None:
        """Known kinds become PhaseKind members; a host's own kind stays a string."""
        assert phase().kind is PhaseKind.EVALUATION
        assert phase(kind="buergerrat").kind == "buergerrat"

    def test_dates_inclusive(self) -> None:
        """A phase of one day is valid: the closing date is inclusive."""
        one_day = phase(opens=dt.date(2024, 4, 1), closes=dt.date(2024, 4, 1))
        window = one_day.window(BERLIN)
        assert window == Window(local(2024, 4, 1), local(2024, 4, 2))

    def test_closing_before_opening(self) -> None:
        """A closing date before the opening date is refused, naming both."""
        error = raised(lambda: phase(closes=dt.date(2024, 3, 31)))
        assert error.field == "closes"
        assert str(error) == (
            "closes must be no earlier than opens '2024-04-01' (a closing date is inclusive) "
            "(got datetime.date(2024, 3, 31))"
        )

    def test_closing_instant_not_after_opening(self) -> None:
        """Instants must be strictly ordered: opens < closes."""
        error = raised(lambda: phase(opens=local(2024, 4, 1, 9), closes=local(2024, 4, 1, 9)))
        assert str(error) == (
            "closes must be later than opens '2024-04-01T09:00:00+02:00' "
            "(got datetime.datetime(2024, 4, 1, 9, 0, "
            "tzinfo=zoneinfo.ZoneInfo(key='Europe/Berlin')))"
        )

    def test_naive_datetime(self) -> None:
        """A naive datetime is refused."""
        error = raised(lambda: phase(opens=dt.datetime(2024, 4, 1, 9)))
        assert str(error) == (
            "opens must be a timezone-aware datetime (naive datetimes are ambiguous) "
            "(got datetime.datetime(2024, 4, 1, 9, 0))"
        )

    def test_skipped_wall_time(self) -> None:
        """02:30 on 31 March 2024 does not exist in Berlin and is refused."""
        error = raised(lambda: phase(opens=dt.datetime(2024, 3, 31, 2, 30, tzinfo=BERLIN)))
        assert error.field == "opens"
        assert str(error).startswith(
            "opens must be a wall time that exists in its zone (a DST change skips it) (got "
        )

    def test_consultation_needs_version(self) -> None:
        """A consultation must say which version it concerns."""
        error = raised(lambda: phase(kind="consultation"))
        assert str(error) == (
            "version must be the number of the version under consultation (got None)"
        )

    def test_contributions_only_in_consultation(self) -> None:
        """Only a consultation phase may open commenting."""
        grant = Grant(actions=["respond", "comment"], roles=["resident"])
        error = raised(lambda: phase(grants=[grant]))
        assert error.field == "grants[0].actions"
        assert str(error) == (
            "grants[0].actions may contain ['comment'] only in a consultation phase "
            "(got kind 'evaluation')"
        )

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("id", "zwei Wörter", "id must be an identifier of letters, digits, '.', '_' and '-'"),
            ("title", " ", "title must be a non-empty string"),
            (
                "kind",
                "",
                "kind must be one of ['drafting', 'consultation', 'evaluation', "
                "'revision', 'adoption'] or a host's own identifier",
            ),
            ("version", 0, "version must be a version number of at least 1 or None"),
            ("parallel", "yes", "parallel must be True or False"),
            ("opens", "2024-04-01", "opens must be a date or a timezone-aware datetime"),
            (
                "grants",
                Grant(actions=["respond"], roles=["administration"]),
                "grants must be a list of Grant",
            ),
        ],
    )
    def test_bad_fields(self, field: str, value: object, message: str) -> None:
        """Each field is checked, and the message names it and the value."""
        error = raised(lambda: phase(**{field: value}))
        assert str(error).startswith(message)
        assert str(error).endswith(f"(got {value!r})")
        assert isinstance(error, ValueError)


class TestGrant:
    """A grant converts strings to enums and checks them."""

    def test_canonical_order(self) -> None:
        """Members come in declaration order without duplicates; channels default to all."""
        grant = Grant(actions=["reply", "comment", "reply"], roles=["resident"])
        assert grant.actions == (Action.COMMENT, Action.REPLY)
        assert len(grant.channels) == 6

    def test_standing_actions_not_grantable(self) -> None:
        """Viewing and moderation are standing rules, not grants."""
        error = raised(lambda: Grant(actions=["comment", "hide"], roles=["moderator"]))
        assert str(error) == (
            "actions must not contain ['hide']: viewing is always open to everyone and "
            "moderators may always hide and restore (got ['comment', 'hide'])"
        )

    def test_unknown_role(self) -> None:
        """An unknown role is named with its position."""
        error = raised(lambda: Grant(actions=["comment"], roles=["resident", "mayor"]))
        assert error.field == "roles[1]"
        assert str(error) == (
            "roles[1] must be one of ['visitor', 'resident', 'moderator', 'administration'] "
            "(got 'mayor')"
        )

    def test_empty_and_bare_string(self) -> None:
        """An empty list and a bare string are refused."""
        assert str(raised(lambda: Grant(actions=[], roles=["resident"]))) == (
            "actions must not be empty (got [])"
        )
        assert str(raised(lambda: Grant(actions="comment", roles=["resident"]))) == (
            "actions must be a list of Action values (got 'comment')"
        )


class TestEvent:
    """An event names a place and a time span."""

    def test_recording_window(self) -> None:
        """Recording runs from the start until the grace period after the end."""
        workshop = event(grace=dt.timedelta(days=3))
        assert workshop.recording(BERLIN) == Window(local(2024, 3, 21, 18), local(2024, 3, 24, 20))
        assert workshop.channel == "workshop"
        assert workshop.recorded_by == (Role.MODERATOR,)

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            (
                {"end": local(2024, 3, 21, 18)},
                "end must be later than start '2024-03-21T18:00:00+01:00'",
            ),
            ({"place": "Bürgerhaus"}, "place must be a Place naming where the event takes place"),
            ({"grace": dt.timedelta(hours=-1)}, "grace must be a timedelta of zero or more"),
            ({"capacity": 0}, "capacity must be a number of places of at least 1 or None"),
            ({"registration": None}, "registration must be True or False"),
            ({"start": dt.datetime(2024, 3, 21, 18)}, "start must be a timezone-aware datetime"),
            ({"channel": "fax"}, "channel must be one of ['online', 'workshop', 'email', "),
        ],
    )
    def test_bad_fields(self, changes: dict[str, object], message: str) -> None:
        """Each problem is named with the field and the value."""
        error = raised(lambda: event(**changes))
        assert str(error).startswith(message)
        assert str(error).endswith(f"(got {next(iter(changes.values()))!r})")

    def test_place_needs_a_name(self) -> None:
        """A place without a name is refused."""
        assert str(raised(lambda: Place(" "))) == "name must be a non-empty string (got ' ')"


class TestMaterial:
    """Published materials hold a Markdown text or a link."""

    def test_text_or_link(self) -> None:
        """Either is enough; neither is refused."""
        minutes = Material(id="p", kind="minutes", title="P", date=dt.date(2024, 4, 11), text="#")
        assert minutes.kind is MaterialKind.MINUTES
        link = Material(
            id="z", kind="time-plan", title="Z", date=dt.date(2024, 3, 8), url="https://x.org/z"
        )
        assert link.text is None
        error = raised(
            lambda: Material(id="p", kind="minutes", title="P", date=dt.date(2024, 4, 1))
        )
        assert str(error) == "text must be a Markdown text, or a url given instead (got None)"

    def test_bad_url_and_date(self) -> None:
        """Links are http(s); the date is a calendar day, not an instant."""
        error = raised(
            lambda: Material(id="p", kind="minutes", title="P", date=dt.date(2024, 4, 1), url="x")
        )
        assert str(error) == "url must be an http or https URL or None (got 'x')"
        error = raised(
            lambda: Material(id="p", kind="minutes", title="P", date=local(2024, 4, 1), text="t")
        )
        assert error.field == "date"


class TestProcedure:
    """A procedure checks how its parts fit together and reports all problems at once."""

    def test_example_story(self) -> None:
        """The bundled example holds the story of DESIGN.md."""
        procedure = example_procedure()
        assert procedure.zone == "Europe/Berlin"
        [consult] = procedure.consultations
        assert procedure.window(consult) == Window(local(2024, 3, 8), local(2024, 3, 30))
        [workshop] = procedure.events
        assert (workshop.start, workshop.end) == (local(2024, 3, 21, 18), local(2024, 3, 21, 20))
        assert workshop.registration is False
        assert workshop.channel == "workshop"
        assert workshop.grace == dt.timedelta(days=3)
        assert {m.kind for m in procedure.materials} == {"minutes", "time-plan"}

    def test_zone(self) -> None:
        """Unknown time zone names are refused; ZoneInfo objects are accepted."""
        error = raised(lambda: Procedure(title="P", versions=[1], zone="Mars/Olympus"))
        assert str(error) == (
            "zone must be an IANA time zone name such as 'Europe/Berlin' (got 'Mars/Olympus')"
        )
        assert Procedure(title="P", versions=[1], zone=BERLIN).zone == "Europe/Berlin"

    @pytest.mark.parametrize(
        ("versions", "message"),
        [
            ([], "versions must name at least one version consulted on (got [])"),
            ([2, 1], "versions[1] must be greater than 2, the version before it (got 1)"),
            ([0], "versions[0] must be a version number of at least 1 (got 0)"),
            ("1", "versions must be a list of version numbers (got '1')"),
        ],
    )
    def test_versions(self, versions: object, message: str) -> None:
        """Versions are ascending numbers of at least 1."""
        assert str(raised(lambda: Procedure(title="P", versions=versions))) == message  # type: ignore[arg-type]

    def test_parts_must_have_their_type(self) -> None:
        """A phase list holding something else is refused with the position."""
        error = raised(lambda: Procedure(title="P", versions=[1], phases=[phase(), "x"]))  # type: ignore[list-item]
        assert str(error) == "phases[1] must be a Phase (got 'x')"

    def test_overlap_refused_unless_parallel(self) -> None:
        """Overlapping phases are refused; declaring one parallel allows it."""
        first = consultation(dt.date(2024, 3, 8), dt.date(2024, 3, 29))
        error = raised(
            lambda: Procedure(
                title="P", versions=[1], phases=[first, phase(opens=dt.date(2024, 3, 29))]
            )
        )
        assert error.field == "phases[1]"
        assert str(error) == (
            "phases[1] must not overlap phases[0] 'kommentierung' (2024-03-08T00:00:00+01:00 to "
            "2024-03-30T00:00:00+01:00) unless one is declared parallel (got 'auswertung': "
            "2024-03-29T00:00:00+01:00 to 2024-04-20T00:00:00+02:00)"
        )
        allowed = Procedure(
            title="P",
            versions=[1],
            phases=[first, phase(opens=dt.date(2024, 3, 29), parallel=True)],
        )
        assert len(allowed.phases) == 2

    def test_adjacent_phases_do_not_overlap(self) -> None:
        """Half-open windows: a phase may open at the instant the one before closes."""
        first = consultation(dt.date(2024, 3, 8), local(2024, 3, 29, 12))
        procedure = Procedure(
            title="P", versions=[1], phases=[first, phase(opens=local(2024, 3, 29, 12))]
        )
        assert len(procedure.phases) == 2

    def test_all_problems_together(self) -> None:
        """Three problems are raised together in one ProcedureError listing each."""
        phases = [
            consultation(dt.date(2024, 3, 8), dt.date(2024, 3, 29)),
            consultation(dt.date(2024, 3, 20), dt.date(2024, 4, 5), version=2, id="zweite"),
            phase(id="kommentierung", opens=dt.date(2024, 3, 1), closes=dt.date(2024, 3, 2)),
        ]
        error = raised(lambda: Procedure(title="P", versions=[1], phases=phases))
        assert error.field is None
        problems = error.value
        assert [p.field for p in problems] == [
            "phases[2].id",
            "phases[1]",
            "phases[1].version",
            "phases[2].opens",
        ]
        assert all(isinstance(p, ProcedureError) for p in problems)
        assert str(error).splitlines()[0] == "the procedure has 4 problems:"
        assert str(error).splitlines()[1] == (
            "- phases[2].id must be unique (also used by phases[0].id) (got 'kommentierung')"
        )
        assert str(error).splitlines()[3] == (
            "- phases[1].version must be one of the versions consulted on [1] (got 2)"
        )
        assert str(error).splitlines()[4] == (
            "- phases[2].opens must be no earlier than phases[1].opens datetime.date(2024, 3, 20), "
            "phases come in order of opening (got datetime.date(2024, 3, 1))"
        )
        again = pickle.loads(pickle.dumps(error))
        assert str(again) == str(error)
        assert isinstance(error, LeitlinienError)

    def test_mixed_date_and_instant(self) -> None:
        """A date opening and an instant closing are compared in the procedure's zone."""
        bad = consultation(dt.date(2024, 3, 8), local(2024, 3, 8))
        error = raised(lambda: Procedure(title="P", versions=[1], phases=[bad]))
        assert error.field == "phases[0].closes"
        assert str(error).startswith(
            "phases[0].closes must be later than opens (2024-03-08T00:00:00+01:00 in Europe/Berlin)"
        )

    def test_events_in_order(self) -> None:
        """Events come in order of start."""
        late = event(id="spaet", start=local(2024, 3, 22, 18), end=local(2024, 3, 22, 20))
        error = raised(lambda: Procedure(title="P", versions=[1], events=[late, event()]))
        assert error.field == "events[1].start"

    def test_window_of_foreign_phase(self) -> None:
        """Asking for the window of a phase that is not part of the procedure is an error."""
        procedure = example_procedure()
        error = raised(lambda: procedure.window(phase(id="fremd")))
        assert error.field == "phase"

    def test_instants_in_other_zones(self) -> None:
        """Instants given in UTC are resolved to the same window as Berlin ones."""
        first = consultation(local(2024, 3, 8, 9).astimezone(UTC), local(2024, 3, 29, 18))
        procedure = Procedure(title="P", versions=[1], phases=[first])
        window = procedure.window(first)
        assert window.opens.tzinfo is BERLIN
        assert window.opens == local(2024, 3, 8, 9)


class TestActor:
    """Actors convert their role and keep an optional opaque id."""

    def test_conversion(self) -> None:
        """A role string becomes a Role."""
        assert Actor(role="moderator").role is Role.MODERATOR
        assert Actor(role="resident", id="r1").id == "r1"

    def test_empty_id(self) -> None:
        """An empty id is refused: None means "no id"."""
        assert str(raised(lambda: Actor(role="resident", id=""))) == (
            "id must be a non-empty string or None (got '')"
        )
