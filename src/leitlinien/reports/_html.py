"""A reusable, accessible, standalone HTML page skeleton for every report (private).

Everything here returns HTML *source* strings. Text goes in through `escape` (or the
helpers that call it); only strings built by these helpers are trusted as HTML. The page
has no external resources and no script: one inline stylesheet, built from `PALETTE`, with a
print stylesheet for A4. The colour pairs the stylesheet uses are listed in `TEXT_PAIRS` and
meet WCAG 2.1 AA contrast (4.5:1), which the accessibility tests recompute from the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

from leitlinien.reports._errors import ReportError

__all__ = [
    "BASE_CSS",
    "CUE_CLASS",
    "PALETTE",
    "TEXT_PAIRS",
    "attributes",
    "contrast_ratio",
    "cue",
    "deleted",
    "element",
    "escape",
    "inserted",
    "join",
    "page",
    "text_table",
]

PALETTE: Mapping[str, str] = {
    "text": "#1b1b1b",
    "background": "#ffffff",
    "muted": "#4d4d4d",
    "border": "#8c8c8c",
    "header_bg": "#eef1f4",
    "ins_text": "#0a5a24",
    "ins_bg": "#e3f4e8",
    "del_text": "#8f1d1d",
    "del_bg": "#fbeaea",
    "link": "#0b4a8f",
}
"""Every colour the stylesheet uses, by role. Hex only, so checks can parse them."""

TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("text", "background"),
    ("muted", "background"),
    ("text", "header_bg"),
    ("muted", "header_bg"),
    ("ins_text", "ins_bg"),
    ("del_text", "del_bg"),
    ("link", "background"),
)
"""(foreground, background) palette roles that meet as text and background on a page."""

CUE_CLASS = "ll-cue"
"""Class of the visually hidden text cues (read by screen readers, not shown, not printed)."""

_P = PALETTE
BASE_CSS = f"""
:root {{ color-scheme: light; }}
html {{ color: {_P["text"]}; background: {_P["background"]}; }}
body {{
  margin: 0 auto; padding: 1rem 1.25rem 2rem; max-width: 80rem;
  font-family: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 1rem; line-height: 1.5;
}}
h1 {{ font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0 1rem; }}
h2 {{ font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }}
p {{ margin: 0 0 0.5rem; }}
.{CUE_CLASS} {{
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0;
}}
ins {{
  color: {_P["ins_text"]}; background: {_P["ins_bg"]};
  text-decoration: underline; text-decoration-thickness: 0.12em; text-underline-offset: 0.15em;
}}
del {{
  color: {_P["del_text"]}; background: {_P["del_bg"]};
  text-decoration: line-through; text-decoration-thickness: 0.12em;
}}
ins > div, ins > p, ins > blockquote, del > div, del > p, del > blockquote {{
  text-decoration: inherit;
}}
.ll-muted {{ color: {_P["muted"]}; }}
a {{ color: {_P["link"]}; text-decoration: underline; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid {_P["border"]}; padding: 0.35rem 0.5rem; vertical-align: top; }}
thead th {{ background: {_P["header_bg"]}; color: {_P["text"]}; text-align: left; }}
caption {{ text-align: left; font-weight: bold; padding: 0.25rem 0; }}
@media print {{
  @page {{ size: A4; margin: 15mm 12mm 15mm 12mm; }}
  html {{ background: {_P["background"]}; }}
  body {{ max-width: none; padding: 0; font-size: 9.5pt; line-height: 1.35; }}
  h1 {{ font-size: 15pt; }}
  h2 {{ font-size: 12pt; break-after: avoid; }}
  thead {{ display: table-header-group; }}
  tr {{ break-inside: avoid; }}
  ins, del {{ background: none; }}
  ins {{ font-weight: bold; }}
}}
"""
"""The shared stylesheet: readable on screen, and on A4 without colour."""

_ATTRIBUTE_NAME = re.compile(r"[a-z][a-z0-9-]*")
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def escape(text: str) -> str:
    """Escape text for use in HTML content and in quoted attribute values."""
    return html.escape(text, quote=True)


def attributes(attrs: Mapping[str, str | None]) -> str:
    """Render attributes (``None`` leaves one out), escaped, each with a leading space.

    A trailing underscore in a name is dropped (``class_`` -> ``class``), so callers can
    pass Python keywords.
    """
    out = []
    for name, value in attrs.items():
        if value is None:
            continue
        real = name.rstrip("_").replace("_", "-")
        if _ATTRIBUTE_NAME.fullmatch(real) is None:
            raise ReportError(
                f"attribute names must be lower-case ASCII (got {name!r})",
                field="attributes",
                value=name,
            )
        out.append(f' {real}="{escape(value)}"')
    return "".join(out)


def element(tag: str, content: str = "", /, **attrs: str | None) -> str:
    """Return ``<tag attrs>content</tag>``; `content` must already be HTML (escaped)."""
    return f"<{tag}{attributes(attrs)}>{content}</{tag}>"


def cue(text: str) -> str:
    """Return a visually hidden text cue (for screen readers)."""
    return element("span", escape(text), class_=CUE_CLASS)


def inserted(content: str, cue_text: str) -> str:
    """Wrap HTML in ``<ins>`` with a visually hidden cue such as "eingefügt: "."""
    return f"<ins>{cue(cue_text)}{content}</ins>"


def deleted(content: str, cue_text: str) -> str:
    """Wrap HTML in ``<del>`` with a visually hidden cue such as "gestrichen: "."""
    return f"<del>{cue(cue_text)}{content}</del>"


def text_table(text: str, element_id: str, caption: str) -> str:
    """A table block as a ``<table>`` whose ``<tbody>`` has the id and ``textContent == text``.

    `text` has cells separated by a tab and rows by a newline (the first row is the header);
    both are whitespace the HTML parser keeps between table cells and rows.
    """
    rows = []
    for r, line in enumerate(text.split("\n")):
        tag, scope = ("th", "col") if r == 0 else ("td", None)
        rows.append(
            element("tr", "\t".join(element(tag, escape(c), scope=scope) for c in line.split("\t")))
        )
    body = element("tbody", "\n".join(rows), id=element_id)
    return element("table", element("caption", escape(caption)) + body, class_="ll-table")


def page(*, title: str, lang: str, body: str, css: str = "", generator: str = "leitlinien") -> str:
    """Return a standalone HTML5 page: doctype, charset, viewport, `lang`, title, inline CSS.

    `body` is trusted HTML placed inside ``<main>``; it should open with the page's one
    ``<h1>``. `css` is appended to `BASE_CSS`. `title` is text and is escaped.
    """
    if not isinstance(lang, str) or _LANG.fullmatch(lang) is None:
        raise ReportError(
            f"lang must be a language tag such as 'de' or 'en' (got {lang!r})",
            field="lang",
            value=lang,
        )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{escape(generator)}">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>{BASE_CSS}{css}</style>\n"
        "</head>\n"
        "<body>\n"
        f"<main>\n{body}\n</main>\n"
        "</body>\n"
        "</html>\n"
    )


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """Return the WCAG 2.1 contrast ratio of two hex colours (``#rgb`` or ``#rrggbb``)."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def join(parts: Iterable[str], separator: str = "\n") -> str:
    """Join HTML fragments."""
    return separator.join(parts)
