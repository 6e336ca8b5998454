"""Completion rates ("完成年初预算的P%", `Completion`) and 决算 vs 预算 ("决算数大于预算数", `Relation`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from openlint.model import Location
from openlint.understand.statements.numbers import (
    DOWN, FLAT, UP, _PERCENT, Amount, Percent, _amounts_within, percents_in,
)
from openlint.understand.statements.passage import Passage, _quote, _sentence_at, sentences

# ---- completion rates and 决算 vs 预算 ----

_COMPLETION = re.compile(rf"完成(?P<label>年初|全年|调整后?)?预算(?:数)?(?:的)?(?P<p>{_PERCENT})")
_BUDGET_LABEL = re.compile(r"(?P<label>年初|全年|调整后?|变动后)?预算(?:数)?(?:为|是)?$")
_FINAL_LABEL = re.compile(r"决算(?:数)?(?:为|是)?$")
_RELATION = re.compile(
    r"决算数?(?P<rel>大于|小于|等于|高于|低于|超过|多于|少于|同|与|和)(?:[（(](?:大于|小于|等于)[）)])?"
    r"(?P<label>年初|全年|调整后?)?预算数?(?P<tail>基本持平|持平|相等|一致|相同)?"
)
_SEGMENT_SPLIT = re.compile(r"[；;]|其中[：:，,]?")


@dataclass(frozen=True)
class Budgeted:
    """The 预算 and 决算 amounts a passage states for one item."""

    initial: Amount | None = None  # 年初预算
    full: Amount | None = None  # 全年预算 / 调整预算
    generic: Amount | None = None  # 预算数
    final: Amount | None = None  # 决算

    def budget(self, label: str | None) -> tuple[Amount | None, str]:
        if label == "年初":
            return (self.initial or (self.generic if not self.full else None)), "年初预算"
        if label:
            return (self.full or (self.generic if not self.initial else None)), "全年预算"
        options = [(a, n) for a, n in ((self.initial, "年初预算"), (self.full, "全年预算"), (self.generic, "预算")) if a]
        return options[0] if len(options) == 1 else (None, "预算")

    def others(self, label: str | None) -> list[tuple[Amount, str]]:
        chosen, _ = self.budget(label)
        return [(a, n) for a, n in ((self.initial, "年初预算"), (self.full, "全年预算"), (self.generic, "预算")) if a and a is not chosen]


def _budgeted(text: str, start: int, end: int) -> Budgeted:
    initial = full = generic = final = None
    seen = {"initial": 0, "full": 0, "generic": 0, "final": 0}
    for a in _amounts_within(text, start, end):
        before = text[max(start, a.start - 12) : a.start]
        if _FINAL_LABEL.search(before):
            final = a
            seen["final"] += 1
            continue
        m = _BUDGET_LABEL.search(before)
        if not m:
            continue
        label = m.group("label")
        if label == "年初":
            initial = a
            seen["initial"] += 1
        elif label:
            full = a
            seen["full"] += 1
        else:
            generic = a
            seen["generic"] += 1
    # two amounts under one label: the passage speaks of several items, do not guess
    return Budgeted(
        initial if seen["initial"] == 1 else None,
        full if seen["full"] == 1 else None,
        generic if seen["generic"] == 1 else None,
        final if seen["final"] == 1 else None,
    )


@dataclass(frozen=True)
class Completion:
    text: str
    quote: str
    location: Location
    rate: Percent
    budget: Amount
    budget_label: str
    final: Amount
    others: tuple = ()  # other budget amounts stated for the item: (Amount, label)


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    for m in _SEGMENT_SPLIT.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return out


def completions(passage: Passage) -> list[Completion]:
    text = passage.text
    spans = sentences(text)
    out = []
    for m in _COMPLETION.finditer(text):
        s_start, s_end = _sentence_at(spans, m.start())
        seg = next(((a, b) for a, b in _segments(text, s_start, s_end) if a <= m.start() < b), (s_start, s_end))
        item = _budgeted(text, seg[0], m.start())
        if item.final is None and not any((item.initial, item.full, item.generic)):
            # "…支出决算为F万元。完成年初预算的P%。": the amounts are in the sentence before
            previous = [sp for sp in spans if sp[1] <= s_start]
            if seg[0] == s_start and previous:
                item = _budgeted(text, *_segments(text, *previous[-1])[-1])
        budget, label = item.budget(m.group("label"))
        if budget is None or item.final is None:
            continue
        rate = percents_in(m.group("p"))[0]
        out.append(
            Completion(
                text=_quote(text, s_start, s_end, 160),
                quote=_quote(text, m.start(), m.end()),
                location=passage.location,
                rate=rate,
                budget=budget,
                budget_label=label,
                final=item.final,
                others=tuple(item.others(m.group("label"))),
            )
        )
    return out


@dataclass(frozen=True)
class Relation:
    """"决算数大于预算数" and the amounts it must follow from."""

    text: str
    quote: str
    location: Location
    relation: int  # UP: 决算 > 预算, DOWN: 决算 < 预算, FLAT: equal
    budget: Amount
    budget_label: str
    final: Amount
    approximate: bool = False  # "基本持平": equal give or take; how near is near enough is the rule's


_RELATION_SIGN = {"大于": UP, "高于": UP, "超过": UP, "多于": UP, "小于": DOWN, "低于": DOWN, "少于": DOWN, "等于": FLAT}


def relations(passage: Passage) -> list[Relation]:
    text = passage.text
    spans = sentences(text)
    out = []
    for m in _RELATION.finditer(text):
        if "（" in m.group(0) or "(" in m.group(0):
            continue  # template leftover: 决算数大于（小于）预算数
        rel, tail = m.group("rel"), m.group("tail")
        if rel in _RELATION_SIGN:
            if tail:
                continue
            relation = _RELATION_SIGN[rel]
        elif tail:
            relation = FLAT
        else:
            continue
        s_start, s_end = _sentence_at(spans, m.start())
        # the item's amounts: this sentence up to the phrase, else the sentence before
        item = _budgeted(text, s_start, m.start())
        if item.final is None:
            previous = [sp for sp in spans if sp[1] <= s_start]
            if not previous:
                continue
            item = _budgeted(text, *previous[-1])
        budget, label = item.budget(m.group("label"))
        if budget is None or item.final is None:
            continue
        out.append(Relation(_quote(text, s_start, s_end, 160), _quote(text, m.start(), m.end()), passage.location,
                            relation, budget, label, item.final, approximate=tail == "基本持平"))
    return out
