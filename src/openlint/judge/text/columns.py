"""Table columns: a column's cells (`column`), cells that repeat the one beside them (`same_cells`),
and the most common value of a list (`most_common`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from openlint.judge.context import Context, compact
from openlint.judge.registry import ATTRIBUTES, display, pattern_found, primitive
from openlint.model import Table


@dataclass(frozen=True, slots=True)
class Tally:
    """The most common value of a list: how often, out of how many."""

    text: str
    count: int
    total: int
    share: float


@primitive("same_cells", 3)
def same_cells(ctx: Context, table: Any, first: Any, second: Any) -> list[str]:
    """The rows of a table whose cell under header `first` reads the same as the one under header
    `second` (`same_cells(t, /三级指标/, /指标描述/)`: descriptions that only repeat the name), as the
    texts under `first`; blank cells never count. Nothing when the table lacks either header."""
    if not isinstance(table, Table):
        return []
    return ctx.cached(("text", "same_cells", id(table), _key(first), _key(second)),
                      lambda: _same_cells(table, first, second))


def _key(pattern: Any) -> tuple:
    return (pattern.pattern, pattern.flags) if isinstance(pattern, re.Pattern) else (str(pattern), -1)


def _same_cells(table: Table, first: Any, second: Any) -> list[str]:
    for r in range(table.n_rows):
        names = [compact(table.text(r, c)) for c in range(table.n_cols)]
        a = next((c for c, n in enumerate(names) if pattern_found(first, n)), None)
        b = next((c for c, n in enumerate(names) if pattern_found(second, n) and c != a), None)
        if a is None or b is None:
            continue
        out = []
        for rr in range(r + 1, table.n_rows):
            row = table.grid[rr]
            if max(a, b) >= len(row) or row[a] is row[b]:
                continue  # a short row, or one merged cell across both columns
            x, y = compact(row[a].text), compact(row[b].text)
            if x and x == y:
                out.append(x)
        return out
    return []


@primitive("column", 2)
def column(ctx: Context, table: Any, header: Any) -> list[str]:
    """The non-blank cells under the first header cell matching the pattern, top to bottom."""
    if not isinstance(table, Table):
        return []
    return ctx.cached(("text", "column", id(table), _key(header)), lambda: _column(table, header))


def _column(table: Table, header: Any) -> list[str]:
    for r in range(table.n_rows):
        for c, text in enumerate(table.text(r, k) for k in range(table.n_cols)):
            if pattern_found(header, compact(text)):
                # (a cell spanning into the column from its left — 总分 across the indicator columns — is
                # none of its values)
                values = [compact(row[c].text) for row in table.grid[r + 1:] if c < len(row) and row[c].col == c]
                return [v for v in values if v and not pattern_found(header, v)]
    return []


@primitive("most_common", 1)
def most_common(ctx: Context, values: Any) -> Tally | None:
    """The most common of a list of values: `.text`, `.count`, `.total`, `.share` (nothing for an empty list)."""
    if isinstance(values, list):  # a rule asks about the same list (a column) in its condition and its message
        # Keyed by id: the list kept in the memo stays alive, so no other object can take its id.
        return ctx.cached(("text", "most_common", id(values)), lambda: (values, _tally(values)))[1]
    return _tally(values)


def _tally(values: Any) -> Tally | None:
    items = [display(v) for v in values or ()]
    if not items:
        return None
    text, n = Counter(items).most_common(1)[0]
    return Tally(text, n, len(items), n / len(items))


ATTRIBUTES[Tally] = {
    "text": lambda ctx, t: t.text, "count": lambda ctx, t: t.count, "total": lambda ctx, t: t.total,
    "share": lambda ctx, t: t.share,
}
