"""Block alignment between two documents (private).

1. Blocks whose (kind, text) occurs once in each document anchor the alignment; the longest
   increasing subsequence of them stays in order, the rest are moves.
2. Between two anchors, the blocks are diffed as tokens: equal tokens are unchanged blocks.
3. Of what is left, identical texts are moves; texts equal but for case, whitespace,
   typography or Unicode normalisation are cosmetic edits; one block whose words are spread
   over several consecutive new ones is a split (several into one: a merge); similar blocks
   are edits (in the same gap) or moves with edits (elsewhere); a heading in place of a
   heading of the same level is a renamed heading. Everything else is inserted or deleted.

The result is deterministic: no time-outs, ties broken by position.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Sequence

import attrs

from leitlinien.diffing._text import EQUAL, normal_keys, similarity, token_runs, words
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
GROW = 0.5
"""Least share of a leftover neighbour's words that must come from what an edited block's
partner left over, for the edit to grow into a split or merge."""
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


def _lis(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of pairs (sorted by first) increasing in second."""
    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(k)
        else:
            tails[pos] = j
            tail_idx[pos] = k
        prev[k] = tail_idx[pos - 1] if pos else -1
    out = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        out.append(pairs[k])
        k = prev[k]
    return out[::-1]


def _common(a: Counter[str], b: Counter[str]) -> int:
    if len(a) > len(b):
        a, b = b, a
    return sum(min(n, b[w]) for w, n in a.items() if w in b)


def _dice(a: Counter[str], b: Counter[str]) -> float:
    total = a.total() + b.total()
    return 2 * _common(a, b) / total if total else 0.0


def _contained(part: Counter[str], whole: Counter[str]) -> float:
    n = part.total()
    return _common(part, whole) / n if n else 0.0


class _Aligner:
    def __init__(self, old: Sequence[Block], new: Sequence[Block]) -> None:
        self.old = old
        self.new = new
        self.old_key = [(b.kind, b.text) for b in old]
        self.new_key = [(b.kind, b.text) for b in new]
        self.groups: list[Group] = []
        self.unchanged: list[tuple[int, int]] = []
        self.old_done = [False] * len(old)
        self.new_done = [False] * len(new)
        self.old_gap = [-1] * len(old)
        self.new_gap = [-1] * len(new)
        self._bags: dict[tuple[str, int], Counter[str]] = {}
        self._keys: dict[tuple[str, int], list[str]] = {}
        self.words: dict[tuple[str, int], list[str]] = {}

    def keys(self, side: str, i: int) -> list[str]:
        """The normalised tokens of a block (cached: several passes look at them)."""
        key = (side, i)
        found = self._keys.get(key)
        if found is None:
            block = self.old[i] if side == "old" else self.new[i]
            tokens = self.words[key] = words(block.text)
            found = self._keys[key] = normal_keys(tokens)
        return found

    def bag(self, side: str, i: int) -> Counter[str]:
        key = (side, i)
        found = self._bags.get(key)
        if found is None:
            found = self._bags[key] = Counter(k for k in self.keys(side, i) if k[:1].isalnum())
        return found

    def norm_text(self, side: str, i: int) -> str:
        return "".join(self.keys(side, i)).strip()

    def keep(self, i: int, j: int) -> None:
        """Record an unchanged pair (grouped into runs at the end)."""
        self.unchanged.append((i, j))
        self.old_done[i] = True
        self.new_done[j] = True

    def _unchanged_runs(self) -> list[Group]:
        """Consecutive unchanged pairs as one group each (one piece of the position map)."""
        runs: list[Group] = []
        pairs = sorted(self.unchanged)
        k = 0
        while k < len(pairs):
            end = k + 1
            while (
                end < len(pairs)
                and pairs[end][0] == pairs[end - 1][0] + 1
                and pairs[end][1] == pairs[end - 1][1] + 1
            ):
                end += 1
            run = pairs[k:end]
            runs.append(Group("unchanged", tuple(i for i, _ in run), tuple(j for _, j in run)))
            k = end
        return runs

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
        self.splits_and_merges()
        self.similar()
        self.renamed_headings()
        self.grow_splits_and_merges()
        self.pinned_pairs()
        for i, done in enumerate(self.old_done):
            if not done:
                self.add(Group("deleted", (i,), ()))
        for j, done in enumerate(self.new_done):
            if not done:
                self.add(Group("inserted", (), (j,)))
        return self._unchanged_runs() + self._join_moves()

    def pinned_pairs(self) -> None:
        """A new block the author pinned to an old block's id is that block, however rewritten."""
        news = {
            self.new[j].id: j
            for j, done in enumerate(self.new_done)
            if not done and self.new[j].pinned
        }
        if not news:
            return
        for i, done in enumerate(self.old_done):
            j = news.get(self.old[i].id) if not done else None
            if j is not None and not self.new_done[j]:
                kind = "edited" if self.old_gap[i] == self.new_gap[j] else "moved"
                self.add(Group(kind, (i,), (j,), edited=True))

    def grow_splits_and_merges(self) -> None:
        """Take leftover neighbours into an edit, split or merge they were cut from.

        A paragraph split in two and edited: the first part was paired as an edit, the second
        looks inserted. If that second part's words mostly come from what the pair left of
        the old text, it joins the change (an edit grows into a split; a merge whose first
        sentence was split off again keeps it). Likewise for leftover old blocks.
        """
        for k, g in enumerate(self.groups):
            if g.kind not in ("edited", "split", "merged"):
                continue
            if any(self.old[i].kind is BlockKind.HEADING for i in g.old):
                continue
            olds, news = list(g.old), list(g.new)
            old_bag = self._sum_bags("old", olds)
            new_bag = self._sum_bags("new", news)
            for side, members, done, gaps, n, rest in (
                ("new", news, self.new_done, self.new_gap, len(self.new), old_bag - new_bag),
                ("old", olds, self.old_done, self.old_gap, len(self.old), new_bag - old_bag),
            ):
                if not rest:
                    continue
                gap = gaps[members[0]]
                for run in (
                    self._leftover_run(done, gaps, members[-1], gap, n, step=1),
                    self._leftover_run(done, gaps, members[0], gap, n, step=-1),
                ):
                    for m in run:
                        if _contained(self.bag(side, m), rest) < GROW:
                            break
                        members.append(m)
                        done[m] = True
            if len(olds) == len(g.old) and len(news) == len(g.new):
                continue
            olds.sort()
            news.sort()
            kind = "split" if len(news) > len(olds) else "merged"
            self.groups[k] = Group(kind, tuple(olds), tuple(news), edited=True)

    def _sum_bags(self, side: str, members: Sequence[int]) -> Counter[str]:
        total: Counter[str] = Counter()
        for m in members:
            total += self.bag(side, m)
        return total

    @staticmethod
    def _leftover_run(
        done: list[bool], gaps: list[int], at: int, gap: int, n: int, *, step: int
    ) -> list[int]:
        """Unmatched blocks of `gap` next to `at`, going forward (step 1) or back (step -1)."""
        run = []
        k = at + step
        while 0 <= k < n and not done[k] and gaps[k] == gap:
            run.append(k)
            k += step
        return run

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
        old_count = Counter(self.old_key)
        new_count = Counter(self.new_key)
        new_pos = {k: j for j, k in enumerate(self.new_key) if new_count[k] == 1}
        candidates = [
            (i, new_pos[k])
            for i, k in enumerate(self.old_key)
            if old_count[k] == 1 and k in new_pos
        ]
        anchors = _lis(candidates)
        prev_i = prev_j = -1
        for gap, (i, j) in enumerate([*anchors, (len(self.old), len(self.new))]):
            self.match_gap(gap, range(prev_i + 1, i), range(prev_j + 1, j))
            if i < len(self.old):
                self.keep(i, j)
            prev_i, prev_j = i, j

    def match_gap(self, gap: int, olds: range, news: range) -> None:
        for i in olds:
            self.old_gap[i] = gap
        for j in news:
            self.new_gap[j] = gap
        if not olds or not news:
            return
        a = [self.old_key[i] for i in olds]
        b = [self.new_key[j] for j in news]
        if len(a) * len(b) <= _GAP_DIFF_LIMIT:
            for op, a0, a1, b0, _ in token_runs(a, b):
                if op == EQUAL:
                    for k in range(a1 - a0):
                        self.keep(olds[a0 + k], news[b0 + k])
            return
        # A large gap: match equal blocks in order (deterministic, linear).
        queues: dict[tuple[BlockKind, str], list[int]] = defaultdict(list)
        for j in news:
            queues[self.new_key[j]].append(j)
        last = -1
        for i in olds:
            queue = queues.get(self.old_key[i])
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
        olds = {i: self.old_key[i] for i, d in enumerate(self.old_done) if not d}
        news = {j: self.new_key[j] for j, d in enumerate(self.new_done) if not d}
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
        olds = {
            i: (self.old[i].kind, self.norm_text("old", i))
            for i, d in enumerate(self.old_done)
            if not d
        }
        news = {
            j: (self.new[j].kind, self.norm_text("new", j))
            for j, d in enumerate(self.new_done)
            if not d
        }
        for i, j in self._pair_by(olds, news):  # type: ignore[arg-type]
            same_gap = self.old_gap[i] == self.new_gap[j]
            kind = "edited" if same_gap else "moved"
            self.add(Group(kind, (i,), (j,), edited=True, cosmetic=True))

    def _gap_members(self) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        olds: dict[int, list[int]] = defaultdict(list)
        news: dict[int, list[int]] = defaultdict(list)
        for i, d in enumerate(self.old_done):
            if not d:
                olds[self.old_gap[i]].append(i)
        for j, d in enumerate(self.new_done):
            if not d:
                news[self.new_gap[j]].append(j)
        return olds, news

    def splits_and_merges(self) -> None:
        olds, news = self._gap_members()
        for gap in sorted(olds):
            for i in olds[gap]:
                if self.old_done[i]:
                    continue
                parts = self._streak(
                    self.bag("old", i),
                    _near(olds[gap], i, [j for j in news.get(gap, []) if not self.new_done[j]]),
                    "new",
                )
                if parts:
                    self.add(Group("split", (i,), tuple(parts), edited=True))
            for j in news.get(gap, []):
                if self.new_done[j]:
                    continue
                parts = self._streak(
                    self.bag("new", j),
                    _near(news[gap], j, [i for i in olds[gap] if not self.old_done[i]]),
                    "old",
                )
                if parts:
                    self.add(Group("merged", tuple(parts), (j,), edited=True))

    def _streak(self, whole: Counter[str], candidates: list[int], side: str) -> list[int]:
        """The longest run of consecutive candidates whose words all come from `whole`."""
        if not whole or len(candidates) < 2:
            return []
        best: list[int] = []
        streak: list[int] = []
        size = whole.total()
        for k in candidates:
            part = self.bag(side, k)
            # A part holds fewer words than the whole: most candidates fail on size alone.
            fits = bool(part) and part.total() <= size and _contained(part, whole) >= CONTAINED
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
        together: Counter[str] = Counter()
        for k in best:
            together += self.bag(side, k)
        return best if _contained(whole, together) >= COVERED else []

    def similar(self) -> None:
        self._similar_in_place()
        olds = [i for i, d in enumerate(self.old_done) if not d]
        news = [j for j, d in enumerate(self.new_done) if not d]
        if not olds or not news:
            return
        df: Counter[str] = Counter()
        index: dict[str, list[int]] = defaultdict(list)
        for j in news:
            for w in self.bag("new", j):
                index[w].append(j)
                df[w] += 1
        common = max(50, len(news) // 10)
        scored: list[tuple[int, float, int, int]] = []
        for i in olds:
            bag = self.bag("old", i)
            hits: Counter[int] = Counter()
            for w in bag:
                if df[w] <= common:
                    for j in index.get(w, ()):
                        hits[j] += 1
            for j, _ in hits.most_common(8):
                if self.old[i].kind != self.new[j].kind and BlockKind.HEADING in (
                    self.old[i].kind,
                    self.new[j].kind,
                ):
                    continue
                score = _dice(bag, self.bag("new", j))
                same_gap = self.old_gap[i] == self.new_gap[j]
                if score >= (SIMILAR_IN_PLACE if same_gap else SIMILAR):
                    scored.append((0 if same_gap else 1, -score, i, j))
        scored.sort()
        for rank, _, i, j in scored:
            if self.old_done[i] or self.new_done[j]:
                continue
            self.add(Group("edited" if rank == 0 else "moved", (i,), (j,), edited=True))

    def _similar_in_place(self) -> None:
        """A gap with one old and one new block of a kind: the usual edit, scored directly."""
        olds, news = self._gap_members()
        for gap, members in olds.items():
            partners = news.get(gap, [])
            if len(members) == 1 and len(partners) == 1:
                i, j = members[0], partners[0]
                if (
                    self.old[i].kind == self.new[j].kind
                    and _dice(self.bag("old", i), self.bag("new", j)) >= SIMILAR_IN_PLACE
                ):
                    self.add(Group("edited", (i,), (j,), edited=True))

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


def align(
    old: Sequence[Block], new: Sequence[Block]
) -> tuple[list[Group], dict[tuple[str, int], list[str]]]:
    """Align two block sequences; every block index appears in exactly one group.

    Also returns the word tokens computed on the way, by ("old"|"new", block index), so the
    text diff of changed blocks need not split them again.
    """
    aligner = _Aligner(old, new)
    return aligner.run(), aligner.words
