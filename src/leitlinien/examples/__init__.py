"""The bundled example: the draft guidelines of the fictional city of Lindenau.

`load("v1")` is the draft (Entwurf) put out for consultation, `load("v2")` the revision the
working group made after it; `CHANGES.md` beside these files lists every edit between them.
`procedure()` is the participation procedure (consultation 8-29 March 2024, workshop on
21 March), `inputs(v1)` the comments people made (some too late), `responses(v2)` the working
group's answers.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

import attrs

from leitlinien.anchoring import Anchor
from leitlinien.comments import Author, Comment, Response
from leitlinien.document import Document
from leitlinien.errors import DocumentError

if TYPE_CHECKING:
    from leitlinien.participation import Actor, Procedure

__all__ = ["VERSIONS", "ExampleInput", "inputs", "load", "markdown", "procedure", "responses"]

VERSIONS = {"v1": "leitlinien-v1.md", "v2": "leitlinien-v2.md"}
"""The bundled versions and their files."""


def _read(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def markdown(version: str = "v1") -> str:
    """Return the Markdown source of a bundled version ("v1" or "v2")."""
    try:
        name = VERSIONS[version]
    except (KeyError, TypeError):
        raise DocumentError(
            f"version must be one of {sorted(VERSIONS)!r} (got {version!r})",
            field="version",
            value=version,
        ) from None
    return _read(name)


def load(version: str = "v1") -> Document:
    """Return a bundled version parsed as a `Document`."""
    return Document.from_markdown(markdown(version))


def procedure() -> Procedure:
    """Return the example participation procedure (`procedure.toml`)."""
    from leitlinien.participation import example_procedure  # noqa: PLC0415

    return example_procedure()


@attrs.frozen(kw_only=True)
class ExampleInput:
    """One piece of example input: the comment, who hands it in, how and when.

    `via` is "submit" (the author, online) or "record" (moderation enters input that came by
    workshop, letter, e-mail or phone); `entered_at` is when it is entered.
    """

    comment: Comment
    actor: Actor
    via: Literal["submit", "record"]
    entered_at: dt.datetime


def inputs(document: Document | None = None) -> list[ExampleInput]:
    """Return the example input on version 1, with passages resolved in `document` (v1)."""
    from leitlinien.participation import Actor  # noqa: PLC0415

    doc = document if document is not None else load("v1")
    data = json.loads(_read("inputs.json"))
    out = []
    for raw in data["inputs"]:
        anchor = None
        if raw.get("quote"):
            q = raw["quote"]
            anchor = Anchor.from_quote(doc, q["exact"], q.get("prefix", ""), q.get("suffix", ""))
        elif raw.get("block"):
            found = Anchor.from_quote(doc, raw["block"]["exact"])
            anchor = Anchor.for_block(doc, found.block_id)
        created = dt.datetime.fromisoformat(raw["created_at"])
        comment = Comment(
            id=raw["id"],
            author=Author(raw["author"]["id"], raw["author"].get("display_name")),
            channel=raw["channel"],
            kind=raw["kind"],
            body=raw["body"],
            created_at=created,
            version=1,
            anchor=anchor,
            parent_id=raw.get("parent_id"),
            proposal=raw.get("proposal"),
        )
        entered = raw.get("entered_at")
        out.append(
            ExampleInput(
                comment=comment,
                actor=Actor(role=raw["actor"]["role"], id=raw["actor"]["id"]),
                via=raw["via"],
                entered_at=dt.datetime.fromisoformat(entered) if entered else created,
            )
        )
    return out


def responses(document: Document) -> list[Response]:
    """Return the working group's example responses; `document` is version 2 as published."""
    data: dict[str, Any] = json.loads(_read("responses.json"))
    out = []
    for raw in data["responses"]:
        blocks = tuple(Anchor.from_quote(document, q).block_id for q in raw.get("in_v2", ()))
        out.append(
            Response(
                comment_id=raw["comment_id"],
                outcome=raw["outcome"],
                rationale=raw["rationale"],
                decided_by=data["decided_by"],
                decided_at=dt.datetime.fromisoformat(raw["decided_at"]),
                effective_in=2 if blocks else None,
                block_ids=blocks,
            )
        )
    return out
