"""Properties of the document model over generated documents (and of our own edit scripts)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leitlinien import Anchor, Document
from leitlinien.document import SEPARATOR
from leitlinien.testing import anchors, documents, edit_scripts, markdown_texts, ranges

pytestmark = pytest.mark.property

small_documents = documents(max_blocks=15)


class TestRoundTrips:
    @given(doc=small_documents)
    def test_to_markdown(self, doc: Document) -> None:
        """Canonical Markdown parses to an equal document with the same text and ids."""
        again = Document.from_markdown(doc.to_markdown())
        assert again == doc
        assert again.text == doc.text
        assert [b.id for b in again.blocks] == [b.id for b in doc.blocks]

    @given(doc=documents(max_blocks=15, markup=False))
    def test_to_markdown_is_a_fixed_point(self, doc: Document) -> None:
        """Canonical Markdown of a canonical document is the same string."""
        canonical = doc.to_markdown()
        assert Document.from_markdown(canonical).to_markdown() == canonical

    @given(doc=small_documents)
    def test_to_dict(self, doc: Document) -> None:
        """`from_dict(to_dict(d)) == d`, spans and ids included."""
        again = Document.from_dict(doc.to_dict())
        assert again == doc
        assert [(b.id, b.start, b.end) for b in again.blocks] == [
            (b.id, b.start, b.end) for b in doc.blocks
        ]


class TestSpans:
    @given(doc=small_documents)
    def test_blocks_tile_the_text(self, doc: Document) -> None:
        """Blocks lie in order, each span holds its text, separated by exactly one separator."""
        position = 0
        for i, block in enumerate(doc.blocks):
            if i:
                assert doc.text[position : position + len(SEPARATOR)] == SEPARATOR
                position += len(SEPARATOR)
            assert block.start == position
            assert doc.text[block.start : block.end] == block.text
            position = block.end
        assert position == len(doc.text)

    @given(data=st.data(), doc=documents(min_blocks=1, max_blocks=15))
    def test_locate_and_offset_convert_both_ways(self, data: st.DataObject, doc: Document) -> None:
        """`offset(*locate(o)) == o` inside blocks; in a separator it gives the block's end."""
        offset = data.draw(st.integers(0, len(doc.text)), label="offset")
        block_id, in_block = doc.locate(offset)
        block = doc.block(block_id)
        back = doc.offset(block_id, in_block)
        inside = doc.block_at(offset)
        if inside is not None:
            assert back == offset
            assert block.start <= offset <= block.end
        else:
            assert back == block.end < offset
        assert doc.text[block.start : back] == block.text[:in_block]

    @given(data=st.data(), doc=documents(min_blocks=1, max_blocks=15))
    def test_block_offsets_convert_both_ways(self, data: st.DataObject, doc: Document) -> None:
        """Every (block, offset in block) maps to a reading-text offset that maps back."""
        block = data.draw(st.sampled_from(doc.blocks), label="block")
        in_block = data.draw(st.integers(0, len(block.text)), label="in_block")
        offset = doc.offset(block.id, in_block)
        located = doc.locate(offset)
        if located[0] == block.id:
            assert located == (block.id, in_block)
        else:  # an empty block shares its offset with the end of the block before
            assert block.text == "" or in_block == 0


class TestIds:
    @given(doc=small_documents)
    def test_unique(self, doc: Document) -> None:
        """No two blocks share an id, and every id finds its block."""
        ids = [b.id for b in doc.blocks]
        assert len(set(ids)) == len(ids)
        assert all(doc.block(i) is b for i, b in zip(ids, doc.blocks, strict=True))

    @given(
        before=markdown_texts(max_blocks=8),
        after=markdown_texts(max_blocks=8),
        words=st.lists(st.sampled_from(["neu", "eingefügt", "Absatz", "🆕"]), max_size=4),
    )
    def test_stable_under_insertion(self, before: str, after: str, words: list[str]) -> None:
        """Inserting a paragraph between two parts changes no other block's id."""
        after = after.replace("<!-- id: pin-", "<!-- id: pin-b")
        inserted = " ".join(["Ganz neu eingefügt ⸻", *words])
        base = Document.from_markdown(before + "\n\n" + after)
        changed = Document.from_markdown(before + "\n\n" + inserted + "\n\n" + after)
        new_blocks = [(b.id, b.text) for b in changed.blocks if b.text != inserted]
        assert new_blocks == [(b.id, b.text) for b in base.blocks]
        assert len(changed.blocks) == len(base.blocks) + 1


EMPTY_CODE = Document.from_markdown("~~~text\n~~~\n")


@given(anchors(EMPTY_CODE, insertion_points=True))
def test_anchors_on_a_document_without_text(anchor: object) -> None:
    """A document whose only block is empty has no passage: whole blocks and insertion
    points are drawn instead of failing (found by the thorough profile)."""
    assert EMPTY_CODE.text == ""
    assert isinstance(anchor, Anchor)
    assert anchor.matches(EMPTY_CODE)
    assert anchor.start == anchor.end == 0


class TestStrategies:
    @given(data=st.data(), doc=small_documents)
    def test_edit_script_ground_truth(self, data: st.DataObject, doc: Document) -> None:
        """`edit_scripts` ground truth: kept characters are where it says, once each."""
        result = data.draw(edit_scripts(doc), label="result")
        old, new, fate = result.old, result.new, result.fate
        assert old is doc
        assert len(fate) == len(old.text)
        kept = [(i, f) for i, f in enumerate(fate) if f is not None]
        assert all(new.text[f] == old.text[i] for i, f in kept)
        assert len({f for _, f in kept}) == len(kept)
        for a, b in zip(old.blocks, old.blocks[1:], strict=False):
            assert fate[a.end : b.start] == (None,) * len(SEPARATOR)
        assert Document.from_markdown(new.to_markdown()) == new

    @given(data=st.data(), doc=small_documents)
    def test_untouched_blocks_survive(self, data: st.DataObject, doc: Document) -> None:
        """Blocks no edit names come back whole, as one block of the new document."""
        result = data.draw(edit_scripts(doc), label="result")
        touched = {i for edit in result.edits for i in edit.old_ids}
        for block in doc.blocks:
            if block.id in touched or not block.text:
                continue
            span = result.kept_span(block.start, block.end)
            assert span is not None, block
            found = result.new.block_at(span[0])
            assert found is not None
            assert (found.start, found.end, found.text) == (*span, block.text)

    @given(data=st.data(), doc=small_documents)
    def test_edit_records_name_real_blocks(self, data: st.DataObject, doc: Document) -> None:
        """Each edit's old ids are blocks of the old document, its new ids of the new one."""
        result = data.draw(edit_scripts(doc, max_edits=4), label="result")
        assert len(result.edits) <= 4
        split: set[str] = set()
        for edit in result.edits:
            assert all(result.old.has_block(i) for i in edit.old_ids), edit
            assert all(result.new.has_block(i) for i in edit.new_ids), edit
            if edit.kind == "delete_block":
                for i in edit.old_ids:
                    block = result.old.block(i)
                    fates = result.fate[block.start : block.end]
                    # All of it is gone, unless it was split before and the other part lives.
                    if i in split:
                        assert None in fates, edit
                    else:
                        assert all(f is None for f in fates), edit
            if edit.kind == "split_block":
                split.update(edit.old_ids)
            assert edit.description

    @given(data=st.data(), doc=documents(min_blocks=1, max_blocks=15))
    def test_ranges(self, data: st.DataObject, doc: Document) -> None:
        """`ranges` stays within the text and honours `min_size`."""
        size = data.draw(st.integers(0, min(len(doc.text), 20)), label="min_size")
        start, end = data.draw(ranges(doc, min_size=size), label="range")
        assert 0 <= start <= end <= len(doc.text)
        assert end - start >= size

    @given(doc=documents(min_blocks=3, max_blocks=5))
    def test_documents_honour_min_blocks(self, doc: Document) -> None:
        """`documents(min_blocks=n)` has at least n blocks."""
        assert len(doc.blocks) >= 3
