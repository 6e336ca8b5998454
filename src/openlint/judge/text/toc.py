"""Which blocks are the 目录: the lines under its title, or, for a 目录 published without its title,
the run of headings whose texts come back as headings after it. Hits in them have kind `toc`, their
numbering is judged apart from the body's, and a section whose heading is one of them has `.toc`.
"""

from __future__ import annotations

import re

from openlint.judge.context import Context, compact
from openlint.judge.registry import ATTRIBUTES
from openlint.model import Document, Heading, Paragraph, Section
from openlint.read.structure import is_date_line, is_toc_title


def _toc_entries_blocks(document: Document) -> tuple[Heading | None, list[Paragraph]]:
    """The 目录 heading and its entries: the paragraphs right after it, up to the first heading or
    table, or to a line that repeats one above the 目录 (a web page writes the title again after
    it); a date line is none (公开日期:…)."""
    blocks = document.blocks
    for i, block in enumerate(blocks):
        if isinstance(block, Heading) and is_toc_title(block.text):
            above = {compact(b.text) for b in blocks[:i] if isinstance(b, (Heading, Paragraph))}
            entries = []
            for b in blocks[i + 1 :]:
                if not isinstance(b, Paragraph) or (entries and compact(b.text) in above):
                    break
                if not is_date_line(b.text):
                    entries.append(b)
            return block, entries
    return None, []


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


# A section whose heading is a line of the 目录 (one written without its title reads as headings).
ATTRIBUTES.setdefault(Section, {})["toc"] = lambda ctx, s: id(s.heading) in _toc_ids(ctx)
