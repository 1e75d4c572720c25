"""Text diffs: the only module that imports diff-match-patch (private).

Three services: a diff of two token sequences (blocks as tokens, or words as tokens), a
character diff for display, and the *mapping pieces* of two texts: runs of words that are
equal after normalisation (case, Unicode NFC/NFD, whitespace, typographic quotes and dashes).
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Sequence

import diff_match_patch

EQUAL, INSERT, DELETE = "equal", "insert", "delete"

REFINE_LIMIT = 2_000
"""Longest replaced run of words (in characters, each side) refined to a character diff.

diff-match-patch's ``Diff_Timeout`` is set to 0 (no time-out) everywhere: a time-out would make
results depend on the machine's speed. The cost is bounded instead by diffing tokens (blocks,
then words) and refining characters only inside replaced runs up to this length."""

_WORD_CHARS = r"[\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
"""A character kept inside a word: letters, digits, "_" and combining marks."""
WORD_CHAR = re.compile(_WORD_CHARS)
WORD_RUN = re.compile(_WORD_CHARS + "+")
"""A word as the tokenizer cuts it (without spaces and punctuation)."""
_WORD = re.compile(_WORD_CHARS + r"+|\s+|[^\w\s]")
_TYPOGRAPHY = str.maketrans(
    {
        "„": '"',
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "‚": "'",
        "‘": "'",
        "’": "'",
        "‹": "'",
        "›": "'",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "\u00a0": " ",
    }
)

Run = tuple[str, int, int, int, int]
"""A diff run: (op, a_start, a_end, b_start, b_end) in token or character indices."""


_DMP = diff_match_patch.diff_match_patch()
_DMP.Diff_Timeout = 0.0
"""The one diff-match-patch instance (its methods keep no state between calls); no time-out."""


_SURROGATES = 0xD800


def _encode(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[str, str]:
    """Map each distinct token to one character (skipping the surrogate range)."""
    distinct = dict.fromkeys(itertools.chain(a, b))
    n = len(distinct)
    numbers = (
        range(1, n + 1)
        if n < _SURROGATES
        else itertools.chain(range(1, _SURROGATES), range(_SURROGATES + 0x800, n + 0x801))
    )
    codes = dict(zip(distinct, map(chr, numbers), strict=True))
    return "".join(map(codes.__getitem__, a)), "".join(map(codes.__getitem__, b))


def token_runs(
    a: Sequence[Hashable], b: Sequence[Hashable], *, semantic: bool = False
) -> list[Run]:
    """Diff two token sequences; return runs covering both exactly, in order.

    Tokens that occur once in each sequence anchor the diff (the longest run of them in order,
    as in a patience diff); between anchors, and where there is none, diff-match-patch finds a
    minimal diff (no time-out). `semantic` applies diff-match-patch's semantic clean-up
    (fewer, larger changes).
    """
    if list(a) == list(b):
        return [(EQUAL, 0, len(a), 0, len(b))] if a else []
    ca, cb = _encode(a, b)
    dmp = _DMP
    diffs = _diff_codes(ca, cb, dmp)
    if semantic:
        dmp.diff_cleanupSemantic(diffs)
    runs: list[Run] = []
    i = j = 0
    for op, chunk in diffs:
        n = len(chunk)
        if op == 0:
            runs.append((EQUAL, i, i + n, j, j + n))
            i += n
            j += n
        elif op == -1:
            runs.append((DELETE, i, i + n, j, j))
            i += n
        else:
            runs.append((INSERT, i, i, j, j + n))
            j += n
    return runs


PATIENCE_MIN = 4
"""Stretches (after their common prefix and suffix) of fewer tokens than this, both sides
together, go to diff-match-patch directly instead of being split at unique tokens first.
Small: a minimal diff of a short stretch may keep a space and lose the one word both sides
share ("Woche ä" -> "Bürgerbeteiligung Bürgerbeteiligung Woche"), as many tokens either way."""
MYERS_LIMIT = 40_000
"""A stretch with no token unique to both sides, whose lengths multiply to more than this, is
reported as replaced as a whole: a minimal diff of it would cost time in proportion to the
product and could only match repeated tokens (spaces, articles) by coincidence."""


def _diff_codes(x: str, y: str, dmp: diff_match_patch.diff_match_patch) -> list[tuple[int, str]]:
    """Diff two strings of token codes into diff-match-patch's (op, text) form."""
    out: list[tuple[int, str]] = []
    todo: list[tuple[str, str] | str] = [(x, y)]
    while todo:
        task = todo.pop()
        if isinstance(task, str):
            out.append((0, task))
            continue
        x, y = task
        n = dmp.diff_commonPrefix(x, y)
        if n:
            out.append((0, x[:n]))
            x, y = x[n:], y[n:]
        n = dmp.diff_commonSuffix(x, y)
        suffix = x[len(x) - n :] if n else ""
        x, y = x[: len(x) - n], y[: len(y) - n]
        if suffix:
            todo.append(suffix)
        if not x or not y:
            out.extend([(-1, x)] if x else [(1, y)] if y else [])
            continue
        if len(x) + len(y) < PATIENCE_MIN:
            out.extend(dmp.diff_main(x, y, False))
            continue
        count_x, count_y = Counter(x), Counter(y)
        at_y = dict(zip(y, range(len(y)), strict=True))
        anchors = longest_increasing(
            [(i, at_y[c]) for i, c in enumerate(x) if count_x[c] == 1 and count_y.get(c) == 1]
        )
        if not anchors:
            if len(x) * len(y) > MYERS_LIMIT:
                out.extend([(-1, x), (1, y)])
            else:
                out.extend(dmp.diff_main(x, y, False))
            continue
        # The stretches between anchors, and the anchors (runs of them joined), in order.
        steps: list[tuple[str, str] | str] = []
        i0 = j0 = 0
        for i, j in anchors:
            if i > i0 or j > j0:
                steps.append((x[i0:i], y[j0:j]))
            elif steps and isinstance(steps[-1], str):
                steps[-1] += x[i]
                i0, j0 = i + 1, j + 1
                continue
            steps.append(x[i])
            i0, j0 = i + 1, j + 1
        if i0 < len(x) or j0 < len(y):
            steps.append((x[i0:], y[j0:]))
        todo.extend(reversed(steps))  # popped in order
    return _merged(out)


def _merged(diffs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join neighbouring pieces of one kind: equal runs, and between two of them one deletion
    followed by one insertion (the form diff-match-patch's clean-ups expect)."""
    out: list[tuple[int, str]] = []
    same: list[str] = []
    deleted: list[str] = []
    inserted: list[str] = []
    for op, text in diffs:
        if not text:
            continue
        if op == 0:
            if deleted:
                out.append((-1, "".join(deleted)))
                deleted = []
            if inserted:
                out.append((1, "".join(inserted)))
                inserted = []
            same.append(text)
            continue
        if same:
            out.append((0, "".join(same)))
            same = []
        (deleted if op == -1 else inserted).append(text)
    if same:
        out.append((0, "".join(same)))
    if deleted:
        out.append((-1, "".join(deleted)))
    if inserted:
        out.append((1, "".join(inserted)))
    return out


def longest_increasing(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of pairs (sorted by first) increasing in second."""
    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        if not tails or j > tails[-1]:  # the usual case when most pairs are in order
            prev[k] = tail_idx[-1] if tails else -1
            tails.append(j)
            tail_idx.append(k)
            continue
        pos = bisect.bisect_left(tails, j)  # < len(tails), as j <= tails[-1]
        tails[pos] = j
        tail_idx[pos] = k
        prev[k] = tail_idx[pos - 1] if pos else -1
    out = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        out.append(pairs[k])
        k = prev[k]
    return out[::-1]


def char_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Return a semantically cleaned character diff as (op, text) segments.

    Words are diffed first; only a replaced run of words is refined character by character
    (when both sides are below `REFINE_LIMIT` characters), so the cost stays bounded without
    a time-out and the result is deterministic.
    """
    if a == b:
        return [(EQUAL, a)] if a else []
    ta, tb = words(a), words(b)
    coarse: list[tuple[int, str]] = []
    for op, a0, a1, b0, b1 in token_runs(ta, tb):
        if op == EQUAL:
            coarse.append((0, "".join(ta[a0:a1])))
        elif op == DELETE:
            coarse.append((-1, "".join(ta[a0:a1])))
        else:
            coarse.append((1, "".join(tb[b0:b1])))
    dmp = _DMP
    fine: list[tuple[int, str]] = []
    k = 0
    while k < len(coarse):
        if k + 1 < len(coarse) and {coarse[k][0], coarse[k + 1][0]} == {-1, 1}:
            old = coarse[k][1] if coarse[k][0] == -1 else coarse[k + 1][1]
            new = coarse[k + 1][1] if coarse[k][0] == -1 else coarse[k][1]
            if len(old) <= REFINE_LIMIT and len(new) <= REFINE_LIMIT:
                fine.extend(dmp.diff_main(old, new, False))
            else:
                fine.extend([(-1, old), (1, new)])
            k += 2
        else:
            fine.append(coarse[k])
            k += 1
    dmp.diff_cleanupMerge(fine)
    dmp.diff_cleanupSemantic(fine)
    names = {0: EQUAL, -1: DELETE, 1: INSERT}
    return [(names[op], text) for op, text in fine if text]


def words(text: str) -> list[str]:
    """Split text into word, whitespace and punctuation tokens (combining marks stay in words)."""
    return _WORD.findall(text)


def word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Return a diff whose change boundaries fall only between words, as (op, text) segments."""
    if a == b:
        return [(EQUAL, a)] if a else []
    ta, tb = words(a), words(b)
    out: list[tuple[str, str]] = []
    for op, a0, a1, b0, b1 in token_runs(ta, tb, semantic=True):
        text = "".join(tb[b0:b1]) if op == INSERT else "".join(ta[a0:a1])
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return _order_replacements(out)


def _order_replacements(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Put a deletion before the insertion it is replaced by (insert, delete -> delete, insert)."""
    out = list(segments)
    for k in range(len(out) - 1):
        if out[k][0] == INSERT and out[k + 1][0] == DELETE:
            out[k], out[k + 1] = out[k + 1], out[k]
    return out


def _normal_key(token: str) -> str:
    if token.isspace():
        return " "
    if token.isascii():
        return token.lower()
    return unicodedata.normalize("NFC", token.translate(_TYPOGRAPHY)).casefold()


class _KeyCache(dict[str, str]):
    """Token -> comparison key; the words of a language repeat, so most lookups hit."""

    def __missing__(self, token: str) -> str:
        if len(self) > 200_000:
            self.clear()
        key = self[token] = _normal_key(token)
        return key


_KEYS = _KeyCache()


class _WordCache(dict[str, bool]):
    """Comparison key -> whether it is a word (begins with a letter or digit)."""

    def __missing__(self, key: str) -> bool:
        if len(self) > 200_000:
            self.clear()
        found = self[key] = key[:1].isalnum()
        return found


_IS_WORD = _WordCache()


def word_keys(keys: Iterable[str]) -> Iterator[str]:
    """The comparison keys that are words (not spaces or punctuation), in order."""
    return filter(_IS_WORD.__getitem__, keys)


def word_key_list(text: str) -> list[str]:
    """The comparison keys of the words of `text` (not spaces or punctuation), in order.

    Equal to ``list(word_keys(normal_keys(words(text))))``: the word tokens are exactly the
    runs that `WORD_RUN` finds, so spaces and punctuation are never tokenised.
    """
    return list(filter(_IS_WORD.__getitem__, map(_KEYS.__getitem__, WORD_RUN.findall(text))))


def normal_key(token: str) -> str:
    """Return the comparison key of a token: NFC, case-folded, typography and spaces folded."""
    return _KEYS[token]


def normal_keys(tokens: Sequence[str]) -> list[str]:
    """`normal_key` of each token (looked up in one pass over a shared cache)."""
    return list(map(_KEYS.__getitem__, tokens))


_TYPOGRAPHIC = re.compile("[" + "".join(map(chr, _TYPOGRAPHY)) + "]")


def normal_text(text: str) -> str:
    """The comparison key of a whole text: its tokens' keys joined, without outer spaces.

    Equal to ``"".join(normal_keys(words(text))).strip()`` but computed on the text at once
    (NFC, case-folded, typographic quotes and dashes folded, each run of spaces one space).
    """
    if not text.isascii():
        folded = text.translate(_TYPOGRAPHY) if _TYPOGRAPHIC.search(text) else text
        if not unicodedata.is_normalized("NFC", folded):
            # Composition may join characters across tokens (a mark after a kana, say):
            # only the tokens' own keys are the key then.
            return "".join(normal_keys(words(text))).strip()
        text = folded
    return " ".join(text.casefold().split())


def common_affixes(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common prefix and of the common suffix (after the prefix) of two texts."""
    prefix = _DMP.diff_commonPrefix(a, b)
    return prefix, _DMP.diff_commonSuffix(a[prefix:], b[prefix:])


SAME, NORMALIZED = 0, 1
"""Kinds of mapping piece: identical text; text equal but for normalisation."""

REPLACED_LIMIT = 400
"""Longest replaced stretch (in characters, each side) searched for surviving characters."""
MIN_CHAR_RUN = 3
"""Shortest run of characters that survives inside a replaced stretch (shorter ones are
coincidence: single letters shared by two different words)."""

Piece = tuple[int, int, int, int, int]
"""(a_start, a_end, b_start, b_end, kind) with kind SAME or NORMALIZED."""


def mapping_pieces(a: str, b: str) -> list[Piece]:
    """Return the runs of `a` that survive in `b`, in order.

    Words are compared first, after normalisation (case, NFC/NFD, whitespace, typographic
    quotes and dashes). Where words were replaced, the two stretches are compared character
    by character, so that the untouched part of a word that was edited ("Stadt" in "Stadtrat"
    becoming "Stadtteil") still maps; runs shorter than `MIN_CHAR_RUN` do not count. Offsets
    are code points. A common beginning and end are taken as they are (cut where a word
    follows a space, so that the words between are those of the whole texts); only the
    middle is split into words.
    """
    if a == b:
        return [(0, len(a), 0, len(b), SAME)] if a else []
    prefix, suffix = common_affixes(a, b)
    q = _cut_before(a, b, prefix)
    ra = _cut_after(a, b, suffix)
    rb = len(b) - (len(a) - ra)
    ta, tb = words(a[q:ra]), words(b[q:rb])
    ka = normal_keys(ta)
    kb = normal_keys(tb)
    if ra < len(a) and _matches_into_end(a, b, (ra, rb), (ka, kb)):
        # Matching from the start would go on into the common end: take the end with the
        # words, as if it had not been cut, so the result is the same as for whole texts.
        ra, rb = len(a), len(b)
        ta, tb = words(a[q:]), words(b[q:])
        ka = normal_keys(ta)
        kb = normal_keys(tb)
    pieces: list[Piece] = [(0, q, 0, q, SAME)] if q else []
    pa = list(itertools.accumulate(map(len, ta), initial=q))
    pb = list(itertools.accumulate(map(len, tb), initial=q))
    equal = [(a0, a1, b0, b1) for op, a0, a1, b0, b1 in token_runs(ka, kb) if op == EQUAL]
    prev_a = prev_b = 0
    for a0, a1, b0, b1 in [*equal, (len(ta), len(ta), len(tb), len(tb))]:
        if prev_a < a0 and prev_b < b0:
            _replaced_pieces(a, b, (pa[prev_a], pa[a0], pb[prev_b], pb[b0]), pieces)
        if a1 > a0:
            _equal_pieces(ta, tb, pa=pa, pb=pb, a0=a0, a1=a1, b0=b0, out=pieces)
        prev_a, prev_b = a1, b1
    if ra < len(a):
        pieces.append((ra, len(a), rb, len(b), SAME))
    return _joined(pieces)


def _matches_into_end(
    a: str, b: str, ends: tuple[int, int], keys: tuple[Sequence[str], Sequence[str]]
) -> bool:
    """Tell whether the words of the shorter middle all match the other's first ones (after
    normalisation) and the first word of its common end matches the next one too.

    Only then would matching the whole texts from the start run into the common end.
    """
    (ra, rb), (ka, kb) = ends, keys
    n = min(len(ka), len(kb))
    if len(ka) == len(kb) or ka[:n] != kb[:n]:
        return False
    short, end, longer = (a, ra, kb) if len(ka) < len(kb) else (b, rb, ka)
    first = _WORD.match(short, end)
    return first is not None and normal_key(first.group()) == longer[n]


def _starts_word(text: str, k: int) -> bool:
    """Tell whether a token of `text` begins at `k` because a space ends right before it."""
    return text[k - 1].isspace() and not text[k].isspace()


def _cut_before(a: str, b: str, end: int) -> int:
    """The last place up to `end` (the common prefix's length) where a word follows a space
    in both texts; 0 if there is none. Both texts are tokenised alike up to there."""
    if 0 < end < min(len(a), len(b)) and _starts_word(a, end) and _starts_word(b, end):
        return end
    k = end - 1
    while k > 0 and not _starts_word(a, k):
        k -= 1
    return max(k, 0)


def _cut_after(a: str, b: str, suffix: int) -> int:
    """The first place in `a` from where its common suffix with `b` begins at which a word
    follows a space in both texts; the end of `a` if there is none."""
    start = len(a) - suffix
    if (
        suffix > 0
        and start > 0
        and len(b) > suffix
        and _starts_word(a, start)
        and _starts_word(b, len(b) - suffix)
    ):
        return start
    k = start + 1
    while k < len(a) and not _starts_word(a, k):
        k += 1
    return min(k, len(a))


REORDERED = 0.5
"""Least share of a left-over stretch's words found in another left-over stretch for the two
to be compared again (see `reordered_pieces`)."""


def reordered_pieces(a: str, b: str, pieces: list[Piece]) -> list[Piece]:
    """Add to `pieces` the runs of a split or merge whose parts changed order; sorted by `a`.

    The mapping pieces keep one order: of two paragraphs merged the other way round, one is
    matched and the other is left over on both sides. Each stretch of `a` left over (longest
    first) is compared again with the left-over stretch of `b` that holds most of its words,
    if that is at least `REORDERED` of them; each stretch of `b` serves once.
    """
    # Without the spaces around them: a part that changed order keeps its words, while the
    # space or block separator next to it is another ("Rat Einwohner: ..." -> "Einwohner:
    # ...", "Rat": compared with its space, "Rat " would match "\n\nRat" by the space).
    olds = [trimmed(a, s, e) for s, e in uncovered(a, [(p[0], p[1]) for p in pieces])]
    news = [trimmed(b, s, e) for s, e in uncovered(b, sorted((p[2], p[3]) for p in pieces))]
    if not olds or not news:
        return pieces
    bags: list[Counter[str] | None] = [_word_bag(b[s:e]) for s, e in news]
    out = list(pieces)
    for s, e in sorted(olds, key=lambda r: (r[0] - r[1], r[0])):
        mine = _word_bag(a[s:e])
        best, score = -1, 0
        for k, bag in enumerate(bags):
            if bag is not None:
                common = (mine & bag).total()
                if common > score:
                    best, score = k, common
        if best < 0 or score < REORDERED * mine.total():
            continue
        t0, t1 = news[best]
        bags[best] = None
        for a0, a1, b0, b1, kind in mapping_pieces(a[s:e], b[t0:t1]):
            out.append((s + a0, s + a1, t0 + b0, t0 + b1, kind))
    out.sort()
    return out


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without the whitespace at either end (empty at `end` if it is all
    whitespace)."""
    rest = text[start:end].lstrip()
    start = end - len(rest)
    return start, start + len(rest.rstrip())


def _word_bag(text: str) -> Counter[str]:
    """The comparison keys of the words of `text`, with their counts."""
    return Counter(word_key_list(text))


def uncovered(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The stretches of `text` outside `ranges` (sorted, not overlapping) that hold a word."""
    out = []
    cursor = 0
    for start, end in [*ranges, (len(text), len(text))]:
        if start > cursor and text_has_word(text, cursor, start):
            out.append((cursor, start))
        cursor = max(cursor, end)
    return out


def _joined(pieces: list[Piece]) -> list[Piece]:
    """Join identical runs that continue one another."""
    out: list[Piece] = []
    for p in pieces:
        if out and p[4] == SAME and out[-1][4] == SAME:
            a0, a1, b0, b1, _ = out[-1]
            if p[0] == a1 and p[2] == b1:
                out[-1] = (a0, p[1], b0, p[3], SAME)
                continue
        out.append(p)
    return out


def _replaced_pieces(a: str, b: str, span: tuple[int, int, int, int], out: list[Piece]) -> None:
    """Add the character runs that survive inside a replaced stretch ``a[a0:a1]``/``b[b0:b1]``."""
    a0, a1, b0, b1 = span
    if a1 - a0 > REPLACED_LIMIT or b1 - b0 > REPLACED_LIMIT:
        return
    if not _part_keys(a, a0, a1) & _part_keys(b, b0, b1):
        return  # no run that `_word_parts` could keep: spare the character diff
    i, j = a0, b0
    runs: list[tuple[int, int, int]] = []
    for op, text in _DMP.diff_main(a[a0:a1], b[b0:b1], False):
        n = len(text)
        if op == 0:
            if n >= MIN_CHAR_RUN:
                runs.append((i, j, n))
            i += n
            j += n
        elif op == -1:
            i += n
        else:
            j += n
    out.extend((i, i + n, j, j + n, SAME) for i, j, n in _word_parts(a, b, runs))


def _part_keys(text: str, start: int, end: int) -> set[str]:
    """The three-character strings of ``text[start:end]`` that a kept run could begin with.

    A run that `_word_parts` keeps is at least `MIN_CHAR_RUN` (3) characters long and either
    holds no letter or digit, or begins where no letter or digit precedes it (in both texts).
    Two stretches that share none of these keys cannot have such a run in common.
    """
    keys = set()
    for k in range(start, end - MIN_CHAR_RUN + 1):
        key = text[k : k + MIN_CHAR_RUN]
        if k == 0 or not text[k - 1].isalnum() or not text_has_word(key):
            keys.add(key)
    return keys


def _equal_pieces(
    ta: Sequence[str],
    tb: Sequence[str],
    *,
    pa: Sequence[int],
    pb: Sequence[int],
    a0: int,
    a1: int,
    b0: int,
    out: list[Piece],
) -> None:
    """Split a run of equal keys into identical stretches and normalised single tokens."""
    b1 = b0 + (a1 - a0)
    if ta[a0:a1] == tb[b0:b1]:
        out.append((pa[a0], pa[a1], pb[b0], pb[b1], SAME))
        return
    k = a0
    while k < a1:
        m = b0 + (k - a0)
        if ta[k] != tb[m]:
            out.append((pa[k], pa[k + 1], pb[m], pb[m + 1], NORMALIZED))
            k += 1
            continue
        end = k
        while end < a1 and ta[end] == tb[b0 + end - a0]:
            end += 1
        out.append((pa[k], pa[end], pb[m], pb[b0 + end - a0], SAME))
        k = end


def _word_parts(a: str, b: str, runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Keep the runs of equal characters that are the kept part of an edited word.

    Runs are grouped by the old word they begin in. A word's runs count when the first starts
    the word in both texts and together they hold at least half of it ("Stadt" of "Stadtrat"
    -> "Stadtteil", "Stad" + "trat" of "Stadxtrat" -> "Stadtrat"); a shared ending alone
    ("handlungen" of "Amtshandlungen" -> "Verhandlungen") is coincidence. Runs without a
    letter or digit (spaces, punctuation) always count.
    """
    kept: list[tuple[int, int, int]] = []
    groups: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    for i, j, n in runs:
        if not text_has_word(a, i, i + n):
            kept.append((i, j, n))
            continue
        lo, hi = i, i
        while lo > 0 and a[lo - 1].isalnum():
            lo -= 1
        while hi < len(a) and a[hi].isalnum():
            hi += 1
        groups.setdefault((lo, max(hi, i + 1)), []).append((i, j, n))
    for (lo, hi), group in groups.items():
        i, j, n0 = group[0]
        starts = i == lo and (j == 0 or not b[j - 1].isalnum())
        # The runs of one old word must stay within one new word.
        between = b[j + n0 : group[-1][1]]
        members = group if all(ch.isalnum() for ch in between) else group[:1]
        inside = sum(min(k + n, hi) - k for k, _, n in members)
        if starts and 2 * inside >= hi - lo:
            kept.extend(members)
    return sorted(kept)


_ALNUM = re.compile(r"[^\W_]")
"""A letter or digit: exactly the characters for which `str.isalnum` is true."""


def text_has_word(text: str, start: int = 0, end: int | None = None) -> bool:
    """Tell whether `text`, or ``text[start:end]`` (searched without copying it; `start`
    and `end` not negative), holds a letter or digit."""
    return _ALNUM.search(text, start, len(text) if end is None else end) is not None


def similarity(a: str, b: str) -> float:
    """Share of characters that survive from one text in the other (their mapping pieces),
    relative to the longer text (0..1)."""
    if not a and not b:
        return 1.0
    kept = sum(a1 - a0 for a0, a1, _, _, _ in mapping_pieces(a, b))
    return kept / max(len(a), len(b))
