"""Random but realistic Markdown for guideline documents (private; see `leitlinien.testing`)."""

from __future__ import annotations

import random

from hypothesis import strategies as st

__all__ = ["PLAIN_WORDS", "markdown_texts"]

PLAIN_WORDS: tuple[str, ...] = (
    "Bürgerbeteiligung",
    "Leitlinien",
    "Stadt",
    "Verwaltung",
    "Rat",
    "Beteiligung",
    "Öffentlichkeit",
    "Straße",
    "Maßnahme",
    "Grundsätze",
    "Frühzeitigkeit",
    "Verbindlichkeit",
    "Inklusion",
    "Transparenz",
    "Einwohnerinnen",
    "Einwohner",
    "Stadtteil",
    "Vorhaben",
    "Entwurf",
    "Fassung",
    "Werkstatt",
    "Arbeitsgruppe",
    "Rückmeldung",
    "Übersicht",
    "Ergebnis",
    "Frist",
    "Woche",
    "Tage",
    "alle",
    "die",
    "der",
    "das",
    "und",
    "oder",
    "für",
    "über",
    "gemäß",
    "wird",
    "werden",
    "können",
    "müssen",
    "früh",
    "verständlich",
    "öffentlich",
    "schließlich",
    "außerdem",
    "ähnlich",
    "zügig",
    "Lindenau",
    "z. B.",
    "„Mitreden“",
    "‚kurz‘",
    "–",
    "—",
    "…",
    "🙂",
    "🏛️",
    "𝔘rkunde",
    "Café",
    "naïve",
    "Ångström",
    "2024",
    "3,5",
    "§ 4",
)
"""Words (and a few word-like tokens) the generators draw from: umlauts, ß, typographic
quotes and dashes, emoji and astral characters, numbers."""

_LINE_START = tuple(w for w in PLAIN_WORDS if w[0].isalpha() and w[0].isupper())
_TRAILING = ("", "", "", "", ",", ".", ";", ":", "!", "?")

_LINK_TARGETS = (
    "https://beteiligung.lindenau.de/leitlinien",
    "https://example.org/a_b?x=1&y=2",
    "/seite/2",
    "#grundsätze",
)


def _words(rnd: random.Random, low: int, high: int) -> str:
    """A run of words with no Markdown meaning, starting with a capitalised word."""
    words = [rnd.choice(_LINE_START)]
    for _ in range(rnd.randint(max(low - 1, 0), max(high - 1, 0))):
        words.append(rnd.choice(PLAIN_WORDS) + rnd.choice(_TRAILING))
    return " ".join(words)


_MARKUP = ("em", "em_", "strong", "code", "link", "image", "entity", "html", "autolink", "escape")


def _markup(rnd: random.Random) -> str:
    word = rnd.choice(_LINE_START)
    kind = rnd.choice(_MARKUP)
    if kind == "em":
        return f"*{word}*"
    if kind == "em_":
        return f"_{word}_"
    if kind == "strong":
        return f"**{word} {rnd.choice(PLAIN_WORDS)}**"
    if kind == "code":
        return rnd.choice(("`x = 1`", "`§ 4 <b>`", "``a ` b``"))
    if kind == "link":
        return f"[{word} *{rnd.choice(_LINE_START)}*](<{rnd.choice(_LINK_TARGETS)}>)"
    if kind == "image":
        return f'![{word} Bild](bild.png "Titel")'
    if kind == "entity":
        return rnd.choice(("&amp;", "&auml;", "&#228;", "&quot;x&quot;"))
    if kind == "html":
        return f"<span>{word}</span>"
    if kind == "autolink":
        return "<https://lindenau.de>"
    return r"\*kein Stern\*"


def _inline(rnd: random.Random, markup: bool, *, max_words: int = 8, lines: bool = True) -> str:
    """One inline run: words, with markup when asked, possibly over several lines.

    Content comes from a seeded `random.Random` (drawn once per block) rather than from one
    Hypothesis draw per word: that keeps generation fast, while the structure still shrinks.
    """
    parts = [_words(rnd, 1, max_words)]
    for _ in range(rnd.randint(0, 3)):
        if markup:
            parts.append(_markup(rnd))
        parts.append(_words(rnd, 1, 4))
    if not lines:
        return " ".join(parts)
    out = [parts[0]]
    for part in parts[1:]:
        joiner = " "
        if part[0].isalpha() and part[0].isupper():  # a safe start for a continuation line
            joiner = rnd.choice((" ", " ", "\n", "  \n" if markup else "\n"))
            if markup and joiner == " " and rnd.random() < 0.2:
                joiner = "\\\n"
        out.append(joiner + part)
    return "".join(out)


def _indent(lines: list[str], width: int) -> list[str]:
    return [" " * width + line if line else "" for line in lines]


def _list(draw: st.DrawFn, rnd: random.Random, markup: bool, depth: int) -> list[str]:
    ordered = draw(st.booleans())
    tight = draw(st.booleans())
    n = draw(st.integers(1, 4))
    if ordered:
        # A nested list interrupts its item's paragraph, which only an ordered list from 1 may.
        start = rnd.randint(1, 12) if depth == 1 else 1
        delim = rnd.choice((".", ")"))
        markers = [f"{start + i}{delim}" for i in range(n)]
    else:
        markers = [rnd.choice(("-", "*", "+"))] * n
    lines: list[str] = []
    for i, marker in enumerate(markers):
        if i and not tight:
            lines.append("")
        body = _inline(rnd, markup, max_words=6).split("\n")
        if not tight and draw(st.integers(0, 3)) == 0:
            body += ["", *_inline(rnd, markup, max_words=5).split("\n")]
        if depth < 3 and draw(st.integers(0, 3)) == 0:
            if not tight:
                body.append("")
            body += _list(draw, rnd, markup, depth + 1)
        lines.append(f"{marker} {body[0]}")
        lines.extend(_indent(body[1:], len(marker) + 1))
    return lines


def _quote(draw: st.DrawFn, rnd: random.Random, markup: bool, depth: int) -> list[str]:
    inner: list[str] = []
    for i in range(draw(st.integers(1, 3))):
        if i:
            inner.append("")
        kind = draw(st.sampled_from(("p", "p", "list", "quote", "heading")))
        if kind == "list":
            inner += _list(draw, rnd, markup, 1)
        elif kind == "quote" and depth < 2:
            inner += _quote(draw, rnd, markup, depth + 1)
        elif kind == "heading":
            inner.append("#" * rnd.randint(1, 4) + " " + _words(rnd, 1, 4))
        else:
            inner += _inline(rnd, markup, max_words=10).split("\n")
    return [f"> {line}" if line else ">" for line in inner]


def _table(draw: st.DrawFn, rnd: random.Random, markup: bool) -> list[str]:
    cols = draw(st.integers(1, 3))

    def row() -> str:
        cells = [_inline(rnd, markup, max_words=3, lines=False) for _ in range(cols)]
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    delims = [rnd.choice(("---", ":--", "--:", ":-:")) for _ in range(cols)]
    lines = [row(), "| " + " | ".join(delims) + " |"]
    lines += [row() for _ in range(draw(st.integers(0, 3)))]
    return lines


_CODE_LINES = (
    "frist = datum + timedelta(days=21)",
    'print("Straße & Gemüse")',
    "",
    "    eingerückt",
    "# kein Titel",
    "- keine Liste",
    '{ "ok": true }',
)


def _code(draw: st.DrawFn, rnd: random.Random) -> list[str]:
    fence = rnd.choice(("```", "~~~"))
    info = rnd.choice(("", "python", "json", "text"))
    body = [rnd.choice(_CODE_LINES) for _ in range(draw(st.integers(0, 4)))]
    return [fence + info, *body, fence]


_KINDS = (
    "heading",
    "heading",
    "paragraph",
    "paragraph",
    "paragraph",
    "paragraph",
    "list",
    "list",
    "quote",
    "table",
    "code",
)


def _chunk(draw: st.DrawFn, markup: bool, pin: str) -> str:
    kind = draw(st.sampled_from(_KINDS))
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))  # noqa: S311 (test data, not secrets)
    prefix = ""
    if kind in ("heading", "paragraph") and rnd.random() < 0.12:
        prefix = f"<!-- id: {pin} -->\n"
    if kind == "heading":
        level = draw(st.integers(1, 4))
        return prefix + "#" * level + " " + _inline(rnd, markup, max_words=5, lines=False)
    if kind == "paragraph":
        return prefix + _inline(rnd, markup, max_words=12)
    if kind == "list":
        return "\n".join(_list(draw, rnd, markup, 1))
    if kind == "quote":
        return "\n".join(_quote(draw, rnd, markup, 1))
    if kind == "table":
        return "\n".join(_table(draw, rnd, markup))
    return "\n".join(_code(draw, rnd))


def markdown_texts(
    *, min_blocks: int = 0, max_blocks: int = 30, markup: bool = True
) -> st.SearchStrategy[str]:
    """Generate Markdown source of a realistic guideline document.

    Between `min_blocks` and `max_blocks` top-level constructs (heading of level 1 to 4,
    paragraph, bullet or ordered list, block quote, pipe table, fenced code), separated by
    blank lines, some preceded by a thematic break that is not counted. Lists nest up to
    three levels and are tight or loose; quotes hold paragraphs, lists, headings and quotes.
    Words are German with umlauts, ß, typographic quotes, emoji and astral characters. With
    `markup` the inline text also holds emphasis, strong, code spans, links, images,
    entities, raw inline HTML, backslash escapes and hard breaks; without it, plain words.
    Some headings and paragraphs carry a pinned id (``<!-- id: pin-3 -->``), unique per text.

    Guaranteed: `Document.from_markdown` accepts every text, and the document has at least
    `min_blocks` leaf blocks (each construct yields at least one).
    """
    if not 0 <= min_blocks <= max_blocks:
        from hypothesis.errors import InvalidArgument  # noqa: PLC0415

        raise InvalidArgument(
            f"need 0 <= min_blocks <= max_blocks (got min_blocks={min_blocks!r}, "
            f"max_blocks={max_blocks!r})"
        )

    @st.composite
    def build(draw: st.DrawFn) -> str:
        n = draw(st.integers(min_blocks, max_blocks))
        chunks: list[str] = []
        for i in range(n):
            if i and draw(st.integers(0, 12)) == 0:
                chunks.append(draw(st.sampled_from(("***", "---", "___"))))
            chunks.append(_chunk(draw, markup, f"pin-{i}"))
        return "\n\n".join(chunks) + ("\n" if chunks else "")

    return build()
