"""HTML reader (.html, .htm; .mht, .mhtml): a disclosure saved as a web page, often by Word or
LibreOffice, or as a single-file web archive (MIME, the page and its images in one file).

* Decoding: a byte-order mark, else the charset the page declares (`<meta charset>`, http-equiv
  Content-Type, XML declaration; gb2312 and gbk read as GB18030, their superset, as browsers do),
  else UTF-8, else GB18030 with a note.
* Parsing: lxml's HTML parser, lenient with broken markup; no network, no DTD, no entity from a
  DOCTYPE, comments dropped (Word's `<!--[if gte mso 9]>` blocks with them).
* Styles: the style attribute, and what the page's `<style>` sets for a class (simple selectors).
* Text: block elements (p, div, li, h1–h6 …) are paragraphs, `<br>` a line break inside one;
  white space collapses as a browser collapses it, `&nbsp;` is a space; Word's tab spans are tabs,
  its list numbers (mso-list:Ignore spans) are written as the .docx reader writes them. The head,
  scripts, styles, hidden elements (display:none, mso-hide:all, `hidden`) and Word's table of
  contents (as in a .docx) are left out, and so is what a government site puts around a document
  (menus, breadcrumb, 上一篇/相关链接 to other documents, footer: see `_drop_site_chrome`).
* Blocks are composed by the .docx reader's `compose_blocks`: h1–h6 (and Word's
  mso-outline-level) give a heading its level, other paragraphs are headings by their numbering;
  the line above a table is its caption when it reads like a title (says 表, or is centred or bold),
  `单位：万元` lines its preamble.
* Tables: rowspan/colspan laid out as a browser lays them out and resolved by the .docx reader's
  grid; a nested table is flattened into its cell, a row a line. A table that lays out the page
  rather than holding data — one cell, one row, or cells holding a heading or a table longer than
  itself — is unwrapped: its cells' content becomes blocks.

Every block carries the line of the page's source it starts on (in an archive, of the page in it).
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass

from lxml import etree

from openlint._slots import direct_init
from openlint.model import Document, Location, Paragraph, Problem, Table
from openlint.read._docx_numbering import _CLOSED, join_label
from openlint.read._zip import Unreadable
from openlint.read.docx import _TABLE_WORDS, _pictures_problem, _RawRow, _RawTable, compose_blocks, table_shot_size
from openlint.read.structure import LINKED_SHARE, TOC_TITLES, assemble
from openlint.read.text import (
    MAX_FILE_BYTES,
    MAX_TEXT_BYTES,
    decode_text,
    file_problem,
    read_guarded,
    read_head,
)

MSG_NO_TEXT = "网页中没有任何文字内容"
MSG_TOO_DEEP = "网页的元素嵌套过深（超过 256 层），其后的内容未能读取"
MSG_ONLY_IMAGES = "网页中没有文字内容，只有图片，无法检查（请取得文字版的网页、Word 或 PDF 文件）"
MSG_CUT = "网页文件不完整（在末尾被截断），已读取截断前的内容"
MSG_NO_ARTICLE = "网页中没有正文，只有网站的导航、标题或页脚（正文可能由脚本加载：请在浏览器中打开后另存或复制正文）"
MSG_IN_FRAME = "网页中没有正文：正文在内嵌框架（iframe）中，地址是 {src}，请打开该地址另存后检查"
MSG_ERROR_PAGE = "网页是一个错误页面（{title}），没有正文"

_MAX_DEPTH = 400  # libxml2 stops reading at 256 levels; a guard should a later version go deeper
_MAX_COLSPAN = 1000  # as browsers cap them
_MAX_ROWSPAN = 65534

# --- entry point -----------------------------------------------------------------------------


def read_html(path: str) -> Document:
    """Read a saved web page, or a single-file web archive (.mht, .mhtml) holding one. Never raises:
    problems are returned in the document."""
    return read_guarded(path, "html", "网页（HTML）", _read)


def _read(path: str) -> Document:
    head, err = read_head(path, 64)
    if err:
        raise Unreadable(err)
    archive = _MIME_HEADER.match(head) is not None
    reason = None if archive else file_problem(path, MAX_TEXT_BYTES)  # an archive holds images too
    if reason:
        raise Unreadable(reason)
    data, err = read_head(path, MAX_FILE_BYTES)  # `read_guarded` checked the size
    if err:
        raise Unreadable(err)
    if archive:
        return _parse_html(*_archived_page(data), path)
    return _parse_html(data, None, path)


_MIME_HEADER = re.compile(rb"\s*[A-Za-z][\w-]*:")  # a web page starts with markup, an archive with headers


def _archived_page(data: bytes) -> tuple[bytes, str | None]:
    """The web page in a single-file web archive (MIME multipart, as Word and browsers save one):
    its first text/html part, and the charset the archive gives it."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            page = part.get_payload(decode=True)
            if page:
                return page, part.get_content_charset()
    raise Unreadable("单个文件网页（.mht）中没有网页（text/html）内容，无法读取")


def _parse_html(data: bytes, charset: str | None, path: str) -> Document:
    """The document in a web page's bytes (`charset`: as declared by what held the page)."""
    text, note = _decode_html(data, charset)
    problems = []
    if text is None:
        whole = _without_cut_character(data)
        if whole is None:
            raise Unreadable(note or "网页编码无法识别")
        text, note = _decode_html(whole, charset)
        if text is None:
            raise Unreadable(note or "网页编码无法识别")
        problems.append(Problem(MSG_CUT, Location(file=path), unread=True))
    if note:  # the page was decoded in full all the same
        problems.insert(0, Problem(note, Location(file=path), info=True))
    declaration = _XML_DECLARATION.match(text)
    if declaration:  # lxml takes no encoding declaration with text already decoded
        text = text[declaration.end() :]
    text = _xml_characters(text)
    parser = _parser()
    root = etree.fromstring(text.encode("utf-8"), parser)
    if any("depth" in error.message for error in parser.error_log):  # libxml2 stops reading there
        problems.append(Problem(MSG_TOO_DEEP, Location(file=path)))
    if root is None:
        raise Unreadable(MSG_NO_TEXT)
    _apply_class_styles(root)
    site_page = _site_page(root)  # before tidying drops the frames and the head
    flow = _Flow(root)
    _Walker(root, _tidy(root, text)).walk(root, flow, None, 0)
    flow.end_paragraph()
    pictures = _large_images(root)
    if pictures:
        problems.append(_pictures_problem(path, pictures))
    items = [_raw_table(item) if isinstance(item, _PageTable) else item for item in flow.items]
    before = len(problems)
    blocks = compose_blocks(items, path, problems, lambda para: "表" in para.text or _title_like(para.block), flow.lines)
    if not blocks:
        if problems and problems[-1].message == MSG_TOO_DEEP:
            raise Unreadable(MSG_TOO_DEEP)
        if len(problems) > before:  # a page of nothing but a table too big to build: say so, not “no text”
            raise Unreadable(problems[before].message)
        raise Unreadable(MSG_ONLY_IMAGES if root.find(".//img") is not None else MSG_NO_TEXT)
    if site_page and not pictures and not _has_article(blocks):  # checking its title and menu tells nothing
        raise Unreadable(MSG_TOO_DEEP if any(p.message == MSG_TOO_DEEP for p in problems) else site_page)
    return assemble(path, "html", blocks, problems=problems)


_ERROR_TITLE = re.compile(
    r"\b(?:400|401|403|404|500|502|503)\b|Not Found|Forbidden|Internal Server Error|Bad Gateway|Service Unavailable"
    r"|页面不存在|页面未找到|找不到(?:该|此|您)?(?:访问的|要访问的)?(?:页面|网页)|访问出错|无权访问",
    re.IGNORECASE,
)


def _site_page(root: etree._Element) -> str | None:
    """What to say of this page should it hold no article (see `_has_article`): a page with a frame
    holds it there, an error page (404 Not Found) has none, a site's page (links to other pages)
    has only its furniture; None for a page that is none of these (a short page is a short
    document)."""
    frame = next((el.get("src").strip() for el in root.iter("iframe", "frame") if (el.get("src") or "").strip()), None)
    if frame:
        return MSG_IN_FRAME.format(src=frame[:200])
    for el in root.iter("title", "h1"):
        title = _collapse(_text_of(el))
        if len(title) <= 60 and _ERROR_TITLE.search(title):
            return MSG_ERROR_PAGE.format(title=title)
    if any((a.get("href") or "#").strip()[:1] not in ("#", "") for a in root.iter("a")):
        return MSG_NO_ARTICLE
    return None


_SENTENCE_MARKS = re.compile(r"[。，；！？]")
_SENTENCE_CHARS = 40


def _has_article(blocks) -> bool:
    """A table, or a paragraph that reads as a sentence: what is left of a site's page once its
    furniture is out is at most a title and a line or two."""
    for block in blocks:
        if isinstance(block, Table):
            return True
        if isinstance(block, Paragraph) and (_SENTENCE_MARKS.search(block.text) or len(block.text) >= _SENTENCE_CHARS):
            return True
    return False


# --- styles given by class ---------------------------------------------------------------------

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CLASS_SELECTOR = re.compile(r"^(?:<!--|-->|\s)*([a-zA-Z][\w]*)?\.([\w-]+)\s*$")
_MAX_STYLE_CHARS = 200_000


def _apply_class_styles(root: etree._Element) -> None:
    """Give the elements of a class the declarations the page's `<style>` sets for it (`p.a3
    {text-align:center}`, `.h2 {mso-outline-level:2}`, `.hid {display:none}`) after their own
    style attribute, which wins (the walker takes a property's first value): it reads style
    attributes only. Simple selectors only (a class, or an element and a class); anything else in
    the sheet is left alone."""
    sheet = "".join(el.text or "" for el in root.iter("style"))[:_MAX_STYLE_CHARS]
    if "." not in sheet or "{" not in sheet:
        return
    by_class: dict[tuple[str | None, str], str] = {}
    for selectors, body in _CSS_RULE.findall(_CSS_COMMENT.sub("", sheet)):
        body = body.strip().strip(";")
        if not body:
            continue
        for selector in selectors.split(","):
            m = _CLASS_SELECTOR.match(selector)
            if m:
                key = ((m.group(1) or "").lower() or None, m.group(2).lower())
                by_class[key] = f"{by_class[key]};{body}" if key in by_class else body
    if not by_class:
        return
    for el in root.iter():
        names = el.get("class") if isinstance(el.tag, str) else None
        if not names:
            continue
        declared = [by_class[key] for name in names.lower().split()
                    for key in ((None, name), (el.tag, name)) if key in by_class]
        if declared:
            own = el.get("style")
            el.set("style", (own + ";" if own else "") + ";".join(declared))


def _parser() -> etree.HTMLParser:
    return etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
    )


# --- decoding --------------------------------------------------------------------------------

_XML_DECLARATION = re.compile(r"\s*<\?xml[^>]*>")
# Characters XML forbids (C0 controls but tab and line ends, U+FFFE, U+FFFF), written as they are
# or as references (&#1;, &#xB;): libxml2 keeps them in the tree it builds, but lxml refuses them in
# the text and attributes this reader writes back (a <br>'s tail, a class's style), raising
# ValueError. A browser shows none of them; a form feed is white space in HTML.
_NOT_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
    r"|&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01]|6553[45])|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|[fF]{3}[eEfF]));"
)


def _xml_characters(text: str) -> str:
    """`text` without the characters XML forbids (`_NOT_XML`)."""
    if _NOT_XML.search(text) is None:
        return text
    return _NOT_XML.sub(_no_xml_character, text)


def _no_xml_character(m: re.Match) -> str:
    ref = m.group(0)
    if len(ref) > 1:  # a reference: &#12; or &#xC;
        ref = chr(int(ref[3:-1], 16) if ref[2] in "xX" else int(ref[2:-1]))
    return " " if ref == "\x0c" else ""
_DECLARED = (
    re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE),
    re.compile(rb"""^\s*<\?xml\b[^>]*\bencoding\s*=\s*["']([\w.:-]+)"""),
)
_DECLARED_SCAN = 4096  # Word and LibreOffice write the charset in the first lines of the head
# Labels that browsers read otherwise than Python's codec of that name (WHATWG Encoding).
_CODEC_OF_LABEL = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312": "gb18030", "gb_2312-80": "gb18030",
    "csgb2312": "gb18030", "chinese": "gb18030", "iso-ir-58": "gb18030", "euc-cn": "gb18030",
    "big5": "big5hkscs", "x-x-big5": "big5hkscs",
    # a page that says it is UTF-16 and was read as ASCII-compatible bytes is UTF-8
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8", "unicode": "utf-8",
}
_WESTERN = frozenset(
    "iso-8859-1 iso8859-1 latin1 latin-1 l1 us-ascii ascii windows-1252 cp1252 x-cp1252".split()
)


_CUT_TAIL = 8  # bytes: a character cut off, and what an archive's encoding left of it (=E6=94=B → E6 94 '=B')


def _without_cut_character(data: bytes) -> bytes | None:
    """A page cut off in the middle of a character (a download or a .mht truncated): its bytes
    before that character, when they decode as UTF-8 or GB18030 up to their last few; else None."""
    for codec in ("utf-8", "gb18030"):
        try:
            data.decode(codec)
        except UnicodeDecodeError as exc:
            if exc.start >= len(data) - _CUT_TAIL:
                return data[: exc.start]
    return None


def _declared_charset(data: bytes) -> str | None:
    """The charset a page declares near its start, in lower case, or None."""
    head = data[:_DECLARED_SCAN]
    for pattern in _DECLARED:
        m = pattern.search(head)
        if m:
            return m.group(1).decode("ascii").lower()
    return None


def _decode_html(data: bytes, declared: str | None) -> tuple[str | None, str | None]:
    """(text, note) of a page's bytes: a byte-order mark decides, else the charset `declared` by
    what holds the page or by the page itself, else as a text file (UTF-8, else GB18030 with a
    note); (None, message) when nothing decodes."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_text(data)
    label = (declared or "").strip().lower() or _declared_charset(data)
    if label is None:
        return decode_text(data)
    if label in _WESTERN and not data.isascii():
        problem = "与内容不符"  # no Chinese text is written in a Western single-byte charset
    else:
        try:
            text = data.decode(_CODEC_OF_LABEL.get(label, label))
        except LookupError:  # no such codec, or not one for text (base64, rot13 …)
            problem = "无法识别"
        except UnicodeDecodeError:
            problem = "与内容不符"
        else:
            if "\x00" in text:
                return None, "不是网页文件（含有二进制内容）"
            return text, None
    text, note = decode_text(data)
    if text is None:
        return None, note
    return text, f"网页声明的编码“{label}”{problem}，已按 {'GB18030' if note else 'UTF-8'} 读取"


# --- walking the page ------------------------------------------------------------------------

# Noncharacters, never in a page's text: a `<br>`, a preformatted line break and a Word tab, until
# white space is collapsed.
_BR = "\ufdd0"
_TAB = "\ufdd1"
_PRE_BR = "\ufdd2"
_SKIPPED = tuple(
    "head title script style noscript template xml iframe object embed svg math select textarea button "
    "canvas audio video map".split()
)
_BLOCKS = frozenset(
    "html body p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre section article header footer main "
    "nav aside center form address figure figcaption hr fieldset legend details summary caption tr td th "
    "thead tbody tfoot listing xmp plaintext".split()
)
_PARAGRAPHS = tuple(_BLOCKS - {"html", "body", "caption", "tr", "td", "th", "thead", "tbody", "tfoot"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_PREFORMATTED = ("pre", "listing", "xmp", "plaintext")
# What marks an element whose attributes change how its text reads: looked for in the page's
# source first, as pages write it (in lower or upper case: looking case-blind through the whole
# page would cost more than reading it).
_HIDING = ("hidden", "display", "visibility", "mso-hide")
_WORD_STYLES = ("mso-tab-count", "mso-list:Ignore", "mso-outline-level", "white-space")
_MARKS = _HIDING + tuple(name.upper() for name in _HIDING) + _WORD_STYLES
_HIDDEN = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all)")
_WEIGHT = re.compile(r"(?:^|;)\s*font-weight\s*:\s*(\w+)", re.IGNORECASE)
_TEXT_ALIGN = re.compile(r"(?:^|;)\s*text-align\s*:\s*([\w-]+)", re.IGNORECASE)
_OUTLINE = re.compile(r"mso-outline-level\s*:\s*([1-9])", re.IGNORECASE)
_WHITE_SPACE_PRE = re.compile(r"white-space\s*:\s*pre", re.IGNORECASE)


@direct_init
@dataclass(frozen=True, slots=True)
class _Para:
    """A paragraph as `compose_blocks` takes it."""

    text: str
    level: int | None  # h1–h6, Word's mso-outline-level
    block: etree._Element  # the element it was written in, asked how it looks when it may be a caption


@dataclass(slots=True)
class _PageCell:
    items: list  # _Para and _PageTable, in order
    lines: list[int | None]
    row_span: int
    col_span: int


@dataclass(slots=True)
class _PageTable:
    """A data table as written: rows of cells with their spans."""

    rows: list[list[_PageCell]]
    header: list[bool]  # per row: a header row (in <thead>, or all <th>)


def _tidy(root: etree._Element, source: str) -> dict:
    """Make the tree hold only what shows, written so that its text reads as shown: skipped and
    hidden elements taken out, a `<br>` a line-break mark after it, a Word tab a tab mark,
    preformatted text with its line breaks and spaces kept through white-space collapsing. Returns
    the outline levels Word wrote on paragraphs."""
    for el in list(root.iter(*_SKIPPED)):
        _drop(el)
    _drop_site_chrome(root, source)
    if "MsoToc" in source:  # Word's table of contents repeats the headings, as the .docx reader knows
        for el in [p for p in root.iter("p") if (p.get("class") or "").startswith("MsoToc")]:
            _drop(el)
    levels: dict = {}
    preformatted = list(root.iter(*_PREFORMATTED))
    if any(mark in source for mark in _MARKS):
        for el in list(root.iter()):
            style = el.get("style")
            if el.get("hidden") is not None or (style is not None and _hides(style)):
                _drop(el)
            elif style is None or not any(name in style for name in _WORD_STYLES):
                continue
            elif "mso-tab-count" in style:  # Word writes a tab as a span of spaces
                del el[:]
                el.text = _TAB
            elif "mso-list:Ignore" in style:  # Word's list number, written before the text
                label = _text_of(el).replace("\xa0", " ").strip()
                del el[:]
                el.text = _list_label(label)
            elif "mso-outline-level" in style:
                m = _OUTLINE.search(style)
                if m:
                    levels[el] = int(m.group(1))
            elif _WHITE_SPACE_PRE.search(style):
                preformatted.append(el)
    for el in preformatted:
        for inner in el.iter():
            if inner.text:
                inner.text = _preformatted(inner.text)
            if inner.tail and inner is not el:
                inner.tail = _preformatted(inner.tail)
    for br in root.iter("br"):
        br.tail = _BR + br.tail if br.tail else _BR
    return levels


# A government site wraps a disclosure in its own page: navigation, a breadcrumb, 上一篇/下一篇,
# 相关链接 to other years' documents, a footer. Their text is not the document's (a linked title
# “××2023年单位决算” under a 2024 budget would be read as the document calling itself a 决算).
_CHROME_TAGS = ("nav", "aside")
_PAGE_FRAME = ("header", "footer")  # the page's, not an article's own
_CHROME_NAMES = frozenset(
    "nav navbar navigation menu topmenu mainmenu header footer foot copyright breadcrumb breadcrumbs "
    "crumb crumbs sidebar share toolbar tools pager pagination related banner logo".split()
)
_NAME_TOKENS = re.compile(r"[a-z]+")
_TEXT_BLOCKS = frozenset(_PARAGRAPHS)  # the blocks that hold a paragraph's text (not a table's parts)
_INDEX_FIELDS = re.compile(r"索引号|发布机构|发文机关|生成日期|成文日期|发布日期|主题分类|公开方式|公开范围|文号|有效性")
_COMPACT = re.compile(r"[\s\W_]+")


def _drop_site_chrome(root: etree._Element, source: str) -> None:
    """Take out what a site puts around a document: `<nav>`, `<aside>`, the page's own header and
    footer, elements a class or id names as navigation, header or footer (holding nothing of the
    document: no table, no title, little text), the 政府信息公开 index box (索引号, 发布机构 …),
    and blocks made mostly of links to other pages (menus, breadcrumbs, related documents). A page
    saved by Word has none of these; links inside the document (its 目录's #anchors) are kept."""
    chrome = [el for el in root.iter(*_CHROME_TAGS)]
    chrome += [el for el in root.iter(*_PAGE_FRAME) if not _inside(el, ("article", "main"))]
    for el in root.iter("div", "ul", "ol", "p", "span", "section", "dl"):
        names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if names.strip() and _CHROME_NAMES.intersection(_NAME_TOKENS.findall(names)) and _no_document_in(el):
            chrome.append(el)
    # the 政府信息公开 index box over a published document: 索引号 | 发布机构 | 生成日期 …
    if "索引号" in source:
        for el in root.iter("table", "div", "ul", "dl"):
            text = _text_of(el)
            if len(text) < 400 and "索引号" in text and len(_INDEX_FIELDS.findall(text)) >= 2:
                chrome.append(el)
    chrome += _linked_blocks(root)
    for el in chrome:
        _drop(el)
    _drop_site_lines(root)


def _linked_blocks(root: etree._Element) -> list[etree._Element]:
    """The blocks most of whose text is links to other pages: paragraphs, list items, and in a
    table laid out as the page (an old CMS has no class names to go by) a whole table of links
    (相关文章: titles and their dates) or a cell of several links (a menu bar). A cell holding
    one link is left alone: a data table's cell may link its own item. A 目录 of links stays."""
    linked: dict = {}  # block → characters of its text in links to other pages
    links: dict = {}  # table cell → number of such links
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        count = _letters(_text_of(a))
        block = next((b for b in a.iterancestors() if b.tag in _TEXT_BLOCKS), None)
        if block is not None:
            linked[block] = linked.get(block, 0) + count
        for up in a.iterancestors("td", "th", "table"):
            linked[up] = linked.get(up, 0) + count
            if up.tag != "table":
                links[up] = links.get(up, 0) + 1
    found = []
    for block, count in linked.items():
        if block.tag in ("td", "th") and links[block] < 2:
            continue
        if count and count >= LINKED_SHARE * _letters(_text_of(block)) and not _is_toc(block):
            found.append(block)
    return found


def _letters(text: str) -> int:
    """How much text there is to read: white space, punctuation (a menu's separators) and dates (a
    linked title's, beside it) left out."""
    return len(_COMPACT.sub("", _DATE.sub("", text)))


_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?")


_TOC_PARTS = frozenset(("li", "td", "th", "tr", "thead", "tbody", "tfoot"))


def _is_toc(el: etree._Element) -> bool:
    """Part of a table of contents (a list or table with 目录 above it or at its start), whose
    links may lead to the pages of the document's parts."""
    while el.tag in _TOC_PARTS and el.getparent() is not None:
        el = el.getparent()
    if _COMPACT.sub("", _text_of(el)).startswith(TOC_TITLES):
        return True
    before = el.getprevious()
    while before is not None and not isinstance(before.tag, str):
        before = before.getprevious()
    return before is not None and _COMPACT.sub("", _text_of(before)) in TOC_TITLES


# What a site writes around its documents as plain text, not links: the breadcrumb, the font-size
# switch and print/close buttons, the licence footer (ICP备…号, 网站标识码), the line of 发布时间,
# 来源 and 浏览次数 under the title.
_SITE_LINE = re.compile(
    r"^(?:您现在的位置|您当前的位置|当前位置|您的位置|所在位置)\s*[:：]"
    r"|字号\s*[:：]?\s*[【\[]?\s*[大中小]\s*[大中小]\s*[大中小]"
    r"|打印本页|关闭窗口|ICP备\s*\d|公网安备\s*\d|网站标识码"
    r"|^(?:发布时间|发布日期)\s*[:：]\s*\d{4}.{0,60}(?:来源|作者|浏览|阅读|点击)"  # the article's line of site data
)
_SITE_LINE_MAX_CHARS = 200  # a longer block holds the document's text too


def _drop_site_lines(root: etree._Element) -> None:
    """Take out the innermost short blocks whose text is one of a site's own lines (`_SITE_LINE`)."""
    found = []
    for el in root.iter(*_TEXT_BLOCKS, "td", "th"):
        text = _collapse(_text_of(el))
        if len(text) <= _SITE_LINE_MAX_CHARS and _SITE_LINE.search(text) and el.find(".//table") is None:
            found.append(el)
    holding = set()  # the blocks around a found one: only the innermost goes
    for el in found:
        holding.update(el.iterancestors())
    for el in found:
        if el not in holding:
            _drop(el)


_CHROME_MAX_CHARS = 300  # an element named as furniture but holding more text than this is the document


def _no_document_in(el: etree._Element) -> bool:
    """Nothing of the document inside: no table, no title (h1, h2; a box's own h3 such as 相关链接
    is furniture too), little text (a class such as “article share-box” names the whole
    disclosure together with a share widget)."""
    return (el.find(".//table") is None and next(el.iter("h1", "h2"), None) is None
            and len(_COMPACT.sub("", _text_of(el))) <= _CHROME_MAX_CHARS)


def _inside(el: etree._Element, tags: tuple[str, ...]) -> bool:
    return any(a.tag in tags for a in el.iterancestors())


_CSS_SIZE = re.compile(r"(?:^|;)\s*(width|height)\s*:\s*(\d+(?:\.\d+)?|\.\d+)\s*(px|pt|cm|mm|in)?", re.IGNORECASE)
_PIXELS = {"px": 1.0, "pt": 4 / 3, "cm": 96 / 2.54, "mm": 96 / 25.4, "in": 96.0, "": 1.0}


def _large_images(root: etree._Element) -> list[str]:
    """For each image of the page (site furniture already dropped) that may be a table shot: by
    its declared size (`table_shot_size`, 4/3 pixels a point; an image without one is not
    counted), not a link (banners and logos are), under text that names a table: that text."""
    found: list[str] = []
    for img in root.iter("img"):
        size = {"width": _int(img.get("width")), "height": _int(img.get("height"))}
        for name, value, unit in _CSS_SIZE.findall(img.get("style") or ""):
            size[name.lower()] = int(float(value) * _PIXELS[(unit or "").lower()])
        width, height = size["width"] or 0, size["height"] or 0
        if not table_shot_size(width * 0.75, height * 0.75) or any(a.tag == "a" for a in img.iterancestors()):
            continue
        before = _text_before_image(img)
        if _TABLE_WORDS.search(before):
            found.append(before)
    return found


def _text_before_image(img: etree._Element) -> str:
    """The text just before the image: in its own block up to it, else in the blocks before."""
    block = next((a for a in img.iterancestors() if a.tag in _TEXT_BLOCKS), None)
    if block is None:
        return ""
    inside = [t for t in img.xpath("preceding::text()") if _text_within(t, block)]
    own = _collapse("".join(inside)).strip()
    if own:
        return own[-30:]
    for candidate in block.itersiblings(preceding=True):
        if isinstance(candidate.tag, str):
            text = _collapse(_text_of(candidate)).strip()
            if text:
                return text[-30:]
    return ""


def _text_within(text, block: etree._Element) -> bool:
    """A text node (lxml's, knowing its element) inside `block` (its own tail is after it)."""
    parent = text.getparent()
    if parent is block:
        return not text.is_tail
    return parent is not None and any(a is block for a in parent.iterancestors())


def _hides(style: str) -> bool:
    """display:none, visibility:hidden or Word's mso-hide:all."""
    style = style.lower()
    return ("display" in style or "visibility" in style or "mso-hide" in style) and _HIDDEN.search(style) is not None


def _list_label(label: str) -> str:
    """A list number as the .docx reader writes it before its paragraph's text (a space after it
    unless it ends in punctuation); nothing for a bullet."""
    if not any(ch.isalnum() for ch in label):
        return ""
    return label if label.endswith(_CLOSED) else label + " "


def _drop(el: etree._Element) -> None:
    """Take `el` out of the tree, its tail (the text after it) left in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        before = el.getprevious()
        if before is not None:
            before.tail = (before.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _preformatted(s: str) -> str:
    """Text of a `<pre>`: its line breaks, tabs and spaces kept through white-space collapsing."""
    return s.replace("\r\n", "\n").replace("\n", _PRE_BR).replace("\t", _TAB).replace(" ", "\xa0")


def _holding_blocks(root: etree._Element) -> set:
    """The elements holding a paragraph or a table: the others are read whole, as one paragraph."""
    found: set = set()
    for el in root.iter("table", *_PARAGRAPHS):
        el = el.getparent()
        while el is not None and el not in found:
            found.add(el)
            el = el.getparent()
    return found


class _Flow:
    """Paragraphs and tables in reading order, and the paragraph being gathered from text pieces."""

    __slots__ = ("items", "lines", "block", "_pieces", "_line", "_level", "_block", "_label")

    def __init__(self, block: etree._Element) -> None:
        self.items: list = []
        self.lines: list[int | None] = []  # the source line of each item
        self.block = block  # the innermost block element being walked
        self._pieces: list[str] = []
        self._line: int | None = None  # where the gathered paragraph's text starts, None before any
        self._level: int | None = None
        self._block = block
        self._label: str | None = None

    def text(self, s: str, line: int | None, level: int | None) -> None:
        if self._line is None:
            if not s.strip(" \t\n\r\f"):
                if _BR in s or _PRE_BR in s or _TAB in s:
                    self._pieces.append(s)
                return  # white space before a paragraph's text shows nothing
            self._line, self._level, self._block = line, level, self.block
        self._pieces.append(s)

    def label(self, label: str) -> None:
        """The paragraph about to start is a list item numbered `label`."""
        self._label = label

    def paragraph(self, block: etree._Element, level: int | None) -> None:
        """A whole paragraph: the text inside `block`."""
        self._add_lines(_text_of(block), level, block, block.sourceline)
        self._label = None

    def end_paragraph(self) -> None:
        if self._line is not None:
            self._add_lines("".join(self._pieces), self._level, self._block, self._line)
            self._line = self._level = None
        if self._pieces:
            self._pieces = []
        self._label = None

    def _add_lines(self, raw: str, level: int | None, block: etree._Element, line: int | None) -> None:
        """A paragraph's text, a paragraph a line: pages written by a CMS editor or pasted as
        plain text separate paragraphs by `<br>` (一、部门职责<br>本部门…<br>二、…), which a
        browser shows as lines of their own. A heading's lines are one heading."""
        texts = [_collapse(raw)] if level else _lines(raw)
        if texts and self._label is not None:
            texts[0] = join_label(self._label, texts[0])
        for text in texts:
            if text:
                self.add(_Para(text, level, block), line)

    def add(self, item, line: int | None) -> None:
        self.items.append(item)
        self.lines.append(line)


_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")


def _collapse(raw: str) -> str:
    """A paragraph's text as a browser shows it: a run of white space one space (Word and
    LibreOffice wrap long source lines at spaces), `<br>` a newline, `&nbsp;` a space."""
    text = _SPACE_RUN.sub(" ", raw).replace("\xa0", " ")
    if _BR in text or _PRE_BR in text:
        text = "\n".join(line.strip(" ") for line in re.split(f"[{_BR}{_PRE_BR}]", text))
    return text.replace(_TAB, "\t").strip()


def _lines(raw: str) -> list[str]:
    """The lines of a paragraph's text that `<br>`s separate, each as `_collapse` gives it; none
    empty."""
    if _BR not in raw:
        text = _collapse(raw)
        return [text] if text else []
    return [text for text in map(_collapse, raw.split(_BR)) if text]


def _text_of(el: etree._Element) -> str:
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


class _Walker:
    """Blocks of a tidied tree (see `_tidy`), in reading order."""

    def __init__(self, root: etree._Element, levels: dict) -> None:
        self._levels = levels  # Word's outline level of a paragraph
        self._holding = _holding_blocks(root)
        self._ol_counts: dict = {}  # an <ol> → the number of its last item

    def walk(self, el, flow: _Flow, level: int | None, depth: int) -> None:
        """The content of `el` (its text, child elements and their tails) into `flow`."""
        if el.text:
            flow.text(el.text, el.sourceline, level)
        for child in el:
            if isinstance(child.tag, str) and depth < _MAX_DEPTH:
                self.element(child, flow, level, depth + 1)
            if child.tail:
                flow.text(child.tail, child.sourceline, level)

    def element(self, el, flow: _Flow, level: int | None, depth: int) -> None:
        tag = el.tag
        if tag == "table":
            flow.end_paragraph()
            self.table(el, flow, depth)
        elif tag not in _BLOCKS:
            self.walk(el, flow, level, depth)
        else:
            flow.end_paragraph()
            level = _HEADINGS.get(tag) or self._levels.get(el, level)
            if tag == "li":
                self._list_label(el, flow)
            self.block(el, flow, level, depth)

    def block(self, el, flow: _Flow, level: int | None, depth: int) -> None:
        """A block element's content as paragraphs of its own."""
        whole = self._whole_paragraphs(el)
        if whole is not None:
            for p in whole:
                flow.paragraph(p, level)
            return
        outer, flow.block = flow.block, el
        self.walk(el, flow, level, depth)
        flow.end_paragraph()
        flow.block = outer

    def _whole_paragraphs(self, el) -> tuple | list | None:
        """The elements each read whole as a paragraph when `el` holds nothing else: `el` itself
        when it holds no block, else its <p>s when it holds such <p>s and white space (most
        table cells); None when it must be walked."""
        holding = self._holding
        if el not in holding:
            return (el,)
        if el.text and not el.text.isspace():
            return None
        children = list(el)
        for p in children:
            if p.tag != "p" or p in holding or p in self._levels or (p.tail and not p.tail.isspace()):
                return None
        return children

    def _list_label(self, li, flow: _Flow) -> None:
        """The number a browser shows before an item of a numbered list (decimal ones: 1. 2. …)."""
        ol = li.getparent()
        if ol is None or ol.tag != "ol" or ol.get("type", "1") != "1" or "list-style" in ol.get("style", ""):
            return
        number = _int(li.get("value"))
        if number is None:
            number = self._ol_counts.get(ol, (_int(ol.get("start")) or 1) - 1) + 1
        self._ol_counts[ol] = number
        flow.label(_list_label(f"{number}."))

    # tables
    def table(self, el, flow: _Flow, depth: int) -> None:
        caption = _Flow(el)
        rows: list[list[_PageCell]] = []
        header: list[bool] = []
        for child, in_head in _table_children(el):
            tag = child.tag
            if tag == "tr":
                if child.get("height") == "0":
                    continue  # Word's invisible row that fixes the column widths
                row = self.row(child, depth)
                rows.append(row)
                header.append(in_head or all(td.tag == "th" for td in child if td.tag in ("td", "th")))
            elif tag == "caption":
                self.element(child, caption, None, depth + 1)
            elif tag not in ("col", "colgroup"):  # stray content: a browser shows it before the table
                self.element(child, flow, None, depth + 1)
        flow.end_paragraph()
        for item, line in zip(caption.items, caption.lines):
            flow.add(item, line)
        if _lays_out_page(rows):
            for row in rows:
                for cell in row:
                    for item, line in zip(cell.items, cell.lines):
                        flow.add(item, line)
        elif rows:
            flow.add(_PageTable(rows, header), el.sourceline)

    def row(self, tr, depth: int) -> list[_PageCell]:
        cells: list[_PageCell] = []
        for td in tr:
            if td.tag != "td" and td.tag != "th":
                continue
            whole = self._whole_paragraphs(td)
            if whole is None:
                flow = _Flow(td)
                self.walk(td, flow, None, depth + 2)
                flow.end_paragraph()
                items, lines = flow.items, flow.lines
            else:  # most cells: their paragraphs as `_Flow.paragraph` takes them, without a flow
                items, lines = [], []
                for p in whole:
                    for text in _lines(_text_of(p)):
                        items.append(_Para(text, None, p))
                        lines.append(p.sourceline)
            rowspan, colspan = td.get("rowspan"), td.get("colspan")
            cells.append(
                _PageCell(
                    items,
                    lines,
                    1 if rowspan is None else _span(rowspan, _MAX_ROWSPAN),
                    1 if colspan is None else _span(colspan, _MAX_COLSPAN),
                )
            )
        return cells


def _title_like(block: etree._Element) -> bool:
    """Centred, or bold throughout: how a table's title stands out from the text."""
    return _centred(block) or _bold_throughout(block, _inherited_bold(block))


def _centred(el: etree._Element) -> bool:
    for node in (el, *el.iterancestors()):
        tag = node.tag
        align = node.get("align") if tag != "table" else None
        if align is not None:
            return align.lower() in ("center", "middle")
        style = node.get("style")
        if style is not None and "text-align" in style:
            m = _TEXT_ALIGN.search(style)
            if m:
                return m.group(1).lower() == "center"
        if tag in ("center", "th", "caption"):  # as browsers show them
            return True
    return False


def _weight(el: etree._Element) -> bool | None:
    """Bold, not bold, or as around it."""
    tag = el.tag
    style = el.get("style")
    if style is not None and "font-weight" in style:
        m = _WEIGHT.search(style)
        if m:
            weight = m.group(1).lower()
            return weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600)
    if tag in ("b", "strong", "th") or tag in _HEADINGS:
        return True
    return None


def _inherited_bold(el: etree._Element) -> bool:
    for up in el.iterancestors():
        weight = _weight(up)
        if weight is not None:
            return weight
    return False


def _bold_throughout(el: etree._Element, inherited: bool) -> bool:
    own = _weight(el)
    bold = inherited if own is None else own
    if el.text and el.text.strip() and not bold:
        return False
    for child in el:
        if isinstance(child.tag, str) and not _bold_throughout(child, bold):
            return False
        if child.tail and child.tail.strip() and not bold:
            return False
    return True


def _table_children(table):
    """The rows of a table (through thead, tbody, tfoot) and its other children, in order, each
    with whether it is in the table's head."""
    for child in table:
        if not isinstance(child.tag, str):
            continue
        if child.tag in ("thead", "tbody", "tfoot"):
            in_head = child.tag == "thead"
            yield from ((c, in_head) for c in child if isinstance(c.tag, str))
        else:
            yield child, False


def _lays_out_page(rows: list[list[_PageCell]]) -> bool:
    """A table holding the page rather than data: one cell, one row, or a cell holding a heading
    or a table longer than this one."""
    if len(rows) <= 1 or sum(len(row) for row in rows) <= 1:
        return True
    for row in rows:
        for cell in row:
            for item in cell.items:
                if isinstance(item, _Para) and item.level:
                    return True
                if isinstance(item, _PageTable) and len(item.rows) > len(rows):
                    return True
    return False


def _span(value: str, most: int) -> int:
    """A rowspan or colspan as browsers read it: 1 unless a number, at most `most`; a rowspan of 0
    spans the rest of the table."""
    n = _int(value)
    if n == 0:
        return most
    return 1 if n is None or n < 1 else min(n, most)


def _int(value: str | None) -> int | None:
    try:
        return int(value.strip()) if value is not None else None
    except ValueError:
        return None


# --- tables as the .docx reader's raw tables -------------------------------------------------


def _raw_table(table: _PageTable) -> _RawTable:
    """The table's rows as the .docx reader's: cells placed as a browser places them (each in the
    first column not taken by a cell spanning rows from above), a cell spanning rows continued
    below it as a vMerge continuation is."""
    rows: list[_RawRow] = []
    spanning: dict[int, list[int]] = {}  # first column of a cell spanning rows → [rows still to cover, columns]
    n_rows = len(table.rows)
    for r, cells in enumerate(table.rows):
        raw = _RawRow([], [], header=table.header[r])
        above = sorted(spanning)  # the columns where cells from above start, left to right
        k = col = 0
        for cell in cells:
            while k < len(above) and above[k] <= col:
                col = _continue_from_above(raw, col, above[k], spanning[above[k]][1])
                k += 1
            width = cell.col_span
            if k < len(above) and above[k] < col + width:  # overlapping a cell from above: stop where it starts
                width = above[k] - col
            items = cell.items
            raw.texts.append(items[0].text if len(items) == 1 and type(items[0]) is _Para else _cell_text(cell))
            down = min(cell.row_span, n_rows - r)
            raw.merges.append((width, "restart" if down > 1 else None, False))
            if down > 1:
                spanning[col] = [down, width]
            col += width
        for start in above[k:]:
            col = _continue_from_above(raw, col, start, spanning[start][1])
        for start in list(spanning):
            spanning[start][0] -= 1
            if not spanning[start][0]:
                del spanning[start]
        rows.append(raw)
    return _RawTable(rows)


def _continue_from_above(raw: _RawRow, col: int, start: int, width: int) -> int:
    """Continue in `raw` the cell from above that starts at column `start` (columns before it no
    cell covers get empty cells); the column after it."""
    while col < start:
        raw.texts.append("")
        raw.merges.append((1, None, False))
        col += 1
    raw.texts.append("")
    raw.merges.append((width, "continue", False))
    return col + width


def _cell_text(cell: _PageCell) -> str:
    """A cell's paragraphs a line each, a nested table a row a line."""
    lines: list[str] = []
    for item in cell.items:
        if isinstance(item, _Para):
            lines.append(item.text)
            continue
        for row in item.rows:
            texts = (_cell_text(c).replace("\n", " ") for c in row)
            line = " ".join(t for t in texts if t)
            if line:
                lines.append(line)
    return "\n".join(lines)
