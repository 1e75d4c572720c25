"""Block alignment between two documents (private).

1. Blocks whose (kind, text) occurs once in each document anchor the alignment. They come in
   diagonal runs (consecutive on both sides); the heaviest chain of runs in order on both
   sides (the longest increasing subsequence of the anchors) stays, the rest are moves.
2. Between two anchors, the blocks are diffed as tokens: equal tokens are unchanged blocks.
3. Of what is left, only the unmatched blocks are visited (never the whole document again), in
   this order: identical texts are moves; texts equal but for case, whitespace, typography or
   Unicode normalisation are cosmetic edits; a new block pinned to an old block's id is that
   block, however rewritten; in a gap of several blocks, pairs that keep most
   of their words are edits; one block whose words are spread over several consecutive new
   ones is a split (several into one: a merge); similar blocks are edits (in the same gap) or
   moves with edits (elsewhere); a block found word for word inside an unmatched new block of
   its kind grew into it; a heading in place of a heading of the same level is a renamed
   heading; edits grow into splits and merges with leftover blocks their words came from
   (a heading only with all its words);
   two blocks of one kind and level in one gap that share a word found once in each version
   are an edit.
   Everything else is inserted or deleted.

The result is deterministic: no time-outs, ties broken by position.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from operator import itemgetter

import attrs

from leitlinien.diffing._text import (
    EQUAL,
    MIN_CHAR_RUN,
    WORD_CHAR,
    common_affixes,
    normal_text,
    similarity,
    token_runs,
    word_key_list,
    words,
)
from leitlinien.document import Block, BlockKind

__all__ = ["Group", "align"]

SIMILAR = 0.5
"""Least word similarity (Dice) for two blocks to count as one block edited or moved."""
SIMILAR_IN_PLACE = 0.3
"""The same, for a pair that stands in the same gap between unchanged blocks."""
CONTAINED = 0.7
"""Least share of a part's words found in the whole, for a split or merge."""
COVERED = 0.6
"""Least share of the whole's words found in the parts together, for a split or merge."""
EDGES = 0.5
"""Share of the longer text that a common beginning and end must hold for a block alone in
its gap to count as edited in place without comparing words (see `_kept_edges`)."""
CLOSE = 0.8
"""Least word similarity (Dice) for two blocks in a gap of several to pair as an edit before
splits and merges are looked for."""
GROW = 0.5
"""Least share of a leftover neighbour's words that must come from what an edited block's
partner left over, for the edit to grow into a split or merge."""
SCANS = 32
"""How many words are searched in the text of the blocks kept unchanged (to tell whether a
word occurs once in each version, `_once`) before all its words are collected at once."""
CANDIDATES_APART = 8
"""How many changes an unmatched old block may have been merged into from elsewhere are
compared with it (those whose new block alone holds most of its words)."""
PROBES = 16
"""How many of an unmatched block's rarest words look up the blocks it may have become (the
words shared by fewest unmatched new blocks; the more common words only add noise and time)."""
_GAP_DIFF_LIMIT = 250_000
"""Gaps with more block pairs than this are matched in order instead of by a minimal diff."""


@attrs.frozen
class Group:
    """One change of the alignment: kind, old and new block indices, and flags."""

    kind: str
    old: tuple[int, ...]
    new: tuple[int, ...]
    edited: bool = False
    cosmetic: bool = False


class _Bag(Counter[str]):
    """The words of a block with their counts, and how many there are (`size`)."""

    size = 0


def _common(a: Counter[str], b: Counter[str]) -> int:
    shared = a.keys() & b.keys()
    return sum(map(min, map(a.__getitem__, shared), map(b.__getitem__, shared)))


def _dice(a: _Bag, b: _Bag) -> float:
    total = a.size + b.size
    return 2 * _common(a, b) / total if total else 0.0


def _dice_bound(a: _Bag, b: _Bag) -> float:
    """The highest `_dice` that bags of these sizes can reach (the smaller one all shared),
    computed as `_dice` computes it: a pair below a threshold here is below it there."""
    total = a.size + b.size
    return 2 * min(a.size, b.size) / total if total else 0.0


def _contained(part: _Bag, whole: Counter[str]) -> float:
    n = part.size
    return _common(part, whole) / n if n else 0.0


def _heaviest_chain(runs: Sequence[Sequence[int]]) -> list[Sequence[int]]:
    """The runs (old start, new start, length; sorted by old start, disjoint on each side)
    that stay in order on both sides and hold the most pairs together.

    This is the longest increasing subsequence of the pairs the runs hold: one of those always
    takes whole runs, since a run lies entirely before or after any other on each side. Ties
    go to the chain found first. A Fenwick tree over new positions keeps it O(r log r).
    """
    if not runs:
        return []
    order = sorted(range(len(runs)), key=lambda r: runs[r][1])
    rank = [0] * len(runs)
    for position, r in enumerate(order, start=1):
        rank[r] = position
    size = len(runs)
    tree_weight = [0] * (size + 1)
    tree_run = [-1] * (size + 1)
    best_weight = [0] * len(runs)
    before = [-1] * len(runs)
    for r, run in enumerate(runs):
        # Best chain among runs ranked below this one on the new side (all earlier on the old).
        k, weight, back = rank[r] - 1, 0, -1
        while k > 0:
            if tree_weight[k] > weight:
                weight, back = tree_weight[k], tree_run[k]
            k -= k & -k
        best_weight[r] = weight + run[2]
        before[r] = back
        k = rank[r]
        while k <= size:
            if best_weight[r] > tree_weight[k]:
                tree_weight[k], tree_run[k] = best_weight[r], r
            k += k & -k
    r = max(range(len(runs)), key=best_weight.__getitem__)
    chain = []
    while r >= 0:
        chain.append(runs[r])
        r = before[r]
    return chain[::-1]


def _with_pairs(runs: list[list[int]], pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Diagonal runs with some single pairs added (all sorted by old index), rejoined."""
    out: list[list[int]] = []
    for i, j, n in sorted([*runs, *([i, j, 1] for i, j in pairs)]):
        if out and out[-1][0] + out[-1][2] == i and out[-1][1] + out[-1][2] == j:
            out[-1][2] += n
        else:
            out.append([i, j, n])
    return out


class _Aligner:
    def __init__(self, old: Sequence[Block], new: Sequence[Block]) -> None:
        self.old = old
        self.new = new
        self.groups: list[Group] = []
        self.unchanged: list[list[int]] = []
        """Runs of unchanged pairs as [old start, new start, length], in order."""
        self.old_pending: list[int] = []
        self.new_pending: list[int] = []
        self.old_done = [False] * len(old)
        self.new_done = [False] * len(new)
        self.old_gap = [-1] * len(old)
        self.new_gap = [-1] * len(new)
        self._bags: dict[tuple[str, int], _Bag] = {}
        self._keys: dict[tuple[str, int], list[str]] = {}
        self._unique: dict[str, bool] = {}
        self._lone: dict[tuple[str, int], set[str]] = {}
        """Words a block holds once, that may be found once in its version (`_rare_words`)."""
        self._spread: dict[str, Mapping[str, int]] = {"old": {}, "new": {}}
        """How many unmatched blocks of each side held a word when `similar` ran."""
        self._pending_counts: tuple[Counter[str], Counter[str]] | None = None
        self._kept_text: str | None = None
        self._kept_words: set[str] | None = None
        self._scans = 0

    def block(self, side: str, i: int) -> Block:
        return self.old[i] if side == "old" else self.new[i]

    def keys(self, side: str, i: int) -> list[str]:
        """The normalised words of a block, in order (cached: several passes look at them)."""
        key = (side, i)
        found = self._keys.get(key)
        if found is None:
            found = self._keys[key] = word_key_list(self.block(side, i).text)
        return found

    def bag(self, side: str, i: int) -> _Bag:
        """The words of a block (normalised; no spaces or punctuation) with their counts."""
        key = (side, i)
        found = self._bags.get(key)
        if found is None:
            found = self._bags[key] = _Bag(self.keys(side, i))
            found.size = found.total()
        return found

    def key(self, side: str, i: int) -> tuple[BlockKind, str]:
        block = self.block(side, i)
        return block.kind, block.text

    def pending(self, side: str) -> list[int]:
        """The blocks of a side not yet in any group, in order."""
        if side == "old":
            return [i for i in self.old_pending if not self.old_done[i]]
        return [j for j in self.new_pending if not self.new_done[j]]

    def norm_text(self, side: str, i: int) -> str:
        return normal_text(self.block(side, i).text)

    def keep(self, i: int, j: int, n: int = 1) -> None:
        """Record `n` unchanged pairs from (i, j) on; they come in order, adjacent runs join."""
        runs = self.unchanged
        if runs:
            last = runs[-1]
            if last[0] + last[2] == i and last[1] + last[2] == j:
                last[2] += n
                return
        runs.append([i, j, n])

    def _unchanged_runs(self) -> list[Group]:
        """Consecutive unchanged pairs as one group each (one piece of the position map)."""
        return [
            Group("unchanged", tuple(range(i, i + n)), tuple(range(j, j + n)))
            for i, j, n in self.unchanged
        ]

    def add(self, group: Group) -> None:
        self.groups.append(group)
        for i in group.old:
            self.old_done[i] = True
        for j in group.new:
            self.new_done[j] = True

    def run(self) -> list[Group]:
        self.anchor_and_gaps()
        self.exact_moves()
        self.cosmetic()
        # The author's word goes before any similarity: a rewritten block pinned to an old
        # block's id is that block, even when another old block reads more like it.
        self.pinned_pairs()
        self.splits_and_merges()
        self.similar()
        self.grown_blocks()
        self.renamed_headings()
        self.grow_splits_and_merges()
        grown = len(self.groups)
        self.shared_rare_words()
        self.grow_splits_and_merges(grown)
        for i in self.pending("old"):
            self.add(Group("deleted", (i,), ()))
        for j in self.pending("new"):
            self.add(Group("inserted", (), (j,)))
        return self._unchanged_runs() + self._join_moves()

    def pinned_pairs(self) -> None:
        """A new block the author pinned to an old block's id is that block, however rewritten."""
        news = {self.new[j].id: j for j in self.pending("new") if self.new[j].pinned}
        if not news:
            return
        for i in self.pending("old"):
            j = news.get(self.old[i].id)
            if j is not None and not self.new_done[j]:
                kind = "edited" if self.old_gap[i] == self.new_gap[j] else "moved"
                self.add(Group(kind, (i,), (j,), edited=True))

    def grow_splits_and_merges(self, first: int = 0) -> None:
        """Take leftover blocks into an edit, split or merge they were cut from.

        A paragraph split in two and edited: the first part was paired as an edit, the second
        looks inserted. If that second part stands next to the change and its words mostly
        come from what the pair left of the old text, or it keeps one of those words that
        occur nowhere else in either version (see `shared_rare_words`), it joins the change
        (an edit grows into a split; a merge whose first sentence was split off again keeps
        it). Blocks without words in between (an emptied code block) join with the next.
        Likewise for leftover old blocks, and an old block elsewhere joins when both hold: a
        paragraph moved and merged into another. Only groups from index `first` on are seen.
        """
        for k in range(first, len(self.groups)):
            g = self.groups[k]
            if not self._may_grow(g):
                continue
            olds, news = list(g.old), list(g.new)
            sides = [
                (side, members, done, runs)
                for side, members, done, gaps in (
                    ("new", news, self.new_done, self.new_gap),
                    ("old", olds, self.old_done, self.old_gap),
                )
                if (runs := self._leftover_runs(done, gaps, members))
            ]
            if not sides:
                continue
            old_bag = self._sum_bags("old", olds)
            new_bag = self._sum_bags("new", news)
            for side, members, done, runs in sides:
                rest = old_bag - new_bag if side == "new" else new_bag - old_bag
                if not rest:
                    continue
                others = (("old", olds) if side == "new" else ("new", news), rest)
                for run in runs:
                    passed: list[int] = []  # blocks without words, joined with the next one
                    for m in run:
                        if not self.bag(side, m):
                            passed.append(m)
                            continue
                        # A heading joins a paragraph's change only with nothing but its
                        # words ("Übersicht: ..." split into "## Übersicht" and the rest),
                        # not for sharing one of them.
                        heading = self.block(side, m).kind is BlockKind.HEADING
                        if (heading and _contained(self.bag(side, m), rest) < 1) or not (
                            self._grows(side, m, *others, apart=False)
                        ):
                            break
                        for n in (*passed, m):
                            members.append(n)
                            done[n] = True
                        passed = []
            if len(olds) > len(g.old) or len(news) > len(g.new):
                self._regroup(k, olds, news)
        self._sources_apart(first)

    def _may_grow(self, g: Group) -> bool:
        """Tell whether a change may take in more blocks: an edit, an edited move, a split or
        a merge, of no heading."""
        return (
            g.kind in ("edited", "moved", "split", "merged")
            and g.edited
            and not any(self.old[i].kind is BlockKind.HEADING for i in g.old)
        )

    def _regroup(self, k: int, olds: list[int], news: list[int]) -> None:
        """Replace group `k` by a split or merge of these blocks."""
        kind = "split" if len(news) > len(olds) else "merged"
        self.groups[k] = Group(kind, tuple(sorted(olds)), tuple(sorted(news)), edited=True)

    def _sources_apart(self, first: int) -> None:
        """Old blocks elsewhere that were merged into a change (see `grow_splits_and_merges`).

        Only a merge's sources may lie apart: the new blocks of a change stay together, so
        that changes read in the order of the new version; the change must have one new
        block. A source must be no longer than twice what the change grew by, and share a
        word found once in each version with it. Of the `CANDIDATES_APART` changes whose
        block alone (among the changes) holds most of the source's words, the source joins
        the one that holds most of its words.
        """
        if first == len(self.groups):
            return
        sources = [
            i
            for i in self.pending("old")
            if self.old[i].kind is not BlockKind.HEADING and self.bag("old", i)
        ]
        if not sources:
            return
        shortest = min(len(self.old[i].text) for i in sources)
        growth: dict[int, int] = {}
        index: dict[str, list[int]] = defaultdict(list)  # word -> changes whose block has it
        for k in range(first, len(self.groups)):
            g = self.groups[k]
            if len(g.new) != 1 or not self._may_grow(g):
                continue
            grew = len(self.new[g.new[0]].text) - sum(len(self.old[i].text) for i in g.old)
            if grew >= GROW * shortest:
                growth[k] = grew
                for w in self.bag("new", g.new[0]):
                    index[w].append(k)
        for i in sources:
            bag = self.bag("old", i)
            # A word found once in the new version stands in one change at most: those words
            # name the candidates (most such words first).
            hits = Counter(
                index[w][0] for w in bag if len(w) >= MIN_CHAR_RUN and len(index.get(w, ())) == 1
            )
            best, score = -1, GROW
            ranked = sorted(hits.items(), key=lambda kh: (-kh[1], kh[0]))
            for k, _ in ranked[:CANDIDATES_APART]:
                if GROW * len(self.old[i].text) > growth[k]:
                    continue
                g = self.groups[k]
                share = _contained(bag, self.bag("new", g.new[0]))
                if share < score:
                    continue  # no more in what the change left over either
                # What the change left over, of the source's words only.
                old_bags = [self.bag("old", o) for o in g.old]
                new_bag = self.bag("new", g.new[0])
                rest = Counter(
                    {w: left for w in bag if (left := new_bag[w] - sum(b[w] for b in old_bags)) > 0}
                )
                better = share > score or best < 0
                if better and self._grows("old", i, ("new", g.new), rest, apart=True):
                    best, score = k, share
            if best >= 0:
                g = self.groups[best]
                self.old_done[i] = True
                self._regroup(best, [*g.old, i], list(g.new))
                growth[best] -= len(self.old[i].text)

    def _grows(
        self,
        side: str,
        m: int,
        others: tuple[str, Sequence[int]],
        rest: Counter[str],
        *,
        apart: bool,
    ) -> bool:
        """Tell whether block `m` of `side` joins a change that left `rest` of the words of
        its `others` (see `grow_splits_and_merges`)."""
        if _contained(self.bag(side, m), rest) >= GROW:
            return not apart or any(self._rare_words((side, m), others, rest))
        return not apart and any(self._rare_words((side, m), others, rest))

    def _sum_bags(self, side: str, members: Sequence[int]) -> Counter[str]:
        """The words of several blocks together, with their counts."""
        return Counter(itertools.chain.from_iterable(self.keys(side, m) for m in members))

    @staticmethod
    def _leftover_runs(done: list[bool], gaps: list[int], members: list[int]) -> list[list[int]]:
        """The unmatched blocks of the members' gap right after and right before them.

        Two runs at most: going forward from the last member, then back from the first; an
        empty list when there are none.
        """
        gap = gaps[members[0]]
        runs = []
        for at, step in ((members[-1], 1), (members[0], -1)):
            run = []
            k = at + step
            while 0 <= k < len(done) and not done[k] and gaps[k] == gap:
                run.append(k)
                k += step
            if run:
                runs.append(run)
        return runs

    def _join_moves(self) -> list[Group]:
        """Report blocks that moved together (a section, say) as one move."""
        moves = sorted((g for g in self.groups if g.kind == "moved"), key=lambda g: g.old)
        others = [g for g in self.groups if g.kind != "moved"]
        joined: list[Group] = []
        for g in moves:
            if joined:
                last = joined[-1]
                if g.old[0] == last.old[-1] + 1 and g.new[0] == last.new[-1] + 1:
                    joined[-1] = Group(
                        "moved",
                        last.old + g.old,
                        last.new + g.new,
                        edited=last.edited or g.edited,
                        cosmetic=(last.edited or g.edited)
                        and (last.cosmetic or not last.edited)
                        and (g.cosmetic or not g.edited),
                    )
                    continue
            joined.append(g)
        return others + joined

    # -- 1 and 2 --------------------------------------------------------------------------

    def anchor_and_gaps(self) -> None:
        old, new = self.old, self.new
        old_texts = [b.text for b in old]
        new_texts = [b.text for b in new]
        # Each old block's partner: the new block with its text (the last, if repeated).
        new_pos = dict(zip(new_texts, range(len(new)), strict=True))
        partners = list(map(new_pos.get, old_texts))
        # Old blocks with the same text have the same partner (none when no text repeats).
        shared = Counter(partners) if len(set(old_texts)) < len(old_texts) else None
        repeated = (
            set()
            if len(new_pos) == len(new)
            else {t for t, n in Counter(new_texts).items() if n > 1}
        )
        # Blocks whose (kind, text) occurs once on each side, as diagonal runs [old start,
        # new start, length]: the usual document is a few long runs. A text that occurs once
        # on each side anchors if the kinds agree; texts that repeat are sorted out by kind
        # afterwards.
        candidates: list[list[int]] = []
        ambiguous: list[int] = []
        run_i = run_j = run_n = 0  # the run being extended
        for i, j in enumerate(partners):
            if j is None:
                continue
            if (shared is not None and shared[j] != 1) or (repeated and new_texts[j] in repeated):
                ambiguous.append(i)
                continue
            if old[i].kind is not new[j].kind:
                continue
            if run_n and i == run_i + run_n and j == run_j + run_n:
                run_n += 1
                continue
            if run_n:
                candidates.append([run_i, run_j, run_n])
            run_i, run_j, run_n = i, j, 1
        if run_n:
            candidates.append([run_i, run_j, run_n])
        if ambiguous:
            candidates = _with_pairs(candidates, self._unique_pairs(ambiguous, old_texts))
        prev_i = prev_j = 0
        for gap, (i, j, n) in enumerate(_heaviest_chain(candidates)):
            if i > prev_i or j > prev_j:
                self.match_gap(gap, range(prev_i, i), range(prev_j, j))
            self.keep(i, j, n)
            prev_i, prev_j = i + n, j + n
        self.match_gap(len(candidates), range(prev_i, len(old)), range(prev_j, len(new)))
        old_end = new_end = 0
        for i, j, n in self.unchanged:
            self.old_pending.extend(range(old_end, i))
            self.new_pending.extend(range(new_end, j))
            self.old_done[i : i + n] = [True] * n
            self.new_done[j : j + n] = [True] * n
            old_end, new_end = i + n, j + n
        self.old_pending.extend(range(old_end, len(old)))
        self.new_pending.extend(range(new_end, len(new)))

    def _unique_pairs(self, olds: list[int], old_texts: list[str]) -> list[tuple[int, int]]:
        """Among old blocks whose text repeats on a side: the pairs whose (kind, text) occurs
        once on each side."""
        texts = {old_texts[i] for i in olds}
        old_count = Counter(self.key("old", i) for i in olds)
        new_at: dict[tuple[BlockKind, str], list[int]] = defaultdict(list)
        for j, block in enumerate(self.new):
            if block.text in texts:
                new_at[block.kind, block.text].append(j)
        pairs = []
        for i in olds:
            key = self.key("old", i)
            found = new_at.get(key, [])
            if old_count[key] == 1 and len(found) == 1:
                pairs.append((i, found[0]))
        return pairs

    def match_gap(self, gap: int, olds: range, news: range) -> None:
        for i in olds:
            self.old_gap[i] = gap
        for j in news:
            self.new_gap[j] = gap
        if not olds or not news:
            return
        a = [self.key("old", i) for i in olds]
        b = [self.key("new", j) for j in news]
        if set(a).isdisjoint(b):
            return  # the usual gap: the blocks between two anchors were all changed
        if len(a) * len(b) <= _GAP_DIFF_LIMIT:
            for op, a0, a1, b0, _ in token_runs(a, b):
                if op == EQUAL:
                    for k in range(a1 - a0):
                        self.keep(olds[a0 + k], news[b0 + k])
            return
        # A large gap: match equal blocks in order (deterministic, linear).
        queues: dict[tuple[BlockKind, str], list[int]] = defaultdict(list)
        for j in news:
            queues[self.key("new", j)].append(j)
        last = -1
        for i in olds:
            queue = queues.get(self.key("old", i))
            if not queue:
                continue
            k = bisect.bisect_right(queue, last)
            if k < len(queue):
                last = queue.pop(k)
                self.keep(i, last)

    # -- 3 --------------------------------------------------------------------------------

    def _pair_by(
        self, key_old: dict[int, object], key_new: dict[int, object]
    ) -> list[tuple[int, int]]:
        queues: dict[object, list[int]] = defaultdict(list)
        for j in sorted(key_new):
            queues[key_new[j]].append(j)
        pairs = []
        for i in sorted(key_old):
            queue = queues.get(key_old[i])
            if queue:
                # Prefer a partner in the same gap, then the first one.
                same = [j for j in queue if self.new_gap[j] == self.old_gap[i]]
                j = same[0] if same else queue[0]
                queue.remove(j)
                pairs.append((i, j))
        return pairs

    def exact_moves(self) -> None:
        olds = {i: self.key("old", i) for i in self.pending("old")}
        news = {j: self.key("new", j) for j in self.pending("new")}
        pairs = self._pair_by(olds, news)  # type: ignore[arg-type]
        pairs.sort()
        run: list[tuple[int, int]] = []
        for i, j in pairs:
            if run and i == run[-1][0] + 1 and j == run[-1][1] + 1:
                run.append((i, j))
                continue
            self._flush_move(run)
            run = [(i, j)]
        self._flush_move(run)

    def _flush_move(self, run: list[tuple[int, int]]) -> None:
        if run:
            self.add(Group("moved", tuple(i for i, _ in run), tuple(j for _, j in run)))

    def cosmetic(self) -> None:
        olds = {i: (self.old[i].kind, self.norm_text("old", i)) for i in self.pending("old")}
        news = {j: (self.new[j].kind, self.norm_text("new", j)) for j in self.pending("new")}
        for i, j in self._pair_by(olds, news):  # type: ignore[arg-type]
            same_gap = self.old_gap[i] == self.new_gap[j]
            kind = "edited" if same_gap else "moved"
            self.add(Group(kind, (i,), (j,), edited=True, cosmetic=True))

    def _gap_members(self) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        olds: dict[int, list[int]] = defaultdict(list)
        news: dict[int, list[int]] = defaultdict(list)
        for i in self.pending("old"):
            olds[self.old_gap[i]].append(i)
        for j in self.pending("new"):
            news[self.new_gap[j]].append(j)
        return olds, news

    def splits_and_merges(self) -> None:
        self._close_in_place()
        olds, news = self._gap_members()
        for gap in sorted(olds):
            for i in olds[gap]:
                if self.old_done[i]:
                    continue
                candidates = [j for j in news.get(gap, []) if not self.new_done[j]]
                parts = self._streak(("old", i), _near(olds[gap], i, candidates), "new")
                if parts:
                    self.add(Group("split", (i,), tuple(parts), edited=True))
            for j in news.get(gap, []):
                if self.new_done[j]:
                    continue
                candidates = [i for i in olds[gap] if not self.old_done[i]]
                parts = self._streak(("new", j), _near(news[gap], j, candidates), "old")
                if parts:
                    self.add(Group("merged", tuple(parts), (j,), edited=True))

    def _close_in_place(self) -> None:
        """Pair nearly unchanged blocks in gaps of several, before splits and merges.

        Neighbouring paragraphs that read alike ("(1) Ein von einer Gemeinde ..." and "(2) Ein
        von der Gemeinde ...") each edited a little: each new one's words are all in either
        old one, so the split test would take one old paragraph as split into both. A pair
        that keeps `CLOSE` of its words is an edit first; a true split or merge leaves no part
        that close to the whole (or grows back from such an edit, see
        `grow_splits_and_merges`).
        """
        olds, news = self._gap_members()
        scored: list[tuple[float, int, int]] = []
        for gap, members in olds.items():
            partners = news.get(gap, [])
            if len(members) < 2 and len(partners) < 2:
                continue  # one against one: `_similar_in_place` decides
            for i in members:
                for j in _near(members, i, partners):
                    if self.old[i].kind == self.new[j].kind:
                        a, b = self.bag("old", i), self.bag("new", j)
                        if _dice_bound(a, b) < CLOSE:
                            continue  # too unequal in size to reach it
                        score = _dice(a, b)
                        if score >= CLOSE:
                            scored.append((-score, i, j))
        scored.sort()
        for _, i, j in scored:
            if not self.old_done[i] and not self.new_done[j]:
                self.add(Group("edited", (i,), (j,), edited=True))

    def _streak(self, block: tuple[str, int], candidates: list[int], side: str) -> list[int]:
        """The longest run of consecutive candidates whose words all come from `block`'s."""
        if len(candidates) < 2:
            return []
        whole = self.bag(*block)
        if not whole:
            return []
        best: list[int] = []
        streak: list[int] = []
        size = whole.size
        for k in candidates:
            part = self.bag(side, k)
            # A part holds fewer words than the whole: most candidates fail on size alone.
            fits = bool(part) and part.size <= size and _contained(part, whole) >= CONTAINED
            if fits and (not streak or k == streak[-1] + 1):
                streak.append(k)
            elif fits:
                streak = [k]
            else:
                streak = []
            if len(streak) > len(best):
                best = list(streak)
        if len(best) < 2:
            return []
        together = self._sum_bags(side, best)
        return best if _contained(whole, together) >= COVERED else []

    def similar(self) -> None:
        weak = self._similar_in_place()
        olds = self.pending("old")
        news = self.pending("new")
        if not olds or not news:
            return
        index: dict[str, list[int]] = defaultdict(list)
        for j in news:
            for w in self.bag("new", j):
                index[w].append(j)
        df = {w: len(js) for w, js in index.items()}
        common = max(50, len(news) // 10)
        scored: list[tuple[int, float, int, int]] = []
        old_df: Counter[str] = Counter()
        self._spread = {"old": old_df, "new": df}
        for i in olds:
            bag = self.bag("old", i)
            old_df.update(bag.keys())
            probes = [w for w in bag if 0 < df.get(w, 0) <= common]
            if len(probes) > PROBES:
                probes = heapq.nsmallest(PROBES, probes, key=df.__getitem__)
            hits = Counter(itertools.chain.from_iterable(map(index.__getitem__, probes)))
            # Counter.most_common(8), by one C sort (the same order: stable, by count).
            for j, _ in sorted(hits.items(), key=itemgetter(1), reverse=True)[:8]:
                if self.old[i].kind != self.new[j].kind and BlockKind.HEADING in (
                    self.old[i].kind,
                    self.new[j].kind,
                ):
                    continue
                theirs = self.bag("new", j)
                same_gap = self.old_gap[i] == self.new_gap[j]
                least = SIMILAR_IN_PLACE if same_gap else SIMILAR
                if _dice_bound(bag, theirs) < least:
                    continue  # too unequal in size to reach it
                score = _dice(bag, theirs)
                if score >= least:
                    # In place first, then moves; a weak match in place (below what a move
                    # needs) only after the moves, so it cannot take a clearly moved block.
                    rank = (0 if score >= SIMILAR else 2) if same_gap else 1
                    scored.append((rank, -score, i, j))
        found = {(i, j) for _, _, i, j in scored}
        scored.extend(w for w in weak if (w[2], w[3]) not in found)
        scored.sort()
        options: dict[int, list[tuple[int, int]]] = defaultdict(list)
        made: dict[int, tuple[int, int]] = {}  # new block -> (old block, index of its group)
        scores: dict[tuple[int, int], float] = {}
        for rank, negative, i, j in scored:
            options[i].append((rank, j))
            scores[i, j] = -negative
            if self.old_done[i] or self.new_done[j]:
                continue
            made[j] = (i, len(self.groups))
            self.add(Group("moved" if rank == 1 else "edited", (i,), (j,), edited=True))
        self._exchange(options, made, scores)

    def _exchange(
        self,
        options: dict[int, list[tuple[int, int]]],
        made: dict[int, tuple[int, int]],
        scores: dict[tuple[int, int], float],
    ) -> None:
        """Let a block left without partner take one whose holder has another free candidate.

        Greedy pairing gives a block its best candidate even where a neighbour has no other:
        two short headings each grown by the other's word, say. The holder's other candidate
        is its next similar block or, when its text stands word for word in the contended
        block and the left block is at least as similar to it, a free block its text grew
        into as well (`_grown_target`). One exchange per left block.
        """
        pending: tuple[list[int], str, list[int]] | None = None
        for i, candidates in options.items():
            if self.old_done[i]:
                continue
            for rank, j in candidates:
                if j not in made:
                    continue
                holder, at = made[j]
                free = [(r, k) for r, k in options[holder] if not self.new_done[k]]
                if free:
                    other_rank, k = free[0]
                    kind = "moved" if other_rank == 1 else "edited"
                else:
                    # (A holder placed by an earlier exchange into a block it grew into
                    # has no similarity score there.)
                    if scores[i, j] < scores.get((holder, j), 0.0) or not _holds(
                        self.new[j].text, self.old[holder].text
                    ):
                        continue
                    pending = pending or self._pending_material()
                    grown = self._grown_target(holder, *pending)
                    if grown is None:
                        continue
                    k = grown
                    kind = "edited" if self.old_gap[holder] == self.new_gap[k] else "moved"
                self.groups[at] = Group(kind, (holder,), (k,), edited=True)
                self.new_done[k] = True
                made[k] = (holder, at)
                made[j] = (i, len(self.groups))
                self.add(Group("moved" if rank == 1 else "edited", (i,), (j,), edited=True))
                break

    def _similar_in_place(self) -> list[tuple[int, float, int, int]]:
        """A gap with one old and one new block of a kind: the usual edit, scored directly.

        A weak match (word similarity below `SIMILAR`) is not made here but returned, ranked
        as `similar` ranks such matches: after the moves, so that a paragraph whose most text
        moved elsewhere goes with it, not with a short rest left in its place.
        """
        weak = []
        olds, news = self._gap_members()
        for gap, members in olds.items():
            partners = news.get(gap, [])
            if len(members) == 1 and len(partners) == 1:
                i, j = members[0], partners[0]
                if self.old[i].kind != self.new[j].kind:
                    continue
                if self._kept_edges(i, j):
                    self.add(Group("edited", (i,), (j,), edited=True))
                    continue
                score = _dice(self.bag("old", i), self.bag("new", j))
                if score >= SIMILAR:
                    self.add(Group("edited", (i,), (j,), edited=True))
                elif score >= SIMILAR_IN_PLACE:
                    weak.append((2, -score, i, j))
        return weak

    def _kept_edges(self, i: int, j: int) -> bool:
        """Tell whether the texts share a beginning and an end holding `EDGES` of each.

        Such a pair is an edit without counting words: the usual small correction.
        """
        a, b = self.old[i].text, self.new[j].text
        prefix, suffix = common_affixes(a, b)
        return prefix + suffix >= EDGES * max(len(a), len(b))

    def grown_blocks(self) -> None:
        """A block whose whole text stands, once, inside an unmatched new block of its kind.

        A heading that got words added ("Verwaltung" -> "Digitale Verwaltung") or a short
        paragraph that grew around its sentence keeps too small a share of the words to count
        as similar, yet it is there word for word. Only unmatched new blocks are searched, and
        only a single occurrence on word boundaries counts. Nor does a block all of whose
        words an edited pair lost too, in a new block made mostly of what edited pairs lost
        (`GROW`): its text there may as well be theirs (a one-word paragraph "Öffentlichkeit"
        deleted while an edited paragraph's "Öffentlichkeit Tage." went elsewhere).
        """
        olds = [i for i in self.pending("old") if self.old[i].text.strip()]
        if not olds:
            return
        news, material, starts = self._pending_material()
        if not news:
            return
        lost: Counter[str] | None = None  # the words the edited pairs lost, when needed
        for i in olds:
            j = self._grown_target(i, news, material, starts)
            if j is None:
                continue
            if lost is None:
                lost = Counter()
                for g in self.groups:
                    if g.edited and g.old and g.new:
                        lost.update(self._sum_bags("old", g.old) - self._sum_bags("new", g.new))
            # Ambiguous only where the new block is mostly what an edited pair lost (its
            # split-off rest): a short block that grew elsewhere is still that block.
            new_bag = self.bag("new", j)
            if not (lost and self.bag("old", i) <= lost and _contained(new_bag, lost) >= GROW):
                kind = "edited" if self.old_gap[i] == self.new_gap[j] else "moved"
                self.add(Group(kind, (i,), (j,), edited=True))

    def _pending_material(self) -> tuple[list[int], str, list[int]]:
        """The unmatched new blocks with text, their texts joined by NUL, and their starts."""
        news = [j for j in self.pending("new") if self.new[j].text]
        material = "\x00".join(self.new[j].text for j in news)
        starts = list(itertools.accumulate((len(self.new[j].text) + 1 for j in news), initial=0))
        return news, material, starts

    def _grown_target(
        self, i: int, news: list[int], material: str, starts: list[int]
    ) -> int | None:
        """The block of `news` (joined in `material`) that old block `i` grew into, if any.

        Its whole text must occur once in the material, on word boundaries, inside a block of
        the same kind and level that is still unmatched.
        """
        text = self.old[i].text
        at = material.find(text)
        if at < 0 or material.find(text, at + 1) >= 0 or not _word_bounded(material, at, text):
            return None
        j = news[bisect.bisect_right(starts, at) - 1]
        old, new = self.old[i], self.new[j]
        if self.new_done[j] or old.kind != new.kind or old.level != new.level:
            return None
        return j

    def renamed_headings(self) -> None:
        olds, news = self._gap_members()
        for gap, members in olds.items():
            heads_old = [i for i in members if self.old[i].kind is BlockKind.HEADING]
            heads_new = [j for j in news.get(gap, []) if self.new[j].kind is BlockKind.HEADING]
            for i in heads_old:
                for j in heads_new:
                    if not self.new_done[j] and self.new[j].level == self.old[i].level:
                        self.add(Group("edited", (i,), (j,), edited=True))
                        break
        # A lone paragraph rewritten in place, still recognisably the same text.
        olds, news = self._gap_members()
        for gap, members in olds.items():
            partners = news.get(gap, [])
            if len(members) == 1 and len(partners) == 1:
                i, j = members[0], partners[0]
                if (
                    self.old[i].kind == self.new[j].kind
                    and similarity(self.old[i].text, self.new[j].text) >= SIMILAR
                ):
                    self.add(Group("edited", (i,), (j,), edited=True))

    def shared_rare_words(self) -> None:
        """Pair blocks of a gap that share a word found nowhere else in either version.

        A paragraph rewritten so far that few of its words remain (too few to count as
        similar) still keeps, say, "Leitlinien" where it stood. When such a word stands once
        in the old document and once in the new one, in two unmatched blocks of the same kind
        and level in the same gap, the two are one block edited, not a deletion next to an
        unrelated insertion. Pairs that share more such characters go first.
        """
        olds, news = self._gap_members()
        scored: list[tuple[int, int, int]] = []
        for gap, members in olds.items():
            partners = news.get(gap, [])
            for i in members:
                old = self.old[i]
                for j in _near(members, i, partners):
                    new = self.new[j]
                    if old.kind != new.kind or old.level != new.level:
                        continue
                    shared = self._rare_words(("old", i), ("new", [j]), self.bag("new", j))
                    weight = sum(map(len, shared))
                    if weight:
                        scored.append((-weight, i, j))
        scored.sort()
        for _, i, j in scored:
            if not self.old_done[i] and not self.new_done[j]:
                self.add(Group("edited", (i,), (j,), edited=True))

    def _rare_words(
        self, block: tuple[str, int], others: tuple[str, Sequence[int]], among: Counter[str]
    ) -> Iterator[str]:
        """The words that `block` shares with one of the `others` (the other side's blocks)
        alone, longest first: words of `among` with a letter and `MIN_CHAR_RUN` or more
        characters that occur once in each version (see `_once`). Lazy: each may cost a search
        of both versions' texts."""
        side, i = block
        other, candidates = others
        lone = self._lone.get(block)
        if lone is None:
            lone = self._lone[block] = {
                w
                for w, count in self.bag(side, i).items()
                if count == 1 and len(w) >= MIN_CHAR_RUN and any(map(str.isalpha, w))
            }
        # A word in two blocks of a version is no rare word; `similar` counted the blocks.
        spread = self._spread
        shared = [
            w
            for w in lone.intersection(among)
            if among[w] == 1 and spread["old"].get(w, 0) <= 1 and spread["new"].get(w, 0) <= 1
        ]
        for w in sorted(shared, key=lambda w: (-len(w), w)):
            holders = [k for k in candidates if self.bag(other, k).get(w) == 1]
            if len(holders) == 1:
                pair = (i, holders[0]) if side == "old" else (holders[0], i)
                if self._once(*pair, w):
                    yield w

    def _once(self, i: int, j: int, key: str) -> bool:
        """Tell whether the word with comparison key `key`, held by old block `i` and new
        block `j` (both unmatched when asked), occurs nowhere else in either version.

        The unmatched blocks' words are counted by key. Blocks kept unchanged have the same
        text in both versions: their text, in NFC and case-folded, is searched for the key as
        a whole word (`_in_kept`).
        """
        found = self._unique.get(key)
        if found is None:
            if self._pending_counts is None:
                self._pending_counts = (
                    self._sum_bags("old", self.old_pending),
                    self._sum_bags("new", self.new_pending),
                )
            olds, news = self._pending_counts
            found = olds[key] == 1 and news[key] == 1 and not self._in_kept(key)
            self._unique[key] = found
        return found

    def _in_kept(self, key: str) -> bool:
        """Tell whether a block kept unchanged holds the word with comparison key `key`.

        The first `SCANS` questions search the kept text; then its words are counted once,
        so that the cost stays linear however many blocks share words.
        """
        text = self._kept_text
        if text is None:
            kept = "\x00".join(
                self.old[i].text for i0, _, n in self.unchanged for i in range(i0, i0 + n)
            )
            if not kept.isascii():
                kept = unicodedata.normalize("NFC", kept)
            text = self._kept_text = kept.casefold()
        if self._kept_words is None and self._scans >= SCANS:
            self._kept_words = set(words(text))
        if self._kept_words is not None:
            return key in self._kept_words
        self._scans += 1
        return any(_whole_word(text, at, key) for at in _occurrences(text, key))


def _occurrences(text: str, part: str) -> Iterator[int]:
    """Where non-empty `part` occurs in `text`, overlaps included."""
    at = text.find(part)
    while at >= 0:
        yield at
        at = text.find(part, at + 1)


def _whole_word(text: str, at: int, word: str) -> bool:
    """Tell whether the word found in `text` at `at` is a token of its own there."""
    end = at + len(word)
    return not (
        (at > 0 and WORD_CHAR.match(text, at - 1))
        or (end < len(text) and WORD_CHAR.match(text, end))
    )


def _word_bounded(whole: str, at: int, part: str) -> bool:
    """Tell whether `part`, found in `whole` at `at`, is not inside a longer word there."""
    end = at + len(part)
    return not (
        (at > 0 and whole[at - 1].isalnum() and part[:1].isalnum())
        or (end < len(whole) and whole[end].isalnum() and part[-1:].isalnum())
    )


def _holds(whole: str, part: str) -> bool:
    """Tell whether non-blank `part` occurs in `whole` on word boundaries."""
    if not part.strip():
        return False
    return any(_word_bounded(whole, at, part) for at in _occurrences(whole, part))


_WINDOW = 12
"""How many blocks on either side of its relative place a split's parts are looked for."""


def _near(own: list[int], k: int, others: list[int]) -> list[int]:
    """The members of `others` around the place that `k` (a member of `own`) has in its gap.

    Keeps split and merge detection linear in large gaps.
    """
    if len(others) <= 2 * _WINDOW:
        return others
    where = own.index(k) * len(others) // max(len(own), 1)
    return others[max(0, where - _WINDOW) : where + _WINDOW]


def align(old: Sequence[Block], new: Sequence[Block]) -> list[Group]:
    """Align two block sequences; every block index appears in exactly one group."""
    return _Aligner(old, new).run()
