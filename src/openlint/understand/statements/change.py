"""Stated changes against an earlier year (`Change`), the year labels of their amounts, and the
reasons given for them."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from openlint.model import Location
from openlint.understand.statements.numbers import (
    _AMOUNT, _CHANGE_BEFORE, _DIR, _DIRECTION_WORDS, _PERCENT, _TAIL_DIR, FLAT, Amount, Percent,
    _amounts_within, amounts_in, percents_in,
)
from openlint.understand.statements.share import _scope_free, names_of_amounts
from openlint.understand.statements.passage import (
    _ITEM_START, _JUST_BEFORE, Passage, _clause_end, _in_brackets, _label_start, _quote, _sentence_at, sentences,
)

# ---- year labels ----

_YEAR_LABEL = re.compile(r"(?P<y>(?:19|20)\d{2})年(?:度)?|(?P<prev>上年度?|上一年度?|去年|上一度)|(?P<cur>本年度?|今年)")
# what may stand between a year and the amount it labels: no figure, no clause break, and no
# comparison ("与2019年相比增加540.23万元": the amount is a change, not 2019's; "比上年预算数加23.47万元",
# "比上年多2万元": a change too)
_LABEL_GAP = re.compile(rf"^(?!.*(?:比|{_DIR}))(?!.*[增减加多少]$)[^，,；;。：:\d%％]{{0,18}}$")


def _label_of(text: str, amount: Amount, floor: int, year: int | None) -> int | str | None:
    """The year an amount is labelled with ("2025年当年预算执行数为A" → 2025; 上年 → year-1), or None."""
    best = None
    # a label stands within a few characters of its amount (`_LABEL_GAP`): no need to look further back
    for m in _YEAR_LABEL.finditer(text, max(floor, amount.start - 40), amount.start):
        if _LABEL_GAP.match(text[m.end() : amount.start]):
            best = m
    if best is None:
        return None
    if best.group("y"):
        return int(best.group("y"))
    if best.group("prev"):
        return year - 1 if year else "prev"
    return year if year else "cur"


# ---- changes ----

# "比上年", "较2024年", or "同比"/"对比" right before a change (with the previous year; not the 同比 of
# "与上年同比", already anchored). "经比较2020年度……41万元，较上年减少19万元" names the year the
# figures are of, not the one compared with: 比较 is no comparison with the year after it.
_ANCHOR = re.compile(r"(?:比|(?<!比)较|与|同|相对于|相较)(?P<base>上年度?|上一年度?|上一度|去年|(?P<y>(?:19|20)\d{2})年度?)"
                     r"|(?<![年度])(?:按?同口径)?同比|(?<![年度])对比(?=[^，,。；;\d]{0,2}(?:增|减|下降|上升))")
# the base's own amount may follow the comparison: "比上年累计支出148万元下降24万元", "较2024年的2190万元减少…"
_TAIL = re.compile(
    rf"(?P<qual>[^，,。；;：:\d%％]{{0,16}}?)(?:的?(?P<base_n>{_AMOUNT}))?(?:相比|相较|比较)?[，,]?"
    rf"(?P<subj>[^，,。；;：:\d%％]{{0,24}}?)"
    rf"(?P<dir>{_TAIL_DIR})(?:[（(](?P<alt>{_DIR})[）)])?"
    rf"(?P<n>{_AMOUNT})?"
    rf"(?:[，,（(]?(?:同比)?(?P<dir2>{_TAIL_DIR})?(?:率|幅度|幅)?(?:[（(](?P<alt2>{_DIR})[）)])?(?P<p>{_PERCENT}))?"
)  # (the rate may repeat the comparison: "同比增加8.25万元，同比增长2.7%")


@dataclass(frozen=True)
class Change:
    """A stated change against an earlier year, and the amounts it must follow from.

    `before`/`after` are the earlier and later amounts when the sentence states them; `delta` and
    `rate` what it says the change is; `direction` the word's sign (None when a template leftover
    such as "下降（增长）" leaves it open)."""

    text: str  # the sentence
    quote: str  # the stated change, "比上年增加12.50%"
    location: Location
    direction: int | None
    word: str
    before: Amount | None = None
    after: Amount | None = None
    delta: Amount | None = None
    rate: Percent | None = None
    rate_direction: int | None = None
    rate_word: str = ""  # the rate's own direction word when it has one ("减少10万元，增长5%": 增长)
    before_label: str = "上年"
    after_label: str = "本年"
    reason: str = ""  # the clause that gives the change's reason, "" when none does (see `_reasons`)
    itemised: bool = False  # followed by "其中" and its parts, whose changes carry the reasons
    reason_word: str = ""  # "减少" when its reason says "减少的主要原因是…" of this change alone
    subject: str = ""  # what the amount is of, as printed before it: "财政拨款支出预算"
    approximate: bool = False  # "基本持平": equal give or take


@lru_cache(maxsize=1024)
def _change_matches(text: str) -> tuple[tuple[re.Match, re.Match], ...]:
    """(anchor, tail) of every stated change: "比上年" and the direction that follows in its clause.
    (Memoised: a passage's changes are read for the reasons of the passage before it, then for
    its own.)"""
    spans = sentences(text)
    out = []
    taken = -1  # where the last change read ends: a comparison inside it is part of it
    for m in _ANCHOR.finditer(text):
        if m.start() < taken:
            continue
        s_end = _sentence_at(spans, m.start())[1]
        t = _TAIL.match(text, m.end(), _clause_end(text, m.end(), s_end))
        if t:
            out.append((m, t))
            taken = t.end()
    return tuple(out)


# ---- the reasons given for changes ----

# A word introducing a cause or purpose. 系/因 only after a comma ("，系…", "，因…"): inside words
# (体系, 因公出国) they are not one.
# (Guangdong's template explains a change under "……大于上年决算数的主要情况：")
_CAUSE = r"原因|由于|因为|主要是|主要系|系因|是因|导致|所致|影响|为了|主要情况[：:]|[，,：:]系|[，,：:]因(?!公)"
_REASON = re.compile(_CAUSE + "|用于")  # (in the change's own sentence, what the money is for explains it)
# in a later sentence, "主要用于……" tells what the item is spent on (the 决算 template's line under
# each 三公 item), not why it changed
_LATER_REASON = re.compile(_CAUSE)
_REASON_BEFORE = re.compile(r"由于|因为|受[^，,。；;]{1,20}影响|为了")  # a cause stated before the change
_REASON_LEAD = re.compile(r"[\s，,：:]*[^，,。；;：:]{0,10}?原因")  # a clause opening with "（……的）主要原因"
_CLAUSE_END = "。！？!?；;"
_REASON_WORD = re.compile(r"(增加|减少|增长|下降|上升|降低|增多|减幅)的?(?:主要)?原因")
# right after the change: its parts follow ("其中：", "具体情况如下：", "具体为：")
_ANY_DIRECTION = re.compile(_DIR)
_OPENS_PARAGRAPHS = re.compile(r"(?:如下|其中)[：:]?\s*$")  # a passage whose items follow in the next paragraphs
_ITEMISED = re.compile(r"[）)]?[，,。；;：:]*(?:其中|具体情况如下|具体如下|分项情况如下|具体为|具体是|具体包括)")


def _reason_word_lead(text: str, start: int, end: int) -> re.Match | None:
    """"决算数小于预算数以及比上年减少的主要原因是……": a clause that opens with the reason for the
    changes before it, naming them by their direction words and no figure of its own."""
    found = _REASON_WORD.search(text, start, end)
    return found if found and not any(ch.isdigit() for ch in text[start:found.start()]) else None


_PART_END = re.compile(r"[；;。]")


def _first_part_end(text: str, start: int) -> int:
    """Where the first part after "其中"/"具体为" ends: a list whose first part states no change
    ("其中公务用车购置费0万元，公务用车运行费12.00万元；") gives amounts, not the reasons' carriers."""
    end = _PART_END.search(text, start)
    return end.start() if end else len(text)


def _reasons(text: str, matches: tuple[tuple[re.Match, re.Match], ...], following: str = "") -> list[tuple[str, bool, str]]:
    """(reason, itemised, the direction word of "减少的主要原因") for each change of `matches` over
    `text` (and the next paragraph, `following`).

    A change's reason is a cause or purpose word (_REASON) in its own clause after it, or before it
    ("由于…，比上年减少…"), or in the clauses that follow it up to the next clause stating a change
    with its own reason: "A减少1万元；B减少2万元。减少的主要原因是……" explains both, while in
    "A增加1万元；B增加2万元，主要原因是X" the reason is B's alone. A change that ends its paragraph
    with "其中：" is a total whose parts follow as items ("比上年增加25万元。其中：" + "（一）……"): the
    parts carry the reasons; so does a change followed at once by its parts ("减少17.3万元。其中：因公
    出国（境）费……"), whose own changes need their own reasons."""
    full = text + ("。" + following if following else "")
    clauses = sentences(full, _CLAUSE_END)
    anchors = [m.start() for m, _ in matches] + [m.start() + len(text) + 1 for m, _ in _change_matches(following)]

    starts = [a for a, _ in clauses]

    def clause_of(pos: int) -> int:
        return bisect_right(starts, pos) - 1

    in_clause: dict[int, list[int]] = {}  # clause → its anchors, in order
    for x in anchors:
        in_clause.setdefault(clause_of(x), []).append(x)

    def own_reason(i: int, after: int) -> re.Match | None:
        """A reason word in clause i after position `after` and before the next change in the clause."""
        a, b = clauses[i]
        nxt = min([x for x in in_clause.get(i, ()) if x > after] or [b])
        return _REASON.search(full, max(a, after), nxt)

    # The reason a change without one of its own finds in the clauses after clause j, computed once
    # for all changes from the last clause back: a clause with a change and its own reason keeps
    # that reason to itself; the next paragraph's changes end the search.
    following_reason: list[re.Match | None] = [None] * (len(clauses) + 1)
    for j in range(len(clauses) - 1, -1, -1):
        if j in in_clause and (lead := _REASON_LEAD.match(full, clauses[j][0], in_clause[j][0])
                               or _reason_word_lead(full, *clauses[j])):
            # "…增长12.08%。主要原因：项目支出增加，较上年增加1133.95万元，主要由于…": a clause that
            # opens with 原因 answers for the changes before it, whatever it says of its own
            following_reason[j] = lead
        elif j in in_clause:
            if clauses[j][0] > len(text) or any(own_reason(j, x) for x in in_clause[j]):
                following_reason[j] = None
            else:
                following_reason[j] = following_reason[j + 1]
        else:
            following_reason[j] = _LATER_REASON.search(full, *clauses[j]) or following_reason[j + 1]
    out = []
    for k, (m, t) in enumerate(matches):
        i = clause_of(m.start())
        a, b = clauses[i]
        # (parts in the paragraphs after it count; parts stating no change of their own, "其中：国内
        # 公务接待32批次", answer for nothing)
        parts = _ITEMISED.match(text, t.end())
        itemised = parts is not None and (not text[parts.end():].strip("：:，, ")
                                          or _ANY_DIRECTION.search(text, parts.end(), _first_part_end(text, parts.end()))
                                          is not None
                                          or _OPENS_PARAGRAPHS.search(text) is not None)
        found = own_reason(i, t.end())
        if found is None:
            previous = max([x for x in in_clause.get(i, ()) if x < m.start()] or [a])
            found = _REASON_BEFORE.search(full, previous, m.start())
        if found is None:
            found = following_reason[i + 1]
        reason = reason_word = ""
        if found is not None:
            c = clause_of(found.start())
            reason = _quote(full, clauses[c][0], clauses[c][1])
            # "…减少990万元。减少的主要原因是…": the word the reason repeats, when it speaks of this
            # change alone (no other change between them, no 其中 list whose parts it may be of)
            # and names one direction
            if not any(t.end() <= x < found.start() for x in anchors) and "其中" not in full[t.end() : found.start()]:
                words = {w.group(1) for w in _REASON_WORD.finditer(full, *clauses[c])}
                if len({_DIRECTION_WORDS[w] for w in words}) == 1:
                    reason_word = min(words)
        out.append((reason, itemised, reason_word))
    return out


def changes(passage: Passage, year: int | None, following: str = "") -> list[Change]:
    """The stated changes of a passage; `following` is the next paragraph, which may give their reason."""
    text = passage.text
    spans = sentences(text)
    out = []
    matches = _change_matches(text)
    reasons = _reasons(text, matches, following)
    figures: dict[int, tuple[list[Amount], list[int], list]] = {}  # sentence → its amounts, their ends, year labels

    def amounts_before(s_start: int, s_end: int, anchor: int) -> tuple[list[Amount], list]:
        """`_amounts_within(text, s_start, anchor)` with their year labels, the sentence read once
        (a sentence may hold hundreds of comparisons)."""
        if s_start not in figures:
            found = _amounts_within(text, s_start, s_end)
            figures[s_start] = (found, [a.end for a in found], [_label_of(text, a, s_start, year) for a in found])
        found, ends, labels = figures[s_start]
        n = bisect_right(ends, anchor)
        found, labels = found[:n], labels[:n]
        # "…10万比上年…": 万 before the comparison ends an amount only when the text stops there
        tail = _amounts_within(text, max(s_start, anchor - 30), anchor)
        if tail and tail[-1].end == anchor and (not found or found[-1].end != anchor):
            found, labels = found + [tail[-1]], labels + [_label_of(text, tail[-1], s_start, year)]
        return found, labels

    for (m, t), (reason, itemised, reason_word) in zip(matches, reasons):
        s_start, s_end = _sentence_at(spans, m.start())
        word = t.group("dir")
        approximate = word == "基本持平"  # equal give or take: how near is near enough is the rule's
        direction = FLAT if approximate else None if t.group("alt") else _DIRECTION_WORDS[word]
        delta = rate = None
        if t.group("n"):
            delta = amounts_in(t.group("n"))[0]
        if t.group("p"):
            rate = percents_in(t.group("p"))[0]
        rate_direction = direction
        if t.group("dir2"):
            rate_direction = None if t.group("alt2") else _DIRECTION_WORDS.get(t.group("dir2"))
        elif t.group("alt2"):
            rate_direction = None
        if t.group("dir2") == "基本持平":
            rate = None
        base_year: int | str | None = int(m.group("y")) if m.group("y") else (year - 1 if year else "prev")
        before_label = (m.group("base") or "上年") if not m.group("y") else f"{m.group('y')}年"
        # the amounts the sentence states before the comparison, with their year labels
        found, labels = amounts_before(s_start, s_end, m.start())
        before = after = None
        for a, label in zip(reversed(found), reversed(labels)):  # the last of each kind
            if label is None:
                continue
            if label == base_year:
                before = before or a
            elif (isinstance(label, int) and isinstance(base_year, int) and label == base_year + 1) or label == "cur" or (
                base_year == "prev" and label == "cur"
            ):
                after = after or a
            if before is not None and after is not None:
                break
        after_label = "本年"
        if after is not None:
            after_label = f"{base_year + 1}年" if isinstance(base_year, int) and m.group("y") else "本年"
        if before is None or after is None or before.start > m.start() or after.start > m.start():
            before = None
            after = _amount_before(text, found, m.start(), s_start, spans, t.group("subj"), base_year, year)
            if after is not None and after.start >= s_start and _label_of(text, after, s_start, year) == base_year:
                # "…合计141.55万元，2014年为107.89万元，较2014年增加…": the base, not this year's amount
                # (said so when the sentence gives another amount first; alone, its year may be the slip)
                before = after if any(a.end <= after.start for a in found) else None
                after = None
            if after is not None and after.start >= s_start and len(found) == 1:
                before = _base_before(text, spans, s_start, m.start(), after, base_year, year)
            elif after is None and not found:
                before, after = _years_before(text, spans, s_start, m.start(), t.group("subj"), base_year, year)
                if after is not None and isinstance(base_year, int) and m.group("y"):
                    after_label = f"{base_year + 1}年"
        if after is not None and before is None and _last_of_a_list(text, found, after, s_start, m.start()):
            after = None  # the change may be of the list's last item or of the total it itemises
        if t.group("base_n"):  # stated with the comparison itself
            b = amounts_in(t.group("base_n"))[0]
            before = Amount(b.value, b.half, b.text, t.start("base_n"), t.end("base_n"))
            if after is None:
                after = _amount_before(text, found, m.start(), s_start, spans, t.group("subj"), base_year, year)
        compared = _kind(t.group("qual") + t.group("subj"))  # "较上年预算数减少": a budget
        if before is not None and not t.group("base_n") and compared and \
                _kind(text[_label_start(text, before.start, s_start) : before.start]) not in (None, compared):
            # "2024年执行数A万元，2025年预算数B万元，较上年预算数减少…": last year's budget is not A
            before = None
        quote_end = t.end()
        if text[quote_end : quote_end + 1] in ("）", ")") and _in_brackets(text, m.start(), quote_end):
            quote_end += 1  # "减少1.5万元（42.86%）": the bracket closed
        quote = _quote(text, m.start(), quote_end)
        subject = ""
        if after is not None:
            subject = text[_label_start(text, after.start, 0) : after.start]
        out.append(
            Change(
                text=_quote(text, s_start, s_end, 160),
                quote=quote,
                location=passage.location,
                direction=direction,
                word=word,
                before=before,
                after=after,
                delta=delta,
                rate=rate,
                rate_direction=rate_direction,
                rate_word=t.group("dir2") or "",
                before_label=before_label,
                after_label=after_label,
                reason=reason,
                itemised=itemised,
                reason_word=reason_word,
                subject=subject,
                approximate=approximate,
            )
        )
    return out


_COPULA = r"(?:为|是|共计|合计|总计)?"


def _kind(words: str) -> str | None:
    """What kind of figure the words name: "actual" (决算数, 执行数, 预算执行数), "budget" (预算数), or None."""
    if "决算" in words or "执行" in words:
        return "actual"
    return "budget" if "预算" in words else None
_LIST_HEAD = re.compile(r"其中[：:]?")


def _last_of_a_list(text: str, found: list[Amount], after: Amount, s_start: int, anchor: int) -> bool:
    """`after` is the last of two or more amounts listed after “其中” that itemise an amount before
    it, with no comparison of their own: “事业运行经费总预算安排A元，其中：基本支出预算B元，项目支出预算
    C元，同比增加D元，增长P%” — whether the change is C's or A's, the words do not say (here A's)."""
    heads = [h for h in _LIST_HEAD.finditer(text, s_start, after.start)]
    if not heads:
        return False
    head = heads[-1]
    if not any(a.end <= head.start() for a in found):
        return False  # nothing itemised before the 其中
    parts = [a for a in found if head.end() <= a.start and a.end <= after.end]
    if len(parts) < 2 or parts[-1].start != after.start:
        return False
    between = text[parts[0].start : anchor]
    return not (_ANCHOR.search(between) or re.search(_DIR, between))


def _amount_before(text: str, found: list[Amount], anchor: int, s_start: int, spans, subject: str,
                   base_year: int | str | None = None, year: int | None = None) -> Amount | None:
    """The amount the change is about: printed right before "，比…", or, for a sentence that opens
    with the comparison ("与2023年度相比，<subject>增加…", "比2024年预算增加N万元…"), an amount of
    the sentence before: right after the same subject when the change names one, else the one amount
    that sentence ends with (`_sole_amount_before`)."""
    if found and _JUST_BEFORE.match(text[found[-1].end : anchor]) and not _CHANGE_BEFORE.search(text, max(0, found[-1].start - 24), found[-1].start):
        # (a figure that is itself a change, "总额为5.48万元，比预算增加0万元，比去年增加…", is not
        # what the next comparison is of: see `_before_other_comparisons`)
        return found[-1]
    if found and (own := _before_other_comparisons(text, found, anchor)) is not None:
        return own
    if found or _topic(text[s_start:anchor]):
        return None  # the sentence names its own subject before the comparison: not the sentence before's
    previous = [sp for sp in spans if sp[1] <= s_start]
    if not previous:
        return None
    p_start, p_end = previous[-1]
    if not _topic(subject):
        # "…收入预算1,234.56万元。比2024年预算增加100.00万元": no subject of its own, the amount before
        return _sole_amount_before(text, p_start, p_end, lambda label: label is None or _is_later(label, base_year, year), year)
    if len(subject) < 2:
        return None
    # the subject's amount of the later year: "2024年度收入支出总计A万元，2025年度收入支出总计B万元。
    # 与2024年度相比，收入支出总计增加…" is about B (one such amount, else it is a guess)
    candidates = []
    for m in re.finditer(re.escape(subject) + _COPULA + rf"(?P<a>{_AMOUNT})", text[p_start:p_end]):
        a = amounts_in(m.group("a"))[0]
        a = Amount(a.value, a.half, a.text, p_start + m.start("a"), p_start + m.end("a"))
        label = _label_of(text, a, p_start, year)
        if label is None or _is_later(label, base_year, year):
            candidates.append(a)
    if candidates:
        return candidates[0] if len(candidates) == 1 else None
    # the subject named in other words: "财政拨款收入、支出决算总计A万元。与2022年度相比，财政拨款收、支
    # 总计各增加…" (the sentence's one amount, of the same topic once 收入/支出 are abbreviated)
    a = _sole_amount_before(text, p_start, p_end, lambda label: label is None or _is_later(label, base_year, year), year)
    if a is not None and _short_topic(text[_label_start(text, a.start, p_start) : a.start]) == _short_topic(subject):
        return a
    return None


# a comparison clause of the same amount: "，较年初预算数减少10.93万元", "，下降54.65%", "，完成…的73.2%"
_COMPARISON_CLAUSE = re.compile(
    rf"[，,；;](?:(?:较|比|与|同比)[^，,；;。]*?(?:{_DIR}|[增减加多少](?=\d))[^，,；;。]*|(?:{_DIR})[^，,；;。\d]*{_PERCENT}|完成[^，,；;。]*"
    rf"|占[^，,；;。\d%％]{{0,20}}?{_PERCENT})"  # … or its share of a whole: "，占支出总预算10.73%"
)
_IN_COMPLETION = re.compile(r"完成[^，,；;。]*$")  # "完成全年预算84.82万元的73.2%": the budget, no amount of its own


def _before_other_comparisons(text: str, found: list[Amount], anchor: int) -> Amount | None:
    """"9.07万元，较年初预算数减少10.93万元，下降54.65%，较上年支出数减少0.71万元": the amount
    before a run of comparison clauses of its own, for the next comparison."""
    for a in reversed(found):
        if _CHANGE_BEFORE.search(text, max(0, a.start - 24), a.start) or _IN_COMPLETION.search(text, max(0, a.start - 40), a.start):
            continue  # a change of an earlier comparison, or the budget of a completion rate
        between = text[a.end : anchor]
        rest = _COMPARISON_CLAUSE.sub("", between).strip()
        return a if between and rest in ("", "，", ",", "；", ";") else None
    return None


# What is left of the words naming an amount once the year, the org before it and the words any
# amount may carry are left out: "上海市某局2024年度收入支出总计" → "收入支出", "上年预算为" → "".
_TOPIC_PREFIX = re.compile(r"^.*(?:(?:19|20)\d{2}年度?|上一?年度?|去年|本年度?|今年)")
_TOPIC_NOISE = re.compile(r"相比|相较|比较|当年|全年|年初|预算|决算|执行|安排|共计|合计|总计|数|为|是|的|达|约|[“”\"，,：:（）()、]")


def _topic(label: str) -> str:
    return _TOPIC_NOISE.sub("", _TOPIC_PREFIX.sub("", _ITEM_START.sub("", label)))


_RECEIPTS_AND_SPENDING = re.compile(r"(收|支)(?:入|出)")
_EACH = re.compile(r"[各均都]")


def _short_topic(label: str) -> str:
    """`_topic`, with 收入/支出 as 收/支 and without 各/均: "收入、支出决算总计" and "收、支总计各" are one."""
    return _EACH.sub("", _RECEIPTS_AND_SPENDING.sub(r"\1", _topic(label)))


def _sole_amount_before(text: str, p_start: int, p_end: int, label_ok, year: int | None) -> Amount | None:
    """The amount the sentence `text[p_start:p_end]` ends with, when it is the sentence's only amount,
    the sentence states no change of its own and `label_ok` accepts the amount's year label. A change
    whose amounts are in the sentence before is read only so: with two amounts, or a change between,
    which one it is about is a guess, and a wrong pairing makes a false alarm."""
    found = _amounts_within(text, p_start, p_end)
    if len(found) != 1 or _ANCHOR.search(text, p_start, p_end):
        return None
    a = found[0]
    if text[a.end : p_end].strip("。！？!?；;，, ") or not label_ok(_label_of(text, a, p_start, year)):
        return None
    return a


def _is_later(label, base_year, year: int | None) -> bool:
    """The year label `label` (see `_label_of`) is the year compared with `base_year`."""
    return label == "cur" or (isinstance(base_year, int) and label == base_year + 1) or (
        base_year == "prev" and year is not None and label == year)


def _years_before(text: str, spans, s_start: int, anchor: int, subject: str, base_year,
                  year: int | None) -> tuple[Amount | None, Amount | None]:
    """(earlier, later) of "2024年预算为A万元，2025年预算为B万元。比2024年增长P%": a change with no
    amount and no subject of its own whose sentence before gives exactly two amounts, ending with
    them, one labelled with the compared year and one with the later year, of the same subject."""
    none = (None, None)
    if base_year is None or _topic(text[s_start:anchor]) or _topic(subject):
        return none
    previous = [sp for sp in spans if sp[1] <= s_start]
    if not previous:
        return none
    p_start, p_end = previous[-1]
    found = _amounts_within(text, p_start, p_end)
    if len(found) != 2 or _ANCHOR.search(text, p_start, p_end) or text[found[-1].end : p_end].strip("。！？!?；;，, "):
        return none
    labels = [_label_of(text, a, p_start, year) for a in found]
    if labels[0] == base_year and _is_later(labels[1], base_year, year):
        before, after = found
    elif labels[1] == base_year and _is_later(labels[0], base_year, year):
        after, before = found
    else:
        return none
    topics = [_topic(text[_label_start(text, a.start, p_start) : a.start]) for a in (before, after)]
    return (before, after) if not all(topics) or topics[0] == topics[1] else none


def _base_before(text: str, spans, s_start: int, anchor: int, after: Amount, base_year, year: int | None) -> Amount | None:
    """The earlier amount of "上年预算为A万元。本年安排B万元，比上年增长P%": the one amount the sentence
    before ends with, labelled with the compared year, of the same subject as B (the same words, or
    no words of its own on one side) — only when B is labelled as the later year and the change is
    the first of its sentence."""
    if _ANCHOR.search(text, s_start, anchor) or base_year is None:
        return None
    if not _is_later(_label_of(text, after, s_start, year), base_year, year):
        return None
    previous = [sp for sp in spans if sp[1] <= s_start]
    if not previous:
        return None
    p_start, p_end = previous[-1]
    a = _sole_amount_before(text, p_start, p_end, lambda lab: lab == base_year, year)
    if a is None:
        return None
    mine = _topic(text[_label_start(text, after.start, s_start) : after.start])
    theirs = _topic(text[_label_start(text, a.start, p_start) : a.start])
    return a if not mine or not theirs or mine == theirs else None


# ---- a part's change whose amount the text gave before, under the same name ----

# "…其中：公务接待费支出决算增加0.3万元，增长100%": a change and its rate with no comparison word, the
# label right before it (from the last comma, semicolon or colon)
_NAMED_CHANGE = re.compile(
    rf"(?P<label>[^，,；;：:。！？\d%％]{{2,30}}?)(?P<word>增加|减少)(?P<d>{_AMOUNT})[，,]?\s*"
    rf"(?P<rword>增长|下降|降低|上升)(?P<p>{_PERCENT})"
)
_NOT_A_NAME = re.compile(r"比|较|同比|与|相比|上年|去年|年度|其中|主要|原因|分别|合计|共计")
_COMPARED_BEFORE = re.compile(r"比|较|相比")


def named_changes(passage: Passage, named_before: Callable[[str], list[Amount]]) -> list[Change]:
    """Changes stated without the amounts they are of ("公务接待费支出决算增加0.3万元，增长100%", the
    parts of a change's 其中 list) whose label names exactly one amount the text gave before under
    that very name ("公务接待费支出决算为0.3万元"), earlier in the passage or before it: that amount is
    the later year's, so the rate must follow from it and the change. `named_before(name)`: the
    amounts stated under `name` in the passages before."""
    text = passage.text
    out = []
    for m in _NAMED_CHANGE.finditer(text):
        label = _scope_free(m.group("label").strip("“”\"（）()"))
        if _NOT_A_NAME.search(label):
            continue
        s_start, s_end = _sentence_at(sentences(text), m.start())
        lead = text[s_start : m.start()]
        if _COMPARED_BEFORE.search(lead[lead.rfind("其中") + 1 :]):
            continue  # "与2023年度相比，收入支出总计减少…": a change read with its comparison
        found = {a.value: a for a in named_before(label)}
        found.update((a.value, a) for name, a in names_of_amounts(text[: m.start()]) if name == label)
        if len(found) != 1 or not next(iter(found)):
            continue
        after = next(iter(found.values()))
        delta = _amounts_within(text, m.start("d"), m.end("d"))[0]
        rate = percents_in(m.group("p"))[0]
        direction = _DIRECTION_WORDS[m.group("word")]
        out.append(Change(
            _quote(text, s_start, s_end, 160), _quote(text, m.start(), m.end()), passage.location, direction,
            m.group("word"), after=Amount(after.value, after.half, after.text), delta=delta,
            rate=Percent(rate.value, rate.half, rate.text, m.start("p"), m.end("p")),
            rate_direction=_DIRECTION_WORDS[m.group("rword")], rate_word=m.group("rword"),
            after_label=f"前文“{label}”", subject=label,
        ))
    return out
