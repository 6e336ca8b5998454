"""An item's amount at its head and again in its sentence (`Repeat`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from openlint.model import Location
from openlint.understand.statements.numbers import _AMOUNT, Amount, amounts_in
from openlint.understand.statements.passage import Passage, _quote

# ---- an item's amount at its head and again in its sentence ----

# a numbered item ("12、…（01项）208.8万元"), or an item whose 类/款/项 path opens its paragraph
# (“社会保障和就业支出（类）…（项）”257.14万元): no comma or figure before its first mark
_ITEM_HEAD = re.compile(
    rf"^(?:(?:\d{{1,2}}[、.．]|[（(][一二三四五六七八九十\d]{{1,3}}[）)]|[一二三四五六七八九十]{{1,3}}[、.．])[^。]{{0,120}}?"
    rf"|[“\"]?[^。，,：:；;\d“”\"]{{2,40}}[（(]\d{{0,3}}类[)）][^。，,：:；;\d]{{0,80}}?)"
    rf"[（(]\d{{0,3}}[类款项][)）][”\"＂]?(?:科目)?(?P<a>{_AMOUNT})"
)
# the amount again: a budget's "2026年预算安排B万元", a final account's "支出决算为B万元"
_AGAIN = {
    "预算": re.compile(rf"(?:(?P<y>(?:19|20)\d{{2}})年(?:度)?|本年度?|今年)(?:预算)?(?:安排|数为|为)(?P<a>{_AMOUNT})"),
    "决算": re.compile(rf"(?P<y>)(?<!上年)(?<!上年度)支出决算(?:数)?为(?P<a>{_AMOUNT})"),
}


@dataclass(frozen=True)
class Repeat:
    text: str
    quote: str
    location: Location
    head: Amount
    again: Amount
    measure: str  # 预算 / 决算: what the amount again is (a budget's or a final account's item)


def repeats(passage: Passage, year: int | None) -> list[Repeat]:
    text = passage.text
    m = _ITEM_HEAD.match(text)
    if not m:
        return []
    head = amounts_in(m.group("a"))[0]
    head = Amount(head.value, head.half, head.text, m.start("a"), m.end("a"))
    out = []
    for measure, again_re in _AGAIN.items():
        for again_m in again_re.finditer(text, m.end()):
            if again_m.group("y") and (year is None or int(again_m.group("y")) != year):
                continue
            a = amounts_in(again_m.group("a"))[0]
            a = Amount(a.value, a.half, a.text, again_m.start("a"), again_m.end("a"))
            out.append(Repeat(_quote(text, 0, len(text), 160), _quote(text, again_m.start(), again_m.end()),
                              passage.location, head, a, measure))
            break
    return out
