"""An accessibility and validity checker for the library's HTML pages, and its tests.

`check_page(source)` parses a page with the standard library's `html.parser` and returns
every problem it finds (an empty list for a good page): well-formed nesting with explicit
end tags, a doctype, ``<html lang>``, ``<meta charset>`` and viewport, a ``<title>``, one
``<h1>`` and no skipped heading level, a ``<caption>`` and ``<th scope>`` in every table,
unique ids, a visually hidden text cue opening every ``<ins>``/``<del>``, phrasing content
where only phrasing is allowed, no script, no event handlers, no external resources, a print
stylesheet, and WCAG 2.1 AA contrast (4.5:1) for every colour pair the stylesheet sets.

`parse_html` and `text_content` are reused by `test_synopsis.py`.
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from attrs import Factory, define

import leitlinien as ll
from leitlinien.diffing import DocumentDiff, diff
from leitlinien.reports import synopsis
from leitlinien.reports._html import PALETTE, TEXT_PAIRS, page

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "wbr"}
)
PHRASING = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "i", "ins"}
    | {"del", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup"}
    | {"time", "u", "var", "wbr"}
)
PHRASING_ONLY = frozenset(
    {"p", "span", "a", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "small"}
)
TABLE_CHILDREN = {
    "table": {"caption", "colgroup", "thead", "tbody", "tfoot", "tr"},
    "thead": {"tr"},
    "tbody": {"tr"},
    "tfoot": {"tr"},
    "tr": {"th", "td"},
    "colgroup": {"col"},
}
CUE_CLASS = "ll-cue"
MIN_CONTRAST = 4.5


@define(eq=False)
class Node:
    """An element of the parsed page."""

    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = Factory(list)

    def walk(self) -> list[Node]:
        """Return this element and all its descendant elements, in document order."""
        out = [self]
        for child in self.children:
            if isinstance(child, Node):
                out.extend(child.walk())
        return out

    @property
    def classes(self) -> set[str]:
        """The element's classes."""
        return set(self.attrs.get("class", "").split())

    def element_children(self) -> list[Node]:
        """The children that are elements."""
        return [c for c in self.children if isinstance(c, Node)]


def text_content(node: Node, *, skip_class: str | None = None) -> str:
    """Return the DOM `textContent` of an element, optionally without elements of a class."""
    parts = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif skip_class is None or skip_class not in child.classes:
            parts.append(text_content(child, skip_class=skip_class))
    return "".join(parts)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.errors: list[str] = []
        self.doctype: str | None = None
        self.seen_element = False

    def handle_decl(self, decl: str) -> None:
        if self.seen_element or self.doctype is not None:
            self.errors.append(f"doctype {decl!r} is not the first thing in the page")
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        self.seen_element = True
        names = [name for name, _ in attrs_list]
        if len(names) != len(set(names)):
            self.errors.append(f"<{tag}> repeats an attribute: {names!r}")
        node = Node(tag, {n: v or "" for n, v in attrs_list}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.errors.append(f"<{tag}/> is not a void element and cannot self-close")
        self.handle_starttag(tag, attrs_list)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.errors.append(f"</{tag}> closes a void element")
            return
        if len(self.stack) == 1 or self.stack[-1].tag != tag:
            self.errors.append(f"</{tag}> does not close the open <{self.stack[-1].tag}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(source: str) -> tuple[Node, list[str]]:
    """Parse a page into a tree of `Node`; return it and the nesting errors found."""
    parser = _Parser()
    parser.feed(source)
    parser.close()
    errors = list(parser.errors)
    if len(parser.stack) > 1:
        errors.append(f"unclosed elements: {[n.tag for n in parser.stack[1:]]!r}")
    if parser.doctype is None or parser.doctype.lower() != "doctype html":
        errors.append(f"the page must open with <!DOCTYPE html> (got {parser.doctype!r})")
    return parser.root, errors


# -- CSS ------------------------------------------------------------------------------------


def css_rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """Return (selector, declarations) for every rule, with at-rule blocks flattened."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    rules = []
    for match in re.finditer(r"([^{}]+)\{([^{}]*)\}", css):
        selector = match.group(1).strip()
        selector = re.sub(r"^@media[^{]*$", "", selector).strip()
        declarations = {}
        for declaration in match.group(2).split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                declarations[name.strip().lower()] = value.replace("!important", "").strip()
        rules.append((selector.split("{")[-1].strip(), declarations))
    return rules


HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}\b")
NON_COLOUR = {"none", "transparent", "inherit", "currentcolor", "initial", "unset"}


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a hex colour (computed here, independently)."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = []
    for i in (0, 2, 4):
        c = int(digits[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two hex colours."""
    light, dark = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (light + 0.05) / (dark + 0.05)


def _colour(value: str | None) -> tuple[str | None, str | None]:
    """Return (hex colour or None, error) for a colour or background declaration."""
    if value is None:
        return None, None
    found = HEX.findall(value)
    if found:
        return found[0], None
    words = set(value.lower().split())
    if words & NON_COLOUR or not value:
        return None, None
    return None, f"colour {value!r} is not a hex colour the checker can verify"


def check_css(css: str) -> list[str]:
    """Check a stylesheet: no imports or URLs, hex colours only, text contrast >= 4.5:1."""
    errors = []
    if re.search(r"@import|url\(", css, flags=re.IGNORECASE):
        errors.append("the stylesheet loads an external resource")
    if "@media print" not in css:
        errors.append("the stylesheet has no print rules")
    rules = css_rules(css)
    text, background = "#000000", "#ffffff"
    for selector, declarations in rules:
        if selector in {"html", "body", ":root"}:
            fg, _ = _colour(declarations.get("color"))
            bg, _ = _colour(declarations.get("background") or declarations.get("background-color"))
            text, background = fg or text, bg or background
    for selector, declarations in rules:
        fg, fg_error = _colour(declarations.get("color"))
        bg, bg_error = _colour(
            declarations.get("background") or declarations.get("background-color")
        )
        errors.extend(f"{selector}: {e}" for e in (fg_error, bg_error) if e)
        if fg is None and bg is None:
            continue
        ratio = contrast(fg or text, bg or background)
        if ratio < MIN_CONTRAST:
            errors.append(
                f"{selector}: contrast {ratio:.2f}:1 of {fg or text} on {bg or background} "
                f"is below {MIN_CONTRAST}:1"
            )
    return errors


# -- the page checker -----------------------------------------------------------------------


def _check_head(root: Node) -> list[str]:
    errors = []
    htmls = [n for n in root.element_children() if n.tag == "html"]
    if len(htmls) != 1:
        return ["the page must have exactly one <html> root"]
    html = htmls[0]
    if not html.attrs.get("lang", "").strip():
        errors.append("<html> has no lang")
    metas = [n for n in html.walk() if n.tag == "meta"]
    if not any(m.attrs.get("charset", "").lower() == "utf-8" for m in metas):
        errors.append('no <meta charset="utf-8">')
    if not any(m.attrs.get("name") == "viewport" for m in metas):
        errors.append("no viewport <meta>")
    titles = [n for n in html.walk() if n.tag == "title"]
    if len(titles) != 1 or not text_content(titles[0]).strip():
        errors.append("the page needs one non-empty <title>")
    return errors


def _check_headings(nodes: list[Node]) -> list[str]:
    levels = [int(n.tag[1]) for n in nodes if re.fullmatch(r"h[1-6]", n.tag)]
    errors = []
    if levels.count(1) != 1:
        errors.append(f"the page needs exactly one <h1> (got {levels.count(1)})")
    if levels and levels[0] != 1:
        errors.append(f"the first heading must be <h1> (got <h{levels[0]}>)")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            errors.append(f"heading level skipped: <h{before}> followed by <h{after}>")
    errors.extend(
        f"<{n.tag}> is empty"
        for n in nodes
        if n.tag[:1] == "h" and n.tag[1:].isdigit()
        if not text_content(n).strip()
    )
    return errors


def _check_tables(nodes: list[Node]) -> list[str]:
    errors = []
    for table in (n for n in nodes if n.tag == "table"):
        children = table.element_children()
        if not children or children[0].tag != "caption" or not text_content(children[0]).strip():
            errors.append("a <table> must open with a non-empty <caption>")
        cells = [n for n in table.walk() if n.tag in {"th", "td"} and _owner(n) is table]
        headers = [c for c in cells if c.tag == "th"]
        if not headers:
            errors.append("a <table> has no <th> header cells")
        errors.extend(
            f"<th> without a valid scope: {text_content(h)[:30]!r}"
            for h in headers
            if h.attrs.get("scope") not in {"col", "row", "colgroup", "rowgroup"}
        )
    for node in nodes:
        allowed = TABLE_CHILDREN.get(node.tag)
        if allowed is None:
            continue
        errors.extend(
            f"<{c.tag}> is not allowed inside <{node.tag}>"
            for c in node.element_children()
            if c.tag not in allowed
        )
        errors.extend(
            f"text {c[:20]!r} is not allowed directly inside <{node.tag}>"
            for c in node.children
            if isinstance(c, str) and c.strip()
        )
    return errors


def _owner(cell: Node) -> Node | None:
    node = cell.parent
    while node is not None and node.tag != "table":
        node = node.parent
    return node


def _check_content(nodes: list[Node], css: str) -> list[str]:
    errors = []
    ids = [n.attrs["id"] for n in nodes if "id" in n.attrs]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        errors.append(f"ids are not unique: {duplicates!r}")
    errors.extend(f"id {i!r} is empty or holds whitespace" for i in ids if not i or " " in i)
    hidden = [d for s, d in css_rules(css) if s == f".{CUE_CLASS}"]
    if not hidden or hidden[0].get("position") != "absolute" or "clip" not in hidden[0]:
        errors.append(f"the cue class .{CUE_CLASS} is not visually hidden by the stylesheet")
    for node in nodes:
        if node.tag in {"script", "iframe", "object", "embed", "img", "link", "base", "form"}:
            errors.append(f"<{node.tag}> is not allowed")
        for name, value in node.attrs.items():
            if name.startswith("on"):
                errors.append(f"event handler attribute {name!r} on <{node.tag}>")
            if name in {"src", "srcset", "action", "formaction", "poster", "data", "style"}:
                errors.append(f"attribute {name!r} on <{node.tag}> is not allowed")
            if name == "href" and not value.startswith("#"):
                errors.append(f"link to {value!r} leaves the page")
        if node.tag in {"ins", "del"}:
            first = next((c for c in node.children if not (isinstance(c, str) and not c)), None)
            if (
                not isinstance(first, Node)
                or CUE_CLASS not in first.classes
                or not re.search(r"\w:\s?$", text_content(first))
            ):
                errors.append(f"<{node.tag}> does not open with a text cue such as 'eingefügt: '")
        if node.tag in PHRASING_ONLY:
            errors.extend(
                f"<{d.tag}> is not phrasing content but sits inside <{node.tag}>"
                for d in node.walk()[1:]
                if d.tag not in PHRASING
            )
    return errors


def check_page(source: str) -> list[str]:
    """Return every validity and accessibility problem of an HTML page ([] when none)."""
    root, errors = parse_html(source)
    nodes = root.walk()
    styles = [text_content(n) for n in nodes if n.tag == "style"]
    css = "\n".join(styles)
    errors += _check_head(root)
    errors += _check_headings(nodes)
    errors += _check_tables(nodes)
    errors += _check_content(nodes, css)
    errors += check_css(css)
    if "table-header-group" not in css:
        errors.append("table headers are not repeated on printed pages (thead)")
    if not re.search(r"@page\s*\{[^}]*A4", css):
        errors.append("the print stylesheet does not set up A4 pages")
    return errors


# -- tests ----------------------------------------------------------------------------------


def _example_diff() -> DocumentDiff:
    return diff(ll.examples.load("v1"), ll.examples.load("v2"))


GOOD = page(
    title="T",
    lang="de",
    body=(
        '<h1>T</h1><h2>A</h2><p>x <ins><span class="ll-cue">eingefügt: </span>y</ins></p>'
        '<table><caption>C</caption><thead><tr><th scope="col">H</th></tr></thead>'
        "<tbody><tr><td>1</td></tr></tbody></table>"
    ),
)


class TestChecker:
    """The checker itself: it accepts a good page and catches each kind of fault."""

    def test_good_page_passes(self) -> None:
        """A minimal page built on the shared skeleton has no problems."""
        assert check_page(GOOD) == []

    @pytest.mark.parametrize(
        ("old", "new", "expected"),
        [
            ('<html lang="de">', "<html>", "<html> has no lang"),
            ("<h2>A</h2>", "<h3>A</h3>", "heading level skipped: <h1> followed by <h3>"),
            ("<h2>A</h2>", "<h1>A</h1>", "the page needs exactly one <h1> (got 2)"),
            ("<caption>C</caption>", "", "a <table> must open with a non-empty <caption>"),
            ('<th scope="col">', "<th>", "<th> without a valid scope: 'H'"),
            ('<span class="ll-cue">eingefügt: </span>', "", "<ins> does not open with a text cue"),
            ("<td>1</td>", '<td id="x">1</td><td id="x">2</td>', "ids are not unique: ['x']"),
            ("<p>x ", '<p>x <script src="https://evil.example/a.js"></script>', "<script>"),
            ("<p>x ", '<p>x <a href="http://example.org">l</a>', "leaves the page"),
            ("<p>x ", "<p>x <div>d</div>", "<div> is not phrasing content"),
            ("</p>", "", "unclosed elements"),
            ("<!DOCTYPE html>\n", "", "must open with <!DOCTYPE html>"),
            ('<meta charset="utf-8">', "", 'no <meta charset="utf-8">'),
            ("#1b1b1b", "#bbbbbb", "contrast"),
            ("@media print", "@media screen", "no print rules"),
            ("display: table-header-group", "", "not repeated on printed pages"),
            ("<p>x ", '<p onclick="alert(1)">x ', "event handler"),
        ],
    )
    def test_catches_fault(self, old: str, new: str, expected: str) -> None:
        """Breaking one rule in a good page makes the checker report exactly that rule."""
        assert old in GOOD
        problems = check_page(GOOD.replace(old, new, 1))
        assert any(expected in p for p in problems), problems

    def test_contrast_is_computed_per_wcag(self) -> None:
        """Black on white is 21:1, and #777 on white just misses 4.5:1 (4.48:1)."""
        assert round(contrast("#000", "#fff"), 2) == 21.0
        assert round(contrast("#777777", "#ffffff"), 2) == 4.48


class TestPalette:
    """The colours of the shared stylesheet."""

    @pytest.mark.parametrize(("foreground", "background"), TEXT_PAIRS)
    def test_text_pairs_meet_aa(self, foreground: str, background: str) -> None:
        """Every text/background pair the stylesheet combines has at least 4.5:1 contrast."""
        assert contrast(PALETTE[foreground], PALETTE[background]) >= MIN_CONTRAST

    def test_page_uses_only_palette_colours(self) -> None:
        """Every colour in a rendered page's stylesheet comes from the palette."""
        root, _ = parse_html(synopsis(_example_diff()).to_html())
        css = "".join(text_content(n) for n in root.walk() if n.tag == "style")
        used = {c.lower() for c in HEX.findall(css)}
        assert used
        assert used <= {c.lower() for c in PALETTE.values()}


class TestSynopsisPages:
    """The Synopse pages pass the checker."""

    @pytest.mark.parametrize(
        "options",
        [
            {},
            {"lang": "en"},
            {"lang": "en", "text_lang": "de", "context": 1},
            {"context": 0},
            {"title": 'Synopse <Entwurf> & "Fassung" 2', "old_label": "Entwurf"},
        ],
    )
    def test_example_synopsis_is_valid_and_accessible(self, options: dict[str, Any]) -> None:
        """The example's Synopse has no validity or accessibility problem in any variant."""
        html = synopsis(_example_diff(), **options).to_html()
        assert check_page(html) == []

    def test_hostile_document_synopsis_passes(self) -> None:
        """A Synopse of documents full of markup and script text still passes the checker."""
        old = ll.Document.from_markdown(
            "# <h1>Titel</h1>\n\n## Teil\n\nText <script>alert(1)</script> eins.\n\n"
            '| a | b |\n|---|---|\n| <b>1</b> | " onmouseover="x |\n'
        )
        new = ll.Document.from_markdown(
            "# <h1>Titel</h1>\n\n## Teil <h2>\n\nText <script>alert(2)</script> zwei.\n\n"
            "| a | b |\n|---|---|\n| <b>1</b> | javascript:alert(1) |\n"
        )
        assert check_page(synopsis(diff(old, new)).to_html()) == []
