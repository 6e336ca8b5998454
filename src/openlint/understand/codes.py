"""The 政府收支分类科目 code lists (rules/codes/*.csv) and the codes a table prints.

- `CodeList`: code → official name by year (支出功能分类 类/款/项, 部门预算支出经济分类 类/款),
  former names (renames), which parents' child lists are known to be complete, name lookups.
- `table_codes(table)`: a small, self-contained reader of (code, name) pairs from a table grid: the
  code in one cell (`2010507`, `201 05 07`, `201-05-07`) or split over 类 | 款 | 项 columns
  (`201 | 05 | 07`, or only `| 05 | 07` under a 类 printed above), names wrapped onto a
  continuation row joined back. Richer table semantics live elsewhere (understand/tables.py);
  this helper only needs codes and names.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path

from openlint._slots import direct_init
from openlint.model import Location, Table
from openlint.resources import data_dir
from openlint.understand.amounts import header_row_count, parse_amount
from openlint.understand.tables import squash

FIRST_YEAR, LAST_YEAR = 2023, 2026  # the years the shipped lists cover

# ---- names ----

_NAME_MAP = str.maketrans({"(": "（", ")": "）", "［": "（", "］": "）", "[": "（", "]": "）"})
_NAME_VARIANTS = (("其它", "其他"), ("维修（护）", "维修（护）"), ("维护（修）", "维修（护）"))
_NAME_TRIM = re.compile(r"^[\s、.．,，:：*＊★▲△]+|[\s、.．,，:：*＊★▲△]+$")


# a short bracketed word inside a name, often left out: 政府办公厅（室）及相关机构事务, 因公出国（境）费用
_QUALIFIER = re.compile(r"（[^（）]{1,3}）(?=.)")


@lru_cache(maxsize=8192)
def normalize_name(name: str) -> str:
    """Names compared: spaces removed, brackets full-width, 其它→其他, a short bracketed word inside
    the name left out, leading numbering and marks dropped."""
    s = squash(name or "").translate(_NAME_MAP)
    s = re.sub(r"^[一二三四五六七八九十]+、", "", s)
    for old, new in _NAME_VARIANTS:
        s = s.replace(old, new)
    return _NAME_TRIM.sub("", _QUALIFIER.sub("", s))


def level_of(code: str) -> str | None:
    return {3: "类", 5: "款", 7: "项"}.get(len(code))


def system_of(code: str) -> str | None:
    """function (支出功能分类 2xx), economic (部门预算支出经济分类 30x/31x/39x), government (政府预算支出经济分类 5xx)."""
    if not code[:3].isdigit():
        return None
    head = int(code[:3])
    if 201 <= head <= 239:
        return "function"
    if 301 <= head <= 399:
        return "economic"
    if 501 <= head <= 599:
        return "government"
    return None


# ---- the lists ----

@dataclass(frozen=True, slots=True)
class CodeEntry:
    code: str
    name: str
    since: int | None
    until: int | None
    certain: bool
    complete: bool  # the list of this code's children is complete

    def valid(self, year: int) -> bool:
        return (self.since is None or year >= self.since) and (self.until is None or year <= self.until)


@dataclass(frozen=True, slots=True)
class FormerName:
    code: str
    name: str
    until: int  # last year the name was official
    source: str = ""


@dataclass
class CodeList:
    entries: dict[str, list[CodeEntry]] = field(default_factory=dict)
    former: dict[str, list[FormerName]] = field(default_factory=dict)
    complete_roots: frozenset[str] = frozenset()  # systems whose 类 list is complete
    _children: dict[str, list[str]] = field(default_factory=dict)
    _by_name: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (parent, name) → codes

    @staticmethod
    def clamp(year: int | None) -> int | None:
        if year is None:
            return None
        return min(max(year, FIRST_YEAR), LAST_YEAR)

    def entry(self, code: str, year: int | None) -> CodeEntry | None:
        year = self.clamp(year)
        for e in self.entries.get(code, ()):
            if year is None or e.valid(year):
                return e
        return None

    def name(self, code: str, year: int | None) -> str | None:
        e = self.entry(code, year)
        return e.name if e else None

    def known(self, code: str) -> bool:
        return code in self.entries

    def children(self, parent: str, year: int | None) -> list[str]:
        return [c for c in self._children.get(parent, ()) if self.entry(c, year)]

    def complete(self, parent: str, year: int | None) -> bool:
        """Whether the list of `parent`'s children is complete (root "" or "economic": the 类 lists)."""
        if parent in ("", "function", "economic"):
            return (parent or "function") in self.complete_roots
        e = self.entry(parent, year)
        return bool(e and e.complete and e.certain)

    def find(self, name: str, parent: str, year: int | None) -> list[str]:
        """Codes under `parent` ("" for 类 of the function system) officially named `name` that year."""
        return [c for c in self._by_name.get((parent, normalize_name(name)), ()) if self.name(c, year) is not None
                and normalize_name(self.name(c, year)) == normalize_name(name)]

    def find_former(self, name: str, parent: str) -> list[FormerName]:
        """Former names matching `name` among `parent`'s children (renamed before or inside the covered years)."""
        key = normalize_name(name)
        out = []
        for code in self._children.get(parent, ()):
            out.extend(f for f in self.former.get(code, ()) if normalize_name(f.name) == key)
        return out

    def former_names(self, code: str) -> list[FormerName]:
        return list(self.former.get(code, ()))


def _parent(code: str) -> str:
    if len(code) == 3:
        return ""
    return code[: len(code) - 2]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


def _year(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text else None


@cache
def load_codes(directory: str | None = None) -> CodeList:
    """Load rules/codes/{function,economic}.csv and renames.csv (cached)."""
    base = Path(directory) if directory else data_dir("rules") / "codes"
    result = CodeList()
    roots = set()
    for name in ("function.csv", "economic.csv"):
        path = base / name
        if not path.exists():
            continue
        for row in _read_csv(path):
            code = row["code"].strip()
            if code == "*":  # "*,complete" marks the 类 list of this system as complete
                roots.add("function" if name.startswith("function") else "economic")
                continue
            entry = CodeEntry(
                code=code,
                name=row["name"].strip(),
                since=_year(row.get("since")),
                until=_year(row.get("until")),
                certain=(row.get("certain") or "yes").strip() != "no",
                complete=(row.get("children") or "").strip() == "complete",
            )
            result.entries.setdefault(code, []).append(entry)
    renames = base / "renames.csv"
    if renames.exists():
        for row in _read_csv(renames):
            code = row["code"].strip()
            result.former.setdefault(code, []).append(
                FormerName(code, row["former_name"].strip(), int(row["until"]), (row.get("source") or "").strip())
            )
    result.complete_roots = frozenset(roots)
    for code in sorted(set(result.entries) | set(result.former)):
        result._children.setdefault(_parent(code), []).append(code)
    for code, entries in result.entries.items():
        for e in entries:
            result._by_name.setdefault((_parent(code), normalize_name(e.name)), []).append(code)
    return result


# ---- codes printed in a table ----

_FULL_CODE = re.compile(r"^(\d{3})(?:[\s\-－]?(\d{2}))?(?:[\s\-－]?(\d{2}))?$")
_PART2 = re.compile(r"^\d{2}$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TOTAL = re.compile(r"合计|总计|小计")
_CODE_START = frozenset("0123456789[【")
_UNIT_START = frozenset("万元亿年月日个次件辆台套份")  # "310元", "202年": a number with its unit, not a code
# "326人次", "120户": a count whose unit could start a name (人大事务) — the whole name is the unit
_UNIT_NAME = re.compile(r"^(人次|人|户|名|家|平方米|天)[)）]?$")
_CODE_AND_NAME = re.compile(r"^[\[【]?(\d{3}(?:\d{2}){0,2})[\]】]?[\s:：]*([\u4e00-\u9fff].*)$")


@direct_init
@dataclass(frozen=True, slots=True)
class CodeRow:
    """A code and the name printed beside it in a table row."""

    code: str
    name: str
    table: Table
    row: int
    column: int  # the code's (first) column
    location: Location
    amounts: tuple = ()  # the amounts printed in the row right of the name, up to the next code
    printed: str = ""  # the code as printed when it is malformed ("7 11 02" under 210 11 → 2101102)

    @property
    def level(self) -> str | None:
        return level_of(self.code)

    @property
    def system(self) -> str | None:
        return system_of(self.code)


def row_texts(table: Table, r: int) -> list[str]:
    """The texts of row r's cells without spaces; a merged cell counts once, at its origin ("" elsewhere)."""
    return [squash(cell.text) if cell.row == r and cell.col == c else "" for c, cell in enumerate(table.grid[r])]


@lru_cache(maxsize=8192)
def _code_in_cell(text: str) -> tuple[str, bool] | None:
    """The code a cell prints whole (2010507, 201 05 07, 201-05-07) and whether it is a 类 alone
    (its 款 and 项 may follow in cells of their own); None when the cell prints no code.
    Memoised: the same codes recur in table after table."""
    m = _FULL_CODE.match(text)
    if m is None or not system_of(m.group(1)):
        return None
    return "".join(g for g in m.groups() if g), m.group(2) is None


def _row_location(table: Table, r: int, row: str) -> Location:
    """The table's location, named by its caption, at grid row r labelled `row`."""
    at = table.location
    return Location(at.file, at.page, table.line_of(r), at.section, table.caption or at.table, row, at.column, at.sheet)


def _is_name(text: str) -> bool:
    return bool(text) and bool(_CJK.search(text)) and parse_amount(text) is None


def _header_parts(table: Table, top: int) -> dict[int, str]:
    """Columns headed exactly 类 / 款 / 项 (split code layouts)."""
    parts: dict[int, str] = {}
    for r in range(min(top, table.n_rows)):
        for c, t in enumerate(row_texts(table, r)):
            if t in ("类", "款", "项"):
                parts[c] = t
    return parts


def _class_column(parts: dict[int, str], c: int) -> int:
    """The 类 column of the 类 | 款 | 项 columns column c is one of (c itself when there is none)."""
    k = c
    while parts.get(k - 1) in ("款", "项"):
        k -= 1
    return k - 1 if parts.get(k - 1) == "类" else c


# A column headed 单位编码 / 部门代码 / 单位名称 … lists the budget units (the by-unit tables of the
# 预算管理一体化 printouts: 301 云溪县教育局, 301001 云溪县教育局（本级）): its numbers are unit codes,
# which collide with classification codes (301 工资福利支出, 205 教育支出). Classification code columns
# are headed 科目编码, 功能分类科目编码, 类 | 款 | 项, 编码 …. Nor is a column of row numbers (序号 218).
_UNIT_HEADER = re.compile(r"(单位|部门|机构)(编码|代码|编号|名称)|^(序号|行次|栏次)$")
# a name column of projects (项目支出表: 功能分类科目编码 | 项目名称): the code classifies the project,
# the name is the project's, not the code's
_PROJECT_HEADER = re.compile(r"^项目(名称)?$")
# A row named after an organisation lists a unit, not a 科目: 云溪县教育局, …（本级）, 第一中学, 疾控中心.
# (Official names end in 医院, 学校, 馆 … too — 综合医院, 广播电视学校: a name the lists know is no
# organisation.)
_ORGANISATION = re.compile(r"(局|委员会|办公室|中心|学校|中学|小学|幼儿园|大学|学院|研究院|医院|卫生院|政府|街道办事处"
                           r"|公司|[（(]本级[)）])$")


def _special_columns(table: Table, top: int) -> tuple[frozenset[int], frozenset[int]]:
    """The columns whose header names units or departments (see `_UNIT_HEADER`), and those of
    project names (see `_PROJECT_HEADER`)."""
    units, projects = set(), set()
    rows = [table.grid[r] for r in range(min(top, table.n_rows))]
    for c in range(table.n_cols):
        header = "".join(squash(row[c].text) for row in rows if c < len(row))
        if _UNIT_HEADER.search(header):
            units.add(c)
        elif _PROJECT_HEADER.match(header):
            projects.add(c)
    return frozenset(units), frozenset(projects)


@lru_cache(maxsize=4096)
def is_organisation(name: str) -> bool:
    key = normalize_name(name)
    return bool(_ORGANISATION.search(key)) and key not in _official_names()


@cache
def _official_names() -> frozenset[str]:
    return frozenset(k for (_, k) in load_codes()._by_name)


def table_codes(table: Table) -> list[CodeRow]:
    """(code, name) of every row that prints a classification code, in order; both column groups of
    a table laid out side by side. Codes in a column of unit codes and rows naming an organisation
    are left out (see `_UNIT_HEADER`, `_ORGANISATION`)."""
    top = header_row_count(table)
    parts = _header_parts(table, top)
    units, projects = _special_columns(table, top)
    out: list[CodeRow] = []
    last_lei: dict[int, str] = {}  # per 类 column: the 类 printed last (inherited by rows printing only 款/项)
    last_kuan: dict[int, str] = {}
    previous: list[int] = []  # indices in `out` of the code rows of the row above (for wrapped names)
    for r in range(top, table.n_rows):
        row_cells = table.grid[r]
        width = len(row_cells)
        texts = row_texts(table, r)
        if not previous and not any(t[:1] in _CODE_START for t in texts):
            continue
        found: list[CodeRow] = []
        organisation = False  # a row naming a unit (not a wrapped name either)
        c = 0
        while c < width:
            t = texts[c]
            if (t and (t[0] not in _CODE_START or "." in t or "," in t)) or (not t and parts.get(c) != "类") \
                    or c in units:
                c += 1  # text, an amount, an empty cell outside a 类 column, a unit code: no code starts here
                continue
            code, used, printed = None, 0, ""
            group = c  # the column of the code's 类 (see below)
            whole = _code_in_cell(t)
            if whole is not None:
                code, lei_only = whole
                if len(code) > 3 and parts.get(c) in ("款", "项"):
                    # a 款 or 项 printed in full in its own column (`| | 20805 | |`): one code column
                    # group with the 类 column left of it, so that its 类 and 款 are the ones above
                    group = _class_column(parts, c)
                used = 1
                if lei_only:
                    # split layout: 201 | 05 | 07 (empty cells allowed: a 类 row prints 201 | | )
                    k = c + 1
                    for _ in range(2):
                        if k < width and _PART2.match(texts[k]) and len(code) < 7:
                            code += texts[k]
                            k += 1
                        elif k < width and texts[k] == "" and parts.get(k) in ("款", "项"):
                            k += 1
                        else:
                            break
                    used = k - c
                last_lei[group] = code[:3]
                if len(code) >= 5:
                    last_kuan[group] = code[:5]
            elif (parts.get(c) == "类" and t.isdigit() and len(t) != 3 and c in last_kuan
                  and c + 1 < width and parts.get(c + 1) == "款" and texts[c + 1] == last_kuan[c][3:5]):
                # a malformed 类 ("7 | 11 | 02" printed under "210 | 11"): the row continues the 款 above
                # (only a 款 printed above can be continued: under a lone 类, "7 | | 02" is no code)
                k, code = c + 2, last_kuan[c]
                if k < width and parts.get(k) == "项" and _PART2.match(texts[k]):
                    code += texts[k]
                    k += 1
                used, printed = k - c, " ".join(texts[c:k])
            elif t == "" or _PART2.match(t):
                # 款/项 printed without their 类 (only the 2-digit parts, the 类 cell blank or merged
                # down from the 类 row), under a 类 column. Each part extends the level above its own
                # column: a 款 part the last 类, a 项 part printed alone (`| | | 05 |`, the layout
                # printing each level's own segment) the last 款, not the 类.
                if parts.get(c) == "类" and c in last_lei:
                    k, segments = c + 1, []
                    for _ in range(2):
                        if k < width and parts.get(k) in ("款", "项") and _PART2.match(texts[k]):
                            segments.append((parts[k], texts[k]))
                            k += 1
                        elif k < width and parts.get(k) in ("款", "项") and texts[k] == "":
                            k += 1
                        else:
                            break
                    if segments and t == "":
                        suffix = "".join(part for _, part in segments)
                        if segments[0][0] == "款":
                            code, used = last_lei[c] + suffix, k - c
                        elif len(segments) == 1 and last_kuan.get(c, "")[:3] == last_lei[c]:
                            code, used = last_kuan[c] + suffix, k - c
                        # (a 项 with no 款 of the current 类 above it: nothing to extend, no code)
                        if code is not None and len(code) == 5:
                            last_kuan[c] = code
                    elif segments and _PART2.match(t):
                        code = None  # a 2-digit number in the 类 column: not a code
            if code is None:
                both = _CODE_AND_NAME.match(t)
                if both and system_of(both.group(1)) and len(both.group(2)) >= 2 and both.group(2)[0] not in _UNIT_START \
                        and not _UNIT_NAME.match(both.group(2)):
                    # "[2010101]行政运行" or "2010101 行政运行" in one cell
                    code, name = both.group(1).replace(" ", ""), both.group(2)
                    values = tuple(v for v in (parse_amount(x) for x in texts[c + 1 :] if x) if v is not None)
                    if is_organisation(name):
                        organisation = True
                    else:
                        found.append(CodeRow(code, name, table, r, c, _row_location(table, r, f"{code} {name}"), values))
                c += 1
                continue
            # the name: the next non-empty cell, if it is text
            k = c + used
            while k < width and texts[k] == "":
                k += 1
            if k >= width or not _is_name(texts[k]):
                c += max(used, 1)
                continue
            name_col = k
            if is_organisation(texts[name_col]):
                organisation = True
                c = name_col + 1
                continue
            values = []
            k += 1
            while k < width and not _FULL_CODE.match(texts[k]):
                if texts[k]:
                    value = parse_amount(texts[k])
                    if value is None:
                        break
                    values.append(value)
                k += 1
            location = _row_location(table, r, f"{code} {texts[name_col]}")
            name = "" if name_col in projects else texts[name_col]  # a project's name: not the code's
            found.append(CodeRow(code, name, table, r, group, location, tuple(values), printed))
            c = name_col + 1
        if found or organisation:
            previous = list(range(len(out), len(out) + len(found)))
            out.extend(found)
            continue
        # a row without codes: a wrapped name continues the name of the row above
        extended = False
        if previous and all(parse_amount(t) is None and not _TOTAL.search(t) for t in texts if t):
            for i in previous:
                prev = out[i]
                name_col = _name_column(table, prev)
                nxt = texts[name_col] if name_col is not None and name_col < width else ""
                if nxt and _CJK.search(nxt) and not _FULL_CODE.match(nxt):
                    new_name = prev.name + nxt
                    out[i] = replace(prev, name=new_name, location=replace(prev.location, row=f"{prev.code} {new_name}"))
                    extended = True
        if not extended:
            previous = []
    return out


def _name_column(table: Table, row: CodeRow) -> int | None:
    texts = row_texts(table, row.row)
    for c in range(row.column + 1, len(texts)):
        if texts[c] and _is_name(texts[c]) and row.name.startswith(texts[c]):
            return c
    return None
