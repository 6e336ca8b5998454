"""Table reconstruction from positioned text lines, helped by ruling lines where a table has them.

Private helper of `openlint.read.pdf`. Input: the caption, the preamble and the table's lines per
page (header lines first). Output: a `Table` with a resolved grid.

How it works:

* **Rows.** The body lines are split into *anchor* lines (they hold an amount or a code, several
  cells, a numbered item or a total label) and *continuation* lines (one text cell, no number).
  A continuation line belongs to the nearest anchor when it is close enough: a wrapped cell text
  is centred vertically on its row, so its lines sit within about a line height of the row's
  anchor, closer than the next row. Where the rows are ruled (most Word and WPS prints, cells
  aligned to the top), the lines between two rules are one row, whatever their distances. A
  page's first row that only finishes the previous page's last row (a row split by the page
  break: text under filled cells, the first column empty, no new item) is joined to it. Lines
  less than a line apart are one line (cells centred vertically put a two-line name half a line
  over and under its amounts).
* **Columns.** Column positions come from the x-extents of the body segments (a coverage profile
  over x; runs of covered x are columns, a thin valley bridged by one spanning label is split;
  in a ruled grid, pieces between the same two rules that no row fills both are one column),
  then from the header: header cells are built by stacking wrapped header lines, grouped into
  bands by height, and walked bottom-up; a header cell that overlaps no column becomes a column
  (a column without data, e.g. 事业收入 in a table that only has 财政拨款 amounts).
* **Header grid.** Every header cell covers the columns it overlaps. A cell that has header cells
  below it is a group header (收入预算 over 合计 / 财政拨款收入 / …); it covers the columns between
  the vertical rules beside it where it has them, otherwise it is widened to the widest run of
  free neighbouring columns that keeps the text centred over the run and whose own headers start
  below it. Bands that use disjoint columns are merged; a header cell with nothing below it
  (or above it) in its columns spans those rows too, so the last row of names names every
  column. A row that numbers the columns (栏次 | 1 | 2) under the names is the header's last row,
  in a band of its own.
* **Merged body cells.** In a ruled grid, a text cell whose neighbour is empty and not parted
  from it by the rule that parts those columns elsewhere spans it (合计 across 类 | 款 | 项).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import partial

from openlint.model import Cell, Location, Table
from openlint.read._pdf_layout import Line, Rules, Seg

Rule = tuple[float, float, float]  # a ruling line: horizontal (y top-down, x0, x1) or vertical (x, y0, y1)

_CN = "一二三四五六七八九十百零〇"
AMOUNT = re.compile(r"^[（(]?[-−–—－+]?[\d,，]*\d(?:[.．]\d+)?%?[)）]?$|^[-—–－]{1,2}$")
TOTAL_LABEL = re.compile(r"^[^\d]{0,14}(合\s*计|总\s*计|小\s*计)$")
ROW_ITEM = re.compile(rf"^(第?[{_CN}]+[、.．]|[（(][{_CN}\d]+[)）]|\d{{1,2}}[、.．](?!\d))")


_CUT_AMOUNT = re.compile(r"^[-−–—－]?(?:\d{1,3}(?:[,，]\d{3})+|\d{5,})[.．]$")  # 4,100,000. / 00
_STRICT_AMOUNT = re.compile(r"^[-−–—－]?\d{1,3}(?:[,，]\d{3})+(?:[.．]\d+)?$|^[-−–—－]?\d+[.．]\d+$")


def split_glued(line: Line, vertical: list[Rule] = ()) -> None:
    """Split segments where a cell's text runs up to the next cell's: at a remembered narrow gap
    whose left or right piece is an unmistakable amount (thousands separators or decimals:
    ``371,514,655.00一、…``, ``1,867,397.54 66,410,000.00``), or across which a vertical rule
    of the table runs beside the line (`vertical`: a cell border; ``科目名称 决算数`` written from
    the left of two ruled cells; a space in a Latin name printed on over its empty neighbour
    that happens to fall on the border would be cut too). In place."""
    if not any(s.breaks for s in line.segs):
        return
    borders = [x for x, y0, y1 in vertical if y0 < line.bottom and line.top < y1]
    out: list[Seg] = []
    for seg in line.segs:
        if not seg.breaks:
            out.append(seg)
            continue
        text = seg.text
        cuts = [(0, seg.x0, seg.x0)] + seg.breaks + [(len(text), seg.x1, seg.x1)]
        # pieces between consecutive breaks: [start, end, x0, x1]
        pieces = [[i0, i1, x0, x1] for (i0, _, x0), (i1, x1, _) in zip(cuts, cuts[1:])]
        merged = [pieces[0]]
        for p in pieces[1:]:
            last = merged[-1]
            if (_STRICT_AMOUNT.match(text[last[0] : last[1]].strip()) or _STRICT_AMOUNT.match(text[p[0] : p[1]].strip())
                    or any(min(last[3], p[2]) - 1.5 <= x <= max(last[3], p[2]) + 1.5 for x in borders)):
                merged.append(p)
            else:
                last[1] = p[1]
                last[3] = p[3]
        if len(merged) == 1:
            out.append(seg)
            continue
        for left, right in zip(merged, merged[1:]):
            # a piece clipped at its cell's border may reach over it: keep the pieces apart, so
            # that the columns they stand in stay apart
            left[3] = max(left[2], min(left[3], right[2] - 2))
        for i0, i1, x0, x1 in merged:
            t = text[i0:i1].strip()
            if t:
                out.append(Seg(x0, x1, t))
    line.segs = out
    line.text = " ".join(s.text for s in out)


def is_data_line(line: Line) -> bool:
    """The line holds table data (an amount or code, possibly cut after its decimal point by the
    column's width, a total label alone, a numbered item)."""
    segs = line.segs
    for s in segs:
        if AMOUNT.match(s.text) or _CUT_AMOUNT.match(s.text):
            return True
    if len(segs) == 1 and TOTAL_LABEL.match(segs[0].text):
        return True
    return ROW_ITEM.match(segs[0].text) is not None


_NUMBERING_HEAD = re.compile(r"^[栏行列]\s*次$")
_COLUMN_NUMBERS_HEAD = re.compile(r"^栏\s*次$")


def is_numbering_line(line: Line) -> bool:
    """The line numbers the table's columns (栏次 | 1 | 2 | 3, 栏次 | 1 | 栏次 | 2 in a 收支总表
    of two sides, or 1 | 2 | … | 12 alone): the heads 栏次/行次/列次 and figures only, starting
    with a head or running 1, 2, 3, … (at least three)."""
    texts = [s.text.strip() for s in line.segs]
    if _NUMBERING_HEAD.match(texts[0]):
        return all(t.isdigit() or _NUMBERING_HEAD.match(t) for t in texts[1:])
    return len(texts) >= 3 and all(t.isdigit() for t in texts) and texts == [str(int(texts[0]) + k) for k in range(len(texts))]


def join_wrapped(a: str, b: str) -> str:
    """Join wrapped pieces of one cell: no space between CJK pieces or digits, one between Latin words."""
    if not a:
        return b
    if not b:
        return a
    if a[-1].isdigit() and b[0].isdigit():  # a number or a code wrapped in a narrow column
        return a + b
    if a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


# --------------------------------------------------------------------------------------- rows


def _merge_offset_lines(lines: list[Line]) -> tuple[list[Line], set[int]]:
    """Lines less than a line apart whose segments do not overlap are one line: some PDFs draw
    the digits of a row a little higher than its Chinese text, and in cells centred vertically a
    name wrapped on two lines sits half a line above and below the amounts beside it (lines of
    two rows are at least a line apart). Also gives the lines that finish such a name: text
    right under the name's first line, as far below the amounts as that line is above them
    (算财政拨款收入 | 就业支出 under 一、一般公共预 | 一、社会保障和 and their amounts), which
    belong to the row of the line before them."""
    out: list[Line] = []
    framed: dict[int, tuple[Line, Line]] = {}  # index of a merged line -> (its line of names, of amounts)
    follows: set[int] = set()
    for line in sorted(lines, key=lambda ln: ln.y):
        if out:
            prev = out[-1]
            if line.y - prev.y <= _OFFSET * max(prev.h, line.h) and not any(
                a.x0 < b.x1 and b.x0 < a.x1 for a in prev.segs for b in line.segs
            ):
                segs = sorted(prev.segs + line.segs, key=lambda s: s.x0)
                joined = [segs[0]]
                for sg in segs[1:]:
                    last = joined[-1]
                    if sg.x0 - last.x1 <= 0.15 * line.h:  # one word drawn in two pieces
                        joined[-1] = Seg(last.x0, max(last.x1, sg.x1), last.text + sg.text)
                    else:
                        joined.append(sg)
                # the merged line sits where its numbers (or most of its cells) are
                main = max((prev, line), key=lambda ln: (is_data_line(ln), len(ln.segs)))
                merged = Line(line.page, main.y, main.h, joined, line.page_width, line.page_height)
                if not is_data_line(prev) or all(ROW_ITEM.match(s.text) for s in prev.segs):
                    framed[len(out) - 1] = (prev, line)
                else:
                    framed.pop(len(out) - 1, None)
                out[-1] = merged
                continue
            pair = framed.get(len(out) - 1)
            if pair is not None and _finishes_names(*pair, line):
                follows.add(len(out))
        out.append(line)
    return out, follows


_OFFSET = 0.9  # lines closer than this many line heights are one line (see `_merge_offset_lines`)


def _finishes_names(names: Line, amounts: Line, line: Line) -> bool:
    """`line` holds only the rest of names wrapped from `names` (each piece right under one of
    them, no new item, no figure) and sits as far under `amounts` as `names` sits over them."""
    if is_data_line(line) or line.y - amounts.y > _OFFSET * max(amounts.h, line.h):
        return False
    for seg in line.segs:
        if AMOUNT.match(seg.text) or TOTAL_LABEL.match(seg.text) or ROW_ITEM.match(seg.text) or seg.text.startswith("其中"):
            return False
        if not any(s.x0 < seg.x1 and seg.x0 < s.x1 for s in names.segs):
            return False
    return True


def _rows_of_page(
    lines: list[Line], rules_of: Callable[[], Rules] | None = None, grid: bool = False
) -> list[list[tuple[Line, Seg]]]:
    """Group one page's body lines into rows; a row is a list of (line, segment) pieces.

    A line with an amount or a code, or with several cells, starts a row (an *anchor*); any
    other line joins the nearest anchor when close enough. `rules_of` gives the page's ruling
    lines: between two horizontal rules the lines belong to the row drawn around them, whatever
    the cells' vertical alignment (the third line of a top-aligned cell sits nearer the next row
    than its own) and however many cells wrap at once. `grid`: the table rules every row (known
    from its other pages when this page holds too few lines to tell)."""
    lines, follows = _merge_offset_lines(lines)
    n = len(lines)
    data = [is_data_line(line) for line in lines]
    anchor = [(d or len(line.segs) >= 2) and i not in follows for i, (d, line) in enumerate(zip(data, lines))]
    if not any(anchor):
        if rules_of is None or not rules_of().horizontal:
            return [[(ln, s) for s in ln.segs] for ln in lines]
        anchor[0] = True  # a column of labels: the rules tell where each row ends
    anchors = [i for i in range(n) if anchor[i]]
    gaps = sorted(lines[b].y - lines[a].y for a, b in zip(anchors, anchors[1:]))
    pitch = gaps[len(gaps) // 2] if gaps else 1e9
    owner = list(range(n))
    for i in follows:
        owner[i] = i - 1
    rules: list[Rule] = []
    if rules_of is not None:
        rules = rules_of().horizontal
        grid = grid or _is_grid(lines, rules)
        for i in range(n):  # several cells wrapping at once: their later lines join the row's first
            if not anchor[i] or not rules:
                continue
            if data[i]:  # in a grid even digits wrap (a code or an amount in a narrow column)
                inside = _band_anchors(lines, anchors, i, rules, open_below=True) if grid else None
                found = inside[0] if inside and inside[0] < i else None
            else:
                found = _ruled_owner(lines, data, anchors, i, rules, grid)
            if found is not None and found >= 0:
                anchor[i] = False
                anchors.remove(i)
                owner[i] = found
    # the height of the table's type: a line of figures alone is measured on its digits, lower
    # than the characters (3.34 under 106,69 in a cell of a borderless table sits a line of text
    # below it, more than 1.5 times its own height)
    cjk = sorted(line.h for line in lines if line.cjk)
    type_h = cjk[len(cjk) // 2] if cjk else 0.0
    for i in range(1, n):  # the ends of amounts cut by the column's width, where no rule told
        if anchor[i] and owner[i] == i and _finishes(lines[i - 1], lines[i], type_h):
            anchor[i] = False
            anchors.remove(i)
            owner[i] = i - 1 if anchor[i - 1] else owner[i - 1]
    for i in range(n):
        if anchor[i] or owner[i] != i:
            continue
        line = lines[i]
        found = _ruled_owner(lines, data, anchors, i, rules, grid) if rules else None
        if found is not None:
            if found < 0:  # alone between its rules
                anchor[i] = True
                bisect.insort(anchors, i)
            else:
                owner[i] = found
            continue
        seg = line.segs[0]
        best = -1
        best_d = 1e18
        for j in anchors:  # few anchors per page; a linear scan is fine
            d = abs(lines[j].y - line.y)
            if d < best_d:
                best_d = d
                best = j
        a = lines[best]
        occupied = any(s.x0 < seg.x1 and seg.x0 < s.x1 for s in a.segs)
        h = line.h
        limit = min(1.45 * h, 0.8 * pitch) if occupied else min(2.3 * h, 0.9 * pitch)
        if best_d <= limit:
            owner[i] = best
        else:
            anchor[i] = True
            bisect.insort(anchors, i)
    for i in sorted(follows):  # (the line before may have joined a row itself)
        owner[i] = owner[i - 1]
    groups: dict[int, list[tuple[Line, Seg]]] = {}
    order: list[int] = []
    for i in range(n):
        o = owner[i]
        if o not in groups:
            groups[o] = []
            order.append(o)
        groups[o].extend((lines[i], s) for s in lines[i].segs)
    order.sort(key=lambda o: lines[o].y)
    return [groups[o] for o in order]


def _finishes(above: Line, line: Line, type_h: float = 0.0) -> bool:
    """`line` holds the ends of amounts cut in the line right above it (“3,808,085.” / “00”),
    and maybe the rest of its names: every amount of it completes the amount above it, every
    other cell sits under a cell of text and starts no new item. `type_h`: the height of the
    table's characters."""
    if not 0 < line.y - above.y <= 1.5 * max(line.h, type_h):
        return False
    cut = False
    for seg in line.segs:
        over = next((s for s in above.segs if s.x0 < seg.x1 and seg.x0 < s.x1), None)
        if over is None:
            return False
        if AMOUNT.match(seg.text) or seg.text[:1] in ".．":
            if not _completes(over.text, seg.text):
                return False
            cut = True
        elif AMOUNT.match(over.text) or ROW_ITEM.match(seg.text) or TOTAL_LABEL.match(seg.text):
            return False  # a new item (八、…, 合计) starts a row of its own
    return cut


def _ruled_owner(lines: list[Line], data: list[bool], anchors: list[int], i: int, rules: list[Rule], grid: bool) -> int | None:
    """The anchor of the ruled row that holds line `i` (between the nearest rules above and
    below its cells): its index, -1 when no other anchor is there, None when the rules do not
    settle it (no rule on one side, or several anchors between them, as between a three-line
    table's rules). In a `grid` the row's anchor is its one data line or, in a row of text
    only, its first line; the page's last row may be open below (a row split by the page
    break, which a browser leaves unruled)."""
    inside = _band_anchors(lines, anchors, i, rules, open_below=grid)
    if inside is None:
        return None
    if len(inside) <= 1:
        return inside[0] if inside else -1
    if not grid:
        return None
    with_data = [j for j in inside if data[j]]
    if len(with_data) == 1:
        return with_data[0]
    if not with_data:
        return inside[0] if inside[0] < i else -1
    return None


def _is_grid(lines: list[Line], rules: list[Rule]) -> bool:
    """Rules run between the lines (every row ruled); a three-line table has none between its
    first and last line."""
    return sum(1 for y, _, _ in rules if lines[0].y < y < lines[-1].y) >= 2


def _band_anchors(lines: list[Line], anchors: list[int], i: int, rules: list[Rule], open_below: bool = False) -> list[int] | None:
    """The other anchors between the nearest rules above and below line `i`'s cells, top down;
    None when a side has no rule (`open_below`: no rule below the page's last lines is the
    page's end)."""
    line = lines[i]
    margin = 0.3 * line.h
    above, below = -1e18, 1e18
    # rules are sorted by y: walk up and down from the line (a long table's page has hundreds)
    up = bisect.bisect_left(rules, (line.y - margin,)) - 1
    down = bisect.bisect_right(rules, (line.y + margin, 1e18))
    for seg in line.segs:
        for k in range(up, -1, -1):
            y, x0, x1 = rules[k]
            if y <= above:
                break
            if x0 < seg.x1 and seg.x0 < x1:
                above = y
                break
        for k in range(down, len(rules)):
            y, x0, x1 = rules[k]
            if y >= below:
                break
            if x0 < seg.x1 and seg.x0 < x1:
                below = y
                break
    if above == -1e18 or (below == 1e18 and not open_below):
        return None
    return [j for j in anchors if j != i and above < lines[j].y < below]


# ------------------------------------------------------------------------------------ columns


class _Col:
    __slots__ = ("x0", "x1", "data", "label")

    def __init__(self, x0: float, x1: float, data: bool) -> None:
        self.x0 = x0
        self.x1 = x1
        self.data = data
        self.label = False


def _clusters(spans: list[tuple[float, float]], borders: list[float] = ()) -> list[_Col]:
    """Columns from body segment extents: covered runs of x, split at thin valleys and at the
    table's vertical rules (`borders`: texts on either side of a rule touch it in a spreadsheet
    print, amounts written from the right of one cell, a code from the left of the next)."""
    if not spans:
        return []
    lo_x = min(s[0] for s in spans)
    hi_x = max(s[1] for s in spans)
    if hi_x - lo_x > 4000:  # a coverage profile of 1 pt cells; keep it small whatever comes
        scale = 4000 / (hi_x - lo_x)
        cols = _clusters([((x0 - lo_x) * scale, (x1 - lo_x) * scale) for x0, x1 in spans],
                         [(x - lo_x) * scale for x in borders])
        for c in cols:
            c.x0 = c.x0 / scale + lo_x
            c.x1 = c.x1 / scale + lo_x
        return cols
    lo = int(lo_x) - 1
    size = int(hi_x) + 3 - lo
    diff = [0] * (size + 1)
    for x0, x1 in spans:
        diff[int(x0) - lo] += 1
        diff[int(x1) - lo + 1] -= 1
    cov = [0] * size
    run = 0
    for x in range(size):
        run += diff[x]
        cov[x] = run
    for x in borders:  # (a rule some text runs across parts no columns there)
        if 0 <= int(x) - lo < size and not any(x0 < x - 1 and x + 1 < x1 for x0, x1 in spans):
            cov[int(x) - lo] = 0
    intervals: list[tuple[int, int]] = []
    x = 0
    while x < size:
        if cov[x] > 0:
            s = x
            while x < size and cov[x] > 0:
                x += 1
            stack = [(s, x - 1)]
            while stack:  # split at valleys
                a, b = stack.pop()
                cut = _valley(cov, a, b)
                if cut is None:
                    intervals.append((a, b))
                else:
                    stack.append((a, cut - 1))
                    stack.append((cut + 1, b))
        else:
            x += 1
    intervals.sort()
    starts = [a for a, _ in intervals]
    ext: list[list[float] | None] = [None] * len(intervals)
    for x0, x1 in spans:
        k = bisect.bisect_right(starts, (x0 + x1) / 2 - lo) - 1
        if k < 0:
            k = 0
        a, b = intervals[k]
        if int(x0) - lo < a - 1 or int(x1) - lo > b + 1:
            continue  # bridges a valley: it does not define the column
        e = ext[k]
        if e is None:
            ext[k] = [x0, x1]
        else:
            if x0 < e[0]:
                e[0] = x0
            if x1 > e[1]:
                e[1] = x1
    out = []
    for k, (a, b) in enumerate(intervals):
        e = ext[k]
        out.append(_Col(e[0], e[1], True) if e is not None else _Col(a + lo, b + lo, True))
    return out


def _one_per_ruled_cell(cols: list[_Col], rows: list[list[tuple[Line, Seg]]], spans: list[tuple[float, float]],
                        borders: list[float], vertical_of: Callable[[int], list[Rule]]) -> list[_Col]:
    """Neighbouring columns between the same two vertical rules of a ruled grid are one column
    when no row has text in both: one cell whose rows align their text differently (a 栏次
    number centred over right-aligned amounts, a centred dash, a total written from the left)
    leaves a gap in the coverage, which is no column border. Columns stay apart where a rule
    runs between them beside some of the table's lines (`borders` are the rules beside nearly
    all of them: a merged 合计 cell may hide the one between 编码 and 名称 in a short table), or
    where a row fills both (a table ruled around column groups only). `spans`: the rows'
    segments' extents, in order."""
    # candidates: neighbours with rules of the grid on either side and none of them between
    pairs = {k for k in range(len(cols) - 1)
             if any(b <= cols[k].x0 + 1 for b in borders) and any(b >= cols[k + 1].x1 - 1 for b in borders)
             and not any(cols[k].x1 - 1 < b < cols[k + 1].x0 + 1 for b in borders)}
    if not pairs:
        return cols
    starts = [c.x0 for c in cols]
    used: list[set[int]] = [set() for _ in cols]
    extent: dict[int, tuple[float, float]] = {}  # page -> the table's lines' top and bottom there
    spans_iter = iter(spans)
    for r, row in enumerate(rows):
        for line, _ in row:
            x0, x1 = next(spans_iter)
            for k in range(max(0, bisect.bisect_right(starts, x0) - 1), bisect.bisect_left(starts, x1)):
                if x0 < cols[k].x1:
                    used[k].add(r)
            top, bottom = extent.get(line.page, (line.top, line.bottom))
            extent[line.page] = (min(top, line.top), max(bottom, line.bottom))

    def ruled_between(x0: float, x1: float) -> bool:
        return any(x0 - 1 <= x <= x1 + 1 and v0 < bottom and top < v1
                   for page, (top, bottom) in extent.items() for x, v0, v1 in vertical_of(page))

    out = [cols[0]]
    out_used = [used[0]]
    for k in range(1, len(cols)):
        col, rs = cols[k], used[k]
        last = out[-1]
        if k - 1 in pairs and not out_used[-1] & rs and not ruled_between(last.x1, col.x0):
            out[-1] = _Col(min(last.x0, col.x0), max(last.x1, col.x1), last.data or col.data)
            out_used[-1] = out_used[-1] | rs
        else:
            out.append(col)
            out_used.append(rs)
    return out


def _valley(cov: list[int], s: int, e: int) -> int | None:
    """A cut position inside covered run [s, e] where coverage drops to a thin bridge."""
    if e - s < 8:
        return None
    peak = max(cov[s : e + 1])
    if peak < 2:
        return None
    limit = max(1, peak // 10)
    x = s
    while x <= e:
        if cov[x] <= limit:
            r0 = x
            while x <= e and cov[x] <= limit:
                x += 1
            r1 = x - 1
            if r0 > s and r1 < e and r1 - r0 >= 2:
                low = max(cov[r0 : r1 + 1])
                left = max(cov[s:r0])
                right = max(cov[r1 + 1 : e + 1])
                need = max(2, 3 * low)
                if left >= need and right >= need:
                    return (r0 + r1) // 2
        else:
            x += 1
    return None


# ------------------------------------------------------------------------------------- header


class _HCell:
    __slots__ = ("x0", "x1", "top", "bottom", "h", "text", "band", "a", "b", "ruled", "numbering", "_last")

    def __init__(self, seg: Seg, line: Line, numbering: bool = False) -> None:
        self.x0 = seg.x0
        self.x1 = seg.x1
        self.top = line.y - line.h / 2
        self.bottom = line.y + line.h / 2
        self.h = line.h
        self.text = seg.text
        self.band = 0
        self.a = 0
        self.b = 0
        self.ruled = False  # x0, x1 are its cell's ruled borders
        self.numbering = numbering  # in the row that numbers the columns (栏次 | 1 | 2)
        self._last = (seg.x0, seg.x1)

    @property
    def y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


def _header_cells(lines: list[Line], rules_of: Callable[[], Rules] | None = None) -> list[_HCell]:
    """Header segments, with wrapped lines of one cell stacked into one `_HCell`; a ruling line
    between two lines makes them two cells, as a group header and the first column under it
    when both are written from the left edge; pieces of one line between the same vertical
    rules are one cell."""
    cells: list[_HCell] = []
    rules: list[Rule] | None = None
    vertical = rules_of().vertical if rules_of is not None else []
    boxed: set[tuple[int, float]] = set()
    if vertical:
        cells, boxed = _boxed_cells(lines, vertical, rules_of().horizontal)
    for line in sorted(lines, key=lambda ln: ln.y):
        top = line.y - line.h / 2
        numbering = is_numbering_line(line)
        for seg in _one_per_cell(line, vertical):
            if (id(line), seg.x0) in boxed:
                continue
            target = None
            for c in [] if numbering else cells:  # (a column's number is no wrapped line of its name)
                if c.numbering:
                    continue
                gap = top - c.bottom
                if gap < -0.35 * line.h or gap > 1.2 * line.h:
                    continue
                lx0, lx1 = c._last
                if min(lx1, seg.x1) - max(lx0, seg.x0) <= 0:
                    continue
                if gap > 0.5 * line.h and not _same_borders(vertical, (lx0, lx1), c.bottom - c.h / 2, seg, line):
                    continue  # lines set wide apart (a web page's line height) are one cell between the same rules only
                # lines of one wrapped cell are centred on, or start at, the same x
                if abs((lx0 + lx1) - (seg.x0 + seg.x1)) <= 1.2 * line.h or abs(lx0 - seg.x0) <= 0.6 * line.h:
                    if rules_of is not None:
                        if rules is None:
                            rules = rules_of().horizontal
                        if _rule_between(rules, c.bottom - c.h / 2, line.y, max(lx0, seg.x0), min(lx1, seg.x1)):
                            continue
                    target = c
                    break
            if target is None:
                cells.append(_HCell(seg, line, numbering))
            else:
                target.text = join_wrapped(target.text, seg.text)
                target.x0 = min(target.x0, seg.x0)
                target.x1 = max(target.x1, seg.x1)
                target.bottom = line.y + line.h / 2
                target._last = (seg.x0, seg.x1)
    cells.sort(key=lambda c: (c.y, c.x0))
    if rules_of is not None and _ruled_bands(cells, rules_of().horizontal):
        return cells
    band = -1
    band_y = -1e9
    for c in cells:
        if c.y - band_y > 0.5 * c.h:
            band += 1
            band_y = c.y
        c.band = band
    return cells


def _boxed_cells(lines: list[Line], vertical: list[Rule], horizontal: list[Rule]) -> tuple[list[_HCell], set[tuple[int, float]]]:
    """The header cells whose text wraps inside a ruled box: the pieces of several lines that
    lie between the same four rules are one cell, read line by line (pieces a fraction of a
    point apart are one line: 其 | 他 over 收入 is 其他收入), whatever their alignment and
    whatever lines of other cells come between (序 / 号 beside a group header and the names
    under it). Also the pieces so taken, as (id of the line, x0)."""
    boxes: dict[tuple[float, float, float, float], list[tuple[Line, Seg]]] = {}
    if len(lines) < 2:
        return [], set()
    top = min(line.top for line in lines) - 2 * lines[0].h
    bottom = max(line.bottom for line in lines) + 2 * lines[0].h
    horizontal = [r for r in horizontal if top <= r[0] <= bottom]  # (a long table's page has hundreds)
    for line in lines:
        if is_numbering_line(line):
            continue
        beside = [x for x, v0, v1 in vertical if v0 < line.bottom and line.top < v1]
        for seg in _one_per_cell(line, vertical):
            box = _ruled_box(line, seg, beside, horizontal)
            if box is not None:
                boxes.setdefault(box, []).append((line, seg))
    cells: list[_HCell] = []
    taken: set[tuple[int, float]] = set()
    for pieces in boxes.values():
        if len({id(line) for line, _ in pieces}) < 2:
            continue
        pieces.sort(key=lambda p: p[0].y)
        rows: list[list[tuple[Line, Seg]]] = []
        for line, seg in pieces:
            if rows and line.y - rows[-1][0][0].y <= 0.5 * line.h:
                rows[-1].append((line, seg))
            else:
                rows.append([(line, seg)])
        text = ""
        for row in rows:
            text = join_wrapped(text, "".join(seg.text for _, seg in sorted(row, key=lambda p: p[1].x0)))
        first_line, first_seg = pieces[0]
        # 栏 / 次 over 1, 2, 3 labels the row of column numbers; 行 / 次 heads the column of row numbers
        cell = _HCell(first_seg, first_line, numbering=bool(_COLUMN_NUMBERS_HEAD.match(text)))
        cell.text = text
        cell.x0 = min(seg.x0 for _, seg in pieces)
        cell.x1 = max(seg.x1 for _, seg in pieces)
        cell.bottom = max(line.bottom for line, _ in pieces)
        cell._last = (cell.x0, cell.x1)
        cells.append(cell)
        taken.update((id(line), seg.x0) for line, seg in pieces)
    return cells, taken


def _ruled_box(line: Line, seg: Seg, beside: list[float], horizontal: list[Rule]) -> tuple[float, float, float, float] | None:
    """The rules around `seg` of `line` (left, right, top, bottom), None when a side has none.
    `beside`: the x of the vertical rules beside the line."""
    top, bottom = line.top, line.bottom
    left = max((x for x in beside if x <= seg.x0 + 1), default=None)
    right = min((x for x in beside if x >= seg.x1 - 1), default=None)
    if left is None or right is None:
        return None
    across = [y for y, x0, x1 in horizontal if x0 < seg.x1 and seg.x0 < x1]
    above = max((y for y in across if y <= top + 1), default=None)
    below = min((y for y in across if y >= bottom - 1), default=None)
    if above is None or below is None:
        return None
    return round(left), round(right), round(above), round(below)


def _same_borders(vertical: list[Rule], above: tuple[float, float], above_y: float, seg: Seg, line: Line) -> bool:
    """The piece `above` (x0, x1 of a line at height `above_y`) and `seg` of `line` lie between
    the same two vertical rules, each running beside both lines, and no rule crosses either: two
    lines of one ruled cell (a group header over one of its columns has rules under it that do
    not run beside it)."""
    x0, x1 = min(above[0], seg.x0), max(above[1], seg.x1)
    top, bottom = above_y, line.y
    beside = [x for x, v0, v1 in vertical if v0 <= top and bottom <= v1]
    left = [x for x in beside if x <= x0 + 1]
    right = [x for x in beside if x >= x1 - 1]
    if not left or not right:
        return False
    inner = max(left), min(right)
    return not any(inner[0] < x < inner[1] and v0 < bottom and top < v1 for x, v0, v1 in vertical)


def _one_per_cell(line: Line, vertical: list[Rule]) -> list[Seg]:
    """A header line's segments, with those no vertical rule parts joined (“上解上级  支出”
    written with spaces in one ruled cell), when the line has rules beside it at all."""
    beside = [x for x, y0, y1 in vertical if y0 < line.bottom and line.top < y1]
    if len(line.segs) < 2 or len(beside) < 2:
        return line.segs
    out = [line.segs[0]]
    for seg in line.segs[1:]:
        last = out[-1]
        if seg.x0 - last.x1 < 3 * line.h and not any(last.x1 - 1 <= x <= seg.x0 + 1 for x in beside):
            out[-1] = Seg(last.x0, seg.x1, last.text + seg.text)
        else:
            out.append(seg)
    return out


def _ruled_bands(cells: list[_HCell], rules: list[Rule]) -> bool:
    """Header rows from the rules, for a header aligned to the top: a cell's row is that of the
    rule right above it, so that a cell of two lines and its one-line neighbours share a row
    (their tops line up, their middles do not). False, touching nothing, when some cell has no
    rule above it or the cells of a ruled row are centred rather than aligned to the top."""
    above = []
    for c in cells:
        ys = [y for y, x0, x1 in rules if y < c.top + 1 and x0 < c.x1 and c.x0 < x1]
        if not ys:
            return False
        above.append(round(max(ys)))
    rows: dict[int, list[_HCell]] = {}
    for c, y in zip(cells, above):
        rows.setdefault(y, []).append(c)
    top_aligned = centred = 0
    for row in rows.values():
        if len(row) > 1:
            tol = 0.3 * min(c.h for c in row)
            tops = max(c.top for c in row) - min(c.top for c in row) <= tol
            middles = max(c.y for c in row) - min(c.y for c in row) <= tol
            top_aligned += tops and not middles
            centred += middles and not tops
    if top_aligned <= centred:
        return False
    rank = {y: band for band, y in enumerate(sorted(rows))}
    for c, y in zip(cells, above):
        c.band = rank[y]
    return True


def _ov(a0: float, a1: float, b0: float, b1: float) -> bool:
    """Two x-ranges overlap by more than 30% of the narrower one."""
    return min(a1, b1) - max(a0, b0) > 0.3 * min(a1 - a0, b1 - b0)


def _widen_groups_to_borders(cells: list[_HCell], vertical: list[Rule]) -> None:
    """A group header covers the columns between the vertical rules on either side of it, not
    only those under its text: written from the cell's left edge (Word's default alignment) or
    centred over columns whose amounts are right-aligned, its text misses some of them. Such a
    header is widened to its borders and marked `ruled` (its columns are known). In place."""
    for c in cells:
        beside = [x for x, y0, y1 in vertical if y0 < c.bottom and c.top < y1]
        left = [x for x in beside if x <= c.x0 + 1]
        right = [x for x in beside if x >= c.x1 - 0.5 * c.h]  # text may run a little past its border
        if not left or not right:
            continue
        x0, x1 = max(left), min(right)
        if x1 - c.x1 > c.h and any(o.top >= c.bottom - 1 and o.x0 < x1 and x0 < o.x1 for o in cells if o is not c):
            if c.x0 - x0 > 0.8 * c.h:  # not written from the left edge
                c.x0 = x0 + 1
            c.x1 = x1 - 1
            c.ruled = True


def _is_group(c: _HCell, cells: list[_HCell]) -> bool:
    """A group header has header cells right under it, or under it on both sides with no other
    header of its level in between (its centred text falls between two sub-columns); a leaf,
    possibly spanning rows, has not."""
    if any(o.band > c.band and _ov(o.x0, o.x1, c.x0, c.x1) for o in cells):
        return True
    left = [o for o in cells if o is not c and o.x1 <= c.x0 + 1]
    right = [o for o in cells if o is not c and o.x0 >= c.x1 - 1]
    if not left or not right:
        return False
    nl = max(left, key=lambda o: (o.x1, o.band))
    nr = min(right, key=lambda o: (o.x0, -o.band))
    return nl.band > c.band and nr.band > c.band


def _add_header_columns(cols: list[_Col], cells: list[_HCell], h: float, borders: list[float] = ()) -> list[_Col]:
    """Header cells that sit over no column become columns (walked from the bottom band up).
    `borders`: the x of the vertical rules beside the header's last line, if it is ruled."""
    if not cells:
        return cols
    nb = max(c.band for c in cells) + 1
    tol = 0.5 * h
    for band in range(nb - 1, -1, -1):
        for c in sorted((c for c in cells if c.band == band), key=lambda c: c.x0):
            if any(_ov(col.x0, col.x1, c.x0, c.x1) for col in cols):
                continue
            if _is_group(c, cells):
                continue
            cols.append(_Col(c.x0, c.x1, False))
            cols.sort(key=lambda col: col.x0)
    # a header-only column next to a data-only column is one column (a centred header over
    # right-aligned amounts can miss them by a few points; in a ruled table, a header written
    # from the left of its cell over amounts written from the right, with no border between)
    leaves = [c for c in cells if not _is_group(c, cells)]
    for col in cols:
        col.label = any(_ov(c.x0, c.x1, col.x0, col.x1) for c in leaves)
    changed = True
    while changed:
        changed = False
        for i, col in enumerate(cols):
            if col.data:
                continue
            options = []
            for j in (i - 1, i + 1):
                if 0 <= j < len(cols) and cols[j].data and not cols[j].label:
                    gap = cols[j].x0 - col.x1 if j > i else col.x0 - cols[j].x1
                    lo, hi = (col.x1, cols[j].x0) if j > i else (cols[j].x1, col.x0)
                    # (rules between some columns, none between these two: a frame alone says nothing)
                    one_cell = len(borders) >= 3 and not any(lo < x < hi for x in borders)
                    if gap < 2.5 * h or one_cell:
                        options.append((gap, j))
            if options:
                _, j = min(options)
                other = cols[j]
                merged = _Col(min(col.x0, other.x0), max(col.x1, other.x1), True)
                merged.label = True
                lo_i, hi_i = min(i, j), max(i, j)
                cols[lo_i : hi_i + 1] = [merged]
                changed = True
                break
    # leaf header cells widen their column (better boundaries for centring)
    for c in leaves:
        hits = [k for k, col in enumerate(cols) if _ov(col.x0, col.x1, c.x0, c.x1)]
        if not hits:
            hits = [k for k, col in enumerate(cols) if col.x0 - tol < c.x1 and c.x0 < col.x1 + tol]
        if len(hits) != 1:
            continue
        k = hits[0]
        x0 = min(cols[k].x0, c.x0)
        x1 = max(cols[k].x1, c.x1)
        if (k > 0 and x0 <= cols[k - 1].x1) or (k + 1 < len(cols) and x1 >= cols[k + 1].x0):
            continue
        cols[k].x0 = x0
        cols[k].x1 = x1
    return cols


def _span_header(cells: list[_HCell], cols: list[_Col], h: float, left_edge: float, right_edge: float) -> None:
    """Set each header cell's column range [a, b]."""
    n = len(cols)
    bounds = [left_edge]
    for k in range(n - 1):
        bounds.append((cols[k].x1 + cols[k + 1].x0) / 2)
    bounds.append(right_edge)

    # centre of each column's lowest header label (labels are centred in their cells)
    label_cx = []
    for col in cols:
        best = None
        for c in cells:
            if c.x0 < col.x1 and col.x0 < c.x1 and (best is None or c.band > best.band):
                best = c
        label_cx.append(best.cx if best is not None else (col.x0 + col.x1) / 2)

    def overlapping(c: _HCell) -> tuple[int, int]:
        ks = [k for k, col in enumerate(cols) if col.x0 < c.x1 and c.x0 < col.x1]
        if ks:
            return ks[0], ks[-1]
        k = min(range(n), key=lambda k: max(cols[k].x0 - c.x1, c.x0 - cols[k].x1))
        return k, k

    for c in cells:
        c.a, c.b = overlapping(c)
    nb = max(c.band for c in cells) + 1

    def closed(a: int, b: int, band: int) -> tuple[int, int]:
        changed = True
        while changed:
            changed = False
            for o in cells:
                if o.band > band and o.a <= b and a <= o.b and (o.a < a or o.b > b):
                    a = min(a, o.a)
                    b = max(b, o.b)
                    changed = True
        return a, b

    for band in range(nb - 1, -1, -1):
        row = sorted((c for c in cells if c.band == band), key=lambda c: c.x0)
        for c in row:
            c.a, c.b = closed(c.a, c.b, band)
        for idx, c in enumerate(row):
            below = [o for o in cells if o.band > band and o.a <= c.b and c.a <= o.b]
            if not below or c.ruled:
                continue  # a leaf may span rows, not columns; a ruled group has its columns
            lo_lim = row[idx - 1].b + 1 if idx > 0 else 0
            hi_lim = row[idx + 1].a - 1 if idx + 1 < len(row) else n - 1
            lo_lim = min(lo_lim, c.a)
            hi_lim = max(hi_lim, c.b)

            def ok(k: int) -> bool:
                tops = [o.top for o in cells if o.band > band and o.a <= k <= o.b]
                return not tops or min(tops) >= c.bottom + 0.3 * c.h

            a_min = c.a
            while a_min - 1 >= lo_lim and ok(a_min - 1):
                a_min -= 1
            b_max = c.b
            while b_max + 1 <= hi_lim and ok(b_max + 1):
                b_max += 1
            # the widest run that keeps the text centred (within 7% of the run's width, judged
            # by the cell boundaries or by the labels below); failing that, the best-centred run
            best = (c.a, c.b)
            best_key = None
            cx = c.cx
            for a in range(a_min, c.a + 1):
                for b in range(c.b, b_max + 1):
                    if closed(a, b, band) != (a, b):
                        continue
                    width = bounds[b + 1] - bounds[a]
                    diff = min(
                        abs((bounds[a] + bounds[b + 1]) / 2 - cx),
                        abs((label_cx[a] + label_cx[b]) / 2 - cx),
                    )
                    if diff <= max(0.07 * width, 0.5 * c.h):
                        key = (1, b - a, -diff)
                    else:
                        key = (0, -diff, 0)
                    if best_key is None or key > best_key:
                        best_key = key
                        best = (a, b)
            c.a, c.b = best
            if idx + 1 < len(row):
                nxt = row[idx + 1]
                if nxt.a <= c.b:
                    nxt.a = min(max(nxt.a, c.b + 1), nxt.b)


def _place_numbers(numbers: list[_HCell], cols: list[_Col], band: int, vertical: list[Rule]) -> None:
    """Put the cells of the 栏次 row in a band of their own under the header, each over the
    columns it overlaps (or the nearest) or, where vertical rules stand beside it, over all the
    columns between them (栏次 in a cell merged across 类 | 款 | 项 | 科目名称). In place."""
    for c in numbers:
        c.band = band
        beside = [x for x, y0, y1 in vertical if y0 < c.bottom and c.top < y1]
        left = [x for x in beside if x <= c.x0 + 1]
        right = [x for x in beside if x >= c.x1 - 1]
        if left and right:
            lo, hi = max(left), min(right)
            ks = [k for k, col in enumerate(cols) if lo < (col.x0 + col.x1) / 2 < hi]
        else:
            ks = [k for k, col in enumerate(cols) if col.x0 < c.x1 and c.x0 < col.x1]
        if not ks:
            ks = [min(range(len(cols)), key=lambda k: max(cols[k].x0 - c.x1, c.x0 - cols[k].x1))]
        c.a, c.b = ks[0], ks[-1]


def _header_grid(cells: list[_HCell], ncols: int) -> list[list[Cell | None]]:
    """Place header cells into rows (merged bands), extend cells over empty rows."""
    nb = max(c.band for c in cells) + 1
    bands = [[c for c in cells if c.band == b] for b in range(nb)]
    rows: list[list[_HCell]] = []
    used: list[set[int]] = []
    for band in bands:
        cols_used = set()
        for c in band:
            cols_used.update(range(c.a, c.b + 1))
        if rows and not (used[-1] & cols_used) and not any(c.numbering for c in rows[-1] + band):
            rows[-1].extend(band)
            used[-1] |= cols_used
        else:
            rows.append(list(band))
            used.append(cols_used)
    nr = len(rows)
    # the 栏次 row stays a row of its own: names do not reach down into it, nor its numbers up
    numbering = [any(c.numbering for c in row) for row in rows]
    place: list[list[_HCell | None]] = [[None] * ncols for _ in range(nr)]
    span: dict[int, list[int]] = {}  # id(cell) -> [r0, r1]
    for r, row in enumerate(rows):
        for c in sorted(row, key=lambda c: c.x0):
            free = [k for k in range(c.a, c.b + 1) if place[r][k] is None]
            if not free:
                other = place[r][c.a]
                if other is not None:
                    other.text = join_wrapped(other.text, c.text)
                continue
            c.a, c.b = free[0], free[-1]
            for k in range(c.a, c.b + 1):
                place[r][k] = c
            span[id(c)] = [r, r]
    # extend downwards (bottom-up), then upwards, over rows that are empty in the cell's columns
    for r in range(nr - 1, -1, -1):
        for c in {id(x): x for x in place[r] if x is not None}.values():
            r0, r1 = span[id(c)]
            if r1 != r:
                continue
            while r1 + 1 < nr and not numbering[r1 + 1] and all(place[r1 + 1][k] is None for k in range(c.a, c.b + 1)):
                r1 += 1
                for k in range(c.a, c.b + 1):
                    place[r1][k] = c
            span[id(c)][1] = r1
    for r in range(nr):
        for c in {id(x): x for x in place[r] if x is not None}.values():
            r0, r1 = span[id(c)]
            if r0 != r:
                continue
            while r0 - 1 >= 0 and not c.numbering and all(place[r0 - 1][k] is None for k in range(c.a, c.b + 1)):
                r0 -= 1
                for k in range(c.a, c.b + 1):
                    place[r0][k] = c
            span[id(c)][0] = r0
    out: list[list[Cell | None]] = []
    made: dict[int, Cell] = {}
    for r in range(nr):
        row_cells: list[Cell | None] = []
        for k in range(ncols):
            c = place[r][k]
            if c is None:
                row_cells.append(None)
                continue
            cell = made.get(id(c))
            if cell is None:
                r0, r1 = span[id(c)]
                cell = Cell(c.text, r0, c.a, r1 - r0 + 1, c.b - c.a + 1)
                made[id(c)] = cell
            row_cells.append(cell)
        out.append(row_cells)
    return out


# -------------------------------------------------------------------------------------- build


MAX_HEADER_LINES = 12


def split_header(lines: list[Line], rules_of: Callable[[], Rules] | None = None, total: int = 0) -> int:
    """Index of the first body (data) line; the lines before it are the header (at most
    `MAX_HEADER_LINES`: a table without numbers is mostly body). A wrapped first-row cell whose
    first line sits just above the row's anchor belongs to the body, unless rules show it is the
    last line of a header cell. In a ruled table of text (no data lines) the header is the first
    ruled row when the table is longer than a header can be (`total` lines over all its pages;
    a 绩效目标表) or that row names every column (部门机构设置情况); otherwise the lines are
    taken as a header without body (an empty table under a header of several levels). A row
    that numbers the columns (栏次 | 1 | 2 | 3) right under the header is the header's last row,
    as in a .docx, where it repeats with the header: it holds no data."""
    numbered = [i for i, line in enumerate(lines[: MAX_HEADER_LINES + 1]) if i > 0 and is_numbering_line(line)]
    for i, line in enumerate(lines[: MAX_HEADER_LINES + 1]):
        if is_data_line(line):
            if numbered and i <= numbered[-1] and i + 1 < len(lines):
                continue  # the row numbering the columns, or a header cell over it (合计 spanning rows)
            k = i
            while k > 0:
                prev = lines[k - 1]
                if len(prev.segs) != 1:
                    break
                seg = prev.segs[0]
                occupied = any(s.x0 < seg.x1 and seg.x0 < s.x1 for s in line.segs)
                if line.y - prev.y > (1.45 if occupied else 0.9) * prev.h:
                    break
                if rules_of is not None and _rule_between(rules_of().horizontal, prev.y, line.y, seg.x0, seg.x1):
                    # a row of its own (a label without amounts) is body; the last line of a
                    # header cell is ruled off from the body only
                    if k < 2 or not _rule_between(rules_of().horizontal, lines[k - 2].y, prev.y, seg.x0, seg.x1):
                        break
                k -= 1
            return k
    if numbered:
        # a header without body under it on its page (the table starts at the page's foot):
        # the header ends with its row of column numbers (and the 次 of a 栏 / 次 beside them)
        k = numbered[-1] + 1
        while k < len(lines) and len(lines[k].segs) == 1 and lines[k].y - lines[k - 1].y <= 1.2 * lines[k].h:
            k += 1
        return k
    if rules_of is not None and lines:
        first = lines[0]
        rules = rules_of().horizontal
        # the first row ends at the first rule under all its cells (one spanning more rows, as
        # 年初结转和结余 beside 功能分类科目编码 / 类 | 款 | 项, takes the rows beside it along)
        below = [y for y, _, _ in rules if y > first.y + 0.3 * first.h and _rule_under(rules, y, first)]
        count = sum(1 for line in lines if below and line.y < below[0])
        if 0 < count < len(lines) and count <= MAX_HEADER_LINES:
            long = max(total, len(lines)) > MAX_HEADER_LINES
            # a first row that names every column (no group header over it)
            full = max(len(line.segs) for line in lines[:count]) >= max(len(line.segs) for line in lines)
            if long or full:
                return count
    return min(len(lines), MAX_HEADER_LINES)


def _rule_under(rules: list[Rule], y: float, line: Line) -> bool:
    """Rules at height `y` run under every segment of `line` (drawn in one piece or cell by cell:
    a cell spanning columns may be ruled in one piece per column, as Chromium draws it)."""
    at = sorted((x0, x1) for ry, x0, x1 in rules if abs(ry - y) <= 1)
    return all(_covered(at, seg.x0, seg.x1) for seg in line.segs)


def _covered(pieces: list[tuple[float, float]], left: float, right: float) -> bool:
    """The pieces (sorted by their left end) cover [left, right] without a gap wider than a point."""
    reach = left
    for x0, x1 in pieces:
        if x0 > reach + 1:
            break
        if x1 > reach:
            reach = x1
    return reach >= right


def _rule_between(rules: list[Rule], top: float, bottom: float, left: float, right: float) -> bool:
    """A horizontal rule runs between heights `top` and `bottom`, across [left, right]."""
    return any(top < y < bottom and x0 < right and left < x1 for y, x0, x1 in rules)


def build_table(
    path: str,
    caption: str,
    preamble: list[str],
    parts: list[tuple[int, list[Line]]],
    header_count: int,
    page: int | None = None,
    rules_of: Callable[[int], Rules] | None = None,
) -> Table:
    """A `Table` from its lines: `parts` is [(page, lines)], the first `header_count` lines of
    the first part are the header; `page` is where the caption is (default: the first part's);
    `rules_of(page)` gives a page's ruling lines (see `_rows_of_page`)."""
    first_page = page or parts[0][0]
    header_lines = parts[0][1][:header_count]
    body_parts = [(parts[0][0], parts[0][1][header_count:])] + [(p, ls) for p, ls in parts[1:]]
    rows: list[list[tuple[Line, Seg]]] = []
    page_starts: set[int] = set()  # rows that open a page after the first
    ruled = rules_of is not None and any(lines and _is_grid(lines, rules_of(p).horizontal) for p, lines in body_parts)
    for page_no, lines in body_parts:
        if lines:
            if rows:
                page_starts.add(len(rows))
            rows.extend(_rows_of_page(lines, None if rules_of is None else partial(rules_of, page_no), ruled))
    all_lines = header_lines + [ln for _, ls in body_parts for ln in ls]
    hs = sorted(ln.h for ln in all_lines) or [10.0]
    h = hs[len(hs) // 2]
    borders_of = (lambda page_no: rules_of(page_no).vertical) if rules_of is not None else (lambda page_no: [])
    page_no, body = next(((p, ls) for p, ls in body_parts if ls), (parts[0][0], []))  # (the header may fill a page)
    borders = _table_borders(rules_of, page_no, body)
    spans = [_within_borders(line, s, borders_of(line.page)) for row in rows for line, s in row]
    cols = _clusters(spans, borders)
    if len(borders) >= 3:
        cols = _one_per_ruled_cell(cols, rows, spans, borders, borders_of)
    cells = _header_cells(header_lines, None if rules_of is None else partial(rules_of, parts[0][0]))
    # the 栏次 row names no column and groups none: the columns and the header's spans come from
    # the names above it, and its cells are placed under them last
    numbers = [c for c in cells if c.numbering]
    if len(numbers) < len(cells):
        cells = [c for c in cells if not c.numbering]
    else:
        numbers = []
    if rules_of is not None and cells:
        _widen_groups_to_borders(cells, rules_of(parts[0][0]).vertical)
    # (the borders under the header's names: the 栏次 row under them merges the label columns)
    names = [ln for ln in header_lines if not is_numbering_line(ln)] or header_lines
    cols = _add_header_columns(cols, cells, h, _table_borders(rules_of, parts[0][0], names[-1:]))
    if not cols:
        cols = [_Col(0.0, 1.0, False)]
    ncols = len(cols)
    grid: list[list[Cell]] = []
    header_rows = 0
    if cells:
        left_edge = min([cols[0].x0] + [c.x0 for c in cells]) - 0.5 * h
        right_edge = max([cols[-1].x1] + [c.x1 for c in cells]) + 0.5 * h
        _span_header(cells, cols, h, left_edge, right_edge)
        if numbers:
            _place_numbers(numbers, cols, max(c.band for c in cells) + 1,
                           rules_of(parts[0][0]).vertical if rules_of is not None else [])
        for r, row_cells in enumerate(_header_grid(cells + numbers, ncols)):
            grid.append([c if c is not None else Cell("", r, k) for k, c in enumerate(row_cells)])
        header_rows = len(grid)
    placed = [[(line, seg, _column_of(seg, cols)) for line, seg in sorted(row, key=lambda p: (p[0].y, p[1].x0))] for row in rows]
    edge = [0.0] * ncols  # where the widest text of each column ends
    for row in placed:
        for _, seg, k in row:
            edge[k] = max(edge[k], seg.x1)
    full: set[int] = set()  # columns whose last line in the row above reached the column's edge
    row_lines: list[list[Line]] = []  # the lines of each body row of the grid
    for i, row in enumerate(placed):
        texts = [""] * ncols
        last_line: list[Line | None] = [None] * ncols
        last_seg: list[Seg | None] = [None] * ncols
        for line, seg, k in row:
            if last_line[k] is line:
                texts[k] = texts[k] + " " + seg.text
            else:
                texts[k] = join_wrapped(texts[k], seg.text)
            last_line[k] = line
            last_seg[k] = seg
        r = len(grid)
        if i in page_starts and r > header_rows and _continues_row(grid[-1], texts, full):
            grid[-1] = [Cell(join_wrapped(c.text, t), c.row, c.col) for c, t in zip(grid[-1], texts)]
            row_lines[-1].extend(line for line, _, _ in row)
            continue
        grid.append([Cell(t, r, k) for k, t in enumerate(texts)])
        row_lines.append([line for line, _, _ in row])
        full = {k for k, seg in enumerate(last_seg) if seg is not None and seg.x1 >= edge[k] - 1.2 * h}
    if rules_of is not None and ncols > 1:
        _merge_ruled_cells(grid, header_rows, row_lines, header_lines, cols, borders_of)
    pages = tuple(dict.fromkeys([first_page] + [p for p, _ in parts]))
    return Table(
        caption=caption,
        grid=tuple(tuple(r) for r in grid),
        location=Location(file=path, page=first_page, table=caption or None),
        preamble=tuple(preamble),
        header_rows=header_rows,
        pages=pages,
    )


def _merge_ruled_cells(grid: list[list[Cell]], top: int, row_lines: list[list[Line]], header_lines: list[Line],
                       cols: list[_Col], vertical_of: Callable[[int], list[Rule]]) -> None:
    """Rebuild the merged cells of a ruled grid's body: where a rule that parts two columns
    elsewhere in the table is missing beside a row, and one of the two cells there is empty,
    they are one cell (合计 across 类 | 款 | 项 | 科目名称, 公用经费合计 across a group's code and
    name columns), as a .docx has it. In place; `row_lines[i]` are the lines of row `top + i`
    (the header's lines tell where rules part columns too: an empty table's one row is merged)."""
    extent: dict[int, tuple[float, float]] = {}  # page -> the table's top and bottom there
    for line in [ln for lines in row_lines for ln in lines] + header_lines:
        top_y, bottom_y = extent.get(line.page, (line.top, line.bottom))
        extent[line.page] = (min(top_y, line.top), max(bottom_y, line.bottom))
    pages = list(extent)
    # the rules between columns k and k + 1 beside the table (between their middles: a text
    # across a merged cell widens its column over the border), per page, as the sorted runs of
    # height they cover
    middles = [(c.x0 + c.x1) / 2 for c in cols]
    pieces: list[dict[int, list[tuple[float, float]]]] = [{} for _ in cols[1:]]
    for p in pages:
        top_y, bottom_y = extent[p]
        for x, v0, v1 in vertical_of(p):
            if v0 < bottom_y and top_y < v1:
                k = bisect.bisect_left(middles, x) - 1
                if 0 <= k < len(pieces):
                    pieces[k].setdefault(p, []).append((v0, v1))
    if not any(pieces):
        return
    runs: list[dict[int, tuple[list[float], list[float]]]] = []  # gap -> page -> (starts, ends)
    for gap in pieces:
        by_page = {}
        for p, spans in gap.items():
            starts: list[float] = []
            ends: list[float] = []
            for v0, v1 in sorted(spans):
                if ends and v0 <= ends[-1]:
                    ends[-1] = max(ends[-1], v1)
                else:
                    starts.append(v0)
                    ends.append(v1)
            by_page[p] = (starts, ends)
        runs.append(by_page)

    def ruled(k: int, page: int, top_y: float, bottom_y: float) -> bool:
        """A rule of gap k runs beside heights top_y..bottom_y on `page`."""
        starts, ends = runs[k].get(page, ((), ()))
        j = bisect.bisect_left(starts, bottom_y) - 1
        return j >= 0 and ends[j] > top_y

    for i, lines in enumerate(row_lines):
        row = grid[top + i]
        texts = [c.text for c in row]
        # only a gap with rules elsewhere and an empty cell beside it may be merged (one beside a
        # text cell, at least)
        open_gaps = [k for k in range(len(runs)) if runs[k] and not (texts[k] and texts[k + 1])]
        if not lines or not any(texts[k] or texts[k + 1] for k in open_gaps):
            continue
        page = lines[0].page
        mid_top = min(ln.y for ln in lines)
        mid_bottom = max(ln.y for ln in lines)
        merged = [k for k in open_gaps if not ruled(k, page, mid_top, mid_bottom)]
        # ... in a row that has a rule beside it at all (not in a table whose header alone is ruled)
        if not merged or not any(ruled(k, page, mid_top, mid_bottom) for k in range(len(runs)) if runs[k] and k not in merged):
            continue
        parted = [k not in merged for k in range(len(runs))]
        k = 0
        while k < len(cols):
            if not texts[k]:
                k += 1
                continue
            a = b = k
            while a > 0 and not parted[a - 1] and not texts[a - 1]:
                a -= 1
            while b + 1 < len(cols) and not parted[b] and not texts[b + 1]:
                b += 1
            if b > a:
                cell = Cell(texts[k], top + i, a, 1, b - a + 1)
                for j in range(a, b + 1):
                    row[j] = cell
            k = b + 1


def _table_borders(rules_of: Callable[[int], Rules] | None, page: int, lines: list[Line]) -> list[float]:
    """The x of the vertical rules beside nearly all of `lines` on `page`: the borders of the
    columns there ([] if unruled)."""
    if rules_of is None or not lines:
        return []
    groups: list[tuple[float, list[tuple[float, float]]]] = []  # (x, its pieces' spans): one rule
    for x, y0, y1 in sorted(rules_of(page).vertical):  # drawn cell by cell wavers by a fraction of a point
        if groups and x - groups[-1][0] <= 1:
            groups[-1][1].append((y0, y1))
        else:
            groups.append((x, [(y0, y1)]))
    return [x for x, spans in groups
            if sum(1 for ln in lines if any(y0 < ln.bottom and ln.top < y1 for y0, y1 in spans)) >= 0.8 * len(lines)]


def _within_borders(line: Line, seg: Seg, vertical: list[Rule]) -> tuple[float, float]:
    """The part of the segment's extent between two vertical rules beside its line where most of
    it lies: a spreadsheet prints a long name on over the empty cell beside it, a centred name
    too wide for its cell pokes out of it, and the name stays in the column it stands in (the
    extent defines the columns)."""
    crossed = sorted(x for x, y0, y1 in vertical if seg.x0 + 1 < x < seg.x1 - 1 and y0 < line.bottom and line.top < y1)
    if not crossed:
        return (seg.x0, seg.x1)
    edges = [seg.x0, *crossed, seg.x1]
    a, b = max(zip(edges, edges[1:]), key=lambda piece: piece[1] - piece[0])
    return (a if a == seg.x0 else a + 1, b if b == seg.x1 else b - 1)


def _continues_row(previous: list[Cell], texts: list[str], full: set[int] = frozenset()) -> bool:
    """The first row of a page is the end of the previous page's last row, split by the page
    break: under cells the previous row filled, either only the ends of amounts cut short
    (164,978,64 / 0), or text that is no new item (a number such as 二十、, a 合计, a 其中) with
    the first column (序号, code) left empty or under cells whose last line was `full` (reached
    its column's edge: the label went on, 六、经营收 / 入)."""
    filled = [k for k, t in enumerate(texts) if t]
    if not filled:
        return False
    if all(AMOUNT.match(texts[k]) or texts[k][0] in ".．" for k in filled):  # (a 合计 row has no 序号)
        return all(_completes(previous[k].text, texts[k]) for k in filled)
    before = [k for k, c in enumerate(previous) if c.text]
    if len(before) >= 3 and filled == before[1:] and not AMOUNT.match(texts[filled[-1]]):
        # every cell but the first, text to the last: a row of its own under a label spanning
        # rows (质量指标 | … | 行业指标 under 产出指标), not the end of a label and its amounts
        return False
    wrapped = all(k in full and _CJK.search(texts[k]) for k in filled if not AMOUNT.match(texts[k]))
    if not wrapped and not _unlabelled(previous, filled) and (texts[0] or not previous[0].text):
        return False
    for k in filled:
        t, before = texts[k], previous[k].text
        if not before or ROW_ITEM.match(t) or TOTAL_LABEL.match(t) or t.startswith("其中"):
            return False
        if AMOUNT.match(t) and not _completes(before, t):
            return False
    return True


def _unlabelled(previous: list[Cell], filled: list[int]) -> bool:
    """A page's first row has no label of its own: it leaves empty the columns up to the one
    that labels the row above (its first filled one: 成本指标 beside a 一级指标 spanning rows)
    and the last one that row filled, and fills only cells that row filled (准 | 准 | 元/年
    under 人均救助标 | 人均救助标 | ≤4500 | 行业标准: the row went on over the page break). A
    row of its own fills its last cell (质量指标 | … | 行业指标 under a 产出指标 spanning rows)."""
    before = [k for k, c in enumerate(previous) if c.text]
    return bool(before) and min(filled) > before[0] and before[-1] not in filled and set(filled) <= set(before)


def _completes(before: str, digits: str) -> bool:
    """`digits` are the end of the amount `before`, cut by a line or page break: its decimals
    (91,016,775 / .35, 16726725. / 44, 82,096,797.4 / 2) or its last digits (164,978,64 / 0)."""
    if not before or not (before[-1].isdigit() or before[-1] in ".,．，"):
        return False
    if digits[0] in ".．":
        return True
    if digits.isdigit() and (before[-1] in ".．" and len(digits) <= 2 or _ONE_DECIMAL.match(before) and len(digits) == 1):
        return True  # amounts are printed with two decimals or none
    # the tail of a cut amount has no separator of its own (“0”, “67.89”, not “8,960,694”)
    return "," not in digits and "，" not in digits and bool(_GROUPED.match(before + digits) and not _GROUPED.match(before))


_CJK = re.compile(r"[\u4e00-\u9fff]")
_GROUPED = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")  # an amount with thousands separators
_ONE_DECIMAL = re.compile(r"^-?[\d,]*\d[.．]\d$")


def _column_of(seg: Seg, cols: list[_Col]) -> int:
    best = -1
    best_ov = 0.0
    for k, col in enumerate(cols):
        ov = min(col.x1, seg.x1) - max(col.x0, seg.x0)
        if ov > best_ov:
            best_ov = ov
            best = k
    if best >= 0:
        return best
    return min(range(len(cols)), key=lambda k: max(cols[k].x0 - seg.x1, seg.x0 - cols[k].x1))
