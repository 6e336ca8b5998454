"""Characters → lines → segments for one PDF page (pypdfium2 text page).

Private helper of `openlint.read.pdf`. Coordinates are top-down: `y` grows downwards from the
top edge of the page, so sorting by `y` is reading order. A `Line` is a run of characters that
share a baseline band; a `Seg` is a piece of a line between large horizontal gaps (a table cell,
or a word separated from the next one by a column gutter).

Speed matters here (the reader's budget is a few ms a page): one ctypes call per character for
its loose box, plain tuples, one sort per page and one per line.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from operator import itemgetter
from typing import NamedTuple

import pypdfium2.raw as pdfium_c

# Characters that separate words but are not text. Control characters are dropped too.
_SPACE = frozenset(" \t\r\n\x0b\x0c\x00\x01\x02\x03\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff\ufffe")
_SPACE_CODES = frozenset(map(ord, _SPACE))

_UNREADABLE = re.compile("[\ue000-\uf8ff\ufffd]")

SEGMENT_GAP = 0.6  # a gap wider than this many line heights splits a line into segments
_HARD_SPACE = 0.35  # a gap this wide inside a segment is written as a space
_SOFT_SPACE = 0.1  # ... or this wide when the PDF itself had a space there
_BREAK = 0.15  # a gap this wide is remembered as a place where a table cell may end
_FLAT = 0.8  # a glyph box lower than this share of a neighbour's is flat: its bottom is no line's
_THIN = 0.35  # a glyph box less than this share of its neighbour's height is a tight one (see `_fill_thin`)

_get_x0 = itemgetter(1)

# The angles of characters spread evenly over the page are read: first a few (on an upright page
# that is all), then, when one of them disagrees with /Rotate, enough to weigh the page's text.
_FIRST_ANGLES = 16
_WEIGHED_ANGLES = 256
_UPRIGHT_SHARE = 2 / 3  # text drawn at another angle turns the page only when this share of it agrees


class Seg:
    __slots__ = ("x0", "x1", "text", "breaks")

    def __init__(self, x0: float, x1: float, text: str, breaks: list | None = None) -> None:
        self.x0 = x0
        self.x1 = x1
        self.text = text
        # narrow gaps inside the segment where a table cell may end: (text index, x1 of the
        # left part, x0 of the right part); e.g. an amount glued to the next cell's text
        self.breaks = breaks

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Seg({self.x0:.0f}-{self.x1:.0f} {self.text!r})"


class Line:
    __slots__ = ("page", "y", "h", "x0", "x1", "segs", "text", "page_width", "page_height", "cjk", "ci")

    def __init__(self, page: int, y: float, h: float, segs: list[Seg], page_width: float, page_height: float):
        self.page = page
        self.y = y  # centre, top-down
        self.h = h  # height of the line's (CJK) glyph boxes ≈ font size
        self.segs = segs
        self.x0 = segs[0].x0
        self.x1 = max(s.x1 for s in segs)
        self.text = " ".join(s.text for s in segs)
        self.page_width = page_width
        self.page_height = page_height
        self.cjk = True  # h was measured on CJK glyphs
        self.ci = -1  # index of one of its characters in the text page

    @property
    def top(self) -> float:
        return self.y - self.h / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h / 2

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Line(p{self.page} y={self.y:.1f} h={self.h:.1f} {self.segs})"


def upright_rotation(textpage, rotation: int) -> int:
    """The rotation (0, 90, 180, 270, clockwise like /Rotate) that shows the page's text upright:
    the page's own `rotation` (its /Rotate), unless a clear majority of its characters (weighed
    on a few hundred spread over the page) is drawn at another angle, as on a landscape table
    printed sideways onto a portrait page without /Rotate. A few sideways characters (a stamp, a
    rotated column header) do not turn the page."""
    raw = textpage.raw
    n = textpage.count_chars()
    if all(_char_rotation(raw, i) in (rotation, None) for i in range(0, n, max(1, n // _FIRST_ANGLES))):
        return rotation
    counts = Counter(_char_rotation(raw, i) for i in range(0, n, max(1, n // _WEIGHED_ANGLES)))
    counts.pop(None, None)
    for turn, agreeing in counts.most_common(1):
        if agreeing >= _UPRIGHT_SHARE * sum(counts.values()):
            return turn
    return rotation


def _char_rotation(raw_textpage, index: int) -> int | None:
    """The rotation that shows character `index` upright, or None for a space or when pdfium
    cannot tell. pdfium gives the angle the character is drawn at, clockwise: turning the page
    back by it shows the character upright."""
    code = pdfium_c.FPDFText_GetUnicode(raw_textpage, index)
    if code <= 0x20 or code in _SPACE_CODES:
        return None
    angle = pdfium_c.FPDFText_GetCharAngle(raw_textpage, index)
    if angle < 0:
        return None
    return (360 - round(math.degrees(angle) / 90) * 90) % 360


def page_lines(
    textpage, page_no: int, width: float, height: float, rotation: int = 0
) -> tuple[list[Line], str, int, int, int]:
    """The page's lines in reading order, its raw text, its character count, its count of
    unreadable characters (private use area, U+FFFD) and its count of characters off the page.
    `width` and `height` are the page's size as displayed; `rotation` the one that shows it
    upright (`upright_rotation`): character boxes come in unrotated page space and are turned
    into display space."""
    text = textpage.get_text_range()
    n = textpage.count_chars()
    raw = textpage.raw
    if len(text) != n:  # characters outside the BMP: fall back to one call per character
        get_unicode = pdfium_c.FPDFText_GetUnicode
        text_chars = [chr(get_unicode(raw, i) or 0xFFFD) for i in range(n)]
        if text_chars.count("\ufffd") > text.count("\ufffd"):
            # (or a character pdfium has no code for, which its text leaves out: the page's text
            # keeps it as U+FFFD, so that it is counted as unreadable like the others)
            text = "".join(text_chars)
    else:
        text_chars = text
    rect = pdfium_c.FS_RECTF()
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    prect = ctypes.byref(rect)
    space = _SPACE
    chars: list[tuple] = []
    append = chars.append
    counted = 0
    after_space = False
    i = -1
    last_h = 0.0
    thin: list[int] = []  # positions in `chars` of boxes far flatter than their neighbour's
    # A watermark is drawn in text objects of its own, so its glyphs come in runs of one box
    # height: a glyph is looked at (angle, colour) only where the box height changes.
    run_h = -1.0
    askew = False
    watermark: list[int] = []  # stream indices of glyphs drawn askew
    runs: list[int] = []  # positions in `chars` where a run of one box height starts
    for ch in text_chars:
        i += 1
        if ch in space or ch < " ":
            after_space = True
            continue
        counted += 1
        if not get_box(raw, i, prect):
            continue
        if rotation:
            left, right, top, bottom = _rotate(rect, rotation, width, height)
            h = bottom - top
            if h <= 0:
                continue
            item = (bottom, left, right, h, ch, after_space, (top + bottom) * 0.5, i)
        else:
            top = rect.top
            bottom = rect.bottom
            h = top - bottom
            if h <= 0:
                continue
            # (bottom top-down, x0, x1, height, char, preceded by a space in the stream, centre, index)
            item = (height - bottom, rect.left, rect.right, h, ch, after_space, height - (top + bottom) * 0.5, i)
        if h != run_h:
            run_h = h
            askew = _askew(raw, i)
            if not askew:
                runs.append(len(chars))
        if askew:
            watermark.append(i)
            continue
        if last_h and (h < _THIN * last_h or last_h < _THIN * h):
            thin.append(len(chars) if h < last_h else len(chars) - 1)
        last_h = h
        append(item)
        after_space = False
    if thin:
        _fill_thin(raw, chars, thin, rotation)
    if chars:
        chars = _without_large(raw, chars, runs, watermark)
    if watermark:
        text = _without_indices(text_chars, watermark)
        counted -= len(watermark)
    bad = len(_UNREADABLE.findall(text))
    if _looks_garbled(text):
        bad = max(bad, _unmapped(raw, text_chars))
    if not chars:
        return [], text, counted, bad, 0
    # text whose centre is off the page is not shown (converters leave overflow there), and
    # absurd coordinates would only cost time
    hi_x = width + 2.0
    hi_y = height + 2.0
    off = 0
    if any(not (-2.0 <= (c[1] + c[2]) * 0.5 <= hi_x and -2.0 <= c[6] <= hi_y) or c[3] > height for c in chars):
        kept = [c for c in chars if -2.0 <= (c[1] + c[2]) * 0.5 <= hi_x and -2.0 <= c[6] <= hi_y and c[3] <= height]
        off = len(chars) - len(kept)
        chars = kept
        if not chars:
            return [], text, counted, bad, off
    chars.sort()
    # characters whose boxes end at the same bottom form a line: with proper font metrics the
    # loose box bottom is baseline - descent; with broken metrics pdfium falls back to tight
    # glyph boxes (a 、 or 一 far from the line's centre) whose bottoms still sit near the
    # baseline. Centres would split those lines; bottoms do not.
    lines: list[Line] = []
    cur = [chars[0]]
    ref_y = chars[0][0]
    ref_h = chars[0][3]
    for c in chars[1:]:
        ch_h = c[3]
        if c[0] - ref_y <= 0.25 * (ch_h if ch_h > ref_h else ref_h):
            cur.append(c)
            if ref_h < _FLAT * ch_h:  # a flat glyph box (一, 二) is a poor reference: a full one is
                ref_y = c[0]
                ref_h = ch_h
        else:
            lines.append(_make_line(cur, page_no, width, height))
            cur = [c]
            ref_y = c[0]
            ref_h = ch_h
    lines.append(_make_line(cur, page_no, width, height))
    return lines, text, counted, bad, off


_SKEW = 10.0  # degrees off a quarter turn from which a glyph is drawn askew (a diagonal watermark)
_FAINT_ALPHA = 153  # of 255: a glyph drawn more transparent than this is faint
_LIGHT = 170  # ... or one whose darkest colour channel is at least this (light grey, pale red) …
_WHITE = 250  # ... but not white, which is text on a coloured fill
_LARGE = 2.0  # a faint glyph this many times the page's usual glyph height is a watermark


def _askew(raw, index: int) -> bool:
    """Character `index` is drawn at a slant (neither upright nor a quarter turn): a diagonal
    watermark (内部资料 at -35°) laid over the page, not its text."""
    angle = pdfium_c.FPDFText_GetCharAngle(raw, index)
    if angle < 0:
        return False
    off = math.degrees(angle) % 90.0
    return min(off, 90.0 - off) > _SKEW


def _faint(raw, index: int) -> bool:
    """Character `index` is drawn translucent or in a light colour (not white): how watermarks
    and stamps are drawn across a page."""
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not pdfium_c.FPDFText_GetFillColor(raw, index, r, g, b, a):
        return False
    if a.value < _FAINT_ALPHA:
        return True
    darkest = min(r.value, g.value, b.value)
    return _LIGHT <= darkest and max(r.value, g.value, b.value) < _WHITE


def _without_large(raw, chars: list[tuple], runs: list[int], watermark: list[int]) -> list[tuple]:
    """`chars` (in stream order, `runs` where each run of one box height starts) without the
    runs of faint glyphs much larger than the page's usual glyph (a watermark drawn level);
    their stream indices are added to `watermark`. Only large runs are looked at for colour."""
    run_heights = [chars[start][3] for start in runs]
    if not run_heights or max(run_heights) < _LARGE * min(run_heights):
        return chars  # no glyph twice the height of another: none is large (most pages)
    heights = sorted(c[3] for c in chars)
    limit = _LARGE * heights[len(heights) // 2]
    large: set[int] = set()
    for start, end in zip(runs, runs[1:] + [len(chars)]):
        if chars[start][3] >= limit and _faint(raw, chars[start][7]):
            large.update(range(start, end))
    if not large:
        return chars
    watermark.extend(chars[k][7] for k in sorted(large))
    return [c for k, c in enumerate(chars) if k not in large]


# what a CJK font without a /ToUnicode map extracts as: its glyph codes taken for Latin-1
# letters and control characters ("Þ门Á0þ入`³")
_SUSPECT = re.compile("[\x04-\x08\x0e-\x1f\x7f-\xff]")
_SUSPECT_SHARE = 0.02


def _looks_garbled(text: str) -> bool:
    """The page's text has enough Latin-1 and control characters to be worth asking pdfium which
    of its characters have no Unicode mapping (a few ×, ° or ¥ are text)."""
    suspects = len(_SUSPECT.findall(text))
    return suspects >= 3 and suspects >= _SUSPECT_SHARE * len(text)


def _unmapped(raw, text_chars) -> int:
    """How many of the page's characters did not extract: those pdfium could not map to Unicode
    (a font without /ToUnicode whose codes are not a standard encoding), private-use, U+FFFD."""
    has_error = pdfium_c.FPDFText_HasUnicodeMapError
    unreadable = _UNREADABLE.match
    return sum(1 for i, ch in enumerate(text_chars) if unreadable(ch) or has_error(raw, i) == 1)


def _without_indices(text_chars, indices: list[int]) -> str:
    """The page's text without the characters at stream `indices`, and without the line break
    pdfium put after such a character when it also put one before it (a watermark's glyph drawn
    between two characters of a line splits it in three)."""
    gone = set(indices)
    out: list[str] = []
    skip_break = False
    for k, ch in enumerate(text_chars):
        if k in gone:
            skip_break = skip_break or not out or out[-1] == "\n"
        elif skip_break and ch in "\r\n":
            continue
        else:
            skip_break = False
            out.append(ch)
    return "".join(out)


def _fill_thin(raw, chars: list[tuple], thin: list[int], rotation: int) -> None:
    """Give a flat glyph box the height of its line (in place). pdfium gives some characters
    their tight glyph box instead of the loose one of their font (Chromium's PDFs: every 一, a box
    1 pt high halfway up the line), which would put them on a line of their own. A character
    whose box is far flatter than a CJK neighbour's in the text stream takes that neighbour's top
    and bottom when both are drawn on the same baseline (their origins agree)."""
    x = ctypes.c_double()
    y = ctypes.c_double()
    px, py = ctypes.byref(x), ctypes.byref(y)
    get_origin = pdfium_c.FPDFText_GetCharOrigin
    across = 0 if rotation in (90, 270) else 1  # the origin's coordinate across the baseline

    def baseline(index: int) -> float | None:
        return (x.value, y.value)[across] if get_origin(raw, index, px, py) else None

    n = len(chars)
    for k in sorted(set(thin)):
        c = chars[k]
        own = None
        for j in (k - 1, k + 1):
            if not 0 <= j < n:
                continue
            nb = chars[j]
            if nb[3] * _THIN <= c[3] or nb[4] < "\u2e80":
                continue  # not taller, or not a CJK character's box (a digit of another font): none to borrow
            if own is None:
                own = baseline(c[7])
                if own is None:
                    break
            theirs = baseline(nb[7])
            if theirs is not None and abs(theirs - own) <= 0.1 * nb[3]:
                chars[k] = (nb[0], c[1], c[2], nb[3], c[4], c[5], nb[6], c[7])
                break


def visible_lines(textpage, lines: list[Line], width: float, height: float, rotation: int = 0) -> list[Line]:
    """The lines that are not clipped away. Some converters (spreadsheet exports) draw a long
    text on every page and show a different window of it on each through a clipping path; the
    text page has all of it. One character per line is checked against its text object's clip
    (the intersection of the clip's paths' bounding boxes). Costly, so only used on documents
    that show the sign of it (text off the page)."""
    raw = textpage.raw
    get_obj = pdfium_c.FPDFText_GetTextObject
    get_clip = pdfium_c.FPDFPageObj_GetClipPath
    count_paths = pdfium_c.FPDFClipPath_CountPaths
    count_segs = pdfium_c.FPDFClipPath_CountPathSegments
    get_seg = pdfium_c.FPDFClipPath_GetPathSegment
    get_point = pdfium_c.FPDFPathSegment_GetPoint
    px = ctypes.c_float()
    py = ctypes.c_float()
    ppx = ctypes.byref(px)
    ppy = ctypes.byref(py)
    out: list[Line] = []
    for line in lines:
        obj = get_obj(raw, line.ci) if line.ci >= 0 else None
        clip = get_clip(obj) if obj else None
        if not clip:
            out.append(line)
            continue
        left, bottom, right, top = -1e9, -1e9, 1e9, 1e9
        for k in range(max(0, count_paths(clip))):
            xs: list[float] = []
            ys: list[float] = []
            for j in range(max(0, count_segs(clip, k))):
                seg = get_seg(clip, k, j)
                if seg and get_point(seg, ppx, ppy):
                    xs.append(px.value)
                    ys.append(py.value)
            if xs:
                left = max(left, min(xs))
                right = min(right, max(xs))
                bottom = max(bottom, min(ys))
                top = min(top, max(ys))
        if left > right or bottom > top:
            continue  # an empty clip shows nothing
        box = _Box(max(left, -1e6), min(right, 1e6), max(bottom, -1e6), min(top, 1e6))
        if rotation:
            x0, x1, t, b = _rotate(box, rotation, width, height)
        else:
            x0, x1, t, b = box.left, box.right, height - box.top, height - box.bottom
        cx = (line.x0 + line.x1) / 2
        if x0 - 2 <= cx <= x1 + 2 and t - 2 <= line.y <= b + 2:
            out.append(line)
    return out


_RULE_THICKNESS = 2.0  # a path thinner than this (points) is a ruling line
_RULE_LENGTH = 4.0  # ... when it is at least this long
_MAX_OBJECTS = 20_000  # pages drawing more are not searched for rules (bounded time)


class Rules(NamedTuple):
    """A page's ruling lines (table borders) in display space, top-down."""

    horizontal: list[tuple[float, float, float]]  # (y, x0, x1), sorted
    vertical: list[tuple[float, float, float]]  # (x, y0, y1), sorted

    def borders_beside(self, line: Line) -> int:
        """How many vertical rules run beside `line`: a row of a grid of n columns has n + 1."""
        top, bottom = line.top, line.bottom
        return len({round(x) for x, v0, v1 in self.vertical if v0 < bottom and top < v1})

    def inside_grid(self, line: Line, x0: float, x1: float) -> bool:
        """A vertical rule between x0 and x1 runs beside `line`: it is inside a ruled table."""
        top, bottom = line.top, line.bottom
        return any(x0 <= x <= x1 and v0 < bottom and top < v1 for x, v0, v1 in self.vertical)


NO_RULES = Rules([], [])


def ruling_lines(page, width: float, height: float, rotation: int = 0) -> Rules:
    """The page's ruling lines: its thin path objects, and the straight edges of its stroked
    paths (a grid drawn as one path, cells drawn as rectangles). Lines inside a form XObject, or
    on a page of more than `_MAX_OBJECTS` objects, are not seen (callers fall back on the text's
    geometry)."""
    raw = page.raw
    count = pdfium_c.FPDFPage_CountObjects(raw)
    if count > _MAX_OBJECTS:  # a map or a chart, not a table's borders: not worth the time
        return NO_RULES
    get, kind, bounds, path = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDFPageObj_GetBounds, pdfium_c.FPDF_PAGEOBJ_PATH
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []

    def add(x0: float, x1: float, y0: float, y1: float) -> None:  # a box in display space
        if y1 - y0 < _RULE_THICKNESS and x1 - x0 >= _RULE_LENGTH:
            horizontal.append(((y0 + y1) / 2, x0, x1))
        elif x1 - x0 < _RULE_THICKNESS and y1 - y0 >= _RULE_LENGTH:
            vertical.append(((x0 + x1) / 2, y0, y1))

    for i in range(count):
        obj = get(raw, i)
        if kind(obj) != path or not bounds(obj, left, bottom, right, top):
            continue
        box = _rotate(_Box(left.value, right.value, bottom.value, top.value), rotation, width, height)
        if box[1] - box[0] < _RULE_THICKNESS or box[3] - box[2] < _RULE_THICKNESS:
            add(*box)  # one line, or a thin filled rectangle
        elif _stroked(obj):  # a grid drawn as one path, or cells as stroked rectangles
            for x0, y0, x1, y1 in _straight_segments(obj):
                add(*_rotate(_Box(min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)), rotation, width, height))
    horizontal.sort()
    vertical.sort()
    return Rules(horizontal, vertical)


def web_links(page, width: float, height: float, rotation: int) -> list[tuple[float, float, float, float]]:
    """The boxes (x0, x1, top, bottom, display space) of the page's links to other pages or
    scripts (URI actions: a browser prints a page's <a href> so; a link inside the document, as a
    目录 entry to its heading, is a go-to and not counted)."""
    raw = page.raw
    pos = ctypes.c_int(0)
    link = pdfium_c.FPDF_LINK()
    rect = pdfium_c.FS_RECTF()
    out = []
    try:
        while pdfium_c.FPDFLink_Enumerate(raw, ctypes.byref(pos), ctypes.byref(link)):
            action = pdfium_c.FPDFLink_GetAction(link)
            if not action or pdfium_c.FPDFAction_GetType(action) != pdfium_c.PDFACTION_URI:
                continue
            if pdfium_c.FPDFLink_GetAnnotRect(link, rect):
                box = _Box(min(rect.left, rect.right), max(rect.left, rect.right), min(rect.bottom, rect.top), max(rect.bottom, rect.top))
                out.append(_rotate(box, rotation, width, height))
            if len(out) > _MAX_LINKS:
                break
    except Exception:  # noqa: BLE001 - best effort: the page is read with its links
        return []
    return out


_MAX_LINKS = 2_000  # of one page


_MAX_SEGMENTS = 5_000  # of one path read for its edges


def _stroked(obj) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    return bool(pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)) and stroke.value)


def _straight_segments(obj) -> list[tuple[float, float, float, float]]:
    """The straight pieces (x0, y0, x1, y1) of a path, in page space: each line-to from the
    point before it, and each closing line back to its figure's start."""
    n = pdfium_c.FPDFPath_CountSegments(obj)
    if not 0 < n <= _MAX_SEGMENTS:
        return []
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return []
    x, y = ctypes.c_float(), ctypes.c_float()
    out = []
    start = previous = None
    for k in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        point = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and previous is not None:
            out.append((*previous, *point))
        previous = point
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None and start != point:
            out.append((*point, *start))
            previous = start
    return out


class _Box:
    __slots__ = ("left", "right", "bottom", "top")

    def __init__(self, left: float, right: float, bottom: float, top: float) -> None:
        self.left = left
        self.right = right
        self.bottom = bottom
        self.top = top


def _rotate(rect, rotation: int, width: float, height: float) -> tuple[float, float, float, float]:
    """A character box in display space, top-down: (x0, x1, top, bottom)."""
    if rotation == 90:  # display x = page y, display top-down y = page x
        return rect.bottom, rect.top, rect.left, rect.right
    if rotation == 180:
        return width - rect.right, width - rect.left, rect.bottom, rect.top
    if rotation == 270:  # page width = display height
        return width - rect.top, width - rect.bottom, height - rect.right, height - rect.left
    return rect.left, rect.right, height - rect.top, height - rect.bottom


def _make_line(chars: list[tuple], page_no: int, width: float, height: float) -> Line:
    chars.sort(key=_get_x0)
    h = 0.0
    hmax = 0.0
    for c in chars:
        ch_h = c[3]
        if ch_h > hmax:
            hmax = ch_h
        if ch_h > h and c[4] >= "\u2e80":
            h = ch_h
    cjk = h > 0.0
    if not cjk:
        h = hmax
    ysum = 0.0
    ny = 0
    for c in chars:  # centre of the full-height glyphs
        if c[3] >= 0.7 * hmax:
            ysum += c[6]
            ny += 1
    split = SEGMENT_GAP * h
    hard = _HARD_SPACE * h
    soft = _SOFT_SPACE * h
    narrow = _BREAK * h
    segs: list[Seg] = []
    first = chars[0]
    buf = [first[4]]
    breaks = None
    sx0 = first[1]
    sx1 = first[2]
    prev_x0 = first[1]
    prev_ch = first[4]
    for c in chars[1:]:
        x0 = c[1]
        ch = c[4]
        if ch == prev_ch and x0 - prev_x0 < 0.3 * (c[2] - x0):  # the same glyph drawn twice (fake bold)
            continue
        gap = x0 - sx1
        if gap > split:
            segs.append(Seg(sx0, sx1, "".join(buf), breaks))
            buf = [ch]
            breaks = None
            sx0 = x0
            sx1 = c[2]
        else:
            if gap > narrow:
                spaced = gap > hard or (c[5] and gap > soft)
                if spaced or (prev_ch <= "9") != (ch <= "9"):
                    if breaks is None:
                        breaks = []
                    breaks.append((len(buf), sx1, x0))
                if spaced:
                    buf.append(" ")
            else:
                if c[5] and gap > soft:
                    buf.append(" ")
                elif "0" <= ch <= "9" and ("\u3400" <= prev_ch <= "\u9fff" or "\uf900" <= prev_ch <= "\ufaff"):
                    # a figure right after a character, however close: a cell border may part
                    # them (a name clipped at its cell's edge, an amount written from the next
                    # cell's left edge: 机关事业单位基本养|4,827,156)
                    if breaks is None:
                        breaks = []
                    breaks.append((len(buf), sx1, x0))
            buf.append(ch)
            if c[2] > sx1:
                sx1 = c[2]
        prev_x0 = x0
        prev_ch = ch
    segs.append(Seg(sx0, sx1, "".join(buf), breaks))
    line = Line(page_no, ysum / ny, h, segs, width, height)
    line.cjk = cjk
    line.ci = first[7]
    return line
