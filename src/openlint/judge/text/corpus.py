"""The text the text primitives search, read once per document, and how a match is found in it.

The text is read once per document into *units*: a heading, a passage (a paragraph together with
the paragraphs that merely continue it: PDF extraction breaks a sentence at every line it cannot
join), a table caption, a preamble line or a table cell, all compacted (spaces removed). The
units are joined into one string so that a rule's regex runs once over the document in C, and a
match is mapped back to its unit and block. A regex whose every match needs some text (`单位` in
`本单位|…`) and stays inside a unit is run only over the units holding that text.

A match is returned as a `Hit`, located in its block; `_quote` and `_short` cut texts for messages.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from openlint._slots import direct_init
from openlint.judge._prefilter import needles, prefiltered, starts_line, stays_on_line
from openlint.judge.context import Context, compact
from openlint.judge.registry import ATTRIBUTES
from openlint.model import Document, Heading, Location, Paragraph, Section, Table
from openlint.read.structure import NOTE_START, numbering_level
from openlint.understand.amounts import header_row_count, parse_amount


@direct_init
@dataclass(frozen=True, slots=True)
class Hit:
    """A piece of text found in the document, with its surroundings."""

    text: str  # what matched
    quote: str  # the match with some text either side, … where cut: …主要原因是。其中…
    before: str  # the text of its unit right before the match (up to 20 characters, or as `after`)
    after: str  # … and right after it
    location: Location
    count: int = 1  # matches in the same unit (the first is reported)
    value: int | None = None  # a year's value
    # what follows its heading or passage: paragraph, item (a numbered paragraph), note, heading,
    # table, or "" (the end)
    next: str = ""
    anchor: str = ""
    kind: str = ""  # where it is: heading, paragraph, note, caption, preamble, cell, or toc (a 目录 entry)


@dataclass(slots=True)
class _Unit:
    text: str
    start: int  # offset in the corpus string
    kind: str  # heading | paragraph | note | caption | preamble | cell
    blocks: tuple  # the blocks the unit is made of (a passage may be several paragraphs)
    offsets: tuple[int, ...]  # where each block's text starts in `text`
    cell: tuple[int, int] | None = None  # (row, column) of a table cell
    next: str = ""  # what follows the unit's last block


@dataclass(slots=True)
class _Corpus:
    text: str
    starts: list[int]
    units: list[_Unit]
    block_units: dict[int, list[int]]  # id(block) → indices of its units

    def unit_at(self, pos: int) -> int:
        return bisect_right(self.starts, pos) - 1


_SEP = "\n"
_NUMERIC = re.compile(r"^[-−—–－\d.,，%]*$")
_STOP_END = frozenset("。！？!?")
_PUNCTUATION_ONLY = re.compile(r"^[。，；：、！？.,;:!?）)”’」》】]+$")
# A numbered item: 第三部分, 五、, （二）, 3、, 3. — but not 3.5 (a decimal), unless what follows the
# point is a year (4．2025年部门财政拨款收支预算总表, a 目录 entry).
_NUMBERED = re.compile(
    r"^\s*(第[一二三四五六七八九十百零〇\d]+\s*(部分|章|篇|条)|[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,2}\s*[、.．](?!\d)|\d{1,2}\s*[.．](?=(19|20)\d{2}\s*年))"
)


def _passages(blocks, joined: bool = True) -> list[tuple[str, str, tuple, tuple]]:
    """(kind, text, blocks, offsets): paragraphs joined with the ones that merely continue them
    (`joined`: a PDF breaks a sentence at every line it cannot join; other formats have real
    paragraphs, where only a stray punctuation mark on its own joins the paragraph before it)."""
    out: list[list] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(["heading", compact(block.text).replace("\n", ""), [block], [0]])
            continue
        if isinstance(block, Table):
            out.append(["table", "", [block], [0]])
            continue
        text = compact(block.text).replace("\n", "")
        if not text:
            continue
        kind = "note" if block.is_note else "paragraph"
        last = out[-1] if out else None
        if last is not None and last[0] in ("paragraph", "note") and last[1] and _PUNCTUATION_ONLY.match(text):
            kind = last[0]  # a stray 。 on a line of its own belongs to the sentence before it
        if (
            last is not None
            and last[0] == kind
            and last[1]
            and (_PUNCTUATION_ONLY.match(text) or (joined and last[1][-1] not in _STOP_END))
            and not _NUMBERED.match(block.text)
            and not NOTE_START.match(block.text)
        ):
            last[3].append(len(last[1]))
            last[1] += text
            last[2].append(block)
            continue
        out.append([kind, text, [block], [0]])
    return [(k, t, tuple(b), tuple(o)) for k, t, b, o in out]


def _corpus(ctx: Context) -> _Corpus:
    return ctx.cached(("text", "corpus"), lambda: _build_corpus(ctx.document))


def _build_corpus(document: Document) -> _Corpus:
    parts: list[str] = []
    starts: list[int] = []
    units: list[_Unit] = []
    block_units: dict[int, list[int]] = {}
    pos = 0

    def add(text: str, kind: str, blocks: tuple, offsets: tuple, cell=None) -> None:
        nonlocal pos
        if not text:
            return
        for b in blocks:
            block_units.setdefault(id(b), []).append(len(units))
        units.append(_Unit(text, pos, kind, blocks, offsets, cell))
        starts.append(pos)
        parts.append(text)
        pos += len(text) + len(_SEP)

    order = {id(b): i for i, b in enumerate(document.blocks)}

    def following(block) -> str:
        i = order.get(id(block), len(document.blocks)) + 1
        if i >= len(document.blocks):
            return ""
        b = document.blocks[i]
        if isinstance(b, Paragraph):
            return "note" if b.is_note else "item" if numbering_level(b.text) else "paragraph"
        return "heading" if isinstance(b, Heading) else "table"

    for kind, text, blocks, offsets in _passages(document.blocks, joined=document.format == "pdf"):
        if kind != "table":
            add(text, kind, blocks, offsets)
            if units and units[-1].blocks is blocks:
                units[-1].next = following(blocks[-1])
            continue
        table = blocks[0]
        if not _titled_by_heading(document.blocks, order, table):
            add(_flat(table.caption), "caption", blocks, (0,))
        for line in table.preamble:
            add(_flat(line), "preamble", blocks, (0,))
        # The cells are most of the units: `add` inlined, the table's unit list looked up once.
        table_units = block_units.setdefault(id(table), [])
        for r, row in enumerate(table.grid):
            last = None
            for c, cell in enumerate(row):
                if cell is last:
                    continue
                last = cell
                if cell.row != r or cell.col != c:
                    continue
                text = _cell_wording(cell.text)
                if text:
                    table_units.append(len(units))
                    units.append(_Unit(text, pos, "cell", blocks, (0,), (r, c)))
                    starts.append(pos)
                    parts.append(text)
                    pos += len(text) + len(_SEP)
    return _Corpus(_SEP.join(parts), starts, units, block_units)


def _titled_by_heading(blocks, order: dict[int, int], table: Table) -> bool:
    """The table's caption is the heading right above it (a worksheet's title row, a Word heading
    over its table): one title, read once, as the heading."""
    i = order.get(id(table), 0) - 1
    return i >= 0 and isinstance(blocks[i], Heading) and blocks[i].text == table.caption


@lru_cache(maxsize=8192)
def _cell_wording(text: str) -> str:
    """A cell's text on one line, or "" when it holds no wording to judge (blank, an amount or a
    code). Memoised: the same figures and labels recur in every table."""
    if not text or text.isspace() or _NUMERIC.match(text):
        return ""  # (a figure without spaces is a figure once flattened too: skip it early)
    text = _flat(text)
    return text if text and not _NUMERIC.match(text) else ""


_FLAT_SPACES = re.compile(r"[ \t\u3000\u00a0\n]+")


def _flat(text: str) -> str:
    """`compact(text).replace("\\n", "")` in one pass: a caption, preamble line or cell on one line."""
    return _FLAT_SPACES.sub("", text)


def _unit_location(unit: _Unit, offset: int) -> Location:
    """Where a character of a unit is: the block holding it; a table cell by row and column."""
    index = max(0, bisect_right(unit.offsets, offset) - 1)
    block = unit.blocks[index]
    location = block.location
    if unit.cell is not None and isinstance(block, Table):
        row_label, column = _cell_labels(block, *unit.cell)
        location = replace(location, line=block.line_of(unit.cell[0]), row=row_label or None, column=column or None)
    return location


def _cell_labels(table: Table, r: int, c: int) -> tuple[str, str]:
    row = table.row_texts(r)
    label = next((t.strip() for t in row if t.strip() and parse_amount(t) is None), "")
    top = min(header_row_count(table), table.n_rows)
    header = " ".join(dict.fromkeys(table.text(h, c).strip() for h in range(top) if table.text(h, c).strip()))
    if r < top:
        header = ""
    return label, header


def _quote(text: str, start: int, end: int, width: int = 12) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    return ("…" if left > 0 else "") + text[left:right] + ("…" if right < len(text) else "")


def _short(text: str, n: int = 30) -> str:
    s = " ".join(text.split())
    return s if len(s) <= n else s[:n] + "…"


def _scope_units(ctx: Context, scope: Any) -> set[int] | None:
    """Indices of the units inside a scope (a section, a table, a block, or a list of them)."""
    if scope is None:
        return None
    corpus = _corpus(ctx)
    found: set[int] = set()
    items = scope if isinstance(scope, (list, tuple)) else [scope]
    for item in items:
        if isinstance(item, Section):
            blocks = (item.heading, *item.blocks)
        elif isinstance(item, (Heading, Paragraph, Table)):
            blocks = (item,)
        else:
            blocks = ()
        for b in blocks:
            found.update(corpus.block_units.get(id(b), ()))
    return found


@dataclass(frozen=True, slots=True)
class _UnitPattern:
    rx: re.Pattern
    needles: re.Pattern | None  # finds texts one of which is in every match (see `needles`)
    on_line: bool  # every match lies inside one unit, whatever surrounds the unit (see `stays_on_line`)
    after_break: re.Pattern | None  # for a pattern whose matches start a line: a line break, then it (see `starts_line`)


_UNIT_PATTERNS: dict[tuple, _UnitPattern] = {}


def _unit_pattern(pattern: Any) -> _UnitPattern:
    """The pattern with ^ and $ meaning the start and end of a unit (compiled once per pattern).

    A pattern that can only start with a few characters gets a lookahead for them in front (see
    `prefiltered`).
    """
    if isinstance(pattern, re.Pattern):
        key = (pattern.pattern, pattern.flags)
    else:
        key = (re.escape(compact(str(pattern))), 0)
    found = _UNIT_PATTERNS.get(key)
    if found is None:
        if len(_UNIT_PATTERNS) > 1024:
            _UNIT_PATTERNS.clear()
        source, flags = key[0], key[1] | re.MULTILINE
        texts = needles(source, flags)
        found = _UNIT_PATTERNS[key] = _UnitPattern(
            re.compile(prefiltered(source, flags), flags),
            re.compile("|".join(map(re.escape, sorted(texts)))) if texts else None,
            stays_on_line(source, flags),
            _after_break(source, flags) if starts_line(source, flags) else None,
        )
    return found


def _after_break(source: str, flags: int) -> re.Pattern | None:
    try:
        return re.compile("\n(?:" + source + ")", flags)
    except re.error:  # e.g. global flags such as (?s) must stay at the very start
        return None


def _next_match(unit_rx: _UnitPattern, text: str, pos: int, stop: int) -> re.Match | None:
    """`unit_rx.rx.search(text, pos, stop)`. A pattern whose matches start a line is tried only
    where one starts: at `pos` if it does, then after each line break that it follows."""
    rx, after_break = unit_rx.rx, unit_rx.after_break
    if after_break is None or pos < 0 or pos >= min(stop, len(text)):  # (odd bounds: as `re` reads them)
        return rx.search(text, pos, stop)
    if pos == 0 or text[pos - 1] == "\n":
        m = rx.match(text, pos, stop)
        if m is not None:
            return m
    found = after_break.search(text, pos, stop)
    while found is not None:
        m = rx.match(text, found.start() + 1, stop)
        if m is not None:
            return m
        found = after_break.search(text, found.start() + 1, stop)
    return None


def _matches(ctx: Context, pattern: Any, scope: Any = None):
    """(unit index, unit, match) for every match inside one unit."""
    corpus = _corpus(ctx)
    allowed = _scope_units(ctx, scope)
    unit_rx = _unit_pattern(pattern)
    text = corpus.text
    for pos, stop in _spans(corpus, unit_rx, allowed):
        while True:
            m = _next_match(unit_rx, text, pos, stop)
            if m is None:
                break
            i = corpus.unit_at(m.start())
            unit = corpus.units[i]
            end = unit.start + len(unit.text)
            if m.end() > end:  # ran over into the next unit: search again from the next one
                pos = end + len(_SEP)
                continue
            pos = m.end() if m.end() > m.start() else m.end() + 1
            if m.end() == m.start() or (allowed is not None and i not in allowed):
                continue
            yield i, unit, m


def _spans(corpus: _Corpus, unit_rx: _UnitPattern, allowed: set[int] | None) -> list[tuple[int, int]]:
    """(start, end) of the stretches of the corpus worth searching: the whole text, or nothing when
    it lacks every needle; for a pattern whose matches stay inside a unit, only the units (of the
    scope) that hold a needle, each searched up to its end."""
    text = corpus.text
    whole = [(0, len(text))]
    if not unit_rx.on_line:
        return [] if unit_rx.needles is not None and unit_rx.needles.search(text) is None else whole
    units = allowed
    if unit_rx.needles is not None and (holding := _units_holding(corpus, unit_rx.needles)) is not None:
        units = holding if allowed is None else holding & allowed
    if units is None:
        return whole
    spans: list[tuple[int, int]] = []
    for i in sorted(units):
        unit = corpus.units[i]
        end = unit.start + len(unit.text)
        if spans and spans[-1][1] + len(_SEP) == unit.start:  # the next unit: one search for both
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((unit.start, end))
    return spans


def _units_holding(corpus: _Corpus, needles: re.Pattern) -> set[int] | None:
    """Indices of the units that hold a needle (needles hold no line break); None when they make
    up half the text or more: searching them would cost about as much as searching everything."""
    text, starts, units = corpus.text, corpus.starts, corpus.units
    found: set[int] = set()
    covered = 0
    m = needles.search(text)
    while m is not None:
        i = corpus.unit_at(m.start())
        found.add(i)
        covered += len(units[i].text)
        if 2 * covered >= len(text):
            return None
        if i + 1 == len(starts):
            break
        m = needles.search(text, starts[i + 1])  # the rest of this unit does not matter
    return found


_SENTENCE_END = re.compile(r"(?<=[。；;！？!?])")


def _hit(unit: _Unit, m: re.Match, count: int = 1, value: int | None = None, width: int = 12,
         toc: frozenset[int] = frozenset(), after_chars: int = 20, to_sentence_end: bool = False) -> Hit:
    """The match as a Hit: `.after` the `after_chars` characters after it (and `.before` as many
    before it, 20 at least), cut at the end (start) of its sentence when `to_sentence_end`; `.kind`
    toc when the unit is one of the `toc` blocks."""
    start, end = m.start() - unit.start, m.end() - unit.start
    text = unit.text
    quote = _quote(text, start, end, width)
    after = text[end : end + after_chars]
    before = text[max(0, start - max(20, after_chars)) : start]
    return Hit(
        text=m.group(0),
        quote=quote,
        before=_SENTENCE_END.split(before)[-1] if to_sentence_end else before,
        after=_SENTENCE_END.split(after, 1)[0] if to_sentence_end else after,
        location=_unit_location(unit, start),
        count=count,
        value=value,
        next=unit.next,
        anchor=quote,
        kind="toc" if toc and any(id(b) in toc for b in unit.blocks) else unit.kind,
    )


def _page(_ctx, x) -> int | None:
    return x.location.page


ATTRIBUTES[Hit] = {
    "text": lambda ctx, h: h.text, "quote": lambda ctx, h: h.quote, "before": lambda ctx, h: h.before,
    "after": lambda ctx, h: h.after, "count": lambda ctx, h: h.count, "value": lambda ctx, h: h.value,
    "next": lambda ctx, h: h.next, "page": _page, "kind": lambda ctx, h: h.kind,
    "section": lambda ctx, h: " › ".join(h.location.section),
}
