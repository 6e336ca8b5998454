"""Format-independent assembly: headings by numbering, notes to tables, the section tree.

Every reader emits a flat list of blocks in reading order and calls `assemble`; the rules
for what makes a heading, a note and a section live here once.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace

from openlint.model import Block, Document, Heading, Location, Paragraph, Problem, Section, Table

_CN_NUM = "一二三四五六七八九十百零〇"

# Numbering styles, outermost first. The level is the position in this list + 1.
_NUMBERING = (
    re.compile(rf"^第[{_CN_NUM}\d]+(部分|章|篇)"),
    re.compile(rf"^[{_CN_NUM}]+\s*[、.．]"),
    re.compile(rf"^[（(]\s*[{_CN_NUM}]+\s*[)）]"),
    re.compile(r"^\d{1,2}\s*[、.．](?!\d)"),
    re.compile(r"^[（(]\s*\d{1,2}\s*[)）]"),
)
NOTE_START = re.compile(r"^\s*(注|备注|说明)\s*[0-9０-９]?\s*[:：]")
_SENTENCE_END = re.compile(r"[。；;，,：:]$")
MAX_HEADING_CHARS = 40

# A block (HTML) or a line (a PDF printed from a browser) this much of whose text is links to other
# pages is a site's navigation, not the document's
LINKED_SHARE = 0.6

TOC_TITLES = ("目录", "目次")  # a table of contents' heading, spaces removed
# … and the titles web pages give it: “公开目录”, “决算公开目录”, “部门预算公开目录”
_TOC_TITLE = re.compile(r"(?:(?:部门|单位)?(?:预算|决算)?(?:信息)?公开)?目录")
# a web page's date line under the 目录 heading (“公开日期:2024926”, “公开时间:2025年10月15日”): no entry
_DATE_LINE = re.compile(r"(?:公开|发布|成文|更新)(?:日期|时间)[:：]")
_PART_NUMBER = re.compile(rf"^第[{_CN_NUM}\d]+(?:部分|章|篇)")


def is_toc_title(text: str) -> bool:
    """The title of a 目录: 目录, 目次, or a web page's 公开目录, 决算公开目录 …"""
    key = "".join(text.split())
    return key in TOC_TITLES or _TOC_TITLE.fullmatch(key) is not None


def is_date_line(text: str) -> bool:
    """A web page's date line (公开日期:2024926, 发布时间：2025年10月15日), which no 目录 lists."""
    return _DATE_LINE.match("".join(text.split())) is not None


def numbering_level(text: str) -> int | None:
    """The level a heading numbered like `text` has (第一部分 → 1, 一、 → 2, （一） → 3, 1. → 4, （1） → 5)."""
    stripped = text.strip()
    for level, pattern in enumerate(_NUMBERING, start=1):
        if pattern.match(stripped):
            return level
    return None


def heading_level(text: str) -> int | None:
    """The level of `text` as a heading judged by numbering alone, or None if it reads as prose.

    A heading is short and does not end like a sentence; `1.“…”科目43.83万元，主要用于…。` is a
    list item, not a heading.
    """
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_HEADING_CHARS or _SENTENCE_END.search(stripped):
        return None
    if "。" in stripped:
        return None
    return numbering_level(stripped)


def assemble(
    path: str,
    fmt: str,
    blocks: list[Block],
    *,
    page_count: int | None = None,
    problems: list[Problem] | tuple[Problem, ...] = (),
    page_texts: tuple[str, ...] = (),
) -> Document:
    """Join split headings, attach notes to the table they follow, fill section paths, build the
    section tree."""
    blocks = _join_split_headings(blocks)
    blocks = _toc_entries(blocks)
    blocks = _title_only_tables(blocks)
    blocks = _attach_notes(blocks)
    blocks = _fill_section_paths(blocks)
    return Document(
        path=path,
        format=fmt,
        blocks=tuple(blocks),
        sections=_section_tree(blocks),
        page_count=page_count,
        problems=tuple(problems),
        page_texts=page_texts,
    )


def _number_only(text: str) -> bool:
    """A heading that is its number and nothing else ("第一部分", "三、", "（二）")."""
    stripped = "".join(text.split())
    return any(pattern.fullmatch(stripped) for pattern in _NUMBERING)


def _join_split_headings(blocks: list[Block]) -> list[Block]:
    """A heading that is only its number ("第一部分", "三、") followed by a line that reads as its
    title ("部门概况": short, no number of its own, not a sentence) is one heading: part cover pages
    and wrapped headings put the number and the title on two lines."""
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if (
            isinstance(previous, Heading)
            and isinstance(block, (Paragraph, Heading))
            and not (isinstance(block, Paragraph) and block.is_note)
            and not (isinstance(block, Heading) and block.level < previous.level)
            and block.location.sheet == previous.location.sheet
            and _number_only(previous.text)
            and numbering_level(block.text) is None
            and heading_level("一、" + block.text) is not None  # short, and not ending like a sentence
        ):
            number = previous.text.strip()
            gap = " " if number.endswith(("部分", "章", "篇")) else ""
            out[-1] = Heading(f"{number}{gap}{block.text.strip()}", previous.level, previous.location)
            continue
        out.append(block)
    return out


_ENTRY_TAIL = re.compile(r"[.．…·\-—_\s]*[（(]?\d*[)）]?$")  # a 目录 entry's dot leader and page number


def _toc_key(text: str) -> str:
    return _ENTRY_TAIL.sub("", "".join(text.split()))


def _entry_like(block: Block) -> bool:
    return isinstance(block, (Heading, Paragraph)) and len(block.text) <= 2 * MAX_HEADING_CHARS and "。" not in block.text


def _entry_line(block: Block) -> bool:
    """A line that can be a 目录 entry once the body's start is known: `_entry_like`, or a numbered
    title whose only stop is the full stop that ends it (“五、……支出决算情况说明。”), not a sentence."""
    if _entry_like(block):
        return True
    if not isinstance(block, (Heading, Paragraph)):
        return False  # a table between the 目录 and the body (its `text` is a method, not a line)
    text = block.text.strip()
    return (len(text) <= 2 * MAX_HEADING_CHARS
            and numbering_level(text) is not None and text.endswith("。")
            and not re.search(r"[。，,；;：:]", text[:-1]))


def _toc_entries(blocks: list[Block]) -> list[Block]:
    """The lines of a 目录 are its entries, not the headings they name: after a 目录 line (made a
    heading), every heading up to where the first entry comes back as the body's heading becomes a
    paragraph under the 目录. Readers that see where a 目录 ends (by its pages or styles) emit
    paragraphs already; a 目录 whose first entry never comes back, or that would run over prose or
    tables, is left as it is. When the body names its parts otherwise than the 目录 (“一、部门主要职能”
    listed, “××局主要职能” in the body), the 目录 runs to the heading the first prose comes under."""
    out = list(blocks)
    for i, block in enumerate(blocks):
        if not (isinstance(block, (Heading, Paragraph)) and len(block.text) <= 20 and is_toc_title(block.text)):
            continue
        first = next((j for j in range(i + 1, len(blocks)) if isinstance(blocks[j], (Heading, Paragraph))
                      and not is_date_line(blocks[j].text)), None)
        key = _toc_key(blocks[first].text) if first is not None else ""
        if not key:
            continue
        end = next((j for j in range(first + 1, len(blocks))
                    if isinstance(blocks[j], Heading) and _toc_key(blocks[j].text) == key), None)
        if end is None:
            end = _same_part_again(blocks, first)
        # Where the body begins is known (a line of the 目录 came back), an entry may end with a
        # full stop (“五、……“三公”经费支出决算情况说明。”); where it is guessed from the prose, no line can.
        entry = _entry_line if end is not None else _entry_like
        if end is None:
            end = _body_start(blocks, first)
        if end is None or not all(entry(b) for b in blocks[i + 1 : end]):
            continue
        if isinstance(block, Paragraph):
            out[i] = Heading(block.text, 1, block.location)
        for j in range(i + 1, end):
            if isinstance(blocks[j], Heading):
                out[j] = Paragraph(blocks[j].text, blocks[j].location)
    return out


def _same_part_again(blocks: list[Block], first: int) -> int | None:
    """Where a 目录 whose first entry is a part (“第一部分：黄石港区卫健局概况”) ends when the body names
    that part otherwise (“第一部分 部门概况”): at the next heading of the same part number. A part
    number is written once in the 目录 and once in the body, unlike “一、” which each part restarts."""
    label = _PART_NUMBER.match("".join(blocks[first].text.split()))
    if label is None:
        return None
    return next((j for j in range(first + 1, len(blocks))
                 if isinstance(blocks[j], Heading) and "".join(blocks[j].text.split()).startswith(label.group(0))), None)


_TITLE_LIKE = re.compile(r"^[^|\t]*[\u4e00-\u9fff]{2}[^|\t]*$")  # words, not a cell of a flattened table


def _body_start(blocks: list[Block], first: int) -> int | None:
    """Where the body starts after a 目录's first entry: at the headings the first block that
    cannot be an entry (a sentence, a table) comes under — the last heading before it and the
    outer headings right above that one — when at least three entries precede them."""
    k = next((j for j in range(first, len(blocks)) if not _entry_like(blocks[j]) or not _TITLE_LIKE.search(blocks[j].text)), None)
    if k is None or not isinstance(blocks[k], Paragraph) or "。" not in blocks[k].text:
        return None  # a table, or a line of one flattened into text, is no place to guess
    start = next((j for j in range(k - 1, first - 1, -1) if isinstance(blocks[j], Heading)), None)
    if start is None:
        return None
    while start - 1 > first and isinstance(blocks[start - 1], Heading) and blocks[start - 1].level < blocks[start].level:
        start -= 1
    return start if start - first >= 3 else None


# a table's title: ends with 表, perhaps followed by （空表） or （单位：万元）
_TABLE_TITLE = re.compile(r"表(?:[（(][^（()）]{0,12}[)）])?$")
# an empty table's explanation (with or without 注：)
_SAYS_EMPTY = re.compile(r"空表|无数据|表为空|此表无|本表无")


def _title_only_tables(blocks: list[Block]) -> list[Block]:
    """A table's title followed at once by its explanation (“注：本部门无政府性基金预算支出，故本表无
    数据。”) and no grid is that table published empty: an empty table with that caption, which
    the explanation then follows as its note."""
    out: list[Block] = []
    for i, block in enumerate(blocks):
        out.append(block)
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if (
            isinstance(block, (Heading, Paragraph))
            and not getattr(block, "is_note", False)
            and isinstance(following, Paragraph)
            and len(block.text) <= 60
            and "。" not in block.text
            and _TABLE_TITLE.search(block.text.strip())
            and _SAYS_EMPTY.search(following.text)
        ):
            out.append(Table(caption=block.text.strip(), grid=(), location=block.location))
    return out


def _attach_notes(blocks: list[Block]) -> list[Block]:
    """A 注：… paragraph (and its continuation lines) right after a table is that table's note, as
    is a paragraph its reader found to be one."""
    out: list[Block] = []
    table_index: int | None = None
    in_note = False
    for block in blocks:
        if isinstance(block, Paragraph) and table_index is not None:
            if block.is_note or NOTE_START.match(block.text) or (in_note and not heading_level(block.text)):
                note = replace(block, is_note=True)
                table = out[table_index]
                assert isinstance(table, Table)
                out[table_index] = replace(table, notes=table.notes + (note,))
                out.append(note)
                in_note = True
                continue
        in_note = False
        table_index = len(out) if isinstance(block, Table) else None
        out.append(block)
    return out


def _fill_section_paths(blocks: list[Block]) -> list[Block]:
    stack: list[Heading] = []
    out: list[Block] = []
    path: tuple[str, ...] = ()  # the headings on the stack, as a section path
    # Blocks under one heading usually share their location (one per page or per document):
    # the located copy of the last one is reused while location and path stay the same.
    last_loc: Location | None = None
    last_path: tuple[str, ...] | None = None
    last_located: Location | None = None
    for block in blocks:
        if isinstance(block, Heading):
            while stack and stack[-1].level >= block.level:
                stack.pop()
            path = tuple(h.text for h in stack) + (block.text,)
            loc = block.location
            block = Heading(block.text, block.level, _located(loc, path, loc.table))
            stack.append(block)
        elif isinstance(block, Paragraph):
            loc = block.location
            if loc is not last_loc or path is not last_path:
                last_loc, last_path, last_located = loc, path, _located(loc, path, loc.table)
            block = Paragraph(block.text, last_located, block.is_note)
        else:
            loc = block.location
            block = _replace(block, location=_located(loc, path, loc.table or block.caption or None))
        out.append(block)
    return out


def _located(loc: Location, section: tuple[str, ...], table: str | None) -> Location:
    """`loc` with its section path and table name filled in; written out field by field because
    it runs for every block of every document (`dataclasses.replace` inspects the fields each call)."""
    return Location(loc.file, loc.page, loc.line, section, table, loc.row, loc.column, loc.sheet)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _replace(obj, **changes):
    """`dataclasses.replace` for the model's dataclasses (every field an __init__ argument), without
    its per-call field inspection."""
    cls = type(obj)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    values = {name: getattr(obj, name) for name in names}
    values.update(changes)
    return cls(**values)


def _section_tree(blocks: list[Block]) -> tuple[Section, ...]:
    def build(start: int, end: int, parent_level: int) -> tuple[Section, ...]:
        sections: list[Section] = []
        i = start
        while i < end:
            block = blocks[i]
            if isinstance(block, Heading) and block.level > parent_level:
                j = i + 1
                while j < end and not (isinstance(blocks[j], Heading) and blocks[j].level <= block.level):
                    j += 1
                sections.append(
                    Section(heading=block, blocks=tuple(blocks[i + 1 : j]), children=build(i + 1, j, block.level))
                )
                i = j
            else:
                i += 1
        return tuple(sections)

    return build(0, len(blocks), 0)
