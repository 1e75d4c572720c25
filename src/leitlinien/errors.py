"""The exception hierarchy: every error the public API raises derives from `LeitlinienError`.

Each subclass also inherits the fitting builtin (`ValueError`, `PermissionError`), so callers
may catch either. Errors keep their context as attributes (`field`, `value`) and pickle.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AnchorError",
    "CommentError",
    "DocumentError",
    "HistoryError",
    "LeitlinienError",
    "PolicyError",
    "ProcedureError",
    "ReportError",
    "SerializationError",
]


class LeitlinienError(Exception):
    """Root of the library's exceptions.

    `field` names what was wrong (a parameter name or a path such as
    ``comments[3].anchor.start``), `value` holds what was got.
    """

    def __init__(self, message: str, *, field: str | None = None, value: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.value = value

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self.field, self.value))

    def __str__(self) -> str:
        return self.message


def _rebuild(
    cls: type[LeitlinienError], message: str, field: str | None, value: Any
) -> LeitlinienError:
    return cls(message, field=field, value=value)


class DocumentError(LeitlinienError, ValueError):
    """A document could not be parsed or a lookup in it was invalid."""


class AnchorError(LeitlinienError, ValueError):
    """An anchor could not be built or resolved (bad offsets, quote not found, ...)."""


class HistoryError(LeitlinienError, ValueError):
    """A version could not be published or looked up."""


class CommentError(LeitlinienError, ValueError):
    """A comment, reply or response is malformed."""


class ProcedureError(LeitlinienError, ValueError):
    """A participation procedure is malformed (overlapping phases, bad time zone, ...)."""


class SerializationError(LeitlinienError, ValueError):
    """A dict or JSON document does not match the expected schema; `field` is the path."""


class ReportError(LeitlinienError, ValueError):
    """A report could not be rendered as asked (unknown language, bad option)."""


class PolicyError(LeitlinienError, PermissionError):
    """An action is not allowed; `decision` carries the full explanation."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: Any = None,
        decision: Any = None,
    ) -> None:
        super().__init__(message, field=field, value=value)
        self.decision = decision

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_policy, (self.message, self.field, self.value, self.decision))


def _rebuild_policy(message: str, field: str | None, value: Any, decision: Any) -> PolicyError:
    return PolicyError(message, field=field, value=value, decision=decision)
