"""Legacy Word 97-2003 .doc files (read/doc.py).

The main fixture is the bundled example saved as .doc by LibreOffice:
`soffice --headless --convert-to doc --outdir tests/fixtures/doc examples/hebei-shanhaiguan-trade-union-2023-dept-budget.docx`.
The small ones (a PAGE and a HYPERLINK field, a table with merged cells, a line break, headings
by style and outline level, automatic list numbering, the last two beside the .docx they came
from) are python-docx documents saved as .doc the same way by tests/fixtures/doc/make_doc.py. The Shanghai justice bureau's budget is a
Word-written disclosure without numbered section headings, as .docx and .doc:
`python scripts/model_to_docx.py corpus/real/shanghai-putuo-justice-bureau-2026-unit-budget.pdf
shanghai-putuo-justice-bureau-2026-unit-budget.docx`, then `soffice --headless --convert-to doc`.
CI has no LibreOffice: the tests read only the committed files (damaged copies are made from them).
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import olefile
import pytest

from openlint.judge.engine import check_document, load_rules
from openlint.model import Heading, Table
from openlint.read import read_document
from openlint.read.doc import read_doc
from openlint.read.structure import heading_level

ROOT = Path(__file__).parent.parent
FIX = ROOT / "tests" / "fixtures"
WORD = ROOT / "examples" / "hebei-shanhaiguan-trade-union-2023-dept-budget.docx"
DOC = FIX / "doc" / "hebei-shanhaiguan-trade-union-2023-dept-budget.doc"
XLS = FIX / "xlsx" / "shanghai-putuo-template-2026-unit-budget-XX.xls"


def _bare(text: str) -> str:
    return re.sub(r"\s", "", text)


def _rows(table: Table) -> list[tuple[str, ...]]:
    """Body rows as their distinct non-empty cell texts (a merged cell once)."""
    rows = []
    for row in table.grid[table.header_rows or 0 :]:
        texts = tuple(dict.fromkeys(_bare(c.text) for c in row if c.text.strip()))
        if texts:
            rows.append(texts)
    return rows


def only_fatal(doc) -> str:
    assert len(doc.problems) == 1, doc.problems
    problem = doc.problems[0]
    assert problem.fatal and not doc.readable and doc.blocks == ()
    assert "\n" not in problem.message
    return problem.message


@pytest.fixture(scope="module")
def word():
    return read_document(str(WORD))


@pytest.fixture(scope="module")
def doc():
    return read_doc(str(DOC))


# --- the bundled example, from .doc and from .docx --------------------------------------------


def test_read_without_problems(doc):
    assert doc.format == "doc" and doc.readable and doc.problems == ()
    assert read_document(str(DOC)).format == "doc"


def test_the_same_tables_are_found(word, doc):
    assert len(doc.tables) == 16
    assert [_bare(t.caption) for t in doc.tables] == [_bare(t.caption) for t in word.tables]
    for table in doc.tables:
        assert table.location.table == table.caption and table.location.file == str(DOC)


def test_every_table_has_the_same_rows(word, doc):
    for a, b in zip(word.tables, doc.tables):
        assert _rows(b) == _rows(a), a.caption
        # the cell layout too: column spans from the cell edges, vertical merges, header rows
        assert [[(c.row, c.col, c.row_span, c.col_span) for c in r] for r in b.grid] == [
            [(c.row, c.col, c.row_span, c.col_span) for c in r] for r in a.grid
        ], a.caption
        assert b.header_rows == a.header_rows, a.caption
        assert b.preamble == a.preamble, a.caption
        assert [n.text for n in b.notes] == [n.text for n in a.notes], a.caption


def test_the_same_headings(word, doc):
    levels = {h.text: h.level for h in doc.headings}
    assert levels["第一部分  部门预算"] == 1
    assert levels["一、部门职责及机构设置情况"] == 2
    assert levels["五、预算绩效信息"] == 2
    assert levels["（一）总体绩效目标"] == 3
    # the unnumbered table titles the .docx styles as headings are headings in the .doc too
    titles = {t.caption for t in word.tables if heading_level(t.caption) is None} & set(levels)
    assert titles
    assert [(h.text, h.level) for h in doc.headings] == [(h.text, h.level) for h in word.headings]


def test_the_same_findings(word, doc):
    rules = load_rules()

    def findings(d):
        return {(f.rule_id, f.severity.value, f.message) for f in check_document(d, rules)}

    # identical, messages included
    assert findings(doc) == findings(word)
    errors = {f.rule_id for f in check_document(doc, rules) if f.severity.value == "error"}
    assert errors == {f.rule_id for f in check_document(word, rules) if f.severity.value == "error"}


# --- small built cases -------------------------------------------------------------------------


def _word_stream(path: Path) -> bytes:
    with olefile.OleFileIO(str(path)) as ole:
        return ole.openstream("WordDocument").read()


def _raw_text(path: Path) -> str:
    return _word_stream(path).decode("utf-16-le", errors="ignore")


def _table_name(word: bytes) -> str:
    return "1Table" if struct.unpack_from("<H", word, 0x0A)[0] & 0x0200 else "0Table"


def test_fields_keep_their_result_only():
    path = FIX / "doc" / "fields.doc"
    assert "PAGE" in _raw_text(path) and "HYPERLINK" in _raw_text(path)  # the codes are in the file
    doc = read_doc(str(path))
    assert doc.problems == ()
    assert [b.text for b in doc.blocks] == ["第1页", "详见财政局网站公开栏目。"]


def test_merged_cells():
    doc = read_doc(str(FIX / "doc" / "merged-cells.doc"))
    assert doc.problems == ()
    (table,) = doc.tables
    assert table.caption == "示例收支总表" and table.preamble == ("单位：万元",)
    grid = [[c.text for c in row] for row in table.grid]
    assert grid == [
        ["项目", "预算数", "预算数"],
        ["项目", "本年", "上年"],
        ["合计", "10.00", "8.00"],
        ["基本支出", "", "8.00"],
    ]
    assert table.grid[0][0] is table.grid[1][0] and table.grid[0][0].row_span == 2
    assert table.grid[0][1] is table.grid[0][2] and table.grid[0][1].col_span == 2
    assert [n.text for n in table.notes] == ["注：上年数为调整后预算。"]
    assert isinstance(doc.blocks[0], Heading) and doc.blocks[0].text == "一、部门预算收支总表"
    assert table.location.section == ("一、部门预算收支总表",)


def _blocks(doc) -> list[tuple[str, int | None, str]]:
    return [(type(b).__name__, getattr(b, "level", None), b.text) for b in doc.blocks]


def test_headings_by_style_and_outline_level():
    word = read_document(str(FIX / "doc" / "heading-styles.docx"))
    doc = read_doc(str(FIX / "doc" / "heading-styles.doc"))
    assert doc.problems == () and word.problems == ()
    assert _blocks(doc) == _blocks(word)
    levels = {h.text: h.level for h in doc.headings}
    assert levels["上海市某某局主要职能"] == 2  # unnumbered, in Heading 2
    assert levels["名词解释"] == 1  # in Heading 1
    assert levels["预算编制说明"] == 2  # a Normal paragraph with outline level 2
    assert levels["二、一般公共预算支出表"] == 2  # unstyled: numbering calibrated by "一、" in Heading 2
    assert levels["（一）基本支出"] == 3
    texts = [b.text for b in doc.blocks]
    assert "本段虽用标题样式，但大纲级别设为正文文本。" not in levels  # outline level: body text
    assert not any(t.startswith("这是一段用了标题样式的很长的正文") for t in levels)  # too long
    assert not any("\t" in t for t in texts)  # table-of-contents entries are left out


JUSTICE = FIX / "doc" / "shanghai-putuo-justice-bureau-2026-unit-budget"


def test_a_word_disclosure_with_unnumbered_headings():
    """Its 主要职能, 机构设置 and 名词解释 sections are unnumbered Heading 1: found from the .doc."""
    rules = load_rules()

    def findings(d):
        return {(f.rule_id, _bare(f.message)) for f in check_document(d, rules)}

    word = read_document(str(JUSTICE.with_suffix(".docx")))
    doc = read_doc(str(JUSTICE.with_suffix(".doc")))
    assert doc.problems == ()
    assert [(h.text, h.level) for h in doc.headings] == [(h.text, h.level) for h in word.headings]
    assert findings(doc) == findings(word)
    assert not {"GLO-001", "SEC-001", "SEC-002"} & {rule for rule, _ in findings(doc)}


def test_line_break_is_a_newline():
    doc = read_doc(str(FIX / "doc" / "line-break.doc"))
    assert [b.text for b in doc.blocks] == ["二、部门预算安排的总体情况", "第一行\n第二行。"]


def test_dispatched_by_content(tmp_path):
    named = tmp_path / "budget.docx"  # a .doc under a .docx name
    named.write_bytes((FIX / "doc" / "line-break.doc").read_bytes())
    doc = read_document(str(named))
    assert doc.format == "doc" and doc.readable
    assert [p.message for p in doc.problems] == ["扩展名与内容不符：内容是Word（.doc），已按Word（.doc）读取"]
    assert read_document(str(XLS)).format == "xls"  # an OLE workbook stays a workbook


# --- bad input -----------------------------------------------------------------------------------


def test_truncated(tmp_path):
    path = tmp_path / "truncated.doc"
    path.write_bytes(DOC.read_bytes()[:20000])
    assert "已损坏" in only_fatal(read_document(str(path)))
    assert "已损坏" in only_fatal(read_doc(str(path)))


def test_ole_without_word_stream():
    assert "没有 WordDocument 流" in only_fatal(read_doc(str(XLS)))


def _patched(tmp_path: Path, stream: str, patch) -> Path:
    """A copy of the merged-cells fixture with `patch(data) -> data` applied to one stream."""
    src = FIX / "doc" / "merged-cells.doc"
    path = tmp_path / f"patched-{stream}.doc"
    path.write_bytes(src.read_bytes())
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = ole.openstream(stream).read()
        ole.write_stream(stream, patch(data))
    return path


def test_corrupt_piece_table(tmp_path):
    def flip(table: bytes, word: bytes) -> bytes:
        fc, lcb = struct.unpack_from("<II", word, 0x1A2)
        clx = bytearray(table)
        i = fc + table[fc:].index(b"\x02")
        clx[i + 5 : i + 13] = struct.pack("<ii", 500, 3)  # CPs decreasing
        return bytes(clx)

    word = _word_stream(FIX / "doc" / "merged-cells.doc")
    path = _patched(tmp_path, _table_name(word), lambda t: flip(t, word))
    assert "片段表" in only_fatal(read_document(str(path)))


def test_piece_outside_the_stream(tmp_path):
    def far(table: bytes, word: bytes) -> bytes:
        fc, lcb = struct.unpack_from("<II", word, 0x1A2)
        out = bytearray(table)
        end = fc + lcb
        struct.pack_into("<I", out, end - 6, 0x3FFFFF00)  # the last piece's fc
        return bytes(out)

    word = _word_stream(FIX / "doc" / "merged-cells.doc")
    path = _patched(tmp_path, _table_name(word), lambda t: far(t, word))
    assert "片段超出" in only_fatal(read_doc(str(path)))


def test_encrypted_flag(tmp_path):
    def encrypt(word: bytes) -> bytes:
        out = bytearray(word)
        struct.pack_into("<H", out, 0x0A, struct.unpack_from("<H", word, 0x0A)[0] | 0x0100)
        return bytes(out)

    path = _patched(tmp_path, "WordDocument", encrypt)
    assert "文件已加密" in only_fatal(read_document(str(path)))


def test_not_an_ole_file(tmp_path):
    path = tmp_path / "fake.doc"
    path.write_text("这不是 Word 文档", encoding="utf-8")
    assert "无法作为 Word 文档（.doc）打开" in only_fatal(read_doc(str(path)))


def test_only_the_main_text_is_read(tmp_path):
    # footnotes, headers and comments follow the main text in the same pieces: ccpText ends it
    def shorten(word: bytes) -> bytes:
        out = bytearray(word)
        struct.pack_into("<i", out, 0x4C, len("二、部门预算安排的总体情况\r"))
        return bytes(out)

    src = FIX / "doc" / "line-break.doc"
    path = tmp_path / "short.doc"
    path.write_bytes(src.read_bytes())
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        ole.write_stream("WordDocument", shorten(ole.openstream("WordDocument").read()))
    assert [b.text for b in read_doc(str(path)).blocks] == ["二、部门预算安排的总体情况"]


def _stsh_patched(tmp_path: Path, patch) -> Path:
    """The heading-styles fixture with `patch(stsh) -> stsh` applied to its style sheet."""
    src = FIX / "doc" / "heading-styles.doc"
    word = _word_stream(src)
    name = _table_name(word)
    fc, lcb = struct.unpack_from("<II", word, 0x00A2)  # fcStshf, lcbStshf
    assert lcb > 100

    def apply(table: bytes) -> bytes:
        stsh = patch(bytearray(table[fc : fc + lcb]))
        assert len(stsh) == lcb
        return table[:fc] + bytes(stsh) + table[fc + lcb :]

    path = tmp_path / "stsh.doc"
    path.write_bytes(src.read_bytes())
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        ole.write_stream(name, apply(ole.openstream(name).read()))
    return path


def _first_styles(stsh: bytearray) -> int:
    """Offset of the first LPStd."""
    return 2 + struct.unpack_from("<H", stsh, 0)[0]


@pytest.mark.parametrize(
    "patch",
    [
        lambda s: s.__setitem__(slice(0, 2), struct.pack("<H", 0xFFF0)) or s,  # cbStshi past the end
        lambda s: s.__setitem__(slice(2, 4), struct.pack("<H", 0xFFFF)) or s,  # cstd out of range
        lambda s: s.__setitem__(slice(_first_styles(s), _first_styles(s) + 2), b"\xff\x7f") or s,  # cbStd
        lambda s: s[: _first_styles(s) + 2] + b"\xff" * (len(s) - _first_styles(s) - 2),  # STDs overwritten
    ],
    ids=["cbStshi", "cstd", "cbStd", "std"],
)
def test_corrupt_style_sheet(tmp_path, patch):
    doc = read_document(str(_stsh_patched(tmp_path, patch)))
    assert doc.readable
    assert [(p.message, p.fatal) for p in doc.problems] == [("样式表无法读取，标题仅按编号识别", False)]
    levels = {h.text: h.level for h in doc.headings}
    # styles ignored: headings by numbering, and by a paragraph's own outline level
    assert "上海市某某局主要职能" not in levels and "名词解释" not in levels
    assert levels["一、财政拨款收支总表"] == 2 and levels["（一）基本支出"] == 3
    assert levels["预算编制说明"] == 2


def test_style_sheet_bytes_never_raise(tmp_path):
    import random

    rng = random.Random(7)
    for k in range(30):

        def scramble(s: bytearray) -> bytearray:
            for _ in range(rng.randint(1, 40)):
                s[rng.randrange(len(s))] = rng.randrange(256)
            return s

        doc = read_doc(str(_stsh_patched(tmp_path, scramble)))
        assert doc.readable and len(doc.problems) <= 1 and not any(p.fatal for p in doc.problems), k


# --- automatic list numbering (PlfLst, PlfLfo, sprmPIlfo/sprmPIlvl) ---------------------------

NUMBERED = FIX / "doc" / "numbered.doc"
SECTIONS = {"SEC-001", "SEC-002", "SEC-003", "SEC-009"}  # 部门职责, 机构设置, 收支总体情况, 三公经费


def test_automatic_numbering_as_from_the_docx():
    """Normal-style paragraphs numbered automatically read as from the .docx they came from:
    一、/（一）/1. labels, level 1 restarting after a new level-0 item, bullets without a label, an
    empty numbered paragraph counted, a number typed by hand as well not doubled."""
    doc, word = read_doc(str(NUMBERED)), read_document(str(NUMBERED.with_suffix(".docx")))
    assert doc.problems == () and word.problems == ()
    assert [b.text for b in doc.blocks] == [b.text for b in word.blocks]
    assert [(h.text, h.level) for h in doc.headings] == [(h.text, h.level) for h in word.headings]
    assert [(h.text, h.level) for h in doc.headings] == [
        ("一、部门职责", 2),
        ("二、机构设置", 2),
        ("（一）内设机构", 3),
        ("（二）下属单位", 3),
        ("三、收支预算总体情况说明", 2),
        ("五、三公经费预算情况说明", 2),
        ("（一）因公出国（境）费", 3),
        ("（二）公务接待费", 3),
        ("1.国内公务接待", 4),
        ("2.外宾接待", 4),
    ]
    assert "要点一" in [b.text for b in doc.blocks]


def _lists_patched(tmp_path: Path, patch, name: str = "lists.doc") -> Path:
    """The numbered fixture with `patch(table, fc_lst, lcb_lst, fc_lfo, lcb_lfo)` applied to its
    table stream (a bytearray, patched in place; its size kept)."""
    word = _word_stream(NUMBERED)
    fcs = struct.unpack_from("<IIII", word, 0x02E2)  # fcPlfLst, lcbPlfLst, fcPlfLfo, lcbPlfLfo
    assert fcs[1] > 2 and fcs[3] > 4
    path = tmp_path / name
    path.write_bytes(NUMBERED.read_bytes())
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        table = bytearray(ole.openstream(_table_name(word)).read())
        size = len(table)
        patch(table, *fcs)
        assert len(table) == size
        ole.write_stream(_table_name(word), bytes(table))
    return path


def _set(table: bytearray, at: int, data: bytes) -> None:
    table[at : at + len(data)] = data


def _first_xst(table: bytearray, fc: int, lcb: int) -> int:
    """Offset of the number text (xst) of the first LVL, right after the PlfLst."""
    at = fc + lcb
    return at + 28 + table[at + 25] + table[at + 24]  # past the LVLF, grpprlPapx, grpprlChpx


@pytest.mark.parametrize(
    "patch",
    [
        lambda t, fc, lcb, *_: t.__setitem__(slice(fc, fc + 2), struct.pack("<h", 0x7FFF)),  # cLst
        lambda t, fc, lcb, *_: t.__setitem__(slice(fc, fc + 2), struct.pack("<h", -1)),  # cLst < 0
        lambda t, fc, lcb, *_: _set(t, _first_xst(t, fc, lcb), b"\xff\xff"),  # cch past the end
        lambda t, fc, lcb, lfo, lcb_lfo: t.__setitem__(slice(lfo, lfo + 4), struct.pack("<I", 0x0FFFFFFF)),
        lambda t, fc, lcb, lfo, lcb_lfo: t.__setitem__(slice(lfo + 4 + 12, lfo + 4 + 13), b"\xff"),  # clfolvl
        lambda t, fc, lcb, *_: t.__setitem__(slice(fc + lcb, fc + lcb + 60), b"\xff" * 60),  # the first LVL
    ],
    ids=["cLst", "cLst-negative", "xst", "lfoMac", "clfolvl", "lvls"],
)
def test_damaged_list_part_is_not_fatal(tmp_path, patch):
    doc = read_document(str(_lists_patched(tmp_path, patch)))
    assert doc.readable and doc.format == "doc"
    (problem,) = doc.problems
    assert not problem.fatal and problem.message.startswith("编号列表无法读取，自动编号未计入正文")
    assert "\n" not in problem.message
    texts = [b.text for b in doc.blocks]
    assert "部门职责" in texts and "五、三公经费预算情况说明" in texts  # not numbered; typed numbers kept


def test_list_part_outside_the_table_stream(tmp_path):
    src = NUMBERED
    path = tmp_path / "fib.doc"
    path.write_bytes(src.read_bytes())
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        word = bytearray(ole.openstream("WordDocument").read())
        word[0x02E6:0x02EA] = struct.pack("<I", 0x7FFFFFFF)  # lcbPlfLst
        ole.write_stream("WordDocument", bytes(word))
    doc = read_doc(str(path))
    assert doc.readable and [p.fatal for p in doc.problems] == [False]
    assert "编号" in doc.problems[0].message


def test_list_bytes_never_raise(tmp_path):
    import random

    rng = random.Random(11)
    for k in range(40):

        def scramble(t: bytearray, fc: int, lcb: int, lfo: int, lcb_lfo: int) -> None:
            # the PlfLst, its first LVLs, the PlfLfo: other structures of the stream left alone
            spans = [(fc, fc + lcb + 200), (lfo, lfo + lcb_lfo)]
            for _ in range(rng.randint(1, 30)):
                lo, hi = rng.choice(spans)
                t[rng.randrange(lo, hi)] = rng.randrange(256)

        doc = read_doc(str(_lists_patched(tmp_path, scramble)))
        assert doc.readable and not any(p.fatal for p in doc.problems), k
        assert sum("编号" in p.message for p in doc.problems) <= 1, k


def test_end_to_end_numbered_sections_are_found(tmp_path):
    rules = load_rules()
    numbered = read_document(str(NUMBERED))
    assert [h.text for h in numbered.headings][:2] == ["一、部门职责", "二、机构设置"]
    assert not {f.rule_id for f in check_document(numbered, rules)} & SECTIONS
    # the same document with its list part damaged: the numbers are lost, the sections missed
    damaged = read_document(str(_lists_patched(tmp_path, lambda t, fc, *_: _set(t, fc, b"\xff\x7f"))))
    assert [p.fatal for p in damaged.problems] == [False] and "编号" in damaged.problems[0].message
    found = {f.rule_id for f in check_document(damaged, rules)}
    assert {"SEC-001", "SEC-002"} <= found


def _lvl(nfc: int, text: str, start: int = 1, follow: int = 0) -> bytes:
    """An LVL: its LVLF (no grpprls) and its number text, "\\x00" standing for level 0's number."""
    nums = bytes([text.index("\x00") + 1]) + bytes(8) if "\x00" in text else bytes(9)
    lvlf = struct.pack("<iBB", start, nfc, 0) + nums + bytes([follow]) + bytes(8) + bytes(4)
    return lvlf + struct.pack("<H", len(text)) + text.encode("utf-16-le")


def test_start_override_numbers_its_own_list():
    """Two LFOs of one simple list, the second starting at 5: it counts on its own, as a .docx
    w:num with a w:startOverride does; nfc 37 is chineseCounting, ixchFollow 2 joins tightly."""
    from openlint.read.doc import _Fib, _Lists

    lstf = struct.pack("<ii", 5, 0) + b"\xff\x0f" * 9 + bytes([0x01, 0])  # lsid 5, simple
    plflst = struct.pack("<h", 1) + lstf
    lfos = struct.pack("<iiiBBBB", 5, 0, 0, 0, 0, 0, 0) + struct.pack("<iiiBBBB", 5, 0, 0, 1, 0, 0, 0)
    data = struct.pack("<i", 0) + struct.pack("<i", 0) + struct.pack("<iI", 5, 0x10)  # LFOLVL: level 0, fStartAt
    plflfo = struct.pack("<I", 2) + lfos + data
    problems: list = []

    def lists(lvl: bytes) -> _Lists:
        at = len(plflst) + len(lvl)
        fib = _Fib("1Table", 0, 0, 0, 0, 0, fc_lst=0, lcb_lst=len(plflst), fc_lfo=at, lcb_lfo=len(plflfo))
        return _Lists(plflst + lvl + plflfo, fib, problems, "t.doc")

    counting = lists(_lvl(37, "\x00、"))
    assert [counting.label(ilfo, 0) for ilfo in (1, 2, 2, 1)] == ["一、", "五、", "六、", "二、"]
    assert counting.label(3, 0) is None and counting.label(1, 1) is None  # no such LFO; a simple list's one level
    tight, spaced = lists(_lvl(0, "第\x00部分", follow=2)), lists(_lvl(0, "第\x00部分", follow=1))
    assert (tight.label(1, 0), spaced.label(1, 0)) == ("第1部分", "第1部分 ")
    assert problems == []


def test_style_lists_follow_the_base_style():
    from openlint.read.doc import _ISTD_NIL, _Std, _style_lists

    styles = {
        0: _Std(0, _ISTD_NIL, "Normal", None),
        1: _Std(62, 0, "编号标题", None, ilfo=2, ilvl=1),
        2: _Std(62, 1, "编号标题二", None, ilvl=0),  # its own level, its base's list
        3: _Std(62, 3, "自指", None),  # istdBase naming itself: a bounded walk
    }
    assert _style_lists(styles) == {1: (2, 1), 2: (2, 0)}


def test_numbered_table_cells_as_from_the_docx():
    """Row labels numbered automatically inside a table keep their numbers, and the list counts
    on through the cells (an empty one included) and after the table, as from the .docx."""
    cells = FIX / "doc" / "numbered-cells.doc"
    doc, word = read_doc(str(cells)), read_document(str(cells.with_suffix(".docx")))
    assert doc.problems == () and word.problems == ()
    rows = [doc.tables[0].row_texts(r)[0] for r in range(doc.tables[0].n_rows)]
    assert rows == ["项目", "一、财政拨款收入", "", "三、事业收入"]
    assert rows == [word.tables[0].row_texts(r)[0] for r in range(word.tables[0].n_rows)]
    assert [h.text for h in doc.headings] == [h.text for h in word.headings] == ["四、部门职责"]
