"""Path-aware readers for plain dicts loaded from JSON or TOML (private).

Every reader names the path of the field it checks (``history.versions[2].label``) in the
`SerializationError` it raises, so a host can point at the bad field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar, cast

from leitlinien.errors import SerializationError

T = TypeVar("T")

_MISSING = object()


def join(path: str, key: str | int) -> str:
    """Return the path of `key` below `path`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def expect_mapping(value: Any, path: str) -> Mapping[str, Any]:
    """Return `value` if it is a mapping with string keys, else raise."""
    if not isinstance(value, Mapping):
        raise SerializationError(
            f"{path or 'value'!s} must be an object (got {type(value).__name__}: {value!r:.80})",
            field=path,
            value=value,
        )
    return value


def expect_list(value: Any, path: str) -> Sequence[Any]:
    """Return `value` if it is a list or tuple, else raise."""
    if not isinstance(value, list | tuple):
        raise SerializationError(
            f"{path} must be a list (got {type(value).__name__}: {value!r:.80})",
            field=path,
            value=value,
        )
    return value


def get(
    data: Mapping[str, Any],
    key: str,
    kind: type[T] | tuple[type[Any], ...],
    path: str,
    default: Any = _MISSING,
) -> T:
    """Return ``data[key]`` checked against `kind`; `default` if given and the key is absent."""
    where = join(path, key)
    if key not in data:
        if default is not _MISSING:
            return cast(T, default)
        raise SerializationError(f"{where} is missing", field=where, value=None)
    value = data[key]
    if isinstance(value, bool) and kind in (int, float):
        raise SerializationError(
            f"{where} must be {_kind_name(kind)} (got bool: {value!r})", field=where, value=value
        )
    if not isinstance(value, kind):
        raise SerializationError(
            f"{where} must be {_kind_name(kind)} (got {type(value).__name__}: {value!r:.80})",
            field=where,
            value=value,
        )
    return cast(T, value)


def check_schema(data: Any, schema: str, known_version: int, path: str = "") -> Mapping[str, Any]:
    """Check the ``schema`` marker and ``version`` of a serialised object and return it.

    A version newer than `known_version` is an error that says so: it was written by a newer
    leitlinien and may hold fields this one would silently drop.
    """
    mapping = expect_mapping(data, path)
    found = get(mapping, "schema", str, path)
    if found != schema:
        where = join(path, "schema")
        raise SerializationError(
            f"{where} must be {schema!r} (got {found!r})", field=where, value=found
        )
    version = get(mapping, "version", int, path)
    if version < 1 or version > known_version:
        where = join(path, "version")
        raise SerializationError(
            f"{where} must be between 1 and {known_version} for {schema!r} (got {version!r}); "
            "a newer version was written by a newer leitlinien",
            field=where,
            value=version,
        )
    return mapping


def _kind_name(kind: type[Any] | tuple[type[Any], ...]) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def aware_datetime(text: str, path: str) -> dt.datetime:
    """Parse an ISO 8601 date-time that carries a UTC offset; raise naming `path` if not."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise SerializationError(
            f"{path} must be an ISO 8601 date-time (got {text!r})", field=path, value=text
        ) from None
    if value.tzinfo is None:
        raise SerializationError(
            f"{path} must carry a UTC offset (got naive {text!r})", field=path, value=text
        )
    return value
