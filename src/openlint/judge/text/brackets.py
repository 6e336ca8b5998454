"""Brackets and quotation marks opened and never closed, or closed without being opened
(`unbalanced_brackets`).
"""

from __future__ import annotations

import re
from typing import Any

from openlint.judge.context import Context
from openlint.judge.registry import primitive
from openlint.judge.text.corpus import Hit, _corpus, _quote, _scope_units, _unit_location


_OPEN = {"（": "(", "(": "(", "“": "“", "‘": "‘", "「": "「", "《": "《", "【": "【", "〔": "〔", "『": "『", "［": "[", "[": "["}
_CLOSE = {"）": "(", ")": "(", "”": "“", "’": "‘", "」": "「", "》": "《", "】": "【", "〕": "〔", "』": "『", "］": "[", "]": "["}
_BRACKETS = re.compile("[" + re.escape("".join(_OPEN) + "".join(_CLOSE)) + "]")
# `1）…`, `a)…`: a list marker, not a closing bracket (but not the minutes of a time: 17:00)
_LIST_MARKER = re.compile(r"(?:^|(?<=[，。；：,;\s])|(?<=\D:))[0-9a-zA-Z一二三四五六七八九十①-⑳]{1,2}[)）]")
_MARKER_ENDS = frozenset(")）")


def _ends_list_marker(text: str, pos: int) -> bool:
    """Whether the bracket at `pos` ends a list marker. A marker starts after a stop (or at the start)
    and holds no stop, so markers never overlap: this is the same as finding them all left to right."""
    return any(
        (m := _LIST_MARKER.match(text, start)) is not None and m.end() == pos + 1
        for start in (pos - 1, pos - 2) if start >= 0
    )


@primitive("unbalanced_brackets", 0, 1)
def unbalanced_brackets(ctx: Context, scope: Any = None) -> list[Hit]:
    """Brackets and quotation marks (（） () “” ‘’ 「」 《》 【】 〔〕) opened and never closed, or closed
    without being opened, in a heading, passage or caption (table cells are not judged: they
    are fragments). `.text` is the lonely mark, `.quote` the text around it."""
    if scope is not None:
        return _unbalanced(ctx, scope)
    return ctx.cached(("text", "brackets"), lambda: _unbalanced(ctx, None))


def _unbalanced(ctx: Context, scope: Any) -> list[Hit]:
    corpus = _corpus(ctx)
    allowed = _scope_units(ctx, scope)
    out: list[Hit] = []
    for i, unit in enumerate(corpus.units):
        if unit.kind == "cell" or (allowed is not None and i not in allowed):
            continue
        text = unit.text
        if not _BRACKETS.search(text):
            continue
        stack: list[tuple[str, int]] = []
        lonely: list[int] = []
        for m in _BRACKETS.finditer(text):
            ch, pos = m.group(), m.start()
            if ch in _OPEN:
                stack.append((_OPEN[ch], pos))
                continue
            if ch in _MARKER_ENDS and _ends_list_marker(text, pos):
                continue
            family = _CLOSE[ch]
            if stack and stack[-1][0] == family:  # the usual case: it closes the latest one
                stack.pop()
                continue
            depth = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == family), None)
            if depth is None:
                lonely.append(pos)
                continue
            lonely.extend(p for _f, p in stack[depth + 1 :])
            del stack[depth:]
        lonely.extend(p for _f, p in stack)
        positions = sorted(set(lonely))
        for k, pos in enumerate(positions):
            ch = text[pos]
            if k and _same_mark_twice(text, positions[k - 1], pos):
                continue  # told with the first: "“三公“经费", a closing mark typed as an opening one
            end = pos + 1
            if k + 1 < len(positions) and _same_mark_twice(text, pos, positions[k + 1]):
                end = positions[k + 1] + 1
            quote = _quote(text, pos, end, 15)
            out.append(Hit(
                text=ch, quote=quote, before=text[max(0, pos - 20) : pos], after=text[pos + 1 : pos + 21],
                location=_unit_location(unit, pos), anchor=quote,
            ))
    return out


def _same_mark_twice(text: str, first: int, second: int) -> bool:
    """Two lonely marks that are one pair typed wrong: the same mark, close together, no other
    bracket or quotation mark between them."""
    return (text[first] == text[second] and second - first <= 30
            and _BRACKETS.search(text, first + 1, second) is None)
