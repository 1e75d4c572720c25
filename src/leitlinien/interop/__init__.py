"""Interoperability: versioned JSON, W3C Web Annotation import and export, UTF-16 offsets.

- `dumps` / `loads`: the library's own JSON for every public type with `to_dict`,
  dispatched on its ``schema`` marker; `register` adds the loader of a later type.
- `to_web_annotation`, `to_annotation_collection`: comments as W3C Web Annotations whose
  selectors real clients resolve on a rendered page (see DESIGN.md).
- `from_web_annotations`: annotations made by other tools (Apache Annotator, Hypothesis, ...)
  as comments, each passage resolved in a document.
- `utf16_offset`, `code_point_offset`, `Utf16Index`: offsets between Python code points and
  the UTF-16 code units JavaScript counts.

Example::

    >>> import leitlinien as ll
    >>> from leitlinien import interop
    >>> doc = ll.Document.from_markdown("Wir beteiligen 🎉 alle.\\n")
    >>> interop.utf16_offset(doc.text, 17), interop.code_point_offset(doc.text, 18)
    (18, 17)
"""

from __future__ import annotations

from leitlinien.interop._json import dumps, loads, register, schemas
from leitlinien.interop._utf16 import OffsetUnit, Utf16Index, code_point_offset, utf16_offset
from leitlinien.interop._webanno import CONTEXT, to_annotation_collection, to_web_annotation
from leitlinien.interop._webimport import ImportedAnnotation, from_web_annotations

__all__ = [
    "CONTEXT",
    "ImportedAnnotation",
    "OffsetUnit",
    "Utf16Index",
    "code_point_offset",
    "dumps",
    "from_web_annotations",
    "loads",
    "register",
    "schemas",
    "to_annotation_collection",
    "to_web_annotation",
    "utf16_offset",
]
