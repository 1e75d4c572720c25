"""Public Hypothesis strategies for the test suites of portals that embed leitlinien.

Hypothesis is an optional extra (``pip install 'leitlinien[test]'``): import this module from
tests only.

- `markdown_texts` and `documents`: realistic guideline documents, as Markdown or parsed.
- `edit_scripts`: a new version of a document together with the ground-truth fate of every
  character (`EditResult`), to test anything that maps positions across versions.
- `ranges`: passages of a document's reading text as ``(start, end)`` offsets.

Example::

    from hypothesis import given, strategies as st
    from leitlinien.testing import documents, edit_scripts

    @given(st.data())
    def test_my_mapping(data):
        doc = data.draw(documents(min_blocks=1))
        result = data.draw(edit_scripts(doc))
        ...  # compare your positions with result.fate
"""

from __future__ import annotations

from hypothesis import strategies as st

from leitlinien.document import Document
from leitlinien.testing._edits import Edit, EditKind, EditResult, edit_scripts
from leitlinien.testing._markdown import PLAIN_WORDS, markdown_texts
from leitlinien.testing._ranges import ranges, word_boundaries

__all__ = [
    "PLAIN_WORDS",
    "Edit",
    "EditKind",
    "EditResult",
    "documents",
    "edit_scripts",
    "markdown_texts",
    "ranges",
    "word_boundaries",
]


def documents(
    *, min_blocks: int = 0, max_blocks: int = 30, markup: bool = True
) -> st.SearchStrategy[Document]:
    """Generate parsed guideline documents: `markdown_texts` run through `Document.from_markdown`.

    See `markdown_texts` for what the text holds. Guaranteed: parsing never fails, and the
    document has at least `min_blocks` leaf blocks.
    """
    return markdown_texts(min_blocks=min_blocks, max_blocks=max_blocks, markup=markup).map(
        Document.from_markdown
    )


# Anchors (issue 4): an ``anchors(document)`` strategy that builds `leitlinien.Anchor`s on
# top of `ranges` (and of quotes drawn from them) belongs here, beside `ranges`.
