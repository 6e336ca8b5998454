"""The .txt reader on the seed extraction (tab-indented cells, blank line ends a row) and on
small texts: captions, preambles, notes, headings, line numbers, decoding."""

from __future__ import annotations


import pytest

from openlint.model import Cell, Heading, Location, Paragraph, Table
from openlint.read.structure import assemble
from openlint.read.text import is_preamble_line, parse_text, read_text
from seed_facts import FIX, STANDARD_TABLES

SEED = FIX / "seed" / "hebei-shanhaiguan-trade-union-2023-dept-budget.txt"

PERFORMANCE_TABLES = [
    "1、困难职工帮扶资金绩效目标表",
    "2、劳动模范荣誉津贴绩效目标表",
    "3、市级以上劳模体检绩效目标表",
    "4、提前下达2023年困难职工及劳模帮扶救助省专项资金绩效目标表",
]


@pytest.fixture(scope="module")
def seed():
    doc = read_text(str(SEED))
    assert doc.readable and doc.problems == ()
    return doc


def table(doc, caption: str) -> Table:
    found = [t for t in doc.tables if t.caption == caption]
    assert len(found) == 1, [t.caption for t in doc.tables]
    return found[0]


def row_of(t: Table, label: str, col: int = 1) -> int:
    return next(r for r in range(t.n_rows) if t.text(r, col) == label)


def test_seed_tables_and_captions(seed):
    captions = [t.caption for t in seed.tables]
    assert captions == [
        *STANDARD_TABLES,
        "部门机构设置情况",
        *PERFORMANCE_TABLES,
        "部门政府采购预算",
        "部门固定资产占用情况表",
    ]
    for t in seed.tables[:9]:
        assert t.preamble == ("711工会部门", "预算年度：2023", "单位：万元")
        assert t.location.table == t.caption
    assert table(seed, "部门固定资产占用情况表").preamble == ("711工会部门", "截止时间：2022-12-31")


def test_seed_row_cells(seed):
    t = table(seed, "部门预算收支总表")
    assert (t.n_rows, t.n_cols) == (37, 5)
    r = row_of(t, "一、一般公共预算拨款收入")
    assert t.row_texts(r) == ("1", "一、一般公共预算拨款收入", "89.45", "一、一般公共服务支出", "41.93")
    assert t.grid[1][2].text == "预算数"
    r = row_of(t, "二、政府性基金预算拨款收入")
    assert t.text(r, 2) == "" and t.text(r, 3) == "二、外交支出"


def test_seed_merged_header_reconstruction(seed):
    income = table(seed, "部门预算收入总表")
    band = income.grid[0][4]
    assert (band.text, band.col, band.col_span) == ("本年收入", 4, 8)
    assert all(income.grid[0][c] is band for c in range(4, 12))
    seq = income.grid[0][0]
    assert seq.text == "序号" and seq.row_span == 2 and income.grid[1][0] is seq
    assert income.grid[1][3] is income.grid[0][3]  # 合计 merged down
    assert income.text(1, 5) == "财政拨款 收入"
    both = table(seed, "部门预算财政拨款收支总表")
    assert both.grid[0][1].text == "收入" and both.grid[0][1].col_span == 2
    assert both.grid[0][3].text == "支出" and both.grid[0][3].col_span == 5
    basic = table(seed, "部门预算一般公共预算财政拨款基本支出表")
    assert [basic.text(0, c) for c in range(6)] == ["序号", "支出部门经济分类科目", "支出部门经济分类科目"] + [
        "一般公共预算基本支出"
    ] * 3
    purchase = table(seed, "部门政府采购预算")
    assert purchase.n_cols == 16
    assert purchase.grid[0][0].col_span == 2 and purchase.grid[0][7].col_span == 8
    assert purchase.grid[1][15] is purchase.grid[0][15]


def test_seed_row_broken_by_multi_paragraph_cell(seed):
    t = table(seed, "2、劳动模范荣誉津贴绩效目标表")
    assert t.n_cols == 6
    r = row_of(t, "质量指标")
    assert t.row_texts(r) == ("", "质量指标", "资金到位率", "资金到位率", "≥90百分比", "行业指标")
    assert t.text(0, 0) == "绩效目标" and t.grid[0][1].col_span == 5  # label | value


def test_seed_line_numbers(seed):
    assert all(b.location.line for b in seed.blocks)
    first = seed.blocks[0]
    assert isinstance(first, Heading) and first.text == "第一部分  部门预算" and first.location.line == 1
    assert seed.tables[0].location.line == 3
    heading = next(h for h in seed.headings if h.text == "八、名词解释")
    assert heading.location.line == 1897
    note = next(p for p in seed.paragraphs if p.text.startswith("注：无政府基金"))
    assert note.location.line == 1347
    last = seed.blocks[-1]
    assert last.text == "我部门无其他需要说明的事项。" and last.location.line == 1909


def test_seed_notes_on_empty_tables(seed):
    for caption in STANDARD_TABLES[6:]:
        t = table(seed, caption)
        assert t.n_rows == 4
        assert len(t.notes) == 1 and t.notes[0].is_note
        assert t.notes[0].text.endswith("空表列示。")
        assert all(not t.text(3, c) for c in range(1, t.n_cols))
    assert len(table(seed, "部门政府采购预算").notes) == 2
    assert table(seed, "部门预算收支总表").notes == ()


def test_seed_headings_bookmarks_and_sections(seed):
    texts = [b.text for b in seed.blocks if not isinstance(b, Table)]
    assert not any("bookmark" in t for t in texts)
    levels = {h.text: h.level for h in seed.headings}
    assert levels["部门预算收支总表"] == 2  # bookmarked, unnumbered: under 第一部分
    assert levels["一、部门职责及机构设置情况"] == 2
    assert levels["（二）分项绩效目标"] == 3
    assert levels["1、收入说明"] == 4
    assert "部门机构设置情况" not in levels  # a caption, not a heading
    assert "部门职责：" not in levels
    glossary = next(s for s in seed.iter_sections() if s.title == "八、名词解释")
    paras = [b for b in glossary.blocks if isinstance(b, Paragraph)]
    assert len(paras) == 10 and paras[-1].text.startswith("10、事业单位经营支出")
    assert paras[0].location.section == (
        "第三部分  预算项目绩效目标",
        "八、名词解释",
    )  # numbering is taken as written: 第三部分 is the last level-1 heading before it
    budget = seed.sections[0]
    assert [c.title for c in budget.children] == STANDARD_TABLES
    assert isinstance(budget.children[0].blocks[0], Table)


def test_gbk_fallback():
    doc = read_text(str(FIX / "bad" / "gbk.txt"))
    assert doc.readable
    (problem,) = doc.problems
    assert problem.message == "文件不是 UTF-8 编码，已按 GB18030 读取" and not problem.fatal
    assert [t.caption for t in doc.tables] == STANDARD_TABLES[6:]
    assert doc.tables[0].notes[0].text == "注：无政府基金预算财政拨款预算，空表列示。"
    assert doc.tables[0].location.line == 2


def test_utf8_bom_crlf_and_utf16(tmp_path):
    text = "一、概况\r\n正文。\r\n"
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    doc = read_text(str(path))
    assert doc.problems == () and [b.text for b in doc.blocks] == ["一、概况", "正文。"]
    assert doc.blocks[1].location.line == 2
    path.write_bytes(text.encode("utf-16"))
    doc = read_text(str(path))
    assert doc.problems == () and [b.text for b in doc.blocks] == ["一、概况", "正文。"]


def test_undecodable_is_fatal(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes("一、概况\n".encode("utf-8") + b"\x81\x20\xff")
    (problem,) = read_text(str(path)).problems
    assert problem.fatal and "编码" in problem.message


def test_missing_empty_directory(tmp_path):
    assert read_text(str(tmp_path / "no.txt")).problems[0].message.startswith("文件不存在")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert read_text(str(empty)).problems[0].message == "文件为空（0 字节）"
    assert "目录" in read_text(str(tmp_path)).problems[0].message


def test_standalone_preamble_line_caption_and_short_title():
    text = "\n".join(
        [
            "名词解释",
            "基本支出：指保障机构正常运转的支出。",
            "收支预算总表",
            "编制单位：某局    单位：万元",
            "\t项目",
            "\t金额",
            "",
            "\t合计",
            "\t1.00",
            "",
            "说明：本表金额保留两位小数。",
            "下一段。",
        ]
    )
    doc = parse_text(text, "x.txt")
    assert isinstance(doc.blocks[0], Heading) and doc.blocks[0].text == "名词解释"
    (t,) = doc.tables
    assert t.caption == "收支预算总表" and t.preamble == ("编制单位：某局", "单位：万元")
    assert t.location.line == 5
    assert t.row_texts(1) == ("合计", "1.00")
    assert [n.text for n in t.notes] == ["说明：本表金额保留两位小数。", "下一段。"]
    assert [b.text for b in doc.paragraphs][0] == "基本支出：指保障机构正常运转的支出。"
    assert not any(b.text in ("收支预算总表", "编制单位：某局    单位：万元") for b in doc.paragraphs)


def test_number_and_title_on_two_lines_make_one_heading():
    text = "\n".join([
        "上海市某某局2024年度部门决算",
        "第一部分",
        "上海市某某局概况",      # a part's cover page: number, then title
        "一、主要职能",
        "负责全区工作。",
        "三、",
        "支出决算情况说明",      # a wrapped heading
        "支出100万元。",
        "（一）",
        "本年支出100万元，比上年增加1万元。",  # a sentence is no title: the number stays alone
        "2、",
        "3、其他支出。",           # nor is the next item
    ])
    doc = parse_text(text, "x.txt")
    headings = [(h.text, h.level, h.location.line) for h in doc.headings]
    assert headings[:3] == [("第一部分 上海市某某局概况", 1, 2), ("一、主要职能", 2, 4), ("三、支出决算情况说明", 2, 6)]
    assert ("（一）", 3, 9) in headings and any(h[0] == "2、" for h in headings)
    assert [s.title for s in doc.sections][:1] == ["第一部分 上海市某某局概况"]


def test_toc_lines_are_entries_up_to_where_the_body_begins():
    text = "\n".join([
        "上海市某某局2024年度部门决算",
        "目  录",
        "第一部分",
        "上海市某某局概况………………3",
        "一、部门主要职能",
        "第二部分 2024年度部门决算表",
        "第一部分 上海市某某局概况",   # the first entry again: the body
        "一、部门主要职能",
        "负责全区工作。",
    ])
    doc = parse_text(text, "x.txt")
    toc, part = doc.sections[:2]
    assert toc.title == "目  录" and not toc.children
    assert [b.text for b in toc.blocks] == ["第一部分 上海市某某局概况………………3", "一、部门主要职能", "第二部分 2024年度部门决算表"]
    assert part.title == "第一部分 上海市某某局概况" and [c.title for c in part.children] == ["一、部门主要职能"]


def test_toc_entries_named_otherwise_in_the_body_end_where_the_prose_begins():
    # 目录 lists “一、部门主要职能”, the body calls it “上海市某某局主要职能”: the 目录 runs to the
    # heading the first sentence comes under, not over the whole document
    text = "\n".join([
        "目  录",
        "第一部分 部门概况",
        "一、部门主要职能",
        "二、部门机构设置",
        "第二部分 部门预算表",
        "第一部分 上海市某某局概况",
        "一、主要职能",
        "负责全区财政工作。",
    ])
    doc = parse_text(text, "x.txt")
    toc, part = doc.sections[:2]
    assert toc.title == "目  录" and [b.text for b in toc.blocks] == ["第一部分 部门概况", "一、部门主要职能", "二、部门机构设置", "第二部分 部门预算表"]
    assert part.title == "第一部分 上海市某某局概况" and [c.title for c in part.children] == ["一、主要职能"]
    # a 目录 heading with fewer than three lines before the prose is not taken for one
    short = parse_text("目录\n一、部门主要职能\n负责全区财政工作。\n", "x.txt")
    assert [h.text for h in short.headings] == ["目录", "一、部门主要职能"]


def test_toc_whose_first_part_the_body_names_otherwise_ends_at_that_part():
    # 目录 “第一部分：某某区卫健局概况”, body “第一部分 部门概况”: the body's own （一） heading stays a heading
    text = "\n".join([
        "目 录",
        "第一部分：某某区卫健局概况",
        "一、部门主要职责",
        "二、部门决算单位构成",
        "第二部分：部门决算表",
        "第一部分 部门概况",
        "（一）主要职责",
        "一、部门主要职责",
        "贯彻落实卫生健康工作的方针政策。",
    ])
    doc = parse_text(text, "x.txt")
    toc, part = doc.sections[:2]
    assert [b.text for b in toc.blocks] == ["第一部分：某某区卫健局概况", "一、部门主要职责", "二、部门决算单位构成", "第二部分：部门决算表"]
    assert part.title == "第一部分 部门概况" and [c.title for c in part.children] == ["（一）主要职责", "一、部门主要职责"]


def test_toc_entries_may_end_with_a_full_stop_and_follow_a_date_line():
    text = "\n".join([
        "目 录",
        "公开日期:2024926",
        "第一部分:某某局概况",
        "一、主要职能",
        "第三部分:某某局2018年度部门决算情况说明",
        "五、一般公共预算财政拨款安排的“三公”经费支出决算情况说明。",
        "六、其他重要事项情况说明",
        "第一部分:某某局概况",
        "一、主要职能",
        "贯彻执行国家统计工作的政策。",
    ])
    doc = parse_text(text, "x.txt")
    assert [h.text for h in doc.headings] == ["目 录", "第一部分:某某局概况", "一、主要职能"]


def test_toc_with_a_table_before_the_body_is_left_as_it_is():
    # a table between the 目录 lines and the body: no 目录 runs over it (this raised AttributeError)
    at = Location("x.pdf")
    table = Table("收入总表", ((Cell("项目", 0, 0), Cell("合计", 0, 1)), (Cell("收入", 1, 0), Cell("1.00", 1, 1))), at)
    blocks = [Paragraph("目录", at), Paragraph("一、部门主要职能", at), table, Heading("一、部门主要职能", 1, at),
              Paragraph("负责全区工作。", at)]
    doc = assemble("x.pdf", "pdf", blocks)
    assert [b.text for b in doc.headings] == ["一、部门主要职能"] and len(doc.tables) == 1


@pytest.mark.parametrize("title", ["决算公开目录", "公开目录", "部门预算公开目录", "目     录"])
def test_toc_titled_as_web_pages_title_it(title):
    text = "\n".join([
        title,
        "一、某某局基本情况",
        "二、收入支出预算执行情况分析",
        "三、“三公”经费支出情况",
        "一、某某局基本情况",
        "执法勤务机构10个。",
    ])
    doc = parse_text(text, "x.txt")
    assert [h.text for h in doc.headings] == [title, "一、某某局基本情况"]


def test_table_at_start_without_caption():
    doc = parse_text("\ta\n\tb\n\n\tc\n\td\n", "x.txt")
    (t,) = doc.tables
    assert t.caption == "" and t.location.table is None and t.location.line == 1
    assert t.row_texts(0) == ("a", "b") and t.row_texts(1) == ("c", "d")


def test_oversized_grid_is_skipped(monkeypatch):
    import openlint.read.text as text

    monkeypatch.setattr(text, "MAX_TABLE_CELLS", 10)
    body = "一、概况\n" + "\n".join("\ta\n\tb\n\tc\n\td\n" for _ in range(4)) + "\n正文。\n"
    doc = parse_text(body, "x.txt")
    assert doc.tables == ()
    (problem,) = doc.problems
    assert not problem.fatal and problem.message == "表格过大（4 行 × 4 列），已跳过"
    assert problem.location.line == 2
    assert [b.text for b in doc.blocks] == ["一、概况", "正文。"]


def test_many_short_lines_is_linear():
    import time

    body = "\n".join(f"短行{i}" for i in range(100_000))
    start = time.perf_counter()
    doc = parse_text(body, "x.txt")
    assert time.perf_counter() - start < 5
    assert len(doc.blocks) == 100_000


# Text copied out of a PDF: a table's rows run together, cells separated by spaces, empty ones gone.
PDF_COPY = """2025年部门收入预算总表
编制部门：某某局 单位：元
功能分类科目名称 合计 财政拨款收入 事业收入
201 一般公共服务支出 82,096,797.42 82,096,797.42
201 03 政府办公厅（室）及相关机构事务 82,096,797.42 82,096,797.42
201 03 01 行政运行 12,029,501.84 12,029,501.84
合计 91,016,775.35 91,016,775.35
"""


def test_text_copied_from_a_pdf_is_refused_with_the_line():
    doc = parse_text("一、概况\n本部门2025年收入预算9,101.68万元。\n" + PDF_COPY, "x.txt")
    (problem,) = doc.problems
    assert problem.fatal and not doc.blocks
    assert problem.message.startswith("第6行等处的表格已压成以空格分隔的文字（“201 一般公共服务支出 82,096,797.42 82,096,797.42”）")


def test_figures_in_prose_or_in_tab_cells_are_not_a_copied_table():
    prose = "\n".join(f"{i}. 支出{i},234.56万元，比上年增加12.30万元，增长1.01%。" for i in range(1, 6))
    assert not parse_text("一、概况\n" + prose + "\n", "x.txt").problems
    # a file with tab-cell tables is in the seed layout, whatever else its lines hold
    seed_like = "部门收支总表\n\t项目\n\t预算数\n\n\t合计\n\t1.00\n\n" + PDF_COPY
    doc = parse_text(seed_like, "x.txt")
    assert not any(p.fatal for p in doc.problems) and len(doc.tables) == 1
    # two figures side by side on fewer than three lines: a stray line, not a table
    assert not parse_text("一、概况\n" + "\n".join(PDF_COPY.splitlines()[3:5]) + "\n", "x.txt").problems


# --- tables written a row a line, cells separated by tabs (copied from Excel or a web page) ---

def test_tab_separated_rows_are_a_table():
    text = (
        "某局2025年部门预算\n"
        "目录\n一、部门职责\t3\n二、机构设置\t4\n"  # page numbers after a tab: no table
        "一、\t部门职责\n负责全局工作。\n"  # a tab after the number: a heading, not a table
        "2025年部门收入预算总表\n"
        "编制单位：某局\t\t单位：万元\t\n"  # the preamble row, as a spreadsheet copies it
        "项目\t合计\t财政拨款收入\t事业收入\n"
        "教育支出\t12.00\t10.00\t2.00\n"
        "\t\t\t\n"  # an empty row
        "合计\t12.00\t10.00\n"  # trailing empty cells left out
        "注：本表不含政府性基金。\n"
    )
    doc = parse_text(text, "x.txt")
    (t,) = doc.tables
    assert t.caption == "2025年部门收入预算总表" and t.preamble == ("编制单位：某局", "单位：万元")
    assert [t.row_texts(r) for r in range(t.n_rows)] == [
        ("项目", "合计", "财政拨款收入", "事业收入"),
        ("教育支出", "12.00", "10.00", "2.00"),
        ("", "", "", ""),
        ("合计", "12.00", "10.00", ""),
    ]
    assert [n.text for n in t.notes] == ["注：本表不含政府性基金。"]
    texts = [(type(b).__name__, b.text) for b in doc.blocks if not isinstance(b, Table)]
    assert texts[1:6] == [("Heading", "目录"), ("Paragraph", "一、部门职责\t3"), ("Paragraph", "二、机构设置\t4"),
                          ("Heading", "一、\t部门职责"), ("Paragraph", "负责全局工作。")]


def seed_as_tab_separated() -> str:
    """The seed written out as text copied from a spreadsheet: a table's rows one line each, a
    merged cell's text in its first cell and the cells it covers empty."""
    lines: list[str] = []
    for block in read_text(str(SEED)).blocks:
        if isinstance(block, Table):
            if block.caption and lines[-1:] != [block.caption]:
                lines.append(block.caption)
            if block.preamble:
                lines.append("\t".join(block.preamble))
            for r, row in enumerate(block.grid):
                lines.append("\t".join(c.text.replace("\n", "") if (c.row, c.col) == (r, i) else "" for i, c in enumerate(row)))
        else:
            lines.append(block.text.replace("\n", " "))
    return "\n".join(lines) + "\n"


def test_the_seed_tab_separated_reads_the_same_tables(seed):
    copied = parse_text(seed_as_tab_separated(), "copied.txt")
    assert [(t.caption, t.preamble) for t in copied.tables] == [(t.caption, t.preamble) for t in seed.tables]
    def cells(t: Table) -> list[list[str]]:  # each cell once, at its top-left position
        rows = [[c.text.replace("\n", "") for i, c in enumerate(row) if c.text and (c.row, c.col) == (r, i)]
                for r, row in enumerate(t.grid)]
        return [row for row in rows if row]

    for mine, theirs in zip(copied.tables, seed.tables):
        assert cells(mine) == cells(theirs), mine.caption


@pytest.mark.parametrize("line, preamble", [
    ("公开01表", True), ("公开 04 表", True), ("附表3-1", True), ("表二", True), ("单位：万元", True),
    ("收支总表", False), ("公开表", False), ("2025年部门收支总表", False), ("表1为收支总表。", False),
    # a title with its unit in brackets is a title; a bracketed unit alone, or after 编制单位, is preamble
    ("表1 部门收支总表（单位：万元）", False), ("（单位：万元）", True), ("编制单位：某局（单位：元）", True),
])
def test_a_tables_number_alone_is_a_preamble_line(line, preamble):
    assert is_preamble_line(line) is preamble


def test_a_file_of_blank_lines_cannot_be_checked(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("  \n\n\t\n", encoding="utf-8")
    doc = read_text(str(path))
    assert not doc.readable and [p.message for p in doc.problems] == ["文件中没有任何文字内容"]


def test_a_table_title_with_only_its_explanation_is_an_empty_table():
    def blocks(*texts):
        doc = assemble("t.txt", "txt", [Paragraph(t, Location("t.txt", line=n)) for n, t in enumerate(texts, 1)])
        return doc.blocks

    out = blocks("八、政府性基金预算支出表", "注：本部门无政府性基金预算支出，故本表无数据。", "九、名词解释")
    table = out[1]
    assert isinstance(table, Table) and table.caption == "八、政府性基金预算支出表" and table.grid == ()
    assert [n.text for n in table.notes] == ["注：本部门无政府性基金预算支出，故本表无数据。"]
    # a note that does not say the table is empty (a definition) leaves the title alone: the table
    # may be on a picture, or missing
    assert not any(isinstance(b, Table) for b in blocks("“三公”经费预算统计表", "注：“三公”经费包括因公出国（境）费……"))
    assert not any(isinstance(b, Table) for b in blocks("本部门没有政府性基金预算支出表。", "本表无数据。"))
