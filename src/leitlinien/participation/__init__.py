"""Participation procedures: phases, events, published materials and who may do what, when.

A host asks one question, "may this actor do this now?", and gets an explainable answer:

>>> import datetime as dt
>>> from zoneinfo import ZoneInfo
>>> from leitlinien.participation import Actor, example_procedure
>>> procedure = example_procedure()
>>> at = dt.datetime(2024, 3, 30, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
>>> decision = procedure.check("comment", Actor(role="resident", id="r1"), at, version=1)
>>> decision.allowed, decision.reason.value
(False, 'closed')
>>> decision.message("de")
'Die Kommentierungsfrist endete am 29.03.2024 um 24:00 Uhr.'
>>> decision.message("en")
'Commenting closed on 29 March 2024 at midnight.'

Every datetime must be timezone-aware; local dates are read in the procedure's time zone and
windows are half-open. A malformed procedure or question raises `ProcedureError`, bad TOML
or plain data `SerializationError`, and `Procedure.require` raises `PolicyError` carrying the
denial.
"""

from __future__ import annotations

import os
from importlib import resources

from leitlinien.comments import Channel
from leitlinien.errors import SerializationError
from leitlinien.participation._enums import Action, MaterialKind, PhaseKind, Reason, Role
from leitlinien.participation._model import (
    Actor,
    AuthorLike,
    CommentLike,
    Event,
    Grant,
    Material,
    Phase,
    Place,
    Window,
)
from leitlinien.participation._policy import Decision
from leitlinien.participation._procedure import Procedure
from leitlinien.participation._status import (
    Deadline,
    DeadlineKind,
    EntryKind,
    Opening,
    Status,
    TimelineEntry,
)
from leitlinien.participation._toml import FORMAT_VERSION, SCHEMA

__all__ = [
    "FORMAT_VERSION",
    "SCHEMA",
    "Action",
    "Actor",
    "AuthorLike",
    "Channel",
    "CommentLike",
    "Deadline",
    "DeadlineKind",
    "Decision",
    "EntryKind",
    "Event",
    "Grant",
    "Material",
    "MaterialKind",
    "Opening",
    "Phase",
    "PhaseKind",
    "Place",
    "Procedure",
    "Reason",
    "Role",
    "Status",
    "TimelineEntry",
    "Window",
    "example_procedure",
    "load_procedure",
]


def load_procedure(source: str | os.PathLike[str]) -> Procedure:
    """Load a procedure from TOML text or from the path of a TOML file.

    A path object is read as a file (UTF-8); a string is taken as TOML text when it holds a
    line break or an ``=``, otherwise as a path. Raises `SerializationError` for bad TOML and
    `ProcedureError` for an invalid procedure; reading a missing file raises `OSError`.
    """
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and "\n" not in source and "=" not in source
    ):
        with open(source, encoding="utf-8") as handle:
            text = handle.read()
    elif isinstance(source, str):
        text = source
    else:
        raise SerializationError(
            f"source must be TOML text or a path (got {type(source).__name__}: {source!r:.80})",
            field="source",
            value=source,
        )
    return Procedure.from_toml(text)


def example_procedure() -> Procedure:
    """Return the bundled example: the consultation on Lindenau's participation guidelines.

    Version 1 is open for comments from 8 March 2024 through 29 March 2024 (Europe/Berlin);
    a workshop on 21 March 2024, 18:00-20:00, needs no registration; version 2 follows in May.
    """
    text = resources.files("leitlinien").joinpath("examples/procedure.toml").read_text("utf-8")
    return Procedure.from_toml(text)
