"""Griffe extension for the docs build: tidy what the API reference shows (docs only).

- Special methods (``__attrs_post_init__``, ``__reduce__``, ``__len__``) are dropped from the
  loaded tree: mkdocstrings' ``filters: public`` honours each module's ``__all__`` but counts
  them as public, and readers call ``len(history)``, not ``history.__len__``. ``__init__``
  stays: its signature is merged into the class's. (Marking them not public would not reach
  classes a package re-exports from a private module, such as ``leitlinien.participation``:
  griffe wraps each member of such an alias in a fresh alias of its own.)
- Doctest examples (``>>>`` lines at the margin of a PEP 257 docstring) become fenced
  ``pycon`` code; Markdown would read them as nested block quotes. A reStructuredText
  ``Example::`` loses its second colon (the indented block after it is Markdown code anyway).

The source files are not touched.
"""

from __future__ import annotations

from typing import Any

import griffe


def _tidy(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    fenced = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith(">>>"):
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i])
                i += 1
            if out and out[-1].strip():
                out.append("")
            out += ["```pycon", *block, "```", ""]
            continue
        elif (
            not fenced
            and line.rstrip().endswith("::")
            and i + 1 < len(lines)
            and not lines[i + 1].strip()
        ):
            line = line.rstrip()[:-1]
        out.append(line)
        i += 1
    return "\n".join(out).rstrip("\n")


def _walk(obj: griffe.Object) -> None:
    if obj.docstring is not None and (">>>" in obj.docstring.value or "::" in obj.docstring.value):
        obj.docstring.value = _tidy(obj.docstring.value)
    for member in list(obj.members.values()):
        if not member.is_alias:
            _walk(member)  # type: ignore[arg-type]


class TidyReference(griffe.Extension):
    """Drop special members of classes but ``__init__``; fence doctests in docstrings."""

    def on_class_members(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        special = [
            name
            for name in cls.members
            if name.startswith("__") and name.endswith("__") and name != "__init__"
        ]
        for name in special:
            del cls.members[name]

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        _walk(pkg)
