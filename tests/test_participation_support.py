"""Shared helpers for the participation tests: comments, instants, procedures, strategies.

Holds no tests itself; the ``test_participation_*`` modules import from it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

from leitlinien.comments import Channel
from leitlinien.participation import Event, Grant, Phase, Place, Procedure

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC
MICRO = dt.timedelta(microseconds=1)

CONTRIBUTING = ("comment", "reply", "amend", "support", "edit", "withdraw")


@attrs.frozen
class Author:
    """An author as the policy sees it: an opaque id."""

    id: str


@attrs.frozen
class Comment:
    """A comment satisfying `leitlinien.participation.CommentLike`."""

    id: str
    author: Author
    version: int
    created_at: dt.datetime
    channel: Channel = Channel.ONLINE


def comment(author: str = "r1", version: int = 1, created_at: dt.datetime | None = None) -> Comment:
    """Return a comment by `author` on `version`."""
    when = created_at or dt.datetime(2024, 3, 10, 12, tzinfo=BERLIN)
    return Comment(id="c1", author=Author(author), version=version, created_at=when)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """Return a Berlin wall time as an aware datetime."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def midnight(day: dt.date) -> dt.datetime:
    """Return the start of `day` in Berlin."""
    return dt.datetime.combine(day, dt.time(), tzinfo=BERLIN)


RESIDENT_GRANT = Grant(actions=CONTRIBUTING, roles=["resident"], channels=["online"])
RECORD_GRANT = Grant(actions=["record"], roles=["moderator"], channels=["email", "letter", "phone"])


def consultation(
    opens: dt.date | dt.datetime,
    closes: dt.date | dt.datetime,
    *,
    version: int = 1,
    id: str = "kommentierung",
) -> Phase:
    """Return a consultation phase with the usual grants."""
    return Phase(
        id=id,
        kind="consultation",
        title="Kommentierung",
        version=version,
        opens=opens,
        closes=closes,
        grants=[RESIDENT_GRANT, RECORD_GRANT],
    )


def summer_procedure() -> Procedure:
    """A procedure in summer time: consultation 3-28 June 2024, a workshop on its last day.

    The workshop (28 June, 17:00-19:00, grace two days) lies inside the window, so its input
    may be recorded until 30 June, 19:00, after the online window closed.
    """
    return Procedure(
        title="Sommerbeteiligung",
        versions=[1],
        phases=[
            consultation(dt.date(2024, 6, 3), dt.date(2024, 6, 28)),
            Phase(
                id="auswertung",
                kind="evaluation",
                title="Auswertung",
                version=1,
                opens=dt.date(2024, 7, 1),
                closes=dt.date(2024, 7, 19),
                grants=[Grant(actions=["respond"], roles=["administration"])],
            ),
            Phase(
                id="beschluss",
                kind="adoption",
                title="Beschluss",
                version=2,
                opens=dt.date(2024, 7, 22),
                closes=dt.date(2024, 7, 26),
                grants=[Grant(actions=["publish"], roles=["administration"])],
            ),
        ],
        events=[
            Event(
                id="werkstatt",
                title="Abschlusswerkstatt",
                start=local(2024, 6, 28, 17),
                end=local(2024, 6, 28, 19),
                place=Place("Stadtbibliothek, Lesesaal", "Bahnhofstraße 5, 34567 Lindenau"),
                grace=dt.timedelta(days=2),
            ),
            Event(
                id="infoabend",
                title="Infoabend",
                start=local(2024, 7, 10, 18),
                end=local(2024, 7, 10, 19, 30),
                place=Place("Rathaus, Ratssaal"),
                grace=dt.timedelta(days=1),
            ),
        ],
    )


def parallel_procedure(
    first: dt.date = dt.date(2024, 3, 8), last: dt.date = dt.date(2024, 3, 29)
) -> Procedure:
    """A consultation from `first` through `last` with a parallel phase opening a week later
    and granting respond and publish (winter time by default)."""
    return Procedure(
        title="Parallel",
        versions=[1],
        phases=[
            consultation(first, last),
            Phase(
                id="arbeitsgruppe",
                kind="evaluation",
                title="Laufende Abwägung",
                version=None,
                opens=first + dt.timedelta(days=7),
                closes=last + dt.timedelta(days=30),
                parallel=True,
                grants=[Grant(actions=["respond", "publish"], roles=["administration"])],
            ),
        ],
    )


# -- strategies -------------------------------------------------------------------------------

ZONES = st.sampled_from(
    ["Europe/Berlin", "UTC", "America/New_York", "Australia/Sydney", "America/Santiago"]
)
DAYS = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2026, 12, 31))


@st.composite
def procedures(draw: st.DrawFn) -> Procedure:
    """Random procedures: alternating consultation and evaluation phases with gaps, some
    given by dates and some by aware instants, in several zones, with events inside and
    outside the consultations."""
    zone = ZoneInfo(draw(ZONES))
    start = draw(DAYS)
    count = draw(st.integers(min_value=1, max_value=3))
    phases = []
    events = []
    day = start
    for n in range(count):
        length = draw(st.integers(min_value=0, max_value=40))
        gap = draw(st.integers(min_value=0, max_value=10))
        opens: dt.date | dt.datetime = day
        closes: dt.date | dt.datetime = day + dt.timedelta(days=length)
        if draw(st.booleans()):
            hour = draw(st.integers(min_value=0, max_value=11))
            opens = _wall(day, hour, zone)
            closes = _wall(day + dt.timedelta(days=length), 12 + hour, zone)
        phases.append(
            Phase(
                id=f"k{n}",
                kind="consultation",
                title=f"Kommentierung {n + 1}",
                version=n + 1,
                opens=opens,
                closes=closes,
                grants=[RESIDENT_GRANT, RECORD_GRANT],
            )
        )
        after = day + dt.timedelta(days=length + 1 + gap)
        evaluation_length = draw(st.integers(min_value=0, max_value=20))
        phases.append(
            Phase(
                id=f"a{n}",
                kind="evaluation",
                title=f"Auswertung {n + 1}",
                version=n + 1,
                opens=after,
                closes=after + dt.timedelta(days=evaluation_length),
                grants=[
                    Grant(actions=["respond"], roles=["administration"]),
                    Grant(actions=["publish"], roles=["administration"]),
                ],
            )
        )
        if draw(st.booleans()):
            offset = draw(st.integers(min_value=-1, max_value=length + 1))
            begin = _wall(day + dt.timedelta(days=offset), 18, zone)
            events.append(
                Event(
                    id=f"w{n}",
                    title=f"Werkstatt {n + 1}",
                    start=begin,
                    end=begin + dt.timedelta(hours=2),
                    place=Place("Bürgerhaus"),
                    grace=dt.timedelta(days=draw(st.integers(min_value=0, max_value=5))),
                )
            )
        day = after + dt.timedelta(days=evaluation_length + 1 + gap)
    return Procedure(
        title="Zufall",
        zone=zone.key,
        versions=list(range(1, count + 1)),
        phases=phases,
        events=events,
    )


def _wall(day: dt.date, hour: int, zone: ZoneInfo) -> dt.datetime:
    """Return an existing wall time on `day` at `hour` (moved past a skipped hour)."""
    naive = dt.datetime.combine(day, dt.time(hour))
    aware = naive.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone)


instants = st.datetimes(
    min_value=dt.datetime(2022, 12, 1),
    max_value=dt.datetime(2027, 6, 30),
    timezones=st.sampled_from([UTC, BERLIN, ZoneInfo("America/New_York")]),
)


@st.composite
def situations(draw: st.DrawFn) -> tuple[Procedure, dt.datetime]:
    """A random procedure and an instant near one of its boundaries (often exactly on one,
    or one microsecond off), given in a random zone."""
    procedure = draw(procedures())
    marks = []
    for phase in procedure.phases:
        window = procedure.window(phase)
        marks += [window.opens, window.closes]
    for event in procedure.events:
        marks += [event.start, event.end, procedure.recording(event).closes]
    base = draw(st.sampled_from(marks)).astimezone(UTC)
    shift = draw(
        st.one_of(
            st.sampled_from([dt.timedelta(0), MICRO, -MICRO]),
            st.integers(-4 * 86_400, 4 * 86_400).map(lambda s: dt.timedelta(seconds=s)),
        )
    )
    zone = draw(st.sampled_from([UTC, BERLIN, ZoneInfo("America/New_York")]))
    return procedure, (base + shift).astimezone(zone)
