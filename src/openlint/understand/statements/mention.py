"""Classification names in the narrative: "X（类）Y（款）Z（项）" (`ClassMention`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from openlint.model import Location
from openlint.understand.statements.passage import Passage, _quote

# ---- classification names in the narrative ----

_MARK = re.compile(r"[（(](?P<code>\d{2,3})?(?P<level>[类款项])[)）]")  # full- or half-width: 文化旅游体育与传媒支出(类)
_NAME_CHARS = re.compile(r"[\u4e00-\u9fff（）()、—·／/]+$")  # official names may hold 、 (环境保护法规、规划及标准)
_LEI_NAME = re.compile(r"[\u4e00-\u9fff]+$")


@dataclass(frozen=True)
class ClassMention:
    """"X（类）Y（款）Z（项）" as written, names compacted; codes when printed ("（204类）")."""

    text: str
    quote: str
    location: Location
    names: tuple[str, ...]  # 类, 款, 项 as far as given
    codes: tuple[str | None, ...]


def class_mentions(passage: Passage) -> list[ClassMention]:
    text = passage.text
    marks = list(_MARK.finditer(text))
    out = []
    i = 0
    while i < len(marks):
        m = marks[i]
        if m.group("level") != "类":
            i += 1
            continue
        head = _LEI_NAME.search(text[max(0, m.start() - 20) : m.start()])
        if not head:
            i += 1
            continue
        names = [head.group(0)]
        codes: list[str | None] = [m.group("code")]
        start = m.start() - len(head.group(0))
        end = m.end()
        j = i + 1
        for level in ("款", "项"):
            if j >= len(marks) or marks[j].group("level") != level:
                break
            between = text[end : marks[j].start()]
            if not between or len(between) > 30 or not _NAME_CHARS.match(between):
                break
            names.append(between)
            codes.append(marks[j].group("code"))
            end = marks[j].end()
            j += 1
        out.append(ClassMention(_quote(text, start, end, 120), text[start:end], passage.location, tuple(names), tuple(codes)))
        i = j
    return out
