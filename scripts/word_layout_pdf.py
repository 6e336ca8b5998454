"""Lay out a .docx's tables as a preparer's Word would, to print it as a Word-style PDF.

Most published disclosures outside Shanghai are Word or WPS files printed to PDF: ruled tables,
cells aligned to the top, long names wrapped over several lines, header rows repeated on every
page, rows split by page breaks. The bundled example .docx has equal column widths; this script
gives every column the width its content asks for (up to `--max-width` twips, so that long names
wrap) on landscape pages. Then print it with LibreOffice:

    python scripts/word_layout_pdf.py examples/….docx /tmp/word-layout.docx
    soffice --headless --convert-to pdf --outdir /tmp /tmp/word-layout.docx

Cells keep the alignment they have (the bundled example's are left-aligned). Word templates
usually right-align amounts and centre the header: `--align-amounts right` does so (every cell
that holds an amount, and every cell of a repeated header row, w:tblHeader).

tests/fixtures/pdf/hebei-shanhaiguan-trade-union-2023-dept-budget-word-layout.pdf was made so
(`--max-width 1500`, LibreOffice 7.4, Noto CJK fonts), and the fixtures ending in
-word-layout-right-aligned.pdf with `--align-amounts right` as well.
"""

from __future__ import annotations

import argparse
import re
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LANDSCAPE_WIDTH = 13900  # A4 landscape with 1-inch margins, in twips
_CJK = re.compile(r"[\u4e00-\u9fff]{4,}")
_AMOUNT = re.compile(r"^-?[\d,]+(\.\d+)?$")


def text_width(text: str) -> int:
    """Twips that `text` takes at 10.5 pt: a CJK character is about 215, any other about 140."""
    return sum(140 if ord(ch) < 0x2E80 else 215 for ch in text)


def cells(row: etree._Element):
    """(first grid column, span, text) of each cell of a row."""
    col = 0
    for tc in row.findall(f"{W}tc"):
        span_el = tc.find(f"{W}tcPr/{W}gridSpan")
        span = int(span_el.get(f"{W}val")) if span_el is not None else 1
        yield col, span, tc, "".join(t.text or "" for t in tc.iter(f"{W}t"))
        col += span


def lay_out(table: etree._Element, max_width: int) -> None:
    grid = table.find(f"{W}tblGrid").findall(f"{W}gridCol")
    need = [600] * len(grid)
    wraps = [False] * len(grid)  # columns of names, which may wrap when space runs short
    for row in table.iter(f"{W}tr"):
        for col, span, _, text in cells(row):
            if span == 1 and col < len(need):
                need[col] = max(need[col], min(text_width(text) + 300, max_width))
                wraps[col] = wraps[col] or bool(_CJK.search(text))
    if sum(need) > LANDSCAPE_WIDTH:  # shrink the name columns only: amounts never wrap
        fixed = sum(n for n, w in zip(need, wraps) if not w)
        flexible = sum(need) - fixed
        room = max(LANDSCAPE_WIDTH - fixed, 500 * sum(wraps))
        need = [max(500, n * room // flexible) if w else n for n, w in zip(need, wraps)]
    for col, width in zip(grid, need):
        col.set(f"{W}w", str(width))
    for row in table.iter(f"{W}tr"):
        for col, span, tc, _ in cells(row):
            width = tc.find(f"{W}tcPr/{W}tcW")
            if width is not None:
                width.set(f"{W}w", str(sum(need[col : col + span])))


def align(table: etree._Element, amounts: str) -> None:
    """Align the cells holding an amount to `amounts` (left, center, right) and centre the
    cells of the header rows."""
    for row in table.iter(f"{W}tr"):
        header = row.find(f"{W}trPr/{W}tblHeader") is not None
        for _, _, tc, text in cells(row):
            justify = "center" if header else amounts if _AMOUNT.match(text.strip()) else None
            if justify is None:
                continue
            for paragraph in tc.iter(f"{W}p"):
                properties = paragraph.find(f"{W}pPr")
                if properties is None:
                    properties = etree.Element(f"{W}pPr")
                    paragraph.insert(0, properties)
                jc = properties.find(f"{W}jc")
                if jc is None:
                    jc = etree.SubElement(properties, f"{W}jc")
                jc.set(f"{W}val", justify)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--max-width", type=int, default=1500, help="widest column, in twips")
    parser.add_argument(
        "--align-amounts",
        choices=("left", "center", "right"),
        help="align the amounts so, and centre the header rows (default: keep the cells' alignment)",
    )
    args = parser.parse_args()
    with zipfile.ZipFile(args.source) as zin, zipfile.ZipFile(args.target, "w", zipfile.ZIP_DEFLATED) as zout:
        root = etree.fromstring(zin.read("word/document.xml"))
        for table in root.iter(f"{W}tbl"):
            lay_out(table, args.max_width)
            if args.align_amounts:
                align(table, args.align_amounts)
        for section in root.iter(f"{W}sectPr"):
            size = section.find(f"{W}pgSz")
            if size is None:
                size = etree.SubElement(section, f"{W}pgSz")
            size.set(f"{W}w", "16838")
            size.set(f"{W}h", "11906")
            size.set(f"{W}orient", "landscape")
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(item, data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
