"""Shares: "X万元，其中：Y万元，占P%", and "Y万元，占<name>的P%" of an amount the passage named before (`Share`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from openlint.model import Location
from openlint.understand.statements.numbers import (
    _DIR, _DIRECTION_BEFORE, _PERCENT, Amount, Percent, _amounts_within, amounts_in, percents_in,
)
from openlint.understand.statements.passage import (
    ASIDE, _JUST_BEFORE, Passage, _in_brackets, _label_start, _quote, sentences,
)

# ---- shares ----

# "占P%", or naming the whole: "占收入合计99.18%", "占一般公共预算支出的19.62%" (then it must be the base's name)
_SHARE = re.compile(rf"占(?:(?P<of>[^，,。；;\d%％]{{2,12}}?)的?)?(?:比)?(?:为)?(?P<p>{_PERCENT})")
_BASE_FOLLOW = re.compile(r"[，,：:；;]?(?:其中|主要用于|包括)")
# The words naming an amount past the year and the organisation that scope it and the copula after
# them: "上海市某局2024年度政府采购金额（以合同签订为准）为" and "2024年度本部门政府采购支出总额" name
# 政府采购金额 and 政府采购支出总额.
_SCOPE = re.compile(r"^(?:.*(?:19|20)\d{2}年度?)?(?:本部门|本单位|全年|当年)?")
_COPULA_AFTER = re.compile(r"(?:为|是|共|达|(?<![合总累小])计)+$")  # not the 计 of 合计, 总计
_RATIO_WORD = re.compile(r"的?(?:比例|比重)$")  # "占政府采购支出总额的比例为90%"
_COMPARISON = re.compile(rf"比|较|{_DIR}")
# the end of an organisation's name, before the name of one of its amounts
_ORGANISATION_END = re.compile(r"(?:局|政府|委员会|委|中心|办事处|镇|乡|街道|院|所|站|馆|队|社|部|处|厅|学校|医院|单位|部门|机关)$")
# a share that opens a list of shares, each of one of the amounts listed before it: "货物、工程、服务
# 采购规模分别为A、B和C，占采购规模比例为22.8%、42.7%和34.5%"
_RESPECTIVE = re.compile(r"\s*(?:、|和|及)\s*\d")


@dataclass(frozen=True)
class Share:
    """A part's stated share of a whole: the whole stated with 其中 in the same sentence, or, when
    `base_name` is set, the amount stated earlier in the passage under the name the share gives
    ("政府采购支出总额100.00万元，…。授予中小企业合同金额90.00万元，占政府采购支出总额的90.00%")."""

    text: str
    quote: str
    location: Location
    base: Amount
    part: Amount
    rate: Percent
    base_name: str = ""


def shares(passage: Passage, named_before: Callable[[str], list[Amount]] | None = None) -> list[Share]:
    """The stated shares of a passage. `named_before(name)`: the amounts stated under `name` in the
    passages before this one, for a share whose whole the passage itself does not state ("占本年
    支出合计的100.00%" in a section after the one stating 本年支出合计)."""
    spans = sentences(passage.text)
    out = _shares_of_the_whole_before(passage, spans)
    read = {s.rate.start for s in out}
    out.extend(s for s in _shares_of_a_named_whole(passage, spans, named_before) if s.rate.start not in read)
    return out


def _shares_of_the_whole_before(passage: Passage, spans: tuple[tuple[int, int], ...]) -> list[Share]:
    """"X万元，其中：Y万元，占P%": the whole opens the sentence (or is the sentence before's one amount)."""
    text = passage.text
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
            if _RESPECTIVE.match(text, m.end()):
                continue  # the first of shares listed respectively: not of the amount right before 占
            # the figure right before 占, past an aside: "财政拨款收入2004.77万元（其中，…），占…"
            part = next((a for a in reversed(found) if a.end <= m.start() and not _in_brackets(text, s_start, a.start)), None)
            if part is None or part is base or not _JUST_BEFORE.match(ASIDE.sub("", text[part.end : m.start()])):
                continue
            if _DIRECTION_BEFORE.search(text[max(s_start, part.start - 4) : part.start]):
                continue  # "比上年增加5万元，占…": the amount before 占 is a change, not the part
            if m.group("of") and m.group("of") not in base_name:
                continue  # a share of another whole than the base
            out.append(Share(_quote(text, s_start, s_end, 160), _quote(text, part.start, m.end()), passage.location,
                             base, part, _rate(m)))
    return out


def _rate(share: re.Match) -> Percent:
    """The percentage of a `_SHARE` match, its span in the passage."""
    p = percents_in(share.group("p"))[0]
    return Percent(p.value, p.half, p.text, share.start("p"), share.end("p"))


def _shares_of_a_named_whole(passage: Passage, spans: tuple[tuple[int, int], ...],
                             named_before: Callable[[str], list[Amount]] | None) -> list[Share]:
    """"Y万元，占<name>的P%" where <name> names one amount stated before Y in the passage, or else
    one amount in the passages before it."""
    text = passage.text
    out = []
    for s_start, s_end in spans:
        found = None
        for m in _SHARE.finditer(text, s_start, s_end):
            if not m.group("of") or _RESPECTIVE.match(text, m.end()):
                continue  # (the first of shares listed respectively: not of the amount right before 占)
            found = found if found is not None else _amounts_within(text, s_start, s_end)
            part = next((a for a in reversed(found) if a.end <= m.start() and not _in_brackets(text, s_start, a.start)), None)
            if part is None or not _JUST_BEFORE.match(ASIDE.sub("", text[part.end : m.start()])):
                continue
            if _DIRECTION_BEFORE.search(text[max(s_start, part.start - 4) : part.start]):
                continue  # "比上年增加5万元，占…": a change, not a part
            name = _RATIO_WORD.sub("", m.group("of"))
            wanted = _scope_free(name)
            bases = {a.value: a for a in amounts_in(text[: part.start]) if _names(_name_of(text, a), wanted)}
            if not bases and named_before is not None:
                bases = {a.value: a for a in named_before(wanted)}
            if len(bases) != 1:
                continue  # not named before, or the name stands for two amounts: which one is a guess
            (base,) = bases.values()
            label = _label_start(text, part.start, s_start)
            out.append(Share(_quote(text, s_start, s_end, 160), _quote(text, label, m.end(), 80), passage.location,
                             base, part, _rate(m), name))
    return out


# ---- shares listed side by side, their whole not stated ----

# a share of a budget is a completion rate ("占年初预算的95%"): each part against its own budget
_BUDGET_BASE = re.compile(r"^(?:年初|全年|调整后?|当年|本年)?(?:预算|计划|目标)(?:批复|安排|下达|调整)?(?:数|金额|指标|额)?$")
# between two items, a breakdown of the first (其中, 主要包括, 含); in the words naming the
# second, another year or stage (上年为…，占…): the second is of another whole
_BREAKDOWN = re.compile(r"其中|主要|包括|含|具体")
_OTHER_YEAR = re.compile(r"\d{4}年|上年|上一年|去年|同期|年初")
# what introduces a list of the parts of one whole: "…“三公”经费支出决算中，", "其中："
_LEAD_IN = re.compile(r"中\s*[，,：:]\s*$")


@dataclass(frozen=True)
class ShareList:
    """Parts listed one after another, each with its share of a whole the sentence does not state
    ("“三公”经费支出决算中，公务用车购置及运行维护费4.02万元，占89.33%；公务接待费7.94万元，占
    39.7%"): every share must be of the same whole. `items`: (the part's words, part, rate)."""

    text: str
    quote: str
    location: Location
    items: tuple[tuple[str, Amount, Percent], ...]


def share_lists(passage: Passage, judged: frozenset[int] = frozenset()) -> list[ShareList]:
    """The lists of shares of a passage whose whole is not stated with them. A list is a run of
    shares in one sentence introduced as the parts of one whole ("…决算中，", "其中："), each right
    after its part's amount, with no other amount (but changes), no breakdown and no other year
    between one share and the next part, of the same named whole or of none. A list holding a
    share already judged against its whole (`judged`: the rates' starts) is left out."""
    text = passage.text
    out = []
    for s_start, s_end in sentences(text):
        if "占" not in text[s_start:s_end] or "分别" in text[s_start:s_end]:
            continue
        found = [a for a in _amounts_within(text, s_start, s_end) if not _in_brackets(text, s_start, a.start)]
        runs: list[list] = []
        last_end = None
        for m in _SHARE.finditer(text, s_start, s_end):
            part = next((a for a in reversed(found) if a.end <= m.start()), None)
            usable = (
                part is not None
                and not _RESPECTIVE.match(text, m.end())
                and not _in_brackets(text, s_start, m.start())
                and _JUST_BEFORE.match(ASIDE.sub("", text[part.end : m.start()]))
                and not _DIRECTION_BEFORE.search(text[max(s_start, part.start - 4) : part.start])
            )
            of = _RATIO_WORD.sub("", m.group("of") or "")
            if not usable or _BUDGET_BASE.match(_scope_free(of)):
                last_end = None  # not a part's share: the list, if any, ends here
                continue
            between = [a for a in found if last_end is not None and last_end <= a.start < part.start
                       and not _DIRECTION_BEFORE.search(text[max(s_start, a.start - 4) : a.start])]
            label = text[_label_start(text, part.start, s_start) : part.start]
            joins = (last_end is not None and not between and runs and runs[-1][0] == of
                     and not _BREAKDOWN.search(ASIDE.sub("", text[last_end : part.start]))
                     and not _OTHER_YEAR.search(label))
            item = (label, part, _rate(m))
            if joins:
                runs[-1][1].append(item)
            else:
                runs.append([of, [item]])
            last_end = m.end()
        for _, items in runs:
            if len(items) < 2 or any(rate.start in judged for _, _, rate in items):
                continue
            first, last = items[0][1], items[-1][2]
            opening = _label_start(text, first.start, s_start)
            if _LEAD_IN.search(text[max(s_start, opening - 40) : opening]):
                out.append(ShareList(_quote(text, s_start, s_end, 160), _quote(text, opening, last.end, 160),
                                     passage.location, tuple(items)))
    return out


def _names(words: str, name: str) -> bool:
    """The words naming an amount name `name`: the same, or with the organisation in front
    ("上犹县寺下镇人民政府收入预算总额" names 收入预算总额); not with a narrower scope in front
    ("一般公共预算财政拨款支出合计" is no 支出合计), not a change of it ("比上年…增加")."""
    if words == name:
        return True
    return (len(name) >= 4 and words.endswith(name) and _ORGANISATION_END.search(words[: -len(name)]) is not None
            and not _COMPARISON.search(words))


def _scope_free(words: str) -> str:
    return _SCOPE.sub("", words, count=1)


def names_of_amounts(text: str) -> Iterable[tuple[str, Amount]]:
    """(name, amount) for every amount of a passage, named as a share names its whole."""
    for a in amounts_in(text):
        yield _name_of(text, a), a


def _name_of(text: str, amount: Amount) -> str:
    """The words naming the amount at its place in `text`, past its scope and copula (see `_SCOPE`)."""
    words = ASIDE.sub("", text[_label_start(text, amount.start, 0) : amount.start])
    return _scope_free(_COPULA_AFTER.sub("", words))


def _find_all(text: str, word: str, start: int, end: int) -> Iterable[int]:
    i = text.find(word, start, end)
    while i >= 0:
        yield i
        i = text.find(word, i + 1, end)
