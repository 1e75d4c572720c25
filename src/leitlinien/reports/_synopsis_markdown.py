"""The Synopse as Markdown (private; see `Synopsis.to_markdown`).

One GFM pipe table. Deleted text is written ``[-…-]`` (brackets backslash-escaped, so no
renderer takes them for a link) and inserted text ``{+…+}``, as `wdiff` and
``git diff --word-diff=plain`` do: it reads the same in plain text, in every renderer, and
without colour. Document text is backslash-escaped so that it can neither open Markdown
syntax nor raw HTML; the only HTML written is ``<br>`` for line and block breaks in a cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leitlinien.document import BlockKind
from leitlinien.reports._synopsis import RowKind, Shown, SynopsisRow

if TYPE_CHECKING:
    from leitlinien.reports._lang import Lang
    from leitlinien.reports._synopsis import Synopsis

__all__ = ["DELETED", "INSERTED", "escape_markdown", "render_markdown"]

DELETED = ("\\[-", "-\\]")
"""How deleted text is marked: ``\\[-`` before, ``-\\]`` after (shown as ``[-…-]``)."""
INSERTED = ("{+", "+}")
"""How inserted text is marked: ``{+`` before, ``+}`` after."""

# Everything that can start Markdown syntax, raw HTML, an entity, or end a table cell.
_SPECIAL = frozenset("\\`*_[]<>|~&{}!#$")

_TEXT: dict[str, tuple[str, str]] = {
    "legend": (
        "Links {old}, rechts {new}. Gestrichener Text steht in [-…-], eingefügter in {{+…+}}; "
        "die Spalte „Änderung“ nennt verschobene, geteilte und zusammengeführte Textblöcke.",
        "{old} on the left, {new} on the right. Deleted text is shown as [-…-], inserted text "
        "as {{+…+}}; the column “Change” names moved, split and merged blocks.",
    ),
    "col_label": ("Gliederung", "Section"),
    "col_note": ("Änderung", "Change"),
    "omitted_1": ("{} unveränderter Textblock ausgelassen", "{} unchanged block not shown"),
    "omitted_n": ("{} unveränderte Textblöcke ausgelassen", "{} unchanged blocks not shown"),
}


def _t(key: str, lang: Lang) -> str:
    de, en = _TEXT[key]
    return de if lang == "de" else en


def escape_markdown(text: str) -> str:
    """Escape text for a Markdown table cell: special characters backslashed, line breaks.

    A newline becomes ``<br>``, a tab (between table cells in a table block's text) an
    escaped pipe surrounded by spaces.
    """
    out = []
    for ch in text:
        if ch in _SPECIAL:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("<br>")
        elif ch == "\t":
            out.append(" \\| ")
        elif ch == "\r":
            continue
        else:
            out.append(ch)
    return "".join(out)


def _block(shown: Shown, side: str, mark: str) -> str:
    before, after = DELETED if side == "old" else INSERTED
    if shown.pieces is None:
        text = escape_markdown(shown.block.text)
        if mark:
            text = f"{before}{text}{after}"
    else:
        text = "".join(
            f"{before}{escape_markdown(t)}{after}" if marked else escape_markdown(t)
            for marked, t in shown.pieces
        )
    block = shown.block
    if block.kind is BlockKind.HEADING and text.strip():
        return f"**{text.strip()}**"
    if block.kind is BlockKind.LIST_ITEM and block.marker:
        marker = "•" if block.marker in {"-", "*", "+"} else escape_markdown(block.marker)
        return f"{marker} {text}"
    return text


def _cell(syn: Synopsis, row: SynopsisRow, side: str) -> str:
    shown, mark = syn.cell(row, side)
    return "<br><br>".join(_block(s, side, mark) for s in shown)


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(c.strip() for c in cells) + " |"


def render_markdown(syn: Synopsis) -> str:
    """Return the Synopse as Markdown."""
    lang = syn.lang
    title = " ".join(syn.title.split())
    lines = [
        f"# {escape_markdown(title)}",
        "",
        escape_markdown(syn.summary),
        "",
        escape_markdown(_t("legend", lang).format(old=syn.old_label, new=syn.new_label)),
        "",
        _line(
            [
                _t("col_label", lang),
                escape_markdown(syn.old_label),
                escape_markdown(syn.new_label),
                _t("col_note", lang),
            ]
        ),
        "| --- | --- | --- | --- |",
    ]
    for row in syn.rows:
        if row.kind is RowKind.OMITTED:
            key = "omitted_1" if row.omitted == 1 else "omitted_n"
            lines.append(_line(["", f"… {_t(key, lang).format(row.omitted)} …", "", ""]))
            continue
        lines.append(
            _line(
                [
                    escape_markdown(row.label),
                    _cell(syn, row, "old"),
                    _cell(syn, row, "new"),
                    escape_markdown(row.note),
                ]
            )
        )
    return "\n".join(lines) + "\n"
