"""The entries of the 目录, each matched to the heading or table it names (`toc_entries`)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from openlint.judge.context import Context, compact
from openlint.judge.registry import ATTRIBUTES, primitive
from openlint.judge.text.corpus import _NUMBERED, _page, _short
from openlint.judge.text.numbering import numbering
from openlint.judge.text.toc import _PAGE_NUMBER_AFTER, _toc_entries_blocks
from openlint.model import Heading, Location, Paragraph, Table


@dataclass(frozen=True, slots=True)
class TocEntry:
    """An entry of the 目录 and where (whether) it is in the document."""

    text: str
    found: bool
    in_order: bool
    target: str  # the heading or table it was matched to
    location: Location
    related: tuple[Location, ...] = ()
    anchor: str = ""


# dot leaders with no page number after them ("一、部门主要职能 ……………"), a table's unit ("（单位：万元）")
_KEY_DROP = re.compile(r"\d{4}\s*年度?|[（(](部门|单位|本级)[)）]|[（(](?:金额)?单位[:：][^)）]*[)）]|[.．…·—\-_]{2,}|[“”\"‘’《》〈〉]|的|\s")
_KEY_LEAD = re.compile(r"^(部门|单位|预算单位)")


def _toc_key(text: str) -> str:
    t = compact(text)
    m = _NUMBERED.match(t)
    if m:
        t = t[m.end() :]
    t = _KEY_DROP.sub("", t)
    return _KEY_LEAD.sub("", t)


def _entry_key(text: str) -> str:
    """A 目录 line's key: without its page number, after dot leaders or a tab ("第一部分 部门预算\t3")."""
    return _toc_key(_PAGE_NUMBER_AFTER.sub("", text))


@lru_cache(maxsize=4096)
def _grams(key: str, n: int = 4) -> frozenset[str]:
    """The stretches of `n` characters of a key. (Memoised: each key is compared with many others.)"""
    return frozenset(key[i : i + n] for i in range(len(key) - n + 1))


def _similar(a: str, b: str, ga: frozenset, gb: frozenset, same_number: bool, loose: bool) -> int:
    """How well two keys match: 3 the same, 2 one ends with the other (an organisation in front),
    1 loosely (when `loose`) — a long common ending (专项经费情况说明 / 项目经费情况说明), a long common
    stretch, or a shorter one under the same number — 0 not at all. `ga`, `gb`: their four-grams."""
    if not a or not b:
        return 0
    if a == b:
        return 3
    shorter = min(len(a), len(b))
    if shorter >= 4 and (a.endswith(b) or b.endswith(a)):
        return 2
    if not loose:
        return 0
    ending = max(4, (shorter + 1) // 2)  # a common ending of at least 4 characters and half the shorter
    if ending <= shorter and a[-ending:] == b[-ending:]:
        return 1
    need = 0.5 * shorter if same_number else max(6.0, 0.7 * shorter)
    if len(ga & gb) < max(1.0, need - 3):  # a common stretch of L characters shares L-3 four-grams
        return 0
    stretch = math.ceil(need)  # a common stretch at least this long: the same `stretch`-gram in both
    return 1 if stretch <= shorter and _grams(a, stretch) & _grams(b, stretch) else 0


def _align(n: int, pairs: list[tuple[int, int, int]]) -> dict[int, int]:
    """The best order-preserving matching: pairs (entry, candidate, weight) → entry → candidate,
    with both sides strictly increasing and the total weight largest (weighted LIS, Fenwick tree)."""
    if not pairs:
        return {}
    columns = sorted({j for _i, j, _w in pairs})
    rank = {j: k + 1 for k, j in enumerate(columns)}
    size = len(columns)
    tree: list[tuple[int, int]] = [(0, -1)] * (size + 1)  # (best total, pair index)

    def query(k: int) -> tuple[int, int]:
        best = (0, -1)
        while k > 0:
            if tree[k][0] > best[0]:
                best = tree[k]
            k -= k & -k
        return best

    def update(k: int, value: tuple[int, int]) -> None:
        while k <= size:
            if value[0] > tree[k][0]:
                tree[k] = value
            k += k & -k

    back: list[int] = []
    total: list[int] = []
    by_entry: dict[int, list[int]] = {}
    for index, (i, _j, _w) in enumerate(pairs):
        by_entry.setdefault(i, []).append(index)
    for i in sorted(by_entry):
        computed = []
        for index in by_entry[i]:
            _i, j, w = pairs[index]
            best, prev = query(rank[j] - 1)
            computed.append((index, best + w, prev))
        for index, value, prev in computed:
            while len(total) <= index:
                total.append(0)
                back.append(-1)
            total[index], back[index] = value, prev
        for index, value, _prev in computed:
            update(rank[pairs[index][1]], (value, index))
    best = query(size)
    out: dict[int, int] = {}
    index = best[1]
    while index >= 0:
        i, j, _w = pairs[index]
        out[i] = j
        index = back[index]
    return out


@primitive("toc_entries", 0)
def toc_entries(ctx: Context) -> list[TocEntry]:
    """The entries of the 目录 page, each matched to the heading or table it names in the rest of
    the document: `.found` (something matches), `.in_order` (it comes after what the entry before
    it matched), `.target`. An entry that only groups others (五、部门预算表 above 1. … 9. …) counts as
    found when its sub-entries are."""
    return ctx.cached(("text", "toc"), lambda: _toc(ctx))


def _unwrapped(lines: list[Paragraph]) -> list[Paragraph]:
    """The 目录's entries with an entry wrapped over two lines made one again: a line without its
    page number followed by one that has a page number but no number of its own (“五、一般公共预算
    财政拨款支出决算情” / “况说明………12”)."""
    out: list[Paragraph] = []
    for line in lines:
        if (out and _PAGE_NUMBER_AFTER.search(line.text) and not _PAGE_NUMBER_AFTER.search(out[-1].text)
                and numbering(line.text) is None and numbering(out[-1].text) is not None):
            out[-1] = replace(out[-1], text=out[-1].text.rstrip() + line.text.lstrip())
        else:
            out.append(line)
    return out


def _toc(ctx: Context) -> list[TocEntry]:
    document = ctx.document
    heading, blocks = _toc_entries_blocks(document)
    entries = [b for b in _unwrapped(blocks) if _entry_key(b.text)]
    if heading is None or not entries:
        return []
    inside = {id(b) for b in blocks} | {id(heading)}
    candidates: list[tuple[int, str, Any, str]] = []  # (block index, key, block, label)
    after = False
    for index, block in enumerate(document.blocks):
        if id(block) in inside:
            after = True
            continue
        if not after:
            continue  # the 目录 lists what follows it
        if isinstance(block, Heading):
            candidates.append((index, _toc_key(block.text), block, block.text))
        elif isinstance(block, Table) and block.caption:
            candidates.append((index, _toc_key(block.caption), block, block.caption))
        elif isinstance(block, Paragraph) and not block.is_note and len(compact(block.text)) <= 50 and "。" not in block.text:
            candidates.append((index, _toc_key(block.text), block, block.text))
    # which entries group others: followed by an entry numbered in another style, starting at 1
    styles = [numbering(e.text) for e in entries]
    groups = {
        i for i in range(len(entries) - 1)
        if styles[i] and styles[i + 1] and styles[i + 1][0] != styles[i][0] and styles[i + 1][1] == 1
    }
    keys = [_entry_key(e.text) for e in entries]
    grams = [_grams(k) for k in keys]
    cand_grams = [_grams(c[1]) for c in candidates]
    cand_numbers = [numbering(c[3]) for c in candidates]
    # Keys score only when equal or sharing a stretch of four characters (see `_similar`): each
    # candidate is compared with the entries that have its key or one of its four-grams.
    entries_with: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        for text in (key, *grams[i]):
            entries_with.setdefault(text, []).append(i)
    pairs: list[tuple[int, int, int]] = []
    strength: dict[tuple[int, int], int] = {}
    for j, (_index, ckey, block, _label) in enumerate(candidates):
        near = {i for text in (ckey, *cand_grams[j]) for i in entries_with.get(text, ())}
        if not near:
            continue
        loose = not isinstance(block, Paragraph)  # a loose match only to a heading or a table
        for i in sorted(near):
            same = styles[i] is not None and cand_numbers[j] is not None and styles[i][:2] == cand_numbers[j][:2]
            s = _similar(keys[i], ckey, grams[i], cand_grams[j], same, loose)
            if s:
                strength[i, j] = s
                pairs.append((i, j, 2 * s + (1 if same else 0)))
    pairs.sort()
    aligned = _align(len(entries), pairs)
    out: list[TocEntry] = []
    for i, entry in enumerate(entries):
        j = aligned.get(i)
        in_order = j is not None
        if j is None:
            elsewhere = [jj for (ii, jj), s in strength.items() if ii == i and s >= 3]
            j = min(elsewhere) if elsewhere else None
        if j is None:
            if i in groups:
                continue  # a grouping entry: judged by its sub-entries
            out.append(TocEntry(_short(entry.text, 40), False, True, "", entry.location, anchor=compact(entry.text)))
            continue
        _index, _key, block, label = candidates[j]
        out.append(TocEntry(
            _short(entry.text, 40), True, in_order, _short(label, 40), entry.location,
            related=(block.location,), anchor=compact(entry.text),
        ))
    return out


ATTRIBUTES[TocEntry] = {
    "text": lambda ctx, e: e.text, "found": lambda ctx, e: e.found, "in_order": lambda ctx, e: e.in_order,
    "target": lambda ctx, e: e.target, "page": _page,
}
