"""Versioned JSON for every public type with `to_dict` (private): `dumps`, `loads`, `register`.

Each serialised object carries a ``schema`` marker (``leitlinien/document``) and a format
``version``; `loads` dispatches on the marker to the loader registered for it, and the
loader refuses a version newer than it knows. Documents, histories, comments, responses,
procedures and consultations are registered; a host's own types add theirs with `register`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from leitlinien import _dicts
from leitlinien.comments import COMMENT_SCHEMA, RESPONSE_SCHEMA, Comment, Response
from leitlinien.consultation import CONSULTATION_SCHEMA, Consultation
from leitlinien.document import Document
from leitlinien.errors import SerializationError
from leitlinien.history import HISTORY_SCHEMA, History
from leitlinien.markdown import DOCUMENT_SCHEMA
from leitlinien.participation import SCHEMA as PROCEDURE_SCHEMA
from leitlinien.participation import Procedure

__all__ = ["dumps", "loads", "register", "schemas"]

Loader = Callable[[Mapping[str, Any]], object]

_LOADERS: dict[str, Loader] = {}


def register(schema: str, loader: Loader, *, replace: bool = False) -> None:
    """Register the loader for objects marked with `schema` (e.g. ``leitlinien/procedure``).

    The loader receives the parsed dict and must check its ``version`` (see
    ``_dicts.check_schema``). Registering a schema twice is a `SerializationError` unless
    `replace`.
    """
    if not isinstance(schema, str) or not schema.strip():
        raise SerializationError(
            f"schema must be a non-empty str (got {schema!r})", field="schema", value=schema
        )
    if not callable(loader):
        raise SerializationError(
            f"loader must be callable (got {type(loader).__name__})",
            field="loader",
            value=type(loader).__name__,
        )
    if schema in _LOADERS and not replace:
        raise SerializationError(
            f"schema {schema!r} already has a loader ({_LOADERS[schema]!r}); pass replace=True",
            field="schema",
            value=schema,
        )
    _LOADERS[schema] = loader


def schemas() -> tuple[str, ...]:
    """Return the registered schema markers, in registration order."""
    return tuple(_LOADERS)


def dumps(obj: object, *, indent: int | None = 2) -> str:
    """Serialise an object with `to_dict` (a `Document`, `History`, `Comment`, ...) as JSON.

    Deterministic: the fields keep the order `to_dict` gives them, non-ASCII text is written
    as is. `SerializationError` for an object without `to_dict` or whose dict has no
    ``schema`` marker.
    """
    to_dict = getattr(obj, "to_dict", None)
    if not callable(to_dict):
        raise SerializationError(
            f"obj must have a to_dict() method (got {type(obj).__name__})",
            field="obj",
            value=type(obj).__name__,
        )
    data = to_dict()
    if not isinstance(data, Mapping) or not isinstance(data.get("schema"), str):
        raise SerializationError(
            f"{type(obj).__name__}.to_dict() must return an object with a 'schema' marker",
            field="schema",
            value=type(obj).__name__,
        )
    try:
        return json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise SerializationError(
            f"{data['schema']} could not be written as JSON ({exc})", field="obj", value=None
        ) from None


def loads(text: str | bytes) -> object:
    """Rebuild an object from `dumps` output, dispatching on its ``schema`` marker.

    `SerializationError` for text that is not JSON, an unknown schema, a version newer than
    this leitlinien knows, or a malformed field (named by its path).
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SerializationError(
            f"text must be JSON (got an error at line {exc.lineno}, column {exc.colno}: {exc.msg})",
            field="text",
            value=exc.pos,
        ) from None
    except (TypeError, UnicodeDecodeError) as exc:
        raise SerializationError(
            f"text must be a JSON str or UTF-8 bytes ({exc})", field="text", value=None
        ) from None
    mapping = _dicts.expect_mapping(data, "")
    schema = _dicts.get(mapping, "schema", str, "")
    loader = _LOADERS.get(schema)
    if loader is None:
        raise SerializationError(
            f"schema must be one of {sorted(_LOADERS)!r} (got {schema!r})",
            field="schema",
            value=schema,
        )
    return loader(mapping)


register(DOCUMENT_SCHEMA, Document.from_dict)
register(HISTORY_SCHEMA, History.from_dict)
register(COMMENT_SCHEMA, Comment.from_dict)
register(RESPONSE_SCHEMA, Response.from_dict)
register(PROCEDURE_SCHEMA, Procedure.from_dict)
register(CONSULTATION_SCHEMA, Consultation.from_dict)
