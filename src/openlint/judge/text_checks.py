"""Primitives over text: patterns in context, brackets, years, name variants, numbering, pages (issue 4).

What a careful reader sees without doing sums: a clause cut short, a bracket never closed, a
placeholder left in, a part numbered twice, a blank page. Each primitive here is generic — it
finds a kind of thing and returns elements located in the document (`.location`, `.related`,
`.anchor`); which of them is a defect is said by the rule text (`rules/core/text-quality.olr`,
`coherence.olr`).

The text is read once per document into *units*: a heading, a passage (a paragraph together with
the paragraphs that merely continue it: PDF extraction breaks a sentence at every line it cannot
join), a table caption, a preamble line or a table cell, all compacted (spaces removed). The
units are joined into one string so that a rule's regex runs once over the document in C, and a
match is mapped back to its unit and block. A regex whose every match needs some text (`单位` in
`本单位|…`) and stays inside a unit is run only over the units holding that text.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from openlint._slots import direct_init
from openlint.judge._prefilter import needles, prefiltered, starts_line, stays_on_line
from openlint.judge.context import Context, compact
from openlint.judge.registry import ATTRIBUTES, display, pattern_found, primitive
from openlint.model import Document, Heading, Location, Paragraph, Section, Table
from openlint.read.structure import NOTE_START
from openlint.understand.amounts import header_row_count, parse_amount

# --------------------------------------------------------------------------------------------
# Elements the primitives return


@direct_init
@dataclass(frozen=True, slots=True)
class Hit:
    """A piece of text found in the document, with its surroundings."""

    text: str  # what matched
    quote: str  # the match with some text either side, … where cut: …主要原因是。其中…
    before: str  # the text of its unit right before the match (up to 20 characters)
    after: str  # … and right after it
    location: Location
    count: int = 1  # matches in the same unit (the first is reported)
    value: int | None = None  # a year's value
    next: str = ""  # what follows its heading or passage: paragraph, note, heading, table, or "" (the end)
    anchor: str = ""
    kind: str = ""  # where it is: heading, paragraph, note, caption, preamble, cell, or toc (a 目录 entry)


@dataclass(frozen=True, slots=True)
class Variant:
    """A way of writing a name that differs from the usual one."""

    text: str
    count: int
    canonical: str
    canonical_count: int
    pages: str  # where it occurs, for messages: ：第7页、第25页 (or ：第12行; "" without pages or lines)
    location: Location
    related: tuple[Location, ...] = ()
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class NumberingProblem:
    """A numbered heading or list item out of sequence."""

    problem: str  # 重复 | 缺号 | 顺序 | 嵌套
    text: str  # the item (its first characters)
    previous: str  # the item it follows in its sequence (重复, 缺号) or sits under (嵌套)
    expected: str  # the marker that should be there: 第二部分, 六、, （三）
    following: str  # 嵌套: the item after the nested block that continues the outer sequence
    location: Location
    related: tuple[Location, ...] = ()
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    """A numbered list item (a paragraph) and how it ends compared with its siblings."""

    text: str  # first characters
    ending: str  # the last characters of the item
    stops: int  # siblings that end with a stop (。；！？)
    siblings: int  # items in its list
    unterminated: bool  # ends without any punctuation
    location: Location
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class TocEntry:
    """An entry of the 目录 and where (whether) it is in the document."""

    text: str
    found: bool
    in_order: bool
    target: str  # the heading or table it was matched to
    location: Location
    related: tuple[Location, ...] = ()
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class Page:
    """A page of a PDF: its text, whether it is blank, repeated or partly unreadable."""

    number: int
    text: str  # compacted
    blank: bool
    inner: bool  # some page before and some page after have text
    duplicate_of: int | None
    unreadable: int  # characters that did not extract (private use, U+FFFD, controls)
    quote: str  # the first unreadable characters with some text around them
    location: Location
    related: tuple[Location, ...] = ()
    anchor: str = ""
    unread: bool = False  # the reader could not read it (only a picture, text that did not extract)


@dataclass(frozen=True, slots=True)
class Tally:
    """The most common value of a list: how often, out of how many."""

    text: str
    count: int
    total: int
    share: float


# --------------------------------------------------------------------------------------------
# Units: the document's text, compacted, once


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
            return "note" if b.is_note else "paragraph"
        return "heading" if isinstance(b, Heading) else "table"

    for kind, text, blocks, offsets in _passages(document.blocks, joined=document.format == "pdf"):
        if kind != "table":
            add(text, kind, blocks, offsets)
            if units and units[-1].blocks is blocks:
                units[-1].next = following(blocks[-1])
            continue
        table = blocks[0]
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
        location = replace(location, row=row_label or None, column=column or None)
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
    """The match as a Hit: `.after` the `after_chars` characters after it, cut at the end of its
    sentence when `to_sentence_end`; `.kind` toc when the unit is one of the `toc` blocks."""
    start, end = m.start() - unit.start, m.end() - unit.start
    text = unit.text
    quote = _quote(text, start, end, width)
    after = text[end : end + after_chars]
    return Hit(
        text=m.group(0),
        quote=quote,
        before=text[max(0, start - 20) : start],
        after=_SENTENCE_END.split(after, 1)[0] if to_sentence_end else after,
        location=_unit_location(unit, start),
        count=count,
        value=value,
        next=unit.next,
        anchor=quote,
        kind="toc" if toc and any(id(b) in toc for b in unit.blocks) else unit.kind,
    )


def _toc_ids(ctx: Context) -> frozenset[int]:
    """ids of the 目录 entries (paragraphs; or the headings of a 目录 without its title), once per
    document: hits in them have kind `toc`, and the numbering of the 目录 is checked apart from the
    body's. (The document keeps the blocks alive, so their ids stay theirs.)"""
    def compute() -> frozenset[int]:
        heading, entries = _toc_entries_blocks(ctx.document)
        lines = entries if heading is not None else _untitled_toc(ctx.document.blocks)
        return frozenset(id(b) for b in lines)

    return ctx.cached(("text", "toc blocks"), compute)


_UNTITLED_TOC_LINES = 3  # headings in a row, at least, to be taken for a 目录 that lost its title


def _untitled_toc(blocks: list) -> list[Heading]:
    """The first run of headings with nothing between them whose texts all come back as headings
    after it: a 目录 published without its title (common on web pages), whose lines read as
    headings. The run stops before the body's own first headings (which do not come back)."""
    last_at: dict[str, int] = {}  # a heading text → the last block index it is at
    for i, block in enumerate(blocks):
        if isinstance(block, Heading):
            last_at[_without_page_number(block.text)] = i
    run: list[tuple[int, Heading]] = []
    for i, block in enumerate([*blocks, None]):
        if isinstance(block, Heading):
            run.append((i, block))
            continue
        # the longest beginning of the run whose lines all come back after its last one
        longest, soonest_last = 0, len(blocks)
        for k, (index, heading) in enumerate(run, start=1):
            soonest_last = min(soonest_last, last_at[_without_page_number(heading.text)])
            if soonest_last > index:
                longest = k
        if longest >= _UNTITLED_TOC_LINES:
            return [h for _i, h in run[:longest]]
        run = []
    return []


_PAGE_NUMBER_AFTER = re.compile(r"(?:[.．…·—-]{2,}\s*|\s+)\d{1,3}\s*$")


def _without_page_number(text: str) -> str:
    """A heading's words without the page number a 目录 line ends with ("一、部门职责……3")."""
    return compact(_PAGE_NUMBER_AFTER.sub("", text))


# --------------------------------------------------------------------------------------------
# Patterns in context


@primitive("occurrences", 1, 2)
def occurrences(ctx: Context, pattern: Any, scope: Any = None) -> list[Hit]:
    """Where a /regex/ (or a text) occurs: one element per heading, passage, caption or table cell
    that contains it (the first match, `.count` matches in all), with `.text`, `.quote` (the match
    with its surroundings), `.before`, `.after`, `.next` (what follows the passage: paragraph, note,
    heading, table, or nothing), `.kind` (where it is: heading, paragraph, note, caption, preamble,
    cell, or toc for a 目录 entry), `.section` (its section path, joined with " › "); optionally
    only inside a section, table or list of them. `^` and
    `$` mean the start and end of the heading, passage or cell."""
    out: list[Hit] = []
    seen: dict[int, int] = {}
    toc = _toc_ids(ctx)
    for i, unit, m in _matches(ctx, pattern, scope):
        if i in seen:
            index = seen[i]
            out[index] = replace(out[index], count=out[index].count + 1)
            continue
        seen[i] = len(out)
        out.append(_hit(unit, m, toc=toc))
    return out


# Not inside a longer number or a decimal (12024, 1.2025), but after a list number at the start of
# a line: 1. 2025年部门收入预算总表 reads 1.2025年… once compacted.
_YEAR = re.compile(r"(?:(?<![\d.])|(?<=^\d\.)|(?<=^\d\d\.))((?:19|20)\d{2}|[一二][〇零○九][〇零○一二三四五六七八九]{2})(?=\s*年)")
_YEAR_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")


def _year_value(text: str) -> int:
    """`2024` or `二〇二四` → 2024."""
    return int(text.translate(_YEAR_DIGITS))


@primitive("years", 0, 1)
def years(ctx: Context, scope: Any = None) -> list[Hit]:
    """Every year written as `2024年` or `二〇二四年` (`.value` the year, `.before` the 20 characters
    before it, `.after` the rest of its sentence up to 80 characters: enough for 2022年上海市普陀区
    人民政府万里街道办事处（部门）下属1家机关和1家参公事业单位财政拨款的机关运行经费预算为…),
    `.kind` where it is (heading, paragraph, note, caption, preamble, cell, toc); optionally inside
    a section, table or list of them."""
    def compute() -> list[Hit]:
        toc = _toc_ids(ctx)
        return [_hit(unit, m, value=_year_value(m.group(1)), toc=toc, after_chars=80, to_sentence_end=True)
                for _i, unit, m in _matches(ctx, _YEAR, scope)]

    return ctx.cached(("text", "years"), compute) if scope is None else compute()


_PERIOD = re.compile(
    r"(?<!\d)(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:至|到|—|–|-|－|～|~)\s*(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日"
)


@primitive("periods", 0)
def periods(ctx: Context) -> list[Hit]:
    """Periods written from one date to another ("2025年1月1日至2025年12月31日", "2024年1月1日—12月31日":
    the end in the start's year when it names none, or in the next when it would come first), `.value`
    the days from start to end (negative when the end comes first). A date that does not exist is
    left to the rules about dates."""
    out = []
    for _i, unit, m in _matches(ctx, _PERIOD):
        y1, m1, d1, y2, m2, d2 = m.groups()
        try:
            start = date(int(y1), int(m1), int(d1))
            end = date(int(y2 or y1), int(m2), int(d2))
        except ValueError:
            continue
        if end < start and not y2:
            continue  # "2024年12月1日至1月31日": into the next year, most likely
        out.append(_hit(unit, m, value=(end - start).days, width=8))
    return out


# --------------------------------------------------------------------------------------------
# Brackets and quotation marks

_OPEN = {"（": "(", "(": "(", "“": "“", "‘": "‘", "「": "「", "《": "《", "【": "【", "〔": "〔", "『": "『", "［": "[", "[": "["}
_CLOSE = {"）": "(", ")": "(", "”": "“", "’": "‘", "」": "「", "》": "《", "】": "【", "〕": "〔", "』": "『", "］": "[", "]": "["}
_BRACKETS = re.compile("[" + re.escape("".join(_OPEN) + "".join(_CLOSE)) + "]")
# `1）…`, `a)…`: a list marker, not a closing bracket
_LIST_MARKER = re.compile(r"(?:^|(?<=[，。；：,;:\s]))[0-9a-zA-Z一二三四五六七八九十①-⑳]{1,2}[)）]")
_MARKER_ENDS = frozenset(")）")


def _ends_list_marker(text: str, pos: int) -> bool:
    """Whether the bracket at `pos` ends a list marker. A marker starts after a stop (or at the start)
    and holds no stop, so markers never overlap: this is the same as finding them all left to right."""
    return any(
        (m := _LIST_MARKER.match(text, start)) is not None and m.end() == pos + 1
        for start in (pos - 1, pos - 2) if start >= 0
    )


@primitive("unbalanced_brackets", 0, 1)
def unbalanced_brackets(ctx: Context, scope: Any = None) -> list[Hit]:
    """Brackets and quotation marks (（） () “” ‘’ 「」 《》 【】 〔〕) opened and never closed, or closed
    without being opened, in a heading, passage or caption (table cells are not judged: they
    are fragments). `.text` is the lonely mark, `.quote` the text around it."""
    if scope is not None:
        return _unbalanced(ctx, scope)
    return ctx.cached(("text", "brackets"), lambda: _unbalanced(ctx, None))


def _unbalanced(ctx: Context, scope: Any) -> list[Hit]:
    corpus = _corpus(ctx)
    allowed = _scope_units(ctx, scope)
    out: list[Hit] = []
    for i, unit in enumerate(corpus.units):
        if unit.kind == "cell" or (allowed is not None and i not in allowed):
            continue
        text = unit.text
        if not _BRACKETS.search(text):
            continue
        stack: list[tuple[str, int]] = []
        lonely: list[int] = []
        for m in _BRACKETS.finditer(text):
            ch, pos = m.group(), m.start()
            if ch in _OPEN:
                stack.append((_OPEN[ch], pos))
                continue
            if ch in _MARKER_ENDS and _ends_list_marker(text, pos):
                continue
            family = _CLOSE[ch]
            if stack and stack[-1][0] == family:  # the usual case: it closes the latest one
                stack.pop()
                continue
            depth = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == family), None)
            if depth is None:
                lonely.append(pos)
                continue
            lonely.extend(p for _f, p in stack[depth + 1 :])
            del stack[depth:]
        lonely.extend(p for _f, p in stack)
        positions = sorted(set(lonely))
        for k, pos in enumerate(positions):
            ch = text[pos]
            if k and _same_mark_twice(text, positions[k - 1], pos):
                continue  # told with the first: "“三公“经费", a closing mark typed as an opening one
            end = pos + 1
            if k + 1 < len(positions) and _same_mark_twice(text, pos, positions[k + 1]):
                end = positions[k + 1] + 1
            quote = _quote(text, pos, end, 15)
            out.append(Hit(
                text=ch, quote=quote, before=text[max(0, pos - 20) : pos], after=text[pos + 1 : pos + 21],
                location=_unit_location(unit, pos), anchor=quote,
            ))
    return out


def _same_mark_twice(text: str, first: int, second: int) -> bool:
    """Two lonely marks that are one pair typed wrong: the same mark, close together, no other
    bracket or quotation mark between them."""
    return (text[first] == text[second] and second - first <= 30
            and _BRACKETS.search(text, first + 1, second) is None)


# --------------------------------------------------------------------------------------------
# The same text twice


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A block whose text is the same as an earlier block's."""

    text: str
    quote: str  # its start, for messages
    count: int  # how many blocks in all have this text
    first: str  # where the first one is, for messages: 第7页, 第12行, or its section
    page: int | None
    location: Location
    related: tuple[Location, ...] = ()
    anchor: str = ""


@primitive("duplicates", 1, 2)
def duplicates(ctx: Context, items: Any, min_chars: Any = 50) -> list[Duplicate]:
    """Blocks (paragraphs, headings…) whose text, white space aside, is the same as an earlier
    one's and at least `min_chars` long: one element per repeat, with `.text`, `.quote`, `.count`
    (the blocks with this text in all), `.first` (where the first one is: 第7页, 第12行, or the
    section holding it) and `.page`."""
    least = int(min_chars)
    seen: dict[str, Any] = {}
    counts: Counter = Counter()
    repeats: list[tuple[str, Any]] = []
    for block in items if isinstance(items, (list, tuple)) else ():
        text = compact(getattr(block, "text", "") or "").replace("\n", "")
        if len(text) < least:
            continue
        counts[text] += 1
        if text in seen:
            repeats.append((text, block))
        else:
            seen[text] = block
    out = []
    for text, block in repeats:
        first = seen[text].location
        where = (f"第{first.page}页" if first.page else f"第{first.line}行" if first.line
                 else f"“{first.section[-1]}”一节" if first.section else "前文")
        out.append(Duplicate(text, _quote(text, 0, 0, 30), counts[text], where, block.location.page,
                             block.location, (first,), text[:80]))
    return out


# --------------------------------------------------------------------------------------------
# Names written several ways


@primitive("variants", 1, 2)
def variants(ctx: Context, pattern: Any, reference: Any = None) -> list[Variant]:
    """Names captured by a /regex/ (its group `name`, or its first group; a list of regexes for
    several contexts) compared with the usual one — `reference` when given and found, else the most
    frequent. A capture that ends with the usual name (`纳入上海市某局`) or is a shortening of it (`某局`)
    agrees; one that is nearly the same as a whole but differs (`上海市某某与某局` for `上海市某某和某局`,
    similarity ≥ 0.75) is a variant: one element per variant with `.count`, `.pages` and the usual
    name as `.canonical`. Anything else (another organisation) is left alone.

    With a `reference` of seven characters or more, the whole text is searched too for spellings of
    it one character off — one dropped or added (`上海市普区财政局`), or, for names of ten or more,
    one changed: a typo can sit anywhere, not only where a pattern looks. Shorter names are not
    searched: one character tells many real organisations apart (`上海市民政局`, `上海市财政局`).
    Should such a spelling occur more often than the reference itself, it is the usual one (the
    cover, where the reference is read, is then what is mistyped)."""
    captured = _captures(ctx, pattern)
    found = [(name, loc) for name, loc, _span in captured]
    ref = compact(str(reference)) if reference else ""
    spelled = _one_off_spellings(ctx, ref, [span for _n, _l, span in captured]) if ref else []
    found += [(name, loc) for name, loc, _span in spelled]
    if not found:
        return []
    counts = Counter(n for n, _loc in found)
    total_ref = _corpus(ctx).text.count(ref) if ref else 0
    canonical = ""
    if ref and (any(n == ref or n.endswith(ref) for n in counts) or (spelled and total_ref)):
        canonical = ref
    if not canonical:
        canonical = max(counts, key=lambda n: (counts[n], len(n)))
    if spelled:
        common = Counter(n for n, _l, _s in spelled).most_common(1)[0]
        if common[1] > total_ref:
            canonical = common[0]
    normalised: list[tuple[str, Location]] = []
    for name, loc in found:
        if name.endswith(canonical) or canonical.endswith(name):
            normalised.append((canonical, loc))
            continue
        variant = _near(name, canonical) or (name if _one_edit(name, canonical) else "")
        if variant:
            normalised.append((variant, loc))
    totals = Counter(n for n, _loc in normalised)
    canonical_count = totals.get(canonical, 0)
    if ref and canonical == ref:
        canonical_count = max(canonical_count, total_ref)
    return _by_name(normalised, canonical, canonical_count)


def _by_name(found: list[tuple[str, Location]], canonical: str, canonical_count: int) -> list[Variant]:
    """One element per name of `found` other than `canonical`, in the order they first occur."""
    out: list[Variant] = []
    for name in dict.fromkeys(n for n, _loc in found):
        if name == canonical:
            continue
        locs = [loc for n, loc in found if n == name]
        out.append(Variant(
            text=name, count=len(locs), canonical=canonical, canonical_count=canonical_count,
            pages=_where(locs), location=locs[0], related=tuple(locs[1:]), anchor=name,
        ))
    return out


def _captures(ctx: Context, pattern: Any) -> list[tuple[str, Location, tuple[int, int]]]:
    """(name, location, corpus span of the name) for every capture of the pattern(s)."""
    patterns = pattern if isinstance(pattern, (list, tuple)) else [pattern]
    out: list[tuple[str, Location, tuple[int, int]]] = []
    for p in patterns:
        for _i, unit, m in _matches(ctx, p):
            group: Any = "name" if "name" in m.re.groupindex else (1 if m.re.groups else 0)
            name = m.group(group)
            if name is None:
                continue
            span = m.span(group)
            name = _PART_PREFIX.sub("", name)
            if len(name) >= 2:
                out.append((name, _unit_location(unit, m.start() - unit.start), span))
    return out


_NAME_CHAR = re.compile(r"[\u4e00-\u9fff（）]+")


def _one_off_spellings(ctx: Context, ref: str, taken: list[tuple[int, int]]) -> list[tuple[str, Location, tuple[int, int]]]:
    """Runs of the text that start like `ref`, end like it and are one character off it (see
    `variants`), outside every exact occurrence of it and every span already captured."""
    size = len(ref)
    if size < 7:
        return []
    corpus = _corpus(ctx)
    text = corpus.text
    busy = [(m.start(), m.end()) for m in re.finditer(re.escape(ref), text)] + list(taken)
    lengths = (size - 1, size, size + 1) if size >= 10 else (size - 1, size + 1)
    out: list[tuple[str, Location, tuple[int, int]]] = []
    for m in re.finditer(re.escape(ref[:2]), text):
        s = m.start()
        for n in lengths:
            e = s + n
            w = text[s:e]
            if len(w) != n or w[-1] != ref[-1] or not _NAME_CHAR.fullmatch(w):
                continue
            if any(a < e and s < b for a, b in busy) or not _one_edit(w, ref):
                continue
            unit = corpus.units[corpus.unit_at(s)]
            out.append((w, _unit_location(unit, s - unit.start), (s, e)))
            busy.append((s, e))
            break
    return out


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by dropping, adding or changing exactly one character."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1 :]


@primitive("foreign_names", 2, 2)
def foreign_names(ctx: Context, pattern: Any, reference: Any) -> list[Variant]:
    """Full organisation names (a place — 上海市, 某某区, 中共某某 — then a name ending like an
    organisation: 局, 委员会, 办公室, 办事处, 中心, 院, 部…) captured by a /regex/ (group `name`; a
    list for several contexts) that are not `reference` and not a way of writing it: not a
    shortening (`普陀区财政局`, `区财政局`, `商务委` for 上海市普陀区商务委员会), not the name with more
    around it (`上海市某局机关`), not a variant spelling `variants` reports (similar ≥ 0.75 or one
    character off). For places where a document can only name itself (`2025年，××收入预算`): another
    organisation there is a wrong name. One element per name, `.canonical` the reference."""
    ref = _OWN_LEVEL.sub("", compact(str(reference))) if reference else ""
    if not ref:
        return []
    found: list[tuple[str, Location]] = []
    for name, loc, _span in _captures(ctx, pattern):
        if _agrees(name, ref) or _near(name, ref) or _one_edit(name, ref) or not _FULL_NAME.match(name):
            continue
        found.append((name, loc))
    return _by_name(found, ref, _corpus(ctx).text.count(ref))  # (no name of `found` is `ref`: it agrees)


_OWN_LEVEL = re.compile(r"[（(]本级[)）]$")  # 上海市某局（本级） on a cover is 上海市某局

# (not a clause that happens to hold a place: 根据市里要求的局)
_FULL_NAME = re.compile(
    r"^(?!根据|按照|依据|关于|通过|对于|为了|经过|对|在|向|由|从|将|把|经|与|和|及|是)(?!.*的)(中共|中国共产党)?[\u4e00-\u9fff]{1,8}?(省|市|自治区|县|区|旗|州|盟)[\u4e00-\u9fff（）]{1,30}"
    r"(局|委员会|委|办公室|办事处|工作部|部|中心|院|所|站|馆|队|社|会|厅|处|政府|街道|镇|乡|学校|医院)$"
)


def _agrees(name: str, ref: str) -> bool:
    """`name` is `ref`, holds it, or shortens it: a tail of it (`普陀区财政局`), or its characters
    in order without its leading place (`普陀区商务委`, `商务委`). A name that keeps the leading
    place but drops the one after it (`上海市财政局` for 上海市普陀区财政局) names another level."""
    if ref in name or ref.endswith(name):
        return True
    if name[:2] == ref[:2]:
        return False
    it = iter(ref)
    return all(ch in it for ch in name)


_PART_PREFIX = re.compile(r"^第[一二三四五六七八九十]+部分")


def _near(name: str, canonical: str, threshold: float = 0.75) -> str:
    """`name` when it is nearly `canonical` — a variant spelling, not another organisation or a
    sentence that merely mentions one (`根据上海市财政局…` is not a variant of 上海市普陀区财政局)."""
    ratio = SequenceMatcher(None, name, canonical, autojunk=False).ratio()
    return name if ratio >= threshold else ""


def _where(locations) -> str:
    """Where, for messages: `：第7页、第25页` (or lines) in document order, "" when the format has neither."""
    places = []
    for loc in sorted(locations, key=lambda loc: (loc.page or 0, loc.line or 0)):
        place = f"第{loc.page}页" if loc.page else (f"第{loc.line}行" if loc.line else "")
        if place and place not in places:
            places.append(place)
    if not places:
        return ""
    return "：" + "、".join(places[:8]) + ("等" if len(places) > 8 else "")


# --------------------------------------------------------------------------------------------
# Numbering of headings and list items

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_STYLES = (
    ("part", re.compile(r"^第\s*([一二三四五六七八九十百零〇]+|\d+)\s*(部分|章|篇)")),
    ("article", re.compile(r"^第\s*([一二三四五六七八九十百零〇]+)\s*条")),
    ("cn", re.compile(r"^([一二三四五六七八九十]+)\s*[、.．]")),
    ("pcn", re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[)）]")),
    ("ar", re.compile(r"^(\d{1,2})\s*([、.．])(?!\d)")),
    ("par", re.compile(r"^[（(]\s*(\d{1,2})\s*[)）]")),
)


def cn_number(text: str) -> int | None:
    """一 → 1, 十一 → 11, 二十三 → 23, 一百 → 100, 12 → 12."""
    if text.isdigit():
        return int(text)
    if any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _CN_DIGITS[ch] if current else _CN_DIGITS[ch]
    return total + current


def cn_numeral(n: int) -> str:
    """1 → 一, 11 → 十一, 23 → 二十三."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


# What every style's marker starts with (or a decimal digit, as `\d` in them): most paragraphs
# are told apart without trying the styles one by one.
_STYLE_FIRSTS = frozenset("第一二三四五六七八九十（(")


def numbering(text: str) -> tuple[str, int, str] | None:
    """(style, number, word) of a numbered heading or item: 第二部分 → (part, 2, 部分), 3. → (ar., 3, .)."""
    s = text.strip()
    first = s[:1]
    if first not in _STYLE_FIRSTS and not first.isdecimal():
        return None
    for style, rx in _STYLES:
        m = rx.match(s)
        if m:
            n = cn_number(m.group(1))
            if n is None:
                return None
            if style == "part":
                return style, n, m.group(2)
            if style == "ar":
                sep = "、" if m.group(2) == "、" else "."
                return "ar" + sep, n, sep
            return style, n, ""
    return None


def _marker(style: str, n: int, word: str) -> str:
    if style == "part":
        return f"第{cn_numeral(n)}{word}"
    if style == "article":
        return f"第{cn_numeral(n)}条"
    if style == "cn":
        return f"{cn_numeral(n)}、"
    if style == "pcn":
        return f"（{cn_numeral(n)}）"
    if style == "par":
        return f"（{n}）"
    return f"{n}{word}"


def _marker_forms(style: str, n: int, word: str) -> tuple[str, ...]:
    """The ways the marker may be written, compacted (for finding it embedded in a passage)."""
    if style == "cn":
        c = cn_numeral(n)
        return (f"{c}、", f"{c}.", f"{c}．")
    if style in ("pcn", "par"):
        c = cn_numeral(n) if style == "pcn" else str(n)
        return (f"（{c}）", f"({c})", f"（{c})", f"({c}）")
    if style.startswith("ar"):
        return (f"{n}、", f"{n}.", f"{n}．")
    return (_marker(style, n, word),)


@dataclass(slots=True)
class _Numbered:
    index: int  # position among the document's blocks
    block: Any
    style: str
    number: int
    word: str
    level: int  # heading level; list items (paragraphs) count as deeper than any heading
    seq: int = -1  # which sequence (list) it belongs to
    first: int = 1  # the number its sequence began with


@primitive("numbering_problems", 0)
def numbering_problems(ctx: Context) -> list[NumberingProblem]:
    """Numbered headings and list items (第一部分, 一、, （一）, 1. / 1、, （1）, 第一条) out of sequence
    within the same parent: a number repeated (`.problem` 重复), a number skipped (缺号, unless the
    missing marker is written inside the text in between), a number lower than the one before it
    that does not start a new list at 1 (顺序), or a block numbered at a higher level sitting inside
    a section whose numbering goes on after it (嵌套). The 目录 is judged on its own."""
    return _numbering_walk(ctx)[0]


def _numbering_walk(ctx: Context):
    return ctx.cached(("text", "numbering"), lambda: _numbering(ctx))


def _numbering(ctx: Context):
    document = ctx.document
    toc = _toc_ids(ctx)
    body: list[_Numbered] = []
    toc_items: list[_Numbered] = []
    resets: dict[int, int] = {}  # block index → heading level of an unnumbered heading
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading) or (isinstance(block, Paragraph) and not block.is_note):
            found = numbering(block.text)
            target = toc_items if id(block) in toc else body
            if found is None:
                if isinstance(block, Heading) and id(block) not in toc:
                    resets[index] = block.level
                    body.append(_Numbered(index, block, "", 0, "", block.level))
                continue
            style, n, word = found
            level = block.level if isinstance(block, Heading) else 99
            target.append(_Numbered(index, block, style, n, word, level))
    problems: list[NumberingProblem] = []
    nested = _nested_ranges(body)
    _walk(ctx, body, nested, problems)
    _walk(ctx, toc_items, {}, problems)
    problems.sort(key=lambda p: (p.location.page or 0, p.location.line or 0))
    return problems, body


def _nested_ranges(items: list[_Numbered]) -> dict[int, tuple[int, _Numbered]]:
    """Blocks numbered at a higher level inside a section whose numbering continues after them:
    start position → (end position, the section's item).

    `五、绩效` … `第一部分 …` … `六、采购`: the 第一部分 restarts its own numbering (or repeats it) and
    closes 五、; when 六、 later continues 五、, everything from 第一部分 up to 六、 sat inside 五、."""
    ranges: dict[int, tuple[int, _Numbered]] = {}
    stack: list[_Numbered] = []
    # style → (its last item, position of the intruder, the stack before the intruder)
    memo: dict[str, tuple[_Numbered, int, list[_Numbered]]] = {}
    for pos, item in enumerate(items):
        if not item.style:
            while stack and stack[-1].level >= item.level:
                stack.pop()
            for style in [s for s, m in memo.items() if m[0].level >= item.level]:
                del memo[style]
            continue
        k = _last_of_style(stack, item.style)
        continues = k is not None and item.number == stack[k].number + 1
        remembered = memo.get(item.style)
        if not continues and remembered and item.number == remembered[0].number + 1 and item.number >= 2:
            ranges[remembered[1]] = (pos, remembered[0])
            stack = remembered[2]  # back in the section the intruder sat in
            memo.clear()
            k = next(j for j in range(len(stack) - 1, -1, -1) if stack[j].style == item.style)
        if k is None:
            stack.append(item)
            continue
        if item.number <= stack[k].number:  # restarted or repeated: what it closes may go on later
            for dropped in stack[k + 1 :]:
                memo.setdefault(dropped.style, (dropped, pos, list(stack)))
        del stack[k + 1 :]
        stack[k] = item
    return ranges


def _last_of_style(stack: list[_Numbered], style: str) -> int | None:
    """Where the innermost item numbered in `style` is in the stack (a loop: asked for every item)."""
    for j in range(len(stack) - 1, -1, -1):
        if stack[j].style == style:
            return j
    return None


def _walk(ctx: Context, items: list[_Numbered], nested: dict, problems: list) -> None:
    stack: list[_Numbered] = []
    saved: list[tuple[int, list[_Numbered]]] = []  # (end position, outer stack) of nested blocks
    seq = 0
    for pos, item in enumerate(items):
        while saved and saved[-1][0] == pos:
            stack = saved.pop()[1]
        if pos in nested:
            end, parent = nested[pos]
            after = items[end]
            problems.append(NumberingProblem(
                problem="嵌套", text=_short(item.block.text), previous=_short(parent.block.text),
                expected="", following=_short(after.block.text), location=item.block.location,
                related=(parent.block.location, after.block.location), anchor=compact(item.block.text)[:40],
            ))
            saved.append((end, stack))
            stack = []
        if not item.style:
            while stack and stack[-1].level >= item.level:
                stack.pop()
            continue
        k = _last_of_style(stack, item.style)
        if k is None:
            seq += 1
            item.seq = seq
            item.first = item.number
            stack.append(item)
            continue
        last = stack[k]
        del stack[k + 1 :]
        n = item.number
        item.seq = last.seq
        if n == last.number and (n > 1 or (isinstance(item.block, Heading) and isinstance(last.block, Heading))):
            problems.append(_problem("重复", item, last, _marker(item.style, n + 1, item.word)))
        elif n > last.number + 1 and not _written_between(ctx, last, item):
            # one marker, two, or the first and the last: quoted by the message, “九、”至“十一、”
            first, final = _marker(item.style, last.number + 1, item.word), _marker(item.style, n - 1, item.word)
            missing = first if n - last.number == 2 else first + ("”“" if n - last.number == 3 else "”至“") + final
            problems.append(_problem("缺号", item, last, missing))
        elif n < last.number and (n > 1 or last.first > 1):
            # 六、 after 八、, or 1、 right after a list that began at 2、: out of order, not a new list;
            # the sequence goes on from the higher number
            problems.append(_problem("顺序", item, last, _marker(item.style, last.number + 1, item.word)))
            continue
        elif n <= last.number:
            seq += 1
            item.seq = seq  # a new list
            item.first = n
            stack[k] = item
            continue
        item.first = last.first
        stack[k] = item


def _problem(kind: str, item: _Numbered, last: _Numbered, expected: str) -> NumberingProblem:
    return NumberingProblem(
        problem=kind, text=_short(item.block.text), previous=_short(last.block.text), expected=expected,
        following="", location=item.block.location, related=(last.block.location,),
        anchor=compact(item.block.text)[:40],
    )


def _written_between(ctx: Context, last: _Numbered, item: _Numbered) -> bool:
    """The missing marker(s) appear in the text from the last item up to this one (a list item
    swallowed by the paragraph before it)."""
    blocks = ctx.document.blocks[last.index : item.index]
    text = "".join(compact(b.text) for b in blocks if isinstance(b, (Heading, Paragraph)))
    return all(
        any(form in text for form in _marker_forms(item.style, m, item.word))
        for m in range(last.number + 1, item.number)
    )


def _short(text: str, n: int = 30) -> str:
    s = " ".join(text.split())
    return s if len(s) <= n else s[:n] + "…"


# --------------------------------------------------------------------------------------------
# List items that end differently from their siblings

_ITEM_STOP = frozenset("。；;！？!?")
_ITEM_OPEN = frozenset("，,：:、")


@primitive("list_items", 0)
def list_items(ctx: Context) -> list[Item]:
    """Numbered paragraphs (list items, the paragraphs continuing them included), each with how
    many of its siblings end with a stop (`.stops` of `.siblings`) and whether it ends with no
    punctuation at all (`.unterminated`). Headings and the 目录 are not list items."""
    return ctx.cached(("text", "items"), lambda: _items(ctx))


def _items(ctx: Context) -> list[Item]:
    """Siblings are the items numbered the same way under the same heading (robust to a list whose
    numbering is itself broken)."""
    _problems, body = _numbering_walk(ctx)
    corpus = _corpus(ctx)
    parent: Any = None
    groups: dict[tuple, list[tuple[_Numbered, str]]] = {}
    for item in body:
        if isinstance(item.block, Heading):
            parent = item.block
            continue
        if not item.style:
            continue
        units = corpus.block_units.get(id(item.block), ())
        if not units:
            continue
        unit = corpus.units[units[0]]
        if unit.blocks[0] is not item.block:
            continue
        groups.setdefault((item.style, id(parent)), []).append((item, unit.text))
    out: list[Item] = []
    for members in groups.values():
        stops = sum(1 for _i, t in members if t[-1] in _ITEM_STOP)
        for item, text in members:
            last = text[-1]
            out.append(Item(
                text=_short(item.block.text), ending=text[-12:], stops=stops, siblings=len(members),
                unterminated=last not in _ITEM_STOP and last not in _ITEM_OPEN,
                location=item.block.location, anchor=text[:40],
            ))
    out.sort(key=lambda i: (i.location.page or 0, i.location.line or 0))
    return out


# --------------------------------------------------------------------------------------------
# The table of contents

_TOC_TITLE = re.compile(r"^目录$")


def _toc_entries_blocks(document: Document) -> tuple[Heading | None, list[Paragraph]]:
    """The 目录 heading and its entries: the paragraphs right after it, up to the first heading or table."""
    blocks = document.blocks
    for i, block in enumerate(blocks):
        if isinstance(block, Heading) and _TOC_TITLE.match(compact(block.text)):
            entries = []
            for b in blocks[i + 1 :]:
                if not isinstance(b, Paragraph):
                    break
                entries.append(b)
            return block, entries
    return None, []


_KEY_DROP = re.compile(r"\d{4}\s*年度?|[（(](部门|单位|本级)[)）]|[“”\"‘’《》〈〉]|的|\s")
_KEY_LEAD = re.compile(r"^(部门|单位|预算单位)")


def _toc_key(text: str) -> str:
    t = compact(text)
    m = _NUMBERED.match(t)
    if m:
        t = t[m.end() :]
    t = _KEY_DROP.sub("", t)
    return _KEY_LEAD.sub("", t)


@lru_cache(maxsize=4096)
def _grams(key: str, n: int = 4) -> frozenset[str]:
    """The stretches of `n` characters of a key. (Memoised: each key is compared with many others.)"""
    return frozenset(key[i : i + n] for i in range(len(key) - n + 1))


def _similar(a: str, b: str, ga: frozenset, gb: frozenset, same_number: bool, loose: bool) -> int:
    """How well two keys match: 3 the same, 2 one ends with the other (an organisation in front),
    1 loosely (when `loose`) — a long common ending (专项经费情况说明 / 项目经费情况说明), a long common
    stretch, or a shorter one under the same number — 0 not at all. `ga`, `gb`: their four-grams."""
    if not a or not b:
        return 0
    if a == b:
        return 3
    shorter = min(len(a), len(b))
    if shorter >= 4 and (a.endswith(b) or b.endswith(a)):
        return 2
    if not loose:
        return 0
    ending = max(4, (shorter + 1) // 2)  # a common ending of at least 4 characters and half the shorter
    if ending <= shorter and a[-ending:] == b[-ending:]:
        return 1
    need = 0.5 * shorter if same_number else max(6.0, 0.7 * shorter)
    if len(ga & gb) < max(1.0, need - 3):  # a common stretch of L characters shares L-3 four-grams
        return 0
    stretch = math.ceil(need)  # a common stretch at least this long: the same `stretch`-gram in both
    return 1 if stretch <= shorter and _grams(a, stretch) & _grams(b, stretch) else 0


def _align(n: int, pairs: list[tuple[int, int, int]]) -> dict[int, int]:
    """The best order-preserving matching: pairs (entry, candidate, weight) → entry → candidate,
    with both sides strictly increasing and the total weight largest (weighted LIS, Fenwick tree)."""
    if not pairs:
        return {}
    columns = sorted({j for _i, j, _w in pairs})
    rank = {j: k + 1 for k, j in enumerate(columns)}
    size = len(columns)
    tree: list[tuple[int, int]] = [(0, -1)] * (size + 1)  # (best total, pair index)

    def query(k: int) -> tuple[int, int]:
        best = (0, -1)
        while k > 0:
            if tree[k][0] > best[0]:
                best = tree[k]
            k -= k & -k
        return best

    def update(k: int, value: tuple[int, int]) -> None:
        while k <= size:
            if value[0] > tree[k][0]:
                tree[k] = value
            k += k & -k

    back: list[int] = []
    total: list[int] = []
    by_entry: dict[int, list[int]] = {}
    for index, (i, _j, _w) in enumerate(pairs):
        by_entry.setdefault(i, []).append(index)
    for i in sorted(by_entry):
        computed = []
        for index in by_entry[i]:
            _i, j, w = pairs[index]
            best, prev = query(rank[j] - 1)
            computed.append((index, best + w, prev))
        for index, value, prev in computed:
            while len(total) <= index:
                total.append(0)
                back.append(-1)
            total[index], back[index] = value, prev
        for index, value, _prev in computed:
            update(rank[pairs[index][1]], (value, index))
    best = query(size)
    out: dict[int, int] = {}
    index = best[1]
    while index >= 0:
        i, j, _w = pairs[index]
        out[i] = j
        index = back[index]
    return out


@primitive("toc_entries", 0)
def toc_entries(ctx: Context) -> list[TocEntry]:
    """The entries of the 目录 page, each matched to the heading or table it names in the rest of
    the document: `.found` (something matches), `.in_order` (it comes after what the entry before
    it matched), `.target`. An entry that only groups others (五、部门预算表 above 1. … 9. …) counts as
    found when its sub-entries are."""
    return ctx.cached(("text", "toc"), lambda: _toc(ctx))


def _toc(ctx: Context) -> list[TocEntry]:
    document = ctx.document
    heading, blocks = _toc_entries_blocks(document)
    entries = [b for b in blocks if _toc_key(b.text)]
    if heading is None or not entries:
        return []
    inside = {id(b) for b in blocks} | {id(heading)}
    candidates: list[tuple[int, str, Any, str]] = []  # (block index, key, block, label)
    after = False
    for index, block in enumerate(document.blocks):
        if id(block) in inside:
            after = True
            continue
        if not after:
            continue  # the 目录 lists what follows it
        if isinstance(block, Heading):
            candidates.append((index, _toc_key(block.text), block, block.text))
        elif isinstance(block, Table) and block.caption:
            candidates.append((index, _toc_key(block.caption), block, block.caption))
        elif isinstance(block, Paragraph) and not block.is_note and len(compact(block.text)) <= 50 and "。" not in block.text:
            candidates.append((index, _toc_key(block.text), block, block.text))
    # which entries group others: followed by an entry numbered in another style, starting at 1
    styles = [numbering(e.text) for e in entries]
    groups = {
        i for i in range(len(entries) - 1)
        if styles[i] and styles[i + 1] and styles[i + 1][0] != styles[i][0] and styles[i + 1][1] == 1
    }
    keys = [_toc_key(e.text) for e in entries]
    grams = [_grams(k) for k in keys]
    cand_grams = [_grams(c[1]) for c in candidates]
    cand_numbers = [numbering(c[3]) for c in candidates]
    # Keys score only when equal or sharing a stretch of four characters (see `_similar`): each
    # candidate is compared with the entries that have its key or one of its four-grams.
    entries_with: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        for text in (key, *grams[i]):
            entries_with.setdefault(text, []).append(i)
    pairs: list[tuple[int, int, int]] = []
    strength: dict[tuple[int, int], int] = {}
    for j, (_index, ckey, block, _label) in enumerate(candidates):
        near = {i for text in (ckey, *cand_grams[j]) for i in entries_with.get(text, ())}
        if not near:
            continue
        loose = not isinstance(block, Paragraph)  # a loose match only to a heading or a table
        for i in sorted(near):
            same = styles[i] is not None and cand_numbers[j] is not None and styles[i][:2] == cand_numbers[j][:2]
            s = _similar(keys[i], ckey, grams[i], cand_grams[j], same, loose)
            if s:
                strength[i, j] = s
                pairs.append((i, j, 2 * s + (1 if same else 0)))
    pairs.sort()
    aligned = _align(len(entries), pairs)
    out: list[TocEntry] = []
    for i, entry in enumerate(entries):
        j = aligned.get(i)
        in_order = j is not None
        if j is None:
            elsewhere = [jj for (ii, jj), s in strength.items() if ii == i and s >= 3]
            j = min(elsewhere) if elsewhere else None
        if j is None:
            if i in groups:
                continue  # a grouping entry: judged by its sub-entries
            out.append(TocEntry(_short(entry.text, 40), False, True, "", entry.location, anchor=compact(entry.text)))
            continue
        _index, _key, block, label = candidates[j]
        out.append(TocEntry(
            _short(entry.text, 40), True, in_order, _short(label, 40), entry.location,
            related=(block.location,), anchor=compact(entry.text),
        ))
    return out


# --------------------------------------------------------------------------------------------
# PDF pages

_FURNITURE = re.compile(r"^[-—–－]*(第?\d+页?(共\d+页)?|\d+/\d+)[-—–－]*$")
_BAD_CHAR = re.compile(r"[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f]")


@primitive("pages", 0)
def pages(ctx: Context) -> list[Page]:
    """The pages of a PDF (nothing for other formats): `.number`, `.text`, `.blank` (no text but a
    page number), `.inner` (text on some page before and after), `.duplicate_of` (an earlier page
    with the same text), `.unreadable` (characters that did not extract: private-use, U+FFFD,
    control characters; a bullet glyph at the start of a line is not counted) and `.quote`;
    `.unread` for a page the reader reported it could not read (only a picture, text that did not
    extract), whose characters are not counted again."""
    return ctx.cached(("text", "pages"), lambda: _pages(ctx.document))


def _pages(document: Document) -> list[Page]:
    texts = document.page_texts
    if not texts:
        return []
    reported = {p.location.page for p in document.problems if p.location.page}
    compacted = [compact(t).replace("\n", "").replace("\r", "") for t in texts]
    # a page the reader reported (only an image, text that did not extract) is not blank
    blank = [(not c or bool(_FURNITURE.match(c))) and i + 1 not in reported for i, c in enumerate(compacted)]
    first = next((i for i, b in enumerate(blank) if not b), None)
    last = next((i for i in range(len(blank) - 1, -1, -1) if not blank[i]), None)
    seen: dict[str, int] = {}
    out: list[Page] = []
    for i, raw in enumerate(texts):
        number = i + 1
        text = compacted[i]
        duplicate = None
        if not blank[i] and len(text) >= 30:
            duplicate = seen.get(text)
            seen.setdefault(text, number)
        bad = 0
        quote = ""
        if number not in reported and _BAD_CHAR.search(raw):  # most pages extract cleanly
            for line in raw.splitlines():
                body = line.lstrip()
                for m in _BAD_CHAR.finditer(body):
                    if m.start() == 0 and "\ue000" <= m.group() <= "\uf8ff":
                        continue  # a symbol-font bullet
                    bad += 1
                    if not quote:
                        quote = _quote(_BAD_CHAR.sub("□", body).strip(), m.start(), m.end(), 12)
        location = Location(file=document.path, page=number)
        related = (Location(file=document.path, page=duplicate),) if duplicate else ()
        out.append(Page(
            number=number, text=text, blank=blank[i],
            inner=first is not None and first < i < last, duplicate_of=duplicate, unreadable=bad,
            quote=quote, location=location, related=related, anchor=f"第{number}页", unread=number in reported,
        ))
    return out


# --------------------------------------------------------------------------------------------
# Table columns: cells that repeat each other, the most common value



@primitive("same_cells", 3)
def same_cells(ctx: Context, table: Any, first: Any, second: Any) -> list[str]:
    """The rows of a table whose cell under header `first` reads the same as the one under header
    `second` (`same_cells(t, /三级指标/, /指标描述/)`: descriptions that only repeat the name), as the
    texts under `first`; blank cells never count. Nothing when the table lacks either header."""
    if not isinstance(table, Table):
        return []
    return ctx.cached(("text", "same_cells", id(table), _key(first), _key(second)),
                      lambda: _same_cells(table, first, second))


def _key(pattern: Any) -> tuple:
    return (pattern.pattern, pattern.flags) if isinstance(pattern, re.Pattern) else (str(pattern), -1)


def _same_cells(table: Table, first: Any, second: Any) -> list[str]:
    for r in range(table.n_rows):
        names = [compact(table.text(r, c)) for c in range(table.n_cols)]
        a = next((c for c, n in enumerate(names) if pattern_found(first, n)), None)
        b = next((c for c, n in enumerate(names) if pattern_found(second, n) and c != a), None)
        if a is None or b is None:
            continue
        out = []
        for rr in range(r + 1, table.n_rows):
            row = table.grid[rr]
            if max(a, b) >= len(row) or row[a] is row[b]:
                continue  # a short row, or one merged cell across both columns
            x, y = compact(row[a].text), compact(row[b].text)
            if x and x == y:
                out.append(x)
        return out
    return []


@primitive("column", 2)
def column(ctx: Context, table: Any, header: Any) -> list[str]:
    """The non-blank cells under the first header cell matching the pattern, top to bottom."""
    if not isinstance(table, Table):
        return []
    return ctx.cached(("text", "column", id(table), _key(header)), lambda: _column(table, header))


def _column(table: Table, header: Any) -> list[str]:
    for r in range(table.n_rows):
        for c, text in enumerate(table.text(r, k) for k in range(table.n_cols)):
            if pattern_found(header, compact(text)):
                values = [compact(table.text(rr, c)) for rr in range(r + 1, table.n_rows)]
                return [v for v in values if v and not pattern_found(header, v)]
    return []


@primitive("most_common", 1)
def most_common(ctx: Context, values: Any) -> Tally | None:
    """The most common of a list of values: `.text`, `.count`, `.total`, `.share` (nothing for an empty list)."""
    if isinstance(values, list):  # a rule asks about the same list (a column) in its condition and its message
        # Keyed by id: the list kept in the memo stays alive, so no other object can take its id.
        return ctx.cached(("text", "most_common", id(values)), lambda: (values, _tally(values)))[1]
    return _tally(values)


def _tally(values: Any) -> Tally | None:
    items = [display(v) for v in values or ()]
    if not items:
        return None
    text, n = Counter(items).most_common(1)[0]
    return Tally(text, n, len(items), n / len(items))


# --------------------------------------------------------------------------------------------
# Attributes

def _page(_ctx, x) -> int | None:
    return x.location.page


ATTRIBUTES[Hit] = {
    "text": lambda ctx, h: h.text, "quote": lambda ctx, h: h.quote, "before": lambda ctx, h: h.before,
    "after": lambda ctx, h: h.after, "count": lambda ctx, h: h.count, "value": lambda ctx, h: h.value,
    "next": lambda ctx, h: h.next, "page": _page, "kind": lambda ctx, h: h.kind,
    "section": lambda ctx, h: " › ".join(h.location.section),
}
ATTRIBUTES[Variant] = {
    "text": lambda ctx, v: v.text, "count": lambda ctx, v: v.count, "canonical": lambda ctx, v: v.canonical,
    "canonical_count": lambda ctx, v: v.canonical_count, "pages": lambda ctx, v: v.pages, "page": _page,
}
# A section whose heading is a line of the 目录 (one written without its title reads as headings).
ATTRIBUTES.setdefault(Section, {})["toc"] = lambda ctx, s: id(s.heading) in _toc_ids(ctx)
ATTRIBUTES[Duplicate] = {
    "text": lambda ctx, d: d.text, "quote": lambda ctx, d: d.quote, "count": lambda ctx, d: d.count,
    "first": lambda ctx, d: d.first, "page": lambda ctx, d: d.page,
}
ATTRIBUTES[NumberingProblem] = {
    "problem": lambda ctx, n: n.problem, "text": lambda ctx, n: n.text, "previous": lambda ctx, n: n.previous,
    "expected": lambda ctx, n: n.expected, "following": lambda ctx, n: n.following, "page": _page,
}
ATTRIBUTES[Item] = {
    "text": lambda ctx, i: i.text, "ending": lambda ctx, i: i.ending, "stops": lambda ctx, i: i.stops,
    "siblings": lambda ctx, i: i.siblings, "unterminated": lambda ctx, i: i.unterminated, "page": _page,
}
ATTRIBUTES[TocEntry] = {
    "text": lambda ctx, e: e.text, "found": lambda ctx, e: e.found, "in_order": lambda ctx, e: e.in_order,
    "target": lambda ctx, e: e.target, "page": _page,
}
ATTRIBUTES[Page] = {
    "number": lambda ctx, p: p.number, "text": lambda ctx, p: p.text, "blank": lambda ctx, p: p.blank,
    "inner": lambda ctx, p: p.inner, "duplicate_of": lambda ctx, p: p.duplicate_of,
    "unreadable": lambda ctx, p: p.unreadable, "quote": lambda ctx, p: p.quote, "page": _page,
    "unread": lambda ctx, p: p.unread,
}
ATTRIBUTES[Tally] = {
    "text": lambda ctx, t: t.text, "count": lambda ctx, t: t.count, "total": lambda ctx, t: t.total,
    "share": lambda ctx, t: t.share,
}
