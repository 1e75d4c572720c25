"""The policy: may this actor do this now? (private)

`decide` answers with a `Decision`. The order of the checks is part of the contract, because
it picks the reason a denial gives: first what never changes (the action is not offered, the
version, the role, the channel, whose comment it is), then time (not yet open, closed), then
the rules between phases (responding and publishing wait for the consultation to close).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import attrs

from leitlinien.comments import Channel
from leitlinien.errors import ProcedureError
from leitlinien.participation._enums import Action, PhaseKind, Reason, Role, to_enum
from leitlinien.participation._messages import render
from leitlinien.participation._model import Actor, CommentLike, Event, Phase, Window
from leitlinien.participation._time import is_aware, utc

if TYPE_CHECKING:
    from leitlinien.participation._procedure import Procedure

__all__ = ["Decision", "decide"]


@attrs.frozen(kw_only=True)
class Decision:
    """The answer to "may this actor do this now?", with the reason and what decided it.

    `reason` is a stable code (`Reason`); `phase` or `event` is what decided it (None for the
    standing rules: viewing, moderation); `deadline` is the instant the answer turns on (when
    an open window closes, when a closed one closed, when a coming one opens), in the
    procedure's time zone, like `at`.
    """

    allowed: bool
    reason: Reason
    action: Action
    actor: Actor
    at: dt.datetime
    channel: Channel | None = None
    version: int | None = None
    phase: Phase | None = None
    event: Event | None = None
    deadline: dt.datetime | None = None

    @property
    def decided_by(self) -> Phase | Event | None:
        """The event or phase that decided (the event where both are set), else None."""
        return self.event if self.event is not None else self.phase

    @property
    def zone(self) -> ZoneInfo:
        """The procedure's time zone, in which `at` and `deadline` are given."""
        zone = self.at.tzinfo
        return zone if isinstance(zone, ZoneInfo) else ZoneInfo("UTC")

    def message(self, lang: str = "de") -> str:
        """Explain the decision in German ("de") or English ("en") for the person asking.

        Raises `ProcedureError` for other languages.
        """
        return render(self, lang)


def check_instant(value: Any, field: str = "at") -> dt.datetime:
    """Return `value` if it is a timezone-aware datetime, else raise `ProcedureError`."""
    if not isinstance(value, dt.datetime):
        raise ProcedureError(
            f"{field} must be a timezone-aware datetime (got {value!r})", field=field, value=value
        )
    if not is_aware(value):
        raise ProcedureError(
            f"{field} must be a timezone-aware datetime, not a naive one (got {value!r})",
            field=field,
            value=value,
        )
    return value


def _version(value: Any, comment: CommentLike | None) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ProcedureError(
            f"version must be a version number of at least 1 or None (got {value!r})",
            field="version",
            value=value,
        )
    if comment is None:
        return value
    try:
        commented = comment.version
        author = comment.author.id
        check_instant(comment.created_at, "comment.created_at")
    except AttributeError as exc:
        raise ProcedureError(
            "comment must have id, author.id, version, created_at and channel "
            f"(got {comment!r}: {exc})",
            field="comment",
            value=comment,
        ) from None
    if not isinstance(author, str):
        raise ProcedureError(
            f"comment.author.id must be a string (got {author!r})",
            field="comment.author.id",
            value=author,
        )
    if value is not None and value != commented:
        raise ProcedureError(
            f"version must match comment.version {commented!r} (got {value!r})",
            field="version",
            value=value,
        )
    return commented


def decide(
    procedure: Procedure,
    action: Action | str,
    actor: Actor,
    at: dt.datetime,
    *,
    version: int | None = None,
    comment: CommentLike | None = None,
    channel: Channel | str | None = None,
) -> Decision:
    """Decide whether `actor` may do `action` at `at`; see `Procedure.check`."""
    action = to_enum(Action, action, "action")
    if not isinstance(actor, Actor):
        raise ProcedureError(
            f"actor must be an Actor such as Actor(role='resident', id='r1') (got {actor!r})",
            field="actor",
            value=actor,
        )
    check_instant(at)
    asked_channel = None if channel is None else to_enum(Channel, channel, "channel")
    version = _version(version, comment)
    if action in (Action.EDIT, Action.WITHDRAW) and comment is None:
        raise ProcedureError(
            f"comment must be given to check {action.value!r}: only its author may do it "
            "(got None)",
            field="comment",
            value=None,
        )
    zone = procedure.tz
    base = _Base(action, actor, at.astimezone(zone), asked_channel, version)

    if action is Action.VIEW:
        return base.allow(Reason.PUBLIC)
    if action in (Action.HIDE, Action.RESTORE):
        if actor.role is Role.MODERATOR:
            return base.allow(Reason.MODERATION)
        return base.deny(Reason.ROLE_NOT_PERMITTED)
    own = comment is not None and actor.id is not None and actor.id == comment.author.id
    if action in (Action.EDIT, Action.WITHDRAW) and not own:
        return base.deny(Reason.NOT_OWN_COMMENT)
    if action is Action.RECORD:
        by_event = _record_event_input(procedure, base, comment)
        if by_event.allowed or asked_channel is None:
            return by_event
        by_grant = _granted(procedure, base, asked_channel)
        if by_grant.allowed or by_event.reason is Reason.NOT_OFFERED:
            return by_grant
        return by_event
    decision = _granted(procedure, base, asked_channel or Channel.ONLINE)
    if decision.allowed and action in (Action.RESPOND, Action.PUBLISH):
        return _after_consultation(procedure, base, decision)
    return decision


@attrs.frozen
class _Base:
    """The normalised question, from which decisions are made."""

    action: Action
    actor: Actor
    at: dt.datetime
    channel: Channel | None
    version: int | None

    def allow(self, reason: Reason, **context: Any) -> Decision:
        return self._decision(True, reason, context)

    def deny(self, reason: Reason, **context: Any) -> Decision:
        return self._decision(False, reason, context)

    def _decision(self, allowed: bool, reason: Reason, context: dict[str, Any]) -> Decision:
        return Decision(
            allowed=allowed,
            reason=reason,
            action=self.action,
            actor=self.actor,
            at=self.at,
            channel=self.channel,
            version=self.version,
            **context,
        )


def _by_time(
    base: _Base, windows: Sequence[tuple[Window, dict[str, Any]]], reason: Reason
) -> Decision:
    """Allow through the open window closing last, else name the next opening or last closing."""
    now = utc(base.at)
    open_ = [(w, c) for w, c in windows if base.at in w]
    if open_:
        window, context = max(open_, key=lambda item: utc(item[0].closes))
        return base.allow(reason, deadline=window.closes, **context)
    coming = [(w, c) for w, c in windows if utc(w.opens) > now]
    if coming:
        window, context = min(coming, key=lambda item: utc(item[0].opens))
        return base.deny(Reason.NOT_YET_OPEN, deadline=window.opens, **context)
    window, context = max(windows, key=lambda item: utc(item[0].closes))
    return base.deny(Reason.CLOSED, deadline=window.closes, **context)


def _granted(procedure: Procedure, base: _Base, channel: Channel) -> Decision:
    """Decide by the phases' grants."""
    action, role = base.action, base.actor.role
    offering = [p for p in procedure.phases if p.offers(action)]
    if not offering:
        return base.deny(Reason.NOT_OFFERED)
    fitting = [p for p in offering if p.concerns(base.version)]
    if not fitting:
        return base.deny(Reason.WRONG_VERSION, phase=_prefer_open(procedure, base, offering))
    by_role = [p for p in fitting if any(_grants_role(p, action, role))]
    if not by_role:
        return base.deny(Reason.ROLE_NOT_PERMITTED, phase=_prefer_open(procedure, base, fitting))
    by_channel = [p for p in by_role if p.permits(action, role, channel)]
    if not by_channel:
        return base.deny(Reason.CHANNEL_NOT_PERMITTED, phase=_prefer_open(procedure, base, by_role))
    windows = [(procedure.window(p), {"phase": p}) for p in by_channel]
    return _by_time(base, windows, Reason.OPEN)


def _grants_role(phase: Phase, action: Action, role: Role) -> list[bool]:
    return [action in g.actions and role in g.roles for g in phase.grants]


def _prefer_open(procedure: Procedure, base: _Base, phases: Sequence[Phase]) -> Phase:
    for phase in phases:
        if base.at in procedure.window(phase):
            return phase
    return phases[0]


def _consultations(procedure: Procedure) -> list[Phase]:
    return [p for p in procedure.phases if p.kind == PhaseKind.CONSULTATION]


def _after_consultation(procedure: Procedure, base: _Base, granted: Decision) -> Decision:
    """Hold back responses and publications while the consultation they follow is running.

    A response waits while a consultation on its version is open, and for a given version
    also while one on it is still to come; publishing version v waits while a consultation on
    an earlier version is open.
    """
    blocking: list[tuple[Phase, Window]] = []
    for phase in _consultations(procedure):
        window = procedure.window(phase)
        if base.action is Action.RESPOND:
            if responding_waits(phase, window, base.version, base.at):
                blocking.append((phase, window))
        elif (base.version is None or (phase.version or 0) < base.version) and base.at in window:
            blocking.append((phase, window))
    if not blocking:
        return granted
    phase, window = max(blocking, key=lambda item: utc(item[1].closes))
    return base.deny(Reason.CONSULTATION_OPEN, phase=phase, deadline=window.closes)


def responding_waits(
    consultation: Phase, window: Window, version: int | None, at: dt.datetime
) -> bool:
    """Tell whether `consultation` holds back responses on `version` at `at`."""
    if not consultation.concerns(version):
        return False
    return at in window or (version is not None and utc(at) < utc(window.opens))


def _record_event_input(procedure: Procedure, base: _Base, comment: CommentLike | None) -> Decision:
    """Decide whether a moderator may record input of an event now.

    Input is taken from the event's start until its grace period ends, dated within the
    event, provided the event lay inside a consultation window (for the version asked).
    """
    events = [e for e in procedure.events if base.channel is None or e.channel is base.channel]
    if not events:
        return base.deny(Reason.NOT_OFFERED)
    by_role = [e for e in events if base.actor.role in e.recorded_by]
    if not by_role:
        return base.deny(Reason.ROLE_NOT_PERMITTED, event=events[0])
    candidates = by_role
    if comment is not None:
        created = comment.created_at
        candidates = [e for e in by_role if created in procedure.span(e)]
        if not candidates:
            current = [e for e in by_role if base.at in procedure.recording(e)]
            return base.deny(Reason.NOT_DATED_AT_EVENT, event=(current or by_role)[0])
    # Events being recorded now decide; otherwise the nearest recording period explains.
    current = [e for e in candidates if base.at in procedure.recording(e)]
    pool = current or candidates
    inside = [(e, c) for e in pool for c in _surrounding(procedure, e)]
    if not inside:
        return base.deny(Reason.EVENT_OUTSIDE_CONSULTATION, event=pool[0])
    fitting = [(e, c) for e, c in inside if c.concerns(base.version)]
    if not fitting:
        event, phase = inside[0]
        return base.deny(Reason.WRONG_VERSION, event=event, phase=phase)
    windows = [(procedure.recording(e), {"event": e, "phase": c}) for e, c in fitting]
    return _by_time(base, windows, Reason.EVENT_INPUT)


def _surrounding(procedure: Procedure, event: Event) -> list[Phase]:
    """Return the consultation phases whose window holds the whole event."""
    span = procedure.span(event)
    found = []
    for phase in _consultations(procedure):
        window = procedure.window(phase)
        if utc(window.opens) <= utc(span.opens) and utc(span.closes) <= utc(window.closes):
            found.append(phase)
    return found
