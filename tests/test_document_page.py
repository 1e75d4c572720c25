"""`reports.document_page`: one version as an accessible page whose block elements carry the
block ids and the blocks' exact text, so block-scoped annotation selectors resolve on it."""

from __future__ import annotations

import pytest
from hypothesis import given

import leitlinien as ll
from leitlinien.reports import document_page
from leitlinien.testing import documents
from test_html_accessibility import Node, check_page, parse_html, text_content


def by_id(root: Node) -> dict[str, Node]:
    found: dict[str, Node] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        element_id = node.attrs.get("id")
        if element_id:
            found[element_id] = node
        stack.extend(c for c in node.children if isinstance(c, Node))
    return found


def problems(html: str) -> list[str]:
    # Links in the document's own text may lead elsewhere; the rest of the checks apply.
    return [p for p in check_page(html) if "leaves the page" not in p]


class TestExample:
    @pytest.mark.parametrize("version", ["v1", "v2"])
    def test_every_block_resolves_by_id_with_its_text(self, version: str) -> None:
        """Each block's element has the block id and textContent equal to block.text."""
        doc = ll.examples.load(version)
        html = document_page(doc)
        elements = by_id(parse_html(html)[0])
        for block in doc.blocks:
            assert text_content(elements[block.id]) == block.text, block.id

    def test_page_passes_the_accessibility_checks(self) -> None:
        """Valid structure, lang, one heading hierarchy, captioned tables, contrast."""
        html = document_page(ll.examples.load("v1"))
        assert problems(html) == []
        assert '<html lang="de">' in html
        assert html.count("<h1") == 1


class TestEscaping:
    def test_raw_html_and_scripts_are_shown_as_text(self) -> None:
        """Raw HTML in the document is literal text; nothing executes or injects attributes."""
        doc = ll.Document.from_markdown(
            '# Titel\n\nA <script>alert(1)</script> "x" onmouseover="y"\n\n'
            '<div onclick="z">roh</div>\n\n[klick](javascript:alert(2))\n'
        )
        html = document_page(doc)
        assert "<script>" not in html
        assert "<div onclick" not in html
        assert 'href="javascript:' not in html
        elements = by_id(parse_html(html)[0])
        for block in doc.blocks:
            assert text_content(elements[block.id]) == block.text


@pytest.mark.property
@given(documents(min_blocks=1))
def test_generated_documents_resolve_and_pass_checks(doc: ll.Document) -> None:
    """For any document: every block id resolves to an element holding exactly its text, and
    the page passes the structural checks."""
    html = document_page(doc, title="Leitlinien")
    root, errors = parse_html(html)
    assert errors == []
    elements = by_id(root)
    for block in doc.blocks:
        assert text_content(elements[block.id]) == block.text
    assert problems(html) == []
