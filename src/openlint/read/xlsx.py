"""Excel workbooks: .xlsx with openpyxl, legacy .xls with xlrd; a workbook is a whole disclosure.

Each visible sheet is one part of it, read in order into the blocks a PDF of the workbook gives:

* the sheet's title row (its first row, one short cell) is a level-1 heading; a sheet without one
  is headed by its sheet name, so every part can be found by a heading;
* a narrative sheet (every row one cell: 封面, 目录, 主要职能, 编制说明 …) becomes lines, a cell's
  lines each, told apart into headings and paragraphs as in a text file (`text.line_blocks`);
* a table sheet (some row has several cells) becomes a `Table`: the title row is its caption,
  `编制部门：… | 单位：元` rows its preamble, the grid runs from the first header row to the last row
  above the 注：… rows, which follow the table as paragraphs (attached as its notes by `assemble`).

Cells are read as the sheet shows them: numbers through their number format (`#,##0.00` →
`1,234.50`), because the rules judge rounding from the printed precision; formulas by their cached
value (blank when the file has none, as when a program wrote the workbook without computing it:
a problem then says how many). Every block's `line` is its Excel row number.

openpyxl and xlrd are imported by the readers only, so importing `openlint.read` stays cheap.
"""

from __future__ import annotations

import html
import mmap
import posixpath
import re
from bisect import bisect_left, bisect_right
import warnings
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from openlint.model import Block, Cell, Document, Heading, Location, Paragraph, Problem, Table
from openlint.read._zip import Unreadable, check_member, open_zip, read_member
from openlint.read.structure import NOTE_START, TOC_TITLES, assemble
from openlint.read.text import (
    MAX_TABLE_CELLS,
    file_problem,
    is_preamble_line,
    line_blocks,
    looks_like_caption,
    oversized_table,
    read_guarded,
    split_preamble,
)

MAX_SHEET_BYTES = 20 * 1024 * 1024  # a worksheet part larger than this is no disclosure table
# Cells under merged ranges in a workbook: a disclosure merges hundreds. openpyxl makes an object
# for every cell a range covers (some 10 µs each), so one `A1:XFD1048576` in a file of a few KB
# would take hours and all memory.
MAX_MERGED_CELLS = 100_000
MSG_UNCALCULATED = (
    "有 {n} 个公式单元格没有保存计算结果（文件未经 Excel 或 WPS 计算后保存），其中 {k} 个不是简单的"
    "求和或加减、未能计算，涉及的合计未能核对；请在 Excel 或 WPS 中打开、保存后再检查"
)
MSG_CALCULATED = (
    "有 {n} 个公式单元格没有保存计算结果（文件未经 Excel 或 WPS 计算后保存），已按所引用单元格的数值"
    "计算（求和、加减）；请在 Excel 或 WPS 中打开、保存后再检查"
)
MSG_MISSING_SHEET = "工作簿已损坏：工作表“{name}”（{part}）缺失，未读取"
MSG_ENCRYPTED = "文件已加密（设置了打开密码），无法读取；请另存为未加密的文件后再检查"
MSG_CORRUPT = "文件已损坏或不完整，无法作为 Excel 工作簿打开"
_DOT_LEADER = re.compile(r"[\s.．。…·]{2,}\d*$")  # 目录 entries: `一、部门主要职能 ………… 3`


@dataclass(frozen=True, slots=True)
class _Sheet:
    """A sheet as displayed: non-empty cell texts and merged ranges, 1-based rows and columns."""

    name: str
    cells: dict[tuple[int, int], str]  # hidden rows and columns left out
    merges: tuple[tuple[int, int, int, int], ...]  # first row, first col, last row, last col
    hidden_rows: frozenset[int] = frozenset()
    hidden_cols: frozenset[int] = frozenset()


# --- entry points ----------------------------------------------------------------------------


def read_xlsx(path: str) -> Document:
    """Read an .xlsx workbook. Never raises: problems are returned in the document."""
    return _read(path, "xlsx", _load_xlsx)


def read_xls(path: str) -> Document:
    """Read a legacy .xls workbook (BIFF, through xlrd). Never raises."""
    return _read(path, "xls", _load_xls)


def read_xml_spreadsheet(path: str) -> Document:
    """Read an Excel 2003 XML Spreadsheet (SpreadsheetML), which budget systems export under the
    name .xls. Never raises."""
    return _read(path, "xls", _load_xml_spreadsheet)


def is_encrypted_ole(path: str) -> bool:
    """An OLE2 file holding an encrypted Office Open XML package (a password-protected .xlsx/.docx)."""
    return _ole_has_stream(path, "EncryptionInfo")


def is_xls(path: str) -> bool:
    """An OLE2 file holding an Excel workbook stream (BIFF8 `Workbook`, BIFF5 `Book`)."""
    return _ole_has_stream(path, "Workbook") or _ole_has_stream(path, "Book")


def is_doc(path: str) -> bool:
    """An OLE2 file holding a Word 97-2003 document stream (`WordDocument`)."""
    return _ole_has_stream(path, "WordDocument")


def _ole_has_stream(path: str, name: str) -> bool:
    # Directory entries store names in UTF-16LE followed by a NUL; a plain search over the file
    # finds them without an OLE parser.
    try:
        with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            return m.find(name.encode("utf-16-le") + b"\0\0") >= 0
    except (OSError, ValueError):
        return False


def _read(path: str, fmt: str, load) -> Document:
    def read(path: str) -> Document:
        problems: list[Problem] = []
        blocks: list[Block] = []
        for sheet in load(path, problems):
            blocks.extend(_on_sheet(_sheet_blocks(sheet, path, problems), sheet.name))
        if not blocks:
            problems.append(Problem("工作簿中没有任何文字内容", Location(file=path), fatal=True))  # nothing to judge
        return assemble(path, fmt, blocks, problems=problems)

    return read_guarded(path, fmt, " Excel 工作簿", read)


# --- loading ---------------------------------------------------------------------------------


def _load_xlsx(path: str, problems: list[Problem]) -> list[_Sheet]:
    # openpyxl inflates the parts itself: check every member first. zipfile never inflates a
    # member beyond its declared size, so the declared sizes bound what openpyxl can allocate.
    uncalculated = merged = 0
    with open_zip(path, ".xlsx") as zf:
        for name, part in _missing_sheets(zf):
            problems.append(Problem(MSG_MISSING_SHEET.format(name=name, part=part), Location(file=path), unread=True))
        for info in zf.infolist():
            check_member(info)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                if info.file_size > MAX_SHEET_BYTES:
                    raise Unreadable(
                        f"工作表 {info.filename} 过大（{info.file_size / 1048576:.0f} MB，上限 "
                        f"{MAX_SHEET_BYTES // 1048576} MB），未读取"
                    )
                sheet_xml = read_member(zf, info.filename)
                uncalculated += _formulas_without_value(sheet_xml)
                merged += _merged_area(sheet_xml)
                if merged > MAX_MERGED_CELLS:
                    raise Unreadable(
                        f"工作表 {info.filename} 的合并单元格范围过大（工作簿合计超过 {MAX_MERGED_CELLS} 个单元格），"
                        "不像预决算表格，未读取"
                    )
    book = _open_book(path, data_only=True)
    # A program wrote formulas without computing them: the formulas themselves, to work out the
    # simple ones (read only then, so that a normal workbook is parsed once).
    formula_book = _open_book(path, data_only=False) if uncalculated else None
    sheets = []
    not_calculated = 0
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue  # hidden sheets are not part of what is published
        values = _SheetValues(ws, formula_book[ws.title] if formula_book is not None else None)
        # `_cells` holds only the cells the file wrote: iterating rows and columns instead would
        # visit every position up to max_column (253 in the district's templates, or 16384).
        hidden_rows, hidden_cols = _hidden_xlsx(ws)
        written = (
            (r, c, values.display(r, c, cell))
            for (r, c), cell in ws._cells.items()
            if r not in hidden_rows and c not in hidden_cols
        )
        cells = _collect(written, ws.title, path, problems)
        not_calculated += values.not_calculated
        if cells is None:
            continue
        merges = tuple((m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges)
        sheets.append(_Sheet(ws.title, cells, merges, hidden_rows, hidden_cols))
    if uncalculated:
        message = MSG_UNCALCULATED if not_calculated else MSG_CALCULATED
        problems.append(Problem(message.format(n=uncalculated, k=not_calculated), Location(file=path)))
    return sheets


def _hidden_xlsx(ws) -> tuple[frozenset[int], frozenset[int]]:
    """The sheet's hidden rows and columns (1-based): not shown, so not printed nor published."""
    rows = frozenset(r for r, dim in ws.row_dimensions.items() if dim.hidden)
    cols: set[int] = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min and dim.max:
            cols.update(range(dim.min, dim.max + 1))
    return rows, frozenset(cols)


_ELEMENT = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\s([^>]*)>")
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _missing_sheets(zf) -> list[tuple[str, str]]:
    """(name, part) of the visible sheets workbook.xml lists whose part is not in the package (a
    damaged download, a bad export): openpyxl drops them without a word."""
    try:
        workbook = read_member(zf, "xl/workbook.xml")
        rels = read_member(zf, "xl/_rels/workbook.xml.rels")
    except (KeyError, Unreadable):
        return []  # openpyxl reports a package without them
    targets = {a.get("Id"): a.get("Target", "") for a in _elements(rels, b"Relationship")}
    missing = []
    for sheet in _elements(workbook, b"sheet"):
        rid = next((v for k, v in sheet.items() if k == "id" or k.endswith(":id")), None)
        if sheet.get("state", "visible") != "visible" or rid not in targets:
            continue
        target = targets[rid]
        part = target[1:] if target.startswith("/") else posixpath.normpath("xl/" + target)
        if part not in zf.NameToInfo:
            missing.append((sheet.get("name", ""), part))
    return missing


def _elements(xml: bytes, tag: bytes) -> list[dict[str, str]]:
    """The attributes of each <tag …> element, unescaped."""
    return [
        {k.decode(): html.unescape((v1 or v2 or b"").decode("utf-8", "replace")) for k, v1, v2 in _ATTRIBUTE.findall(attrs)}
        for name, attrs in _ELEMENT.findall(xml)
        if name == tag
    ]


def _open_book(path: str, data_only: bool):
    import openpyxl

    try:
        with warnings.catch_warnings():  # openpyxl warns about extensions it drops (validation, styles)
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=data_only, rich_text=False)
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl raises anything from KeyError to lxml errors on damage
        raise Unreadable(f"{MSG_CORRUPT}（{type(exc).__name__}）") from None


def _number_format(cell) -> str:
    """The cell's number format; General for a style naming a custom format (id 164 and up) that
    styles.xml does not define, as Excel shows it: openpyxl looks such an id up by position in the
    formats the file defines and raises IndexError past their end."""
    try:
        return cell.number_format
    except IndexError:
        return "General"


# A formula cell and what follows its formula: `<c r="B5"><f>SUM(B2:B4)</f></c>`, `<f t="shared"
# si="0"/>`, an empty `<v></v>`. No value, or an empty one in a cell that is no text (t="str": Excel
# saves =IF(A2=0,"",A2) so), is a formula a program wrote without computing it (openpyxl does).
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*(?:<(?:\w+:)?f\b[^>]*/>|<(?:\w+:)?f\b[^>]*>[^<]*</(?:\w+:)?f>)\s*"
    rb"(<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>|<(?:\w+:)?v>)?"
)
_TEXT_CELL = re.compile(rb"""\bt\s*=\s*["'](?:str|inlineStr)["']""")


def _formulas_without_value(sheet_xml: bytes) -> int:
    count = 0
    for m in _FORMULA_CELL.finditer(sheet_xml):
        value = m.group(2)
        empty = value is not None and (value.endswith(b"/>") or b"</" in value)
        if value is None or (empty and not _TEXT_CELL.search(m.group(1))):
            count += 1
    return count


_MERGE_REF = re.compile(rb"""<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*["']\s*([A-Za-z]{1,3})(\d{1,7})(?::([A-Za-z]{1,3})(\d{1,7}))?""")


def _merged_area(sheet_xml: bytes) -> int:
    """How many cells the sheet's merged ranges cover, overlaps counted twice."""
    area = 0
    for m in _MERGE_REF.finditer(sheet_xml):
        c1, r1, c2, r2 = m.groups()
        c1, r1 = _column_number(c1), int(r1)
        c2, r2 = (_column_number(c2), int(r2)) if c2 else (c1, r1)
        area += (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1)
    return area


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


class _SheetValues:
    """A sheet's cells as displayed, with the formulas a program wrote without computing them
    worked out where they are simple (SUM, + and - over numbers and cells of the sheet), as Excel
    shows them once it has opened the file. Any other formula is shown as written (`=IF(…)`): no
    amount, so the table reader leaves its row alone rather than take it for a blank."""

    def __init__(self, ws, formulas) -> None:
        self.ws = ws
        self.formulas = formulas  # the same sheet read with its formulas; None when all are computed
        self.computed: dict[tuple[int, int], Decimal | None] = {}
        self.not_calculated = 0

    def display(self, r: int, c: int, cell) -> str:
        formula = self._formula(r, c) if cell.value is None else None
        if formula is None:
            return _display(cell.value, _number_format(cell))
        value = self._calculate(r, c)
        if value is None:
            self.not_calculated += 1
            return formula
        return _display(float(value), _number_format(cell))

    def _formula(self, r: int, c: int) -> str | None:
        if self.formulas is None:
            return None
        cell = self.formulas._cells.get((r, c))
        value = getattr(cell, "value", None)
        return value if isinstance(value, str) and value.startswith("=") else None

    def _calculate(self, r: int, c: int) -> Decimal | None:
        if (r, c) not in self.computed:
            self.computed[r, c] = None  # a formula that reaches itself again is no simple sum
            try:
                self.computed[r, c] = _Formula(self._formula(r, c) or "", self._number_at).value()
            except _NotSimple:
                pass
        return self.computed[r, c]

    def _number_at(self, r: int, c: int) -> Decimal | str | None:
        """A referenced cell's number (None blank, text as text); raises `_NotSimple` past a
        formula that cannot be worked out."""
        cell = self.ws._cells.get((r, c))
        value = None if cell is None else cell.value
        if value is None and self._formula(r, c) is not None:
            value = self._calculate(r, c)
            if value is None:
                raise _NotSimple
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None if value is None else str(value)
        return Decimal(repr(value))


class _NotSimple(Exception):
    """A formula other than a sum or difference of numbers and cells of its own sheet."""


_MAX_RANGE_CELLS = 100_000  # SUM(A1:A1048576) is no disclosure's formula
_FORMULA_TOKEN = re.compile(
    r"\s*(?:(SUM)\s*\(|\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?(?![\w(!])|"
    r"(\d+(?:\.\d*)?|\.\d+)|([-+(),]))",
    re.IGNORECASE,
)


class _Formula:
    """A formula of sums and differences: `=SUM(C5:C9)`, `=D5+E5`, `=C5-SUM(C6,C7)+10`."""

    def __init__(self, formula: str, number_at) -> None:
        self.tokens = _formula_tokens(formula.removeprefix("="))
        self.pos = 0
        self.number_at = number_at

    def value(self) -> Decimal:
        out = self._sum()
        if self.pos != len(self.tokens):
            raise _NotSimple
        return out

    def _next(self):
        if self.pos >= len(self.tokens):
            raise _NotSimple
        self.pos += 1
        return self.tokens[self.pos - 1]

    def _peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _sum(self) -> Decimal:
        total = self._term()
        while self._peek() in ("+", "-"):
            sign = self._next()
            term = self._term()
            total = total + term if sign == "+" else total - term
        return total

    def _term(self) -> Decimal:
        token = self._next()
        if token in ("-", "+"):
            value = self._term()
            return -value if token == "-" else value
        if token == "(":
            value = self._sum()
            if self._next() != ")":
                raise _NotSimple
            return value
        if token == "SUM":
            return self._function_sum()
        if isinstance(token, Decimal):
            return token
        if isinstance(token, tuple) and token[0] == token[2] and token[1] == token[3]:
            value = self.number_at(token[0], token[1])
            if isinstance(value, str):
                raise _NotSimple  # text in arithmetic: #VALUE! in Excel
            return value or _DECIMAL_ZERO
        raise _NotSimple

    def _function_sum(self) -> Decimal:
        """SUM(…): its arguments added, text and blanks in referenced cells skipped as Excel does."""
        total = _DECIMAL_ZERO
        while True:
            token = self._peek()
            if isinstance(token, tuple) and self.tokens[self.pos + 1 : self.pos + 2] in ([","], [")"]):
                self.pos += 1
                total += self._range_sum(*token)
            else:
                total += self._sum()
            separator = self._next()
            if separator == ")":
                return total
            if separator != ",":
                raise _NotSimple

    def _range_sum(self, r1: int, c1: int, r2: int, c2: int) -> Decimal:
        r1, r2 = sorted((r1, r2))
        c1, c2 = sorted((c1, c2))
        if (r2 - r1 + 1) * (c2 - c1 + 1) > _MAX_RANGE_CELLS:
            raise _NotSimple
        total = _DECIMAL_ZERO
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                value = self.number_at(r, c)
                if isinstance(value, Decimal):
                    total += value
        return total


_DECIMAL_ZERO = Decimal(0)


def _formula_tokens(text: str) -> list:
    """The tokens of a formula: "SUM", Decimal numbers, (row, col, last row, last col) references,
    operators; raises `_NotSimple` at anything else (another function, another sheet, a name)."""
    tokens: list = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _FORMULA_TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise _NotSimple
        function, col, row, col2, row2, number, operator = m.groups()
        if function:
            tokens.append("SUM")  # its `(` taken with it
        elif col:
            c1, r1 = _column_number(col.encode()), int(row)
            tokens.append((r1, c1, int(row2), _column_number(col2.encode())) if col2 else (r1, c1, r1, c1))
        elif number:
            tokens.append(Decimal(number))
        else:
            tokens.append(operator)
        pos = m.end()
    return tokens


def _load_xls(path: str, problems: list[Problem]) -> list[_Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(path, formatting_info=True, logfile=_Discard())
    except MemoryError:
        raise
    except Exception as exc:  # xlrd.XLRDError, struct.error, IndexError … on a damaged file
        if "encrypted" in str(exc).lower():
            raise Unreadable(MSG_ENCRYPTED) from None
        raise Unreadable(f"{MSG_CORRUPT}（{type(exc).__name__}: {exc}）") from None
    formats = {key: fmt.format_str for key, fmt in book.format_map.items()}
    sheets = []
    for sh in book.sheets():
        if sh.visibility:
            continue
        hidden_rows = frozenset(r + 1 for r, info in sh.rowinfo_map.items() if info.hidden)
        hidden_cols = frozenset(c + 1 for c, info in sh.colinfo_map.items() if info.hidden)
        written = ((r, c, text) for r, c, text in _xls_cells(sh, book, formats)
                   if r not in hidden_rows and c not in hidden_cols)
        cells = _collect(written, sh.name, path, problems)
        if cells is None:
            continue
        merges = tuple((rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sh.merged_cells)
        sheets.append(_Sheet(sh.name, cells, merges, hidden_rows, hidden_cols))
    return sheets


_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
_X = "{urn:schemas-microsoft-com:office:excel}"
_SS_FORMATS = {  # the named number formats of SpreadsheetML, as Excel writes them
    "General": "General", "General Number": "General", "Fixed": "0.00", "Standard": "#,##0.00",
    "Percent": "0.00%", "Currency": "#,##0.00", "Scientific": "0.00E+00", "@": "@",
}
MAX_XML_BYTES = 50 * 1024 * 1024


def _load_xml_spreadsheet(path: str, problems: list[Problem]) -> list[_Sheet]:
    """The visible worksheets of a SpreadsheetML workbook: Worksheet › Table › Row › Cell › Data,
    positions given by ss:Index, merges by ss:MergeAcross / ss:MergeDown, number formats by the
    cells' styles."""
    from lxml import etree

    reason = file_problem(path, MAX_XML_BYTES)
    if reason:
        raise Unreadable(reason)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.parse(path, parser).getroot()
    except etree.XMLSyntaxError as exc:
        raise Unreadable(f"文件已损坏：Excel 2003 XML 表格不是有效的 XML（{exc}）") from None
    if root is None or root.tag != _SS + "Workbook":
        raise Unreadable("文件不是 Excel 2003 XML 表格（没有 Workbook 元素）")
    formats = {
        style.get(_SS + "ID"): _SS_FORMATS.get(fmt.get(_SS + "Format", ""), fmt.get(_SS + "Format", "General"))
        for style in root.iter(_SS + "Style")
        for fmt in style.iter(_SS + "NumberFormat")
    }
    sheets = []
    for ws in root.iter(_SS + "Worksheet"):
        if (ws.findtext(f"{_X}WorksheetOptions/{_X}Visible") or "").startswith("Sheet"):
            continue  # SheetHidden, SheetVeryHidden: not part of what is published
        name = ws.get(_SS + "Name", "")
        cells, merges, hidden_rows, hidden_cols = _xml_sheet(ws.find(_SS + "Table"), formats)
        cells = _collect(((r, c, t) for (r, c), t in cells.items()), name, path, problems)
        if cells is not None:
            sheets.append(_Sheet(name, cells, tuple(merges), frozenset(hidden_rows), frozenset(hidden_cols)))
    return sheets


def _xml_sheet(table, formats: dict[str, str]):
    """(cells, merges, hidden rows, hidden columns) of a SpreadsheetML Table element."""
    cells: dict[tuple[int, int], str] = {}
    merges: list[tuple[int, int, int, int]] = []
    hidden_rows: set[int] = set()
    hidden_cols: set[int] = set()
    if table is None:
        return cells, merges, hidden_rows, hidden_cols
    c = 0
    for column in table.iter(_SS + "Column"):
        c = _int_attr(column, "Index", c + 1)
        span = _int_attr(column, "Span", 0)
        if column.get(_SS + "Hidden") == "1":
            hidden_cols.update(range(c, c + span + 1))
        c += span
    r = 0
    for row in table.iter(_SS + "Row"):
        r = _int_attr(row, "Index", r + 1)
        if row.get(_SS + "Hidden") == "1":
            hidden_rows.add(r)
        c = 0
        for cell in row.iter(_SS + "Cell"):
            c = _int_attr(cell, "Index", c + 1)
            across, down = _int_attr(cell, "MergeAcross", 0), _int_attr(cell, "MergeDown", 0)
            if across or down:
                merges.append((r, c, r + down, c + across))
            data = cell.find(_SS + "Data")
            if data is not None and r not in hidden_rows and c not in hidden_cols:
                text = _xml_cell_text(data, formats.get(cell.get(_SS + "StyleID"), "General"))
                if text:
                    cells[r, c] = text
            c += across
    return cells, merges, hidden_rows, hidden_cols


def _int_attr(el, name: str, default: int) -> int:
    try:
        return max(0, min(int(el.get(_SS + name, default)), 1_048_576))
    except ValueError:
        return default


def _xml_cell_text(data, number_format: str) -> str:
    text = "".join(data.itertext())
    kind = data.get(_SS + "Type", "String")
    if kind == "Number":
        try:
            return _display(float(text), number_format)
        except ValueError:
            return _display(text, "")
    if kind == "Boolean":
        return _display(text.strip() == "1", "")
    if kind == "DateTime":
        return _display(text.split("T")[0] if text.endswith("T00:00:00.000") else text.replace("T", " "), "")
    return _display(text, "")


class _Discard:
    """xlrd writes warnings to a log file; they say nothing a user can act on."""

    def write(self, _text: str) -> None:
        pass


def _xls_cells(sh, book, formats: dict[int, str]):
    """(row, col, text) of a sheet's cells, 1-based; rows of blank (formatted) cells skipped at C speed."""
    import xlrd

    empty = (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK)
    for r in range(sh.nrows):
        types = sh.row_types(r)
        if types.count(empty[0]) + types.count(empty[1]) == len(types):
            continue
        for c, cell in enumerate(sh.row(r)):
            if cell.ctype not in empty:
                yield r + 1, c + 1, _xls_text(cell, book, formats, sh.cell_xf_index(r, c))


def _xls_text(cell, book, formats: dict[int, str], xf_index: int) -> str:
    import xlrd

    ctype, value = cell.ctype, cell.value
    if ctype == xlrd.XL_CELL_TEXT:
        return _display(value, "")
    if ctype == xlrd.XL_CELL_NUMBER:
        return _display(value, formats.get(book.xf_list[xf_index].format_key, "General"))
    if ctype == xlrd.XL_CELL_DATE:
        try:
            return _display(xlrd.xldate_as_datetime(value, book.datemode), "")
        except (ValueError, OverflowError, xlrd.XLRDError):
            return _display(value, "General")
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return _display(bool(value), "")
    if ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#N/A")
    return ""


def _collect(written, name: str, path: str, problems: list[Problem]) -> dict[tuple[int, int], str] | None:
    """The sheet's non-empty cell texts by (row, col); None, with a problem, past the cell limit.
    Formatted blank cells (templates format whole columns) do not count."""
    cells: dict[tuple[int, int], str] = {}
    for r, c, text in written:
        if text:
            cells[r, c] = text
            if len(cells) > MAX_TABLE_CELLS:
                message = f"工作表「{name}」过大（超过 {MAX_TABLE_CELLS} 个有内容的单元格），已跳过"
                problems.append(Problem(message, Location(file=path)))
                return None
    return cells


# --- cell display ----------------------------------------------------------------------------


def _display(value, number_format: str | None) -> str:
    """The cell's text as the sheet shows it; lines stripped, blank lines dropped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return format_number(value, number_format or "General")
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return "\n".join(line.strip() for line in str(value).splitlines() if line.strip())


_FORMAT_TOKEN = re.compile(r'"([^"]*)"|\\(.)|_.?|\*.?|\[[^\]]*\]|([0#?.,])|([eE][+-])|(.)', re.DOTALL)
_SECTION = re.compile(r'(?:"[^"]*"|\\.|[^;"\\])*')
_DATE_CODES = re.compile(r"[yYmMdDhHsS]")


def format_number(value: float, number_format: str) -> str:
    """`value` rendered through an Excel number format (the subset disclosures use: sections,
    digit placeholders, thousands separators and scaling, decimals, percent, literals)."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return "#NUM!"
    fmt = number_format
    if fmt.strip().lower() in ("general", "", "@"):
        return _general(value)
    sections = _sections(fmt)
    negative = value < 0
    if negative and len(sections) > 1 and sections[1].strip():
        section, value, sign = sections[1], -value, ""  # the negative section writes its own sign
    elif value == 0 and len(sections) > 2:
        section, sign = sections[2], ""
    else:
        section, sign = sections[0], "-" if negative else ""
        value = abs(value)
    return _render(value, section, sign)


def _sections(fmt: str) -> list[str]:
    """The `;`-separated sections (positive;negative;zero;text), `;` in quotes or escaped kept."""
    out, pos = [], 0
    while True:
        m = _SECTION.match(fmt, pos)
        out.append(m.group())
        pos = m.end() + 1
        if pos > len(fmt):
            return out


def _render(value: float, section: str, sign: str) -> str:
    parts: list[str | None] = []  # literal text, with None marking where the number goes
    pattern: list[str] = []
    percent = False
    for m in _FORMAT_TOKEN.finditer(section):
        quoted, escaped, digit, exponent, other = m.groups()
        if digit is not None or exponent is not None:
            if not pattern:
                parts.append(None)
            pattern.append(digit or exponent)
        elif quoted is not None:
            parts.append(quoted)
        elif escaped is not None:
            parts.append(escaped)
        elif other is not None:
            if _DATE_CODES.match(other):
                return _general(value)  # a date format on a plain number: show the number
            percent = percent or other == "%"
            parts.append(other)
        # `_x` (a space as wide as x), `*x` (fill) and `[…]` (colour, condition) print nothing
    text = "".join(pattern)
    if percent:
        value *= 100
    if not any(ch in text for ch in "0#?"):
        body = ""
    elif "E" in text.upper():
        return sign + _general(value)
    else:
        body = _fixed(value, text)
    return (sign if body else "") + "".join(body if p is None else p for p in parts).strip()


def _fixed(value: float, pattern: str) -> str:
    integer, _, decimals = pattern.partition(".")
    digits = integer.rstrip(",")
    value /= 1000 ** (len(integer) - len(digits))  # trailing commas scale by thousands
    min_int = digits.count("0")
    max_dec = sum(decimals.count(ch) for ch in "0#?")
    min_dec = decimals.count("0")
    try:
        q = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-max_dec), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return _general(value)
    whole, _, frac = f"{q:f}".partition(".")
    frac = frac.rstrip("0").ljust(min_dec, "0") if max_dec > min_dec else frac
    if whole == "0" and min_int == 0:
        whole = ""
    whole = whole.rjust(min_int, "0")  # `00` shows 1 as 01: a 款 or 项 stored as a number
    if "," in digits and whole:
        whole = f"{int(whole):,}"
    return whole + ("." + frac if frac else "")


def _general(value: float) -> str:
    """Excel's General format: integers in full, others to ten significant digits."""
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15):
        return str(int(value))
    return f"{value:.10g}"


# --- sheets to blocks ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    n: int  # Excel row number
    cells: tuple[tuple[int, str], ...]  # (column, text) of the row's non-empty cells, left to right


def _sheet_blocks(sheet: _Sheet, path: str, problems: list[Problem]) -> list[Block]:
    rows = _rows(sheet)
    if not rows:
        return []
    title: str | None = None
    first = rows[0].n
    (_, head), *rest = rows[0].cells
    if "\n" not in head and looks_like_caption(head) and not is_preamble_line(head):
        if not rest:
            title, rows = head, rows[1:]
        elif "表" in head and _is_preamble_row(rows[0]):  # `2026年收入预算总表 | 单位：万元` on one row
            title, rows = head, [_Row(first, tuple(rest)), *rows[1:]]
    toc_title = "".join(title.split()) if title else ""
    if toc_title in TOC_TITLES:
        # a 目录: its entries name every part, they are not the parts' headings; a page-number
        # column, like a dot leader, is no part of an entry
        heading = Heading(toc_title, 1, Location(file=path, line=first))
        entries = _lines([_Row(row.n, row.cells[:1]) for row in rows])
        return [heading, *(Paragraph(_DOT_LEADER.sub("", t), Location(file=path, line=n)) for t, n in entries)]
    blocks: list[Block] = [Heading(title or sheet.name, 1, Location(file=path, line=first))]
    start = _grid_start(rows, sheet)
    if start is None:
        return blocks + line_blocks(_lines(rows), path, level=1)
    end = _grid_end(rows, start, sheet)
    preamble: list[str] = []
    before: list[_Row] = []
    for row in rows[:start]:
        if _is_preamble_row(row):
            preamble.extend(item for _, text in row.cells for item in split_preamble(text))
        else:
            before.append(row)
    blocks += line_blocks(_lines(before), path, level=1)
    caption = title or (sheet.name if _names_a_table(sheet.name) else "")
    table = _table(sheet, rows[start].n, rows[end].n, caption, preamble, path, problems)
    if table is not None and title:  # the table starts at its title: a finding on the caption points there
        table = replace(table, location=replace(table.location, line=first))
    if table is not None:
        blocks.append(table)
    after = rows[end + 1 :]
    if after and not NOTE_START.match(after[0].cells[0][1]):  # the explanation without 注： ends the grid
        notes = [Paragraph(t, Location(file=path, line=n), is_note=True) for t, n in _lines(after[:1])]
        return blocks + notes + line_blocks(_lines(after[1:]), path, level=1)
    return blocks + line_blocks(_lines(after), path, level=1)


def _names_a_table(name: str) -> bool:
    """A sheet name that says which table the sheet holds (收支总表, 表3 一般公共预算支出表): the
    caption of a table without a title row of its own. Sheet1 or 数据 says nothing."""
    return "表" in name and looks_like_caption(name) and "".join(name.split()) not in TOC_TITLES


def _on_sheet(blocks: list[Block], name: str) -> list[Block]:
    """The blocks located on their worksheet: a row number alone does not say where in a workbook."""
    return [replace(b, location=replace(b.location, sheet=name)) for b in blocks]


def _rows(sheet: _Sheet) -> list[_Row]:
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (r, c), text in sheet.cells.items():
        by_row.setdefault(r, []).append((c, text))
    return [_Row(r, tuple(sorted(by_row[r]))) for r in sorted(by_row)]


def _lines(rows: list[_Row]) -> list[tuple[str, int]]:
    """A cell's lines each, with their row number (a narrative cell holds the whole text)."""
    return [(line, row.n) for row in rows for _, text in row.cells for line in text.split("\n")]


def _is_preamble_row(row: _Row) -> bool:
    """`编制部门：… | 单位：元`: short items, one of them a preamble label."""
    texts = [text for _, text in row.cells]
    return any(map(is_preamble_line, texts)) and all(looks_like_caption(t) or is_preamble_line(t) for t in texts)


def _grid_start(rows: list[_Row], sheet: _Sheet) -> int | None:
    """Index of the table's first row: the first row of several cells that is no preamble, or a
    merged one-cell header band right above it; None for a narrative sheet."""
    wide = {(r, c) for r, c, _, c2 in sheet.merges if c2 > c}
    for i, row in enumerate(rows):
        if len(row.cells) > 1 and not _is_preamble_row(row):
            while i > 0 and len(rows[i - 1].cells) == 1 and not _is_preamble_row(rows[i - 1]) and (
                (rows[i - 1].n, rows[i - 1].cells[0][0]) in wide
            ):
                i -= 1
            return i
    return None


def _grid_end(rows: list[_Row], start: int, sheet: _Sheet) -> int:
    """Index of the table's last row: the last one above the first 注：/说明： row, or above an
    explanation written without 注： (本单位无政府性基金预算支出，故此表为空表。): a sentence in one
    cell merged across the row, with nothing but such lines below it."""
    wide = {(r, c) for r, c, _, c2 in sheet.merges if c2 > c}
    for i in range(start + 1, len(rows)):
        if NOTE_START.match(rows[i].cells[0][1]):
            return i - 1
    for i in range(start + 1, len(rows)):
        row = rows[i]
        (c, text), *rest = row.cells
        if not rest and (row.n, c) in wide and not looks_like_caption(text) \
                and all(len(below.cells) == 1 for below in rows[i + 1 :]):
            return i - 1
    return len(rows) - 1


def _table(
    sheet: _Sheet, top: int, bottom: int, caption: str, preamble: list[str], path: str, problems: list[Problem]
) -> Table | None:
    cells = {(r, c): t for (r, c), t in sheet.cells.items() if top <= r <= bottom}
    merges = [m for m in sheet.merges if m[0] <= bottom and m[2] >= top]
    # Columns: those holding text, and the merged cells that start at text; formatted but empty
    # columns (max_column 253) are no part of the table.
    cols = [c for _, c in cells] + [m[3] for m in merges if (m[0], m[1]) in sheet.cells and m[0] >= top]
    left, right = min(c for _, c in cells), max(cols)
    # the grid's rows and columns: the sheet's, less those hidden
    lines = [r for r in range(top, bottom + 1) if r not in sheet.hidden_rows]
    columns = [c for c in range(left, right + 1) if c not in sheet.hidden_cols]
    location = Location(file=path, line=top, table=caption or None)
    too_big = oversized_table(len(lines), len(columns))
    if too_big:
        problems.append(Problem(too_big, location))
        return None
    grid: list[list[Cell | None]] = [[None] * len(columns) for _ in lines]
    for r1, c1, r2, c2 in merges:
        # the merged range's visible part, in grid positions
        i1, i2 = bisect_left(lines, r1), bisect_right(lines, r2) - 1
        j1, j2 = bisect_left(columns, c1), bisect_right(columns, c2) - 1
        if i1 > i2 or j1 > j2:
            continue
        cell = Cell(cells.get((r1, c1), ""), i1, j1, i2 - i1 + 1, j2 - j1 + 1)
        for i in range(i1, i2 + 1):
            grid[i][j1 : j2 + 1] = [cell] * (j2 - j1 + 1)
    out = tuple(
        tuple(cell or Cell(cells.get((lines[i], columns[j]), ""), i, j) for j, cell in enumerate(line))
        for i, line in enumerate(grid)
    )
    return Table(
        caption=caption, grid=out, location=location, preamble=tuple(preamble), header_rows=_header_rows(out),
        row_lines=tuple(lines),
    )


def _header_rows(grid: tuple[tuple[Cell, ...], ...]) -> int | None:
    """The header band as the merged cells tell it: a cell spanning rows extends the band to its
    last row, a cell spanning columns has its sub-column labels in the row below. None when the
    first row has no merged cell (nothing to tell the header by)."""
    band = 1
    r = 0
    while r < band and r < len(grid):
        for cell in grid[r]:
            if cell.row != r:
                continue
            band = max(band, r + cell.row_span + (1 if cell.col_span > 1 else 0))
        r += 1
    if band == 1 and all(cell.row_span == 1 and cell.col_span == 1 for cell in grid[0]):
        return None
    return band if band < len(grid) else None
