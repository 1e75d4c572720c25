"""The parts of a procedure: grants, phases, events, places, published materials (private).

Each part checks what it can see on its own when it is built and raises `ProcedureError`
naming the field; what needs the procedure's time zone or the other parts (order, overlaps,
versions) is checked by `Procedure`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import attrs

from leitlinien.comments import Channel
from leitlinien.errors import ProcedureError
from leitlinien.participation._enums import (
    CONTRIBUTIONS,
    STANDING,
    Action,
    MaterialKind,
    PhaseKind,
    Role,
    to_enum,
    to_enum_tuple,
)
from leitlinien.participation._time import end_of_day, exists, is_aware, start_of_day, utc

__all__ = [
    "Actor",
    "AuthorLike",
    "CommentLike",
    "Event",
    "Grant",
    "Material",
    "Phase",
    "Place",
    "Window",
    "raise_together",
    "within",
]

_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_URL = re.compile(r"https?://\S+\Z")


class AuthorLike(Protocol):
    """What the policy reads from a comment's author: the opaque id the host gave it."""

    @property
    def id(self) -> str:
        """The author's opaque id."""
        ...


class CommentLike(Protocol):
    """What the policy reads from a comment (`leitlinien.comments.Comment` satisfies it)."""

    @property
    def id(self) -> str:
        """The comment's id."""
        ...

    @property
    def author(self) -> AuthorLike:
        """The comment's author."""
        ...

    @property
    def version(self) -> int:
        """The number of the version the comment was made on."""
        ...

    @property
    def created_at(self) -> dt.datetime:
        """When the comment was made (for event input: when the event took place)."""
        ...

    @property
    def channel(self) -> Channel:
        """How the comment reached the city."""
        ...


def raise_together(problems: list[ProcedureError]) -> None:
    """Raise nothing, the one problem, or one `ProcedureError` listing all problems.

    With several problems, the error's `value` is the tuple of the single problems, each
    with its own `field` and `value`.
    """
    if len(problems) == 1:
        raise problems[0]
    if problems:
        listing = "\n".join(f"- {problem.message}" for problem in problems)
        raise ProcedureError(
            f"the procedure has {len(problems)} problems:\n{listing}",
            field=None,
            value=tuple(problems),
        )


def within(path: str, error: ProcedureError) -> ProcedureError:
    """Return `error` with its field (and the message that opens with it) placed below `path`."""
    field = error.field or ""
    if field and error.message.startswith(field):
        message = f"{path}.{error.message}"
    else:
        message = f"{path}: {error.message}"
    return ProcedureError(message, field=f"{path}.{field}" if field else path, value=error.value)


# -- validators: small callables that raise ProcedureError naming the field -----------------


def _problem(field: str, expected: str, value: Any) -> ProcedureError:
    return ProcedureError(f"{field} must be {expected} (got {value!r})", field=field, value=value)


def _identifier(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _IDENTIFIER.match(value):
        raise _problem(attribute.name, "an identifier of letters, digits, '.', '_' and '-'", value)


def _text(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise _problem(attribute.name, "a non-empty string", value)


def _string(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str):
        raise _problem(attribute.name, "a string", value)


def _optional_text(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise _problem(attribute.name, "a non-empty string or None", value)


def _flag(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        raise _problem(attribute.name, "True or False", value)


def _aware_datetime(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, dt.datetime):
        raise _problem(attribute.name, "a timezone-aware datetime", value)
    _check_instant(attribute.name, value)


def _day_or_instant(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, dt.datetime):
        _check_instant(attribute.name, value)
    elif not isinstance(value, dt.date):
        raise _problem(attribute.name, "a date or a timezone-aware datetime", value)


def _check_instant(field: str, value: dt.datetime) -> None:
    if not is_aware(value):
        raise _problem(field, "a timezone-aware datetime (naive datetimes are ambiguous)", value)
    if not exists(value):
        raise _problem(field, "a wall time that exists in its zone (a DST change skips it)", value)


def _optional_version(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise _problem(attribute.name, "a version number of at least 1 or None", value)


def _kind(known: type[PhaseKind] | type[MaterialKind], value: Any) -> Any:
    if isinstance(value, str):
        try:
            return known(value)
        except ValueError:
            if _IDENTIFIER.match(value):
                return value
    options = [member.value for member in known]
    raise _problem("kind", f"one of {options!r} or a host's own identifier", value)


def _phase_kind(value: Any) -> PhaseKind | str:
    return _kind(PhaseKind, value)  # type: ignore[no-any-return]


def _material_kind(value: Any) -> MaterialKind | str:
    return _kind(MaterialKind, value)  # type: ignore[no-any-return]


# -- value objects ----------------------------------------------------------------------------


def _role(value: Any) -> Role:
    return to_enum(Role, value, "role")


def _optional_id(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value):
        raise _problem(attribute.name, "a non-empty string or None", value)


@attrs.frozen
class Actor:
    """Who asks: a role (the host authenticated it) and, for one's own comments, an opaque id.

    >>> Actor(role="resident", id="r1").role
    <Role.RESIDENT: 'resident'>
    """

    role: Role = attrs.field(converter=_role)
    id: str | None = attrs.field(default=None, validator=_optional_id)


def _actions(value: Any) -> tuple[Action, ...]:
    return to_enum_tuple(Action, value, "actions")


def _roles(value: Any) -> tuple[Role, ...]:
    return to_enum_tuple(Role, value, "roles")


def _channels(value: Any) -> tuple[Channel, ...]:
    return to_enum_tuple(Channel, value, "channels")


def _not_standing(_: Any, attribute: attrs.Attribute[Any], value: tuple[Action, ...]) -> None:
    standing = [action.value for action in value if action in STANDING]
    if standing:
        raise ProcedureError(
            f"{attribute.name} must not contain {standing!r}: viewing is always open to everyone "
            f"and moderators may always hide and restore (got {[a.value for a in value]!r})",
            field=attribute.name,
            value=standing,
        )


@attrs.frozen
class Grant:
    """Actions a phase opens to some roles on some channels (all channels unless narrowed)."""

    actions: tuple[Action, ...] = attrs.field(converter=_actions, validator=_not_standing)
    roles: tuple[Role, ...] = attrs.field(converter=_roles)
    channels: tuple[Channel, ...] = attrs.field(default=tuple(Channel), converter=_channels)

    def permits(self, action: Action, role: Role, channel: Channel) -> bool:
        """Tell whether this grant opens `action` to `role` on `channel`."""
        return action in self.actions and role in self.roles and channel in self.channels


def _grants(value: Iterable[Grant]) -> tuple[Grant, ...]:
    if isinstance(value, Grant) or not isinstance(value, Iterable):
        raise _problem("grants", "a list of Grant", value)
    items = tuple(value)
    for i, item in enumerate(items):
        if not isinstance(item, Grant):
            raise _problem(f"grants[{i}]", "a Grant", item)
    return items


@attrs.frozen
class Window:
    """A half-open span of time [opens, closes), given in the procedure's time zone."""

    opens: dt.datetime
    closes: dt.datetime

    def __contains__(self, at: dt.datetime) -> bool:
        """Tell whether the aware instant `at` lies in [opens, closes)."""
        return utc(self.opens) <= utc(at) < utc(self.closes)

    @property
    def duration(self) -> dt.timedelta:
        """The elapsed time from opening to closing (an hour shorter across a spring change)."""
        return utc(self.closes) - utc(self.opens)


@attrs.frozen(kw_only=True)
class Phase:
    """A stretch of the procedure: what is open to whom, on which channel, for which version.

    `opens` and `closes` are dates or timezone-aware datetimes. A date for `opens` means the
    start of that day, a date for `closes` the end of that day ("until 29 March" is inclusive),
    both in the procedure's time zone. Windows are half-open: at `closes` the phase is over.
    A consultation phase must name its version; only consultation phases may grant the actions
    that add to the input (comment, reply, amend, support, edit, withdraw, record).
    Phases may overlap only where one of them is declared `parallel`.
    """

    id: str = attrs.field(validator=_identifier)
    kind: PhaseKind | str = attrs.field(converter=_phase_kind)
    title: str = attrs.field(validator=_text)
    opens: dt.date | dt.datetime = attrs.field(validator=_day_or_instant)
    closes: dt.date | dt.datetime = attrs.field(validator=_day_or_instant)
    version: int | None = attrs.field(default=None, validator=_optional_version)
    grants: tuple[Grant, ...] = attrs.field(default=(), converter=_grants)
    parallel: bool = attrs.field(default=False, validator=_flag)
    description: str = attrs.field(default="", validator=_string)

    def __attrs_post_init__(self) -> None:
        if self.kind == PhaseKind.CONSULTATION and self.version is None:
            raise _problem("version", "the number of the version under consultation", None)
        if self.kind != PhaseKind.CONSULTATION:
            for i, grant in enumerate(self.grants):
                offending = [a.value for a in grant.actions if a in CONTRIBUTIONS]
                if offending:
                    raise ProcedureError(
                        f"grants[{i}].actions may contain {offending!r} only in a consultation "
                        f"phase (got kind {str(self.kind)!r})",
                        field=f"grants[{i}].actions",
                        value=offending,
                    )
        both_days = not isinstance(self.opens, dt.datetime) and not isinstance(
            self.closes, dt.datetime
        )
        both_instants = isinstance(self.opens, dt.datetime) and isinstance(self.closes, dt.datetime)
        if both_days and self.closes < self.opens:
            raise _problem(
                "closes",
                f"no earlier than opens {self.opens.isoformat()!r} (a closing date is inclusive)",
                self.closes,
            )
        if both_instants and utc(self.closes) <= utc(self.opens):  # type: ignore[arg-type]
            raise _problem("closes", f"later than opens {self.opens.isoformat()!r}", self.closes)

    def window(self, zone: ZoneInfo) -> Window:
        """Return the phase's half-open window in `zone` (dates resolved to whole local days)."""
        if isinstance(self.opens, dt.datetime):
            opens = self.opens.astimezone(zone)
        else:
            opens = start_of_day(self.opens, zone)
        if isinstance(self.closes, dt.datetime):
            closes = self.closes.astimezone(zone)
        else:
            closes = end_of_day(self.closes, zone)
        return Window(opens, closes)

    @property
    def whole_days(self) -> bool:
        """Whether both ends are dates, so the phase covers whole local days."""
        return not isinstance(self.opens, dt.datetime) and not isinstance(self.closes, dt.datetime)

    def permits(self, action: Action, role: Role, channel: Channel) -> bool:
        """Tell whether one of the phase's grants opens `action` to `role` on `channel`."""
        return any(grant.permits(action, role, channel) for grant in self.grants)

    def offers(self, action: Action) -> bool:
        """Tell whether one of the phase's grants mentions `action` at all."""
        return any(action in grant.actions for grant in self.grants)

    def concerns(self, version: int | None) -> bool:
        """Tell whether the phase applies to `version` (None asks about any version)."""
        return version is None or self.version is None or self.version == version


@attrs.frozen
class Place:
    """Where an event takes place: a name (venue, room) and a postal address."""

    name: str = attrs.field(validator=_text)
    address: str = attrs.field(default="", validator=_string)


def _place(value: Any) -> Place:
    if not isinstance(value, Place):
        raise _problem("place", "a Place naming where the event takes place", value)
    return value


def _channel(value: Any) -> Channel:
    return to_enum(Channel, value, "channel")


def _grace(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, dt.timedelta) or value < dt.timedelta(0):
        raise _problem(attribute.name, "a timedelta of zero or more", value)


def _capacity(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise _problem(attribute.name, "a number of places of at least 1 or None", value)


def _recorders(value: Any) -> tuple[Role, ...]:
    return to_enum_tuple(Role, value, "recorded_by")


@attrs.frozen(kw_only=True)
class Event:
    """A dated gathering, e.g. a workshop, whose input moderators record as comments.

    `start` and `end` are timezone-aware. Input is recorded under `channel` by the roles in
    `recorded_by` from `start` until `grace` after `end`; `grace` is added in local wall-clock
    time (three days after 20:00 is 20:00 three days later, across a DST change too).
    """

    id: str = attrs.field(validator=_identifier)
    title: str = attrs.field(validator=_text)
    start: dt.datetime = attrs.field(validator=_aware_datetime)
    end: dt.datetime = attrs.field(validator=_aware_datetime)
    place: Place = attrs.field(converter=_place)
    kind: str = attrs.field(default="workshop", validator=_identifier)
    registration: bool = attrs.field(default=False, validator=_flag)
    capacity: int | None = attrs.field(default=None, validator=_capacity)
    channel: Channel = attrs.field(default=Channel.WORKSHOP, converter=_channel)
    grace: dt.timedelta = attrs.field(default=dt.timedelta(0), validator=_grace)
    recorded_by: tuple[Role, ...] = attrs.field(default=(Role.MODERATOR,), converter=_recorders)
    description: str = attrs.field(default="", validator=_string)

    def __attrs_post_init__(self) -> None:
        if utc(self.end) <= utc(self.start):
            raise _problem("end", f"later than start {self.start.isoformat()!r}", self.end)

    def span(self, zone: ZoneInfo) -> Window:
        """Return when the event takes place, in `zone`."""
        return Window(self.start.astimezone(zone), self.end.astimezone(zone))

    def recording(self, zone: ZoneInfo) -> Window:
        """Return when its input may be recorded: from its start until `grace` after its end."""
        local_end = self.end.astimezone(zone)
        until = utc(local_end + self.grace).astimezone(zone)
        return Window(self.start.astimezone(zone), until)


def _calendar_day(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise _problem(attribute.name, "a date", value)


def _url(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not _URL.match(value)):
        raise _problem(attribute.name, "an http or https URL or None", value)


@attrs.frozen(kw_only=True)
class Material:
    """A published document of the procedure: session minutes, the time plan, ...

    It holds a Markdown `text`, a `url`, or both; `date` is the day it concerns (the session).
    """

    id: str = attrs.field(validator=_identifier)
    kind: MaterialKind | str = attrs.field(converter=_material_kind)
    title: str = attrs.field(validator=_text)
    date: dt.date = attrs.field(validator=_calendar_day)
    text: str | None = attrs.field(default=None, validator=_optional_text)
    url: str | None = attrs.field(default=None, validator=_url)

    def __attrs_post_init__(self) -> None:
        if self.text is None and self.url is None:
            raise _problem("text", "a Markdown text, or a url given instead", None)
