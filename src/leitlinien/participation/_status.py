"""What is going on now (`Status`) and the time plan (`TimelineEntry`) of a procedure (private)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

import attrs

from leitlinien.comments import Channel
from leitlinien.participation._enums import Action, Role, to_enum
from leitlinien.participation._model import Event, Material, Phase
from leitlinien.participation._policy import responding_waits
from leitlinien.participation._time import start_of_day, utc

if TYPE_CHECKING:
    from leitlinien.participation._procedure import Procedure

__all__ = [
    "Deadline",
    "DeadlineKind",
    "EntryKind",
    "Opening",
    "Status",
    "TimelineEntry",
    "status",
    "timeline",
]


class DeadlineKind(enum.StrEnum):
    """What happens at a `Deadline`."""

    OPENS = "opens"
    CLOSES = "closes"
    STARTS = "starts"
    ENDS = "ends"
    RECORDING_ENDS = "recording-ends"


@attrs.frozen
class Deadline:
    """An instant at which something opens or closes, and what it is."""

    at: dt.datetime
    kind: DeadlineKind
    item: Phase | Event


@attrs.frozen(kw_only=True)
class Opening:
    """An action open now to some roles on some channels, until when, and by what."""

    action: Action
    roles: tuple[Role, ...]
    channels: tuple[Channel, ...]
    until: dt.datetime
    item: Phase | Event


@attrs.frozen(kw_only=True)
class Status:
    """What is going on at one instant, for a portal's banner.

    `phases` are the phases open at `at`, `events` the events taking place, `recording` the
    events whose input may be recorded. `open` lists what phases and events open (viewing and
    moderation are always open and not listed). `next_deadline` is the earliest closing of
    something open now, `time_left` the elapsed time until it (exact across DST changes);
    `next_opening` the earliest opening or event start still to come.
    """

    at: dt.datetime
    phases: tuple[Phase, ...]
    events: tuple[Event, ...]
    recording: tuple[Event, ...]
    open: tuple[Opening, ...]
    next_deadline: Deadline | None
    time_left: dt.timedelta | None
    next_opening: Deadline | None

    def __str__(self) -> str:
        """Summarise in one line: open phases, events, open actions and the next deadline."""
        actions = sorted({o.action.value for o in self.open}, key=[a.value for a in Action].index)
        parts = [
            f"at {self.at.isoformat()}",
            "phases: " + (", ".join(p.id for p in self.phases) or "none"),
            "events: " + (", ".join(e.id for e in self.events) or "none"),
            "open: " + (", ".join(actions) or "nothing"),
        ]
        if self.next_deadline is not None:
            parts.append(
                f"next deadline: {self.next_deadline.item.id} {self.next_deadline.kind.value} "
                f"at {self.next_deadline.at.isoformat()} (in {self.time_left})"
            )
        if self.next_opening is not None:
            parts.append(
                f"next opening: {self.next_opening.item.id} {self.next_opening.kind.value} "
                f"at {self.next_opening.at.isoformat()}"
            )
        return "; ".join(parts)

    def is_open(self, action: Action | str, role: Role | str | None = None) -> bool:
        """Tell whether `action` is open now (to `role`, if given) through a phase or event.

        Raises `ProcedureError` for an unknown action or role.
        """
        asked = to_enum(Action, action, "action")
        who = None if role is None else to_enum(Role, role, "role")
        return any(
            opening.action is asked and (who is None or who in opening.roles)
            for opening in self.open
        )


def status(procedure: Procedure, at: dt.datetime) -> Status:
    """Return the status of `procedure` at the aware instant `at`."""
    zone = procedure.tz
    now = utc(at)
    phases = tuple(p for p in procedure.phases if at in procedure.window(p))
    events = tuple(e for e in procedure.events if at in procedure.span(e))
    recording = tuple(e for e in procedure.events if at in procedure.recording(e))
    openings: list[Opening] = []
    closings: list[Deadline] = []
    for phase in phases:
        window = procedure.window(phase)
        closings.append(Deadline(window.closes, DeadlineKind.CLOSES, phase))
        for grant in phase.grants:
            for action in grant.actions:
                if not _held_back(procedure, action, phase, at):
                    openings.append(
                        Opening(
                            action=action,
                            roles=grant.roles,
                            channels=grant.channels,
                            until=window.closes,
                            item=phase,
                        )
                    )
    for event in events:
        closings.append(Deadline(procedure.span(event).closes, DeadlineKind.ENDS, event))
    for event in recording:
        if _inside_consultation(procedure, event):
            until = procedure.recording(event).closes
            closings.append(Deadline(until, DeadlineKind.RECORDING_ENDS, event))
            openings.append(
                Opening(
                    action=Action.RECORD,
                    roles=event.recorded_by,
                    channels=(event.channel,),
                    until=until,
                    item=event,
                )
            )
    coming: list[Deadline] = [
        Deadline(procedure.window(p).opens, DeadlineKind.OPENS, p)
        for p in procedure.phases
        if utc(procedure.window(p).opens) > now
    ]
    coming += [
        Deadline(procedure.span(e).opens, DeadlineKind.STARTS, e)
        for e in procedure.events
        if utc(e.start) > now
    ]
    next_deadline = min(closings, key=lambda d: utc(d.at), default=None)
    return Status(
        at=at.astimezone(zone),
        phases=phases,
        events=events,
        recording=recording,
        open=tuple(openings),
        next_deadline=next_deadline,
        time_left=None if next_deadline is None else utc(next_deadline.at) - now,
        next_opening=min(coming, key=lambda d: utc(d.at), default=None),
    )


def _held_back(procedure: Procedure, action: Action, phase: Phase, at: dt.datetime) -> bool:
    """Tell whether the rules between phases hold `action` back although `phase` grants it."""
    if action not in (Action.RESPOND, Action.PUBLISH):
        return False
    for consultation in procedure.consultations:
        window = procedure.window(consultation)
        if action is Action.RESPOND:
            if responding_waits(consultation, window, phase.version, at):
                return True
        elif (phase.version is None or (consultation.version or 0) < phase.version) and (
            at in window
        ):
            return True
    return False


def _inside_consultation(procedure: Procedure, event: Event) -> bool:
    span = procedure.span(event)
    for phase in procedure.consultations:
        window = procedure.window(phase)
        if utc(window.opens) <= utc(span.opens) and utc(span.closes) <= utc(window.closes):
            return True
    return False


class EntryKind(enum.StrEnum):
    """What a `TimelineEntry` stands for."""

    PHASE = "phase"
    EVENT = "event"
    MATERIAL = "material"


@attrs.frozen(kw_only=True)
class TimelineEntry:
    """One entry of a procedure's time plan.

    `start` and `end` are in the procedure's zone, `end` exclusive. `all_day` entries (phases
    given by dates, materials) span whole local days: `end` is the start of the day after.
    """

    kind: EntryKind
    id: str
    title: str
    start: dt.datetime
    end: dt.datetime
    all_day: bool
    item: Phase | Event | Material


_ORDER = {EntryKind.PHASE: 0, EntryKind.EVENT: 1, EntryKind.MATERIAL: 2}


def timeline(procedure: Procedure) -> tuple[TimelineEntry, ...]:
    """Return the time plan of `procedure`: by start, then phases, events, materials."""
    zone = procedure.tz
    entries: list[TimelineEntry] = []
    for phase in procedure.phases:
        window = procedure.window(phase)
        entries.append(
            TimelineEntry(
                kind=EntryKind.PHASE,
                id=phase.id,
                title=phase.title,
                start=window.opens,
                end=window.closes,
                all_day=phase.whole_days,
                item=phase,
            )
        )
    for event in procedure.events:
        span = procedure.span(event)
        entries.append(
            TimelineEntry(
                kind=EntryKind.EVENT,
                id=event.id,
                title=event.title,
                start=span.opens,
                end=span.closes,
                all_day=False,
                item=event,
            )
        )
    for material in procedure.materials:
        entries.append(
            TimelineEntry(
                kind=EntryKind.MATERIAL,
                id=material.id,
                title=material.title,
                start=start_of_day(material.date, zone),
                end=start_of_day(material.date + dt.timedelta(days=1), zone),
                all_day=True,
                item=material,
            )
        )
    entries.sort(key=lambda e: (utc(e.start), _ORDER[e.kind], e.id))
    return tuple(entries)
