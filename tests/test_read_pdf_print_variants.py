"""The PDF reader on one disclosure printed in the ways that once made it read differently:
each print must read as the page shows it (fixtures: `fixtures/pdf/make_print_variants.py`)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from openlint.model import Document, Heading, Paragraph, Table
from openlint.read.pdf import read_pdf
from openlint.understand.tables import read_table

FIX = Path(__file__).parent / "fixtures" / "pdf"

EXPENDITURE_BODY = [
    ["1", "", "合计", "89.45", "72.70", "16.76"],
    ["2", "201", "一般公共服务支出", "41.93", "25.18", "16.76"],
    ["3", "20129", "群众团体事务", "41.93", "25.18", "16.76"],
    ["4", "2012901", "行政运行", "25.18", "25.18", ""],
    ["5", "2012902", "一般行政管理事务", "16.76", "", "16.76"],
    ["6", "208", "社会保障和就业支出", "47.52", "47.52", ""],
    ["7", "20805", "行政事业单位养老支出", "47.52", "47.52", ""],
    ["8", "2080501", "行政单位离退休", "47.52", "47.52", ""],
]


def read(name: str) -> Document:
    return read_pdf(str(FIX / name))


def body(t: Table) -> list[list[str]]:
    return [list(t.row_texts(r)) for r in range(t.header_rows, t.n_rows)]


def only_table(doc: Document) -> Table:
    assert len(doc.tables) == 1, [t.caption for t in doc.tables]
    return doc.tables[0]


# ------------------------------------------------------------------------------ watermarks


@pytest.fixture(scope="module")
def watermarked() -> Document:
    return read("print-watermark.pdf")


def test_a_diagonal_watermark_does_not_merge_into_table_rows(watermarked):
    t = only_table(watermarked)
    assert t.caption == "部门预算支出总表"
    assert body(t) == EXPENDITURE_BODY


def test_watermarks_are_neither_headings_nor_text(watermarked):
    headings = [b.text for b in watermarked.blocks if isinstance(b, Heading)]
    assert headings == ["一、部门预算支出总表"]
    prose = [b.text for b in watermarked.blocks if isinstance(b, Paragraph)]
    assert prose == ["本部门2023年预算收入89.45万元，支出89.45万元，比上年增加3.20万元，主要原因是人员变动。"]
    text = "".join(watermarked.page_texts)
    assert "资" not in text and "料" not in text and "样稿" not in text
    assert text.count("部") == text.count("部门")
    assert "\n\r\n" not in text.strip()  # no empty line where a watermark's glyph was


# ------------------------------------------------------------------- fonts without /ToUnicode


def test_a_page_whose_fonts_have_no_unicode_map_is_reported_unread_and_not_read():
    doc = read("print-no-tounicode.pdf")  # page 2: CJK that extracts as "Þ门Á0支`³"
    (problem,) = doc.problems
    assert problem.unread and not problem.fatal and problem.location.page == 2
    assert not doc.tables
    assert all(b.location.page == 1 for b in doc.blocks)
    assert [b.text for b in doc.blocks if isinstance(b, Heading)] == ["二、部门预算情况说明"]


def test_a_document_whose_text_is_all_garbage_cannot_be_checked(tmp_path):
    only = tmp_path / "garbage.pdf"
    new = pdfium.PdfDocument.new()
    new.import_pages(pdfium.PdfDocument(str(FIX / "print-no-tounicode.pdf")), [1])
    new.save(str(only))
    doc = read_pdf(str(only))
    (problem,) = doc.problems
    assert problem.fatal and "乱码" in problem.message
    assert not doc.blocks


# ------------------------------------------------------------ preamble lines over a ruled grid


@pytest.fixture(scope="module")
def preamble_lines() -> Document:
    return read("print-preamble-lines.pdf")


def test_preamble_lines_of_their_own_over_a_grid_are_the_preamble(preamble_lines):
    t = preamble_lines.tables[0]
    assert t.caption == "部门预算支出总表"
    assert t.preamble == ("711工会部门", "预算年度：2023", "单位：万元")
    assert t.header_rows == 2 and body(t) == EXPENDITURE_BODY[:4]


def test_preamble_lines_split_by_a_page_break_are_the_preamble(preamble_lines):
    t = preamble_lines.tables[1]
    assert t.caption == "部门预算基本支出表"
    assert t.preamble == ("711工会部门", "预算年度：2023", "单位：万元")
    assert t.header_rows == 2 and body(t) == EXPENDITURE_BODY[:4]
    assert not [b for b in preamble_lines.blocks if isinstance(b, Heading)]


def test_a_centred_title_over_preamble_lines_and_a_grid_is_a_caption(preamble_lines):
    t = preamble_lines.tables[2]
    assert t.caption == "部门政府采购预算"
    assert t.preamble == ("711工会部门", "单位：万元")
    assert body(t) == [["办公设备", "计算机", "2", "1.20"]]
    assert len(preamble_lines.tables) == 3


# --------------------------------------------------------------------- wrapped cells in a grid


def test_a_value_wrapped_inside_its_ruled_cell_is_one_cell():
    t = only_table(read("print-wrapped-cells.pdf"))
    # the first row spans five columns, ruled in one piece per column: the header is that row
    assert t.header_rows == 1
    rows = body(t)
    assert len(rows) == 6
    assert [r[4] for r in rows] == ["指标值"] + ["≥90百分比"] * 5
    assert [r[2] for r in rows[1:]] == ["补助金发放率", "资金到位率", "时效指标", "补助人群生活改善情况", "群众满意度"]


# ------------------------------------------------------------------ rows over a page break


def test_a_repeated_header_cut_into_other_lines_is_dropped():
    # Chromium repeats a header whose cells wrap (序/号); on the first page a fraction of a point
    # parts 项 and 额 from 号, 目 and 金, on the next page they are one line
    from openlint.read._pdf_blocks import Composer
    from openlint.read._pdf_layout import Line, Seg

    def line(page: int, y: float, *cells: tuple[float, float, str]) -> Line:
        return Line(page, y, 9.0, [Seg(x0, x1, text) for x0, x1, text in cells], 595.0, 842.0)

    def rows(page: int, first: int, y: float) -> list[Line]:
        return [line(page, y + 15 * k, (58, 63, str(n)), (103, 140, f"收入{n}"), (165, 179, f"{n}.00"))
                for k, n in enumerate(range(first, first + 30))]

    page1 = [
        line(1, 60, (220, 376, "部门预算财政拨款收支总表")),
        line(1, 80, (500, 545, "单位：万元")),
        line(1, 100, (56, 65, "序")),
        line(1, 115.3, (56, 65, "号"), (116, 122, "目"), (161, 170, "金")),
        line(1, 115.8, (103, 112, "项"), (170, 179, "额")),
    ] + rows(1, 1, 135)
    page2 = [
        line(2, 60, (56, 65, "序")),
        line(2, 75, (56, 65, "号"), (103, 122, "项 目"), (161, 179, "金额")),
    ] + rows(2, 31, 95)
    blocks = Composer("a.pdf", [(1, 595.0, 842.0, page1), (2, 595.0, 842.0, page2)]).run()
    (t,) = [b for b in blocks if isinstance(b, Table)]
    assert [r[0] for r in body(t)] == [str(n) for n in range(1, 61)]


def test_a_row_split_by_a_page_break_without_a_label_of_its_own_is_one_row():
    # LibreOffice: 成本指标's row goes on over the page break, under the repeated 绩效目标 row
    (t,) = [t for t in read("libreoffice-split-row.pdf").tables if t.caption.startswith("4、")]
    assert t.caption.startswith("4、提前下达")
    rows = body(t)
    assert ["", "成本指标", "人均救助标准", "人均救助标准", "≤4500元/年", "行业标准"] in rows
    assert len(rows) == 10


# --------------------------------------------------------------- a glyph without Unicode in a figure


@pytest.fixture(scope="module")
def unmapped_figures() -> Document:
    return read("print-pua-cell.pdf")


def test_every_unmapped_glyph_is_in_the_page_text(unmapped_figures):
    # one of them has no code at all in pdfium's text: it is kept as U+FFFD, so TXT-016 counts it
    text = unmapped_figures.page_texts[0]
    assert sum(text.count(ch) for ch in "\ufffd\ue031\ue032") == 2


def test_a_figure_with_an_unmapped_glyph_is_reported_and_its_sums_not_checked(unmapped_figures):
    t = only_table(unmapped_figures)
    assert t.incomplete  # the sums down its columns are not checked
    reported = sorted((p.location.row, p.location.column) for p in unmapped_figures.problems)
    assert reported == [("一般公共服务支出", "合计"), ("群众团体事务", "合计")]
    assert all(not p.fatal and p.location.page is None for p in unmapped_figures.problems)


# ------------------------------------------------------------------------------------- 目录


def test_toc_entries_ending_with_their_page_numbers_are_one_paragraph_each():
    # a 目录 printed by Chromium (its page 2 of a seed document): flex rows whose dot leaders
    # are a run of dots clipped by their box, so each entry runs to the right margin; 2023 is
    # drawn in another font, its box a point lower than those of the characters around it
    doc = read("browser-print-toc.pdf")
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == [
        "第一部分 部门预算", "部门预算收支总表", "部门预算收入总表", "部门预算支出总表",
        "第二部分 工会部门2023年部门预算信息公开情况说明", "一、部门职责及机构设置情况", "二、部门预算安排的总体情况",
    ]


PERFORMANCE_ROW = ["产出指标", "数量指标", "补助金发放率", "实际发放的补助金额占计划发放的补助金额的比率", "≥90百分比", "行业指标"]


@pytest.mark.parametrize("previous, first_of_page, continues", [
    # LibreOffice: the cells that wrapped go on, the label and the last cell do not
    (["", "成本指标", "人均救助标", "人均救助标", "≤4500", "行业标准"], ["", "", "准", "准", "元/年", ""], True),
    # Chromium: the next row under 产出指标, which spans rows, every cell its own, all ruled full
    (PERFORMANCE_ROW, ["", "质量指标", "资金到位率", "资金到位率", "≥90百分比", "行业指标"], False),
])
def test_a_performance_row_over_a_page_break(previous, first_of_page, continues):
    from openlint.model import Cell
    from openlint.read._pdf_table import _continues_row

    cells = [Cell(text, 5, k) for k, text in enumerate(previous)]
    assert _continues_row(cells, first_of_page, full=set(range(len(previous)))) is continues


def test_a_tall_wrapped_row_with_a_line_ending_in_biao_does_not_end_its_table():
    # LibreOffice: 健康体检表 | 完成率 wraps so that a line of the row reads “标 完成率 健康体检表”
    (t,) = [t for t in read("libreoffice-split-row.pdf").tables if t.caption.startswith("3、")]
    rows = body(t)
    assert len(rows) == 10
    assert ["效益指标", "社会效益指标", "健康体检表完成率", "填写完整的健康体检表数占全部完整的健康体检表数的比例",
            "≥90 百分比", "行业指标"] in rows


# ---------------------------------------------------------------- a header of three ruled rows


def test_wrapped_cells_of_a_ruled_header_are_read_by_their_boxes():
    t = only_table(read("print-wrapped-header.pdf"))
    assert t.header_rows == 3
    assert list(t.row_texts(0)) == ["序号", "功能分类科目", "合计", "本年收入", "上年结转"]
    assert list(t.row_texts(1)) == [
        "序号", "科目编码", "科目名称", "合计", "小计", "财政拨款收入", "财政专户收入", "事业收入", "经营收入",
        "上级补助收入", "附属单位上缴收入", "其他收入", "上年结转",
    ]
    assert list(t.row_texts(2)) == ["栏次"] + [str(k) for k in range(1, 13)]  # 栏 / 次 beside the numbers


def test_pieces_of_one_ruled_header_box_are_one_cell_read_line_by_line():
    # Chromium: 其 and 他 a fraction of a point apart (two lines), 收入 under them, in one box
    from openlint.read._pdf_layout import Line, Rules, Seg
    from openlint.read._pdf_table import _header_cells

    def line(y: float, x0: float, x1: float, text: str) -> Line:
        return Line(1, y, 9.0, [Seg(x0, x1, text)], 595.0, 842.0)

    lines = [line(172.6, 503, 512, "他"), line(172.85, 494, 503, "其"), line(186.3, 494, 512, "收入")]
    rules = Rules([(163.9, 488.0, 518.0), (194.6, 488.0, 518.0)], [(488.0, 164.0, 195.0), (518.0, 164.0, 195.0)])
    assert [c.text for c in _header_cells(lines, lambda: rules)] == ["其他收入"]


def test_a_total_label_over_the_column_numbers_is_a_header_cell():
    # 合计 spanning the header's rows, alone on a line of its own above 栏 | 1 2 3 4 5 | 次
    from openlint.read._pdf_layout import Line, Seg
    from openlint.read._pdf_table import split_header

    def line(y: float, *cells: tuple[float, float, str]) -> Line:
        return Line(7, y, 8.0, [Seg(x0, x1, text) for x0, x1, text in cells], 595.0, 842.0)

    lines = [
        line(681, (156, 164, "序"), (233, 280, "功能分类科目"), (379, 403, "基本支"), (417, 440, "项目支")),
        line(687.7, (350, 366, "合计")),
        line(694.7, (156, 164, "号"), (185, 190, "目"), (271, 277, "目"), (387, 395, "出"), (425, 433, "出")),
        line(696, (176, 184, "科"), (192, 208, "编码"), (262, 270, "科"), (278, 294, "名称")),
        line(711.7, (156, 164, "栏")),
        line(718.1, (190, 193, "1"), (275, 280, "2"), (356, 360, "3"), (389, 394, "4"), (427, 431, "5")),
        line(723.7, (156, 164, "次")),
        line(741, (152, 156, "1"), (216, 234, "合计"), (346, 369, "89.45"), (384, 407, "72.70"), (422, 444, "16.76")),
    ]
    assert split_header(lines) == 7


def test_a_column_of_row_numbers_keeps_its_header_above_the_column_numbers():
    # Word print of a 收入支出决算总表 (项目 | 行次 | 金额 over 栏次 | | 1): 行次 written 行 / 次 in its
    # ruled box heads its column; only 栏次 labels the row of column numbers
    (table,) = read("word-print-summary-row-numbers.pdf").tables
    assert [c.text for c in table.grid[1]] == ["项目", "行次", "金额", "项目", "行次", "金额"]
    assert [c.text for c in table.grid[2]][:3] == ["栏次", "", "1"]
    income = read_table(table).parts[0]
    assert income.trusted and [c.header for c in income.columns] == ["金额"]
