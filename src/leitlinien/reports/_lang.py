"""German and English wording shared by the reports (private)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal

from leitlinien.document import BlockKind, Document, Section
from leitlinien.reports._errors import ReportError

__all__ = [
    "LANGUAGES",
    "Lang",
    "check_lang",
    "count_phrase",
    "enumerate_words",
    "labels_phrase",
    "section_place",
    "shorten",
]

Lang = Literal["de", "en"]
LANGUAGES: tuple[Lang, ...] = ("de", "en")
"""The languages reports are written in."""


def check_lang(lang: object) -> Lang:
    """Return `lang` if it is a supported language; `ReportError` otherwise."""
    if lang == "de":
        return "de"
    if lang == "en":
        return "en"
    raise ReportError(
        f"lang must be one of {list(LANGUAGES)!r} (got {lang!r})", field="lang", value=lang
    )


# Per block kind: German singular, plural, dative plural; English singular, plural.
_NOUNS: dict[BlockKind, tuple[str, str, str, str, str]] = {
    BlockKind.PARAGRAPH: ("Absatz", "Absätze", "Absätzen", "paragraph", "paragraphs"),
    BlockKind.HEADING: ("Überschrift", "Überschriften", "Überschriften", "heading", "headings"),
    BlockKind.LIST_ITEM: (
        "Listenpunkt",
        "Listenpunkte",
        "Listenpunkten",
        "list item",
        "list items",
    ),
    BlockKind.QUOTE: ("Zitat", "Zitate", "Zitaten", "quotation", "quotations"),
    BlockKind.TABLE: ("Tabelle", "Tabellen", "Tabellen", "table", "tables"),
    BlockKind.CODE: ("Codeblock", "Codeblöcke", "Codeblöcken", "code block", "code blocks"),
    BlockKind.HTML: ("HTML-Block", "HTML-Blöcke", "HTML-Blöcken", "HTML block", "HTML blocks"),
}


def noun(kind: BlockKind, n: int, lang: Lang, *, dative: bool = False) -> str:
    """Return the noun for `n` blocks of `kind` ("Absatz", "Absätze", "paragraphs", ...)."""
    de_sg, de_pl, de_dat, en_sg, en_pl = _NOUNS[kind]
    if lang == "en":
        return en_sg if n == 1 else en_pl
    if n == 1:
        return de_sg
    return de_dat if dative else de_pl


def enumerate_words(words: Sequence[str], lang: Lang) -> str:
    """Join words as prose: "a", "a und b", "a, b und c" ("a, b, and c" in English)."""
    if len(words) <= 1:
        return "".join(words)
    conj = " und " if lang == "de" else " and "
    if len(words) == 2:
        return words[0] + conj + words[1]
    last = ", and " if lang == "en" else conj
    return ", ".join(words[:-1]) + last + words[-1]


def count_phrase(kinds: Iterable[BlockKind], lang: Lang, *, dative: bool = False) -> str:
    """Return "2 Absätze und 1 Listenpunkt" for the kinds of some blocks (in first-seen order)."""
    counts = Counter(kinds)
    return enumerate_words(
        [f"{n} {noun(kind, n, lang, dative=dative)}" for kind, n in counts.items()], lang
    )


def labels_phrase(labels: Sequence[str], lang: Lang) -> str:
    """Return block labels as prose: "3 ¶7", "3 ¶7 und 3 ¶8", "2 bis 2.4 ¶3"."""
    if len(labels) <= 2:
        return enumerate_words(list(labels), lang)
    return f"{labels[0]} {'bis' if lang == 'de' else 'to'} {labels[-1]}"


def shorten(text: str, limit: int = 60) -> str:
    """Return `text` on one line, cut at a word boundary to about `limit` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut + " …"


def quoted(text: str, lang: Lang) -> str:
    """Return text in the language's quotation marks („…“ or “…”)."""
    return f"„{text}“" if lang == "de" else f"“{text}”"


def is_intro(doc: Document, section: Section) -> bool:
    """Tell whether a section is the document's root or its unnumbered title section."""
    return section.heading is None or (not section.number and section.level == 1)


def section_place(doc: Document, section: Section, lang: Lang, case: str) -> str:
    """Name a section with a preposition: `case` is "in", "from" or "to".

    Numbered sections are "Abschnitt 2.1" / "section 2.1"; what stands before the first
    numbered section is the introduction; an unnumbered section is named by its title.
    """
    if section.number:
        name = f"Abschnitt {section.number}" if lang == "de" else f"section {section.number}"
        prep = {"in": ("in", "in"), "from": ("aus", "from"), "to": ("nach", "to")}[case]
        return f"{prep[0] if lang == 'de' else prep[1]} {name}"
    if is_intro(doc, section):
        de = {"in": "in der Einleitung", "from": "aus der Einleitung", "to": "in die Einleitung"}
        en = {
            "in": "in the introduction",
            "from": "from the introduction",
            "to": "to the introduction",
        }
        return de[case] if lang == "de" else en[case]
    title = quoted(shorten(section.title, 40), lang)
    de_prep = {"in": "in Abschnitt", "from": "aus Abschnitt", "to": "nach Abschnitt"}
    en_prep = {"in": "in section", "from": "from section", "to": "to section"}
    return f"{(de_prep if lang == 'de' else en_prep)[case]} {title}"
