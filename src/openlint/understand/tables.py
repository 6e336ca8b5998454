"""Table semantics: what the columns and rows of a budget table mean, whatever the file format.

A `Table` from any reader is a grid of cells. This module reads it the way a finance officer
does:

- the unit of its amounts (元 / 万元), from the caption, the preamble (`单位：万元`) or the header;
- its column groups laid side by side (收入 | 支出, 人员经费 | 公用经费): each is a `TablePart`,
  a logical table with its own label and amount columns;
- for each amount column, its place in the header tree (合计 over 基本支出 and 项目支出, 小计
  under 公务用车购置及运行费) and its *roles* (合计, 基本支出, 事业收入, 因公出国 …), with the
  qualifiers (预算数 / 决算数, 本年 / 上年) kept apart as the column's *variant*;
- for each row, its label, its classification code and level (function 类/款/项 = 3/5/7 digits,
  economic 类/款 = 3/5, from one code column or split over 类|款|项 columns), its outline
  numbering (一、 / 1.) and whether it is a 合计 / 本年…合计 / 总计 row;
- amounts as exact decimals, each standing for the interval its rounding allows (`Amount`).

It knows budget vocabulary but no rule: which identities must hold is written in the rules.
Where the grid cannot be read with confidence (a header that does not form a tree, a row whose
amount cells hold text), the part or row says so and checks leave it alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Iterable

from openlint._slots import direct_init
from openlint.model import Cell, Location, Table
from openlint.understand.amounts import decimals_of, half_step, header_row_count, is_numbering_row, round_to
from openlint.understand.amounts import parse_amount  # noqa: F401  (memoised there; re-exported)

# ---------------------------------------------------------------- text helpers

_QUOTES = re.compile(r"[“”\"‘’'「」]")
_YEAR = re.compile(r"^20\d{2}\s*年度?")
_CN = "一二三四五六七八九十"
_ITEM = re.compile(rf"^[{_CN}]+\s*[、.．]")
_SUB = re.compile(rf"^(\d{{1,2}}\s*[、.．](?!\d)|[（(]\s*[\d{_CN}]{{1,3}}\s*[)）]\s*[、.．]?)")


@lru_cache(maxsize=8192)
def squash(text: str) -> str:
    """Text without whitespace (PDF extraction scatters spaces between CJK characters).

    Memoised: the table reader squashes the same labels and headers again for every table part,
    and the code reader reads the same cells. (str.split() splits at every Unicode space, the
    ideographic and no-break spaces included, for a fraction of a regex substitution's cost.)"""
    return "".join(text.split())


def strip_numbering(label: str) -> str:
    return _SUB.sub("", _ITEM.sub("", label), count=1)


@lru_cache(maxsize=8192)
def numbering_of(label: str) -> str | None:
    """`item` for 一、…, `sub` for 1. / （1） / （一）, else None. (Memoised: asked of every row.)"""
    if _ITEM.match(label):
        return "item"
    if _SUB.match(label):
        return "sub"
    return None


# ---------------------------------------------------------------- units

UNITS = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
# "单位：万元", "金额单位:元", "单位：人民币万元", "单位/元", and "单位 万元" where a print lost the colon
_UNIT = re.compile(r"单位\s*(?:[:：/]\s*|\s+)(?:人民币)?\s*(亿元|万元|元)")
_UNIT_BRACKET = re.compile(r"[（(]\s*(?:金额单位\s*[:：])?\s*(亿元|万元|元)\s*[)）]")


def unit_of(table: Table) -> str | None:
    """元 / 万元 / 亿元 as stated by the preamble, the caption or the header, else None."""
    for text in (*table.preamble, table.caption):
        m = _UNIT.search(text) or _UNIT_BRACKET.search(text)
        if m:
            return m.group(1)
    top = header_row_count(table)
    for r in range(min(top, table.n_rows)):
        for text in table.row_texts(r):
            m = _UNIT.search(text) or _UNIT_BRACKET.search(text)
            if m:
                return m.group(1)
    return None


def convert(value: Decimal, unit: str | None, to: str | None) -> Decimal:
    """`value` expressed in `unit`, in `to` (元 ↔ 万元 ↔ 亿元). Unknown units: unchanged."""
    if unit == to or unit not in UNITS or to not in UNITS:
        return value
    return value * UNITS[unit] / UNITS[to]


# ---------------------------------------------------------------- roles

# (role, pattern) on a label with whitespace, quotes, year and numbering removed. A label may
# carry several roles: 一般公共预算财政拨款 is 一般公共预算 and 财政拨款.
_TOTAL = re.compile(r"^(合计|小计|总计|本年(收入|支出)?(合计|小计)|(收入|支出)(合计|总计))$")
ROLE_PATTERNS: tuple[tuple[str, re.Pattern], ...] = tuple(
    (role, re.compile(pattern))
    for role, pattern in (
        ("基本支出", r"基本支出"),
        ("项目支出", r"项目支出"),
        ("人员经费", r"人员经费"),
        ("公用经费", r"公用经费"),
        ("上缴上级支出", r"上[缴解]上级"),
        ("经营支出", r"经营支出"),
        ("对附属单位补助支出", r"对附属单位补助"),
        ("一般公共预算", r"一般公共预算"),
        ("政府性基金", r"政府性?基金"),
        ("国有资本经营", r"国有资本经营"),
        ("财政专户", r"财政专户"),
        ("财政拨款", r"(?<!非)财政拨款|(?<!非)财政拨$"),
        ("事业收入", r"^事业收入$"),
        ("经营收入", r"经营收入$"),
        ("上级补助收入", r"上级补助"),
        ("附属单位上缴收入", r"附属单位上缴"),
        ("其他收入", r"^其他收入$"),
        ("用事业基金弥补收支差额", r"事业基金弥补"),
        ("本年收入", r"本年收入"),
        ("本年支出", r"本年支出"),
        ("上年结转", r"上年结转|年初结转|年初财政拨款结转"),
        ("年末结转", r"年末结转|年终结转|结转下年|年末财政拨款结转"),
        ("三公", r"三公"),
        ("因公出国", r"因公出国"),
        ("公务用车", r"公务用?车购置及运行|公务用?车购置和运行|^公务用车(费)?$"),
        ("公务用车购置", r"购置费?$"),
        ("公务用车运行", r"运行(维护|维修)?费$"),
        ("公务接待", r"公务接待"),
        ("机关运行经费", r"机关运行经费"),
        ("会议费", r"会议费"),
        ("培训费", r"培训费"),
    )
)
_QUALIFIER = re.compile(
    r"^((本年|上年|本期|上期)?(年初|全年|调整)?(预算|决算|执行)数?|(本年|上年|本期|上期)(数|金额)?|金额|数额|"
    r"(本年|上年)?(年初|全年|调整)?(预算|决算)(数|金额))$"
)


@lru_cache(maxsize=8192)
def normalise_label(text: str) -> str:
    """A label for matching: whitespace, quotes, a leading year and outline numbering removed."""
    s = _QUOTES.sub("", squash(text))
    s = _YEAR.sub("", s)
    return strip_numbering(s)


@lru_cache(maxsize=8192)
def is_total_label(label: str) -> bool:
    return _TOTAL.match(normalise_label(label)) is not None


@lru_cache(maxsize=8192)
def roles_of(label: str) -> frozenset[str]:
    """The roles a column or row label names: 合计, 基本支出, 财政拨款, 公务接待 …"""
    s = normalise_label(label)
    roles = {role for role, pattern in ROLE_PATTERNS if pattern.search(s)}
    if _TOTAL.match(s):
        roles.add("合计")
    if "公务用车" in roles:
        roles -= {"公务用车购置", "公务用车运行"}
    elif ("公务用车购置" in roles or "公务用车运行" in roles) and not re.search(r"公务用?车|^购置费|^运行(维护)?费", s):
        roles -= {"公务用车购置", "公务用车运行"}  # 房屋建筑物购置, 办公设备购置: not the vehicle line
    return frozenset(roles)


# 增减率（%）, 增长率, 执行率, 占比, 比重, 百分比: a row or column of rates, not of amounts. A label
# with a per-cent sign says so wherever; the words only at its end (a bracket after them aside),
# and in a short label, so that a project named 提升义务教育巩固率 stays a row of amounts.
_RATE_SIGN = re.compile(r"[%％‰]")
_RATE_WORD = re.compile(r"(率|比重|占比|百分比|比例|幅度|增幅|降幅)$")
_TRAILING_BRACKET = re.compile(r"[（(][^（()）]*[)）]$")


@lru_cache(maxsize=8192)
def is_rate_label(label: str) -> bool:
    """A label naming rates or shares (增减率（%）, 占比), whose figures are not amounts to add up."""
    s = normalise_label(label)
    if _RATE_SIGN.search(s):
        return len(s) <= 20
    s = _TRAILING_BRACKET.sub("", s)
    return len(s) <= 10 and _RATE_WORD.search(s) is not None


@lru_cache(maxsize=8192)
def is_qualifier(label: str) -> bool:
    """预算数 / 决算数 / 本年 / 上年 …: a header that says which figure, not what it is of."""
    return _QUALIFIER.match(normalise_label(label)) is not None


# ---------------------------------------------------------------- amounts

_ZERO = Decimal(0)


@direct_init
@dataclass(frozen=True, slots=True)
class Amount:
    """A printed amount and the interval it stands for.

    `value` is in `unit`; `error` is half the rounding step of the printed figure (0.005 for a
    figure printed to 0.01, 0.5 for whole 元): the true amount lies in value ± error. A sum of
    amounts keeps its `parts`, and its error is the sum of theirs. A blank cell is an exact 0.
    """

    value: Decimal
    error: Decimal
    unit: str | None
    label: str  # how a message names it: 一般公共服务支出：合计
    text: str  # as printed ("2,106.66"), "" for a blank cell
    location: Location | None = None
    parts: tuple["Amount", ...] = ()

    @property
    def blank(self) -> bool:
        return not self.text and not self.parts

    def __str__(self) -> str:
        return f"{self.label} {self.shown(True)}"

    def to(self, unit: str | None) -> "Amount":
        """The same amount expressed in another unit (元 ↔ 万元)."""
        if unit == self.unit or unit is None or self.unit is None:
            return self
        return Amount(
            convert(self.value, self.unit, unit),
            convert(self.error, self.unit, unit),
            unit,
            self.label,
            self.text,
            self.location,
            tuple(p.to(unit) for p in self.parts),
        )

    def shown(self, with_unit: bool = False) -> str:
        """The figure as printed (or as computed, for a sum), optionally with its unit."""
        if not self.text and not self.parts:
            return "（空）"
        text = self.text or format_decimal(self.value, self.error)
        if with_unit and self.unit and self.text:
            text += self.unit
        return text


def total_of(amounts: Iterable[Amount], label: str = "", location: Location | None = None) -> Amount:
    """The sum of amounts (same unit: the first one's), its error the sum of their errors."""
    items = list(amounts)
    unit = next((a.unit for a in items if a.unit), None)
    items = [a.to(unit) for a in items]
    value = sum((a.value for a in items), Decimal(0))
    error = sum((a.error for a in items), Decimal(0))
    return Amount(value, error, unit, label, "", location, tuple(items))


def format_decimal(value: Decimal, error: Decimal = Decimal("0.005"), grouping: bool = True) -> str:
    """A computed figure printed like the table's own (decimals from the rounding step)."""
    places = _precision(error)
    v = round_to(value, places)
    return f"{v:,.{places}f}" if grouping else f"{v:.{places}f}"


@lru_cache(maxsize=256)
def _precision(error: Decimal) -> int:
    """The decimals a rounding error of `error` calls for (memoised: a table has one or two
    rounding steps, and every figure computed from it is printed with them)."""
    places = 0
    step = error * 2
    while step < 1 and places < 6 and step > 0:
        step *= 10
        places += 1
    return places


# ---------------------------------------------------------------- the model of a table

@dataclass(eq=False)
class HeaderNode:
    """A node of a part's header tree: a header cell over one or more amount columns."""

    label: str
    roles: frozenset[str]
    total: bool
    parent: "HeaderNode | None" = None
    children: list["HeaderNode"] = field(default_factory=list)
    columns: dict[tuple[str, ...], int] = field(default_factory=dict)  # variant → grid column
    breakdown: bool = False  # its children are 其中 columns: parts of its own column

    @property
    def rate(self) -> bool:
        """A header over rates or shares (增减率（%）, 占比): its figures are no amounts."""
        return is_rate_label(self.label)

    @property
    def irregular(self) -> bool:
        """A header cell that has columns of its own *and* sub-headers: not a clean tree (unless
        the sub-headers are its 其中 columns)."""
        return bool(self.columns) and bool(self.children) and not self.breakdown

    def path(self) -> list["HeaderNode"]:
        out: list[HeaderNode] = []
        node: HeaderNode | None = self
        while node is not None and node.parent is not None:
            out.append(node)
            node = node.parent
        return out[::-1]

    def header(self) -> str:
        return "/".join(n.label for n in self.path())

    def total_child(self) -> "HeaderNode | None":
        totals = [c for c in self.children if c.total]
        return totals[0] if len(totals) == 1 else None


@dataclass(frozen=True, slots=True)
class Column:
    index: int  # grid column
    node: HeaderNode
    variant: tuple[str, ...]  # qualifiers: ("预算数",), ("决算数",), ()

    @property
    def roles(self) -> frozenset[str]:
        return self.node.roles

    @property
    def name(self) -> str:
        """The column's header as a message quotes it: 合计, 公务用车购置及运行费/小计（决算数）."""
        name = self.node.label
        parent = self.node.parent
        if self.node.label == "小计" and parent is not None and parent.parent is not None and parent.roles:
            name = f"{parent.label}{name}" if len(parent.label) <= 12 else name
        if self.variant:
            name += "（" + "、".join(self.variant) + "）"
        return name

    @property
    def header(self) -> str:
        h = self.node.header()
        return h + ("/" + "/".join(self.variant) if self.variant else "")


@direct_init
@dataclass(frozen=True, slots=True)
class Row:
    index: int  # grid row
    label: str  # whitespace removed, numbering kept: 一、一般公共服务支出
    code: str | None  # 2010601, 30101 …
    level: int | None  # 1 类, 2 款, 3 项
    numbering: str | None  # item (一、) | sub (1.) | None
    kind: str | None  # total (合计) | subtotal (本年收入合计) | grand (总计) | None
    cells: dict[int, str]  # amount column → printed text ("" when blank)
    values: dict[int, Decimal]  # amount column → value, for printed amounts only
    suspect: bool = False  # an amount cell holds text or spans columns: leave the row alone
    rate: bool = False  # a row of rates or shares (增减率（%）): its figures are no amounts

    @property
    def name(self) -> str:
        """The label without outline numbering."""
        return strip_numbering(self.label)

    @property
    def has_amounts(self) -> bool:
        return bool(self.values)

    def value(self, col: int) -> Decimal:
        return self.values.get(col, Decimal(0))

    def described(self) -> str:
        """How a message names the row: `201 一般公共服务支出`, `合计`."""
        return f"{self.code} {self.label}" if self.code else self.label


@dataclass(eq=False)
class TablePart:
    """One logical table: a group of label columns and the amount columns to their right."""

    table: Table
    index: int
    title: str  # the header cell over the whole group: 收入, 支出, 本年收入 … ("" if none)
    unit: str | None
    error: Decimal  # half the rounding step of the table's figures
    grouping: bool  # figures printed with thousands separators
    label_cols: tuple[int, ...]
    code_cols: tuple[int, ...]
    name_col: int | None
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    root: HeaderNode
    trusted: bool = True  # the header forms a clean tree over every amount column
    _by_index: dict[int, Column] = field(init=False, repr=False)
    _headers: dict[int, str | None] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # every cell a check reads asks for its column: a map instead of a scan of the columns
        self._by_index = {}
        for column in self.columns:
            self._by_index.setdefault(column.index, column)
        self._headers = {}

    def header_of(self, col: int) -> str | None:
        """The header of the column at grid column `col` (None if it is no amount column), as a
        cell's location names it: worked out once, though every figure quoted from it asks."""
        try:
            return self._headers[col]
        except KeyError:
            column = self.column(col)
            header = self._headers[col] = column.header if column is not None else None
            return header

    @property
    def caption(self) -> str:
        return self.table.caption

    def column(self, col: int) -> Column | None:
        return self._by_index.get(col)

    def main_column(self) -> Column | None:
        """The column a row's amount is read from when none is named: the top-level 合计 (first
        variant), else the only amount column."""
        tops = [c for c in self.columns if c.node.total and c.node.parent is not None and _depth(c.node) <= 2]
        tops = of_this_year(tops, lambda c: c.variant)  # 2024年 | 2025年 over the 合计: the year's
        if tops:
            return min(tops, key=lambda c: (_depth(c.node), c.index))
        if len({c.node.label for c in self.columns}) == 1:
            return self.columns[0]
        # one figure by year (项目 | 2024年预算数 | 2025年预算数, a 三公 table with its items as rows):
        # the later year's
        years = [_YEAR.search(c.node.label) for c in self.columns]
        if len(self.columns) == 2 and all(years) and years[0].group(1) != years[1].group(1) \
                and normalise_label(self.columns[0].node.label) == normalise_label(self.columns[1].node.label):
            return max(zip(years, self.columns), key=lambda pair: pair[0].group(1))[1]
        return None

    def error_of(self, row: Row, col: int) -> Decimal:
        """Half the rounding step of a printed figure: its own decimals (12,604,173 in a table of
        figures to 0.01 was rounded to whole 元), the table's for a zero; 0 for a blank cell."""
        text = row.cells.get(col)
        if not text:
            return _ZERO
        if not row.values.get(col):  # a zero (or no value): the table's step
            return self.error
        return max(self.error, half_step(text))

    def amount(self, row: Row, col: int, location: Location | None = None, label: str | None = None) -> Amount:
        """The cell as an amount, named `行：列` unless `label` says otherwise."""
        if label is None:
            column = self.column(col)
            label = row.label or self.caption
            if column is not None:
                label = f"{row.label}：{column.name}" if row.label else column.name
        return Amount(row.values.get(col, _ZERO), self.error_of(row, col), self.unit, label, row.cells.get(col, ""),
                      location)


def _depth(node: HeaderNode) -> int:
    return len(node.path())


@dataclass(eq=False)
class TableSemantics:
    table: Table
    unit: str | None
    parts: tuple[TablePart, ...]


# ---------------------------------------------------------------- reading a grid

_CODE_TEXT = re.compile(r"^\d{2,7}$")
_INDEX_HEADER = re.compile(r"^(序号|行次|栏次|编号)$")
_LABEL_WORD = re.compile(r"项目$|^项目|科目|名称|编码|代码|^[类款项]$|^(类|款|项)(级)?$|分类$|单位$|指标|说明|备注|内容")
_AMOUNT_WORD = re.compile(r"(收入|支出|经费|费|费用|合计|小计|总计|金额|数|资金|拨款|结余|结转)$")
_SEGMENTS = {"类": 0, "款": 3, "项": 5}  # split code columns: the digits of the level above each
_BLANKISH = {"/", "／", "—", "-", "－", "–", "——", "--", "…", "……", "*", "x", "X", "×"}


def read_table(table: Table) -> TableSemantics:
    """The semantics of a table: its unit and its logical parts."""
    unit = unit_of(table)
    top = header_row_count(table)
    if table.n_rows == 0 or table.n_cols == 0:
        return TableSemantics(table, unit, ())
    grid = _read_grid(table, top)
    kinds = _column_kinds(grid)
    groups = _split_parts(kinds)
    amount_cols = [c for c, kind in enumerate(kinds) if kind == "amount"]
    decimals = max((grid.decimals[c] for c in amount_cols), default=0)
    grouping = any(grid.grouping[c] for c in amount_cols)
    error = Decimal(5).scaleb(-decimals - 1)
    parts = []
    for i, blocks in enumerate(_folds(grid, kinds, groups)):
        (labels, amounts_), *folded = blocks
        part = _read_part(table, i, grid, kinds, labels, amounts_, unit, error, grouping, tuple(folded))
        if part is not None:
            parts.append(part)
    return TableSemantics(table, unit, tuple(parts))


@dataclass(frozen=True, slots=True)
class _Grid:
    """A table's grid read once for everything its parts need: its body rows, each column's
    header cells and what its body cells hold."""

    body_rows: list[int]  # below the header, 栏次/行次 rows left out
    headers: list[list[Cell]]  # per column: the header cells over it, top down, a merged cell once
    counts: list[list[int]]  # per column: [amounts, code-like numbers, texts] of its body cells
    decimals: list[int]  # per column: the most decimals of a figure
    grouping: list[bool]  # per column: a figure printed with thousands separators


def _read_grid(table: Table, top: int) -> _Grid:
    """One pass over the table's body cells (see `_Grid`), below the `top` header rows."""
    n_cols = table.n_cols
    numbering_rows = {r for r in range(table.n_rows) if is_numbering_row(table, r)}
    body_rows = [r for r in range(top, table.n_rows) if r not in numbering_rows]
    counts = [[0, 0, 0] for _ in range(n_cols)]
    decimals = [0] * n_cols
    grouping = [False] * n_cols
    for r in body_rows:
        cells = [(c, cell) for c, cell in enumerate(table.grid[r]) if cell.row == r and cell.col == c]
        # A code is never totalled: a whole number in a 合计/总计 row is an amount (3000 typed into
        # a General-format cell), which tells a column of whole amounts from a column of codes.
        totalled = any(_body_cell(cell.text)[0] == 2 and _row_kind(cell.text) for _, cell in cells)
        for c, cell in cells:
            found, places, comma = _body_cell(cell.text)
            if found is None:
                continue
            if found == 1 and totalled:
                found = 0
            counts[c][found] += 1
            if found != 2:  # a figure (a bare code-like number is one too)
                if places > decimals[c]:
                    decimals[c] = places
                if comma:
                    grouping[c] = True
    return _Grid(body_rows, _header_cells(table, top, numbering_rows, n_cols), counts, decimals, grouping)


def _column_kinds(grid: _Grid) -> list[str]:
    """index | code | name | amount, for each grid column."""
    ncols = len(grid.counts)
    kinds: list[str] = []
    for c in range(ncols):
        header = _header_texts(grid.headers[c], ncols)
        amount_n, code_n, text_n = grid.counts[c]
        single = [t for t, span in header if span == 1]
        if any(_INDEX_HEADER.match(t) for t in single):
            kinds.append("index")
            continue
        deepest = header[-1][0] if header else ""
        if deepest in _SEGMENTS and code_n and code_n >= text_n + amount_n:
            # a 类 column printing each 类 once (its 款 and 项 rows blank there) holds as many codes
            # as other cells: the 合计 label across the code columns starts in it
            kinds.append("code")
            continue
        if deepest and _names_labels(deepest):
            kinds.append("code" if code_n > text_n + amount_n else "name" if text_n or code_n or not amount_n else "amount")
            continue
        if deepest:
            # An amount header: body text there is noise (a wrapped label), not a label column,
            # unless the body is clearly labels.
            if text_n > 2 * (amount_n + code_n) and text_n >= 2:
                kinds.append("name")
            elif code_n > 2 * (amount_n + text_n) and code_n >= 3 and not amount_n:
                kinds.append("code")
            else:
                kinds.append("amount")
            continue
        if code_n > amount_n + text_n:
            kinds.append("code")
        elif text_n > amount_n:
            kinds.append("name")
        else:
            kinds.append("amount")
    return kinds


@lru_cache(maxsize=4096)
def _names_labels(header: str) -> bool:
    """A header over codes or names (项目, 科目编码), not over amounts (项目支出 is an amount).
    (Memoised: asked of every header cell of every table, and headers repeat.)"""
    return bool(_LABEL_WORD.search(header)) and not _AMOUNT_WORD.search(header)


@lru_cache(maxsize=8192)
def _body_cell(text: str) -> tuple[int | None, int, bool]:
    """A body cell: which of `_Grid.counts` it adds to (0 amount, 1 code-like, 2 text, None for a
    blank or placeholder), and for a figure its decimals and whether it has thousands separators.
    Memoised: the same figures and labels recur in every table."""
    t = text.strip()
    if not t or t in _BLANKISH:
        return None, 0, False
    if _CODE_TEXT.match(t):
        return 1, 0, False
    if parse_amount(t) is not None:
        return 0, decimals_of(text), "," in text
    return 2, 0, False


def _header_texts(cells: list[Cell], n_cols: int) -> list[tuple[str, int]]:
    """(squashed text, column span) of a column's header cells, top down, in a table `n_cols` wide."""
    out: list[tuple[str, int]] = []
    for cell in cells:
        t = squash(cell.text)
        if t and not (cell.col_span > 1 and cell.col_span >= n_cols):  # a banner over the whole table
            out.append((t, cell.col_span))
    return out


def _header_cells(table: Table, top: int, numbering_rows: set[int], n_cols: int) -> list[list[Cell]]:
    """For each column, the cells above the body, top down: a merged cell once, 栏次 rows skipped."""
    rows = [table.grid[r] for r in range(min(top, table.n_rows)) if r not in numbering_rows]
    out: list[list[Cell]] = []
    for c in range(n_cols):
        cells: list[Cell] = []
        last: Cell | None = None
        for row in rows:
            if c < len(row) and row[c] is not last:
                last = row[c]
                cells.append(last)
        out.append(cells)
    return out


def _split_parts(kinds: list[str]) -> list[tuple[list[int], list[int]]]:
    """Column groups: label columns then amount columns; a label column after an amount column
    starts a new group (收入 | 支出 side by side)."""
    groups: list[tuple[list[int], list[int]]] = []
    labels: list[int] = []
    amounts_: list[int] = []
    for c, kind in enumerate(kinds):
        if kind == "amount":
            amounts_.append(c)
        else:
            if amounts_:
                groups.append((labels, amounts_))
                labels, amounts_ = [], []
            labels.append(c)
    if amounts_:
        groups.append((labels, amounts_))
    return groups


_Group = tuple[list[int], list[int]]  # a column group: its label columns, its amount columns


def _folds(grid: _Grid, kinds: list[str], groups: list[_Group]) -> list[list[_Group]]:
    """The column groups, each with the groups that continue it: one table folded side by side,
    under a header cell spanning the groups exactly, each group laid out alike (the national
    基本支出决算表: 公用经费 over two 科目编码 | 科目名称 | 决算数 groups, beside 人员经费)."""
    out: list[list[_Group]] = []
    i = 0
    while i < len(groups):
        j = _fold_end(grid, kinds, groups, i)
        out.append(groups[i:j + 1])
        i = j + 1
    return out


def _fold_end(grid: _Grid, kinds: list[str], groups: list[_Group], i: int) -> int:
    labels, amounts_ = groups[i]
    if not labels:
        return i
    first = labels[0]
    n_cols = len(grid.headers)
    for cell in grid.headers[first]:
        end = cell.col + cell.col_span - 1
        if cell.col != first or end <= amounts_[-1] or cell.col_span >= n_cols or not squash(cell.text):
            continue  # not a header over this group and beyond it (a banner over the table is none)
        j = next((k for k in range(i + 1, len(groups)) if groups[k][1][-1] == end), None)
        if j is not None and all(_alike(grid, kinds, groups[i], groups[k]) for k in range(i + 1, j + 1)):
            return j
        return i
    return i


def _alike(grid: _Grid, kinds: list[str], a: _Group, b: _Group) -> bool:
    """Two column groups laid out alike: the same kinds of column under the same lowest headers."""
    cols_a, cols_b = a[0] + a[1], b[0] + b[1]
    return len(cols_a) == len(cols_b) and len(a[1]) == len(b[1]) and all(
        kinds[x] == kinds[y] and _lowest_header(grid, x) == _lowest_header(grid, y) for x, y in zip(cols_a, cols_b))


def _lowest_header(grid: _Grid, col: int) -> str:
    cells = grid.headers[col]
    return squash(cells[-1].text) if cells else ""


def _read_part(table, index, grid: _Grid, kinds, labels, amount_cols, unit, error, grouping,
               folded: tuple[_Group, ...] = ()) -> TablePart | None:
    """A part from its label and amount columns; `folded`: the groups that continue it side by
    side (see `_folds`), whose rows follow its own, each cell under the column it continues."""
    code_cols = tuple(c for c in labels if kinds[c] == "code")
    name_cols = [c for c in labels if kinds[c] == "name"]
    name_col = name_cols[-1] if name_cols else None
    lo, hi = min(amount_cols), max(amount_cols)
    part_lo = min(labels) if labels else lo
    fold_hi = max(folded[-1][1]) if folded else hi
    root = HeaderNode("", frozenset(), False)
    nodes: dict[tuple[int, ...], HeaderNode] = {}
    columns: list[tuple[int, HeaderNode, tuple[str, ...]]] = []
    title = ""
    years = _qualifier_years(grid, amount_cols)
    for c in amount_cols:
        path: list[Cell] = []
        qualifiers: list[Cell] = []
        for cell in grid.headers[c]:
            text = squash(cell.text)
            if not text:
                continue
            first, end = cell.col, cell.col + cell.col_span - 1
            if first < lo or end > hi:
                # over label columns or beyond the group: the group's title, not a column header
                if not title and part_lo <= first and end <= fold_hi and (name_col is None or first <= name_col) \
                        and not _names_labels(text):
                    title = text
                continue
            if _names_labels(text):
                continue
            if is_qualifier(text):
                qualifiers.append(cell)
                continue
            path.append(cell)
        if not path and qualifiers:  # 项目 | 预算数: the qualifier is all the header there is
            path.append(qualifiers.pop())
        variant = [_relative_year(q.text, years) + normalise_label(q.text) for q in qualifiers]
        parent = root
        key: tuple[int, ...] = ()
        for cell in path:
            key = key + (id(cell),)
            node = nodes.get(key)
            if node is None:
                label = squash(cell.text)
                node = HeaderNode(label, roles_of(label), is_total_label(label), parent)
                parent.children.append(node)
                nodes[key] = node
            parent = node
        columns.append((c, parent, tuple(variant)))
    if not columns:
        return None
    for c, node, variant in columns:
        if node is root:  # an amount column without any header: unknown
            continue
        if variant in node.columns:  # two columns with the same header and variant: unknown
            node.columns[variant] = -1
        else:
            node.columns[variant] = c
    moved: dict[HeaderNode, HeaderNode] = {}
    _merge_variants(root, moved)
    if moved:
        columns = [(c, _moved_to(node, moved), variant) for c, node, variant in columns]
    _collapse(root)
    _attach_breakdowns(root)
    # A header cell naming two columns (政府性基金预算 国有资本经营预算: the reader merged two header
    # cells, and the columns under them): its column is unknown, but the columns whose own header is
    # clean stay readable. Sums that need the unknown column find no column for it and leave it alone.
    merged_leaves = [n for n in _nodes(root) if not n.children and n.columns and _merged_roles(n)]
    unknown = {c for n in merged_leaves for c in n.columns.values() if c >= 0}
    for n in merged_leaves:
        n.columns = {variant: -1 for variant in n.columns}
    cols = tuple(
        Column(c, node, variant)
        for c, node, variant in columns
        if node is not root and node.columns.get(variant) == c
    )
    if not title and name_col is not None:
        # no header cell over the whole group: a label column headed 收入 / 支出项目 names it
        texts = _header_texts(grid.headers[name_col], len(grid.headers))
        if texts and re.search(r"收入|支出", texts[-1][0]) and texts[-1][1] == 1:
            title = texts[-1][0]
    segments = tuple(next((t for t, _ in reversed(_header_texts(grid.headers[c], len(grid.headers)))), "")
                     for c in code_cols)  # 类 / 款 / 项 over split code columns
    # a column of rates (增减率（%）, 占比) under the header: its figures are read as no amounts
    rates = frozenset(c for c, node, _ in columns if any(n.rate for n in node.path()))
    rows = _read_rows(table, grid.body_rows, labels, code_cols, name_col, kinds, amount_cols, segments, rates)
    if folded:
        rows = _fold_rows(table, grid, kinds, rows, (labels, amount_cols), folded, rates)
    trusted = len(cols) + len(unknown) == len(amount_cols) \
        and not any(n.irregular or (_merged_roles(n) and n not in merged_leaves) for n in _nodes(root))
    return TablePart(table, index, title, unit, error, grouping, tuple(labels), code_cols, name_col, cols, rows, root,
                     trusted)


_YEAR = re.compile(r"((?:19|20)\d{2})年")


def _qualifier_years(grid: _Grid, amount_cols) -> tuple[str, str] | None:
    """(earlier, later) when the qualifiers over the columns name two years (2024年预算数 |
    2025年预算数): told apart as 上年 and 本年, which normalising would make one variant."""
    found = {m.group(1) for c in amount_cols for cell in grid.headers[c]
             if is_qualifier(squash(cell.text)) and (m := _YEAR.search(squash(cell.text)))}
    return (min(found), max(found)) if len(found) == 2 and int(max(found)) - int(min(found)) == 1 else None


def of_this_year(items: list, variant_of=lambda v: v) -> list:
    """Of a year's figures and the year before's (2025年预算数 | 2024年预算数, read as 本年 | 上年, see
    `_relative_year`), the year's: what a figure named without its year is. Other items unchanged."""
    def starts(item, word: str) -> bool:
        variant = variant_of(item)
        return bool(variant) and variant[0].startswith(word)

    this = [x for x in items if starts(x, "本年")]
    rest = [x for x in items if not starts(x, "本年")]
    return this if this and rest and all(starts(x, "上年") for x in rest) else items


def _relative_year(text: str, years: tuple[str, str] | None) -> str:
    m = _YEAR.search(squash(text)) if years else None
    if m is None:
        return ""
    return "本年" if m.group(1) == years[1] else "上年"


def _fold_rows(table: Table, grid: _Grid, kinds: list[str], rows: tuple[Row, ...],
               first: _Group, folded: tuple[_Group, ...], rates: frozenset[int]) -> tuple[Row, ...]:
    """The rows of a table folded side by side: the first group's, then each further group's, its
    cells under the first group's columns. A line printed across the groups (公用经费合计: a label
    cell spanning them, or the label in one group and the figure in the next, as a PDF prints it)
    is one row, after the others (before them when it comes first, as a 合计 line on top)."""
    blocks: list[tuple[tuple[Row, ...], list[int]]] = [(rows, first[1])]
    label_cols = set(first[0])
    for labels, amounts_ in folded:
        label_cols.update(labels)
        names = [c for c in labels if kinds[c] == "name"]
        to_first = dict(zip(amounts_, first[1]))
        own = _read_rows(table, grid.body_rows, labels, tuple(c for c in labels if kinds[c] == "code"),
                         names[-1] if names else None, kinds, amounts_,
                         rates=frozenset(c for c in amounts_ if to_first[c] in rates))
        blocks.append((tuple(_under(row, to_first) for row in own), amounts_))
    at: dict[int, list[tuple[Row, list[int]]]] = {}
    for block, amounts_ in blocks:
        for row in block:
            at.setdefault(row.index, []).append((row, amounts_))
    across: dict[int, Row] = {}
    for r, found in at.items():
        line = _across(table, r, found, label_cols)
        if line is not None:
            across[r] = line
    first_coded = min((row.index for block, _ in blocks for row in block if row.code), default=None)
    head = [across[r] for r in sorted(across) if first_coded is not None and r < first_coded]
    tail = [across[r] for r in sorted(across) if first_coded is None or r >= first_coded]
    body = [row for block, _ in blocks for row in block if row.index not in across]
    return tuple(head + body + tail)


def _under(row: Row, to_first: dict[int, int]) -> Row:
    """A row of a folded group with its cells under the first group's columns."""
    return Row(row.index, row.label, row.code, row.level, row.numbering, row.kind,
               {to_first[c]: t for c, t in row.cells.items()}, {to_first[c]: v for c, v in row.values.items()},
               row.suspect, row.rate)


def _across(table: Table, r: int, found: list[tuple[Row, list[int]]], label_cols: set[int]) -> Row | None:
    """The groups' rows at grid row `r` as one line across them, when one of them is a 合计 line
    and the others say nothing else (no code, no other label); None otherwise."""
    totals = [row for row, _ in found if row.kind]
    if not totals or any(row.code for row, _ in found) \
            or any(row.label and row.label != totals[0].label for row, _ in found):
        return None
    cells: dict[int, str] = {}
    values: dict[int, Decimal] = {}
    suspect = False
    for row, amounts_ in found:
        grid_row = table.grid[r]
        # the cells of a group covered by the label cell spanning the groups hold no figure
        covered = all(c < len(grid_row) and grid_row[c].col != c and grid_row[c].col in label_cols for c in amounts_)
        if row.suspect and not covered:
            suspect = True
        for c, t in row.cells.items():
            if t:
                if cells.get(c):
                    suspect = True  # a figure in two groups for one column: which is the line's?
                cells[c] = t
            else:
                cells.setdefault(c, "")
        for c, v in row.values.items():
            values[c] = v
    line = totals[0]
    return Row(r, line.label, None, None, line.numbering, line.kind, cells, values, suspect, line.rate)


_OF_WHICH = re.compile(r"^其中[:：]?")


def _attach_breakdowns(node: HeaderNode) -> None:
    """A column headed 其中：X (of which X) breaks down the column before it, in a one-line header:
    合计 | 公务用车购置及运行费 | 其中：购置费 | 其中：运行费 | 公务接待费."""
    kept: list[HeaderNode] = []
    for child in node.children:
        if _OF_WHICH.match(child.label) and kept and kept[-1].columns and not _OF_WHICH.match(kept[-1].label):
            child.label = _OF_WHICH.sub("", child.label)
            child.roles = roles_of(child.label) | child.roles
            child.parent = kept[-1]
            kept[-1].children.append(child)
            kept[-1].breakdown = True
        else:
            kept.append(child)
    node.children = kept
    for child in kept:
        _attach_breakdowns(child)


def _nodes(root: HeaderNode):
    stack = list(root.children)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


def _merge_variants(node: HeaderNode, moved: dict[HeaderNode, HeaderNode]) -> None:
    """One node for a header printed once under each qualifier: with 预算数 | 决算数 as the top
    groups, each over 合计 / 因公出国（境）费 / 公务用车购置及运行费 (小计, 购置费, 运行费) / 公务接待费
    (the national 三公 table), 公务接待费 is one header with two variants, as when the qualifiers are
    printed under it. Sibling headers with the same label are merged when no column of theirs
    (down their sub-headers) has the same variant; two 合计 columns of the same variant stay two
    headers. `moved` maps each merged node to the one that took it over."""
    kept: list[HeaderNode] = []
    for child in node.children:
        twin = next((k for k in kept if k.label == child.label), None)
        if twin is not None and _variants_apart(twin, child):
            _absorb(twin, child, moved)
        else:
            kept.append(child)
    node.children = kept
    for child in kept:
        _merge_variants(child, moved)


def _variants_apart(a: HeaderNode, b: HeaderNode) -> bool:
    """Whether two same-labelled headers can be one: no variant in both, here or in a sub-header
    of the same label (each label once on either side, so that the pairing is unambiguous)."""
    if a.columns.keys() & b.columns.keys():
        return False
    a_labels = [c.label for c in a.children]
    b_labels = [c.label for c in b.children]
    for child in b.children:
        if child.label in a_labels:
            if a_labels.count(child.label) > 1 or b_labels.count(child.label) > 1:
                return False
            if not _variants_apart(a.children[a_labels.index(child.label)], child):
                return False
    return True


def _absorb(a: HeaderNode, b: HeaderNode, moved: dict[HeaderNode, HeaderNode]) -> None:
    a.columns.update(b.columns)
    moved[b] = a
    for child in b.children:
        twin = next((c for c in a.children if c.label == child.label), None)
        if twin is None:
            child.parent = a
            a.children.append(child)
        else:
            _absorb(twin, child, moved)


def _moved_to(node: HeaderNode, moved: dict[HeaderNode, HeaderNode]) -> HeaderNode:
    while node in moved:
        node = moved[node]
    return node


def _collapse(node: HeaderNode) -> None:
    """Merge a header cell with its only sub-header (a header wrapped over two lines: 一般公共预算财
    / 政拨款), so that the tree has a node per meaning."""
    for i, child in enumerate(list(node.children)):
        while len(child.children) == 1 and not child.columns:
            only = child.children[0]
            only.label = child.label + only.label
            only.roles = roles_of(only.label) | only.roles
            only.total = only.total or is_total_label(only.label)
            child = only
        child.parent = node
        node.children[i] = child
        _collapse(child)


# Roles a single column cannot have together: a column that does was two columns the reader merged.
# The funds an amount is split by (the 财政拨款 of each budget, and 财政专户 money).
FUNDS = frozenset({"一般公共预算", "政府性基金", "国有资本经营", "财政专户"})

_EXCLUSIVE = (
    FUNDS,
    frozenset({"基本支出", "项目支出"}),
    frozenset({"人员经费", "公用经费"}),
    frozenset({"事业收入", "经营收入", "上级补助收入", "附属单位上缴收入", "其他收入"}),
    frozenset({"因公出国", "公务用车", "公务接待", "公务用车购置", "公务用车运行"}),
)


def _merged_roles(node: HeaderNode) -> bool:
    return _conflicting(node.roles)


def _conflicting(roles: frozenset[str]) -> bool:
    """Roles one column or line cannot have together (一般公共预算 and 政府性基金)."""
    return len(roles) > 1 and any(len(roles & group) > 1 for group in _EXCLUSIVE)


_LEVELS = {3: 1, 5: 2, 7: 3}  # digits of a code → 类 / 款 / 项


def _read_rows(table, body_rows, labels, code_cols, name_col, kinds, amount_cols, segments=(),
               rates: frozenset[int] = frozenset()) -> tuple[Row, ...]:
    """The body rows. The cells of a row of rates (增减率（%）) or of a column in `rates` are no
    amounts: read as blank, so that no sum takes a percentage for an amount."""
    rows: list[Row] = []
    above: str | None = None  # the last code read (a row printing only its 款 or 项 continues it)
    text_cols = [c for c in labels if kinds[c] == "name"]
    for r in body_rows:
        grid_row = table.grid[r]
        width = len(grid_row)
        label = squash(grid_row[name_col].text) if name_col is not None and name_col < width else ""
        if not label:  # the first name column that says something
            for c in text_cols:
                if c < width:
                    label = squash(grid_row[c].text)
                    if label:
                        break
        code = _code_of(_code_texts(grid_row, r, code_cols, segments), segments, above) if code_cols else None
        above = code or above
        if not label and code is None:
            # a label over the code and name columns (人员经费合计) that a PDF prints unmerged, in the
            # code column: the line's label all the same
            label = next((t for c in code_cols if c < width and (t := squash(grid_row[c].text))
                          and not t.isdigit()), "")
        cells: dict[int, str] = {}
        values: dict[int, Decimal] = {}
        suspect = False
        rate = not code and is_rate_label(label)
        for c in amount_cols:
            if c >= width or rate or c in rates:
                cells[c] = ""
                continue
            cell = grid_row[c]
            if cell.row != r or cell.col != c:
                if cell.text.strip() and cell.col != c:
                    suspect = True
                cells[c] = ""
                continue
            t, value, odd = _amount_cell(cell.text)
            if cell.col_span > 1 and t:
                suspect = True
            if value is not None:
                values[c] = value
                cells[c] = t
            else:
                cells[c] = ""
                if odd:
                    suspect = True
        if not values and not code and not suspect and not rate:
            # a label wrapped onto the next line (二、政府性基金预算财政拨 / 款): continue the last row;
            # not a blank line of its own under it (一般公共预算财政拨款 / 政府性基金预算财政拨款, the
            # national template's lines by fund), which would make a label naming two funds
            if label and rows and not numbering_of(label) and not _row_kind(label) and len(label) <= 12 \
                    and rows[-1].label and not rows[-1].kind and rows[-1].index == r - 1 \
                    and not _conflicting(roles_of(rows[-1].label + label)):
                prev = rows[-1]
                rows[-1] = Row(prev.index, prev.label + label, prev.code, prev.level, prev.numbering,
                               _row_kind(prev.label + label), prev.cells, prev.values, prev.suspect, prev.rate)
                continue
        level = _LEVELS.get(len(code)) if code else None
        rows.append(Row(r, label, code, level, numbering_of(label), _row_kind(label), cells, values, suspect, rate))
    return tuple(rows)


@lru_cache(maxsize=8192)
def _amount_cell(text: str) -> tuple[str, Decimal | None, bool]:
    """A cell of an amount column: (its text stripped, its amount, whether it is something else
    than an amount or a placeholder). Memoised: the same figures recur in every table."""
    t = text.strip()
    value = parse_amount(t) if t else None
    odd = value is None and bool(t) and t not in _BLANKISH and not _is_dash(t)
    return t, value, odd


def _is_dash(text: str) -> bool:
    return all(ch in "-—–－_ " for ch in text)


_GRAND = re.compile(r"(收入|支出)?总计$")
_SUBTOTAL = re.compile(r"本年(收入|支出)合计$")
_ROW_TOTAL = re.compile(r"(合计|小计)$")


@lru_cache(maxsize=8192)
def _row_kind(label: str) -> str | None:
    s = normalise_label(label)
    if not s:
        return None
    if _GRAND.search(s):
        return "grand"
    if _SUBTOTAL.search(s):
        return "subtotal"
    if _ROW_TOTAL.search(s) and len(s) <= 12:
        return "total"
    return None


def _code_texts(grid_row, r: int, code_cols, segments) -> list[str]:
    """The texts of a row's code cells; a 类 or 款 cell merged down from a row above counts as blank
    (`_code_of` continues the code read above, which the merged cell's row began)."""
    out = []
    for i, c in enumerate(code_cols):
        if c >= len(grid_row):
            out.append("")
            continue
        cell = grid_row[c]
        merged_down = cell.row != r and i < len(segments) and segments[i] in _SEGMENTS
        out.append("" if merged_down else squash(cell.text))
    return out


def _code_of(texts: list[str], segments: tuple[str, ...] = (), above: str | None = None) -> str | None:
    """A classification code from one code column (2010601) or split columns (201 | 06 | 01).

    Split columns headed 类 | 款 | 项 (`segments`) may leave the levels above a row's own blank
    (`| | 05 | |`, `| | | 05 |`: each level printing its own segment, or the 类 and 款 merged down
    their rows): the row then continues the code read above it (`above`), a 款 its 类, a 项 its
    款; a 款 or 项 printed in full in its own column (`| | 20805 | |`) stands alone."""
    if not texts:
        return None
    if len(texts) == 1:
        t = texts[0]
        return t if t.isdigit() and len(t) in (3, 5, 7) else None
    code = ""
    ended = False
    for i, t in enumerate(texts):
        if not t:
            ended = True
            continue
        if not t.isdigit() or (ended and code):
            return None
        if not code and ended:
            depth = _SEGMENTS.get(segments[i] if i < len(segments) else "")
            if not depth:
                return None
            if len(t) == depth + 2:
                code = t
            elif len(t) <= 2 and above is not None and len(above) >= depth:
                code = above[:depth] + t.zfill(2)
            else:
                return None
            ended = False
            continue
        if not code:
            if len(t) not in (3, 5, 7):
                return None
            code = t
        elif len(t) <= 2:
            code += t.zfill(2)  # 款 printed as 2 for 02
        elif len(t) == len(code) + 2 and t.startswith(code):
            code = t
        else:
            return None
    return code if len(code) in (3, 5, 7) else None
