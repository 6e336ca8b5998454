"""The Excel readers (.xlsx through openpyxl, .xls through xlrd) and their dispatch."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from openlint.cli import main
from openlint.model import Heading, Paragraph, Table
from openlint.read import read_document
from openlint.read.xlsx import format_number, read_xls, read_xlsx
from openlint.understand.catalog import load_catalog

FIX = Path(__file__).parent / "fixtures" / "xlsx"
DEPT = FIX / "shanghai-putuo-template-2026-dept-budget-XX.xlsx"
UNIT_XLSX = FIX / "shanghai-putuo-template-2026-unit-budget-XX.xlsx"
UNIT_XLS = FIX / "shanghai-putuo-template-2026-unit-budget-XX.xls"


@pytest.fixture(scope="module")
def dept():
    return read_xlsx(str(DEPT))


def table(doc, caption: str) -> Table:
    (t,) = [t for t in doc.tables if t.caption == caption]
    return t


# --- the district's templates ----------------------------------------------------------------


def test_sheets_become_headed_parts(dept):
    assert dept.readable and dept.format == "xlsx" and not dept.problems
    assert [h.text for h in dept.headings if h.level == 1] == [
        "上海市普陀区2026年区级部门预算",
        "目录",
        "XX（部门）主要职能",
        "XX（部门）机构设置",
        "名词解释",
        "2026年部门预算编制说明",
        "2026年部门财务收支预算总表",
        "2026年部门收入预算总表",
        "2026年部门支出预算总表",
        "2026年部门财政拨款收支预算总表",
        "2026年部门一般公共预算支出功能分类预算表",
        "2026年部门政府性基金预算支出功能分类预算表",
        "2026年部门国有资本经营预算支出功能分类预算表",
        "2026年部门一般公共预算基本支出部门预算经济分类预算表",
        "2026年部门“三公”经费和机关运行经费预算表",
        "其他相关情况说明",
        "XX项目经费情况说明",
    ]
    other = next(s for s in dept.sections if s.title == "其他相关情况说明")
    assert [c.title for c in other.children][:3] == [
        "一、2026年“三公”经费预算情况说明",
        "二、机关运行经费预算",
        "三、政府采购预算情况",
    ]
    # the 目录's entries are paragraphs, not the parts' headings; dot leaders dropped
    toc = next(s for s in dept.sections if s.title == "目录")
    assert not toc.children and toc.blocks[0].text == "一、部门主要职能"


def test_narrative_lines_keep_their_excel_row(dept):
    para = next(p for p in dept.paragraphs if p.text.startswith("XX部门预算是包括"))
    assert para.location.line == 3 and para.location.section == ("XX（部门）机构设置",)
    cover = next(p for p in dept.paragraphs if p.text.startswith("预算主管部门"))
    assert cover.location.line == 9


def test_every_block_names_its_worksheet(dept):
    sheets = {b.location.sheet for b in dept.blocks}
    assert None not in sheets and "其他相关情况说明" in sheets and len(sheets) == 17
    para = next(p for p in dept.paragraphs if p.text.startswith("XX部门预算是包括"))
    assert para.location.describe() == "工作表“部门机构设置”第3行 › XX（部门）机构设置"
    heading = next(h for h in dept.headings if h.text == "其他相关情况说明")
    assert heading.location.describe() == "工作表“其他相关情况说明”第1行"  # not named twice


def test_findings_point_at_their_worksheet():
    result = CliRunner().invoke(main, ["check", "--format", "json", str(DEPT)], catch_exceptions=False)
    findings = json.loads(result.output)["findings"]
    assert findings and all(f["location"].get("sheet") for f in findings)
    result = CliRunner().invoke(main, ["check", str(DEPT)], catch_exceptions=False)
    assert "工作表“其他相关情况说明”第3行" in result.output


def test_tables_are_the_catalogued_kinds(dept):
    catalog = load_catalog()
    kinds = [catalog.classify(t.caption).id for t in dept.tables]
    assert kinds[:4] == ["收支总表", "收入表", "支出表", "财政拨款收支总表"]
    assert len(kinds) == 9 and "三公经费支出表" in kinds
    for t in dept.tables:
        assert "单位：元" in t.preamble or "单位:万元" in t.preamble
        assert t.location.section == (t.caption,)


def test_merged_header_cells_are_shared(dept):
    t = table(dept, "2026年部门收入预算总表")
    assert t.location.line == 2 and t.n_cols == 9  # not the sheet's trailing empty columns
    assert t.row_lines[0] == 6 and t.line_of(t.n_rows - 1) == 20  # the title in row 2, the grid from row 6
    assert t.header_rows == 3
    assert t.grid[0][0] is t.grid[0][3] and t.grid[0][0].text == "项目"
    assert t.grid[1][3] is t.grid[2][3] and t.grid[1][3].row_span == 2
    assert t.row_texts(2)[:3] == ("类", "款", "项")
    assert t.row_texts(3)[:4] == ("205", "", "", "教育支出")  # a number in General format
    assert t.row_texts(t.n_rows - 1)[0] == "合计"
    wide = table(dept, "2026年部门财务收支预算总表")
    assert wide.n_cols == 4 and wide.header_rows == 2  # max_column is 253 on that sheet


def test_xls_and_xlsx_templates_read_alike():
    a, b = read_xlsx(str(UNIT_XLSX)), read_xls(str(UNIT_XLS))
    assert b.readable and b.format == "xls" and not b.problems
    assert [h.text for h in a.headings] == [h.text for h in b.headings]
    assert len(a.tables) == len(b.tables) == 9
    for x, y in zip(a.tables, b.tables):
        assert (x.caption, x.preamble, x.header_rows) == (y.caption, y.preamble, y.header_rows)
        assert [x.row_texts(r) for r in range(x.n_rows)] == [y.row_texts(r) for r in range(y.n_rows)]
    t = table(b, "2026年预算单位财务收支预算总表")
    assert t.header_rows == 4 and t.grid[1][0] is t.grid[3][0]


def test_dispatch_by_content():
    assert read_document(str(DEPT)).format == "xlsx"
    assert read_document(str(UNIT_XLS)).format == "xls"


def test_import_stays_cheap():
    code = "import sys, openlint.read, openlint.read.xlsx; print('openpyxl' in sys.modules, 'xlrd' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_check_reports_template_leftovers():
    result = CliRunner().invoke(main, ["check", "--format", "json", str(DEPT)], catch_exceptions=False)
    assert result.exit_code == 1 and "内部错误" not in result.output
    rules = {f["rule_id"] for f in json.loads(result.output)["findings"]}
    assert "TXT-006" in rules
    # every part is found and the (empty) tables are read whole: no section or table reported
    # missing, no sum or cross-table check failing because of how the sheets were read
    assert not {r for r in rules if r.startswith(("SEC-", "TBL-", "ARI-", "CON-", "CLS-", "META-"))}


# --- number display --------------------------------------------------------------------------


ACCOUNTING = '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ '


@pytest.mark.parametrize(
    "value, fmt, shown",
    [
        (1234.5, "#,##0.00", "1,234.50"),
        (1234.5, "#,##0", "1,235"),
        (1234, "#,##0_ ", "1,234"),
        (0, "#,##0.00", "0.00"),
        (0, ACCOUNTING, "-"),
        (-1234.567, ACCOUNTING, "-1,234.57"),
        (0, "#,###", ""),
        (-3, r"0.00_);[Red]\(0.00\)", "(3.00)"),
        (2.675, "0.00", "2.68"),  # Excel rounds the decimal it shows, half away from zero
        (0.125, "0.0%", "12.5%"),
        (1234567, "#,##0,", "1,235"),
        (1.5, "0.0#", "1.5"),
        (205.0, "General", "205"),
        (0.1, "General", "0.1"),
        (3, '"第"0"名"', "第3名"),
        (1, "00", "01"),  # zero-padded: a 款 or 项 stored as a number
        (5, "000", "005"),
        (2010101, "0000000", "2010101"),
        (1234, "00000.0", "01234.0"),
        (0, "00", "00"),
    ],
)
def test_number_formats(value, fmt, shown):
    assert format_number(value, fmt) == shown


# --- small workbooks -------------------------------------------------------------------------


def save(wb: openpyxl.Workbook, tmp_path: Path, name: str = "t.xlsx") -> str:
    path = tmp_path / name
    wb.save(path)
    return str(path)


def budget_sheet(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws.title = "收入总表"
    ws["A1"] = "2026年部门收入预算总表"
    ws.merge_cells("A1:D1")
    ws["A2"], ws["D2"] = "编制部门：某某局", "单位：万元"
    ws["A3"], ws["C3"] = "项目", "收入预算"
    ws.merge_cells("A3:B3")
    ws.merge_cells("C3:D3")
    ws.append(["科目编码", "科目名称", "合计", "财政拨款收入"])
    ws.append([205, "教育支出", 1234.5, 1234.5])
    ws.append([None, "合计", 1234.5, 0])
    for row in ws.iter_rows(min_row=5, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = "#,##0.00"
    ws["A8"] = "注：本表无政府性基金收入。"
    ws["A9"] = "数据截至2026年1月。"
    ws.cell(row=2, column=200).number_format = "0.00"  # a formatted but empty far column


def test_built_table_sheet(tmp_path):
    wb = openpyxl.Workbook()
    budget_sheet(wb)
    doc = read_xlsx(save(wb, tmp_path))
    (t,) = doc.tables
    assert t.caption == "2026年部门收入预算总表" and t.preamble == ("编制部门：某某局", "单位：万元")
    assert t.n_cols == 4 and t.n_rows == 4 and t.header_rows == 2
    assert t.row_texts(2) == ("205", "教育支出", "1,234.50", "1,234.50")
    assert t.row_texts(3) == ("", "合计", "1,234.50", "0.00")
    assert [n.text for n in t.notes] == ["注：本表无政府性基金收入。", "数据截至2026年1月。"]
    assert all(isinstance(b, Paragraph) and b.is_note for b in doc.blocks[-2:])
    assert doc.blocks[-1].location.line == 9


def test_title_and_unit_on_one_row(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年部门收入预算总表", None, "单位：万元"])
    ws.append(["项目", "合计", "财政拨款收入"])
    ws.append(["教育支出", 10, 10])
    doc = read_xlsx(save(wb, tmp_path))
    (t,) = doc.tables
    assert (t.caption, t.preamble, t.n_rows) == ("2026年部门收入预算总表", ("单位：万元",), 2)
    assert doc.headings[0].text == t.caption


def test_formula_cached_value_or_blank(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "收入", "支出"
    ws["A2"], ws["B2"] = "=1+1", "=2+2"
    ws["A2"].number_format = "0.00"
    path = save(wb, tmp_path)
    # openpyxl writes no cached values; give A2 the one Excel would have stored
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb"(<c r=\"A2\"[^>]*><f>1\+1</f>)(<v\s*/>|<v></v>)?", rb"\1<v>2</v>", parts[sheet])
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    doc = read_xlsx(path)
    (t,) = doc.tables
    # B2 was never computed (A2 was): worked out as Excel would, and the user is told
    assert t.row_texts(1) == ("2.00", "4")
    (problem,) = doc.problems
    assert problem.message.startswith("有 1 个公式单元格没有保存计算结果") and not problem.fatal


def test_merged_cells_dates_and_booleans(tmp_path):
    import datetime

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目", "金额", None])
    ws.merge_cells("B1:C1")
    ws.append(["日期", datetime.date(2026, 1, 31), True])
    (t,) = read_xlsx(save(wb, tmp_path)).tables
    assert t.grid[0][1] is t.grid[0][2] and t.grid[0][1].col_span == 2
    assert t.row_texts(1) == ("日期", "2026-01-31", "TRUE")


def test_empty_and_text_only_sheets(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "空表"
    ws = wb.create_sheet("说明")
    ws["A1"] = "其他相关情况说明"
    ws["A3"] = "一、机关运行经费预算\n本部门机关运行经费预算为12.00万元。"
    hidden = wb.create_sheet("隐藏")
    hidden["A1"] = "不应读取"
    hidden.sheet_state = "hidden"
    doc = read_xlsx(save(wb, tmp_path))
    assert doc.readable and not doc.tables
    assert [(type(b).__name__, b.text) for b in doc.blocks] == [
        ("Heading", "其他相关情况说明"),
        ("Heading", "一、机关运行经费预算"),
        ("Paragraph", "本部门机关运行经费预算为12.00万元。"),
    ]
    assert isinstance(doc.blocks[1], Heading) and doc.blocks[1].level == 2


def test_sheet_without_title_is_headed_by_its_name(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "部门职能"
    wb.active["A1"] = "本部门主要职能是负责全区的某某工作，并承担上级交办的其他事项。"
    doc = read_xlsx(save(wb, tmp_path))
    assert doc.blocks[0] == Heading("部门职能", 1, doc.blocks[0].location)


def test_no_text_at_all(tmp_path):
    doc = read_xlsx(save(openpyxl.Workbook(), tmp_path))
    assert not doc.readable and [p.message for p in doc.problems] == ["工作簿中没有任何文字内容"]


def test_huge_sheet_hits_the_table_limit(tmp_path, monkeypatch):
    import openlint.read.text as text

    monkeypatch.setattr(text, "MAX_TABLE_COLS", 10)
    wb = openpyxl.Workbook()
    for r in range(3):
        wb.active.append([f"c{c}" for c in range(20)])
    doc = read_xlsx(save(wb, tmp_path))
    assert doc.readable and not doc.tables
    assert any("表格过大" in p.message for p in doc.problems)


# --- bad inputs ------------------------------------------------------------------------------


def only_fatal(doc) -> str:
    (problem,) = doc.problems
    assert problem.fatal
    return problem.message


def test_truncated_workbooks(tmp_path):
    for src in (DEPT, UNIT_XLS):
        path = tmp_path / src.name
        path.write_bytes(src.read_bytes()[: src.stat().st_size // 2])
        assert "损坏" in only_fatal(read_document(str(path)))
    # a truncated .xlsx is a damaged workbook, not a damaged Word file
    assert "无法作为 .xlsx（zip 压缩包）打开" in only_fatal(read_document(str(tmp_path / DEPT.name)))


def test_zip_that_is_no_workbook(tmp_path):
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert "无法作为 Excel 工作簿打开" in only_fatal(read_document(str(path)))
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert "不是 Word 文档" in only_fatal(read_document(str(other)))


def test_workbook_bomb_is_refused_unread(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    assert "压缩炸弹" in only_fatal(read_document(str(path)))


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_ole_files(tmp_path):
    encrypted = tmp_path / "budget.xlsx"
    encrypted.write_bytes(OLE + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 600)
    assert "已加密" in only_fatal(read_document(str(encrypted)))
    doc = tmp_path / "old.doc"  # named .doc, no WordDocument stream: the .doc reader says what is wrong
    doc.write_bytes(OLE + b"\0" * 1000)
    assert "无法作为 Word 文档（.doc）打开" in only_fatal(read_document(str(doc)))
    ppt = tmp_path / "slides.ppt"
    ppt.write_bytes(OLE + b"\0" * 1000)
    assert only_fatal(read_document(str(ppt))) == "文件已加密或为不支持的旧版 Office 格式（如 .ppt），暂不支持（可另存为 .docx 或 PDF 后检查）"
    broken = tmp_path / "broken.xls"
    broken.write_bytes(OLE + b"\0" * 1000)
    assert "无法作为 Excel 工作簿打开" in only_fatal(read_document(str(broken)))


@pytest.mark.parametrize("cell, uncalculated", [
    (b'<c r="B5"><f>SUM(B2:B4)</f></c>', 1),  # no value at all
    (b'<c r="A1"><f>1+1</f><v></v></c>', 1),  # an empty value in a number cell: openpyxl writes it so
    (b'<c r="A1"><f t="shared" si="0"/></c>', 1),
    (b'<x:c r="A1"><x:f>A1</x:f></x:c>', 1),  # a namespace prefix
    (b'<c r="A1"><f>1+1</f><v>2</v></c>', 0),
    (b'<c r="B2" t="str"><f>IF(A2=0,"",A2)</f><v></v></c>', 0),  # Excel's computed empty text
    (b'<c r="A1" s="1"><f t="shared" si="0"/><v>3</v></c>', 0),
])
def test_formulas_without_value(cell, uncalculated):
    from openlint.read.xlsx import _formulas_without_value

    assert _formulas_without_value(b"<sheetData><row>" + cell + b"</row></sheetData>") == uncalculated


def rewrite_member(path: str, name: str, edit) -> None:
    """Rewrite one part of the zip at `path` through `edit(bytes) -> bytes`."""
    with zipfile.ZipFile(path) as zf:
        parts = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts:
            zf.writestr(info, edit(data) if info.filename == name else data)


def test_style_naming_an_undefined_number_format(tmp_path):
    # styles.xml lost its <numFmts>: a cell's style names custom format 164, which openpyxl looks
    # up past the end of the (empty) list. Shown as Excel shows it: General.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目", "合计"])
    ws.append(["教育支出", 1234.5])
    ws["B2"].number_format = "#,##0.000"
    path = save(wb, tmp_path)
    rewrite_member(path, "xl/styles.xml", lambda x: re.sub(rb"<numFmts.*?</numFmts>", b"", x, flags=re.S))
    doc = read_xlsx(path)
    assert not doc.problems
    (t,) = doc.tables
    assert t.row_texts(1) == ("教育支出", "1234.5")


def test_merged_range_over_the_whole_sheet_is_refused_unread(tmp_path):
    # one <mergeCell ref="A1:XFD1048576"/> in a file of a few KB: openpyxl would make an object
    # for each of its 17 billion cells (hours, all memory)
    wb = openpyxl.Workbook()
    budget_sheet(wb)
    path = save(wb, tmp_path)
    rewrite_member(path, "xl/worksheets/sheet1.xml",
                   lambda x: re.sub(rb'<mergeCell ref="A1:D1"/>', b'<mergeCell ref="A1:XFD1048576"/>', x))
    assert "合并单元格范围过大" in only_fatal(read_document(path))


# --- whole numbers, formulas a program never computed ----------------------------------------


def check_json(path: str) -> list[dict]:
    """The findings of `openlint check` on the file (the report written apart from the warnings)."""
    report = Path(path).with_suffix(".json")
    CliRunner().invoke(main, ["check", "--format", "json", "-o", str(report), path], catch_exceptions=False)
    return json.loads(report.read_text(encoding="utf-8"))["findings"]


def test_whole_amounts_in_general_format_are_amounts(tmp_path):
    # 3000, 336, 180 typed into General-format cells: the 支出 columns hold only 2–7 digit whole
    # numbers, like a column of codes; the 总计 row tells them for amounts
    from openlint.understand.tables import read_table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2025年财政拨款收支预算总表"])
    ws.append(["收入", None, "支出"])
    ws.append(["项目", "预算数", "项目", "合计", "一般公共预算"])
    ws.append(["一、一般公共预算拨款", 3000, "一、教育支出", 2420, 2420])
    ws.append([None, None, "二、社会保障和就业支出", 336, 336])
    ws.append([None, None, "三、卫生健康支出", 64, 64])
    ws.append([None, None, "四、住房保障支出", 180, 180])
    ws.append(["收入总计", 3000, "支出总计", 3000, 3000])
    ws.merge_cells("A2:B2")
    ws.merge_cells("C2:E2")
    path = save(wb, tmp_path)
    (t,) = read_xlsx(path).tables
    income, spending = read_table(t).parts
    assert [c.header for c in spending.columns] == ["合计", "一般公共预算"]
    assert spending.rows[-1].values == {3: 3000, 4: 3000}
    assert not [f for f in check_json(path) if f["rule_id"].startswith("ARI")]


def test_codes_in_a_code_column_stay_codes(tmp_path):
    from openlint.understand.tables import read_table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["科目编码", "科目名称", "合计", "基本支出"])
    ws.append([301, "工资福利支出", 336, 336])
    ws.append([30101, "基本工资", 336, 336])
    ws.append([2010101, "行政运行", 180, 180])
    ws.append([None, "合计", 516, 516])
    (t,) = read_xlsx(save(wb, tmp_path)).tables
    (part,) = read_table(t).parts
    assert [r.code for r in part.rows] == ["301", "30101", "2010101", None]
    assert [c.header for c in part.columns] == ["合计", "基本支出"]


def uncomputed_budget(tmp_path) -> str:
    """A 支出表 whose 合计 column and row are formulas openpyxl writes without cached values."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2025年一般公共预算支出预算表"])
    ws.append(["科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    ws.append([205, "教育支出", "=D3+E3", 2200, 220])
    ws.append([20502, "普通教育", "=SUM(D4:E4)", 2200, 220])
    ws.append([2050204, "高中教育", "=IF(D5>0,D5+E5,0)", 2200, 220])
    ws.append([None, "合计", "=C3", "=SUM(D3:D3)", "=E3+0"])
    for row in ws.iter_rows(min_row=3, min_col=3, max_col=5):
        for cell in row:
            cell.number_format = "#,##0.00"
    return save(wb, tmp_path)


def test_simple_formulas_without_values_are_worked_out(tmp_path):
    doc = read_xlsx(uncomputed_budget(tmp_path))
    (t,) = doc.tables
    assert t.row_texts(1)[2:] == ("2,420.00", "2,200.00", "220.00")
    assert t.row_texts(2)[2] == "2,420.00"
    assert t.row_texts(4)[2:] == ("2,420.00", "2,200.00", "220.00")
    # an IF is not worked out: shown as written, no amount, so no sum takes it for a blank
    assert t.row_texts(3)[2] == "=IF(D5>0,D5+E5,0)"
    (problem,) = doc.problems
    assert problem.message.startswith("有 6 个公式单元格没有保存计算结果") and "其中 1 个" in problem.message


def test_no_sum_compares_a_formula_it_could_not_work_out(tmp_path):
    findings = check_json(uncomputed_budget(tmp_path))
    assert not [f for f in findings if "（空）" in f["message"]]
    assert not [f for f in findings if f["rule_id"].startswith("ARI")]


# --- where findings point --------------------------------------------------------------------


def spending_table(ws, total: int = 243) -> None:
    """A 支出表 from row 3 (title in row 1, unit in row 2) whose 合计 in row 6 (20805) is `total`."""
    ws.title = "一般公共预算支出表"
    ws.append(["2025年一般公共预算支出预算表"])
    ws.append([None, None, None, "单位：万元"])
    ws.append(["科目编码", "科目名称", "合计", "基本支出"])
    ws.append([208, "社会保障和就业支出", 339, 339])
    ws.append([20805, "行政事业单位养老支出", 339, 339])
    ws.append([2080505, "机关事业单位基本养老保险缴费支出", total, 243])
    ws.append([2080506, "机关事业单位职业年金缴费支出", 96, 96])
    ws.append([None, "合计", 339, 339])
    for row in ws.iter_rows(min_row=4, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = "0.00"


def test_a_cell_finding_gives_the_cells_own_row(tmp_path):
    wb = openpyxl.Workbook()
    spending_table(wb.active, total=246)
    path = save(wb, tmp_path)
    (t,) = read_xlsx(path).tables
    assert t.location.line == 1 and t.row_lines == (3, 4, 5, 6, 7, 8)
    found = {f["rule_id"]: f["location"] for f in check_json(path) if f["rule_id"].startswith("ARI")}
    assert found["ARI-005"]["line"] == 6 and found["ARI-005"]["row"].startswith("2080505")
    assert found["ARI-006"]["line"] == 5  # 20805 against its 项
    result = CliRunner().invoke(main, ["check", path], catch_exceptions=False)
    assert "工作表“一般公共预算支出表”第6行 › 2025年一般公共预算支出预算表 › 2080505" in result.output
    sarif = CliRunner().invoke(main, ["check", "--format", "sarif", path], catch_exceptions=False).stdout
    lines = {r["ruleId"]: r["locations"][0]["properties"]["line"]
             for r in json.loads(sarif)["runs"][0]["results"] if r["ruleId"].startswith("ARI")}
    assert lines["ARI-005"] == 6


def test_a_wrong_year_in_a_sheet_title_is_reported_once(tmp_path):
    wb = openpyxl.Workbook()
    spending_table(wb.active)
    wb.active["A1"] = "2024年一般公共预算支出预算表"
    cover = wb.create_sheet("封面", 0)
    cover["A1"] = "某县第一中学2025年单位预算"
    path = save(wb, tmp_path)
    (finding,) = [f for f in check_json(path) if f["rule_id"] == "META-004"]
    assert finding["location"]["line"] == 1 and finding["location"]["sheet"] == "一般公共预算支出表"


def test_split_codes_stored_as_zero_padded_numbers_join(tmp_path):
    from openlint.understand.tables import read_table

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2025年一般公共预算基本支出预算表"])
    ws.append(["经济分类科目", None, None, "合计"])
    ws.append(["类", "款", "科目名称", None])
    ws.append([301, None, "工资福利支出", 300])
    ws.append([301, 1, "基本工资", 200])
    ws.append([301, 2, "津贴补贴", 100])
    ws.append([None, None, "合计", 300])
    ws.merge_cells("A2:C2")
    ws.merge_cells("D2:D3")
    for cell in ws["B"]:
        cell.number_format = "00"
    (t,) = read_xlsx(save(wb, tmp_path)).tables
    assert t.row_texts(3)[:2] == ("301", "01")
    (part,) = read_table(t).parts
    assert [r.code for r in part.rows] == ["301", "30101", "30102", None]


def test_hidden_rows_and_columns_are_not_read(tmp_path):
    # a stale row and a helper column hidden by the budget officer: not shown, not published
    wb = openpyxl.Workbook()
    spending_table(wb.active)
    ws = wb.active
    ws.insert_cols(4)
    ws["D3"], ws["D4"], ws["D5"] = "上年预算数", 300, 300
    ws.column_dimensions["D"].hidden = True
    ws.insert_rows(7)
    ws["A7"], ws["B7"], ws["C7"], ws["E7"] = 2080599, "其他行政事业单位养老支出", 10, 10
    ws.row_dimensions[7].hidden = True
    path = save(wb, tmp_path)
    (t,) = read_xlsx(path).tables
    assert t.row_texts(0) == ("科目编码", "科目名称", "合计", "基本支出")
    assert [t.row_texts(r)[0] for r in range(1, t.n_rows)] == ["208", "20805", "2080505", "2080506", ""]
    assert t.row_lines == (3, 4, 5, 6, 8, 9)  # the rows still named by their Excel numbers
    assert not [f for f in check_json(path) if f["rule_id"].startswith("ARI")]


def test_a_sheet_without_title_row_is_captioned_by_its_name(tmp_path):
    # the title lives only on the sheet's tab; row 1 is 编制单位 | 单位
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一般公共预算支出表"
    ws.append(["编制单位：某县第一中学", None, "单位：万元"])
    ws.append(["科目编码", "科目名称", "合计"])
    ws.append([205, "教育支出", 10])
    other = wb.create_sheet("Sheet2")
    other.append(["项目", "合计"])
    other.append(["教育支出", 10])
    doc = read_xlsx(save(wb, tmp_path))
    named, unnamed = doc.tables
    assert named.caption == "一般公共预算支出表" and named.preamble == ("编制单位：某县第一中学", "单位：万元")
    assert load_catalog().classify(named.caption).id == "一般公共预算支出表"
    assert unnamed.caption == ""  # Sheet2 says nothing of its table


def test_an_explanation_without_zhu_under_an_empty_table_is_its_note(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "政府性基金预算支出表"
    ws.append(["2025年政府性基金预算支出预算表"])
    ws.append(["科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    ws.append([None, "合计", None, None, None])
    ws.append(["本单位2025年无政府性基金预算支出，故此表为空表。"])
    ws.merge_cells("A4:E4")
    ws.append(["数据截至2025年1月。"])
    path = save(wb, tmp_path)
    doc = read_xlsx(path)
    (t,) = doc.tables
    assert t.n_rows == 2
    assert [n.text for n in t.notes] == ["本单位2025年无政府性基金预算支出，故此表为空表。", "数据截至2025年1月。"]
    assert t.notes[0].location.line == 4
    assert not [f for f in check_json(path) if f["rule_id"].startswith("EMP")]


def test_a_merged_heading_row_inside_a_table_stays_in_it(tmp_path):
    # a short merged band (一、基本支出) is a row of the table, not a note
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目", "合计"])
    ws.append(["一、基本支出"])
    ws.merge_cells("A2:B2")
    ws.append(["工资福利支出", 10])
    (t,) = read_xlsx(save(wb, tmp_path)).tables
    assert t.n_rows == 3 and not t.notes


def test_a_sheet_missing_from_the_package_is_reported(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "单位职能"
    wb.active["A1"] = "一、单位主要职能"
    wb.create_sheet("机构设置 & 人员")["A1"] = "二、机构设置"
    path = save(wb, tmp_path)
    with zipfile.ZipFile(path) as zf:
        parts = [(info, zf.read(info)) for info in zf.infolist() if info.filename != "xl/worksheets/sheet2.xml"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts:
            zf.writestr(info, data)
    doc = read_document(path)
    assert doc.readable and [h.text for h in doc.headings] == ["一、单位主要职能"]
    (problem,) = doc.problems
    assert problem.message == "工作簿已损坏：工作表“机构设置 & 人员”（xl/worksheets/sheet2.xml）缺失，未读取"
    assert problem.unread and not problem.fatal  # it may have held a table: none is reported missing


XML_SPREADSHEET = """<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:x="urn:schemas-microsoft-com:office:excel">
 <Styles><Style ss:ID="s1"><NumberFormat ss:Format="Standard"/></Style>
  <Style ss:ID="s2"><NumberFormat ss:Format="00"/></Style></Styles>
 <Worksheet ss:Name="收入总表"><Table>
  <Column ss:Index="5" ss:Hidden="1"/>
  <Row><Cell ss:MergeAcross="3"><Data ss:Type="String">2025年部门收入预算总表</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">编制部门：某某局</Data></Cell><Cell ss:Index="4"><Data ss:Type="String">单位：万元</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">类</Data></Cell><Cell><Data ss:Type="String">款</Data></Cell>
   <Cell><Data ss:Type="String">科目名称</Data></Cell><Cell><Data ss:Type="String">合计</Data></Cell>
   <Cell><Data ss:Type="String">校验</Data></Cell></Row>
  <Row><Cell><Data ss:Type="Number">205</Data></Cell><Cell ss:Index="3"><Data ss:Type="String">教育支出</Data></Cell>
   <Cell ss:StyleID="s1"><Data ss:Type="Number">1234.5</Data></Cell><Cell><Data ss:Type="String">OK</Data></Cell></Row>
  <Row><Cell><Data ss:Type="Number">205</Data></Cell><Cell ss:StyleID="s2"><Data ss:Type="Number">2</Data></Cell>
   <Cell><Data ss:Type="String">普通教育</Data></Cell><Cell ss:StyleID="s1"><Data ss:Type="Number">1234.5</Data></Cell></Row>
  <Row ss:Hidden="1"><Cell><Data ss:Type="String">旧数据</Data></Cell></Row>
  <Row><Cell ss:Index="3"><Data ss:Type="String">合计</Data></Cell><Cell ss:StyleID="s1"><Data ss:Type="Number">1234.5</Data></Cell></Row>
 </Table></Worksheet>
 <Worksheet ss:Name="隐藏"><Table><Row><Cell><Data ss:Type="String">不应读取</Data></Cell></Row></Table>
  <x:WorksheetOptions><x:Visible>SheetHidden</x:Visible></x:WorksheetOptions></Worksheet>
</Workbook>
"""


def test_excel_2003_xml_spreadsheet(tmp_path):
    from openlint.read import sniff

    path = tmp_path / "收入总表.xls"
    path.write_text(XML_SPREADSHEET, encoding="utf-8")
    assert sniff(path.read_bytes()[:4096]) == "xml-spreadsheet"
    doc = read_document(str(path))
    assert doc.format == "xls" and not doc.problems
    (t,) = doc.tables
    assert t.caption == "2025年部门收入预算总表" and t.preamble == ("编制部门：某某局", "单位：万元")
    assert [t.row_texts(r) for r in range(t.n_rows)] == [
        ("类", "款", "科目名称", "合计"),
        ("205", "", "教育支出", "1,234.50"),
        ("205", "02", "普通教育", "1,234.50"),
        ("", "", "合计", "1,234.50"),
    ]
    assert t.row_lines == (3, 4, 5, 7)
    assert "不应读取" not in [b.text for b in doc.blocks if hasattr(b, "text")]


def test_a_damaged_xml_spreadsheet(tmp_path):
    path = tmp_path / "book.xls"
    path.write_text(XML_SPREADSHEET[:600], encoding="utf-8")
    assert "不是有效的 XML" in only_fatal(read_document(str(path)))
