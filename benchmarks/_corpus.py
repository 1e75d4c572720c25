"""Deterministic generator of guideline-like document pairs with ground truth (benchmarks only).

`make_pair(size, seed=..., layout=...)` writes German-like guideline Markdown of about `size`
bytes (sections with ``##``/``###`` headings, paragraphs of 2-6 sentences, bullet lists, the
occasional table, a little inline markup) and a second version with an edit mix (default: 2%
of blocks edited inside, 1% moved to another section, 1% inserted, 1% deleted, 0.3% split,
0.3% merged with their neighbour). Layout ``"spread"`` picks the changed blocks uniformly;
``"clustered"`` walks runs of consecutive blocks and changes each of them.

Ground truth is our own bookkeeping, never the library's diff: every generated block knows
which v1 block and word each of its words came from. The library is used only to parse both
texts (`Document.from_markdown`), and the generator checks that the parsed blocks are exactly
the blocks it wrote, in order, with the reading texts it expects.

Passage categories (`Passage.category`), for a word-aligned range of one v1 block:

- ``untouched``: its block is in v2 unchanged (kept in place, or moved as a whole).
  `expected` holds its exact (start, end) in v2's reading text.
- ``intact``: its block was edited, split or merged, but none of the passage's words was touched
  and no word was inserted between them: its text stands in v2 verbatim (`expected` set).
- ``edited``: the passage overlaps an edit (a word replaced or deleted, words inserted between
  two of its words, a split between two of its words) and some text is left (or replaced).
- ``deleted``: its block was deleted, or every one of its words was deleted (not replaced).

`Passage.dest_blocks` lists the v2 block indices that hold any surviving word of the passage;
if none survives, the v2 block(s) that its v1 block became (empty when the block was deleted).

Also here: the timing helpers every benchmark uses (best-of-n wall time, tracemalloc peaks,
plain-text tables) and the location of the real corpus.
"""

from __future__ import annotations

import gc
import itertools
import os
import random
import statistics
import time
import tracemalloc
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leitlinien import Document

__all__ = [
    "CORPUS_DIR",
    "Pair",
    "Passage",
    "corpus_pairs",
    "fmt_bytes",
    "fmt_ms",
    "generate_markdown",
    "make_pair",
    "peak_memory",
    "table",
    "timed",
    "timed_pair",
    "timed_rounds",
]

CORPUS_DIR = Path(
    os.environ.get("LEITLINIEN_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus")
)
"""The real version pairs (``*/v1.md``, ``*/v2.md``); override with $LEITLINIEN_CORPUS."""

# -- vocabulary ------------------------------------------------------------------------------


def _wordlist(text: str) -> list[str]:
    return text.split()


_NOUNS = _wordlist("""
Bürgerbeteiligung Beteiligung Öffentlichkeit Verwaltung Stadtverwaltung Gemeinderat Stadtrat
Ausschuss Arbeitsgruppe Einwohnerinnen Einwohner Bürgerinnen Bürger Jugendliche Senioren
Verfahren Vorhaben Planung Bauleitplanung Maßnahme Maßnahmen Entscheidung Beschluss Vorlage
Leitlinien Grundsätze Transparenz Information Informationen Rückmeldung Stellungnahme
Stellungnahmen Anregungen Hinweise Vorschläge Ergebnisse Dokumentation Auswertung Bericht
Veranstaltung Werkstatt Workshop Sprechstunde Quartier Stadtteil Nachbarschaft Ortsteil
Haushalt Mittel Kosten Zeitplan Frist Fristen Zeitraum Zugang Barrierefreiheit Sprache
Übersetzung Gebärdensprache Moderation Koordinierungsstelle Geschäftsstelle Beirat Vertreterinnen
Vertreter Fachämter Ämter Politik Gremien Satzung Richtlinie Regelung Anwendung Überprüfung
Weiterentwicklung Erfahrungen Qualität Verbindlichkeit Vertrauen Dialog Austausch Beteiligten
Interessen Belange Schutz Daten Datenschutz Plattform Internetseite Amtsblatt Aushang Vorhabenliste
Grünfläche Spielplatz Radweg Straßenbahn Schulhof Marktplatz Jugendzentrum Bücherei Umwelt Klima
""")
_VERBS = _wordlist("""
informiert beteiligt berücksichtigt veröffentlicht dokumentiert prüft entscheidet beschließt
legt fest stellt sicher ermöglicht unterstützt fördert begleitet bewertet erläutert begründet
beantwortet lädt ein führt durch wertet aus schlägt vor gewährleistet überprüft regelt sorgt
""")
_ADJ = _wordlist("""
frühzeitig verständlich transparent öffentlich verbindlich offen fair barrierefrei
rechtzeitig nachvollziehbar vielfältig gemeinsam regelmäßig schriftlich mündlich digital
analog zuständig geeignet angemessen wesentlich städtisch kommunal jährlich ausführlich
""")
_FUNC = _wordlist("""
die der das den dem des eine ein einer einem und oder sowie auch nicht nur mit von zu für über
bei nach vor im in am an auf aus durch gegen ohne um unter zwischen wenn soweit damit dass
sich werden wird sind ist kann können soll sollen muss müssen alle jede jeder diese dieser
""")
_HEAD_WORDS = _wordlist("""
Ziele Geltungsbereich Grundsätze Verfahren Vorhabenliste Anregungen Information Zugang Formate
Ergebnisse Rückmeldung Evaluation Koordinierung Beirat Ressourcen Fristen Inkrafttreten
Jugendbeteiligung Quartiersarbeit Datenschutz Barrierefreiheit Dokumentation Qualitätssicherung
""")


def _word(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.42:
        return rng.choice(_FUNC)
    if r < 0.72:
        return rng.choice(_NOUNS)
    if r < 0.87:
        return rng.choice(_ADJ)
    return rng.choice(_VERBS)


def _sentence(rng: random.Random) -> list[str]:
    n = rng.randint(6, 18)
    words = [rng.choice(_NOUNS) if k == 0 and rng.random() < 0.5 else _word(rng) for k in range(n)]
    words[0] = words[0][0].upper() + words[0][1:]
    if n > 9 and rng.random() < 0.4:
        k = rng.randint(3, n - 4)
        words[k] += ","
    words[-1] = rng.choice(_NOUNS + _ADJ) + "."
    return words


def _new_words(rng: random.Random, n: int, avoid: set[str]) -> list[str]:
    out = []
    while len(out) < n:
        w = _word(rng)
        if w not in avoid:
            out.append(w)
    return out


# -- the model -------------------------------------------------------------------------------

Origin = tuple[int, int] | None  # (v1 block uid, v1 word index), None for new words


@dataclass
class _Block:
    uid: int
    kind: str  # "h2", "h3", "p", "li", "table"
    words: list[str]
    origin: list[Origin]
    marks: list[str] = field(default_factory=list)  # per word: "", "**", "*", "link"
    cells: list[list[str]] | None = None  # tables only

    def text(self) -> str:
        if self.cells is not None:
            return "\n".join("\t".join(row) for row in self.cells)
        return " ".join(self.words)

    def copy(self) -> _Block:
        return _Block(
            self.uid,
            self.kind,
            list(self.words),
            list(self.origin),
            list(self.marks),
            [list(r) for r in self.cells] if self.cells is not None else None,
        )


@dataclass
class _List:
    items: list[_Block]


_Node = _Block | _List


def _render_words(block: _Block) -> list[str]:
    out = []
    for w, m in zip(block.words, block.marks, strict=True):
        if m == "link":
            out.append(f"[{w}](https://stadt.example/{zlib.crc32(w.encode()) % 997})")
        elif m:
            core = w.rstrip(".,")
            out.append(f"{m}{core}{m}{w[len(core) :]}")
        else:
            out.append(w)
    return out


def _wrap(words: Sequence[str], width: int = 80) -> str:
    lines: list[str] = []
    line = ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    lines.append(line)
    return "\n".join(lines)


def _render(nodes: Sequence[_Node]) -> str:
    chunks = []
    for node in nodes:
        if isinstance(node, _List):
            if node.items:
                chunks.append("\n".join("- " + " ".join(_render_words(b)) for b in node.items))
        elif node.kind in ("h2", "h3"):
            chunks.append(("## " if node.kind == "h2" else "### ") + " ".join(node.words))
        elif node.kind == "table":
            assert node.cells is not None
            head, *rows = node.cells
            lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
            lines += ["| " + " | ".join(r) + " |" for r in rows]
            chunks.append("\n".join(lines))
        else:
            chunks.append(_wrap(_render_words(node)))
    return "\n\n".join(chunks) + "\n"


def _leaves(nodes: Sequence[_Node]) -> list[_Block]:
    out: list[_Block] = []
    for node in nodes:
        if isinstance(node, _List):
            out.extend(node.items)
        else:
            out.append(node)
    return out


class _Gen:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.uid = 0

    def block(self, kind: str, words: list[str], cells: list[list[str]] | None = None) -> _Block:
        self.uid += 1
        rng = self.rng
        marks = []
        for w in words:
            r = rng.random() if kind in ("p", "li") and w[0].isalpha() else 1.0
            marks.append("**" if r < 0.01 else "*" if r < 0.015 else "link" if r < 0.018 else "")
        return _Block(
            self.uid, kind, words, [(self.uid, i) for i in range(len(words))], marks, cells
        )

    def paragraph(self) -> _Block:
        words: list[str] = []
        for _ in range(self.rng.randint(2, 6)):
            words += _sentence(self.rng)
        return self.block("p", words)

    def list_node(self) -> _List:
        items = []
        for _ in range(self.rng.randint(2, 6)):
            words = _sentence(self.rng)[: self.rng.randint(4, 14)]
            words[-1] = words[-1].rstrip(".,") + ";"
            items.append(self.block("li", words))
        items[-1].words[-1] = items[-1].words[-1].rstrip(";") + "."
        return _List(items)

    def table(self) -> _Block:
        cols = self.rng.randint(2, 4)
        rows = [[self.rng.choice(_HEAD_WORDS) for _ in range(cols)]]
        for _ in range(self.rng.randint(2, 6)):
            rows.append(
                [
                    " ".join(_word(self.rng) for _ in range(self.rng.randint(1, 3)))
                    for _ in range(cols)
                ]
            )
        return self.block("table", [], rows)

    def heading(self, kind: str, number: str) -> _Block:
        words = [number, *self.rng.sample(_HEAD_WORDS, self.rng.randint(1, 3))]
        if self.rng.random() < 0.5:
            words += ["und", self.rng.choice(_NOUNS)]
        return self.block(kind, words)

    def document(self, size: int) -> list[_Node]:
        nodes: list[_Node] = []
        total = 0

        def add(node: _Node) -> None:
            nonlocal total
            nodes.append(node)
            total += len(_render([node]).encode()) + 1

        section = 0
        while total < size:
            section += 1
            add(self.heading("h2", f"{section}."))
            subs = self.rng.choice([0, 0, 2, 3])
            for sub in range(max(subs, 1)):
                if subs:
                    add(self.heading("h3", f"{section}.{sub + 1}"))
                for _ in range(self.rng.randint(2, 6)):
                    r = self.rng.random()
                    add(
                        self.list_node()
                        if r < 0.15
                        else self.table()
                        if r < 0.18
                        else self.paragraph()
                    )
        return nodes


def generate_markdown(size: int, *, seed: int = 0) -> str:
    """Return one guideline-like Markdown document of about `size` bytes."""
    return _render(_Gen(random.Random(f"{seed}:{size}")).document(size))


# -- the second version ----------------------------------------------------------------------


@dataclass
class _Edits:
    """What happened inside one changed v1 block, in v1 word indices."""

    deleted: set[int] = field(default_factory=set)
    replaced: set[int] = field(default_factory=set)
    gaps: set[int] = field(default_factory=set)  # g: new words between old words g-1 and g
    cuts: set[int] = field(default_factory=set)  # g: split between old words g-1 and g


def _edit_block(rng: random.Random, block: _Block) -> _Edits:
    """Replace, insert and delete words inside `block` (1-3 operations), recording them."""
    ed = _Edits()
    n = len(block.words)
    ops = rng.randint(1, 3) if n > 6 else 1
    avoid = set(block.words)
    for _ in range(ops):
        # Work on the current word list; positions refer to current indices.
        cur = len(block.words)
        op = rng.choice(["replace", "insert", "delete"]) if cur > 3 else "replace"
        at = rng.randrange(cur)
        if op == "replace":
            span = min(rng.randint(1, 3), cur - at)
            news = _new_words(rng, span, avoid)
            for k in range(span):
                o = block.origin[at + k]
                if o is not None:
                    ed.replaced.add(o[1])
                if block.words[at + k].endswith((".", ",", ";")):
                    news[k] += block.words[at + k][-1]
                if at + k == 0:
                    news[k] = news[k][0].upper() + news[k][1:]
            block.words[at : at + span] = news
            block.origin[at : at + span] = [None] * span
            block.marks[at : at + span] = [""] * span
        elif op == "insert":
            span = rng.randint(1, 4)
            at = rng.randint(1, cur)  # never before the first word (capitalisation)
            prev = next((o for o in reversed(block.origin[:at]) if o is not None), None)
            ed.gaps.add(prev[1] + 1 if prev is not None else 0)
            block.words[at:at] = _new_words(rng, span, avoid)
            block.origin[at:at] = [None] * span
            block.marks[at:at] = [""] * span
        else:
            span = min(rng.randint(1, 4), cur - 2)
            at = rng.randint(1, cur - span)  # keep the first word
            for k in range(span):
                o = block.origin[at + k]
                if o is not None:
                    ed.deleted.add(o[1])
            if block.words[at + span - 1].endswith(".") and at + span == cur:
                block.words[at - 1] = block.words[at - 1].rstrip(",;") + "."
            del block.words[at : at + span]
            del block.origin[at : at + span]
            del block.marks[at : at + span]
    return ed


def _sentence_cuts(block: _Block) -> list[int]:
    return [i + 1 for i, w in enumerate(block.words[:-1]) if w.endswith(".")]


@dataclass
class Passage:
    """One v1 passage and its ground truth (see the module docstring for the categories)."""

    block: int  # v1 block index
    start: int  # v1 reading-text offsets
    end: int
    whole: bool  # a whole-block comment (use `Anchor.for_block`)
    category: str  # untouched, intact, edited, deleted
    detail: str  # kept, moved, edited, split, merged, block deleted, words deleted, ...
    expected: tuple[int, int] | None  # v2 offsets for untouched and intact
    dest_blocks: tuple[int, ...]  # v2 block indices (see module docstring)
    survived: float  # share of the passage's words that survive verbatim
    kept_spans: tuple[tuple[int, int], ...] = ()  # v2 spans of its surviving words (edited)


@dataclass
class Pair:
    """Two versions, both parsed, with the fate of every v1 block and sampled passages."""

    old_md: str
    new_md: str
    old: Document
    new: Document
    fates: list[str]  # per v1 block: kept, moved, edited, split, merged, deleted
    counts: dict[str, int]
    passages: list[Passage]
    layout: str
    seed: int
    # bookkeeping for more passages
    _words_old: list[list[str]] = field(repr=False, default_factory=list)
    _dest_of: list[tuple[int, ...]] = field(repr=False, default_factory=list)
    _word_dest: dict[tuple[int, int], tuple[int, int]] = field(repr=False, default_factory=dict)
    _edits: dict[int, _Edits] = field(repr=False, default_factory=dict)
    _words_new: list[list[str]] = field(repr=False, default_factory=list)
    _table: list[bool] = field(repr=False, default_factory=list)

    def sample_passages(self, n: int, *, seed: int = 1, balanced: bool = False) -> list[Passage]:
        """Pick `n` passages: ranges of 1-12 words inside one block, 15% whole blocks.

        `balanced` picks the block by its fate first (40% untouched, 40% edited, split or
        merged, 20% deleted) and aims half the ranges in changed blocks at an edit; otherwise
        blocks are uniform, as real comments would be.
        """
        rng = random.Random(seed)
        groups: dict[str, list[int]] = {"same": [], "changed": [], "deleted": []}
        for k, fate in enumerate(self.fates):
            if fate in ("kept", "moved"):
                groups["same"].append(k)
            elif fate == "deleted":
                if not self._table[k]:
                    groups["deleted"].append(k)
            else:
                groups["changed"].append(k)
        out = []
        while len(out) < n:
            if balanced:
                r = rng.random()
                name = "same" if r < 0.4 else "changed" if r < 0.8 else "deleted"
                if not groups[name]:
                    name = "same"
                k = rng.choice(groups[name])
            else:
                k = rng.randrange(len(self.fates))
            out.append(self._passage(rng, k, aim=balanced))
        return out

    def _passage(self, rng: random.Random, k: int, *, aim: bool) -> Passage:
        words = self._words_old[k]
        block = self.old.blocks[k]
        whole = self._table[k] or rng.random() < 0.15 or not words
        if whole:
            i, j = 0, len(words)
        else:
            length = min(rng.randint(1, 12), len(words))
            ed = self._edits.get(k)
            marks = sorted((ed.deleted | ed.replaced | ed.gaps | ed.cuts) if ed else ())
            if aim and marks and rng.random() < 0.5:
                m = min(rng.choice(marks), len(words) - 1)
                i = max(0, min(m - rng.randrange(length), len(words) - length))
            else:
                i = rng.randint(0, len(words) - length)
            j = i + length
        offs = _offsets(words)
        if whole:
            start, end = block.start, block.end
        else:
            start = block.start + offs[i]
            end = block.start + offs[j] - 1
        return self._classify(k, i, j, start=start, end=end, whole=whole)

    def _classify(self, k: int, i: int, j: int, *, start: int, end: int, whole: bool) -> Passage:
        fate = self.fates[k]
        dest = self._dest_of[k]
        if fate in ("kept", "moved"):
            nb = self.new.blocks[dest[0]]
            exp = (
                nb.start + start - self.old.blocks[k].start,
                nb.start + end - self.old.blocks[k].start,
            )
            return Passage(k, start, end, whole, "untouched", fate, exp, dest, 1.0)
        if fate == "deleted":
            return Passage(k, start, end, whole, "deleted", "block deleted", None, (), 0.0)
        ed = self._edits[k]
        where = [self._word_dest.get((k, w)) for w in range(i, j)]
        alive = [d for d in where if d is not None]
        survived = len(alive) / max(1, j - i)
        holders = tuple(sorted({d[0] for d in alive})) or dest
        inside_gap = any(i < g < j for g in ed.gaps | ed.cuts)
        if (
            not whole  # a whole-block comment on a changed block follows the changed block
            and len(alive) == j - i
            and not inside_gap
            and len(holders) == 1
            and all(alive[m + 1][1] == alive[m][1] + 1 for m in range(len(alive) - 1))
            # A word that kept its place may have changed its surface (a full stop added
            # when the words after it were deleted): then the passage is edited.
            and all(
                self._words_new[b][w] == self._words_old[k][i + m] for m, (b, w) in enumerate(alive)
            )
        ):
            nb = self.new.blocks[holders[0]]
            offs = _offsets(self._words_new[holders[0]])
            exp = (nb.start + offs[alive[0][1]], nb.start + offs[alive[-1][1] + 1] - 1)
            assert self.new.text[exp[0] : exp[1]] == self.old.text[start:end], (k, i, j)
            return Passage(k, start, end, whole, "intact", fate, exp, holders, 1.0)
        if not alive and all(w in ed.deleted for w in range(i, j)):
            return Passage(k, start, end, whole, "deleted", "words deleted", None, (), 0.0)
        detail = fate if fate != "edited" else ("replaced" if not alive else "edited")
        if whole:
            detail = f"whole {fate} block"
        spans = []
        for b, w in alive:
            nb = self.new.blocks[b]
            offs = _offsets(self._words_new[b])
            spans.append((nb.start + offs[w], nb.start + offs[w + 1] - 1))
        return Passage(
            k, start, end, whole, "edited", detail, None, holders, survived, tuple(spans)
        )


def _offsets(words: Sequence[str]) -> list[int]:
    out = [0]
    for w in words:
        out.append(out[-1] + len(w) + 1)
    return out


_FATES = ("edited", "moved", "deleted", "split", "merged")


def make_pair(
    size: int,
    *,
    seed: int = 0,
    layout: str = "spread",
    edit: float = 0.02,
    move: float = 0.01,
    insert: float = 0.01,
    delete: float = 0.01,
    split: float = 0.003,
    merge: float = 0.003,
    passages: int = 0,
    balanced: bool = False,
) -> Pair:
    """Generate v1 of about `size` bytes, derive v2 with the edit mix, parse both, check.

    Rates are shares of v1's blocks (at least one change of each kind). `passages` > 0 also
    samples that many passages (see `Pair.sample_passages`).
    """
    if layout not in ("spread", "clustered"):
        raise ValueError(f"layout must be 'spread' or 'clustered' (got {layout!r})")
    gen = _Gen(random.Random(f"{seed}:{size}"))
    v1 = gen.document(size)  # the same v1 for both layouts
    rng = gen.rng = random.Random(f"{seed}:{size}:{layout}")
    old_blocks = _leaves(v1)
    n = len(old_blocks)
    index_of = {b.uid: k for k, b in enumerate(old_blocks)}
    words_old = [list(b.words) for b in old_blocks]

    # Which top-level node holds each block, and which paragraphs may move, split or merge.
    top_para = {b.uid for b in v1 if isinstance(b, _Block) and b.kind == "p"}
    merge_ok = {
        a.uid
        for a, b in itertools.pairwise(v1)
        if isinstance(a, _Block) and isinstance(b, _Block) and a.kind == b.kind == "p"
    }

    def qualifies(block: _Block, fate: str) -> bool:
        if block.kind == "table":
            return False
        if fate == "edited":
            return len(block.words) >= 2
        if fate == "deleted":
            return block.kind in ("p", "li")
        if fate == "moved":
            return block.uid in top_para
        if fate == "split":
            return block.uid in top_para and len(_sentence_cuts(block)) >= 1
        return block.uid in merge_ok  # merged: with the next paragraph

    want = {
        "edited": max(1, round(edit * n)),
        "moved": max(1, round(move * n)),
        "deleted": max(1, round(delete * n)),
        "split": max(1, round(split * n)),
        "merged": max(1, round(merge * n)),
    }
    fate_of: dict[int, str] = {}
    taken: set[int] = set()

    def take(block: _Block, fate: str) -> bool:
        if block.uid in taken or not qualifies(block, fate):
            return False
        if fate == "merged":
            partner = old_blocks[index_of[block.uid] + 1]
            if partner.uid in taken:
                return False
            taken.add(partner.uid)
            fate_of[partner.uid] = "merged-into"
        taken.add(block.uid)
        fate_of[block.uid] = fate
        return True

    if layout == "spread":
        order = list(range(n))
        rng.shuffle(order)
        for fate in _FATES:
            left = want[fate]
            for k in order:
                if left == 0:
                    break
                if take(old_blocks[k], fate):
                    left -= 1
    else:
        bag = [f for f in _FATES for _ in range(want[f])]
        rng.shuffle(bag)
        tries = 0
        while bag and tries < 50 * n:
            at = rng.randrange(n)
            for k in range(at, min(n, at + rng.randint(8, 30))):
                tries += 1
                for pos, fate in enumerate(bag):
                    if take(old_blocks[k], fate):
                        del bag[pos]
                        break
                if not bag:
                    break

    # Build v2 from copies.
    v2: list[_Node] = [
        _List([b.copy() for b in node.items]) if isinstance(node, _List) else node.copy()
        for node in v1
    ]
    edits: dict[int, _Edits] = {}

    def fate(block: _Block) -> str:
        return fate_of.get(block.uid, "kept")

    # 1. edits, deletions, splits and merges, in place.
    out: list[_Node] = []
    skip_next = False
    for node in v2:
        if skip_next:
            skip_next = False
            continue
        if isinstance(node, _List):
            items = []
            for item in node.items:
                f = fate(item)
                if f == "deleted":
                    continue
                if f == "edited":
                    edits[item.uid] = _edit_block(rng, item)
                items.append(item)
            if items:
                out.append(_List(items))
            continue
        f = fate(node)
        if f == "deleted":
            continue
        if f == "edited":
            edits[node.uid] = _edit_block(rng, node)
            out.append(node)
        elif f == "split":
            cuts = _sentence_cuts(node)
            chosen = sorted(rng.sample(cuts, min(len(cuts), rng.choice([1, 1, 2]))))
            edits[node.uid] = _Edits(cuts=set(chosen))
            bounds = [0, *chosen, len(node.words)]
            for a, b in itertools.pairwise(bounds):
                out.append(
                    _Block(node.uid, "p", node.words[a:b], node.origin[a:b], node.marks[a:b])
                )
        elif f == "merged":
            nxt = v2[v2.index(node) + 1]
            assert isinstance(nxt, _Block)
            edits[node.uid] = _Edits()
            edits[nxt.uid] = _Edits()
            out.append(
                _Block(
                    node.uid,
                    "p",
                    node.words + nxt.words,
                    node.origin + nxt.origin,
                    node.marks + nxt.marks,
                )
            )
            skip_next = True
        else:
            out.append(node)
    v2 = out

    # 2. moves: each moved paragraph goes to a random place in another section.
    def section_starts(nodes: Sequence[_Node]) -> list[int]:
        return [k for k, x in enumerate(nodes) if isinstance(x, _Block) and x.kind == "h2"]

    moved = [x for x in v2 if isinstance(x, _Block) and fate(x) == "moved"]
    for block in moved:
        here = v2.index(block)
        starts = section_starts(v2)
        own = max((s for s in starts if s <= here), default=0)
        others = [s for s in starts if s != own] or starts
        target = rng.choice(others)
        v2.remove(block)
        starts = section_starts(v2)
        t = target if target < here else target - 1
        nxt = min((s for s in starts if s > t), default=len(v2))
        v2.insert(rng.randint(t + 1, nxt), block)

    # 3. inserts: new paragraphs (and now and then a list item) at random places.
    n_insert = max(1, round(insert * n))
    changed_at = [k for k, x in enumerate(v2) if isinstance(x, _Block) and x.uid in taken]
    for _ in range(n_insert):
        if layout == "clustered" and changed_at:
            at = min(len(v2), rng.choice(changed_at) + rng.randint(0, 2))
        else:
            at = rng.randint(1, len(v2))
        new = gen.paragraph()
        new.origin = [None] * len(new.words)
        if at < len(v2) and isinstance(v2[at], _List) and rng.random() < 0.5:
            item = gen.list_node().items[0]
            item.origin = [None] * len(item.words)
            v2[at].items.insert(rng.randint(0, len(v2[at].items)), item)  # type: ignore[union-attr]
        else:
            v2.insert(at, new)

    new_blocks = _leaves(v2)
    old_md, new_md = _render(v1), _render(v2)
    old_doc, new_doc = Document.from_markdown(old_md), Document.from_markdown(new_md)
    _check(old_doc, old_blocks, "v1")
    _check(new_doc, new_blocks, "v2")

    word_dest: dict[tuple[int, int], tuple[int, int]] = {}
    dest_of: dict[int, set[int]] = {}
    for j, b in enumerate(new_blocks):
        for w, o in enumerate(b.origin):
            if o is not None:
                word_dest[(index_of[o[0]], o[1])] = (j, w)
                dest_of.setdefault(index_of[o[0]], set()).add(j)
        if b.uid in index_of and b.kind == "table":
            dest_of.setdefault(index_of[b.uid], set()).add(j)
    # A block edited so far that none of its words survive still went to its new block.
    for j, b in enumerate(new_blocks):
        if b.uid in index_of and index_of[b.uid] not in dest_of:
            dest_of.setdefault(index_of[b.uid], set()).add(j)

    fates = []
    for b in old_blocks:
        f = fate(b)
        fates.append("merged" if f == "merged-into" else f)
    counts: dict[str, int] = {}
    for f in fates:
        counts[f] = counts.get(f, 0) + 1
    counts["inserted"] = n_insert
    pair = Pair(
        old_md=old_md,
        new_md=new_md,
        old=old_doc,
        new=new_doc,
        fates=fates,
        counts=counts,
        passages=[],
        layout=layout,
        seed=seed,
        _words_old=words_old,
        _dest_of=[tuple(sorted(dest_of.get(k, ()))) for k in range(n)],
        _word_dest=word_dest,
        _edits={index_of[uid]: e for uid, e in edits.items()},
        _words_new=[list(b.words) for b in new_blocks],
        _table=[b.kind == "table" for b in old_blocks],
    )
    if passages:
        pair.passages = pair.sample_passages(passages, seed=seed + 1, balanced=balanced)
    return pair


def _check(doc: Document, blocks: Sequence[_Block], label: str) -> None:
    if len(doc.blocks) != len(blocks):
        raise AssertionError(f"{label}: parsed {len(doc.blocks)} blocks, wrote {len(blocks)}")
    for k, (got, want) in enumerate(zip(doc.blocks, blocks, strict=True)):
        if got.text != want.text():
            raise AssertionError(f"{label} block {k}: parsed {got.text!r}, wrote {want.text()!r}")


# -- the real corpus -------------------------------------------------------------------------


def corpus_pairs() -> list[tuple[str, str, str]]:
    """Return (name, v1 Markdown, v2 Markdown) for each real pair; [] if the folder is missing."""
    if not CORPUS_DIR.is_dir():
        return []
    out = []
    for d in sorted(p for p in CORPUS_DIR.iterdir() if (p / "v1.md").is_file()):
        out.append(
            (d.name, (d / "v1.md").read_text(encoding="utf-8"), (d / "v2.md").read_text("utf-8"))
        )
    return out


# -- the per-quote search baseline ----------------------------------------------------------

QUOTE_BITS = 32
"""diff-match-patch's bitap works on patterns of at most 32 characters (Match_MaxBits)."""
CONTEXT_CHECK = 16
"""Characters of stored prefix/suffix compared next to the match."""


def quote_search(
    new_text: str, exact: str, prefix: str, suffix: str, old_start: int
) -> tuple[str, int | None, int | None]:
    """Find one quote in the new text as web annotation clients do; return (status, start, end).

    Exactly this, per anchor, with nothing shared between anchors:

    1. ``dmp = diff_match_patch()`` with its defaults (``Match_Threshold`` 0.5) and
       ``Match_Distance = 2 * len(new_text)``, a document-wide window, as
       dom-anchor-text-quote (the Hypothesis lineage) sets it.
    2. ``loc = dmp.match_main(new_text, exact[:32], min(old_start, len(new_text)))``: bitap
       fuzzy search for the quote's first 32 characters near its old position. -1: ORPHANED.
    3. The candidate is ``new_text[loc : loc + len(exact)]``. Context check: the last 16
       characters of the stored prefix must stand right before it, or the first 16 of the
       stored suffix right after it (an empty stored side agrees by itself).
    4. Context agrees and the candidate equals the quote: SHIFTED (EXACT if ``loc`` equals the
       old start); agrees but differs: MODIFIED; context disagrees: ORPHANED.
    """
    from diff_match_patch import diff_match_patch  # noqa: PLC0415

    dmp = diff_match_patch()
    dmp.Match_Distance = 2 * len(new_text)
    loc = dmp.match_main(new_text, exact[:QUOTE_BITS], min(old_start, len(new_text)))
    if loc < 0:
        return "orphaned", None, None
    end = min(loc + len(exact), len(new_text))
    pre = prefix[-CONTEXT_CHECK:]
    suf = suffix[:CONTEXT_CHECK]
    agrees = (not pre or new_text[max(0, loc - len(pre)) : loc] == pre) or (
        not suf or new_text[end : end + len(suf)] == suf
    )
    if not agrees:
        return "orphaned", None, None
    if new_text[loc:end] == exact:
        return ("exact" if loc == old_start else "shifted"), loc, end
    return "modified", loc, end


# -- measuring -------------------------------------------------------------------------------


def cpu_check(runs: int = 20) -> str:
    """How steady the CPU is: a fixed pure-Python loop timed `runs` times, as one line.

    On a shared virtual machine the same work can take twice as long for seconds at a time
    (measured here: 35 ms and 70 ms for the same loop, alternating in phases), which is why
    every figure is a best of several runs. A wide range here means: compare with care.
    """
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        total = 0
        for i in range(300_000):
            total += i
        times.append(time.perf_counter() - t0)
    best, worst = min(times), max(times)
    return (
        f"CPU check: a fixed loop took {best * 1000:.1f}-{worst * 1000:.1f} ms over {runs} runs "
        f"(worst/best {worst / best:.1f}x; near 1x means a steady CPU)"
    )


def timed(
    fn: Callable[[], Any], *, repeat: int = 5, budget: float = 10.0, span: float = 0.0
) -> tuple[float, float]:
    """Run `fn` at least `repeat` times and for at least `span` seconds (both within `budget`
    seconds in all), and return (best, median) wall seconds (see `timed_rounds`).

    `span` spreads the runs over time: on a shared CPU that is slow for seconds at a time
    (see `cpu_check`), a best of a few quick runs may all fall into one slow phase.
    """
    return timed_rounds({"": fn}, rounds=repeat, budget=budget, span=span)[""]


def timed_pair(
    a: Callable[[], Any], b: Callable[[], Any], *, repeat: int = 7, budget: float = 20.0
) -> tuple[float, float]:
    """Best wall seconds of `a` and of `b`, run alternately (see `timed_rounds`)."""
    best = timed_rounds({"a": a, "b": b}, rounds=repeat, budget=budget)
    return best["a"][0], best["b"][0]


def timed_rounds(
    fns: Mapping[str, Callable[[], Any]], *, rounds: int, budget: float, span: float = 0.0
) -> dict[str, tuple[float, float]]:
    """(best, median) wall seconds of each function, all run in turn, round after round.

    At least `rounds` rounds and `span` seconds, stopping after the round in which `budget`
    seconds of runs in all are spent. Taking turns, every function meets the same slow and
    fast phases of a shared CPU (see `cpu_check`), so their figures can be compared. The
    garbage collector runs before each run, not during it; what a function returns is freed
    after the clock stops.
    """
    times: dict[str, list[float]] = {name: [] for name in fns}
    spent = 0.0
    start = time.perf_counter()
    done = 0
    while True:
        for name, fn in fns.items():
            gc.collect()
            t0 = time.perf_counter()
            out = fn()
            t = time.perf_counter() - t0
            del out
            times[name].append(t)
            spent += t
        done += 1
        if spent > budget or (done >= rounds and time.perf_counter() - start >= span):
            break
    return {name: (min(ts), statistics.median(ts)) for name, ts in times.items()}


def peak_memory(fn: Callable[[], Any]) -> int:
    """Peak bytes allocated by Python while `fn` runs (tracemalloc; slows the run, so untimed)."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        fn()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def fmt_ms(seconds: float | None) -> str:
    """Seconds as milliseconds, three significant digits."""
    if seconds is None:
        return "-"
    ms = seconds * 1000
    return f"{ms:.3g}" if ms < 100 else f"{ms:.0f}"


def fmt_bytes(n: int | None) -> str:
    """Bytes as KB or MB."""
    if n is None:
        return "-"
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    return f"{n / 1000:.0f} KB"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table, columns right-aligned except the first."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[c]) for r in cells) for c in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        lines.append(
            "  ".join(
                r[c].ljust(widths[c]) if c == 0 else r[c].rjust(widths[c]) for c in range(len(r))
            )
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
