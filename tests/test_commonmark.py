"""Every example of the CommonMark specification parses and round-trips.

The examples come from tests/data/commonmark/spec.txt (CommonMark 0.31.2, CC-BY-SA 4.0; see
the README beside it). Only the Markdown input is used: the document model is not an HTML
renderer, so the expected HTML is not compared.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from leitlinien import Document

SPEC = Path(__file__).parent / "data" / "commonmark" / "spec.txt"
FENCE = "`" * 32


def read_examples(path: Path) -> list[tuple[int, int, str]]:
    """Return ``(number, line, markdown)`` for each example, with "→" turned into a tab."""
    examples: list[tuple[int, int, str]] = []
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith(FENCE + " example"):
            start = i + 1
            j = start
            while lines[j] != ".":
                j += 1
            markdown = "".join(line + "\n" for line in lines[start:j]).replace("→", "\t")
            while lines[j] != FENCE:
                j += 1
            examples.append((len(examples) + 1, start, markdown))
            i = j
        i += 1
    return examples


EXAMPLES = read_examples(SPEC)


def test_all_examples_found() -> None:
    """The spec file yields its 652 examples (a reader bug would silently test fewer)."""
    assert len(EXAMPLES) == 652


@pytest.mark.parametrize("markdown", [pytest.param(md, id=f"example-{n}") for n, _, md in EXAMPLES])
def test_example_parses_and_round_trips(markdown: str) -> None:
    """The example parses, and its canonical Markdown parses to an equal document."""
    doc = Document.from_markdown(markdown)
    canonical = doc.to_markdown()
    again = Document.from_markdown(canonical)
    assert doc == again
    assert doc.text == again.text
    assert [b.id for b in doc.blocks] == [b.id for b in again.blocks]
