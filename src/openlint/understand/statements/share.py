"""Shares: "X万元，其中：Y万元，占P%" (`Share`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from openlint.model import Location
from openlint.understand.statements.numbers import (
    _DIRECTION_BEFORE, _PERCENT, Amount, Percent, _amounts_within, percents_in,
)
from openlint.understand.statements.passage import (
    ASIDE, _JUST_BEFORE, Passage, _in_brackets, _label_start, _quote, sentences,
)

# ---- shares ----

# "占P%", or naming the whole: "占收入合计99.18%", "占一般公共预算支出的19.62%" (then it must be the base's name)
_SHARE = re.compile(rf"占(?:(?P<of>[^，,。；;\d%％]{{2,12}}?)的?)?(?:比)?(?:为)?(?P<p>{_PERCENT})")
_BASE_FOLLOW = re.compile(r"[，,：:；;]?(?:其中|主要用于|包括)")


@dataclass(frozen=True)
class Share:
    text: str
    quote: str
    location: Location
    base: Amount
    part: Amount
    rate: Percent


def shares(passage: Passage) -> list[Share]:
    text = passage.text
    spans = sentences(text)
    out = []
    for k, (s_start, s_end) in enumerate(spans):
        found = _amounts_within(text, s_start, s_end)
        opening = _BASE_FOLLOW.match(text, s_start)
        if opening and k > 0:
            # "支出合计X万元，比上年增加…。其中：基本支出A万元，占P%": the whole is the sentence
            # before's one amount that is no change
            p_start = spans[k - 1][0]
            levels = [a for a in _amounts_within(text, *spans[k - 1])
                      if not _DIRECTION_BEFORE.search(text[max(p_start, a.start - 4) : a.start])]
            if len(levels) != 1 or not found:
                continue
            base, base_floor, after = levels[0], p_start, opening.end()
        else:
            follow = _BASE_FOLLOW.match(text, found[0].end) if len(found) >= 2 else None
            if follow is None:
                continue
            base, base_floor, after = found[0], s_start, follow.end()
        # a second 其中 opens a breakdown of a part ("基本支出60万元，占60%，其中人员经费50万元，占83%"):
        # shares after it are of another whole
        nested = next((i for i in _find_all(text, "其中", after, s_end) if not _in_brackets(text, after, i)), -1)
        stop = nested if nested >= 0 else s_end
        base_name = text[_label_start(text, base.start, base_floor) : base.start]
        for m in _SHARE.finditer(text, after, stop):
            # the figure right before 占, past an aside: "财政拨款收入2004.77万元（其中，…），占…"
            part = next((a for a in reversed(found) if a.end <= m.start() and not _in_brackets(text, s_start, a.start)), None)
            if part is None or part is base or not _JUST_BEFORE.match(ASIDE.sub("", text[part.end : m.start()])):
                continue
            if _DIRECTION_BEFORE.search(text[max(s_start, part.start - 4) : part.start]):
                continue  # "比上年增加5万元，占…": the amount before 占 is a change, not the part
            if m.group("of") and m.group("of") not in base_name:
                continue  # a share of another whole than the base
            out.append(Share(_quote(text, s_start, s_end, 160), _quote(text, part.start, m.end()), passage.location,
                             base, part, percents_in(m.group("p"))[0]))
    return out


def _find_all(text: str, word: str, start: int, end: int) -> Iterable[int]:
    i = text.find(word, start, end)
    while i >= 0:
        yield i
        i = text.find(word, i + 1, end)
