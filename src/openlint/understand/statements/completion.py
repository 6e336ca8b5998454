"""Completion rates ("完成年初预算的P%", `Completion`), 决算 vs 预算 ("决算数大于预算数", `Relation`) and
the differences between them that the text must answer for (`Variance`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from openlint.model import Location
from openlint.understand.statements.numbers import (
    DOWN, FLAT, UP, _PERCENT, Amount, Percent, _amounts_within, percents_in,
)
from openlint.understand.statements.change import _REASON
from openlint.understand.statements.passage import _ITEM_START, Passage, _quote, _sentence_at, sentences

# ---- completion rates and 决算 vs 预算 ----

_COMPLETION = re.compile(rf"完成(?P<label>年初|全年|调整后?)?预算(?:数)?(?:的)?(?P<p>{_PERCENT})")
_BUDGET_LABEL = re.compile(r"(?P<label>年初|全年|调整后?|变动后)?预算(?:数)?(?:为|是)?$")
_FINAL_LABEL = re.compile(r"决算(?:支出)?(?:数)?(?:为|是)?$")
_COMPARED = re.compile(r"[较比]|上年|上一年")  # "较2022年决算数13.8万元": the year compared with
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
            if _COMPARED.search(before):
                continue
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


@dataclass(frozen=True)
class Variance:
    """An item's 决算 that differs from every 预算 stated for it ("年初预算为A万元，支出决算为B万元"),
    beyond the rounding of both, and whether a reason or a 持平 follows before the next item."""

    text: str
    quote: str
    location: Location
    budget: Amount
    budget_label: str
    final: Amount
    explained: bool


# What answers for a difference: a cause or purpose (the words a change's reason is told by), or
# a claim that there is none to speak of ("决算数与预算数基本持平", judged by the relation rules;
# "决算数与2023年度持平" speaks of another comparison).
_ANSWER = re.compile(_REASON.pattern + r"|(?:与|同|和)(?:年初|全年|调整后?)?预算数?(?:基本)?(?:持平|相等|一致|相同)")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
_OPENS_ITEMS = re.compile(r"\s*其中[：:，,]")
# the next item of a list run together in one paragraph: "…支出决算为B万元。2、…（项）。主要用于…"
_NEXT_ITEM = re.compile(r"(?<=[。；;])" + _ITEM_START.pattern.removeprefix("^"))


def _other_years(text: str, start: int, final: Amount, budgets: list[tuple[Amount, str]]) -> bool:
    """The 决算 and a 预算 are of different years: "2010年决算649.13万元，2011年预算551.59万元"."""
    def year(a: Amount) -> str | None:
        found = _YEAR.findall(text, start, a.start)
        return found[-1] if found else None
    final_year = year(final)
    return final_year is not None and any(year(b) not in (None, final_year) for b, _ in budgets)


def variances(passage: Passage, following: str = "") -> list[Variance]:
    """Items whose stated 决算 differs from their stated 预算, each with whether the text answers for
    it. An item's own answer stands after its amounts in its own sentence, before the next item
    ("…支出决算为B万元，主要原因是…"). Without one, the first answer in the sentences after it
    answers for it — and for every item before it without its own ("其中：A…；B…。决算小于预算的主要
    原因：…"), reaching into the first sentence of `following` (the next paragraph, unless it starts
    an item) — unless that answer is a later item's own, or a numbered item comes first (whose
    "主要用于" is its purpose, not a reason)."""
    text = passage.text
    spans = sentences(text)
    found: list[tuple[int, Amount, list[tuple[Amount, str]]]] = []
    for n, (s_start, s_end) in enumerate(spans):
        for seg_start, seg_end in _segments(text, s_start, s_end):
            item = _budgeted(text, seg_start, seg_end)
            if item.final is None:
                continue
            if not any((item.initial, item.full, item.generic)) and seg_start == s_start and n:
                earlier = _budgeted(text, *_segments(text, *spans[n - 1])[-1])  # "年初预算为A万元。支出决算为B万元"
                if earlier.final is None:
                    item = Budgeted(earlier.initial, earlier.full, earlier.generic, item.final)
            budgets = [(a, label) for a, label in
                       ((item.initial, "年初预算"), (item.full, "全年预算"), (item.generic, "预算")) if a]
            if budgets and not _other_years(text, seg_start, item.final, budgets):
                found.append((min(item.final.start, *(a.start for a, _ in budgets)), item.final, budgets))
    # where each item's own sentence ends (at the next item), and its own answer
    own: list[tuple[int, re.Match | None]] = []
    for i, (_, final, _) in enumerate(found):
        end = min(_sentence_at(spans, final.start)[1] or len(text), found[i + 1][0] if i + 1 < len(found) else len(text))
        own.append((end, _ANSWER.search(text, final.end, end)))
    tail = following[: _sentence_at(sentences(following), 0)[1]] if following and not _ITEM_START.match(following) else ""
    out = []
    for i, (start, final, budgets) in enumerate(found):
        if not all(final.lo > b.hi or final.hi < b.lo for b, _ in budgets):
            continue
        end, answer = own[i]
        # a total whose items follow ("…支出决算为B万元，完成年初预算的P%。其中：" / "1.…（项）。…主要原因是…"):
        # its items answer for it, each for its own difference, when they do give reasons
        explained = answer is not None or bool(_OPENS_ITEMS.match(text, end)) and (
            any(m is not None for _, m in own[i + 1:]) or bool(_ANSWER.search(following)))
        if not explained:
            next_item = _NEXT_ITEM.search(text, end)
            stop = next_item.start() if next_item else len(text)
            later = _ANSWER.search(text, end, stop)
            if later is not None:
                explained = not any(m is not None and m.start() == later.start() for _, m in own[i + 1:])
            else:
                explained = stop == len(text) and bool(_ANSWER.search(tail))
        budget, label = budgets[0]
        out.append(Variance(_quote(text, *_sentence_at(spans, final.start), 160),
                            _quote(text, start, final.end), passage.location, budget, label, final, explained))
    return out
