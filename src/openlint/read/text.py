"""Plain-text reader (`.txt`), plus the small helpers every reader shares.

The layout is that of `shared/corpus/seed/` (text extracted from a Word document):

* headings and paragraphs are lines; `[bookmark: …]` marks are Word bookmarks (a `_Toc…`
  bookmark marks a heading listed in the table of contents);
* each table cell is a line that starts with a tab; a blank line ends a table row;
* a horizontally merged cell appears once, so a header row can be shorter than the grid; a
  vertically merged cell appears in its first row and as an empty cell below it;
* a cell holding several paragraphs can break its row in two (the row resumes after a blank
  line).

A table copied from a spreadsheet or a web page, a row a line with its cells separated by tabs,
is read too (see `_tab_separated_rows`).

The reader rebuilds the grid from that (see `_build_grid` for the heuristics), takes the title
line above a table as its caption and `单位：万元`-like lines or a first row as its preamble, and
leaves notes, section paths and the section tree to `structure.assemble`. Every block carries
its 1-based line number.
"""

from __future__ import annotations

import os
import re
import stat
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from openlint.model import Block, Cell, Document, Heading, Location, Paragraph, Problem, Table
from openlint.read._zip import Unreadable
from openlint.read.structure import NOTE_START, assemble, heading_level

# --- shared helpers (used by the docx reader and the dispatch too) ---------------------------

MAX_FILE_BYTES = 200 * 1024 * 1024  # files above this are refused unread
MAX_TEXT_BYTES = 50 * 1024 * 1024  # a text file larger than this is not a disclosure
MAX_CAPTION_CHARS = 60
MAX_TABLE_COLS = 1000  # a disclosure table has tens of columns
MAX_TABLE_CELLS = 2_000_000  # rows × columns of one resolved grid

# Lines written between a table's title and its grid: 单位：万元, 编制单位：…, 预算年度：2023 …
PREAMBLE = re.compile(
    r"(金额单位|计量单位|单\s*位|编制单位|编制部门|编报单位|填报单位|部门名称|单位名称|预算年度|年\s*度|截止时间|截止日期|报送日期)"
    r"\s*[:：]"
)
_SENTENCE_PUNCT = re.compile(r"[。；;，,：:！!？?]$")
# the table's number printed on a line of its own, as the national 决算 template does between a
# table's title and its 编制单位 line ("公开01表", "附表3-1", "表二"): no title
# a title with its unit in closing brackets: the title is what comes before them
_TITLE_WITH_UNIT = re.compile(r"(.*?)\s*[（(][^（()）]*单\s*位\s*[:：][^（()）]*[)）]")
_NUMBER_OF_TABLE = r"[0-9０-９一二三四五六七八九十]+(?:\s*[-—－]\s*[0-9０-９]+)?"
_TABLE_NUMBER = re.compile(rf"(?:公开|附)?表\s*{_NUMBER_OF_TABLE}|公开\s*{_NUMBER_OF_TABLE}\s*表")


def fatal_document(path: str, fmt: str, message: str) -> Document:
    """A document that could not be read at all: no blocks, one fatal problem."""
    return Document(path=path, format=fmt, problems=(Problem(message, Location(file=path), fatal=True),))


def read_guarded(path: str, fmt: str, what: str, read: Callable[[str], Document]) -> Document:
    """`read(path)` for a reader's entry point, which never raises: a file that cannot be opened,
    an `Unreadable` file, memory running out or a bug in `read` each give one fatal problem
    (`what` names the format in the bug's message: “读取 .docx 时发生内部错误…”)."""
    reason = file_problem(path)
    if reason:
        return fatal_document(path, fmt, reason)
    try:
        return read(path)
    except Unreadable as exc:
        return fatal_document(path, fmt, str(exc))
    except MemoryError:
        return fatal_document(path, fmt, "文件过大，内存不足，未能读取")
    except Exception as exc:  # a bug must not take the run down
        return fatal_document(path, fmt, f"读取{what}时发生内部错误：{type(exc).__name__}: {exc}")


def file_problem(path: str, limit: int | None = None) -> str | None:
    """Why `path` cannot be read (missing, directory, not a regular file, empty, too large), or None."""
    if limit is None:
        limit = MAX_FILE_BYTES
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return f"文件不存在：{path}"
    except PermissionError:
        return f"没有读取权限：{path}"
    except (OSError, ValueError) as exc:
        return f"无法访问文件：{path}（{_os_reason(exc)}）"
    if stat.S_ISDIR(st.st_mode):
        return f"这是一个目录，不是文件：{path}"
    if not stat.S_ISREG(st.st_mode):
        return f"不是普通文件（设备、管道或套接字），未读取：{path}"
    if st.st_size == 0:
        return "文件为空（0 字节）"
    if st.st_size > limit:
        return f"文件过大（{st.st_size / 1048576:.1f} MB，上限 {limit // 1048576} MB），未读取"
    return None


def read_head(path: str, n: int) -> tuple[bytes | None, str | None]:
    """The first `n` bytes of the file, or an error message."""
    try:
        with open(path, "rb") as f:
            return f.read(n), None
    except PermissionError:
        return None, f"没有读取权限：{path}"
    except OSError as exc:
        return None, f"无法读取文件：{path}（{_os_reason(exc)}）"


def _os_reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or type(exc).__name__


def is_table_number(text: str) -> bool:
    """`公开01表`, `附表3-1`, `表二`: a table's number on a line of its own, not its title."""
    return bool(_TABLE_NUMBER.fullmatch(text.strip()))


def is_preamble_line(text: str) -> bool:
    """A short line such as `单位：万元`, `编制单位：某某局    单位：万元` or the table's number alone
    (`公开01表`); not a title that ends with its unit in brackets (`表1 部门收支总表（单位：万元）`)."""
    t = text.strip()
    if not 0 < len(t) <= MAX_CAPTION_CHARS or "。" in t:
        return False
    if is_table_number(t):
        return True
    titled = _TITLE_WITH_UNIT.fullmatch(t)
    if titled and titled.group(1):
        return bool(PREAMBLE.search(titled.group(1)))  # 编制单位：某局（单位：元）, not 收支总表（单位：元）
    return bool(PREAMBLE.search(t))


_PREAMBLE_SPLIT = re.compile(r"\t+|[ \u3000]{2,}")


def split_preamble(text: str) -> list[str]:
    """`编制单位：某某局\t\t单位：万元` → its items."""
    return [part.strip() for part in _PREAMBLE_SPLIT.split(text) if part.strip()]


def oversized_table(n_rows: int, n_cols: int) -> str | None:
    """A message when a grid of this size is too big to build (a hostile or broken file)."""
    if n_cols > MAX_TABLE_COLS or n_rows * n_cols > MAX_TABLE_CELLS:
        return f"表格过大（{n_rows} 行 × {n_cols} 列），已跳过"
    return None


def looks_like_caption(text: str) -> bool:
    """Short, not a sentence, not a note: the title written above a table."""
    t = text.strip()
    if not t or len(t) > MAX_CAPTION_CHARS or NOTE_START.match(t):
        return False
    if "。" in t or _SENTENCE_PUNCT.search(t):
        return False
    return True


# --- decoding --------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str | None, str | None]:
    """(text, note): UTF-8 (BOM or not), UTF-16 with BOM, else GB18030 with a note; (None, msg) if undecodable."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, "文件编码无法识别（UTF-16 字节序标记后的内容无法解码）"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            return None, "文件编码无法识别：既不是 UTF-8 也不是 GB18030（GBK）文本"
        if "\x00" in text:
            return None, "不是文本文件（含有二进制内容）"
        return text, "文件不是 UTF-8 编码，已按 GB18030 读取"
    if "\x00" in text:
        return None, "不是文本文件（含有二进制内容）"
    return text, None


# --- reader ----------------------------------------------------------------------------------


def read_text(path: str) -> Document:
    """Read a plain-text extraction. Never raises: problems are returned in the document."""
    reason = file_problem(path, min(MAX_TEXT_BYTES, MAX_FILE_BYTES))
    if reason:
        return fatal_document(path, "txt", reason)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_TEXT_BYTES + 1)
    except PermissionError:
        return fatal_document(path, "txt", f"没有读取权限：{path}")
    except OSError as exc:
        return fatal_document(path, "txt", f"无法读取文件：{path}（{_os_reason(exc)}）")
    text, note = decode_text(data)
    if text is None:
        return fatal_document(path, "txt", note or "文件编码无法识别")
    if not text.strip():
        return fatal_document(path, "txt", "文件中没有任何文字内容")
    problems = [Problem(note, Location(file=path), info=True)] if note else []  # read in full all the same
    try:
        return parse_text(text, path, problems=problems)
    except Exception as exc:  # a bug must not take the run down
        return fatal_document(path, "txt", f"读取文本时发生内部错误：{type(exc).__name__}: {exc}")


_BOOKMARK = re.compile(r"\[bookmark:\s*([^\]]*)\]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SHORT_TITLE_CHARS = 20
_TITLE_PUNCT = re.compile(r"[。，,；;：:！!？?、“”\"'（）()《》]")


@dataclass
class _Line:
    text: str
    line: int
    toc: bool  # carried a `[bookmark: _Toc…]` mark


@dataclass
class _RawTable:
    line: int  # first cell line
    rows: list[list[tuple[str, int]]] = field(default_factory=list)


def parse_text(text: str, path: str, *, problems: list[Problem] | tuple[Problem, ...] = ()) -> Document:
    """Parse already-decoded text in the seed layout into a `Document`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    tab_rows = _tab_separated_rows(lines)
    items: list[_Line | _RawTable | None] = []  # None = blank line outside a table
    table: _RawTable | None = None
    row: list[tuple[str, int]] = []
    for n, raw in enumerate(lines, start=1):
        if n in tab_rows:
            if table is None or n - 1 not in tab_rows:
                if table is not None and row:
                    table.rows.append(row)
                row = []
                table = _RawTable(line=n)
                items.append(table)
            table.rows.append([(_clean(cell), n) for cell in tab_rows[n]])
            if n + 1 not in tab_rows:
                table = None
            continue
        if raw.startswith("\t"):
            if table is None:
                table = _RawTable(line=n)
                items.append(table)
            row.append((_clean(raw[1:]), n))
            continue
        if not raw.strip():
            if table is not None:
                if row:
                    table.rows.append(row)
                    row = []
            else:
                items.append(None)
            continue
        if table is not None:
            if row:
                table.rows.append(row)
                row = []
            table = None
        marks = _BOOKMARK.findall(raw)
        clean = _clean(_BOOKMARK.sub("", raw))
        if clean:
            items.append(_Line(clean, n, any(m.strip().startswith("_Toc") for m in marks)))
        else:
            items.append(None)
    if table is not None and row:
        table.rows.append(row)

    flattened = None if any(isinstance(item, _RawTable) for item in items) else _flattened_table_line(items)
    if flattened is not None:
        return fatal_document(path, "txt", _flattened_message(flattened))
    problems = list(problems)
    blocks = _blocks(items, path, problems)
    return assemble(path, "txt", blocks, problems=problems)


_FIGURE = r"-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)"  # a figure with decimals or thousands
_TABLE_FIGURE = re.compile(rf"^{_FIGURE}$")


def _tab_separated_rows(lines: list[str]) -> dict[int, list[str]]:
    """Line number → cells, for the lines of tables written a row a line with the cells separated
    by tabs (copied from Excel or a web page). A run of two or more such lines is a table when a
    row has three cells or a cell holds a figure with decimals or thousands: a 目录 whose page
    numbers follow a tab has neither. A seed-layout cell line (a tab, then one cell) is none; a line
    of tabs alone is an empty row of the table it is in."""
    candidates: dict[int, list[str]] = {}
    for n, raw in enumerate(lines, start=1):
        cells = raw.rstrip(" \u3000").split("\t")
        if len(cells) >= 2 and not (raw.startswith("\t") and len(cells) == 2):
            candidates[n] = cells  # an empty row too (only tabs), when it is part of a table
    rows: dict[int, list[str]] = {}
    numbers = sorted(candidates)
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        run = [candidates[n] for n in numbers[i : j + 1]]
        if sum(1 for cells in run if any(c.strip() for c in cells)) >= 2 and (
            max(map(len, run)) >= 3 or any(_TABLE_FIGURE.match(c.strip()) for cells in run for c in cells)
        ):
            width = max(map(len, run))
            for n in numbers[i : j + 1]:
                rows[n] = candidates[n] + [""] * (width - len(candidates[n]))
        i = j + 1
    return rows


# Two figures side by side with nothing but spaces between them (`82,096,797.42 82,096,797.42`):
# table cells run together on one line. Prose puts a unit or a word between two figures.
_FIGURES_SIDE_BY_SIDE = re.compile(rf"(?<![\d.,]){_FIGURE}[ \u3000]+{_FIGURE}(?![\d.,])")
_FLATTENED_MIN_LINES = 3


def _flattened_table_line(items: list) -> _Line | None:
    """The first of the lines holding table rows run together (cells separated by spaces, as in
    text copied out of a PDF or written by pdftotext), when there are several; else None."""
    found = [item for item in items if isinstance(item, _Line) and _FIGURES_SIDE_BY_SIDE.search(item.text)]
    return found[0] if len(found) >= _FLATTENED_MIN_LINES else None


def _flattened_message(line: _Line) -> str:
    shown = line.text if len(line.text) <= 40 else line.text[:40] + "…"
    return (
        f"第{line.line}行等处的表格已压成以空格分隔的文字（“{shown}”），单元格无法还原，未检查；"
        "文本文件的表格应每个单元格一行、以制表符开头；也可直接检查原 PDF 或 Word 文件"
    )


def _clean(s: str) -> str:
    return _CONTROL.sub("", s).strip()


def line_blocks(lines: list[tuple[str, int]], path: str, *, level: int = 0) -> list[Block]:
    """Headings and paragraphs of plain lines (text, 1-based line number), told apart as in a text
    file; `level` is that of the heading the lines stand under (their headings go deeper)."""
    return _blocks([_Line(text, n, False) for text, n in lines], path, [], level=level)


def _blocks(items: list, path: str, problems: list[Problem], *, level: int = 0) -> list[Block]:
    # 1. which lines are captions or preambles of the table below them
    caption_of: dict[int, str] = {}  # item index of a table -> caption
    preamble_of: dict[int, list[str]] = {}
    caption_lines: set[int] = set()  # item indices consumed as caption (unless a heading)
    preamble_lines: set[int] = set()
    for i, item in enumerate(items):
        if not isinstance(item, _RawTable):
            continue
        j = i - 1
        pre: list[str] = []
        while j >= 0 and (items[j] is None or (isinstance(items[j], _Line) and is_preamble_line(items[j].text))):
            if items[j] is not None:
                pre[:0] = split_preamble(items[j].text)
                preamble_lines.add(j)
            j -= 1
        if j >= 0 and isinstance(items[j], _Line) and looks_like_caption(items[j].text):
            caption_of[i] = items[j].text
            caption_lines.add(j)
        preamble_of[i] = pre

    # 2. emit blocks
    blocks: list[Block] = []
    numbered_level = level  # level of the last heading that had numbering
    last_unnumbered: int | None = None
    for i, item in enumerate(items):
        if item is None or i in preamble_lines:
            continue
        if isinstance(item, _RawTable):
            tbl = _make_table(item, caption_of.get(i, ""), preamble_of.get(i, []), path, problems)
            if tbl is not None:
                blocks.append(tbl)
            last_unnumbered = None
            continue
        loc = Location(file=path, line=item.line)
        level = heading_level(item.text)
        if level is not None:
            numbered_level, last_unnumbered = level, None
            blocks.append(Heading(item.text, level, loc))
            continue
        if _is_unnumbered_heading(items, i, caption=i in caption_lines):
            # A run of unnumbered headings are siblings, children of the last numbered heading.
            level = last_unnumbered or numbered_level + 1
            last_unnumbered = level
            blocks.append(Heading(item.text, level, loc))
            continue
        if i in caption_lines:
            continue  # the table carries it
        blocks.append(Paragraph(item.text, loc))
    return blocks


def _is_unnumbered_heading(items: list, i: int, *, caption: bool) -> bool:
    item = items[i]
    text = item.text
    if len(text) > 40 or "。" in text or _SENTENCE_PUNCT.search(text) or NOTE_START.match(text):
        return False
    if item.toc:
        return True  # listed in the table of contents
    if caption:
        return False
    # A short title line (`名词解释`) standing above prose.
    if len(text) > _SHORT_TITLE_CHARS or _TITLE_PUNCT.search(text) or is_preamble_line(text):
        return False
    j = i + 1
    while j < len(items) and items[j] is None:
        j += 1
    nxt = items[j] if j < len(items) else None
    return isinstance(nxt, _Line) and len(nxt.text) > len(text)


# --- tables ----------------------------------------------------------------------------------


def _make_table(
    raw: _RawTable, caption: str, preamble: list[str], path: str, problems: list[Problem]
) -> Table | None:
    rows = [r for r in raw.rows if r]
    if not rows:
        return None
    first_line = rows[0][0][1]
    too_big = oversized_table(len(rows), max(len(r) for r in rows))
    if too_big:
        problems.append(Problem(too_big, Location(file=path, line=first_line, table=caption or None)))
        return None
    widths = [len(r) for r in rows]
    # A first row holding 单位：万元 / 预算年度：… is the preamble written inside the table: short
    # (merged cells) in the seed layout, padded with empty cells when copied from a spreadsheet.
    labels = sum(1 for t, _ in rows[0] if PREAMBLE.search(t))
    if len(rows) > 1 and labels and (
        widths[0] < max(widths[1:]) or labels * 2 >= sum(1 for t, _ in rows[0] if t)
    ):
        preamble = preamble + [t for t, _ in rows[0] if t]
        rows = rows[1:]
    rows = _rejoin_broken_rows(rows)
    grid = _build_grid([[t for t, _ in r] for r in rows])
    return Table(
        caption=caption,
        grid=grid,
        location=Location(file=path, line=first_line, table=caption or None),
        preamble=tuple(preamble),
    )


def _rejoin_broken_rows(rows: list[list[tuple[str, int]]]) -> list[list[tuple[str, int]]]:
    """Rows split by a blank line inside a multi-paragraph cell: consecutive short rows whose
    lengths add up exactly to the usual row width are one row."""
    if len(rows) < 3:
        return rows
    counts = Counter(len(r) for r in rows)
    width = max(counts, key=lambda w: (counts[w], w))
    out: list[list[tuple[str, int]]] = []
    i = 0
    while i < len(rows):
        if len(rows[i]) < width:
            total, j = len(rows[i]), i + 1
            while j < len(rows) and total < width and len(rows[j]) < width:
                total += len(rows[j])
                j += 1
            if total == width and j - i >= 2:
                out.append([c for r in rows[i:j] for c in r])
                i = j
                continue
        out.append(rows[i])
        i += 1
    return out


def _build_grid(rows: list[list[str]]) -> tuple[tuple[Cell, ...], ...]:
    """Lay rows of cell texts out on a grid as wide as the widest row.

    A short row is a header band with horizontally merged cells; the row below tells where the
    cells go: an empty cell below is the continuation of a vertically merged cell, so the cell
    above it is one column wide (and spans both rows); the remaining columns form runs shared by
    the other cells, left to right, a merged cell taking two columns and the last cell of a run
    the rest. When the row below has no empty cell (a label/value row such as 绩效目标 | …), or
    the counts do not fit, the cells take one column each and the last one the rest.
    """
    n_cols = max(len(r) for r in rows)
    # spans[r] = list of (col, width) for each cell of row r; vmerge[(r, c)] = True when the
    # cell at row r, column c continues the cell above.
    layouts: list[list[tuple[int, int]]] = []
    continues: set[tuple[int, int]] = set()
    for r, cells in enumerate(rows):
        if len(cells) == n_cols:
            layouts.append([(c, 1) for c in range(n_cols)])
            continue
        below = rows[r + 1] if r + 1 < len(rows) and len(rows[r + 1]) == n_cols else None
        layout = _layout_from_below(cells, below, n_cols) if below is not None else None
        if layout is None:
            layout = [(c, 1) for c in range(len(cells) - 1)] + [(len(cells) - 1, n_cols - len(cells) + 1)]
        else:
            for (col, width), text in zip(layout, cells):
                if width == 1 and text and not below[col]:
                    continues.add((r + 1, col))
        layouts.append(layout)

    grid: list[list[Cell | None]] = [[None] * n_cols for _ in rows]
    for r, (cells, layout) in enumerate(zip(rows, layouts)):
        for text, (col, width) in zip(cells, layout):
            if (r, col) in continues:
                continue
            span = 1
            while (r + span, col) in continues:
                span += 1
            cell = Cell(text=text, row=r, col=col, row_span=span, col_span=width)
            for rr in range(r, r + span):
                for cc in range(col, col + width):
                    grid[rr][cc] = cell
    return tuple(
        tuple(cell if cell is not None else Cell("", r, c) for c, cell in enumerate(row)) for r, row in enumerate(grid)
    )


def _layout_from_below(cells: list[str], below: list[str], n_cols: int) -> list[tuple[int, int]] | None:
    singles = [not t for t in below]
    if not any(singles):
        return None
    # segments: ("single", col) or ("run", start, length)
    segments: list[tuple[int, int, bool]] = []  # (start, length, is_single)
    c = 0
    while c < n_cols:
        if singles[c]:
            segments.append((c, 1, True))
            c += 1
        else:
            start = c
            while c < n_cols and not singles[c]:
                c += 1
            segments.append((start, c - start, False))
    n_single = sum(1 for s in segments if s[2])
    runs = [s for s in segments if not s[2]]
    extra = len(cells) - n_single - len(runs)
    if extra < 0 or extra > sum(length - 1 for _, length, _ in runs):
        return None
    # Extra cells go to the widest runs first.
    per_run = {s[0]: 1 for s in runs}
    for start, length, _ in sorted(runs, key=lambda s: (-s[1], s[0])):
        give = min(extra, length - 1)
        per_run[start] += give
        extra -= give
    layout: list[tuple[int, int]] = []
    for start, length, single in segments:
        if single:
            layout.append((start, 1))
            continue
        k = per_run[start]
        width = 2 if 2 * (k - 1) < length else 1
        col = start
        for _ in range(k - 1):
            layout.append((col, width))
            col += width
        layout.append((col, start + length - col))
    return layout
