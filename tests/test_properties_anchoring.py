"""Hypothesis properties of re-anchoring, on generated documents and edit scripts with
ground truth (`leitlinien.testing`)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import leitlinien as ll
from leitlinien.diffing._moves import MOVED_WORDS
from leitlinien.diffing._text import MIN_CHAR_RUN, WORD_RUN, normal_text
from leitlinien.testing import EditResult, anchors, documents, edit_scripts

S = ll.AnchorStatus

pytestmark = pytest.mark.property


def trigrams(text: str) -> set[str]:
    folded = text.casefold()
    return {folded[i : i + 3] for i in range(len(folded) - 2)}


def unique(text: str, needle: str) -> bool:
    first = text.find(needle)
    return first >= 0 and text.find(needle, first + 1) < 0


@st.composite
def scenario(draw: st.DrawFn) -> tuple[EditResult, list[ll.Anchor]]:
    old = draw(documents(min_blocks=2, max_blocks=12))
    result = draw(edit_scripts(old))
    passages = draw(st.lists(anchors(old, insertion_points=True), min_size=1, max_size=8))
    return result, passages


@given(scenario())
def test_results_are_complete_ordered_and_in_range(
    case: tuple[EditResult, list[ll.Anchor]],
) -> None:
    """Count in equals count out, in order, each keeping its original; offsets stay in range."""
    result, passages = case
    results = ll.reanchor(passages, result.old, result.new)
    assert [r.original for r in results] == passages
    n = len(result.new.text)
    for r in results:
        assert 0.0 <= r.confidence <= 1.0
        if r.status is S.ORPHANED:
            assert (r.start, r.end, r.anchor) == (None, None, None)
            continue
        assert r.start is not None
        assert r.end is not None
        assert r.anchor is not None
        assert 0 <= r.start <= r.end <= n
        assert r.anchor.matches(result.new)
        assert result.new.text[r.start : r.end] == r.anchor.exact
        if r.status in (S.EXACT, S.SHIFTED):
            assert r.confidence == 1.0
            assert r.anchor.exact == r.original.exact
        else:
            assert r.confidence < 1.0
        if r.status is S.EXACT:  # the same place relative to blocks that kept their ids
            assert (
                r.anchor.block_id,
                r.anchor.block_offset,
                r.anchor.end_block_id,
                r.anchor.end_block_offset,
            ) == (
                r.original.block_id,
                r.original.block_offset,
                r.original.end_block_id,
                r.original.end_block_offset,
            )


def word_extent(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to the whole words it touches."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def whole_words_kept(result: EditResult, start: int, end: int) -> bool:
    """The words a passage touches survived together and are still words of their own."""
    ws, we = word_extent(result.old.text, start, end)
    span = result.kept_span(ws, we)
    if span is None:
        return False
    new = result.new.text
    return (span[0] == 0 or not new[span[0] - 1].isalnum()) and (
        span[1] == len(new) or not new[span[1]].isalnum()
    )


def torn_away(result: EditResult, start: int) -> bool:
    """Tell whether the passage at old offset `start` is in a part of its paragraph that no
    longer follows the rest of it (moved within the paragraph, split off into a block apart
    from the other part, after it, or joined to other text), and that part is reworded or
    short.

    The engine follows such a paragraph into one part and finds the others only as text moved
    out of place, which needs evidence: identical runs of `MOVED_WORDS` words covering 80% of
    it, no word rewritten. A part: a run of the paragraph's kept characters that stand in one
    new block in order. Reworded: a character of the part's old span (up to the neighbouring
    parts' characters) was deleted, or one was inserted inside or next to its new span; short:
    fewer than `MOVED_WORDS` words survived in it.
    """
    old, new, fate = result.old, result.new, result.fate
    block = old.blocks[old.block_index(start)]
    kept = [(i, f) for i in range(block.start, block.end) if (f := fate[i]) is not None]
    where = [new.block_index(f) for _, f in kept]
    # Where a new part begins: another block, or a step back in the new text.
    breaks = [
        k for k in range(1, len(kept)) if where[k] != where[k - 1] or kept[k][1] < kept[k - 1][1]
    ]
    if not breaks:
        return False  # its kept text stands in one block, in order
    ordered = all(kept[k][1] > kept[k - 1][1] for k in breaks)
    parts = sorted(set(where))
    ours = {f for _, f in kept}
    alone = all(
        p in ours or new.text[p].isspace()
        for k in parts
        for p in range(new.blocks[k].start, new.blocks[k].end)
    )
    if ordered and alone and parts == list(range(parts[0], parts[-1] + 1)):
        return False  # split into consecutive blocks in order, each holding only its part
    at = next(k for k, (i, _) in enumerate(kept) if i >= start)
    first_k = max((k for k in breaks if k <= at), default=0)
    stop_k = min((k for k in breaks if k > at), default=len(kept))
    lo = kept[first_k - 1][0] + 1 if first_k else block.start
    hi = kept[stop_k][0] if stop_k < len(kept) else block.end
    if any(fate[i] is None for i in range(lo, hi)):
        return True
    landed = [f for _, f in kept[first_k:stop_k]]
    arrived = {f for f in fate if f is not None}
    target = new.blocks[where[at]]
    first, last = landed[0], landed[-1]
    if any(p not in arrived for p in range(first, last + 1)):
        return True
    before = first - 1 >= target.start and first - 1 not in arrived
    after = last + 1 < target.end and last + 1 not in arrived
    if before or after:
        return True
    survived = WORD_RUN.findall("".join(new.text[f] for f in landed))
    return sum(1 for w in survived if any(ch.isalpha() for ch in w)) < MOVED_WORDS


@given(scenario())
def test_untouched_passages_land_exactly(case: tuple[EditResult, list[ll.Anchor]]) -> None:
    """An untouched passage comes back EXACT or SHIFTED at exactly the ground-truth offsets.

    Untouched: the words it touches survived together and are still words of their own (a
    word grown into another, "sparenden" into "kostensparenden", was touched), and its text
    occurs once in each version. Passages shorter than three characters are left out: a letter
    or two left standing cannot be told apart from coincidence (`MIN_CHAR_RUN`). So are
    comments on a whole paragraph: they follow the paragraph, also when it was merged.

    One kind may come back ORPHANED instead, never elsewhere: a passage in a part of its
    paragraph that no longer follows the rest (a split part moved apart, a sentence moved
    within the paragraph), when that part was reworded or is short (`torn_away`). Its text
    alone cannot tell such a part from a new sentence on the same template ("Der
    Behindertenbeauftragte kann zu allen Angelegenheiten …" deleted here, "Die
    Gleichstellungsbeauftragte kann zu allen Angelegenheiten …" added there) or from a stock
    phrase used anew, and an honest orphan beats a wrong attachment. A part that kept
    `MOVED_WORDS` words verbatim must be followed: that is asserted here.
    """
    result, passages = case
    for anchor, r in zip(passages, ll.reanchor(passages, result.old, result.new), strict=True):
        if anchor.is_insertion_point or anchor.whole_block or len(anchor.exact) < MIN_CHAR_RUN:
            continue
        span = result.kept_span(anchor.start, anchor.end)
        if (
            span is None
            or not whole_words_kept(result, anchor.start, anchor.end)
            or not unique(result.old.text, anchor.exact)
            or not unique(result.new.text, anchor.exact)
        ):
            continue
        if r.status is S.ORPHANED and torn_away(result, anchor.start):
            continue
        assert r.status in (S.EXACT, S.SHIFTED), (anchor.exact, r.reason)
        assert (r.start, r.end) == span


@given(scenario())
def test_deleted_passages_are_orphaned(case: tuple[EditResult, list[ll.Anchor]]) -> None:
    """A passage that was deleted and none of whose three-letter pieces appear anywhere in the
    new version comes back ORPHANED: never attached to unrelated text. (A passage of one or
    two letters has no such pieces; which of its many occurrences survived is undecidable.)"""
    result, passages = case
    new_grams = trigrams(result.new.text)
    for anchor, r in zip(passages, ll.reanchor(passages, result.old, result.new), strict=True):
        if anchor.is_insertion_point or not result.deleted(anchor.start, anchor.end):
            continue
        grams = trigrams(anchor.exact)
        if not grams or not any(ch.isalnum() for ch in anchor.exact) or grams & new_grams:
            continue
        assert r.status is S.ORPHANED, (anchor.exact, r.reason)


@given(st.data())
def test_chaining_equals_step_by_step(data: st.DataObject) -> None:
    """Carrying anchors over two versions at once equals carrying them one step at a time."""
    first = data.draw(edit_scripts(data.draw(documents(min_blocks=2, max_blocks=10))))
    second = data.draw(edit_scripts(first.new))
    passages = data.draw(st.lists(anchors(first.old), min_size=1, max_size=6))
    d1 = ll.diff(first.old, first.new)
    d2 = ll.diff(second.old, second.new)
    chained = ll.reanchor_steps(passages, [d1, d2])
    one = ll.reanchor(passages, first.old, first.new, using=d1)
    for step, both in zip(one, chained, strict=True):
        assert both.original == step.original
        if step.anchor is None:
            assert both.status is S.ORPHANED
            continue
        (two,) = ll.reanchor([step.anchor], second.old, second.new, using=d2)
        assert (both.start, both.end, both.anchor) == (two.start, two.end, two.anchor)
        assert both.confidence == pytest.approx(step.confidence * two.confidence, abs=1e-3)


@given(scenario())
def test_deterministic(case: tuple[EditResult, list[ll.Anchor]]) -> None:
    """Same inputs, same results."""
    result, passages = case
    assert ll.reanchor(passages, result.old, result.new) == ll.reanchor(
        passages, result.old, result.new
    )


@given(scenario())
def test_the_inline_usual_case_equals_the_general_path(
    case: tuple[EditResult, list[ll.Anchor]],
) -> None:
    """`reanchor` maps passages in blocks kept as they were (unchanged or moved) inline;
    `_Mapper.run` must agree on all."""
    from leitlinien.anchoring._mapper import _Mapper

    result, passages = case
    d = ll.diff(result.old, result.new)
    mapper = _Mapper(d)
    assert ll.reanchor(passages, result.old, result.new, using=d) == [
        mapper.run(p, i) for i, p in enumerate(passages)
    ]
    # Stale selectors (the block offset disagrees with the offsets) take the same way too.
    for p in passages:
        stale = attrs.evolve(p, block_offset=p.block_offset + 1)
        inline = _outcome(lambda a: ll.reanchor([a], result.old, result.new, using=d)[0], stale)
        assert inline == _outcome(lambda a: mapper.run(a, 0), stale)


def _outcome(way: Callable[[ll.Anchor], ll.ReanchorResult], anchor: ll.Anchor) -> object:
    try:
        return way(anchor)
    except ll.AnchorError as e:
        return str(e)


@pytest.mark.parametrize("drafts", [True, False], ids=["drafts", "attrs-init"])
def test_the_inline_builders_set_every_field(drafts: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """`_kept` builds the new anchor and the result field by field: none may be missed,
    whether they are built as drafts or (where Python refuses drafts) through attrs."""
    from leitlinien.anchoring import _mapper

    if drafts:
        assert _mapper._AnchorDraft is not None
        assert _mapper._ResultDraft is not None
    else:
        monkeypatch.setattr(_mapper, "_AnchorDraft", None)
        monkeypatch.setattr(_mapper, "_ResultDraft", None)
    doc = ll.Document.from_markdown("# Titel\n\nDie Stadt beteiligt ihre Einwohner.\n")
    anchor = ll.Anchor.from_range(doc, doc.blocks[1].start + 4, doc.blocks[1].start + 9)
    result = _mapper._kept(anchor, 40, "p-new", S.SHIFTED, "block moved")
    moved = result.anchor
    expected = attrs.evolve(anchor, start=40, end=45, block_id="p-new", end_block_id="p-new")
    assert type(moved) is ll.Anchor
    assert moved == expected
    assert hash(moved) == hash(expected)
    assert attrs.asdict(moved) == attrs.asdict(expected)
    reference = ll.ReanchorResult(
        original=anchor,
        status=S.SHIFTED,
        start=40,
        end=45,
        confidence=1.0,
        reason="block moved",
        anchor=moved,
    )
    assert type(result) is ll.ReanchorResult
    assert result == reference
    assert attrs.asdict(result, recurse=False) == attrs.asdict(reference, recurse=False)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        moved.start = 0  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.reason = "x"  # type: ignore[misc]
    # In place (same start, same block): the anchor itself is the result's anchor.
    same = _mapper._kept(anchor, anchor.start, anchor.block_id, S.EXACT, "unchanged")
    assert same.anchor is anchor
    assert same.original is anchor
    assert (same.start, same.end, same.status, same.confidence) == (
        anchor.start,
        anchor.end,
        S.EXACT,
        1.0,
    )


@given(st.text(alphabet="abc .-ä1", max_size=40), st.data())
def test_words_covered_counts_the_word_characters_in_a_span(text: str, data: st.DataObject) -> None:
    """`_Words.covered` (bisect over cumulative lengths) equals counting word by word."""
    from leitlinien.anchoring._mapper import _word_spans, _Words

    lo = data.draw(st.integers(min_value=-2, max_value=len(text) + 2))
    hi = data.draw(st.integers(min_value=lo - 2, max_value=len(text) + 2))
    spans = _word_spans(text)
    expected = sum(max(0, min(e, hi) - max(s, lo)) for s, e in spans) if spans else max(0, hi - lo)
    words = _Words(text)
    assert words.covered(lo, hi) == expected
    assert words.total == (sum(e - s for s, e in spans) or len(text))


@given(st.data())
def test_position_map_pieces_are_sound(data: st.DataObject) -> None:
    """Every surviving piece stays in range, pieces overlap on neither side, identical pieces
    hold identical text, and a piece maps old blocks onto the new blocks of their changes
    (also for a merge whose sources lie apart), or is text moved out of its block: then it
    leaves a changed block for a changed one, never an unchanged block or into one."""
    result = data.draw(edit_scripts(data.draw(documents(min_blocks=1, max_blocks=12))))
    old, new = result.old, result.new
    d = ll.diff(old, new)
    pieces = d.position_map.pieces
    for a0, a1, b0, b1, kind in pieces:
        assert 0 <= a0 <= a1 <= len(old.text)
        assert 0 <= b0 <= b1 <= len(new.text)
        assert (a0 < a1) == (b0 < b1)  # only an empty block maps as an empty piece
        if kind == ll.PieceKind.SAME:
            assert old.text[a0:a1] == new.text[b0:b1]
        else:
            assert normal_text(old.text[a0:a1]) == normal_text(new.text[b0:b1])
        # (The separator between two merged blocks may map to a space inside the new one.)
        changes = [d.change_of_old(b.id) for b in old.blocks_in(a0, a1)]
        if changes:
            partners = {j for c in changes for j in c.new_ids}
            targets = {b.id for b in new.blocks_in(b0, b1)}
            if not targets <= partners:
                assert ll.ChangeKind.UNCHANGED not in {c.kind for c in changes}
                assert all(d.change_of_new(j).kind is not ll.ChangeKind.UNCHANGED for j in targets)
    for side in (0, 2):
        spans = sorted((p[side], p[side + 1]) for p in pieces if p[side] < p[side + 1])
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start
