"""The HTML reader: disclosures saved as web pages.

The small pages are built in each test, most in the markup Word's “Save as Web Page” writes
(MsoNormal paragraphs, mso styles, conditional comments, gb2312). The fixture under
tests/fixtures/html is the corpus document under tests/fixtures/docx saved as HTML by LibreOffice
(`soffice --headless --convert-to html`): read either way it must give the same findings.
"""

from __future__ import annotations

import email.mime.image
import email.mime.multipart
import email.mime.text
import quopri
import re
from pathlib import Path

import pytest

from openlint.judge.engine import check_document, load_rules
from openlint.lint import collect_paths, lint_paths
from openlint.model import Document, Heading, Paragraph, Table
from openlint.read import read_document, sniff
from openlint.read import html as html_reader
from openlint.report.text import summary

FIX = Path(__file__).parent / "fixtures"
CORPUS_DOC = "shanghai-putuo-social-welfare-institute-2024-unit-budget"

WORD_HEAD = """<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset={charset}">
<meta name=Generator content="Microsoft Word 15">
<title>标题栏里的文字</title>
<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>文档属性里的作者</o:Author></o:DocumentProperties></xml><![endif]-->
<style><!-- p.MsoNormal {{margin:0cm;}} --></style>
</head>
<body lang=ZH-CN>
<div class=WordSection1>
"""
WORD_TAIL = "\n</div>\n</body>\n</html>\n"


def write(tmp_path: Path, body: str, *, charset: str = "utf-8") -> Path:
    """A Word-style page holding `body`, encoded in `charset` (which its meta tag declares)."""
    path = tmp_path / "page.html"
    path.write_bytes((WORD_HEAD.format(charset=charset) + body + WORD_TAIL).encode(charset))
    return path


def read(tmp_path: Path, body: str, **kwargs) -> Document:
    doc = read_document(str(write(tmp_path, body, **kwargs)))
    assert doc.format == "html" and doc.readable, doc.problems
    return doc


def texts(doc: Document) -> list[tuple[str, str]]:
    """The blocks as (kind, text): H2 for a level-2 heading, P for a paragraph, T for a table's caption."""
    out = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append((f"H{block.level}", block.text))
        elif isinstance(block, Paragraph):
            out.append(("P", block.text))
        else:
            out.append(("T", block.caption))
    return out


def grid_texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.grid]


def only_fatal(doc: Document) -> str:
    assert len(doc.problems) == 1 and doc.problems[0].fatal and not doc.blocks, doc.problems
    return doc.problems[0].message


def _bare(text: str) -> str:
    return re.sub(r"\s", "", text)


# --- headings and paragraphs -----------------------------------------------------------------


def test_h1_to_h6_give_the_heading_level(tmp_path):
    doc = read(tmp_path, "<h1>部门概况</h1><h2>主要职能</h2><p>负责全区的财政工作。</p><h3>机构设置</h3><h6>附注</h6>")
    assert texts(doc) == [("H1", "部门概况"), ("H2", "主要职能"), ("P", "负责全区的财政工作。"), ("H3", "机构设置"), ("H6", "附注")]
    assert doc.sections[0].children[0].title == "主要职能"


def test_word_paragraphs_are_headings_by_their_numbering(tmp_path):
    body = """
<p class=MsoNormal><b><span style='font-size:16.0pt;font-family:黑体'>第一部分 部门概况</span></b></p>
<p class=MsoNormal><b><span style='font-family:黑体'>一、部门主要职能<o:p></o:p></span></b></p>
<p class=MsoNormal style='text-indent:32.0pt'><span>本部门负责全区的财政工作。</span></p>
<p class=MsoNormal><span style='font-family:楷体'>（一）收入预算</span></p>
<p class=MsoNormal style='mso-outline-level:2'><span>名词解释</span></p>
"""
    assert texts(read(tmp_path, body)) == [
        ("H1", "第一部分 部门概况"),
        ("H2", "一、部门主要职能"),
        ("P", "本部门负责全区的财政工作。"),
        ("H3", "（一）收入预算"),
        ("H2", "名词解释"),  # Word's outline level, as a .docx paragraph's
    ]


def test_word_list_numbers_and_tabs_are_kept(tmp_path):
    body = """
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='mso-list:Ignore'>二、<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span><![endif]>机构设置</p>
<p class=MsoListParagraph style='mso-list:l1 level1 lfo2'><![if !supportLists]><span
style='font-family:Symbol;mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp; </span></span><![endif]>一项要点</p>
<p class=MsoNormal>编制单位：某某局<span style='mso-tab-count:2'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span>单位：万元</p>
"""
    assert texts(read(tmp_path, body)) == [
        ("H2", "二、机构设置"),
        ("P", "一项要点"),  # a bullet, which the .docx reader leaves out too
        ("P", "编制单位：某某局\t单位：万元"),
    ]


def test_word_table_of_contents_is_left_out(tmp_path):
    body = """
<p class=MsoTocHeading>目录</p>
<p class=MsoToc1><a href="#_Toc1">一、部门主要职能<span style='mso-tab-count:1 dotted'>. . </span>1</a></p>
<h1><a name="_Toc1"></a>一、部门主要职能</h1>
"""
    assert texts(read(tmp_path, body)) == [("H1", "一、部门主要职能")]


def test_lines_a_line_break_separates_are_paragraphs(tmp_path):
    """A CMS editor or a plain-text paste separates paragraphs by <br> (or <br><br>) inside one <p>
    or <div>: each line is a paragraph, so a numbered line is a heading as it would be in a <p> of
    its own. A heading's lines stay one heading, a cell's lines one cell."""
    doc = read(tmp_path, "<p class=MsoNormal>第一行<br>\n第二行 <br/> 第三行</p><div>另一段<br></div>"
                         "<div>一、主要职责<br><br>本部门负责全镇的财政工作。<br>二、机构设置<br>内设4个机构。</div>"
                         "<h2>第一部分<br>部门概况</h2>"  # a part heading: 一、 comes out a level below
                         "<p>收支情况如下。</p><table><tr><td>项目</td><td>本年<br>预算数</td></tr><tr><td>合计</td><td>1.00</td></tr></table>")
    assert texts(doc) == [
        ("P", "第一行"), ("P", "第二行"), ("P", "第三行"), ("P", "另一段"),
        ("H3", "一、主要职责"), ("P", "本部门负责全镇的财政工作。"), ("H3", "二、机构设置"), ("P", "内设4个机构。"),
        ("H2", "第一部分\n部门概况"), ("P", "收支情况如下。"), ("T", ""),
    ]
    assert grid_texts(doc.tables[0])[0] == ["项目", "本年\n预算数"]


def test_what_a_browser_does_not_show_is_skipped(tmp_path):
    body = """
<script>document.write("脚本文字")</script><noscript>请开启脚本</noscript>
<!-- 注释文字 --><!--[if gte mso 9]><p>条件注释里的段落</p><![endif]-->
<p>看得见的文字<span style='display:none;mso-hide:all'>隐藏文字</span>之后</p>
<p style="DISPLAY: none">整段隐藏</p><p hidden>属性隐藏</p><div style="visibility:hidden">不可见</div>
<p><span style='mso-hide:all'>Word 隐藏</span>可见</p>
"""
    doc = read(tmp_path, body)
    assert texts(doc) == [("P", "看得见的文字之后"), ("P", "可见")]
    path = tmp_path / "old.htm"
    path.write_text('<HTML><BODY><P STYLE="DISPLAY: NONE">整段隐藏</P><P>可见</P></BODY></HTML>', encoding="utf-8")
    assert texts(read_document(str(path))) == [("P", "可见")]


def test_entities_and_white_space(tmp_path):
    body = """<p>  预算&amp;决算&#20013;&#x6587;&lt;&gt;
    1,234.56&nbsp;&nbsp;万元\u3000合计  </p><p>\u3000\u3000首行缩进的段落。\u3000</p><p>&nbsp;</p><p><o:p>&nbsp;</o:p></p>"""
    assert texts(read(tmp_path, body)) == [("P", "预算&决算中文<> 1,234.56  万元\u3000合计"), ("P", "首行缩进的段落。")]


def test_preformatted_text_keeps_its_lines(tmp_path):
    doc = read(tmp_path, "<pre>收入  100\n支出  80</pre><p style='white-space:pre'>甲\n乙</p>")
    assert texts(doc) == [("P", "收入  100\n支出  80"), ("P", "甲\n乙")]


def test_numbered_lists_show_their_numbers(tmp_path):
    doc = read(tmp_path, "<ol><li>部门概况</li><li>2.已编号</li></ol><ol start=3><li>第三项</li></ol><ul><li>要点</li></ul>")
    assert texts(doc) == [("H4", "1.部门概况"), ("H4", "2.已编号"), ("H4", "3.第三项"), ("P", "要点")]


def test_blocks_carry_their_source_line(tmp_path):
    body = "<h1>一、概况</h1>\n<p>第一段。</p>\n\n<p>第二段。</p>\n<table>\n<tr><td>甲</td><td>乙</td></tr>\n<tr><td>1</td><td>2</td></tr>\n</table>"
    doc = read(tmp_path, body)
    first = WORD_HEAD.count("\n") + 1
    assert [b.location.line for b in doc.blocks] == [first, first + 1, first + 3, first + 4]
    assert doc.blocks[1].location.section == ("一、概况",)


# --- tables ----------------------------------------------------------------------------------


MERGED = """
<table border=1>
 <tr><td rowspan=2>项目</td><td colspan=2>本年支出</td></tr>
 <tr><td>基本支出</td><td>项目支出</td></tr>
 <tr><td>合计</td><td>1.00</td><td>2.00</td></tr>
</table>
"""


def test_rowspan_and_colspan_make_one_cell_at_every_position(tmp_path):
    (table,) = read(tmp_path, MERGED).tables
    assert grid_texts(table) == [["项目", "本年支出", "本年支出"], ["项目", "基本支出", "项目支出"], ["合计", "1.00", "2.00"]]
    item, spent = table.grid[0][0], table.grid[0][1]
    assert table.grid[1][0] is item and (item.row, item.col, item.row_span, item.col_span) == (0, 0, 2, 1)
    assert table.grid[0][2] is spent and (spent.row_span, spent.col_span) == (1, 2)
    assert table.grid[1][1] is not table.grid[1][2]


def test_spans_that_overrun_or_overlap_are_laid_out_as_a_browser_does(tmp_path):
    body = """<table>
<tr><td rowspan=0>甲</td><td>乙</td><td rowspan=9>丙</td></tr>
<tr><td colspan=5>丁</td></tr>
<tr><td>戊</td><td colspan=x>己</td><td>庚</td></tr>
</table>"""
    (table,) = read(tmp_path, body).tables
    assert grid_texts(table) == [["甲", "乙", "丙", "", ""], ["甲", "丁", "丙", "", ""], ["甲", "戊", "丙", "己", "庚"]]
    assert table.grid[2][0] is table.grid[0][0] and table.grid[0][0].row_span == 3
    assert table.grid[2][2].row_span == 3  # as far as the table goes
    assert table.grid[1][1].col_span == 1  # stops where 丙 comes down


def test_characters_xml_forbids_are_dropped(tmp_path):
    # a control character or U+FFFF, raw or as a reference, in text before a <br> or in a class's
    # style: lxml refused them when the reader wrote that text back (ValueError, 内部错误)
    body = ("<style>p.x { font-weight: n\x06ormal; }</style>"
            "<p class=x>收入&#1;合计\ufffe<br>支出&#xB;合计&#12;1.00&#13;</p>")
    doc = read(tmp_path, body)
    assert not doc.problems and texts(doc) == [("P", "收入合计"), ("P", "支出合计 1.00")]


def test_a_page_of_only_a_table_too_big_to_build_says_so(tmp_path):
    # 1001 columns (colspan=1000 and one cell more): the table is skipped, and the page is not
    # reported as having no text at all
    body = "<table>" + "".join(f"<tr><td colspan=1000>{i}</td><td>1.00</td></tr>" for i in range(3)) + "</table>"
    assert only_fatal(read_document(str(write(tmp_path, body)))) == "表格过大（3 行 × 1001 列），已跳过"


def test_a_nested_table_is_flattened_into_its_cell(tmp_path):
    body = """<table>
<tr><td>项目</td><td>说明</td></tr>
<tr><td>绩效指标</td><td><p>如下：</p><table><tr><td>产出</td><td>数量</td></tr><tr><td>效益</td><td></td></tr></table></td></tr>
</table>"""
    (table,) = read(tmp_path, body).tables
    assert grid_texts(table) == [["项目", "说明"], ["绩效指标", "如下：\n产出 数量\n效益"]]


def test_a_table_that_lays_out_the_page_is_unwrapped(tmp_path):
    body = """
<table width="100%"><tr><td>
  <h1>一、部门概况</h1>
  <p>本部门负责全区的财政工作。</p>
  <table border=1><tr><td>项目</td><td>金额</td></tr><tr><td>合计</td><td>10.00</td></tr></table>
</td></tr></table>
<table><tr><td><p>编制单位：某某局</p></td><td><p>单位：万元</p></td></tr></table>
<table border=1><tr><td>收入</td><td>支出</td></tr><tr><td>1.00</td><td>1.00</td></tr></table>
<table>
 <tr><td>站点标志</td><td>首页</td></tr>
 <tr><td>栏目</td><td><h2>二、机构设置</h2><p>设三个科室。</p></td></tr>
</table>
<table>
 <tr><td>网站导航</td></tr>
 <tr><td><table><tr><td>科目</td></tr><tr><td>201</td></tr><tr><td>202</td></tr><tr><td>203</td></tr></table></td></tr>
</table>
"""
    doc = read(tmp_path, body)
    assert texts(doc) == [
        ("H1", "一、部门概况"), ("P", "本部门负责全区的财政工作。"), ("T", ""), ("T", ""),
        ("P", "站点标志"), ("P", "首页"), ("P", "栏目"), ("H2", "二、机构设置"), ("P", "设三个科室。"),
        ("P", "网站导航"), ("T", ""),
    ]
    inner, under_preamble, wrapped = doc.tables
    assert grid_texts(inner) == [["项目", "金额"], ["合计", "10.00"]]
    assert under_preamble.preamble == ("编制单位：某某局", "单位：万元")  # a one-row table of two cells
    assert grid_texts(wrapped) == [["科目"], ["201"], ["202"], ["203"]]  # the longer table inside a short one


def test_caption_preamble_and_note(tmp_path):
    grid = "<table border=1><tr><td>项目</td><td>金额</td></tr><tr><td>合计</td><td>1.00</td></tr></table>"
    body = f"""
<p class=MsoNormal align=center style='text-align:center'><span>部门收支总体情况</span></p>
<p class=MsoNormal>单位：万元</p>
{grid}
<p class=MsoNormal>注：本表反映部门全部收支。</p>
<table border=1><caption>部门支出明细</caption><tr><td>项目</td><td>金额</td></tr><tr><td>合计</td><td>1.00</td></tr></table>
<p class=MsoNormal><b>部门收入</b><span style='font-weight:700'>明细</span></p>
{grid}
<p class=MsoNormal><b>部门</b>收入情况</p>
{grid}
"""
    doc = read(tmp_path, body)
    centred, captioned, bold, plain = doc.tables
    assert (centred.caption, centred.preamble) == ("部门收支总体情况", ("单位：万元",))
    assert [n.text for n in centred.notes] == ["注：本表反映部门全部收支。"]
    assert captioned.caption == "部门支出明细"  # shown centred
    assert bold.caption == "部门收入明细"
    assert plain.caption == ""  # neither centred nor bold throughout nor saying 表: not a title
    assert ("P", "部门收入情况") in texts(doc)


def test_a_tables_own_title_row_is_its_caption_under_a_heading(tmp_path):
    """Excel's “save as web page” (or a paste from Excel) writes the table's title and unit as its
    first full-width rows: they are its caption and preamble even when a heading stands right above
    it, and the heading stays a heading."""
    body = """<h2>第二部分 2025年部门预算表</h2>
<table x:str><tr><td colspan=3 style='text-align:center;font-weight:bold'>表1 部门收支总表</td></tr>
<tr><td colspan=3 style='text-align:right'>单位：万元</td></tr>
<tr><td>项目</td><td>预算数</td><td>上年数</td></tr><tr><td>合计</td><td>1.00</td><td>2.00</td></tr></table>
<p align=center><b>表2 部门收入总表</b></p>
<table><tr><td colspan=2>表2 部门收入总表</td></tr><tr><td>项目</td><td>金额</td></tr><tr><td>合计</td><td>1.00</td></tr></table>"""
    doc = read(tmp_path, body)
    assert texts(doc) == [("H2", "第二部分 2025年部门预算表"), ("T", "表1 部门收支总表"), ("T", "表2 部门收入总表")]
    first, second = doc.tables
    assert first.preamble == ("单位：万元",)
    assert grid_texts(first) == [["项目", "预算数", "上年数"], ["合计", "1.00", "2.00"]]
    assert grid_texts(second) == [["项目", "金额"], ["合计", "1.00"]]  # the title written twice is one caption


def test_head_rows_are_header_rows(tmp_path):
    body = """<table>
<thead><tr><td>项目</td><td>金额</td></tr><tr><td>栏次</td><td>1</td></tr></thead>
<tbody><tr><td>合计</td><td>1.00</td></tr></tbody>
</table>
<table><tr><th>项目</th><th>金额</th></tr><tr><td>合计</td><td>1.00</td></tr></table>"""
    assert [t.header_rows for t in read(tmp_path, body).tables] == [2, 1]


def test_word_column_width_row_is_not_a_row(tmp_path):
    body = """<table class=MsoNormalTable>
 <tr><td><p class=MsoNormal>项目</p></td><td><p class=MsoNormal>金额</p></td></tr>
 <tr><td><p class=MsoNormal>合计</p></td><td><p class=MsoNormal>1.00</p></td></tr>
 <![if !supportMisalignedColumns]><tr height=0><td width=156 style='border:none'></td><td width=156 style='border:none'></td></tr><![endif]>
</table>"""
    (table,) = read(tmp_path, body).tables
    assert grid_texts(table) == [["项目", "金额"], ["合计", "1.00"]]


# --- encodings -------------------------------------------------------------------------------


def test_gbk_page_declaring_gb2312(tmp_path):
    doc = read(tmp_path, "<p>一、部门概况（含“三公”经费）</p>", charset="gb2312")
    assert texts(doc) == [("H2", "一、部门概况（含“三公”经费）")] and doc.problems == ()


def test_gbk_characters_outside_gb2312_are_read(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes('<html><head><meta charset="gb2312"></head><body><p>镕</p></body></html>'.encode("gbk"))
    doc = read_document(str(path))
    assert texts(doc) == [("P", "镕")] and doc.problems == ()


def test_undeclared_gbk_is_read_as_gb18030_with_a_note(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes("<html><body><p>部门预算</p></body></html>".encode("gbk"))
    doc = read_document(str(path))
    assert texts(doc) == [("P", "部门预算")]
    (note,) = doc.problems
    assert not note.fatal and "GB18030" in note.message


def test_an_encoding_note_is_information_not_partial_reading(tmp_path):
    """A GBK page without a charset (as old CMSs write them), or a GBK .txt, is read in full: the
    note on its encoding does not count the file as 只能部分读取. A page cut off does."""
    (tmp_path / "page.html").write_bytes("<html><body><p>部门预算</p></body></html>".encode("gbk"))
    (tmp_path / "text.txt").write_bytes("一、部门概况\n部门预算。\n".encode("gbk"))
    for name in ("page.html", "text.txt"):
        (note,) = read_document(str(tmp_path / name)).problems
        assert note.info and not note.fatal and not note.unread
    report = lint_paths([str(tmp_path)], load_rules())
    assert len(report.problems) == 2 and all(p.info for p in report.problems)
    assert "部分读取" not in summary(report)
    (tmp_path / "cut.html").write_bytes("<html><body><p>部门预算</p><p>收支</p>".encode()[:-5])  # cut in 支
    assert "1 个文件只能部分读取" in summary(lint_paths([str(tmp_path)], load_rules()))


def test_a_declared_charset_the_bytes_do_not_fit(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes('<html><head><meta charset="utf-8"></head><body><p>部门预算</p></body></html>'.encode("gbk"))
    doc = read_document(str(path))
    assert texts(doc) == [("P", "部门预算")]
    (note,) = doc.problems
    assert not note.fatal and "“utf-8”与内容不符" in note.message and "GB18030" in note.message
    path.write_bytes('<html><head><meta charset="iso-8859-1"></head><body><p>部门预算</p></body></html>'.encode("utf-8"))
    doc = read_document(str(path))
    assert texts(doc) == [("P", "部门预算")] and "与内容不符" in doc.problems[0].message
    path.write_bytes('<html><head><meta charset="base64"></head><body><p>部门预算</p></body></html>'.encode("utf-8"))
    doc = read_document(str(path))
    assert texts(doc) == [("P", "部门预算")] and "无法识别" in doc.problems[0].message


def test_byte_order_marks_and_xml_declarations(tmp_path):
    page = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><body><p>部门预算</p></body></html>'
    for data in (page.encode("utf-8"), b"\xef\xbb\xbf" + page.encode("utf-8"), page.encode("utf-16")):
        path = tmp_path / "page.xhtml"
        path.write_bytes(data)
        doc = read_document(str(path))
        assert doc.format == "html" and texts(doc) == [("P", "部门预算")] and doc.problems == (), data[:8]


# --- what is not a readable page -------------------------------------------------------------


def test_pages_that_cannot_be_read_give_one_fatal_problem(tmp_path):
    cases = {
        "empty.html": b"",
        "binary.html": bytes(range(256)) * 4,
        "no-text.html": b"<html><head><title>\xe6\xa0\x87\xe9\xa2\x98</title></head><body><p> </p><script>x()</script></body></html>",
        "images.html": b"<html><body><p><img src='page1.png'></p></body></html>",
        "bad-bytes.html": b"<html><body><p>\x81\x30</p></body></html>" + b"\xff" * 10,
    }
    messages = {}
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        messages[name] = only_fatal(html_reader.read_html(str(path)))
        assert read_document(str(path)).problems[0].fatal
    assert "为空" in messages["empty.html"]
    assert messages["no-text.html"] == html_reader.MSG_NO_TEXT
    assert messages["images.html"] == html_reader.MSG_ONLY_IMAGES
    assert "编码" in messages["bad-bytes.html"]


def test_a_page_without_its_article_is_one_input_error(tmp_path):
    """A site's page whose article was loaded by script, sits in an iframe, or never came (an error
    page): what is left (menu, title, footer) is not a document to check for missing sections."""
    site = ('<html><head><title>青石镇人民政府2025年部门预算_云岭县人民政府</title></head><body>'
            '<div class="nav"><a href="/">首页</a> <a href="/xxgk/">信息公开</a></div>'
            '<h1>青石镇人民政府2025年部门预算</h1><div class="content">{content}</div>'
            '<div class="footer">主办：云岭县人民政府办公室</div></body></html>')
    cases = {
        "script.html": site.format(content=""),
        "frame.html": site.format(content='<iframe src="/u/cms/2025/qsz.html" width="100%"></iframe>'),
        "404.html": "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center>"
                    "<hr><center>nginx</center></body></html>",
    }
    messages = {}
    for name, page in cases.items():
        path = tmp_path / name
        path.write_text(page, encoding="utf-8")
        messages[name] = only_fatal(read_document(str(path)))
    assert messages["script.html"] == html_reader.MSG_NO_ARTICLE
    assert messages["frame.html"] == html_reader.MSG_IN_FRAME.format(src="/u/cms/2025/qsz.html")
    assert messages["404.html"] == html_reader.MSG_ERROR_PAGE.format(title="404 Not Found")
    path = tmp_path / "article.html"  # the article there, a frame beside it (a video, a share box)
    path.write_text(site.format(content='<p>本部门负责全镇的财政工作。</p><iframe src="/v.html"></iframe>'), encoding="utf-8")
    assert texts(read_document(str(path))) == [("H1", "青石镇人民政府2025年部门预算"), ("P", "本部门负责全镇的财政工作。")]


def test_broken_markup_is_read_leniently(tmp_path):
    path = tmp_path / "broken.html"
    path.write_bytes("<html><body><p>一、概况<p>正文<table><tr><td>项目<td>金额<tr><td>合计<td>1.00</table><div><b>未闭合".encode())
    doc = read_document(str(path))
    assert texts(doc) == [("H2", "一、概况"), ("P", "正文"), ("T", ""), ("P", "未闭合")]
    assert grid_texts(doc.tables[0]) == [["项目", "金额"], ["合计", "1.00"]]
    path.write_bytes(b"<html><body><p>\xe6\xad\xa3\xe6\x96\x87</p>" + b"<div>" * 20000 + b"x" + b"</div>" * 20000)
    doc = read_document(str(path))
    assert texts(doc) == [("P", "正文")] and doc.problems[0].message == html_reader.MSG_TOO_DEEP
    path.write_bytes(b"<html><body>" + b"<div>" * 20000 + b"x" + b"</div>" * 20000)
    assert only_fatal(read_document(str(path))) == html_reader.MSG_TOO_DEEP


def test_doctype_entities_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密")
    path = tmp_path / "entities.html"
    path.write_text(
        f'<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        f'<!ENTITY file SYSTEM "file://{secret}">]><html><body><p>&b;&file;正文</p></body></html>',
        encoding="utf-8",
    )
    doc = read_document(str(path))
    assert doc.readable and "机密" not in str(doc.blocks) and "aaaaaaaaaa" not in str(doc.blocks)


def test_an_oversized_page_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(html_reader, "MAX_TEXT_BYTES", 1000)
    path = write(tmp_path, "<p>部门预算</p>" * 100)
    assert "文件过大" in only_fatal(read_document(str(path)))


# --- dispatch, archives, directory scans ----------------------------------------------------


def test_pages_are_told_from_text_by_their_content(tmp_path):
    assert sniff(b"\xef\xbb\xbf \r\n<!DOCTYPE html>\n<html>") == "html"
    assert sniff(b"<HTML><BODY>") == "html"
    assert sniff(b"\n\n  <table border=1><tr><td>") == "html"
    assert sniff("<html><body>".encode("utf-16")) == "html"
    assert sniff("一、概况\n<p>正文</p>".encode()) == "text"
    assert sniff(b"<note>not a page</note>") == "text"
    path = tmp_path / "page.txt"
    path.write_bytes(b"<html><body><p>x</p></body></html>")
    doc = read_document(str(path))
    assert doc.format == "html" and "扩展名与内容不符" in doc.problems[0].message


def test_a_json_api_response_saved_as_a_page_is_one_input_error(tmp_path):
    """A site that loads its article by script serves it from an API: saving that address gives
    JSON, not a page (its HTML inside a string)."""
    assert sniff(b'\n {"code":200,"data":{"content":"<p>x</p>"}}') == "json"
    assert sniff(b'[{"title": "x"}]') == "json" and sniff(b"[1] \xe5\x89\x8d\xe8\xa8\x80") == "text"
    path = tmp_path / "page.html"
    path.write_text('{"code": 200, "data": {"title": "部门预算", "content": "<p>一、部门职责</p>"}}', encoding="utf-8")
    assert "JSON" in only_fatal(read_document(str(path)))


def archive(page: str, charset: str) -> bytes:
    """A single-file web archive as Word saves one: the page quoted-printable, an image beside it."""
    message = email.mime.multipart.MIMEMultipart("related")
    message.attach(email.mime.text.MIMEText(page, "html", charset))
    message.attach(email.mime.image.MIMEImage(b"\x89PNG\r\n\x1a\n" + bytes(64), "png"))
    return message.as_bytes()


def test_a_web_archive_is_read_through_its_page(tmp_path):
    page = "<html><body><h1>一、部门概况</h1><p>收支情况如下。</p><table><tr><td>项目</td><td>金额</td></tr><tr><td>合计</td><td>1.00</td></tr></table></body></html>"
    path = tmp_path / "page.mht"
    path.write_bytes(archive(page, "gb2312"))
    assert sniff(path.read_bytes()[:4096]) == "html"
    doc = read_document(str(path))
    assert texts(doc) == [("H1", "一、部门概况"), ("P", "收支情况如下。"), ("T", "")] and doc.problems == ()
    path.write_bytes(email.mime.multipart.MIMEMultipart("related").as_bytes())
    assert "text/html" in only_fatal(read_document(str(path)))


def test_a_truncated_web_archive_is_read_up_to_where_it_stops(tmp_path):
    """A .mht cut off (a download that stopped): its page's last character is cut in the middle,
    in quoted-printable (=E6=94=B). What is there is read, with a note that the rest is missing."""
    page = "<html><body><h1>一、部门概况</h1><p>收支情况如下。</p><p>农村综合改革支出</p></body></html>"
    body = quopri.encodestring(page.encode("utf-8")).decode("ascii")
    head = ("From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n"
            "\tboundary=\"----B\"\r\n\r\n\r\n------B\r\nContent-Type: text/html\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n\r\n")
    path = tmp_path / "page.mht"
    path.write_bytes((head + body[: body.rindex("=E6=94=AF") + 8]).encode("ascii"))  # in 支: =E6=94=A
    doc = read_document(str(path))
    assert texts(doc) == [("H1", "一、部门概况"), ("P", "收支情况如下。"), ("P", "农村综合改革")]
    (note,) = doc.problems
    assert note.message == html_reader.MSG_CUT and not note.fatal


def test_directory_scans_take_pages_but_not_their_folders(tmp_path):
    (tmp_path / "预算.htm").write_text("<html></html>")
    (tmp_path / "预算.files").mkdir()
    (tmp_path / "预算.files" / "header.htm").write_text("<html></html>")
    (tmp_path / "决算.html").write_text("<html></html>")
    (tmp_path / "决算_files").mkdir()
    (tmp_path / "决算_files" / "frame.html").write_text("<html></html>")
    (tmp_path / "other_files").mkdir()
    (tmp_path / "other_files" / "归档.mht").write_text("MIME-Version: 1.0")
    found = [Path(p).relative_to(tmp_path).as_posix() for p in collect_paths([str(tmp_path)])]
    assert found == ["other_files/归档.mht", "决算.html", "预算.htm"]


# --- a corpus document saved as HTML by LibreOffice ------------------------------------------


@pytest.fixture(scope="module")
def saved_page():
    return read_document(str(FIX / "html" / f"{CORPUS_DOC}.html")), read_document(str(FIX / "docx" / f"{CORPUS_DOC}.docx"))


def test_libreoffice_page_has_the_tables_of_its_docx(saved_page):
    page, word = saved_page
    assert page.format == "html" and page.problems == ()
    assert [(t.caption, t.preamble, t.header_rows) for t in page.tables] == [(t.caption, t.preamble, t.header_rows) for t in word.tables]
    for mine, theirs in zip(page.tables, word.tables):
        assert grid_texts(mine) == grid_texts(theirs), mine.caption
    assert [(type(b), _bare(b.text)) for b in page.blocks if not isinstance(b, Table)] == [
        (type(b), _bare(b.text)) for b in word.blocks if not isinstance(b, Table)
    ]


def test_libreoffice_page_gives_the_findings_of_its_docx(saved_page):
    rules = load_rules()

    def findings(doc):
        return sorted((f.rule_id, f.severity.value, _bare(f.message)) for f in check_document(doc, rules))

    page, word = saved_page
    assert findings(page) and findings(page) == findings(word)


SITE_TOP = """<div class="top"><ul class="nav"><li><a href="/">网站首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul></div>
<table class="xxgk"><tr><td>索引号：</td><td>11310107002472231N/2024-00012</td><td>主题分类：</td><td>财政</td></tr>
<tr><td>发布机构：</td><td>上海市普陀区社会福利院</td><td>生成日期：</td><td>2024-02-06</td></tr></table>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; <a href="/czyjs/">财政预决算</a></div>
<div class="article"><h1>上海市普陀区社会福利院2024年单位预算</h1><div class="info">来源：本站　发布时间：2024-02-06</div>
<div class="content">"""
SITE_BOTTOM = """</div>
<p>上一篇：<a href="/xxgk/2023js.html">上海市普陀区社会福利院2023年单位决算</a></p>
<div class="related"><h3>相关链接</h3><ul><li><a href="/xxgk/2023ys.html">上海市普陀区社会福利院2023年单位预算</a></li></ul></div>
<p>【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</p></div>
<footer><p>主办单位：上海市普陀区人民政府办公室　沪ICP备05003342号</p></footer>"""


def test_a_site_page_around_the_document_adds_no_findings(tmp_path, saved_page):
    """A disclosure published on a government site: its menu, breadcrumb, 上一篇 and 相关链接 (titles
    of other years' 预算 and 决算) and footer are not the document's text."""
    source = (FIX / "html" / f"{CORPUS_DOC}.html").read_text(encoding="utf-8")
    body = re.search(r"<body[^>]*>(.*)</body>", source, re.S)
    path = tmp_path / "page.html"
    path.write_text(source.replace(body.group(0), f"<body>{SITE_TOP}{body.group(1)}{SITE_BOTTOM}</body>"), encoding="utf-8")
    site = read_document(str(path))
    text = "".join(b.text for b in site.blocks if not isinstance(b, Table))
    for chrome in ("网站首页", "当前位置", "索引号", "发布机构", "2023年单位决算", "2023年单位预算", "打印本页", "ICP"):
        assert chrome not in text
    assert site.headings[0].text == "上海市普陀区社会福利院2024年单位预算"
    rules = load_rules()

    def findings(doc):
        return sorted((f.rule_id, f.severity.value, _bare(f.message)) for f in check_document(doc, rules))

    assert findings(site) == findings(saved_page[0])


OLD_CMS_PAGE = """<html><head><meta charset="utf-8"></head><body>
<table width=1000><tr><td><img src="/images/banner.jpg" width=1000 height=120></td></tr>
<tr><td><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/xxgk/">信息公开</a> | <a href="/hdjl/">互动交流</a></td></tr></table>
<table width=1000><tr><td>您现在的位置：首页 &gt; 信息公开 &gt; 财政预决算</td></tr></table>
<table width=1000><tr><td>
<p align=center><font size=5><b>青石镇人民政府2025年部门预算</b></font></p>
<p align=center>发布时间：2025-02-10 &nbsp;来源：青石镇 &nbsp;【字号：大 中 小】</p>
<div>发布时间：2025-02-10 10:32 来源：青石镇 阅读：356</div>
<p><strong>目录</strong></p>
<table><tr><td><a href="/a/p1.html">第一部分 部门概况</a></td></tr><tr><td><a href="/a/p2.html">第二部分 部门预算表</a></td></tr></table>
<p><strong>一、主要职责</strong></p><p>负责全镇经济社会发展，详见<a href="/a/zz.html">本镇职责</a>。</p>
<table border=1><tr><td>项目</td><td>金额</td></tr><tr><td><a href="/a/x.html">一般公共服务支出</a></td><td>1.00</td></tr></table>
<p align=right>【打印本页】【关闭窗口】</p>
</td></tr></table>
<table width=1000><tr><td>相关文章：</td></tr>
<tr><td><a href="/a/1.html">青石镇人民政府2024年部门决算</a></td><td>2024-09-10</td></tr>
<tr><td><a href="/a/3.html">云岭县财政局2025年部门预算</a></td><td>2025-02-08</td></tr></table>
<table width=1000><tr><td align=center>版权所有：云岭县人民政府<br>网站标识码：5300000001 &nbsp; 滇ICP备05001234号<br>政府网站找错</td></tr></table>
</body></html>"""


def test_an_old_site_laid_out_in_tables_keeps_only_the_document(tmp_path):
    """An old CMS lays the page out in tables, without class names: its menu bar, a table of
    相关文章 (titles of other documents and their dates), the breadcrumb, 字号 and 打印本页 lines
    and the licence footer, links or plain text, are not the document's. A 目录 of links to the
    document's own parts stays, and so does a data table's linked item."""
    path = tmp_path / "page.html"
    path.write_text(OLD_CMS_PAGE, encoding="utf-8")
    doc = read_document(str(path))
    assert texts(doc) == [
        ("P", "青石镇人民政府2025年部门预算"), ("T", "目录"),
        ("H2", "一、主要职责"), ("P", "负责全镇经济社会发展，详见本镇职责。"), ("T", ""),
    ]
    toc, data = doc.tables
    assert grid_texts(toc) == [["第一部分 部门概况"], ["第二部分 部门预算表"]]
    assert grid_texts(data) == [["项目", "金额"], ["一般公共服务支出", "1.00"]]
    toc_table = re.search(r"<table><tr><td><a href=\"/a/p1.*?</table>", OLD_CMS_PAGE).group(0)
    toc_list = '<ul><li><a href="/a/p1.html">第一部分 部门概况</a></li><li><a href="/a/p2.html">第二部分 部门预算表</a></li></ul>'
    path.write_text(OLD_CMS_PAGE.replace(toc_table, toc_list), encoding="utf-8")
    assert [text for _, text in texts(read_document(str(path)))[1:4]] == ["目录", "第一部分 部门概况", "第二部分 部门预算表"]


def test_links_inside_the_document_stay(tmp_path):
    page = WORD_HEAD + """<p><a href="#_Toc1">一、部门主要职能</a></p>
<p>详见附件，或登录<a href="http://www.example.gov.cn/">区政府网站</a>查询本部门2024年预算的全部内容。</p>""" + WORD_TAIL
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    texts = [b.text for b in read_document(str(path)).blocks]
    assert texts[0].endswith("一、部门主要职能") and any("区政府网站查询" in t for t in texts)


def test_styles_given_by_class_count_as_the_elements_own(tmp_path):
    """Word and CMS pages often style by class in the page's <style>: a centred title, an outline
    level, a hidden block. The element's own style attribute still wins."""
    grid = "<table border=1><tr><td>项目</td><td>金额</td></tr><tr><td>合计</td><td>1.00</td></tr></table>"
    head = """<style><!--
/* Word's sheet */
p.a3, li.a3 {text-align:center; font-size:16pt}
.level2 {mso-outline-level:2}
div.gone {display:none}
@page WordSection1 {size:595.3pt 841.9pt;}
--></style>"""
    body = f"""{head}
<p class=MsoNormal>负责全区的财政工作</p>
<p class="level2">名词解释</p>
<div class=gone><p>隐藏的说明</p></div>
<p class="x gone">不是 div，照常显示</p>
<p class=a3>部门收支总体情况</p>
{grid}
<p class=a3 style="text-align:left">部门收入情况</p>
{grid}
"""
    doc = read(tmp_path, body)
    assert texts(doc)[:3] == [("P", "负责全区的财政工作"), ("H2", "名词解释"), ("P", "不是 div，照常显示")]
    centred, own_style_wins = doc.tables
    assert centred.caption == "部门收支总体情况"
    assert own_style_wins.caption == ""


def test_large_images_are_reported_as_content_not_read(tmp_path):
    """A table published on a page as a screenshot cannot be checked; a logo or an icon is no table."""
    page = WORD_HEAD + """<p>一、部门收入总表</p>
<p><img width=620 height=400 src="image001.png"></p>
<p><img src="seal.png" width="120" height="120"></p>
<p>二、部门支出总表</p>
<p><img src="t2.png" style="width:16cm;height:9cm"></p>
<p><img src="unknown-size.png"></p>""" + WORD_TAIL
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    (problem,) = read_document(str(path)).problems
    assert problem.unread and problem.message.startswith("文件中有2张较大的图片") and "“一、部门收入总表”" in problem.message


def test_banners_charts_and_bad_sizes_are_no_table_pictures(tmp_path):
    """A banner (a link, and far wider than high), an organisation chart (under no table's title)
    and an image whose declared size does not parse are not reported as tables not read."""
    page = WORD_HEAD + """<div class="header"><a href="/"><img width=1000 height=150 src="banner.png"></a></div>
<p>本部门设5个内设机构，组织架构图如下：</p><p><img width=700 height=600 src="org.png"></p>
<p><img style="width:1.2.3px;height:500px" src="bad.png"></p>
<p>一、部门职责</p>""" + WORD_TAIL
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(str(path))
    assert doc.problems == () and doc.blocks


def test_an_element_named_like_furniture_that_holds_the_document_stays(tmp_path):
    page = WORD_HEAD + """<div class="article share-box"><h1>某某局2025年部门预算</h1>
<p>一、部门职责</p><p>负责全局工作。</p><p>二、机构设置</p><p>本部门设3个科室，具体职责分工如下：办公室负责日常事务。</p></div>
<div class="share-box"><a href="https://weibo.com/share">分享到微博</a> 打印</div>""" + WORD_TAIL
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    texts = [b.text for b in read_document(str(path)).blocks]
    assert texts[:2] == ["某某局2025年部门预算", "一、部门职责"] and not any("分享" in t for t in texts)


EXCEL_PAGE = """<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"
xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>
<body><table border=1>
<tr><td colspan=3 align=center>2025年某县第一中学一般公共预算支出预算表</td></tr>
<tr><td colspan=2>编制单位：某县第一中学</td><td>单位：万元</td></tr>
<tr><td>科目编码</td><td>科目名称</td><td>合计</td></tr>
<tr><td>205</td><td>教育支出</td><td>2,420.00</td></tr>
<tr><td></td><td>合计</td><td>2,420.00</td></tr>
</table></body></html>
"""


def test_a_workbook_saved_as_a_web_page_under_xls(tmp_path):
    # Excel's "save as web page" keeps the name .xls, and budget systems export so: read whole, no
    # note about the name; the table titled in its first row gives the document's year and kind
    from openlint.understand.kind import detect_kind

    path = tmp_path / "一般公共预算支出表.xls"
    path.write_bytes(EXCEL_PAGE.encode("gb2312"))
    doc = read_document(str(path))
    assert doc.format == "html" and not doc.problems
    (table,) = doc.tables
    assert table.caption == "2025年某县第一中学一般公共预算支出预算表"
    kind = detect_kind(doc)
    assert (kind.year, kind.kind) == (2025, "预算")
