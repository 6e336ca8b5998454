"""The .docx reader: structure of the seed document, merged cells, headings, hostile inputs.

Fixtures under tests/fixtures/docx and tests/fixtures/bad are built by
tests/fixtures/make_docx.py; the small cases at the bottom build their document.xml in memory.
"""

from __future__ import annotations

import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from openlint.judge.engine import check_document, load_rules
from openlint.model import Heading, Paragraph, Table
from openlint.read import read_document
from openlint.read._docx_numbering import format_number
from openlint.read.docx import read_docx
from seed_facts import FIX, STANDARD_TABLES

SEED_DOCX = FIX / "docx" / "seed-budget.docx"

EMPTY_TABLES = STANDARD_TABLES[6:]


@pytest.fixture(scope="module")
def seed():
    doc = read_docx(str(SEED_DOCX))
    assert doc.readable, doc.problems
    return doc


def table(doc, caption: str) -> Table:
    found = [t for t in doc.tables if t.caption == caption]
    assert len(found) == 1, [t.caption for t in doc.tables]
    return found[0]


def row_of(t: Table, label: str, col: int = 1) -> int:
    for r in range(t.n_rows):
        if t.text(r, col) == label:
            return r
    raise AssertionError(f"no row {label!r}")


# --- the seed document ---------------------------------------------------------------------


def test_seed_format_and_no_problems(seed):
    assert seed.format == "docx"
    assert seed.problems == ()
    assert seed.path == str(SEED_DOCX)


def test_seed_headings_from_styles_and_numbering(seed):
    headings = {h.text: h.level for h in seed.headings}
    assert headings["第一部分  部门预算"] == 1  # Heading 1
    assert headings["部门预算收支总表"] == 2  # Heading 2, no numbering
    assert headings["一、部门职责及机构设置情况"] == 2
    assert headings["八、名词解释"] == 2
    assert headings["（一）总体绩效目标"] == 3  # Normal style: numbering
    assert headings["1、收入说明"] == 4
    # numbered list items that are sentences are not headings
    assert "1.做好劳模服务管理工作。" not in headings
    assert any(p.text == "1.做好劳模服务管理工作。" for p in seed.paragraphs)


def test_seed_section_tree(seed):
    tops = [s.title for s in seed.sections]
    assert tops[:2] == ["第一部分  部门预算", "第一部分  工会部门2023年部门预算信息公开情况说明"]
    budget = seed.sections[0]
    assert [c.title for c in budget.children] == STANDARD_TABLES
    glossary = [s for s in seed.iter_sections() if s.title == "八、名词解释"]
    assert len(glossary) == 1
    paras = [b for b in glossary[0].blocks if isinstance(b, Paragraph)]
    assert len(paras) == 10
    assert paras[0].text == "1、一般公共预算拨款收入：指县级财政当年拨付的资金。"
    assert paras[0].location.section[-1] == "八、名词解释"
    assert paras[0].location.line is None  # docx has no lines


def test_seed_nine_standard_tables_with_captions(seed):
    captions = [t.caption for t in seed.tables]
    assert captions[:9] == STANDARD_TABLES
    for t in seed.tables[:9]:
        assert t.location.table == t.caption
        assert t.location.section[-1] == t.caption  # the caption is also a heading
        assert t.preamble == ("711工会部门", "预算年度：2023", "单位：万元")
        assert t.header_rows == 3  # tblHeader rows
        assert t.grid[2][0].text == "栏次"
    # the caption paragraph written as a centred bold paragraph is consumed, not a paragraph
    assert table(seed, "部门机构设置情况").n_rows == 2
    assert not any(p.text == "部门机构设置情况" for p in seed.paragraphs)
    others = captions[9:]
    assert sum(c.endswith("绩效目标表") for c in others) == 4
    assert "部门政府采购预算" in others and "部门固定资产占用情况表" in others


def test_seed_notes_attached_to_empty_tables(seed):
    for caption in EMPTY_TABLES:
        t = table(seed, caption)
        assert t.n_rows == 4  # two header rows, 栏次, one empty row
        assert len(t.notes) == 1
        assert t.notes[0].is_note
        assert t.notes[0].text.startswith("注：无")
        assert t.notes[0].text.endswith("空表列示。")
    purchase = table(seed, "部门政府采购预算")
    assert [n.text[:6] for n in purchase.notes] == ["注：同一采购", "注：无政府采"]
    full = table(seed, "部门预算收支总表")
    assert full.notes == ()


def test_seed_merged_header_cells(seed):
    t = table(seed, "部门预算收入总表")
    band = t.grid[0][4]
    assert band.text == "本年收入"
    assert (band.row, band.col, band.row_span, band.col_span) == (0, 4, 1, 8)
    assert all(t.grid[0][c] is band for c in range(4, 12))
    assert t.grid[0][3] is not band and t.grid[0][12] is not band
    # 序号 merged down over two header rows
    seq = t.grid[0][0]
    assert seq.text == "序号" and seq.row_span == 2 and t.grid[1][0] is seq
    assert t.text(1, 5) == "财政拨款 收入"
    assert t.row_texts(0) == ("序号", "功能分类科目", "合计", "本年收入", "上年结转")


def test_seed_cell_under_column(seed):
    t = table(seed, "部门预算收支总表")
    r = row_of(t, "一、一般公共预算拨款收入")
    assert t.grid[1][2].text == "预算数"
    assert t.text(r, 2) == "89.45"
    assert t.text(r, 3) == "一、一般公共服务支出"
    assert t.text(r, 4) == "41.93"
    basic = table(seed, "部门预算一般公共预算财政拨款基本支出表")
    assert basic.grid[0][3].text == "一般公共预算基本支出" and basic.grid[0][3].col_span == 3
    assert basic.grid[1][4].text == "人员经费"


def test_seed_performance_table(seed):
    t = table(seed, "2、劳动模范荣誉津贴绩效目标表")
    assert t.n_cols == 6
    r = row_of(t, "质量指标")
    assert t.row_texts(r) == ("", "质量指标", "资金到位率", "资金到位率", "≥90百分比", "行业指标")


def test_fast_text_path_matches_general_path(seed, monkeypatch):
    """Paragraph text normally comes from one serialisation per paragraph; the element walk used
    for tabs, fields, deletions and indented XML must give the same document."""
    import openlint.read.docx as mod

    monkeypatch.setattr(mod, "_pretty_printed", lambda body: True)
    assert read_docx(str(SEED_DOCX)).blocks == seed.blocks


def test_the_seed_as_an_office_suite_writes_it_reads_the_same(seed):
    # LibreOffice's own .docx of the seed: every run with its properties, paragraph marks,
    # table grid widths and cell properties spelt out (the main part about six times the size)
    resaved = read_docx(str(FIX / "docx" / "seed-budget-libreoffice.docx"))

    def shown(block):
        return [[c.text for c in row] for row in block.grid] if isinstance(block, Table) else (type(block), block.text)

    assert [shown(b) for b in resaved.blocks] == [shown(b) for b in seed.blocks]


# --- built fixtures --------------------------------------------------------------------------


def test_merged_cells_fixture():
    doc = read_docx(str(FIX / "docx" / "merged-cells.docx"))
    assert doc.problems == ()
    (t,) = doc.tables
    assert t.caption == "测试合并表"
    assert t.preamble == ("单位：万元",)
    assert t.header_rows == 2
    assert (t.n_rows, t.n_cols) == (5, 5)
    seq, income, spend = t.grid[0][0], t.grid[0][1], t.grid[0][3]
    assert (seq.text, seq.row_span, seq.col_span) == ("序号", 2, 1)
    assert t.grid[1][0] is seq
    assert (income.text, income.col_span) == ("收入", 2) and t.grid[0][2] is income
    assert (spend.text, spend.col_span) == ("支出", 2) and t.grid[0][4] is spend
    assert t.text(1, 1) == "项目" and t.text(1, 4) == "金额"
    block = t.grid[3][3]
    assert (block.text, block.row, block.col, block.row_span, block.col_span) == ("合并块", 3, 3, 2, 2)
    assert t.grid[3][4] is block and t.grid[4][3] is block and t.grid[4][4] is block
    # nested table flattened into its cell
    assert t.text(3, 1) == "嵌套表：\n内00 内01\n内10 内11"
    assert t.text(4, 1) == "其他收入"
    assert [n.text for n in t.notes] == ["注：本表为测试表。"]
    # "二、其他" is an unstyled heading; styled "一、…" is Heading 1, so it is level 1 too
    assert [(h.text, h.level) for h in doc.headings] == [("一、合并单元格", 1), ("二、其他", 1)]


def test_headings_by_numbering_only():
    doc = read_docx(str(FIX / "docx" / "headings-by-numbering.docx"))
    assert [(h.text, h.level) for h in doc.headings] == [
        ("第一部分 部门概况", 1),
        ("一、主要职能", 2),
        ("（一）机构设置", 3),
        ("1. 内设机构", 4),
        ("（1）办公室", 5),
        ("二、名词解释", 2),
        ("第二部分 预算表", 1),
    ]
    item = [p for p in doc.paragraphs if p.text.startswith("1.“")]
    assert item and item[0].location.section[-1] == "（1）办公室"
    part = doc.sections[0]
    assert [c.title for c in part.children] == ["一、主要职能", "二、名词解释"]


def test_heading_styles():
    doc = read_docx(str(FIX / "docx" / "heading-styles.docx"))
    assert doc.problems == ()
    assert [(h.text, h.level) for h in doc.headings] == [
        ("部门概况", 1),  # style named 标题 1
        ("职责", 2),  # custom style with outline level 1
        ("段落级大纲", 3),  # paragraph-level outline level 2
        ("机构", 2),  # style based on the custom one inherits its outline level
        ("预算说明", 1),  # Heading 1
    ]
    texts = [b.text for b in doc.blocks]
    assert not any("目录条目" in t for t in texts)  # toc 1 entries are skipped
    assert "这段用了标题样式但段落大纲级别是正文" in [p.text for p in doc.paragraphs]


# --- bad inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, phrase",
    [
        ("empty.docx", "文件为空"),
        ("not-word.docx", "不是 Word 文档"),
        ("truncated.docx", "损坏"),
        ("corrupt.docx", "损坏"),
        ("bomb.docx", "压缩炸弹"),
        ("bomb-ratio.docx", "压缩比异常"),
        ("billion-laughs.docx", "实体炸弹"),
        ("encrypted.docx", "文件已加密或为不支持的旧版 Office 格式（如 .ppt），暂不支持（可另存为 .docx 或 PDF 后检查）"),
    ],
)
def test_bad_inputs_give_one_fatal_problem(name, phrase):
    path = str(FIX / "bad" / name)
    doc = read_docx(path)
    assert len(doc.problems) == 1, doc.problems
    problem = doc.problems[0]
    assert problem.fatal and not doc.readable
    assert phrase in problem.message
    assert "\n" not in problem.message
    assert problem.location.file == path
    assert doc.blocks == () and doc.format == "docx"


def test_bomb_refused_before_inflating():
    tracemalloc.start()
    try:
        doc = read_docx(str(FIX / "bad" / "bomb.docx"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not doc.readable
    assert peak < 5 * 1024 * 1024  # 60 MB inside; nothing close to that was allocated


def test_bomb_with_lying_sizes_is_capped(tmp_path, monkeypatch):
    """A zip whose headers under-declare the inflated size: reading is capped all the same."""
    import openlint.read._zip as mod

    monkeypatch.setattr(mod, "MAX_MEMBER_BYTES", 1024 * 1024)
    path = tmp_path / "liar.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    data = bytearray(path.read_bytes())
    # patch the uncompressed size (local header offset 22, central directory offset 24) to 1000
    local = data.find(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, 1000)
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 1000)
    path.write_bytes(bytes(data))
    tracemalloc.start()
    try:
        doc = read_docx(str(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(doc.problems) == 1 and doc.problems[0].fatal
    assert peak < 4 * 1024 * 1024  # bounded by the cap (1 MB here), not by the 20 MB inside


def test_entities_are_not_expanded():
    doc = read_docx(str(FIX / "bad" / "entities.docx"))
    assert doc.readable
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "一、实体测试"
    assert "山海关区总工会" not in "".join(texts)  # the internal entity stays a reference
    assert "单位：&org;。" in texts
    assert not any("root:" in t for t in texts)  # the external entity was not loaded
    (problem,) = doc.problems
    assert not problem.fatal and "DOCTYPE" in problem.message


def test_missing_and_directory(tmp_path):
    doc = read_docx(str(tmp_path / "nope.docx"))
    assert [p.message for p in doc.problems] == [f"文件不存在：{tmp_path / 'nope.docx'}"]
    doc = read_docx(str(tmp_path))
    assert doc.problems[0].fatal and "目录" in doc.problems[0].message


def test_xlsx_is_not_word(tmp_path):
    path = tmp_path / "book.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    (problem,) = read_docx(str(path)).problems
    assert problem.fatal and "Excel" in problem.message


def test_too_many_zip_entries(tmp_path, monkeypatch):
    import openlint.read._zip as mod

    monkeypatch.setattr(mod, "MAX_ZIP_ENTRIES", 5)
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(6):
            zf.writestr(f"f{i}", "x")
    (problem,) = read_docx(str(path)).problems
    assert problem.fatal and "文件数异常" in problem.message


# --- small documents built in memory ---------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def make_docx(
    tmp_path: Path, body: str, styles: str | None = None, name: str = "t.docx", numbering: str | None = None
) -> str:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W}" xmlns:mc="{MC}"><w:body>{body}</w:body></w:document>',
        )
        if styles is not None:
            zf.writestr("word/styles.xml", f'<w:styles xmlns:w="{W}">{styles}</w:styles>')
        if numbering is not None:
            zf.writestr("word/numbering.xml", numbering)
    return str(path)


def p(text: str, ppr: str = "") -> str:
    return f"<w:p>{ppr}<w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


def tc(text: str, tcpr: str = "") -> str:
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{p(text) if text else '<w:p/>'}</w:tc>"


def test_run_text_tabs_breaks_deletions_fields(tmp_path):
    body = (
        "<w:p><w:r><w:t>一、</w:t><w:tab/><w:t>收入</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>保留</w:t></w:r><w:del><w:r><w:delText>删除</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>插入</w:t></w:r></w:ins></w:p>"
        "<w:p><w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>3</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r><w:hyperlink><w:r><w:t>页</w:t></w:r></w:hyperlink></w:p>"
        "<w:p><w:pPr><w:tabs><w:tab w:val='left' w:pos='420'/></w:tabs></w:pPr><w:r><w:t>无制表</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent>"
        "<w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict>"
        "<w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
        "<w:p/><w:p><w:r><w:t>   </w:t></w:r></w:p>"
    )
    doc = read_docx(make_docx(tmp_path, body))
    # the text box once (not its VML copy), after the paragraph that anchors it
    assert [b.text for b in doc.blocks] == ["一、\t收入", "第一行\n第二行", "保留插入", "3页", "无制表", "正文", "文本框"]
    assert isinstance(doc.blocks[0], Heading) and doc.blocks[0].level == 2


def test_grid_before_after_hmerge_vmerge_without_restart(tmp_path):
    tbl = (
        "<w:tbl><w:tblGrid/>"
        "<w:tr><w:trPr><w:tblHeader/></w:trPr>" + tc("A") + tc("B", "<w:gridSpan w:val='2'/>") + tc("C") + "</w:tr>"
        "<w:tr><w:trPr><w:gridBefore w:val='1'/><w:gridAfter w:val='1'/></w:trPr>" + tc("x") + tc("y") + "</w:tr>"
        "<w:tr>" + tc("h1", "<w:hMerge w:val='restart'/>") + tc("", "<w:hMerge/>") + tc("z") + tc("w") + "</w:tr>"
        "<w:tr>" + tc("", "<w:vMerge/>") + tc("1") + tc("2") + tc("3") + "</w:tr>"
        "</w:tbl>"
    )
    doc = read_docx(make_docx(tmp_path, p("测试表") + tbl))
    (t,) = doc.tables
    assert t.caption == "测试表" and t.header_rows == 1
    assert (t.n_rows, t.n_cols) == (4, 4)
    assert t.row_texts(0) == ("A", "B", "C")
    assert t.grid[0][1] is t.grid[0][2] and t.grid[0][1].col_span == 2
    assert [t.text(1, c) for c in range(4)] == ["", "x", "y", ""]
    assert t.grid[1][0] is not t.grid[1][3]
    h1 = t.grid[2][0]
    assert h1.text == "h1" and h1.col_span == 2 and t.grid[2][1] is h1
    # a one-column continuation under a two-column cell does not merge with it
    assert h1.row_span == 1 and t.grid[3][0] is not h1
    assert t.row_texts(3) == ("", "1", "2", "3")


def test_grid_lines_no_row_draws_are_dropped(tmp_path):
    """Every row's second cell spans grid columns 2–3 (a grid line left by an edit): the table has
    three columns, and its amounts are cells of one column, not merged ones."""
    span2 = "<w:gridSpan w:val='2'/>"
    tbl = (
        "<w:tbl>"
        "<w:tr>" + tc("项目", "<w:vMerge w:val='restart'/>") + tc("预算数", span2) + tc("决算数") + "</w:tr>"
        "<w:tr>" + tc("", "<w:vMerge/>") + tc("万元", span2) + tc("万元") + "</w:tr>"
        "<w:tr><w:trPr><w:gridBefore w:val='1'/></w:trPr>" + tc("1.00", span2) + tc("2.00") + "</w:tr>"
        "<w:tr>" + tc("合计") + tc("3.00", span2) + tc("4.00") + "</w:tr>"
        "</w:tbl>"
    )
    (t,) = read_docx(make_docx(tmp_path, tbl)).tables
    assert t.n_cols == 3
    assert [t.row_texts(r) for r in range(4)] == [
        ("项目", "预算数", "决算数"), ("项目", "万元", "万元"), ("", "1.00", "2.00"), ("合计", "3.00", "4.00")]
    assert t.grid[0][0] is t.grid[1][0] and t.grid[0][0].row_span == 2
    assert all(cell.col_span == 1 for row in t.grid for cell in row)
    # a line one row draws stays: a cell there is merged over two columns
    tbl = tbl.replace(tc("合计") + tc("3.00", span2), tc("合计") + tc("3.00") + tc("3.50"))
    (t,) = read_docx(make_docx(tmp_path, tbl, name="drawn.docx")).tables
    assert t.n_cols == 4 and t.grid[0][1] is t.grid[0][2]


def test_vmerge_without_restart_continues_the_cell_above(tmp_path):
    tbl = (
        "<w:tbl>"
        "<w:tr>" + tc("a") + tc("b") + "</w:tr>"  # a plain row: no merge marks at all
        "<w:tr>" + tc("", "<w:vMerge/>") + tc("c") + "</w:tr>"
        "<w:tr>" + tc("", "<w:vMerge/>") + tc("d") + "</w:tr>"
        "</w:tbl>"
    )
    (t,) = read_docx(make_docx(tmp_path, tbl)).tables
    a = t.grid[0][0]
    assert a.text == "a" and a.row_span == 3
    assert t.grid[1][0] is a and t.grid[2][0] is a
    assert [t.text(r, 1) for r in range(3)] == ["b", "c", "d"]


def test_title_and_preamble_rows_inside_table(tmp_path):
    tbl = (
        "<w:tbl>"
        "<w:tr>" + tc("部门收支总表", "<w:gridSpan w:val='3'/>") + "</w:tr>"
        "<w:tr>" + tc("编制单位：某局", "<w:gridSpan w:val='2'/>") + tc("单位：万元") + "</w:tr>"
        "<w:tr>" + tc("项目") + tc("金额") + tc("备注") + "</w:tr>"
        "<w:tr>" + tc("合计") + tc("1.00") + tc("") + "</w:tr>"
        "</w:tbl>"
    )
    doc = read_docx(make_docx(tmp_path, p("一、收支情况") + p("下表为收支情况。") + tbl))
    (t,) = doc.tables
    assert t.caption == "部门收支总表"
    assert t.preamble == ("编制单位：某局", "单位：万元")
    assert t.n_rows == 2 and t.text(1, 1) == "1.00"


def test_the_tables_number_between_its_title_and_preamble_is_preamble(tmp_path):
    # the national 决算 template: title, then "公开07表" on a line of its own, then 编制单位
    tbl = "<w:tbl><w:tr>" + tc("合计") + tc("因公出国（境）费") + "</w:tr><w:tr>" + tc("10.00") + tc("5.00") + "</w:tr></w:tbl>"
    body = (p("一般公共预算财政拨款“三公”经费支出决算表", "<w:pPr><w:jc w:val='center'/></w:pPr>") + p("公开07表")
            + p("编制单位：某研究院\t\t金额单位：万元") + tbl)
    (t,) = read_docx(make_docx(tmp_path, body)).tables
    assert t.caption == "一般公共预算财政拨款“三公”经费支出决算表"
    assert t.preamble == ("公开07表", "编制单位：某研究院", "金额单位：万元")


def test_a_title_ending_with_its_unit_is_the_caption(tmp_path):
    tbl = "<w:tbl><w:tr>" + tc("收入") + tc("金额") + "</w:tr><w:tr>" + tc("收入总计") + tc("10.00") + "</w:tr></w:tbl>"
    (t,) = read_docx(make_docx(tmp_path, p("第四部分 附件") + p("表1 部门收支总表（单位：万元）") + tbl)).tables
    assert t.caption == "表1 部门收支总表（单位：万元）" and t.preamble == ()


def test_caption_needs_to_look_like_a_title(tmp_path):
    tbl = "<w:tbl><w:tr>" + tc("a") + tc("b") + "</w:tr></w:tbl>"
    doc = read_docx(make_docx(tmp_path, p("这是一段说明文字") + tbl))
    assert doc.tables[0].caption == ""  # no 表, not centred, not bold
    assert doc.paragraphs[0].text == "这是一段说明文字"
    bold = "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>人员情况</w:t></w:r></w:p>"
    doc = read_docx(make_docx(tmp_path, bold + tbl, name="b.docx"))
    assert doc.tables[0].caption == "人员情况" and doc.paragraphs == ()
    centred = p("资产情况", "<w:pPr><w:jc w:val='center'/></w:pPr>")
    doc = read_docx(make_docx(tmp_path, centred + tbl, name="c.docx"))
    assert doc.tables[0].caption == "资产情况"


def test_content_controls_toc_and_wrapped_cells(tmp_path):
    toc = (
        "<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val='Table of Contents'/></w:docPartObj></w:sdtPr>"
        "<w:sdtContent>" + p("一、部门职责\t3") + "</w:sdtContent></w:sdt>"
    )
    wrapped = "<w:sdt><w:sdtContent>" + p("二、控件中的标题") + "</w:sdtContent></w:sdt>"
    tbl = (
        "<w:tbl><w:tr>" + tc("a") + "<w:sdt><w:sdtContent>" + tc("b") + "</w:sdtContent></w:sdt></w:tr>"
        "<w:tr>" + tc("c") + tc("d") + "</w:tr></w:tbl>"
    )
    doc = read_docx(make_docx(tmp_path, toc + p("一、部门职责") + wrapped + tbl))
    assert [h.text for h in doc.headings] == ["一、部门职责", "二、控件中的标题"]
    assert doc.tables[0].row_texts(0) == ("a", "b")


def test_pretty_printed_document_xml(tmp_path):
    body = """
      <w:p>
        <w:r>
          <w:t>一、部门职责</w:t>
        </w:r>
      </w:p>
      <w:tbl>
        <w:tr>
          <w:tc>
            <w:p><w:r><w:t>项目</w:t></w:r></w:p>
          </w:tc>
        </w:tr>
      </w:tbl>
    """
    doc = read_docx(make_docx(tmp_path, body))
    assert doc.headings[0].text == "一、部门职责"
    assert doc.tables[0].text(0, 0) == "项目"


def test_corrupt_styles_is_not_fatal(tmp_path):
    path = make_docx(tmp_path, p("一、标题"), styles="<w:style")
    doc = read_docx(path)
    assert doc.readable and doc.headings[0].level == 2
    (problem,) = doc.problems
    assert not problem.fatal and "样式表" in problem.message


def test_no_body_and_bad_xml(tmp_path):
    path = tmp_path / "x.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document xmlns:w='%s'><w:body>" % W)
    (problem,) = read_docx(str(path)).problems
    assert problem.fatal and "不是有效的 XML" in problem.message


def test_a_document_without_text_cannot_be_checked(tmp_path):
    # (as a PDF without a text layer: no rule runs on nothing, the file is reported unreadable)
    doc = read_docx(make_docx(tmp_path, "<w:p/>"))
    assert not doc.readable and doc.blocks == ()
    assert [p.message for p in doc.problems] == ["文档中没有任何文字内容"]


def test_vmerge_continuation_of_a_different_width_is_a_new_cell(tmp_path):
    tbl = (
        "<w:tbl>"
        "<w:tr>" + tc("a", "<w:vMerge w:val='restart'/>") + tc("b") + tc("c") + "</w:tr>"
        "<w:tr>" + tc("", "<w:vMerge/><w:gridSpan w:val='2'/>") + tc("d") + "</w:tr>"
        "</w:tbl>"
    )
    (t,) = read_docx(make_docx(tmp_path, tbl)).tables
    assert t.grid[0][0].row_span == 1
    assert t.grid[1][0] is t.grid[1][1] and t.grid[1][0].col_span == 2


@pytest.mark.parametrize("name", ["seed-budget.docx", "merged-cells.docx"])
def test_every_grid_position_is_covered_by_its_cell(name):
    for t in read_docx(str(FIX / "docx" / name)).tables:
        for r, row in enumerate(t.grid):
            assert len(row) == t.n_cols
            for c, cell in enumerate(row):
                assert cell.row <= r < cell.row + cell.row_span
                assert cell.col <= c < cell.col + cell.col_span


def test_oversized_grid_is_skipped_not_built(tmp_path):
    tbl = (
        "<w:tbl><w:tr><w:trPr><w:gridBefore w:val='1000000000'/></w:trPr>" + tc("a") + "</w:tr>"
        "<w:tr>" + tc("b") + "</w:tr></w:tbl>"
    )
    doc = read_docx(make_docx(tmp_path, p("一、概况") + tbl + p("正文。")))
    assert doc.readable and doc.tables == ()
    (problem,) = doc.problems
    assert not problem.fatal and problem.message.startswith("表格过大")
    assert [b.text for b in doc.blocks] == ["一、概况", "正文。"]


# --- automatic list numbering (numbering.xml) ------------------------------------------------


def lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f"<w:lvl w:ilvl='{ilvl}'><w:start w:val='{start}'/><w:numFmt w:val='{fmt}'/>"
        f"<w:lvlText w:val='{text}'/>{extra}</w:lvl>"
    )


def numbering(*parts: str) -> str:
    return f'<w:numbering xmlns:w="{W}">{"".join(parts)}</w:numbering>'


def abstract(aid: int, *levels: str) -> str:
    return f"<w:abstractNum w:abstractNumId='{aid}'>{''.join(levels)}</w:abstractNum>"


def num(nid: int, aid: int, extra: str = "") -> str:
    return f"<w:num w:numId='{nid}'><w:abstractNumId w:val='{aid}'/>{extra}</w:num>"


def li(text: str, num_id: int | None = None, ilvl: int | None = None, style: str | None = None) -> str:
    """A paragraph numbered by its own w:numPr (`num_id`, `ilvl`) and/or its style."""
    numpr = ""
    if num_id is not None or ilvl is not None:
        numpr = "<w:numPr>"
        numpr += f"<w:ilvl w:val='{ilvl}'/>" if ilvl is not None else ""
        numpr += f"<w:numId w:val='{num_id}'/>" if num_id is not None else ""
        numpr += "</w:numPr>"
    pstyle = f"<w:pStyle w:val='{style}'/>" if style else ""
    return p(text, f"<w:pPr>{pstyle}{numpr}</w:pPr>") if text else f"<w:p><w:pPr>{pstyle}{numpr}</w:pPr></w:p>"


# 一、 / （一） / 1. — the usual outline of a disclosure, as Word's multilevel list writes it
OUTLINE = abstract(
    0,
    lvl(0, "chineseCounting", "%1、"),
    lvl(1, "chineseCounting", "（%2）"),  # %2: the number of the second level
    lvl(2, "decimal", "%3."),
)
BULLETS = abstract(1, lvl(0, "bullet", "\uf06c"))
NUMBERING = numbering(OUTLINE, BULLETS, num(1, 0), num(3, 1))


def texts(doc) -> list[str]:
    return [b.text for b in doc.blocks]


def test_number_formats():
    cases = {
        "chineseCounting": {1: "一", 9: "九", 10: "十", 11: "十一", 19: "十九", 20: "二十", 21: "二十一",
                            99: "九十九", 100: "一百", 101: "一百零一", 110: "一百一十", 0: "〇"},
        "chineseCountingThousand": {11: "十一", 20: "二十", 1005: "一千零五", 10000: "一万"},
        "chineseLegalSimplified": {1: "壹", 11: "壹拾壹", 20: "贰拾"},
        "ideographTraditional": {1: "甲", 4: "丁", 10: "癸", 11: "11"},
        "decimalEnclosedCircle": {1: "①", 3: "③", 20: "⑳", 21: "21"},
        "decimalEnclosedParen": {1: "⑴"},
        "upperLetter": {1: "A", 26: "Z", 27: "AA", 28: "BB"},
        "lowerLetter": {2: "b"},
        "upperRoman": {4: "IV", 9: "IX", 14: "XIV", 1994: "MCMXCIV"},
        "lowerRoman": {3: "iii"},
        "decimalFullWidth": {7: "７", 12: "１２"},
        "decimalZero": {1: "01", 9: "09", 10: "10"},
        "decimal": {0: "0", 12: "12"},
        "none": {3: ""},
        "ordinal": {3: "3"},  # a format not written out here: decimal
    }
    for fmt, expected in cases.items():
        assert {n: format_number(n, fmt) for n in expected} == expected, fmt


def test_automatic_numbering_makes_headings(tmp_path):
    body = (
        li("部门职责", 1, 0) + p("负责全县工会工作。")
        + li("机构设置", 1, 0) + li("内设机构", 1, 1) + p("办公室、组织部。") + li("下属单位", 1, 1)
        + li("三公经费", 1, 0) + li("因公出国（境）费", 1, 1) + li("公务接待费", 1, 2) + li("公务用车", 1, 2)
    )
    doc = read_docx(make_docx(tmp_path, body, numbering=NUMBERING))
    assert doc.problems == ()
    assert [(h.text, h.level) for h in doc.headings] == [
        ("一、部门职责", 2),
        ("二、机构设置", 2),
        ("（一）内设机构", 3),
        ("（二）下属单位", 3),
        ("三、三公经费", 2),
        ("（一）因公出国（境）费", 3),  # level 2 restarts after a new level-1 item
        ("1.公务接待费", 4),
        ("2.公务用车", 4),
    ]
    assert [s.title for s in doc.sections] == ["一、部门职责", "二、机构设置", "三、三公经费"]
    assert [c.title for c in doc.sections[1].children] == ["（一）内设机构", "（二）下属单位"]
    (outgoing,) = doc.sections[2].children
    assert [c.title for c in outgoing.children] == ["1.公务接待费", "2.公务用车"]
    assert doc.paragraphs[0].location.section == ("一、部门职责",)


def test_start_override_numbers_its_own_list(tmp_path):
    override = "<w:lvlOverride w:ilvl='0'><w:startOverride w:val='5'/></w:lvlOverride>"
    numbers = numbering(OUTLINE, num(1, 0), num(2, 0, override))
    body = li("甲", 1, 0) + li("乙", 2, 0) + li("丙", 2, 0) + li("丁", 1, 0)
    doc = read_docx(make_docx(tmp_path, body, numbering=numbers))
    assert texts(doc) == ["一、甲", "五、乙", "六、丙", "二、丁"]


def test_start_that_is_no_number_counts_as_absent(tmp_path):
    # <w:start w:val='x'/>: read as a start of None, the first label raised TypeError (内部错误)
    numbers = numbering(abstract(0, lvl(0, "chineseCounting", "%1、", start="x")), num(1, 0))
    doc = read_docx(make_docx(tmp_path, li("甲", 1, 0) + li("乙", 1, 0), numbering=numbers))
    assert doc.problems == () and texts(doc) == ["〇、甲", "一、乙"]


def test_style_chain_cut_whichever_paragraph_asks_first(tmp_path):
    # s0 based on s1 … on s24 ("heading 2"): resolving s0 stops 20 styles up, as in the part's
    # order; a paragraph in s5 asking first must not make s0 inherit the heading level
    styles = "".join(
        f"<w:style w:type='paragraph' w:styleId='s{i}'><w:name w:val='{'heading 2' if i == 24 else f'x{i}'}'/>"
        + (f"<w:basedOn w:val='s{i + 1}'/>" if i < 24 else "") + "</w:style>"
        for i in range(25)
    )

    def kinds(*style_ids: str) -> dict[str, str]:
        body = "".join(p(f"段落{sid}", f"<w:pPr><w:pStyle w:val='{sid}'/></w:pPr>") for sid in style_ids)
        doc = read_docx(make_docx(tmp_path, body, styles=styles, name="-".join(style_ids) + ".docx"))
        return {b.text: type(b).__name__ for b in doc.blocks}

    assert kinds("s5", "s0", "s22") == kinds("s0", "s5", "s22") == {
        "段落s5": "Paragraph", "段落s0": "Paragraph", "段落s22": "Heading"
    }


def test_numid_zero_and_style_numbering(tmp_path):
    styles = (
        "<w:style w:type='paragraph' w:default='1' w:styleId='Normal'><w:name w:val='Normal'/></w:style>"
        "<w:style w:type='paragraph' w:styleId='a5'><w:name w:val='编号标题'/><w:basedOn w:val='Normal'/>"
        "<w:pPr><w:numPr><w:ilvl w:val='1'/><w:numId w:val='1'/></w:numPr></w:pPr></w:style>"
        "<w:style w:type='paragraph' w:styleId='a6'><w:name w:val='编号标题二'/><w:basedOn w:val='a5'/></w:style>"
    )
    body = (
        li("部门职责", 1, 0)
        + li("主要职能", style="a5")  # the style's list and level
        + li("内设机构", style="a6")  # inherited through basedOn
        + li("不编号", 0, style="a5")  # numId 0: no number, whatever the style says
        + li("机构设置", ilvl=0, style="a5")  # its own ilvl, the style's list
    )
    doc = read_docx(make_docx(tmp_path, body, styles=styles, numbering=NUMBERING))
    assert texts(doc) == ["一、部门职责", "（一）主要职能", "（二）内设机构", "不编号", "二、机构设置"]
    assert [h.level for h in doc.headings] == [2, 3, 3, 2]


def test_level_linked_to_style_and_multilevel_labels(tmp_path):
    chapters = abstract(
        0,
        lvl(0, "decimal", "%1", extra="<w:pStyle w:val='H1'/>"),
        lvl(1, "decimal", "%1.%2", extra="<w:pStyle w:val='H2'/><w:suff w:val='space'/>"),
        lvl(2, "lowerRoman", "%1.%2.%3", extra="<w:isLgl/><w:lvlRestart w:val='0'/>"),
    )
    styles = "".join(
        f"<w:style w:type='paragraph' w:styleId='{sid}'><w:name w:val='{sid}'/>"
        "<w:pPr><w:numPr><w:numId w:val='1'/></w:numPr></w:pPr></w:style>"
        for sid in ("H1", "H2")
    )
    body = (
        li("总则", style="H1") + li("目的", style="H2") + li("甲", 1, 2) + li("乙", 1, 2)
        + li("范围", style="H2") + li("丙", 1, 2) + li("附则", style="H1") + li("丁", 1, 2)
    )
    doc = read_docx(make_docx(tmp_path, body, styles=styles, numbering=numbering(chapters, num(1, 0))))
    # the style's level comes from the w:pStyle link; isLgl writes iii as 3; lvlRestart 0 never
    # restarts; a level skipped since its restart shows 0, as Word does
    assert texts(doc) == [
        "1 总则", "1.1 目的", "1.1.1 甲", "1.1.2 乙", "1.2 范围", "1.2.3 丙", "2 附则", "2.0.4 丁"
    ]


def test_part_numbers_and_word_2010_custom_formats(tmp_path):
    custom = (
        "<w:lvl w:ilvl='0'><w:start w:val='1'/><mc:AlternateContent><mc:Choice Requires='w14'>"
        "<w:numFmt w:val='custom' w:format='001, 002, 003, ...'/></mc:Choice>"
        "<mc:Fallback><w:numFmt w:val='decimalZero'/></mc:Fallback></mc:AlternateContent>"
        "<w:lvlText w:val='%1'/><w:suff w:val='nothing'/></w:lvl>"
    )
    parts = abstract(0, lvl(0, "chineseCounting", "第%1部分"))
    numbers = (
        f'<w:numbering xmlns:w="{W}" xmlns:mc="{MC}">{parts}'
        f"<w:abstractNum w:abstractNumId='1'>{custom}</w:abstractNum>{num(1, 0)}{num(2, 1)}</w:numbering>"
    )
    body = li("部门概况", 1, 0) + li("编号", 2, 0) + li("部门预算表", 1, 0)
    doc = read_docx(make_docx(tmp_path, body, numbering=numbers))
    assert texts(doc) == ["第一部分 部门概况", "01编号", "第二部分 部门预算表"]
    assert [h.level for h in doc.headings] == [1, 1]


def test_bullets_and_typed_numbers_are_not_prefixed(tmp_path):
    body = (
        li("一、部门职责", 1, 0)  # typed by hand as well: not doubled
        + li("要点一", 3, 0) + li("要点二", 3, 0)  # bullets
        + li("机构设置", 1, 0)
    )
    doc = read_docx(make_docx(tmp_path, body, numbering=NUMBERING))
    assert texts(doc) == ["一、部门职责", "要点一", "要点二", "二、机构设置"]


def test_empty_numbered_paragraphs_are_counted(tmp_path):
    """Word shows the number of an empty list paragraph ("二、" alone), so the next one is 三、."""
    body = li("部门职责", 1, 0) + li("", 1, 0) + li("机构设置", 1, 0)
    doc = read_docx(make_docx(tmp_path, body, numbering=NUMBERING))
    assert texts(doc) == ["一、部门职责", "三、机构设置"]


def test_unnumbered_paragraphs_and_cells_are_untouched(tmp_path):
    tbl = "<w:tbl><w:tr>" + tc("项目") + "<w:tc>" + li("金额", 1, 0) + "</w:tc></w:tr></w:tbl>"
    doc = read_docx(make_docx(tmp_path, p("正文") + tbl, numbering=NUMBERING))
    assert doc.problems == () and texts(doc)[0] == "正文"
    assert doc.tables[0].row_texts(0) == ("项目", "一、金额")  # numbered cells: see test_numbered_paragraphs_in_table_cells


@pytest.mark.parametrize("part", [None, "<w:numbering", "<w:numbering xmlns:w='%s'><w:num" % W])
def test_missing_or_broken_numbering_is_not_fatal(tmp_path, part):
    body = li("部门职责", 1, 0) + li("机构设置", 1, 0)
    doc = read_docx(make_docx(tmp_path, body, numbering=part))
    assert doc.readable and texts(doc) == ["部门职责", "机构设置"]
    (problem,) = doc.problems
    assert not problem.fatal and "numbering.xml" in problem.message
    assert "编号" in problem.message


def test_numbering_part_is_read_only_for_numbered_paragraphs(tmp_path):
    doc = read_docx(make_docx(tmp_path, p("一、部门职责") + "<w:p/>", numbering="<w:numbering"))
    assert doc.problems == () and texts(doc) == ["一、部门职责"]


def disclosure_docx(tmp_path: Path, with_numbering: bool) -> str:
    """A small 部门预算 whose section numbers are all automatic."""
    body = (
        p("某县总工会2025年部门预算")
        + li("部门职责", 1, 0) + p("负责全县工会工作，维护职工合法权益。")
        + li("机构设置", 1, 0) + p("本部门内设办公室、组织部、经费审查委员会办公室。")
        + li("收支预算总体情况说明", 1, 0) + p("2025年收入预算总计120.00万元，支出预算总计120.00万元。")
        + li("三公经费预算情况说明", 1, 0)
        + li("因公出国（境）费", 1, 1) + p("预算为0万元，与上年持平。")
        + li("公务接待费", 1, 1) + p("预算为0.30万元，比上年减少0.10万元，主要原因是厉行节约。")
    )
    return make_docx(
        tmp_path, body, name=f"disclosure-{with_numbering}.docx", numbering=NUMBERING if with_numbering else None
    )


def numbered_cell(text: str, num_id: int, ilvl: int = 0) -> str:
    return f"<w:tc>{li(text, num_id, ilvl)}</w:tc>"


@pytest.mark.parametrize("pretty", [False, True])  # the fast walk and the general one
def test_numbered_paragraphs_in_table_cells(tmp_path, pretty):
    """Row labels numbered by Word inside a table (一、 二、 …, shown but not in the text) keep their
    numbers; the list goes on counting through the cells and after the table; a bullet adds nothing."""
    rows = (
        "<w:tr>" + tc("项目") + tc("金额") + "</w:tr>"
        + "<w:tr>" + numbered_cell("财政拨款收入", 1) + tc("100.00") + "</w:tr>"
        + "<w:tr>" + numbered_cell("", 1) + tc("") + "</w:tr>"  # an empty numbered cell is counted
        + "<w:tr>" + numbered_cell("事业收入", 1) + tc("20.00") + "</w:tr>"
        + "<w:tr>" + numbered_cell("其他收入", 3) + tc("0.00") + "</w:tr>"
    )
    body = p("2025年部门收入预算总表") + f"<w:tbl>{rows}</w:tbl>" + li("部门职责", 1, 0)
    if pretty:
        body = body.replace("><", ">\n  <")
    doc = read_document(make_docx(tmp_path, body, numbering=NUMBERING))
    (t,) = doc.tables
    assert [t.row_texts(r)[0] for r in range(t.n_rows)] == ["项目", "一、财政拨款收入", "", "三、事业收入", "其他收入"]
    assert doc.headings[-1].text == "四、部门职责"


def test_end_to_end_numbered_sections_are_found(tmp_path):
    rules = load_rules()
    required = {"SEC-001", "SEC-002", "SEC-003", "SEC-009"}
    numbered = read_document(disclosure_docx(tmp_path, True))
    assert [h.text for h in numbered.headings][:2] == ["一、部门职责", "二、机构设置"]
    found = {f.rule_id for f in check_document(numbered, rules)}
    assert not found & required
    # the same document without its numbering part: the sections are not headings, and are missed
    bare = read_document(disclosure_docx(tmp_path, False))
    found = {f.rule_id for f in check_document(bare, rules)}
    assert {"SEC-001", "SEC-002", "SEC-009"} <= found


# --- pictures ---------------------------------------------------------------------------------

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"


def drawing(cm_wide: float, cm_high: float, text_box: bool = False) -> str:
    """A run holding a DrawingML picture (or a text box) of the given size."""
    emu = lambda cm: int(cm * 360000)  # noqa: E731
    inner = (f"<w:txbxContent>{p('框中文字')}</w:txbxContent>" if text_box
             else f"<pic:pic xmlns:pic='{PIC}'/>")
    return (f"<w:r><w:drawing><wp:inline xmlns:wp='{WP}'><wp:extent cx='{emu(cm_wide)}' cy='{emu(cm_high)}'/>"
            f"{inner}</wp:inline></w:drawing></w:r>")


def test_large_pictures_are_reported_as_content_not_read(tmp_path):
    """A table pasted into Word as a picture cannot be checked: the reader says so (and TBL-002
    then asks for a check by hand instead of TBL-001 calling the table missing). Seals, logos and
    text boxes are no such picture; nor is the VML copy Word keeps of a drawing."""
    vml = ("<w:r><w:pict><v:shape xmlns:v='urn:schemas-microsoft-com:vml' style='width:450pt;height:300pt'>"
           "<v:imagedata/></v:shape></w:pict></w:r>")
    body = (
        p("某县总工会2025年部门预算")
        + p("一、部门收入总表")
        + f"<w:p>{drawing(16, 10)}</w:p>"
        + f"<w:p>{drawing(3.5, 3.5)}</w:p>"  # a seal
        + f"<w:p><w:r><mc:AlternateContent><mc:Choice>{drawing(16, 10)[5:-6]}</mc:Choice>"
        + f"<mc:Fallback>{vml[5:-6]}</mc:Fallback></mc:AlternateContent></w:r></w:p>"
        + p("二、部门支出总表") + f"<w:p>{vml}</w:p>"
        + f"<w:p>{drawing(16, 5, text_box=True)}</w:p>"
    )
    doc = read_document(make_docx(tmp_path, body))
    (problem,) = doc.problems
    assert problem.unread and not problem.fatal
    assert problem.message == "文件中有3张较大的图片（可能是截图或扫描的表格），图片中的内容未检查（第一张在“一、部门收入总表”处）"
    rules = load_rules()
    found = {(f.rule_id, f.message.split("”")[0]) for f in check_document(doc, rules) if f.rule_id.startswith("TBL")}
    assert ("TBL-002", "未找到必备报表“部门收支总表") in found and not any(r == "TBL-001" for r, _ in found)


def test_small_pictures_alone_are_no_problem(tmp_path):
    doc = read_document(make_docx(tmp_path, p("某县总工会2025年部门预算") + f"<w:p>{drawing(4, 4)}</w:p>"))
    assert doc.problems == ()


def test_pictures_that_are_no_table_shots(tmp_path):
    """An organisation chart (under no table's title), a banner-shaped picture and a VML size
    that does not parse: no problem, and the document is read."""
    bad_vml = ("<w:r><w:pict><v:shape xmlns:v='urn:schemas-microsoft-com:vml' style='width:1.2.3pt;height:200pt'>"
               "<v:imagedata/></v:shape></w:pict></w:r>")
    body = (p("某县总工会2025年部门预算") + p("二、机构设置") + p("本部门组织架构图如下：")
            + f"<w:p>{drawing(16, 12)}</w:p>" + p("三、部门收入总表") + f"<w:p>{drawing(17, 2.5)}</w:p>"
            + f"<w:p>{bad_vml}</w:p>")
    doc = read_document(make_docx(tmp_path, body))
    assert doc.problems == () and [h.text for h in doc.headings][:1] == ["二、机构设置"]


# --- the document as Word shows it: tracked changes, hidden text, text boxes --------------------

REV = "w:id='{}' w:author='张三' w:date='2023-01-05T10:00:00Z'"


def rev(n: int = 1) -> str:
    """The attributes of a tracked change."""
    return REV.format(n)


def run(text: str, rpr: str = "") -> str:
    return f"<w:r>{rpr}<w:t xml:space='preserve'>{text}</w:t></w:r>"


def deleted(text: str) -> str:
    return f"<w:del {rev()}><w:r><w:delText>{text}</w:delText></w:r></w:del>"


def cells(*texts: str) -> str:
    return "<w:tr>" + "".join(tc(t) for t in texts) + "</w:tr>"


def raw_cell(content: str) -> str:
    return f"<w:tc><w:p>{content}</w:p></w:tc>"


def expense_table(row: str = "") -> str:
    """A small 支出总表 with `row` (cells) after its 合计 row."""
    return (
        "<w:tbl>" + cells("科目名称", "合计", "基本支出", "项目支出") + cells("合计", "100.00", "60.00", "40.00")
        + row + "</w:tbl>"
    )


def test_text_moved_away_is_read_only_where_it_went(tmp_path):
    """A tracked move keeps its origin's runs with w:t (not w:delText) in w:moveFrom: read there,
    the moved text was twice in the document (and made an amount unreadable in a cell)."""
    cell = raw_cell(f"<w:moveFromRangeStart w:id='1' w:name='move1'/><w:moveFrom {rev(2)}>{run('5.00')}</w:moveFrom>"
                    f"<w:moveFromRangeEnd w:id='1'/>{run('40.00')}")
    moved_away = (
        f"<w:p><w:pPr><w:rPr><w:moveFrom {rev(3)}/></w:rPr></w:pPr><w:moveFromRangeStart w:id='4' w:name='move2'/>"
        f"<w:moveFrom {rev(5)}>{run('其中基本支出60.00万元。')}</w:moveFrom><w:moveFromRangeEnd w:id='4'/></w:p>"
    )
    moved_here = (
        f"<w:p><w:moveToRangeStart w:id='6' w:name='move2'/><w:moveTo {rev(7)}>{run('其中基本支出60.00万元。')}"
        "</w:moveTo><w:moveToRangeEnd w:id='6'/></w:p>"
    )
    # a run inside the range but outside w:moveFrom is part of the move too
    in_range = f"<w:p>{run('保留')}<w:moveFromRangeStart w:id='8' w:name='m'/>{run('移走')}<w:moveFromRangeEnd w:id='8'/></w:p>"
    body = moved_away + p("2023年预算支出为100.00万元。") + moved_here + in_range + expense_table(
        "<w:tr>" + tc("行政运行") + tc("45.00") + tc("") + cell + "</w:tr>")
    doc = read_docx(make_docx(tmp_path, body))
    assert [b.text for b in doc.paragraphs] == ["2023年预算支出为100.00万元。", "其中基本支出60.00万元。", "保留"]
    assert doc.tables[0].row_texts(2) == ("行政运行", "45.00", "", "40.00")


def test_a_move_range_that_never_ends_removes_nothing(tmp_path):
    body = f"<w:p><w:moveFromRangeStart w:id='1' w:name='m'/>{run('一、部门职责')}</w:p>" + p("负责全县工会工作。")
    assert texts(read_docx(make_docx(tmp_path, body))) == ["一、部门职责", "负责全县工会工作。"]


def test_deleted_numbered_paragraph_takes_no_number(tmp_path):
    """Deleting a numbered heading with Track Changes on keeps it, runs and mark deleted: Word
    then shows the next heading with the number the deleted one had."""
    numbered = "<w:numPr><w:ilvl w:val='0'/><w:numId w:val='1'/></w:numPr>"
    gone = f"<w:p><w:pPr>{numbered}<w:rPr><w:del {rev()}/></w:rPr></w:pPr>{deleted('旧标题')}</w:p>"
    body = li("部门职责", 1, 0) + p("负责全县工会工作。") + gone + li("机构设置", 1, 0)
    doc = read_docx(make_docx(tmp_path, body, numbering=NUMBERING))
    assert [h.text for h in doc.headings] == ["一、部门职责", "二、机构设置"]


def test_deleted_paragraph_mark_joins_the_next_paragraph(tmp_path):
    """Word's final text of a tracked join is one paragraph, with the second paragraph's
    properties (its mark is the one left). Before a table there is nothing to join: the text stays."""
    joined = f"<w:p><w:pPr><w:rPr><w:del {rev()}/></w:rPr></w:pPr>{run('2023年预算支出为100.00万元，')}</w:p>"
    before_table = f"<w:p><w:pPr><w:rPr><w:del {rev(2)}/></w:rPr></w:pPr>{run('单位：万元')}</w:p>"
    body = joined + "<w:bookmarkEnd w:id='0'/>" + p("其中基本支出60.00万元。", "<w:pPr><w:jc w:val='center'/></w:pPr>")
    doc = read_docx(make_docx(tmp_path, body + before_table + expense_table()))
    assert [b.text for b in doc.paragraphs] == ["2023年预算支出为100.00万元，其中基本支出60.00万元。"]
    assert doc.tables[0].preamble == ("单位：万元",)


def test_tracked_deleted_row_is_dropped(tmp_path):
    gone = (f"<w:tr><w:trPr><w:del {rev()}/></w:trPr>" + raw_cell(deleted("行政运行")) + raw_cell(deleted("88.00"))
            + "<w:tc><w:p/></w:tc>" * 2 + "</w:tr>")
    inserted = f"<w:tr><w:trPr><w:ins {rev(2)}/></w:trPr>" + tc("其他") + tc("1.00") + tc("") + tc("1.00") + "</w:tr>"
    (t,) = read_docx(make_docx(tmp_path, expense_table(gone + inserted))).tables
    assert [t.row_texts(r)[0] for r in range(t.n_rows)] == ["科目名称", "合计", "其他"]


def test_hidden_text_and_ruby_annotations_are_not_read(tmp_path):
    hidden = run("99.99", "<w:rPr><w:vanish/></w:rPr>")
    shown = run("100.00", "<w:rPr><w:vanish w:val='0'/></w:rPr>")
    ruby = ("<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>jī běn</w:t></w:r></w:rt>"
            "<w:rubyBase><w:r><w:t>基本</w:t></w:r></w:rubyBase></w:ruby></w:r>")
    # a hidden paragraph mark (pPr/rPr) and formatting before a change (rPrChange) hide no run
    kept = (f"<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr><w:r><w:rPr><w:rPrChange {rev()}><w:rPr><w:vanish/>"
            f"</w:rPr></w:rPrChange></w:rPr><w:t>说明</w:t></w:r></w:p>")
    body = f"<w:p>{run('其中')}{ruby}{run('支出')}{run('（隐藏）', '<w:rPr><w:vanish/></w:rPr>')}</w:p>" + kept
    body += expense_table("<w:tr>" + tc("行政运行") + raw_cell(hidden + shown) + tc("60.00") + tc("40.00") + "</w:tr>")
    doc = read_docx(make_docx(tmp_path, body))
    assert [b.text for b in doc.paragraphs] == ["其中基本支出", "说明"]
    assert doc.tables[0].row_texts(2) == ("行政运行", "100.00", "60.00", "40.00")


@pytest.mark.parametrize("pretty", [False, True])  # the fast walk and the general one
def test_zero_width_characters_are_dropped(tmp_path, pretty):
    """Invisible characters pasted from web pages and WPS must not make an amount unreadable
    (the table then looked empty) or split a word."""
    row = "<w:tr>" + tc("行政\u200b运行") + tc("110.00\u200b") + tc("\ufeff60.00") + tc("4\u200c0.\u200d0\u20600") + "</w:tr>"
    body = p("\ufeff合\u200b计支出100.00万元。") + expense_table(row)
    if pretty:
        body = body.replace("><", ">\n  <")
    doc = read_docx(make_docx(tmp_path, body))
    assert doc.paragraphs[0].text == "合计支出100.00万元。"
    assert doc.tables[0].row_texts(2) == ("行政运行", "110.00", "60.00", "40.00")


def text_box(*paragraphs: str, vml_copy: bool = True) -> str:
    """A run holding a floating text box as Word 2010+ writes it: the DrawingML box in mc:Choice
    and, for older readers, its VML copy in mc:Fallback."""
    content = f"<w:txbxContent>{''.join(paragraphs)}</w:txbxContent>"
    fallback = (f"<mc:Fallback><w:pict><v:shape xmlns:v='urn:schemas-microsoft-com:vml'><v:textbox>{content}"
                "</v:textbox></v:shape></w:pict></mc:Fallback>")
    return (f"<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wp:anchor xmlns:wp='{WP}'>"
            f"<wp:extent cx='5000000' cy='800000'/><wps:txbx xmlns:wps='{WPS}'>{content}</wps:txbx></wp:anchor>"
            f"</w:drawing></mc:Choice>{fallback if vml_copy else ''}</mc:AlternateContent></w:r>")


WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


def test_text_boxes_are_read_after_their_anchor(tmp_path):
    """A cover title, a heading or a table's caption in a text box is read once (not its VML
    copy), as paragraphs after the paragraph that anchors it, boxes in their order."""
    centred = "<w:pPr><w:jc w:val='center'/></w:pPr>"
    body = (
        f"<w:p>{text_box(p('某县总工会', centred), p('2023年部门预算', centred))}{text_box(p('（公开版）'))}</w:p>"
        + f"<w:p>{run('第一部分 部门预算')}{text_box(p('部门预算支出总表', centred), vml_copy=False)}</w:p>"
        + p("单位：万元") + expense_table()
    )
    doc = read_docx(make_docx(tmp_path, body))
    assert [b.text for b in doc.blocks if not isinstance(b, Table)] == [
        "某县总工会", "2023年部门预算", "（公开版）", "第一部分 部门预算"]
    (t,) = doc.tables
    assert t.caption == "部门预算支出总表" and t.preamble == ("单位：万元",)


def test_text_box_in_a_cell_stays_in_its_cell(tmp_path):
    row = "<w:tr>" + tc("行政运行") + f"<w:tc><w:p>{run('45.00')}{text_box(p('注'))}</w:p></w:tc>" + tc("") + tc("") + "</w:tr>"
    (t,) = read_docx(make_docx(tmp_path, expense_table(row))).tables
    assert t.text(2, 1) == "45.00\n注"


def toc_entry(text: str, page: int, start: str = "") -> str:
    """A TOC entry as Word writes it inside the TOC field: a hyperlink and a PAGEREF field, here
    in no TOC style (restyled, or pasted)."""
    pageref = (f"<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText> PAGEREF _Toc{page} \\h </w:instrText></w:r>"
               f"<w:r><w:fldChar w:fldCharType='separate'/></w:r>{run(str(page))}<w:r><w:fldChar w:fldCharType='end'/></w:r>")
    return f"<w:p>{start}<w:hyperlink w:anchor='_Toc{page}'>{run(text)}<w:r><w:tab/></w:r>{pageref}</w:hyperlink></w:p>"


def test_toc_field_entries_are_not_body_text(tmp_path):
    """The paragraphs of a TOC field are 目录 entries whatever their style; the field's end may
    share the paragraph of the first heading after it, which is read."""
    begin = ("<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText xml:space='preserve'> TOC \\o \"1-3\" \\h \\z \\u "
             "</w:instrText></w:r><w:r><w:fldChar w:fldCharType='separate'/></w:r>")
    end = "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
    body = (
        p("目录", "<w:pPr><w:jc w:val='center'/></w:pPr>")
        + toc_entry("第一部分 部门预算", 3, begin) + toc_entry("一、部门职责", 4) + toc_entry("二、机构设置", 5)
        + f"<w:p>{end}{run('第一部分 部门预算')}</w:p>" + p("一、部门职责") + p("负责全县工会工作。")
    )
    doc = read_docx(make_docx(tmp_path, body))
    assert texts(doc) == ["目录", "第一部分 部门预算", "一、部门职责", "负责全县工会工作。"]
    assert [h.text for h in doc.headings] == ["第一部分 部门预算", "一、部门职责"]


def test_table_split_with_its_header_repeated_is_one_table(tmp_path):
    """Word users cut a long table at a page break and repeat its header rows: one table, the
    repeated rows dropped, whether the header rows are marked (w:tblHeader) or only alike."""
    header = "<w:tr><w:trPr><w:tblHeader/></w:trPr>" + tc("科目名称") + tc("合计") + tc("基本支出") + "</w:tr>"
    first = f"<w:tbl>{header}" + cells("合计", "100.00", "60.00") + cells("行政运行", "60.00", "60.00") + "</w:tbl>"
    second = f"<w:tbl>{header}" + cells("一般行政管理事务", "40.00", "") + "</w:tbl>"
    page_break = "<w:p><w:r><w:br w:type='page'/></w:r></w:p>"
    doc = read_docx(make_docx(tmp_path, p("部门预算支出总表") + first + "<w:p/>" + page_break + second))
    (t,) = doc.tables
    assert t.caption == "部门预算支出总表" and t.header_rows == 1
    assert [t.row_texts(r)[0] for r in range(t.n_rows)] == ["科目名称", "合计", "行政运行", "一般行政管理事务"]
    unmarked = first.replace("<w:trPr><w:tblHeader/></w:trPr>", "") + "<w:p/>" + second.replace("<w:trPr><w:tblHeader/></w:trPr>", "")
    (t,) = read_docx(make_docx(tmp_path, unmarked, name="unmarked.docx")).tables
    assert t.n_rows == 4


def test_adjacent_different_tables_stay_apart(tmp_path):
    header = "<w:tr><w:trPr><w:tblHeader/></w:trPr>" + tc("科目名称") + tc("合计") + tc("基本支出") + "</w:tr>"
    first = f"<w:tbl>{header}" + cells("合计", "100.00", "60.00") + "</w:tbl>"
    other_header = "<w:tbl>" + cells("项目", "合计", "基本支出") + cells("合计", "1.00", "1.00") + "</w:tbl>"
    narrower = f"<w:tbl>{cells('科目名称', '合计')}{cells('合计', '1.00')}</w:tbl>"
    same = f"<w:tbl>{header}" + cells("行政运行", "60.00", "60.00") + "</w:tbl>"
    header_only = f"<w:tbl>{header}</w:tbl>"
    for name, body in {
        "header": first + "<w:p/>" + other_header,
        "columns": first + "<w:p/>" + narrower,
        "caption": first + p("部门预算支出总表（续）") + same,
        "nothing-after-header": first + "<w:p/>" + header_only,
    }.items():
        doc = read_docx(make_docx(tmp_path, body, name=f"{name}.docx"))
        assert len(doc.tables) == 2, name


def test_a_document_laid_out_in_one_table_is_read_as_its_content(tmp_path):
    """Some offices lay out the whole document (or its main part) in a table of one cell, or of
    one column: its cells hold headings, paragraphs and the real tables, which are read as body."""
    styles = "<w:style w:type='paragraph' w:styleId='1'><w:name w:val='heading 1'/></w:style>"
    content = (p("第一部分 部门预算", "<w:pPr><w:pStyle w:val='1'/></w:pPr>") + p("部门预算支出总表")
               + p("单位：万元") + expense_table() + p("说明：本表无其他内容。"))
    one_cell = f"<w:tbl><w:tblGrid><w:gridCol w:w='9000'/></w:tblGrid><w:tr><w:tc><w:tcPr/>{content}<w:p/></w:tc></w:tr></w:tbl>"
    doc = read_docx(make_docx(tmp_path, p("某县总工会2023年部门预算") + one_cell, styles=styles))
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Heading", "Table", "Paragraph"]
    (t,) = doc.tables
    assert t.caption == "部门预算支出总表" and t.n_rows == 2 and t.n_cols == 4
    # one column, several rows, a heading but no table inside: laid out too
    rows = "".join(f"<w:tr><w:tc>{part}</w:tc></w:tr>" for part in (p("二、机构设置", "<w:pPr><w:pStyle w:val='1'/></w:pPr>"), p("内设办公室。")))
    column = f"<w:tbl><w:tblGrid><w:gridCol w:w='9000'/></w:tblGrid>{rows}</w:tbl>"
    doc = read_docx(make_docx(tmp_path, column, styles=styles, name="column.docx"))
    assert [h.text for h in doc.headings] == ["二、机构设置"] and doc.tables == ()


def test_one_column_tables_of_data_stay_tables(tmp_path):
    grid = "<w:tblGrid><w:gridCol w:w='9000'/></w:tblGrid>"
    listing = f"<w:tbl>{grid}{cells('项目名称')}{cells('劳动模范荣誉津贴')}{cells('困难职工帮扶')}</w:tbl>"
    boxed_note = f"<w:tbl>{grid}{cells('注：本部门无政府性基金预算，故本表为空表。')}</w:tbl>"
    doc = read_docx(make_docx(tmp_path, p("项目清单") + listing + p("说明") + boxed_note))
    assert [t.n_rows for t in doc.tables] == [3, 1]
    # a table with a nested table but more than one column is a table of data
    nested = "<w:tbl>" + cells("甲", "乙") + f"<w:tr>{tc('丙')}<w:tc>{expense_table()}<w:p/></w:tc></w:tr></w:tbl>"
    (t,) = read_docx(make_docx(tmp_path, nested, name="nested.docx")).tables
    assert t.n_rows == 2 and "合计 100.00 60.00 40.00" in t.text(1, 1)


def test_word_macro_and_template_files_are_checked_in_a_directory(tmp_path):
    """A directory sweep picks up Word's .docm/.dotx/.dotm and Excel's .xlsm as it does .docx and
    .xlsx (named on the command line they were read already): they are read by their content."""
    from openlint.lint import collect_paths

    for name in ("macro.docm", "template.dotx", "macro-template.dotm"):
        (tmp_path / name).write_bytes(SEED_DOCX.read_bytes())
    (tmp_path / "tables.xlsm").write_bytes((FIX / "xlsx" / "shanghai-putuo-template-2026-dept-budget-XX.xlsx").read_bytes())
    found = collect_paths([str(tmp_path)])
    assert sorted(Path(f).name for f in found) == ["macro-template.dotm", "macro.docm", "tables.xlsm", "template.dotx"]
    for path in found:
        doc = read_document(path)
        assert doc.readable and doc.problems == (), path
        assert doc.format == ("xlsx" if path.endswith(".xlsm") else "docx")


# --- the seed document as Word writes it with tracked changes and page layout ------------------
# Each rewrite keeps what Word shows, so the document read and its findings must stay the same.

def seed_as(tmp_path: Path, rewrite) -> str:
    """The seed document with its body rewritten by `rewrite(body)`."""
    from lxml import etree

    with zipfile.ZipFile(SEED_DOCX) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    rewrite(root.find(f"{{{W}}}body"))
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    path = tmp_path / f"{rewrite.__name__}.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return str(path)


def w(tag: str, *children, **attrs):
    from lxml import etree

    el = etree.Element(f"{{{W}}}{tag}", {f"{{{W}}}{k}": v for k, v in attrs.items()})
    el.extend(children)
    return el


def moved_paragraphs(body):
    """Every fifth paragraph moved with Track Changes on: its origin (runs in w:moveFrom, mark
    moved away) stands before the paragraph before it, its destination in w:moveTo."""
    import copy

    paras = [p for p in body if p.tag == f"{{{W}}}p" and "".join(p.itertext()).strip()]
    for i in range(3, len(paras), 5):
        origin = copy.deepcopy(paras[i])
        for para, kind in ((paras[i], "moveTo"), (origin, "moveFrom")):
            runs = para.findall(f"{{{W}}}r")
            wrap = w(kind, id=str(i), author="张三")
            runs[0].addprevious(wrap)
            wrap.extend(runs)
            wrap.addprevious(w(f"{kind}RangeStart", id=f"r{i}", name=f"move{i}"))
            wrap.addnext(w(f"{kind}RangeEnd", id=f"r{i}"))
            ppr = para.find(f"{{{W}}}pPr")
            if ppr is None:
                ppr = w("pPr")
                para.insert(0, ppr)
            ppr.append(w("rPr", w(kind, id=f"m{i}", author="张三")))
        paras[i - 1].addprevious(origin)


def deleted_rows(body):
    """In every table of five rows or more, a tracked-deleted copy of its fifth row after it."""
    import copy

    for tbl in body.iter(f"{{{W}}}tbl"):
        rows = tbl.findall(f"{{{W}}}tr")
        if len(rows) < 5:
            continue
        gone = copy.deepcopy(rows[4])
        trpr = gone.find(f"{{{W}}}trPr")
        if trpr is None:
            trpr = w("trPr")
            gone.insert(0, trpr)
        trpr.append(w("del", id="1", author="张三"))
        for t in gone.iter(f"{{{W}}}t"):
            t.tag = f"{{{W}}}delText"
        rows[4].addnext(gone)


def split_tables(body):
    """Every table of 15 rows or more with header rows cut in the middle, an empty paragraph
    between the parts, the header rows repeated in the second."""
    import copy

    for tbl in list(body.iter(f"{{{W}}}tbl")):
        rows = tbl.findall(f"{{{W}}}tr")
        header = [r for r in rows if r.find(f"{{{W}}}trPr/{{{W}}}tblHeader") is not None]
        if len(rows) < 15 or not header:
            continue
        second = w("tbl", copy.deepcopy(tbl.find(f"{{{W}}}tblPr")), copy.deepcopy(tbl.find(f"{{{W}}}tblGrid")))
        second.extend(copy.deepcopy(r) for r in header)
        second.extend(rows[len(rows) // 2:])
        tbl.addnext(w("p"))
        tbl.getnext().addnext(second)


def one_big_table(body):
    """The whole body laid out in a table of one cell."""
    cell = w("tc", w("tcPr"))
    cell.extend(child for child in list(body) if child.tag != f"{{{W}}}sectPr")
    cell.append(w("p"))
    body.insert(0, w("tbl", w("tblPr"), w("tblGrid", w("gridCol", w="9000")), w("tr", cell)))


@pytest.fixture(scope="module")
def seed_findings(seed):
    rules = load_rules()
    return rules, sorted((f.rule_id, f.message) for f in check_document(seed, rules))


@pytest.mark.parametrize("rewrite", [moved_paragraphs, deleted_rows, split_tables, one_big_table])
def test_the_seed_as_word_writes_it_reads_the_same(tmp_path, seed, seed_findings, rewrite):
    rules, expected = seed_findings
    doc = read_document(seed_as(tmp_path, rewrite))

    def shown(block):
        return [[c.text for c in row] for row in block.grid] if isinstance(block, Table) else (type(block), block.text)

    assert [shown(b) for b in doc.blocks] == [shown(b) for b in seed.blocks]
    def framed(t):
        return t.caption, t.preamble, t.header_rows, [n.text for n in t.notes]

    assert [framed(t) for t in doc.tables] == [framed(t) for t in seed.tables]
    assert sorted((f.rule_id, f.message) for f in check_document(doc, rules)) == expected


def test_a_compression_method_zipfile_lacks_is_named_not_called_damage(tmp_path):
    """Some zip tools write Deflate64 (method 9), which Python's zipfile cannot inflate: the file
    is not damaged, and the message says what to do."""
    path = Path(make_docx(tmp_path, p("一、部门职责")))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("word/document.xml", f"<w:document xmlns:w='{W}'><w:body>{p('一、部门职责')}</w:body></w:document>")
    data = bytearray(path.read_bytes())
    data[8:10] = struct.pack("<H", 9)  # the local header's method
    central = data.rfind(b"PK\x01\x02")
    data[central + 10:central + 12] = struct.pack("<H", 9)
    path.write_bytes(bytes(data))
    (problem,) = read_docx(str(path)).problems
    assert problem.fatal
    assert problem.message == "word/document.xml 使用了暂不支持的压缩方式（Deflate64），请用 Word 或 WPS 另存后再检查"
