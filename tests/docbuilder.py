"""Build small documents for rule tests from a markdown-like text.

    # 第一部分 概况          heading, level = number of #
    一段文字                 paragraph
    [表] 2025年收入预算总表   a table caption; the | rows that follow are its grid
    | 项目 | 合计 |          a table row (the first row of a table is its header)
    注：……                   a note (assemble attaches it to the table above)
"""

from __future__ import annotations

from openlint.model import Cell, Heading, Location, Paragraph, Table
from openlint.read.structure import assemble


def build(text: str, path: str = "case.txt"):
    blocks = []
    caption: str | None = None
    rows: list[list[str]] = []
    caption_line = 0

    def flush():
        nonlocal caption, rows
        if caption is not None:
            grid = tuple(tuple(Cell(t, r, c) for c, t in enumerate(row)) for r, row in enumerate(rows))
            blocks.append(Table(caption, grid, Location(path, line=caption_line, table=caption), header_rows=1 if rows else 0))
        caption, rows = None, []

    for number, raw in enumerate(text.strip("\n").splitlines(), start=1):
        line = raw.strip()
        if caption is not None and line.startswith("|"):
            rows.append([c.strip() for c in line.strip("|").split("|")])
            continue
        flush()
        if not line:
            continue
        if line.startswith("[表]"):
            caption, caption_line = line[3:].strip(), number
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            blocks.append(Heading(line[level:].strip(), level, Location(path, line=number)))
        else:
            blocks.append(Paragraph(line, Location(path, line=number)))
    flush()
    return assemble(path, "txt", blocks)
