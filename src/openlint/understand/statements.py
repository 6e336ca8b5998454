"""Statements in the narrative: amounts with units, changes, completion rates, shares, repeated amounts.

Pure functions over text (no DSL, no judge): a *passage* is a paragraph of the narrative, with the
paragraphs a page break or a line wrap cut off it joined back (`passages`). From a passage's
compacted text this module reads

- `Amount` / `Percent`: a printed number with its rounding interval (the last printed digit);
- `Change`: "上年为A万元，本年安排B万元，比上年增加/减少P%", "B万元，比上年增加N万元，增长P%",
  "与上年持平" — what was stated, and the amounts it must follow from;
- `Completion`: "年初预算为D万元，支出决算为F万元，完成年初预算的P%";
- `Relation`: "决算数大于/小于/等于/与预算数持平";
- `Share`: "X万元，其中：Y万元，占P%";
- `Breakdown`: "X万元，其中：A万元、B万元、C万元" — a total and its listed parts;
- `Repeat`: an item's amount at its head and again in its sentence ("…（项）H万元。…本年预算安排B万元");
- `ClassMention`: "一般公共服务支出（类）财政事务（款）行政运行（项）", with codes when printed ("（204类）").

Everything is judged with intervals: a printed amount `12.3` stands for [12.25, 12.35]; a printed
percentage `12.34%` is right when the true value rounds *or truncates* to it. A check says "wrong"
only when no values inside the printed precision make the statement true.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Iterable

from openlint._slots import direct_init
from openlint.model import Document, Heading, Location, Paragraph, Table
from openlint.understand.amounts import half_step

# ---- numbers ----

_UNITS = {"元": Decimal(1), "万元": Decimal(10000), "万": Decimal(10000), "亿元": Decimal(100000000)}
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# 万 alone counts as 万元 only before punctuation or the end (not 万人, 万份).
_AMOUNT = rf"(?<![\d.,])(?:{_NUMBER})(?:亿元|万元|元|万(?![\u4e00-\u9fffA-Za-z0-9]))"  # to embed
_PERCENT = rf"(?<![\d.,])(?:{_NUMBER})[%％]"
AMOUNT_RE = re.compile(rf"(?<![\d.,])(?P<num>{_NUMBER})(?P<unit>亿元|万元|元|万(?![\u4e00-\u9fffA-Za-z0-9]))")
PERCENT_RE = re.compile(rf"(?<![\d.,])(?P<num>{_NUMBER})[%％]")
_SPACES = re.compile(r"[ \t\u3000\u00a0\r\n]+")
_FULL = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_SENTENCE_END = "。！？!?"
ASIDE = re.compile(r"[（(][^（()）]*[）)]")  # a bracketed aside: （上一年度，下同）

UP, DOWN, FLAT = 1, -1, 0
_DIRECTION_WORDS = {
    "增加": UP, "增长": UP, "上升": UP, "增多": UP, "提高": UP, "上涨": UP,
    "减少": DOWN, "下降": DOWN, "降低": DOWN, "减幅": DOWN, "下滑": DOWN, "缩减": DOWN,
    "持平": FLAT, "不变": FLAT, "无变化": FLAT, "无增减": FLAT, "相同": FLAT, "一致": FLAT,
    "增幅": UP, "降幅": DOWN,
    "增": UP, "减": DOWN,  # only right after a comparison: "较上年减0.04万元，增0.01%" (`_TAIL_DIR`)
}
_DIR = "基本持平|" + "|".join(sorted((w for w in _DIRECTION_WORDS if len(w) > 1), key=len, reverse=True))
_TAIL_DIR = _DIR + "|增|减"
DIRECTION_NAMES = {UP: "增加", DOWN: "减少", FLAT: "持平"}


def direction_of(word: str) -> int | None:
    """UP, DOWN or FLAT for a direction word ("增长" → UP), None for anything else."""
    return _DIRECTION_WORDS.get(word)


_HAS_FULL = re.compile("[０-９．％]")  # the characters `_FULL` maps


def compact(text: str) -> str:
    """Spaces removed (PDF extraction scatters them between characters), full-width digits made ASCII."""
    # str.translate with a table looks every character up: only when there is something to map
    if _HAS_FULL.search(text):
        text = text.translate(_FULL)
    return _SPACES.sub("", text)


@direct_init
@dataclass(frozen=True, slots=True)
class Amount:
    """A printed amount: value and half its last printed digit, both in 元."""

    value: Decimal
    half: Decimal
    text: str  # as printed, e.g. "1,234.50万元"
    start: int = 0
    end: int = 0

    @property
    def lo(self) -> Decimal:
        return max(self.value - self.half, Decimal(0))

    @property
    def hi(self) -> Decimal:
        return self.value + self.half

    @property
    def unit(self) -> Decimal:
        """元 per printed unit (1, 10000 …), for showing computed values like the printed ones."""
        for suffix, factor in sorted(_UNITS.items(), key=lambda kv: -len(kv[0])):
            if self.text.endswith(suffix):
                return factor
        return Decimal(1)


@dataclass(frozen=True, slots=True)
class Percent:
    value: Decimal  # 12.34 for "12.34%"
    half: Decimal  # 0.005 for "12.34%"
    text: str
    start: int = 0
    end: int = 0

    @property
    def decimals(self) -> int:
        return max(-self.value.as_tuple().exponent, 0) if "." in self.text else 0

    def accepts(self, lo: Decimal, hi: Decimal) -> bool:
        """True when some value in [lo, hi] (a fraction, 0.1234) prints as this percentage, rounded or truncated."""
        low = (self.value - self.half) / 100
        high = (self.value + 2 * self.half) / 100  # truncation: 12.349 printed as 12.34
        return lo <= high and hi >= low


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None



def amounts_in(text: str) -> list[Amount]:
    out = []
    for m in AMOUNT_RE.finditer(text):
        value = _decimal(m.group("num"))
        if value is None:
            continue
        factor = _UNITS[m.group("unit")]
        out.append(Amount(value * factor, half_step(m.group("num")) * factor, m.group(0), m.start(), m.end()))
    return out


def _amounts_within(text: str, start: int, end: int) -> list[Amount]:
    """The amounts of `text[start:end]`, their spans in `text`."""
    return [Amount(a.value, a.half, a.text, a.start + start, a.end + start) for a in amounts_in(text[start:end])]


def percents_in(text: str) -> list[Percent]:
    out = []
    for m in PERCENT_RE.finditer(text):
        value = _decimal(m.group("num"))
        if value is not None:
            out.append(Percent(value, half_step(m.group("num")), m.group(0), m.start(), m.end()))
    return out


def parse_amount_text(text: str) -> Amount | None:
    """One amount with its unit, `12.50万元` → Amount (for tests and rule arguments)."""
    found = amounts_in(compact(text))
    return found[0] if len(found) == 1 else None


def ratio_range(num: Amount, den: Amount) -> tuple[Decimal, Decimal]:
    """The range of num/den over the rounding intervals; den may reach 0 (then the top is unbounded)."""
    lo = num.lo / den.hi if den.hi > 0 else Decimal(0)
    hi = num.hi / den.lo if den.lo > 0 else Decimal("Infinity")
    return lo, hi


def fmt_percent(fraction: Decimal, decimals: int = 2) -> str:
    """A computed rate for a message, to at least 2 decimals, and to one more where 2 would round
    to another printed value than the rate itself (33.048% printed with one decimal is 33.0%, while
    "33.05%" reads as 33.1%); a tiny rate to two significant digits."""
    value = fraction * 100
    shown = max(decimals, 2)
    if value and abs(value) < Decimal("0.01"):  # "应为0.0023%", not "0.00%" (a 万元 written for 元)
        shown = -value.adjusted() + 1
    if value.quantize(Decimal(1).scaleb(-shown)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP) != \
            value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP):
        shown += 1
    return f"{value.quantize(Decimal(1).scaleb(-shown))}%"


def fmt_amount(value: Decimal, like: Amount) -> str:
    """A computed value in the unit and precision of a printed amount (at least 2 decimals for 万元)."""
    unit = like.unit
    shown = value / unit
    decimals = 2 if unit > 1 else 0
    text = f"{shown.quantize(Decimal(1).scaleb(-decimals)):,}" if unit == 1 else f"{shown.quantize(Decimal(1).scaleb(-decimals))}"
    suffix = next((s for s in ("亿元", "万元", "万", "元") if like.text.endswith(s)), "元")
    return text + suffix


# ---- passages ----

_TERMINAL = tuple("。！？!?：:；;…”」）)")
_ITEM_START = re.compile(r"^(?:\d{1,2}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|第[一二三四五六七八九十]+部分)")


@dataclass(frozen=True)
class Passage:
    """A narrative paragraph (joined back over wraps), compacted."""

    text: str
    location: Location
    blocks: tuple = ()


def passages(document: Document) -> list[Passage]:
    """Paragraphs outside tables and notes, each joined with the paragraphs a wrap or page break cut off."""
    out: list[Passage] = []
    pending: list = []
    texts: list[str] = []

    def flush():
        if pending:
            out.append(Passage("".join(texts), pending[0].location, tuple(pending)))
        pending.clear()
        texts.clear()

    for block in document.blocks:
        if isinstance(block, Table):
            flush()
            continue
        if isinstance(block, Paragraph) and block.is_note:
            flush()
            continue
        text = compact(block.text)
        if not text:
            continue
        if isinstance(block, Heading):
            # A heading cut off before its （项）: "5、…（款）行政单位离退休" + "（项）。主要用于…"
            flush()
            if "（类）" in text or "类）" in text:
                pending.append(block)
                texts.append(text)
            continue
        joinable = (
            pending
            and len(pending) < 8
            # a line without a full stop is a title, not a cut sentence, when short or without a comma
            and len(texts[-1]) >= 20 and ("，" in texts[-1] or "," in texts[-1])
            and not texts[-1].endswith(_TERMINAL)
            and not _ITEM_START.match(text)
            and pending[-1].location.section == block.location.section
        )
        if pending and not joinable:
            flush()
        pending.append(block)
        texts.append(text)
    flush()
    return out


def sentences(text: str, ends: str = _SENTENCE_END) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences, the closing punctuation included."""
    spans = []
    start = 0
    for i in _positions_of(ends, text):
        spans.append((start, i + 1))
        start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _positions_of(characters: str, text: str) -> list[int]:
    """Where any of the characters is in the text (found by a regex in C, not a loop over the text)."""
    return [m.start() for m in _any_of(characters).finditer(text)] if characters else []


@lru_cache(maxsize=16)
def _any_of(characters: str) -> re.Pattern:
    """A class of the characters, compiled once per set of stops (callers pass a few constants)."""
    return re.compile("[" + re.escape(characters) + "]")


def _sentence_at(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return (0, 0)


def _quote(text: str, start: int, end: int, limit: int = 60) -> str:
    s = text[start:end].strip("，,；;。 ")
    return s if len(s) <= limit else s[: limit - 1] + "…"


# ---- year labels ----

_YEAR_LABEL = re.compile(r"(?P<y>(?:19|20)\d{2})年(?:度)?|(?P<prev>上年度?|上一年度?|去年|上一度)|(?P<cur>本年度?|今年)")
# what may stand between a year and the amount it labels: no figure, no clause break, and no
# comparison ("与2019年相比增加540.23万元": the amount is a change, not 2019's)
_LABEL_GAP = re.compile(rf"^(?!.*(?:比|{_DIR}))[^，,；;。：:\d%％]{{0,18}}$")


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
# "与上年同比", already anchored)
_ANCHOR = re.compile(r"(?:比|较|与|同|相对于|相较)(?P<base>上年度?|上一年度?|上一度|去年|(?P<y>(?:19|20)\d{2})年度?)"
                     r"|(?<![年度])(?:按?同口径)?同比|(?<![年度])对比(?=[^，,。；;\d]{0,2}(?:增|减|下降|上升))")
# the base's own amount may follow the comparison: "比上年累计支出148万元下降24万元", "较2024年的2190万元减少…"
_TAIL = re.compile(
    rf"(?P<qual>[^，,。；;：:\d%％]{{0,16}}?)(?:的?(?P<base_n>{_AMOUNT}))?(?:相比|相较|比较)?[，,]?"
    rf"(?P<subj>[^，,。；;：:\d%％]{{0,24}}?)"
    rf"(?P<dir>{_TAIL_DIR})(?:[（(](?P<alt>{_DIR})[）)])?"
    rf"(?P<n>{_AMOUNT})?"
    rf"(?:[，,（(]?(?P<dir2>{_TAIL_DIR})?(?:率|幅度|幅)?(?:[（(](?P<alt2>{_DIR})[）)])?(?P<p>{_PERCENT}))?"
)


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


def _clause_end(text: str, start: int, end: int) -> int:
    """Where the clause from `start` ends: at the first ；/; before `end`, else at `end`."""
    return min([i for i in (text.find(c, start, end) for c in "；;") if i >= 0] or [end])


def _label_start(text: str, pos: int, floor: int) -> int:
    """Where the words naming the figure at `pos` start: after the last ，；：。 in the 40 characters
    before it, and not before `floor`."""
    return max([text.rfind(c, max(floor, pos - 40), pos) for c in "，,；;：:。"] + [floor - 1]) + 1


def _change_matches(text: str) -> list[tuple[re.Match, re.Match]]:
    """(anchor, tail) of every stated change: "比上年" and the direction that follows in its clause."""
    spans = sentences(text)
    out = []
    for m in _ANCHOR.finditer(text):
        s_end = _sentence_at(spans, m.start())[1]
        t = _TAIL.match(text, m.end(), _clause_end(text, m.end(), s_end))
        if t:
            out.append((m, t))
    return out


# ---- the reasons given for changes ----

# A word introducing a cause or purpose. 系/因 only after a comma ("，系…", "，因…"): inside words
# (体系, 因公出国) they are not one.
_REASON = re.compile(r"原因|由于|因为|主要是|主要系|系因|是因|用于|导致|所致|影响|为了|[，,：:]系|[，,：:]因(?!公)")
_REASON_BEFORE = re.compile(r"由于|因为|受[^，,。；;]{1,20}影响|为了")  # a cause stated before the change
_CLAUSE_END = "。！？!?；;"
_REASON_WORD = re.compile(r"(增加|减少|增长|下降|上升|降低|增多|减幅)的?(?:主要)?原因")
_ITEMISED = re.compile(r"[）)]?[，,。；;：:]*其中")  # right after the change: its parts follow


def _reasons(text: str, matches: list[tuple[re.Match, re.Match]], following: str = "") -> list[tuple[str, bool, str]]:
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
        if j in in_clause:
            if clauses[j][0] > len(text) or any(own_reason(j, x) for x in in_clause[j]):
                following_reason[j] = None
            else:
                following_reason[j] = following_reason[j + 1]
        else:
            following_reason[j] = _REASON.search(full, *clauses[j]) or following_reason[j + 1]
    out = []
    for k, (m, t) in enumerate(matches):
        i = clause_of(m.start())
        a, b = clauses[i]
        itemised = bool(_ITEMISED.match(text, t.end()))
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
            # change alone (no other change between them) and names one direction
            if not any(t.end() <= x < found.start() for x in anchors):
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
        if word == "基本持平":
            continue  # approximately equal: not judged
        direction = None if t.group("alt") else _DIRECTION_WORDS[word]
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
        if t.group("base_n"):  # stated with the comparison itself
            b = amounts_in(t.group("base_n"))[0]
            before = Amount(b.value, b.half, b.text, t.start("base_n"), t.end("base_n"))
            if after is None:
                after = _amount_before(text, found, m.start(), s_start, spans, t.group("subj"), base_year, year)
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
            )
        )
    return out


_JUST_BEFORE = re.compile(r"^[，,]?$")
_COPULA = r"(?:为|是|共计|合计|总计)?"


def _amount_before(text: str, found: list[Amount], anchor: int, s_start: int, spans, subject: str,
                   base_year: int | str | None = None, year: int | None = None) -> Amount | None:
    """The amount the change is about: printed right before "，比…", or, for a sentence that opens
    with the comparison ("与2023年度相比，<subject>增加…", "比2024年预算增加N万元…"), an amount of
    the sentence before: right after the same subject when the change names one, else the one amount
    that sentence ends with (`_sole_amount_before`)."""
    if found and _JUST_BEFORE.match(text[found[-1].end : anchor]):
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
    return candidates[0] if len(candidates) == 1 else None


# a comparison clause of the same amount: "，较年初预算数减少10.93万元", "，下降54.65%", "，完成…的73.2%"
_COMPARISON_CLAUSE = re.compile(
    rf"[，,；;](?:(?:较|比|与|同比)[^，,；;。]*?(?:{_DIR})[^，,；;。]*|(?:{_DIR})[^，,；;。\d]*{_PERCENT}|完成[^，,；;。]*)"
)
_IN_COMPLETION = re.compile(r"完成[^，,；;。]*$")  # "完成全年预算84.82万元的73.2%": the budget, no amount of its own


def _before_other_comparisons(text: str, found: list[Amount], anchor: int) -> Amount | None:
    """"9.07万元，较年初预算数减少10.93万元，下降54.65%，较上年支出数减少0.71万元": the amount
    before a run of comparison clauses of its own, for the next comparison."""
    for a in reversed(found):
        if _DIRECTION_BEFORE.search(text[max(0, a.start - 4) : a.start]) or _IN_COMPLETION.search(text, max(0, a.start - 40), a.start):
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
        elif tail and tail != "基本持平":
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
                            relation, budget, label, item.final))
    return out


# ---- shares ----

# "占P%", or naming the whole: "占收入合计99.18%", "占一般公共预算支出的19.62%" (then it must be the base's name)
_SHARE = re.compile(rf"占(?:(?P<of>[^，,。；;\d%％]{{2,12}}?)的?)?(?:比)?(?:为)?(?P<p>{_PERCENT})")
_BASE_FOLLOW = re.compile(r"[，,：:；;]?(?:其中|主要用于|包括)")
_DIRECTION_BEFORE = re.compile(rf"(?:{_DIR})$")


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


# ---- "X万元，其中：A万元、B万元、C万元" ----

_BREAKDOWN_HEAD = re.compile(rf"(?P<total>{_AMOUNT})(?P<gap>[^\d。；;%％其]{{0,24}}?)。?其中[：:，,]?")
# a change broken down ("比上年增加40.87万元，其中：基本支出增加34.48万元…", "基本支出增加34.48万元，主要为
# 工资福利支出增加24.84万元…"): a 主要为 list names the main parts only, within its clause
_CHANGE_BREAKDOWN_HEAD = re.compile(
    rf"(?P<total>{_AMOUNT})(?P<gap>[^\d。；;%％其]{{0,24}}?)。?(?P<word>其中|主要(?:为|是|包括|有))[：:，,]?"
)
_PART_DIRECTION = re.compile(rf"(?P<dir>{_DIR})[\u4e00-\u9fff]{{0,2}}$")  # "项目支出增多", "…项目增多支出"
# a part given with its amount and then its change: "公务用车购置费25万元，比2023年预算增加25万元", "…，比上年持平"
_PART_CHANGE_AFTER = re.compile(rf"[，,]?(?:比|较|与|同比)[^，,；;。%％万元]{{0,16}}?(?P<dir>{_DIR})了?")
# a share, a unit price or an average: no part ("占…", "单价50万元", "平均每辆2.08万元")
_SHARE_OR_RATE = r"占|单价|平均|人均|每(?:辆|人|次|批|个)"
_NOT_A_CHANGE_PART = re.compile(_SHARE_OR_RATE)
_PART_SEPARATORS = "、；;，,：:"
_THRESHOLD_AFTER = re.compile(r"[（(]?(?:以上|以下|以内|含）|含\))")  # "单价50万元以上": a threshold, not a part
# a change ("比上年增加", or a bare "增加"), a share, a unit price or an average; not any direction
# word: "支持商销稳增长30.00万" is a part. (A bracketed aside is left out by `_in_brackets`.)
_NOT_A_PART = re.compile(rf"比|较|同比|{_SHARE_OR_RATE}|^(?:{_DIR})了?$")
_COMPARED = re.compile(r"比|较|同比|相比")
_SUBLIST = re.compile(r"主要|包括|具体|含|用于")  # "基本支出72.70万元，主要是人员经费69.30万元…": a part's own parts
_BARE_NUMBER = re.compile(rf"(?<![\d.,])(?:{_NUMBER})(?=[，；;、。]|,(?!\d)|$)")  # "一般公共预算收入89.45，": a figure without its unit
_BARE_LABEL = re.compile(r"^(?:年初|全年|调整后?|变动后)?(?:预算|决算|支出决算|执行)数?(?:为|是)?$")
# a closing total ("…，合计2921.00万"), not an item named with it ("本年收入合计4170.87万元")
_CLOSING = re.compile(r"^(?:以上|上述|总)?(?:合计|共计|总计|累计)(?:为|是|共|约|达|计)*$")
_COPULA_END = re.compile(r"(?:为|是|共|约|达|计)+$")
@dataclass(frozen=True)
class Breakdown:
    """"X万元，其中：A万元、B万元、C万元": a stated total and the parts listed after its 其中; or a
    stated change and the changes of its parts ("增加40.87万元，其中：基本支出增加34.48万元；项目支出增加
    6.39万元", `change`).

    `closed` says what in the text makes the parts the whole list ("" when nothing does): a closing
    合计 or a catch-all "其他…" item. `closed_by` adds the lists a rule knows to be whole by
    definition (货物、工程、服务 of 政府采购 …)."""

    text: str
    quote: str
    location: Location
    total: Amount
    parts: tuple[tuple[str, Amount], ...]  # (label, amount)
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
        if _other_heads(text, m, s_start, changes=False):
            continue
        t = amounts_in(m.group("total"))[0]
        total = Amount(t.value, t.half, t.text, total_start, m.end("total"))
        end = _list_end(text, m, "其中" in text[s_start:total_start])
        if _BARE_NUMBER.search(text, m.end(), end):
            continue  # a part printed without its unit: the list cannot be read whole
        head = _label_start(text, total_start, s_start)
        listed = _listed_parts(text, m.end(), end, _COPULA_END.sub("", text[head:total_start]))
        if listed is None or not listed[0]:
            continue
        parts, closing = listed
        # quoted from the total's own label: "…政府采购预算38.20万元，其中："
        out.append(Breakdown(_quote(text, s_start, s_end, 160), text[head : m.end()], passage.location, total,
                             tuple(parts), _closure([label for label, _ in parts], closing)))
    return out


def _other_heads(text: str, head: re.Match, s_start: int, *, changes: bool) -> bool:
    """Whether a 其中 that opens the next sentence ("……X万元。其中：") may belong to another figure of
    the sentence before than the one right before it: another amount (or, for a change, another
    change) in that sentence. "…总额为7783.26万元，…2、本年增加了其他资金预算7000万元。其中：财政拨款
    收入751.8万元…" lists the parts of 7783.26, not of 7000."""
    if "。" not in head.group(0)[len(head.group("total")):]:
        return False
    for a in _amounts_within(text, s_start, head.start("total")):
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
    for m in _CHANGE_BREAKDOWN_HEAD.finditer(text):
        total_start = m.start("total")
        s_start, s_end = _sentence_at(spans, total_start)
        direction = _DIRECTION_BEFORE.search(text[max(s_start, total_start - 4) : total_start])
        if direction is None or _DIRECTION_WORDS.get(direction.group(0)) not in (UP, DOWN):
            continue
        if _THRESHOLD_AFTER.match(text, m.end("total")) or _other_heads(text, m, s_start, changes=True):
            continue
        end = _list_end(text, m, m.group("word") != "其中" or "其中" in text[s_start:total_start])
        if _BARE_NUMBER.search(text, m.end(), end):
            continue
        listed = _listed_changes(text, m.end(), end)
        if not listed:
            continue
        t = amounts_in(m.group("total"))[0]
        sign = _DIRECTION_WORDS[direction.group(0)]
        total = Amount(sign * t.value, t.half, t.text, total_start, m.end("total"))
        head = _label_start(text, total_start, s_start)
        if _COMPARED.match(text, head) and head > s_start:  # "…费46.56万元，比2023年预算增加25万元": quoted from its subject
            head = _label_start(text, head - 1, s_start)
        out.append(Breakdown(_quote(text, s_start, s_end, 160), text[head : m.end()], passage.location, total,
                             tuple(listed), _closure([label for label, _ in listed], False), change=True))
    return out


def _item_before(text: str, start: int, pos: int) -> str:
    """The words of a list item up to `pos` (its figure): from the last separator after `start`."""
    return text[max([text.rfind(c, start, pos) for c in _PART_SEPARATORS] + [start - 1]) + 1 : pos]


def _in_sublist(text: str, previous_end: int, pos: int) -> bool:
    """Whether the figure at `pos` belongs to the previous part's own breakdown ("基本支出72.70万元，
    主要是人员经费69.30万元…"), which runs up to the next "；"."""
    since = text[previous_end:pos]
    return _SUBLIST.search(since[max(since.rfind("；"), since.rfind(";")) + 1 :]) is not None


def _in_brackets(text: str, start: int, pos: int) -> bool:
    """Whether `pos` stands inside a bracket opened after `start`: an aside
    ("公务用车购置及运行维护费14.03万元（购置费0万元、运行维护费14.03万元）") is no part of the list."""
    between = text[start:pos]
    return between.count("（") + between.count("(") > between.count("）") + between.count(")")




_GENERIC_QUALIFIER = re.compile(r"[\d年度]|预算|决算|本年|全年|合计|总计|部门|单位|上年|当年|收支|总额")


def _sibling(total_label: str, label: str) -> bool:
    """Whether an item is the total's sibling rather than its part: "基本支出X元，其中：……；项目支出Y元"
    names the same kind of figure (…支出, …收入) with another qualifier. A total named generically
    ("2023年预算支出", "支出总额") has no siblings."""
    label = ASIDE.sub("", label)
    kind, qualifier = total_label[-2:], total_label[-4:-2]
    if kind not in ("支出", "收入") or len(qualifier) < 2 or _GENERIC_QUALIFIER.search(qualifier):
        return False
    return label.endswith(kind) and total_label not in label and label not in total_label


def _listed_parts(text: str, start: int, end: int, total_label: str = "") -> tuple[list[tuple[str, Amount]], bool] | None:
    """The (label, amount) parts listed in `text[start:end]`, after a 其中, and whether a 合计
    closes them; None when two figures belong to one item (the list cannot be read). The list
    stops at a sibling of the total (`total_label`) after a "；"."""
    parts: list[tuple[str, Amount]] = []
    closing = False
    previous_end = start
    for a in _amounts_within(text, start, end):
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
    return parts


# ---- an item's amount at its head and again in its sentence ----

_ITEM_HEAD = re.compile(
    rf"^(?:\d{{1,2}}[、.．]|[（(][一二三四五六七八九十\d]{{1,3}}[）)]|[一二三四五六七八九十]{{1,3}}[、.．])"
    rf"[^。]{{0,120}}?（\d{{0,3}}[类款项]）[”\"]?(?:科目)?(?P<a>{_AMOUNT})"
)
_AGAIN = re.compile(rf"(?:(?P<y>(?:19|20)\d{{2}})年(?:度)?|本年度?|今年)(?:预算)?(?:安排|数为|为)(?P<a>{_AMOUNT})")


@dataclass(frozen=True)
class Repeat:
    text: str
    quote: str
    location: Location
    head: Amount
    again: Amount


def repeats(passage: Passage, year: int | None) -> list[Repeat]:
    text = passage.text
    m = _ITEM_HEAD.match(text)
    if not m:
        return []
    head = amounts_in(m.group("a"))[0]
    head = Amount(head.value, head.half, head.text, m.start("a"), m.end("a"))
    out = []
    for again_m in _AGAIN.finditer(text, m.end()):
        if again_m.group("y") and (year is None or int(again_m.group("y")) != year):
            continue
        a = amounts_in(again_m.group("a"))[0]
        a = Amount(a.value, a.half, a.text, again_m.start("a"), again_m.end("a"))
        out.append(Repeat(_quote(text, 0, len(text), 160), _quote(text, again_m.start(), again_m.end()),
                          passage.location, head, a))
        break
    return out


# ---- classification names in the narrative ----

_MARK = re.compile(r"（(?P<code>\d{2,3})?(?P<level>[类款项])）")
_NAME_CHARS = re.compile(r"[\u4e00-\u9fff（）()]+$")
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


# ---- all statements of a document, once ----

@dataclass
class Statements:
    passages: list[Passage] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    completions: list[Completion] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)
    mentions: list[ClassMention] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)


_HINT = re.compile(r"[%％]|万元|元|（\d{0,3}类）|预算数|决算数")


def extract(document: Document, year: int | None) -> Statements:
    """Every statement of the document's narrative, in reading order."""
    result = Statements()
    found = passages(document)
    for n, passage in enumerate(found):
        result.passages.append(passage)
        if not _HINT.search(passage.text):
            continue
        text = passage.text
        if "比" in text or "较" in text or "与" in text or "同" in text:
            # the next paragraph of the same section may give the reason ("…增长1.40%。" / "主要原因是…")
            nxt = found[n + 1] if n + 1 < len(found) else None
            following = nxt.text if nxt is not None and nxt.location.section == passage.location.section else ""
            result.changes.extend(changes(passage, year, following))
        if "完成" in text:
            result.completions.extend(completions(passage))
        if "决算" in text:
            result.relations.extend(relations(passage))
        if "占" in text:
            result.shares.extend(shares(passage))
        if "其中" in text:
            result.breakdowns.extend(breakdowns(passage))
        if "其中" in text or "主要" in text:
            result.breakdowns.extend(change_breakdowns(passage))
        if "类）" in text:
            result.repeats.extend(repeats(passage, year))
            result.mentions.extend(class_mentions(passage))
    return result
