"""Write a document as openlint reads it into a .docx: headings, paragraphs and ruled tables.

A way to test the readers on layouts the corpus lacks: a corpus PDF becomes the Word file a
preparer would have written, which `scripts/word_layout_pdf.py` and LibreOffice print again as
most departments outside Shanghai publish. Checked from the .docx and from that PDF, the
document should give the same findings; each difference is a reading error of one of them.

    python scripts/model_to_docx.py corpus.pdf /tmp/doc.docx
    python scripts/word_layout_pdf.py /tmp/doc.docx /tmp/doc-word.docx
    soffice --headless --convert-to pdf --outdir /tmp /tmp/doc-word.docx
"""

from __future__ import annotations

import argparse

from docx import Document as WordDocument
from docx.oxml import OxmlElement

from openlint.model import Heading, Paragraph, Table
from openlint.read import read_document


def add_table(word: WordDocument, table: Table) -> None:
    grid = table.grid
    if not grid:
        return
    rows, cols = len(grid), max(len(row) for row in grid)
    out = word.add_table(rows=rows, cols=cols)
    out.style = "Table Grid"
    written: set[int] = set()
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if id(cell) in written:
                continue
            written.add(id(cell))
            last_row, last_col = r, c  # a merged cell covers a rectangle of grid positions
            while last_row + 1 < rows and c < len(grid[last_row + 1]) and grid[last_row + 1][c] is cell:
                last_row += 1
            while last_col + 1 < len(row) and row[last_col + 1] is cell:
                last_col += 1
            target = out.cell(r, c)
            if (last_row, last_col) != (r, c):
                target = target.merge(out.cell(last_row, last_col))
            target.text = cell.text
    for r in range(min(table.header_rows or 0, rows)):  # repeated on every page, as Word does
        out.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("target")
    args = parser.parse_args()
    word = WordDocument()
    for block in read_document(args.source).blocks:
        if isinstance(block, Heading):
            word.add_heading(block.text, level=min(block.level, 4))
        elif isinstance(block, Paragraph):  # notes too: they follow their table as paragraphs
            word.add_paragraph(block.text)
        elif isinstance(block, Table):
            if block.caption:
                word.add_paragraph(block.caption).alignment = 1  # centred
            for line in block.preamble:
                word.add_paragraph(line)
            add_table(word, block)
    word.save(args.target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
