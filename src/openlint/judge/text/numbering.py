"""Numbering of headings and list items: the marker a heading or item starts with (`numbering`,
with `cn_number` and `cn_numeral` for Chinese numerals) and the sequences they make
(`numbering_problems`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from openlint.judge.context import Context, compact
from openlint.judge.registry import ATTRIBUTES, primitive
from openlint.judge.text.corpus import _page, _short
from openlint.judge.text.toc import _toc_ids
from openlint.model import Heading, Location, Paragraph


@dataclass(frozen=True, slots=True)
class NumberingProblem:
    """A numbered heading or list item out of sequence."""

    problem: str  # 重复 | 缺号 | 错号 (one number wrong: both of the above at once) | 顺序 | 嵌套
    text: str  # the item (its first characters)
    previous: str  # the item it follows in its sequence (重复, 缺号) or sits under (嵌套)
    expected: str  # the marker that should be there: 第二部分, 六、, （三）
    following: str  # 嵌套: the item after the nested block that continues the outer sequence
    location: Location
    related: tuple[Location, ...] = ()
    anchor: str = ""


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_STYLES = (
    ("part", re.compile(r"^第\s*([一二三四五六七八九十百零〇]+|\d+)\s*(部分|章|篇)")),
    ("article", re.compile(r"^第\s*([一二三四五六七八九十百零〇]+)\s*条")),
    ("cn", re.compile(r"^([一二三四五六七八九十]+)\s*[、.．]")),
    ("pcn", re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[)）]")),
    ("ar", re.compile(r"^(\d{1,2})\s*([、.．])(?!\d)")),
    ("par", re.compile(r"^[（(]\s*(\d{1,2})\s*[)）]")),
)


def cn_number(text: str) -> int | None:
    """一 → 1, 十一 → 11, 二十三 → 23, 一百 → 100, 12 → 12."""
    if text.isdigit():
        return int(text)
    if any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _CN_DIGITS[ch] if current else _CN_DIGITS[ch]
    return total + current


def cn_numeral(n: int) -> str:
    """1 → 一, 11 → 十一, 23 → 二十三."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


# What every style's marker starts with (or a decimal digit, as `\d` in them): most paragraphs
# are told apart without trying the styles one by one.
_STYLE_FIRSTS = frozenset("第一二三四五六七八九十（(")


def numbering(text: str) -> tuple[str, int, str] | None:
    """(style, number, word) of a numbered heading or item: 第二部分 → (part, 2, 部分), 3. → (ar., 3, .)."""
    s = text.strip()
    first = s[:1]
    if first not in _STYLE_FIRSTS and not first.isdecimal():
        return None
    for style, rx in _STYLES:
        m = rx.match(s)
        if m:
            n = cn_number(m.group(1))
            if n is None:
                return None
            if style == "part":
                return style, n, m.group(2)
            if style == "ar":
                sep = "、" if m.group(2) == "、" else "."
                return "ar" + sep, n, sep
            return style, n, ""
    return None


def _marker(style: str, n: int, word: str) -> str:
    if style == "part":
        return f"第{cn_numeral(n)}{word}"
    if style == "article":
        return f"第{cn_numeral(n)}条"
    if style == "cn":
        return f"{cn_numeral(n)}、"
    if style == "pcn":
        return f"（{cn_numeral(n)}）"
    if style == "par":
        return f"（{n}）"
    return f"{n}{word}"


def _marker_forms(style: str, n: int, word: str) -> tuple[str, ...]:
    """The ways the marker may be written, compacted (for finding it embedded in a passage)."""
    if style == "cn":
        c = cn_numeral(n)
        return (f"{c}、", f"{c}.", f"{c}．")
    if style in ("pcn", "par"):
        c = cn_numeral(n) if style == "pcn" else str(n)
        return (f"（{c}）", f"({c})", f"（{c})", f"({c}）")
    if style.startswith("ar"):
        return (f"{n}、", f"{n}.", f"{n}．")
    return (_marker(style, n, word),)


@dataclass(slots=True)
class _Numbered:
    index: int  # position among the document's blocks
    block: Any
    style: str
    number: int
    word: str
    level: int  # heading level; list items (paragraphs) count as deeper than any heading
    seq: int = -1  # which sequence (list) it belongs to
    first: int = 1  # the number its sequence began with


@primitive("numbering_problems", 0)
def numbering_problems(ctx: Context) -> list[NumberingProblem]:
    """Numbered headings and list items (第一部分, 一、, （一）, 1. / 1、, （1）, 第一条) out of sequence
    within the same parent: a number repeated (`.problem` 重复), a number skipped (缺号, unless the
    missing marker is written inside the text in between), one number written wrong, which makes
    both at once (错号: 二、四、四、 or 二、二、四、; `.expected` the number it should have, `.following`
    the item after it), a number lower than the one before it
    that does not start a new list at 1 (顺序), or a block numbered at a higher level sitting inside
    a section whose numbering goes on after it (嵌套). The 目录 is judged on its own."""
    return _numbering_walk(ctx)[0]


def _numbering_walk(ctx: Context):
    return ctx.cached(("text", "numbering"), lambda: _numbering(ctx))


def _numbering(ctx: Context):
    document = ctx.document
    toc = _toc_ids(ctx)
    body: list[_Numbered] = []
    toc_items: list[_Numbered] = []
    resets: dict[int, int] = {}  # block index → heading level of an unnumbered heading
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading) or (isinstance(block, Paragraph) and not block.is_note):
            found = numbering(block.text)
            target = toc_items if id(block) in toc else body
            if found is None:
                if isinstance(block, Heading) and id(block) not in toc:
                    resets[index] = block.level
                    body.append(_Numbered(index, block, "", 0, "", block.level))
                continue
            style, n, word = found
            level = block.level if isinstance(block, Heading) else 99
            target.append(_Numbered(index, block, style, n, word, level))
    problems: list[NumberingProblem] = []
    nested = _nested_ranges(body)
    _walk(ctx, body, nested, problems)
    _walk(ctx, toc_items, {}, problems)
    problems.sort(key=lambda p: (p.location.page or 0, p.location.line or 0))
    return problems, body


def _nested_ranges(items: list[_Numbered]) -> dict[int, tuple[int, _Numbered]]:
    """Blocks numbered at a higher level inside a section whose numbering continues after them:
    start position → (end position, the section's item).

    `五、绩效` … `第一部分 …` … `六、采购`: the 第一部分 restarts its own numbering (or repeats it) and
    closes 五、; when 六、 later continues 五、, everything from 第一部分 up to 六、 sat inside 五、."""
    ranges: dict[int, tuple[int, _Numbered]] = {}
    stack: list[_Numbered] = []
    # style → (its last item, position of the intruder, the stack before the intruder)
    memo: dict[str, tuple[_Numbered, int, list[_Numbered]]] = {}
    for pos, item in enumerate(items):
        if not item.style:
            while stack and stack[-1].level >= item.level:
                stack.pop()
            for style in [s for s, m in memo.items() if m[0].level >= item.level]:
                del memo[style]
            continue
        k = _last_of_style(stack, item.style)
        continues = k is not None and item.number == stack[k].number + 1
        remembered = memo.get(item.style)
        if not continues and remembered and item.number == remembered[0].number + 1 and item.number >= 2:
            ranges[remembered[1]] = (pos, remembered[0])
            stack = remembered[2]  # back in the section the intruder sat in
            memo.clear()
            k = next(j for j in range(len(stack) - 1, -1, -1) if stack[j].style == item.style)
        if k is None:
            stack.append(item)
            continue
        if item.number <= stack[k].number:  # restarted or repeated: what it closes may go on later
            for dropped in stack[k + 1 :]:
                memo.setdefault(dropped.style, (dropped, pos, list(stack)))
        del stack[k + 1 :]
        stack[k] = item
    return ranges


def _last_of_style(stack: list[_Numbered], style: str) -> int | None:
    """Where the innermost item numbered in `style` is in the stack (a loop: asked for every item)."""
    for j in range(len(stack) - 1, -1, -1):
        if stack[j].style == style:
            return j
    return None


def _walk(ctx: Context, items: list[_Numbered], nested: dict, problems: list) -> None:
    start = len(problems)  # this walk's problems; a 重复 or 缺号 first as (kind, item, the one before, marker)
    stack: list[_Numbered] = []
    saved: list[tuple[int, list[_Numbered]]] = []  # (end position, outer stack) of nested blocks
    seq = 0
    for pos, item in enumerate(items):
        while saved and saved[-1][0] == pos:
            stack = saved.pop()[1]
        if pos in nested:
            end, parent = nested[pos]
            after = items[end]
            problems.append(NumberingProblem(
                problem="嵌套", text=_short(item.block.text), previous=_short(parent.block.text),
                expected="", following=_short(after.block.text), location=item.block.location,
                related=(parent.block.location, after.block.location), anchor=compact(item.block.text)[:40],
            ))
            saved.append((end, stack))
            stack = []
        if not item.style:
            while stack and stack[-1].level >= item.level:
                stack.pop()
            continue
        k = _last_of_style(stack, item.style)
        if k is None:
            seq += 1
            item.seq = seq
            item.first = item.number
            stack.append(item)
            continue
        last = stack[k]
        del stack[k + 1 :]
        n = item.number
        item.seq = last.seq
        if n == last.number and (n > 1 or (isinstance(item.block, Heading) and isinstance(last.block, Heading))):
            problems.append(("重复", item, last, _marker(item.style, n + 1, item.word)))
        elif n > last.number + 1 and not _written_between(ctx, last, item):
            # one marker, two, or the first and the last: quoted by the message, “九、”至“十一、”
            first, final = _marker(item.style, last.number + 1, item.word), _marker(item.style, n - 1, item.word)
            missing = first if n - last.number == 2 else first + ("”“" if n - last.number == 3 else "”至“") + final
            problems.append(("缺号", item, last, missing))
        elif n < last.number and (n > 1 or last.first > 1) and not _opens_its_items(item, last):
            # 六、 after 八、, or 1、 right after a list that began at 2、: out of order, not a new list;
            # the sequence goes on from the higher number. (一、 right under the heading 六、 starts
            # the items of that part, as text without heading levels shows them.)
            problems.append(_problem("顺序", item, last, _marker(item.style, last.number + 1, item.word)))
            continue
        elif n <= last.number:
            seq += 1
            item.seq = seq  # a new list
            item.first = n
            stack[k] = item
            continue
        item.first = last.first
        stack[k] = item
    problems[start:] = _one_wrong_number(problems[start:])


def _one_wrong_number(found: list) -> list[NumberingProblem]:
    """The problems, with each 重复 and 缺号 (still a tuple) made one; but a skip and a repeat that
    one wrong number makes (二、四、四、 or 二、二、四、: the middle one should be 三、) told once,
    as that number (错号)."""
    out = []
    i = 0
    while i < len(found):
        if isinstance(found[i], NumberingProblem):
            out.append(found[i])
            i += 1
            continue
        kind, item, last, expected = found[i]
        if i + 1 < len(found) and not isinstance(found[i + 1], NumberingProblem):
            next_kind, following, previous, _ = found[i + 1]
            one_off = (kind == "缺号" and next_kind == "重复" and item.number == last.number + 2) or (
                kind == "重复" and next_kind == "缺号" and following.number == item.number + 2)
            if one_off and previous is item:
                wrong = _problem("错号", item, last, _marker(item.style, last.number + 1, item.word))
                out.append(replace(wrong, following=_short(following.block.text),
                                   related=(last.block.location, following.block.location)))
                i += 2
                continue
        out.append(_problem(kind, item, last, expected))
        i += 1
    return out


def _opens_its_items(item: _Numbered, last: _Numbered) -> bool:
    """一、 as a heading right under the heading 六、: the first item of that part, not out of order."""
    return (item.number == 1 and item.index == last.index + 1
            and isinstance(item.block, Heading) and isinstance(last.block, Heading))


def _problem(kind: str, item: _Numbered, last: _Numbered, expected: str) -> NumberingProblem:
    return NumberingProblem(
        problem=kind, text=_short(item.block.text), previous=_short(last.block.text), expected=expected,
        following="", location=item.block.location, related=(last.block.location,),
        anchor=compact(item.block.text)[:40],
    )


def _written_between(ctx: Context, last: _Numbered, item: _Numbered) -> bool:
    """The missing marker(s) appear in the text from the last item up to this one (a list item
    swallowed by the paragraph before it)."""
    blocks = [b for b in ctx.document.blocks[last.index : item.index] if isinstance(b, (Heading, Paragraph))]
    text = "".join(compact(b.text) for b in blocks)
    # or opens a paragraph without its separator ("18“社会保障和就业支出…" between 17. and 19.)
    bare = {int(m.group(1)) for b in blocks if (m := _UNSEPARATED_NUMBER.match(compact(b.text)))} if item.style.startswith("ar") else set()
    return all(
        m in bare or any(form in text for form in _marker_forms(item.style, m, item.word))
        for m in range(last.number + 1, item.number)
    )


_UNSEPARATED_NUMBER = re.compile(r"(\d{1,2})(?=[“\"\u4e00-\u9fff])")


ATTRIBUTES[NumberingProblem] = {
    "problem": lambda ctx, n: n.problem, "text": lambda ctx, n: n.text, "previous": lambda ctx, n: n.previous,
    "expected": lambda ctx, n: n.expected, "following": lambda ctx, n: n.following, "page": _page,
}
