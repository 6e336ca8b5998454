"""Word's automatic list numbering (`word/numbering.xml`), rendered as Word displays it.

A paragraph whose `w:numPr` (its own or its paragraph style's) names a list shows a label ("一、",
"（一）", "1.", "第一部分") that is not part of its text: headings numbered that way are found by
their numbering only once the label is put back. `Numbering` holds the part's lists and, while the
body is read in order, their counters; `Numbering.prefix` gives one paragraph's label and counts it.
`format_number` is the number formatting of `w:numFmt`. `count_label` (counting a paragraph and
writing its label) and `join_label` (putting the label before the text) are shared with the legacy
.doc reader, whose lists (`read/doc.py`) are read into the same `Level`s.

Counting is the common case of Word's: the counters of a list (`w:abstractNum`) are shared by the
`w:num`s that use it, except a `w:num` that overrides a level (`w:lvlOverride`), which counts on
its own; a level restarts when an earlier level advances (or as `w:lvlRestart` says).
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, replace

from lxml import etree

MAX_COUNT = 32767  # counters and start values are clamped: a huge start must not make a huge label
_LEVELS = 9  # w:ilvl 0..8
_PLACEHOLDER = re.compile(r"%([1-9])")
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_FALSE = {"0", "false", "off"}
# a label ending like this is joined to the text directly ("一、部门职责", "（一）…", "1.…")
_CLOSED = tuple("、）).．:：，,;；]】〕>》」』")

_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_CN_UNITS = ("", "十", "百", "千")
_CN_LEGAL_UNITS = ("", "拾", "佰", "仟")
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_COUNTING = {"chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
             "taiwaneseCountingThousand", "japaneseCounting"}
_DIGITAL = {"ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"}
_ENCLOSED = {  # first code point of ① ⑴ ⒈, each for 1..20
    "decimalEnclosedCircle": 0x2460, "decimalEnclosedCircleChinese": 0x2460,
    "decimalEnclosedParen": 0x2474, "decimalEnclosedFullstop": 0x2488,
}


def format_number(n: int, fmt: str) -> str:
    """`n` written in the `w:numFmt` `fmt` (11 → 十一 in chineseCounting, 3 → ③ in
    decimalEnclosedCircle); a format with no glyph for `n`, or unknown, gives the decimal number.
    `none` gives "" (its label shows no number); bullets are not numbers and are left to the caller."""
    if fmt == "none":
        return ""
    if fmt in _COUNTING:
        return _chinese(n, _CN_DIGITS, _CN_UNITS, short_ten=True)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL, _CN_LEGAL_UNITS, short_ten=False)
    if fmt in _DIGITAL:
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional" and 1 <= n <= len(_STEMS):
        return _STEMS[n - 1]
    if fmt == "ideographZodiac" and 1 <= n <= len(_BRANCHES):
        return _BRANCHES[n - 1]
    if fmt in _ENCLOSED and 1 <= n <= 20:
        return chr(_ENCLOSED[fmt] + n - 1)
    if fmt in ("upperLetter", "lowerLetter") and n >= 1:
        letter = chr(ord("A" if fmt == "upperLetter" else "a") + (n - 1) % 26)
        return letter * ((n - 1) // 26 + 1)  # 27 → AA, as Word counts
    if fmt in ("upperRoman", "lowerRoman") and n >= 1:
        out = []
        for value, glyph in _ROMAN:
            count, n = divmod(n, value)
            out.append(glyph * count)
        roman = "".join(out)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero" and 0 <= n < 10:
        return f"0{n}"
    return str(n)


def _chinese(n: int, digits: str, units: tuple[str, ...], *, short_ten: bool) -> str:
    """`n` in Chinese counting with `digits` and `units` (21 → 二十一, 101 → 一百零一, 10000 → 一万);
    a leading 一十 without its 一 when `short_ten` (十一, not 一十一). 0 alone is the zero digit."""
    if n <= 0 or n >= 10**8:
        return str(n) if n else digits[0]
    high, low = divmod(n, 10000)
    text = ""
    if high:
        text = _chinese_below_10000(high, digits, units) + "万"
        if low and low < 1000:
            text += "零"
    if low:
        text += _chinese_below_10000(low, digits, units)
    if short_ten and text.startswith(digits[1] + units[1]):
        text = text[1:]
    return text


def _chinese_below_10000(n: int, digits: str, units: tuple[str, ...]) -> str:
    out: list[str] = []
    gap = False  # a zero digit since the last one written: 一百零一
    for power in (3, 2, 1, 0):
        d = n // 10**power % 10
        if d:
            if gap:
                out.append("零")
            out.append(digits[d] + units[power])
            gap = False
        elif out:
            gap = True
    return "".join(out)


def count_label(
    counters: dict[Hashable, list[int | None]], key: Hashable, levels: dict[int, Level], ilvl: int
) -> str | None:
    """Count a paragraph at level `ilvl` of the list `key` (whose levels are `levels`; `counters`
    holds every list's counters, by key) and give the label Word shows before its text, with the
    separator to the text: "一、", "（一）", "第一部分 ". A level restarts when an earlier one
    advances (or as its `restart` says). None when there is no number to show: an unknown level,
    a bullet, an empty label. Shared by the .docx and .doc readers."""
    level = levels.get(ilvl)
    if level is None:
        return None
    counts = counters.get(key)
    if counts is None:
        counts = counters[key] = [None] * _LEVELS
    current = counts[ilvl]
    counts[ilvl] = level.start if current is None else min(current + 1, MAX_COUNT)
    for deeper in range(ilvl + 1, _LEVELS):
        if counts[deeper] is None:
            continue
        lvl = levels.get(deeper)
        restart = lvl.restart if lvl is not None else None
        if restart is None or restart > deeper or ilvl < restart:  # naming a later level: ignored
            counts[deeper] = None
    if level.fmt == "bullet":
        return None

    def number(match: re.Match) -> str:
        i = int(match.group(1)) - 1
        ref = levels.get(i)
        if ref is None or ref.fmt == "bullet":
            return ""
        n = counts[i]
        if n is None:  # an earlier level skipped since it (re)started: Word shows 1.0.1
            n = max(ref.start - 1, 0)
        return format_number(n, "decimal" if level.legal and ref.fmt != "none" else ref.fmt)

    label = _PLACEHOLDER.sub(number, level.text).strip()
    if not label:
        return None
    return label if level.tight or label.endswith(_CLOSED) else label + " "


def join_label(label: str | None, text: str) -> str:
    """A paragraph's text with its list label before it, as Word shows it; not when the number is
    typed by hand as well (not doubled), nor on an empty paragraph (counted, but nothing to show)."""
    if label and text and not text.startswith(label.rstrip()):
        return label + text
    return text


@dataclass(frozen=True)
class Level:
    """One `w:lvl` of a list: where its number starts, how it is written and when it restarts."""

    start: int = 0  # w:start (0 when absent, as the standard says)
    fmt: str = "decimal"  # w:numFmt
    text: str = ""  # w:lvlText: "%1、", "（%2）", "%1.%2" (%N: the number of level N)
    # w:lvlRestart: restart when one of levels 1..N (1-based) advances; 0: never; None: when any
    # earlier level does
    restart: int | None = None
    legal: bool = False  # w:isLgl: every number of the label in decimal
    tight: bool = False  # w:suff is "nothing": the text follows the label directly
    style: str | None = None  # w:pStyle: the paragraph style linked to this level


class Numbering:
    """The lists of a numbering part and their counters, for one reading of the body in order.

    `root` is the parsed `w:numbering` element, or None for a package without a usable part (every
    paragraph is then unnumbered). Levels are read from the part the first time a list is used.
    """

    def __init__(self, root: etree._Element | None):
        self._abstract: dict[str, etree._Element] = {}
        self._nums: dict[str, tuple[str, dict[int, tuple[int | None, etree._Element | None]]]] = {}
        self._levels: dict[str, dict[int, Level]] = {}
        self._counts: dict[Hashable, list[int | None]] = {}
        if root is None:
            self._w = ""
            return
        self._w = w = "{%s}" % (etree.QName(root).namespace or "")
        links: dict[str, str] = {}  # w:styleLink name → the abstractNum defining that list style
        for el in root.iterchildren(w + "abstractNum"):
            aid = el.get(w + "abstractNumId")
            if aid is not None and aid not in self._abstract:
                self._abstract[aid] = el
                for link in el.iterchildren(w + "styleLink"):
                    links.setdefault(link.get(w + "val") or "", aid)
        # an abstractNum that only names a list style (w:numStyleLink) takes that style's levels
        for aid, el in list(self._abstract.items()):
            for link in el.iterchildren(w + "numStyleLink"):
                target = links.get(link.get(w + "val") or "")
                if target is not None:
                    self._abstract[aid] = self._abstract[target]
        for el in root.iterchildren(w + "num"):
            nid = el.get(w + "numId")
            ref = next(el.iterchildren(w + "abstractNumId"), None)
            if nid is None or ref is None or nid in self._nums:
                continue
            overrides: dict[int, tuple[int | None, etree._Element | None]] = {}
            for ov in el.iterchildren(w + "lvlOverride"):
                ilvl = _int(ov.get(w + "ilvl"))
                if ilvl is None or not 0 <= ilvl < _LEVELS:
                    continue
                start = next(ov.iterchildren(w + "startOverride"), None)
                overrides[ilvl] = (
                    _clamp(_int(start.get(w + "val"))) if start is not None else None,
                    next(ov.iterchildren(w + "lvl"), None),
                )
            self._nums[nid] = (ref.get(w + "val") or "", overrides)

    def prefix(self, num_id: str, ilvl: int | None, style_id: str | None) -> str | None:
        """What Word shows before the text of a paragraph of list `num_id` at level `ilvl` (None:
        the level linked to the paragraph's style `style_id`, else the first), with the separator
        to the text: "一、", "（一）", "第一部分 ". Counts the paragraph. None when there is no
        number to show: an unknown list or level, a bullet, an empty label."""
        num = self._nums.get(num_id)
        if num is None:
            return None
        aid, overrides = num
        levels = self._levels_of(num_id, aid, overrides)
        if not levels:
            return None
        if ilvl is None:
            ilvl = next((i for i, lvl in levels.items() if style_id and lvl.style == style_id), 0)
        level = levels.get(ilvl)
        if level is None:
            return None
        key = ("num", num_id) if overrides else ("abstract", aid)
        return count_label(self._counts, key, levels, ilvl)

    def _levels_of(self, num_id: str, aid: str, overrides: dict) -> dict[int, Level]:
        """The levels a paragraph of `num_id` is numbered with: its list's, as its overrides change them."""
        key = "num:" + num_id if overrides else aid
        levels = self._levels.get(key)
        if levels is not None:
            return levels
        el = self._abstract.get(aid)
        levels = {} if el is None else self._read_levels(el.iterchildren(self._w + "lvl"))
        for ilvl, (start, lvl_el) in overrides.items():
            if lvl_el is not None:
                levels.update(self._read_levels((lvl_el,), ilvl))
            if start is not None and ilvl in levels:
                levels[ilvl] = replace(levels[ilvl], start=start)
        self._levels[key] = levels
        return levels

    def _read_levels(self, elements, ilvl: int | None = None) -> dict[int, Level]:
        w = self._w
        val = w + "val"
        levels: dict[int, Level] = {}
        for el in elements:
            i = _int(el.get(w + "ilvl")) if ilvl is None else ilvl
            if i is None or not 0 <= i < _LEVELS or i in levels:
                continue
            first = {}  # the first of each child, as `find` would
            for child in el:
                first.setdefault(child.tag, child)
            start = first.get(w + "start")
            fmt = first.get(w + "numFmt")
            if fmt is None:  # Word 2010 writes its custom formats in mc:AlternateContent
                fmt = next((f for f in el.iter(w + "numFmt") if f.getparent().tag == _MC_FALLBACK), None)
            text = first.get(w + "lvlText")
            restart = first.get(w + "lvlRestart")
            legal = first.get(w + "isLgl")
            suff = first.get(w + "suff")
            style = first.get(w + "pStyle")
            levels[i] = Level(
                # a w:start that is no number (val="x") counts as absent, not as a start of None
                start=(_clamp(_int(start.get(val))) or 0) if start is not None else 0,
                fmt=(fmt.get(val) or "decimal") if fmt is not None else "decimal",
                text=(text.get(val) or "") if text is not None else "",
                restart=_int(restart.get(val)) if restart is not None else None,
                legal=legal is not None and (legal.get(val) or "1").lower() not in _FALSE,
                tight=suff is not None and suff.get(val) == "nothing",
                style=style.get(val) if style is not None else None,
            )
        return levels


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


def _clamp(n: int | None) -> int | None:
    return None if n is None else max(0, min(n, MAX_COUNT))
