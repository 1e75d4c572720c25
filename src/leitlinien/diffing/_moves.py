"""Text moved out of its block into text the new version added elsewhere (private).

The block alignment pairs whole blocks, and each change's text is diffed only against its own
partner blocks. Text that left its block is therefore left over twice: as deleted where it
stood and as inserted where it went. Typical cases: one part of a split paragraph put behind
the next heading, a sentence moved into another paragraph or to another place in its own.
`moved_pieces` pairs such left-over stretches and adds the runs they share to the position
map, so that comments follow the text; `continued_pieces` pairs the few words that crossed
a paragraph boundary (a paragraph's end put before the next one). The changes themselves
keep their kinds: a report still shows the text deleted in one place and inserted in the
other.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable

from leitlinien.diffing import _text
from leitlinien.document import Block, BlockKind, Document

MOVED_MIN_WORDS = 3
"""Fewest distinct words two left-over stretches must share to be compared, and fewest words
(with a letter) of the phrase they must share."""

MOVED_MIN_CHARS = 16
"""Shortest phrase (of `MOVED_MIN_WORDS` words with a letter) two stretches must share:
words shared here and there are coincidence, a phrase kept whole is lineage."""

MOVED_SHARE = 0.5
"""Least share of the smaller stretch's distinct words that the two must share to be
compared."""

MOVED_WORDS = 6
"""Fewest words with a letter that the identical runs of two stretches must hold together: a
clause or sentence moved has as many, a stock phrase deleted in one place and used in
another ("im Einvernehmen mit der Gemeinde", "nach Maßgabe des Landesrechts") has fewer."""

MOVED_COVERED = 0.8
"""Least share of the smaller stretch's characters (not spaces) that must be identical
in the other (in identical words, or in words edited by a letter or two, see
`_characters_kept`): text moved keeps most of itself; a stock phrase shared by two texts
does not make them one ("in den Fällen des", "nach Maßgabe der Satzung")."""

MOVED_TRIES = 3
"""New stretches compared with one old stretch, the ones sharing most of its words first."""

MOVED_PATIENCE = 8
"""Failed comparisons after which a new stretch is no longer compared (bounds the cost when
many small old stretches share words with one long new stretch)."""

MOVED_PROBES = 8
"""Longest words of an old stretch by which the new stretches sharing them are looked up."""

MOVED_PROBE_LENGTH = 5
"""Shortest word by which stretches are looked up (shorter ones are mostly function words;
text moved keeps its longer words too)."""

MOVED_COMMON = 8
"""A word found in more new stretches than this is not used to look them up."""

_RUNNING = (BlockKind.PARAGRAPH, BlockKind.QUOTE)
"""Blocks of running text, whose words may cross into a neighbour of their kind."""


def moved_pieces(old: Document, new: Document, pieces: list[_text.Piece]) -> list[_text.Piece]:
    """Pieces of text moved from one left-over stretch of `old` to one of `new`, then of text
    that crossed a block boundary (`continued_pieces`), sorted.

    `pieces` are the mapping pieces of all changes (document offsets, sorted by old offset,
    as `_merge_pieces` leaves them). A left-over stretch is block text that no piece covers
    (headings aside). Old stretches, longest first, are compared with up to `MOVED_TRIES` new
    stretches that share `MOVED_SHARE` of the smaller one's distinct words and three words in
    a row with them, those sharing most words first. The first whose identical runs hold
    `MOVED_WORDS` words and cover `MOVED_COVERED` of the smaller stretch, and whose longest
    identical run is a phrase (`MOVED_MIN_CHARS`) found once in each version, is paired. Each
    stretch is paired at most once, so the pieces overlap neither each other nor `pieces`.
    """
    old_side = _Side(old, [(p[0], p[1]) for p in pieces])
    new_side = _Side(new, sorted((p[2], p[3]) for p in pieces))
    moved = _paired_stretches(old_side, new_side)
    if moved:
        pieces = sorted(pieces + moved)
        old_side = _Side(old, [(p[0], p[1]) for p in pieces])
        new_side = _Side(new, sorted((p[2], p[3]) for p in pieces))
    return sorted(moved + continued_pieces(old_side, new_side, pieces))


def _paired_stretches(old_side: _Side, new_side: _Side) -> list[_text.Piece]:
    """The pieces of left-over stretches paired as moved text (see `moved_pieces`)."""
    old, new = old_side.doc, new_side.doc
    olds = _left_over(old_side)
    news: list[_Stretch | None] = list(_left_over(new_side))
    if not olds or not news:
        return []
    where: dict[str, list[int]] = {}
    for k, stretch in enumerate(news):
        for word in stretch.words:  # type: ignore[union-attr]  # none is None yet
            if len(word) >= MOVED_PROBE_LENGTH:
                where.setdefault(word, []).append(k)
    failures = [0] * len(news)
    out: list[_text.Piece] = []
    for mine in sorted(olds, key=lambda r: (r.start - r.end, r.start)):
        ranked = []
        for k in _candidates(mine.words, where):
            theirs = news[k]
            # Three words in a row in common first: the cheapest test, and the rarest pass.
            if theirs is None or mine.threes.isdisjoint(theirs.threes):
                continue
            common = len(mine.words & theirs.words)
            if common >= MOVED_MIN_WORDS and common >= MOVED_SHARE * min(
                len(mine.words), len(theirs.words)
            ):
                ranked.append((-common, k))
        for _, k in sorted(ranked)[:MOVED_TRIES]:
            theirs = news[k]
            assert theirs is not None
            local = _moved(old.text, new.text, mine, theirs)
            if local is None:
                failures[k] += 1
                if failures[k] >= MOVED_PATIENCE:
                    news[k] = None
                continue
            news[k] = None
            s, t = mine.start, theirs.start
            out.extend((s + a0, s + a1, t + b0, t + b1, kind) for a0, a1, b0, b1, kind in local)
            break
    return out


def _moved(
    old_text: str, new_text: str, mine: _Stretch, theirs: _Stretch
) -> list[_text.Piece] | None:
    """The mapping pieces of two left-over stretches if they are one text moved, else None."""
    a = old_text[mine.start : mine.end]
    b = new_text[theirs.start : theirs.end]
    local = _text.mapping_pieces(a, b)
    runs = [a[a0:a1] for a0, a1, _, _, kind in local if kind == _text.SAME]
    if sum(map(_lettered, runs)) < MOVED_WORDS:
        return None
    covered = sum(len(run) - _spaces(run) for run in runs)
    floor = MOVED_COVERED * min(len(a) - _spaces(a), len(b) - _spaces(b))
    if covered < floor and _characters_kept(a, b) < floor:
        return None
    phrase = max(runs, key=len).strip()
    if not _is_phrase(phrase) or not _once(old_text, phrase) or not _once(new_text, phrase):
        return None
    return local


def _characters_kept(a: str, b: str) -> int:
    """How many characters (not spaces) of `a` survive in `b`: its identical words, and the
    character runs of `_text.MIN_CHAR_RUN` that words edited by a letter or two kept
    ("schließlich" -> "chließlich", "Verwaltung" -> "Stadtverwaltung"). Nothing when a
    replaced run of words kept less than half of itself, wherever it stands: a word
    rewritten ("Antrag" -> "Widerspruch", "Der Behindertenbeauftragte" -> "Die
    Gleichstellungsbeauftragte") is no such edit, but a template's slot filled anew, and a
    sentence's subject is as often its first words as its middle ones."""
    ta, tb = _text.words(a), _text.words(b)
    runs = _text.token_runs(ta, tb)
    kept = 0
    k = 0
    while k < len(runs):
        op, a0, a1, b0, b1 = runs[k]
        if op == _text.EQUAL:
            kept += sum(len(t) - _spaces(t) for t in ta[a0:a1])
        elif k + 1 < len(runs) and {op, runs[k + 1][0]} == {_text.DELETE, _text.INSERT}:
            # A replaced run of words: the deleted side and the inserted side, either order.
            other = runs[k + 1]
            if op == _text.DELETE:
                b0, b1 = other[3], other[4]
            else:
                a0, a1 = other[1], other[2]
            old, new = "".join(ta[a0:a1]), "".join(tb[b0:b1])
            share = sum(
                len(run) - _spaces(run)
                for o, run in _text.char_diff(old, new)
                if o == _text.EQUAL and len(run) >= _text.MIN_CHAR_RUN
            )
            if 2 * share < len(old) - _spaces(old):
                return 0
            kept += share
            k += 1
        k += 1
    return kept


def _spaces(text: str) -> int:
    """How many whitespace characters `text` holds (they are no evidence either way)."""
    return sum(1 for ch in text if ch.isspace())


def _once(text: str, part: str) -> bool:
    """Tell whether `part` occurs exactly once in `text`."""
    at = text.find(part)
    return at >= 0 and text.find(part, at + 1) < 0


class _Stretch:
    """A left-over stretch of block text: its span, its case-folded words (and the set of
    them), and its runs of three words in a row when asked (most are never compared)."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.start = start
        self.end = end
        # Case-folded words: moved text is found by the phrases it kept, so the finer
        # comparison keys of the text diff (normal forms, typography) are not needed here.
        self.keys: list[str] = _text.WORD_RUN.findall(text[start:end].casefold())
        self.count = len(self.keys)
        self.words = set(self.keys)

    @functools.cached_property
    def threes(self) -> set[tuple[str, str, str]]:
        keys = self.keys
        return set(zip(keys, keys[1:], keys[2:], strict=False))


def _is_phrase(text: str) -> bool:
    """Tell whether an identical run is long enough to be lineage: `MOVED_MIN_CHARS`
    characters and `MOVED_MIN_WORDS` words with a letter (not numbers: "Satz 2 Halbsatz 1")."""
    return len(text) >= MOVED_MIN_CHARS and _lettered(text) >= MOVED_MIN_WORDS


def _lettered(text: str) -> int:
    """How many words of `text` hold a letter (a number is no evidence of lineage)."""
    return sum(1 for w in _text.WORD_RUN.findall(text) if any(ch.isalpha() for ch in w))


def _candidates(mine: set[str], where: dict[str, list[int]]) -> Iterable[int]:
    """The new stretches that hold one of the longest words of `mine`, in document order."""
    probes = sorted(mine, key=lambda w: (-len(w), w))
    found: set[int] = set()
    used = 0
    for word in probes:
        holders = where.get(word)
        if not holders or len(holders) > MOVED_COMMON:
            continue
        found.update(holders)
        used += 1
        if used == MOVED_PROBES:
            break
    return sorted(found)


def _left_over(side: _Side) -> list[_Stretch]:
    """The side's left-over stretches in blocks other than headings, one block at a time,
    of at least `MOVED_MIN_CHARS` characters and `MOVED_WORDS` words (a smaller one cannot
    share enough)."""
    out = []
    doc = side.doc
    text, blocks = doc.text, doc.blocks
    for start, end in side.stretches:
        if end - start < MOVED_MIN_CHARS:
            continue
        for k in range(max(doc.block_index(start), 0), len(blocks)):
            block = blocks[k]
            if block.start >= end:
                break
            if block.kind is BlockKind.HEADING:
                continue  # a heading's words in body text are no move (a title repeated)
            lo, hi = max(start, block.start), min(end, block.end)
            if hi - lo >= MOVED_MIN_CHARS:
                stretch = _Stretch(text, lo, hi)
                if stretch.count >= MOVED_WORDS:
                    out.append(stretch)
    return out


def continued_pieces(
    old_side: _Side, new_side: _Side, pieces: list[_text.Piece]
) -> list[_text.Piece]:
    """Text that crossed a block boundary: the end of a paragraph that went to the start of
    the next one, or its start to the end of the previous one (and the same for merges).

    A surviving piece ends (begins) a block on one side, and the text right after (before)
    it in its block on the other side is left over; the next (previous) block on the first
    side begins (ends) with left-over text too. Blocks of other kinds wholly left over
    between the two are passed over (list items deleted between two paragraphs). When
    those two left-over texts are the same text (but for spaces), it is the text that
    crossed: where it stands is the evidence, so the floor of `MOVED_WORDS` does not apply
    ("Übersicht Leitlinien Entwurf." split after "Übersicht", "Leitlinien Entwurf." put
    before the next paragraph). It must have crossed whole: a deleted sentence and a new one
    that merely begin alike ("Die Stadt informiert ..." and "Die Stadt prüft ...") share no
    text. Text deleted or added beyond it, away from the boundary, is allowed on one side
    (`_crossed`). Only running text of one kind takes part (paragraphs, quotes): list items
    and table cells are entries. `pieces` are the pieces the sides were made of; the result
    overlaps neither them nor itself.
    """
    same = [p[:4] for p in pieces if p[4] == _text.SAME and p[0] < p[1]]
    flipped = [(b0, b1, a0, a1) for a0, a1, b0, b1 in same]
    found: list[tuple[int, int, int, int]] = []
    for forward in (True, False):
        # Old text crossing into a neighbouring new block (a split part); then, with the
        # sides swapped, new text that came from a neighbouring old block (a merge).
        found.extend(_continued(old_side, new_side, same, forward))
        found.extend(
            (a0, a1, b0, b1) for b0, b1, a0, a1 in _continued(new_side, old_side, flipped, forward)
        )
    # Keep those that overlap no other kept one on either side (a pair is found from both
    # ends of a merge): old spans come in order, new spans are looked up by bisect.
    out: list[_text.Piece] = []
    taken: list[tuple[int, int]] = []  # the new spans kept, sorted
    old_end = 0
    for a0, a1, b0, b1 in sorted(found):
        k = bisect.bisect_left(taken, (b0, b1))
        if (
            a0 < old_end
            or (k > 0 and taken[k - 1][1] > b0)
            or (k < len(taken) and taken[k][0] < b1)
        ):
            continue
        taken.insert(k, (b0, b1))
        old_end = a1
        out.append((a0, a1, b0, b1, _text.SAME))
    return out


class _Side:
    """One version: its document, the spans the pieces cover (`covered`, sorted), its
    left-over stretches (`_text.uncovered`) and where they begin and end inside blocks."""

    def __init__(self, doc: Document, covered: list[tuple[int, int]]) -> None:
        self.doc = doc
        self.text = doc.text
        self.starts = [s for s, e in covered if s < e]
        self.ends = [e for s, e in covered if s < e]
        self.stretches = stretches = _text.uncovered(doc.text, covered)
        """The left-over stretches: text no piece covers, holding a word."""
        self.block_starts = set(doc._index.starts)
        self.block_ends = set(doc._index.ends)
        self.opens = {s for s, _ in stretches if s not in self.block_ends}
        """Where left-over text begins inside a block, right after a piece."""
        self.closes = {e for _, e in stretches if e not in self.block_starts}
        """Where left-over text ends inside a block, right before a piece."""

    def free_after(self, at: int, limit: int) -> int:
        """The end of the left-over text from `at` (at most `limit`); `at` if it is covered."""
        k = bisect.bisect_right(self.starts, at) - 1
        if k >= 0 and self.ends[k] > at:
            return at
        following = self.starts[k + 1] if k + 1 < len(self.starts) else limit
        return min(following, limit)

    def free_before(self, at: int, limit: int) -> int:
        """The start of the left-over text up to `at` (at least `limit`); `at` if covered."""
        k = bisect.bisect_left(self.ends, at)
        if k < len(self.starts) and self.starts[k] < at:
            return at
        preceding = self.ends[k - 1] if k > 0 else limit
        return max(preceding, limit)

    def left_over(self, block: Block) -> bool:
        """Tell whether no piece covers any of `block`'s text."""
        return self.free_after(block.start, block.end) == block.end

    def block(self, at: int) -> int:
        """Index of the block holding the character at `at`."""
        return max(self.doc.block_index(at), 0)


def _continued(
    a: _Side, b: _Side, pieces: list[tuple[int, int, int, int]], forward: bool
) -> Iterable[tuple[int, int, int, int]]:
    """Left-over texts of `a` and `b` that continue identical pieces across a block boundary
    of `b` (see `continued_pieces`), as (a start, a end, b start, b end)."""
    blocks_a, blocks_b = a.doc.blocks, b.doc.blocks
    for a0, a1, b0, b1 in pieces:
        # Left-over text right after (before) the piece in its `a` block, and the piece
        # ends (begins) its `b` block.
        if forward:
            if a1 not in a.opens or b1 not in b.block_ends:
                continue
        elif a0 not in a.closes or b0 not in b.block_starts:
            continue
        # (A piece may run over several blocks: its last one counts going forward, its
        # first one going backward.)
        block_a = blocks_a[a.block(a1 - 1 if forward else a0)]
        if block_a.kind not in _RUNNING:
            continue
        # The next (previous) `b` block of the same kind, past blocks of other kinds that
        # are wholly left over (list items deleted between the two paragraphs).
        step = 1 if forward else -1
        j = b.block(b1 - 1 if forward else b0) + step
        while 0 <= j < len(blocks_b) and blocks_b[j].kind is not block_a.kind:
            if not b.left_over(blocks_b[j]):
                break
            j += step
        if not 0 <= j < len(blocks_b) or blocks_b[j].kind is not block_a.kind:
            continue
        target = blocks_b[j]
        if forward:
            mine = _text.trimmed(a.text, a1, a.free_after(a1, block_a.end))
            theirs = _text.trimmed(b.text, target.start, b.free_after(target.start, target.end))
        else:
            mine = _text.trimmed(a.text, a.free_before(a0, block_a.start), a0)
            theirs = _text.trimmed(b.text, b.free_before(target.end, target.start), target.end)
        crossed = _crossed(a.text, mine, b.text, theirs, forward)
        if crossed is not None:
            yield crossed


def _crossed(
    text_a: str,
    mine: tuple[int, int],
    text_b: str,
    theirs: tuple[int, int],
    forward: bool,
) -> tuple[int, int, int, int] | None:
    """The spans of the text that crossed the boundary, from the left-over texts `mine` (in
    `text_a`, after (before) the piece) and `theirs` (in `text_b`, at the start (end) of the
    neighbouring block), or None.

    The text crossed whole: the two left-over texts are the same (a deleted sentence and a
    new one that merely begin alike share none). Or one of them is that text and the other
    holds it, cut at a space, on its side of the boundary, with text deleted (inserted)
    beyond it: going forward the text ends `mine` and begins `theirs`, going backward the
    other way round. So "Übersicht Leitlinien Entwurf." split after "Übersicht", which was
    then deleted, and "Leitlinien Entwurf." put before the next paragraph; but not "Die
    Stadt" of "Die Stadt informiert rechtzeitig." as the new subject of the next paragraph:
    it did not end the old one.
    """
    a = text_a[mine[0] : mine[1]]
    b = text_b[theirs[0] : theirs[1]]
    short, long = (b, a) if len(a) > len(b) else (a, b)
    # Words, not numbers or enumerators: "II." or "B." opening a paragraph is no evidence
    # that the "II." ending a deleted reference ("Näheres regelt Abschnitt II.") went there.
    if not any(ch.isalpha() and not ch.isupper() for ch in short):
        return None
    if a == b:
        return (*mine, *theirs)
    # The text stands at the boundary side of the longer one, a space away from the rest.
    at_end = forward == (long is a)
    cut = len(long) - len(short) if at_end else 0
    if long[cut : cut + len(short)] != short:
        return None
    if not (long[cut - 1] if at_end else long[len(short)]).isspace():
        return None
    if long is a:
        return (mine[0] + cut, mine[0] + cut + len(short), *theirs)
    return (*mine, theirs[0] + cut, theirs[0] + cut + len(short))
