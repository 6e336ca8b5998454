"""Printed numbers: amounts with their units and percentages, each with its rounding interval;
the direction words of changes; computed values shown like the printed ones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

from openlint._slots import direct_init
from openlint.understand.amounts import half_step, round_to, to_decimal

# ---- numbers ----

_UNITS = {"元": Decimal(1), "万元": Decimal(10000), "万": Decimal(10000), "亿元": Decimal(100000000)}
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# 万 alone counts as 万元 only before punctuation or the end (not 万人, 万份).
_AMOUNT = rf"(?<![\d.,])(?:{_NUMBER})(?:亿元|万元|元|万(?![\u4e00-\u9fffA-Za-z0-9]))"  # to embed
_PERCENT = rf"(?<![\d.,])(?:{_NUMBER})[%％]"
AMOUNT_RE = re.compile(rf"(?<![\d.,])(?P<num>{_NUMBER})(?P<unit>亿元|万元|元|万(?![\u4e00-\u9fffA-Za-z0-9]))")
PERCENT_RE = re.compile(rf"(?<![\d.,])(?P<num>{_NUMBER})[%％]")
# things counted with a measure word ("5辆", "2台（套）", "818台/套"), the longer word first; a count
# ends its item: "2个项目" names its things after the figure and is left alone
_MEASURES = ("台（套）", "台(套)", "台/套", "人次", "批次", "辆", "台", "套", "个", "人", "项", "家", "名", "户", "件")
_MEASURE = "|".join(re.escape(m) for m in _MEASURES)
_WHOLE_NUMBER = r"\d{1,3}(?:,\d{3})+(?![\d.])|\d+(?![\d.])"
_COUNT = rf"(?<![\d.,])(?:{_WHOLE_NUMBER})(?:{_MEASURE})(?![\u4e00-\u9fff])"  # to embed
COUNT_RE = re.compile(rf"(?<![\d.,])(?P<num>{_WHOLE_NUMBER})(?P<measure>{_MEASURE})(?![\u4e00-\u9fff])")
_SPACES = re.compile(r"[ \t\u3000\u00a0\r\n]+")
_FULL = str.maketrans("０１２３４５６７８９．％", "0123456789.%")

UP, DOWN, FLAT = 1, -1, 0
_DIRECTION_WORDS = {
    "增加": UP, "增长": UP, "上升": UP, "增多": UP, "提高": UP, "上涨": UP,
    "减少": DOWN, "下降": DOWN, "降低": DOWN, "减幅": DOWN, "下滑": DOWN, "缩减": DOWN,
    "持平": FLAT, "不变": FLAT, "无变化": FLAT, "无增减": FLAT, "相同": FLAT, "一致": FLAT,
    "增幅": UP, "降幅": DOWN,
    "增": UP, "减": DOWN,  # only right after a comparison: "较上年减0.04万元，增0.01%" (`_TAIL_DIR`)
    # only right after a comparison and right before a figure: "比上年多2.5万元", "比上年少3辆",
    # "比上年预算数加23.47万元" (增加 with a character dropped)
    "加": UP, "多": UP, "少": DOWN,
}
_DIR = "基本持平|" + "|".join(sorted((w for w in _DIRECTION_WORDS if len(w) > 1), key=len, reverse=True))
_TAIL_DIR = _DIR + r"|增|减|[加多少](?=\d)"
DIRECTION_NAMES = {UP: "增加", DOWN: "减少", FLAT: "持平"}
# a direction word right before a figure: the figure is a change ("比上年增加5万元")
_DIRECTION_BEFORE = re.compile(rf"(?:{_DIR})$")
# a figure stated as the change of a comparison: "比预算增加0万元", "较上年减2万元", "比上年多3万元"
_CHANGE_BEFORE = re.compile(rf"(?:{_DIR}|(?:比|较)[^，,。；;：:\d]{{0,16}}[增减加多少])$")


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

    def coarser(self) -> "Percent | None":
        """"2.60%" read as 2.6% written to two places (its last zero padding), else None."""
        if self.decimals < 2 or self.value.as_tuple().digits[-1] != 0:
            return None
        return Percent(self.value, self.half * 10, self.text, self.start, self.end)

    def accepts(self, lo: Decimal, hi: Decimal) -> bool:
        """True when some value in [lo, hi] (a fraction, 0.1234) prints as this percentage, rounded or truncated."""
        low = (self.value - self.half) / 100
        high = (self.value + 2 * self.half) / 100  # truncation: 12.349 printed as 12.34
        return lo <= high and hi >= low


@dataclass(frozen=True, slots=True)
class Count:
    """A printed count of things ("5辆", "2台（套）"): exact, so its interval is the number itself.
    It stands wherever an `Amount` does in a list that adds up (value, half, lo, hi, unit, text)."""

    value: Decimal
    text: str  # as printed, e.g. "2台（套）"
    measure: str  # the measure word, brackets made full-width: "台（套）"
    start: int = 0
    end: int = 0
    half: ClassVar[Decimal] = Decimal(0)
    unit: ClassVar[Decimal] = Decimal(1)

    @property
    def lo(self) -> Decimal:
        return self.value

    @property
    def hi(self) -> Decimal:
        return self.value


def counts_in(text: str, start: int = 0, end: int | None = None) -> list[Count]:
    """The counts of `text[start:end]`, their spans in `text`."""
    out = []
    for m in COUNT_RE.finditer(text, start, len(text) if end is None else end):
        measure = m.group("measure").replace("(", "（").replace(")", "）")
        out.append(Count(Decimal(m.group("num").replace(",", "")), m.group(0), measure, m.start(), m.end()))
    return out


def _decimal(text: str) -> Decimal | None:
    return to_decimal(text.replace(",", ""))



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
    if round_to(round_to(value, shown), decimals, ROUND_HALF_UP) != round_to(value, decimals, ROUND_HALF_UP):
        shown += 1
    return f"{round_to(value, shown)}%"


def fmt_amount(value: Decimal, like: Amount | Count) -> str:
    """A computed value in the unit and precision of a printed amount (at least 2 decimals for 万元,
    none for a whole number beside an amount printed whole),
    its thousands separated as the amount's are ("113,649.00万元" beside "115,649万元"; always for 元),
    or a whole number with a count's measure word."""
    if isinstance(like, Count):
        return f"{value:,}{like.measure}"
    unit = like.unit
    shown = value / unit
    # a whole number beside whole amounts stays whole ("113,649万元" for "115,649万元")
    decimals = 2 if unit > 1 and (shown != shown.to_integral_value() or "." in like.text) else 0
    text = f"{round_to(shown, decimals):,}" if unit == 1 or "," in like.text else f"{round_to(shown, decimals)}"
    suffix = next((s for s in ("亿元", "万元", "万", "元") if like.text.endswith(s)), "元")
    return text + suffix
