"""Mutation harness: how many realistic injected defects does openlint find?

For every document it reads the file once, checks it (the *baseline*), then applies one defect at a
time to the in-memory `Document` at a few seeded random positions and checks again. A mutation is

- DETECTED (strict) when a finding absent from the baseline (compared by rule id + message) points
  at the mutation: its location or a related location is the mutated table (and row), page or line,
  or its message quotes the mutated text or value, or (for a dropped section/table) it is a
  structure/table finding or names what was dropped;
- DETECTED (loose) when any new finding appears at all.

Control mutations (`noop-*`: a cell or paragraph replaced by an identical copy, the document
rebuilt unchanged) must produce no new finding; they measure false alarms caused by the rebuild.

Mutations are generic: candidates are found by regex over the document's own content (amount
cells by row kind, sentences stating an amount, a change or a reason, headings with the year,
code rows, the organisation name…), never by file. Each mutated document is rebuilt through
`openlint.read.structure.assemble`, so notes, section paths and the section tree stay consistent
and a merged cell stays one `Cell` object at every grid position it covers; a text change is
mirrored into the PDF page text (`page_texts`), which some rules read.

Kinds: table-amount:{leaf,subtotal,total} (+10 or two digits transposed), code:{wrong-name,
nonexistent}, narr-amount:{in-table,in-其中-sum,other} (an amount in a paragraph that also appears in
a table / belongs to an "X万元，其中：A、B、C" list that adds up / anything else), narr-delta-amount and
narr-direction (split :with-pct / :no-pct: whether the sentence also states a percentage), narr-pct,
narr-pct:wrong-base (the rate recomputed against this year's amount, not the earlier year's),
narr-count (a count ±1 in an "共有车辆5辆，其中：…" list of counts that adds up), narr-pct:named-base
(the P of "占<name>的P%" where the paragraph states an amount under <name> before it),
drop:section:<topic> (every section on the topic), drop:table, empty-table:{no-note,false-note},
leftover:*, punct:*, selfref, year:{heading,table-caption,statement-self,toc-table-title,comparison-base,text-other},
org:{other-org,dropped-char}, sangong:{reason-removed,reason-emptied}, total:reason-removed (a 决算's 总体情况), variance:reason-removed (the reason a 决算 item gives for
differing from its 预算), drop:item-explanation (a 决算's paragraph on one 项), dup:paragraph (a long paragraph
pasted again after the next one); noop:* are the controls.
A miss line shows what the harness knows about the target (e.g. `part UNTRUSTED`, `cell not in any
understood table part`) and the new findings that did not point at the mutation.

Usage:
    python benchmarks/mutations.py [--seed 1] [--per-doc 3] [--only KIND,…] [--examples 5]
                                   [--show-findings] [FILE …]
Without files: ../shared/corpus/real/*.pdf (templates left out), tests/fixtures/seed/*.txt and
examples/*.docx. Runs in well under a minute on the 17-file corpus.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable, Iterator

from openlint.judge.engine import check_document, load_rules
from openlint.model import Cell, Document, Heading, Paragraph, Table
from openlint.read import read_document
from openlint.read.structure import assemble
from openlint.understand.amounts import header_row_count, is_numbering_row, label_columns, parse_amount
from openlint.understand.codes import load_codes, table_codes
from openlint.understand.kind import detect_kind
from openlint.understand.tables import read_table

ROOT = Path(__file__).resolve().parent.parent
_WS = re.compile(r"[\s\u3000\u00a0]+")


def squash(text: str) -> str:
    return _WS.sub("", text or "")


# ------------------------------------------------------------------ rebuilding a document


def rebuild(doc: Document, blocks: list, page_edits: list[tuple[int | None, str, str]] = ()) -> Document:
    """A consistent Document from modified blocks: notes re-attached, section paths and tree rebuilt.

    Tables lose their attached notes and note paragraphs their flag first: `assemble` attaches
    them again from the paragraphs that follow each table."""
    clean = []
    for b in blocks:
        if isinstance(b, Table) and b.notes:
            b = replace(b, notes=())
        elif isinstance(b, Paragraph) and b.is_note:
            b = replace(b, is_note=False)
        clean.append(b)
    texts = list(doc.page_texts)
    for page, old, new in page_edits:
        if page and 0 < page <= len(texts) and old and old in texts[page - 1]:
            texts[page - 1] = texts[page - 1].replace(old, new, 1)
    return assemble(doc.path, doc.format, clean, page_count=doc.page_count, problems=doc.problems,
                    page_texts=tuple(texts))


def replace_cell(table: Table, cell: Cell, text: str) -> Table:
    """`table` with `cell` (at every grid position it covers) replaced by a copy holding `text`."""
    new = Cell(text, cell.row, cell.col, cell.row_span, cell.col_span)
    grid = tuple(tuple(new if c is cell else c for c in row) for row in table.grid)
    return replace(table, grid=grid)


def replace_cells(table: Table, changes: dict[int, str]) -> Table:
    """Several cells at once, keyed by id(cell)."""
    made: dict[int, Cell] = {}
    rows = []
    for row in table.grid:
        out = []
        for c in row:
            if id(c) in changes:
                if id(c) not in made:
                    made[id(c)] = Cell(changes[id(c)], c.row, c.col, c.row_span, c.col_span)
                c = made[id(c)]
            out.append(c)
        rows.append(tuple(out))
    return replace(table, grid=tuple(rows))


# ------------------------------------------------------------------ mutations


@dataclass
class Mutation:
    kind: str
    file: str
    where: str  # human description of the position
    before: str
    after: str
    doc: Document
    pages: frozenset = frozenset()  # pages (PDF) or lines (txt) of the mutated block
    table: str | None = None  # caption of the mutated table
    row: str | None = None  # row label (squashed) of the mutated cell
    quotes: tuple[str, ...] = ()  # texts a finding about the mutation would likely quote
    expect: tuple[str, ...] = ()  # rule-id prefixes / categories that are about this kind of defect
    note: str = ""  # what the harness knows about the target (table trusted? kind?)
    control: bool = False
    undo: tuple[tuple[str, str], ...] = ()  # (mutated text, original): a message quoting it is an old finding reworded


def block_pos(block) -> int | None:
    return block.location.page or block.location.line


_AMOUNT_CELL = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+(\.\d+)?$")


def bump(text: str, rng: random.Random) -> tuple[str, str]:
    """A visibly different amount in the same print style: +10 (in the printed unit) or two
    adjacent different digits transposed. Returns (new text, how)."""
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    pairs = [(a, b) for a, b in zip(digits, digits[1:]) if b == a + 1 and text[a] != text[b]]
    if pairs and rng.random() < 0.5:
        a, b = rng.choice(pairs)
        return text[:a] + text[b] + text[a] + text[b + 1:], "transposed digits"
    plain = text.replace(",", "")
    try:
        value = Decimal(plain)
    except InvalidOperation:
        return text, ""
    decimals = len(plain.split(".")[1]) if "." in plain else 0
    new = value + 10
    if "," in text:
        out = f"{new:,.{decimals}f}"
    else:
        out = f"{new:.{decimals}f}"
    return out, "+10"


def table_captions(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def _row_label(table: Table, r: int) -> str:
    texts = [t for t in table.row_texts(r) if t and not _AMOUNT_CELL.match(squash(t))]
    return squash(" ".join(texts))[:30]


def _part_info(table: Table, r: int, c: int) -> tuple[str | None, str]:
    """(row kind: total/subtotal/leaf, note on how openlint understands the cell)."""
    sem = read_table(table)
    for part in sem.parts:
        col = part.column(c)
        if col is None:
            continue
        for row in part.rows:
            if row.index != r:
                continue
            if row.kind in ("total", "grand", "subtotal"):
                kind = "total" if row.kind in ("total", "grand") else "subtotal"
            elif row.level is not None and any(o.level is not None and o.level > row.level and o.index > r
                                               for o in part.rows):
                kind = "subtotal"
            else:
                kind = "leaf"
            flags = []
            if not part.trusted:
                flags.append("part UNTRUSTED")
            if row.suspect:
                flags.append("row suspect")
            roles = ",".join(sorted(getattr(col, "roles", ()) or ())) if hasattr(col, "roles") else ""
            flags.append(f"col={col.name}" + (f"[{roles}]" if roles else ""))
            if row.code:
                flags.append(f"code={row.code}")
            return kind, "; ".join(flags)
    return None, "cell not in any understood table part"


_CODE_HEADER = re.compile(r"^(类|款|项|科目编码|编码|代码|功能分类科目编码|经济分类科目编码|行次|栏次|序号|编号)$")


def _code_columns(table: Table, top: int) -> set[int]:
    """Columns headed 类/款/项/编码/行次…: their figures are codes or line numbers, not amounts."""
    out = set()
    for r in range(min(top, table.n_rows)):
        for c, cell in enumerate(table.grid[r]):
            if _CODE_HEADER.match(squash(cell.text)):
                out.update(range(cell.col, cell.col + cell.col_span))
    return out


def mut_table_amount(doc, rng, ctx) -> Iterator[Mutation]:
    """table-amount:leaf / :subtotal / :total — one body amount changed."""
    for ti, table in enumerate(b for b in doc.blocks if isinstance(b, Table)):
        top = header_row_count(table)
        code_cols = _code_columns(table, top)
        for r in range(top, table.n_rows):
            if is_numbering_row(table, r):
                continue
            seen = set()
            for c, cell in enumerate(table.grid[r]):
                if id(cell) in seen or cell.row != r:
                    continue
                seen.add(id(cell))
                t = cell.text.strip()
                if not _AMOUNT_CELL.match(t) or parse_amount(t) in (None, 0):
                    continue
                if c in code_cols or (c <= 3 and re.fullmatch(r"\d{3,7}|0\d", t)):  # a classification code
                    continue
                kind, info = _part_info(table, r, c)
                label = _row_label(table, r)
                if kind is None:
                    kind = "total" if re.search(r"合计|总计", label) else "leaf"
                yield ("table-amount:" + kind, table, cell, label, info)


def make_table_amount(doc, cand, rng) -> Mutation | None:
    kind, table, cell, label, info = cand
    new, how = bump(cell.text.strip(), rng)
    if not how:
        return None
    blocks = [replace_cell(b, cell, new) if b is table else b for b in doc.blocks]
    page = block_pos(table)
    return Mutation(kind, doc.path, f"p{page} 表「{table.caption[:30]}」 行「{label}」 ({how})", cell.text, new,
                    rebuild(doc, blocks), frozenset(table.pages or (page,)), table.caption, label,
                    (new, new.replace(",", "")), ("ARI", "CON", "NAR"), info, undo=((new, cell.text.strip()),))


# --- paragraph text mutations -----------------------------------------------------------

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NARR_AMOUNT = re.compile(rf"(?<![\d.,])({_NUM})(?=\s*(?:万元|元|亿元))")
_CHANGE_AMOUNT = re.compile(rf"(增加|减少|增长|下降|上升|减|增)\s*({_NUM})(?=\s*万?元)")
_CHANGE_PCT = re.compile(r"(增加|减少|增长|下降|上升|减|增)(了)?\s*(\d+(?:\.\d+)?)\s*(?=[%％])")
_DIRECTION = re.compile(r"(增加|减少|增长|下降)(?=\s*(?:了)?\s*\d)")
_FLIP = {"增加": "减少", "减少": "增加", "增长": "下降", "下降": "增长"}


def body_paragraphs(doc: Document) -> list[Paragraph]:
    return [b for b in doc.blocks if isinstance(b, Paragraph) and not b.is_note and len(b.text) >= 8]


def table_values(doc: Document) -> set[Decimal]:
    out = set()
    for t in table_captions(doc):
        for row in t.grid:
            for cell in row:
                v = parse_amount(cell.text.strip()) if _AMOUNT_CELL.match(cell.text.strip()) else None
                if v:
                    out.add(v)
                    out.add((v / 10000).quantize(Decimal("0.01")))
    return out


def edit_paragraph(doc: Document, para: Paragraph, new_text: str) -> Document:
    blocks = [Paragraph(new_text, b.location, b.is_note) if b is para else b for b in doc.blocks]
    return rebuild(doc, blocks, [(para.location.page, para.text, new_text)])


def edit_heading(doc: Document, head: Heading, new_text: str) -> Document:
    blocks = [Heading(new_text, b.level, b.location) if b is head else b for b in doc.blocks]
    return rebuild(doc, blocks, [(head.location.page, head.text, new_text)])


def _window(text: str, start: int, end: int, new: str) -> tuple[str, str]:
    """(before, after) excerpts around a span, for the report."""
    a, b = max(0, start - 18), min(len(text), end + 12)
    return "…" + text[a:b] + "…", "…" + text[a:start] + new + text[end:b] + "…"


def para_mutation(kind, doc, para, start, end, new, quotes, expect, note="", heading=False) -> Mutation:
    text = para.text
    new_text = text[:start] + new + text[end:]
    before, after = _window(text, start, end, new)
    mutated = edit_heading(doc, para, new_text) if heading else edit_paragraph(doc, para, new_text)
    pos = block_pos(para)
    return Mutation(kind, doc.path, f"{'p' if para.location.page else 'l'}{pos} {'标题' if heading else '段落'}",
                    before, after, mutated, frozenset((pos,)), None, None, tuple(q for q in quotes if q), expect, note,
                    undo=((new, text[start:end]),) if new else ())


_BREAKDOWN = re.compile(rf"({_NUM})\s*万?元[^。；;]{{0,24}}?其中[：:]([^。]*)")


def _breakdown_spans(text: str) -> set[int]:
    """Starts of amounts in "X万元，其中：A万元、B万元、C万元" lists whose parts add up to X (both
    the head and the parts): a defect there breaks an identity stated in one sentence."""
    out = set()
    for m in _BREAKDOWN.finditer(text):
        head = parse_amount(m.group(1))
        parts = list(_NARR_AMOUNT.finditer(text, m.start(2), m.end(2)))
        if head is None or len(parts) < 2:
            continue
        total = sum((parse_amount(x.group(1)) or Decimal(0)) for x in parts)
        if abs(total - head) <= Decimal("0.011") * len(parts):
            out.add(m.start(1))
            out.update(x.start(1) for x in parts)
    return out


def cand_narr_amount(doc, ctx):
    values = ctx["table_values"]
    for p in body_paragraphs(doc):
        summed = _breakdown_spans(p.text)
        for m in _NARR_AMOUNT.finditer(p.text):
            if m.start(1) in summed:
                v = parse_amount(m.group(1))
                if v:
                    yield ("narr-amount:in-其中-sum", p, m.start(1), m.end(1))
                continue
            pre = p.text[max(0, m.start() - 4):m.start()]
            if re.search(r"(增加|减少|增长|下降|上升|减|增)\s*$", pre):
                continue  # a change figure: narr-delta
            v = parse_amount(m.group(1))
            if not v:
                continue
            in_table = v in values
            yield ("narr-amount:in-table" if in_table else "narr-amount:other", p, m.start(1), m.end(1))


def make_narr(doc, cand, rng):
    kind, p, s, e = cand
    new, how = bump(p.text[s:e], rng)
    if not how:
        return None
    return para_mutation(kind, doc, p, s, e, new, (new, new.replace(",", "")), ("CON", "NAR", "CLS"), how)


# a count and the counts of its measure word after its 其中 ("共有车辆5辆，其中：执法执勤用车1辆、…、其他用车4辆")
_MEASURE = r"台（套）|台\(套\)|台/套|人次|批次|辆|台|套|个|人|项|家"
_COUNT_BREAKDOWN = re.compile(rf"(?<![\d.,])(\d+)\s*({_MEASURE})[^。；;\d]{{0,24}}?其中[：:]([^。；;]*)")


def _count_breakdown_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, measure word) of the counts in "X辆，其中：A辆、B辆" lists whose parts add up to X."""
    out = []
    for m in _COUNT_BREAKDOWN.finditer(text):
        measure = m.group(2)
        parts = list(re.finditer(rf"(?<![\d.,])(\d+)\s*(?:{re.escape(measure)})(?![\u4e00-\u9fff])", m.group(3)))
        if len(parts) >= 2 and sum(int(x.group(1)) for x in parts) == int(m.group(1)):
            out.append((m.start(1), m.end(1), measure))
            out.extend((m.start(3) + x.start(1), m.start(3) + x.end(1), measure) for x in parts)
    return out


def cand_count(doc, ctx):
    for p in body_paragraphs(doc):
        for start, end, measure in _count_breakdown_spans(p.text):
            yield ("narr-count", p, start, end, measure)


def make_count(doc, cand, rng):
    kind, p, s, e, measure = cand
    old = int(p.text[s:e])
    new = str(old - 1 if old and rng.random() < 0.5 else old + 1)
    return para_mutation(kind, doc, p, s, e, new, (new + measure,), ("NAR",), f"{old}→{new}")


# "占政府采购支出总额的90.00%" after "政府采购支出总额100.00万元" in the same paragraph
_NAMED_SHARE = re.compile(r"占([^，,。；;\d%％]{2,12}?)的\s*(\d+(?:\.\d+)?)\s*(?=[%％])")


def cand_named_share(doc, ctx):
    for p in body_paragraphs(doc):
        for m in _NAMED_SHARE.finditer(p.text):
            if re.search(re.escape(m.group(1)) + r"[^，,。；;\d]{0,4}?\s*\d[\d,.]*\s*万?元", p.text[: m.start()]):
                yield ("narr-pct:named-base", p, m.start(2), m.end(2))


def _sentence_kind(text: str, at: int) -> str:
    """`:with-pct` when the sentence also states a percentage change (so the change can be
    recomputed from the sentence alone), else `:no-pct` (only the earlier year's amount, when the
    sentence or another statement gives it, could contradict it)."""
    start = max(text.rfind(ch, 0, at) for ch in "。；;") + 1
    ends = [i for i in (text.find(ch, at) for ch in "。；;") if i >= 0]
    sentence = text[start:min(ends) if ends else len(text)]
    if re.search(r"\d\s*[%％]", sentence):
        return ":with-pct"
    return ":no-pct"


def cand_delta(doc, ctx):
    for p in body_paragraphs(doc):
        for m in _CHANGE_AMOUNT.finditer(p.text):
            yield ("narr-delta-amount" + _sentence_kind(p.text, m.start()), p, m.start(2), m.end(2))


def cand_pct(doc, ctx):
    for p in body_paragraphs(doc):
        for m in _CHANGE_PCT.finditer(p.text):
            if parse_amount(m.group(3)):
                yield ("narr-pct", p, m.start(3), m.end(3))


# "X万元，比上年增加N万元，增长P%": the rate recomputed against this year's amount instead of the
# earlier year's (N/X), an error seen again and again in published texts
_RATE_SENTENCE = re.compile(
    rf"({_NUM})\s*万?元[，,]\s*(?:比|较|与)[^，,。；;%]{{0,16}}?(增加|减少)\s*({_NUM})\s*万?元[，,]\s*(?:增长|下降)\s*(\d+(?:\.\d+)?)(?=\s*[%％])"
)


def cand_wrong_base(doc, ctx):
    for p in body_paragraphs(doc):
        for m in _RATE_SENTENCE.finditer(p.text):
            yield ("narr-pct:wrong-base", p, m)


def make_wrong_base(doc, cand, rng):
    kind, p, m = cand
    x, n = parse_amount(m.group(1)), parse_amount(m.group(3))
    if not x or not n:
        return None
    old = m.group(4)
    decimals = len(old.split(".")[1]) if "." in old else 0
    wrong = f"{(n / x * 100):.{decimals}f}"
    if wrong == old:
        return None
    return para_mutation(kind, doc, p, m.start(4), m.end(4), wrong, (wrong + "%", wrong), ("NAR",), "rate against this year")


def make_pct(doc, cand, rng):
    kind, p, s, e = cand
    old = p.text[s:e]
    new, how = bump(old, rng)
    if new == old or not how:
        return None
    return para_mutation(kind, doc, p, s, e, new, (new + "%", new), ("NAR",), how)


def cand_direction(doc, ctx):
    for p in body_paragraphs(doc):
        for m in _DIRECTION.finditer(p.text):
            # a comparison sentence: 比…/较… before the word in the same clause
            clause = re.split(r"[。；;]", p.text[:m.start()])[-1]
            if re.search(r"比|较|同比|与上年", clause):
                yield ("narr-direction" + _sentence_kind(p.text, m.start()), p, m.start(1), m.end(1))


def make_direction(doc, cand, rng):
    kind, p, s, e = cand
    new = _FLIP[p.text[s:e]]
    return para_mutation(kind, doc, p, s, e, new, (new,), ("NAR",))


# template leftovers, punctuation, brackets

def cand_leftover(doc, ctx):
    for p in body_paragraphs(doc):
        for m in _NARR_AMOUNT.finditer(p.text):
            yield ("leftover:XX-amount", p, m.start(1), m.end(1), "XX")
            yield ("leftover:××-amount", p, m.start(1), m.end(1), "××")
        org = ctx["org"]
        for m in re.finditer(re.escape(org) if org else r"(?!x)x", p.text):
            yield ("leftover:某某-org", p, m.start(), m.end(), "某某单位")
        for m in re.finditer(r"。", p.text):
            yield ("leftover:fill-in", p, m.start(), m.start(), "（此处填写具体内容）")
        for m in re.finditer(r"主要(原因|用于)(是|为)?", p.text):
            yield ("leftover:fill-in-reason", p, m.end(), len(p.text.rstrip("。")), "XXXXXX")


def make_leftover(doc, cand, rng):
    kind, p, s, e, new = cand
    return para_mutation(kind, doc, p, s, e, new, (new,), ("TXT",))


def cand_punct(doc, ctx):
    for p in body_paragraphs(doc):
        for m in re.finditer(r"[。，；]", p.text):
            if p.text[m.end():m.end() + 1] in "。，；：":
                continue
            yield ("punct:double", p, m.start(), m.end(), m.group() * 2)
        depth = 0
        for i, ch in enumerate(p.text):
            if ch == "（":
                depth += 1
            elif ch == "）" and depth:
                depth -= 1
                yield ("punct:unbalanced-bracket", p, i, i + 1, "")


def make_punct(doc, cand, rng):
    kind, p, s, e, new = cand
    quotes = (p.text[max(0, s - 6):s],) if kind.endswith("bracket") else (new,)
    return para_mutation(kind, doc, p, s, e, new, quotes, ("TXT",))


# self reference, year, organisation

def cand_selfref(doc, ctx):
    level = ctx["facts"].level
    if level not in ("部门", "单位"):
        return
    word = "本" + level
    other = "本单位" if level == "部门" else "本部门"
    for p in body_paragraphs(doc):
        for m in re.finditer(word, p.text):
            yield ("selfref:部门↔单位", p, m.start(), m.end(), other)


def cand_year(doc, ctx):
    year = ctx["facts"].year
    if not year:
        return
    pat = re.compile(rf"{year}(?=\s*年)")
    for b in doc.blocks:
        if isinstance(b, Heading) and pat.search(b.text):
            for m in pat.finditer(b.text):
                yield ("year:heading", b, m.start(), m.end(), str(year - 1))
        elif isinstance(b, Paragraph) and not b.is_note:
            for m in pat.finditer(b.text):
                after = b.text[m.end():m.end() + 12]
                if re.match(r"\s*年度?\s*(区级)?(部门|单位|预算单位)?\s*\S{0,40}表$", b.text[m.end():].strip()):
                    yield ("year:toc-table-title", b, m.start(), m.end(), str(year - 1))
                elif re.match(r"\s*年度?\s*(区级)?(部门|单位)?\s*(预算|决算)", after):
                    yield ("year:statement-self", b, m.start(), m.end(), str(year - 1))
                elif re.search(r"(比|较|与|同|对)\s*$", b.text[max(0, m.start() - 3):m.start()]):
                    pass  # the comparison base year (already year-1 in a budget): changing it is year:comparison-base
                else:
                    yield ("year:text-other", b, m.start(), m.end(), str(year - 1))
            prev = rf"{year - 1}(?=\s*年)"
            for m in re.finditer(prev, b.text):
                if re.search(r"(比|较|与|同|对)\s*$", b.text[max(0, m.start() - 3):m.start()]):
                    yield ("year:comparison-base", b, m.start(), m.end(), str(year - 2))


def cand_caption_year(doc, ctx):
    year = ctx["facts"].year
    if not year:
        return
    for t in table_captions(doc):
        m = re.search(rf"{year}(?=\s*年)", t.caption)
        if m:
            yield ("year:table-caption", t, m.start(), m.end(), str(year - 1))


def make_caption_year(doc, cand, rng):
    kind, t, s, e, new = cand
    caption = t.caption[:s] + new + t.caption[e:]
    table = replace(t, caption=caption, location=replace(t.location, table=caption))
    blocks = [table if b is t else b for b in doc.blocks]
    pos = block_pos(t)
    return Mutation(kind, doc.path, f"p{pos} 表题", t.caption, caption, rebuild(doc, blocks, [(pos, t.caption, caption)]),
                    frozenset(t.pages or (pos,)), caption, None, (new + "年",), ("META",),
                    undo=((caption, t.caption), (new + "年", t.caption[s:e] + "年")))


def make_simple(doc, cand, rng, expect=("CON", "META", "TXT")):
    kind, b, s, e, new = cand
    return para_mutation(kind, doc, b, s, e, new, (new + "年" if kind.startswith("year") else new,), expect,
                         heading=isinstance(b, Heading))


def cand_org(doc, ctx):
    org = ctx["org"]
    if not org:
        return
    for p in body_paragraphs(doc):
        for m in re.finditer(re.escape(org), p.text):
            yield ("org:other-org", p, m.start(), m.end(), ctx["other_org"])
            # a typo-like variant: a character dropped from the middle of the name
            if len(org) > 6:
                k = len(org) // 2
                yield ("org:dropped-char", p, m.start(), m.end(), org[:k] + org[k + 1:])


_REASON_CUT = re.compile(r"[，,；;]?\s*(?:其中|主要|增加|减少|下降|增长)?[^，,。；;]{0,12}?"
                         r"(?:主要原因是|主要原因为|原因是|原因为|主要是由于|主要是因为|主要由于|由于|主要是|主要系|系)"
                         r"[^。；;]*")


def _reason_cuts(paragraphs, prefix):
    """The reasons given for changes in these paragraphs: removed (`prefix`:reason-removed) and
    emptied, the marker kept (`prefix`:reason-emptied)."""
    for b in paragraphs:
        if not re.search(r"增加|减少|增长|下降", b.text):
            continue
        for m in _REASON_CUT.finditer(b.text):
            s = m.start()
            clause = re.split(r"[。；;]", b.text[:s])[-1]
            if not re.search(r"增加|减少|增长|下降|上升|降低", clause) or re.search(r"持平|不变|一致", clause):
                continue  # the reason of an unchanged amount is not required
            # keep the words that start the clause (e.g. "比上年减少2万元") intact: cut from the reason marker
            mk = re.search(r"主要原因|原因|主要是|由于|主要系|系", b.text[s:m.end()])
            s = s + mk.start() if mk else s
            # drop a comma right before the reason
            if s and b.text[s - 1] in "，,":
                s -= 1
            yield (f"{prefix}:reason-removed", b, s, m.end(), "")
            marker = re.search(r"主要原因是|主要原因为|原因是|原因为|主要是由于|主要是因为|主要由于|由于|主要是|主要系", b.text[s:m.end()])
            if marker:
                yield (f"{prefix}:reason-emptied", b, s + marker.end(), m.end(), "")


def _paragraphs_under(doc, heading: str, also=None):
    """The narrative paragraphs under headings matching `heading` (or matching `also` themselves)."""
    inside = False
    for b in doc.blocks:
        if isinstance(b, Heading):
            inside = bool(re.search(heading, b.text))
        elif isinstance(b, Paragraph) and not b.is_note and (inside or (also and re.search(also, b.text))):
            yield b


def cand_sangong_reason(doc, ctx):
    paragraphs = [b for b in _paragraphs_under(doc, "三公", r"三公|公务接待|公务用车|因公出国")]
    yield from _reason_cuts(paragraphs, "sangong")


def cand_total_reason(doc, ctx):
    """A 决算's 总体情况 (收入支出, 财政拨款, 一般公共预算): the reason for its change on the year before."""
    if ctx["facts"].kind == "决算":
        yield from (c for c in _reason_cuts(list(_paragraphs_under(doc, r"总体情况(?!.*三公)")), "total")
                    if c[0].endswith("removed"))


def cand_variance_reason(doc, ctx):
    """The sentence that answers for a 决算 unlike its 预算 ("决算数小于预算数的主要原因：…。"), dropped."""
    reason = re.compile(r"决算数?(?:大于|小于|高于|低于|超过)[^，,。；;]{0,8}预算数?的?主要原因[^。]*。?")
    for b in doc.blocks:
        if isinstance(b, Paragraph) and not b.is_note and "支出决算" in b.text:
            for m in reason.finditer(b.text):
                yield ("variance:reason-removed", b, m.start(), m.end(), "")


def make_reason(doc, cand, rng):
    kind, b, s, e, new = cand
    return para_mutation(kind, doc, b, s, e, new, (b.text[max(0, s - 10):s],), ("SG",))


# tables and sections dropped, emptied, falsely declared empty

_REQUIRED_SECTIONS = {
    "职责/职能": r"职责|职能",
    "机构设置": r"机构设置|单位构成",
    "收支总体情况": r"总体情况|收支.*(预算|决算).*说明|编制说明",
    "机关运行经费": r"机关运行经费",
    "政府采购": r"政府采购",
    "国有资产": r"国有资产",
    "绩效": r"绩效",
    "三公": r"三公",
    "名词解释": r"名词解释",
}


def cand_drop_section(doc, ctx):
    """One candidate per required topic: every section whose heading names it goes (documents
    repeat a heading on each page; dropping one copy would leave the topic in place)."""
    for name, pat in _REQUIRED_SECTIONS.items():
        hits = []
        for s in doc.iter_sections():
            title = squash(s.title)
            if len(title) > 40 or title.endswith("表") or not re.search(pat, title):
                continue
            if any(id(s.heading) in {id(b) for b in h.blocks} for h in hits):
                continue  # inside a section already dropped
            hits.append(s)
        if hits:
            yield ("drop:section:" + name, tuple(hits), name)


def cand_drop_item(doc, ctx):
    """A 决算's explanation of one 项 ("3、…（类）…（款）…（项）。主要用于…年初预算为…"), deleted."""
    if ctx["facts"].kind != "决算":
        return
    for b in doc.blocks:
        if isinstance(b, Paragraph) and not b.is_note and re.match(r"\d{1,2}[、.．].{2,30}（类）.*（项）", b.text) and "决算" in b.text:
            yield ("drop:item-explanation", b)


def make_drop_item(doc, cand, rng):
    kind, para = cand
    name = re.search(r"（款）(.{2,30}?)（项）", para.text)
    blocks = [b for b in doc.blocks if b is not para]
    pos = block_pos(para)
    return Mutation(kind, doc.path, f"p{pos} 段落", para.text[:40], "(deleted)", rebuild(doc, blocks),
                    frozenset((pos,)), None, None, (name.group(1),) if name else (), ("SEC-011", "structure"), "")


def make_drop_section(doc, cand, rng):
    kind, secs, name = cand
    gone = set()
    for s in secs:
        gone |= {id(s.heading)} | {id(b) for b in s.blocks}
    blocks = [b for b in doc.blocks if id(b) not in gone]
    pos = block_pos(secs[0].heading)
    kw = re.sub(r"\|.*", "", _REQUIRED_SECTIONS[name])
    n = sum(len(s.blocks) for s in secs)
    return Mutation(kind, doc.path, f"p{pos} 章节「{secs[0].title[:30]}」×{len(secs)} ({n} blocks)", secs[0].title[:40],
                    "(deleted)", rebuild(doc, blocks), frozenset(block_pos(s.heading) for s in secs), None, None,
                    (kw, name, squash(secs[0].title)), ("SEC", "TBL", "GLO", "SG", "CON-004", "structure"),
                    f"required: {name}")


def cand_duplicate(doc, ctx):
    """A long paragraph pasted again after the paragraph that follows it."""
    paras = body_paragraphs(doc)
    for para, after in zip(paras, paras[1:]):
        if len(squash(para.text)) >= 60 and squash(para.text) != squash(after.text):
            yield ("dup:paragraph", para, after)


def make_duplicate(doc, cand, rng):
    kind, para, after = cand
    copy = Paragraph(para.text, after.location)
    blocks = []
    for b in doc.blocks:
        blocks.append(b)
        if b is after:
            blocks.append(copy)
    mutated = rebuild(doc, blocks, [(after.location.page, after.text, after.text + "\n" + para.text)])
    pos = block_pos(after)
    return Mutation(kind, doc.path, f"p{pos} 段落", "…" + para.text[:30] + "…", "(pasted again after the next paragraph)",
                    mutated, frozenset((pos,)), None, None, (squash(para.text)[:20],), ("TXT-020",))


def cand_table(doc, ctx):
    cat = ctx["catalog"]
    for t in table_captions(doc):
        kind = cat.classify(t.caption, ctx["facts"].org)
        if kind is None:
            continue
        vals = [v for *_, v in _amounts(t)]
        empty_note = any(re.search(r"空表|无.{0,20}(收支|经费|支出|收入)", n.text) for n in t.notes)
        yield t, kind, any(vals), empty_note


def _amounts(t: Table):
    from openlint.understand.amounts import amounts
    return amounts(t)


def make_drop_table(doc, t, kind, facts) -> Mutation:
    gone = {id(t)} | {id(n) for n in t.notes}
    i = next(i for i, b in enumerate(doc.blocks) if b is t)
    # the title printed above the table as its own heading/paragraph goes with it
    prev = doc.blocks[i - 1] if i else None
    if isinstance(prev, (Heading, Paragraph)) and t.caption and squash(prev.text) and squash(prev.text) in squash(t.caption):
        gone.add(id(prev))
    note_paras = [b for b in doc.blocks[i + 1:i + 1 + len(t.notes)]]
    gone |= {id(b) for b in note_paras if isinstance(b, Paragraph) and b.is_note}
    blocks = [b for b in doc.blocks if id(b) not in gone]
    name = kind.name(facts.kind)
    return Mutation("drop:table", doc.path, f"p{block_pos(t)} 表「{t.caption[:30]}」", t.caption[:40], "(deleted)",
                    rebuild(doc, blocks), frozenset((block_pos(t),)), t.caption, None,
                    (name, kind.id, squash(t.caption)), ("TBL", "table"), f"kind={kind.id}")


def make_empty_table(doc, t, kind) -> Mutation:
    top = header_row_count(t)
    labels = label_columns(t, top)  # an empty table still prints its codes: 201 | 06 | 01 under 类 | 款 | 项
    changes = {}
    for r in range(top, t.n_rows):
        for c, cell in enumerate(t.grid[r]):
            txt = cell.text.strip()
            if _AMOUNT_CELL.match(txt) and c not in labels and not (c <= 3 and re.fullmatch(r"\d{3,7}", txt)):
                changes[id(cell)] = ""
    blocks = [replace_cells(b, changes) if b is t else b for b in doc.blocks]
    return Mutation("empty-table:no-note", doc.path, f"p{block_pos(t)} 表「{t.caption[:30]}」",
                    f"{len(changes)} amount cells", "all blank, no note", rebuild(doc, blocks),
                    frozenset(t.pages or (block_pos(t),)), t.caption, None, (squash(t.caption),),
                    ("EMP",), f"kind={kind.id}")


def make_false_empty(doc, t, kind, facts) -> Mutation:
    level = facts.level or "部门"
    note = Paragraph(f"注：本{level}本年度无此项收支，故本表为空表。", replace(t.location, table=None, row=None, column=None))
    blocks = []
    for b in doc.blocks:
        blocks.append(b)
        if b is t:
            blocks.append(note)
    return Mutation("empty-table:false-note", doc.path, f"p{block_pos(t)} 表「{t.caption[:30]}」", "(no note)",
                    note.text, rebuild(doc, blocks), frozenset(t.pages or (block_pos(t),)), t.caption, None,
                    (squash(t.caption), "空表"), ("EMP",), f"kind={kind.id}")


# classification codes

def cand_codes(doc, ctx):
    codes = ctx["codes"]
    year = ctx["facts"].year
    for t in table_captions(doc):
        try:
            rows = table_codes(t)
        except Exception:
            continue
        for cr in rows:
            if len(cr.code) not in (5, 7) or not codes.known(cr.code):
                continue
            parent = cr.code[:-2]
            sibs = [c for c in codes.children(parent, year) if c != cr.code and codes.name(c, year)
                    and squash(codes.name(c, year)) != squash(cr.name)]
            cell_code = t.grid[cr.row][cr.column]
            if sibs:
                yield ("code:wrong-name", t, cr, sorted(sibs)[0])
            bogus = next((parent + f"{k:02d}" for k in (97, 96, 95, 94, 93, 88, 87, 86) if not codes.known(parent + f"{k:02d}")), None)
            if bogus and cr.code in squash(cell_code.text):
                yield ("code:nonexistent", t, cr, bogus)


def make_code(doc, cand, rng, ctx) -> Mutation | None:
    kind, t, cr, other = cand
    codes = ctx["codes"]
    year = ctx["facts"].year
    row = t.grid[cr.row]
    if kind == "code:wrong-name":
        new_name = codes.name(other, year)
        # the cell holding the name: the first non-amount cell after the code column whose text starts the name
        target = None
        for c in range(cr.column, len(row)):
            txt = squash(row[c].text)
            if txt and not _AMOUNT_CELL.match(txt) and squash(cr.name)[:4] in txt:
                target = row[c]
                break
        if target is None:
            return None
        old = target.text
        new = old.replace(old.strip(), new_name) if cr.code not in squash(old) else re.sub(
            re.escape(cr.name) if cr.name in old else r"(?<=\d)\s*\S.*$", " " + new_name if cr.name not in old else new_name, old, count=1)
        quotes = (new_name,)
    else:
        target = row[cr.column]
        old = target.text
        if cr.code not in old:
            return None
        new = old.replace(cr.code, other, 1)
        quotes = (other,)
    if new == old:
        return None
    blocks = [replace_cell(b, target, new) if b is t else b for b in doc.blocks]
    return Mutation(kind, doc.path, f"p{block_pos(t)} 表「{t.caption[:30]}」 行 {cr.code}", f"{cr.code} {cr.name}",
                    new.strip(), rebuild(doc, blocks), frozenset(t.pages or (block_pos(t),)), t.caption,
                    squash(cr.name), quotes, ("CLS",), f"printed={old.strip()!r}")


# controls

def make_noops(doc, rng) -> list[Mutation]:
    out = [Mutation("noop:rebuild", doc.path, "whole document", "", "", rebuild(doc, list(doc.blocks)), control=True)]
    cells = [(t, cell) for t in table_captions(doc) for row in t.grid for cell in row if cell.text.strip()]
    for t, cell in rng.sample(cells, min(3, len(cells))):
        blocks = [replace_cell(b, cell, cell.text) if b is t else b for b in doc.blocks]
        out.append(Mutation("noop:cell", doc.path, f"p{block_pos(t)} 表「{t.caption[:30]}」", cell.text, cell.text,
                            rebuild(doc, blocks), control=True))
    paras = body_paragraphs(doc)
    for p in rng.sample(paras, min(3, len(paras))):
        out.append(Mutation("noop:paragraph", doc.path, f"p{block_pos(p)}", p.text[:30], p.text[:30],
                            edit_paragraph(doc, p, str(p.text)), control=True))
    return out


# ------------------------------------------------------------------ generating and judging


# shares listed side by side ("A万元，占P%；B万元，占Q%"): two of them swapped, as published texts do
_LISTED_SHARE = re.compile(r"万?元[，,]\s*占\s*(\d+(?:\.\d+)?)(?=\s*[%％])")


def cand_swapped_shares(doc, ctx):
    for p in body_paragraphs(doc):
        for sentence in re.finditer(r"[^。]+", p.text):
            found = [m for m in _LISTED_SHARE.finditer(p.text, sentence.start(), sentence.end())]
            pairs = [(a, b) for a, b in zip(found, found[1:]) if Decimal(a.group(1)) != Decimal(b.group(1))]
            for a, b in pairs:
                yield ("narr-share:swapped", p, a, b)


def make_swapped_shares(doc, cand, rng):
    kind, p, a, b = cand
    swapped = b.group(1) + p.text[a.end(1) : b.start(1)] + a.group(1)
    return para_mutation(kind, doc, p, a.start(1), b.end(1), swapped, (a.group(1) + "%", b.group(1) + "%"), ("NAR",))


# a heading numbered one too high in the middle of its sequence (二、四、四、): a slip when renumbering
_CN_HEADING = re.compile(r"^\s*(?:([一二三四五六七八九十]+)\s*、|（([一二三四五六七八九十]+)）)")
_CN = "一二三四五六七八九"


def cand_heading_number(doc, ctx):
    by_level: dict[int, list[Heading]] = defaultdict(list)
    for b in doc.blocks:
        if isinstance(b, Heading):
            by_level[b.level].append(b)
    for heads in by_level.values():
        for prev, head, nxt in zip(heads, heads[1:], heads[2:]):
            marks = [_CN_HEADING.match(h.text) for h in (prev, head, nxt)]
            if not all(marks) or len({m.lastindex for m in marks}) != 1:
                continue
            numbers = [_CN.find(m.group(m.lastindex)) + 1 if len(m.group(m.lastindex)) == 1 else 0 for m in marks]
            if 0 < numbers[0] and numbers[1] == numbers[0] + 1 and numbers[2] == numbers[1] + 1 < 9:
                yield ("numbering:wrong", head, marks[1])


def make_heading_number(doc, cand, rng):
    kind, head, m = cand
    group = m.lastindex
    new = _CN[_CN.find(m.group(group)) + 1]
    return para_mutation(kind, doc, head, m.start(group), m.end(group), new, (new,), ("TXT",), heading=True)


def generate(doc: Document, rng: random.Random, per_doc: int, ctx: dict, only: set[str] | None) -> list[Mutation]:
    out: list[Mutation] = make_noops(doc, rng)

    def pick(cands: list, make: Callable, key=lambda c: c[0]):
        by_kind: dict[str, list] = defaultdict(list)
        for c in cands:
            by_kind[key(c)].append(c)
        for kind in sorted(by_kind):
            if only and not any(kind.startswith(o) for o in only):
                continue
            pool = by_kind[kind]
            rng.shuffle(pool)
            made = 0
            for c in pool:
                if made >= per_doc:
                    break
                m = make(c)
                if m is not None:
                    out.append(m)
                    made += 1

    pick(list(mut_table_amount(doc, rng, ctx)), lambda c: make_table_amount(doc, c, rng))
    pick(list(cand_narr_amount(doc, ctx)), lambda c: make_narr(doc, c, rng))
    pick(list(cand_delta(doc, ctx)), lambda c: make_narr(doc, c, rng))
    pick(list(cand_pct(doc, ctx)), lambda c: make_pct(doc, c, rng))
    pick(list(cand_wrong_base(doc, ctx)), lambda c: make_wrong_base(doc, c, rng))
    pick(list(cand_direction(doc, ctx)), lambda c: make_direction(doc, c, rng))
    pick(list(cand_leftover(doc, ctx)), lambda c: make_leftover(doc, c, rng))
    pick(list(cand_punct(doc, ctx)), lambda c: make_punct(doc, c, rng))
    pick(list(cand_selfref(doc, ctx)), lambda c: make_simple(doc, c, rng, ("CON-001", "CON-002")))
    pick(list(cand_year(doc, ctx)), lambda c: make_simple(doc, c, rng, ("META", "NAR-008")))
    pick(list(cand_caption_year(doc, ctx)), lambda c: make_caption_year(doc, c, rng))
    pick(list(cand_org(doc, ctx)), lambda c: make_simple(doc, c, rng, ("CON-003",)))
    pick(list(cand_sangong_reason(doc, ctx)), lambda c: make_reason(doc, c, rng))
    pick(list(cand_total_reason(doc, ctx)), lambda c: make_reason(doc, c, rng))
    pick(list(cand_variance_reason(doc, ctx)), lambda c: make_reason(doc, c, rng))
    pick(list(cand_drop_item(doc, ctx)), lambda c: make_drop_item(doc, c, rng))
    pick(list(cand_drop_section(doc, ctx)), lambda c: make_drop_section(doc, c, rng))
    pick(list(cand_codes(doc, ctx)), lambda c: make_code(doc, c, rng, ctx))

    tables = list(cand_table(doc, ctx))
    facts = ctx["facts"]
    tcands = []
    for t, kind, has_amounts, empty_note in tables:
        if kind.required_for(facts.kind, facts.year):
            tcands.append(("drop:table", t, kind))
        if has_amounts and not empty_note:
            tcands.append(("empty-table:no-note", t, kind))
            tcands.append(("empty-table:false-note", t, kind))
    makers = {"drop:table": lambda c: make_drop_table(doc, c[1], c[2], facts),
              "empty-table:no-note": lambda c: make_empty_table(doc, c[1], c[2]),
              "empty-table:false-note": lambda c: make_false_empty(doc, c[1], c[2], facts)}
    pick(tcands, lambda c: makers[c[0]](c))
    # last, so that the kinds above draw the same positions as before these were added
    pick(list(cand_count(doc, ctx)), lambda c: make_count(doc, c, rng))
    pick(list(cand_named_share(doc, ctx)), lambda c: make_pct(doc, c, rng))
    pick(list(cand_duplicate(doc, ctx)), lambda c: make_duplicate(doc, c, rng))
    pick(list(cand_swapped_shares(doc, ctx)), lambda c: make_swapped_shares(doc, c, rng))
    pick(list(cand_heading_number(doc, ctx)), lambda c: make_heading_number(doc, c, rng))
    return out


def key_of(f) -> tuple:
    return (f.rule_id, f.message)


def is_new(f, m: "Mutation", baseline: set) -> bool:
    """Not in the baseline, even with the mutated text put back in its message (a baseline finding
    that quotes the mutated sentence or table title is not a new finding)."""
    if key_of(f) not in baseline:
        for new, old in m.undo:
            for variant in (f.message.replace(new, old), f.message.replace(new, old, 1)):
                if (f.rule_id, variant) in baseline:
                    return False
        return True
    return False


def points_at(f, m: Mutation) -> bool:
    """Whether a new finding plausibly is about mutation `m`."""
    text = squash(f.message) + "\x1f" + squash(getattr(f, "anchor", "") or "")
    for q in m.quotes:
        q = squash(q)
        if len(q) >= 2 and q in text:
            return True
    if m.kind.startswith("drop:"):
        return any(f.rule_id.startswith(e) or f.category == e for e in m.expect)
    locs = (f.location,) + tuple(getattr(f, "related", ()) or ())
    for loc in locs:
        pos = loc.page or loc.line
        if m.table:
            if loc.table and squash(loc.table) == squash(m.table):
                if m.row is None or not loc.row or squash(loc.row)[:8] in m.row or m.row[:8] in squash(loc.row):
                    return True
        elif pos in m.pages and not loc.table:
            return True
    return False


@dataclass
class Result:
    m: Mutation
    new: list = field(default_factory=list)
    strict: bool = False
    flagged_before: str = ""  # a baseline finding already at the mutated place (then a miss may be masked)


def already_flagged(m: Mutation, baseline_findings: list) -> str:
    for f in baseline_findings:
        if not any(f.rule_id.startswith(e) or f.category == e for e in m.expect):
            continue
        loc = f.location
        if m.table and loc.table and squash(loc.table) == squash(m.table):
            return f.rule_id
        if not m.table and (loc.page or loc.line) in m.pages:
            return f.rule_id
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-doc", type=int, default=3, help="positions per mutation kind per document")
    parser.add_argument("--only", help="mutation kinds (prefixes, comma-separated), e.g. table-amount,narr-pct")
    parser.add_argument("--examples", type=int, default=5, help="missed examples listed per kind")
    parser.add_argument("--doc", help="only documents whose file name contains this")
    parser.add_argument("--show-findings", action="store_true", help="print the new findings of detected mutations too")
    args = parser.parse_args()

    corpus = ROOT.parent / "shared" / "corpus" / "real"
    files = args.files or ([p for p in sorted(corpus.glob("*.pdf")) if "template" not in p.name]
                           + sorted((ROOT / "tests/fixtures/seed").glob("*.txt")) + sorted((ROOT / "examples").glob("*.docx")))
    if args.doc:
        files = [f for f in files if args.doc in f.name]
    only = set(args.only.split(",")) if args.only else None
    ruleset = load_rules()
    codes = load_codes()
    started = time.perf_counter()

    docs = []
    for path in files:
        doc = read_document(str(path))
        if not doc.readable:
            print(f"skip {path.name}: unreadable", file=sys.stderr)
            continue
        docs.append(doc)
    orgs = sorted({detect_kind(d).org for d in docs if detect_kind(d).org})

    results: list[Result] = []
    for di, doc in enumerate(docs):
        rng = random.Random(f"{args.seed}:{Path(doc.path).name}")
        facts = detect_kind(doc)
        org = facts.org
        other = next((o for o in orgs[di % max(1, len(orgs)):] + orgs if o != org), "上海市某区某某局")
        ctx = {"facts": facts, "org": org, "other_org": other, "codes": codes, "catalog": ruleset.catalog,
               "table_values": table_values(doc)}
        base_findings = check_document(doc, ruleset)
        baseline = {key_of(f) for f in base_findings}
        for m in generate(doc, rng, args.per_doc, ctx, only):
            found = check_document(m.doc, ruleset)
            new = [f for f in found if is_new(f, m, baseline)]
            r = Result(m, new, any(points_at(f, m) for f in new))
            if not r.strict and not m.control:
                r.flagged_before = already_flagged(m, base_findings)
            results.append(r)

    # ---- the table
    by_kind: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_kind[r.m.kind].append(r)
    width = max(len(k) for k in by_kind) if by_kind else 10
    print(f"\nopenlint mutation recall — seed {args.seed}, {args.per_doc} per kind per document, "
          f"{len(docs)} documents, {len(results)} mutated checks, {time.perf_counter() - started:.1f}s\n")
    print(f"{'mutation':<{width}}  {'tried':>5}  {'strict':>11}  {'loose':>11}  rules of the pointing findings (×findings)")
    print("-" * (width + 80))
    total = [0, 0, 0]
    for kind in sorted(by_kind, key=lambda k: (k.startswith("noop"), k)):
        rs = by_kind[kind]
        n = len(rs)
        if rs[0].m.control:
            fa = sum(1 for r in rs if r.new)
            print(f"{kind:<{width}}  {n:>5}  {'control':>11}  {'false alarms ' + str(fa):>11}")
            continue
        s = sum(r.strict for r in rs)
        lo = sum(bool(r.new) for r in rs)
        total[0] += n
        total[1] += s
        total[2] += lo
        rules = defaultdict(int)
        for r in rs:
            if r.strict:
                for f in r.new:
                    if points_at(f, r.m):
                        rules[f.rule_id] += 1
        top = ", ".join(f"{k}×{v}" for k, v in sorted(rules.items(), key=lambda kv: -kv[1])[:5])
        print(f"{kind:<{width}}  {n:>5}  {s:>4} {100 * s / n:>5.0f}%  {lo:>4} {100 * lo / n:>5.0f}%  {top}")
    if total[0]:
        print("-" * (width + 80))
        print(f"{'all (controls excluded)':<{width}}  {total[0]:>5}  {total[1]:>4} {100 * total[1] / total[0]:>5.0f}%  "
              f"{total[2]:>4} {100 * total[2] / total[0]:>5.0f}%")

    # ---- misses and false alarms
    print("\nMissed (no new finding pointing at the mutation), up to", args.examples, "per kind:")
    for kind in sorted(by_kind):
        rs = by_kind[kind]
        bad = [r for r in rs if (r.new if r.m.control else not r.strict)]
        if not bad:
            continue
        print(f"\n## {kind}: {len(bad)} of {len(rs)} {'with false alarms' if rs[0].m.control else 'missed'}")
        for r in bad[:args.examples]:
            m = r.m
            print(f"  - {Path(m.file).name} {m.where}" + (f"  [{m.note}]" if m.note else "")
                  + (f"  (baseline already has {r.flagged_before} here)" if r.flagged_before else ""))
            print(f"      before: {m.before[:110]!s}")
            print(f"      after:  {m.after[:110]!s}")
            for f in r.new[:3]:
                loc = f.location
                print(f"      new (not pointing): {f.rule_id} p{loc.page or loc.line} {loc.qualified_name()[:40]}: {f.message[:90]}")
    if args.show_findings:
        print("\nDetected:")
        for r in results:
            if r.strict and not r.m.control:
                f = next(f for f in r.new if points_at(f, r.m))
                print(f"  {r.m.kind:<24} {Path(r.m.file).name[:40]} {r.m.where[:50]} → {f.rule_id}: {f.message[:80]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
