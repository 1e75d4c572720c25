"""The bundled example: the draft guidelines of the fictional city of Lindenau.

`load("v1")` is the draft (Entwurf) put out for consultation, `load("v2")` the revision the
working group made after it. `CHANGES.md` beside these files lists every edit between them.
"""

from __future__ import annotations

from importlib import resources

from leitlinien.document import Document
from leitlinien.errors import DocumentError

__all__ = ["VERSIONS", "load", "markdown"]

VERSIONS = {"v1": "leitlinien-v1.md", "v2": "leitlinien-v2.md"}
"""The bundled versions and their files."""


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
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def load(version: str = "v1") -> Document:
    """Return a bundled version parsed as a `Document`."""
    return Document.from_markdown(markdown(version))
