"""Re-anchoring accuracy against ground truth, for leitlinien and a per-quote search baseline.

    python benchmarks/reanchor_accuracy.py [--quick]

Part 1, generated pairs (`_corpus.make_pair`, default edit mix, both layouts; full: 20 KB x
4 seeds x 2 layouts x 120 passages; ``--quick``: 10 KB x 2 seeds x 2 layouts x 60), passages
picked "balanced" (40% in untouched blocks, 40% in edited/split/merged blocks, half of those
aimed at an edit, 20% in deleted blocks; 15% are whole-block comments, `Anchor.for_block`).
A result counts as a success when:

- untouched (block unchanged or moved) and intact (block edited/split/merged, but the
  passage's own words untouched and adjacent): status EXACT or SHIFTED and (start, end) equal
  to the ground-truth offsets in v2, exactly;
- deleted (block deleted, or every word of the passage deleted): status ORPHANED;
- edited (the passage overlaps an edit): status ORPHANED, or MODIFIED with a range that
  overlaps one of the passage's destination blocks in v2 (the blocks holding its surviving
  words; if none survives, the block(s) its v1 block became). EXACT/SHIFTED is a failure
  (it claims unchanged text). Reported beside it: how many were attached at all, and how
  many attached ranges overlap a surviving word of the passage.

The baseline is `_corpus.quote_search` (diff-match-patch ``match_main`` of the first 32
characters at the old position with a document-wide window, then a prefix/suffix check; see
its docstring), judged by the same rules.

Part 2, the real pairs (``--quick``: those under 150 KB): passages (1-12 words inside a block)
whose text plus 32 characters of context on each side occurs exactly once in v1 and exactly
once in v2 must come back EXACT/SHIFTED at that place; passages made only of words that occur
nowhere in v2 must come back ORPHANED; nothing may raise. Violations are counted and the
first few printed.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter, defaultdict

import _corpus as corpus
import leitlinien as ll

S = ll.AnchorStatus
ATTACHED = {"exact", "shifted", "modified"}


def anchor_for(doc: ll.Document, p: corpus.Passage) -> ll.Anchor:
    if p.whole:
        return ll.Anchor.for_block(doc, doc.blocks[p.block].id)
    return ll.Anchor.from_range(doc, p.start, p.end)


def judge(
    p: corpus.Passage, status: str, start: int | None, end: int | None, new: ll.Document
) -> bool:
    if p.category in ("untouched", "intact"):
        return status in ("exact", "shifted") and (start, end) == p.expected
    if p.category == "deleted":
        return status == "orphaned"
    if status == "orphaned":
        return True
    if status != "modified" or start is None or end is None:
        return False
    return any(
        (start < new.blocks[b].end and end > new.blocks[b].start)
        or (start == end and new.blocks[b].start <= start <= new.blocks[b].end)
        for b in p.dest_blocks
    )


def on_kept(p: corpus.Passage, start: int | None, end: int | None) -> bool:
    if start is None or end is None:
        return False
    return any(start < e and end > s for s, e in p.kept_spans)


def generated(quick: bool) -> None:
    size, seeds, per = (10_000, 2, 60) if quick else (20_000, 4, 120)
    ok: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    statuses: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    details: Counter[tuple[str, str]] = Counter()
    extra: dict[str, Counter[str]] = defaultdict(Counter)
    ours_time = base_time = 0.0
    n_total = 0
    for layout in ("spread", "clustered"):
        for seed in range(seeds):
            pair = corpus.make_pair(size, seed=seed, layout=layout)
            passages = pair.sample_passages(per, seed=seed + 100, balanced=True)
            anchors = [anchor_for(pair.old, p) for p in passages]
            t0 = time.perf_counter()
            results = ll.reanchor(anchors, pair.old, pair.new)
            ours_time += time.perf_counter() - t0
            n_total += len(anchors)
            for p, a, r in zip(passages, anchors, results, strict=True):
                details[(p.category, p.detail)] += 1
                t0 = time.perf_counter()
                b_status, b_start, b_end = corpus.quote_search(
                    pair.new.text, a.exact, a.prefix, a.suffix, a.start
                )
                base_time += time.perf_counter() - t0
                for engine, status, start, end in (
                    ("leitlinien", r.status.value, r.start, r.end),
                    ("quote search", b_status, b_start, b_end),
                ):
                    key = (p.category, engine)
                    ok[key]["n"] += 1
                    ok[key]["ok"] += judge(p, status, start, end, pair.new)
                    statuses[key][status] += 1
                    if p.category == "edited" and status in ATTACHED:
                        extra[engine]["attached"] += 1
                        extra[engine]["on kept words"] += on_kept(p, start, end)
                        extra[engine]["has kept words"] += bool(p.kept_spans)
                    if p.category == "edited" and not p.kept_spans and status in ATTACHED:
                        extra[engine]["attached with no word left"] += 1
    print(
        f"Generated pairs: {size // 1000} KB, {seeds} seeds x 2 layouts, {per} passages each "
        f"({n_total} passages)\n"
    )
    print("Passages by category and detail:")
    print(
        corpus.table(
            ["category", "detail", "n"], [[c, d, n] for (c, d), n in sorted(details.items())]
        )
    )
    print("\nSuccess rates (definitions in the module docstring):")
    rows = []
    for cat in ("untouched", "intact", "edited", "deleted"):
        row: list[object] = [cat, ok[(cat, "leitlinien")]["n"]]
        for engine in ("leitlinien", "quote search"):
            c = ok[(cat, engine)]
            rate = c["ok"] / c["n"] if c["n"] else float("nan")
            row.append(f"{c['ok']} ({rate:.1%})")
        rows.append(row)
    print(corpus.table(["category", "n", "leitlinien", "quote search"], rows))
    print("\nStatuses returned (exact/shifted/modified/orphaned):")
    rows = []
    for cat in ("untouched", "intact", "edited", "deleted"):
        for engine in ("leitlinien", "quote search"):
            s = statuses[(cat, engine)]
            rows.append([cat, engine, s["exact"], s["shifted"], s["modified"], s["orphaned"]])
    print(corpus.table(["category", "engine", "exact", "shifted", "modified", "orphaned"], rows))
    print("\nEdited passages that stayed attached:")
    rows = [
        [
            engine,
            extra[engine]["attached"],
            f"{extra[engine]['on kept words']} of {extra[engine]['has kept words']}",
            extra[engine]["attached with no word left"],
        ]
        for engine in ("leitlinien", "quote search")
    ]
    print(
        corpus.table(
            ["engine", "attached", "on a surviving word", "attached, no word survived"], rows
        )
    )
    print(
        f"\nTime for all {n_total}: leitlinien {ours_time:.3f} s (one reanchor call per pair, "
        f"diff included), quote search {base_time:.1f} s; ratio {base_time / ours_time:.0f}x"
    )


_WORD = re.compile(r"\w+")


def real(quick: bool) -> None:
    pairs = corpus.corpus_pairs()
    if quick:
        pairs = [r for r in pairs if len(r[1]) < 150_000]
    if not pairs:
        print(f"\n(no real corpus at {corpus.CORPUS_DIR}; set $LEITLINIEN_CORPUS)")
        return
    print(f"\nReal pairs ({corpus.CORPUS_DIR}):")
    rows = []
    examples: list[str] = []
    for name, v1, v2 in pairs:
        old, new = ll.Document.from_markdown(v1), ll.Document.from_markdown(v2)
        rng = random.Random(name)
        # (a) identical text, unique with 32 characters of context in both versions.
        same: list[tuple[ll.Anchor, int]] = []
        for block in old.blocks:
            spans = [m.span() for m in _WORD.finditer(block.text)]
            if not spans:
                continue
            for _ in range(2):
                n = min(rng.randint(1, 12), len(spans))
                i = rng.randint(0, len(spans) - n)
                s, e = block.start + spans[i][0], block.start + spans[i + n - 1][1]
                before, after = old.text[max(0, s - 32) : s], old.text[e : e + 32]
                key = before + old.text[s:e] + after
                at = old.text.find(key)
                if old.text.find(key, at + 1) >= 0:
                    continue
                at2 = new.text.find(key)
                if at2 < 0 or new.text.find(key, at2 + 1) >= 0:
                    continue
                same.append((ll.Anchor.from_range(old, s, e), at2 + len(before)))
        # (b) runs of words none of which occurs anywhere in v2.
        new_words = {w.casefold() for w in _WORD.findall(new.text)}
        gone: list[ll.Anchor] = []
        for block in old.blocks:
            run: list[tuple[int, int]] = []
            for m in [*_WORD.finditer(block.text), None]:
                if m is not None and m.group().casefold() not in new_words:
                    run.append(m.span())
                    continue
                if run:
                    s, e = block.start + run[0][0], block.start + run[-1][1]
                    gone.append(ll.Anchor.from_range(old, s, e))
                    run = []
        raised = 0
        t0 = time.perf_counter()
        try:
            d = ll.diff(old, new)
            res_same = ll.reanchor([a for a, _ in same], old, new, using=d)
            res_gone = ll.reanchor(gone, old, new, using=d)
        except Exception as exc:  # counted and reported, never hidden
            raised += 1
            print(f"  {name}: raised {type(exc).__name__}: {exc}")
            res_same, res_gone = [], []
        took = time.perf_counter() - t0
        bad_same = 0
        for (a, expected), r in zip(same, res_same, strict=True):
            fine = r.status in (S.EXACT, S.SHIFTED) and (r.start, r.end) == (
                expected,
                expected + len(a.exact),
            )
            if not fine:
                bad_same += 1
                if len(examples) < 8:
                    got = new.text[r.start : r.end] if r.start is not None else None
                    examples.append(
                        f"  {name} unique {a.exact[:50]!r} at {a.start}: expected {expected}, "
                        f"got {r.status.value} {r.start}..{r.end} {got!r:.60} ({r.reason})"
                    )
        bad_gone = 0
        for a, r in zip(gone, res_gone, strict=True):
            if r.status is not S.ORPHANED:
                bad_gone += 1
                if len(examples) < 16:
                    examples.append(
                        f"  {name} gone {a.exact[:50]!r}: got {r.status.value} "
                        f"{new.text[r.start : r.end]!r:.60} ({r.reason})"
                    )
        statuses = Counter(r.status.value for r in res_same)
        rows.append(
            [
                name,
                len(same),
                bad_same,
                f"{statuses['exact']}/{statuses['shifted']}",
                len(gone),
                bad_gone,
                raised,
                f"{took * 1000:.0f}",
            ]
        )
    print(
        corpus.table(
            [
                "pair",
                "unique kept",
                "violations",
                "exact/shifted",
                "all words gone",
                "violations",
                "raised",
                "ms (diff+map)",
            ],
            rows,
        )
    )
    if examples:
        print("\nFirst violations:")
        print("\n".join(examples))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small pairs, fewer passages")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}\n")
    generated(args.quick)
    real(args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
