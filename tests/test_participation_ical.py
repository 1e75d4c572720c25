"""iCalendar export, validated against RFC 5545 by a small checker written here.

The checker unfolds lines, checks CRLF endings and the 75-octet limit, the content-line
syntax, BEGIN/END nesting, the required properties per component and the value formats, then
parses the dates back, reading TZID with `zoneinfo` and checking the VTIMEZONE against it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from leitlinien.participation import (
    EntryKind,
    Event,
    Material,
    Place,
    Procedure,
    TimelineEntry,
    example_procedure,
)
from test_participation_support import BERLIN, UTC, consultation, local

EXAMPLE = example_procedure()

_NAME = r"[A-Za-z0-9-]+"
_PARAM = rf'{_NAME}=(?:"[^"\x00-\x08\x0a-\x1f\x7f]*"|[^";:,\x00-\x08\x0a-\x1f\x7f]*)'
_LINE = re.compile(
    rf'(?P<name>{_NAME})(?P<params>(?:;{_PARAM}(?:,(?:"[^"]*"|[^";:,]*))*)*):(?P<value>[^\x00-\x08\x0a-\x1f\x7f]*)\Z'
)
_ALLOWED = {
    None: {"VCALENDAR"},
    "VCALENDAR": {"VEVENT", "VTIMEZONE"},
    "VTIMEZONE": {"STANDARD", "DAYLIGHT"},
    "VEVENT": set(),
    "STANDARD": set(),
    "DAYLIGHT": set(),
}
_REQUIRED_ONCE = {
    "VCALENDAR": {"PRODID", "VERSION"},
    "VEVENT": {"UID", "DTSTAMP", "DTSTART"},
    "VTIMEZONE": {"TZID"},
    "STANDARD": {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO"},
    "DAYLIGHT": {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO"},
}
_TEXT = {"SUMMARY", "DESCRIPTION", "LOCATION", "CATEGORIES", "X-WR-CALNAME", "TZNAME"}


@attrs.define
class Component:
    """A parsed component: its name, its properties in order and its subcomponents."""

    name: str
    properties: list[tuple[str, dict[str, str], str]] = attrs.Factory(list)
    children: list[Component] = attrs.Factory(list)

    def get(self, name: str) -> tuple[dict[str, str], str]:
        """Return the parameters and value of the one property called `name`."""
        [found] = [(p, v) for n, p, v in self.properties if n == name]
        return found

    def has(self, name: str) -> bool:
        """Tell whether the component has a property called `name`."""
        return any(n == name for n, _, _ in self.properties)


def unescape(value: str) -> str:
    """Undo TEXT escaping, refusing bare separators and unknown escapes."""
    out = []
    i = 0
    while i < len(value):
        char = value[i]
        if char == "\\":
            follower = value[i + 1]
            assert follower in "\\;,nN", f"bad escape \\{follower} in {value!r}"
            out.append("\n" if follower in "nN" else follower)
            i += 2
            continue
        assert char not in ";,", f"unescaped {char!r} in TEXT {value!r}"
        out.append(char)
        i += 1
    return "".join(out)


def check_ical(text: str) -> Component:
    """Validate `text` against RFC 5545 as far as this export uses it; return the calendar."""
    data = text.encode("utf-8")
    assert data.endswith(b"\r\n"), "the last line must end in CRLF"
    physical = data[:-2].split(b"\r\n")
    for line in physical:
        assert b"\n" not in line, f"bare LF in {line!r}"
        assert b"\r" not in line, f"bare CR in {line!r}"
        assert len(line) <= 75, f"line of {len(line)} octets: {line!r}"
    logical: list[bytes] = []
    for line in physical:
        if line[:1] in (b" ", b"\t"):
            assert logical, "a continuation line cannot come first"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack: list[Component] = []
    root: Component | None = None
    for raw in logical:
        text_line = raw.decode("utf-8")
        match = _LINE.match(text_line)
        assert match, f"not a content line: {text_line!r}"
        name, value = match["name"].upper(), match["value"]
        params = dict(p.split("=", 1) for p in match["params"].split(";")[1:])
        if name == "BEGIN":
            parent = stack[-1].name if stack else None
            assert value in _ALLOWED[parent], f"{value} may not be inside {parent}"
            component = Component(value)
            if stack:
                stack[-1].children.append(component)
            else:
                assert root is None, "one VCALENDAR only"
                root = component
            stack.append(component)
        elif name == "END":
            assert stack, f"END:{value} without BEGIN"
            assert stack.pop().name == value, f"END:{value} does not match"
        else:
            assert stack, f"property {name} outside every component"
            stack[-1].properties.append((name, params, value))
    assert not stack, "unclosed components"
    assert root is not None
    assert root.children, "a calendar needs at least one component"
    _check(root, {c.get("TZID")[1] for c in root.children if c.name == "VTIMEZONE"})
    return root


def _check(component: Component, zones: set[str]) -> None:
    names = [n for n, _, _ in component.properties]
    for required in _REQUIRED_ONCE[component.name]:
        assert names.count(required) == 1, f"{component.name} needs one {required}"
    for once in ("DTEND", "SUMMARY", "DESCRIPTION", "LOCATION", "URL", "TRANSP"):
        assert names.count(once) <= 1, f"{once} twice in {component.name}"
    assert not ("DTEND" in names and "DURATION" in names)
    if component.name == "VTIMEZONE":
        assert any(c.name in ("STANDARD", "DAYLIGHT") for c in component.children)
    for name, params, value in component.properties:
        if name in _TEXT:
            unescape(value)
        if name == "DTSTAMP":
            assert re.fullmatch(r"\d{8}T\d{6}Z", value), value
        if name in ("TZOFFSETFROM", "TZOFFSETTO"):
            assert re.fullmatch(r"[+-]\d{4}(\d{2})?", value), value
        if name in ("DTSTART", "DTEND"):
            if component.name in ("STANDARD", "DAYLIGHT"):
                assert re.fullmatch(r"\d{8}T\d{6}", value), value
            elif params.get("VALUE") == "DATE":
                assert re.fullmatch(r"\d{8}", value), value
            elif "TZID" in params:
                assert params["TZID"] in zones, f"TZID {params['TZID']} has no VTIMEZONE"
                assert re.fullmatch(r"\d{8}T\d{6}", value), value
            else:
                assert re.fullmatch(r"\d{8}T\d{6}Z", value), value
    if component.name == "VEVENT" and component.has("DTEND"):
        assert read_date(*component.get("DTEND")) > read_date(*component.get("DTSTART"))
    for child in component.children:
        _check(child, zones)


def read_date(params: dict[str, str], value: str) -> Any:
    """Parse a DTSTART/DTEND back: a date, or an aware datetime (TZID read with zoneinfo)."""
    if params.get("VALUE") == "DATE":
        return dt.datetime.strptime(value, "%Y%m%d").date()
    if value.endswith("Z"):
        return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    naive = dt.datetime.strptime(value, "%Y%m%dT%H%M%S")
    return naive.replace(tzinfo=ZoneInfo(params["TZID"]))


def offset(text: str) -> dt.timedelta:
    """Parse a UTC offset such as +0100."""
    sign = -1 if text[0] == "-" else 1
    seconds = int(text[1:3]) * 3600 + int(text[3:5]) * 60 + int(text[5:7] or 0)
    return sign * dt.timedelta(seconds=seconds)


def check_timezones(calendar: Component) -> None:
    """Every observance onset agrees with zoneinfo: the offsets before and after it."""
    for zone_component in (c for c in calendar.children if c.name == "VTIMEZONE"):
        zone = ZoneInfo(zone_component.get("TZID")[1])
        for observance in zone_component.children:
            start = dt.datetime.strptime(observance.get("DTSTART")[1], "%Y%m%dT%H%M%S")
            before = offset(observance.get("TZOFFSETFROM")[1])
            after = offset(observance.get("TZOFFSETTO")[1])
            onset = (start - before).replace(tzinfo=UTC)
            assert onset.astimezone(zone).utcoffset() == after
            if before != after:
                earlier = onset - dt.timedelta(seconds=1)
                assert earlier.astimezone(zone).utcoffset() == before


def events_by_uid(calendar: Component) -> dict[str, Component]:
    """Return the VEVENTs by UID."""
    return {c.get("UID")[1]: c for c in calendar.children if c.name == "VEVENT"}


def matches(entry: TimelineEntry, event: Component, zone: ZoneInfo) -> bool:
    """Tell whether a VEVENT carries the entry's title and exact span."""
    start, end = read_date(*event.get("DTSTART")), read_date(*event.get("DTEND"))
    if entry.all_day:
        span = (entry.start.astimezone(zone).date(), entry.end.astimezone(zone).date())
        same = (start, end) == span
    else:
        same = (start.astimezone(UTC), end.astimezone(UTC)) == (
            entry.start.replace(microsecond=0).astimezone(UTC),
            entry.end.replace(microsecond=0).astimezone(UTC),
        )
    return same and unescape(event.get("SUMMARY")[1]) == entry.title


class TestExampleCalendar:
    """The bundled example's calendar is valid and carries its timeline."""

    def test_valid_and_complete(self) -> None:
        """Every timeline entry appears once with its dates; the zone is described."""
        text = EXAMPLE.to_ical()
        calendar = check_ical(text)
        check_timezones(calendar)
        events = list(events_by_uid(calendar).values())
        timeline = EXAMPLE.timeline()
        assert len(events) == len(timeline)
        for entry, event in zip(timeline, events, strict=True):
            assert matches(entry, event, BERLIN), entry.id

    def test_workshop(self) -> None:
        """The workshop is timed in Europe/Berlin with its place and no registration."""
        calendar = check_ical(EXAMPLE.to_ical())
        [workshop] = [
            c
            for c in calendar.children
            if c.name == "VEVENT" and c.get("CATEGORIES")[1] == "workshop"
        ]
        assert workshop.get("DTSTART") == ({"TZID": "Europe/Berlin"}, "20240321T180000")
        assert workshop.get("DTEND") == ({"TZID": "Europe/Berlin"}, "20240321T200000")
        assert unescape(workshop.get("LOCATION")[1]) == (
            "Bürgerhaus Lindenau-Mitte, Großer Saal, Am Lindenplatz 3, 34567 Lindenau"
        )
        assert "Keine Anmeldung erforderlich." in unescape(workshop.get("DESCRIPTION")[1])

    def test_consultation_is_all_day_through_29_march(self) -> None:
        """The consultation is an all-day entry from 8 March to 29 March inclusive."""
        calendar = check_ical(EXAMPLE.to_ical())
        [consult] = [
            c
            for c in calendar.children
            if c.name == "VEVENT" and c.get("CATEGORIES")[1] == "consultation"
        ]
        assert consult.get("DTSTART") == ({"VALUE": "DATE"}, "20240308")
        assert consult.get("DTEND") == ({"VALUE": "DATE"}, "20240330")

    def test_deterministic(self) -> None:
        """Same procedure, same text; DTSTAMP from the data, or the stamp given."""
        text = EXAMPLE.to_ical()
        assert text == example_procedure().to_ical()
        stamps = {e.get("DTSTAMP")[1] for e in events_by_uid(check_ical(text)).values()}
        assert stamps == {"20240114T230000Z"}
        stamped = EXAMPLE.to_ical(stamp=dt.datetime(2024, 3, 1, 12, tzinfo=UTC))
        assert "DTSTAMP:20240301T120000Z\r\n" in stamped

    def test_uid_stable_when_dates_change(self) -> None:
        """UIDs depend on title, kind and id, so calendars update entries in place."""
        moved = attrs.evolve(
            EXAMPLE,
            events=[attrs.evolve(EXAMPLE.events[0], start=local(2024, 3, 21, 17))],
        )
        assert set(events_by_uid(check_ical(moved.to_ical()))) == set(
            events_by_uid(check_ical(EXAMPLE.to_ical()))
        )


class TestFormatting:
    """Line folding, escaping and time zones."""

    def test_escaping_and_folding(self) -> None:
        """Commas, semicolons, backslashes and newlines are escaped; long lines are folded."""
        title = "Werkstatt; Teil 1, „Grundsätze“ \\ Vorschläge\n" + "Ä" * 100
        workshop = Event(
            id="w",
            title=title,
            start=local(2024, 3, 21, 18),
            end=local(2024, 3, 21, 20),
            place=Place("Saal; oben, links", "Weg 1\nHinterhaus"),
            description="ß" * 200,
        )
        procedure = Procedure(title="P, Q; R", versions=[1], events=[workshop])
        calendar = check_ical(procedure.to_ical())
        [event] = events_by_uid(calendar).values()
        assert unescape(event.get("SUMMARY")[1]) == title
        assert unescape(event.get("LOCATION")[1]) == "Saal; oben, links, Weg 1\nHinterhaus"
        assert unescape(calendar.get("X-WR-CALNAME")[1]) == "P, Q; R"

    def test_material_link(self) -> None:
        """A material's link becomes URL."""
        procedure = Procedure(
            title="P",
            versions=[1],
            materials=[
                Material(
                    id="z",
                    kind="time-plan",
                    title="Zeitplan",
                    date=dt.date(2024, 3, 8),
                    url="https://example.org/z",
                )
            ],
        )
        [event] = events_by_uid(check_ical(procedure.to_ical())).values()
        assert event.get("URL")[1] == "https://example.org/z"

    def test_repeated_hour_in_utc(self) -> None:
        """A wall time of the repeated autumn hour is written in UTC, which is unambiguous."""
        second = dt.datetime(2024, 10, 27, 2, 15, fold=1, tzinfo=BERLIN)
        workshop = Event(
            id="nacht",
            title="Nachtwerkstatt",
            start=second,
            end=local(2024, 10, 27, 4),
            place=Place("Saal"),
        )
        procedure = Procedure(title="P", versions=[1], events=[workshop])
        [event] = events_by_uid(check_ical(procedure.to_ical())).values()
        assert event.get("DTSTART") == ({}, "20241027T011500Z")
        assert event.get("DTEND") == ({"TZID": "Europe/Berlin"}, "20241027T040000")

    @pytest.mark.parametrize(
        "zone", ["Europe/Berlin", "Australia/Sydney", "UTC", "America/Santiago", "Asia/Kolkata"]
    )
    def test_timezone_agrees_with_zoneinfo(self, zone: str) -> None:
        """The VTIMEZONE describes each zone's changes exactly for the years covered."""
        procedure = Procedure(
            title="P",
            zone=zone,
            versions=[1],
            phases=[consultation(dt.date(2024, 2, 1), dt.date(2025, 11, 30))],
        )
        calendar = check_ical(procedure.to_ical())
        check_timezones(calendar)
        [timezone] = [c for c in calendar.children if c.name == "VTIMEZONE"]
        changes = len(timezone.children) - 1
        assert changes == {"Europe/Berlin": 4, "Australia/Sydney": 4, "UTC": 0}.get(zone, changes)

    def test_entry_kinds_in_categories(self) -> None:
        """Phases and materials are transparent; events block time."""
        calendar = check_ical(EXAMPLE.to_ical())
        kinds = {e.id: e.kind for e in EXAMPLE.timeline()}
        assert set(kinds.values()) == set(EntryKind)
        transp = [c.get("TRANSP")[1] for c in calendar.children if c.name == "VEVENT"]
        assert transp.count("OPAQUE") == 1


class TestChecker:
    """The checker itself rejects what RFC 5545 forbids, so its passes mean something."""

    GOOD = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//DE\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        "DTSTAMP:20240101T000000Z\r\nDTSTART;VALUE=DATE:20240101\r\nSUMMARY:a\\, b\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )

    @pytest.mark.parametrize(
        ("broken", "complaint"),
        [
            (GOOD.replace("\r\n", "\n"), "CRLF"),
            (GOOD.replace("SUMMARY:a\\, b", "SUMMARY:" + "x" * 70), "octets"),
            (GOOD.replace("SUMMARY:a\\, b", "SUMMARY:a, b"), "unescaped"),
            (GOOD.replace("UID:1\r\n", ""), "needs one UID"),
            (GOOD.replace("END:VEVENT", "END:VTODO"), "does not match"),
            (GOOD.replace("DTSTAMP:20240101T000000Z", "DTSTAMP:20240101T000000"), "20240101"),
            (GOOD.replace("DTSTART;VALUE=DATE:20240101", "DTSTART;TZID=X:20240101T000000"), "TZID"),
            (GOOD.replace("SUMMARY:a\\, b", "SUMMARY a"), "not a content line"),
        ],
    )
    def test_rejects(self, broken: str, complaint: str) -> None:
        """Each broken calendar fails with the matching complaint."""
        check_ical(self.GOOD)
        with pytest.raises(AssertionError, match=complaint):
            check_ical(broken)
