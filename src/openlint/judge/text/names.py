"""Names written several ways: spellings of a name that differ from the usual one (`variants`), and
other organisations named where a document can only name itself (`foreign_names`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from openlint.judge.context import Context, compact
from openlint.judge.registry import ATTRIBUTES, primitive
from openlint.judge.text.corpus import _corpus, _matches, _page, _unit_location
from openlint.model import Location


@dataclass(frozen=True, slots=True)
class Variant:
    """A way of writing a name that differs from the usual one."""

    text: str
    count: int
    canonical: str
    canonical_count: int
    pages: str  # where it occurs, for messages: ：第7页、第25页 (or ：第12行; "" without pages or lines)
    location: Location
    related: tuple[Location, ...] = ()
    anchor: str = ""


@primitive("variants", 1, 2)
def variants(ctx: Context, pattern: Any, reference: Any = None) -> list[Variant]:
    """Names captured by a /regex/ (its group `name`, or its first group; a list of regexes for
    several contexts) compared with the usual one — `reference` when given and found, else the most
    frequent. A capture that ends with the usual name (`纳入上海市某局`) or is a shortening of it (`某局`)
    agrees; one that is nearly the same as a whole but differs (`上海市某某与某局` for `上海市某某和某局`,
    similarity ≥ 0.75) is a variant: one element per variant with `.count`, `.pages` and the usual
    name as `.canonical`. Anything else (another organisation) is left alone.

    With a `reference` of seven characters or more, the whole text is searched too for spellings of
    it one character off — one dropped or added (`上海市普区财政局`), or, for names of ten or more,
    one changed: a typo can sit anywhere, not only where a pattern looks. Shorter names are not
    searched: one character tells many real organisations apart (`上海市民政局`, `上海市财政局`).
    Should such a spelling occur more often than the reference itself, it is the usual one (the
    cover, where the reference is read, is then what is mistyped)."""
    captured = _captures(ctx, pattern)
    found = [(name, loc) for name, loc, _span in captured]
    ref = compact(str(reference)) if reference else ""
    spelled = _one_off_spellings(ctx, ref, [span for _n, _l, span in captured]) if ref else []
    found += [(name, loc) for name, loc, _span in spelled]
    if not found:
        return []
    counts = Counter(n for n, _loc in found)
    total_ref = _corpus(ctx).text.count(ref) if ref else 0
    canonical = ""
    if ref and (any(n == ref or n.endswith(ref) for n in counts) or (spelled and total_ref)):
        canonical = ref
    if not canonical:
        canonical = max(counts, key=lambda n: (counts[n], len(n)))
    if spelled:
        common = Counter(n for n, _l, _s in spelled).most_common(1)[0]
        if common[1] > total_ref:
            canonical = common[0]
    normalised: list[tuple[str, Location]] = []
    short_canonical = _short_form(canonical)
    for name, loc in found:
        short = _short_form(name)
        if name.endswith(canonical) or canonical.endswith(name) or short.endswith(short_canonical) or short_canonical.endswith(short):
            normalised.append((canonical, loc))
            continue
        variant = _near(name, canonical) or (name if _one_edit(name, canonical) else "")
        if variant:
            normalised.append((variant, loc))
    totals = Counter(n for n, _loc in normalised)
    canonical_count = totals.get(canonical, 0)
    if ref and canonical == ref:
        canonical_count = max(canonical_count, total_ref)
    return _by_name(normalised, canonical, canonical_count)


def _by_name(found: list[tuple[str, Location]], canonical: str, canonical_count: int) -> list[Variant]:
    """One element per name of `found` other than `canonical`, in the order they first occur."""
    out: list[Variant] = []
    for name in dict.fromkeys(n for n, _loc in found):
        if name == canonical:
            continue
        locs = [loc for n, loc in found if n == name]
        out.append(Variant(
            text=name, count=len(locs), canonical=canonical, canonical_count=canonical_count,
            pages=_where(locs), location=locs[0], related=tuple(locs[1:]), anchor=name,
        ))
    return out


def _captures(ctx: Context, pattern: Any, scope: Any = None) -> list[tuple[str, Location, tuple[int, int]]]:
    """(name, location, corpus span of the name) for every capture of the pattern(s) (inside `scope`)."""
    patterns = pattern if isinstance(pattern, (list, tuple)) else [pattern]
    out: list[tuple[str, Location, tuple[int, int]]] = []
    for p in patterns:
        for _i, unit, m in _matches(ctx, p, scope):
            group: Any = "name" if "name" in m.re.groupindex else (1 if m.re.groups else 0)
            name = m.group(group)
            if name is None:
                continue
            span = m.span(group)
            name = _PART_PREFIX.sub("", name)
            if len(name) >= 2:
                out.append((name, _unit_location(unit, m.start() - unit.start), span))
    return out


_NAME_CHAR = re.compile(r"[\u4e00-\u9fff（）]+")


def _one_off_spellings(ctx: Context, ref: str, taken: list[tuple[int, int]]) -> list[tuple[str, Location, tuple[int, int]]]:
    """Runs of the text that start like `ref`, end like it and are one character off it (see
    `variants`), outside every exact occurrence of it and every span already captured."""
    size = len(ref)
    if size < 7:
        return []
    corpus = _corpus(ctx)
    text = corpus.text
    busy = [(m.start(), m.end()) for m in re.finditer(re.escape(ref), text)] + list(taken)
    lengths = (size - 1, size, size + 1) if size >= 10 else (size - 1, size + 1)
    out: list[tuple[str, Location, tuple[int, int]]] = []
    for m in re.finditer(re.escape(ref[:2]), text):
        s = m.start()
        for n in lengths:
            e = s + n
            w = text[s:e]
            if len(w) != n or w[-1] != ref[-1] or not _NAME_CHAR.fullmatch(w):
                continue
            if any(a < e and s < b for a, b in busy) or not _one_edit(w, ref):
                continue
            unit = corpus.units[corpus.unit_at(s)]
            out.append((w, _unit_location(unit, s - unit.start), (s, e)))
            busy.append((s, e))
            break
    return out


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by dropping, adding or changing exactly one character."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1 :]


@primitive("foreign_names", 2, 3)
def foreign_names(ctx: Context, pattern: Any, reference: Any, scope: Any = None) -> list[Variant]:
    """Full organisation names (a place — 上海市, 某某区, 中共某某 — then a name ending like an
    organisation: 局, 委员会, 办公室, 办事处, 中心, 院, 部…) captured by a /regex/ (group `name`; a
    list for several contexts) that are not `reference` and not a way of writing it: not a
    shortening (`普陀区财政局`, `区财政局`, `商务委` for 上海市普陀区商务委员会), not the name with more
    around it (`上海市某局机关`), not a variant spelling `variants` reports (similar ≥ 0.75 or one
    character off). For places where a document can only name itself (`2025年，××收入预算`): another
    organisation there is a wrong name. One element per name, `.canonical` the reference. `scope`
    (a section, blocks or a list of them): only there."""
    ref = _OWN_LEVEL.sub("", compact(str(reference))) if reference else ""
    if not ref:
        return []
    found: list[tuple[str, Location]] = []
    for name, loc, _span in _captures(ctx, pattern, scope):
        if _agrees(name, ref) or _near(name, ref) or _one_edit(name, ref) or not _FULL_NAME.match(name):
            continue
        found.append((name, loc))
    return _by_name(found, ref, _corpus(ctx).text.count(ref))  # (no name of `found` is `ref`: it agrees)


_OWN_LEVEL = re.compile(r"[（(]本级[)）]$")  # 上海市某局（本级） on a cover is 上海市某局

# (not a clause that happens to hold a place: 根据市里要求的局)
_FULL_NAME = re.compile(
    r"^(?!根据|按照|依据|关于|通过|对于|为了|经过|对|在|向|由|从|将|把|经|与|和|及|是)(?!.*的)(中共|中国共产党)?[\u4e00-\u9fff]{1,8}?(省|市|自治区|县|区|旗|州|盟|镇|乡|街道)[\u4e00-\u9fff（）]{1,30}"
    r"(局|委员会|委|办公室|办事处|工作部|部|中心|院|所|站|馆|队|社|会|厅|处|政府|街道|镇|乡|学校|医院)$"
)


# an autonomous place's designation, left out of its short name: 寻甸回族彝族自治县 → 寻甸县,
# 延边朝鲜族自治州 → 延边州
_AUTONOMY = re.compile(r"(?:[\u4e00-\u9fff]{1,3}族)+自治(?=[县州旗区])")


def _short_form(name: str) -> str:
    return _AUTONOMY.sub("", name) if "自治" in name else name


def _agrees(name: str, ref: str) -> bool:
    """`name` is `ref`, holds it, or shortens it: a tail of it (`普陀区财政局`), its short form
    (`寻甸县文化和旅游局` for 寻甸回族彝族自治县文化和旅游局), or its characters in order without
    its leading place (`普陀区商务委`, `商务委`). A name that keeps the leading place but drops the
    one after it (`上海市财政局` for 上海市普陀区财政局) names another level."""
    if ref in name or ref.endswith(name):
        return True
    if "自治" in ref and _short_form(ref).endswith(_short_form(name)):
        return True
    if name[:2] == ref[:2]:
        return False
    it = iter(ref)
    return all(ch in it for ch in name)


_PART_PREFIX = re.compile(r"^第[一二三四五六七八九十]+部分")


def _near(name: str, canonical: str, threshold: float = 0.75) -> str:
    """`name` when it is nearly `canonical` — a variant spelling, not another organisation or a
    sentence that merely mentions one (`根据上海市财政局…` is not a variant of 上海市普陀区财政局)."""
    ratio = SequenceMatcher(None, name, canonical, autojunk=False).ratio()
    return name if ratio >= threshold else ""


def _where(locations) -> str:
    """Where, for messages: `：第7页、第25页` (or lines) in document order, "" when the format has neither."""
    places = []
    for loc in sorted(locations, key=lambda loc: (loc.page or 0, loc.line or 0)):
        place = f"第{loc.page}页" if loc.page else (f"第{loc.line}行" if loc.line else "")
        if place and place not in places:
            places.append(place)
    if not places:
        return ""
    return "：" + "、".join(places[:8]) + ("等" if len(places) > 8 else "")


ATTRIBUTES[Variant] = {
    "text": lambda ctx, v: v.text, "count": lambda ctx, v: v.count, "canonical": lambda ctx, v: v.canonical,
    "canonical_count": lambda ctx, v: v.canonical_count, "pages": lambda ctx, v: v.pages, "page": _page,
}
