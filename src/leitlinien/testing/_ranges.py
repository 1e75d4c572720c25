"""Ranges of reading-text offsets (private; see `leitlinien.testing`)."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from leitlinien.document import Document

__all__ = ["ranges", "word_boundaries"]


def word_boundaries(text: str) -> list[int]:
    """Return the offsets in `text` where a word starts or ends (0 and len(text) included)."""
    out = [0]
    for i in range(1, len(text)):
        if text[i - 1].isspace() != text[i].isspace():
            out.append(i)
    if text:
        out.append(len(text))
    return out


def ranges(document: Document, *, min_size: int = 0) -> st.SearchStrategy[tuple[int, int]]:
    """Generate ``(start, end)`` ranges of `document.text` at least `min_size` long.

    Guaranteed: ``0 <= start <= end <= len(document.text)`` and ``end - start >= min_size``.
    Most ranges lie inside one block and start and end at word boundaries (a word, a few
    words, a whole block); others cross block boundaries (also starting or ending in the
    ``"\\n\\n"`` separator) or are arbitrary. `InvalidArgument` if the text is shorter than
    `min_size`.
    """
    n = len(document.text)
    if min_size < 0 or min_size > n:
        raise InvalidArgument(
            f"min_size must be between 0 and len(document.text) = {n} (got {min_size!r})"
        )
    blocks = [b for b in document.blocks if len(b.text) >= min_size]

    @st.composite
    def anywhere(draw: st.DrawFn) -> tuple[int, int]:
        start = draw(st.integers(0, n - min_size))
        return start, draw(st.integers(start + min_size, n))

    @st.composite
    def in_block(draw: st.DrawFn) -> tuple[int, int]:
        block = draw(st.sampled_from(blocks))
        cuts = word_boundaries(block.text)
        pairs = [(a, b) for a in cuts for b in cuts if b - a >= min_size]
        at_words = draw(st.integers(0, 3)) > 0  # mostly whole words
        if pairs and at_words:
            s, e = draw(st.sampled_from(pairs))
        else:
            s = draw(st.integers(0, len(block.text) - min_size))
            e = draw(st.integers(s + min_size, len(block.text)))
        return block.start + s, block.start + e

    @st.composite
    def across(draw: st.DrawFn) -> tuple[int, int]:
        first = draw(st.integers(0, len(document.blocks) - 2))
        last = draw(st.integers(first + 1, len(document.blocks) - 1))
        a, b = document.blocks[first], document.blocks[last]
        starts = [a.start + c for c in word_boundaries(a.text)] + [a.end + 1]
        ends = [b.start + c for c in word_boundaries(b.text)] + [b.start - 1]
        start = min(draw(st.sampled_from(starts)), n - min_size)
        end = max(draw(st.sampled_from(ends)), start + min_size)
        return start, min(end, n)

    options = [anywhere()]
    if blocks:
        options += [in_block(), in_block(), in_block()]
    if len(document.blocks) > 1:
        options += [across()]
    return st.one_of(options)
