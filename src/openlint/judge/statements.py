"""Primitives over narrative statements (issue 3): changes (and the same change stated twice),
completion rates, 决算 vs 预算, shares, totals and their 其中 parts, repeated amounts, compared
years.

Each primitive returns one element per statement the narrative makes with the numbers to judge it;
an element's attributes say whether the statement follows from those numbers (`rate_ok`, `ok` …),
judged over the rounding intervals of every printed number (understand/statements/), and what
the numbers give instead. A statement that cannot be judged (an amount missing, a base of zero)
is never wrong. The statements are read once per document (cached on the Context).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from openlint.findings import Severity
from openlint.judge.context import Context
from openlint.judge.registry import ATTRIBUTES, primitive
from openlint.model import Location
from openlint.understand import statements as S
from openlint.understand.statements import DIRECTION_NAMES, DOWN, FLAT, UP, fmt_amount, fmt_percent, ratio_range


def document_statements(ctx: Context) -> S.Statements:
    return ctx.cached("narrative-statements", lambda: S.extract(ctx.document, ctx.facts.year))


_UNBOUNDED = Decimal(10**9)  # a relative spread against an amount of 0


def _least_spread(amount: S.Amount, base: S.Amount) -> Decimal:
    """The least |amount − base| ÷ base the rounding of both printed figures allows."""
    gap = max(amount.lo - base.hi, base.lo - amount.hi, Decimal(0))
    return gap / base.hi if base.hi > 0 else (Decimal(0) if not gap else _UNBOUNDED)


def _sign_word(value: Decimal) -> str:
    return DIRECTION_NAMES[UP if value > 0 else DOWN if value < 0 else FLAT]


# ---- changes against an earlier year ----

@dataclass(frozen=True)
class ChangeCheck:
    change: S.Change
    rate_ok: bool
    expected_rate: str
    delta_ok: bool
    expected_delta: str
    direction_ok: bool
    actual: str
    basis: str
    words_agree: bool = True  # the change's two direction words ("减少N万元，增长P%") do not contradict
    spread: Decimal = Decimal(0)  # "基本持平": the least |本年 − 上年| ÷ 上年 the rounding of both allows
    from_nothing: bool = False  # the earlier amount was 0: a rate given ("增长100%") stands for no number
    padded: bool = False  # the rate is right to one place less ("2.60%" for 2.59%: 2.6% padded with a 0)

    @property
    def severity(self) -> Severity | None:
        """A rate written for growth from nothing is a common convention, wrong but told more mildly;
        a rate right to one place less than it is written is a note (when nothing else is wrong)."""
        if not (self.delta_ok and self.direction_ok and self.words_agree):
            return None
        if self.padded:
            return Severity.NOTE
        return Severity.WARNING if self.from_nothing else None

    @property
    def direction_problem(self) -> str:
        """What is wrong with the stated direction, after the quote (for the message)."""
        if not self.words_agree:
            c = self.change
            if c.direction == FLAT and (moved := _MOVED_TO.search(c.subject)):
                return f"中“{c.word}”与其前“{moved.group(0)}”方向相互矛盾"
            if c.rate_word and S.direction_of(c.rate_word) not in (c.direction, None, FLAT):
                return f"中“{c.word}”与“{c.rate_word}”方向相互矛盾"
            return f"中“{c.word}”与其后“{c.reason_word}的主要原因”方向相互矛盾"
        return f"与{self.basis}不符（实际为{self.actual}）"

    @property
    def location(self) -> Location:
        return self.change.location

    @property
    def anchor(self) -> str:
        return f"{self.change.quote}｜{self.basis}"


def _magnitude(lo: Decimal, hi: Decimal) -> tuple[Decimal, Decimal]:
    if lo >= 0:
        return lo, hi
    if hi <= 0:
        return -hi, -lo
    return Decimal(0), max(-lo, hi)


def _words_agree(c: S.Change) -> bool:
    """False when the change is called an increase and its rate (or the reason given for it, "减少的
    主要原因是…") a decrease, or the other way round: wrong whatever the amounts. (A template
    leftover "下降（增长）" leaves a direction open: not judged.)"""
    d, r = c.direction, c.rate_direction
    if d in (UP, DOWN) and (S.direction_of(c.reason_word) or d) not in (d, FLAT):
        return False  # "比上年减少990万元。增加的主要原因是…"
    if d == FLAT and _MOVED_TO.search(c.subject):
        return False  # "公务接待费支出决算减少为0.00万元，与2024年持平"
    return d is None or r is None or d == FLAT or r == FLAT or d == r


# an amount arrived at by a change: "减少为0.00万元", "增加到12万元"
_MOVED_TO = re.compile(r"(增加|减少|增长|下降|降低|上升|降)(?:为|到|至)$")


def _check_change(c: S.Change) -> ChangeCheck:
    check = _check_change_amounts(c)
    if not check.rate_ok and (coarser := c.rate.coarser()) is not None \
            and _check_change_amounts(replace(c, rate=coarser)).rate_ok:
        check = replace(check, padded=True, expected_rate=check.expected_rate + "；所写百分比只精确到一位小数，末位的0是补写的")
    return check if _words_agree(c) else replace(check, words_agree=False)


def _check_change_amounts(c: S.Change) -> ChangeCheck:
    A, B, N, P = c.before, c.after, c.delta, c.rate
    rate_ok = delta_ok = direction_ok = True
    expected_rate = expected_delta = actual = ""
    if A is not None and B is not None:
        basis = f"{c.before_label}{A.text}、{c.after_label}{B.text}"
        change = B.value - A.value
        actual = _sign_word(change)
        if P is not None and A.lo > 0 and c.rate_direction != FLAT:
            lo, hi = ratio_range(B, A)
            lo, hi = lo - 1, hi - 1
            d = c.rate_direction
            if d == UP:
                rate_ok = P.accepts(lo, hi)
            elif d == DOWN:
                rate_ok = P.accepts(-hi, -lo)
            else:
                rate_ok = P.accepts(*_magnitude(lo, hi))
            point = change / A.value
            expected_rate = (f"{_sign_word(point)}{fmt_percent(abs(point), P.decimals)}" if point
                             else "持平")
        elif P is not None and c.rate_direction in (UP, DOWN):
            # from an earlier amount of 0 no rate can be computed, but its direction can be wrong:
            # "上年0万元、本年5.00万元，减少100.00%"
            rate_ok = B.hi > A.lo if c.rate_direction == UP else B.lo < A.hi
            expected_rate = actual
        if N is not None and c.direction != FLAT:
            lo, hi = B.lo - A.hi, B.hi - A.lo
            d = c.direction
            if d == UP:
                delta_ok = N.lo <= hi and N.hi >= lo
            elif d == DOWN:
                delta_ok = -N.hi <= hi and -N.lo >= lo
            else:
                delta_ok = N.lo <= max(abs(lo), abs(hi))
            expected_delta = f"应为{actual}{fmt_amount(abs(change), N)}" if change else "应为持平"
        spread = Decimal(0)
        if c.approximate:  # the rule says how near "基本持平" must be, against `spread`
            spread = _least_spread(B, A)
            if change and A.value:
                actual += fmt_percent(abs(change) / A.value, 2)
        elif c.direction is not None:
            if c.direction == UP:
                direction_ok = B.hi > A.lo
            elif c.direction == DOWN:
                direction_ok = B.lo < A.hi
            else:
                direction_ok = B.lo <= A.hi and A.lo <= B.hi
        return ChangeCheck(c, rate_ok, expected_rate, delta_ok, expected_delta, direction_ok, actual, basis,
                           spread=spread)
    if B is not None and N is not None and c.direction in (UP, DOWN):
        basis = f"{c.after_label}{B.text}、{c.word}{N.text}"
        from_nothing = False
        if c.direction == UP and N.lo > B.hi:
            delta_ok = False
            expected_delta = f"增加额大于{c.after_label}金额，{c.before_label}金额将为负数"
        d = c.direction
        if P is not None and (c.rate_direction in (d, None)):
            before_lo = B.lo - N.hi if d == UP else B.lo + N.lo
            if before_lo <= 0 < B.hi - N.lo and d == UP:
                # the earlier amount may be nothing: "0.3万元，增加0.3万元，增长100%" grew from 0, by no
                # rate at all; whatever it was, the rate is at least the increase over its largest value
                rate_ok = P.accepts(N.lo / (B.hi - N.lo), Decimal("Infinity"))
                from_nothing = B.value == N.value
                expected_rate = ("不可比：上年为0，无法计算增长率" if from_nothing else
                                 f"至少增长{fmt_percent(N.lo / (B.hi - N.lo), P.decimals)}")
            elif before_lo > 0:
                if d == UP:
                    lo, hi = N.lo / (B.hi - N.lo), N.hi / (B.lo - N.hi)
                    point = N.value / (B.value - N.value)
                else:
                    lo, hi = N.lo / (B.hi + N.lo), N.hi / (B.lo + N.hi)
                    point = N.value / (B.value + N.value)
                rate_ok = P.accepts(lo, hi)
                expected_rate = f"{DIRECTION_NAMES[d]}{fmt_percent(point, P.decimals)}"
        return ChangeCheck(c, rate_ok, expected_rate, delta_ok, expected_delta, direction_ok, actual, basis,
                           from_nothing=from_nothing)
    if A is not None and N is not None and c.direction in (UP, DOWN):
        basis = f"{c.before_label}{A.text}、{c.word}{N.text}"
        d = c.direction
        if P is not None and c.rate_direction in (d, None) and A.lo > 0:
            rate_ok = P.accepts(N.lo / A.hi, N.hi / A.lo)
            expected_rate = f"{DIRECTION_NAMES[d]}{fmt_percent(N.value / A.value, P.decimals)}"
        return ChangeCheck(c, rate_ok, expected_rate, delta_ok, expected_delta, direction_ok, actual, basis)
    basis = f"{c.after_label}{B.text}" if B is not None else ""
    return ChangeCheck(c, True, "", True, "", True, "", basis)


@primitive("stated_changes", 0)
def stated_changes(ctx: Context) -> list[ChangeCheck]:
    """Stated changes against an earlier year ("比上年增加N万元，增长P%", "与上年持平"), with the amounts they follow from."""

    def compute():
        out, seen = [], set()
        for c in document_statements(ctx).changes:
            key = (c.location, c.quote, c.after.text if c.after else None, c.before.text if c.before else None,
                   _words_agree(c))  # "…为0.00万元，与上年持平" twice, once after "减少为": not the same statement
            if key in seen:  # the same statement repeated in one paragraph
                continue
            seen.add(key)
            out.append(_check_change(c))
        return out

    return ctx.cached("narrative-changes", compute)


@primitive("named_changes", 0)
def named_changes(ctx: Context) -> list[ChangeCheck]:
    """The changes of parts stated without their amounts ("其中：公务接待费支出决算增加0.3万元，增长100%"),
    with the amount the text gave before under the same name ("公务接待费支出决算为0.3万元")."""
    return ctx.cached("narrative-named-changes",
                      lambda: [_check_change(c) for c in document_statements(ctx).named_changes])


ATTRIBUTES[ChangeCheck] = {
    "text": lambda ctx, c: c.change.text,
    "quote": lambda ctx, c: c.change.quote,
    "basis": lambda ctx, c: c.basis,
    "rate": lambda ctx, c: c.change.rate.text if c.change.rate else None,
    "rate_ok": lambda ctx, c: c.rate_ok,
    "expected_rate": lambda ctx, c: c.expected_rate,
    "delta": lambda ctx, c: c.change.delta.text if c.change.delta else None,
    "delta_ok": lambda ctx, c: c.delta_ok,
    "expected_delta": lambda ctx, c: c.expected_delta,
    "direction": lambda ctx, c: c.change.word,
    "direction_ok": lambda ctx, c: c.direction_ok,
    "words_agree": lambda ctx, c: c.words_agree,
    "approximate": lambda ctx, c: c.change.approximate,
    "spread": lambda ctx, c: c.spread,
    "direction_problem": lambda ctx, c: c.direction_problem,
    "actual": lambda ctx, c: c.actual,
    "page": lambda ctx, c: c.location.page,
    "path": lambda ctx, c: S.compact("/".join(c.location.section)),  # headings compacted, like section titles
    "moved": lambda ctx, c: _moved(c.change),
    "reason": lambda ctx, c: c.change.reason or None,
    "itemised": lambda ctx, c: c.change.itemised,
}


def _moved(c: S.Change) -> bool:
    """The change is an increase or a decrease by more than nothing (not 持平, not "增加0万元")."""
    if c.direction not in (UP, DOWN):
        return False
    if c.delta is not None:
        return c.delta.value != 0
    return c.rate is None or c.rate.value != 0


# ---- the same change stated twice ----

@dataclass(frozen=True)
class ChangeConflict:
    """A stated change whose direction contradicts another statement of the same change: the same
    amount, the same change amount, against the same base ("财政拨款收入17,192万元，比2024年预算减少990万元"
    and "财政拨款支出预算17,192万元，比2024年预算增加990万元")."""

    change: S.Change
    other: S.Change
    agrees: bool

    @property
    def location(self) -> Location:
        return self.change.location

    @property
    def related(self) -> tuple[Location, ...]:
        return (self.other.location,)

    @property
    def anchor(self) -> str:
        return f"{self.change.quote}｜{self.other.quote}"




def _base(c: S.Change) -> str:
    """The comparison the change is stated against, up to its direction word, asides left out:
    "比2022年（上一年度，下同）预算" → "比2022年预算"."""
    return S.ASIDE.sub("", c.quote.split(c.word, 1)[0])


def _significant_digits(a: S.Amount) -> int:
    digits = "".join(ch for ch in a.text if ch.isdigit()).lstrip("0")
    return len(digits)


def _same_delta(a: S.Change, b: S.Change) -> bool:
    """The two change amounts can be the same (their rounding intervals overlap)."""
    return a.delta.lo <= b.delta.hi and b.delta.lo <= a.delta.hi


def _same_change(a: S.Change, b: S.Change) -> bool:
    return a.direction == b.direction and _same_delta(a, b)


_YEAR_PREFIX = re.compile(r"^.*(?:19|20)\d{2}年度?")
_SUBJECT_NOISE = re.compile(r"预算|数|为|是|安排|“|”|" + S.ASIDE.pattern)


def _subject(c: S.Change, balanced: bool) -> str:
    """What the amount is of, for telling one quantity from another: the org and year before it and
    the words 预算/数/为 left out ("上海市某局2024年度收入支出总计" → "收入支出总计"); in a budget,
    whose income and spending balance every year, 收入 and 支出 of one scope are one quantity too."""
    key = _SUBJECT_NOISE.sub("", _YEAR_PREFIX.sub("", c.subject))
    return re.sub(r"收入|支出", "", key) if balanced else key


def _contradicts(a: S.Change, b: S.Change, balanced: bool) -> bool:
    """Two statements of changes from the same amount against the same base that cannot both be
    right: the same change amount in opposite directions (two different items hardly share both
    amounts), or different change amounts of one quantity (the same subject) from an amount of four
    significant digits or more."""
    if _same_change(a, b):
        return False
    if _same_delta(a, b):
        return True  # in opposite directions
    subject = _subject(a, balanced)
    return subject != "" and subject == _subject(b, balanced) and _significant_digits(a.after) >= 4


@primitive("repeated_changes", 0, 1)
def repeated_changes(ctx: Context, balanced: Any = False) -> list[ChangeConflict]:
    """Stated changes that another statement states again (the same amount against the same base,
    "财政拨款收入17,192万元，比2024年预算减少990万元" / "财政拨款支出预算17,192万元，比2024年预算减少990万元"),
    each with the statement it is measured against. `agrees`: false when the two cannot both be
    right (opposite directions for the same change amount; different change amounts of one
    quantity, see `_contradicts`). The statements in the minority are the ones that disagree
    (of two, the later one). `balanced`: income and spending balance every year (a budget), so
    收入 and 支出 of one scope are one quantity."""
    balanced = bool(balanced)

    def compute():
        groups: dict[tuple, list[S.Change]] = {}
        # every statement, repeats within a paragraph included: they count towards the majority
        for c in document_statements(ctx).changes:
            if c.after is None or c.delta is None or not c.after.value or not c.delta.value:
                continue
            if c.direction not in (UP, DOWN):
                continue
            groups.setdefault((c.after.value, _base(c)), []).append(c)
        out = []
        for group in groups.values():
            if len(group) < 2:
                continue
            clusters: list[list[S.Change]] = []
            for c in group:
                home = next((k for k in clusters if _same_change(k[0], c)), None)
                if home is None:
                    clusters.append([c])
                else:
                    home.append(c)
            right = max(clusters, key=len)  # the first statement's cluster on a tie (max keeps the first)
            for c in group:
                if c in right:
                    other = next((o for o in group if o is not c), c)
                    out.append(ChangeConflict(c, other, True))
                else:
                    out.append(ChangeConflict(c, right[0], not _contradicts(c, right[0], balanced)))
        return out

    return ctx.cached(("narrative-repeated-changes", balanced), compute)


ATTRIBUTES[ChangeConflict] = {
    "text": lambda ctx, p: p.change.text,
    "quote": lambda ctx, p: p.change.quote,
    "amount": lambda ctx, p: p.change.after.text,
    "other_quote": lambda ctx, p: p.other.quote,
    "other_text": lambda ctx, p: p.other.text,
    "other_page": lambda ctx, p: p.other.location.page,
    "agrees": lambda ctx, p: p.agrees,
}


class _ItemCheck:
    """A verdict on one stated item: found where the item stands, fingerprinted by its quote."""

    item: object

    @property
    def location(self) -> Location:
        return self.item.location

    @property
    def anchor(self) -> str:
        return self.item.quote


def _item_attributes(**own) -> dict:
    """The attributes every item check has (text, quote, page), then the check's own."""
    return {
        "text": lambda ctx, c: c.item.text,
        "quote": lambda ctx, c: c.item.quote,
        "page": lambda ctx, c: c.location.page,
        **own,
    }


# ---- completion rates ----

@dataclass(frozen=True)
class CompletionCheck(_ItemCheck):
    item: S.Completion
    ok: bool
    expected: str
    hint: str
    severity: Severity | None

    @property
    def anchor(self) -> str:
        return self.item.text


def _check_completion(p: S.Completion) -> CompletionCheck:
    lo, hi = ratio_range(p.final, p.budget)
    ok = p.rate.accepts(lo, hi)
    if p.budget.value:
        expected = "应为" + fmt_percent(p.final.value / p.budget.value, p.rate.decimals)
    else:
        expected = f"{p.budget_label}为0，无法计算完成率"
    hint, severity = "", None
    if not ok:
        for other, label in p.others:
            if p.rate.accepts(*ratio_range(p.final, other)):
                hint = f"；{p.rate.text}是按{label}{other.text}计算的，应写“完成{label}的{p.rate.text}”"
                severity = Severity.WARNING
                break
    return CompletionCheck(p, ok, expected, hint, severity)


@primitive("completion_rates", 0)
def completion_rates(ctx: Context) -> list[CompletionCheck]:
    """Stated completion rates ("完成年初预算的P%") with the 预算 and 决算 amounts of the same item."""
    return ctx.cached("narrative-completions",
                      lambda: [_check_completion(p) for p in document_statements(ctx).completions])


ATTRIBUTES[CompletionCheck] = _item_attributes(
    basis=lambda ctx, p: f"{p.item.budget_label}{p.item.budget.text}、决算{p.item.final.text}",
    ok=lambda ctx, p: p.ok,
    explanation=lambda ctx, p: p.expected + p.hint,
)


# ---- 决算数大于/小于/等于预算数 ----

@dataclass(frozen=True)
class RelationCheck(_ItemCheck):
    item: S.Relation
    ok: bool
    actual: str
    spread: Decimal  # the least |决算 − 预算| ÷ 预算 the rounding of both allows

    @property
    def anchor(self) -> str:
        return f"{self.item.quote}｜{self.item.budget.text}｜{self.item.final.text}"


def _check_relation(r: S.Relation) -> RelationCheck:
    f, b = r.final, r.budget
    if r.relation == UP:
        ok = f.hi > b.lo
    elif r.relation == DOWN:
        ok = f.lo < b.hi
    else:
        ok = f.lo <= b.hi and b.lo <= f.hi
    spread = _least_spread(f, b)
    diff = f.value - b.value
    actual = "决算数" + ("大于" if diff > 0 else "小于" if diff < 0 else "等于") + "预算数"
    if r.approximate:
        ok = True  # the rule says how near "基本持平" must be, against `spread`
        if diff and b.value:
            actual += f"，相差{fmt_percent(abs(diff) / b.value, 2)}"
    return RelationCheck(r, ok, actual, spread)


@primitive("budget_relations", 0)
def budget_relations(ctx: Context) -> list[RelationCheck]:
    """Statements comparing 决算 with 预算 ("决算数小于预算数", "决算数与预算数持平") with the item's
    amounts; `.approximate` for "基本持平", with `.spread` the least relative difference the
    rounding of both amounts allows."""
    return ctx.cached("narrative-relations",
                      lambda: [_check_relation(r) for r in document_statements(ctx).relations])


ATTRIBUTES[RelationCheck] = _item_attributes(
    basis=lambda ctx, r: f"{r.item.budget_label}{r.item.budget.text}、决算{r.item.final.text}",
    ok=lambda ctx, r: r.ok,
    actual=lambda ctx, r: r.actual,
    approximate=lambda ctx, r: r.item.approximate,
    spread=lambda ctx, r: r.spread,
)


# ---- differences between 决算 and 预算, answered for ----

@dataclass(frozen=True)
class VarianceCheck(_ItemCheck):
    item: S.Variance


@primitive("budget_variances", 0)
def budget_variances(ctx: Context) -> list[VarianceCheck]:
    """Items whose stated 决算 differs from every 预算 stated for them ("年初预算为A万元，支出决算为B万元"),
    beyond the rounding of both; `.explained`: a reason (or a 持平) follows before the next item."""
    return ctx.cached("narrative-variances", lambda: [VarianceCheck(v) for v in document_statements(ctx).variances])


ATTRIBUTES[VarianceCheck] = _item_attributes(
    basis=lambda ctx, v: f"{v.item.budget_label}{v.item.budget.text}、决算{v.item.final.text}",
    explained=lambda ctx, v: v.item.explained,
)


# ---- shares ----

@dataclass(frozen=True)
class ShareCheck(_ItemCheck):
    item: S.Share
    ok: bool
    expected: str

    @property
    def exceeds(self) -> bool:
        """The part is larger than its whole, beyond the rounding of both."""
        return self.item.part.lo > self.item.base.hi

    @property
    def explanation(self) -> str:
        larger = "所占金额大于总额" if self.exceeds else ""
        if self.ok:
            return f"占比超过100%，{larger}" if larger else ""
        return f"应为{self.expected}，{larger}" if larger else f"应为{self.expected}"


def _check_share(s: S.Share) -> ShareCheck:
    ok = s.rate.accepts(*ratio_range(s.part, s.base))
    expected = fmt_percent(s.part.value / s.base.value, s.rate.decimals) if s.base.value else "无法计算（合计为0）"
    return ShareCheck(s, ok, expected)


@primitive("stated_shares", 0)
def stated_shares(ctx: Context) -> list[ShareCheck]:
    """Stated shares: "X万元，其中：Y万元，占P%" (the whole and the part in one sentence), and
    "Y万元，占<name>的P%" of the amount the passage stated before under that name (`.base_name`).
    `ok`: P follows from Y ÷ X; `exceeds`: the part is larger than its whole."""
    return ctx.cached("narrative-shares", lambda: [_check_share(s) for s in document_statements(ctx).shares])


ATTRIBUTES[ShareCheck] = _item_attributes(
    basis=lambda ctx, s: f"{s.item.base_name or '合计'}{s.item.base.text}",
    base_name=lambda ctx, s: s.item.base_name,
    ok=lambda ctx, s: s.ok,
    exceeds=lambda ctx, s: s.exceeds,
    expected=lambda ctx, s: s.expected,
    explanation=lambda ctx, s: s.explanation,
)


@dataclass(frozen=True)
class ShareListCheck(_ItemCheck):
    item: S.ShareList
    ok: bool
    explanation: str


def _implied_whole(part: S.Amount, rate: S.Percent) -> tuple[Decimal, Decimal] | None:
    """The whole a part and its share stand for, over the rounding of both (the share rounded or
    truncated); None when they say nothing of it (0 and 0%)."""
    low = max(rate.value - rate.half, Decimal(0)) / 100
    high = (rate.value + 2 * rate.half) / 100
    if part.hi == 0 or (part.lo == 0 and low == 0):
        return None
    return part.lo / high, (part.hi / low if low > 0 else Decimal("Infinity"))


def _check_share_list(shares: S.ShareList) -> ShareListCheck:
    wholes = [(label, part, rate, _implied_whole(part, rate)) for label, part, rate in shares.items]
    known = [w for *_, w in wholes if w is not None]
    ok = len(known) < 2 or max(lo for lo, _ in known) <= min(hi for _, hi in known)
    said = []
    for label, part, rate, whole in wholes:
        if whole is None:
            continue
        if rate.value:
            said.append(f"{label}{part.text}÷{rate.text}≈{fmt_amount(part.value * 100 / rate.value, part)}")
        else:
            said.append(f"{label}{part.text}却占{rate.text}")
    return ShareListCheck(shares, ok, "，".join(said))


@primitive("share_lists", 0)
def share_lists(ctx: Context) -> list[ShareListCheck]:
    """Parts listed side by side with their shares of a whole the sentence does not state ("…决算
    中，A万元，占P%；B万元，占Q%"). `ok`: one whole fits every part and share, over the rounding of
    each; `explanation`: the whole each part and share stand for."""
    return ctx.cached("narrative-share-lists",
                      lambda: [_check_share_list(s) for s in document_statements(ctx).share_lists])


ATTRIBUTES[ShareListCheck] = _item_attributes(
    ok=lambda ctx, s: s.ok,
    explanation=lambda ctx, s: s.explanation,
)


# ---- "X万元，其中：A万元、B万元、C万元" ----

@dataclass(frozen=True)
class BreakdownCheck(_ItemCheck):
    item: S.Breakdown
    difference: Decimal  # total − Σ parts, in 元
    tolerance: Decimal  # the accumulated rounding of every figure, in 元
    closed: str  # why the parts must add up to the total ("" when they need only not exceed it)

    @property
    def anchor(self) -> str:
        return f"{self.item.quote}｜{self.item.total.text}"

    @property
    def ok(self) -> bool:
        # a closed list must add up; an open one ("其中" naming some amounts) must not exceed the
        # total. An open list of changes says nothing: the parts it leaves out may have gone either way.
        if abs(self.difference) <= self.item.total.half:
            return True  # the parts' sum, rounded as the total is printed, is the total (8.0909亿元: 8.09亿元)
        if self.closed:
            return False
        return self.item.change or self.difference > 0

    @property
    def severity(self) -> Severity | None:
        """A difference the accumulated rounding explains is a 尾差: a note even under an error rule."""
        return Severity.NOTE if not self.ok and abs(self.difference) <= self.tolerance else None

    @property
    def explanation(self) -> str:
        b = self.item
        zeros = sum(1 for _, a in b.parts if not a.value)
        shown = "＋".join(f"{label}{a.text}" for label, a in b.parts if a.value or zeros < 3)
        parts_sum = b.total.value - self.difference
        total = b.total.text
        if b.change:  # signed: shown as 增加/减少 and the size
            total = f"总{'减少' if b.total.value < 0 else '增加'}额{total}" if b.total.value else f"总额{total}"
            parts_sum = f"{'减少' if parts_sum < 0 else '增加'}{fmt_amount(abs(parts_sum), b.total)}"
        else:
            parts_sum = fmt_amount(parts_sum, b.total)
        if zeros == len(b.parts) >= 3:
            summed = f"{zeros}项均为0"
        elif zeros >= 3:  # a long run of nothings ("机要通信用车0辆、应急保障用车0辆、…") is told by its number
            summed = f"{shown}（其余{zeros}项为0）＝{parts_sum}"
        else:
            summed = f"{shown}＝{parts_sum}"
        gap = fmt_amount(abs(self.difference), b.total)
        if self.closed:
            why = "有“合计”" if self.closed == "合计" else "列有“其他”项" if self.closed == "其他" else f"{self.closed}构成全部"
            whole = "总数" if isinstance(b.total, S.Count) else "总额"
            text = f"分项{summed}，不等于{total}（{why}，分项之和应等于{whole}；相差{gap}"
        else:
            text = f"分项{summed}，大于{total}（相差{gap}"
        if self.severity is not None:
            tolerance = format((self.tolerance / b.total.unit).normalize(), "f")
            text += f"，未超过四舍五入的累计误差±{tolerance}，属尾差"
        return text + "）"


def _check_breakdown(b: S.Breakdown, partitions: tuple[tuple[str, ...], ...]) -> BreakdownCheck:
    difference = b.total.value - sum((a.value for _, a in b.parts), Decimal(0))
    # a printed 0 is nothing, not a rounded amount: it adds no rounding
    tolerance = b.total.half + sum((a.half for _, a in b.parts if a.value), Decimal(0))
    return BreakdownCheck(b, difference, tolerance, b.closed_by(partitions))


@primitive("stated_breakdowns", 0, 1)
def stated_breakdowns(ctx: Context, partitions: Any = ()) -> list[BreakdownCheck]:
    """Stated totals and their parts ("政府采购预算38.20万元，其中：货物预算7.80万元、工程预算0万元、
    服务预算30.40万元"), and stated changes and the changes of their parts ("比上年增加40.87万元，
    其中：基本支出增加34.48万元……", signed). `partitions`: lists of component words that make up their whole by
    definition (`[["货物", "工程", "服务"], …]`). `ok`: the parts add up to the total when the list
    is closed (a 合计, a catch-all “其他…” item, or labels naming one component each of a
    partition), else do not exceed it (an open list of changes is not judged: the parts it leaves
    out may have gone either way); a difference within the accumulated rounding is a 尾差 (a note).
    `closed` says why the list is closed ("" when it is not)."""
    known = tuple(tuple(str(c) for c in p) for p in partitions or ())
    return ctx.cached(("narrative-breakdowns", known),
                      lambda: [_check_breakdown(b, known) for b in document_statements(ctx).breakdowns])


ATTRIBUTES[BreakdownCheck] = _item_attributes(
    total=lambda ctx, b: b.item.total.text,
    closed=lambda ctx, b: b.closed,
    ok=lambda ctx, b: b.ok,
    explanation=lambda ctx, b: b.explanation,
)


# ---- an item's amount at its head and again in its sentence ----

@dataclass(frozen=True)
class RepeatCheck(_ItemCheck):
    item: S.Repeat
    ok: bool
    near: bool  # within the rounding of the two figures: a slip of the last digit, not another amount

    @property
    def anchor(self) -> str:
        return f"{self.item.head.text}｜{self.item.quote}"

    @property
    def severity(self) -> Severity | None:
        return Severity.WARNING if self.near else None


def _check_repeat(r: S.Repeat) -> RepeatCheck:
    near = r.head.lo <= r.again.hi and r.again.lo <= r.head.hi
    if r.head.half == r.again.half:
        # one figure written twice to the same precision rounds the same: any difference is a slip
        return RepeatCheck(r, r.head.value == r.again.value, near)
    return RepeatCheck(r, near, False)


@primitive("repeated_amounts", 0)
def repeated_amounts(ctx: Context) -> list[RepeatCheck]:
    """An item's amount given at its head ("…（项）H万元") and again in its sentence ("本年预算安排B万元"
    in a budget, "支出决算为B万元" in a final account; `.measure` says which). Written to the same
    precision the two must be equal; `.near`: they differ by no more than their rounding (a slip of
    the last digit, told more mildly)."""
    return ctx.cached("narrative-repeats", lambda: [_check_repeat(r) for r in document_statements(ctx).repeats])


ATTRIBUTES[RepeatCheck] = _item_attributes(
    head=lambda ctx, r: r.item.head.text,
    again=lambda ctx, r: r.item.again.text,
    measure=lambda ctx, r: r.item.measure,
    ok=lambda ctx, r: r.ok,
    near=lambda ctx, r: r.near,
)


# ---- the year a change is measured against ----

@dataclass(frozen=True)
class ComparedYear:
    year: int
    quote: str
    text: str
    location: Location
    also: tuple[str, ...] = ()  # the bases the same amount was compared with before this one ("上年", "2022年")

    @property
    def anchor(self) -> str:
        return self.quote


@primitive("compared_years", 0)
def compared_years(ctx: Context) -> list[ComparedYear]:
    """The years changes are measured against ("比2024年预算…"), once per paragraph and year; `.also`
    the other bases the same amount was compared with before it ("X万元，比上年……；比2019年（疫情前）……")."""

    def compute():
        out, seen = [], set()
        earlier: dict[tuple, list[str]] = {}  # (paragraph, sentence, amount) → bases compared with so far
        for c in document_statements(ctx).changes:
            label = c.before_label
            before: tuple[str, ...] = ()
            if c.after is not None:  # the same amount compared again
                bases = earlier.setdefault((c.location, c.text, c.after.start), [])
                before = tuple(b for b in bases if b != label)
                bases.append(label)
            if not (label.endswith("年") and label[:4].isdigit()):
                continue
            key = (c.location, label)
            if key in seen:
                continue
            seen.add(key)
            out.append(ComparedYear(int(label[:4]), c.quote, c.text, c.location, before))
        return out

    return ctx.cached("narrative-years", compute)


ATTRIBUTES[ComparedYear] = {
    "year": lambda ctx, y: y.year,
    "also": lambda ctx, y: list(y.also),
    "quote": lambda ctx, y: y.quote,
    "text": lambda ctx, y: y.text,
    "page": lambda ctx, y: y.location.page,
    "path": lambda ctx, y: S.compact("/".join(y.location.section)),  # headings compacted
}
