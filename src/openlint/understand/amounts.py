"""Amounts as exact decimals, and which cells of a table hold amounts."""

from __future__ import annotations

import re
from decimal import Context, Decimal, InvalidOperation
from functools import lru_cache

from openlint.model import Table

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－（）", "0123456789.,-()")
_AMOUNT = re.compile(r"^(?=\(.*\)$|[^()]*$)\(?[-−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\)?$")  # parentheses balanced
_AMOUNT_START = frozenset("0123456789０１２３４５６７８９-−－(（￥¥")
_CURRENCY = re.compile(r"^([-−(]?)[￥¥]")  # ￥1,234.00 as a table printed with a currency format shows it
_DASHES = {"-", "—", "–", "－", "--", "——"}
_LABEL_HEADER = re.compile(r"编码|代码|科目|名称|项目|序号|行次|栏次|单位|^[类款项]$|指标|说明|备注|内容|名\s*称")
# A header naming an amount is no label column even if it contains a label word: 项目支出, 附属单位上缴收入.
_AMOUNT_HEADER = re.compile(r"(收入|支出|经费|费|合计|小计|总计|金额)$")
_CODE = re.compile(r"^\d{3}(\s*\d{2}){0,2}$")
# A header over codes, or over the parts of codes printed in split columns: 类 | 款 | 项, or 科目编码
# merged over them.
_CODE_HEADER = re.compile(r"^[类款项]$|(编码|代码)$")
_CODE_OR_PART = re.compile(r"^(\d{3}|\d{5}|\d{7}|\d{2})$")  # 201, 20106, 2010601, or a 款 / 项 part: 06


# More whole digits than any budget figure has (10^18 元 is a hundred thousand national budgets):
# such a run of digits is an identifier, figures run together or damage, not an amount. The
# arithmetic on amounts runs in Decimal's default 28 digits, which a longer figure overflows.
MAX_WHOLE_DIGITS = 18


def to_decimal(digits: str) -> Decimal | None:
    """The value of a figure's digits (`1234.50`, no grouping commas); None when they are no
    number or more than an amount can have (`MAX_WHOLE_DIGITS`)."""
    whole = digits.partition(".")[0].lstrip("+-−0")
    if len(whole) > MAX_WHOLE_DIGITS:
        return None
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def round_to(value: Decimal, places: int, rounding: str | None = None) -> Decimal:
    """`value` to `places` decimals (the context's rounding unless `rounding` is given), for a
    message. Computed in a context that holds all its digits: a rate over a base printed as
    0.0000001, or a sum of 18-digit figures in 元, has more than Decimal's default 28 digits, where
    `quantize` raises InvalidOperation instead of rounding."""
    digits = max(value.adjusted(), 0) + places + 2
    context = Context(prec=digits) if digits > 28 else None
    return value.quantize(_quantum(places), rounding, context)


@lru_cache(maxsize=64)
def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


@lru_cache(maxsize=8192)
def parse_amount(text: str) -> Decimal | None:
    """`1,234.50` → 1234.50; blanks and dashes → None (nothing printed); not an amount → None.

    Memoised: the same figures (0.00, totals repeated across tables) recur everywhere, and the
    table reader, the amount finder and the code reader each parse every cell."""
    s = text.strip()
    if not s or s[0] not in _AMOUNT_START:
        return None  # fast path: most cells are names
    s = s.translate(_FULL_WIDTH).replace(" ", "")
    if "￥" in s or "¥" in s:
        s = _CURRENCY.sub(r"\1", s)
    if s in _DASHES or not _AMOUNT.match(s):
        return None
    negative = s.startswith("(") or s.lstrip("(").startswith(("-", "−"))
    value = to_decimal(s.strip("()").lstrip("-−").replace(",", ""))
    if value is None:
        return None
    return -value if negative else value


@lru_cache(maxsize=8192)
def decimals_of(text: str) -> int:
    """How many decimals a printed figure shows (`1,234.50` → 2)."""
    s = text.strip().replace("．", ".")
    return len(s) - s.index(".") - 1 if "." in s else 0


@lru_cache(maxsize=8192)
def half_step(text: str) -> Decimal:
    """Half the last printed digit of a figure: how far the rounded figure may be from the true one
    (`41.93` → 0.005). Memoised: every sum check asks it of every cell it adds."""
    return Decimal(5).scaleb(-decimals_of(text) - 1)


def is_column_numbering(cells: tuple[str, ...]) -> bool:
    """A 栏次/行次 row (`栏次 | 1 | 2 | 3`), which numbers columns instead of holding amounts."""
    return _is_column_numbering(tuple(cells))


def is_numbering_row(table: Table, r: int) -> bool:
    """`is_column_numbering` of row r of the table. Decided at the first cell holding text: 栏次
    makes it one; otherwise any text that is not a bare number rules it out (as in most rows,
    at their first or second cell), and the row's texts are not gathered at all."""
    first = True
    for cell in table.grid[r]:
        text = cell.text.strip()
        if not text:
            continue
        if first and text.replace(" ", "") in _NUMBERING_HEADS:
            return True
        first = False
        if not text.isdigit():
            return False
    return is_column_numbering(table.row_texts(r))


_NUMBERING_HEADS = ("栏次", "行次", "列次")


@lru_cache(maxsize=4096)
def _is_column_numbering(cells: tuple[str, ...]) -> bool:
    """(Memoised: the table reader and the amount finder ask about every row.)"""
    texts = [t.strip() for t in cells if t.strip()]
    if texts and texts[0].replace(" ", "") in _NUMBERING_HEADS:
        return True
    numbers = [t for t in texts if t.isdigit()]
    return len(numbers) >= 3 and len(numbers) == len(texts) and numbers == [str(i) for i in range(int(numbers[0]), int(numbers[0]) + len(numbers))]


def header_row_count(table: Table) -> int:
    """Rows above the first row that holds an amount outside the label columns, or a code in a
    column headed 类/款/项 or 科目编码."""
    if table.header_rows is not None:
        return table.header_rows
    # Code columns named by the rows above. A code there starts the body even when the amounts are
    # blank (an empty table), and 06 / 01 there are 款 / 项 parts, not amounts.
    code_cols: set[int] = set()
    n_cols = table.n_cols
    for r in range(table.n_rows):
        if is_numbering_row(table, r):
            continue
        texts = table.row_texts(r)
        for c, cell in enumerate(table.grid[r]):
            if c in code_cols and cell.row == r and cell.col == c and _CODE_OR_PART.match(cell.text.strip()):
                return r
        for c, text in enumerate(texts):
            if parse_amount(text) is not None and not _looks_like_code(text, c):
                return r
        for c, cell in enumerate(table.grid[r]):
            if cell.col_span < n_cols and _CODE_HEADER.search(cell.text.replace(" ", "")):
                code_cols.add(c)
    return table.n_rows


def label_columns(table: Table, header_rows: int) -> set[int]:
    """Columns whose header says they hold codes or names, not amounts."""
    cols: set[int] = set()
    n_cols = table.n_cols
    for r in range(min(header_rows, table.n_rows)):
        for c, cell in enumerate(table.grid[r]):
            text = cell.text.replace(" ", "")
            if _AMOUNT_HEADER.search(text):
                continue
            # 科目编码 merged over 类 | 款 | 项 columns with no sub-header row: all of them hold codes
            if (cell.col_span == 1 and _LABEL_HEADER.search(text)) \
                    or (cell.col_span < n_cols and _CODE_HEADER.search(text)):
                cols.add(c)
    return cols


def amounts(table: Table) -> list[tuple[int, int, Decimal]]:
    """(row, column, value) of every amount in the body of the table."""
    top = header_row_count(table)
    labels = label_columns(table, top)
    out = []
    for r in range(top, table.n_rows):
        row = table.grid[r]
        if is_numbering_row(table, r):
            continue
        for c, cell in enumerate(row):
            if c in labels or cell.row != r or cell.col != c:
                continue
            value = parse_amount(cell.text)
            if value is not None and not _looks_like_code(cell.text, c):
                out.append((r, c, value))
    return out


def labelled_amounts(table: Table, found: list[tuple[int, int, Decimal]] | None = None) -> list[tuple[str, str, Decimal]]:
    """(row label, column header, value) for every amount.

    The row label is the nearest text to the left of the amount, so that a table laid out in two
    column groups side by side (收入 | 支出) labels each amount with its own group's item.
    """
    top = header_row_count(table)
    found = amounts(table) if found is None else found
    if not found:
        return []
    out = []
    # Labels left of each position, per row, and headers per column: computed once, not again for
    # every amount of the row or column.
    row_labels: dict[int, list[str]] = {}
    headers: dict[int, str] = {}
    for r, c, value in found:
        lefts = row_labels.get(r)
        if lefts is None:
            lefts = row_labels[r] = _labels_left(table.grid[r])
        header = headers.get(c)
        if header is None:
            header = headers[c] = " ".join(dict.fromkeys(table.grid[h][c].text for h in range(top) if c < len(table.grid[h])))
        out.append((lefts[c], header, value))
    return out


def _labels_left(row) -> list[str]:
    """For each position of a row, the text of the nearest cell to its left that holds text, not
    an amount ("" if none)."""
    out: list[str] = []
    current = ""
    for cell in row:
        out.append(current)
        text = cell.text
        if text.strip() and parse_amount(text) is None:
            current = text
    return out


def is_empty(table: Table, found: list[tuple[int, int, Decimal]] | None = None) -> bool:
    """No non-zero amount anywhere in the body."""
    return all(value == 0 for _, _, value in (amounts(table) if found is None else found))


def _looks_like_code(text: str, column: int) -> bool:
    # A bare 3/5/7-digit integer in one of the first columns is a classification code.
    return column <= 3 and bool(_CODE.match(text.strip())) and "," not in text and "." not in text
