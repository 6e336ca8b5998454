"""A table printed in strips side by side over several pages, put back together.

Private helper of `openlint.read.pdf`. A spreadsheet wider than the paper, printed without
"fit to page width", comes out in vertical strips: the rows' labels (codes, names) and the first
columns on one page, the next columns on a later page (spreadsheets print down, then over by
default: the strips of every band of rows come after the first strip of all bands), each strip
with the same rows at the same heights. Read page by page, a strip would be a table of amounts
without labels and the labelled one a table without its amounts.

A page whose data lines (amounts, codes) hold no Chinese text (but 合计), with no header over
label columns (科目编码, 项目 …), whose data lines nearly all sit at the heights of an earlier
page's data lines and whose header lines sit beside none of them, is such a strip (see
`_labels_page` for which earlier page): `join_strips` moves its lines onto that page, to the right
of what is there (its left border on the earlier page's right border when both are ruled), and
its ruling lines with them, so that the composer reads one wide table. A caption drawn over all
the strips and cut to each ("算支出功能分类预算表") is made whole again on the labels page.
"""

from __future__ import annotations

import re

from openlint.read._pdf_blocks import _compact, caption_text
from openlint.read._pdf_layout import Line, Rules, Seg
from openlint.read._pdf_table import TOTAL_LABEL, is_data_line

Page = tuple[int, float, float, list[Line]]  # (page number, width, height, lines)

_CJK = re.compile(r"[\u4e00-\u9fff]")
_MATCH = 0.9  # the share of either page's data lines the other must match
_LOOK_BACK = 8  # pages back where a strip's labels may be
# the header of a column of row labels: a page holding one holds the rows' labels, no strip
_LABELS_HEADER = re.compile(r"^\s*项\s*目\s*$|科目|分类|^\s*序\s*号\s*$|单位名称")


def join_strips(pages: list[Page], rules: dict[int, Rules]) -> dict[int, int]:
    """Move each strip's lines (and ruling lines) onto the page of its rows' labels. In place;
    returns {strip page: labels page}."""
    moved: dict[int, int] = {}
    labels: list[int] = []  # indices in `pages` of the pages a strip may belong to, in order
    joined: dict[int, int] = {}  # how many strips each of them has taken
    for k, (page_no, _w, _h, lines) in enumerate(pages):
        if not lines:
            continue
        data = [ln for ln in lines if is_data_line(ln)]
        labelled = any(_CJK.search(ln.text) and not TOTAL_LABEL.match(ln.text) for ln in data) or any(
            _LABELS_HEADER.search(s.text) for ln in lines if not caption_text(ln.text) for s in ln.segs)
        # rows with their labels, or a header over label columns, make no strip, unless the page
        # begins with the cut end of the caption before it (the right-hand group of a two-group table)
        target = None
        if not labelled or _cut_at_left(lines):
            target = _labels_page(pages, labels[-_LOOK_BACK:], lines, data, joined)
        if target is not None:
            _append(pages, rules, target, k)
            moved[page_no] = pages[target][0]
            joined[target] = joined.get(target, 0) + 1
        else:
            labels.append(k)  # (also the first strip of a table without labels, or of an empty one)
    return moved


def _labels_page(pages: list[Page], candidates: list[int], lines: list[Line], data: list[Line],
                 joined: dict[int, int]) -> int | None:
    """The candidate the strip lines up with: nearly all the strip's data lines beside data
    lines, none of its header lines beside a data line (a page of the next band of rows has rows
    where the strip's header is), and, when the strip begins with a piece of a cell drawn over
    all strips (the caption), the whole of it (or a piece) beside that piece: a table's strips
    are told from another table's of the same layout by its caption. A strip of fewer than
    three rows needs its caption. Of several, the one that has taken the fewest strips, then the
    earliest: bands of rows of the same height line up alike, and a sheet is printed down, then
    over (the first strip of each band in turn, then the second …)."""
    captioned = [k for k in candidates if _caption_piece(lines[0], _at_height(pages[k][3], lines[0]))]
    fitting = []
    for k in captioned or candidates:
        theirs = pages[k][3]
        on_data = 0
        for line in lines:
            beside = _at_height(theirs, line)
            if beside is None:
                continue
            if is_data_line(line) and is_data_line(beside):
                on_data += 1
            elif is_data_line(beside):
                break  # a header line beside a row
        else:
            # (under its caption's piece, a strip may run longer than its labels' rows: the
            # right-hand group of a two-group table, its left-hand rows blank there)
            rows = sum(1 for ln in theirs if is_data_line(ln))
            if (on_data >= _MATCH * len(data) or (captioned and on_data >= _MATCH * rows)) and (on_data >= 3 or captioned):
                fitting.append(k)
    return min(fitting, key=lambda k: (joined.get(k, 0), k), default=None)


def _cut_at_left(lines: list[Line]) -> bool:
    """The page begins with a caption cut by the page's left edge: a title (ending in 表) that
    starts left of everything under it, where the text of a cell drawn over several pages goes on."""
    first, rest = lines[0], lines[1:]
    return bool(rest) and caption_text(first.text) and first.x0 < min(ln.x0 for ln in rest) - first.h


def _caption_piece(line: Line, beside: Line | None) -> bool:
    """`line` (on a strip) and `beside` (on the page before it) are pieces of one caption (a
    title ending in 表) drawn over all the strips: the earlier page shows its left part, the
    strip its right part (“收入” and “收入决算表”, “2025年部门支出预算总表” and “出预算总表”), not
    another table's title that ends the same (“支出决算表” beside “政府性基金……收入支出决算表”)."""
    if beside is None or not (caption_text(line.text) or caption_text(beside.text)):
        return False
    mine, theirs = _compact(line.text), _compact(beside.text)
    if min(len(mine), len(theirs)) < 2:
        return False
    return theirs.endswith(mine) if len(mine) < len(theirs) else mine.startswith(theirs)


def _at_height(lines: list[Line], line: Line) -> Line | None:
    tolerance = 0.35 * line.h
    return next((ln for ln in lines if abs(ln.y - line.y) <= tolerance), None)


def _append(pages: list[Page], rules: dict[int, Rules], target: int, strip: int) -> None:
    page_no, width, height, lines = pages[target]
    strip_no, _sw, _sh, strip_lines = pages[strip]
    ours, theirs = rules.get(page_no), rules.get(strip_no)
    h = strip_lines[0].h
    if ours and ours.vertical and theirs and theirs.vertical:  # border on border
        dx = max(x for x, _, _ in ours.vertical) - min(x for x, _, _ in theirs.vertical)
    else:  # past the rows (a caption drawn over all the strips reaches further)
        rows = [ln for ln in lines if is_data_line(ln)] or lines
        dx = max(ln.x1 for ln in rows) - min(ln.x0 for ln in strip_lines) + 2 * h
    for line in strip_lines:
        segs = [Seg(s.x0 + dx, s.x1 + dx, s.text, [(i, a + dx, b + dx) for i, a, b in s.breaks] if s.breaks else None)
                for s in line.segs]
        beside = _at_height(lines, line)
        if beside is not None and _caption_piece(line, beside):
            # a cell drawn over every strip (the caption), cut to each: the fuller piece stays
            if len(_compact(line.text)) > len(_compact(beside.text)):
                beside.segs = [Seg(beside.x0, beside.x1, line.text)]
                beside.text = line.text
            continue
        if beside is not None:
            beside.segs.extend(segs)
            beside.x1 = max(beside.x1, segs[-1].x1)
            beside.text = " ".join(s.text for s in beside.segs)
            continue
        moved = Line(page_no, line.y, line.h, segs, width, height)
        moved.cjk, moved.ci = line.cjk, line.ci
        lines.append(moved)
    lines.sort(key=lambda ln: ln.y)
    pages[strip] = (strip_no, _sw, _sh, [])
    if theirs:
        base = ours or Rules([], [])
        rules[page_no] = Rules(
            sorted(base.horizontal + [(y, x0 + dx, x1 + dx) for y, x0, x1 in theirs.horizontal]),
            sorted(base.vertical + [(x + dx, y0, y1) for x, y0, y1 in theirs.vertical]),
        )
