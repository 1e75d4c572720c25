"""Re-anchoring speed: many anchors on a large document across one version change.

    python benchmarks/reanchor_speed.py [--quick] [--profile]

One generated pair (`_corpus.make_pair`, 1 MB, default edit mix: 2% of blocks edited, 1%
moved, 1% inserted, 1% deleted, a few splits and merges; ``--quick``: 100 KB) and 10,000
anchors (``--quick``: 1,000) on passages picked uniformly (ranges of 1-12 words in one block,
15% whole blocks). Measured, each best of several runs, peak memory by tracemalloc in a
separate run:

- parse: ``Document.from_markdown`` of v1 and of v2, and markdown-it-py's own
  ``MarkdownIt("commonmark").enable("table").parse(text)`` of v1 (instance built untimed);
- diff: ``leitlinien.diff(old, new)`` (block alignment, text alignment, position map);
- mapping: ``leitlinien.reanchor(anchors, old, new, using=d)``, for the first 1k, 5k and
  10k anchors (``--quick``: 100, 500, 1,000) to show how the cost grows;
- the one call ``leitlinien.reanchor(anchors, old, new)``, diff included.
  These five are timed in turns, round after round (9 rounds and 10 s at least, unless
  60 s of runs are spent first): each
  best (and median) then comes from the same phases of a shared CPU. A call's result is
  freed after the clock stops;
- the per-quote search baseline (`_corpus.quote_search`: diff-match-patch ``match_main`` with a
  document-wide window, then a context check) on a random sample of 50 of the anchors, within
  a time budget (120 s; ``--quick``: 15 s); its mean per anchor is extrapolated.

Targets (issue 4, one core, documents already parsed): diff + mapping of 10,000 anchors on
1 MB < 100 ms; >= 1,000x faster per anchor than per-quote search (ours per anchor counts the
diff shared by all anchors); cost linear in the number of anchors (per-anchor mapping cost at
the largest count within 1.5x of that at the smallest); parse within 1.5x of markdown-it-py.
Informational: the exit status is always 0. ``--profile`` adds cProfiles of diff and mapping.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from collections import Counter

from markdown_it import MarkdownIt

import _corpus as corpus
import leitlinien as ll


def anchor_for(doc: ll.Document, p: corpus.Passage) -> ll.Anchor:
    if p.whole:
        return ll.Anchor.for_block(doc, doc.blocks[p.block].id)
    return ll.Anchor.from_range(doc, p.start, p.end)


def mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def profile(label: str, fn: object) -> None:
    prof = cProfile.Profile()
    prof.enable()
    fn()  # type: ignore[operator]
    prof.disable()
    print(f"\ncProfile of {label} (cumulative, top 25):")
    pstats.Stats(prof, stream=sys.stdout).sort_stats("cumulative").print_stats(25)


ROUNDS = 9
"""Fewest rounds in which the diff, the mappings and the one call are timed in turn."""
SPAN = 10.0
"""Fewest seconds over which those rounds are spread (see `_corpus.timed_rounds`)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 KB, 1,000 anchors")
    parser.add_argument("--profile", action="store_true", help="cProfile diff and mapping")
    args = parser.parse_args(argv)
    size, n = (100_000, 1_000) if args.quick else (1_000_000, 10_000)
    counts = [n // 10, n // 2, n]
    budget = 15.0 if args.quick else 120.0

    pair = corpus.make_pair(size, seed=0, layout="spread")
    old, new = pair.old, pair.new
    passages = pair.sample_passages(n, seed=7)
    t0 = time.perf_counter()
    anchors = [anchor_for(old, p) for p in passages]
    build = time.perf_counter() - t0
    print(
        f"python {sys.version.split()[0]}; v1 {corpus.fmt_bytes(len(pair.old_md.encode()))} "
        f"({len(old.blocks)} blocks, {len(old.text):,} chars of reading text), v2 "
        f"{corpus.fmt_bytes(len(pair.new_md.encode()))}; changes: {pair.counts}"
    )
    print(f"{n:,} anchors (built untimed in {build * 1000:.0f} ms)")
    print(corpus.cpu_check() + "\n")

    # Parse.
    md = MarkdownIt("commonmark").enable("table")
    p_old, p_mdit = corpus.timed_pair(
        lambda: ll.Document.from_markdown(pair.old_md), lambda: md.parse(pair.old_md), repeat=7
    )
    p_new, _ = corpus.timed(lambda: ll.Document.from_markdown(pair.new_md), repeat=5, budget=15)
    m_parse = corpus.peak_memory(
        lambda: (ll.Document.from_markdown(pair.old_md), ll.Document.from_markdown(pair.new_md))
    )

    # Diff and mapping, in turns (see `_corpus.timed_rounds`): every step meets the same
    # phases of the CPU, so the one call can be compared with its parts.
    d = ll.diff(old, new)
    results = ll.reanchor(anchors, old, new, using=d)
    steps = {"diff": lambda: ll.diff(old, new)}
    for k in counts:
        subset = anchors[:k]
        steps[f"map {k}"] = lambda subset=subset: ll.reanchor(subset, old, new, using=d)
    # A fresh diff per call, as `reanchor(anchors, old, new)` does without `using`.
    steps["all"] = lambda: ll.reanchor(anchors, old, new)
    timings = corpus.timed_rounds(steps, rounds=ROUNDS, budget=60, span=SPAN)
    t_diff, med_diff = timings["diff"]
    t_map = {k: timings[f"map {k}"][0] for k in counts}
    med_map = timings[f"map {n}"][1]
    t_all, med_all = timings["all"]
    m_diff = corpus.peak_memory(lambda: ll.diff(old, new))
    m_map = corpus.peak_memory(lambda: ll.reanchor(anchors, old, new, using=d))

    # Baseline on a sample.
    rng = random.Random(1)
    sample = rng.sample(range(n), min(50, n))
    spent = 0.0
    done = 0
    slowest = 0.0
    for i in sample:
        a = anchors[i]
        t0 = time.perf_counter()
        corpus.quote_search(new.text, a.exact, a.prefix, a.suffix, a.start)
        t = time.perf_counter() - t0
        spent += t
        slowest = max(slowest, t)
        done += 1
        if spent > budget:
            break
    base_per = spent / done

    ours_total = t_diff + t_map[n]
    ours_per = ours_total / n
    map_per = {k: t_map[k] / k for k in counts}
    ratio = base_per / ours_per
    rows = [
        ["parse v1 (leitlinien)", corpus.fmt_ms(p_old), "", "", ""],
        ["parse v2 (leitlinien)", corpus.fmt_ms(p_new), "", corpus.fmt_bytes(m_parse), "both"],
        ["parse v1 (markdown-it-py)", corpus.fmt_ms(p_mdit), "", "", ""],
        [
            "diff (incl. position map)",
            corpus.fmt_ms(t_diff),
            "",
            corpus.fmt_bytes(m_diff),
            f"median {corpus.fmt_ms(med_diff)}",
        ],
    ]
    rows += [
        [f"mapping {k:,} anchors", corpus.fmt_ms(t_map[k]), f"{map_per[k] * 1e6:.1f}", "", ""]
        for k in counts
    ]
    rows[-1][3] = corpus.fmt_bytes(m_map)
    rows[-1][4] = f"median {corpus.fmt_ms(med_map)}"
    rows += [
        [
            f"diff + mapping {n:,}",
            corpus.fmt_ms(ours_total),
            f"{ours_per * 1e6:.1f}",
            "",
            "amortized",
        ],
        [
            f"reanchor({n:,}) without using=",
            corpus.fmt_ms(t_all),
            f"{t_all / n * 1e6:.1f}",
            "",
            f"median {corpus.fmt_ms(med_all)}",
        ],
        [
            f"per-quote search ({done} of 50 sampled)",
            corpus.fmt_ms(spent),
            f"{base_per * 1e6:.0f}",
            "",
            f"slowest {slowest * 1000:.0f} ms",
        ],
    ]
    print(corpus.table(["step", "ms", "us/anchor", "peak", "note"], rows))

    print(
        f"\nExtrapolated per-quote search for {n:,} anchors: {base_per * n:.0f} s "
        f"(vs {ours_total * 1000:.0f} ms)"
    )
    linear = map_per[n] / map_per[counts[0]]
    targets = [
        [
            f"diff + mapping {n:,} anchors",
            "< 100 ms" + ("" if not args.quick else " (set for 1 MB, 10k)"),
            f"{t_all * 1000:.0f} ms in one call ({ours_total * 1000:.0f} apart)",
            mark(max(t_all, ours_total) < 0.100),
        ],
        [
            "faster per anchor than per-quote search",
            ">= 1,000x",
            f"{ratio:,.0f}x (mapping alone {base_per / map_per[n]:,.0f}x)",
            mark(ratio >= 1000),
        ],
        [
            "linear in anchors",
            f"us/anchor at {counts[-1]:,} <= 1.5x at {counts[0]:,}",
            f"{linear:.2f}x",
            mark(linear <= 1.5),
        ],
        [
            "parse vs markdown-it-py",
            "<= 1.5x",
            f"{p_old / p_mdit:.2f}x",
            mark(p_old / p_mdit <= 1.5),
        ],
    ]
    print("\nTargets:")
    print(corpus.table(["target", "wanted", "measured", ""], targets))
    statuses = Counter(r.status.value for r in results)
    print(f"\nStatuses of the {n:,} anchors: {dict(sorted(statuses.items()))}")

    if args.profile:
        profile("leitlinien.diff", lambda: ll.diff(old, new))
        profile(
            f"reanchor of {n:,} anchors (using=d)", lambda: ll.reanchor(anchors, old, new, using=d)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
