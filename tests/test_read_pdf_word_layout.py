"""Disclosures printed the way most outside Shanghai are: a Word file to PDF.

The fixtures are Word files laid out by scripts/word_layout_pdf.py and printed by LibreOffice:
ruled tables, cells aligned to the top, names wrapped over up to eight lines, headers repeated on
every page, rows split by page breaks, titles without 表 over some tables. One is the bundled
example (a 部门预算); the other a 部门决算 of the corpus written out as its preparer's Word file
(scripts/model_to_docx.py): two-group tables, 类|款|项 columns. Each is printed twice: with its
cells left-aligned as they are, and as Word templates have them (`--align-amounts right`: amounts
right-aligned, header rows centred). Read from the Word file or from its print, a document must
say the same: the same rows in every table and the same findings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from openlint.judge.engine import check_document, load_rules
from openlint.model import Heading, Table
from openlint.read import read_document

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
WORD = ROOT / "examples" / "hebei-shanhaiguan-trade-union-2023-dept-budget.docx"
PRINTED = FIXTURES / "pdf" / "hebei-shanhaiguan-trade-union-2023-dept-budget-word-layout.pdf"
RIGHT_ALIGNED = FIXTURES / "pdf" / "hebei-shanhaiguan-trade-union-2023-dept-budget-word-layout-right-aligned.pdf"
FINAL = "shanghai-putuo-cpc-social-work-dept-2024-dept-final-accounts"

# an empty table: the .docx marks which rows repeat as header, the PDF shows only text
EMPTY_BUDGET = {"部门政府采购预算"}

# (Word file, its print, tables known to differ): each difference a limit of reading a PDF
# rather than a defect of either file
PAIRS = [
    # a row split by a page break under a vertically merged first cell: nothing tells its second
    # half from a row of its own
    (WORD, PRINTED, EMPTY_BUDGET | {"2、劳动模范荣誉津贴绩效目标表"}),
    (WORD, RIGHT_ALIGNED, EMPTY_BUDGET),
    (FIXTURES / "docx" / f"{FINAL}-word.docx", FIXTURES / "pdf" / f"{FINAL}-word-layout.pdf", set()),
    (FIXTURES / "docx" / f"{FINAL}-word.docx", FIXTURES / "pdf" / f"{FINAL}-word-layout-right-aligned.pdf", set()),
]
PAIR_IDS = ["dept-budget", "dept-budget-right-aligned", "dept-final-accounts", "dept-final-accounts-right-aligned"]


def _bare(text: str) -> str:
    return re.sub(r"\s", "", text)


def _rows(table: Table) -> list[tuple[str, ...]]:
    """Body rows as their distinct non-empty cell texts (a merged cell once); a 栏次 row left out."""
    rows = []
    for row in table.grid[table.header_rows or 0 :]:
        texts = tuple(dict.fromkeys(_bare(c.text) for c in row if c.text.strip()))
        if texts and texts[0] != "栏次":
            rows.append(texts)
    return rows


@pytest.fixture(scope="module")
def word():
    return read_document(str(WORD))


@pytest.fixture(scope="module")
def printed():
    return read_document(str(PRINTED))


@pytest.fixture(scope="module", params=PAIRS, ids=PAIR_IDS)
def pair(request):
    word_file, printed_file, known = request.param
    return read_document(str(word_file)), read_document(str(printed_file)), known


def test_the_same_tables_are_found(pair):
    word, printed, known = pair
    found = [_bare(t.caption) for t in printed.tables]
    assert found == [caption for t in word.tables if (caption := _bare(t.caption)) in found or caption not in known]


def test_every_table_has_the_same_rows(pair):
    word, printed, known = pair
    read = {_bare(t.caption): _rows(t) for t in printed.tables}
    for table in word.tables:
        caption = _bare(table.caption)
        if caption not in known:
            assert read[caption] == _rows(table), caption


def test_wrapped_names_stay_in_their_row(printed):
    # top-aligned cells: the last lines of a long name sit nearer the next row than their own
    income = next(t for t in printed.tables if _bare(t.caption) == "部门预算收入总表")
    names = {row[1]: row[2] for row in _rows(income) if len(row) > 2}
    assert names["2080505"] == "机关事业单位基本养老保险缴费支出"
    assert names["2101103"] == "公务员医疗补助"


def test_a_heading_under_a_ruled_table_is_not_a_row(printed):
    blocks = list(printed.blocks)
    i = next(k for k, b in enumerate(blocks) if isinstance(b, Heading) and _bare(b.text) == "六、政府采购预算情况")
    assert isinstance(blocks[i - 1], Table) and "绩效目标表" in blocks[i - 1].caption
    assert all("政府采购" not in c.text for row in blocks[i - 1].grid for c in row)


def test_the_findings_are_the_same(pair):
    word, printed, _ = pair
    rules = load_rules()

    def findings(doc):
        return sorted((f.rule_id, f.severity.value, _bare(f.message)) for f in check_document(doc, rules))

    assert findings(printed) == findings(word)


def test_left_aligned_group_headers_stay_over_their_columns(printed):
    # 支出部门经济分类科目 over 科目编码 | 科目名称, both written from the cell's left edge:
    # the rule between them, not their alignment, tells the two header rows apart
    basic = next(t for t in printed.tables if _bare(t.caption) == "部门预算一般公共预算财政拨款基本支出表")
    assert [_bare(c.text) for c in basic.grid[basic.header_rows - 2]] == ["序号", "科目编码", "科目名称", "合计", "人员经费", "公用经费"]
    assert [_bare(c.text) for c in basic.grid[basic.header_rows - 1]] == ["栏次", "1", "2", "3", "4", "5"]  # as in the .docx
    assert [_bare(c.text) for c in basic.grid[0]][1:4] == ["支出部门经济分类科目", "支出部门经济分类科目", "一般公共预算基本支出"]


def test_centred_group_headers_cover_their_ruled_columns():
    # 本年收入 centred over eight columns whose amounts are right-aligned: its text lies over two
    # of them, the rules on either side of its cell tell which it heads
    income = next(t for t in read_document(str(RIGHT_ALIGNED)).tables if _bare(t.caption) == "部门预算收入总表")
    group = income.grid[0][4]
    assert (_bare(group.text), group.col, group.col_span) == ("本年收入", 4, 8)
    assert [_bare(c.text) for c in income.grid[income.header_rows - 2]][4:6] == ["小计", "财政拨款收入"]
