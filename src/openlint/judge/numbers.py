"""Primitives over amounts: table semantics, sums, comparisons within rounding (issue 3).

Rules ask questions such as “in every row of this table, is 合计 the sum of 基本支出 and 项目支出?”
or “does the 总计 the narrative states equal the table's?”. The answers are `Comparison`
elements: a printed amount (the left side) against another amount or the sum of several (the
right side). A rule requires `c.holds`; a comparison that fails becomes a finding located at the
left amount, with the right side's cells as related locations.

Printed amounts are rounded (to 0.01 万元, to 1 元 …), so each stands for an interval of half a
rounding step either side (`Amount.error`). A sum is *materially* different from its total only
when their intervals cannot overlap; a difference the accumulated rounding can explain is a 尾差
(rounding difference): the comparison does not hold, but its finding is only a `note`. The same
quantity printed twice at different precision (3,121.42万元 in the text, 31,214,205.80 元 in a
table) agrees when the finer figure lies within the coarser one's interval.

Tables whose header the semantics layer could not read as a clean tree are left out (their
column roles are unknown; a header cell naming two roles leaves only the columns under it
unknown), and so are rows whose amount cells hold text.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable, Iterator

from openlint.findings import Severity
from openlint.judge._prefilter import compile_prefiltered
from openlint.judge.context import Context
from openlint.judge.registry import ATTRIBUTES, pattern_found, primitive
from openlint.judge.statements import document_statements
from openlint.model import Location, Paragraph, Section, Table
from openlint.understand.amounts import parse_amount, to_decimal
from openlint.understand.codes import is_organisation, load_codes, row_texts, system_of
from openlint.understand.tables import (
    FUNDS,
    UNITS,
    Amount,
    HeaderNode,
    Row,
    TablePart,
    convert,
    format_decimal,
    normalise_label,
    of_this_year,
    roles_of,
    squash,
    total_of,
)

ZERO = Decimal(0)


# ---------------------------------------------------------------- comparisons

class Comparison:
    """A left amount against a right amount (or the sum of several right amounts).

    `holds`: they agree (equal; or, for one quantity printed at two precisions, the finer within
    the coarser's interval). `rounding`: they differ by no more than the accumulated rounding (a
    尾差, reported as a note). `material`: they cannot be the same (an error).
    """

    __slots__ = ("difference", "_tolerance", "accept", "_build", "_built", "_text")

    def __init__(self, difference: Decimal, tolerance: Decimal | Callable[[], Decimal], build: Callable[[], tuple],
                 accept: tuple[Decimal, Decimal] | None = None):
        self.difference = difference  # left − right
        self._tolerance = tolerance  # a Decimal, or how to compute it when asked (see `tolerance`)
        self.accept = accept  # for one quantity printed at two precisions: the differences that agree
        self._build = build  # () → (subject, left Amount, [right Amounts], is_sum)
        self._built: tuple | None = None
        self._text: str | None = None

    # ---- verdict
    @property
    def tolerance(self) -> Decimal:
        """The accumulated rounding of every figure involved. A sum within a table computes it
        only when asked: most sums hold, and then nothing needs it."""
        if callable(self._tolerance):
            self._tolerance = self._tolerance()
        return self._tolerance

    @property
    def holds(self) -> bool:
        d = self.difference
        return d == 0 or (self.accept is not None and self.accept[0] <= d <= self.accept[1])

    @property
    def material(self) -> bool:
        return not self.holds and abs(self.difference) > self.tolerance

    @property
    def rounding(self) -> bool:
        return not self.holds and not self.material

    @property
    def severity(self) -> Severity | None:
        """A 尾差 is a note even under an error rule."""
        return Severity.NOTE if self.rounding else None

    # ---- evidence (built only for comparisons that become findings)
    def _parts(self) -> tuple:
        if self._built is None:
            self._built = self._build()
        return self._built

    @property
    def left(self) -> Amount:
        return self._parts()[1]

    @property
    def right(self) -> list[Amount]:
        return list(self._parts()[2])

    @property
    def location(self) -> Location | None:
        return self.left.location

    @property
    def related(self) -> tuple[Location, ...]:
        """Where the right side's figures are (blank cells left out, unless all are blank)."""
        rights = [a for a in self._parts()[2] if a.location is not None]
        printed = [a.location for a in rights if not a.blank]
        return tuple(dict.fromkeys(printed)) if printed else tuple(a.location for a in rights[:1])

    @property
    def anchor(self) -> str:
        subject, left, rights, _ = self._parts()
        return f"{subject}{left.label}|" + "+".join(r.label for r in rights)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self._render()
        return self._text

    def __str__(self) -> str:
        return self.text

    def _render(self) -> str:
        subject, left, rights, is_sum = self._parts()
        units = {a.unit for a in (left, *rights) if a.unit}
        mixed = len(units) > 1
        unit = left.unit or next(iter(units), None)
        own = [a.error for a in (left, *rights) if a.error and a.unit == unit]
        errors = own or [convert(a.error, a.unit, unit) for a in (left, *rights) if a.error]
        step = min(errors) if errors else Decimal("0.005")
        grouping = _grouped(left, *rights)
        if is_sum:
            shown = list(rights)
            if len(shown) > 4:
                shown = [r for r in rights if not r.blank] or rights[:1]
            omitted = len(rights) - len(shown)
            right_text = " + ".join(f"{r.label} {r.shown(mixed)}" for r in shown)
            if omitted:
                right_text += f"（其余{omitted}项为空）"
            if len(rights) > 1:
                total = sum((convert(r.value, r.unit, unit) for r in rights), ZERO)
                right_text += f" = {format_decimal(total, step, grouping)}" + (unit or "" if mixed else "")
        else:
            right_text = f"{rights[0].label} {rights[0].shown(mixed)}"
        left_text = f"{left.label} {left.shown(mixed)}"
        if len(left.parts) > 1:  # a sum on both sides (plus): each figure of the left one too
            left_total = sum((convert(p.value, p.unit, unit) for p in left.parts), ZERO)
            left_text = " + ".join(f"{p.label} {p.shown(mixed)}" for p in left.parts) \
                + f" = {format_decimal(left_total, step, grouping)}" + (unit or "" if mixed else "")
        sign = "=" if self.holds else "≠"
        notes = []
        if not self.holds:
            notes.append(f"相差{format_decimal(abs(self.difference), step, grouping)}" + (unit if mixed and unit else ""))
            if self.rounding:
                notes.append(f"未超过四舍五入的累计误差±{_plain(self.tolerance)}，属尾差")
            elif not is_sum and _ten_thousandfold(convert(left.value, left.unit, unit), convert(rights[0].value, rights[0].unit, unit)):
                notes.append("相差一万倍，疑似把“万元”写成了“元”或反之")
        if unit and not mixed:
            notes.append(f"单位：{unit}")
        tail = f"（{'；'.join(notes)}）" if notes else ""
        return f"{subject}{left_text} {sign} {right_text}{tail}"


def _grouped(*amounts: Amount) -> bool:
    """Whether computed figures get thousands separators: as the printed ones have them ("3000.00"
    beside "1500.00" stays without)."""
    texts = [p.text for a in amounts for p in (a.parts or (a,)) if p.text]
    return any("," in t for t in texts) or not any(len(t.split(".")[0].lstrip("-")) >= 4 for t in texts)


def _ten_thousandfold(a: Decimal, b: Decimal) -> bool:
    """One figure is the other written in 元 for 万元 (or the other way round), give or take rounding."""
    if not a or not b:
        return False
    ratio = abs(a / b) if abs(a) >= abs(b) else abs(b / a)
    return abs(ratio - 10000) <= 50


def _plain(value: Decimal) -> str:
    """0.015, 1.505, 0.5: a tolerance without trailing zeros."""
    return format(value.normalize(), "f")


def _compare_values(left: tuple[Decimal, Decimal, str | None], rights: list[tuple[Decimal, Decimal, str | None]],
                    build: Callable[[], tuple], same_quantity: bool = False) -> Comparison:
    """Sums: left − Σ rights, its tolerance the sum of every figure's rounding error. One quantity
    printed at two precisions (`same_quantity`, one right side): the coarser figure may have been
    rounded *or truncated* from the finer one (87.708 printed 87.70), so they agree when the finer
    lies in [coarser − e, coarser + 2e]; a miss by no more than twice that is a 尾差."""
    value, error, unit = left
    total = ZERO
    tolerance = error
    for v, e, u in rights:
        if u != unit:  # (most figures share the left one's unit: no conversion to call)
            v, e = convert(v, u, unit), convert(e, u, unit)
        total += v
        tolerance += e
    difference = value - total
    if not same_quantity:
        return Comparison(difference, tolerance, build)
    right_error = tolerance - error
    if error >= right_error:  # the left figure is the coarser one: d = coarse − fine
        accept = (-(2 * error + right_error), error + right_error)
    else:
        accept = (-(right_error + error), 2 * right_error + error)
    coarse = max(error, right_error)
    return Comparison(difference, 4 * coarse + min(error, right_error), build, accept)


# ---------------------------------------------------------------- table parts and cells

def _parts_of(ctx: Context, value: Any, trusted: bool = True) -> list[TablePart]:
    if value is None:
        return []
    if isinstance(value, TablePart):
        return [value] if value.trusted or not trusted else []
    if isinstance(value, Table):
        return [p for p in ctx.semantics(value).parts if p.trusted or not trusted]
    if isinstance(value, (list, tuple)):
        return [p for v in value for p in _parts_of(ctx, v, trusted)]
    return []


def _summable_parts(ctx: Context, value: Any) -> list[TablePart]:
    """The parts whose columns can be added up: not those of a table with rows missing
    (`Table.incomplete`: a page of it printed as a picture)."""
    return [p for p in _parts_of(ctx, value) if not p.table.incomplete]


def _page_of(ctx: Context, part: TablePart, row: Row, text: str) -> int | None:
    table = part.table
    pages = table.pages
    if len(pages) <= 1 or not ctx.document.page_texts:
        return table.location.page
    label = row.label
    with_label = [p for p in pages if label and label in ctx.page_text(p)]
    with_value = [p for p in pages if text and text in ctx.page_text(p)]
    both = [p for p in with_label if p in with_value]
    return (both or with_label or with_value or [table.location.page])[0]


def _cell(ctx: Context, part: TablePart, row: Row, col: int, label: str | None = None) -> Amount:
    table = part.table
    at = table.location
    page = _page_of(ctx, part, row, row.cells.get(col, ""))
    location = Location(at.file, page, table.line_of(row.index), at.section, table.caption or None, row.described() or None,
                        part.header_of(col), at.sheet)
    return part.amount(row, col, location, label)


def _part_sum(part: TablePart, left: tuple[Row, int], rights: list[tuple[Row, int]],
              build: Callable[[], tuple]) -> Comparison:
    """A (row, column) of a part against the sum of others: figures of one table, in its unit."""
    row, col = left
    total = ZERO
    for r, c in rights:
        total += r.values.get(c, ZERO)

    def tolerance() -> Decimal:
        out = part.error_of(row, col)
        for r, c in rights:
            out += part.error_of(r, c)
        return out

    return Comparison(row.values.get(col, ZERO) - total, tolerance, build)


def _blank(row: Row, cols) -> bool:
    return row.values.keys().isdisjoint(cols)


def _iter_nodes(root: HeaderNode) -> Iterator[HeaderNode]:
    stack = list(reversed(root.children))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _variants_of(node: HeaderNode) -> set[tuple[str, ...]]:
    return {v for n in (node, *_iter_nodes(node)) for v in n.columns}


def _value_columns(node: HeaderNode, variant: tuple[str, ...]) -> list[int] | None:
    """The columns whose sum is this header's amount: its own column, its 小计, or its leaves."""
    if node.irregular:
        return None
    if node.columns:
        col = node.columns.get(variant)
        return [col] if col is not None and col >= 0 else None
    sub = node.total_child()
    if sub is not None:
        return _value_columns(sub, variant)
    if sum(1 for child in node.children if child.total) > 1:
        return None  # two totals under one header (合计 and 小计): which adds up what is unknown
    out: list[int] = []
    for child in node.children:
        if child.rate:  # 占比（%） beside the amounts under a header: no part of its amount
            continue
        cols = _value_columns(child, variant)
        if cols is None:
            return None
        out.extend(cols)
    return out or None


def _role_list(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, (list, tuple)):
        return frozenset(str(v) for v in value)
    return frozenset({str(value)})


# ---------------------------------------------------------------- sums within a table

@primitive("row_sums", 3)
def row_sums(ctx: Context, tables: Any, total: str, components: Any) -> list[Comparison]:
    """In each row, a total column against the sum of its component columns.

    `total` is 合计 (any 合计/小计 column) or the role of a header group whose 小计 is meant
    (公务用车: its 小计 = 购置费 + 运行费). The components are the other columns under the same
    header; every one of them must carry one of the given roles, otherwise the table's layout is
    not the one the rule describes and it is left alone. A component that is itself a group
    counts with its 小计, or its columns. Columns qualified 预算数 / 决算数 are summed separately."""
    wanted = _role_list(components)
    out: list[Comparison] = []
    for part in _parts_of(ctx, tables):
        for total_col, comp_cols in _row_sum_specs(part, str(total), wanted):
            involved = [total_col, *comp_cols]
            for row in part.rows:
                if row.suspect or _blank(row, involved):
                    continue
                out.append(_row_comparison(ctx, part, row, total_col, comp_cols))
    return out


def _row_sum_specs(part: TablePart, total: str, wanted: frozenset[str]) -> list[tuple[int, list[int]]]:
    specs = []
    for node in _iter_nodes(part.root):
        if node.breakdown and total != "合计" and total in node.roles and node.columns:
            # 公务用车购置及运行费 | 其中：购置费 | 其中：运行费: the column against its 其中 columns
            if all(c.roles & wanted and not c.children for c in node.children):
                for variant, col in node.columns.items():
                    comps = [c.columns.get(variant) for c in node.children]
                    if col >= 0 and all(x is not None and x >= 0 for x in comps):
                        specs.append((col, comps))
            continue
        if not node.total or not node.columns or node.children:
            continue
        parent = node.parent
        if parent is None:
            continue
        if total != "合计" and (parent is part.root or total not in parent.roles):
            continue
        # a column of rates beside the components (占比（%）) is none of them
        siblings = [c for c in parent.children if c is not node and not c.rate]
        if not siblings or any(s.total for s in siblings):
            continue
        for variant, col in node.columns.items():
            # a total qualified 决算数 adds up the components qualified alike: the columns beside
            # them (年初预算数 | 调整预算数) hold other figures
            components = [s for s in siblings if not variant or variant in _variants_of(s)]
            if col < 0 or not components or not all(s.roles & wanted for s in components):
                continue
            comps: list[int] = []
            for sibling in components:
                cols = _value_columns(sibling, variant)
                if cols is None:
                    comps = []
                    break
                comps.extend(cols)
            if comps:
                specs.append((col, comps))
    return specs


def _row_comparison(ctx, part: TablePart, row: Row, total_col: int, comp_cols: list[int]) -> Comparison:
    def build():
        subject = (f"{row.described()}行：" if row.kind else f"{row.described()}：") if row.label else ""
        left = _cell(ctx, part, row, total_col, part.column(total_col).name)
        rights = [_cell(ctx, part, row, c, part.column(c).name) for c in comp_cols]
        return subject, left, rights, True

    return _part_sum(part, (row, total_col), [(row, c) for c in comp_cols], build)


@primitive("code_sums", 1)
def code_sums(ctx: Context, tables: Any) -> list[Comparison]:
    """Classification hierarchy by code prefix: each 类 against the sum of its 款, each 款 against
    the sum of its 项 (function 3/5/7 digits, economic 3/5), in every amount column. A 类 whose
    项 appear without their 款 row is left alone."""
    out: list[Comparison] = []
    for part in _summable_parts(ctx, tables):
        rows = [r for r in part.rows if r.code or r.has_amounts or r.kind]
        if sum(1 for r in rows if r.code) < 2:
            continue
        for i, parent in enumerate(rows):
            if parent.level not in (1, 2) or parent.suspect:
                continue
            children: list[Row] = []
            orphan = False
            for row in rows[i + 1:]:
                if not row.code:
                    if row.kind:
                        break
                    orphan = True  # an amount without a code inside the block: cannot place it
                    continue
                if not row.code.startswith(parent.code) or row.level <= parent.level:
                    break
                if row.suspect:
                    orphan = True
                elif row.level == parent.level + 1:
                    children.append(row)
                elif not children or not row.code.startswith(children[-1].code):
                    orphan = True
            if not children or orphan:
                continue
            out.extend(_column_sums(ctx, part, parent, children))
    return out


@primitive("total_sums", 1)
def total_sums(ctx: Context, tables: Any) -> list[Comparison]:
    """The 合计 row against the sum of the top-level classified rows (the 类, or whatever level
    the table starts at), in every amount column. Used on tables whose rows carry codes; a table
    with unclassified rows holding amounts, or more than one 合计 row, is left alone."""
    out: list[Comparison] = []
    for part in _summable_parts(ctx, tables):
        rows = [r for r in part.rows if r.has_amounts or r.kind or r.code]
        if any(r.suspect for r in rows):
            continue
        totals = [r for r in rows if r.kind in ("total", "grand") and not r.code]
        coded = [r for r in rows if r.code]
        if len(totals) != 1 or not coded or any(r.has_amounts and not r.code and r not in totals for r in rows):
            continue
        top: list[Row] = []
        top_codes: set[str] = set()
        for row in coded:
            # (a code printed again at the same level is another row to add: the projects of a
            # 项目支出表 classified under one 项)
            if not any(row.code[:k] in top_codes for k in range(1, len(row.code))):
                top.append(row)
                top_codes.add(row.code)
        out.extend(_column_sums(ctx, part, totals[0], top))
    return out


def _column_sums(ctx, part: TablePart, parent: Row, children: list[Row]) -> list[Comparison]:
    """`parent` against the sum of `children` in every amount column that is not blank in all of them."""
    return [_rows_comparison(ctx, part, parent, children, column.index) for column in part.columns
            if parent.cells.get(column.index) != "" or any(c.cells.get(column.index) != "" for c in children)]


def _rows_comparison(ctx, part: TablePart, parent: Row, children: list[Row], col: int) -> Comparison:
    def build():
        column = part.column(col)
        many = len(part.columns) > 1
        subject = f"{column.name}列：" if many else ""
        left = _cell(ctx, part, parent, col, parent.described())
        rights = [_cell(ctx, part, r, col, r.described()) for r in children]
        return subject, left, rights, True

    return _part_sum(part, (parent, col), [(r, col) for r in children], build)


@primitive("list_sums", 1)
def list_sums(ctx: Context, tables: Any) -> list[Comparison]:
    """The 合计 row against the rows it totals in a table that lists units or projects (its label
    column headed 单位名称 / 项目名称 / 单位编码, or every row naming an organisation), rows without
    classification codes or outline numbering, in every amount column.

    A row naming an organisation (云溪县实验小学) heads the project rows under it: it is checked
    against their sum and the 合计 against the sum of such rows. A flat list is checked as a whole,
    unless a row equals the sum of rows right below it (a grouping the labels do not show): then
    which rows add up is unknown and the part is left alone. A first row repeating the 合计 in every
    column (the department's line over its units) is no further term."""
    out: list[Comparison] = []
    for part in _summable_parts(ctx, tables):
        plan = _list_plan(part)
        if plan is None:
            continue
        columns = [c.index for c in part.columns if not c.node.rate]
        for parent, children in plan:
            for col in columns:
                if _blank(parent, [col]) and all(_blank(c, [col]) for c in children):
                    continue
                out.append(_rows_comparison(ctx, part, parent, children, col))
    return out


_LISTS_UNITS_OR_PROJECTS = re.compile(r"(单位|部门|项目)(名称|编码|代码)")


def _list_plan(part: TablePart) -> list[tuple[Row, list[Row]]] | None:
    rows = [r for r in part.rows if r.has_amounts and not r.rate]
    if not rows or any(r.suspect for r in rows):
        return None
    totals = [r for r in rows if r.kind]
    if len(totals) != 1 or totals[0].kind == "subtotal" or totals[0].code or totals[0] not in (rows[0], rows[-1]):
        return None
    total = totals[0]
    items = [r for r in rows if r is not total]
    if items and all(total.values.get(c) == items[0].values.get(c) for c in set(total.values) | set(items[0].values)):
        items = items[1:]  # the department's own line, equal to the 合计
    if len(items) < 2 or len({r.numbering for r in items}) > 1:
        return None
    units = [is_organisation(r.name) for r in items]
    if any(r.code for r, unit in zip(items, units) if not unit):
        return None
    if not (all(units) or _LISTS_UNITS_OR_PROJECTS.search(_label_header(part))):
        return None
    if units[0] and not all(units):  # units, each over its projects
        plan: list[tuple[Row, list[Row]]] = []
        for row, unit in zip(items, units):
            if unit:
                plan.append((row, []))
            else:
                plan[-1][1].append(row)
        if any(_unmarked_groups(part, children) for _, children in plan):
            return None
        return [(total, [unit for unit, _ in plan])] + [(u, c) for u, c in plan if c]
    return None if _unmarked_groups(part, items) else [(total, items)]


def _label_header(part: TablePart) -> str:
    grid, top = part.table.grid, min(r.index for r in part.rows)
    return "".join(grid[r][c].text for r in range(top) for c in part.label_cols if c < len(grid[r]))


def _unmarked_groups(part: TablePart, rows: list[Row]) -> bool:
    """Whether a row equals the sum of one or more of the rows right below it in the main column:
    a grouping the list does not mark."""
    column = part.main_column()
    if column is None:
        return True
    col = column.index
    for i, row in enumerate(rows):
        target, total, error = row.value(col), ZERO, part.error_of(row, col)
        for below in rows[i + 1:]:
            total += below.value(col)
            error += part.error_of(below, col)
            if abs(total - target) <= error:
                return True
            if total > target + error:
                break
    return False


def _tables_in(value: Any) -> list[Table]:
    return [t for t in (value if isinstance(value, (list, tuple)) else [value]) if isinstance(t, Table)]


def _form_rows(table: Table, *headers: Any) -> Iterator[tuple[int, list[str], tuple[int, ...], list[str]]]:
    """The rows of a form laid out in blocks, each under a header row of its own (a 绩效自评表: the
    funds block, then the indicators), as (row, its texts, the column of each of `headers` in its
    block, the block's header texts). A row naming any of the headers starts a block; a block
    lacking one of them yields nothing."""
    block: tuple[tuple[int, ...], list[str]] | None = None
    for r in range(table.n_rows):
        texts = row_texts(table, r)
        cols = [next((c for c, t in enumerate(texts) if t and pattern_found(h, t)), None) for h in headers]
        if any(c is not None for c in cols):
            block = (tuple(cols), texts) if all(c is not None for c in cols) else None
        elif block is not None and max(block[0]) < len(texts):
            yield r, texts, block[0], block[1]


def _row_place(table: Table, r: int, row: str | None, column: str | None) -> Location:
    at = table.location
    return Location(at.file, at.page, table.line_of(r), at.section, table.caption or None, row, column, at.sheet)


def _figure(text: str) -> Decimal | None:
    """A cell's figure; a rate (94.90%) is none."""
    return None if "%" in text else parse_amount(text)


def _first_text(texts: list[str]) -> str:
    return next((t for t in texts if t), "")


@primitive("form_sums", 3)
def form_sums(ctx: Context, tables: Any, header: Any, total: Any) -> list[Comparison]:
    """In a form laid out in blocks (see `_form_rows`), the row labelled `total` (总分) against the
    sum of the figures above it in the column headed `header` (得分, 分值) — the column of each
    figure's own block. Texts and rates are no figures; a form without that header or row is left
    alone."""
    out: list[Comparison] = []
    for table in _tables_in(tables):
        figures: list[str] = []
        for r, texts, (col,), header_texts in _form_rows(table, header):
            value = _figure(texts[col])
            if pattern_found(total, _first_text(texts)):
                if value is not None and figures:
                    out.append(_form_total(table, r, header_texts[col], texts[col], figures))
                figures = []
            elif value is not None:
                figures.append(texts[col])
    return out


# Scores and points are given, not rounded: figures agree to the finest decimal printed.
_EXACT = Decimal("0.005")


def _form_total(table: Table, r: int, name: str, text: str, figures: list[str]) -> Comparison:
    value = parse_amount(text)
    added = sum((parse_amount(f) for f in figures), ZERO)
    places = max(_decimals(t) for t in [text, *figures])
    label = squash(table.text(r, 0)) or "合计"
    location = _row_place(table, r, label, name)

    def build():
        left = Amount(value, ZERO, None, label, text, location)
        right = Amount(added, ZERO, None, f"各项{name}之和", f"{added:,.{places}f}")
        return f"{name}列：", left, [right], False

    return Comparison(value - added, _EXACT if places else ZERO, build)


def _decimals(text: str) -> int:
    return len(text) - text.index(".") - 1 if "." in text else 0


@primitive("form_limits", 3)
def form_limits(ctx: Context, tables: Any, part: Any, whole: Any) -> list[Comparison]:
    """In a form laid out in blocks (see `_form_rows`), each row's figure under the header `part`
    (得分) against its figure under the header `whole` (分值): `.holds` when it is no larger. A row
    is named by its cell under 三级指标 (or 指标名称), else its first text; rows without both
    figures, and the 总分 row, are left alone."""
    out: list[Comparison] = []
    for table in _tables_in(tables):
        for r, texts, (a, b), header in _form_rows(table, part, whole):
            if _FORM_TOTAL.match(_first_text(texts)):
                continue  # (the total row's excess is the rows' excess again)
            got, most = _figure(texts[a]), _figure(texts[b])
            if got is not None and most is not None and got > most:
                label = texts[_name_column(header)] or _first_text(texts)
                out.append(_over_limit(_row_place(table, r, label, header[a]), label, header[a], texts[a], got,
                                       header[b], texts[b], most))
    return out


_INDICATOR_NAME = re.compile(r"三级指标|指标名称")
_FORM_TOTAL = re.compile(r"^(总分|合计|总计)$")


def _name_column(header: list[str]) -> int:
    """The column naming a form's rows: its 三级指标 (or 指标名称), else the first."""
    return next((c for c, t in enumerate(header) if _INDICATOR_NAME.search(t)), 0)


def _over_limit(location: Location, label: str, part_name: str, part_text: str, got: Decimal,
                whole_name: str, whole_text: str, most: Decimal) -> Comparison:
    def build():
        left = Amount(got, ZERO, None, f"{label}：{part_name}", part_text, location)
        right = Amount(most, ZERO, None, whole_name, whole_text)
        return "", left, [right], False

    return Comparison(got - most, ZERO, build)  # (over its limit: the difference is the excess)


@dataclasses.dataclass(frozen=True)
class Shortfall:
    """A 绩效 indicator whose result falls short of its target and no reason for it is written."""

    indicator: str
    target: str
    result: str
    location: Location


ATTRIBUTES[Shortfall] = {
    "indicator": lambda ctx, s: s.indicator, "target": lambda ctx, s: s.target, "result": lambda ctx, s: s.result,
}

# "≥45%", "不低于3000平方米", "≤400元/平方米": a bound and its figure; a result "43.20%", "3200平方米"
_BOUND = re.compile(r"^(≥|>=|＞＝|不低于|不少于|≤|<=|＜＝|不高于|不超过|不多于)\s*([0-9]+(?:\.[0-9]+)?)\s*(\S*)$")
_RESULT = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*(\S*)$")
_AT_LEAST = ("≥", ">=", "＞＝", "不低于", "不少于")
_TARGET_HEADER = re.compile(r"^(年度)?(指标值|目标值)$")
_RESULT_HEADER = re.compile(r"^实际(完成)?值$|^完成值$")
_REASON_HEADER = re.compile(r"偏差原因")


@primitive("shortfalls", 1)
def shortfalls(ctx: Context, tables: Any) -> list[Shortfall]:
    """The rows of 绩效 forms (header rows naming 指标值, 实际完成值 and 偏差原因, block by block as
    in `_form_rows`) whose result misses a bound its target states in the same unit (≥45% against
    43.20%; ≤400元/平方米 against 412元/平方米) with the 偏差原因 cell left blank."""
    out: list[Shortfall] = []
    for table in _tables_in(tables):
        for r, texts, (target, result, reason), header in _form_rows(table, _TARGET_HEADER, _RESULT_HEADER,
                                                                      _REASON_HEADER):
            if table.grid[r][reason].col != reason or texts[reason]:
                continue  # (a reason given, or a cell spanning the row: no indicator)
            bound, got = _BOUND.match(texts[target]), _RESULT.match(texts[result].rstrip("。"))
            if bound is None or got is None or bound.group(3) != got.group(2):
                continue
            limit, value = Decimal(bound.group(2)), Decimal(got.group(1))
            if (value < limit) if bound.group(1) in _AT_LEAST else (value > limit):
                name = texts[_name_column(header)]
                out.append(Shortfall(name, texts[target], texts[result], _row_place(table, r, name or None, "偏差原因")))
    return out


@primitive("line_sums", 1)
def line_sums(ctx: Context, tables: Any) -> list[Comparison]:
    """A table laid out as lines (收支总表): the numbered lines (一、二、…) add up to the 本年…合计
    below them; that 合计 and the lines after it (年初结转和结余 …) add up to the 总计; an item's
    sub-lines (1. 2. …, or the numbered lines under a 结转 line) add up to it. In every amount
    column. A part with an unnumbered line holding an amount before its 合计 is left alone."""
    out: list[Comparison] = []
    for part in _summable_parts(ctx, tables):
        if any(r.code for r in part.rows) or any(r.suspect for r in part.rows if r.has_amounts):
            continue
        plan = _outline(part)
        if plan is None:
            continue
        for parent, children in plan:
            for column in part.columns:
                col = column.index
                if _blank(parent, [col]) and all(_blank(c, [col]) for c in children):
                    continue
                out.append(_rows_comparison(ctx, part, parent, children, col))
    return out


def _outline(part: TablePart) -> list[tuple[Row, list[Row]]] | None:
    """(line, the lines that add up to it) for a part laid out as lines, or None when a line cannot
    be placed (an unnumbered amount before the 合计, a second 合计 …). A line that breaks down the
    line above it is no further term: its unnumbered lines by fund (年初财政拨款结转和结余, then
    一般公共预算财政拨款 / 政府性基金预算财政拨款 / 国有资本经营预算财政拨款: the national template)
    add up to it like numbered sub-lines; a 其中 line is part of it and left out."""
    items: list[Row] = []
    lines: list[Row] = []
    subs: dict[int, tuple[Row, list[Row]]] = {}  # id of a line → the line and its sub-lines
    current: Row | None = None
    subtotal: Row | None = None
    plan: list[tuple[Row, list[Row]]] = []
    after = False  # past the 本年…合计 line
    for row in part.rows:
        if row.rate:  # 增减率（%）: no line of amounts
            continue
        if row.kind in ("subtotal", "total") and not after:
            if items:
                plan.append((row, list(items)))
            subtotal, after, current = row, True, None
            continue
        if row.kind == "grand":
            base = [subtotal] if subtotal is not None else list(items)
            if base or lines:
                plan.append((row, base + lines))
            break
        if row.kind:
            return None
        if row.numbering is None and _OF_WHICH.match(row.name):
            continue
        if row.numbering is None and current is not None and _by_fund(row, current):
            subs.setdefault(id(current), (current, []))[1].append(row)
            continue
        if not after:
            if row.numbering == "item":
                items.append(row)
                current = row
            elif row.numbering == "sub":
                if current is None:
                    return None
                subs.setdefault(id(current), (current, []))[1].append(row)
            elif row.has_amounts:
                return None
        else:
            if row.numbering is None:
                if row.label or row.has_amounts:
                    lines.append(row)
                    current = row
            else:
                if current is None:
                    return None
                subs.setdefault(id(current), (current, []))[1].append(row)
    for line, children in subs.values():
        plan.append((line, children))
    return plan


_OF_WHICH = re.compile(r"^其中[:：]?")
_CARRIED = frozenset({"上年结转", "年末结转"})


def _by_fund(row: Row, line: Row) -> bool:
    """Whether `row` is `line` split by fund: it names a fund (一般公共预算财政拨款) and no carry-over
    of its own, and `line` names no fund (年初财政拨款结转和结余, 财政拨款收入)."""
    roles = roles_of(row.label)
    return bool(roles & FUNDS) and not roles & _CARRIED and not roles_of(line.label) & FUNDS


# ---------------------------------------------------------------- single amounts

def _matcher(spec: Any) -> Callable[[Row], bool]:
    if isinstance(spec, re.Pattern):
        return lambda row: spec.search(normalise_label(row.label)) is not None
    text = normalise_label(str(spec))
    return lambda row: normalise_label(row.label) == text or row.code == text


_NO_ROW = Row(-1, "", None, None, None, None, {}, {})


def _find_row(part: TablePart, spec: Any) -> Row | None:
    rows = [r for r in part.rows if not r.suspect]
    if spec is None or spec == "":
        # a table of one line of figures (三公): that line; one with no figures at all: all blank
        with_amounts = [r for r in rows if r.has_amounts]
        if len(with_amounts) == 1:
            return with_amounts[0]
        totals = [r for r in rows if r.kind in ("grand", "total")]
        if len(totals) == 1:
            return totals[0]
        return _NO_ROW if not with_amounts and not any(r.label for r in rows) else None
    match = _matcher(spec)
    return next((r for r in rows if match(r)), None)


def _find_column(part: TablePart, spec: Any) -> int | None:
    """The one column a spec names (see `_find_columns`); None when it names none or several."""
    cols = _find_columns(part, spec)
    return cols[0] if cols is not None and len(cols) == 1 else None


def _find_columns(part: TablePart, spec: Any) -> tuple[int, ...] | None:
    """The columns whose sum is the amount a spec names: by default the 合计 column (or the only
    one); a /regex/ on the column's header; or a role with an optional variant (公务接待/决算数).
    A header with no column of its own (基本支出 over 人员经费 | 公用经费, without a 小计) is the sum
    of the columns under it."""
    if spec is None or spec == "":
        column = part.main_column()
        return (column.index,) if column is not None else None
    if isinstance(spec, re.Pattern):
        found = [c for c in part.columns if spec.search(c.header)]
        return (found[0].index,) if len(found) == 1 else None
    role, _, variant_text = str(spec).partition("/")
    variant = normalise_label(variant_text) if variant_text else None
    nodes = [n for n in _iter_nodes(part.root) if role in n.roles or n.label == role]
    if not nodes:
        return None
    depth = min(len(n.path()) for n in nodes)
    nodes = [n for n in nodes if len(n.path()) == depth]
    if len(nodes) != 1:
        return None
    node = nodes[0]
    while not node.columns and node.total_child() is not None:
        node = node.total_child()
    if node.irregular:
        return None
    if not node.columns:
        # the variants its columns have: the one asked for, or the only one there is
        variants = {v for n in _iter_nodes(node) for v in n.columns}
        chosen = [v for v in variants if variant is None or variant in v]
        if len(chosen) != 1 and variant is None:
            chosen = of_this_year(chosen)
        if len(chosen) != 1:
            return None
        cols = _value_columns(node, chosen[0])
        return tuple(cols) if cols else None
    if variant is None:
        own = list(node.columns)
        if len(own) > 1:
            own = of_this_year(own)
        cols = [node.columns[v] for v in own]
        return (cols[0],) if len(cols) == 1 and cols[0] >= 0 else None
    found = [col for v, col in node.columns.items() if variant in v and col >= 0]
    return (found[0],) if len(found) == 1 else None


def _memo(ctx: Context, find: Callable[[TablePart, Any], Any], part: TablePart, spec: Any) -> Any:
    """`find(part, spec)` once per document: rules ask for the same rows and columns again and
    again. The key holds the part itself, so it stays alive (and its id unique) as long as the
    memo."""
    if spec is not None and not isinstance(spec, (str, re.Pattern)):
        return find(part, spec)
    return ctx.cached(("numbers.find", find, part, spec), lambda: find(part, spec))


def _alternatives(spec: Any) -> list[Any]:
    return list(spec) if isinstance(spec, (list, tuple)) else [spec]


@primitive("amount", 2, 3)
def amount(ctx: Context, tables: Any, row: Any, column: Any = None) -> Amount | None:
    """The amount in a table's row (a label text, a /regex/ on the label, or a code) and column (a
    role such as 基本支出 or 公务接待/决算数; by default the 合计 column or the only one). A list of
    rows or columns tries each in turn. Nothing if the table, row or column is not there."""
    for part in _parts_of(ctx, tables):
        for row_spec in _alternatives(row):
            found = _memo(ctx, _find_row, part, row_spec)
            if found is None:
                continue
            for column_spec in _alternatives(column):
                cols = _memo(ctx, _find_columns, part, column_spec)
                if cols is not None:
                    return _labelled_columns(ctx, part, found, cols, column_spec)
    if row is None or row == "":
        return _blank_amount(ctx, tables, column)
    return None


def _blank_amount(ctx: Context, tables: Any, column: Any) -> Amount | None:
    """A table without a single figure says 0 for every column its header names, even when the
    header is too garbled to tell which column is which (a 三公 table left blank)."""
    for table in (tables if isinstance(tables, (list, tuple)) else [tables]):
        if isinstance(table, TablePart):
            table = table.table
        if not isinstance(table, Table) or not ctx.semantics(table).parts or not ctx.is_empty(table) \
                or any(r.has_amounts for p in ctx.semantics(table).parts for r in p.rows):
            continue
        header = squash(table.all_text())
        names = [str(c).partition("/") for c in _alternatives(column) if c]
        for role, _, variant in names:
            words = [w for w in (_ROLE_WORDS.get(role, role), variant) if w]
            if all(w in header for w in words):
                where = "/".join(w for w in (role, variant) if w)
                location = dataclasses.replace(table.location, table=table.caption or None, row=None, column=where)
                unit = ctx.semantics(table).unit
                return Amount(ZERO, ZERO, unit, f"{_caption(table)}“{where}”", "", location)
    return None


_ROLE_WORDS = {"因公出国": "因公出国", "公务用车": "公务用车购置及运行", "公务接待": "公务接待", "公务用车购置": "购置费",
               "公务用车运行": "运行", "合计": "合计", "机关运行经费": "机关运行经费"}


def _labelled(ctx, part: TablePart, row: Row, col: int) -> Amount:
    """A cell named for a message that quotes several tables: 表名“行/列”, the group's title first
    when the table has groups side by side (收入支出决算总表“支出：总计”). Once per document: rules
    quote the same totals again and again. The key holds the part, and the memo the row: both
    stay alive as long as the memo, so no other row can take the row's id."""
    return ctx.cached(("numbers.labelled", part, id(row), col), lambda: (row, _label_cell(ctx, part, row, col)))[1]


def _labelled_columns(ctx, part: TablePart, row: Row, cols: tuple[int, ...], spec: Any) -> Amount:
    """`_labelled` for one column; for the columns under a header without a column of its own,
    their sum, named with the row and the header the spec names (表“合计/基本支出”)."""
    if len(cols) == 1:
        return _labelled(ctx, part, row, cols[0])
    items = [_labelled(ctx, part, row, c) for c in cols]
    where = "/".join(x for x in (row.label, str(spec)) if x)
    return total_of(items, f"{_caption(part.table)}“{where}”", items[0].location)


def _label_cell(ctx, part: TablePart, row: Row, col: int) -> Amount:
    column = part.column(col)
    name = column.name if column is not None and len(part.columns) > 1 else ""
    where = "/".join(x for x in (row.label, name) if x) or (column.name if column else "")
    whole = ctx.semantics(part.table).parts
    if part.title and (len(whole) > 1 or not any(p is part for p in whole)):  # or a part's lines (lines_between)
        where = f"{part.title}：{where}"
    return _cell(ctx, part, row, col, f"{_caption(part.table)}“{where}”")


_CAPTION_UNIT = re.compile(r"\s*[（(]\s*(?:金额)?单位\s*[:：][^)）]*[)）]\s*$")


def _caption(table: Table) -> str:
    """A table's title as messages quote it, without a trailing （单位：万元）."""
    return _quoted_caption(table.caption)


@lru_cache(maxsize=1024)
def _quoted_caption(caption: str) -> str:
    """(Memoised: every amount read from a table is named with it.)"""
    return _CAPTION_UNIT.sub("", caption) or "表"


@primitive("total", 1, 2)
def total(ctx: Context, tables: Any, column: Any = None) -> Amount | None:
    """A table's grand total: its 合计/总计 row (in the given column, by default the 合计 column).
    A table laid out in column groups that each end in their own 合计 row (人员经费合计 |
    公用经费合计) totals to their sum."""
    found: list[Amount] = []
    parts = _parts_of(ctx, tables)
    if isinstance(tables, (list, tuple)) and len({id(p.table) for p in parts}) > 1:
        return None
    for part in parts:
        rows = [r for r in part.rows if r.kind == "grand" and not r.suspect] or \
               [r for r in part.rows if r.kind == "total" and not r.suspect]
        if len(rows) > 1:  # a 合计 over the 小计 of each group (货物类 小计, 工程类 小计 …): the 合计
            rows = [r for r in rows if not normalise_label(r.label).endswith("小计")] or rows
        if len(rows) != 1:
            return None
        cols = None
        for column_spec in _alternatives(column):
            cols = _memo(ctx, _find_columns, part, column_spec)
            if cols is not None:
                break
        if cols is None:
            return None
        found.append(_labelled_columns(ctx, part, rows[0], cols, column_spec))
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    first = found[0]
    return total_of(found, f"{_caption(parts[0].table)}“" + "+".join(a.label.split("“", 1)[-1].rstrip("”") for a in found) + "”",
                    first.location)


@primitive("compare", 2)
def compare(ctx: Context, left: Any, right: Any) -> list[Comparison]:
    """The same quantity in two places: each left amount against the right amount (converted to the
    left's unit). Figures printed at different precision agree when the finer lies within the
    coarser's rounding interval. Nothing to compare when either side is missing."""
    if right is None or isinstance(right, (list, tuple)) and not right:
        return []
    if isinstance(right, (list, tuple)):
        right = right[0]
    lefts = [a for a in (left if isinstance(left, (list, tuple)) else [left]) if isinstance(a, Amount)]
    if not isinstance(right, Amount):
        return []
    out = []
    for a in lefts:
        b = right
        if a.parts and not b.parts:  # the single figure is the one to locate the finding at
            a, b = b, a
        rights = list(b.parts) if b.parts else [b]  # kept in their own units: the text quotes them as printed
        # One quantity printed at two precisions agrees when the finer lies in the coarser's
        # interval; printed at the same precision, or against a sum of figures as coarse, it must be
        # equal (else 尾差). A figure far coarser than every part of a sum (1,294.71万元 for 元 cells
        # adding up to 12,947,125.77元) is that sum rounded: it agrees within its own interval.
        if b.parts:
            lenient = not a.parts and all(convert(p.error, p.unit, a.unit) * 10 <= a.error for p in b.parts if p.error)
        else:
            lenient = not a.parts and convert(b.error, b.unit, a.unit) != a.error

        def build(a=a, b=b, rights=rights):
            return "", a, rights, bool(b.parts)

        out.append(_compare_values((a.value, a.error, a.unit), [(r.value, r.error, r.unit) for r in rights], build,
                                   same_quantity=lenient))
    return out


@primitive("compare_any", 2)
def compare_any(ctx: Context, left: Any, rights: Any) -> list[Comparison]:
    """`compare` with several places the same figure may be from: each left amount against the first
    right one, unless a later one agrees (基本支出 stated for all funds is the 支出表's, stated for the
    一般公共预算 its table's); the later ones alone are compared with nothing."""
    rights = list(rights) if isinstance(rights, (list, tuple)) else [rights]
    out = []
    for a in (left if isinstance(left, (list, tuple)) else [left]):
        found = [(n, c) for n, r in enumerate(rights) if isinstance(r, Amount) for c in compare(ctx, a, r)]
        chosen = _reference_or_agreeing(found)
        if chosen is not None:
            out.append(chosen)
    return out


def _reference_or_agreeing(found: list[tuple[int, Comparison]]) -> Comparison | None:
    """Of one figure's comparisons with several places (rank 0 the reference, the others only
    confirming): the first that holds, else the reference's; nothing without the reference."""
    reference = next((c for rank, c in found if rank == 0), None)
    if reference is None:
        return None
    return next((c for _, c in found if c.holds), reference)


@primitive("plus", 1, 6)
def plus(ctx: Context, *amounts: Any) -> Amount | None:
    """The sum of several amounts, each one required: nothing when any of them is not there (unlike
    `sum`, which adds what it finds). For an identity whose every term must be read, such as
    本年收入 + 年初结转和结余 of one fund."""
    if not amounts or not all(isinstance(a, Amount) for a in amounts):
        return None
    items = list(amounts)
    return total_of(items, "+".join(a.label for a in items), items[0].location)


@primitive("chain", 1, 12)
def chain(ctx: Context, *lists: Any) -> list:
    """The items of several lists one after the other (a rule checking several pairs at once)."""
    out: list = []
    for value in lists:
        if isinstance(value, (list, tuple)):
            out.extend(value)
        elif value is not None:
            out.append(value)
    return out


@primitive("sum", 1)
def sum_of(ctx: Context, amounts: Any) -> Amount | None:
    """The sum of amounts (its rounding error the sum of theirs); nothing if none is there."""
    items = [a for a in (amounts or []) if isinstance(a, Amount)]
    return total_of(items, "+".join(a.label for a in items), items[0].location) if items else None


@primitive("first", 1, 6)
def first(ctx: Context, *values: Any) -> Any:
    """The first of the values that is something (an amount that exists, a non-empty list)."""
    return next((v for v in values if v is not None and v != [] and v != ""), None)


@primitive("to_unit", 2)
def to_unit(ctx: Context, value: Any, unit: str) -> Any:
    """An amount (or a list of them) expressed in another unit: 元, 万元 or 亿元."""
    if str(unit) not in UNITS:
        raise ValueError(f"未知的金额单位 {unit!r}，应为：{'、'.join(UNITS)}")
    if isinstance(value, (list, tuple)):
        return [v.to(str(unit)) for v in value if isinstance(v, Amount)]
    return value.to(str(unit)) if isinstance(value, Amount) else None


@primitive("parts", 1)
def parts(ctx: Context, tables: Any) -> list[TablePart]:
    """A table's column groups laid side by side (收入 | 支出), each a table of its own."""
    return _parts_of(ctx, tables, trusted=False)


@primitive("lines_between", 3)
def lines_between(ctx: Context, tables: Any, after: Any, before: Any) -> TablePart | None:
    """A table part's lines strictly after the first line matching `after` and before the first
    line below it matching `before` ("" for the part's first or last line), as a part of its own:
    the block of 本年 lines above 本年收入合计, or the lines under 年初财政拨款结转和结余. Amounts
    read from it are named with the `after` line (收入：年初财政拨款结转和结余：一、一般公共预算…).
    Nothing when either line is not there, or when more than one part matches."""
    found = _parts_of(ctx, tables)
    if len(found) != 1:
        return None
    whole = found[0]
    if all(isinstance(spec, (str, re.Pattern)) or spec is None for spec in (after, before)):
        # Several rules ask for the same lines: one part for them, whose rows and columns `amount`
        # then finds in its memo. The key holds the whole part, alive as long as the memo.
        return ctx.cached(("numbers.lines_between", whole, after, before), lambda: _lines_between(whole, after, before))
    return _lines_between(whole, after, before)


def _lines_between(whole: TablePart, after: Any, before: Any) -> TablePart | None:
    rows = list(whole.rows)
    start = 0
    title = whole.title
    if after is not None and after != "":
        match = _matcher(after)
        first_ = next((i for i, r in enumerate(rows) if not r.suspect and match(r)), None)
        if first_ is None:
            return None
        start = first_ + 1
        title = "：".join(x for x in (whole.title, rows[first_].label) if x)
    end = len(rows)
    if before is not None and before != "":
        match = _matcher(before)
        stop = next((i for i in range(start, len(rows)) if match(rows[i])), None)
        if stop is None:
            return None
        end = stop
    return dataclasses.replace(whole, title=title, rows=tuple(rows[start:end]))


@primitive("part", 2)
def part(ctx: Context, tables: Any, pattern: Any) -> TablePart | None:
    """The column group whose title (the header cell over it: 收入, 本年支出 …) matches."""
    for p in _parts_of(ctx, tables, trusted=False):
        title = normalise_label(p.title)
        if (pattern.search(title) if isinstance(pattern, re.Pattern) else str(pattern) in title):
            return p
    return None


# ---------------------------------------------------------------- amounts stated in the text

_STATED = re.compile(r"(?:安排)?(?:为|是|共计|合计|总计|达到|达|：|:)?([0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?)(亿元|万元|元)")
_FULL = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


@primitive("stated", 2)
def stated(ctx: Context, scope: Any, pattern: Any) -> list[Amount]:
    """Amounts the text states for a term: each match of the pattern followed at once (after 安排,
    为, 是, 共计 or a colon at most) by a figure and its unit, as in 收入支出总计2995.39万元. A figure
    printed to 0.01 stands for ±0.005 of its unit, to 1 for ±0.5."""
    out: list[Amount] = []
    if isinstance(pattern, re.Pattern):
        regex, needle_texts = compile_prefiltered(pattern)
    else:
        regex, needle_texts = re.compile(re.escape(str(pattern))), None
    for text, pieces in _cached_passages(ctx, scope, figures_only=True):
        if needle_texts is not None and not any(t in text for t in needle_texts):
            continue
        for m in regex.finditer(text):
            paragraph = next(p for start, p in reversed(pieces) if start <= m.start())
            figure = _STATED.match(text, m.end())
            if figure is None:
                continue
            amount_ = _figure_amount(figure, m.group(0), paragraph.location)
            if amount_ is not None:
                out.append(amount_)
    return out


_TERMINAL = tuple("。！？!?；;：:")
_ITEM_START = re.compile(r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))")


def _passages(paragraphs: list[Paragraph]) -> list[tuple[str, list[tuple[int, Paragraph]]]]:
    """Paragraphs joined back where a line wrap or page break cut a sentence (…一般公共预算拨 /
    款支出预算950.12万元), with where each piece starts."""
    out: list[tuple[str, list[tuple[int, Paragraph]]]] = []
    for paragraph in paragraphs:
        text = squash(paragraph.text)
        if not text:
            continue
        previous = out[-1][0] if out else ""
        # a cut sentence, not a title: long enough, with a comma, and no full stop at its end
        if previous and len(previous) >= 20 and ("，" in previous or "," in previous) \
                and not previous.endswith(_TERMINAL) and not _ITEM_START.match(text) and len(out[-1][1]) < 8:
            joined, pieces = out[-1]
            pieces.append((len(joined), paragraph))
            out[-1] = (joined + text, pieces)
        else:
            out.append((text, [(0, paragraph)]))
    return out


def _cached_passages(ctx: Context, scope: Any, figures_only: bool = False) -> list[tuple[str, list[tuple[int, Paragraph]]]]:
    """The passages of the scope; `figures_only`: those naming a unit (元), the only ones where
    `_STATED` can read a figure."""
    paragraphs, key = _scope_paragraphs(ctx, scope)
    passages = ctx.cached(("numbers.passages", key), lambda: _passages(paragraphs))
    if not figures_only:
        return passages
    return ctx.cached(("numbers.passages-with-figures", key), lambda: [p for p in passages if "元" in p[0]])


def _cached_mentions(ctx: Context, scope: Any) -> list[list[Any]]:
    """Per passage, its item mentions in order: “X（类）Y（款）Z（项）” matches and “X-Y-Z”科目 chains."""
    _, key = _scope_paragraphs(ctx, scope)
    year = ctx.facts.year

    def mentions(text: str) -> list[Any]:
        found: list[Any] = _item_paths(text) if "类" in text else []
        if "”" in text and ("科目" in text or "项目" in text):
            found = found + _item_chains(text, year)
        if "支出" in text:
            found = found + _bare_classes(text, year)
        return sorted(found, key=lambda m: m.start())

    return ctx.cached(("numbers.mentions", key), lambda: [mentions(text) for text, _ in _cached_passages(ctx, scope)])


def _scope_paragraphs(ctx: Context, scope: Any) -> tuple[list[Paragraph], Any]:
    """The paragraphs of a scope, and a key naming them in the memos. Rules mostly pass the whole
    document's (`paragraphs()`, a new copy each time): told at once by comparing the list with the
    memo's, instead of by a tuple of every paragraph's id."""
    whole = ctx.cached("numbers.paragraphs", lambda: _paragraphs(ctx, None))
    if scope is None or (isinstance(scope, list) and scope == whole):
        return whole, "whole document"
    paragraphs = _paragraphs(ctx, scope)
    return paragraphs, tuple(map(id, paragraphs))


def _paragraphs(ctx: Context, scope: Any) -> list[Paragraph]:
    if scope is None:
        return [b for b in ctx.document.blocks if isinstance(b, Paragraph) and not b.is_note]
    if isinstance(scope, Paragraph):
        return [scope]
    if isinstance(scope, Section):
        return [b for b in scope.blocks if isinstance(b, Paragraph) and not b.is_note]
    if isinstance(scope, (list, tuple)):
        # usually paragraphs() itself: take paragraphs as they are, without a call for each
        out: list[Paragraph] = []
        for s in scope:
            if isinstance(s, Paragraph):
                out.append(s)
            else:
                out.extend(_paragraphs(ctx, s))
        return out
    return []


# (the marks may carry the code: 教育支出（205类）普通教育（20502款）小学教育（2050202项）)
# (a name may hold 、 and a bracketed word: 环境保护法规、规划及标准, 政府办公厅（室）及相关机构事务)
_NAME_PIECE = r"(?:[\u4e00-\u9fff、]|[（(](?![类款项][)）])[\u4e00-\u9fff]{1,4}[)）])"
_ITEM_PATH = re.compile(
    r"“?(?P<lei>[\u4e00-\u9fff]{2,30}?)[（(]\d{0,3}类[)）]"
    rf"(?:(?P<kuan>[\u4e00-\u9fff]{_NAME_PIECE}{{1,29}}?)[（(]\d{{0,5}}款[)）])?"
    rf"(?:(?P<xiang>[\u4e00-\u9fff]{_NAME_PIECE}{{1,39}}?)[（(]\d{{0,7}}项[)）])?”?"
)


_LEI_MARK = re.compile(r"[（(]\d{0,3}类[)）]")


def _item_paths(text: str) -> list[re.Match]:
    """`_ITEM_PATH.finditer(text)`, without trying the regex's lazy CJK run at every character of
    the text: a mention's 类 name (2 to 30 CJK characters, after an optional “) ends right at its
    （类）, so no mention starts more than 31 characters before the next （类）."""
    out: list[re.Match] = []
    pos = 0  # where the last mention ended: the next one starts there or later
    for mark in _LEI_MARK.finditer(text):
        if mark.start() < pos:
            continue
        m = _ITEM_PATH.search(text, max(pos, mark.start() - 31))
        if m is None:
            break
        out.append(m)
        pos = m.end()
    return out


# “卫生健康支出-行政事业单位医疗-行政单位医疗”科目: the 类, 款 and 项 names joined by a dash or a slash,
# in quotes, before 科目 / 项目
_ITEM_CHAIN = re.compile(r"“(?P<chain>[^“”]{2,150}?)”(?=\s*(?:科目|项目))")
_CHAIN_SEP = re.compile(r"\s*(?:[-—–－]+|[/／])\s*")


@dataclasses.dataclass(frozen=True)
class _ChainMention:
    """An item named as a chain of names, read like a match of `_ITEM_PATH` (same groups)."""

    span: tuple[int, int]
    names: tuple[str, ...]
    text: str

    def start(self) -> int:
        return self.span[0]

    def end(self) -> int:
        return self.span[1]

    def group(self, name: Any = 0) -> str | None:
        if name == 0:
            return self.text
        index = ("lei", "kuan", "xiang").index(name)
        return self.names[index] if index < len(self.names) else None


def _item_chains(text: str, year: int | None) -> list[_ChainMention]:
    """“A-B-C”科目 (also A—B—C, A/B/C, or a 类 alone: “A”科目): a mention only when the names form a
    chain 类 → 款 → 项 in the official function classification of the year, so that a dash (or a
    quoted name) in other words is no item."""
    out: list[_ChainMention] = []
    for m in _ITEM_CHAIN.finditer(text):
        names = tuple(_CHAIN_SEP.split(m.group("chain")))
        if len(names) <= 3 and all(names) and _official_chain(names, year):  # (no empty name: no dash at an end)
            out.append(_ChainMention(m.span(), names, m.group(0)))
    return out


# 教育支出17,796.52万元: a 类 named without its （类） mark, at the start of a clause or list item, right
# before its figure
_BARE_CLASS = re.compile(r"(?:^|(?<=[：:、，,；;。（()）.．\s]))(?P<lei>[\u4e00-\u9fff]{2,12}?支出)(?=[：:]?[\d０-９])")


def _bare_classes(text: str, year: int | None) -> list[_ChainMention]:
    """教育支出X万元、卫生健康支出Y万元: a mention when the name is one 类 of the year's function
    classification, and no other classification's (其他支出 is 229, 399 and 599)."""
    return [_ChainMention(m.span(), (m.group("lei"),), m.group(0)) for m in _BARE_CLASS.finditer(text)
            if _function_class(m.group("lei"), year)]


@lru_cache(maxsize=1024)
def _function_class(name: str, year: int | None) -> bool:
    found = load_codes().find(name, "", year)
    return len(found) == 1 and system_of(found[0]) == "function"


@lru_cache(maxsize=1024)
def _official_chain(names: tuple[str, ...], year: int | None) -> bool:
    """Whether the names are a 类 and a 款 under it (and a 项 under that) of the year's function
    classification, each found once. (Memoised: the shipped code lists never change during a run.)"""
    codes = load_codes()
    parent = ""
    for name in names:
        found = codes.find(name, parent, year)
        if len(found) != 1:
            return False
        parent = found[0]
    return True


@primitive("item_comparisons", 3)
def item_comparisons(ctx: Context, scope: Any, tables: Any, lead: Any) -> list[Comparison]:
    """Amounts the text gives for classified items — 一般公共服务支出（类）财政事务（款）行政运行（项）,
    or “一般公共服务支出-财政事务-行政运行”科目 when the names form a chain of the year's official
    function classification, followed by its figure — against the row of the table with the same
    类/款/项 names (in its 合计 column). With several tables: against the first one's row, unless the
    figure is a later one's (a 类 of all funds, "本年支出合计…，其中：科学技术支出（类）…", is the
    支出表's, not the 一般公共预算 table's); a later table alone is compared with nothing. `lead` is
    what may stand between the item and its figure: /^”?(科目)?/ when the figure follows at once, /^[^“]*?支出决算为/ when it comes after 支出决算为. An item whose names the
    table does not have (a misnamed item: another rule's business) is not compared."""
    lead_re = lead if isinstance(lead, re.Pattern) else re.compile(re.escape(str(lead)))
    # the parts of each table, the first table's first (the reference; the others may only agree)
    ranked = [(n, p) for n, t in enumerate(tables if isinstance(tables, (list, tuple)) else [tables])
              for p in _parts_of(ctx, t) if any(r.code for r in p.rows)]
    if not ranked:
        return []
    out: list[Comparison] = []
    for (text, pieces), mentions in zip(_cached_passages(ctx, scope), _cached_mentions(ctx, scope)):
        for i, m in enumerate(mentions):
            end = mentions[i + 1].start() if i + 1 < len(mentions) else len(text)
            rest = text[m.end():end]
            lead_m = lead_re.match(rest)
            if lead_m is None:
                continue
            figure = _STATED.match(rest, lead_m.end())
            if figure is None:
                continue
            names = [n for n in (m.group("lei"), m.group("kuan"), m.group("xiang")) if n]
            if m.group("xiang") and not m.group("kuan"):
                continue
            paragraph = next(p for start, p in reversed(pieces) if start <= m.start())
            stated_amount = _figure_amount(figure, m.group(0).strip("“”") , paragraph.location)
            if stated_amount is None:
                continue
            candidates = []
            for rank, part in ranked:
                row = _row_by_names(ctx, part, names)
                col = _find_column(part, None) if row is not None else None
                if col is not None:
                    candidates.extend((rank, c) for c in compare(ctx, stated_amount, _labelled(ctx, part, row, col)))
            chosen = _reference_or_agreeing(candidates)
            if chosen is not None:
                out.append(chosen)
    return out


@dataclasses.dataclass(frozen=True)
class ItemRow:
    """A 项 row of a table that the narrative should speak of: its code, its 类 › 款 › 项 names and
    its amount (located at the cell)."""

    code: str
    path: str
    amount: Amount

    @property
    def location(self) -> Location | None:
        return self.amount.location

    @property
    def anchor(self) -> str:
        return f"{self.code} {self.path}"


@primitive("unmentioned_items", 1)
def unmentioned_items(ctx: Context, tables: Any) -> list[ItemRow]:
    """The 项 rows of the tables with a non-zero amount (in the 合计 column) that the narrative does
    not name, when it names items one by one — at least three 项 as “X（类）Y（款）Z（项）”; a text
    that names none or a few explains in its own way. A mention names a row by its three names,
    else by its 类 and 项 (the 款 misnamed), else by its 项 alone when only one row has that name;
    one whose 项 the table does not have under that 款, or whose 项 is the name of a 款 (misnamed:
    the classification rules' business), stands for one unnamed row of that 款."""
    full = [m.names for m in document_statements(ctx).mentions if len(m.names) == 3]
    if len({tuple(map(_name_key, n)) for n in full}) < 3:
        return []
    out: list[ItemRow] = []
    for part in _parts_of(ctx, tables):
        col = _find_column(part, None)
        if col is None or not any(r.level == 3 for r in part.rows):
            continue
        named: set[int] = set()
        spare: dict[int, int] = {}  # 款 row → mentions of that 款 whose 项 the table lacks
        for names in full:
            row = _row_by_names(ctx, part, list(names)) or _row_by_names(ctx, part, [names[0], names[2]], skip=1)
            if row is None:
                same = _rows_by_name(ctx, part).get((3, _name_key(names[2])), [])
                row = same[0] if len(same) == 1 else None
            if row is not None:
                named.add(id(row))
            elif (kuan := _row_by_names(ctx, part, list(names[:2])) or _row_by_names(ctx, part, [names[0], names[2]])) \
                    is not None and kuan.level == 2:
                spare[id(kuan)] = spare.get(id(kuan), 0) + 1
        ancestors: dict[str, Row] = {r.code: r for r in part.rows if r.code and r.level in (1, 2) and not r.suspect}
        for row in part.rows:
            if row.level != 3 or row.suspect or not row.value(col) or id(row) in named:
                continue
            kuan = ancestors.get(row.code[:5])
            if kuan is not None and spare.get(id(kuan)):
                spare[id(kuan)] -= 1
                continue
            lei = ancestors.get(row.code[:3])
            path = f"{lei.name}（类）{kuan.name}（款）{row.name}（项）" if lei and kuan else f"{row.name}（项）"
            out.append(ItemRow(row.code, path, _labelled(ctx, part, row, col)))
    return out


ATTRIBUTES[ItemRow] = {
    "code": lambda ctx, r: r.code,
    "path": lambda ctx, r: r.path,
    "amount": lambda ctx, r: r.amount,
}


def _figure_amount(figure: re.Match, label: str, location: Location) -> Amount | None:
    digits = figure.group(1).translate(_FULL).replace(",", "").replace("，", "")
    value = to_decimal(digits)
    if value is None:
        return None
    places = len(digits) - digits.index(".") - 1 if "." in digits else 0
    return Amount(value, Decimal(5).scaleb(-places - 1), figure.group(2), label, figure.group(1), location)


@lru_cache(maxsize=4096)
def _name_key(name: str) -> str:
    """A 类/款/项 name as compared: two names are the same when their keys are. (Memoised: the
    same names recur in mention after mention.)"""
    return normalise_label(name).replace("其它", "其他")


def _row_by_names(ctx: Context, part: TablePart, names: list[str], skip: int = 0) -> Row | None:
    """The row reached by 类 name, then 款 name under it, then 项 name under that (by code prefix);
    `skip` levels left out after the 类 (类 and 项 names, `skip=1`). A 类 name the table does not have
    ("一般公共服务" for 一般公共服务支出: the classification rules' business) leaves the 款 and 项
    names to find the row under any 类, when only one row answers to them."""
    rows = _rows_by_name(ctx, part)
    candidates = rows.get((1, _name_key(names[0])), [])
    if not candidates and not skip and len(names) > 1:
        candidates = [r for r in part.rows if r.level == 1 and r.code and not r.suspect]
    for depth, name in enumerate(names[1:], start=2 + skip):
        candidates = [r for r in rows.get((depth, _name_key(name)), ())
                      if any(r.code.startswith(c.code) for c in candidates)]
    return candidates[0] if len(candidates) == 1 else None


def _rows_by_name(ctx: Context, part: TablePart) -> dict[tuple[int, str], list[Row]]:
    """(level, comparable name) → the part's rows at that level with that name, in order (suspect
    rows left out): once per part, not a scan of its rows for every name of every mention. The
    key holds the part, alive as long as the memo."""
    def index() -> dict[tuple[int, str], list[Row]]:
        out: dict[tuple[int, str], list[Row]] = {}
        for r in part.rows:
            if r.level is not None and not r.suspect:
                out.setdefault((r.level, _name_key(r.label)), []).append(r)
        return out

    return ctx.cached(("numbers.rows-by-name", part), index)


# ---------------------------------------------------------------- attributes

def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


ATTRIBUTES.setdefault(Table, {})["unit"] = lambda ctx, t: ctx.semantics(t).unit
ATTRIBUTES.setdefault(Table, {})["parts"] = lambda ctx, t: list(ctx.semantics(t).parts)
ATTRIBUTES[TablePart] = {
    "caption": lambda ctx, p: p.caption,
    "title": lambda ctx, p: p.title,
    "unit": lambda ctx, p: p.unit,
    "page": lambda ctx, p: p.table.location.page,
    "trusted": lambda ctx, p: p.trusted,
}
ATTRIBUTES[Amount] = {
    "value": lambda ctx, a: _float(a.value),
    "unit": lambda ctx, a: a.unit,
    "text": lambda ctx, a: a.shown(True),
    "label": lambda ctx, a: a.label,
    "page": lambda ctx, a: a.location.page if a.location else None,
}
ATTRIBUTES[Comparison] = {
    "holds": lambda ctx, c: c.holds,
    "material": lambda ctx, c: c.material,
    "rounding": lambda ctx, c: c.rounding,
    "text": lambda ctx, c: c.text,
    "difference": lambda ctx, c: _float(c.difference),
    "tolerance": lambda ctx, c: _float(c.tolerance),
    "left": lambda ctx, c: c.left,
    # the other side: its amount, or the amounts it adds up when it is a sum
    "right": lambda ctx, c: c.right[0] if len(c.right) == 1 else c.right,
}
