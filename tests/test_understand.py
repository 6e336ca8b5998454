"""Understanding a document: amounts in tables, table kinds from titles, document kind from the cover."""

from __future__ import annotations

from decimal import Decimal

import pytest

from docbuilder import build
from openlint.model import Cell, Document, Location, Paragraph, Table
from openlint.understand.amounts import (
    amounts,
    header_row_count,
    is_column_numbering,
    is_empty,
    is_numbering_row,
    label_columns,
    labelled_amounts,
    parse_amount,
)
from openlint.understand.catalog import CatalogError, load_catalog, normalise_title
from openlint.understand.kind import DocumentKind, detect_kind

CATALOG = load_catalog()


def table(*rows: str, header_rows: int | None = None, caption: str = "表") -> Table:
    """A table from `a | b | c` rows; `~` continues the cell on the left (a merged cell)."""
    grid = []
    for r, row in enumerate(rows):
        cells: list[Cell] = []
        for c, text in enumerate(t.strip() for t in row.split("|")):
            if text == "~":
                left = cells[-1]
                merged = Cell(left.text, left.row, left.col, 1, left.col_span + 1)
                cells = [merged if x is left else x for x in cells] + [merged]
            else:
                cells.append(Cell(text, r, c))
        grid.append(tuple(cells))
    return Table(caption, tuple(grid), Location("t.txt"), header_rows=header_rows)


# ---- parse_amount ----

@pytest.mark.parametrize(
    "text, expected",
    [
        ("1234", "1234"),
        ("1,234.50", "1234.50"),
        ("12,345,678.90", "12345678.90"),
        ("  88.8  ", "88.8"),
        ("1 234.5", "1234.5"),
        ("0.00", "0.00"),
        ("0", "0"),
        ("-12.5", "-12.5"),
        ("−3", "-3"),  # U+2212 minus sign
        ("(12.50)", "-12.50"),
        ("(1,200)", "-1200"),
        ("１２３４．５", "1234.5"),  # full-width digits and point
        ("１，２３４", "1234"),
        ("－５", "-5"),
        ("（５．００）", "-5.00"),
    ],
)
def test_parse_amount(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "", "   ", "-", "—", "–", "－", "--", "——",  # blanks and dashes: nothing printed
        "abc", "合计", "12万", "12.5%", "1,23", "12,34.5", "1.2.3", "(5", "5)", "((5))", "二〇二五", "2025年",
    ],
)
def test_not_an_amount(text):
    assert parse_amount(text) is None


def test_zero_is_an_amount_not_nothing():
    assert parse_amount("0.00") == 0 and parse_amount("0.00") is not None


# ---- header rows, label columns ----

def test_header_row_count_given_by_the_reader():
    assert header_row_count(table("项目 | 合计", "收入 | 1.00", header_rows=1)) == 1
    assert header_row_count(table("a | b", header_rows=0)) == 0


def test_header_row_count_found_from_the_first_amount_row():
    t = table(
        "科目编码 | 科目名称 | 合计 | ~",
        "| | 基本支出 | 项目支出",
        "201 | 一般公共服务支出 | 100.00 | 20.00",
    )
    assert header_row_count(t) == 2


def test_header_row_count_skips_codes_and_column_numbering():
    t = table(
        "项目 | 行次 | 合计",
        "栏次 | 1 | 2",
        "201 | 20105 | ",
        "201 05 | 一般公共服务 | 3.00",
    )
    assert header_row_count(t) == 3


def test_header_row_count_without_amounts_is_the_whole_table():
    assert header_row_count(table("项目 | 合计", "收入 | -", "支出 | ")) == 3
    assert header_row_count(table()) == 0


@pytest.mark.parametrize(
    "cells, expected",
    [
        (("栏次", "1", "2", "3"), True),
        (("行 次", "", ""), True),
        (("1", "2", "3", "4"), True),
        (("", "3", "4", "5"), True),
        (("1", "2"), False),  # too short to tell
        (("1", "3", "4"), False),
        (("合计", "1", "2", "3"), False),
        (("10.00", "20.00", "30.00"), False),
    ],
)
def test_is_column_numbering(cells, expected):
    assert is_column_numbering(cells) is expected
    # asked of a table's row, with the first cell's shortcut, the answer is the same
    grid = (tuple(Cell(text, 0, c) for c, text in enumerate(cells)),)
    assert is_numbering_row(Table("表", grid, Location("x")), 0) is expected


def test_label_columns():
    t = table(
        "功能分类科目编码 | 科目名称 | 合计 | 基本支出",
        "201 | 一般公共服务 | 10.00 | 5.00",
    )
    assert label_columns(t, 1) == {0, 1}
    assert label_columns(t, 0) == set()


def test_label_columns_recognise_common_headers_and_skip_merged_cells():
    t = table(
        "类 | 款 | 项 | 项目(按功能分类) | 序号 | 备注 | 支出合计 | ~",
        "| | | | | | 基本支出 | 项目支出",
    )
    # 支出合计 spans two columns; 项目 under it heads a column of amounts (项目支出): neither is a label
    assert label_columns(t, 2) == {0, 1, 2, 3, 4, 5}


@pytest.mark.parametrize(
    "header",
    ["基本支出 | 项目支出", "事业收入 | 附属单位上缴收入", "经营支出 | 对附属单位补助支出", "合计 | 事业单位经营收入",
     "公务接待费 | 项目经费"],
)
def test_amount_headers_with_label_words_are_not_label_columns(header):
    t = table(f"科目名称 | {header}", "一般公共服务 | 0.00 | 35.00", header_rows=1)
    assert label_columns(t, 1) == {0}
    assert amounts(t) == [(1, 1, Decimal("0.00")), (1, 2, Decimal("35.00"))]
    assert is_empty(t) is False


# ---- amounts ----

def test_amounts_leave_out_codes_in_the_first_columns():
    t = table(
        "科目 | 名称 | 合计",
        "201 | 一般公共服务支出 | 1,200.00",
        "20105 | 发展与改革事务 | 200.00",
        "2010501 | 行政运行 | 0.00",
    )
    assert amounts(t) == [(1, 2, Decimal("1200.00")), (2, 2, Decimal("200.00")), (3, 2, Decimal("0.00"))]


def test_codes_without_a_label_header_are_still_not_amounts():
    t = table("a | b | c", "201 | 20105 | 3.00", "201 05 | 201 05 01 | 4.00", header_rows=1)
    assert amounts(t) == [(1, 2, Decimal("3.00")), (2, 2, Decimal("4.00"))]


def test_a_bare_integer_far_right_is_an_amount():
    t = table("项目 | a | b | c | 合计", "收入 | 1 | 2 | 3 | 201", header_rows=1)
    assert (1, 4, Decimal("201")) in amounts(t)


def test_amounts_skip_headers_numbering_rows_blanks_and_merged_repeats():
    t = table(
        "项目 | 本年收入 | 本年支出",
        "栏次 | 1 | 2",
        "合计 | 12.00 | ~",
        "其中 | - | ",
        header_rows=1,
    )
    assert amounts(t) == [(2, 1, Decimal("12.00"))]


def test_amounts_of_a_table_without_body():
    assert amounts(table("项目 | 合计")) == []
    assert amounts(table()) == []


@pytest.mark.parametrize(
    "rows, expected",
    [
        (("项目 | 合计", "收入 | 0.00", "支出 | -"), True),
        (("项目 | 合计", "收入 | ", "支出 | —"), True),
        (("项目 | 合计",), True),
        (("项目 | 合计", "收入 | 0.00", "支出 | 0.01"), False),
        (("项目 | 合计", "收入 | (3.00)"), False),
        (("科目编码 | 合计", "201 | 0.00"), True),  # the code is not an amount
    ],
)
def test_is_empty(rows, expected):
    assert is_empty(table(*rows)) is expected


def test_labelled_amounts():
    t = table(
        "项目 | 本年预算 | 上年预算",
        "财政拨款收入 | 100.00 | 90.00",
        "事业收入 | 0.00 | -",
        header_rows=1,
    )
    assert labelled_amounts(t) == [
        ("财政拨款收入", "本年预算", Decimal("100.00")),
        ("财政拨款收入", "上年预算", Decimal("90.00")),
        ("事业收入", "本年预算", Decimal("0.00")),
    ]


def test_labelled_amounts_join_multi_row_headers_and_code_labels():
    t = table(
        "科目编码 | 科目名称 | 支出 | ~",
        "| | 基本支出 | 项目支出",
        "201 | 一般公共服务 | 5.00 | 3.00",
    )
    # the code reads as a number, so the row label is the name alone
    assert labelled_amounts(t) == [
        ("一般公共服务", "支出 基本支出", Decimal("5.00")),
        ("一般公共服务", "支出 项目支出", Decimal("3.00")),
    ]
    assert labelled_amounts(table("项目 | 合计")) == []


# ---- table titles ----

@pytest.mark.parametrize(
    "title, org, expected",
    [
        ("2025年部门收入预算总表", None, "收入总表"),
        ("2024年度部门决算收入决算表", None, "收入表"),
        ("上海市普陀区财政局2025年部门收入预算总表", "上海市普陀区财政局", "收入总表"),
        ("附表1、2025年部门收入预算总表", None, "收入总表"),
        ("三、收入决算表", None, "收入表"),
        ("1.困难职工帮扶资金绩效目标表", None, "困难职工帮扶资金绩效目标表"),
        ("一般公共预算支出表（功能分类）", None, "一般公共支出表"),
        ("2025年部门“三公”经费预算表", None, "三公经费表"),
        ("区级单位 本级 情况 明细 表", None, "表"),
        ("附表3 部门收支总体情况表", None, "收支表"),
        ("附表3-1：部门收入总表", None, "收入总表"),
    ],
)
def test_normalise_title(title, org, expected):
    assert normalise_title(title, org) == expected


REAL_TITLES = [
    ("2025年部门财务收支预算总表", "收支总表"),
    ("2025年部门收入预算总表", "收入表"),
    ("2025年部门支出预算总表", "支出表"),
    ("2025年部门财政拨款收支预算总表", "财政拨款收支总表"),
    ("2025年部门一般公共预算支出功能分类预算表", "一般公共预算支出表"),
    ("2025年部门政府性基金预算支出功能分类预算表", "政府性基金预算支出表"),
    ("2025年部门国有资本经营预算支出功能分类预算表", "国有资本经营预算支出表"),
    ("2025年部门一般公共预算基本支出部门预算经济分类预算表", "一般公共预算基本支出表"),
    ("2025年部门“三公”经费和机关运行经费预算表", "三公经费支出表"),
    ("收入支出决算总表", "收支总表"),
    ("收入决算表", "收入表"),
    ("支出决算表", "支出表"),
    ("财政拨款收入支出决算总表", "财政拨款收支总表"),
    ("一般公共预算财政拨款支出决算表", "一般公共预算支出表"),
    ("一般公共预算财政拨款基本支出决算表", "一般公共预算基本支出表"),
    ("财政拨款“三公”经费支出决算表", "三公经费支出表"),
    ("政府性基金预算财政拨款收入支出决算表", "政府性基金预算支出表"),
    ("国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算支出表"),
    ("部门预算政府基金预算财政拨款支出表", "政府性基金预算支出表"),
    ("部门预算一般公共预算财政拨款基本支出表", "一般公共预算基本支出表"),
    ("1、困难职工帮扶资金绩效目标表", "绩效目标表"),
    ("部门固定资产占用情况表", "资产表"),
    # the Ministry's template for 部门预算 (中央部门 and many provinces)
    ("部门收支总体情况表", "收支总表"),
    ("部门收入总体情况表", "收入表"),
    ("部门支出总体情况表", "支出表"),
    ("财政拨款收支总体情况表", "财政拨款收支总表"),
    ("一般公共预算支出情况表", "一般公共预算支出表"),
    ("一般公共预算基本支出情况表", "一般公共预算基本支出表"),
    ("一般公共预算“三公”经费支出情况表", "三公经费支出表"),
    ("政府性基金预算支出情况表", "政府性基金预算支出表"),
    ("国有资本经营预算支出情况表", "国有资本经营预算支出表"),
    # a caption without 表 that names the table's figures (Hebei's template)
    ("部门政府采购预算", "政府采购表"),
    ("部门政府采购预算（单位：元）", "政府采购表"),
]


@pytest.mark.parametrize("title, kind", REAL_TITLES)
def test_classify_real_titles(title, kind):
    found = CATALOG.classify(title)
    assert found is not None and found.id == kind


@pytest.mark.parametrize("title, kind", REAL_TITLES)
def test_classify_with_organisation_and_numbering(title, kind):
    org = "上海市普陀区人民政府万里街道办事处"
    found = CATALOG.classify(f"附表3 {org}{title}", org)
    assert found is not None and found.id == kind


@pytest.mark.parametrize(
    "title",
    ["", "本部门收入情况说明", "一、部门主要职责", "2025年部门预算", "二、2025年部门预算", "目录", "注：本表无数据。",
     "某某自制统计表", "政府采购预算情况", "（二）收入预算", "政府性基金预算", "2025年收入预算", "2025年支出预算"],
)
def test_classify_not_a_catalog_table(title):
    assert CATALOG.classify(title) is None


def test_catalog_kinds():
    ids = [k.id for k in CATALOG.kinds]
    assert len(ids) == len(set(ids))
    sangong = CATALOG.get("三公经费支出表")
    assert sangong.name("预算") == "一般公共预算“三公”经费支出表"
    assert sangong.name("决算") == "财政拨款“三公”经费支出决算表"
    assert sangong.name(None) == sangong.name("预算")
    soe = CATALOG.get("国有资本经营预算支出表")
    assert soe.since == 2021
    assert (soe.required_for("预算", 2020), soe.required_for("预算", 2021), soe.required_for("决算", None)) == (False, True, True)
    assert soe.required_for(None, 2025) is False
    assert CATALOG.get("资产表").required_for("预算", 2025) is False
    assert CATALOG.get("不存在") is None


def test_catalog_rejects_unknown_fields(tmp_path):
    path = tmp_path / "tables.yaml"
    path.write_text("kinds:\n  收入表:\n    required: [预算]\n    colour: red\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="colour"):
        load_catalog(path)


def test_catalog_from_a_file(tmp_path):
    path = tmp_path / "tables.yaml"
    path.write_text(
        "kinds:\n  收入表:\n    name: {预算: 收入总表}\n    required: [预算]\n    aliases: [2025年部门收入预算总表]\n"
        "    match: {all: [收入], none: [支出]}\n",
        encoding="utf-8",
    )
    catalog = load_catalog(path)
    (kind,) = catalog.kinds
    assert kind.aliases == frozenset({"收入总表"})  # aliases are normalised like titles
    assert catalog.classify("收入预算表").id == "收入表"
    assert catalog.classify("收入支出表") is None


# ---- document kind ----

@pytest.mark.parametrize(
    "cover, expected",
    [
        ("上海市普陀区2025年区级部门预算\n预算主管部门：上海市普陀区人民政府万里街道办事处",
         DocumentKind("预算", "部门", 2025, "上海市普陀区人民政府万里街道办事处")),
        ("上海市普陀区财政局\n2024年度部门决算", DocumentKind("决算", "部门", 2024, "上海市普陀区财政局")),
        ("上海市普陀区社会福利院\n2025年单位预算\n预算单位：上海市普陀区社会福利院",
         DocumentKind("预算", "单位", 2025, "上海市普陀区社会福利院")),
        ("上海市普陀区2025年预算\n预算单位：上海市普陀区社会福利院",
         DocumentKind("预算", "单位", 2025, "上海市普陀区社会福利院")),
        ("工会部门2023年部门预算信息公开情况说明", DocumentKind("预算", "部门", 2023, "工会部门")),
        ("上海市普陀区财政局2024年度部门决算", DocumentKind("决算", "部门", 2024, "上海市普陀区财政局")),
        # a title naming its subject between the year and the kind: the kind is its last 预算/决算
        ("某县人民法院2017年一般公共预算财政拨款“三公”经费支出决算情况说明\n2017年支出决算64.87万元，比2016年决算减少1万元。",
         DocumentKind("决算", None, 2017, "某县人民法院")),
        ("某县政协办2018年部门“三公”经费预算情况说明\n公务接待费用预算16.7万元，比 2017年预算减少0.1万元。",
         DocumentKind("预算", None, 2018, None)),
        ("2024年度上海市普陀区财政局部门预算", DocumentKind("预算", "部门", 2024, None)),
        # a year compared with is not the document's
        ("“三公”经费情况\n公务接待费比2023年预算增加1万元。", DocumentKind(None, None, None, None)),
        ("2024 年 度 部 门 决 算", DocumentKind(None, None, None, None)),
        # a budget report names the year whose budget was carried out before the one it budgets
        ("关于某区2025年预算执行情况和\n2026年预算草案的报告", DocumentKind("预算", None, 2026, None)),
        ("今天提交审查的关于某省2014年预算执行情况和2015年预算草案的报告显示，收入增长。",
         DocumentKind("预算", None, 2015, None)),
        # a web page puts its index fields above the title
        ("索引号\n发布机构\n某县财政局\n发布日期\n2024-10-12\n某县2023年“三公”经费决算情况说明\n"
         "2023年“三公”经费决算支出数为820.33万元，较2022年决算数增加131.49万元。",
         DocumentKind("决算", None, 2023, None)),
        # a sentence about how the year's budget was drawn up does not name a 决算 a 预算
        ("（三）单位构成\n从预算单位构成看，本部门2023年度预算编制时无二级预算单位。\n# 二、部门决算情况说明",
         DocumentKind(None, None, None, None)),
        ("（三）单位构成\n从预算单位构成看，本部门2021年度决算编制时无独立核算的二级预算单位。",
         DocumentKind("决算", None, 2021, None)),
        ("# 一、部门主要职责\n负责财政工作。", DocumentKind(None, None, None, None)),
        ("", DocumentKind(None, None, None, None)),
    ],
)
def test_detect_kind(cover, expected):
    assert detect_kind(build(cover)) == expected


def test_detect_kind_from_a_heading_after_the_tables():
    rows = "".join(f"[表] 表{i}\n| 项目 | 合计 |\n| 合计 | 1.00 |\n" for i in range(15))
    doc = build(rows + "# 上海市某某局2024年度部门决算说明\n正文")
    facts = detect_kind(doc)
    assert (facts.kind, facts.level, facts.year) == ("决算", "部门", 2024)


def test_detect_kind_from_the_first_pdf_page():
    doc = Document("a.pdf", "pdf", blocks=(Paragraph("目录", Location("a.pdf", page=2)),),
                   page_texts=("上海市普陀区财政局\n2025年部门预算\n", "第二页"))
    assert detect_kind(doc) == DocumentKind("预算", "部门", 2025, "上海市普陀区财政局")


def test_detect_kind_only_reads_the_cover():
    filler = "\n".join(f"第{i}段文字。" for i in range(15))
    assert detect_kind(build(filler + "\n上海市某某局2025年部门预算")).kind is None


def test_describe():
    assert DocumentKind("决算", "部门", 2024).describe() == "2024年部门决算"
    assert DocumentKind().describe() == "未识别"
