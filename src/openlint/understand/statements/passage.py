"""Passages (narrative paragraphs joined back over wraps), their sentences and clauses, and quoting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from openlint.model import Document, Heading, Location, Paragraph, Table
from openlint.understand.statements.numbers import compact

# ---- passages ----

_TERMINAL = tuple("。！？!?：:；;…”」）)")
_ITEM_START = re.compile(r"^(?:\d{1,2}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|第[一二三四五六七八九十]+部分)")
_SENTENCE_END = "。！？!?"
_LEVEL_MARK_START = re.compile(r"[（(]?[款项][）)]")
ASIDE = re.compile(r"[（(][^（()）]*[）)]")  # a bracketed aside: （上一年度，下同）


@dataclass(frozen=True)
class Passage:
    """A narrative paragraph (joined back over wraps), compacted."""

    text: str
    location: Location
    blocks: tuple = ()


def passages(document: Document) -> list[Passage]:
    """Paragraphs outside tables and notes, each joined with the paragraphs a wrap or page break cut off."""
    out: list[Passage] = []
    pending: list = []
    texts: list[str] = []

    def flush():
        if pending:
            out.append(Passage("".join(texts), pending[0].location, tuple(pending)))
        pending.clear()
        texts.clear()

    for block in document.blocks:
        if isinstance(block, Table):
            flush()
            continue
        if isinstance(block, Paragraph) and block.is_note:
            flush()
            continue
        text = compact(block.text)
        if not text:
            continue
        if isinstance(block, Heading):
            # A heading cut off before its （项）: "5、…（款）行政单位离退休" + "（项）。主要用于…"
            flush()
            if "类）" in text or "类)" in text:
                pending.append(block)
                texts.append(text)
            continue
        joinable = pending and (
            # the rest of a heading cut off before its （项）
            (isinstance(pending[-1], Heading) and _LEVEL_MARK_START.match(text))
            or (
                len(pending) < 8
                # a line without a full stop is a title, not a cut sentence, when short or without a comma
                and len(texts[-1]) >= 20 and ("，" in texts[-1] or "," in texts[-1])
                and not texts[-1].endswith(_TERMINAL)
                and not _ITEM_START.match(text)
                and pending[-1].location.section == block.location.section
            )
        )
        if pending and not joinable:
            flush()
        pending.append(block)
        texts.append(text)
    flush()
    return out


@lru_cache(maxsize=1024)
def sentences(text: str, ends: str = _SENTENCE_END) -> tuple[tuple[int, int], ...]:
    """(start, end) spans of the sentences, the closing punctuation included. (Memoised: every
    statement reader splits the passage it reads, and a change's reasons are looked for in the
    next passage, which is read in its turn.)"""
    spans = []
    start = 0
    for i in _positions_of(ends, text):
        spans.append((start, i + 1))
        start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return tuple(spans)


def _positions_of(characters: str, text: str) -> list[int]:
    """Where any of the characters is in the text (found by a regex in C, not a loop over the text)."""
    return [m.start() for m in _any_of(characters).finditer(text)] if characters else []


@lru_cache(maxsize=16)
def _any_of(characters: str) -> re.Pattern:
    """A class of the characters, compiled once per set of stops (callers pass a few constants)."""
    return re.compile("[" + re.escape(characters) + "]")


def _sentence_at(spans: tuple[tuple[int, int], ...], pos: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return (0, 0)


def _quote(text: str, start: int, end: int, limit: int = 60) -> str:
    s = text[start:end].strip("，,；;。 ")
    return s if len(s) <= limit else s[: limit - 1] + "…"


# ---- clauses, the words naming a figure, brackets (shared by the statement readers) ----

_JUST_BEFORE = re.compile(r"^[，,]?$")  # nothing but a comma between a figure and the words after it


def _clause_end(text: str, start: int, end: int) -> int:
    """Where the clause from `start` ends: at the first ；/; before `end`, else at `end`."""
    return min([i for i in (text.find(c, start, end) for c in "；;") if i >= 0] or [end])


def _label_start(text: str, pos: int, floor: int) -> int:
    """Where the words naming the figure at `pos` start: after the last ，；：。 in the 40 characters
    before it (not the comma of a number, "37,151.47"), and not before `floor`."""
    lowest = max(floor, pos - 40)
    comma = text.rfind(",", lowest, pos)
    while comma > 0 and text[comma - 1].isdigit() and text[comma + 1 : comma + 2].isdigit():
        comma = text.rfind(",", lowest, comma)
    return max([text.rfind(c, lowest, pos) for c in "，；;：:。"] + [comma, floor - 1]) + 1


def _in_brackets(text: str, start: int, pos: int) -> bool:
    """Whether `pos` stands inside a bracket opened after `start`: an aside
    ("公务用车购置及运行维护费14.03万元（购置费0万元、运行维护费14.03万元）") is no part of the list."""
    between = text[start:pos]
    return between.count("（") + between.count("(") > between.count("）") + between.count(")")
