"""One version of a document as a standalone, accessible HTML page (private).

Every leaf block's element carries the block id as its ``id`` and its ``textContent`` equals
``block.text``, so W3C annotations exported with block-scoped selectors resolve on the page.
Headings are renumbered into one hierarchy (the title is the page's ``<h1>``); headings inside
lists or quotes are shown as bold paragraphs so the hierarchy stays whole.
"""

from __future__ import annotations

from leitlinien.document import (
    Block,
    BlockKind,
    Document,
    ListNode,
    Node,
    Quote,
    Section,
    ThematicBreak,
)
from leitlinien.markdown import inline_html
from leitlinien.reports._html import element, escape, page, text_table
from leitlinien.reports._lang import Lang, check_lang

__all__ = ["document_page"]

_CSS = """
.ll-doc p, .ll-doc li, .ll-doc h1, .ll-doc h2, .ll-doc h3, .ll-doc h4, .ll-doc h5,
.ll-doc h6 { white-space: pre-line; }
.ll-doc pre { white-space: pre-wrap; border: 1px solid; padding: 0.5rem; overflow-x: auto; }
.ll-doc blockquote { margin: 0.5rem 0 0.5rem 1rem; padding-left: 0.75rem; border-left: 3px solid; }
.ll-doc .ll-h { font-weight: bold; }
.ll-doc .ll-label { font-size: 0.85em; }
.ll-doc table { margin: 0.5rem 0 1rem; }
.ll-doc tbody { white-space: pre-wrap; }
"""

_WORDS = {
    "table": ("Tabelle {}", "Table {}"),
    "document": ("Dokument", "Document"),
}


def _w(key: str, lang: Lang) -> str:
    return _WORDS[key][0 if lang == "de" else 1]


class _Renderer:
    def __init__(self, doc: Document, lang: Lang) -> None:
        self.doc = doc
        self.lang = lang

    def inline(self, block: Block) -> str:
        if block.kind in (BlockKind.CODE, BlockKind.HTML, BlockKind.TABLE):
            return escape(block.text)
        return inline_html(block.source, self.doc.references)

    def leaf(self, block: Block, *, heading_level: int | None = None) -> str:
        kind = block.kind
        if kind is BlockKind.HEADING:
            if heading_level is not None:
                return element(f"h{heading_level}", self.inline(block), id=block.id)
            return element("p", self.inline(block), id=block.id, class_="ll-h")
        if kind is BlockKind.TABLE:
            caption = _w("table", self.lang).format(block.label)
            return text_table(block.text, block.id, caption)
        if kind is BlockKind.CODE:
            return element("pre", element("code", escape(block.text)), id=block.id)
        if kind is BlockKind.HTML:
            return element("pre", escape(block.text), id=block.id, class_="ll-raw")
        return element("p", self.inline(block), id=block.id)

    def nodes(self, nodes: tuple[Node, ...]) -> str:
        return "\n".join(self.node(n) for n in nodes)

    def node(self, node: Node) -> str:
        if isinstance(node, Block):
            return self.leaf(node)
        if isinstance(node, ThematicBreak):
            return "<hr>"
        if isinstance(node, Quote):
            return element("blockquote", self.nodes(node.children))
        if isinstance(node, ListNode):
            items = "\n".join(element("li", self.nodes(item.children)) for item in node.items)
            if not node.ordered:
                return element("ul", items)
            first = node.items[0].marker[:-1] if node.items else "1"
            start = first.lstrip("0") or "0"
            return element("ol", items, start=None if start == "1" else start)
        raise TypeError(node)  # pragma: no cover - Node is closed

    def section(self, section: Section, level: int) -> str:
        parts = []
        if section.heading is not None:
            parts.append(self.leaf(section.heading, heading_level=min(level, 6)))
        parts.append(self.nodes(section.content))
        child_level = level + 1 if section.heading is not None else level
        parts.extend(self.section(sub, child_level) for sub in section.subsections)
        body = "\n".join(p for p in parts if p)
        if section.heading is None:
            return body
        return element("section", body, aria_labelledby=section.heading.id)


def document_page(
    doc: Document, *, title: str | None = None, lang: str = "de", text_lang: str | None = None
) -> str:
    """Render one version of a document as a standalone, accessible HTML page.

    Each block's element has the block id and a ``textContent`` equal to its text. A document
    whose title heading stands over everything uses it as the page's ``<h1>``; otherwise
    `title` (or "Dokument") is the ``<h1>`` and the document's headings start at ``<h2>``.
    `text_lang` marks the document's language when it differs from the page's `lang`.
    """
    language = check_lang(lang)
    renderer = _Renderer(doc, language)
    root = doc.root
    single = len(root.subsections) == 1 and not root.content
    if single:
        body = renderer.section(root.subsections[0], 1)
        page_title = title or root.subsections[0].title
    else:
        page_title = title or doc.title or _w("document", language)
        body = element("h1", escape(page_title)) + "\n" + renderer.section(root, 2)
    article = element(
        "article", body, class_="ll-doc", lang=text_lang if text_lang != lang else None
    )
    return page(title=page_title, lang=language, body=article, css=_CSS)
