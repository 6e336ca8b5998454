"""A disclosure published as a web page and saved as PDF from a browser (Print → Save as PDF).

A browser prints the page's own text and, in the margins of every page, the date and time it
printed it (top left), the page's title (top centre), its address (bottom left) and a counter
(“1/5”, bottom right); a table that runs over a page break gets its <thead> rows repeated on the
next page, and a government site's menus, breadcrumb, 上一篇 and 相关链接 come out as text with
their links. Read from the PDF or from the page itself, the document must say the same.

The fixture pair: tests/fixtures/html/…-site-page.html is part of the corpus document under
tests/fixtures/html (its 职能, 机构, 编制说明, the 基本支出 economic classification table and the
三公 section) put into a government-site page the way a CMS publishes it: a menu, a breadcrumb,
the article (paragraphs indented with a line height of 1.5, headings, a ruled table with a two-row
<thead>), 上一篇, 相关链接, 打印本页, a footer with the site's ICP licence; `@page { size: A5 }` so
that a paragraph and the table run over page breaks. tests/fixtures/pdf/…-browser-print.pdf is
that page served on 127.0.0.1 (as http://www.example.gov.cn/xxgk/czyjs/2024ys.html, through
Chromium's --host-resolver-rules) and printed by Debian's Chromium 156 with its default header and
footer: `chromium --headless --no-sandbox --disable-gpu --print-to-pdf=out.pdf URL` (the other
variant, `--no-pdf-header-footer`, reads the same); then `qpdf --object-streams=generate
--compression-level=9 --recompress-flate` only to make the file smaller (the pages are Chromium's
own). The text is set in AR PL UMing (TrueType, embedded as a CID font) and the headings and the
table's caption in Noto Sans CJK, which Chromium embeds as Type 3 fonts: pdfium gives each 一 of
those the flat box of its glyph (see `_pdf_layout._fill_thin`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from openlint.judge.engine import check_document, load_rules
from openlint.model import Heading, Table
from openlint.read import read_document
from openlint.read._pdf_blocks import _first_piece
from openlint.read.pdf import _FURNITURE_SEG

FIX = Path(__file__).parent / "fixtures"
NAME = "shanghai-putuo-social-welfare-institute-2024-unit-budget"
PAGE = FIX / "html" / f"{NAME}-site-page.html"
PRINTED = FIX / "pdf" / f"{NAME}-browser-print.pdf"
TITLE = "上海市普陀区社会福利院2024年单位预算"


def _bare(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.fixture(scope="module")
def pair():
    return read_document(str(PAGE)), read_document(str(PRINTED))


def test_the_print_is_five_pages_without_the_browsers_margins(pair):
    """The page texts (where the document's kind is read first, and blank or repeated pages are
    judged) are without what the browser and the site added, as the blocks are."""
    _, printed = pair
    assert printed.format == "pdf" and printed.page_count == 5 and printed.problems == ()
    every_page = "\n".join(printed.page_texts)
    for furniture in ("example.gov.cn", " AM", "1/5", "5/5", "网站首页", "当前位置", "上一篇", "2023年单位决算", "ICP"):
        assert furniture not in every_page, furniture
    assert TITLE in printed.page_texts[0].replace(" ", "")


def test_no_margin_or_site_text_among_the_blocks(pair):
    """Nor in the document: no date, title, address or counter from the margins, no menu,
    breadcrumb, link to another year's document, print button or licence line."""
    _, printed = pair
    text = "\n".join(b.text for b in printed.blocks if not isinstance(b, Table))
    for furniture in ("example.gov.cn", "http", " AM", "1/5", "3/5", "网站首页", "政务公开", "当前位置", "上一篇",
                      "相关链接", "2023年单位决算", "2023年单位预算", "打印本页", "关闭窗口", "ICP", "主办单位"):
        assert furniture not in text, furniture
    # the title printed at the top of every page is not a heading; the article's own title is
    assert [b.text for b in printed.blocks if isinstance(b, Heading) and _bare(b.text) == TITLE] == [TITLE]


def test_the_same_headings_and_paragraphs(pair):
    """A sentence that runs over a page break is one paragraph, as on the page; 一 is read where
    Chromium set it in a Type 3 font (一、单位主要职能)."""
    page, printed = pair
    texts = [_bare(b.text) for b in printed.blocks if not isinstance(b, Table)]
    assert texts == [_bare(b.text) for b in page.blocks if not isinstance(b, Table)]
    over = next(b for b in printed.blocks if "政府性基金拨款支出预算0.00万元" in _bare(b.text))
    assert _bare(over.text).startswith("支出预算1,212.12万元") and over.location.page == 1
    assert "一、单位主要职能" in texts


def test_the_table_over_two_pages_is_one_table(pair):
    """The header repeated at the top of the next page is not a row; the header cell that wraps
    in a line height of 1.5 (经济分类科目编 / 码) is one cell."""
    page, printed = pair
    (theirs,), (mine,) = page.tables, printed.tables
    assert mine.caption == theirs.caption == "2024年预算单位一般公共预算基本支出部门预算经济分类预算表"
    assert mine.pages == (2, 3) and mine.header_rows == theirs.header_rows == 3
    assert [[_bare(c.text) for c in row] for row in mine.grid] == [[_bare(c.text) for c in row] for row in theirs.grid]


def test_the_print_says_what_the_page_says(pair):
    rules = load_rules()

    def findings(doc):
        return sorted((f.rule_id, _bare(f.message)) for f in check_document(doc, rules))

    page, printed = pair
    assert findings(printed) == findings(page)


@pytest.mark.parametrize(
    "text, furniture",
    [
        ("11/25/26, 8:08 AM", True),  # Chromium in English
        ("2025/11/25 08:08", True),  # ... in Chinese
        ("2025/11/25 下午3:08", True),
        ("2025年11月25日 15:08", True),
        ("http://www.example.gov.cn/xxgk/czyjs/2024ys.html", True),
        ("file:///C:/Users/a/Desktop/2024ys.html", True),
        ("2025年11月25日", False),  # a date alone may be the document's
        ("2024年预算", False),
    ],
)
def test_what_a_browser_prints_in_the_margins(text, furniture):
    assert bool(_FURNITURE_SEG.match(text)) is furniture


@pytest.mark.parametrize(
    "text, width",
    [
        ("（项）”14.62万元，主要用于", 7.5),  # quotes break on neither side; a number goes with them
        ("《关于完善本市人民调解》", 2.0),  # an opening mark goes with the ideograph after it
        ("XXXXXXXX。（如持平作持平表述）", 5.0),
        ("2024年度，本单位", 3.0),
    ],
)
def test_the_first_piece_that_cannot_be_broken(text, width):
    assert _first_piece(text) == width
