"""Lines of all pages → blocks (headings, paragraphs, tables) in reading order.

Private helper of `openlint.read.pdf`. Knows page layout conventions (margins, font sizes, table
captions, 注： notes, a 目录 page), no budget terms beyond the words that mark a table caption
(…表) and a preamble (编制单位：…, 单位：万元).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import partial

from openlint.model import Block, Heading, Location, Paragraph, Table
from openlint.read._pdf_layout import Line, Rules, Seg
from openlint.read._pdf_table import AMOUNT, build_table, is_data_line, join_wrapped, split_glued, split_header
from openlint.read.structure import NOTE_START, TOC_TITLES, heading_level, numbering_level
from openlint.read.text import is_preamble_line, is_table_number

_CN = "一二三四五六七八九十百零〇"
_ITEM = re.compile(rf"^(第[{_CN}\d]+[条章节部分篇]|[{_CN}]+\s*[、.．]|[（(]\s*[{_CN}\d]+\s*[)）]|\d{{1,3}}\s*[、.．)）](?!\d))")
_PREAMBLE = re.compile(r"^(编制(部门|单位)|填报单位|预算(主管)?(部门|单位)|(金额|计量|货币)?单位\s*[:：])")
_CONT = re.compile(r"[（(]?续(表)?[)）]?$")
_TITLE_STOPS = re.compile(r"[。，,；;：:！？!?]")
_SENTENCE_STOPS = frozenset("。；;：:！？!?")
_LEADER = re.compile(r"^[\s.．·•…‥⋯_\-—]*\d*$")
_LEADER_TAIL = re.compile(r"(\s*[.．·•…‥⋯_]{2,}\s*\d*|\s+\d{1,3})\s*$")
_SENT_END = "。；;，,：:！？!?"


def _compact(text: str) -> str:
    return text.replace(" ", "")


def caption_text(text: str) -> bool:
    """`text` reads like a table title: short, ends with 表 (or 表（续）), not a sentence."""
    t = _compact(text)
    t = _CONT.sub("", t)
    if not (2 <= len(t) <= 50) or not t.endswith("表") or is_table_number(t):
        return False
    if NOTE_START.match(t) or "。" in t or "：" in t or ":" in t:
        return False
    return True


class _Draft:
    """A table being collected: caption, preamble and its lines per page."""

    def __init__(self, caption: str, preamble: list[str], page: int) -> None:
        self.caption = caption
        self.preamble = preamble
        self.parts: list[tuple[int, list[Line]]] = [(page, [])]
        self.x0 = 1e9
        self.x1 = -1e9
        self.hs: Counter[float] = Counter()  # line heights (to 0.5 pt)
        self.starts: set[int] = set()  # where its cells start (to 1 pt)

    def add(self, line: Line, vertical: list = ()) -> None:
        """`vertical`: the ruling lines of the line's page (cell borders part glued cells)."""
        split_glued(line, vertical)
        if self.parts[-1][0] != line.page:
            self.parts.append((line.page, []))
        self.parts[-1][1].append(line)
        if line.x0 < self.x0:
            self.x0 = line.x0
        if line.x1 > self.x1:
            self.x1 = line.x1
        self.hs[round(line.h * 2) / 2] += 1
        self.starts.update(round(s.x0) for s in line.segs)

    @property
    def last(self) -> Line | None:
        """The table's last line so far (None while it has none)."""
        return self.parts[-1][1][-1] if self.parts[-1][1] else None

    @property
    def h(self) -> float:
        """The usual line height of the table."""
        return self.hs.most_common(1)[0][0] if self.hs else 0.0

    def starts_at(self, x: float, tol: float) -> bool:
        """A cell of the table starts at `x`."""
        return any(abs(s - x) <= tol for s in self.starts)


class Composer:
    def __init__(
        self, path: str, pages: list[tuple[int, float, float, list[Line]]], rules_of: Callable[[int], Rules] | None = None
    ) -> None:
        self.path = path
        self.pages = pages
        self.rules_of = rules_of  # page number → its ruling lines (`_pdf_layout.Rules`)
        self.blocks: list[Block] = []
        self.pending: list[Line] = []
        self.pending_toc = False
        self.table: _Draft | None = None
        self.toc = False
        self.toc_entries = 0  # entries of the 目录 read so far
        self.toc_closed = False  # the last 目录 entry ended with its page number
        self.in_part = False
        self._stats()

    # ------------------------------------------------------------------ page-level statistics

    def _stats(self) -> None:
        # the usual height of body text: the mean height of the most common bucket (0.5 pt) of
        # line heights, weighed by characters, over the lines of paragraphs when there are any
        # (`_prose`), else over all lines. Tables may hold more text than the paragraphs (their
        # zeros printed as 0.00, many pages of them), in smaller type: counted, they would make
        # body text look big, and every heading run into the paragraph under it.
        sizes: Counter[float] = Counter()
        exact: dict[float, list[float]] = {}  # the heights of the lines counted in each bucket, weighed
        prose_sizes: Counter[float] = Counter()
        prose_exact: dict[float, list[float]] = {}
        by_width: dict[int, tuple[list[float], list[float]]] = {}
        for _, width, _, lines in self.pages:
            key = int(width / 10)
            x1s, x0s = by_width.setdefault(key, ([], []))
            prose = self._prose(lines)
            for ln, in_prose in zip(lines, prose):
                n = len(ln.text)
                if n >= 8:
                    bucket = round(ln.h * 2) / 2
                    for counts, sums in ((sizes, exact), (prose_sizes, prose_exact)) if in_prose else ((sizes, exact),):
                        counts[bucket] += n
                        both = sums.setdefault(bucket, [0.0, 0.0])
                        both[0] += n * ln.h
                        both[1] += n
                if n >= 12 and len(ln.segs) == 1:
                    x1s.append(ln.x1)
                    x0s.append(ln.x0)
        if prose_sizes:
            sizes, exact = prose_sizes, prose_exact
        if sizes:
            total, weight = exact[sizes.most_common(1)[0][0]]
            self.body_h = total / weight
        else:
            self.body_h = 12.0
        self.margins: dict[int, tuple[float, float]] = {}
        for key, (x1s, x0s) in by_width.items():
            if len(x1s) >= 8:  # too few long lines say nothing about the margins
                x1s.sort()
                x0s.sort()
                self.margins[key] = (x0s[len(x0s) // 10], x1s[min(len(x1s) - 1, (len(x1s) * 9) // 10)])
        self.para_gap = self._paragraph_spacing()

    def _prose(self, lines: list[Line]) -> list[bool]:
        """Which of a page's lines may be lines of a paragraph: one piece of at least 8
        characters outside any ruled grid, with a line like it of the same size right above or
        below (a title, a caption, a table's cells, a label alone in its row do not qualify)."""
        rules = self.rules_of(lines[0].page) if self.rules_of is not None and lines else None
        free = [len(ln.segs) == 1 and len(ln.text) >= 8 and (rules is None or rules.borders_beside(ln) < 2) for ln in lines]
        out = [False] * len(lines)
        for k in range(len(lines) - 1):
            a, b = lines[k], lines[k + 1]
            if free[k] and free[k + 1] and abs(a.h - b.h) <= 0.15 * a.h and 0 < b.y - a.y <= 2.6 * a.h:
                out[k] = out[k + 1] = True
        return out

    def _paragraph_spacing(self) -> float:
        """The gap (in line heights, centre to centre) beyond which a line starts a new paragraph
        however the line above ends, or 0. A document that spaces its paragraphs (a web page's
        margins, Word's space after) shows two gaps between lines of body text: the line pitch
        under lines that wrapped at the margin, and a clearly wider one under lines that end a
        sentence short of it. Without that second gap (paragraphs set as tight as their lines)
        nothing is decided by spacing."""
        wraps: Counter[float] = Counter()
        ends: Counter[float] = Counter()
        for _, _, _, lines in self.pages:
            for a, b in zip(lines, lines[1:]):
                if len(a.segs) != 1 or len(b.segs) != 1 or abs(a.h - b.h) > 0.15 * a.h or len(a.text) < 8:
                    continue
                gap = round((b.y - a.y) / a.h, 1)
                if not 0 < gap <= 4:
                    continue
                if self._runs_to_margin(a) and a.text[-1] not in _SENTENCE_STOPS:
                    wraps[gap] += 1
                elif a.text[-1] in "。；;" and not self._runs_to_margin(a):
                    ends[gap] += 1
        if sum(wraps.values()) < 8 or sum(ends.values()) < 8:
            return 0.0
        pitch = wraps.most_common(1)[0][0]
        spacing = ends.most_common(1)[0][0]
        around = sum(n for gap, n in ends.items() if abs(gap - spacing) <= 0.15)  # (gaps are rounded to 0.1)
        if spacing < 1.5 * pitch or around < 0.5 * sum(ends.values()):
            return 0.0
        return (pitch + spacing) / 2

    def _tight_wrap(self, prev: Line, line: Line) -> bool:
        """In a document that spaces its paragraphs, `line` sits at the line pitch under `prev`,
        which runs to the margin in mid-sentence: it is the rest of the same paragraph, however it
        starts (说明：, 1、 at the start of a wrapped line)."""
        return (self._at_pitch(prev, line) and self._runs_to_margin(prev) and prev.text[-1] not in _SENTENCE_STOPS
                and not self._indented(line))

    def _at_pitch(self, prev: Line, line: Line) -> bool:
        """In a document that spaces its paragraphs, `line` is as close under `prev` as the lines
        of a paragraph are, and of the same size."""
        if not self.para_gap or line.page != prev.page or abs(line.h - prev.h) > 0.15 * prev.h or len(line.segs) != 1:
            return False
        return 0 < (line.y - prev.y) / prev.h <= self.para_gap - 0.3

    def _margins(self, line: Line) -> tuple[float, float]:
        m = self.margins.get(int(line.page_width / 10))
        if m is None:
            return 0.12 * line.page_width, 0.88 * line.page_width
        return m

    def _runs_to_margin(self, line: Line) -> bool:
        return line.x1 >= self._margins(line)[1] - 2.5 * line.h

    def _indented(self, line: Line) -> bool:
        return line.x0 >= self._margins(line)[0] + 1.2 * line.h

    def _big(self, line: Line) -> bool:
        return line.cjk and line.h >= 1.2 * self.body_h

    # --------------------------------------------------------------------------------- driver

    def run(self) -> list[Block]:
        n = len(self.pages)
        for pi in range(n):
            lines = self.pages[pi][3]
            nxt = self.pages[pi + 1][3] if pi + 1 < n else []
            i = 0
            if self.table is not None:
                i = self._continue_table(lines)
            if self.toc and i == 0 and not self._toc_page(lines):
                self.toc = False
            while i < len(lines):
                j = self._step(lines, i, nxt)
                if j <= i:  # never stall: take the line as text
                    self._close_table()
                    self._flush()
                    self.pending = [lines[i]]
                    j = i + 1
                i = j
            if self.pending and not self._runs_to_margin(self.pending[-1]) and not self._broken_over(self.pending[-1], nxt):
                self._flush()
        self._close_table()
        self._flush()
        return self.blocks

    def _step(self, lines: list[Line], i: int, nxt: list[Line]) -> int:
        line = lines[i]
        text = line.text
        compact = _compact(text)
        if compact in TOC_TITLES:
            self._flush()
            self._emit(Heading(text, 1, self._loc(line)))
            self.toc = True
            self.toc_entries = 0
            return i + 1
        if self.toc:
            if not (self.toc_entries and self._big(line) and not _LEADER_TAIL.search(text)):
                return self._toc_line(line, i)
            # a heading in large type after the entries on the 目录's page: the body starts there
            self.toc = False
            self._flush()
        if self.table is not None:  # a table opened on this page (after its caption)
            return self._table_lines(lines, i)
        if self.pending and self._tight_wrap(self.pending[-1], line):
            self.pending.append(line)
            return i + 1
        if NOTE_START.match(text):
            self._flush()
            self.pending = [line]
            return i + 1
        if self._wrapped_caption(lines, i, nxt):
            self._flush()
            return self._start_table(lines, i, lines_of_caption=2)
        if caption_text(text) and (not self._runs_to_margin_prose(line) or self._set_apart(line)):
            following = lines[i + 1 :] or nxt[:3]
            if len(following) <= _PREAMBLE_LINES and all(self._loose(ln) for ln in following):
                following = following + nxt[:3]  # preamble lines at the page's foot, the grid over the page
            if following:
                f = following[0]
                if caption_text(f.text) and self._table_follows(lines[i + 2 :] or nxt[:3]):
                    # a title over the tables (第二部分 …部门决算表), then the caption
                    self._flush()
                    self.pending = [line]
                    self._flush(title=True)
                    return i + 1
                if self._table_follows(following):
                    self._flush()
                    return self._start_table(lines, i)
        if self._centred_caption(line, (lines[i + 1 :] + nxt)[: _PREAMBLE_LINES + 1]):
            self._flush()
            return self._start_table(lines, i)
        if self._captionless_table(lines, i):
            self._flush()
            return self._start_table(lines, i, caption=False)
        if self.pending and self._continues(self.pending[-1], line):
            self.pending.append(line)
        else:
            self._flush()
            self.pending = [line]
        return i + 1

    # -------------------------------------------------------------------------- paragraphs

    def _loc(self, line: Line) -> Location:
        return Location(file=self.path, page=line.page)

    def _emit(self, block: Block) -> None:
        self.blocks.append(block)

    def _runs_to_margin_prose(self, line: Line) -> bool:
        return len(line.segs) == 1 and self._runs_to_margin(line) and len(line.text) > 30

    def _centred(self, line: Line) -> bool:
        """The line is centred on the page (within half a line height), as titles are."""
        return abs((line.x0 + line.x1) / 2 - line.page_width / 2) <= 0.5 * line.h

    def _set_apart(self, line: Line) -> bool:
        """A long line that reaches the right margin, yet is a title, not prose: in larger type
        than the body, or centred with its left end in from the left margin (a line of a paragraph
        starts at the margin, or indented on the left only). A title carrying the full name of the
        organisation (临江市应急管理局2019年度一般公共预算财政拨款基本支出决算表) is that long."""
        if _TITLE_STOPS.search(line.text):
            return False
        return self._big(line) or (self._centred(line) and line.x0 >= self._margins(line)[0] + 0.25 * line.h)

    def _wrapped_caption(self, lines: list[Line], i: int, nxt: list[Line]) -> bool:
        """`lines[i]` and the line under it are one caption wrapped over two lines
        (…财政拨款“三公”经费支出 / 决算表): both centred and of one size, the first filling the
        width (that is why it wrapped) at the line pitch over the second, which ends in 表, and
        together they read as a caption over a table."""
        if i + 1 >= len(lines):
            return False
        a, b = lines[i], lines[i + 1]
        if len(a.segs) != 1 or len(b.segs) != 1 or abs(a.h - b.h) > 0.15 * a.h or not 0 < b.y - a.y <= 2.0 * a.h:
            return False
        # (the second line may be one character: …收入支出决算 / 表)
        if caption_text(a.text) or not _CONT.sub("", _compact(b.text)).endswith("表") or _TITLE_STOPS.search(a.text + b.text):
            return False
        if heading_level(a.text) is not None:
            return False
        if not (self._centred(a) and self._centred(b) and self._runs_to_margin(a)):
            return False
        return caption_text(join_wrapped(a.text.strip(), b.text.strip())) and self._table_follows(lines[i + 2 :] or nxt[:3])

    def _continues(self, prev: Line, line: Line) -> bool:
        if abs(line.h - prev.h) > 0.15 * prev.h:
            return False
        if line.page == prev.page:
            gap = line.y - prev.y
            if gap <= 0:
                return False
            if self._big(prev) and self._big(line):
                return gap <= 2.0 * prev.h and not _ITEM.match(line.text)
            if gap > 2.6 * prev.h or (self.para_gap and gap > self.para_gap * prev.h):
                return False
        if not self._runs_to_margin(prev) and not self._wrapped_before_number(prev, line) and not self._wrapped_early(prev, line):
            return False
        text = line.text
        if _ITEM.match(text) or NOTE_START.match(text) or caption_text(text):
            return False
        if self._indented(line):
            # an indented line after a finished sentence, or after a short numbered title,
            # starts a new paragraph (wrapped lines go back to the left margin)
            if prev.text and prev.text[-1] in "。！？!?；;：:":
                return False
            if heading_level(prev.text) is not None and prev.x1 < self._margins(prev)[1] - prev.h:
                return False
        return True

    def _wrapped_before_number(self, prev: Line, line: Line) -> bool:
        """A long number that did not fit moved to the next line, leaving its line short of the
        margin (“…年初预算为” / “1560.05 万元，…”): the line stops mid-sentence, near the margin."""
        return (
            line.text[:1].isdigit()
            and prev.text[-1:] not in _SENTENCE_STOPS
            and prev.x1 >= self._margins(prev)[1] - 8 * prev.h
            and prev.x0 <= self._margins(prev)[0] + 2.5 * prev.h
        )

    def _broken_over(self, last: Line, nxt: list[Line]) -> bool:
        """The page's last line stops short of the margin only because what follows on the next
        page did not fit (a number, a piece that cannot be broken)."""
        return bool(nxt) and (self._wrapped_before_number(last, nxt[0]) or self._wrapped_early(last, nxt[0]))

    def _wrapped_early(self, prev: Line, line: Line) -> bool:
        """`line` begins with a piece that cannot be broken (（项）”14.62万, 《……》) and that did not
        fit in what was left of `prev`, which stops mid-sentence (or on a colon, where paragraphs
        are spaced and `line` sits at the line pitch under it): the line broke early."""
        end = prev.text[-1:]
        if end in _SENTENCE_STOPS and not (end in "：:" and self._at_pitch(prev, line)):
            return False
        if len(prev.segs) != 1 or prev.x0 > self._margins(prev)[0] + 2.5 * prev.h:
            return False
        room = self._margins(prev)[1] - prev.x1
        return room > 0 and _first_piece(line.text) * line.h > room + 0.5 * line.h

    def _flush(self, title: bool = False) -> None:
        lines = self.pending
        if not lines:
            return
        self.pending = []
        text = lines[0].text
        for ln in lines[1:]:
            text = join_wrapped(text, ln.text)
        text = text.strip()
        if not text:
            return
        loc = self._loc(lines[0])
        if self.pending_toc:
            self.pending_toc = False
            self._emit(Paragraph(text, loc))
            return
        level = heading_level(text)
        if level is not None:
            if level == 1:
                self.in_part = True
            self._emit(Heading(text, level, loc))
        elif title or self._title_like(lines, text):
            self._emit(Heading(text, 2 if self.in_part else 1, loc))
        else:
            self._emit(Paragraph(text, loc))

    def _title_like(self, lines: list[Line], text: str) -> bool:
        first = lines[0]
        big = all(self._big(ln) for ln in lines)
        if len(text) > (60 if big else 40) or text[-1] in _SENT_END or "。" in text:
            return False
        colon = max(text.find("："), text.find(":"))
        if colon >= 0:
            return False
        if big:
            return True
        left, right = self._margins(first)
        centre = (first.x0 + first.x1) / 2
        width = first.page_width
        centred = (
            abs(centre - width / 2) <= 0.04 * width
            and first.x0 >= left + 2 * first.h
            and first.x1 <= right - 2 * first.h
        )
        return centred and len(lines) == 1 and first.h >= 1.04 * self.body_h

    # ------------------------------------------------------------------------ table of contents

    def _toc_page(self, lines: list[Line]) -> bool:
        """A page that continues the 目录: only entry-like lines, nothing big."""
        if not lines:
            return False
        for ln in lines:
            if self._big(ln):
                return False
            t = ln.text
            leader = len(ln.segs) > 1 and _LEADER.match(ln.segs[-1].text) is not None
            if not (leader or numbering_level(t) is not None or len(_compact(t)) <= 6 or _LEADER_TAIL.search(t)):
                return False
        return True

    def _toc_line(self, line: Line, i: int) -> int:
        segs = line.segs
        while len(segs) > 1 and _LEADER.match(segs[-1].text):
            segs = segs[:-1]
        whole = " ".join(s.text for s in segs)
        text = _LEADER_TAIL.sub("", whole).strip()
        if not text or _LEADER.match(text):
            return i + 1
        self.toc_entries += 1
        if self.pending and self.pending_toc and not self.toc_closed and self._toc_continues(self.pending[-1], line):
            self.pending.append(_retext(line, text))
        else:
            self._flush()
            self.pending = [_retext(line, text)]
            self.pending_toc = True
        # an entry that ends with its dot leader or page number is whole: the next line is another
        self.toc_closed = len(segs) < len(line.segs) or text != whole.strip()
        return i + 1

    def _toc_continues(self, prev: Line, line: Line) -> bool:
        if line.page != prev.page or _ITEM.match(line.text) or not self._runs_to_margin(prev):
            return False
        return len(prev.segs) == 1

    # ----------------------------------------------------------------------------------- tables

    def _table_follows(self, following: list[Line]) -> bool:
        """The lines after a caption look like a table (preamble, several cells, small type, a row
        of a ruled grid of two columns or more)."""
        for ln in following[:3]:
            if _is_preamble(ln) or self._grid_row(ln, 2):
                return True
            if caption_text(ln.text):
                return False
            if len(ln.segs) >= 2:
                return True
            if ln.h < 0.92 * self.body_h and not NOTE_START.match(ln.text):
                return True
            if self._runs_to_margin_prose(ln):
                return False
        return False

    def _centred_caption(self, line: Line, following: list[Line]) -> bool:
        """A short centred title right over a ruled table with several columns, though without
        表 in it (部门机构设置情况, 部门政府采购预算)."""
        text = _compact(line.text)
        if len(line.segs) != 1 or not 4 <= len(text) <= 30 or _TITLE_STOPS.search(text) or heading_level(text) is not None:
            return False
        if abs((line.x0 + line.x1) / 2 - line.page_width / 2) > 1.5 * line.h or not following or self.rules_of is None:
            return False
        for k, ln in enumerate(following[: _PREAMBLE_LINES + 1]):
            if not (_is_preamble(ln) or self._over_grid(following, k, line.bottom)):
                return self._grid_row(ln, 3)
        return False

    def _grid_row(self, line: Line, columns: int) -> bool:
        """`line` is in a row of a ruled grid of at least that many columns."""
        return self.rules_of is not None and self.rules_of(line.page).borders_beside(line) > columns

    def _cells_apart(self, line: Line) -> bool:
        """The line's segments are cells of a table: wide gaps part them, or vertical rules (a
        right-aligned number sits close to the text of the next cell)."""
        rules = self.rules_of(line.page) if self.rules_of is not None else None
        return all(
            b.x0 - a.x1 >= 1.5 * line.h or (rules is not None and rules.inside_grid(line, a.x1, b.x0))
            for a, b in zip(line.segs, line.segs[1:])
        )

    def _captionless_table(self, lines: list[Line], i: int) -> bool:
        if NOTE_START.match(lines[i].text) or self._big(lines[i]) or numbering_level(lines[i].text) == 1:
            return False
        run = 0
        for ln in lines[i : i + 3]:
            if len(ln.segs) < 2 or not self._cells_apart(ln):
                break
            run += 1
        if run < 2:
            return False
        return any(is_data_line(ln) for ln in lines[i : i + run + 1])

    def _start_table(self, lines: list[Line], i: int, caption: bool = True, lines_of_caption: int = 1) -> int:
        if caption:
            cap = lines[i]
            title = cap.text.strip()
            for ln in lines[i + 1 : i + lines_of_caption]:
                title = join_wrapped(title, ln.text.strip())
            draft = _Draft(title, [], cap.page)
            i += lines_of_caption
            while i < len(lines) and (_is_preamble(lines[i]) or self._over_grid(lines, i, cap.bottom)):
                draft.preamble.extend(s.text for s in lines[i].segs)
                i += 1
        else:  # caption-less: ends at the first line that is not several cells apart
            draft = _Draft("", [], lines[i].page)
        self.table = draft
        return self._table_lines(lines, i)

    def _over_grid(self, lines: list[Line], i: int, above: float) -> bool:
        """Line `i`, under a table's caption, is a line of its preamble drawn over its ruled grid
        (711工会部门, 预算年度：2023 each on a line of its own): short, outside the grid and above
        its top rule, with the grid's first row a few lines below on the same page. A header
        line drawn without vertical rules is under the grid's top rule. `above`: where the
        caption ends (0 at the top of a page)."""
        line = lines[i]
        if not self._loose(line):
            return False
        grid = next((ln for ln in lines[i + 1 : i + 1 + _PREAMBLE_LINES] if self._grid_row(ln, 2)), None)
        if grid is None:
            return False
        top_rule = min((y for y, _, _ in self.rules_of(line.page).horizontal if above < y < grid.bottom), default=None)
        return top_rule is not None and line.bottom <= top_rule + 1

    def _loose(self, line: Line) -> bool:
        """`line` could be a line of a table's preamble on a page with ruled tables: short, not a
        sentence or the end of one (…的单位包括：), a note or a caption, and outside every grid."""
        text = _compact(line.text)
        return (self.rules_of is not None and 0 < len(text) <= _PREAMBLE_CHARS and not _SENTENCE.search(text)
                and not text.endswith(_LEAD_IN)
                and not NOTE_START.match(text) and not caption_text(text) and not self._grid_row(line, 1))

    def _preamble_over_page_break(self, draft: _Draft, lines: list[Line]) -> bool:
        """The table's lines so far, at the foot of the page its caption ends, are its preamble:
        a few loose lines (`_loose`), and the next page starts with its ruled grid."""
        (_, first), *more = draft.parts
        if more or not 0 < len(first) <= _PREAMBLE_LINES or not all(self._loose(ln) for ln in first):
            return False
        for line in lines[: _PREAMBLE_LINES + 1]:
            if self._grid_row(line, 2):
                return True
            if not self._loose(line):
                return False
        return False

    def _ends_table(self, line: Line, draft: _Draft) -> bool:
        text = line.text
        if NOTE_START.match(text):
            return True
        if caption_text(text) and not (len(line.segs) >= 2 and self._grid_row(line, 2) and self._in_draft_grid(line, draft)):
            return True  # (cells of a row that wraps, 标 | 完成率 | 健康体检表, are no caption)
        if draft.caption == "" and (len(line.segs) < 2 or not self._cells_apart(line)):
            # a caption-less table goes on with lines whose cells start where its cells start
            # (a wrapped name, a row number drawn on its own line), right under its last line or,
            # ruled, at the top of the next page
            last = draft.last
            if last is None:
                return True
            if line.page == last.page:
                if line.y - last.y > 2.6 * line.h:
                    return True
            elif line.page > last.page + 1 or not self._grid_row(line, 1):
                return True
            if not all(draft.starts_at(seg.x0, 0.5 * line.h + 0.5) for seg in line.segs):
                return True
        if self._big(line) and (not draft.hs or line.h > 1.15 * draft.h) and not self._grid_row(line, 1):
            return True  # a large line is a heading, unless it is drawn inside the table's rules
        if numbering_level(text) == 1 or self._below_grid(line, draft):
            return True
        if self._runs_to_margin_prose(line) or (len(line.segs) == 1 and "。" in text and len(text) > 20):
            return True
        return False

    def _in_draft_grid(self, line: Line, draft: _Draft) -> bool:
        """`line` is in the ruled grid the table's last line is in: on its page, with vertical
        rules beside both."""
        last = draft.last
        if self.rules_of is None or last is None or last.page != line.page:
            return False
        rules = self.rules_of(line.page)
        x0, x1 = draft.x0 - line.h, draft.x1 + line.h
        return rules.inside_grid(last, x0, x1) and rules.inside_grid(line, x0, x1)

    def _below_grid(self, line: Line, draft: _Draft) -> bool:
        """The table's last line is inside its ruled grid and `line` is not: the table ended
        (a heading or a sentence right under a ruled table)."""
        last = draft.last
        if self.rules_of is None or last is None or last.page != line.page:
            return False
        rules = self.rules_of(line.page)
        x0, x1 = draft.x0 - line.h, draft.x1 + line.h
        return bool(rules.vertical) and rules.inside_grid(last, x0, x1) and not rules.inside_grid(line, x0, x1)

    def _table_lines(self, lines: list[Line], i: int) -> int:
        draft = self.table
        assert draft is not None
        while i < len(lines):
            line = lines[i]
            if self._ends_table(line, draft):
                self._close_table()
                return i
            draft.add(line, self.rules_of(line.page).vertical if self.rules_of is not None else ())
            i += 1
        last = draft.last
        if draft.caption == "" and (last is None or not self._grid_row(last, 1)):
            self._close_table()  # only a ruled caption-less table goes on over a page break
        return i

    def _continue_table(self, lines: list[Line]) -> int:
        """At the top of a page with a table still open: continue it or close it."""
        draft = self.table
        assert draft is not None
        if draft.caption and self._preamble_over_page_break(draft, lines):
            moved = [s.text for ln in draft.parts[0][1] for s in ln.segs]
            self.table = draft = _Draft(draft.caption, draft.preamble + moved, draft.parts[0][0])
        if not any(ls for _, ls in draft.parts):  # the caption ended the previous page
            j = 0
            while j < len(lines) and (_is_preamble(lines[j]) or self._over_grid(lines, j, 0.0)):
                draft.preamble.extend(s.text for s in lines[j].segs)
                j += 1
            return self._table_lines(lines, j)
        # the header repeated at the top of the page is not data: skip lines that repeat a
        # header line or the line under it (a 栏次 row), or, as many as the header has, that
        # hold nothing but header cells (past them, the end of a name split by the page break
        # may be a word of the header: 拨款)
        first = next((lines for _, lines in draft.parts if lines), [])
        header_lines = first[: self._header_count(draft)]
        # (compared without spaces: a repeated header may be drawn with its glyphs spaced otherwise)
        header = {_compact(ln.text) for ln in first[: len(header_lines) + 1]}
        header_cells = {_compact(s.text) for ln in header_lines for s in ln.segs}
        j = 0
        while j < len(lines) and (
            _compact(lines[j].text) in header
            or (j < len(header_lines) and not is_data_line(lines[j]) and all(_compact(s.text) in header_cells for s in lines[j].segs))
        ):
            j += 1
        j = max(j, _repeated_header(lines, header_lines))
        if j == 0 and (not lines or not self._fits(lines[0], draft)):
            self._close_table()
            return 0
        return self._table_lines(lines, j)

    def _fits(self, line: Line, draft: _Draft) -> bool:
        if self._ends_table(line, draft):
            return False
        pad = 3 * line.h
        if line.x0 < draft.x0 - pad or line.x1 > draft.x1 + pad:
            return False
        if len(line.segs) >= 2 or any(AMOUNT.match(s.text) for s in line.segs) or self._grid_row(line, 2):
            return True
        th = draft.h
        if abs(line.h - th) <= 0.1 * th and abs(th - self.body_h) > 0.08 * self.body_h:
            return True
        # one cell starting where a column of the table starts (not the first column, where a
        # heading could start too): a row of the right half of a two-group table
        return line.x0 > draft.x0 + 2 * line.h and draft.starts_at(line.x0, 0.5 * line.h + 0.5)

    def _close_table(self) -> None:
        draft = self.table
        if draft is None:
            return
        self.table = None
        page = draft.parts[0][0]
        parts = [(p, ls) for p, ls in draft.parts if ls]
        if not parts:  # a caption (and preamble) with nothing under it
            loc = Location(self.path, page=page, table=draft.caption or None)
            self._emit(Table(draft.caption, (), loc, preamble=tuple(draft.preamble), header_rows=0, pages=(page,)))
            return
        self._emit(build_table(self.path, draft.caption, draft.preamble, parts, self._header_count(draft), page=page, rules_of=self.rules_of))

    def _header_count(self, draft: _Draft) -> int:
        """How many of the table's first lines are its header (see `split_header`)."""
        page, first = next(((p, lines) for p, lines in draft.parts if lines), (0, []))
        rules_of = None if self.rules_of is None else partial(self.rules_of, page)
        return split_header(first, rules_of, total=sum(len(lines) for _, lines in draft.parts))


_PREAMBLE_CHARS = 30  # a preamble line over a ruled grid is no longer
_PREAMBLE_LINES = 3  # ... and the grid starts at most this many lines below it
_SENTENCE = re.compile(r"[。；;！？!?]")
_LEAD_IN = ("：", ":", "，", ",", "、")


_IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_OPENING = frozenset("（(【[《〈「『〔｛{")
_CLOSING = frozenset("）)】]》〉」』〕｝}，,。．、；;：:！!？?…")


def _first_piece(text: str) -> float:
    """The width (in line heights) of `text` up to its first place where a line may break: after
    an ideograph or a closing mark, before an ideograph or an opening mark, or at a space. Quotes
    (“”) break on neither side, as browsers lay out Chinese text. An estimate: an ideograph or a
    full-width mark is one line height wide, anything else half of it."""
    width = 0.0
    for k, ch in enumerate(text):
        if k and ch != " ":
            before = text[k - 1]
            if (before == " " or _IDEOGRAPH.match(before) or before in _CLOSING) and (_IDEOGRAPH.match(ch) or ch in _OPENING):
                break
        if ch == " " and k:
            break
        width += 1.0 if ord(ch) >= 0x2E80 or ch in "“”‘’" else 0.5
    return width


_REPEATED_SHARE = 0.8  # of the header's characters a page's first lines hold when they repeat it


def _repeated_header(lines: list[Line], header: list[Line]) -> int:
    """How many of a page's first lines repeat the table's header, its characters compared
    whatever the lines they fall in: a header whose cells wrap is cut into lines otherwise on
    another page (序/号 with a line of its own, 项 and 目 a fraction of a point lower). The lines
    taken hold only the header's characters and most of them; 0 when they do not."""
    left = Counter(ch for ln in header for ch in _compact(ln.text))
    total = sum(left.values())
    taken = best = 0
    for k, line in enumerate(lines[: 2 * len(header) + 2]):
        chars = Counter(_compact(line.text))
        if chars - left:  # a character the header does not have (left over)
            break
        left -= chars
        taken += sum(chars.values())
        if taken >= _REPEATED_SHARE * total:
            best = k + 1
    return best


def _is_preamble(line: Line) -> bool:
    """A line over a table such as `单位：万元` or `编制单位：某某局  单位：万元` (one cell of it
    starts so, or it is one short cell that says so: `711 工会部门 单位：万元`)."""
    return any(_PREAMBLE.match(s.text) for s in line.segs) or (len(line.segs) == 1 and is_preamble_line(line.text))


def _retext(line: Line, text: str) -> Line:
    """A copy of `line` whose text is `text` (a 目录 entry without its dot leader)."""
    seg = Seg(line.x0, line.x1, text)
    copy = Line(line.page, line.y, line.h, [seg], line.page_width, line.page_height)
    copy.x1 = line.x1 if len(line.segs) == 1 else line.segs[0].x1
    return copy
