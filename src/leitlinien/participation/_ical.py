"""iCalendar (RFC 5545) export of a procedure's timeline (private).

Lines end in CRLF and are folded at 75 octets; text values are escaped. Timed entries are
given in the procedure's zone, described by a VTIMEZONE built from `zoneinfo` (one onset per
change, no recurrence rules, so it is exact for the years covered). UIDs come from the
procedure's title and the entry's kind and id, so a calendar updates an entry in place when
its dates change; DTSTAMP is the first entry's start unless a stamp is given.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from leitlinien.participation._model import Event, Material, Phase
from leitlinien.participation._status import EntryKind, TimelineEntry
from leitlinien.participation._time import UTC, is_ambiguous, utc

if TYPE_CHECKING:
    from leitlinien.participation._procedure import Procedure

__all__ = ["escape_text", "fold", "to_ical"]

_PRODID = "-//leitlinien//participation//DE"
_STEP = dt.timedelta(hours=12)


def escape_text(value: str) -> str:
    r"""Escape a TEXT value: backslash, semicolon, comma and newlines.

    >>> escape_text("a, b; c\\d\ne")
    'a\\, b\\; c\\\\d\\ne'
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never splitting a character."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size, limit = [" "], 1, 75
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


def to_ical(procedure: Procedure, *, stamp: dt.datetime | None) -> str:
    """Return the iCalendar text of `procedure`'s timeline."""
    zone = procedure.tz
    entries = procedure.timeline()
    if stamp is None:
        stamp = entries[0].start if entries else dt.datetime(1970, 1, 1, tzinfo=UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(procedure.title)}",
        f"X-WR-TIMEZONE:{zone.key}",
    ]
    if entries:
        first = min(utc(e.start) for e in entries).year
        last = max(utc(e.end) for e in entries).year
    else:
        first = last = 1970
    lines += _vtimezone(zone, first, last)
    for entry in entries:
        lines += _vevent(procedure.title, entry, zone, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _vevent(title: str, entry: TimelineEntry, zone: ZoneInfo, stamp: dt.datetime) -> list[str]:
    key = f"{title}\x1f{entry.kind.value}\x1f{entry.id}".encode()
    uid = hashlib.sha256(key).hexdigest()[:32]
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}@leitlinien",
        f"DTSTAMP:{_utc_text(stamp)}",
    ]
    if entry.all_day:
        lines.append(f"DTSTART;VALUE=DATE:{entry.start.astimezone(zone).date():%Y%m%d}")
        lines.append(f"DTEND;VALUE=DATE:{entry.end.astimezone(zone).date():%Y%m%d}")
    else:
        lines.append(_timed("DTSTART", entry.start, zone))
        lines.append(_timed("DTEND", entry.end, zone))
    lines.append(f"SUMMARY:{escape_text(entry.title)}")
    item = entry.item
    description = ""
    if isinstance(item, Phase):
        description = item.description
        lines.append(f"CATEGORIES:{escape_text(str(item.kind))}")
    elif isinstance(item, Event):
        notes = [item.description] if item.description else []
        notes.append(
            "Anmeldung erforderlich." if item.registration else "Keine Anmeldung erforderlich."
        )
        if item.capacity is not None:
            notes.append(f"Plätze: {item.capacity}.")
        description = "\n".join(notes)
        place = ", ".join(part for part in (item.place.name, item.place.address) if part)
        lines.append(f"LOCATION:{escape_text(place)}")
        lines.append(f"CATEGORIES:{escape_text(item.kind)}")
    elif isinstance(item, Material):
        description = item.text or ""
        lines.append(f"CATEGORIES:{escape_text(str(item.kind))}")
        if item.url is not None:
            lines.append(f"URL:{item.url}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    transparent = entry.kind is not EntryKind.EVENT
    lines.append(f"TRANSP:{'TRANSPARENT' if transparent else 'OPAQUE'}")
    lines.append("END:VEVENT")
    return lines


def _utc_text(value: dt.datetime) -> str:
    return f"{utc(value):%Y%m%dT%H%M%SZ}"


def _timed(name: str, value: dt.datetime, zone: ZoneInfo) -> str:
    local = value.astimezone(zone)
    naive = local.replace(tzinfo=None, fold=0)
    if is_ambiguous(naive, zone):
        # A repeated wall time cannot be told apart with TZID (RFC 5545 picks the first one).
        return f"{name}:{_utc_text(value)}"
    return f"{name};TZID={zone.key}:{naive:%Y%m%dT%H%M%S}"


def _offset(value: dt.timedelta) -> str:
    sign = "-" if value < dt.timedelta(0) else "+"
    seconds = abs(int(value.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _observed(zone: ZoneInfo, instant: dt.datetime) -> tuple[dt.timedelta, dt.timedelta, str]:
    local = instant.astimezone(zone)
    return (
        local.utcoffset() or dt.timedelta(0),
        local.dst() or dt.timedelta(0),
        local.tzname() or zone.key,
    )


def _vtimezone(zone: ZoneInfo, first_year: int, last_year: int) -> list[str]:
    """Describe `zone` from 1 January of `first_year` to the end of `last_year`."""
    begin = dt.datetime(first_year, 1, 1, tzinfo=UTC)
    finish = dt.datetime(last_year + 1, 1, 1, tzinfo=UTC)
    offset, dst, name = _observed(zone, begin)
    lines = [
        "BEGIN:VTIMEZONE",
        f"TZID:{zone.key}",
        *_observance(begin + offset, offset, offset, dst, name),
    ]
    moment = begin
    before = (offset, dst, name)
    while moment < finish:
        following = moment + _STEP
        after = _observed(zone, following)
        if after != before:
            low, high = moment, following
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle <= low:
                    break
                if _observed(zone, middle) == before:
                    low = middle
                else:
                    high = middle
            lines += _observance(high + before[0], before[0], after[0], after[1], after[2])
            before = after
        moment = following
    lines.append("END:VTIMEZONE")
    return lines


def _observance(
    local_start: dt.datetime,
    offset_from: dt.timedelta,
    offset_to: dt.timedelta,
    dst: dt.timedelta,
    name: str,
) -> list[str]:
    kind = "DAYLIGHT" if dst else "STANDARD"
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{local_start.replace(tzinfo=None):%Y%m%dT%H%M%S}",
        f"TZOFFSETFROM:{_offset(offset_from)}",
        f"TZOFFSETTO:{_offset(offset_to)}",
        f"TZNAME:{escape_text(name)}",
        f"END:{kind}",
    ]
