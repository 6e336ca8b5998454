""".docx reader: walk `word/document.xml` with lxml, resolve merged cells, never raise.

The package is opened with `zipfile` and the parts we need are parsed with lxml directly:
python-docx's `Table.rows[].cells` and style lookups cost tens of milliseconds a document.
Styles are read from `word/styles.xml` (name, outline level, basedOn chain, bold, centred, list
numbering) as far as the paragraphs ask for them (see `_Styles`). Automatic list numbering ("一、"
shown by Word, absent from the text) is put back before the paragraph's text from
`word/numbering.xml`, read only once a paragraph is numbered (see `_docx_numbering`); in a table
cell, from the paragraph's own w:numPr (a list continues through the cells it runs in).

The body is read as Word shows it: tracked changes accepted, hidden text and ruby annotations left
out, text boxes after the paragraph that anchors them (see `_docx_final`); a table cut in two at a
page break with its header repeated is one table, and a table that only lays out the page (the
whole document in one cell) is read as the body it holds.

Safety: the package is opened and every part read through `_zip` (entry count, declared size and
compression ratio checked before inflating, a hard cap while reading), so a decompression bomb is
refused without being inflated; XML is parsed with entity expansion, DTD loading and network
access off, so a DOCTYPE with entities (billion laughs, external entities) is inert.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate

from lxml import etree

from openlint.model import Block, Cell, Document, Heading, Location, Paragraph, Problem, Table
from openlint.read._docx_final import drop_zero_width, is_toc_instruction, shape_tags, show_final
from openlint.read._docx_numbering import Numbering, join_label
from openlint.read._zip import RATIO_FLOOR, Unreadable, open_zip, read_member
from openlint.read.structure import assemble, heading_level, numbering_level
from openlint.read.text import (
    PREAMBLE,
    is_preamble_line,
    looks_like_caption,
    oversized_table,
    read_guarded,
    read_head,
    split_preamble,
)

MAX_STYLE_HEADING_CHARS = 100  # a "heading" styled paragraph longer than this is prose

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MSG_OLE = "文件已加密或为不支持的旧版 Office 格式（如 .ppt），暂不支持（可另存为 .docx 或 PDF 后检查）"

W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"  # strict OOXML: taken from the root
_REL_OFFICE_DOC = ("/officeDocument",)
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TOC_NAME = re.compile(r"^(?:toc\s*\d|toc heading|目录\s*\d*|目录标题)$", re.IGNORECASE)
_FALSE = {"0", "false", "off", "none"}


@dataclass
class _Tags:
    """Clark-notation tag names for one namespace (transitional or strict OOXML)."""

    ns: str

    def __post_init__(self) -> None:
        w = "{%s}" % self.ns
        for name in (
            "body p pPr pStyle outlineLvl jc r rPr b t tab br cr noBreakHyphen txbxContent tbl tr trPr "
            "tblHeader gridBefore gridAfter tc tcPr gridSpan vMerge hMerge sdt sdtPr sdtContent "
            "docPartObj docPartGallery customXml val style styleId name basedOn default type rStyle "
            "instrText delText delInstrText ptab drawing pict object fldData sym tcPrChange trPrChange "
            "numPr numId ilvl moveFrom moveFromRangeStart moveFromRangeEnd vanish ruby rt fldChar "
            "fldCharType id tblGrid"
        ).split():
            setattr(self, name, w + name)
        self.del_ = w + "del"  # `del` is a keyword


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    outline: int | None = None  # 0..9 as written
    centred: bool | None = None
    bold: bool | None = None
    num_id: str | None = None  # w:numPr as written
    num_level: int | None = None


@dataclass
class _StyleInfo:
    level: int | None  # heading level 1..9, None for body text
    centred: bool
    bold: bool
    toc: bool
    sid: str = ""
    num_id: str | None = None  # the list its paragraphs are numbered in ("0": none), through basedOn
    num_level: int | None = None  # their w:ilvl; None: the level linked to the style, else the first


@dataclass
class _Para:
    text: str
    elem: etree._Element
    style: _StyleInfo | None
    level: int | None  # heading level from style or paragraph outline level


@dataclass
class _RawTable:
    rows: list["_RawRow"]


_UNMERGED = (1, None, False)  # grid span, vMerge, hMerge-continue of a cell that says nothing


@dataclass
class _RawRow:
    texts: list[str]  # a cell's text, "" for a vMerge continuation
    # per cell: grid span, vMerge, hMerge-continue; None while no cell of the row has written any
    # of them (most rows): every cell is then one grid column. Cells stay plain strings so that a
    # table does not cost a tuple per cell.
    merges: list[tuple[int, str | None, bool]] | None = None
    before: int = 0
    after: int = 0
    header: bool = False

    def add_cell(self, text: str, span: int, vmerge: str | None, hcont: bool, merged: bool) -> None:
        """A cell of the row (its text dropped for a vMerge continuation); `merged`: it wrote a grid
        span, vMerge or hMerge, from then on the row keeps every cell's."""
        self.texts.append("" if vmerge == "continue" else text)
        if merged or self.merges is not None:
            if self.merges is None:
                self.merges = [_UNMERGED] * (len(self.texts) - 1)
            self.merges.append((span, vmerge, hcont))


# --- entry point -----------------------------------------------------------------------------


def read_docx(path: str, package: zipfile.ZipFile | None = None) -> Document:
    """Read a .docx file; `package`: the file opened as a zip already (by the format sniffing),
    which the reader then closes. Never raises: problems are returned in the document."""
    return read_guarded(path, "docx", " .docx ", lambda path: _read(path, package))


def _read(path: str, package: zipfile.ZipFile | None) -> Document:
    head, err = read_head(path, 8)
    if err:
        raise Unreadable(err)
    if head.startswith(OLE_MAGIC):
        raise Unreadable(MSG_OLE)
    zf = package if package is not None else open_zip(path, ".docx")
    problems: list[Problem] = []
    with zf:
        names = set(zf.namelist())
        main = _main_part(zf, names)
        if main is None:
            raise Unreadable(_not_word_message(names))
        data = read_member(zf, main)
        root = _parse_xml(data, main, problems, path)
        tags = _Tags(etree.QName(root).namespace or W_MAIN)
        styles: _Styles | dict = {}
        default_style = None
        styles_part = _sibling_part(main, "styles.xml")
        if styles_part in names:
            try:
                styles = _Styles(_parse_member(zf, styles_part, problems, path, trim=_trim_styles), tags)
                default_style = styles.default
            except Unreadable as exc:
                problems.append(Problem(f"样式表无法读取，标题仅按编号识别：{exc}", Location(file=path)))
        body = root.find(tags.body)
        if body is None:
            raise Unreadable(f"{main} 中没有正文（w:body），文件已损坏")
        lists = _Lists(zf, _sibling_part(main, "numbering.xml"), names, problems, path)
        fast = not root.getroottree().docinfo.doctype and not _pretty_printed(body)
        reader = _read_final(body, _BodyReader(tags, styles, default_style, lists), fast, _has_zero_width(data))
        items: list[_Para | _RawTable] = []
        reader.walk(body, items)  # in the open package: the numbering part is read when first needed
        items = _join_continued_tables(items)
        pictures = _large_pictures(reader, tags)
        if pictures:
            problems.append(_pictures_problem(path, pictures))
    # a caption over a table says 表, or is centred or bold like a title
    blocks = compose_blocks(
        items, path, problems, lambda para: "表" in para.text or reader.is_centred(para) or reader.is_bold(para)
    )
    if not blocks:
        problems.append(Problem("文档中没有任何文字内容", Location(file=path), fatal=True))  # nothing to judge
    return assemble(path, "docx", blocks, problems=problems)


def _read_final(body: etree._Element, reader: "_BodyReader", fast: bool, zero_width: bool) -> "_BodyReader":
    """`reader` prepared for `body` as Word shows it (see `_docx_final`). The body is rewritten
    only when `prepare` found a shape to rewrite, and then prepared again."""
    reader.prepare(body, fast=fast)
    if zero_width:
        drop_zero_width(body, reader.t)
    if not reader.unshown:
        return reader
    show_final(body, reader.t, reader.unshown)
    final = _BodyReader(reader.t, reader.styles, reader.default, reader.lists)
    final.prepare(body, fast=fast)
    return final


# The UTF-8 forms of `ZERO_WIDTH` (U+FEFF after a byte-order mark). Two searches with a one-byte
# literal prefix, which `re` scans for at memchr speed; `bytes.find` per character costs more.
_ZERO_WIDTH_BYTES = (re.compile(rb"\xe2(?:\x80[\x8b-\x8d]|\x81\xa0)"), re.compile(rb"\xef\xbb\xbf"))


def _has_zero_width(data: bytes) -> bool:
    """Whether the part may hold zero-width characters (an encoding other than UTF-8 may)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    return any(pattern.search(data, 3) for pattern in _ZERO_WIDTH_BYTES)


# --- pictures ---------------------------------------------------------------------------------

_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_VML_SIZE = re.compile(r"(width|height)\s*:\s*(\d+(?:\.\d+)?|\.\d+)\s*(pt|in|cm|mm|px)?", re.IGNORECASE)
_POINTS = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75, "": 0.75}
# As large as a table shot: most of the text width (12 cm) and a few rows high (3 cm), and no
# wider than five times its height (a banner is). Seals, logos, signatures and QR codes are smaller.
PICTURE_MIN_POINTS = (340.0, 85.0)
PICTURE_MAX_ASPECT = 5.0
# The text a table shot comes under names a table (an organisation chart's does not)
_TABLE_WORDS = re.compile(r"表|预算|决算")
MSG_PICTURES = "文件中有{n}张较大的图片（可能是截图或扫描的表格），图片中的内容未检查{where}"


def _large_pictures(reader: "_BodyReader", tags: _Tags) -> list[str]:
    """For each picture in the body that may be a table shot (large enough, shaped like a table,
    under text that names a table): that text."""
    found: list[str] = []
    for el in reader.pictures:
        if not _is_picture(el, tags) or not _is_large(el, tags):
            continue
        para = next(el.iterancestors(tags.p), None)
        before = _text_before(para, tags, reader) if para is not None else ""
        if _TABLE_WORDS.search(before):
            found.append(before)
    return found


def table_shot_size(width: float, height: float) -> bool:
    """A picture of this size (points) can be a table shot: see `PICTURE_MIN_POINTS`."""
    return (width >= PICTURE_MIN_POINTS[0] and height >= PICTURE_MIN_POINTS[1]
            and width <= PICTURE_MAX_ASPECT * height)


_PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}pic"
_VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _is_picture(el: etree._Element, tags: _Tags) -> bool:
    """An image (not a text box, whose text is read, nor the VML copy Word keeps of a drawing)."""
    if any(a.tag == _MC_FALLBACK for a in el.iterancestors()):
        return False
    if next(el.iter(tags.txbxContent), None) is not None:
        return False
    return next(el.iter(_PIC if el.tag == tags.drawing else _VML_IMAGE), None) is not None


def _is_large(el: etree._Element, tags: _Tags) -> bool:
    """A drawing (wp:extent) or a VML picture (its shape's style) of at least `PICTURE_MIN_POINTS`."""
    if el.tag == tags.drawing:
        extent = next(el.iter(_WP + "extent"), None)
        if extent is None:
            return False
        try:  # EMU: 12,700 a point
            size = (int(extent.get("cx", "0")) / 12700, int(extent.get("cy", "0")) / 12700)
        except ValueError:
            return False
    else:
        style = " ".join(shape.get("style") or "" for shape in el.iter() if shape.get("style"))
        dims = {name.lower(): float(value) * _POINTS.get((unit or "").lower(), 0.75)
                for name, value, unit in _VML_SIZE.findall(style)}
        size = (dims.get("width", 0.0), dims.get("height", 0.0))
    return table_shot_size(*size)


def _text_before(para: etree._Element, tags: _Tags, reader: "_BodyReader") -> str:
    """The picture's own paragraph text, else the nearest paragraph before it that has text."""
    for candidate in (para, *para.itersiblings(tags.p, preceding=True)):
        text = reader.para_text(candidate).strip()
        if text:
            return text
    return ""


def _pictures_problem(path: str, before: list[str]) -> Problem:
    first = next((t for t in before if t), "")
    where = f"（第一张在“{first[:30]}”处）" if first else ""
    return Problem(MSG_PICTURES.format(n=len(before), where=where), Location(file=path), unread=True)


# --- package ---------------------------------------------------------------------------------


def _not_word_message(names: set[str]) -> str:
    if any(n.startswith("xl/") for n in names):
        return "不是 Word 文档：像是 Excel 工作簿（.xlsx），但缺少 xl/workbook.xml，文件已损坏"
    if any(n.startswith("ppt/") for n in names):
        return "不是 Word 文档：这是 PowerPoint 演示文稿（.pptx），暂不支持"
    if "mimetype" in names or "content.xml" in names:
        return "不是 Word 文档：这是 OpenDocument 文件（.odt/.ods），暂不支持"
    return "不是 Word 文档：压缩包中没有 word/document.xml"


def _main_part(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    """The main document part: word/document.xml, or where _rels/.rels points."""
    if "word/document.xml" in names:
        return "word/document.xml"
    if "_rels/.rels" not in names:
        return None
    try:
        info = zf.getinfo("_rels/.rels")
        if info.file_size > RATIO_FLOOR:
            return None
        rels = etree.fromstring(zf.read(info), _parser())
    except Exception:
        return None
    for rel in rels:
        if str(rel.get("Type", "")).endswith(_REL_OFFICE_DOC):
            target = str(rel.get("Target", "")).lstrip("/")
            if target in names and target.endswith(".xml") and not target.startswith(("xl/", "ppt/")):
                return target
    return None


def _sibling_part(main: str, name: str) -> str:
    folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
    return folder + name


class _Lists:
    """The package's numbering part, parsed the first time a paragraph asks for its number: many
    packages hold one (python-docx's template does) and number no paragraph."""

    def __init__(self, zf: zipfile.ZipFile, part: str, names: set[str], problems: list[Problem], path: str):
        self.present = part in names  # without it, an empty paragraph's numbering is not looked at
        self._zf, self._part, self._problems, self._path = zf, part, problems, path
        self._numbering: Numbering | None = None

    def prefix(self, num_id: str, ilvl: int | None, style_id: str | None) -> str | None:
        """See `Numbering.prefix`."""
        if self._numbering is None:
            self._numbering = self._load()
        return self._numbering.prefix(num_id, ilvl, style_id)

    def _load(self) -> Numbering:
        where = Location(file=self._path)
        if not self.present:
            message = f"段落使用了自动编号，但缺少编号定义 {self._part}，编号未计入正文"
            self._problems.append(Problem(message, where))
            return Numbering(None)
        try:
            return Numbering(_parse_member(self._zf, self._part, self._problems, self._path))
        except Unreadable as exc:
            self._problems.append(Problem(f"编号定义无法读取，自动编号未计入正文：{exc}", where))
            return Numbering(None)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def _parse_member(
    zf: zipfile.ZipFile, name: str, problems: list[Problem], path: str, trim=None
) -> etree._Element:
    return _parse_xml(read_member(zf, name), name, problems, path, trim)


def _parse_xml(data: bytes, name: str, problems: list[Problem], path: str, trim=None) -> etree._Element:
    if trim is not None:
        try:
            return etree.fromstring(trim(data), _parser())
        except etree.XMLSyntaxError:
            pass  # parse the whole part below, which reports the error
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        msg = str(getattr(exc, "msg", None) or exc)
        if "amplification" in msg or "entity reference loop" in msg.lower():
            raise Unreadable(f"{name} 含有递归展开的实体声明（实体炸弹），未读取") from None
        raise Unreadable(f"文件已损坏：{name} 不是有效的 XML（{msg}）") from None
    if root is None:
        raise Unreadable(f"文件已损坏：{name} 为空")
    if root.getroottree().docinfo.doctype:
        problems.append(
            Problem(f"{name} 含有 DOCTYPE 声明（Word 不会写入），其中的实体未展开", Location(file=path))
        )
    return root


# --- styles ----------------------------------------------------------------------------------


class _Styles:
    """The paragraph styles of styles.xml, each resolved through its basedOn chain (`get`).

    A document asks for a few of its template's tens of styles, and those (Normal, the headings)
    mostly come first in the part: styles are read and resolved in the part's order only as far as
    the one asked for. In that order, as when all of them are resolved, a basedOn chain longer than
    20 (or a loop) is cut at the same place, whichever paragraph asks first."""

    def __init__(self, root: etree._Element, tags: _Tags):
        self._tags = tags
        self._elements: dict[str, etree._Element] = {}  # by styleId; a repeated id: the last one
        default_id: str | None = None
        for st in root.iterchildren(tags.style):
            if st.get(tags.type) not in (None, "paragraph"):
                continue
            sid = st.get(tags.styleId)
            if sid is None:
                continue
            self._elements[sid] = st
            if (st.get(tags.default) or "").lower() in ("1", "true", "on"):
                default_id = sid
        self._unresolved = iter(self._elements)  # resolved in this order, as far as asked for
        self._resolved: dict[str, _StyleInfo] = {}
        self.default = self.get(default_id) if default_id else None

    def get(self, sid: str, default: _StyleInfo | None = None) -> _StyleInfo | None:
        if sid not in self._elements:
            return default
        while sid not in self._resolved:
            self._resolve(next(self._unresolved))
        return self._resolved[sid]

    def _resolve(self, sid: str, depth: int = 0) -> _StyleInfo:
        if sid in self._resolved:
            return self._resolved[sid]
        s = _read_style(self._elements[sid], self._tags)
        parent = self._resolve(s.based_on, depth + 1) if s.based_on in self._elements and depth < 20 else None
        m = _HEADING_NAME.match(s.name)
        if m:
            level: int | None = int(m.group(1))
        elif s.outline is not None:
            level = s.outline + 1 if 0 <= s.outline <= 8 else None
        else:
            level = parent.level if parent else None
        info = _StyleInfo(
            level=level,
            centred=s.centred if s.centred is not None else bool(parent and parent.centred),
            bold=s.bold if s.bold is not None else bool(parent and parent.bold),
            toc=bool(_TOC_NAME.match(s.name)),
            sid=sid,
            num_id=s.num_id if s.num_id is not None else parent.num_id if parent else None,
            num_level=s.num_level if s.num_level is not None else parent.num_level if parent else None,
        )
        self._resolved[sid] = info
        return info


def _read_style(st: etree._Element, tags: _Tags) -> _Style:
    """A w:style's own properties. Its children are iterated and compared in Python: `find` goes
    through ElementPath, and `iterchildren(tags)` builds a tag matcher each call, which costs more
    than a style's few children."""
    name_tag, based_tag, ppr_tag, rpr_tag = tags.name, tags.basedOn, tags.pPr, tags.rPr
    outline_tag, jc_tag, b_tag, val = tags.outlineLvl, tags.jc, tags.b, tags.val
    numpr_tag, numid_tag, ilvl_tag = tags.numPr, tags.numId, tags.ilvl
    s = _Style()
    for child in st:
        tag = child.tag
        if tag == name_tag:
            s.name = (child.get(val) or "").strip()
        elif tag == based_tag:
            s.based_on = child.get(val)
        elif tag == ppr_tag:
            ol = jc = None
            for el in child:
                etag = el.tag
                if etag == outline_tag:
                    if ol is None:
                        ol = el
                elif etag == jc_tag:
                    if jc is None:
                        jc = el
                elif etag == numpr_tag:
                    for n in el:
                        if n.tag == numid_tag:
                            s.num_id = (n.get(val) or "").strip()
                        elif n.tag == ilvl_tag:
                            s.num_level = _int(n.get(val))
            if ol is not None:
                s.outline = _int(ol.get(val))
            if jc is not None:
                s.centred = jc.get(val) in ("center", "centre")
        elif tag == rpr_tag:
            for el in child:
                if el.tag == b_tag:  # the first, as `find` would
                    s.bold = (el.get(val) or "1").lower() not in _FALSE
                    break
    return s


_STYLE_DROP = re.compile(rb"""w:type=["'](?:table|numbering|character)["']""")


def _trim_styles(data: bytes) -> bytes:
    """styles.xml without latent, table, numbering and character styles, which are not needed and
    can be most of the part (python-docx's template has a hundred table styles). Byte-level and
    only for the usual `w:` prefix; a bad cut makes invalid XML, and then the whole part is parsed."""
    out: list[bytes] = []
    pos = 0
    i = data.find(b"<w:latentStyles")
    if i >= 0:
        j = data.find(b"</w:latentStyles>", i)
        if j >= 0:
            j += 17
            if data.find(b"<w:style ", 0, i) < 0 and (data[max(0, i - 8) : i] + data[j : j + 8]).find(b"<w:style ") < 0:
                # the usual layout (no style opens before the latent styles): skip them without
                # copying the part, which costs more than the scan below
                out.append(data[:i])
                pos = j
            else:
                data = data[:i] + data[j:]
    while True:
        i = data.find(b"<w:style ", pos)
        if i < 0:
            break
        gt = data.find(b">", i)
        if gt < 0:
            break
        head = data[i:gt]
        if head.endswith(b"/"):
            out.append(data[pos : gt + 1])
            pos = gt + 1
            continue
        end = data.find(b"</w:style>", gt)
        if end < 0:
            break
        end += 10
        if _STYLE_DROP.search(head):
            out.append(data[pos:i])
        else:
            out.append(data[pos:end])
        pos = end
    out.append(data[pos:])
    return b"".join(out)


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


# --- body ------------------------------------------------------------------------------------


class _BodyReader:
    def __init__(self, tags: _Tags, styles: _Styles | dict, default: _StyleInfo | None, lists: _Lists):
        self.t = tags
        self.styles = styles
        self.default = default
        self.lists = lists
        self._text_tags = (tags.t, tags.tab, tags.br, tags.cr, tags.noBreakHyphen, tags.txbxContent)
        self._fast = False
        self._complex: set = set()
        self._general: set = set()  # tables the flat walk cannot read (found by `prepare`)
        self._numbered_cells: set = set()  # table-cell paragraphs with their own w:numPr (`prepare`)
        self.pictures: list = []  # w:drawing and w:pict elements (`prepare`)
        self.unshown: list = []  # elements of shapes Word does not show as written (`prepare`, `_docx_final`)
        self._outer_tables: set = set()  # tables holding a table (`prepare`)

    def prepare(self, body: etree._Element, *, fast: bool) -> None:
        """One pass over the body for what needs a closer look: the paragraphs whose text is not
        simply the concatenation of their text nodes (tabs, breaks, field codes, deletions,
        drawings, text boxes; the others take a fast path), the tables the flat walk cannot read,
        the tables holding tables, the numbered paragraphs of table cells, the pictures
        (`pictures`) and the shapes whose text Word does not show as written (`unshown`)."""
        t = self.t
        self._fast = fast
        special = (
            t.tab, t.ptab, t.br, t.cr, t.noBreakHyphen, t.sym, t.instrText, t.delText, t.delInstrText,
            t.txbxContent, t.drawing, t.pict, t.object, t.fldData, _MC_ALTERNATE,
        )
        complex_ps, general = self._complex, self._general
        p_tag, tbl_tag, numpr_tag = t.p, t.tbl, t.numPr
        pictures = (t.drawing, t.pict)
        special_set = set(special)
        # a table holding a text box, a tracked property change or a nested table is read by
        # the general walk (see `table_rows`)
        not_flat = {t.txbxContent, t.tcPrChange, t.trPrChange, tbl_tag}
        rewritten_set, instr_tag = set(shape_tags(t)), t.instrText
        for el in body.iter(*special, *(rewritten_set - special_set), t.tcPrChange, t.trPrChange, tbl_tag, numpr_tag):
            tag = el.tag
            if tag == numpr_tag:
                para = el.getparent().getparent() if el.getparent() is not None else None
                if para is not None and para.tag == p_tag and next(para.iterancestors(tbl_tag), None) is not None:
                    self._numbered_cells.add(para)
                continue
            if tag in rewritten_set or (tag == instr_tag and is_toc_instruction(el.text)):
                self.unshown.append(el)
                if tag not in special_set:
                    continue
            if tag in pictures:
                self.pictures.append(el)
            if tag == tbl_tag:
                self._outer_tables.update(el.iterancestors(tbl_tag))
            if not fast:
                continue
            if tag in special_set:
                for anc in el.iterancestors(p_tag):
                    complex_ps.add(anc)  # every enclosing paragraph (a text box sits inside one)
            if tag in not_flat:
                for anc in el.iterancestors(tbl_tag):
                    general.add(anc)

    # blocks of the body, in order
    def walk(self, container: etree._Element, out: list) -> None:
        t = self.t
        for child in container:
            tag = child.tag
            if tag == t.p:
                para = self.paragraph(child)
                if para is not None:
                    out.append(para)
            elif tag == t.tbl:
                if self._is_layout_table(child):
                    for tc in self._cells(child):
                        self.walk(tc, out)
                else:
                    out.append(_RawTable(self.table_rows(child)))
            elif tag == t.sdt:
                if self._is_toc_sdt(child):
                    continue
                content = child.find(t.sdtContent)
                if content is not None:
                    self.walk(content, out)
            elif tag == t.customXml:
                self.walk(child, out)

    def _is_layout_table(self, tbl: etree._Element) -> bool:
        """A table that lays out the page rather than holding data: one cell a row, holding
        tables or headings (some offices put the whole document, or its main part, in one).
        Its cells are read as body. Only tables holding a table, or with a one-column grid,
        are looked at."""
        if tbl not in self._outer_tables and not self._one_grid_column(tbl):
            return False
        t = self.t
        if any(sum(1 for _ in self._children(tr, t.tc)) != 1 for tr in self._children(tbl, t.tr)):
            return False
        return tbl in self._outer_tables or any(self._properties(p)[1] for p in tbl.iter(t.p))

    def _one_grid_column(self, tbl: etree._Element) -> bool:
        for child in tbl:  # w:tblPr, then w:tblGrid
            if child.tag == self.t.tblGrid:
                return len(child) == 1
            if child.tag == self.t.tr:
                break
        return False

    def _cells(self, tbl: etree._Element):
        for tr in self._children(tbl, self.t.tr):
            yield from self._children(tr, self.t.tc)

    def _is_toc_sdt(self, sdt: etree._Element) -> bool:
        pr = sdt.find(self.t.sdtPr)
        if pr is None:
            return False
        for gallery in pr.iter(self.t.docPartGallery):
            if "contents" in (gallery.get(self.t.val) or "").lower():
                return True
        return False

    def paragraph(self, p: etree._Element) -> _Para | None:
        text = self.para_text(p).strip()
        if not text and not self.lists.present:
            return None
        style, level, numpr = self._properties(p)
        if style is not None and style.toc:
            return None  # a table-of-contents entry repeats a heading
        if numpr is not None or (style is not None and style.num_id is not None):
            # counted even when empty: Word shows the number of an empty list paragraph
            text = join_label(self._list_prefix(numpr, style), text)  # not when typed as well
        if not text:
            return None
        return _Para(text, p, style, level)

    def _properties(self, p: etree._Element) -> tuple[_StyleInfo | None, int | None, etree._Element | None]:
        """A paragraph's style, heading level (its own outline level, else its style's) and
        w:numPr."""
        t = self.t
        style = self.default
        level: int | None = None
        numpr = None
        ppr = p[0] if len(p) and p[0].tag == t.pPr else None
        if ppr is not None:
            for el in ppr:
                tag = el.tag
                if tag == t.pStyle:
                    style = self.styles.get(el.get(t.val) or "", self.default)
                elif tag == t.outlineLvl:
                    v = _int(el.get(t.val))
                    level = v + 1 if v is not None and 0 <= v <= 8 else 0  # 0: explicitly body text
                elif tag == t.numPr:
                    numpr = el
        if level is None:
            level = style.level if style is not None else None
        return style, level or None, numpr

    def _numbered_line(self, p: etree._Element, text: str) -> str:
        """A table-cell paragraph's line with the number Word shows before it, from the paragraph's
        own w:numPr (counted even when the paragraph is empty, as Word counts it)."""
        t = self.t
        ppr = p[0] if len(p) and p[0].tag == t.pPr else None
        numpr = ppr.find(t.numPr) if ppr is not None else None
        if numpr is None:
            return text
        pstyle = ppr.find(t.pStyle)
        style = self.styles.get(pstyle.get(t.val) or "", None) if pstyle is not None else None
        return join_label(self._list_prefix(numpr, style), text)

    def _list_prefix(self, numpr: etree._Element | None, style: _StyleInfo | None) -> str | None:
        """The automatic number of a paragraph with a list (its own w:numPr, each of numId and ilvl
        taking over its style's), counted; None for none (numId 0, a bullet, an unknown list)."""
        t = self.t
        num_id = style.num_id if style is not None else None
        ilvl = style.num_level if style is not None else None
        if numpr is not None:
            for el in numpr.iterchildren(t.numId, t.ilvl):
                if el.tag == t.numId:
                    num_id = (el.get(t.val) or "").strip()
                else:
                    ilvl = _int(el.get(t.val))
        if not num_id or num_id == "0":
            return None
        return self.lists.prefix(num_id, ilvl, style.sid if style is not None else None)

    def para_text(self, p: etree._Element) -> str:
        if self._fast and p not in self._complex:
            return _text_of(p)
        t = self.t
        parts: list[str] = []
        skip: set | None = None
        for el in p.iter(*self._text_tags):
            tag = el.tag
            if skip is not None and el in skip:
                continue
            if tag == t.t:
                txt = el.text if not len(el) else "".join(el.itertext())
                if txt:
                    parts.append(txt)
            elif tag == t.tab:
                if el.getparent().tag == t.r:  # not a tab stop definition in pPr
                    parts.append("\t")
            elif tag == t.br or tag == t.cr:
                parts.append("\n")
            elif tag == t.noBreakHyphen:
                parts.append("-")
            else:  # a text box: read after the paragraph (`_docx_final`), and written twice
                if skip is None:
                    skip = set()
                skip.update(el.iter())
        return "".join(parts)

    # tables
    def table_rows(self, tbl: etree._Element) -> list[_RawRow]:
        if self._fast and tbl not in self._general:
            return self._table_rows_flat(tbl)
        return self._table_rows_general(tbl)

    def _table_rows_flat(self, tbl: etree._Element) -> list[_RawRow]:
        """One pass over the elements that matter, for a table with no nested table or text box
        (cells wrapped in content controls are found all the same)."""
        t = self.t
        tr_tag, tc_tag, p_tag = t.tr, t.tc, t.p
        gridspan, vmerge_tag, hmerge, val = t.gridSpan, t.vMerge, t.hMerge, t.val
        header_tag, before_tag, after_tag = t.tblHeader, t.gridBefore, t.gridAfter
        complex_ps, tostring, para_text = self._complex, etree.tostring, self.para_text
        numbered = self._numbered_cells
        rows: list[_RawRow] = []
        row: _RawRow | None = None
        # the open cell (`in_cell`): its first line, the list of its lines once it has two, its
        # grid span, vMerge value and hMerge continuation, and whether it wrote any of the three
        in_cell = False
        text, more = "", None
        span, vm, hc, merged = 1, None, False, False
        for el in tbl.iter(tr_tag, tc_tag, p_tag, gridspan, vmerge_tag, hmerge, header_tag, before_tag, after_tag):
            tag = el.tag
            if tag == p_tag:
                if in_cell:
                    if el in complex_ps:
                        s = para_text(el).strip()
                    else:
                        s = tostring(el, method="text", encoding=str, with_tail=False).strip()
                    if el in numbered:
                        s = self._numbered_line(el, s)
                    if s:
                        if not text:
                            text = s
                        elif more is None:
                            more = [text, s]
                        else:
                            more.append(s)
            elif tag == tc_tag or tag == tr_tag:
                if in_cell and row is not None:  # close the open cell
                    if more is not None:
                        text = "\n".join(more)
                    if merged or row.merges is not None:
                        row.add_cell(text, span, vm, hc, merged)
                    else:  # most cells: the text alone, without a method call per cell
                        row.texts.append(text)
                if tag == tc_tag:
                    in_cell = True
                    text, more, span, vm, hc, merged = "", None, 1, None, False, False
                else:
                    in_cell = False
                    row = _RawRow([])
                    rows.append(row)
            elif tag == gridspan:
                if in_cell:
                    span = max(1, min(_int(el.get(val)) or 1, 1000))
                    merged = True
            elif tag == vmerge_tag:
                if in_cell:
                    vm = el.get(val) or "continue"
                    merged = True
            elif tag == hmerge:
                if in_cell:
                    hc = (el.get(val) or "continue") == "continue"
                    merged = True
            elif row is not None and not in_cell:  # trPr comes before the row's first cell
                if tag == header_tag:
                    row.header = (el.get(val) or "1").lower() not in _FALSE
                elif tag == before_tag:
                    row.before = max(0, _int(el.get(val)) or 0)
                elif tag == after_tag:
                    row.after = max(0, _int(el.get(val)) or 0)
        if in_cell and row is not None:  # close the last cell
            row.add_cell(text if more is None else "\n".join(more), span, vm, hc, merged)
        return rows

    def _table_rows_general(self, tbl: etree._Element) -> list[_RawRow]:
        t = self.t
        rows: list[_RawRow] = []
        tc_tag, p_tag, tcpr_tag = t.tc, t.p, t.tcPr
        fast, complex_ps, tostring = self._fast, self._complex, etree.tostring
        for tr in self._children(tbl, t.tr):
            row = _RawRow([], [])
            trpr = tr[0] if len(tr) and tr[0].tag == t.trPr else None
            if trpr is None and len(tr) > 1 and tr[1].tag == t.trPr:  # after w:tblPrEx
                trpr = tr[1]
            if trpr is not None:
                for el in trpr:
                    if el.tag == t.tblHeader:
                        row.header = (el.get(t.val) or "1").lower() not in _FALSE
                    elif el.tag == t.gridBefore:
                        row.before = max(0, _int(el.get(t.val)) or 0)
                    elif el.tag == t.gridAfter:
                        row.after = max(0, _int(el.get(t.val)) or 0)
            for tc in self._children(tr, tc_tag):
                span, vmerge, hcont = 1, None, False
                lines: list[str] = []
                for child in tc:
                    tag = child.tag
                    if tag == p_tag:
                        if fast and child not in complex_ps:
                            s = tostring(child, method="text", encoding=str, with_tail=False).strip()
                        else:
                            s = self.para_text(child).strip()
                        if not fast or child in self._numbered_cells:
                            s = self._numbered_line(child, s)
                        if s:
                            lines.append(s)
                    elif tag == tcpr_tag:
                        for el in child:
                            tag = el.tag
                            if tag == t.gridSpan:
                                span = max(1, min(_int(el.get(t.val)) or 1, 1000))
                            elif tag == t.vMerge:
                                vmerge = el.get(t.val) or "continue"
                            elif tag == t.hMerge:
                                hcont = (el.get(t.val) or "continue") == "continue"
                    else:
                        s = self.cell_text(child, inside=True)
                        if s:
                            lines.append(s)
                row.texts.append("" if vmerge == "continue" else "\n".join(lines))
                row.merges.append((span, vmerge, hcont))
            rows.append(row)
        return rows

    def _children(self, parent: etree._Element, tag: str):
        """Children with `tag`, looking through content controls and custom XML wrappers."""
        t = self.t
        for child in parent:
            if child.tag == tag:
                yield child
            elif child.tag == t.sdt:
                content = child.find(t.sdtContent)
                if content is not None:
                    yield from self._children(content, tag)
            elif child.tag == t.customXml:
                yield from self._children(child, tag)

    def cell_text(self, container: etree._Element, inside: bool = False) -> str:
        """Text of a cell's content (paragraphs, nested tables flattened), a paragraph a line.
        With `inside`, `container` is itself one child of a cell (a nested table, a content control)."""
        t = self.t
        lines: list[str] = []
        for child in ((container,) if inside else container):
            tag = child.tag
            if tag == t.p:
                s = self.para_text(child).strip()
                if s:
                    lines.append(s)
            elif tag == t.tbl:  # nested table: flatten, a row a line
                for tr in self._children(child, t.tr):
                    cells = [self.cell_text(tc) for tc in self._children(tr, t.tc)]
                    s = " ".join(c.replace("\n", " ") for c in cells if c)
                    if s:
                        lines.append(s)
            elif tag in (t.sdt, t.customXml):
                inner = child.find(t.sdtContent) if tag == t.sdt else child
                if inner is not None:
                    s = self.cell_text(inner)
                    if s:
                        lines.append(s)
        return "\n".join(lines)

    # formatting, only asked for caption candidates
    def is_centred(self, para: _Para) -> bool:
        t = self.t
        p = para.elem
        ppr = p[0] if len(p) and p[0].tag == t.pPr else None
        if ppr is not None:
            jc = ppr.find(t.jc)
            if jc is not None:
                return jc.get(t.val) in ("center", "centre")
        return bool(para.style and para.style.centred)

    def is_bold(self, para: _Para) -> bool:
        t = self.t
        style_bold = bool(para.style and para.style.bold)
        seen = False
        for r in para.elem.iter(t.r):
            if r.find(t.t) is None:
                continue
            seen = True
            rpr = r.find(t.rPr)
            b = rpr.find(t.b) if rpr is not None else None
            if b is None:
                if not style_bold:
                    return False
            elif (b.get(t.val) or "1").lower() in _FALSE:
                return False
        return seen


_MC_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"


def _text_of(p: etree._Element) -> str:
    return etree.tostring(p, method="text", encoding=str, with_tail=False)


def _pretty_printed(body: etree._Element) -> bool:
    """Whitespace between elements (an indented document.xml) would leak into the fast path."""
    if body.text and not body.text.strip():
        return True
    for i, el in enumerate(body.iter()):
        if el.tail and not el.tail.strip():
            return True
        if i > 50:
            break
    return False


# --- blocks ----------------------------------------------------------------------------------


def _join_continued_tables(items: list) -> list:
    """A table cut in two is one table: Word users cut a long table at a page break and repeat
    its header rows on the next page. A table right after another one (nothing but empty
    paragraphs between: they are no items), as wide, whose first rows repeat the other's header
    rows, continues it without them. A caption or any other text between makes two tables."""
    out: list = []
    for item in items:
        before = out[-1] if out else None
        if isinstance(item, _RawTable) and isinstance(before, _RawTable):
            repeated = _repeated_header(before.rows, item.rows)
            if repeated:
                out[-1] = _RawTable(before.rows + item.rows[repeated:])
                continue
        out.append(item)
    return out


def _repeated_header(first: list[_RawRow], rows: list[_RawRow]) -> int:
    """How many leading `rows` repeat the header of the table `first` (0: they do not): its rows
    marked as header rows (w:tblHeader), else as many leading rows as the two have alike."""
    if not first or not rows or _table_width(first) != _table_width(rows):
        return 0
    marked = next((i for i, row in enumerate(first) if not row.header), len(first))
    alike = next((i for i, (a, b) in enumerate(zip(first, rows)) if not _same_row(a, b)), min(len(first), len(rows)))
    n = marked or alike
    return n if 0 < n <= alike and n < len(rows) else 0


def _same_row(a: _RawRow, b: _RawRow) -> bool:
    return a.texts == b.texts and _width(a) == _width(b)


def _table_width(rows: list[_RawRow]) -> int:
    return max(_width(r) for r in rows)


def compose_blocks(
    items: list, path: str, problems: list[Problem], caption_ok=lambda para: True, lines: list[int | None] | None = None
) -> list[Block]:
    """Paragraphs (with `.text` and a style `.level`) and `_RawTable`s in body order → blocks, for
    the .docx, .doc and HTML readers: a table takes the preamble lines (单位：万元) and the caption
    right above it (a line that reads like a table title and passes `caption_ok`); a paragraph is
    a heading by its style level, else by its numbering calibrated to the styles. `lines`: each
    item's source line, where the format has lines (a web page)."""
    consumed: set[int] = set()
    tables: dict[int, Table] = {}
    for i, item in enumerate(items):
        if not isinstance(item, _RawTable):
            continue
        j = i - 1
        preamble: list[str] = []
        while (
            j >= 0
            and not isinstance(items[j], _RawTable)
            and items[j].level is None
            and heading_level(items[j].text) is None
            and is_preamble_line(items[j].text)
        ):
            preamble[:0] = split_preamble(items[j].text)
            consumed.add(j)
            j -= 1
        caption = ""
        own_title = _title_row(item.rows)
        if own_title is not None:  # the table's own title row is its caption, not the line above
            cand = items[j] if j >= 0 and j not in consumed and not isinstance(items[j], _RawTable) else None
            if cand is not None and _heading_level(cand) is None and _same_text(cand.text, own_title):
                consumed.add(j)  # the same title written above the table too
        elif j >= 0 and not isinstance(items[j], _RawTable) and j not in consumed:
            cand = items[j]
            if looks_like_caption(cand.text) and caption_ok(cand):
                caption = cand.text
                if _heading_level(cand) is None:
                    consumed.add(j)
        table = _make_table(item.rows, caption, preamble, path, problems, lines[i] if lines else None)
        if table is not None:
            tables[i] = table

    calibrate = _numbering_calibration(it for it in items if not isinstance(it, _RawTable))
    blocks: list[Block] = []
    loc = Location(file=path)  # one for all without lines: `assemble` gives each block its section path
    for i, item in enumerate(items):
        if i in consumed:
            continue
        if isinstance(item, _RawTable):
            if i in tables:
                blocks.append(tables[i])
            continue
        level = _heading_level(item, calibrate)
        at = Location(file=path, line=lines[i]) if lines else loc
        blocks.append(Heading(item.text, level, at) if level else Paragraph(item.text, at))
    return blocks


_COMPACT_SPACE = re.compile(r"\s+")


def _same_text(a: str, b: str) -> bool:
    return _COMPACT_SPACE.sub("", a) == _COMPACT_SPACE.sub("", b)


def _title_row(rows: list[_RawRow]) -> str | None:
    """The table's title when its first row is one cell across the table that reads like a table's
    title (Excel writes a sheet's title so, and pages pasted from Excel keep it), None otherwise."""
    rows = [r for r in rows if r.texts or r.before or r.after]
    if len(rows) < 2:
        return None
    first = rows[0]
    if len(first.texts) == 1 and first.texts[0] and looks_like_caption(first.texts[0]) and "表" in first.texts[0]:
        return first.texts[0]
    return None


def _heading_level(para: _Para, calibrate=None) -> int | None:
    if para.level and len(para.text) <= MAX_STYLE_HEADING_CHARS:
        return para.level
    level = heading_level(para.text)
    return calibrate(level) if calibrate and level else level


def _numbering_calibration(paras):
    """Map numbering levels to the style levels the document itself uses for them.

    When `一、…` is written in Heading 1, an unstyled `二、…` is level 1 too, and `（一）…` level 2.
    Without styled numbered headings the numbering levels are used as they are. `paras`: the
    paragraphs, anything with `text` and a style `level` (the .doc reader's too).
    """
    seen: dict[int, Counter] = {}
    for item in paras:
        if item.level and len(item.text) <= MAX_STYLE_HEADING_CHARS:
            n = numbering_level(item.text)
            if n:
                seen.setdefault(n, Counter())[item.level] += 1
    if not seen:
        return None
    mapping = {n: c.most_common(1)[0][0] for n, c in seen.items()}
    if all(n == lvl for n, lvl in mapping.items()):
        return None

    def calibrate(n: int) -> int:
        if n in mapping:
            return mapping[n]
        lower = [m for m in mapping if m < n]
        if lower:
            m = max(lower)
            return mapping[m] + (n - m)
        m = min(mapping)
        return max(1, mapping[m] - (m - n))

    return calibrate


def _make_table(
    rows: list[_RawRow], caption: str, preamble: list[str], path: str, problems: list[Problem], line: int | None = None
) -> Table | None:
    rows = [r for r in rows if r.texts or r.before or r.after]
    if not rows:
        return None
    n_cols = max(_width(r) for r in rows)
    too_big = oversized_table(len(rows), n_cols)
    if too_big:
        problems.append(Problem(too_big, Location(file=path, line=line, table=caption or None)))
        return None
    # A title written as a first full-width row, then a 单位：万元 row, belong outside the grid.
    if not caption and _title_row(rows) is not None:
        caption = rows[0].texts[0]
        rows = rows[1:]
    if len(rows) > 1:
        first = rows[0]
        if len(first.texts) < n_cols and any(PREAMBLE.search(t) for t in first.texts):
            preamble = preamble + [t.replace("\n", " ") for t in first.texts if t]
            rows = rows[1:]
    header_rows = 0
    for r in rows:
        if not r.header:
            break
        header_rows += 1
    grid = _resolve_grid(_without_hidden_columns(rows))
    return Table(
        caption=caption,
        grid=grid,
        location=Location(file=path, line=line, table=caption or None),
        preamble=tuple(preamble),
        header_rows=header_rows or None,
    )


def _width(row: _RawRow) -> int:
    if row.merges is None:
        return row.before + len(row.texts) + row.after
    return row.before + sum(m[0] for m in row.merges) + row.after


def _without_hidden_columns(rows: list[_RawRow]) -> list[_RawRow]:
    """The rows over a grid without the columns no row draws a border inside: where every row has
    a merged cell across a grid line (Word keeps grid columns that edits left unused), that line is
    invisible, and keeping it would make every cell across it a merged one (an amount spanning two
    columns, which the table reader distrusts)."""
    if any(row.merges is None for row in rows):
        return rows  # a row of single-column cells draws every line
    n_cols = max(_width(r) for r in rows)
    drawn = [False] * (n_cols + 1)
    drawn[0] = drawn[n_cols] = True
    for row in rows:
        col = row.before
        drawn[: col + 1] = [True] * (col + 1)  # gridBefore positions are cells of their own
        for span, _, _ in row.merges:
            col += span
            drawn[col] = True
        drawn[col:] = [True] * (n_cols + 1 - col)  # so are gridAfter and missing positions
    if all(drawn):
        return rows
    index = list(accumulate(drawn, initial=-1))[1:]  # grid line → line of the reduced grid
    out = []
    for row in rows:
        col, merges = row.before, []
        for span, vmerge, hcont in row.merges:
            merges.append((index[col + span] - index[col], vmerge, hcont))
            col += span
        end = col + row.after
        out.append(_RawRow(row.texts, merges, index[row.before], index[end] - index[col], row.header))
    return out


def _resolve_grid(rows: list[_RawRow]) -> tuple[tuple[Cell, ...], ...]:
    """The grid of cells: a merged cell (gridSpan, vMerge, legacy hMerge) is the same `Cell` at
    every position it covers; positions no cell covers (gridBefore/gridAfter, short rows) get
    empty cells of their own."""
    n_cols = max(_width(r) for r in rows)  # of the rows left once title and preamble rows are taken out
    out: list[tuple[Cell, ...]] = []
    # Rows with merges are laid out with builders [text, row, col, row_span, col_span] that
    # become Cells once the whole table is seen; plain rows get their Cells at once.
    lines: list[list] = []
    plain_rows: list[bool] = []
    prev: list | None = None
    for r, row in enumerate(rows):
        texts = row.texts
        if (
            not row.before
            and len(texts) == n_cols
            and (row.merges is None or all(span == 1 and vm is None and not hc for span, vm, hc in row.merges))
        ):
            line = [Cell(text, r, c) for c, text in enumerate(texts)]
            lines.append(line)
            plain_rows.append(True)
            prev = line
            continue
        line = [None] * n_cols
        col = row.before
        last: list | None = None
        for text, (span, vmerge, hcont) in zip(texts, row.merges or [_UNMERGED] * len(texts)):
            if col >= n_cols:
                break
            if span > n_cols - col:
                span = n_cols - col
            above = prev[col] if prev is not None else None
            if vmerge == "continue" and type(above) is Cell and span == 1:
                # continuing a cell of a plain row: give it a builder, the row is no longer plain
                above = prev[col] = [above.text, above.row, above.col, 1, 1]
                plain_rows[r - 1] = False
            if hcont and last is not None and last[1] == r and last[2] + last[4] == col:
                last[4] += span
                b = last
            elif (
                vmerge == "continue"
                and type(above) is list
                and above[2] == col
                and above[4] == span  # a continuation as wide as the cell it continues
                and above[1] + above[3] == r
            ):
                above[3] += 1
                b = above
            else:
                b = [text, r, col, 1, span]
            line[col : col + span] = [b] * span
            last = b
            col += span
        lines.append(line)
        plain_rows.append(False)
        prev = line
    made: dict[int, Cell] = {}
    for r, (line, plain) in enumerate(zip(lines, plain_rows)):
        if plain:
            out.append(tuple(line))
            continue
        cells_out = []
        for c, b in enumerate(line):
            if b is None:
                cells_out.append(Cell("", r, c))
                continue
            if type(b) is Cell:
                cells_out.append(b)
                continue
            cell = made.get(id(b))
            if cell is None:
                cell = made[id(b)] = Cell(b[0], b[1], b[2], b[3], b[4])
            cells_out.append(cell)
        out.append(tuple(cells_out))
    return tuple(out)
