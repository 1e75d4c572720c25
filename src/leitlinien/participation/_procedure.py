"""`Procedure`: a consultation's phases, events and materials, and the questions put to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from leitlinien.comments import Channel
from leitlinien.errors import PolicyError, ProcedureError
from leitlinien.participation import _ical, _status, _toml
from leitlinien.participation._enums import Action, PhaseKind
from leitlinien.participation._model import (
    Actor,
    CommentLike,
    Event,
    Material,
    Phase,
    Window,
    raise_together,
)
from leitlinien.participation._policy import Decision, check_instant, decide
from leitlinien.participation._status import Status, TimelineEntry
from leitlinien.participation._time import resolve_zone, utc

__all__ = ["Procedure"]


def _items(kind: type[Any], name: str) -> Any:
    def convert(value: Any) -> tuple[Any, ...]:
        if isinstance(value, str | Mapping | kind) or not isinstance(value, Iterable):
            raise ProcedureError(
                f"{name} must be a list of {kind.__name__} (got {value!r:.80})",
                field=name,
                value=value,
            )
        items = tuple(value)
        for i, item in enumerate(items):
            if not isinstance(item, kind):
                raise ProcedureError(
                    f"{name}[{i}] must be a {kind.__name__} (got {item!r:.80})",
                    field=f"{name}[{i}]",
                    value=item,
                )
        return items

    return convert


def _phases(value: Iterable[Phase]) -> tuple[Phase, ...]:
    return _items(Phase, "phases")(value)  # type: ignore[no-any-return]


def _events(value: Iterable[Event]) -> tuple[Event, ...]:
    return _items(Event, "events")(value)  # type: ignore[no-any-return]


def _materials(value: Iterable[Material]) -> tuple[Material, ...]:
    return _items(Material, "materials")(value)  # type: ignore[no-any-return]


def _zone(value: str | ZoneInfo) -> str:
    return resolve_zone(value).key


def _versions(value: Iterable[int]) -> tuple[int, ...]:
    if isinstance(value, str | Mapping) or not isinstance(value, Iterable):
        raise ProcedureError(
            f"versions must be a list of version numbers (got {value!r})",
            field="versions",
            value=value,
        )
    items = tuple(value)
    if not items:
        raise ProcedureError(
            "versions must name at least one version consulted on (got [])",
            field="versions",
            value=[],
        )
    for i, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, int) or item < 1:
            raise ProcedureError(
                f"versions[{i}] must be a version number of at least 1 (got {item!r})",
                field=f"versions[{i}]",
                value=item,
            )
        if i and item <= items[i - 1]:
            raise ProcedureError(
                f"versions[{i}] must be greater than {items[i - 1]!r}, the version before it "
                f"(got {item!r})",
                field=f"versions[{i}]",
                value=item,
            )
    return items


def _title(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ProcedureError(
            f"{attribute.name} must be a non-empty string (got {value!r})",
            field=attribute.name,
            value=value,
        )


def _string(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str):
        raise ProcedureError(
            f"{attribute.name} must be a string (got {value!r})", field=attribute.name, value=value
        )


@attrs.frozen(kw_only=True)
class Procedure:
    """A participation procedure: its phases, events and published materials, in one zone.

    `zone` is an IANA time zone name; every local date and every message is read in it.
    `versions` are the version numbers consulted on. Phases come in order of opening and do
    not overlap unless one of two is declared parallel; events come in order of start.
    Problems are reported together: one `ProcedureError`, whose `value` holds each single
    problem when there are several.
    """

    title: str = attrs.field(validator=_title)
    versions: tuple[int, ...] = attrs.field(converter=_versions)
    zone: str = attrs.field(default="Europe/Berlin", converter=_zone)
    phases: tuple[Phase, ...] = attrs.field(default=(), converter=_phases)
    events: tuple[Event, ...] = attrs.field(default=(), converter=_events)
    materials: tuple[Material, ...] = attrs.field(default=(), converter=_materials)
    description: str = attrs.field(default="", validator=_string)
    _windows: tuple[Window, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        zone = ZoneInfo(self.zone)
        object.__setattr__(self, "_windows", tuple(phase.window(zone) for phase in self.phases))
        raise_together(self._problems())

    def _problems(self) -> list[ProcedureError]:
        problems: list[ProcedureError] = []
        seen: dict[str, str] = {}
        groups: tuple[tuple[str, tuple[Phase | Event | Material, ...]], ...] = (
            ("phases", self.phases),
            ("events", self.events),
            ("materials", self.materials),
        )
        for name, items in groups:
            for i, item in enumerate(items):
                where = f"{name}[{i}].id"
                if item.id in seen:
                    problems.append(
                        _problem(where, f"unique (also used by {seen[item.id]})", item.id)
                    )
                else:
                    seen[item.id] = where
        earlier: list[tuple[int, Phase, Window]] = []
        for i, phase in enumerate(self.phases):
            window = self._windows[i]
            if utc(window.closes) <= utc(window.opens):
                problems.append(
                    _problem(
                        f"phases[{i}].closes",
                        f"later than opens ({window.opens.isoformat()} in {self.zone})",
                        phase.closes,
                    )
                )
            if earlier and utc(window.opens) < utc(earlier[-1][2].opens):
                problems.append(
                    _problem(
                        f"phases[{i}].opens",
                        f"no earlier than phases[{i - 1}].opens {self.phases[i - 1].opens!r}, "
                        "phases come in order of opening",
                        phase.opens,
                    )
                )
            for j, other, other_window in earlier:
                if phase.parallel or other.parallel:
                    continue
                if utc(window.opens) < utc(other_window.closes) and utc(other_window.opens) < utc(
                    window.closes
                ):
                    problems.append(
                        ProcedureError(
                            f"phases[{i}] must not overlap phases[{j}] {other.id!r} "
                            f"({_span(other_window)}) unless one is declared parallel "
                            f"(got {phase.id!r}: {_span(window)})",
                            field=f"phases[{i}]",
                            value=phase.id,
                        )
                    )
            if phase.kind == PhaseKind.CONSULTATION and phase.version not in self.versions:
                problems.append(
                    _problem(
                        f"phases[{i}].version",
                        f"one of the versions consulted on {list(self.versions)!r}",
                        phase.version,
                    )
                )
            earlier.append((i, phase, window))
        for i in range(1, len(self.events)):
            if utc(self.events[i].start) < utc(self.events[i - 1].start):
                problems.append(
                    _problem(
                        f"events[{i}].start",
                        f"no earlier than events[{i - 1}].start "
                        f"{self.events[i - 1].start.isoformat()!r}, events come in order",
                        self.events[i].start,
                    )
                )
        return problems

    # -- time ---------------------------------------------------------------------------------

    @property
    def tz(self) -> ZoneInfo:
        """The procedure's time zone."""
        return ZoneInfo(self.zone)

    def window(self, phase: Phase) -> Window:
        """Return the half-open window of one of the procedure's phases, in its zone."""
        for candidate, window in zip(self.phases, self._windows, strict=True):
            if candidate is phase or candidate == phase:
                return window
        raise ProcedureError(
            f"phase must be one of the procedure's phases {[p.id for p in self.phases]!r} "
            f"(got {phase!r:.80})",
            field="phase",
            value=phase,
        )

    def span(self, event: Event) -> Window:
        """Return when `event` takes place, in the procedure's zone."""
        return event.span(self.tz)

    def recording(self, event: Event) -> Window:
        """Return when input of `event` may be recorded: its start until the grace ends."""
        return event.recording(self.tz)

    @property
    def consultations(self) -> tuple[Phase, ...]:
        """The consultation phases."""
        return tuple(p for p in self.phases if p.kind == PhaseKind.CONSULTATION)

    # -- the policy ---------------------------------------------------------------------------

    def check(
        self,
        action: Action | str,
        actor: Actor,
        at: dt.datetime,
        *,
        version: int | None = None,
        comment: CommentLike | None = None,
        channel: Channel | str | None = None,
    ) -> Decision:
        """Decide whether `actor` may do `action` at the aware instant `at`.

        `version` is the version the action concerns (taken from `comment` when one is
        given; None asks about any version). `channel` defaults to online, and for
        ``"record"`` to the channel of the event whose input is recorded. `comment` is
        required for ``"edit"`` and ``"withdraw"`` (only its author may) and, for
        ``"record"``, must be dated within the event. Windows are half-open.

        Raises `ProcedureError` for a malformed question: a naive `at`, an unknown action
        or channel, a missing comment; a denial is a `Decision`, not an exception.
        """
        return decide(self, action, actor, at, version=version, comment=comment, channel=channel)

    def require(
        self,
        action: Action | str,
        actor: Actor,
        at: dt.datetime,
        *,
        version: int | None = None,
        comment: CommentLike | None = None,
        channel: Channel | str | None = None,
    ) -> Decision:
        """Return the decision if the action is allowed, else raise `PolicyError` carrying it."""
        decision = self.check(action, actor, at, version=version, comment=comment, channel=channel)
        if not decision.allowed:
            raise PolicyError(
                f"{decision.action.value!r} is not allowed for role "
                f"{decision.actor.role.value!r} at {decision.at.isoformat()} "
                f"({decision.reason.value}): {decision.message('en')}",
                field="action",
                value=decision.action.value,
                decision=decision,
            )
        return decision

    def status(self, at: dt.datetime) -> Status:
        """Return what is going on at the aware instant `at`, for a portal's banner."""
        return _status.status(self, check_instant(at))

    def timeline(self) -> tuple[TimelineEntry, ...]:
        """Return the procedure's time plan: phases, events and materials in order."""
        return _status.timeline(self)

    def to_ical(self, *, stamp: dt.datetime | None = None) -> str:
        """Return the timeline as iCalendar text (RFC 5545) with the procedure's time zone.

        `stamp` becomes every entry's DTSTAMP; by default the first entry's start, so the same
        procedure always gives the same text.
        """
        return _ical.to_ical(self, stamp=None if stamp is None else check_instant(stamp, "stamp"))

    # -- plain data and TOML ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the procedure as plain JSON-compatible data with a schema marker and version."""
        return _toml.to_data(self, native=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Procedure:
        """Build a procedure from `to_dict` data (dates also as `date`/`datetime` objects).

        Raises `SerializationError` (with the path in `field`) for data of the wrong shape or
        an unknown schema version, and `ProcedureError` for an invalid procedure.
        """
        return _toml.from_data(data, cls)

    def to_toml(self) -> str:
        """Return the procedure as TOML text that `from_toml` reads back to an equal procedure."""
        return _toml.dumps(_toml.to_data(self, native=True))

    @classmethod
    def from_toml(cls, text: str) -> Procedure:
        """Build a procedure from TOML text; local date-times are read in its time zone."""
        return cls.from_dict(_toml.loads(text))


def _problem(field: str, expected: str, value: Any) -> ProcedureError:
    return ProcedureError(f"{field} must be {expected} (got {value!r})", field=field, value=value)


def _span(window: Window) -> str:
    return f"{window.opens.isoformat()} to {window.closes.isoformat()}"
