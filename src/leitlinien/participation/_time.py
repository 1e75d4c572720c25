"""Instants, local days and their wording in German and English (private).

Every comparison goes through UTC: two aware datetimes that share a `ZoneInfo` compare by wall
time and ignore `fold`, which is wrong for the repeated hour of an autumn change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from leitlinien.errors import ProcedureError

__all__ = [
    "UTC",
    "end_of_day",
    "exists",
    "format_day",
    "format_instant",
    "format_span",
    "is_ambiguous",
    "is_aware",
    "local_instant",
    "resolve_zone",
    "start_of_day",
    "utc",
]

UTC = dt.UTC

_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def resolve_zone(name: Any, field: str = "zone") -> ZoneInfo:
    """Return the `ZoneInfo` for an IANA name, raising `ProcedureError` for unknown names."""
    if isinstance(name, ZoneInfo):
        return name
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise ProcedureError(
        f"{field} must be an IANA time zone name such as 'Europe/Berlin' (got {name!r})",
        field=field,
        value=name,
    )


def is_aware(value: dt.datetime) -> bool:
    """Tell whether `value` carries a usable UTC offset."""
    return value.tzinfo is not None and value.utcoffset() is not None


def utc(value: dt.datetime) -> dt.datetime:
    """Return the aware `value` as a UTC datetime (the instant, free of `fold` subtleties)."""
    return value.astimezone(UTC)


def exists(value: dt.datetime) -> bool:
    """Tell whether the wall time of the aware `value` exists in its zone (not skipped by DST)."""
    tz = value.tzinfo
    back = value.astimezone(UTC).astimezone(tz)
    return back.replace(tzinfo=None) == value.replace(tzinfo=None)


def is_ambiguous(naive: dt.datetime, zone: ZoneInfo) -> bool:
    """Tell whether the wall time `naive` occurs twice in `zone` (the repeated autumn hour)."""
    early = naive.replace(tzinfo=zone, fold=0).utcoffset()
    late = naive.replace(tzinfo=zone, fold=1).utcoffset()
    return early != late and exists(naive.replace(tzinfo=zone))


def local_instant(naive: dt.datetime, zone: ZoneInfo, field: str) -> dt.datetime:
    """Return the wall time `naive` in `zone` as an aware datetime.

    A wall time skipped by a spring change or repeated by an autumn change has no single
    instant: `ProcedureError` says so and asks for an explicit UTC offset.
    """
    aware = naive.replace(tzinfo=zone, fold=0)
    if not exists(aware):
        raise ProcedureError(
            f"{field} must be a local time that exists in {zone.key} (got {naive.isoformat()!r}, "
            "which the daylight-saving change skips); give an explicit UTC offset",
            field=field,
            value=naive,
        )
    if is_ambiguous(naive, zone):
        raise ProcedureError(
            f"{field} must be a local time that occurs once in {zone.key} (got "
            f"{naive.isoformat()!r}, which the daylight-saving change repeats); give an explicit "
            "UTC offset",
            field=field,
            value=naive,
        )
    return aware


def start_of_day(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """Return the first instant of `day` in `zone`, in that zone.

    Where a change skips midnight, the day begins at the first wall time that exists.
    """
    return utc(dt.datetime.combine(day, dt.time(), tzinfo=zone)).astimezone(zone)


def end_of_day(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """Return the instant just after `day` in `zone`: the start of the next day."""
    return start_of_day(day + dt.timedelta(days=1), zone)


def format_instant(value: dt.datetime, zone: ZoneInfo, lang: str, *, closing: bool) -> str:
    """Word an instant for a message: "29.03.2024 um 24:00 Uhr", "29 March 2024 at midnight".

    A closing instant at local midnight is worded as the end of the day before; an opening
    instant at midnight leaves out the time ("08.03.2024", "8 March 2024").
    """
    local = value.astimezone(zone)
    day = local.date()
    midnight = local.time() == dt.time()
    if midnight and closing:
        day -= dt.timedelta(days=1)
    text = format_day(day, lang)
    if midnight:
        if not closing:
            return text
        return f"{text} um 24:00 Uhr" if lang == "de" else f"{text} at midnight"
    return f"{text} um {local:%H:%M} Uhr" if lang == "de" else f"{text} at {local:%H:%M}"


def format_day(day: dt.date, lang: str) -> str:
    """Word a day: "08.03.2024" in German, "8 March 2024" in English."""
    if lang == "de":
        return f"{day:%d.%m.%Y}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def format_span(start: dt.datetime, end: dt.datetime, zone: ZoneInfo, lang: str) -> str:
    """Word a span of time: "21.03.2024, 18:00–20:00 Uhr", "21 March 2024, 18:00–20:00"."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    unit = " Uhr" if lang == "de" else ""
    if first.date() == last.date():
        return f"{format_day(first.date(), lang)}, {first:%H:%M}–{last:%H:%M}{unit}"
    return (
        f"{format_day(first.date(), lang)}, {first:%H:%M}{unit} – "
        f"{format_day(last.date(), lang)}, {last:%H:%M}{unit}"
    )
