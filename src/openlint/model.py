"""The document model every reader produces and every later stage consumes.

Immutable and format-neutral: a `Document` is a sequence of blocks in reading order
(headings, paragraphs, tables) plus a section tree built from the headings. Every block
carries a `Location` a person can find (file, page or line, section path); cells get theirs
on demand from their table. Readers never raise on bad input: they return a document whose
`problems` say what went wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Union

from openlint._slots import direct_init


@direct_init
@dataclass(frozen=True, slots=True)
class Location:
    file: str
    page: int | None = None  # 1-based, PDF
    line: int | None = None  # 1-based, text formats
    section: tuple[str, ...] = ()  # heading path, outermost first
    table: str | None = None
    row: str | None = None
    column: str | None = None
    sheet: str | None = None  # the worksheet, Excel

    def qualified_name(self) -> str:
        """`表/行/列` for cells and rows, else the section path, joined with `/`."""
        if self.table:
            return "/".join(p for p in (self.table, self.row, self.column) if p)
        return "/".join(self.section)

    def describe(self) -> str:
        """Human position: `第3页 › 第三部分 › 一、… › 表 › 行 › 列` (`工作表“…”第3行` in a workbook)."""
        parts: list[str] = []
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”" + (f"第{self.line}行" if self.line else ""))
        elif self.page:
            parts.append(f"第{self.page}页")
        elif self.line:
            parts.append(f"第{self.line}行")
        parts.extend(p for p in self.section[-2:] if p != self.sheet)
        parts.extend(p for p in (self.table, self.row, self.column) if p and p not in parts)
        return " › ".join(parts)


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int  # 1 = outermost
    location: Location


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    location: Location
    is_note: bool = False  # 注：… / 说明：… written under a table


@direct_init
@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    row: int  # origin of the cell; a merged cell sits at every grid position it covers
    col: int
    row_span: int = 1
    col_span: int = 1


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a resolved grid: `grid[r][c]` is the cell covering row r, column c."""

    caption: str  # the title written above the table ("" if none was found)
    grid: tuple[tuple[Cell, ...], ...]
    location: Location
    preamble: tuple[str, ...] = ()  # short lines between caption and grid (编制单位, 单位：万元)
    notes: tuple[Paragraph, ...] = ()  # 注：… paragraphs right after the table
    header_rows: int | None = None  # when the reader knows it (PDF layout, docx tblHeader)
    pages: tuple[int, ...] = ()
    # some of its rows may be on a page printed as a picture: the sums down its columns cannot be checked
    incomplete: bool = False
    # the source line of each grid row, where the format has lines (a worksheet's rows); () if unknown
    row_lines: tuple[int, ...] = ()

    @property
    def n_rows(self) -> int:
        return len(self.grid)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.grid), default=0)

    def line_of(self, r: int) -> int | None:
        """The line of grid row r: its own where the reader knows it, else the table's."""
        return self.row_lines[r] if 0 <= r < len(self.row_lines) else self.location.line

    def text(self, r: int, c: int) -> str:
        row = self.grid[r]
        return row[c].text if c < len(row) else ""

    def row_texts(self, r: int) -> tuple[str, ...]:
        """The row's cells left to right, a merged cell once."""
        seen: list[str] = []
        last: Cell | None = None
        for cell in self.grid[r]:
            if cell is not last:
                seen.append(cell.text)
            last = cell
        return tuple(seen)

    def all_text(self) -> str:
        return "\n".join(" ".join(self.row_texts(r)) for r in range(self.n_rows))


Block = Union[Heading, Paragraph, Table]


@dataclass(frozen=True, slots=True)
class Section:
    heading: Heading
    blocks: tuple[Block, ...]  # everything under the heading, subsections included
    children: tuple["Section", ...] = ()

    @property
    def title(self) -> str:
        return self.heading.text

    @property
    def location(self) -> Location:
        return self.heading.location

    def body_text(self) -> str:
        return "\n".join(b.text for b in self.blocks if isinstance(b, (Paragraph, Heading)))


@dataclass(frozen=True, slots=True)
class Problem:
    """A reader problem: the file could not be read, or only partly."""

    message: str
    location: Location
    fatal: bool = False
    unread: bool = False  # content was there but not read: a page or a picture that may hold a table
    # The file was read in full; this only says how (an encoding guessed, a name that does not fit
    # the content): information, not partial reading.
    info: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    format: str  # "pdf", "docx", "txt"
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()  # top-level sections, each with its children
    page_count: int | None = None
    problems: tuple[Problem, ...] = ()
    page_texts: tuple[str, ...] = field(default=(), repr=False)  # PDF: each page's text (what it shows)

    @property
    def readable(self) -> bool:
        return not any(p.fatal for p in self.problems)

    def with_problem(self, problem: Problem) -> "Document":
        return replace(self, problems=self.problems + (problem,))

    def iter_sections(self):
        stack = list(reversed(self.sections))
        while stack:
            s = stack.pop()
            yield s
            stack.extend(reversed(s.children))

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Paragraph))

    @property
    def headings(self) -> tuple[Heading, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Heading))
