"""PDF reader: pypdfium2 characters with positions → headings, paragraphs and tables.

`read_pdf(path)` never raises. A file that cannot be read at all (missing, empty, not a PDF,
damaged, truncated, password-protected, too big, too many pages) gives a document with exactly
one fatal `Problem`; a page that fails, or whose text is mostly unreadable glyphs, gives a
non-fatal one and the rest of the document is read (such a page's lines are not: garbage
from a font without /ToUnicode would be checked into false findings; a document whose every page
is so gets one fatal problem, as a scan does).

Pipeline (per page, then per document):

1. `_pdf_layout.page_lines`: one loose glyph box per character (turned into display space on a
   rotated page: by its /Rotate, or by the angle most of its characters are drawn at when that
   differs, as on a landscape table printed sideways onto a portrait page; `upright_rotation`),
   characters grouped into lines by the bottom of their boxes, lines split into segments at gaps
   wider than 0.6 line heights. A watermark is no text: glyphs drawn askew (内部资料 across the
   page) and large faint ones are dropped from the lines and from the page's text.
   Text off the page is dropped; once a document shows such overflow (spreadsheet exports draw
   the same long text on several pages and clip a window of it on each), lines hidden by their
   clipping path are dropped too (`visible_lines`), and so is their text from `page_texts`
   (which otherwise keep the raw text as pdfium extracts it, but on a turned page, whose text
   pdfium jumbles, are made of its lines).
2. Page furniture (bare page numbers, running headers/footers repeated on many pages, a browser's
   margins: the page's address, the date and time it was printed) is dropped, and so is what a
   site puts around a document printed from a browser (lines mostly of links to other pages, a
   licence line) and what a browser drew over a page break and clipped away.
3. `_pdf_blocks.Composer`: lines → paragraphs (wrapped lines joined while a line runs to the right
   margin), headings (numbering via `structure.heading_level`, or a big/centred title), the 目录
   page (a heading plus one paragraph per entry, dot leaders and page numbers removed), tables
   (caption → preamble → header → body; continued over pages), 注： notes as paragraphs.
4. `_pdf_table.build_table`: rows and columns from segment positions, merged header cells; on a
   page with a line of several cells the ruling lines (`_pdf_layout.ruling_lines`, read in step 1
   while the page is open) say where ruled rows, header cells and tables begin and end.
5. `structure.assemble` attaches notes to tables and builds the section tree.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace

import pypdfium2 as pdfium

from openlint.model import Document, Location, Problem, Table
from openlint.read._pdf_blocks import Composer
from openlint.read._pdf_strips import join_strips
from openlint.read._pdf_layout import (
    NO_RULES,
    Line,
    Rules,
    page_lines,
    ruling_lines,
    upright_rotation,
    visible_lines,
    web_links,
)
from openlint.read.structure import LINKED_SHARE, assemble

MAX_BYTES = 200 * 1024 * 1024
MAX_PAGES = 2000
_BAD_SHARE = 0.3  # a page whose characters are mostly private-use / U+FFFD / unmapped is not read
_GARBLED_PAGE = "第{page_no}页的文字大多无法识别（乱码、私有区或替换字符：字体缺少 Unicode 映射），该页内容未检查"
_GARBLED_DOCUMENT = "PDF 的文字无法正确提取（乱码：字体缺少 Unicode 映射 ToUnicode），无法检查内容"

# PDFium's FPDF_GetLastError codes
_ERR_FILE, _ERR_FORMAT, _ERR_PASSWORD, _ERR_SECURITY = 2, 3, 4, 5

_FURNITURE_NO = re.compile(
    r"^(第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?"  # 第3页, 第3页 共31页
    r"|[-—–－]?\s*\d{1,4}\s*[-—–－]?"  # 3, - 3 -
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 3/31
    r"|[Pp]age\s*\d+(\s*of\s*\d+)?)$"
)
_DIGITS = re.compile(r"\d+")
# what a browser prints in the margins of every page (and a site in its own footer): the page's
# address, the date and time it was printed, a site's licence numbers
_FURNITURE_SEG = re.compile(
    r"^((https?|file|ftp)://\S*|www\.\S+\.\S+"  # http://…, file:///…, www.….cn
    r"|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}[,，]?\s*([上下]午\s*)?\d{1,2}:\d{2}(:\d{2})?(\s*[AaPp]\.?[Mm]\.?)?"  # 11/25/26, 7:48 AM
    r"|\d{4}年\d{1,2}月\d{1,2}日\s*([上下]午\s*)?\d{1,2}:\d{2}(:\d{2})?)$"  # 2026年11月25日 07:48
)
_SITE_FOOTER = re.compile(r"ICP备\s*\d|公网安备\s*\d|网站标识码")


def read_pdf(path: str) -> Document:
    """Read a PDF into a `Document` (format "pdf"). Never raises."""
    try:
        return _read(path)
    except MemoryError:
        return _fatal(path, "PDF 过大或过于复杂，内存不足，未能读取")
    except Exception as exc:  # noqa: BLE001 - a reader never raises
        return _fatal(path, f"读取 PDF 时发生内部错误（{type(exc).__name__}: {_one_line(exc)}），未能读取")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def _fatal(path: str, message: str) -> Document:
    return Document(path, "pdf", problems=(Problem(message, Location(file=path), fatal=True),))


def _read(path: str) -> Document:
    try:
        st = os.stat(path)
    except OSError:
        return _fatal(path, "文件不存在或无法访问")
    if not os.path.isfile(path):
        return _fatal(path, "路径不是一个文件，无法作为 PDF 读取")
    size = st.st_size
    if size == 0:
        return _fatal(path, "文件为空（0 字节），不是有效的 PDF")
    if size > MAX_BYTES:
        return _fatal(path, f"文件过大（{size / 1048576:.0f} MB，上限 {MAX_BYTES // 1048576} MB），未读取")
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
            fh.seek(max(0, size - 4096))
            tail = fh.read()
    except OSError:
        return _fatal(path, "文件无法读取（权限不足或读取错误）")
    if b"%PDF-" not in head:
        return _fatal(path, "文件不是 PDF（开头没有 %PDF- 文件头），可能是其他格式误用了 .pdf 扩展名")
    truncated = b"%%EOF" not in tail
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        return _fatal(path, _open_error(getattr(exc, "err_code", None), truncated))
    try:
        return _read_document(path, pdf, truncated)
    finally:
        pdf.close()


def _open_error(code: int | None, truncated: bool) -> str:
    if code == _ERR_PASSWORD:
        return "PDF 已加密，需要密码才能打开，无法读取"
    if code == _ERR_SECURITY:
        return "PDF 使用了不支持的加密或安全处理方式，无法读取"
    if code == _ERR_FILE:
        return "文件无法打开（不存在或无读取权限）"
    if truncated:
        return "PDF 文件不完整（缺少文件结尾，可能下载或复制时被截断），无法解析"
    if code == _ERR_FORMAT:
        return "PDF 文件已损坏（格式错误），无法解析"
    return "PDF 没有任何页面或无法解析"


def _read_document(path: str, pdf: pdfium.PdfDocument, truncated: bool) -> Document:
    n = len(pdf)
    if n < 1:
        return _fatal(path, "PDF 没有任何页面")
    if n > MAX_PAGES:
        return _fatal(path, f"PDF 页数过多（{n} 页，上限 {MAX_PAGES} 页），未读取")
    problems: list[Problem] = []
    pages: list[tuple[int, float, float, list[Line]]] = []
    texts: list[str] = []
    any_text = False
    offpage = 0
    rotations: list[int] = []
    # ruling lines of the pages with a line of several cells, read while the page is open (loading
    # it again would cost as much); a page of prose alone has no table to rule
    rules: dict[int, Rules] = {}
    pictures: list[int] = []  # pages without text whose content is a picture (a scanned table)
    garbled: list[int] = []  # pages whose text is mostly characters that did not extract
    unreadable: set[int] = set()  # pages with a character that did not extract
    clipped: list[tuple[int, Line]] = []  # (index in pages, line) at a page's edge, hidden by its clip
    navigation: list[tuple[int, list[Line], int]] = []  # (index in pages, lines kept, lines dropped)
    for i in range(n):
        page_no = i + 1
        try:
            page = pdf[i]
            try:
                page_rotation = page.get_rotation() % 360
                width, height = page.get_size()
                tp = page.get_textpage()
                try:
                    rotation = upright_rotation(tp, page_rotation)
                    if (rotation - page_rotation) % 180:  # a quarter turn from /Rotate: width and height trade places
                        width, height = height, width
                    lines, text, count, bad, off = page_lines(tp, page_no, width, height, rotation)
                    if off and not offpage:  # first sign of clipped overflow: check the pages so far
                        _drop_clipped(pdf, pages, rotations, texts)
                    if off or offpage:
                        seen = visible_lines(tp, lines, width, height, rotation)
                        if len(seen) < len(lines):
                            text = _text_of(seen)
                        lines = seen
                    elif lines:  # lines at the page's edges hidden by their clip (see `_drop_spilled`)
                        edges = list({id(ln): ln for ln in lines[:2] + lines[-2:]}.values())
                        seen_ids = {id(ln) for ln in visible_lines(tp, edges, width, height, rotation)}
                        clipped.extend((len(pages), ln) for ln in edges if id(ln) not in seen_ids)
                    if rotation:  # pdfium extracts text that is not upright on the page in a jumbled order
                        text = _text_of(lines)
                finally:
                    tp.close()
                if any(len(line.segs) >= 2 for line in lines):
                    rules[page_no] = _page_rules(page, width, height, rotation)
                if lines:
                    links = web_links(page, width, height, rotation)
                    if links:
                        kept = _without_navigation(lines, links)
                        if len(kept) < len(lines):
                            navigation.append((len(pages), kept, len(lines) - len(kept)))
                if not count and _mostly_picture(page, width * height):
                    pictures.append(page_no)
            finally:
                page.close()
        except Exception as exc:  # noqa: BLE001 - one bad page does not stop the document
            problems.append(
                Problem(f"第{page_no}页无法提取文字（{_one_line(exc)}），已跳过该页", Location(file=path, page=page_no),
                        unread=True)
            )
            texts.append("")
            pages.append((page_no, 0.0, 0.0, []))
            rotations.append(0)
            continue
        offpage += off
        rotations.append(rotation)
        texts.append(text)
        if count:
            any_text = True
        if bad:
            unreadable.add(page_no)
        if count and bad / count > _BAD_SHARE:
            # garbage is not content: its lines would be checked into false findings
            garbled.append(page_no)
            lines = []
        pages.append((page_no, width, height, lines))
    if not any_text:
        # Fatal: every content rule would report its section "missing" on a scan, which is noise;
        # the one true finding is that the text cannot be read.
        problems.append(Problem("PDF 中没有可提取的文字（可能是扫描件或图片），无法检查内容", Location(file=path), fatal=True))
    elif garbled and all(page_no in garbled for page_no, *_ in pages if texts[page_no - 1].strip()):
        problems.append(Problem(_GARBLED_DOCUMENT, Location(file=path), fatal=True))
    else:
        problems.extend(
            Problem(_GARBLED_PAGE.format(page_no=page_no), Location(file=path, page=page_no), unread=True)
            for page_no in garbled
        )
        problems.extend(
            Problem(f"第{page_no}页只有图片，没有可提取的文字（可能是扫描或截图的表格），该页内容未检查",
                    Location(file=path, page=page_no), unread=True)
            for page_no in pictures
        )
    if truncated:
        problems.append(Problem("PDF 文件可能不完整（缺少文件结尾标记 %%EOF），内容可能缺失", Location(file=path)))
    # a site's navigation comes in several lines (a menu, a breadcrumb, 上一篇, related links); one
    # line that is a link in a document printed from Word stays
    if sum(n for _, _, n in navigation) >= _NAVIGATION_LINES:
        for k, kept, _ in navigation:
            page_no, width, height, _lines = pages[k]
            pages[k] = (page_no, width, height, kept)
            texts[k] = _text_of(kept)
    if clipped:
        _drop_spilled(pages, texts, clipped)
    _drop_furniture(pages, texts)
    strips = join_strips(pages, rules)
    blocks = Composer(path, pages, lambda page_no: rules.get(page_no, NO_RULES)).run()
    if strips:
        blocks = _with_strip_pages(blocks, strips)
    if pictures:
        blocks = _beside_pictures(blocks, set(pictures))
    if unreadable:
        blocks = _unreadable_amounts(path, blocks, problems, unreadable)
    return assemble(path, "pdf", blocks, page_count=n, problems=problems, page_texts=tuple(texts))


def _with_strip_pages(blocks: list, strips: dict[int, int]) -> list:
    """A table put back together from strips (`_pdf_strips`) is on the strips' pages too: the
    largest table on the page the strips joined (a small one may share the page)."""
    largest: dict[int, Table] = {}
    for block in blocks:
        if isinstance(block, Table):
            for page in set(strips.values()) & set(block.pages):
                if page not in largest or block.n_rows > largest[page].n_rows:
                    largest[page] = block
    extra: dict[int, list[int]] = {}
    for strip, page in strips.items():
        if page in largest:
            extra.setdefault(id(largest[page]), []).append(strip)
    return [replace(b, pages=tuple(sorted({*b.pages, *extra[id(b)]}))) if id(b) in extra else b for b in blocks]


def _beside_pictures(blocks: list, pictures: set[int]) -> list:
    """Tables that may go on over a page printed as a picture, marked incomplete: one with a picture
    page inside it or right after it, or one without a caption right after a picture page (its
    first rows are in the picture). Their rows are read, but the sums down their columns would
    miss the rows in the picture."""
    out = []
    for block in blocks:
        if isinstance(block, Table):
            pages = block.pages or (block.location.page,)
            first, last = min(pages), max(pages)
            if (last + 1 in pictures or any(p in pictures for p in range(first, last))
                    or (first - 1 in pictures and not block.caption)):
                block = replace(block, incomplete=True)
        out.append(block)
    return out


_UNREADABLE_AMOUNT = re.compile(r"^[-−–—－(（]?[\d,，.．]*[\ue000-\uf8ff\ufffd][\d,，.．\ue000-\uf8ff\ufffd]*[)）]?$")


def _unreadable_amounts(path: str, blocks: list, problems: list[Problem], pages: set[int]) -> list:
    """Tables with a figure that has a glyph without Unicode mapping in it (8□9.45): its value is
    unknown, not blank, so the table is marked incomplete (the sums down its columns are not
    checked; its row is left alone as it holds text where an amount goes), and each such cell
    is reported with its place. Only tables on `pages` (those with such glyphs) are looked at."""
    out = []
    for block in blocks:
        if isinstance(block, Table) and pages.intersection(block.pages or (block.location.page,)):
            cells = [c for row in block.grid for c in dict.fromkeys(row)
                     if c.row >= (block.header_rows or 0) and _UNREADABLE_AMOUNT.match(c.text.strip())]
            if cells:
                block = replace(block, incomplete=True)
                for c in cells:
                    shown = _UNREADABLE_GLYPH.sub("□", c.text.strip())
                    # (no page: TXT-016 goes on counting the page's unreadable characters)
                    where = Location(file=path, table=block.caption or None, row=_label_before(block, c) or None,
                                     column=_column_label(block, c.col) or None)
                    problems.append(Problem(f"“{block.caption or '表格'}”中的金额“{shown}”有无法识别的字符（字体缺少 Unicode 映射），"
                                            "其数值未知，该表各列的合计未检查", where))
        out.append(block)
    return out


def _column_label(table: Table, col: int) -> str:
    """The lowest header cell over column `col` that is not a column number (栏次 1, 2, 3)."""
    for r in range((table.header_rows or 0) - 1, -1, -1):
        text = table.text(r, col).strip()
        if text and not text.isdigit():
            return text
    return ""


def _label_before(table: Table, cell) -> str:
    """The nearest text left of `cell` in its row that is not a number (the row's label)."""
    row = table.grid[cell.row]
    for k in range(cell.col - 1, -1, -1):
        text = row[k].text.strip()
        if text and not text.replace(".", "").isdigit():
            return text
    return ""


_UNREADABLE_GLYPH = re.compile("[\ue000-\uf8ff\ufffd]")
_PICTURE_SHARE = 0.25  # of the page's area
_MAX_PICTURE_OBJECTS = 2_000  # a page drawn in many small pieces is looked at no further


def _mostly_picture(page, area: float) -> bool:
    """Images cover a good part of the page (a page without text: a scan, not a blank page)."""
    covered = 0.0
    try:
        for k, obj in enumerate(page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_IMAGE,), max_depth=2)):
            if k >= _MAX_PICTURE_OBJECTS:
                break
            left, bottom, right, top = obj.get_bounds()
            covered += max(0.0, right - left) * max(0.0, top - bottom)
    except Exception:  # noqa: BLE001 - best effort: the page then counts as blank
        return False
    return area > 0 and covered >= _PICTURE_SHARE * area


def _page_rules(page, width: float, height: float, rotation: int) -> Rules:
    try:
        return ruling_lines(page, width, height, rotation)
    except Exception:  # noqa: BLE001 - best effort: the rows are then grouped without rules
        return NO_RULES




_LABEL = 8  # characters of a label between navigation lines (相关链接, 下一篇)
_NAVIGATION_LINES = 2  # a document has a site's navigation when it has this many such lines


def _linked_share(line: Line, links: list[tuple[float, float, float, float]]) -> float:
    """The share of the line's characters (letters, digits, ideographs: not punctuation or
    spaces, as the HTML reader counts them) that lie in a link's box; a segment's characters
    are taken as evenly spread over its width."""
    boxes = [(x0, x1) for x0, x1, top, bottom in links if top - 1 <= line.y <= bottom + 1]
    if not boxes:
        return 0.0
    total = linked = 0
    for s in line.segs:
        n = len(s.text)
        step = (s.x1 - s.x0) / n if n else 0.0
        for k, ch in enumerate(s.text):
            if not ch.isalnum():
                continue
            total += 1
            x = s.x0 + (k + 0.5) * step
            if any(x0 <= x <= x1 for x0, x1 in boxes):
                linked += 1
    return linked / total if total else 0.0


def _without_navigation(lines: list[Line], links: list[tuple[float, float, float, float]]) -> list[Line]:
    """The page's lines without what a site put around the document it printed: lines made mostly
    of links to other pages (menus, a breadcrumb, 上一篇/下一篇, related documents, 打印本页) and
    a short label between such lines (相关链接), as the HTML reader leaves them out of the page."""
    nav = [_linked_share(ln, links) >= LINKED_SHARE for ln in lines]
    if not any(nav):
        return lines
    for k, ln in enumerate(lines):
        if (not nav[k] and 0 < k < len(lines) - 1 and nav[k - 1] and nav[k + 1]
                and len(ln.segs) == 1 and len(ln.text.replace(" ", "")) <= _LABEL
                and not _SENTENCE_MARK.search(ln.text)):
            nav[k] = True
    return [ln for ln, n in zip(lines, nav) if not n]


_SENTENCE_MARK = re.compile(r"[。，,；;：:]")


def _text_of(lines: list[Line]) -> str:
    """A page's text made of the lines a reader sees (instead of everything the page draws)."""
    return "\n".join(line.text for line in lines)


def _drop_clipped(
    pdf: pdfium.PdfDocument, pages: list[tuple[int, float, float, list[Line]]], rotations: list[int], texts: list[str]
) -> None:
    """Keep only the lines a reader sees: in a document that has text off its pages (the mark
    of converters that draw the same long text on several pages and clip a window of it on
    each), drop lines hidden by their clipping path, and make the page's text theirs. In place;
    a page that fails keeps its lines."""
    for k, (page_no, width, height, lines) in enumerate(pages):
        if not lines:
            continue
        try:
            page = pdf[page_no - 1]
            try:
                tp = page.get_textpage()
                try:
                    seen = visible_lines(tp, lines, width, height, rotations[k])
                    if len(seen) < len(lines):
                        texts[k] = _text_of(seen)
                    pages[k] = (page_no, width, height, seen)
                finally:
                    tp.close()
            finally:
                page.close()
        except Exception:  # noqa: BLE001 - best effort
            continue


def _drop_spilled(pages: list[tuple[int, float, float, list[Line]]], texts: list[str], clipped: list[tuple[int, Line]]) -> None:
    """Remove what a browser drew over a page break and clipped away (in place): a line cut by
    the break is drawn whole on both pages, each clipped to its own, and the hidden part still
    extracts (the top of a heading's glyph at the foot of a page: “实” of the next page's
    “五、实施周期”). Such a line is hidden by its clip and is a part of one of the first lines of
    the next page (or the last ones of the page before), at the same place across the page.
    Only then: some PDFs clip their text with paths that are not where the text shows."""
    dropped: dict[int, set[int]] = {}
    for k, ln in clipped:
        text = ln.text.replace(" ", "")
        if not text:
            continue
        near = []
        if k + 1 < len(pages):
            near += pages[k + 1][3][:2]
        if k > 0:
            near += pages[k - 1][3][-2:]
        for other in near:
            whole = other.text.replace(" ", "")
            if len(text) < len(whole) and text in whole and other.x0 - ln.h <= ln.x0 and ln.x1 <= other.x1 + ln.h:
                dropped.setdefault(k, set()).add(id(ln))
                break
    for k, ids in dropped.items():
        page_no, width, height, lines = pages[k]
        kept = [ln for ln in lines if id(ln) not in ids]
        pages[k] = (page_no, width, height, kept)
        texts[k] = _text_of(kept)


def _drop_furniture(pages: list[tuple[int, float, float, list[Line]]], texts: list[str]) -> None:
    """Remove bare page numbers and running headers/footers (in place). Only the first two and
    last two lines of a page that sit in its top or bottom 8% are candidates; a candidate is
    furniture when it is a page number (`3`, `- 3 -`, `第3页`, `3/31`), when one of its pieces is
    what a browser prints in its margins (the page's address, the date and time: a line of a
    printed web page, however few its pages), or when the same text (digits ignored) comes back
    on at least 40% of the pages (and at least 3). A site's licence line (ICP备…号) is dropped
    wherever it is. A page that loses a browser's margin or a site's line loses it from its text
    (`texts`) too; running headers and page numbers stay there, as the page shows them."""
    candidates: list[tuple[int, Line, str]] = []
    drop: set[int] = set()
    site: set[int] = set()  # pages with a browser's margin or a site's line
    for idx, (_, _, height, lines) in enumerate(pages):
        seen: set[int] = set()
        for ln in lines[:2] + lines[-2:]:
            if id(ln) in seen:
                continue
            seen.add(id(ln))
            if ln.y < 0.08 * height or ln.y > 0.92 * height:
                candidates.append((idx, ln, _DIGITS.sub("#", ln.text.replace(" ", ""))))
        for ln in lines:
            if _SITE_FOOTER.search(ln.text):
                drop.add(id(ln))
                site.add(idx)
    if not candidates and not drop:
        return
    pages_with: dict[str, set[int]] = {}
    for idx, _, key in candidates:
        pages_with.setdefault(key, set()).add(idx)
    npages = sum(1 for p in pages if p[3])
    for idx, ln, key in candidates:
        if any(_FURNITURE_SEG.match(seg.text) for seg in ln.segs):
            drop.add(id(ln))
            site.add(idx)
        elif _FURNITURE_NO.match(ln.text.strip()):
            drop.add(id(ln))
        elif npages >= 4 and len(pages_with[key]) >= max(3, 0.4 * npages):
            drop.add(id(ln))
    if drop:
        for k, (page_no, width, height, lines) in enumerate(pages):
            pages[k] = (page_no, width, height, [ln for ln in lines if id(ln) not in drop])
            if k in site:
                texts[k] = _text_of(pages[k][3])
