"""Table semantics (understand/tables.py): units, column groups, header trees and roles, rows,
codes and levels, amounts and their rounding intervals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openlint.model import Cell, Location, Table
from openlint.understand.tables import (
    Amount,
    convert,
    format_decimal,
    is_qualifier,
    is_rate_label,
    is_total_label,
    numbering_of,
    parse_amount,
    read_table,
    roles_of,
    total_of,
    unit_of,
)


def make_table(rows, spans=None, caption="表", preamble=(), header_rows=None) -> Table:
    """A table from rows of texts; `spans` maps (row, col) → (row_span, col_span) for merged
    cells, which then sit (as one object) at every position they cover. A covered position's text
    in `rows` is ignored."""
    spans = spans or {}
    n_cols = max(len(r) for r in rows)
    grid = [[None] * n_cols for _ in rows]
    for (r, c), (rs, cs) in spans.items():
        cell = Cell(rows[r][c], r, c, rs, cs)
        for i in range(r, r + rs):
            for j in range(c, c + cs):
                grid[i][j] = cell
    for r, row in enumerate(rows):
        for c in range(n_cols):
            if grid[r][c] is None:
                grid[r][c] = Cell(row[c] if c < len(row) else "", r, c)
    return Table(caption, tuple(tuple(r) for r in grid), Location("t.pdf", page=1, table=caption),
                 preamble=tuple(preamble), header_rows=header_rows)


# ---------------------------------------------------------------- units and amounts

def test_unit_from_preamble_caption_or_header():
    assert unit_of(make_table([["项目", "金额"], ["a", "1"]], preamble=("编制单位：某局", "单位：万元"))) == "万元"
    assert unit_of(make_table([["项目", "金额"], ["a", "1"]], caption="收入表（单位：元）")) == "元"
    assert unit_of(make_table([["项目", "价值（金额单位：万元）"], ["a", "1"]], header_rows=1)) == "万元"
    assert unit_of(make_table([["项目", "金额"], ["a", "1"]])) is None
    # the currency spelt out, a slash, a colon lost in print; 单位 of something else is no unit
    assert unit_of(make_table([["项目", "金额"], ["a", "1"]], preamble=("单位：人民币万元",))) == "万元"
    assert unit_of(make_table([["项目", "金额"], ["a", "1"]], caption="收入表 单位/元")) == "元"
    assert unit_of(make_table([["项目", "金额"], ["a", "1"]], preamble=("编制单位 某局 单位 万元",))) == "万元"
    assert unit_of(make_table([["单位名称", "金额"], ["元旦慰问", "1"]], header_rows=1)) is None


@pytest.mark.parametrize("text, value", [
    ("1,234.50", Decimal("1234.50")),
    ("１２３．４", Decimal("123.4")),  # full-width digits
    ("-5.00", Decimal("-5.00")),
    ("(5.00)", Decimal("-5.00")),
    ("0.00", Decimal("0.00")),
    ("0", Decimal("0")),
    ("", None),
    ("-", None),
    ("——", None),
    ("无", None),
    ("￥1,234.50", Decimal("1234.50")),  # a table printed with a currency format
    ("-¥5.00", Decimal("-5.00")),
    ("¥", None),
])
def test_amounts_are_exact_decimals(text, value):
    assert parse_amount(text) == value


def test_unit_conversion_both_ways():
    assert convert(Decimal("31214205.80"), "元", "万元") == Decimal("3121.42058")
    assert convert(Decimal("0.95"), "万元", "元") == Decimal("9500")
    assert convert(Decimal("7"), None, "元") == Decimal("7")
    a = Amount(Decimal("2961.68"), Decimal("0.005"), "万元", "总计", "2,961.68")
    b = a.to("元")
    assert (b.value, b.error, b.unit, b.text) == (Decimal("29616800"), Decimal("50"), "元", "2,961.68")


def test_sum_of_amounts_accumulates_rounding():
    parts = [Amount(Decimal("25.18"), Decimal("0.005"), "万元", "a", "25.18"),
             Amount(Decimal("16.76"), Decimal("0.005"), "万元", "b", "16.76")]
    s = total_of(parts)
    assert s.value == Decimal("41.94") and s.error == Decimal("0.010") and s.parts == tuple(parts)
    mixed = total_of([parts[0], Amount(Decimal("1000"), Decimal("0.5"), "元", "c", "1,000")])
    assert mixed.unit == "万元" and mixed.value == Decimal("25.28")


def test_format_decimal_follows_rounding_step():
    assert format_decimal(Decimal("2940.06"), Decimal("0.005")) == "2,940.06"
    assert format_decimal(Decimal("154369327"), Decimal("0.5")) == "154,369,327"
    assert format_decimal(Decimal("3.4"), Decimal("0.005"), grouping=False) == "3.40"


# ---------------------------------------------------------------- labels and roles

def test_roles_of_labels():
    assert roles_of("本年收入合计") == {"合计", "本年收入"}
    assert roles_of("一般公共预算财政拨款") == {"一般公共预算", "财政拨款"}
    assert "财政拨款" not in roles_of("非财政拨款结转结余")
    assert roles_of("公务用车购置及运行维护费") == {"公务用车"}
    assert roles_of("公务用车运行维护费") == {"公务用车运行"}
    assert roles_of("购置费") == {"公务用车购置"}
    assert "公务用车购置" not in roles_of("办公设备购置")
    assert roles_of("事业单位经营收入") == {"经营收入"}
    assert roles_of("上解上级支出") == {"上缴上级支出"}
    assert roles_of("2023年机关运行经费预算数") == {"机关运行经费"}


def test_totals_qualifiers_numbering():
    assert is_total_label("合计") and is_total_label("小计") and is_total_label("本年支出合计")
    assert not is_total_label("合计因公出国（境）费")
    assert is_qualifier("预算数") and is_qualifier("决算数") and is_qualifier("2024年预算数") and is_qualifier("金额")
    assert not is_qualifier("“三公”经费预算数")
    assert numbering_of("一、一般公共服务支出") == "item"
    assert numbering_of("1. 一般公共预算资金") == "sub"
    assert numbering_of("（1）事业收入") == "sub"
    assert numbering_of("本年收入合计") is None


def test_rate_labels():
    for label in ("增减率（%）", "增长率", "2025年执行率", "占比", "比重（%）", "比上年增减%", "增减幅度", "百分比"):
        assert is_rate_label(label), label
    for label in ("增减额", "合计", "2025年预算数", "提升义务教育阶段学生巩固率专项经费", "公务接待费"):
        assert not is_rate_label(label), label


def test_rows_and_columns_of_rates_are_no_amounts():
    t = make_table([
        ["项目", "合计", "公务接待费", "占比（%）"],
        ["2024年预算数", "10.00", "10.00", "100.00"],
        ["2025年预算数", "8.00", "8.00", "100.00"],
        ["增减率（%）", "-20.00", "-20.00", ""],
    ], header_rows=1)
    (part,) = read_table(t).parts
    assert part.trusted and part.column(3).node.rate
    first, _, rate = part.rows
    assert first.values == {1: Decimal("10.00"), 2: Decimal("10.00")} and first.cells[3] == ""
    assert rate.rate and rate.label == "增减率（%）" and not rate.values and not rate.suspect


# ---------------------------------------------------------------- reading tables

def _columns(part):
    return [(c.index, c.name, sorted(c.roles), c.variant) for c in part.columns]


def test_split_code_columns_levels_and_totals():
    t = make_table([
        ["类", "款", "项", "科目名称", "合计", "基本支出", "项目支出"],
        ["201", "", "", "一般公共服务支出", "2,106.66", "1,503.52", "603.14"],
        ["201", "06", "", "财政事务", "2,106.66", "1,503.52", "603.14"],
        ["201", "06", "01", "行政运行", "1,511.89", "1,503.52", "8.37"],
        ["301", "2", "", "津贴补贴", "16,623,810", "", ""],  # 款 printed without its leading zero
        ["", "", "", "合计", "2,940.05", "2,336.91", "603.14"],
    ], preamble=("单位：万元",), header_rows=1)
    (part,) = read_table(t).parts
    assert part.code_cols == (0, 1, 2) and part.name_col == 3 and part.unit == "万元"
    assert [(r.code, r.level, r.kind) for r in part.rows] == [
        ("201", 1, None), ("20106", 2, None), ("2010601", 3, None), ("30102", 2, None), (None, None, "total")]
    assert _columns(part) == [(4, "合计", ["合计"], ()), (5, "基本支出", ["基本支出"], ()), (6, "项目支出", ["项目支出"], ())]
    assert part.main_column().index == 4 and part.trusted
    assert part.rows[-1].values == {4: Decimal("2940.05"), 5: Decimal("2336.91"), 6: Decimal("603.14")}


def test_single_code_column_and_index_column():
    t = make_table([
        ["序号", "科目编码", "科目名称", "合计"],
        ["栏次", "1", "2", "3"],
        ["1", "", "合计", "89.45"],
        ["2", "2012901", "行政运行", "25.18"],
    ], header_rows=2)
    (part,) = read_table(t).parts
    assert part.label_cols == (0, 1, 2) and part.code_cols == (1,) and part.name_col == 2
    assert [(r.label, r.code, r.level) for r in part.rows] == [("合计", None, None), ("行政运行", "2012901", 3)]


def test_two_groups_side_by_side_are_two_parts():
    t = make_table([
        ["收入", "", "支出", ""],
        ["项目", "决算数", "项目", "决算数"],
        ["一、一般公共预算财政拨款收入", "2,940.05", "一、一般公共服务支出", "2,106.66"],
        ["", "", "八、社会保障和就业支出", "326.71"],
        ["本年收入合计", "2,946.25", "本年支出合计", "2,940.05"],
        ["总计", "2,995.39", "总计", "2,995.39"],
    ], spans={(0, 0): (1, 2), (0, 2): (1, 2)}, header_rows=2)
    income, spending = read_table(t).parts
    assert (income.title, spending.title) == ("收入", "支出")
    assert [r.label for r in income.rows if r.has_amounts] == ["一、一般公共预算财政拨款收入", "本年收入合计", "总计"]
    assert [r.kind for r in spending.rows] == [None, None, "subtotal", "grand"]
    assert spending.main_column().name == "决算数"


def test_economic_table_in_two_groups():
    t = make_table([
        ["科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数"],
        ["301", "工资福利支出", "95.36", "302", "商品和服务支出", "10.23"],
        ["30101", "基本工资", "95.36", "30201", "办公费", "10.23"],
        ["", "人员经费合计", "95.36", "", "公用经费合计", "10.23"],
    ], header_rows=1)
    personnel, public = read_table(t).parts
    assert [r.label for r in personnel.rows] == ["工资福利支出", "基本工资", "人员经费合计"]
    assert [r.code for r in public.rows] == ["302", "30201", None]


def test_header_tree_with_groups_subtotal_and_variants():
    t = make_table([
        ["财政拨款“三公”经费"] + [""] * 7,
        ["合计", "", "因公出国（境）费", "", "公务用车购置及运行费", "", "", ""],
        ["", "", "", "", "小计", "", "公务用车购置费", ""],
        ["预算数", "决算数", "预算数", "决算数", "预算数", "决算数", "预算数", "决算数"],
        ["2.85", "0.39", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"],
    ], spans={(0, 0): (1, 8), (1, 0): (2, 2), (1, 2): (2, 2), (1, 4): (1, 4), (2, 4): (1, 2), (2, 6): (1, 2)},
        header_rows=4)
    (part,) = read_table(t).parts
    assert part.trusted and part.label_cols == ()
    names = {(c.node.label, c.variant): c.index for c in part.columns}
    assert names[("合计", ("预算数",))] == 0 and names[("小计", ("决算数",))] == 5
    assert part.column(4).name == "公务用车购置及运行费小计（预算数）"
    vehicle = next(n for n in part.root.children[0].children if "公务用车" in n.roles)
    assert [c.label for c in vehicle.children] == ["小计", "公务用车购置费"]


def test_wrapped_header_is_merged_into_one_column_name():
    t = make_table([
        ["支出", "", "", ""],
        ["项目", "合计", "一般公共预算财", "政府性基金预算"],
        ["", "", "政拨款", "财政拨款"],
        ["一、一般公共服务支出", "10.00", "10.00", ""],
    ], spans={(0, 0): (1, 4), (1, 0): (2, 1), (1, 1): (2, 1)}, header_rows=3)
    (part,) = read_table(t).parts
    assert [c.name for c in part.columns] == ["合计", "一般公共预算财政拨款", "政府性基金预算财政拨款"]
    assert part.column(2).roles == {"一般公共预算", "财政拨款"}


def test_qualifier_above_the_columns_is_the_variant():
    t = make_table([
        ["项目", "预算数", "", ""],
        ["", "合计", "基本支出", ""],
        ["", "", "人员经费", "公用经费"],
        ["一、一般公共服务支出", "100", "60", "40"],
    ], spans={(0, 0): (3, 1), (0, 1): (1, 3), (1, 1): (2, 1), (1, 2): (1, 2)}, header_rows=3)
    (part,) = read_table(t).parts
    assert [(c.node.label, c.variant) for c in part.columns] == [
        ("合计", ("预算数",)), ("人员经费", ("预算数",)), ("公用经费", ("预算数",))]


def test_qualifiers_over_the_groups_give_one_header_with_two_variants():
    # the national 三公 table: 预算数 and 决算数 are the top groups, each over the same headers;
    # a header is one node whichever way round its levels are printed
    top = ["预算数", "", "", "", "", "", "决算数", "", "", "", "", ""]
    mid = ["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"] * 2
    low = ["", "", "小计", "公务用车购置费", "公务用车运行费", ""] * 2
    spans = {(0, 0): (1, 6), (0, 6): (1, 6)}
    for base in (0, 6):
        spans.update({(1, base): (2, 1), (1, base + 1): (2, 1), (1, base + 2): (1, 3), (1, base + 5): (2, 1)})
    t = make_table([top, mid, low, ["12.00", "5.00", "4.00", "2.00", "2.00", "3.00",
                                    "10.00", "5.00", "3.00", "1.00", "2.00", "2.00"]], spans=spans, header_rows=3)
    (part,) = read_table(t).parts
    assert part.trusted
    assert [n.label for n in part.root.children] == ["合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"]
    reception = part.root.children[3]
    assert reception.columns == {("预算数",): 5, ("决算数",): 11}
    vehicle = part.root.children[2]
    assert [c.label for c in vehicle.children] == ["小计", "公务用车购置费", "公务用车运行费"]
    assert vehicle.children[0].columns == {("预算数",): 2, ("决算数",): 8}
    assert part.column(8).name == "公务用车购置及运行费小计（决算数）"
    # two 合计 columns of the same variant are two headers still
    twice = make_table([["合计", "基本支出", "合计"], ["1", "1", "1"]], header_rows=1)
    (part,) = read_table(twice).parts
    assert [n.label for n in part.root.children] == ["合计", "基本支出", "合计"]


def test_of_which_columns_break_down_the_column_before():
    t = make_table([
        ["合计", "因公出国（境）费", "公务用车购置及运行费", "其中：公务用车购置费", "其中：公务用车运行费", "公务接待费"],
        ["12.00", "2.00", "6.00", "0.00", "5.00", "4.00"],
    ], header_rows=1)
    (part,) = read_table(t).parts
    vehicle = part.column(2).node
    assert vehicle.breakdown and [c.label for c in vehicle.children] == ["公务用车购置费", "公务用车运行费"]
    assert part.trusted


def test_garbled_header_is_not_trusted():
    # every header line read as one cell over the whole table: no column can be told apart
    t = make_table([
        ["财政拨款“三公”经费", "", ""],
        ["合计因公出国（境）费", "", ""],
        ["预算数", "公务用车购置费", ""],
        ["预算数", "决算数", "决算数"],
        ["0.95", "", "0.95"],
    ], spans={(0, 0): (1, 3), (1, 0): (1, 3), (2, 0): (2, 1), (2, 1): (1, 2)}, header_rows=4)
    assert not read_table(t).parts[0].trusted


def test_two_columns_merged_by_the_reader_leave_the_clean_columns_readable():
    # the reader merged two header cells (and the column under them): that column is unknown, the
    # columns with a clean header of their own stay in a trusted part
    t = make_table([
        ["项目", "合计", "一般公共预算", "政府性基金预算 国有资本经营预算"],
        ["一、一般公共服务支出", "10", "10", ""],
    ], header_rows=1)
    (part,) = read_table(t).parts
    assert part.trusted
    assert [c.name for c in part.columns] == ["合计", "一般公共预算"]
    merged = next(n for n in part.root.children if "政府性基金" in n.roles)
    assert merged.columns == {(): -1}


def test_merged_header_over_sub_headers_is_not_trusted():
    # a cell naming two roles *over* other headers: which columns belong to which is unknown
    t = make_table([
        ["项目", "合计", "基本支出 项目支出", ""],
        ["", "", "人员经费", "公用经费"],
        ["一、一般公共服务支出", "10", "6", "4"],
    ], spans={(0, 0): (2, 1), (0, 1): (2, 1), (0, 2): (1, 2)}, header_rows=2)
    assert not read_table(t).parts[0].trusted


def test_wrapped_label_joins_the_row_above_and_text_in_amount_cells_marks_a_row():
    t = make_table([
        ["收入", "决算数"],
        ["二、政府性基金预算财政拨", ""],
        ["款", ""],
        ["一、一般公共预算财政拨款", "见附表"],
    ], header_rows=1)
    (part,) = read_table(t).parts
    assert [r.label for r in part.rows] == ["二、政府性基金预算财政拨款", "一、一般公共预算财政拨款"]
    assert [r.suspect for r in part.rows] == [False, True]


def test_a_blank_line_of_its_own_is_not_a_wrapped_label():
    # the national 财政拨款收入支出决算总表: blank lines by fund under 年初财政拨款结转和结余 are
    # lines of their own; joined, the label would name two funds
    t = make_table([
        ["收入", "金额"],
        ["年初财政拨款结转和结余", "20.00"],
        ["一般公共预算财政拨款", "20.00"],
        ["政府性基金预算财政拨款", ""],
        ["国有资本经营预算财政拨款", ""],
        ["二、政府性基金预算财政拨", "5.00"],
        ["款", ""],
    ], header_rows=1)
    (part,) = read_table(t).parts
    assert [r.label for r in part.rows] == ["年初财政拨款结转和结余", "一般公共预算财政拨款", "政府性基金预算财政拨款",
                                            "国有资本经营预算财政拨款", "二、政府性基金预算财政拨款"]


@pytest.mark.parametrize("printed", ["merged", "unmerged"])
def test_a_table_folded_over_two_groups_is_one_part(printed):
    # the national 基本支出决算表: 公用经费 over two code | name | amount groups, its 合计 line across
    # them (a label cell spanning both; a PDF prints the label in the code column, the figure apart)
    rows = [
        ["人员经费", "", "", "公用经费", "", "", "", "", ""],
        ["科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数"],
        ["301", "工资福利支出", "100.00", "302", "商品和服务支出", "30.00", "310", "资本性支出", "5.00"],
        ["30101", "基本工资", "100.00", "30201", "办公费", "30.00", "31002", "办公设备购置", "5.00"],
        ["人员经费合计", "", "100.00", "公用经费合计", "", "", "", "", "35.00"],
    ]
    spans = {(0, 0): (1, 3), (0, 3): (1, 6)}
    if printed == "merged":
        spans.update({(4, 0): (1, 2), (4, 3): (1, 5)})
    staff, running = read_table(make_table(rows, spans=spans, header_rows=2)).parts
    assert (staff.title, running.title) == ("人员经费", "公用经费")
    assert [(r.code, r.label, r.kind) for r in staff.rows] == [
        ("301", "工资福利支出", None), ("30101", "基本工资", None), (None, "人员经费合计", "total")]
    assert [c.index for c in running.columns] == [5]
    assert [(r.code, r.values) for r in running.rows] == [
        ("302", {5: Decimal("30.00")}), ("30201", {5: Decimal("30.00")}),
        ("310", {5: Decimal("5.00")}), ("31002", {5: Decimal("5.00")}), (None, {5: Decimal("35.00")})]
    assert running.rows[-1].kind == "total" and not running.rows[-1].suspect
    # two groups side by side without a header over both are two parts still
    plain = read_table(make_table(rows[1:], header_rows=1)).parts
    assert len(plain) == 3


def test_rounding_error_per_figure():
    t = make_table([
        ["项目", "合计", "人员经费", "公用经费"],
        ["一、公共安全支出", "79,189,400.34", "12,604,173", "0"],
    ], header_rows=1)
    (part,) = read_table(t).parts
    row = part.rows[0]
    # the table prints to 0.01; a whole-yuan figure was rounded to 1 元; a zero is the table's
    assert [part.error_of(row, c) for c in (1, 2, 3)] == [Decimal("0.005"), Decimal("0.5"), Decimal("0.005")]


@pytest.mark.parametrize("with_part_row", [True, False])
def test_split_code_parts_of_an_empty_table_are_codes_not_amounts(with_part_row):
    # an empty table (amounts blank) whose codes are printed over 类 | 款 | 项 columns, read
    # without a known header: 06 / 01 are code parts, so the header ends above the first code row
    from openlint.understand.amounts import amounts, header_row_count, is_empty

    head = [["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出"]]
    spans = {(0, 0): (1, 3)}
    if with_part_row:
        head.append(["类", "款", "项", "", "", ""])
        spans.update({(0, 3): (2, 1), (0, 4): (2, 1), (0, 5): (2, 1)})
    body = [
        ["201", "", "", "一般公共服务支出", "", ""],
        ["201", "06", "", "财政事务", "", ""],
        ["201", "06", "01", "行政运行", "", ""],
    ]
    t = make_table(head + body, spans=spans)
    assert header_row_count(t) == len(head)
    assert amounts(t) == [] and is_empty(t)
    (part,) = read_table(t).parts
    assert [(r.code, r.level, r.label) for r in part.rows] == [
        ("201", 1, "一般公共服务支出"), ("20106", 2, "财政事务"), ("2010601", 3, "行政运行")]


def test_two_digit_amount_outside_code_columns_still_ends_the_header():
    from openlint.understand.amounts import header_row_count

    t = make_table([
        ["项目", "合计"],
        ["一、一般公共服务支出", "10"],
    ])
    assert header_row_count(t) == 1
