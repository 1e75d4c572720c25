"""The vocabularies of a procedure: actions, roles, phase and material kinds, reasons (private)."""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from leitlinien.errors import ProcedureError

__all__ = [
    "CONTRIBUTIONS",
    "STANDING",
    "Action",
    "MaterialKind",
    "PhaseKind",
    "Reason",
    "Role",
    "to_enum",
    "to_enum_tuple",
]

E = TypeVar("E", bound=enum.StrEnum)


class Action(enum.StrEnum):
    """What an actor asks to do."""

    VIEW = "view"
    COMMENT = "comment"
    REPLY = "reply"
    AMEND = "amend"
    SUPPORT = "support"
    EDIT = "edit"
    WITHDRAW = "withdraw"
    RECORD = "record"
    HIDE = "hide"
    RESTORE = "restore"
    RESPOND = "respond"
    PUBLISH = "publish"


class Role(enum.StrEnum):
    """Who asks; the host authenticates, the library decides."""

    VISITOR = "visitor"
    """An anonymous visitor."""
    RESIDENT = "resident"
    """A registered resident."""
    MODERATOR = "moderator"
    """A moderator of the consultation."""
    ADMINISTRATION = "administration"
    """The working group or the city's administration."""


class PhaseKind(enum.StrEnum):
    """The phase kinds the library knows; a host may use its own kind names besides these."""

    DRAFTING = "drafting"
    CONSULTATION = "consultation"
    EVALUATION = "evaluation"
    REVISION = "revision"
    ADOPTION = "adoption"


class MaterialKind(enum.StrEnum):
    """The kinds of published material the library knows; a host may use its own besides these."""

    MINUTES = "minutes"
    TIME_PLAN = "time-plan"


class Reason(enum.StrEnum):
    """The stable code saying why a `Decision` came out as it did."""

    PUBLIC = "public"
    """Allowed: viewing is open to everyone at any time."""
    MODERATION = "moderation"
    """Allowed: moderators may hide or restore at any time."""
    OPEN = "open"
    """Allowed: an open phase grants the action."""
    EVENT_INPUT = "event-input"
    """Allowed: a moderator records input of an event within its recording period."""
    NOT_OFFERED = "not-offered"
    """Denied: no phase of the procedure grants the action."""
    WRONG_VERSION = "wrong-version"
    """Denied: the action is granted only for another version."""
    ROLE_NOT_PERMITTED = "role-not-permitted"
    """Denied: the action is not granted to the actor's role."""
    CHANNEL_NOT_PERMITTED = "channel-not-permitted"
    """Denied: the action is not granted on the channel asked for."""
    NOT_YET_OPEN = "not-yet-open"
    """Denied: the window that would allow the action opens later."""
    CLOSED = "closed"
    """Denied: the window that allowed the action has closed."""
    NOT_OWN_COMMENT = "not-own-comment"
    """Denied: only a comment's author may edit or withdraw it."""
    CONSULTATION_OPEN = "consultation-open"
    """Denied: responding or publishing waits until the consultation has closed."""
    EVENT_OUTSIDE_CONSULTATION = "event-outside-consultation"
    """Denied: the event lay outside every consultation window, so its input is not taken."""
    NOT_DATED_AT_EVENT = "not-dated-at-event"
    """Denied: input recorded for an event must be dated within the event."""


CONTRIBUTIONS = frozenset(
    {
        Action.COMMENT,
        Action.REPLY,
        Action.AMEND,
        Action.SUPPORT,
        Action.EDIT,
        Action.WITHDRAW,
        Action.RECORD,
    }
)
"""Actions that add to or change the input; only consultation phases grant them."""

STANDING = frozenset({Action.VIEW, Action.HIDE, Action.RESTORE})
"""Actions decided by standing rules, not by phases: viewing, and moderation at any time."""


def to_enum(enum_type: type[E], value: Any, field: str) -> E:
    """Return `value` as a member of `enum_type`, raising `ProcedureError` for unknown values."""
    if isinstance(value, enum_type):
        return value
    if isinstance(value, str):
        try:
            return enum_type(value)
        except ValueError:
            pass
    options = [member.value for member in enum_type]
    raise ProcedureError(
        f"{field} must be one of {options!r} (got {value!r})", field=field, value=value
    )


def to_enum_tuple(enum_type: type[E], values: Any, field: str) -> tuple[E, ...]:
    """Return `values` as a non-empty tuple of distinct members in declaration order."""
    if isinstance(values, str | enum.Enum) or not hasattr(values, "__iter__"):
        raise ProcedureError(
            f"{field} must be a list of {enum_type.__name__} values (got {values!r})",
            field=field,
            value=values,
        )
    items = [to_enum(enum_type, item, f"{field}[{i}]") for i, item in enumerate(values)]
    if not items:
        raise ProcedureError(f"{field} must not be empty (got {values!r})", field=field, value=[])
    chosen = set(items)
    return tuple(member for member in enum_type if member in chosen)
