"""Diff plus position map of generated and real document pairs, against a plain diff_main.

    python benchmarks/diff_bench.py [--quick] [--profile]

For each size (10 KB, 100 KB, 1 MB, 5 MB; ``--quick``: 10 KB, 100 KB) and edit layout
(spread, clustered), with the default edit mix of `_corpus.make_pair`: wall seconds and peak
Python memory of ``leitlinien.diff(old, new)`` (which builds the position map; both documents
are parsed beforehand and not timed), and the same for the baseline
``dmp.diff_main(old.text, new.text)`` with diff-match-patch's defaults (``Diff_Timeout`` 1 s)
followed by ``dmp.diff_cleanupSemantic``. Then the real corpus pairs (``--quick``: those
under 150 KB). Targets (issue 3, one core): 1 MB pair < 60 ms, 5 MB pair < 300 ms, growth no
worse than linear. Informational: the exit status is always 0. ``--profile`` adds a cProfile
of ``diff`` on the largest pair.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import itertools
import math
import pstats
import sys
import time

from diff_match_patch import diff_match_patch

import _corpus as corpus
import leitlinien as ll

TARGETS = {1_000_000: 0.060, 5_000_000: 0.300}
LINEAR_EXPONENT = 1.2
"""Growth counts as linear when t ~ size**k with k <= this, between consecutive sizes >= 100 KB."""


def baseline(a: str, b: str) -> list[tuple[int, str]]:
    dmp = diff_match_patch()
    diffs = dmp.diff_main(a, b)
    dmp.diff_cleanupSemantic(diffs)
    return diffs


SPAN = 3.0
"""Seconds over which each measurement's runs are spread (see `_corpus.timed`)."""


def measure(old: ll.Document, new: ll.Document, *, big: bool) -> dict[str, object]:
    d = ll.diff(old, new)  # warm-up, and for the figures below
    ours, ours_med = corpus.timed(
        lambda: ll.diff(old, new), repeat=9 if big else 15, budget=20, span=SPAN
    )
    ours_peak = corpus.peak_memory(lambda: ll.diff(old, new))
    t0 = time.perf_counter()
    diffs = baseline(old.text, new.text)
    first = time.perf_counter() - t0
    if first < 2:
        base, _ = corpus.timed(lambda: baseline(old.text, new.text), repeat=3, budget=10)
        base = min(base, first)
    else:
        base = first
    base_peak = corpus.peak_memory(lambda: baseline(old.text, new.text)) if first < 15 else None
    covered = sum(p[1] - p[0] for p in d.position_map.pieces)
    base_kept = sum(len(t) for op, t in diffs if op == 0)
    return {
        "ours": ours,
        "ours_med": ours_med,
        "ours_peak": ours_peak,
        "base": base,
        "base_peak": base_peak,
        "ours_lost": len(old.text) - covered,
        "base_lost": len(old.text) - base_kept,
        "changes": len(d.changes),
    }


def verdict(size: int, seconds: float) -> str:
    target = TARGETS.get(size)
    if target is None:
        return "-"
    return f"< {target * 1000:.0f} ms {'PASS' if seconds < target else 'MISS'}"


def profile(old: ll.Document, new: ll.Document, label: str) -> None:
    prof = cProfile.Profile()
    prof.enable()
    ll.diff(old, new)
    prof.disable()
    print(f"\ncProfile of leitlinien.diff on {label} (cumulative, top 25):")
    stats = pstats.Stats(prof, stream=sys.stdout).sort_stats("cumulative")
    stats.print_stats(25)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 KB and 100 KB only")
    parser.add_argument("--profile", action="store_true", help="cProfile diff on the largest pair")
    args = parser.parse_args(argv)
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000, 5_000_000]

    print(f"leitlinien.diff vs diff_main + diff_cleanupSemantic; python {sys.version.split()[0]}")
    print(
        f"times: best of at least 15 runs (9 at >= 1 MB) spread over {SPAN:.0f} s; "
        "peak: tracemalloc, separate run"
    )
    print(corpus.cpu_check())
    print("lost = old characters the result does not map as kept (the diff's 'changed' text)\n")
    rows = []
    per_layout: dict[str, list[tuple[int, float]]] = {"spread": [], "clustered": []}
    largest: tuple[int, str] | None = None
    for size in sizes:
        for layout in ("spread", "clustered"):
            # One pair in memory at a time, as in a portal: the previous one is freed first
            # (a second 5 MB pair alive makes every allocation slower).
            pair = None
            gc.collect()
            pair = corpus.make_pair(size, seed=0, layout=layout)
            m = measure(pair.old, pair.new, big=size >= 1_000_000)
            per_layout[layout].append((size, m["ours"]))  # type: ignore[arg-type]
            rows.append(
                [
                    corpus.fmt_bytes(len(pair.old_md.encode())),
                    layout,
                    len(pair.old.blocks),
                    corpus.fmt_ms(m["ours"]),  # type: ignore[arg-type]
                    corpus.fmt_ms(m["ours_med"]),  # type: ignore[arg-type]
                    corpus.fmt_bytes(m["ours_peak"]),  # type: ignore[arg-type]
                    m["ours_lost"],
                    corpus.fmt_ms(m["base"]),  # type: ignore[arg-type]
                    corpus.fmt_bytes(m["base_peak"]),  # type: ignore[arg-type]
                    m["base_lost"],
                    f"{m['base'] / m['ours']:.2f}x",  # type: ignore[operator]
                    f"{m['ours'] / (size / 1000) * 1e6:.0f}",  # type: ignore[operator]
                    verdict(size, m["ours"]),  # type: ignore[arg-type]
                ]
            )
            print(f"  measured {corpus.fmt_bytes(size)} {layout}", file=sys.stderr)
            largest = (size, layout)
    print(
        corpus.table(
            [
                "size",
                "layout",
                "blocks",
                "ours ms",
                "median",
                "ours peak",
                "ours lost",
                "dmp ms",
                "dmp peak",
                "dmp lost",
                "dmp/ours",
                "us/KB",
                "target",
            ],
            rows,
        )
    )

    print(
        "\nGrowth (t ~ size^k between consecutive sizes; linear means k <= "
        f"{LINEAR_EXPONENT} from 100 KB on):"
    )
    growth = []
    for layout, points in per_layout.items():
        for (s0, t0), (s1, t1) in itertools.pairwise(points):
            k = math.log(t1 / t0) / math.log(s1 / s0)
            ok = "-" if s0 < 100_000 else ("PASS" if k <= LINEAR_EXPONENT else "MISS")
            growth.append(
                [layout, f"{corpus.fmt_bytes(s0)} -> {corpus.fmt_bytes(s1)}", f"{k:.2f}", ok]
            )
    print(corpus.table(["layout", "sizes", "k", "linear"], growth))

    real = corpus.corpus_pairs()
    if args.quick:
        real = [r for r in real if len(r[1]) < 150_000]
    if real:
        print(f"\nReal pairs ({corpus.CORPUS_DIR}):")
        rows = []
        for name, v1, v2 in real:
            old, new = ll.Document.from_markdown(v1), ll.Document.from_markdown(v2)
            m = measure(old, new, big=False)
            rows.append(
                [
                    name,
                    f"{corpus.fmt_bytes(len(v1.encode()))} -> {corpus.fmt_bytes(len(v2.encode()))}",
                    f"{len(old.blocks)}/{len(new.blocks)}",
                    corpus.fmt_ms(m["ours"]),  # type: ignore[arg-type]
                    corpus.fmt_bytes(m["ours_peak"]),  # type: ignore[arg-type]
                    m["ours_lost"],
                    corpus.fmt_ms(m["base"]),  # type: ignore[arg-type]
                    corpus.fmt_bytes(m["base_peak"]),  # type: ignore[arg-type]
                    m["base_lost"],
                    f"{m['base'] / m['ours']:.2f}x",  # type: ignore[operator]
                ]
            )
        print(
            corpus.table(
                [
                    "pair",
                    "size",
                    "blocks",
                    "ours ms",
                    "ours peak",
                    "ours lost",
                    "dmp ms",
                    "dmp peak",
                    "dmp lost",
                    "dmp/ours",
                ],
                rows,
            )
        )
    else:
        print(f"\n(no real corpus at {corpus.CORPUS_DIR}; set $LEITLINIEN_CORPUS)")

    if args.profile and largest is not None:
        pair = None
        gc.collect()
        pair = corpus.make_pair(largest[0], seed=0, layout=largest[1])
        profile(pair.old, pair.new, f"{corpus.fmt_bytes(largest[0])} {largest[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
