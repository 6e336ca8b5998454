"""`read_document`: the reader is chosen by content, and nothing raises."""

from __future__ import annotations

import os
import shutil
import sys
import types
import zipfile
from pathlib import Path

import pytest

from openlint.model import Document, Location, Problem
from openlint.read import read_document, sniff

FIX = Path(__file__).parent / "fixtures"
SEED_TXT = FIX / "seed" / "hebei-shanhaiguan-trade-union-2023-dept-budget.txt"
SEED_DOCX = FIX / "docx" / "seed-budget.docx"


@pytest.fixture
def fake_pdf(monkeypatch):
    """A stand-in `openlint.read.pdf` that records the paths it was asked to read."""
    calls: list[str] = []
    module = types.ModuleType("openlint.read.pdf")

    def read_pdf(path: str) -> Document:
        calls.append(path)
        return Document(path=path, format="pdf", page_count=1)

    module.read_pdf = read_pdf
    monkeypatch.setitem(sys.modules, "openlint.read.pdf", module)
    return calls


def only_fatal(doc: Document) -> str:
    assert len(doc.problems) == 1, doc.problems
    assert doc.problems[0].fatal and not doc.readable
    assert "\n" not in doc.problems[0].message
    return doc.problems[0].message


def test_sniff():
    assert sniff(b"%PDF-1.7\n") == "pdf"
    assert sniff(b"\r\n%PDF-1.4") == "pdf"
    assert sniff(b"PK\x03\x04rest") == "zip"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") == "ole"
    assert sniff("一、概况".encode("utf-8")) == "text"
    assert sniff(b"\x89PNG\r\n") == "binary:PNG 图片"
    assert sniff(b"abc\x00def") == "binary:二进制文件"


def test_txt_that_is_really_a_pdf_goes_to_the_pdf_reader(tmp_path, fake_pdf):
    path = tmp_path / "report.txt"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    doc = read_document(str(path))
    assert fake_pdf == [str(path)]
    assert doc.format == "pdf"
    (note,) = doc.problems
    assert not note.fatal and "扩展名与内容不符" in note.message


def test_pdf_goes_to_the_pdf_reader(tmp_path, fake_pdf):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    doc = read_document(str(path))
    assert fake_pdf == [str(path)] and doc.problems == ()


def test_pdf_reader_missing(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openlint.read.pdf", None)  # import fails
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    assert "PDF 读取器不可用" in only_fatal(read_document(str(path)))


def test_pdf_reader_that_raises_does_not_escape(tmp_path, monkeypatch):
    module = types.ModuleType("openlint.read.pdf")

    def read_pdf(path):
        raise ValueError("boom")

    module.read_pdf = read_pdf
    monkeypatch.setitem(sys.modules, "openlint.read.pdf", module)
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    message = only_fatal(read_document(str(path)))
    assert "内部错误" in message and "boom" in message


def test_docx_by_content_whatever_the_name(tmp_path):
    path = tmp_path / "disclosure.txt"
    shutil.copy(SEED_DOCX, path)
    doc = read_document(str(path))
    assert doc.format == "docx" and doc.readable
    assert len(doc.tables) == 16
    assert [p.message for p in doc.problems] == ["扩展名与内容不符：内容是Word（.docx），已按Word（.docx）读取"]


def test_text_by_content(tmp_path):
    doc = read_document(str(SEED_TXT))
    assert doc.format == "txt" and doc.problems == () and len(doc.tables) == 16
    path = tmp_path / "disclosure.docx"
    shutil.copy(SEED_TXT, path)
    doc = read_document(str(path))
    assert doc.format == "txt" and doc.readable and len(doc.tables) == 16
    assert "扩展名与内容不符" in doc.problems[0].message


def test_seed_docx_and_txt_agree():
    docx, txt = read_document(str(SEED_DOCX)), read_document(str(SEED_TXT))
    assert [t.caption for t in docx.tables] == [t.caption for t in txt.tables]
    for a, b in zip(docx.tables, txt.tables):
        assert a.grid == b.grid  # same cells, same spans
        assert [n.text for n in a.notes] == [n.text for n in b.notes]
    assert [h.text for h in docx.headings] == [h.text for h in txt.headings]


@pytest.mark.parametrize(
    "name, phrase",
    [
        ("empty.docx", "文件为空（0 字节）"),
        ("not-word.docx", "不是 Word 文档"),
        ("truncated.docx", "损坏"),
        ("corrupt.docx", "损坏"),
        ("bomb.docx", "压缩炸弹"),
        ("bomb-ratio.docx", "压缩炸弹"),
        ("billion-laughs.docx", "实体炸弹"),
        ("encrypted.docx", "文件已加密或为不支持的旧版 Office 格式（如 .ppt），暂不支持（可另存为 .docx 或 PDF 后检查）"),
    ],
)
def test_bad_fixtures(name, phrase):
    assert phrase in only_fatal(read_document(str(FIX / "bad" / name)))


def test_missing_file(tmp_path):
    path = tmp_path / "nope.pdf"
    doc = read_document(str(path))
    assert only_fatal(doc) == f"文件不存在：{path}"
    assert doc.format == "pdf" and doc.problems[0].location == Location(file=str(path))


def test_broken_symlink(tmp_path):
    link = tmp_path / "link.docx"
    link.symlink_to(tmp_path / "gone.docx")
    assert only_fatal(read_document(str(link))).startswith("文件不存在")


def test_directory(tmp_path):
    assert only_fatal(read_document(str(tmp_path))) == f"这是一个目录，不是文件：{tmp_path}"


def test_fifo_is_not_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "不是普通文件" in only_fatal(read_document(str(fifo)))  # and does not block


def test_too_large(tmp_path, monkeypatch):
    import openlint.read.text as text

    monkeypatch.setattr(text, "MAX_FILE_BYTES", 1024)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2048)
    assert "文件过大" in only_fatal(read_document(str(path)))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of permissions")
def test_unreadable(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("一、概况\n", encoding="utf-8")
    path.chmod(0)
    try:
        assert "没有读取权限" in only_fatal(read_document(str(path)))
    finally:
        path.chmod(0o600)


def test_unreadable_via_open_error(tmp_path, monkeypatch):
    """Permission errors on open are reported, whoever runs the tests."""
    import builtins

    path = tmp_path / "secret.txt"
    path.write_text("一、概况\n", encoding="utf-8")
    real_open = builtins.open

    def deny(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    assert only_fatal(read_document(str(path))) == f"没有读取权限：{path}"


def test_binary_and_other_zips(tmp_path):
    png = tmp_path / "scan.pdf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    assert "PNG" in only_fatal(read_document(str(png)))
    xlsx = tmp_path / "budget.xlsx"
    with zipfile.ZipFile(xlsx, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    doc = read_document(str(xlsx))
    assert "Excel" in only_fatal(doc)


def test_gbk_text_through_dispatch():
    doc = read_document(str(FIX / "bad" / "gbk.txt"))
    assert doc.readable and doc.format == "txt"
    assert [p.message for p in doc.problems] == ["文件不是 UTF-8 编码，已按 GB18030 读取"]


def test_reader_bug_becomes_a_problem(tmp_path, monkeypatch):
    import openlint.read.text as text

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(text, "parse_text", broken)
    path = tmp_path / "a.txt"
    path.write_text("一、概况\n", encoding="utf-8")
    message = only_fatal(read_document(str(path)))
    assert "内部错误" in message and "bug" in message


def test_problem_type():
    doc = read_document("/nonexistent/dir/file.docx")
    assert isinstance(doc.problems[0], Problem) and doc.format == "docx"


def test_a_zip_with_excel_parts_but_no_workbook_is_called_a_broken_workbook(tmp_path):
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/styles.xml", "<styleSheet/>")
    (problem,) = read_document(str(path)).problems
    assert problem.fatal and "缺少 xl/workbook.xml" in problem.message
