"""Build small documents for rule tests from a markdown-like text.

    # 第一部分 概况          heading, level = number of #
    一段文字                 paragraph
    [表] 2025年收入预算总表   a table caption; the | rows that follow are its grid
    | 项目 | 合计 |          a table row (the first row of a table is its header)
    |---|                    after one or more rows: those rows are the header
    | < |  | ^ |             a cell merged with the cell on its left / above (one merged Cell)
    注：……                   a note (assemble attaches it to the table above)
    [页]                     a page break: blocks get page numbers and the document PDF-like
                             page texts (a page with no lines between two breaks is blank)
    [图]                     a whole page that is only a picture, as the PDF reader reports one
                             (a page break before and after it)
    [图片]                   a large picture in the body, as the Word and web-page readers report one
"""

from __future__ import annotations

import re

from openlint.model import Cell, Heading, Location, Paragraph, Problem, Table
from openlint.read.structure import assemble


def build(text: str, path: str = "case.txt"):
    blocks = []
    caption: str | None = None
    rows: list[list[str]] = []
    caption_line = 0
    paged = "[页]" in text or "[图]" in text
    pages: list[list[str]] = [[]]
    pictures: list[int] = []
    body_pictures: list[int] = []

    def here(number: int) -> Location:
        return Location(path, page=len(pages), line=number) if paged else Location(path, line=number)

    header_rows: int | None = None

    def flush():
        nonlocal caption, rows, header_rows
        if caption is not None:
            loc = Location(path, page=len(pages) if paged else None, line=caption_line, table=caption)
            header = header_rows if header_rows is not None else (1 if rows else 0)
            blocks.append(Table(caption, _grid(rows), loc, header_rows=header))
        caption, rows, header_rows = None, [], None

    for number, raw in enumerate(text.strip("\n").splitlines(), start=1):
        line = raw.strip()
        if caption is not None and re.fullmatch(r"\|\s*-{3,}\s*\|", line):
            header_rows = len(rows)
            continue
        if caption is not None and line.startswith("|"):
            rows.append([c.strip() for c in line.strip("|").split("|")])
            pages[-1].append(" ".join(c.strip() for c in line.strip("|").split("|")))
            continue
        flush()
        if line == "[页]":
            pages.append([])
            continue
        if line == "[图片]":
            body_pictures.append(number)
            continue
        if line == "[图]":
            pages.append([])
            pictures.append(len(pages))
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
        problems = tuple(Problem("文件中有1张较大的图片（可能是截图或扫描的表格），图片中的内容未检查",
                                 Location(path, line=n), unread=True) for n in body_pictures)
        return assemble(path, "txt", blocks, problems=problems)
    page_texts = tuple("\n".join(p) for p in pages)
    problems = tuple(Problem(f"第{n}页只有图片，没有可提取的文字（可能是扫描或截图的表格），该页内容未检查",
                             Location(path, page=n), unread=True) for n in pictures)
    return assemble(path, "pdf", blocks, page_count=len(page_texts), page_texts=page_texts, problems=problems)



def _grid(rows: list[list[str]]) -> tuple[tuple[Cell, ...], ...]:
    """Resolve `<` and `^` markers into merged cells: one `Cell` object at every position it covers."""
    width = max((len(r) for r in rows), default=0)
    origin: list[list[tuple[int, int]]] = []  # (row, col) of the cell covering each position
    for r, row in enumerate(rows):
        line = []
        for c in range(width):
            text = row[c] if c < len(row) else ""
            if text == "<" and c > 0:
                line.append(line[c - 1])
            elif text == "^" and r > 0:
                line.append(origin[r - 1][c])
            else:
                line.append((r, c))
        origin.append(line)
    extent: dict[tuple[int, int], tuple[int, int]] = {}
    for r, line in enumerate(origin):
        for c, (r0, c0) in enumerate(line):
            rows_to, cols_to = extent.get((r0, c0), (r0, c0))
            extent[(r0, c0)] = (max(rows_to, r), max(cols_to, c))
    cells = {
        (r0, c0): Cell(rows[r0][c0] if c0 < len(rows[r0]) else "", r0, c0, r1 - r0 + 1, c1 - c0 + 1)
        for (r0, c0), (r1, c1) in extent.items()
    }
    return tuple(tuple(cells[o] for o in line) for line in origin)
