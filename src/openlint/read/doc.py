"""Legacy Word 97-2003 `.doc` reader (the Word binary format, MS-DOC), never raising.

The OLE2 container is opened with `olefile`; the rest is read here from the spec:

* the FIB at the start of the `WordDocument` stream says which table stream holds the document's
  tables (`0Table`/`1Table`), whether the file is encrypted, how long the main text is (ccpText),
  and where the piece table (Clx) and the paragraph property pages (PlcBtePapx) are;
* the piece table maps character positions to the bytes holding them (UTF-16LE, or 8-bit
  "compressed" text read as cp1252); the main text is CPs [0, ccpText);
* in that text `\\r` ends a paragraph, `\\x07` a table cell, `\\x0b` is a line break, `\\x0c` a
  page or section break; fields (`\\x13` code `\\x14` result `\\x15`) keep only their result;
  object anchors and other control characters are dropped;
* which paragraphs are in a table and which `\\x07` ends a row (an empty cell and a row end both
  read `\\x07`) only the paragraph properties tell: the PAPX pages are read for those few flags
  (sprmPFInTable, sprmPFTtp) and, on a row's end mark, its cell layout (sprmTDefTable: cell edges
  and merge flags, sprmTVertMerge) and header flag (sprmTTableHeader); and of every paragraph
  its style (the istd its PAPX starts with) and direct outline level (sprmPOutLvl);
* the style sheet (STSH, in the table stream) gives each style its outline level (sprmPOutLvl in
  the style's paragraph UPX, else its built-in heading sti, else a "heading N"/"标题 N" name, else
  its base style's, through istdBase). A paragraph's heading level is its direct outline level,
  else its style's, and is taken as the .docx reader takes a styled heading's (`_heading_level`,
  `_numbering_calibration`); unstyled paragraphs are headings by their numbering, as in a text
  file. Table-of-contents paragraphs (styles "toc 1".."toc 9") are left out, as from a .docx. A
  style sheet that cannot be read is ignored (headings by numbering only) with a problem;
* automatic list numbering ("一、", "（一）" shown by Word, absent from the text) is put back before a
  body paragraph's text as the .docx reader does it: the paragraph's list (sprmPIlfo, a 1-based
  index into the LFOs of the PlfLfo) and level (sprmPIlvl), each its own or else its style's (the
  style's paragraph UPX, through istdBase), name an LFO, whose lsid names a list (an LSTF of the
  PlfLst); the LVLs of every list follow the PlfLst (9 a list, 1 a simple one) and give each
  level's start, number format (nfc, an MSONFC), number text (xst, 0..8 standing for the levels'
  numbers), follow character and restart; an LFO's LFOLVLs override a level's start or the level.
  Counting, number formatting and how the label joins the text (not doubled when typed by hand)
  are the .docx reader's (`_docx_numbering.count_label`, `join_label`); an LFO with overrides
  counts on its own, as a .docx `w:num` does. A table cell's paragraphs are numbered and counted
  too (in nested tables they are not). A list part that cannot be read numbers nothing, with one
  problem.

Tables go through the .docx reader's grid resolution (cell edges give each cell its column span,
vertical merges are followed), so a table reads the same from either format.

Safety: streams are size-checked before they are read, piece and property tables are validated
(CPs increasing, offsets inside their stream) and every loop is bounded by the data it walks.
"""

from __future__ import annotations

import re
import struct
from bisect import bisect_left
from dataclasses import dataclass, field, replace

from openlint.model import Block, Document, Location, Problem
from openlint.read._docx_numbering import MAX_COUNT, Level, count_label, join_label
from openlint.read._zip import MAX_MEMBER_BYTES, Unreadable
from openlint.read.docx import (
    _HEADING_NAME,
    _TOC_NAME,
    _RawRow,
    _RawTable,
    compose_blocks,
)
from openlint.read.structure import assemble
from openlint.read.text import MAX_TEXT_BYTES, read_guarded

MSG_ENCRYPTED = "文件已加密（设置了打开密码），无法读取；请另存为未加密的文件后再检查"
MSG_CORRUPT = "文件已损坏或不完整，无法作为 Word 文档（.doc）打开"
MSG_NOT_WORD = "不是 Word 文档：OLE 复合文档中没有 WordDocument 流（可能是 .xls、.ppt 等其他旧版 Office 文件）"

_WIDENT = 0xA5EC
_F_ENCRYPTED = 0x0100
_F_WHICH_TBL = 0x0200
_MIN_FIB = 0x1A6 + 4  # through lcbClx
_FC_STSHF = 0x00A2  # FibRgFcLcb97.fcStshf, lcbStshf (after fcStshfOrig, lcbStshfOrig at 0x009A)
_SPRM_OUTLINE = 0x2640  # sprmPOutLvl: 0..8 heading levels 1..9, 9 body text
_ISTD_NIL = 0x0FFF  # no base style
_STI_TOC = range(19, 28)  # stiToc1..stiToc9
_MAX_STYLES = 0x0FFE
_SPRM_IN_TABLE = 0x2416
_SPRM_TTP = 0x2417
_SPRM_ITAP = 0x6649
_SPRM_INNER_CELL = 0x244B
_SPRM_INNER_TTP = 0x244C
_SPRM_HUGE_PAPX = 0x6646
_SPRM_DEF_TABLE = 0xD608
_SPRM_CHG_TABS = 0xC615
_SPRM_VERT_MERGE = 0xD62B
_SPRM_TABLE_HEADER = 0x3404
_SPRM_ILFO = 0x460B  # sprmPIlfo: 1-based index of the paragraph's LFO; 0 not numbered
_SPRM_ILVL = 0x260A  # sprmPIlvl: its list level, 0..8
_FC_PLFLST = 0x02E2  # FibRgFcLcb97.fcPlfLst, lcbPlfLst, fcPlfLfo, lcbPlfLfo
_CB_RG_FC_LCB = 0x0098  # FibRgFcLcb's count of fc/lcb pairs
_LIST_PAIRS = 75  # fcPlfLfo/lcbPlfLfo is the 75th pair
_COL_TOLERANCE = 20  # twips: cell edges closer than this are one grid line


# 8-bit ("compressed") text is cp1252; its five undefined bytes stand for themselves
_CP1252 = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)
)


@dataclass(slots=True)
class _Fib:
    table: str  # "0Table" or "1Table"
    ccp_text: int
    fc_clx: int
    lcb_clx: int
    fc_papx: int
    lcb_papx: int
    fc_stsh: int = 0
    lcb_stsh: int = 0
    fc_lst: int = 0  # PlfLst, the LVLs of its lists right after it
    lcb_lst: int = 0
    fc_lfo: int = 0  # PlfLfo
    lcb_lfo: int = 0


@dataclass(slots=True)
class _Piece:
    cp: int  # first character position
    cp_end: int
    fc: int  # byte offset of its first character in WordDocument
    width: int  # 1 (cp1252) or 2 (UTF-16LE)


@dataclass(slots=True)
class _Props:
    """What the reader needs of a paragraph's properties."""

    in_table: bool = False
    ttp: bool = False  # a table row's end mark
    itap: int = 0  # table depth
    inner_cell: bool = False
    inner_ttp: bool = False
    header: bool = False
    edges: list[int] | None = None  # cell edges of the row (twips), from sprmTDefTable
    vmerge: list[int] = field(default_factory=list)  # per cell: 0 none, 1 continue, 2/3 restart
    hmerge: list[int] = field(default_factory=list)  # per cell: 0 none, 1 first, 2/3 continue
    istd: int = 0  # the paragraph's style
    outline: int | None = None  # its direct outline level as written (sprmPOutLvl), 0..9
    ilfo: int | None = None  # its list (sprmPIlfo), 0: none
    ilvl: int | None = None  # its list level (sprmPIlvl)


# --- entry point -----------------------------------------------------------------------------


def read_doc(path: str) -> Document:
    """Read a Word 97-2003 .doc file. Never raises: problems are returned in the document."""
    return read_guarded(path, "doc", " .doc ", _read)


def _read(path: str) -> Document:
    import olefile

    problems: list[Problem] = []
    try:
        ole = olefile.OleFileIO(path)
    except MemoryError:
        raise
    except Exception as exc:  # OSError "not an OLE2 structured storage file", struct errors …
        raise Unreadable(f"{MSG_CORRUPT}（{type(exc).__name__}）") from None
    with ole:
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            raise Unreadable(MSG_ENCRYPTED)
        if not ole.exists("WordDocument"):
            raise Unreadable(MSG_NOT_WORD)
        word = _stream(ole, "WordDocument")
        fib = _read_fib(word)
        if not ole.exists(fib.table):
            raise Unreadable(f"{MSG_CORRUPT}：缺少表流 {fib.table}")
        table = _stream(ole, fib.table)
        data = _Lazy(ole)
        pieces = _pieces(word, table, fib)
        text = _main_text(word, pieces)
        props = _paragraph_props(word, table, fib, data, problems, path)
        styles, style_lists = _styles(table, fib, problems, path) if props is not None else ({}, {})
    lists = _Lists(table, fib, problems, path)
    marked, row_props = _mark(text, pieces, props, styles, style_lists, lists)
    items = _items(_strip_fields(marked).replace(_GONE, ""), row_props)
    blocks = _blocks(items, path, problems)
    if not blocks:
        problems.append(Problem("文档中没有任何文字内容", Location(file=path), fatal=True))  # nothing to judge
    return assemble(path, "doc", blocks, problems=problems)


def _stream(ole, name: str) -> bytes:
    try:
        size = ole.get_size(name)
    except Exception:
        raise Unreadable(f"{MSG_CORRUPT}（{name} 流无法读取）") from None
    if size > MAX_MEMBER_BYTES:
        raise Unreadable(f"{name} 流过大（{size / 1048576:.0f} MB，上限 {MAX_MEMBER_BYTES // 1048576} MB），未读取")
    try:
        with ole.openstream(name) as f:
            data = f.read(MAX_MEMBER_BYTES + 1)
    except MemoryError:
        raise
    except Exception:
        raise Unreadable(f"{MSG_CORRUPT}（{name} 流不完整）") from None
    if len(data) > MAX_MEMBER_BYTES:
        raise Unreadable(f"{name} 流超过 {MAX_MEMBER_BYTES // 1048576} MB 上限，未读取")
    return data


class _Lazy:
    """The Data stream, read only when a paragraph's properties live there (sprmPHugePapx)."""

    def __init__(self, ole):
        self._ole, self._data = ole, None

    def get(self) -> bytes:
        if self._data is None:
            self._data = _stream(self._ole, "Data") if self._ole.exists("Data") else b""
        return self._data


# --- FIB and piece table ---------------------------------------------------------------------


def _read_fib(word: bytes) -> _Fib:
    if len(word) < _MIN_FIB:
        raise Unreadable(f"{MSG_CORRUPT}：WordDocument 流过短")
    ident, nfib = struct.unpack_from("<HH", word, 0)
    if ident != _WIDENT:
        raise Unreadable(f"{MSG_CORRUPT}：文件头标识不符")
    flags = struct.unpack_from("<H", word, 0x0A)[0]
    if flags & _F_ENCRYPTED:
        raise Unreadable(MSG_ENCRYPTED)
    if nfib < 0x0C0 - 8:  # Word 6/95 (nFib 101..104) lay the FIB out otherwise
        raise Unreadable("这是 Word 95 或更早版本的 .doc 文件，暂不支持（可另存为 .docx 或 PDF 后检查）")
    ccp_text = struct.unpack_from("<i", word, 0x4C)[0]
    fc_papx, lcb_papx = struct.unpack_from("<II", word, 0x102)
    fc_clx, lcb_clx = struct.unpack_from("<II", word, 0x1A2)
    fc_stsh, lcb_stsh = struct.unpack_from("<II", word, _FC_STSHF)
    table = "1Table" if flags & _F_WHICH_TBL else "0Table"
    if ccp_text < 0 or ccp_text > MAX_TEXT_BYTES:
        raise Unreadable(f"{MSG_CORRUPT}：正文长度异常（{ccp_text}）")
    fib = _Fib(table, ccp_text, fc_clx, lcb_clx, fc_papx, lcb_papx, fc_stsh, lcb_stsh)
    pairs = struct.unpack_from("<H", word, _CB_RG_FC_LCB)[0]
    if pairs >= _LIST_PAIRS and len(word) >= _FC_PLFLST + 16:
        fib.fc_lst, fib.lcb_lst, fib.fc_lfo, fib.lcb_lfo = struct.unpack_from("<IIII", word, _FC_PLFLST)
    return fib


def _pieces(word: bytes, table: bytes, fib: _Fib) -> list[_Piece]:
    """The piece table (Clx → Pcdt → PlcPcd), validated against both streams."""
    bad = f"{MSG_CORRUPT}：片段表（piece table）无效"
    start, end = fib.fc_clx, fib.fc_clx + fib.lcb_clx
    if fib.lcb_clx == 0 or end > len(table):
        raise Unreadable(bad)
    i = start
    while i < end and table[i] == 0x01:  # Prc: a grpprl shared by pieces, skipped
        if i + 3 > end:
            raise Unreadable(bad)
        size = struct.unpack_from("<h", table, i + 1)[0]
        if size < 0:
            raise Unreadable(bad)
        i += 3 + size
    if i + 5 > end or table[i] != 0x02:
        raise Unreadable(bad)
    lcb = struct.unpack_from("<I", table, i + 1)[0]
    i += 5
    if lcb < 4 or i + lcb > end or (lcb - 4) % 12:
        raise Unreadable(bad)
    n = (lcb - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}i", table, i)
    pcds = i + 4 * (n + 1)
    if n == 0 or cps[0] != 0 or any(a >= b for a, b in zip(cps, cps[1:])):
        raise Unreadable(bad)
    pieces = []
    for k in range(n):
        fc = struct.unpack_from("<I", table, pcds + 8 * k + 2)[0]
        if fc & 0x40000000:
            piece = _Piece(cps[k], cps[k + 1], (fc & 0x3FFFFFFF) // 2, 1)
        else:
            piece = _Piece(cps[k], cps[k + 1], fc, 2)
        if piece.fc + (piece.cp_end - piece.cp) * piece.width > len(word):
            raise Unreadable(f"{bad}：片段超出 WordDocument 流")
        pieces.append(piece)
    if cps[-1] < fib.ccp_text:
        raise Unreadable(f"{bad}：片段未覆盖全部正文")
    # the main text only: footnotes, headers, comments … follow it in the same pieces
    main = [p for p in pieces if p.cp < fib.ccp_text]
    if main:
        main[-1].cp_end = min(main[-1].cp_end, fib.ccp_text)
    return main


def _main_text(word: bytes, pieces: list[_Piece]) -> str:
    """The text of the pieces, in CP order."""
    parts = []
    for p in pieces:
        raw = word[p.fc : p.fc + (p.cp_end - p.cp) * p.width]
        parts.append(raw.decode("utf-16-le", errors="replace") if p.width == 2 else raw.decode("latin-1").translate(_CP1252_MAP))
    return "".join(parts)


_CP1252_MAP = {i: ch for i, ch in enumerate(_CP1252) if ord(ch) != i}


# --- paragraph properties --------------------------------------------------------------------


def _paragraph_props(
    word: bytes, table: bytes, fib: _Fib, data: _Lazy, problems: list[Problem], path: str
) -> dict[int, _Props] | None:
    """Properties of the paragraphs in tables or not in the Normal style, by the FC just past
    their paragraph mark; None when the property pages cannot be read (tables are then guessed
    from the marks alone, headings found by their numbering)."""
    try:
        return _read_papx(word, table, fib, data)
    except (Unreadable, struct.error, ValueError, IndexError):
        message = "段落属性无法读取，表格的行按单元格标记推断，可能不准确"
        problems.append(Problem(message, Location(file=path)))
        return None


def _read_papx(word: bytes, table: bytes, fib: _Fib, data: _Lazy) -> dict[int, _Props]:
    start, lcb = fib.fc_papx, fib.lcb_papx
    if lcb < 8 or (lcb - 4) % 8 or start + lcb > len(table):
        raise ValueError("PlcBtePapx")
    n = (lcb - 4) // 8
    pns = struct.unpack_from(f"<{n}I", table, start + 4 * (n + 1))
    out: dict[int, _Props] = {}
    seen: set[int] = set()
    for pn in pns:
        page = (pn & 0x3FFFFF) * 512
        if page in seen:
            continue
        seen.add(page)
        if page + 512 > len(word):
            raise ValueError("PapxFkp")
        crun = word[page + 511]
        if crun == 0 or 4 * (crun + 1) + 13 * crun > 511:
            raise ValueError("PapxFkp")
        fcs = struct.unpack_from(f"<{crun + 1}I", word, page)
        base = page + 4 * (crun + 1)
        for k in range(crun):
            offset = word[base + 13 * k] * 2
            if not offset:
                continue
            at = page + offset
            cb = word[at]
            if cb:
                size, at = 2 * cb - 1, at + 1
            else:
                size, at = 2 * word[at + 1], at + 2
            if at + size > page + 511 or size < 2:
                continue
            istd = word[at] | word[at + 1] << 8
            props = _props(word[at + 2 : at + size], data)  # past the istd
            if props is None and istd:
                props = _Props()
            if props is not None:
                props.istd = istd
                out[fcs[k + 1]] = props
    return out


def _props(grpprl: bytes, data: _Lazy | None, p: _Props | None = None) -> _Props | None:
    for sprm, operand in _sprms(grpprl):
        if sprm == _SPRM_HUGE_PAPX and len(operand) == 4 and data is not None:
            # the properties did not fit the page: a PrcData (int16 size, grpprl) in the Data stream
            fc = struct.unpack("<I", operand)[0]
            huge = data.get()
            if fc + 2 <= len(huge):
                size = struct.unpack_from("<h", huge, fc)[0]
                if size > 0:
                    p = _props(huge[fc + 2 : fc + 2 + size], None, p)
            continue
        if sprm not in _TABLE_SPRMS:
            continue
        if p is None:
            p = _Props()
        value = operand[0] if operand else 0
        if sprm == _SPRM_OUTLINE:
            p.outline = value
        elif sprm == _SPRM_ILFO and len(operand) == 2:
            p.ilfo = struct.unpack("<h", operand)[0]
        elif sprm == _SPRM_ILVL:
            p.ilvl = value
        elif sprm == _SPRM_IN_TABLE:
            p.in_table = bool(value)
        elif sprm == _SPRM_TTP:
            p.ttp = bool(value)
        elif sprm == _SPRM_ITAP and len(operand) == 4:
            p.itap = struct.unpack("<i", operand)[0]
        elif sprm == _SPRM_INNER_CELL:
            p.inner_cell = bool(value)
        elif sprm == _SPRM_INNER_TTP:
            p.inner_ttp = bool(value)
        elif sprm == _SPRM_TABLE_HEADER:
            p.header = bool(value)
        elif sprm == _SPRM_DEF_TABLE:
            _def_table(p, operand)
        elif sprm == _SPRM_VERT_MERGE and len(operand) >= 3:
            itc, flag = operand[1], operand[2]
            if itc < len(p.vmerge):
                p.vmerge[itc] = flag
    return p


_TABLE_SPRMS = {  # and the outline level and list
    _SPRM_OUTLINE, _SPRM_IN_TABLE, _SPRM_TTP, _SPRM_ITAP, _SPRM_INNER_CELL, _SPRM_INNER_TTP,
    _SPRM_TABLE_HEADER, _SPRM_DEF_TABLE, _SPRM_VERT_MERGE, _SPRM_ILFO, _SPRM_ILVL,
}


def _def_table(p: _Props, operand: bytes) -> None:
    """sprmTDefTable: itcMac cells, their itcMac+1 edges, then a TC80 (20 bytes) per cell."""
    body = operand[2:]  # past cb
    if not body:
        return
    n = body[0]
    if n == 0 or 1 + 2 * (n + 1) > len(body):
        return
    p.edges = list(struct.unpack_from(f"<{n + 1}h", body, 1))
    p.vmerge, p.hmerge = [0] * n, [0] * n
    tcs = 1 + 2 * (n + 1)
    for k in range(min(n, (len(body) - tcs) // 20)):
        grf = struct.unpack_from("<H", body, tcs + 20 * k)[0]
        p.hmerge[k] = grf & 0x3
        p.vmerge[k] = (grf >> 5) & 0x3


def _sprms(grpprl: bytes):
    """(sprm, operand) of each Prl; stops at the first one that runs past the end."""
    i, n = 0, len(grpprl)
    while i + 2 <= n:
        sprm = grpprl[i] | grpprl[i + 1] << 8
        i += 2
        spra = sprm >> 13
        if spra == 6:
            if sprm == _SPRM_DEF_TABLE:
                if i + 2 > n:
                    return
                size = struct.unpack_from("<H", grpprl, i)[0] + 1
            elif sprm == _SPRM_CHG_TABS:
                if i >= n or grpprl[i] == 255:
                    return  # the rare long form: nothing after it is needed
                size = grpprl[i] + 1
            else:
                if i >= n:
                    return
                size = grpprl[i] + 1
        else:
            size = _SPRA_SIZE[spra]
        if i + size > n:
            return
        yield sprm, grpprl[i : i + size]
        i += size


_SPRA_SIZE = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}


# --- automatic list numbering ----------------------------------------------------------------

# MSONFC (lvlf.nfc) → the number format of the .docx reader's `format_number` (ST_NumberFormat)
_NFC = {
    0: "decimal", 1: "upperRoman", 2: "lowerRoman", 3: "upperLetter", 4: "lowerLetter",
    5: "ordinal", 6: "cardinalText", 7: "ordinalText", 8: "hex", 9: "chicago",
    10: "ideographDigital", 11: "japaneseCounting", 12: "aiueo", 13: "iroha",
    14: "decimalFullWidth", 15: "decimalHalfWidth", 16: "japaneseLegal",
    17: "japaneseDigitalTenThousand", 18: "decimalEnclosedCircle", 19: "decimalFullWidth2",
    20: "aiueoFullWidth", 21: "irohaFullWidth", 22: "decimalZero", 23: "bullet", 24: "ganada",
    25: "chosung", 26: "decimalEnclosedFullstop", 27: "decimalEnclosedParen",
    28: "decimalEnclosedCircleChinese", 29: "ideographEnclosedCircle", 30: "ideographTraditional",
    31: "ideographZodiac", 32: "ideographZodiacTraditional", 33: "taiwaneseCounting",
    34: "ideographLegalTraditional", 35: "taiwaneseCountingThousand", 36: "taiwaneseDigital",
    37: "chineseCounting", 38: "chineseLegalSimplified", 39: "chineseCountingThousand",
    255: "none",
}
_LSTF = 28  # bytes of an LSTF
_LVLF = 28  # bytes of an LVLF
_LFO = 16  # bytes of an LFO
_LIST_LEVELS = 9  # LVLs of a list that is not simple
MSG_LISTS = "编号列表无法读取，自动编号未计入正文"


@dataclass(slots=True)
class _Lfo:
    lsid: int
    # per level: a start override (LFOLVL.fStartAt) and a level override (fFormatting)
    overrides: dict[int, tuple[int | None, Level | None]]


class _Lists:
    """The document's lists (PlfLst with its LVLs, PlfLfo), read the first time a paragraph asks
    for its number, and their counters (the .docx reader's `count_label`): an LSTF is the .docx's
    abstractNum, an LFO its num. A list part that cannot be read numbers no paragraph, with one
    problem."""

    def __init__(self, table: bytes, fib: _Fib, problems: list[Problem], path: str):
        self._table, self._fib, self._problems, self._path = table, fib, problems, path
        self._loaded = False
        self._lists: dict[int, dict[int, Level]] = {}
        self._lfos: list[_Lfo] = []
        self._levels: dict[int, dict[int, Level]] = {}  # by ilfo: the levels its paragraphs use
        self._counts: dict = {}

    def label(self, ilfo: int, ilvl: int) -> str | None:
        """The label of a paragraph of LFO `ilfo` (1-based) at level `ilvl`, counted; None for
        none (an unknown list or level, a bullet, an empty label)."""
        if not self._loaded:
            self._loaded = True
            self._load()
        if not 1 <= ilfo <= len(self._lfos) or not 0 <= ilvl < _LIST_LEVELS:
            return None
        lfo = self._lfos[ilfo - 1]
        levels = self._levels.get(ilfo)
        if levels is None:
            levels = dict(self._lists.get(lfo.lsid, {}))
            for i, (start, level) in lfo.overrides.items():
                if level is not None:
                    levels[i] = level
                if start is not None and i in levels:
                    levels[i] = replace(levels[i], start=start)
            self._levels[ilfo] = levels
        key = ("lfo", ilfo) if lfo.overrides else ("lst", lfo.lsid)
        return count_label(self._counts, key, levels, ilvl)

    def _load(self) -> None:
        try:
            self._lists = _read_plflst(self._table, self._fib)
            self._lfos = _read_plflfo(self._table, self._fib)
        except (struct.error, ValueError, IndexError) as exc:
            self._lists, self._lfos = {}, []
            self._problems.append(Problem(f"{MSG_LISTS}（{exc}）", Location(file=self._path)))


def _read_plflst(table: bytes, fib: _Fib) -> dict[int, dict[int, Level]]:
    """The lists by lsid: the PlfLst (cLst, then cLst LSTFs), then right after it the LVLs of
    every list in order, 9 for a list, 1 for a simple one."""
    start, lcb = fib.fc_lst, fib.lcb_lst
    if lcb < 2 or start + lcb > len(table):
        raise ValueError("PlfLst")
    count = struct.unpack_from("<h", table, start)[0]
    if count < 0 or 2 + _LSTF * count > lcb:
        raise ValueError("PlfLst.cLst")
    at = start + lcb
    lists: dict[int, dict[int, Level]] = {}
    for k in range(count):
        lstf = start + 2 + _LSTF * k
        lsid = struct.unpack_from("<i", table, lstf)[0]
        simple = table[lstf + 26] & 0x01
        levels: dict[int, Level] = {}
        for ilvl in range(1 if simple else _LIST_LEVELS):
            levels[ilvl], at = _read_lvl(table, at)
        lists.setdefault(lsid, levels)
    return lists


def _read_plflfo(table: bytes, fib: _Fib) -> list[_Lfo]:
    """The LFOs in order (sprmPIlfo counts them from 1): the PlfLfo (lfoMac, lfoMac LFOs, then an
    LFOData per LFO: cp and clfolvl LFOLVLs, each an iStartAt, flags and maybe an LVL)."""
    start, lcb = fib.fc_lfo, fib.lcb_lfo
    end = start + lcb
    if lcb < 4 or end > len(table):
        raise ValueError("PlfLfo")
    count = struct.unpack_from("<I", table, start)[0]
    if 4 + _LFO * count > lcb:
        raise ValueError("PlfLfo.lfoMac")
    lfos: list[_Lfo] = []
    at = start + 4 + _LFO * count
    for k in range(count):
        lfo = start + 4 + _LFO * k
        lsid = struct.unpack_from("<i", table, lfo)[0]
        clfolvl = table[lfo + 12]
        overrides: dict[int, tuple[int | None, Level | None]] = {}
        at += 4  # LFOData.cp
        for _ in range(clfolvl):
            if at + 8 > end:
                raise ValueError("LFOLVL")
            start_at, flags = struct.unpack_from("<iI", table, at)
            at += 8
            ilvl, has_start, has_level = flags & 0xF, flags & 0x10, flags & 0x20
            level = None
            if has_level:
                level, at = _read_lvl(table, at, end)
            if ilvl < _LIST_LEVELS and (has_start or level is not None):
                overrides[ilvl] = (max(0, min(start_at, MAX_COUNT)) if has_start else None, level)
        if at > end:
            raise ValueError("LFOData")
        lfos.append(_Lfo(lsid, overrides))
    return lfos


def _read_lvl(table: bytes, at: int, end: int | None = None) -> tuple[Level, int]:
    """An LVL at `at` (its LVLF, grpprlPapx, grpprlChpx, then the number text xst: cch and cch
    UTF-16 characters, a character 0..8 standing for the number of that level) and the offset
    just past it."""
    end = len(table) if end is None else end
    if at + _LVLF + 2 > end:
        raise ValueError("LVL")
    start_at, nfc, flags = struct.unpack_from("<iBB", table, at)
    nums = table[at + 6 : at + 15]  # rgbxchNums: 1-based positions of the placeholders in xst
    follow = table[at + 15]  # ixchFollow: 0 tab, 1 space, 2 nothing
    cb_chpx, cb_papx, restart_lim = table[at + 24], table[at + 25], table[at + 26]
    xst = at + _LVLF + cb_papx + cb_chpx
    if xst + 2 > end:
        raise ValueError("LVL.xst")
    cch = struct.unpack_from("<H", table, xst)[0]
    after = xst + 2 + 2 * cch
    if after > end:
        raise ValueError("LVL.xst")
    chars = table[xst + 2 : after].decode("utf-16-le", errors="replace")
    places = {n - 1 for n in nums if n}
    text = []
    for i, ch in enumerate(chars):
        if ord(ch) < _LIST_LEVELS and (i in places or not places):
            text.append(f"%{ord(ch) + 1}")
        elif ord(ch) >= 0x20 and ch != "%":
            text.append(ch)
    level = Level(
        start=max(0, min(start_at, MAX_COUNT)),
        fmt=_NFC.get(nfc, "decimal"),
        text="".join(text),
        restart=restart_lim if flags & 0x08 else None,  # fNoRestart: restarts only below ilvlRestartLim
        legal=bool(flags & 0x04),
        tight=follow == 2,
    )
    return level, after


# --- styles ----------------------------------------------------------------------------------

_TOC = -1  # the "level" of a table-of-contents style: its paragraphs are left out


@dataclass(slots=True)
class _Std:
    sti: int
    base: int  # istdBase, _ISTD_NIL for none
    name: str
    outline: int | None  # sprmPOutLvl of its paragraph UPX, as written
    ilfo: int | None = None  # sprmPIlfo of its paragraph UPX: the style's list
    ilvl: int | None = None  # sprmPIlvl: its level


_StyleList = tuple[int | None, int | None]  # a style's list (ilfo) and list level (ilvl), if set


def _styles(
    table: bytes, fib: _Fib, problems: list[Problem], path: str
) -> tuple[dict[int, int], dict[int, _StyleList]]:
    """Heading level (1..9, or _TOC) of each paragraph style that has one, and the list of each
    that numbers its paragraphs, by istd; empty, with a problem, when the style sheet cannot be
    read."""
    try:
        styles = _read_stsh(table, fib)
    except (struct.error, ValueError, IndexError):
        message = "样式表无法读取，标题仅按编号识别"
        problems.append(Problem(message, Location(file=path)))
        return {}, {}
    return _levels(styles), _style_lists(styles)


def _style_lists(styles: dict[int, _Std]) -> dict[int, _StyleList]:
    """Each style's list and list level, each its own or its nearest base style's (istdBase)."""
    out: dict[int, _StyleList] = {}
    for istd, st in styles.items():
        ilfo = ilvl = None
        s: _Std | None = st
        for _ in range(20):  # a bounded walk: istdBase may loop
            if s is None or (ilfo is not None and ilvl is not None):
                break
            ilfo = s.ilfo if ilfo is None else ilfo
            ilvl = s.ilvl if ilvl is None else ilvl
            s = styles.get(s.base) if s.base != _ISTD_NIL else None
        if ilfo:
            out[istd] = (ilfo, ilvl)
    return out


def _read_stsh(table: bytes, fib: _Fib) -> dict[int, _Std]:
    """The paragraph styles of the STSH: an LPStshi, then cstd LPStd (cbStd, STD), each on an
    even boundary; an STD is its Stdf (cbSTDBaseInFile bytes: StdfBase and maybe StdfPost2000),
    its name (Xstz: cch, cch UTF-16 characters, a terminating zero) and its UPXs, for a
    paragraph style first the LPUpxPapx (cbUpx, istd, grpprl)."""
    start, lcb = fib.fc_stsh, fib.lcb_stsh
    end = start + lcb
    if lcb < 2 + 4 or end > len(table):
        raise ValueError("STSH")
    cb_stshi = struct.unpack_from("<H", table, start)[0]
    if cb_stshi < 4 or 2 + cb_stshi > lcb:
        raise ValueError("Stshi")
    cstd, cb_base = struct.unpack_from("<HH", table, start + 2)
    if cstd > _MAX_STYLES or cb_base < 10:
        raise ValueError("Stshif")
    at = start + 2 + cb_stshi
    styles: dict[int, _Std] = {}
    for istd in range(cstd):
        if at == end:
            break  # fewer styles written than counted
        if at + 2 > end:
            raise ValueError("LPStd")
        cb = struct.unpack_from("<H", table, at)[0]
        at += 2
        if at + cb > end:
            raise ValueError("LPStd")
        std, at = table[at : at + cb], min(at + cb + (cb & 1), end)  # the padding, if any
        if not cb:
            continue  # an empty slot
        if cb < cb_base + 2:
            raise ValueError("STD")
        w1, w2 = struct.unpack_from("<HH", std, 0)
        if w2 & 0xF != 1:  # stk: not a paragraph style
            continue
        cch = struct.unpack_from("<H", std, cb_base)[0]
        upx = cb_base + 2 + 2 * cch + 2
        if upx > cb:
            raise ValueError("Xstz")
        name = std[cb_base + 2 : upx - 2].decode("utf-16-le", errors="replace")
        outline = ilfo = ilvl = None
        if upx + 2 <= cb:
            size = struct.unpack_from("<H", std, upx)[0]
            if upx + 2 + size > cb:
                raise ValueError("UpxPapx")
            for sprm, operand in _sprms(std[upx + 4 : upx + 2 + size]):  # past the istd
                if sprm == _SPRM_OUTLINE and operand:
                    outline = operand[0]
                elif sprm == _SPRM_ILFO and len(operand) == 2:
                    ilfo = struct.unpack("<h", operand)[0]
                elif sprm == _SPRM_ILVL and operand:
                    ilvl = operand[0]
        styles[istd] = _Std(w1 & 0xFFF, w2 >> 4, name, outline, ilfo, ilvl)
    return styles


def _levels(styles: dict[int, _Std]) -> dict[int, int]:
    """Each style's heading level: its outline level, else its built-in heading sti, else a
    heading name, else its base style's (a bounded walk up istdBase); 9 and none: body text."""
    out: dict[int, int] = {}
    for istd, st in styles.items():
        if st.sti in _STI_TOC or any(_TOC_NAME.match(n.strip()) for n in st.name.split(",")):
            out[istd] = _TOC
            continue
        s: _Std | None = st
        for _ in range(20):
            if s is None:
                break
            level = _own_level(s)
            if level is not None:
                if level:
                    out[istd] = level
                break
            s = styles.get(s.base) if s.base != _ISTD_NIL else None
    return out


def _own_level(st: _Std) -> int | None:
    """The level a style sets itself: 1..9, 0 for body text, None when it says nothing."""
    if st.outline is not None:
        return st.outline + 1 if st.outline <= 8 else 0
    if 1 <= st.sti <= 9:
        return st.sti
    for n in st.name.split(","):  # a name and its aliases
        m = _HEADING_NAME.match(n.strip())
        if m:
            return int(m.group(1))
    return None


# --- text ------------------------------------------------------------------------------------

# marks the text is rewritten with once the paragraph properties are known
_CELL_PARA = "\x0e"  # a paragraph mark inside a table cell
_ROW_END = "\x00"  # a table row's end mark (\x07 in the file)
_CELL_END = "\x07"
_PARA_END = "\r"
_INNER_CELL = "\x10"  # a nested table's cell mark (\r in the file)
_INNER_ROW = "\x11"  # a nested table's row end
_MARKS = re.compile("[\r\x07]")
_GONE = "\ufffe"  # a dropped character, until the marks are placed (positions must not move)
# a body paragraph's heading level 1..9 (or _TOC) from its style, just before its mark
_LEVEL_BASE = 0xF0000  # private use: such characters of the text itself are dropped
# a numbered paragraph's list label, between these two, just before its level mark (if any)
_LABEL_OPEN, _LABEL_CLOSE = "\U000f0010", "\U000f0011"
_DROP = re.compile("[\x00-\x06\x08\x0e-\x12\x16-\x1d\x1f\x7f\ufffe\U000f0000-\U000f0011]")
_LABEL_DROP = re.compile("[\x00-\x1f\x7f\ufffe\U000f0000-\U000f0011]")


def _level_mark(level: int) -> str:
    return chr(_LEVEL_BASE + (level if level > 0 else 0xF))


def _marked_level(chunk: str) -> tuple[str, int | None, str | None]:
    """A paragraph's text without its level mark and list label, the level (None: none, _TOC)
    and the label (None: none)."""
    level = label = None
    if chunk and _LEVEL_BASE < ord(chunk[-1]) <= _LEVEL_BASE + 0xF:
        level = ord(chunk[-1]) - _LEVEL_BASE
        chunk, level = chunk[:-1], _TOC if level == 0xF else level
    if chunk.endswith(_LABEL_CLOSE):
        i = chunk.rfind(_LABEL_OPEN)
        if i >= 0:
            chunk, label = chunk[:i], chunk[i + 1 : -1]
    return chunk, level, label


def _mark(
    text: str,
    pieces: list[_Piece],
    props: dict[int, _Props] | None,
    styles: dict[int, int] | None = None,
    style_lists: dict[int, _StyleList] | None = None,
    lists: _Lists | None = None,
) -> tuple[str, list[_Props]]:
    """The text with table paragraph marks told apart (see the marks above), a body paragraph's
    list label (`_LABEL_OPEN` … `_LABEL_CLOSE`) and heading level (or table-of-contents style,
    `_level_mark`) put before its mark, and the properties of its row end marks in order.
    Without properties, a cell mark right after another cell mark is taken for a row end."""
    styles = styles or {}
    style_lists = style_lists or {}
    normal = styles.get(0)
    chars = list(_DROP.sub(_GONE, text))  # object anchors, footnote marks … go
    rows: list[_Props] = []
    if props is None:
        for m in re.finditer("\x07\x07", text):
            chars[m.start() + 1] = _ROW_END
        return "".join(chars), rows
    start = 0  # where the paragraph the next mark ends begins
    for p in pieces:
        segment = text[p.cp : p.cp_end]
        for m in _MARKS.finditer(segment):
            fc_end = p.fc + (m.start() + 1) * p.width
            pp = props.get(fc_end)
            begins, start = start, p.cp + m.start() + 1
            if pp is not None and (pp.in_table or pp.itap) and (pp.itap or 1) == 1 and not pp.ttp:
                _number_cell_paragraph(chars, begins, p.cp + m.start(), _label(pp, style_lists, lists))
            if pp is None or not (pp.in_table or pp.itap):
                if m.group() == "\r":
                    if pp is None:
                        level = normal
                    elif pp.outline is not None:
                        level = pp.outline + 1 if pp.outline <= 8 else None
                    else:
                        level = styles.get(pp.istd)
                    label = _label(pp, style_lists, lists)
                    mark = _LABEL_OPEN + label + _LABEL_CLOSE if label else ""
                    if level:
                        mark += _level_mark(level)
                    if mark:
                        chars[p.cp + m.start()] = mark + "\r"
                continue
            pos = p.cp + m.start()
            depth = pp.itap or 1
            if depth > 1:
                if pp.inner_ttp:
                    chars[pos] = _INNER_ROW
                elif pp.inner_cell:
                    chars[pos] = _INNER_CELL
                else:
                    chars[pos] = _CELL_PARA
            elif m.group() == "\x07":
                chars[pos] = _ROW_END if pp.ttp else _CELL_END
                if pp.ttp:
                    rows.append(pp)
            else:
                chars[pos] = _CELL_PARA
    return "".join(chars), rows


def _number_cell_paragraph(chars: list[str], begins: int, ends: int, label: str | None) -> None:
    """Put a table-cell paragraph's list label before its text (the body's go through the label
    marks; a cell's text is read as it stands), as `join_label` would: not on an empty paragraph,
    not when typed by hand as well."""
    if not label:
        return
    text = "".join(chars[begins:ends]).replace(_GONE, "").strip()
    if text and not text.startswith(label.rstrip()):
        chars[begins] = label + chars[begins]


def _label(pp: _Props | None, style_lists: dict[int, _StyleList], lists: _Lists | None) -> str | None:
    """The list label of a body paragraph (its own sprmPIlfo and sprmPIlvl, each else its
    style's), counted; None when it is not numbered or shows no number."""
    if lists is None:
        return None
    ilfo, ilvl = style_lists.get(pp.istd if pp is not None else 0, (None, None))
    if pp is not None:
        ilfo = pp.ilfo if pp.ilfo is not None else ilfo
        ilvl = pp.ilvl if pp.ilvl is not None else ilvl
    if not ilfo or ilfo < 0:
        return None
    label = lists.label(ilfo, ilvl or 0)
    return _LABEL_DROP.sub("", label) if label else None


_FIELD = re.compile("[\x13\x14\x15]")


def _strip_fields(text: str) -> str:
    """Fields keep their result: the code (\\x13 … \\x14) and the marks go, nested fields too."""
    if "\x13" not in text:
        return text
    out: list[str] = []
    stack: list[bool] = []  # per open field: in its result
    pos = 0
    for m in _FIELD.finditer(text):
        if all(stack):
            out.append(text[pos : m.start()])
        ch = m.group()
        if ch == "\x13":
            stack.append(False)
        elif ch == "\x14":
            if stack:
                stack[-1] = True
        elif stack:
            stack.pop()
        pos = m.end()
    if all(stack):
        out.append(text[pos:])
    return "".join(out)


@dataclass(slots=True)
class _Para:
    text: str
    level: int | None = None  # heading level from its style or outline level (_TOC: a TOC entry)


@dataclass(slots=True)
class _Row:
    cells: list[str]
    props: _Props | None


_ITEM_SPLIT = re.compile("([\r\x07\x00\x0c\x0e])")


def _items(text: str, row_props: list[_Props]) -> list:
    """Paragraphs and tables (lists of rows) in reading order."""
    rows_props = iter(row_props)
    items: list = []
    table: list[_Row] | None = None
    row: list[str] = []
    lines: list[str] = []
    parts = _ITEM_SPLIT.split(text)
    for k in range(0, len(parts) - 1, 2):
        chunk, mark = parts[k], parts[k + 1]
        if mark == _CELL_PARA:
            lines.append(_line(chunk))
        elif mark == _CELL_END:
            lines.append(_line(chunk))
            row.append("\n".join(s for s in lines if s))
            lines = []
        elif mark == _ROW_END:
            if table is None:
                table = []
                items.append(table)
            table.append(_Row(row, next(rows_props, None)))
            row, lines = [], []
        else:  # paragraph or page/section break
            if row or lines:  # a row not closed by its end mark
                if lines:
                    row.append("\n".join(s for s in lines if s))
                if table is None:
                    table = []
                    items.append(table)
                table.append(_Row(row, None))
                row, lines = [], []
            table = None
            chunk, level, label = _marked_level(chunk)
            if level != _TOC:
                items.append(_Para(join_label(label, _line(chunk)), level))
    tail = parts[-1]
    if row or lines:
        if lines or tail.strip():
            row.append("\n".join(s for s in [*lines, _line(tail)] if s))
        if table is None:
            items.append([])
            table = items[-1]
        table.append(_Row(row, None))
    elif tail.strip():
        items.append(_Para(_line(tail)))
    return items


def _line(chunk: str) -> str:
    """A paragraph's text: line breaks kept as newlines, a nested table a row a line."""
    chunk = chunk.replace(_INNER_ROW, "\n").replace(_INNER_CELL, " ").replace("\x0b", "\n")
    chunk = chunk.replace("\x1e", "-")  # Word's non-breaking hyphen
    return "\n".join(s.strip() for s in chunk.split("\n") if s.strip())


# --- blocks ----------------------------------------------------------------------------------


def _blocks(items: list, path: str, problems: list[Problem]) -> list[Block]:
    """Blocks as the .docx reader composes them, a caption taken without looking at its alignment
    or weight (which a .doc keeps in its styles)."""
    items = [it if isinstance(it, _Para) else _RawTable(_raw_rows(it)) for it in items if (it.text if isinstance(it, _Para) else it)]
    return compose_blocks(items, path, problems)


def _raw_rows(rows: list[_Row]) -> list[_RawRow]:
    """The rows as the .docx reader's raw rows: each cell's span over the table's column lines
    (the cell edges of all its rows), vertical and legacy horizontal merges, header rows."""
    lines = _column_lines([r.props.edges for r in rows if r.props is not None and r.props.edges])
    out = []
    for row in rows:
        p = row.props
        raw = _RawRow(list(row.cells), header=bool(p and p.header))
        edges = p.edges if p is not None else None
        if not lines or not edges or len(edges) != len(row.cells) + 1:
            out.append(raw)
            continue
        at = [_nearest(lines, e) for e in edges]
        if any(b < a for a, b in zip(at, at[1:])):
            out.append(raw)
            continue
        raw.before, raw.after = at[0], len(lines) - 1 - at[-1]
        merges = []
        for k, text in enumerate(row.cells):
            span = max(1, at[k + 1] - at[k])
            vm = p.vmerge[k] if k < len(p.vmerge) else 0
            vmerge = "continue" if vm == 1 else "restart" if vm in (2, 3) else None
            merges.append((span, vmerge, (p.hmerge[k] if k < len(p.hmerge) else 0) in (2, 3)))
            if vmerge == "continue":
                raw.texts[k] = ""
        raw.merges = merges
        out.append(raw)
    return out


def _column_lines(edge_lists: list[list[int]]) -> list[int]:
    """The table's column lines: every cell edge of its rows, edges a few twips apart as one."""
    lines: list[int] = []
    for e in sorted({e for edges in edge_lists for e in edges}):
        if lines and e - lines[-1] < _COL_TOLERANCE:
            continue
        lines.append(e)
    return lines


def _nearest(lines: list[int], e: int) -> int:
    i = bisect_left(lines, e)
    if i == len(lines) or (i > 0 and e - lines[i - 1] <= lines[i] - e):
        return i - 1
    return i
