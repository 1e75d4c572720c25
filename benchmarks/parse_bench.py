"""Parse time of `Document.from_markdown` against markdown-it-py's own parse of the same text.

    python benchmarks/parse_bench.py [--quick]

Inputs: generated guideline Markdown of 100 KB and 1 MB (`_corpus.generate_markdown`;
``--quick``: 100 KB only) and every real corpus file (``--quick``: those under 150 KB). For
each: best-of-n wall time of ``leitlinien.Document.from_markdown(text)`` and of
``MarkdownIt("commonmark").enable("table").parse(text)`` (instance built untimed; the two
run alternately, up to 9 times each), their
ratio (target <= 1.5x, issue 4), and where our time goes, measured step by step with the
module's private helpers (these names may change; the breakdown is for diagnosis only):
input checks, markdown-it tokens (our parser instance), tokens to tree, and `assemble`
(ids, sections, numbering, spans, labels). Informational: the exit status is always 0.
"""

from __future__ import annotations

import argparse
import sys

from markdown_it import MarkdownIt

import _corpus as corpus
import leitlinien as ll
from leitlinien import document as _document
from leitlinien import markdown as _markdown

TARGET = 1.5


def breakdown(text: str) -> tuple[float, float, float, float]:
    """Best times of the four steps of `leitlinien.markdown.parse`."""
    check, _ = corpus.timed(lambda: _markdown._check_input(text, 10_000_000), repeat=5, budget=5)
    env: dict[str, object] = {}
    tokens = _markdown._MD.parse(text, env)
    tok, _ = corpus.timed(lambda: _markdown._MD.parse(text, {}), repeat=5, budget=10)
    top = _markdown._tokens_to_tree(tokens)
    tree, _ = corpus.timed(lambda: _markdown._tokens_to_tree(tokens), repeat=5, budget=10)
    asm, _ = corpus.timed(lambda: _document.assemble(top, ()), repeat=5, budget=10)
    return check, tok, tree, asm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 KB and the small real files")
    args = parser.parse_args(argv)
    inputs = [("generated", corpus.generate_markdown(100_000))]
    if not args.quick:
        inputs.append(("generated", corpus.generate_markdown(1_000_000)))
    for name, v1, v2 in corpus.corpus_pairs():
        for label, text in (("v1", v1), ("v2", v2)):
            if not args.quick or len(text) < 150_000:
                inputs.append((f"{name}/{label}", text))

    md = MarkdownIt("commonmark").enable("table")
    print(f"python {sys.version.split()[0]}; times are best of up to 9 alternating runs, in ms\n")
    rows = []
    for name, text in inputs:
        doc = ll.Document.from_markdown(text)
        ours, theirs = corpus.timed_pair(
            lambda text=text: ll.Document.from_markdown(text),
            lambda text=text: md.parse(text),
            repeat=9,
            budget=20,
        )
        check, tok, tree, asm = breakdown(text)
        ratio = ours / theirs
        rows.append(
            [
                name,
                corpus.fmt_bytes(len(text.encode())),
                len(doc.blocks),
                corpus.fmt_ms(ours),
                corpus.fmt_ms(theirs),
                f"{ratio:.2f}x",
                "PASS" if ratio <= TARGET else "MISS",
                corpus.fmt_ms(check),
                corpus.fmt_ms(tok),
                corpus.fmt_ms(tree),
                corpus.fmt_ms(asm),
            ]
        )
    print(
        corpus.table(
            [
                "input",
                "size",
                "blocks",
                "ours",
                "markdown-it",
                "ratio",
                f"<= {TARGET}x",
                "checks",
                "tokens",
                "tree",
                "assemble",
            ],
            rows,
        )
    )
    print(
        "\nours = Document.from_markdown; markdown-it = MarkdownIt('commonmark')"
        ".enable('table').parse;\nchecks + tokens + tree + assemble ~ ours "
        "(tokens: our own MarkdownIt instance, maxNesting 65)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
