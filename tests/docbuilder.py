"""Build small documents for rule tests from a markdown-like text.

    # 第一部分 概况          heading, level = number of #
    一段文字                 paragraph
    [表] 2025年收入预算总表   a table caption; the | rows that follow are its grid
    | 项目 | 合计 |          a table row (the first row of a table is its header)
    注：……                   a note (assemble attaches it to the table above)
    [页]                     a page break: blocks get page numbers and the document PDF-like
                             page texts (a page with no lines between two breaks is blank)
"""

from __future__ import annotations

from openlint.model import Cell, Heading, Location, Paragraph, Table
from openlint.read.structure import assemble


def build(text: str, path: str = "case.txt"):
    blocks = []
    caption: str | None = None
    rows: list[list[str]] = []
    caption_line = 0
    paged = "[页]" in text
    pages: list[list[str]] = [[]]

    def here(number: int) -> Location:
        return Location(path, page=len(pages), line=number) if paged else Location(path, line=number)

    def flush():
        nonlocal caption, rows
        if caption is not None:
            grid = tuple(tuple(Cell(t, r, c) for c, t in enumerate(row)) for r, row in enumerate(rows))
            loc = Location(path, page=len(pages) if paged else None, line=caption_line, table=caption)
            blocks.append(Table(caption, grid, loc, header_rows=1 if rows else 0))
        caption, rows = None, []

    for number, raw in enumerate(text.strip("\n").splitlines(), start=1):
        line = raw.strip()
        if caption is not None and line.startswith("|"):
            rows.append([c.strip() for c in line.strip("|").split("|")])
            pages[-1].append(" ".join(c.strip() for c in line.strip("|").split("|")))
            continue
        flush()
        if line == "[页]":
            pages.append([])
            continue
        if not line:
            continue
        if line.startswith("[表]"):
            caption, caption_line = line[3:].strip(), number
            pages[-1].append(caption)
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            blocks.append(Heading(line[level:].strip(), level, here(number)))
            pages[-1].append(line[level:].strip())
        else:
            blocks.append(Paragraph(line, here(number)))
            pages[-1].append(line)
    flush()
    if not paged:
        return assemble(path, "txt", blocks)
    page_texts = tuple("\n".join(p) for p in pages)
    return assemble(path, "pdf", blocks, page_count=len(page_texts), page_texts=page_texts)
