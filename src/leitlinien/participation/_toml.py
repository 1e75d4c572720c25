"""Plain data and TOML for procedures (private).

`to_data` turns a procedure into plain data; `from_data` reads it back, naming the path of
every bad field (``phases[2].closes``). Dates and times are TOML-native (``native=True``) or
ISO 8601 strings (for JSON). A date-time is written as a local date-time in the procedure's
zone unless the wall time is repeated by an autumn change, then with its UTC offset.
TOML has no writer in the standard library, so `dumps` is a small one for this schema.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from leitlinien._dicts import check_schema, expect_list, expect_mapping, get, join
from leitlinien.errors import ProcedureError, SerializationError
from leitlinien.participation._model import (
    Event,
    Grant,
    Material,
    Phase,
    Place,
    raise_together,
    within,
)
from leitlinien.participation._time import is_ambiguous, local_instant, resolve_zone

if TYPE_CHECKING:
    from leitlinien.participation._procedure import Procedure

__all__ = ["FORMAT_VERSION", "SCHEMA", "dumps", "from_data", "loads", "to_data"]

SCHEMA = "leitlinien/procedure"
FORMAT_VERSION = 1

P = TypeVar("P", bound="Procedure")

_DURATION = re.compile(
    r"P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d{1,6})?)S)?)?\Z"
)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")

_TOP_KEYS = {
    "schema",
    "version",
    "title",
    "zone",
    "versions",
    "description",
    "phases",
    "events",
    "materials",
}
_PHASE_KEYS = {
    "id",
    "kind",
    "title",
    "version",
    "opens",
    "closes",
    "parallel",
    "description",
    "grants",
}
_GRANT_KEYS = {"actions", "roles", "channels"}
_EVENT_KEYS = {
    "id",
    "kind",
    "title",
    "start",
    "end",
    "place",
    "registration",
    "capacity",
    "channel",
    "grace",
    "recorded_by",
    "description",
}
_PLACE_KEYS = {"name", "address"}
_MATERIAL_KEYS = {"id", "kind", "title", "date", "text", "url"}


# -- writing ----------------------------------------------------------------------------------


def to_data(procedure: Procedure, *, native: bool) -> dict[str, Any]:
    """Return `procedure` as plain data; `native` keeps dates as `date`/`datetime` objects."""
    zone = procedure.tz

    def moment(value: dt.date) -> Any:
        if isinstance(value, dt.datetime):
            local = value.astimezone(zone)
            naive = local.replace(tzinfo=None)
            written: dt.date = local if is_ambiguous(naive, zone) else naive
        else:
            written = value
        return written if native else written.isoformat()

    data: dict[str, Any] = {
        "schema": SCHEMA,
        "version": FORMAT_VERSION,
        "title": procedure.title,
        "zone": procedure.zone,
        "versions": list(procedure.versions),
    }
    if procedure.description:
        data["description"] = procedure.description
    data["phases"] = [_phase_data(phase, moment) for phase in procedure.phases]
    data["events"] = [_event_data(event, moment) for event in procedure.events]
    data["materials"] = [_material_data(material, moment) for material in procedure.materials]
    return data


def _phase_data(phase: Phase, moment: Callable[[dt.date], Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": phase.id, "kind": str(phase.kind), "title": phase.title}
    if phase.version is not None:
        data["version"] = phase.version
    data["opens"] = moment(phase.opens)
    data["closes"] = moment(phase.closes)
    if phase.parallel:
        data["parallel"] = True
    if phase.description:
        data["description"] = phase.description
    grants = []
    for grant in phase.grants:
        entry: dict[str, Any] = {
            "actions": [a.value for a in grant.actions],
            "roles": [r.value for r in grant.roles],
        }
        if grant.channels != Grant(actions=grant.actions, roles=grant.roles).channels:
            entry["channels"] = [c.value for c in grant.channels]
        grants.append(entry)
    data["grants"] = grants
    return data


def _event_data(event: Event, moment: Callable[[dt.date], Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": event.id,
        "kind": event.kind,
        "title": event.title,
        "start": moment(event.start),
        "end": moment(event.end),
        "registration": event.registration,
    }
    if event.capacity is not None:
        data["capacity"] = event.capacity
    data["channel"] = event.channel.value
    data["grace"] = format_duration(event.grace)
    data["recorded_by"] = [r.value for r in event.recorded_by]
    if event.description:
        data["description"] = event.description
    data["place"] = {"name": event.place.name, "address": event.place.address}
    return data


def _material_data(material: Material, moment: Callable[[dt.date], Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": material.id,
        "kind": str(material.kind),
        "title": material.title,
        "date": moment(material.date),
    }
    if material.url is not None:
        data["url"] = material.url
    if material.text is not None:
        data["text"] = material.text
    return data


def format_duration(value: dt.timedelta) -> str:
    """Write a timedelta as an ISO 8601 duration: "P3D", "PT12H", "P1DT0.5S"."""
    days, seconds, micro = value.days, value.seconds, value.microseconds
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "P" + (f"{days}D" if days else "")
    clock = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if secs or micro:
        clock += (f"{secs}.{micro:06d}".rstrip("0") if micro else str(secs)) + "S"
    if clock:
        text += "T" + clock
    return text if text != "P" else "PT0S"


def dumps(data: Mapping[str, Any]) -> str:
    """Write plain data (strings, numbers, booleans, dates, lists, tables) as TOML."""
    lines: list[str] = []
    _table(lines, "", data, array=False)
    return "\n".join(lines).strip("\n") + "\n"


def _table(lines: list[str], path: str, data: Mapping[str, Any], *, array: bool) -> None:
    if path:
        lines.append("")
        lines.append(f"[[{path}]]" if array else f"[{path}]")
    nested: list[tuple[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, Mapping) or (
            isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value)
        ):
            nested.append((key, value))
        elif isinstance(value, list) and not value:
            continue  # an empty array of tables reads back as absent, which means the same
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in nested:
        sub = f"{path}.{_key(key)}" if path else _key(key)
        if isinstance(value, Mapping):
            _table(lines, sub, value, array=False)
        else:
            for item in value:
                _table(lines, sub, item, array=True)


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if "\n" in value and "\r" not in value:
            return _multiline(value)
        return _string(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise SerializationError(
        f"value must be a string, integer, boolean, date or list (got {value!r:.80})",
        value=value,
    )


def _escape_char(char: str) -> str:
    specials = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
    if char in specials:
        return specials[char]
    if char in '"\\':
        return "\\" + char
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"\\u{ord(char):04X}"
    return char


def _string(value: str) -> str:
    return '"' + "".join(_escape_char(c) for c in value) + '"'


def _multiline(value: str) -> str:
    body = "".join(c if c in "\n\t" else _escape_char(c) for c in value)
    return '"""\n' + body + '"""'


# -- reading ----------------------------------------------------------------------------------


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text, raising `SerializationError` with the line and column on bad syntax."""
    if not isinstance(text, str):
        raise SerializationError(
            f"TOML text must be a string (got {type(text).__name__}: {text!r:.80})",
            value=text,
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SerializationError(f"TOML text must be valid TOML (got an error: {exc})") from None


def _known(data: Mapping[str, Any], keys: set[str], path: str) -> None:
    for key in data:
        if key not in keys:
            where = join(path, key)
            raise SerializationError(
                f"{where} is not a known key; expected one of {sorted(keys)!r} (got {key!r})",
                field=where,
                value=key,
            )


def from_data(data: Any, cls: type[P]) -> P:
    """Build a `cls` procedure from plain data; see `Procedure.from_dict`."""
    data = check_schema(data, SCHEMA, FORMAT_VERSION)
    _known(data, _TOP_KEYS, "")
    title = get(data, "title", str, "")
    zone_name = get(data, "zone", str, "", "Europe/Berlin")
    zone = resolve_zone(zone_name)
    versions = [
        _integer(v, f"versions[{i}]")
        for i, v in enumerate(expect_list(get(data, "versions", list, ""), "versions"))
    ]
    description = get(data, "description", str, "", "")
    problems: list[ProcedureError] = []

    phases = _build_all(data, "phases", _phase, zone, problems)
    events = _build_all(data, "events", _event, zone, problems)
    materials = _build_all(data, "materials", _material, zone, problems)
    raise_together(problems)
    return cls(
        title=title,
        zone=zone.key,
        versions=versions,
        phases=phases,
        events=events,
        materials=materials,
        description=description,
    )


T = TypeVar("T")


def _build_all(
    data: Mapping[str, Any],
    key: str,
    make: Callable[[Any, str, ZoneInfo], T],
    zone: ZoneInfo,
    problems: list[ProcedureError],
) -> list[T]:
    """Build every item of the list `data[key]`, collecting invalid ones in `problems`."""
    built = []
    for i, item in enumerate(expect_list(get(data, key, list, "", []), key)):
        path = f"{key}[{i}]"
        try:
            built.append(make(item, path, zone))
        except ProcedureError as exc:
            problems.append(within(path, exc))
    return built


def _integer(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SerializationError(
            f"{path} must be an integer (got {type(value).__name__}: {value!r:.80})",
            field=path,
            value=value,
        )
    return value


def _moment(data: Mapping[str, Any], key: str, path: str, zone: ZoneInfo, *, day: bool) -> Any:
    """Read a date or date-time: TOML-native or an ISO 8601 string; local ones in `zone`."""
    where = join(path, key)
    value: Any = get(data, key, (str, dt.date), path)
    if isinstance(value, str):
        try:
            value = (
                dt.date.fromisoformat(value)
                if len(value) == 10
                else dt.datetime.fromisoformat(value)
            )
        except ValueError:
            expected = "a date 'YYYY-MM-DD'" + ("" if day else " or a date-time")
            raise SerializationError(
                f"{where} must be {expected} (got {value!r})", field=where, value=value
            ) from None
    if isinstance(value, dt.datetime):
        if day:
            raise SerializationError(
                f"{where} must be a date (got a date-time: {value.isoformat()!r})",
                field=where,
                value=value,
            )
        if value.tzinfo is None:
            return local_instant(value, zone, key)
        return value.astimezone(zone)
    return value


def _phase(item: Any, path: str, zone: ZoneInfo) -> Phase:
    data = expect_mapping(item, path)
    _known(data, _PHASE_KEYS, path)
    grants = []
    for i, raw in enumerate(expect_list(get(data, "grants", list, path, []), join(path, "grants"))):
        where = f"{join(path, 'grants')}[{i}]"
        entry = expect_mapping(raw, where)
        _known(entry, _GRANT_KEYS, where)
        kwargs: dict[str, Any] = {
            "actions": get(entry, "actions", list, where),
            "roles": get(entry, "roles", list, where),
        }
        if "channels" in entry:
            kwargs["channels"] = get(entry, "channels", list, where)
        try:
            grants.append(Grant(**kwargs))
        except ProcedureError as exc:
            raise within(f"grants[{i}]", exc) from None
    return Phase(
        id=get(data, "id", str, path),
        kind=get(data, "kind", str, path),
        title=get(data, "title", str, path),
        version=get(data, "version", int, path, None),
        opens=_moment(data, "opens", path, zone, day=False),
        closes=_moment(data, "closes", path, zone, day=False),
        parallel=get(data, "parallel", bool, path, False),
        description=get(data, "description", str, path, ""),
        grants=grants,
    )


def parse_duration(value: str, where: str) -> dt.timedelta:
    """Read an ISO 8601 duration of weeks, days, hours, minutes and seconds ("P3D")."""
    match = _DURATION.match(value)
    if not match or value in ("P", "PT") or value.endswith("T"):
        raise SerializationError(
            f"{where} must be an ISO 8601 duration such as 'P3D' or 'PT12H' (years and months "
            f"have no fixed length and are not accepted) (got {value!r})",
            field=where,
            value=value,
        )
    parts = {k: float(v) if k == "seconds" else int(v) for k, v in match.groupdict().items() if v}
    return dt.timedelta(**parts)


def _event(item: Any, path: str, zone: ZoneInfo) -> Event:
    data = expect_mapping(item, path)
    _known(data, _EVENT_KEYS, path)
    place_path = join(path, "place")
    place_data = expect_mapping(get(data, "place", dict, path), place_path)
    _known(place_data, _PLACE_KEYS, place_path)
    try:
        place = Place(
            name=get(place_data, "name", str, place_path),
            address=get(place_data, "address", str, place_path, ""),
        )
    except ProcedureError as exc:
        raise within("place", exc) from None
    kwargs: dict[str, Any] = {}
    if "recorded_by" in data:
        kwargs["recorded_by"] = get(data, "recorded_by", list, path)
    return Event(
        id=get(data, "id", str, path),
        kind=get(data, "kind", str, path, "workshop"),
        title=get(data, "title", str, path),
        start=_moment(data, "start", path, zone, day=False),
        end=_moment(data, "end", path, zone, day=False),
        place=place,
        registration=get(data, "registration", bool, path, False),
        capacity=get(data, "capacity", int, path, None),
        channel=get(data, "channel", str, path, "workshop"),
        grace=parse_duration(get(data, "grace", str, path, "PT0S"), join(path, "grace")),
        description=get(data, "description", str, path, ""),
        **kwargs,
    )


def _material(item: Any, path: str, zone: ZoneInfo) -> Material:
    data = expect_mapping(item, path)
    _known(data, _MATERIAL_KEYS, path)
    return Material(
        id=get(data, "id", str, path),
        kind=get(data, "kind", str, path),
        title=get(data, "title", str, path),
        date=_moment(data, "date", path, zone, day=True),
        text=get(data, "text", str, path, None),
        url=get(data, "url", str, path, None),
    )
