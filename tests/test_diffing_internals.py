"""Properties of the diffing layer's private building blocks (the speed-ups must not change
what they compute)."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from leitlinien.diffing import _align, _text
from leitlinien.document import Block, BlockKind, Document

# -- the heaviest chain of diagonal runs equals the longest increasing subsequence ---------


@st.composite
def diagonal_runs(draw: st.DrawFn) -> list[list[int]]:
    """Runs [old start, new start, length], sorted by old start, disjoint on both sides."""
    lengths = draw(st.lists(st.integers(1, 5), max_size=25))
    order = draw(st.permutations(range(len(lengths))))
    new_starts = [0] * len(lengths)
    at = 0
    for r in order:  # lay the runs out on the new side in a shuffled order
        at += draw(st.integers(0, 2))
        new_starts[r] = at
        at += lengths[r]
    runs = []
    at = 0
    for r, n in enumerate(lengths):
        at += draw(st.integers(0, 2))
        runs.append([at, new_starts[r], n])
        at += n
    return runs


@given(diagonal_runs())
def test_heaviest_chain_is_a_longest_increasing_subsequence(runs: list[list[int]]) -> None:
    chain = _align._heaviest_chain(runs)
    pairs = [(i + k, j + k) for i, j, n in runs for k in range(n)]
    assert sum(n for _, _, n in chain) == len(_text.longest_increasing(pairs))
    for (i0, j0, n0), (i1, j1, _) in itertools.pairwise(chain):
        assert i1 >= i0 + n0
        assert j1 >= j0 + n0
    assert all(run in runs for run in chain)


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), unique_by=lambda p: p[0]))
def test_longest_increasing_is_increasing_and_maximal(raw: list[tuple[int, int]]) -> None:
    pairs = sorted(raw)
    out = _text.longest_increasing(pairs)
    assert all(a[1] < b[1] for a, b in itertools.pairwise(out))
    assert all(p in pairs for p in out)
    # Quadratic reference for the length.
    best = [1] * len(pairs)
    for k in range(len(pairs)):
        for m in range(k):
            if pairs[m][1] < pairs[k][1]:
                best[k] = max(best[k], best[m] + 1)
    assert len(out) == max(best, default=0)


# -- token diffs: patience anchors, diff-match-patch between them ------------------------

tokens = st.lists(st.sampled_from(["a", "b", "c", "d", " ", "x", "y", "Wort", "Satz"]), max_size=80)


def _check_runs(a: list[str], b: list[str], runs: list[_text.Run]) -> None:
    i = j = 0
    for op, a0, a1, b0, b1 in runs:
        assert (a0, b0) == (i, j)
        if op == _text.EQUAL:
            assert a[a0:a1] == b[b0:b1]
        elif op == _text.DELETE:
            assert b0 == b1
        else:
            assert a0 == a1
        i, j = a1, b1
    assert (i, j) == (len(a), len(b))


@given(tokens, tokens, st.booleans())
def test_token_runs_cover_both_sides_in_order(a: list[str], b: list[str], semantic: bool) -> None:
    _check_runs(a, b, _text.token_runs(a, b, semantic=semantic))


@given(st.lists(st.integers(0, 10_000), min_size=40, max_size=120, unique=True), st.data())
def test_token_runs_keep_every_unique_token_left_in_order(
    a: list[int], data: st.DataObject
) -> None:
    """Deleting and inserting tokens around unique ones: the kept ones all come back equal."""
    kept = data.draw(st.lists(st.sampled_from(a), unique=True)) if a else []
    kept_in_order = [t for t in a if t in set(kept)]
    b: list[int] = []
    for t in kept_in_order:
        b.extend(data.draw(st.lists(st.integers(20_000, 20_010), max_size=3)))
        b.append(t)
    runs = _text.token_runs(a, b)
    _check_runs([str(t) for t in a], [str(t) for t in b], runs)  # type: ignore[arg-type]
    equal = sum(a1 - a0 for op, a0, a1, _, _ in runs if op == _text.EQUAL)
    assert equal >= len(kept_in_order)


@given(st.lists(st.tuples(st.sampled_from([-1, 0, 1]), st.text(alphabet="ab", max_size=2))))
def test_merged_joins_equal_runs_and_the_changes_between_them(
    diffs: list[tuple[int, str]],
) -> None:
    """Between two equal runs, all deletions become one, then all insertions one."""
    expected: list[tuple[int, str]] = []
    for equal, group in itertools.groupby((d for d in diffs if d[1]), key=lambda d: d[0] == 0):
        pieces = list(group)
        if equal:
            expected.append((0, "".join(t for _, t in pieces)))
            continue
        for op in (-1, 1):
            joined = "".join(t for o, t in pieces if o == op)
            if joined:
                expected.append((op, joined))
    assert _text._merged(diffs) == expected


def test_long_stretches_without_a_unique_token_are_replaced_as_a_whole() -> None:
    a = ["x", " "] * 300 + ["x"]
    b = ["y", " "] * 300 + ["y"]
    runs = _text.token_runs(a, b)
    _check_runs(a, b, runs)
    assert [op for op, *_ in runs] == [_text.DELETE, _text.INSERT]
    # Below the limit the minimal diff still finds the shared spaces.
    small = _text.token_runs(a[:40], b[:40])
    assert sum(a1 - a0 for op, a0, a1, _, _ in small if op == _text.EQUAL) == 20


def test_encode_skips_the_surrogate_range() -> None:
    a = list(range(0xD800 + 3))
    ca, cb = _text._encode(a, [0xD7FE, 0xD7FF, 0xD800])
    assert len(set(ca)) == len(a)
    assert not any(0xD800 <= ord(c) < 0xE000 for c in ca)
    assert [ord(c) for c in cb] == [0xD7FF, 0xE000, 0xE001]


# -- the trigram filter before character diffs changes nothing ---------------------------

words = st.lists(
    st.sampled_from(
        [
            *("Stadt", "Stadtrat", "Stadtteil", "rat", "Rat", "Verhandlungen", "Amtshandlungen"),
            *("x", "Beteiligung", "Bürger", "Bürgerin", " ", " - ", ", ", "(", ")", "..."),
        ]
    ),
    min_size=1,
    max_size=12,
).map("".join)


@given(words, words, words)
@example(prefix="", a="Stadt - Rat", b="Bürger - x")  # a run of punctuation inside
@example(prefix="Die ", a="Stadtrat", b="Stadtteil")  # the kept start of a word
def test_part_keys_filter_changes_no_mapping(prefix: str, a: str, b: str) -> None:
    old, new = prefix + a, prefix + b
    span = (len(prefix), len(old), len(prefix), len(new))
    filtered: list[_text.Piece] = []
    _text._replaced_pieces(old, new, span, filtered)
    unfiltered: list[_text.Piece] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_text, "_part_keys", lambda text, start, end: {""})
        _text._replaced_pieces(old, new, span, unfiltered)
    assert filtered == unfiltered


# -- the whole-text comparison key agrees with the tokens' keys ---------------------------

texts = st.lists(
    st.sampled_from(
        [
            *"aAäÄßsS ZzeE.,;-–—„“”‘’«»\u00a0\t\n",
            *("e\u0301", "A\u0308", "\u0301", "ﬁ", "İ"),
            *"か=\u3099\u0338\u0654ب",  # marks that compose across tokens
        ]
    ),
    max_size=40,
).map("".join)


@given(texts)
@example("か\u3099 =\u0338")  # decomposed kana (as macOS writes it), a negated sign
def test_normal_text_equals_the_joined_token_keys(text: str) -> None:
    assert _text.normal_text(text) == "".join(_text.normal_keys(_text.words(text))).strip()


@given(st.one_of(texts, st.text(max_size=40)))
@example("_a \u0301b c\u0301_ 1x")  # runs that begin with "_" or a mark are no words
def test_word_key_list_equals_the_word_keys_of_all_tokens(text: str) -> None:
    """The block alignment's word keys (word runs only) equal those of the full tokenizer."""
    expected = list(_text.word_keys(_text.normal_keys(_text.words(text))))
    assert _text.word_key_list(text) == expected


@given(st.text(max_size=30), st.integers(0, 35), st.integers(0, 35))
@example("_ \u0301-", 0, 4)  # an underscore and a mark are no letters
@example("a_", 1, 2)
def test_text_has_word_tells_whether_a_letter_or_digit_is_in_the_span(
    text: str, start: int, end: int
) -> None:
    expected = any(ch.isalnum() for ch in text[start:end])
    assert _text.text_has_word(text, start, end) is expected
    assert _text.text_has_word(text[start:end]) is expected


def test_mapping_after_a_normalised_start_matches_as_the_whole_texts_would() -> None:
    """ "Der Rat" -> "der Rat Rat": the words match from the start, the repeat is appended."""
    assert _text.mapping_pieces("Der Rat", "der Rat Rat") == [
        (0, 3, 0, 3, _text.NORMALIZED),
        (3, 7, 3, 7, _text.SAME),
    ]


# -- anchors: blocks whose (kind, text) occurs once on each side --------------------------

block_lists = st.lists(
    st.tuples(st.sampled_from([BlockKind.PARAGRAPH, BlockKind.HEADING]), st.sampled_from("abcde")),
    max_size=8,
).map(lambda spec: [Block(id=f"b{k}", kind=kind, text=t) for k, (kind, t) in enumerate(spec)])


@given(block_lists, block_lists)
def test_anchor_candidates_are_the_blocks_unique_by_kind_and_text(
    old: list[Block], new: list[Block]
) -> None:
    keys_old = [(b.kind, b.text) for b in old]
    keys_new = [(b.kind, b.text) for b in new]
    expected = [
        (i, keys_new.index(k))
        for i, k in enumerate(keys_old)
        if keys_old.count(k) == 1 and keys_new.count(k) == 1
    ]
    seen: list[list[tuple[int, int]]] = []

    def spy(runs: list[list[int]]) -> list[list[int]]:
        seen.append([(i + k, j + k) for i, j, n in runs for k in range(n)])
        return chain(runs)

    chain = _align._heaviest_chain
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_align, "_heaviest_chain", spy)
        _align._Aligner(old, new).anchor_and_gaps()
    assert seen == [expected]


def _bag(words: list[str]) -> _align._Bag:
    bag = _align._Bag(words)
    bag.size = bag.total()
    return bag


@given(st.lists(st.sampled_from("abcde"), max_size=12), st.lists(st.sampled_from("abcde")))
def test_dice_bound_is_never_below_the_score(a: list[str], b: list[str]) -> None:
    """The size bound that spares counting words may never reject a pair the score would take:
    it is at least the score, and equal to it when one text's words are all in the other."""
    x, y = _bag(a), _bag(b)
    assert _align._dice(x, y) <= _align._dice_bound(x, y)
    contained = _bag(a + b[: len(b) // 2])
    assert _align._dice(x, contained) == _align._dice_bound(x, contained)


@pytest.mark.parametrize(("small", "large"), [(2, 3), (4, 6), (8, 12), (1, 1)])
def test_dice_bound_at_the_threshold_keeps_the_pair(small: int, large: int) -> None:
    """Sizes whose bound is exactly a threshold (2 * 2 / 5 = `CLOSE`) are still compared."""
    x = _bag([f"w{k}" for k in range(small)])
    y = _bag([f"w{k}" for k in range(large)])
    assert _align._dice_bound(x, y) == _align._dice(x, y)
    if (small, large) != (1, 1):
        assert not _align._dice_bound(x, y) < _align.CLOSE


# -- mapping pieces: cutting off the common beginning and end changes nothing --------------


def _mapping_of_whole_texts(a: str, b: str) -> list[_text.Piece]:
    """The mapping computed on the whole texts' words (no common beginning or end cut off)."""
    if a == b:
        return [(0, len(a), 0, len(b), _text.SAME)] if a else []
    ta, tb = _text.words(a), _text.words(b)
    pa = list(itertools.accumulate(map(len, ta), initial=0))
    pb = list(itertools.accumulate(map(len, tb), initial=0))
    runs = _text.token_runs(_text.normal_keys(ta), _text.normal_keys(tb))
    pieces: list[_text.Piece] = []
    prev_a = prev_b = 0
    equal = [(a0, a1, b0, b1) for op, a0, a1, b0, b1 in runs if op == _text.EQUAL]
    for a0, a1, b0, b1 in [*equal, (len(ta), len(ta), len(tb), len(tb))]:
        if prev_a < a0 and prev_b < b0:
            _text._replaced_pieces(a, b, (pa[prev_a], pa[a0], pb[prev_b], pb[b0]), pieces)
        if a1 > a0:
            _text._equal_pieces(ta, tb, pa=pa, pb=pb, a0=a0, a1=a1, b0=b0, out=pieces)
        prev_a, prev_b = a1, b1
    return _text._joined(pieces)


phrases = st.lists(
    st.sampled_from(
        [
            *("Der", "der", "Rat", "rat", "Stadt", "Stadtrat", "„Beirat“", '"Beirat"', "Straße"),
            *(" ", "  ", "\n", "\u00a0", ", ", ". ", " - ", "–", "e\u0301", "é", "x"),
        ]
    ),
    max_size=14,
).map("".join)


@given(phrases, phrases, phrases, phrases)
@example("", "Der Rat", "der Rat Rat", "")
@example("Die ", "Stadt tagt", "Stadt tagt heute", " oft.")
@example("Der", " Rat", "  Rat", "")  # a space more where the common beginning ends
@example("", "Der Rat ", "Der Rat  ", "tagt")  # and where the common end begins
def test_mapping_pieces_equal_those_of_the_whole_texts(
    head: str, a: str, b: str, tail: str
) -> None:
    old, new = head + a + tail, head + b + tail
    assert _text.mapping_pieces(old, new) == _mapping_of_whole_texts(old, new)


# -- words found once: the searches agree with counting every word ---------------------------


def _held_once(doc: Document) -> dict[str, list[int]]:
    """Each word's key with the indices of the blocks holding it (once per occurrence)."""
    holders: dict[str, list[int]] = {}
    for k, block in enumerate(doc.blocks):
        bag = Counter(_text.word_keys(_text.normal_keys(_text.words(block.text))))
        for w, n in bag.items():
            holders.setdefault(w, []).extend([k] * n)
    return holders


def test_once_agrees_with_counting_every_word(monkeypatch: pytest.MonkeyPatch) -> None:
    """`_once` counts the unmatched blocks' words and searches the unchanged blocks' text:
    on the example's versions it gives the answer a count of every word (case-folded, NFC)
    gives, whether it searches or, after `SCANS` questions, collects the words at once."""
    from leitlinien import examples

    old, new = examples.load("v1"), examples.load("v2")
    in_old, in_new = _held_once(old), _held_once(new)
    probe = _align._Aligner(old.blocks, new.blocks)
    probe.anchor_and_gaps()
    # It is asked about blocks that changed (not in a run of unchanged ones).
    pairs = []
    for w, olds in in_old.items():
        news = in_new.get(w, [])
        if len(w) < _text.MIN_CHAR_RUN or not w[:1].isalpha() or not news:
            continue
        i, j = olds[0], news[0]
        changed = i in probe.old_pending and j in probe.new_pending
        if changed and olds.count(i) == 1 and news.count(j) == 1:
            pairs.append((i, j, w, len(olds) == 1 and len(news) == 1))
    assert any(once for *_, once in pairs)
    assert not all(once for *_, once in pairs)
    for scans in (len(pairs) + 1, 0):
        monkeypatch.setattr(_align, "SCANS", scans)
        aligner = _align._Aligner(old.blocks, new.blocks)
        aligner.anchor_and_gaps()
        assert [(i, j, w, aligner._once(i, j, w)) for i, j, w, _ in pairs] == pairs


@pytest.mark.parametrize(
    ("text", "word", "whole"),
    [
        ("die leitlinien gelten", "leitlinien", True),
        ("leitlinien_alt.md", "leitlinien", False),
        ("cafe\u0301 offen", "cafe", False),  # NFD: the accent belongs to the word
        ("(leitlinien)", "leitlinien", True),
    ],
)
def test_a_whole_word_ends_where_the_tokenizer_ends_it(text: str, word: str, whole: bool) -> None:
    assert _align._whole_word(text, text.index(word), word) is whole
    assert (word in _text.words(text)) is whole
