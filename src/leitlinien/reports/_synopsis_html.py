"""The Synopse as a standalone HTML page (private; see `Synopsis.to_html`).

Every block shown gets an element whose `id` is the block id (old side: prefixed, "alt-")
and, where the block is shown whole, whose `textContent` is exactly `block.text`. Inside a
diff-marked block the ``<ins>``/``<del>`` carry a visually hidden cue; removing the cue
elements (class `CUE_CLASS`) leaves exactly `block.text` again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leitlinien.document import Block, BlockKind
from leitlinien.reports._html import (
    PALETTE,
    cue,
    deleted,
    element,
    escape,
    inserted,
    join,
    page,
    text_table,
)
from leitlinien.reports._lang import Lang
from leitlinien.reports._synopsis import RowKind, Shown, SynopsisRow

if TYPE_CHECKING:
    from leitlinien.reports._synopsis import Synopsis

__all__ = ["SYNOPSIS_CSS", "render_html"]

SYNOPSIS_CSS = f"""
.ll-synopsis {{ width: 100%; table-layout: fixed; }}
.ll-synopsis .ll-c-label {{ width: 9%; }}
.ll-synopsis .ll-c-text {{ width: 38%; }}
.ll-synopsis .ll-c-note {{ width: 15%; }}
.ll-synopsis td, .ll-synopsis th {{ overflow-wrap: anywhere; hyphens: auto; }}
.ll-synopsis tbody th {{ font-weight: normal; white-space: normal; }}
.ll-synopsis td > :last-child, .ll-synopsis ins.ll-block > :last-child,
.ll-synopsis del.ll-block > :last-child {{ margin-bottom: 0; }}
.ll-change {{ font-size: 0.9em; }}
.ll-h {{ font-weight: bold; }}
.ll-li::before {{ content: attr(data-marker) "\\00a0"; }}
.ll-pre {{
  white-space: pre-wrap; font-family: ui-monospace, "Cascadia Mono", Consolas, monospace;
  font-size: 0.9em; margin: 0 0 0.5rem;
}}
.ll-synopsis blockquote {{
  margin: 0 0 0.5rem; padding-left: 0.6rem; border-left: 3px solid {PALETTE["border"]};
}}
ins.ll-block, del.ll-block {{ display: block; padding: 0.1rem 0.25rem; }}
.ll-table {{ width: 100%; font-size: 0.9em; margin: 0 0 0.5rem; }}
.ll-table caption {{ font-weight: normal; font-style: italic; }}
.ll-table th, .ll-table td {{ padding: 0.15rem 0.3rem; }}
.ll-gap td {{ text-align: center; font-style: italic; color: {PALETTE["muted"]}; }}
.ll-row-heading td, .ll-row-heading th {{ border-top-width: 2px; }}
@media print {{
  .ll-synopsis {{ font-size: 9pt; }}
  .ll-synopsis .ll-c-label {{ width: 10%; }}
  .ll-synopsis .ll-c-note {{ width: 14%; }}
  a {{ text-decoration: none; }}
}}
"""
"""The Synopse's own stylesheet, added to the shared one."""

_TEXT: dict[str, tuple[str, str]] = {
    "summary": ("Zusammenfassung", "Summary"),
    "comparison": ("Gegenüberstellung", "Comparison"),
    "col_label": ("Gliederung", "Section"),
    "col_note": ("Änderung", "Change"),
    "caption": (
        "{old} (links) und {new} (rechts), Textblock für Textblock",
        "{old} (left) and {new} (right), block by block",
    ),
    "legend_1": (
        "Links steht {old}, rechts {new}; jede Zeile stellt einen Textblock seiner neuen "
        "Fassung gegenüber. Gestrichener Text ist ",
        "{old} is on the left, {new} on the right; each row sets a block against its new "
        "version. Deleted text is ",
    ),
    "legend_del": ("durchgestrichen", "struck through"),
    "legend_2": (", eingefügter Text ist ", ", inserted text is "),
    "legend_ins": ("unterstrichen", "underlined"),
    "legend_3": (
        ". Verschobene, geteilte und zusammengeführte Textblöcke nennt die Spalte „Änderung“.",
        ". The column “Change” names moved, split and merged blocks.",
    ),
    "cue_ins": ("eingefügt: ", "inserted: "),
    "cue_del": ("gestrichen: ", "deleted: "),
    "table": ("Tabelle {}", "Table {}"),
    "omitted_1": ("{} unveränderter Textblock ausgelassen", "{} unchanged block not shown"),
    "omitted_n": ("{} unveränderte Textblöcke ausgelassen", "{} unchanged blocks not shown"),
}


def _t(key: str, lang: Lang) -> str:
    de, en = _TEXT[key]
    return de if lang == "de" else en


def _marker(block: Block) -> str:
    return "•" if block.marker in {"-", "*", "+"} else block.marker


def _block(shown: Shown, side: str, lang: Lang) -> str:
    block = shown.block
    if shown.pieces is None:
        if block.kind is BlockKind.TABLE:
            return text_table(block.text, shown.element_id, _t("table", lang).format(block.label))
        content = escape(block.text)
    else:
        mark, cue_text = (inserted, _t("cue_ins", lang))
        if side == "old":
            mark, cue_text = (deleted, _t("cue_del", lang))
        content = "".join(
            mark(escape(text), cue_text) if marked else escape(text)
            for marked, text in shown.pieces
        )
    if block.kind is BlockKind.HEADING:
        return element("p", content, id=shown.element_id, class_="ll-h")
    if block.kind is BlockKind.LIST_ITEM and block.marker:
        return element(
            "p", content, id=shown.element_id, class_="ll-li", data_marker=_marker(block)
        )
    if block.kind is BlockKind.QUOTE:
        return element("blockquote", content, id=shown.element_id)
    if block.kind in (BlockKind.CODE, BlockKind.HTML, BlockKind.TABLE):
        return element("div", content, id=shown.element_id, class_="ll-pre")
    return element("p", content, id=shown.element_id)


def _cell(syn: Synopsis, row: SynopsisRow, side: str) -> str:
    shown, mark = syn.cell(row, side)
    inner = "".join(_block(s, side, syn.lang) for s in shown)
    if mark == "ins":
        inner = element("ins", cue(_t("cue_ins", syn.lang)) + inner, class_="ll-block")
    elif mark == "del":
        inner = element("del", cue(_t("cue_del", syn.lang)) + inner, class_="ll-block")
    lang = syn.text_lang if shown else None
    return element("td", inner, class_=f"ll-{side}", lang=lang)


def _row(syn: Synopsis, row: SynopsisRow) -> str:
    if row.kind is RowKind.OMITTED:
        key = "omitted_1" if row.omitted == 1 else "omitted_n"
        text = f"… {_t(key, syn.lang).format(row.omitted)} …"
        return element("tr", element("td", escape(text), colspan="4"), class_="ll-gap")
    change = row.change
    note = escape(row.note)
    kind = "moved_away"
    if row.kind is RowKind.MOVED_AWAY and change is not None:
        note = element("a", note, href=f"#{change.new_ids[0]}")
    elif change is not None:
        kind = change.kind.value
    classes = [f"ll-row ll-{kind}"]
    if change is not None and row.kind is RowKind.CHANGE:
        doc, ids = (
            (syn.diff.new, change.new_ids) if change.new_ids else (syn.diff.old, change.old_ids)
        )
        if doc.block(ids[0]).kind is BlockKind.HEADING:
            classes.append("ll-row-heading")
    return element(
        "tr",
        element("th", escape(row.label), scope="row")
        + _cell(syn, row, "old")
        + _cell(syn, row, "new")
        + element("td", note, class_="ll-change"),
        class_=" ".join(classes),
    )


def render_html(syn: Synopsis) -> str:
    """Return the Synopse as a standalone HTML page."""
    lang = syn.lang
    old, new = escape(syn.old_label), escape(syn.new_label)
    legend = element(
        "p",
        escape(_t("legend_1", lang).format(old=syn.old_label, new=syn.new_label))
        + deleted(escape(_t("legend_del", lang)), _t("cue_del", lang))
        + escape(_t("legend_2", lang))
        + inserted(escape(_t("legend_ins", lang)), _t("cue_ins", lang))
        + escape(_t("legend_3", lang)),
    )
    head = element(
        "tr",
        element("th", escape(_t("col_label", lang)), scope="col")
        + element("th", old, scope="col")
        + element("th", new, scope="col")
        + element("th", escape(_t("col_note", lang)), scope="col"),
    )
    colgroup = element(
        "colgroup",
        '<col class="ll-c-label"><col class="ll-c-text"><col class="ll-c-text">'
        '<col class="ll-c-note">',
    )
    caption = _t("caption", lang).format(old=syn.old_label, new=syn.new_label)
    table = join(
        [
            '<table class="ll-synopsis">',
            element("caption", escape(caption)),
            colgroup,
            element("thead", head),
            "<tbody>",
            *(_row(syn, row) for row in syn.rows),
            "</tbody>",
            "</table>",
        ]
    )
    body = join(
        [
            element("h1", escape(syn.title)),
            element("h2", escape(_t("summary", lang))),
            element("p", escape(syn.summary)),
            element("h2", escape(_t("comparison", lang))),
            legend,
            table,
        ]
    )
    return page(title=syn.title, lang=lang, body=body, css=SYNOPSIS_CSS)
