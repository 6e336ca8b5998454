"""Patterns in context: where a /regex/ or a text occurs (`occurrences`), the years written in the
text (`years`), and periods from one date to another (`periods`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from openlint.judge.context import Context
from openlint.judge.registry import primitive
from openlint.judge.text.corpus import Hit, _hit, _matches
from openlint.judge.text.toc import _toc_ids


@primitive("occurrences", 1, 2)
def occurrences(ctx: Context, pattern: Any, scope: Any = None) -> list[Hit]:
    """Where a /regex/ (or a text) occurs: one element per heading, passage, caption or table cell
    that contains it (the first match, `.count` matches in all), with `.text`, `.quote` (the match
    with its surroundings), `.before`, `.after`, `.next` (what follows the passage: paragraph, note,
    heading, table, or nothing), `.kind` (where it is: heading, paragraph, note, caption, preamble,
    cell, or toc for a 目录 entry), `.section` (its section path, joined with " › "); optionally
    only inside a section, table or list of them. `^` and
    `$` mean the start and end of the heading, passage or cell."""
    out: list[Hit] = []
    seen: dict[int, int] = {}
    toc = _toc_ids(ctx)
    for i, unit, m in _matches(ctx, pattern, scope):
        if i in seen:
            index = seen[i]
            out[index] = replace(out[index], count=out[index].count + 1)
            continue
        seen[i] = len(out)
        out.append(_hit(unit, m, toc=toc))
    return out


# Not inside a longer number or a decimal (12024, 1.2025), but after a list number at the start of
# a line: 1. 2025年部门收入预算总表 reads 1.2025年… once compacted.
_YEAR = re.compile(r"(?:(?<![\d.])|(?<=^\d\.)|(?<=^\d\d\.))((?:19|20)\d{2}|[一二][〇零○九][〇零○一二三四五六七八九]{2})(?=\s*年)")
_YEAR_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")


def _year_value(text: str) -> int:
    """`2024` or `二〇二四` → 2024."""
    return int(text.translate(_YEAR_DIGITS))


@primitive("years", 0, 1)
def years(ctx: Context, scope: Any = None) -> list[Hit]:
    """Every year written as `2024年` or `二〇二四年` (`.value` the year, `.before` the 20 characters
    before it, `.after` the rest of its sentence up to 80 characters: enough for 2022年上海市普陀区
    人民政府万里街道办事处（部门）下属1家机关和1家参公事业单位财政拨款的机关运行经费预算为…),
    `.kind` where it is (heading, paragraph, note, caption, preamble, cell, toc); optionally inside
    a section, table or list of them."""
    def compute() -> list[Hit]:
        toc = _toc_ids(ctx)
        return [_hit(unit, m, value=_year_value(m.group(1)), toc=toc, after_chars=80, to_sentence_end=True)
                for _i, unit, m in _matches(ctx, _YEAR, scope)]

    return ctx.cached(("text", "years"), compute) if scope is None else compute()


_PERIOD = re.compile(
    r"(?<!\d)(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:至|到|—|–|-|－|～|~)\s*(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日"
)


@primitive("periods", 0)
def periods(ctx: Context) -> list[Hit]:
    """Periods written from one date to another ("2025年1月1日至2025年12月31日", "2024年1月1日—12月31日":
    the end in the start's year when it names none, or in the next when it would come first), `.value`
    the days from start to end (negative when the end comes first). A date that does not exist is
    left to the rules about dates."""
    out = []
    for _i, unit, m in _matches(ctx, _PERIOD):
        y1, m1, d1, y2, m2, d2 = m.groups()
        try:
            start = date(int(y1), int(m1), int(d1))
            end = date(int(y2 or y1), int(m2), int(d2))
        except ValueError:
            continue
        if end < start and not y2:
            continue  # "2024年12月1日至1月31日": into the next year, most likely
        out.append(_hit(unit, m, value=(end - start).days, width=8))
    return out
