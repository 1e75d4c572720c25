"""The ``leitlinien`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from leitlinien import examples
from leitlinien.document import Document
from leitlinien.errors import LeitlinienError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leitlinien",
        description="Versioned, commented guideline documents.",
    )
    sub = parser.add_subparsers(dest="command")
    outline = sub.add_parser(
        "outline", help="print a document's outline (sections, block ids, kinds, first words)"
    )
    outline.add_argument(
        "file", nargs="?", help="a Markdown file (default: the bundled example, version 1)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command in (None, "outline"):
            path = getattr(args, "file", None)
            doc = Document.from_file(path) if path else examples.load("v1")
            sys.stdout.write(doc.outline())
            return 0
    except LeitlinienError as exc:
        print(f"leitlinien: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"leitlinien: error: {exc.strerror or exc}: {exc.filename}", file=sys.stderr)
        return 1
    parser.print_help(sys.stderr)  # pragma: no cover - argparse rejects unknown commands
    return 2
