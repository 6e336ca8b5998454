"""Breakdowns: "X万元，其中：A万元、B万元、C万元" or "共有车辆5辆，其中：A1辆、B4辆", a total and its
listed parts, or a change and the changes of its parts (`Breakdown`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from openlint.model import Location
from openlint.understand.statements.numbers import (
    _AMOUNT, _COUNT, _DIR, _DIRECTION_BEFORE, _DIRECTION_WORDS, _NUMBER, _PERCENT, DOWN, FLAT, UP, Amount, Count,
    _amounts_within, amounts_in, counts_in,
)
from openlint.understand.statements.passage import (
    ASIDE, Passage, _clause_end, _in_brackets, _label_start, _quote, _sentence_at, sentences,
)

# ---- "X万元，其中：A万元、B万元、C万元" ----

# the next sentence opening with the figure's name again: "财政拨款支出预算X万元，比2024年预算增加D万元。
# 财政拨款支出预算中，一般公共预算拨款支出预算…" (`_restates_subject` checks that the name is the figure's)
_RESTATED = r"。(?P<restated>[^\d，,。；;：:]{2,24}?)中[，,：:]"
_NAME = re.compile(r"[^\d，,]*")
# (the lookahead for a digit first lets the regex engine skip to the digits of the text)
# (its change may come first: "“三公”经费预算数为47.91万元，比2023年预算增加25万元。其中：…"; or its
# completion rate: "支出决算为37.35万元，完成预算的69.26%，其中：…")
_BREAKDOWN_HEAD = re.compile(
    rf"(?=\d)(?P<total>{_AMOUNT}|{_COUNT})(?P<gap>[^\d。；;%％其]{{0,24}}?)"
    rf"(?P<compared>[，,](?:比|较|与|同比)[^。；;%％其，,]{{0,30}})?"
    rf"(?P<completed>[，,]完成(?:年初|全年|调整后?)?预算(?:数)?的?{_PERCENT}[，,]?)?(?:。?其中[：:，,]?|{_RESTATED})"
)
# a change broken down ("比上年增加40.87万元，其中：基本支出增加34.48万元…", "基本支出增加34.48万元，主要为
# 工资福利支出增加24.84万元…"), its rate or its reason perhaps given first ("减少0.15万元，下降27.78%，
# 其中：…", "比2023年预算增加25万元，主要原因是购置公务用车。其中：…"): a 主要为 list names the main
# parts only, within its clause
_CHANGE_BREAKDOWN_HEAD = re.compile(
    rf"(?P<total>{_AMOUNT})(?P<rate>[，,][^\d，,。；;%％其]{{1,10}}{_PERCENT})?(?P<gap>[^\d。；;%％其]{{0,24}}?)"
    rf"(?P<reason>[，,]主要原因[^。；;其]{{0,80}})?(?:。?(?P<word>其中|主要(?:为|是|包括|有))[：:，,]?|{_RESTATED})"
)
# no change at all, its parts' changes cancelling out: "…万元，与2024年预算持平。其中：因公出国（境）费
# 0万元，与2024年预算持平；…"
_FLAT_BREAKDOWN_HEAD = re.compile(
    r"(?:比|较|与|同比)[^，,。；;%％其]{0,16}?(?P<total>持平|不变|无变化)(?P<gap>)。?(?P<word>其中)[：:，,]?"
)
# a part that did not change, without an amount: "因公出国（境）费支出与上一年度持平"
_UNCHANGED_ITEM = re.compile(
    r"(?:(?<=[：:；;，,、])|^)(?P<label>[^：:；;，,、。\d]{2,30}?)(?:比|较|与|同)[^：:；;，,、。]{0,12}?(?:持平|不变|无变化)"
)
_PART_DIRECTION = re.compile(rf"(?P<dir>{_DIR})[\u4e00-\u9fff]{{0,2}}$")  # "项目支出增多", "…项目增多支出"
# a part given with its amount and then its change: "公务用车购置费25万元，比2023年预算增加25万元", "…，比上年持平"
_PART_CHANGE_AFTER = re.compile(rf"[，,]?(?:比|较|与|同比)[^，,；;。%％万元]{{0,16}}?(?P<dir>{_DIR})了?")
# a share, a unit price or an average: no part ("占…", "单价50万元", "平均每辆2.08万元")
_SHARE_OR_RATE = r"占(?!用)|单价|平均|人均|每(?:辆|人|次|批|个)"  # (not 耕地占用税, 国有资产占用)
_NOT_A_CHANGE_PART = re.compile(_SHARE_OR_RATE)
_PART_SEPARATORS = "、；;，,：:"
_THRESHOLD_AFTER = re.compile(r"[（(]?(?:以上|以下|以内|含）|含\))")  # "单价50万元以上": a threshold, not a part
# a change ("比上年增加", or a bare "增加"), a share, a unit price or an average; not any direction
# word: "支持商销稳增长30.00万" is a part. (A bracketed aside is left out by `_in_brackets`.)
_NOT_A_PART = re.compile(rf"比|较|同比|与(?:上年|上一年|\d{{4}}年)|{_SHARE_OR_RATE}|^(?:{_DIR})了?$")
_COMPARED = re.compile(r"比|较|同比|相比")
_ADJUSTED = re.compile(r"调整为")
# "基本支出72.70万元，主要是人员经费69.30万元…": a part's own parts; not the cars of 主要领导干部 or
# 主要负责人 (主要 naming a person, not opening a list). The figures of a part's reason are its own
# too: "调“三保”及刚性支出0.61亿元，调整的原因：…“三保”支出调减0.17亿元，其他刚性支出调增0.78亿元；"
_SUBLIST = re.compile(r"主要(?!领导|负责)|包括|具体|含|用于|原因")
_BARE_NUMBER = re.compile(rf"(?<![\d.,])(?:{_NUMBER})(?=[，；;、。]|,(?!\d)|$)")  # "一般公共预算收入89.45，": a figure without its unit
_BARE_LABEL = re.compile(r"^(?:年初|全年|调整后?|变动后)?(?:预算|决算|支出决算|执行)数?(?:为|是)?$")
# a closing total ("…，合计2921.00万"), not an item named with it ("本年收入合计4170.87万元")
_CLOSING = re.compile(r"^(?:以上|上述|总)?(?:合计|共计|总计|累计)(?:为|是|共|约|达|计)*$")
_COPULA_END = re.compile(r"(?:为|是|共|约|达|计)+$")
@dataclass(frozen=True)
class Breakdown:
    """"X万元，其中：A万元、B万元、C万元": a stated total and the parts listed after its 其中; or a
    stated change and the changes of its parts ("增加40.87万元，其中：基本支出增加34.48万元；项目支出增加
    6.39万元", `change`). A total counted in things ("共有车辆5辆，其中：执法执勤用车1辆、其他用车3辆")
    has the counts of the same measure word for its parts.

    `closed` says what in the text makes the parts the whole list ("" when nothing does): a closing
    合计 or a catch-all "其他…" item. `closed_by` adds the lists a rule knows to be whole by
    definition (货物、工程、服务 of 政府采购 …)."""

    text: str
    quote: str
    location: Location
    total: Amount | Count
    parts: tuple[tuple[str, Amount | Count], ...]  # (label, figure)
    closed: str = ""
    change: bool = False  # a change broken down: the total and parts are signed (a 减少 negative)

    def closed_by(self, partitions: Iterable[Iterable[str]]) -> str:
        """Why the parts should add up to the total: `closed`, or the partition (component words,
        e.g. 货物、工程、服务) whose words the labels name one each; "" when they need only not
        exceed it."""
        if self.closed:
            return self.closed
        labels = [label for label, _ in self.parts]
        for components in partitions:
            components = tuple(components)
            if len(labels) == len(components) and all(
                sum(c in label for c in components) == 1 for label in labels
            ) and all(any(c in label for label in labels) for c in components):
                return "、".join(components)
        return ""


def _closure(labels: list[str], closing: bool) -> str:
    if closing:
        return "合计"
    if len(labels) >= 2 and labels[-1].startswith("其他"):
        return "其他"
    return ""


def breakdowns(passage: Passage) -> list[Breakdown]:
    """The stated totals of a passage whose parts follow a 其中 (see `Breakdown`)."""
    text = passage.text
    spans = sentences(text)
    out = []
    for m in _BREAKDOWN_HEAD.finditer(text):
        total_start = m.start("total")
        s_start, s_end = _sentence_at(spans, total_start)
        if _DIRECTION_BEFORE.search(text[max(s_start, total_start - 4) : total_start]) or text[
            max(0, total_start - 2) : total_start
        ] == "单价" or _THRESHOLD_AFTER.match(text, m.end("total")):
            continue  # a change ("增加10万元，其中：…") or a threshold is not a whole
        total = _total_at(text, m)
        counted = isinstance(total, Count)
        if _other_heads(text, m, s_start, total, changes=False):
            continue
        head = _label_start(text, total_start, s_start)
        if not _restates_subject(text, m, head):
            continue
        end = _list_end(text, m, _nested(text, m, s_start))
        if counted:
            # A list of counts has no siblings to stop at (`_sibling` knows 支出 and 收入): it ends with
            # the clause whose 、 or ， separate its items ("…、其他用车3辆；单价100万元（含）以上设备2台（套）",
            # "在职20人，其中：行政10人，事业8人；离退休5人"), and runs on when ； is its separator.
            clause_end = _clause_end(text, m.end(), end)
            if any(c in text[m.end() : clause_end] for c in "、，,"):
                end = clause_end
        if _BARE_NUMBER.search(text, m.end(), end):
            continue  # a part printed without its unit: the list cannot be read whole
        if _ADJUSTED.search(text, s_start, end):
            continue  # a budget adjusted: each figure's before and after ("由年初的A万元调整为B万元", "调整为B万元，调增C万元")
        if "小计" in text[m.end() : end]:
            # "实有人数25人，其中：在职人数小计14人，行政在职人数5人，…事业单位在职人数8人": a subtotal
            # and its own parts listed alike, levels the words do not tell apart
            continue
        listed = _listed_parts(text, m.end(), end, total, _COPULA_END.sub("", text[head:total_start]))
        if listed is None or not listed[0]:
            continue
        parts, closing = listed
        # quoted from the total's own label: "…政府采购预算38.20万元，其中："
        out.append(Breakdown(_quote(text, s_start, s_end, 160), text[head : m.end()], passage.location, total,
                             tuple(parts), _closure([label for label, _ in parts], closing)))
    return out


def _restates_subject(text: str, head: re.Match, label_start: int) -> bool:
    """Whether a head that opens its list by naming a figure again ("财政拨款支出预算中，") names the
    figure it follows: its words before the amount, or the subject of its change."""
    restated = head.groupdict().get("restated")
    if restated is None:
        return True
    name = _NAME.match(text, label_start, head.start("total")).group(0)
    return restated == _COPULA_END.sub("", name)


def _nested(text: str, head: re.Match, s_start: int) -> bool:
    """Whether a list opened in the sentence of a list that a 其中 opened before it is nested in that
    list's clause: not when it opens a sentence of its own ("……增加D万元。其中：A…；B…")."""
    return "。" not in head.group(0) and "其中" in text[s_start : head.start("total")]


def _total_at(text: str, head: re.Match) -> Amount | Count:
    """The figure a breakdown's head matched as its `total`: a count ("5辆") or an amount."""
    start, end = head.start("total"), head.end("total")
    counted = counts_in(text, start, end)
    if counted:
        return counted[0]
    t = amounts_in(head.group("total"))[0]
    return Amount(t.value, t.half, t.text, start, end)


def _other_heads(text: str, head: re.Match, s_start: int, total: Amount | Count, *, changes: bool) -> bool:
    """Whether a 其中 that opens the next sentence ("……X万元。其中：") may belong to another figure of
    the sentence before than the one right before it: another amount (or, for a change, another
    change) in that sentence. "…总额为7783.26万元，…2、本年增加了其他资金预算7000万元。其中：财政拨款
    收入751.8万元…" lists the parts of 7783.26, not of 7000."""
    if "。" not in head.group(0)[len(head.group("total")):]:
        return False
    for a in _figures_like(total, text, s_start, head.start("total")):
        is_change = _DIRECTION_BEFORE.search(text[max(s_start, a.start - 4) : a.start]) is not None
        if is_change == changes:
            return True
    return False


def _list_end(text: str, head: re.Match, within_clause: bool) -> int:
    """Where the parts listed after a breakdown's head end: at the end of its sentence, before a
    nested list (another 其中), at the bracket that closes a "（其中：…）", and at the end of its
    clause when `within_clause` (a list nested in another, a 主要为 list)."""
    end = text.find("。", head.end())
    end = len(text) if end < 0 else end
    nested = text.find("其中", head.end(), end)
    if nested >= 0:
        end = nested
    if "(" in head.group("gap") or "（" in head.group("gap"):
        closing = [i for i in (text.find(c, head.end(), end) for c in ")）") if i >= 0]
        end = min(closing, default=end)
    if within_clause:
        end = _clause_end(text, head.end(), end)
    return end


def change_breakdowns(passage: Passage) -> list[Breakdown]:
    """The stated changes of a passage whose parts' changes follow a 其中 or 主要为 (see `Breakdown`);
    a list whose parts do not each say 增加 or 减少 is not read."""
    text = passage.text
    spans = sentences(text)
    out = []
    heads = list(_CHANGE_BREAKDOWN_HEAD.finditer(text))
    if "其中" in text:
        heads = sorted(heads + list(_FLAT_BREAKDOWN_HEAD.finditer(text)), key=lambda m: m.start())
    for m in heads:
        total_start = m.start("total")
        s_start, s_end = _sentence_at(spans, total_start)
        if m.re is _FLAT_BREAKDOWN_HEAD:
            total = Amount(Decimal(0), Decimal(0), m.group("total"), total_start, m.end("total"))
        else:
            direction = _DIRECTION_BEFORE.search(text[max(s_start, total_start - 4) : total_start])
            if direction is None or _DIRECTION_WORDS.get(direction.group(0)) not in (UP, DOWN):
                continue
            t = amounts_in(m.group("total"))[0]
            sign = _DIRECTION_WORDS[direction.group(0)]
            total = Amount(sign * t.value, t.half, t.text, total_start, m.end("total"))
        if _THRESHOLD_AFTER.match(text, m.end("total")) or _other_heads(text, m, s_start, total, changes=True):
            continue
        head = _label_start(text, total_start, s_start)
        if _COMPARED.match(text, head) and head > s_start:  # "…费46.56万元，比2023年预算增加25万元": quoted from its subject
            head = _label_start(text, head - 1, s_start)
        if not _restates_subject(text, m, head):
            continue
        end = _list_end(text, m, m.group("word") not in ("其中", None) or _nested(text, m, s_start))
        if _BARE_NUMBER.search(text, m.end(), end):
            continue
        listed = _listed_changes(text, m.end(), end)
        if not listed:
            continue
        out.append(Breakdown(_quote(text, s_start, s_end, 160), text[head : m.end()], passage.location, total,
                             tuple(listed), _closure([label for label, _ in listed], False), change=True))
    return out


# ---- "车辆7辆（一般公务用车3辆，执法执勤用车4辆，…）": the parts in brackets right after the total ----

_BRACKETED_HEAD = re.compile(rf"(?=\d)(?P<total>{_AMOUNT}|{_COUNT})[（(](?!其中)")
# an item of a bracketed list: a label of words, then its figure (checked before the list is read)
_BRACKETED_ITEM = re.compile(r"[^\d，,、；;。（()）%％]{1,20}?(?:\d[\d,.．]*)\s*[^\d，,、；;。（()）]{0,6}")
_NOT_A_BRACKETED_PART = re.compile(
    r"\d{4}|上年|去年|本年|当年|比|较|同比|含|其中|占|每|平均|人均|单价|年初|调整|全年预算|预算数|决算数|执行|完成"
)


def bracketed_breakdowns(passage: Passage) -> list[Breakdown]:
    """A total whose parts follow in brackets without a 其中 ("车辆7辆（一般公务用车3辆，执法执勤用车4辆，
    特种专业技术用车0辆，其他用车0辆）", "…支出100万元（人员经费60万元、公用经费40万元）"): at least two items,
    each a label and a figure of the total's kind and nothing else; a year, a comparison, a share
    or a 含 in the brackets makes them an aside, not parts."""
    text = passage.text
    if "（" not in text and "(" not in text:
        return []
    spans = sentences(text)
    out = []
    for m in _BRACKETED_HEAD.finditer(text):
        close = min((i for i in (text.find(c, m.end()) for c in "）)") if i >= 0), default=-1)
        inner = text[m.end() : close]
        if close < 0 or "（" in inner or "(" in inner or _NOT_A_BRACKETED_PART.search(inner):
            continue
        items = [i for i in re.split("[，,、；;]", inner) if i]
        if len(items) < 2 or not all(_BRACKETED_ITEM.fullmatch(i) for i in items):
            continue
        total_start = m.start("total")
        total = _total_at(text, m)
        listed = _listed_parts(text, m.end(), close, total)
        if listed is None or len(listed[0]) != len(items):
            continue  # an item of another kind ("7辆（2辆待报废）"…) or without a figure: not a list
        parts = listed[0]
        s_start, s_end = _sentence_at(spans, total_start)
        head = _label_start(text, total_start, s_start)
        out.append(Breakdown(_quote(text, s_start, s_end, 160), text[head : close + 1], passage.location, total,
                             tuple(parts), _closure([label for label, _ in parts], False)))
    return out


# ---- a 其中 that ends its paragraph, its parts in the numbered paragraphs after it ----

_OPEN_LIST = re.compile(r"其中[：:]$")
_LIST_NUMBER = re.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、.．]|[一二三四五六七八九十]{1,3}[、.．]|[①-⑳])")
_ITEM_CLAUSE_END = re.compile(r"[。；;]|其中")
MAX_LIST_ITEMS = 12  # numbered paragraphs read as the parts of one list, at most
# an item without a number: a short name and its figure open the paragraph ("人员经费809961.19元，
# 主要包括：…", "公务用车购置支出0万元，购置车辆0辆。")
_UNNUMBERED_ITEM = re.compile(rf"^[^，,。；;：:\d]{{2,24}}?(?:为|是)?{_AMOUNT}(?![\d.])")


def _number_style(text: str) -> str:
    """A list number's kind, for telling a list's items from what follows it: （一） 1、 一、 ①."""
    m = _LIST_NUMBER.match(text)
    if m is None:
        return ""
    number = m.group(0)
    digits = "d" if any(c.isdigit() for c in number) else "c"
    return ("(" if number[0] in "（(" else "") + digits + (number[-1] if number[0] not in "（(" else "")


def listed_breakdowns(head: Passage, following: list[Passage]) -> list[Breakdown]:
    """A passage that ends on "其中：" and the numbered paragraphs that follow it as its parts
    ("“三公”经费预算数为47.91万元，比2023年预算增加25万元。其中：" / "（一）因公出国（境）费0万元，比2023年
    预算持平。…" / "（二）公务用车购置及运行费46.56万元，比2023年预算增加25万元…"): each item's first
    clause is read as one part of the list, for totals and for changes. Items run while they keep
    the first one's numbering and section, `MAX_LIST_ITEMS` at most; unnumbered items, while each
    paragraph opens with a short name and its figure ("人员经费809961.19元，主要包括：…")."""
    if _OPEN_LIST.search(head.text) is None or not following:
        return []
    style = _number_style(following[0].text)
    if not style and not _UNNUMBERED_ITEM.match(following[0].text):
        return []
    clauses = []
    for item in following[:MAX_LIST_ITEMS]:
        if item.location.section != head.location.section:
            break
        if style:
            if _number_style(item.text) != style:
                break
            body = item.text[_LIST_NUMBER.match(item.text).end() :]
        elif (m := _UNNUMBERED_ITEM.match(item.text)) and _one_part(item.text):
            clauses.append(m.group(0))  # (its name and figure: what comes after is about it)
            continue
        else:
            break
        end = _ITEM_CLAUSE_END.search(body)
        if end and end.group(0) == "。" and _COMPARED.match(body, end.end()):
            # "（三）公务接待费1.35万元。比2023年预算持平，…": the change in the sentence after
            body = body[: end.start()] + "，" + body[end.end() :]
            end = _ITEM_CLAUSE_END.search(body, end.end())
        clauses.append(body[: end.start()] if end else body)
    if len(clauses) < 2:
        return []
    text = head.text + "；".join(clauses) + "。"
    joined = Passage(text, head.location, head.blocks)
    return [b for b in breakdowns(joined) + change_breakdowns(joined)
            if b.parts[-1][1].start >= len(head.text) and b.total.start < len(head.text)]


def _one_part(text: str) -> bool:
    """An unnumbered paragraph is one part of a list when its first sentence holds one figure and
    it lists no parts of its own (a paragraph "基本支出150384元，项目支出0元。" is the whole list;
    "事业单位医疗76142.1元，其中：…" after it, another total)."""
    first = text[: next((i for i, c in enumerate(text) if c in "。；;"), len(text))]
    return not _LIST_NUMBER.match(text) and "其中" not in text and len(amounts_in(first)) == 1


def _item_before(text: str, start: int, pos: int) -> str:
    """The words of a list item up to `pos` (its figure): from the last separator after `start`."""
    return text[max([text.rfind(c, start, pos) for c in _PART_SEPARATORS] + [start - 1]) + 1 : pos]


def _in_sublist(text: str, previous_end: int, pos: int) -> bool:
    """Whether the figure at `pos` belongs to the previous part's own breakdown ("基本支出72.70万元，
    主要是人员经费69.30万元…"), which runs up to the next "；"."""
    since = text[previous_end:pos]
    return _SUBLIST.search(since[max(since.rfind("；"), since.rfind(";")) + 1 :]) is not None




_GENERIC_QUALIFIER = re.compile(r"[\d年度]|预算|决算|本年|全年|合计|总计|部门|单位|上年|当年|收支|总额")


_STEM_END = re.compile(r"(?:费|经费)?(?:支出|收入)$")


def _sibling(total_label: str, label: str) -> bool:
    """Whether an item is the total's sibling rather than its part: "基本支出X元，其中：……；项目支出Y元"
    names the same kind of figure (…支出, …收入) with another qualifier. A total named generically
    ("2023年预算支出", "支出总额") has no siblings."""
    label = ASIDE.sub("", label)
    kind, qualifier = total_label[-2:], total_label[-4:-2]
    if kind not in ("支出", "收入") or len(qualifier) < 2 or _GENERIC_QUALIFIER.search(qualifier):
        return False
    named = _LIST_NUMBER.sub("", total_label)
    if len(label) >= 6 and label[:4] == named[:4]:
        return False  # a piece of the total, named from it: 公务用车购置支出 of 公务用车购置及运行维护费支出
    stem = _STEM_END.sub("", named)
    if len(stem) >= 3 and stem in label:
        return False  # a kind of the total: 国（境）外公务接待支出 of 公务接待费支出
    return label.endswith(kind) and total_label not in label and label not in total_label


def _figures_like(total: Amount | Count, text: str, start: int, end: int) -> list[Amount | Count]:
    """The figures of `text[start:end]` that add up with `total`: amounts, or counts of its measure word."""
    if isinstance(total, Count):
        return [c for c in counts_in(text, start, end) if c.measure == total.measure]
    return _amounts_within(text, start, end)


def _listed_parts(text: str, start: int, end: int, total: Amount | Count,
                  total_label: str = "") -> tuple[list[tuple[str, Amount | Count]], bool] | None:
    """The (label, figure) parts of `total` listed in `text[start:end]`, after a 其中, and whether a
    合计 closes them; None when two figures belong to one item (the list cannot be read). The list
    stops at a sibling of the total (`total_label`) after a "；"."""
    parts: list[tuple[str, Amount | Count]] = []
    closing = False
    previous_end = start
    for a in _figures_like(total, text, start, end):
        raw = _item_before(text, start, a.start)
        label = _COPULA_END.sub("", raw)
        if _THRESHOLD_AFTER.match(text, a.end) or _in_brackets(text, start, a.start):
            continue
        if _CLOSING.search(raw):
            closing = True
            continue
        item = text[previous_end:a.start]
        previous_end = a.end
        if _COMPARED.search(item[max(item.rfind(c) for c in "；;、") + 1 :]):
            continue  # "财政拨款收入A万元，比2022年（上一年度，下同）预算增加N万元": a change
        if parts and _in_sublist(text, parts[-1][1].end, a.start):
            continue
        if total_label and _sibling(total_label, label) and any(c in text[start : a.start] for c in "；;"):
            break
        if _NOT_A_PART.search(label):
            continue
        if _BARE_LABEL.match(label):
            return None  # "因公出国费年初预算1万元，决算0.5万元": two figures of one item
        parts.append((label, a))
    return parts, closing


def _listed_changes(text: str, start: int, end: int) -> list[tuple[str, Amount]] | None:
    """The (label, signed change) parts of a change's breakdown in `text[start:end]`, each written
    as "基本支出增加34.48万元" or as "公务用车购置费25万元，比2023年预算增加25万元" (a 持平 part changes
    by 0); None when a part does not say how it changed (the list cannot be read)."""
    parts: list[tuple[str, Amount]] = []
    found = _amounts_within(text, start, end)
    for item in _UNCHANGED_ITEM.finditer(text, start, end):  # "因公出国（境）费支出与上一年度持平"
        if not _amounts_within(text, item.start(), item.end()):
            parts.append((item.group("label") + "持平", Amount(Decimal(0), Decimal(0), "", item.start(), item.end())))
    read_up_to = start  # a part's change already read with its amount
    for n, a in enumerate(found):
        if a.start < read_up_to:
            continue
        label = _COPULA_END.sub("", _item_before(text, start, a.start))
        if _THRESHOLD_AFTER.match(text, a.end) or _NOT_A_CHANGE_PART.search(label) or _in_brackets(text, start, a.start):
            continue
        if parts and _in_sublist(text, parts[-1][1].end, a.start):
            continue
        direction = _PART_DIRECTION.search(label.removesuffix("了"))
        if direction is not None:
            word, change = direction.group("dir"), a
        else:
            after = _PART_CHANGE_AFTER.match(text, a.end, end)
            if after is None:
                return None
            word = after.group("dir")
            if _DIRECTION_WORDS.get(word) == FLAT:
                change = Amount(Decimal(0), Decimal(0), "", after.start(), after.end())
            else:
                change = found[n + 1] if n + 1 < len(found) else None
                if change is None or change.start != after.end():
                    return None
            label += word
            read_up_to = change.end
        sign = _DIRECTION_WORDS.get(word)
        if sign is None:
            return None
        parts.append((label, Amount(sign * change.value, change.half, change.text, change.start, change.end)))
    return sorted(parts, key=lambda part: part[1].start)
