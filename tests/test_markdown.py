"""Markdown in, document tree and reading text out: the fixture files in tests/fixtures/."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixture_file import dump, read_fixture_file
from leitlinien import Document, DocumentError

FIXTURES = Path(__file__).parent / "fixtures"

CASES = [
    (f"{path.stem}:{line}:{title}", markdown, expected)
    for path in sorted(FIXTURES.glob("*.md"))
    for line, title, markdown, expected in read_fixture_file(path)
]
PARSED = [pytest.param(m, e, id=i) for i, m, e in CASES if not e.startswith("error |")]
REFUSED = [pytest.param(m, e, id=i) for i, m, e in CASES if e.startswith("error |")]


class TestFixtures:
    @pytest.mark.parametrize(("markdown", "expected"), PARSED)
    def test_tree_and_reading_text(self, markdown: str, expected: str) -> None:
        """The parsed tree, labels and reading text are those the fixture states."""
        assert expected == dump(Document.from_markdown(markdown))

    @pytest.mark.parametrize(("markdown", "expected"), PARSED)
    def test_canonical_markdown_round_trips(self, markdown: str, expected: str) -> None:
        """Canonical Markdown parses to the same document, with the same dump."""
        doc = Document.from_markdown(markdown)
        again = Document.from_markdown(doc.to_markdown())
        assert doc == again
        assert expected == dump(again)

    @pytest.mark.parametrize(("markdown", "expected"), REFUSED)
    def test_refused_with_message(self, markdown: str, expected: str) -> None:
        """Bad input gets a DocumentError whose message the fixture states."""
        with pytest.raises(DocumentError) as info:
            Document.from_markdown(markdown)
        assert expected == f"error | {info.value}"


class TestFixtureFiles:
    def test_every_file_has_cases(self) -> None:
        """Each fixture file holds cases, and the cases cover parsed and refused input."""
        files = sorted(FIXTURES.glob("*.md"))
        assert {"blocks", "ids", "inline", "sections"} <= {p.stem for p in files}
        assert all(read_fixture_file(p) for p in files)
        assert PARSED
        assert REFUSED
