"""Public Hypothesis strategies for the test suites of portals that embed leitlinien.

Hypothesis is an optional extra (``pip install 'leitlinien[test]'``): import this module from
tests only.

- `markdown_texts` and `documents`: realistic guideline documents, as Markdown or parsed.
- `edit_scripts`: a new version of a document together with the ground-truth fate of every
  character (`EditResult`), to test anything that maps positions across versions.
- `ranges`: passages of a document's reading text as ``(start, end)`` offsets.
- `anchors`: `leitlinien.Anchor`s on a document (passages, whole blocks, insertion points).

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

from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from leitlinien.anchoring import Anchor
from leitlinien.document import Document
from leitlinien.errors import AnchorError
from leitlinien.testing._edits import Edit, EditKind, EditResult, edit_scripts
from leitlinien.testing._markdown import PLAIN_WORDS, markdown_texts
from leitlinien.testing._ranges import ranges, word_boundaries

__all__ = [
    "PLAIN_WORDS",
    "Edit",
    "EditKind",
    "EditResult",
    "anchors",
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


@st.composite
def _anchor(draw: st.DrawFn, document: Document, insertion_points: bool) -> Anchor:
    # A document whose blocks are all empty (an empty code block, say) has no passage.
    ways = ["range", "range", "range"] if any(b.text for b in document.blocks) else []
    how = draw(st.sampled_from([*ways, "block", "point"]))
    if how == "block" or (how == "point" and not insertion_points):
        block = draw(st.sampled_from(document.blocks))
        return Anchor.for_block(document, block.id)
    if how == "point":
        at = draw(st.sampled_from(document.blocks)).start
        offset = draw(st.integers(0, len(document.text) - at).map(lambda k: at + k))
        return Anchor.from_range(document, offset, offset, insertion_point=True)
    start, end = draw(ranges(document, min_size=1))
    try:
        return Anchor.from_range(document, start, end)
    except AnchorError:
        # The range held only a block separator: there is nothing to anchor.
        reject()


def anchors(document: Document, *, insertion_points: bool = False) -> st.SearchStrategy[Anchor]:
    """Generate `Anchor`s on `document`: passages from `ranges`, whole blocks, and (with
    `insertion_points`) empty insertion points for amendments.

    Guaranteed: ``anchor.matches(document)``; the document must have at least one block
    (when its blocks are all empty, only whole blocks and insertion points are drawn).
    """
    if not document.blocks:
        raise InvalidArgument("anchors() needs a document with at least one block")
    return _anchor(document, insertion_points)
