"""The PDF reader: real disclosures (budget, unit budget, final accounts) and bad input."""

from __future__ import annotations

import ctypes
import hashlib
import os
import struct
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

import openlint.read.pdf as pdf_reader
from openlint.model import Cell, Document, Heading, Paragraph, Table
from openlint.read._pdf_layout import Line, Seg
from openlint.read.pdf import read_pdf

FIX = Path(__file__).parent / "fixtures" / "pdf"
BUDGET = FIX / "shanghai-putuo-wanli-subdistrict-2025-dept-budget.pdf"
FINAL = FIX / "shanghai-putuo-cpc-social-work-dept-2024-dept-final-accounts.pdf"
UNIT = FIX / "shanghai-putuo-social-welfare-institute-2024-unit-budget.pdf"
# pages 3, 6, 8 and 13 of a corpus budget (prose, prose, table, table), the last three drawn
# sideways or upside down by `_draw_turned` with the rotation that shows them upright
SIDEWAYS = FIX / "shanghai-putuo-govt-office-2025-dept-budget-sideways-pages.pdf"
SIDEWAYS_ROTATIONS = {2: 270, 3: 90, 4: 180}


@pytest.fixture(scope="module")
def budget() -> Document:
    return read_pdf(str(BUDGET))


@pytest.fixture(scope="module")
def final() -> Document:
    return read_pdf(str(FINAL))


@pytest.fixture(scope="module")
def unit() -> Document:
    return read_pdf(str(UNIT))


# ------------------------------------------------------------------------------------ helpers


def table(doc: Document, caption_part: str) -> Table:
    found = [t for t in doc.tables if caption_part in t.caption]
    assert len(found) == 1, [t.caption for t in doc.tables]
    return found[0]


def leaf_labels(t: Table) -> list[str]:
    """The last header row: one label per column."""
    assert t.header_rows
    return [c.text for c in t.grid[t.header_rows - 1]]


def col(t: Table, label: str, nth: int = 0) -> int:
    return [i for i, text in enumerate(leaf_labels(t)) if text == label][nth]


def row(t: Table, *first_cells: str) -> tuple[str, ...]:
    """The body row whose first cells are `first_cells` (texts of each grid column)."""
    hits = [
        tuple(c.text for c in t.grid[r])
        for r in range(t.header_rows or 0, t.n_rows)
        if tuple(c.text for c in t.grid[r][: len(first_cells)]) == first_cells
    ]
    assert len(hits) == 1, (first_cells, len(hits))
    return hits[0]


def body_rows(t: Table) -> list[tuple[str, ...]]:
    return [tuple(c.text for c in t.grid[r]) for r in range(t.header_rows or 0, t.n_rows)]


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def only_fatal(doc: Document) -> str:
    assert isinstance(doc, Document) and doc.format == "pdf"
    assert len(doc.problems) == 1, doc.problems
    problem = doc.problems[0]
    assert problem.fatal and not doc.readable
    assert has_cjk(problem.message) and "\n" not in problem.message
    assert doc.blocks == ()
    return problem.message


# ------------------------------------------------------------------------ budget (部门预算)


def test_budget_pages_and_raw_texts(budget):
    assert budget.readable and budget.problems == ()
    assert budget.page_count == 31
    assert len(budget.page_texts) == 31
    assert "2025年部门收入预算总表" in budget.page_texts[9]


def test_budget_has_the_nine_tables_in_order(budget):
    assert [t.caption for t in budget.tables] == [
        "2025年部门财务收支预算总表",
        "2025年部门收入预算总表",
        "2025年部门支出预算总表",
        "2025年部门财政拨款收支预算总表",
        "2025年部门一般公共预算支出功能分类预算表",
        "2025年部门政府性基金预算支出功能分类预算表",
        "2025年部门国有资本经营预算支出功能分类预算表",
        "2025年部门一般公共预算基本支出部门预算经济分类预算表",
        "2025年部门“三公”经费和机关运行经费预算表",
    ]
    # captions are not headings
    assert not any("预算表" in h.text or "预算总表" in h.text for h in budget.headings if h.text != "目 录")


def test_budget_income_table_cells_land_in_their_columns(budget):
    t = table(budget, "部门收入预算总表")
    assert t.preamble == ("编制部门：上海市普陀区人民政府万里街道办事处", "单位：元")
    assert t.location.page == 10 and t.location.table == t.caption
    assert leaf_labels(t) == ["类", "款", "项", "功能分类科目名称", "合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"]
    r = row(t, "201", "05", "07")
    assert r[3] == "专项普查活动"
    assert r[col(t, "合计")] == "438,300" and r[col(t, "财政拨款收入")] == "438,300"
    assert r[col(t, "事业收入")] == r[col(t, "事业单位经营收入")] == r[col(t, "其他收入")] == "0"
    # a 类 row has blank 款 and 项 cells
    assert row(t, "201", "", "")[3:6] == ("一般公共服务支出", "3,296,600", "3,296,600")


def test_budget_header_has_merged_cells(budget):
    t = table(budget, "部门收入预算总表")
    assert t.header_rows == 3
    top = t.grid[0]
    assert top[0] is top[3] and top[0].text == "项目" and top[0].col_span == 4
    assert top[4] is top[8] and top[4].text == "收入预算" and top[4].col_span == 5
    assert t.grid[1][0].text == "功能分类科目编码" and t.grid[1][0].col_span == 3
    # a label with nothing below it spans the rows down to the last header row
    name = t.grid[1][3]
    assert name is t.grid[2][3] and name.text == "功能分类科目名称" and name.row_span == 2
    assert isinstance(name, Cell) and (name.row, name.col) == (1, 3)


def test_budget_table_continued_over_pages_is_one_table(budget):
    t = table(budget, "部门支出预算总表")
    assert t.pages == (14, 15, 16, 17, 18)
    # 合计 in one cell merged across 类 | 款 | 项 | 科目名称 (no rules part them there), as in a .docx
    assert body_rows(t)[-1] == ("合计",) * 4 + ("189,767,551", "101,341,746", "88,425,805")
    total = t.grid[-1][0]
    assert (total.col, total.col_span) == (0, 4) and all(c is total for c in t.grid[-1][:4])
    assert len(body_rows(t)) == 67
    # the header repeated at the top of pages 21-24 is not taken for data rows
    t = table(budget, "一般公共预算支出功能分类预算表")
    assert t.pages == (20, 21, 22, 23, 24)
    assert sum(1 for r in range(t.n_rows) if t.grid[r][0].text == "类") == 1
    assert row(t, "210", "07", "17")[3:] == ("计划生育服务", "200,000", "0", "200,000")


def test_budget_two_group_summary_table(budget):
    t = table(budget, "部门财务收支预算总表")
    assert t.grid[0][0].text == "本年收入" and t.grid[0][0] is t.grid[0][1]
    assert t.grid[0][2].text == "本年支出" and t.grid[0][2] is t.grid[0][3]
    assert leaf_labels(t) == ["项目", "预算数", "项目", "预算数"]
    assert row(t, "一、财政拨款收入") == ("一、财政拨款收入", "189,767,551", "一、一般公共服务支出", "3,296,600")
    assert row(t, "", "", "八、城乡社区支出") == ("", "", "八、城乡社区支出", "154,369,326")
    assert row(t, "收入总计") == ("收入总计", "189,767,551", "支出总计", "189,767,551")


def test_budget_sangong_table_header_and_values(budget):
    t = table(budget, "三公")
    assert t.preamble[-1] == "单位:万元"
    assert leaf_labels(t) == ["合计", "因公出国(境)费", "公务接待费", "小计", "购置费", "运行费", "机关运行经费预算数"]
    assert t.grid[0][0].text == "“三公”经费预算数" and t.grid[0][0].col_span == 6
    assert t.grid[1][3].text == "公务用车购置及运行费" and (t.grid[1][3].col, t.grid[1][3].col_span) == (3, 3)
    assert body_rows(t) == [("37.91", "0", "1.35", "36.56", "15", "21.56", "464.64")]


def test_budget_empty_table_keeps_header_and_note(budget):
    t = table(budget, "政府性基金预算支出功能分类预算表")
    assert t.header_rows == 3 and t.n_cols == 7
    assert body_rows(t) == [("合计",) * 4 + ("", "", "")]  # its one row merged: the header's rules part the columns
    assert len(t.notes) == 1
    note = t.notes[0]
    assert note.is_note and note.text.startswith("注") and "空表" in note.text
    i = budget.blocks.index(t)
    assert isinstance(budget.blocks[i + 1], Paragraph) and budget.blocks[i + 1].is_note


def test_budget_cover_toc_and_headings(budget):
    first = budget.blocks[0]
    assert isinstance(first, Heading) and first.level == 1 and first.text == "上海市普陀区2025年区级部门预算"
    toc = next(s for s in budget.sections if s.title.replace(" ", "") == "目录")
    entries = [b.text for b in toc.blocks if isinstance(b, Paragraph)]
    assert entries[0] == "一、部门主要职能" and entries[-1] == "七、项目经费情况说明"
    assert "1. 2025年部门财务收支预算总表" in entries and len(entries) == 16
    assert not any("…" in e or e[-1].isdigit() for e in entries)
    titles = [s.title for s in budget.sections]
    for title in ("名词解释", "2025年部门预算编制说明", "其他相关情况说明", "项目经费情况说明"):
        assert title in titles
    assert "上海市普陀区人民政府万里街道办事处（部门）主要职能" in titles
    other = next(s for s in budget.sections if s.title == "其他相关情况说明")
    assert [c.title for c in other.children][:2] == ["一、2025年“三公”经费预算情况说明", "二、机关运行经费预算"]


def test_budget_wrapped_prose_is_one_paragraph(budget):
    texts = [p.text for p in budget.paragraphs]
    assert (
        "一、加强党的建设。落实基层党建责任制，加强基层服务型党组织建设，统筹推进区域化党建和“两新”组织党建、"
        "居民区党建工作，实现社区党建全覆盖，提高党建工作的有效性。"
    ) in texts
    # numbered items start new paragraphs
    assert "九、承办区委、区政府交办的其他事项。" in texts


def test_every_block_has_a_location_a_person_can_find(budget):
    for block in budget.blocks:
        loc = block.location
        assert loc.file == str(BUDGET) and 1 <= loc.page <= 31
        if isinstance(block, Table):
            assert loc.table == block.caption and loc.page == block.pages[0]
    # blocks come in page order
    pages = [b.location.page for b in budget.blocks]
    assert pages == sorted(pages)
    # a table's section path is the heading it sits under
    assert table(budget, "部门收入预算总表").location.section == ("2025年部门预算编制说明",)


# ------------------------------------------------------------------- final accounts (决算)


def test_final_tables(final):
    assert final.page_count == 24 and final.readable
    captions = [t.caption for t in final.tables if t.caption]
    assert captions == [
        "收入支出决算总表",
        "收入决算表",
        "支出决算表",
        "财政拨款收入支出决算总表",
        "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款基本支出决算表",
        "财政拨款“三公”经费支出决算表",
        "政府性基金预算财政拨款收入支出决算表",
        "国有资本经营预算财政拨款收入支出决算表",
    ]
    assert all(t.preamble == ("单位：万元",) for t in final.tables if t.caption)


def test_final_wrapped_row_names_are_joined(final):
    t = table(final, "收入决算表")
    assert t.pages == (6, 7)
    assert leaf_labels(t)[:4] == ["功能分类科目编码", "科目名称", "本年收入合计", "财政拨款收入"]
    r = row(t, "2080505")
    assert r[1] == "机关事业单位基本养老保险缴费支出"
    assert r[col(t, "本年收入合计")] == "6.18" and r[col(t, "财政拨款收入")] == "6.18"
    assert r[col(t, "事业收入")] == ""
    assert row(t, "2210203")[1:4] == ("购房补贴", "11.72", "11.72")  # on the second page
    # names wrapped over three lines in a narrow column
    t = table(final, "一般公共预算财政拨款支出决算表")
    assert row(t, "2080505")[1:] == ("机关事业单位基本养老保险缴费支出", "6.18", "6.18", "")
    assert row(t, "201")[1:] == ("一般公共服务支出", "264.87", "62.63", "202.24")
    assert row(t, "2013999")[1:] == ("其他社会工作事务支出", "202.24", "", "202.24")


def test_final_two_group_basic_expenditure_table(final):
    t = table(final, "基本支出决算表")
    assert leaf_labels(t) == ["经济分类科目编码", "科目名称", "决算数", "经济分类科目编码", "科目名称", "决算数"]
    assert row(t, "301") == ("301", "工资福利支出", "95.36", "302", "商品和服务支出", "10.23")
    assert row(t, "30108") == ("30108", "机关事业单位基本养老保险缴费", "6.18", "30206", "电费", "0.00")
    assert row(t, "", "", "", "31007") == ("", "", "", "31007", "信息网络及软件购置更新", "0.00")
    # each group's total label merged across its code and name columns
    assert row(t, "人员经费合计") == ("人员经费合计", "人员经费合计", "95.36", "公用经费合计", "公用经费合计", "10.23")
    codes_left = {r[0] for r in body_rows(t) if not r[0].endswith("合计")} - {""}
    codes_right = {r[3] for r in body_rows(t) if not r[3].endswith("合计")} - {""}
    assert all(c.startswith(("301", "303")) for c in codes_left)
    assert all(c.startswith(("302", "310")) for c in codes_right)


def test_final_summary_table_continues_with_right_half_rows(final):
    t = table(final, "财政拨款收入支出决算总表")
    assert t.pages == (10, 11)
    assert row(t, "", "", "十九、住房保障支出")[2:5] == ("十九、住房保障支出", "29.42", "29.42")
    assert row(t, "总计") == ("总计", "307.82", "总计", "307.82", "307.82", "", "")


def test_final_empty_tables_have_their_notes(final):
    t = table(final, "财政拨款“三公”经费支出决算表")
    assert t.n_cols == 12 and leaf_labels(t) == ["预算数", "决算数"] * 6
    assert t.grid[0][0].col_span == 12
    assert [n.text for n in t.notes][-1].endswith("故本表无数据。")
    t = table(final, "政府性基金预算财政拨款收入支出决算表")
    assert len(t.notes) == 3 and t.notes[0].text.startswith("注：")


def test_final_section_tree(final):
    assert final.blocks[0] == Heading("中共上海市普陀区委社会工作部 2024 年度部门决算", 1, final.blocks[0].location)
    parts = [s.title for s in final.sections if s.title.startswith("第")]
    assert parts == [
        "第一部分 中共上海市普陀区委社会工作部概况",
        "第三部分 中共上海市普陀区委社会工作部 2024 年度部门决算情况说明",
        "第四部分 名词解释",
    ]
    third = next(s for s in final.sections if s.title.startswith("第三部分"))
    children = [c.title for c in third.children]
    assert children[0] == "一、收入支出决算总体情况说明" and len(children) == 11
    five = third.children[4]
    assert [c.title for c in five.children] == [
        "（一）一般公共预算财政拨款支出决算总体情况",
        "（二）一般公共预算财政拨款支出决算结构情况",
        "（三）一般公共预算财政拨款支出决算具体情况",
    ]
    assert five.children[0].heading.level == 3 and five.heading.level == 2
    # the 目录 over two pages: entries only, no headings
    toc = next(s for s in final.sections if s.title.replace(" ", "") == "目录")
    entries = [b.text for b in toc.blocks]
    assert entries[-1] == "第四部分 名词解释" and len(entries) == 26
    assert "第三部分 中共上海市普陀区委社会工作部 2024 年度部门决算情况说明" in entries


def test_final_paragraph_continues_over_page_break(final):
    texts = [p.text for p in final.paragraphs]
    joined = [t for t in texts if t.startswith("一般公共预算财政拨款支出 307.82 万元，占本年支出合计的")]
    assert len(joined) == 1 and "100.00%。与 2023 年度相比" in joined[0]


def test_final_captionless_table(final):
    t = final.tables[0]
    assert t.caption == "" and t.location.page == 4
    assert [tuple(c.text for c in r) for r in t.grid] == [
        ("序号", "单位名称", "备注"),
        ("1", "中共上海市普陀区委社会工作部（本级）", ""),
        ("2", "上海市普陀区社会工作发展服务中心", ""),
    ]


# ----------------------------------------------------------------------- unit budget (单位预算)


def test_unit_budget_summary_table_with_nested_header(unit):
    assert unit.page_count == 16
    t = table(unit, "预算单位财务收支预算总表")
    assert leaf_labels(t) == ["项目", "预算数", "项目", "合计", "人员经费", "公用经费", "项目支出"]
    basic = t.grid[t.header_rows - 2][4]
    assert basic.text == "基本支出" and basic.col_span == 2 and basic is t.grid[t.header_rows - 2][5]
    assert t.grid[0][2].text == "本年支出" and t.grid[0][2].col_span == 5
    assert row(t, "1、一般公共预算资金") == (
        "1、一般公共预算资金", "9,501,164", "二、社会保障和就业支出", "11,281,624", "6,540,674", "2,120,950", "2,620,000",
    )
    assert row(t, "二、事业收入") == ("二、事业收入", "2,620,000", "", "", "", "", "")


def test_unit_budget_other_tables(unit):
    assert len(unit.tables) == 9
    t = table(unit, "预算单位收入预算总表")
    r = row(t, "208", "10", "05")
    assert r[3:] == ("社会福利事业单位", "9,584,796", "6,964,796", "2,620,000", "", "")
    t = table(unit, "三公")
    assert body_rows(t) == [("6.4", "0", "0", "6.4", "", "6.4", "0")]


# ------------------------------------------------------------------------------- bad input


# ------------------------------------------------------------ a spreadsheet printed to PDF

EXCEL_PRINT = "shanghai-putuo-wanli-subdistrict-2025-dept-budget-excel-print"  # see make_excel_print.py


def test_an_excel_print_parts_names_cut_short_from_the_amounts_beside_them():
    # amounts stored as text start at their cell's left border; a long name in the cell before
    # is cut there and its last glyph reaches over the border: two cells, not one
    doc = read_pdf(str(FIX / f"{EXCEL_PRINT}.pdf"))
    basic = table(doc, "经济分类")
    assert leaf_labels(basic) == ["类", "款", "经济分类科目名称", "合计", "人员经费", "公用经费"]
    assert row(basic, "301", "08") == ("301", "08", "机关事业单位基本养", "4,827,156", "4,827,156", "0")
    assert row(basic, "302", "13") == ("302", "13", "维修(护)费", "276,000", "0", "276,000")
    functional = table(doc, "功能分类")
    assert row(functional, "208", "05", "05")[3:5] == ("机关事业单位基本养", "4,827,156")


def test_an_excel_print_reads_as_its_workbook():
    # the same findings as the workbook, but where the print shows a name cut short
    from openlint.judge.engine import check_document, load_rules
    from openlint.read import read_document

    rules = load_rules()

    def findings(path: Path) -> set[tuple[str, str]]:
        return {(f.rule_id, f.message) for f in check_document(read_document(str(path)), rules)}

    in_print = findings(FIX / f"{EXCEL_PRINT}.pdf")
    in_book = findings(FIX.parent / "xlsx" / f"{EXCEL_PRINT}.xlsx")
    cut_short = ("机关事业单位基本养”", "其他城乡社区管理事 ")
    assert {f for f in in_print - in_book if not any(c in f[1] for c in cut_short)} == set()
    assert {f for f in in_book - in_print if "城乡社区管理事务支出 53,121,126" not in f[1]} == set()
    assert any(rule == "CLS-002" and "名称不完整" in message for rule, message in in_print)


@pytest.mark.parametrize("variant, pages", [
    # portrait, not fitted to the page: the codes and names on one page, the amounts on the
    # next, the caption cut over both; two bands of rows, printed down, then over
    ("strips", [(1, 2, 3, 4), (5, 6)]),
    # amounts stored as numbers: written from the right of their cells, up to the border before
    # the next cell's code (two-group tables), far from their header written from the left
    ("numbers", [(1, 2, 3), (4, 5)]),
])
def test_a_sheet_printed_otherwise_reads_the_same(variant, pages):
    other = read_pdf(str(FIX / f"{EXCEL_PRINT}-{variant}.pdf"))
    whole = read_pdf(str(FIX / f"{EXCEL_PRINT}.pdf"))
    assert [t.caption for t in other.tables] == [t.caption for t in whole.tables]
    for read, fitted in zip(other.tables, whole.tables):
        assert [[c.text for c in r] for r in read.grid] == [[c.text for c in r] for r in fitted.grid]
        assert read.preamble == fitted.preamble == ("单位：元",)
    assert [t.pages for t in other.tables] == pages  # a strip's page is the table's too


@pytest.mark.parametrize("variant, read_whole", [
    # amounts stored as numbers: an amount written from the right of its cell touches the border
    # before the next group's code, the header 决算数 is written from the left of the amounts' cell
    ("numbers", 42),
    # portrait at full size: the 公用经费 group (with its own labels) on the next page, under the
    # cut end of the caption; its second band, one 合计 row alone, is not joined (a known limit)
    ("strips", 41),
])
def test_a_two_group_table_printed_from_its_workbook_reads_as_the_workbook(variant, read_whole):
    # 人员经费 | 公用经费 side by side
    from openlint.read import read_document

    name = "shanghai-putuo-finance-bureau-2024-dept-final-accounts-MODIFIED-test-errors-excel-print"
    (printed,) = read_pdf(str(FIX / f"{name}-{variant}.pdf")).tables
    (book,) = read_document(str(FIX.parent / "xlsx" / f"{name}.xlsx")).tables
    assert (printed.n_rows, printed.n_cols) == (book.n_rows, book.n_cols) == (42, 8)
    for in_print, in_book in zip(printed.grid[:read_whole], book.grid):
        for p, b in zip(in_print, in_book):  # as printed: a long name cut short by the next cell
            assert p.text == b.text or (len(p.text) >= 8 and b.text.startswith(p.text)), (p.text, b.text)
    assert [c.text for c in printed.grid[41][:4]] == [c.text for c in book.grid[41][:4]]


def test_the_borders_of_a_ruled_table_make_its_columns():
    # a spreadsheet print: headers written from the left of their cells, amounts from the right;
    # an amount that fills its cell touches the border before the next cell's code
    from openlint.read._pdf_layout import Rules
    from openlint.read._pdf_table import build_table

    def line(y: float, *cells: tuple[float, float, str]) -> Line:
        return Line(1, y, 10.0, [Seg(x0, x1, text) for x0, x1, text in cells], 842.0, 595.0)

    header = line(100, (72, 92, "名称"), (192, 212, "金额"), (352, 372, "编码"), (392, 412, "金额"))
    rows = [line(115, (72, 102, "甲项"), (305, 349.5, "1,234.56"), (350.6, 366, "302"), (440, 460, "7.00")),
            line(130, (72, 102, "乙项"), (320, 349.5, "34.56"), (350.6, 366, "303"), (440, 460, "8.00"))]
    borders = Rules([], [(x, 90.0, 140.0) for x in (70, 190, 350, 390, 470)])
    table = build_table("t.pdf", "表", [], [(1, [header, *rows])], 1, rules_of=lambda page: borders)
    assert [[c.text for c in row] for row in table.grid] == [
        ["名称", "金额", "编码", "金额"],
        ["甲项", "1,234.56", "302", "7.00"],
        ["乙项", "34.56", "303", "8.00"],
    ]
    # a frame alone (no rules between columns) does not join a header-only column (基本支出,
    # empty) to the amounts of its neighbour
    header = line(100, (60, 100, "科目名称"), (205, 225, "合计"), (305, 345, "基本支出"), (430, 470, "项目支出"))
    rows = [line(120 + 20 * i, (60, 110, f"项目{i}"), (200, 240, f"{i + 1},000.00"), (385, 425, f"{i + 1},000.00"))
            for i in range(3)]
    frame = Rules([(90, 50, 520)], [(50, 90, 180), (520, 90, 180)])
    table = build_table("t.pdf", "表", [], [(1, [header, *rows])], 1, rules_of=lambda page: frame)
    assert [c.text for c in table.grid[1]] == ["项目0", "1,000.00", "", "1,000.00"]


def _strip_line(page: int, y: float, *cells: tuple[float, str]) -> Line:
    return Line(page, y, 10.0, [Seg(x, x + 10 * len(text), text) for x, text in cells], 595.0, 842.0)


def _labels_page(page: int, caption: str) -> list[Line]:
    return [_strip_line(page, 80, (150, caption)), _strip_line(page, 140, (60, "类"), (120, "科目名称"))] + [
        _strip_line(page, 155 + 15 * k, (60, str(201 + k)), (120, "一般公共服务支出")) for k in range(4)]


def test_strips_join_their_labels_page_only():
    from openlint.read._pdf_strips import join_strips

    amounts = [_strip_line(2, 140, (60, "合计"), (160, "基本支出"))] + [
        _strip_line(2, 155.8 + 15 * k, (60, f"{k + 1}0.00"), (160, f"{k + 1}0.00")) for k in range(4)]
    pages = [(1, 595.0, 842.0, _labels_page(1, "一般公共预算财政拨款支出决算表")),
             (2, 595.0, 842.0, [_strip_line(2, 80, (20, "款支出决算表"))] + amounts)]
    assert join_strips(pages, {}) == {2: 1}
    assert pages[1][3] == [] and [s.text for s in pages[0][3][2].segs] == ["201", "一般公共服务支出", "10.00", "10.00"]
    assert pages[0][3][0].text == "一般公共预算财政拨款支出决算表"  # the fuller piece of the caption stays
    # another table, empty, whose title ends as the first one's: its own label columns, no strip
    empty = [_strip_line(2, 80, (150, "政府性基金预算财政拨款收入支出决算表")), _strip_line(2, 140, (60, "科目编码"), (160, "合计"))]
    pages = [(1, 595.0, 842.0, _labels_page(1, "支出决算表")), (2, 595.0, 842.0, empty)]
    assert join_strips(pages, {}) == {} and pages[1][3] == empty
    # amounts alone at other heights than the labels' rows: the next band of another table
    pages = [(1, 595.0, 842.0, _labels_page(1, "支出决算表")),
             (2, 595.0, 842.0, [_strip_line(2, 80 + 15 * k, (60, "10.00")) for k in range(6)])]
    assert join_strips(pages, {}) == {}


def test_strips_of_several_bands_join_their_own_band():
    # three bands of rows printed down, then over: labels 1, 2, 3, then their amounts 4, 5, 6;
    # bands 2 and 3 start at the top of their pages, so their rows line up alike
    from openlint.read._pdf_strips import join_strips

    def band(page: int, first: int, amounts: bool) -> list[Line]:
        top = [_strip_line(page, 140, (60, "合计") if amounts else (60, "科目名称"))] if first == 0 else []
        y0 = 155 if first == 0 else 80
        cells = (lambda n: [(60, f"{n}.00")]) if amounts else (lambda n: [(60, str(201000 + n)), (120, f"第{n}项")])
        return top + [_strip_line(page, y0 + 15 * k, *cells(first + k)) for k in range(40 if first < 80 else 30)]

    pages = [(n + 1, 595.0, 842.0, band(n + 1, 40 * (n % 3), n >= 3)) for n in range(6)]
    assert join_strips(pages, {}) == {4: 1, 5: 2, 6: 3}
    assert [s.text for s in pages[1][3][0].segs] == ["201040", "第40项", "40.00"]


def test_ruled_cells_stay_apart_when_their_texts_run_together(tmp_path):
    # a spreadsheet print: headers written from the left of their ruled cells come within a
    # space of each other, and a long name runs on over the empty cell beside it; the vertical
    # rules say where each cell ends
    height = 842

    def text(x: int, top: int, s: str) -> bytes:
        return b"BT /F1 10 Tf %d %d Td (%s) Tj ET\n" % (x, height - top, s.encode())

    xs, tops = (70, 190, 262, 372), (100, 116, 132, 148, 164, 180, 196)
    content = text(72, 112, "Code") + text(212, 112, "Item name") + text(264, 112, "Amount")  # 2.8 pt apart
    rows = [("101", "Alpha", "10.00"), ("102", "Subsidies to families", ""), ("103", "Gamma", "30.00"),
            ("104", "Other family subsidies", ""), ("105", "Delta", "50.00")]
    for top, (code, name, amount) in zip(tops[1:], rows):
        content += text(72, top + 12, code) + text(192, top + 12, name) + (text(264, top + 12, amount) if amount else b"")
    content += b"".join(b"0.5 w %d %d m %d %d l S\n" % (xs[0], height - y, xs[-1], height - y) for y in tops)
    content += b"".join(b"0.5 w %d %d m %d %d l S\n" % (x, height - tops[0], x, height - tops[-1]) for x in xs)
    path = tmp_path / "ruled.pdf"
    path.write_bytes(_one_page_pdf(content))
    (table,) = read_pdf(str(path)).tables
    assert [[c.text for c in row] for row in table.grid] == [
        ["Code", "Item name", "Amount"],
        ["101", "Alpha", "10.00"],
        ["102", "Subsidies to families", ""],
        ["103", "Gamma", "30.00"],
        ["104", "Other family subsidies", ""],
        ["105", "Delta", "50.00"],
    ]


def test_empty_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert "空" in only_fatal(read_pdf(str(path)))


def test_random_bytes(tmp_path):
    path = tmp_path / "random.pdf"
    path.write_bytes(os.urandom(4096))
    assert "PDF" in only_fatal(read_pdf(str(path)))


def test_random_bytes_behind_a_pdf_header(tmp_path):
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(4096))
    only_fatal(read_pdf(str(path)))


def test_truncated_pdf(tmp_path):
    data = BUDGET.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: int(len(data) * 0.3)])
    assert "不完整" in only_fatal(read_pdf(str(path)))


def test_not_a_pdf_with_pdf_extension(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_text("一、部门主要职能\n这是一个文本文件。\n", encoding="utf-8")
    assert "不是 PDF" in only_fatal(read_pdf(str(path)))
    path = tmp_path / "image.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    only_fatal(read_pdf(str(path)))


def test_missing_file_and_directory(tmp_path):
    only_fatal(read_pdf(str(tmp_path / "missing.pdf")))
    only_fatal(read_pdf(str(tmp_path)))


def test_encrypted_pdf(tmp_path):
    path = tmp_path / "encrypted.pdf"
    path.write_bytes(_encrypted_pdf(user_password=b"secret"))
    # it is a genuine encrypted PDF: it opens with the password ...
    with_password = pdfium.PdfDocument(str(path), password="secret")
    try:
        assert "Confidential" in with_password[0].get_textpage().get_text_range()
    finally:
        with_password.close()
    # ... and the reader, which has none, says so
    assert "加密" in only_fatal(read_pdf(str(path)))


def test_size_and_page_limits(monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_BYTES", 1000)
    assert "过大" in only_fatal(read_pdf(str(UNIT)))
    monkeypatch.setattr(pdf_reader, "MAX_BYTES", 200 * 1024 * 1024)
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 10)
    assert "页数过多" in only_fatal(read_pdf(str(UNIT)))


def test_a_failing_page_is_skipped_with_a_problem(monkeypatch):
    real = pdf_reader.page_lines

    def flaky(textpage, page_no, *args):
        if page_no == 2:
            raise RuntimeError("boom")
        return real(textpage, page_no, *args)

    monkeypatch.setattr(pdf_reader, "page_lines", flaky)
    doc = read_pdf(str(UNIT))
    assert doc.readable and doc.page_count == 16
    (problem,) = doc.problems
    assert not problem.fatal and problem.location.page == 2 and "第2页" in problem.message
    assert doc.page_texts[1] == "" and len(doc.tables) == 9


def test_unreadable_glyphs_are_reported_per_page(monkeypatch):
    real = pdf_reader.page_lines

    def garbled(textpage, page_no, *args):
        lines, text, count, bad, off = real(textpage, page_no, *args)
        return lines, text, count, (count if page_no == 3 else bad), off

    monkeypatch.setattr(pdf_reader, "page_lines", garbled)
    doc = read_pdf(str(UNIT))
    (problem,) = doc.problems
    assert not problem.fatal and problem.location.page == 3 and "第3页" in problem.message


def test_never_raises_on_internal_error(monkeypatch):
    def broken(*args):
        raise ValueError("bug")

    monkeypatch.setattr(pdf_reader, "Composer", broken)
    assert "内部错误" in only_fatal(read_pdf(str(UNIT)))


# ----------------------------------------------------------------------- synthetic documents


def test_running_header_and_page_numbers_are_dropped(tmp_path):
    path = tmp_path / "furniture.pdf"
    pages = []
    for n in range(1, 6):
        pages.append(
            [
                (72, 800, 9, "Shanghai Putuo 2025 Budget Disclosure"),
                (72, 700, 12, f"Body text of page {n}."),
                (290, 30, 9, f"- {n} -"),
            ]
        )
    _write_pdf(path, pages)
    doc = read_pdf(str(path))
    assert doc.readable and doc.page_count == 5
    texts = [b.text for b in doc.blocks]
    assert texts == [f"Body text of page {n}." for n in range(1, 6)]
    assert "- 3 -" in doc.page_texts[2]  # raw page text is kept as extracted


def test_a_browsers_margins_are_dropped_on_a_short_document(tmp_path):
    # Print → Save as PDF: the date and the title at the top of every page, the address and a
    # counter at the bottom; on two pages nothing repeats often enough to tell, what they are does
    path = tmp_path / "browser.pdf"
    pages = []
    for n in (1, 2):
        pages.append(
            [
                (24, 825, 8, "11/25/26, 8:08 AM"),
                (250, 825, 8, "Budget Disclosure 2024"),
                (72, 700, 12, f"Body text of page {n}."),
                (24, 20, 8, "https://www.example.gov.cn/xxgk/2024ys.html"),
                (540, 20, 8, f"{n}/2"),
            ]
        )
    _write_pdf(path, pages)
    doc = read_pdf(str(path))
    assert [b.text for b in doc.blocks] == ["Body text of page 1.", "Body text of page 2."]


def test_page_without_text(tmp_path):
    path = tmp_path / "blank.pdf"
    _write_pdf(path, [[]])
    doc = read_pdf(str(path))
    assert doc.page_count == 1 and doc.page_texts == ("",)
    assert doc.blocks == ()
    # A scan: the one true finding is that the text cannot be read, not nine "missing" sections.
    (problem,) = doc.problems
    assert problem.fatal and "没有可提取的文字" in problem.message
    from openlint.judge.engine import check_document, load_rules

    assert [f.rule_id for f in check_document(doc, load_rules())] == ["OL-INPUT"]


def test_clipped_and_off_page_text_is_left_out(tmp_path):
    # a spreadsheet export draws more text than it shows: some off the page, some hidden by a
    # clipping path; only what a reader sees is read
    path = tmp_path / "clipped.pdf"
    items = [
        (72, 900, 12, "Overflow above the page"),
        (72, 700, 12, "Visible first line"),
        (72, 650, 12, "Visible second line"),
        (72, 100, 12, "Hidden under the clip"),
    ]
    content = b"q 0 300 595 542 re W n\n" + b"".join(
        b"BT /F1 12 Tf %d %d Td (%s) Tj ET\n" % (x, y, text.encode()) for x, y, _, text in items
    ) + b"Q"
    path.write_bytes(_one_page_pdf(content))
    doc = read_pdf(str(path))
    assert [b.text for b in doc.blocks] == ["Visible first line", "Visible second line"]
    # the page's text is what it shows too: two pages that clip different windows of one long
    # text are not "the same page" (TXT-015), hidden garbage is not "unreadable text" (TXT-016)
    assert "Hidden under the clip" not in doc.page_texts[0] and "Visible first line" in doc.page_texts[0]


def test_a_line_broken_early_before_a_long_number_goes_on(tmp_path):
    # Word moves a number that does not fit to the next line, leaving its line short of the
    # margin mid-sentence (“…年初预算为” / “1560.05 万元…”); a line that does not start with a
    # digit after it still starts a new paragraph
    line = "The budget of the first item was stated for the whole year of 2024 as"
    for follows, joined in (("1560.05 ten thousand yuan, spent 1511.89.", True), ("Spent 1511.89 in all.", False)):
        path = tmp_path / "wrap.pdf"
        _write_pdf(path, [[(72, 100, 12, line), (72, 115, 12, follows), (72, 150, 12, "Another paragraph.")]], top_down=True)
        texts = [b.text for b in read_pdf(str(path)).blocks]
        assert texts == ([f"{line} {follows}"] if joined else [line, follows]) + ["Another paragraph."]


def test_rotated_pages_are_read_upright(tmp_path):
    items = [(72, 100, 12, "First line of the page"), (72, 130, 12, "Second line"), (72, 160, 12, "Total    1,234.00")]
    for rotation in (90, 180, 270):
        path = tmp_path / f"rotated{rotation}.pdf"
        _write_pdf(path, [items], rotation=rotation, top_down=True)
        doc = read_pdf(str(path))
        assert [b.text for b in doc.blocks] == ["First line of the page", "Second line", "Total 1,234.00"], rotation


def _draw_turned(page: pdfium.PdfPage, rotation: int) -> None:
    """Turn a page's content so that it needs /Rotate `rotation` to read upright, without giving
    it one (as printer drivers do when they put a landscape table on a portrait page)."""
    width, height = page.get_size()
    matrix = {90: (0, 1, -1, 0, height, 0), 180: (-1, 0, 0, -1, width, height), 270: (0, -1, 1, 0, 0, width)}[rotation]
    pdfium_c.FPDFPage_TransFormWithClip(page.raw, ctypes.byref(pdfium_c.FS_MATRIX(*matrix)), None)
    if rotation != 180:
        page.set_mediabox(0, 0, height, width)


def _blocks_and_findings(doc: Document) -> tuple[list, list]:
    from openlint.judge.engine import check_document, load_rules

    blocks = [
        (type(b).__name__, b.location.page, (b.caption, b.preamble, b.header_rows, [[c.text for c in r] for r in b.grid], b.notes)
         if isinstance(b, Table) else b.text)
        for b in doc.blocks
    ]
    findings = sorted((f.rule_id, f.severity, f.message, f.location.page) for f in check_document(doc, load_rules()))
    return blocks, findings


def test_pages_drawn_sideways_read_as_upright(tmp_path):
    upright = tmp_path / "upright.pdf"
    pdf = pdfium.PdfDocument(str(SIDEWAYS))
    try:
        for page_no, rotation in SIDEWAYS_ROTATIONS.items():
            page = pdf[page_no - 1]
            _draw_turned(page, 360 - rotation)
            page.close()
        pdf.save(str(upright))
    finally:
        pdf.close()
    expected = read_pdf(str(upright))
    assert [t.caption for t in expected.tables] == ["2025年部门财务收支预算总表", "2025年部门财政拨款收支预算总表"]
    doc = read_pdf(str(SIDEWAYS))
    assert not doc.problems
    assert _blocks_and_findings(doc) == _blocks_and_findings(expected)
    # pdfium extracts text drawn sideways in a jumbled order: the page's text is its lines'
    assert "上海市普陀区人民政府办公室收入预算9,101.68万元" in doc.page_texts[1].replace("\n", "")


def test_a_page_turns_only_when_most_of_its_text_is_drawn_sideways(tmp_path):
    body = ["First line of the page", "Second line", "Total    1,234.00"]

    def text(x: int, y: int, s: str, sideways: bool) -> bytes:
        return b"BT /F1 12 Tf %s %d %d Tm (%s) Tj ET\n" % (b"0 1 -1 0" if sideways else b"1 0 0 1", x, y, s.encode())

    for sideways in (False, True):
        # the body upright, or sideways as /Rotate 90 would show it upright; a stamp drawn the
        # other way, of nearly a third of the page's characters, does not turn the page
        lines = [text(100 + 30 * k, 72, s, True) if sideways else text(72, 742 - 30 * k, s, False) for k, s in enumerate(body)]
        path = tmp_path / "page.pdf"
        path.write_bytes(_one_page_pdf(b"".join(lines) + text(300, 400, "APPROVED 2025-01-01", not sideways)))
        texts = [b.text for b in read_pdf(str(path)).blocks]
        assert texts[:3] == ["First line of the page", "Second line", "Total 1,234.00"], sideways


def test_a_rotate_that_shows_upright_text_sideways_is_not_followed(tmp_path):
    upright, rotated = tmp_path / "upright.pdf", tmp_path / "rotated.pdf"
    _write_pdf(upright, [[(72, 100, 12, "First line of the page"), (72, 130, 12, "Second line")]], top_down=True)
    pdf = pdfium.PdfDocument(str(upright))
    try:
        pdf[0].set_rotation(90)
        pdf.save(str(rotated))
    finally:
        pdf.close()
    assert [b.text for b in read_pdf(str(rotated)).blocks] == ["First line of the page", "Second line"]


def test_a_failing_character_angle_keeps_the_page_as_it_is(monkeypatch):
    monkeypatch.setattr(pdfium_c, "FPDFText_GetCharAngle", lambda textpage, index: -1.0)
    doc = read_pdf(str(SIDEWAYS))
    assert not doc.problems and doc.blocks[0].text == "上海市普陀区人民政府办公室主要职能"


def _ruled_table_pdf(rules: str, narrow: bool = False) -> bytes:
    """A caption-less table of three rows, cells aligned to the top, the second row's name
    wrapped over three lines, and a sentence under it. `rules`: "grid" (every row ruled), "boxes"
    (every cell a stroked rectangle), "three-line" (rules above and below the table only) or "none". `narrow`: the second row's
    code and amount wrap too (2012901 as 20129 / 01, 41.93 as 41. / 93)."""
    height = 842

    def text(x: int, top: int, s: str) -> bytes:
        return b"BT /F1 10 Tf %d %d Td (%s) Tj ET\n" % (x, height - top, s.encode())

    second = (["20129", "01"], ["41.", "93"]) if narrow else (["102"], ["20.00"])
    rows = [(100, ["101"], ["Alpha item"], ["10.00"]), (120, second[0], ["Beta item that", "wraps over", "three lines"], second[1]),
            (166, ["103"], ["Gamma"], ["30.00"])]
    bottom = 186
    content = b""
    for top, codes, names, amounts in rows:
        for x, pieces in ((80, codes), (200, names), (360, amounts)):
            content += b"".join(text(x, top + 12 * (k + 1), piece) for k, piece in enumerate(pieces))
    xs = (70, 190, 350, 460)
    if rules == "boxes":  # every cell a stroked rectangle: the borders are the rectangles' edges
        tops = [100, 120, 166, bottom]
        content += b"".join(b"0.5 w %d %d %d %d re S\n" % (x0, height - y1, x1 - x0, y1 - y0)
                            for y0, y1 in zip(tops, tops[1:]) for x0, x1 in zip(xs, xs[1:]))
        return _one_page_pdf(content + text(80, 240, "A sentence after the table."))
    ys = {"grid": [100, 120, 166, bottom], "three-line": [100, bottom], "none": []}[rules]
    content += b"".join(b"0.5 w 70 %d m 460 %d l S\n" % (height - y, height - y) for y in ys)
    if rules == "grid":
        content += b"".join(b"0.5 w %d %d m %d %d l S\n" % (x, height - 100, x, height - bottom) for x in xs)
    return _one_page_pdf(content + text(80, 240, "A sentence after the table."))


def test_ruled_rows_keep_a_top_aligned_wrapped_cell_together(tmp_path):
    # the third line of the wrapped name is nearer the next row than its own: only the rules
    # drawn around the rows tell where it belongs
    def read(rules: str) -> tuple[list[list[str]], list]:
        path = tmp_path / f"{rules}.pdf"
        path.write_bytes(_ruled_table_pdf(rules))
        doc = read_pdf(str(path))
        (table,) = doc.tables
        return [[c.text for c in row] for row in table.grid], [b for b in doc.blocks if not isinstance(b, Table)]

    for rules in ("grid", "boxes"):
        grid, rest = read(rules)
        assert grid == [
            ["101", "Alpha item", "10.00"],
            ["102", "Beta item that wraps over three lines", "20.00"],
            ["103", "Gamma", "30.00"],
        ], rules
        assert [b.text for b in rest] == ["A sentence after the table."]
    # without rules between the rows (none at all, or a three-line table's) the text alone
    # decides, and the line is left a row of its own rather than guessed into one
    for rules in ("none", "three-line"):
        grid, _ = read(rules)
        assert ["", "three lines", ""] in grid, rules


@pytest.mark.parametrize("previous, first_of_page, continues", [
    (["22", "二十二、国有资本经营"], ["", "预算支出"], True),  # a name cut by the page break
    (["208", "行政事业单", "4,213,779."], ["", "位养老支出", "28"], True),  # name and amounts
    (["", "合计", "91,016,775"], ["", "", ".35"], True),  # decimals alone (a 合计 has no 序号)
    (["", "收入总计", "164,978,64"], ["", "", "0"], True),  # a thousands group cut short
    (["201", "政府办公厅", "82,096,797.4"], ["", "（室）及相关机构事务", "2"], True),  # the last decimal
    (["21", "二十一、其他支出"], ["22", "二十二、债务支出"], False),  # a new numbered row
    (["", "二十一、其他支出", ""], ["", "二十二、债务支出", ""], False),  # an item, not a tail
    (["101", "一般公共服务", "10.00"], ["", "其中：行政运行", ""], False),
    (["101", "一般公共服务", "10.00"], ["", "", "20.00"], False),  # a whole amount: a row of its own
    (["", "合计", "91,016,775.35"], ["", "", "12"], False),
])
def test_a_row_split_by_a_page_break(previous, first_of_page, continues):
    from openlint.read._pdf_table import _continues_row

    cells = [Cell(text, 5, k) for k, text in enumerate(previous)]
    assert _continues_row(cells, first_of_page) is continues


@pytest.mark.parametrize("previous, first_of_page, full, continues", [
    # labels cut by the page break where the row has no 序号: the row above reached its edge
    (["六、经营收", "", "六、科学技", ""], ["入", "", "术支出", ""], {0, 2}, True),
    (["本年收入合", "307.82", "本年支出合", ""], ["计", "", "计", ""], {0, 2}, True),
    # a label that ended short of its edge, and a row of its own under it
    (["本年收入合计", "307.82", "本年支出合计", ""], ["上年结转", "", "年末结转", ""], set(), False),
    # a placeholder row is no tail of words
    (["2050205", "高等教育"], ["…", "…"], {0, 1}, False),
])
def test_a_label_cut_by_a_page_break(previous, first_of_page, full, continues):
    from openlint.read._pdf_table import _continues_row

    cells = [Cell(text, 5, k) for k, text in enumerate(previous)]
    assert _continues_row(cells, first_of_page, full) is continues


@pytest.mark.parametrize("above, below, finishes", [
    # a name and its amounts cut by narrow columns, in a table without rules
    ([(186, 241, "社会保障和"), (261, 321, "3,808,085."), (336, 396, "3,808,085.")],
     [(186, 230, "就业支出"), (261, 275, "00"), (336, 350, "00")], True),
    ([(186, 241, "科技条件专"), (261, 324, "17,200,000")], [(186, 197, "项"), (261, 279, ".00")], True),
    # the next row: a new item, or whole amounts
    ([(186, 230, "区支出"), (261, 270, "8")], [(186, 241, "八、住房保"), (261, 321, "8,960,694")], False),
    ([(186, 241, "一般公共服务"), (261, 321, "3,808,085.00")], [(186, 230, "就业支出"), (261, 275, "00")], False),
    ([(186, 241, "社会保障和"), (261, 321, "3,808,085.")], [(186, 230, "就业支出")], False),  # text alone: not this test
])
def test_the_ends_of_amounts_cut_by_a_narrow_column(above, below, finishes):
    from openlint.read._pdf_table import _finishes

    def line(y: float, cells) -> Line:
        return Line(1, y, 10.2, [Seg(x0, x1, text) for x0, x1, text in cells], 595.0, 842.0)

    assert _finishes(line(325.0, above), line(339.4, below)) is finishes


def test_the_end_of_an_amount_under_a_line_of_text_in_a_borderless_cell():
    # a cell centred vertically: the amount's two lines frame its row's label; the line of
    # figures alone is measured on its digits (6.8 pt), a line of the 10-pt type below the first
    from openlint.read._pdf_table import _finishes

    above = Line(1, 363.1, 8.2, [Seg(179, 207, "106,69"), Seg(307, 334, "102,77")], 612.0, 792.0)
    below = Line(1, 376.2, 6.8, [Seg(189, 207, "3.34"), Seg(317, 334, "8.45")], 612.0, 792.0)
    assert not _finishes(above, below)
    assert _finishes(above, below, type_h=10.0)


@pytest.mark.parametrize("cells, numbering", [
    (["栏次", "1", "2", "3"], True),
    (["栏 次", "1", "栏次", "2"], True),  # a 收支总表's two sides
    ([str(k) for k in range(1, 13)], True),  # the numbers alone (a 三公 table)
    (["合计", "1", "2", "3"], False),
    (["1", "2", "4"], False),
    (["1", "2"], False),
    (["2", "12.00", "3"], False),
])
def test_a_line_that_numbers_the_columns(cells, numbering):
    from openlint.read._pdf_table import is_numbering_line

    line = Line(1, 100.0, 9.0, [Seg(40.0 * k, 40.0 * k + 20, text) for k, text in enumerate(cells)], 842.0, 595.0)
    assert is_numbering_line(line) is numbering


def test_columns_between_the_same_rules_are_one_unless_a_row_fills_both():
    from openlint.read._pdf_table import _Col, _one_per_ruled_cell

    def rows_of(*rows: list[tuple[float, float]]):
        return [[(Line(1, 200.0 + 12 * r, 9.0, [Seg(x0, x1, "1")], 842.0, 595.0), Seg(x0, x1, "1")) for x0, x1 in row]
                for r, row in enumerate(rows)]

    borders = [66.0, 341.0, 425.0]
    # a 栏次 number centred in the cell, amounts right-aligned under it
    rows = rows_of([(381, 386)], [(394, 420)], [(400, 420)])
    spans = [(seg.x0, seg.x1) for row in rows for _, seg in row]
    cols = _one_per_ruled_cell([_Col(381, 386, True), _Col(394, 420, True)], rows, spans, borders, lambda page: [])
    assert [(c.x0, c.x1) for c in cols] == [(381, 420)]
    # a rule between them beside some line of the table: two columns
    rule = [(390.0, 190.0, 215.0)]
    cols = _one_per_ruled_cell([_Col(381, 386, True), _Col(394, 420, True)], rows, spans, borders, lambda page: rule)
    assert len(cols) == 2
    # a row with text in both: a table ruled around its column groups only
    rows = rows_of([(381, 386), (394, 420)], [(394, 420)])
    spans = [(seg.x0, seg.x1) for row in rows for _, seg in row]
    cols = _one_per_ruled_cell([_Col(381, 386, True), _Col(394, 420, True)], rows, spans, borders, lambda page: [])
    assert len(cols) == 2


def test_pieces_of_a_header_line_between_the_same_rules_are_one_cell():
    from openlint.read._pdf_table import _one_per_cell

    line = Line(1, 120.6, 10.2, [Seg(481, 525, "经营支出"), Seg(539, 583, "上解上级"), Seg(600, 622, "支出"),
                                 Seg(653, 752, "对附属单位补助支出")], 842.0, 595.0)
    ruled = [(x, 110.0, 130.0) for x in (475.0, 533.0, 647.0, 760.0)]
    assert [s.text for s in _one_per_cell(line, ruled)] == ["经营支出", "上解上级支出", "对附属单位补助支出"]
    assert [s.text for s in _one_per_cell(line, [])] == ["经营支出", "上解上级", "支出", "对附属单位补助支出"]


def test_a_large_header_line_inside_the_rules_is_no_heading():
    # an Excel sheet printed to fit the page: its text is small, the next sheet's table header
    # larger; drawn inside the table's rules, that header is part of the table, not a heading
    from openlint.read._pdf_blocks import Composer
    from openlint.read._pdf_layout import Line, Rules, Seg

    def line(y: float, h: float, *cells: tuple[float, float, str]) -> Line:
        return Line(1, y, h, [Seg(x0, x1, text) for x0, x1, text in cells], 842.0, 595.0)

    prose = [line(40 + 6 * k, 5.0, (60, 700, "本部门主要职能是负责全区的财政工作，编制年度预算并组织执行。" * 3)) for k in range(12)]
    table = [
        line(130, 13.5, (264, 578, "2026年部门“三公”经费预算表")),
        line(156, 9.0, (56, 104, "编制部门：某某局"), (744, 786, "单位:万元")),
        line(180, 9.0, (325, 412, "“三公”经费预算数")),
        line(207, 9.0, (97, 117, "合计"), (179, 245, "因公出国(境)费"), (292, 340, "公务接待费")),
    ]
    vertical = [(x, 170.0, 260.0) for x in (60.0, 175.0, 290.0, 405.0)]
    blocks = Composer("a.pdf", [(1, 842.0, 595.0, prose + table)], lambda page: Rules([], vertical)).run()
    (found,) = [b for b in blocks if isinstance(b, Table)]
    assert found.caption == "2026年部门“三公”经费预算表"
    assert "“三公”经费预算数" in {c.text for row in found.grid for c in row}
    assert not [b for b in blocks if isinstance(b, Heading)]


def test_ruling_lines_are_read_in_display_space(tmp_path, monkeypatch):
    from openlint.read._pdf_layout import ruling_lines

    path = tmp_path / "grid.pdf"
    path.write_bytes(_ruled_table_pdf("grid"))
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[0]
        rules = ruling_lines(page, *page.get_size())
        assert [round(y) for y, _, _ in rules.horizontal] == [100, 120, 166, 186]  # from the top
        assert [round(x) for x, _, _ in rules.vertical] == [70, 190, 350, 460]
        monkeypatch.setattr("openlint.read._pdf_layout._MAX_OBJECTS", 5)  # a page drawing a map
        assert ruling_lines(page, *page.get_size()) == ([], [])
    finally:
        pdf.close()


def test_ruled_rows_join_a_code_and_an_amount_wrapped_in_narrow_columns(tmp_path):
    path = tmp_path / "narrow.pdf"
    path.write_bytes(_ruled_table_pdf("grid", narrow=True))
    (table,) = read_pdf(str(path)).tables
    assert [[c.text for c in row] for row in table.grid][1] == ["2012901", "Beta item that wraps over three lines", "41.93"]


def _write_pdf(
    path: Path, pages: list[list[tuple[float, float, float, str]]], rotation: int = 0, top_down: bool = False
) -> None:
    """A PDF of A4 pages with Helvetica text objects: per page a list of (x, y, size, text),
    y from the bottom (or, with `top_down`, from the top of the page as displayed). With a
    rotation, the text is drawn turned so that it reads upright on the rotated page."""
    width, height = 595, 842
    turn = {0: (1, 0, 0, 1), 90: (0, 1, -1, 0), 180: (-1, 0, 0, -1), 270: (0, -1, 1, 0)}[rotation]

    def to_page(x: float, y: float) -> tuple[float, float]:  # display (x, y from top) → page space
        return {
            0: (x, height - y),
            90: (y, x),
            180: (width - x, y),
            270: (width - y, height - x),
        }[rotation]

    pdf = pdfium.PdfDocument.new()
    try:
        for items in pages:
            page = pdf.new_page(width, height)
            for x, y, size, text in items:
                obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", size)
                buf = ctypes.create_string_buffer((text + "\x00").encode("utf-16-le"))
                pdfium_c.FPDFText_SetText(obj, ctypes.cast(buf, pdfium_c.FPDF_WIDESTRING))
                px, py = to_page(x, y if top_down else height - y)
                pdfium_c.FPDFPageObj_Transform(obj, *turn, px, py)
                pdfium_c.FPDFPage_InsertObject(page.raw, obj)
            if rotation:
                page.set_rotation(rotation)
            pdfium_c.FPDFPage_GenerateContent(page.raw)
            page.close()
        pdf.save(str(path))
    finally:
        pdf.close()


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _encrypted_pdf(user_password: bytes, owner_password: bytes = b"owner") -> bytes:
    """A one-page PDF encrypted with the standard security handler (RC4 40-bit, R2), built
    by hand: no tool that writes encrypted PDFs is available offline."""
    file_id = hashlib.md5(b"openlint test").digest()
    permissions = -4
    owner_key = hashlib.md5((owner_password + _PAD)[:32]).digest()[:5]
    o_value = _rc4(owner_key, (user_password + _PAD)[:32])
    key = hashlib.md5((user_password + _PAD)[:32] + o_value + struct.pack("<i", permissions) + file_id).digest()[:5]
    u_value = _rc4(key, _PAD)
    # the content stream is object 4: encrypted with its object key
    obj_key = hashlib.md5(key + struct.pack("<i", 4)[:3] + b"\x00\x00").digest()[:10]
    content = _rc4(obj_key, b"BT /F1 24 Tf 72 700 Td (Confidential) Tj ET")
    encrypt = (
        b"<< /Filter /Standard /V 1 /R 2 /O <" + o_value.hex().encode() + b"> /U <"
        + u_value.hex().encode() + b"> /P %d >>" % permissions
    )
    return _one_page_pdf(content, encrypt=encrypt, file_id=file_id)


def _one_page_pdf(content: bytes, encrypt: bytes | None = None, file_id: bytes = b"openlint-test-id") -> bytes:
    """A one-page A4 PDF (Helvetica as /F1) around a content stream, written by hand."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if encrypt:
        objects.append(encrypt)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for num, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    hex_id = file_id.hex().encode()
    trailer = b"/Size %d /Root 1 0 R /ID [<%s> <%s>]" % (len(objects) + 1, hex_id, hex_id)
    if encrypt:
        trailer += b" /Encrypt %d 0 R" % len(objects)
    out += b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)



def _with_pages_as_pictures(source_path: Path, picture_pages: set[int], path: Path) -> Path:
    """A copy of a PDF whose given pages (1-based) are replaced by a picture of themselves."""
    source = pdfium.PdfDocument(str(source_path))
    out = pdfium.PdfDocument.new()
    for i in range(len(source)):
        if i + 1 not in picture_pages:
            out.import_pages(source, [i])
            continue
        width, height = source[i].get_size()
        page = out.new_page(width, height)
        picture = pdfium.PdfImage.new(out)
        picture.set_bitmap(source[i].render(scale=1))
        picture.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page.insert_obj(picture)
        page.gen_content()
    out.save(str(path))
    return path


def test_a_table_going_on_over_a_picture_page_is_not_summed_down_its_columns(tmp_path):
    """The 收入预算总表 runs over pages 10–13; page 12 published as a picture leaves its 类 on page
    11 without the 款 and 项 in the picture: the hierarchy sums would all be false errors."""
    from openlint.judge.engine import check_document, load_rules

    path = _with_pages_as_pictures(FIX / "shanghai-putuo-wanli-subdistrict-2025-dept-budget.pdf", {12}, tmp_path / "p.pdf")
    doc = read_pdf(str(path))
    tables = {b.pages: b for b in doc.blocks if isinstance(b, Table)}
    assert tables[(10, 11)].caption == "2025年部门收入预算总表" and tables[(10, 11)].incomplete
    assert tables[(13,)].incomplete  # the rows after the picture, without a caption
    assert not tables[(14, 15, 16, 17, 18)].incomplete  # the next table, whole
    sums = [f for f in check_document(doc, load_rules()) if f.rule_id in ("ARI-006", "ARI-007")]
    assert sums and all(f.location.page >= 14 for f in sums)  # the other tables are still summed


def test_a_page_that_is_only_a_picture_is_reported_not_called_blank(tmp_path):
    """A table published as a scan between text pages: the page cannot be checked, and saying so
    is the finding — not “a blank page”. A page with nothing on it is still blank."""
    from openlint.judge.engine import check_document, load_rules

    source = pdfium.PdfDocument(str(SIDEWAYS))
    out = pdfium.PdfDocument.new()
    out.import_pages(source, [0])
    width, height = source[0].get_size()
    scan = out.new_page(width, height)  # page 2: the first page as a picture
    picture = pdfium.PdfImage.new(out)
    picture.set_bitmap(source[0].render(scale=1))
    picture.set_matrix(pdfium.PdfMatrix().scale(width, height))
    scan.insert_obj(picture)
    scan.gen_content()
    out.new_page(width, height)  # page 3: nothing
    stamp = out.new_page(width, height)  # page 4: a small logo only, no text
    logo = pdfium.PdfImage.new(out)
    logo.set_bitmap(source[0].render(scale=0.05))
    logo.set_matrix(pdfium.PdfMatrix().scale(60, 60).translate(40, 40))
    stamp.insert_obj(logo)
    stamp.gen_content()
    out.import_pages(source, [0])
    path = tmp_path / "scanned-table.pdf"
    out.save(str(path))

    doc = read_pdf(str(path))
    assert doc.readable
    (problem,) = doc.problems
    assert problem.location.page == 2 and not problem.fatal
    assert problem.message == "第2页只有图片，没有可提取的文字（可能是扫描或截图的表格），该页内容未检查"
    blank = [f.location.page for f in check_document(doc, load_rules()) if f.rule_id == "TXT-014"]
    assert blank == [3, 4]


def test_a_tables_number_between_title_and_preamble_is_preamble():
    # the national 决算 template prints "公开02表" on a line between the title and 编制单位 (here
    # written by python-docx and printed by LibreOffice): the title stays the caption
    doc = read_pdf(str(FIX / "national-table-numbers.pdf"))
    assert [(t.caption, t.preamble[0]) for t in doc.tables] == [("收入决算表", "公开 02 表"), ("支出决算表", "公开 03 表")]


# ------------------------------------------------- a provincial 单位决算 printed from Word (make_word_print.py)


@pytest.fixture(scope="module")
def word_print() -> Document:
    return read_pdf(str(FIX / "word-print-unit-final.pdf"))


def test_a_column_numbering_row_is_the_headers_last_row_over_whole_columns(word_print):
    # 栏次 numbers centred over right-aligned amounts leave a gap inside each ruled cell: the
    # rules, not the gap, tell the columns; the 栏次 row is header, as in the .docx
    t = table(word_print, "收入决算表")
    assert t.n_cols == 6 and t.header_rows == 2
    assert leaf_labels(t) == ["栏次", "栏次", "1", "2", "3", "4"]
    assert [c.text for c in t.grid[0]] == ["科目编码", "科目名称", "本年收入合计", "财政拨款收入", "事业收入", "其他收入"]
    lanci = t.grid[1][0]
    assert (lanci.col, lanci.col_span) == (0, 2) and t.grid[1][1] is lanci
    assert body_rows(t)[0] == ("合计", "合计", "9,310.00", "2,300.00", "6,400.00", "510.00")
    assert t.grid[2][0] is t.grid[2][1]  # 合计 merged across 科目编码 | 科目名称
    assert row(t, "2100203") == ("2100203", "传染病医院", "110.00", "0.00", "100.00", "10.00")


def test_the_checks_of_a_table_with_a_column_numbering_row_run(word_print):
    # the table's 合计 row is 100.00 short in 事业收入: both the row and the column say so
    from openlint.judge.engine import check_document, load_rules

    found = {f.rule_id for f in check_document(word_print, load_rules()) if f.location.table == "收入决算表"}
    assert {"ARI-004", "ARI-007"} <= found


def test_body_text_size_is_not_taken_from_the_tables(word_print):
    # a page of 9-pt table text (zeros printed as 0.00) outweighs the 12-pt paragraph: body text
    # is still 12 pt, and a heading in 小四 stays apart from the paragraph under it
    blocks = list(word_print.blocks)
    i = next(k for k, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "二、机构设置")
    assert isinstance(blocks[i + 1], Paragraph) and blocks[i + 1].text.startswith("本单位内设职能科室")


def test_borderless_centred_cells_keep_wrapped_labels_and_amounts_in_their_row(word_print):
    # cells centred vertically, no rules: a label on two lines sits half a line over and under
    # the amount beside it; an amount too long for its column goes on under itself (106,693.3 / 4)
    t = table(word_print, "收入支出决算总表")
    assert body_rows(t) == [
        ("一、一般公共预算财政拨款收入", "6,842.37", "一、社会保障和就业支出", "3,237.96"),
        ("二、事业收入", "98,563.42", "二、卫生健康支出", "97,221.73"),
        ("三、其他收入", "1,287.55", "三、住房保障支出", "2,318.76"),
        ("本年收入合计", "106,693.34", "本年支出合计", "102,778.45"),
        ("年初结转和结余", "8,432.16", "年末结转和结余", "12,347.05"),
        ("总计", "115,125.50", "总计", "115,125.50"),
    ]


# ---------------------------------- titles carrying the organisation's full name (make_long_captions.py)


def test_a_long_centred_title_reaching_the_margins_is_a_caption():
    # centred titles of 35 characters in body-size type reach within two characters of either
    # margin, as a line of prose does; set in from the left margin, they are captions, and the
    # 编制单位/单位 line under them stays preamble instead of becoming the grid's first row.
    # Wrapped over two centred lines (…“三公”经费 / 支出决算表), the title is one caption.
    doc = read_pdf(str(FIX / "long-captions.pdf"))
    assert [(t.caption, t.preamble) for t in doc.tables] == [
        ("临江市应急管理局（本级）2019 年度一般公共预算财政拨款基本支出决算明细表", ("编制单位：临江市应急管理局", "单位：万元")),
        ("临江市应急管理局 2019 年度一般公共预算财政拨款“三公”经费支出决算表", ("编制单位：临江市应急管理局", "单位：万元")),
    ]
    assert [c.text for c in doc.tables[0].grid[0]] == ["科目编码", "科目名称", "决算数"]
    assert not doc.headings


def test_a_line_of_prose_ending_in_biao_over_a_table_is_no_caption():
    # a paragraph's last line from margin to margin, ending in 表 without a stop, over a table:
    # it starts at the left margin as prose does, so it is not taken for a title
    from openlint.read._pdf_blocks import Composer
    from openlint.read._pdf_layout import Line, Rules, Seg

    def line(y: float, *cells: tuple[float, float, str]) -> Line:
        return Line(1, y, 10.0, [Seg(x0, x1, text) for x0, x1, text in cells], 595.0, 842.0)

    prose = [line(60 + 15 * k, (60, 535, "本部门主要职能是负责全区的财政工作，编制年度预算并组织执行，管理财政收支。")) for k in range(9)]
    last = line(195, (60, 535, "本部门二〇二四年度收入支出预算总体情况和一般公共预算支出情况详见以下部门收支总表"))
    table = [
        line(220, (60, 160, "编制单位：某某局"), (450, 535, "单位：万元")),
        line(240, (60, 100, "项目"), (300, 340, "预算数")),
        line(255, (60, 100, "合计"), (300, 340, "100.00")),
    ]
    blocks = Composer("a.pdf", [(1, 595.0, 842.0, prose + [last] + table)], lambda page: Rules([], [])).run()
    assert [b.caption for b in blocks if isinstance(b, Table)] == [""]
    assert any(isinstance(b, Paragraph) and b.text.endswith("详见以下部门收支总表") for b in blocks)
