"""Primitives over classification codes (issue 3): the codes tables print, judged against the
official lists of the document's year (rules/codes/), and the 类/款/项 names the narrative uses.

`code_rows()` gives every (code, name) a table prints with what the list says of it: the official
name that year, former names, whether the parent's list of children is complete (only then can a
code be called unknown), the children printed under it in the same table (detail level), and
whether the code belongs to the parent printed above it (`lineage`).
`class_mentions()` gives every "X（类）Y（款）Z（项）" of the narrative with what is wrong in it, if
anything, against the tables' names for the same codes and the official names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openlint._slots import direct_init
from openlint.findings import Severity
from openlint.judge.context import Context
from openlint.judge.registry import ATTRIBUTES, primitive
from openlint.judge.statements import document_statements
from openlint.model import Location, Table
from openlint.understand.amounts import header_row_count
from openlint.understand.codes import CodeEntry, CodeList, CodeRow, load_codes, normalize_name, table_codes
from openlint.understand.statements import ClassMention
from openlint.understand.tables import squash

_PLACEHOLDER = re.compile(r"[XＸx×＊*]{2,}|某某")


def code_list() -> CodeList:
    return load_codes()


def _names_match(printed: str, official: str) -> bool:
    a, b = normalize_name(printed), normalize_name(official)
    if a == b or a.replace("的", "") == b.replace("的", ""):
        return True  # "…收入对应（的）专项债务收入安排的支出": printed both ways by the budget systems
    # a name cut short by a narrow cell (at least 4 characters and 60% of the official name)
    return len(a) >= 4 and b.startswith(a) and len(a) >= 0.6 * len(b)


_CUT_SHORT = "（名称不完整，疑似打印时被单元格截断）"

@direct_init
@dataclass(frozen=True, slots=True)
class CodeCheck:
    row: CodeRow
    official: str | None  # the official name in the document's year
    certain: bool
    known: bool  # the code exists in the document's year
    verifiable: bool  # the parent's list of children is complete, so an unknown code is really unknown
    note: str  # "" or what the printed name is: a former name, or the official one cut short
    has_children: bool
    nonzero: bool
    kind: str | None
    lineage: str = ""  # "" or how the code does not belong to the parent printed above it
    declared: str = ""  # the economic classification the table says it lists (`_declared`), or ""
    sibling: str = ""  # another code under the same parent whose official name the printed name is
    first_of_system: bool = False  # the table's first row of this code's system (once-per-table checks)

    @property
    def location(self) -> Location:
        return self.row.location

    @property
    def anchor(self) -> str:
        return f"{self.row.code} {self.row.name}"

    @property
    def severity(self) -> Severity | None:
        # a name the shipped list is not sure of never makes an error, unless the printed name is
        # the official name of a sibling code (a code and name swapped: that the printed name is
        # not this code's does not rest on the unsure name); a name cut short by its cell in print
        # is the right one, badly shown
        if not self.certain and not self.sibling:
            return Severity.NOTE
        return Severity.WARNING if self.note == _CUT_SHORT else None

    @property
    def name_ok(self) -> bool:
        # (no name to judge: a project's in a 项目名称 column)
        return self.official is None or not self.row.name or _names_match(self.row.name, self.official)


def _listed(r: CodeRow, codes: CodeList, year: int | None) -> tuple[CodeEntry | None, bool, str, str]:
    """What the list says of a printed code and name: its entry, whether an unknown code is
    really unknown (`verifiable`), a note when the name is a former one, another code's under the
    same parent (a swapped code and name: that code, too) or the official one cut short (the end
    of a long name hidden by the next cell when a spreadsheet is printed)."""
    entry = codes.entry(r.code, year)
    parent = r.code[:-2] if len(r.code) > 3 else ("economic" if r.system == "economic" else "function")
    verifiable = r.system in ("function", "economic") and codes.complete(parent, year) and (
        len(r.code) == 3 or codes.entry(r.code[:3], year) is not None)
    note, sibling = "", ""
    if entry is not None and not _names_match(r.name, entry.name):
        printed = normalize_name(r.name)
        for f in codes.former_names(r.code):
            if normalize_name(f.name) == printed:
                note = f"（“{r.name}”是{f.until}年及以前的旧称）"
                break
        else:
            official = normalize_name(entry.name)
            # (a 类 has the other 类 of every system as siblings: only 款 and 项 are compared)
            others = [c for c in codes.find(r.name, r.code[:-2], year) if c != r.code] if len(r.code) > 3 else []
            if len(others) == 1:
                sibling = others[0]
                note = f"（“{r.name}”是{sibling}的名称）"
            elif len(printed) >= 4 and official.startswith(printed):  # (more than 40% gone: see `_names_match`)
                note = _CUT_SHORT
    return entry, verifiable, note, sibling


def _table_checks(ctx: Context, table: Table, codes: CodeList, year: int | None,
                  listed: dict[tuple[str, str], tuple]) -> list[CodeCheck]:
    """`listed`: `_listed` of the (code, name) pairs met so far in the document (the same codes
    recur in table after table; the answer depends on nothing else, the system following from the
    code)."""
    rows = table_codes(table)
    if not rows:
        return []
    kind = ctx.kind_of(table)
    parents = {r.code[:n] for r in rows for n in (3, 5) if len(r.code) > n}  # codes with a child printed
    lineage = _lineage(rows, codes, year)
    declared = {c: _declared(table, c) for c in {r.column for r in rows}}
    systems: set[str | None] = set()
    out = []
    for i, r in enumerate(rows):
        key = (r.code, r.name)
        found = listed.get(key)
        if found is None:
            found = listed[key] = _listed(r, codes, year)
        entry, verifiable, note, sibling = found
        has_children = r.code in parents
        out.append(
            CodeCheck(
                row=r,
                official=entry.name if entry else None,
                certain=entry.certain if entry else True,
                known=entry is not None,
                verifiable=verifiable,
                note=note,
                has_children=has_children,
                nonzero=any(r.amounts),
                kind=kind.id if kind else None,
                lineage=lineage.get(i, ""),
                declared=declared[r.column],
                sibling=sibling,
                first_of_system=r.system not in systems,
            )
        )
        systems.add(r.system)
    return out


# The two economic classifications by the words a caption or header names them with: 政府预算支出经济分类
# (50x, 政府经济分类) and 部门预算支出经济分类 (30x, 部门经济分类).
_DECLARED = (("government", re.compile(r"政府(预算)?(支出)?经济分类")), ("economic", re.compile(r"部门(预算)?(支出)?经济分类")))


def _declared(table: Table, column: int) -> str:
    """The economic classification (`government` or `economic`) a code column is said to list: by the
    header over it (a table may set both side by side), else by the table's caption and preamble;
    "" when neither names exactly one."""
    top = min(header_row_count(table), table.n_rows)
    header = "".join(squash(table.grid[r][column].text) for r in range(top) if column < len(table.grid[r]))
    for text in (header, squash(" ".join((table.caption, *table.preamble)))):
        named = [system for system, words in _DECLARED if words.search(text)]
        if len(named) == 1:
            return named[0]
    return ""


def _lineage(rows: list[CodeRow], codes: CodeList, year: int | None) -> dict[int, str]:
    """Codes that do not belong to the parent printed above them, by index in `rows`.

    A table listing parents before children prints each 款 under its 类 and each 项 under its 款, so
    a child's code begins with its parent's. When it does not, one of the two codes is wrong: the
    parent when none of its children belongs to it (they all share another prefix), else the
    child. Only when the code the child would belong to is printed nowhere in the column (else the
    table is ordered some other way), and only a code that does not exist in the year's list, or
    one of the year whose 类 is not printed either and whose name is that of one of the parent's
    own children (事业运行 2010350 under 22001 自然资源事务, which has 2200150 事业运行).
    Independent of whether the list of the parent's children is complete (CLS-001)."""
    out: dict[int, str] = {}
    groups: dict[int, list[int]] = {}  # per code column (a table may hold two column groups)
    for i, r in enumerate(rows):
        groups.setdefault(r.column, []).append(i)
    for idx in groups.values():
        printed = {rows[i].code for i in idx}
        for k, pi in enumerate(idx):
            parent = rows[pi]
            if parent.system is None or len(parent.code) >= 7:
                continue
            children = []
            for ci in idx[k + 1:]:
                child = rows[ci]
                if len(child.code) <= len(parent.code):
                    break
                if len(child.code) == len(parent.code) + 2 and child.system == parent.system:
                    children.append(ci)
            strays = [ci for ci in children if not rows[ci].code.startswith(parent.code)
                      and rows[ci].code[:len(parent.code)] not in printed]
            if not strays:
                continue
            owners = {rows[ci].code[:len(parent.code)] for ci in children}
            if len(strays) == len(children) and len(owners) == 1:
                if codes.entry(parent.code, year) is None:
                    owner = owners.pop()
                    listed = "、".join(rows[ci].code for ci in children[:5]) + ("等" if len(children) > 5 else "")
                    out[pi] = (f"{parent.level}{parent.code}“{parent.name}”下所列的{rows[children[0]].level}"
                               f"（{listed}）属于{owner}而非{parent.code}，且{parent.code}不是{year}年科目编码")
                continue
            for ci in strays:
                child = rows[ci]
                said = f"{child.level}{child.code}“{child.name}”不属于其上所列的{parent.level}{parent.code}“{parent.name}”"
                if codes.entry(child.code, year) is None:
                    out[ci] = f"{said}，且不是{year}年科目编码"
                elif child.code[:3] not in printed and len(meant := codes.find(child.name, parent.code, year)) == 1:
                    # a code of the year whose forebears are not listed, named like one of the parent's
                    # own: it stands in that one's place
                    out[ci] = f"{said}（{child.code}属于{child.code[:len(parent.code)]}，表中未列出；应为{meant[0]}？）"
    return out


@primitive("code_rows", 0, 1, kind_arg=0)
def code_rows(ctx: Context, kind: str | None = None) -> list[CodeCheck]:
    """Rows printing a classification code (支出功能分类 or 经济分类), in every table or in tables of one kind."""

    def compute():
        codes, year = code_list(), ctx.facts.year
        listed: dict[tuple[str, str], tuple] = {}
        out = []
        for table in ctx.document.tables:
            out.extend(_table_checks(ctx, table, codes, year, listed))
        return out

    rows = ctx.cached("code-rows", compute)
    return rows if kind is None else [r for r in rows if r.kind == kind]


ATTRIBUTES[CodeCheck] = {
    "code": lambda ctx, r: r.row.code,
    "name": lambda ctx, r: r.row.name,
    "level": lambda ctx, r: r.row.level,
    "system": lambda ctx, r: r.row.system,
    "official": lambda ctx, r: r.official,
    "known": lambda ctx, r: r.known,
    "verifiable": lambda ctx, r: r.verifiable,
    "name_ok": lambda ctx, r: r.name_ok,
    "note": lambda ctx, r: r.note,
    "former": lambda ctx, r: "" if r.note == _CUT_SHORT else r.note,  # (rules written before `note`)
    "has_children": lambda ctx, r: r.has_children,
    "lineage_ok": lambda ctx, r: not r.lineage,
    "lineage": lambda ctx, r: r.lineage,
    "declared": lambda ctx, r: r.declared,
    "first_of_system": lambda ctx, r: r.first_of_system,
    "printed": lambda ctx, r: r.row.printed or r.row.code,
    "printed_ok": lambda ctx, r: not r.row.printed or r.official is None or not r.name_ok,
    "nonzero": lambda ctx, r: r.nonzero,
    "table": lambda ctx, r: r.row.table.caption or "（无标题表格）",
    "page": lambda ctx, r: r.row.table.location.page,
}


# ---- 类/款/项 names in the narrative ----

@dataclass
class _DocCodes:
    """The function-classification codes the document's tables print: code → names, parent → children."""

    names: dict[str, set[str]] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # code → a name as printed
    children: dict[str, set[str]] = field(default_factory=dict)


def _doc_codes(ctx: Context) -> _DocCodes:
    def compute():
        doc = _DocCodes()
        for check in code_rows(ctx):
            r = check.row
            if r.system != "function":
                continue
            doc.names.setdefault(r.code, set()).add(normalize_name(r.name))
            doc.shown.setdefault(r.code, r.name)
            parent = r.code[:-2] if len(r.code) > 3 else ""
            doc.children.setdefault(parent, set()).add(r.code)
        return doc

    return ctx.cached("doc-function-codes", compute)


@dataclass(frozen=True)
class MentionCheck:
    mention: ClassMention
    problems: tuple[str, ...]

    @property
    def location(self) -> Location:
        return self.mention.location

    @property
    def anchor(self) -> str:
        return self.mention.quote

    @property
    def ok(self) -> bool:
        return not self.problems


_LEVELS = ("类", "款", "项")


def _resolve(name: str, code: str | None, parent: str, level: str, codes: CodeList, doc: _DocCodes,
             year: int | None, parent_label: str) -> tuple[str | None, str | None]:
    """(code, problem) for one level of a mention. code None: not resolved (stop checking deeper)."""
    key = normalize_name(name)
    if code:
        full = parent + code if parent else code
        official = codes.name(full, year)
        table_names = doc.names.get(full, set())
        if key in table_names or (official and _names_match(name, official)):
            return full, None
        if official is None and not table_names:
            return None, None  # a code neither the list nor the tables know: not judged
        entry = codes.entry(full, year)
        if not table_names and entry is not None and not entry.certain:
            return full, None  # only a name the shipped list is unsure of to compare with: not judged
        right = official or doc.shown.get(full)
        former = next((f for f in codes.former_names(full) if normalize_name(f.name) == key), None)
        if former:
            return full, f"“{name}”是{full}的旧称（{former.until}年及以前），{year}年应为“{right}”"
        return full, f"{full}的{level}名称应为“{right}”"
    official = codes.find(name, parent, year)
    if official:
        return official[0], None
    in_tables = [c for c in doc.children.get(parent, ()) if key in doc.names.get(c, ())]
    if in_tables:
        return sorted(in_tables)[0], None
    former = codes.find_former(name, parent)
    if former:
        f = former[0]
        current = codes.name(f.code, year) or doc.shown.get(f.code)
        if current and normalize_name(current) != key:
            return f.code, f"“{name}”是{f.code}的旧称（{f.until}年及以前），{year}年应为“{current}”"
        return f.code, None
    if level == "类":
        # the name as read may carry words in front of it ("主要用于以下方面社会保障和就业支出"), and
        # may leave out its closing 支出, as many provinces write it ("一般公共服务（类）": the （类）
        # says what it is); its 款 and 项 are judged under it all the same
        for c in codes.children("", year):
            official_name = normalize_name(codes.name(c, year) or "")
            if len(official_name) >= 4 and (key.endswith(official_name) or (
                    official_name.endswith("支出") and (key + "支出").endswith(official_name))):
                return c, None
        if not codes.complete("function", year):
            return None, None
        return None, f"“{name}”不是{year}年支出功能分类的类级科目"
    siblings = sorted(doc.children.get(parent, ()))
    listed = codes.complete(parent, year)
    if not siblings and not listed:
        return None, None  # neither the tables nor a complete list say what is under the parent: not judged
    where = f"{parent}{parent_label}{_LEVELS[_LEVELS.index(level) - 1]}下"
    if siblings:
        names = "、".join(doc.shown[c] for c in siblings[:8])
        return None, f"“{name}”不是{where}的{level}（表中该{_LEVELS[_LEVELS.index(level) - 1]}下的{level}为：{names}）"
    names = "、".join(codes.name(c, year) or "" for c in codes.children(parent, year)[:8])
    return None, f"“{name}”不是{where}的{level}（{year}年该{_LEVELS[_LEVELS.index(level) - 1]}下的{level}为：{names}）"


def _check_mention(m: ClassMention, codes: CodeList, doc: _DocCodes, year: int | None) -> MentionCheck:
    if any(_PLACEHOLDER.search(n) for n in m.names) or year is None:
        return MentionCheck(m, ())
    problems: list[str] = []
    parent = ""
    parent_label = ""
    for level, name, code in zip(_LEVELS, m.names, m.codes):
        resolved, problem = _resolve(name, code, parent, level, codes, doc, year, parent_label)
        if problem:
            problems.append(problem)
        if resolved is None:
            break
        parent = resolved
        parent_label = codes.name(resolved, year) or doc.shown.get(resolved, "")
    return MentionCheck(m, tuple(problems))


@primitive("class_mentions", 0)
def class_mentions(ctx: Context) -> list[MentionCheck]:
    """The 类/款/项 names the narrative uses ("一般公共服务支出（类）财政事务（款）行政运行（项）"),
    judged against the tables' names for the same codes and the official names of the year."""

    def compute():
        codes, doc, year = code_list(), _doc_codes(ctx), ctx.facts.year
        out, seen = [], set()
        for m in document_statements(ctx).mentions:
            if (m.location, m.quote) in seen:  # the same words again in the same place
                continue
            seen.add((m.location, m.quote))
            out.append(_check_mention(m, codes, doc, year))
        return out

    return ctx.cached("class-mentions", compute)


ATTRIBUTES[MentionCheck] = {
    "quote": lambda ctx, m: m.mention.quote,
    "text": lambda ctx, m: m.mention.text,
    "ok": lambda ctx, m: m.ok,
    "problem": lambda ctx, m: "；".join(m.problems),
    "page": lambda ctx, m: m.location.page,
}
