"""Readers: one per format, chosen by the file's content; each returns a `Document`.

`read_document(path)` sniffs the first bytes (not only the extension): `%PDF` → PDF reader,
a zip holding `xl/workbook.xml` → .xlsx reader, another zip → .docx reader (which says "不是 Word
文档" for other zips), an OLE2 compound file → .xls reader when it holds a workbook stream, legacy
.doc reader when it holds a `WordDocument` stream (either also when only the name says so, which
then reports the damage), refused otherwise (encrypted Office file, .ppt …), markup that opens
like a web page (`<html`, `<!DOCTYPE html`, `<table` … at the start) or a single-file web archive
(MIME multipart/related) → HTML reader, JSON (a site's API response saved as a page) refused,
anything else that decodes as text → text reader. A file
that cannot be read gives a document with one fatal problem; nothing raises.

The readers are imported lazily so that importing `openlint.read` (e.g. for `structure`)
stays cheap.
"""

from __future__ import annotations

import os
import re

from openlint.model import Document, Location, Problem

__all__ = ["read_document", "sniff"]

_SNIFF_BYTES = 4096
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_EXT_FORMAT = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".docm": "docx",
    ".dotx": "docx",
    ".dotm": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".doc": "doc",
    ".wps": "doc",  # WPS Office (金山) 文字, saved in Word's binary format
    ".et": "xls",  # WPS Office 表格, saved in Excel's binary format
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".mht": "html",
    ".mhtml": "html",
}
# A workbook Excel saves as a web page keeps the name .xls (and budget systems export their tables so):
# Excel opens it as a workbook, nothing is amiss with the name.
_SAVED_SO = {("xls", "html")}
_FORMAT_NAME = {
    "pdf": "PDF", "docx": "Word（.docx）", "doc": "Word（.doc）", "xlsx": "Excel（.xlsx）", "xls": "Excel（.xls）",
    "txt": "纯文本", "html": "网页（HTML）",
}
_BINARY = (
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩文件"),
    (b"{\\rtf", "RTF 文档"),
)


def sniff(head: bytes) -> str:
    """The kind of file the first bytes say it is: pdf, zip, ole, binary:<what>, xml-spreadsheet,
    json, html, text."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_ZIP_MAGICS):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    for magic, what in _BINARY:
        if head.startswith(magic):
            return "binary:" + what
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "html" if _is_html(head) else "text"  # UTF-16 with a byte-order mark
    if b"\x00" in head:
        return "binary:二进制文件"
    if _is_xml_spreadsheet(head):
        return "xml-spreadsheet"
    if _JSON_START.match(head.removeprefix(b"\xef\xbb\xbf")):
        return "json"
    return "html" if _is_html(head) or _is_web_archive(head) else "text"


def _is_xml_spreadsheet(head: bytes) -> bool:
    """An Excel 2003 XML Spreadsheet (SpreadsheetML): an XML document whose root is a Workbook in
    the office:spreadsheet namespace (saved as .xls or .xml by Excel and by budget systems)."""
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head \
        and re.search(rb"<(?:\w+:)?Workbook\b", head) is not None


# A JSON document (a site's API response saved as .html): an object with a key, or an array of
# objects, arrays or strings. No disclosure's text starts so.
_JSON_START = re.compile(rb'\s*(?:\{\s*"|\[\s*[\[{"\]])')
MSG_JSON = "内容是 JSON 数据（如网站接口的返回结果），不是网页或文档，无法检查（请在浏览器中打开网页后另存）"

_HTML_MARKS = ("<!doctype html", "<html", "<head", "<body", "<meta", "<table")


def _is_html(head: bytes) -> bool:
    """A web page: markup from the start (after a byte-order mark and white space) with one of the
    tags a page opens with near it."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[: len(head) // 2 * 2].decode("utf-16", "ignore")
    else:
        text = head.removeprefix(b"\xef\xbb\xbf").decode("ascii", "ignore")
    start = text.lstrip().lower()[:1024]
    return start.startswith("<") and any(mark in start for mark in _HTML_MARKS)


def _is_web_archive(head: bytes) -> bool:
    """A single-file web archive (.mht, .mhtml): MIME headers declaring a multipart/related body."""
    lower = head.lower()
    return lower.lstrip()[:1].isalpha() and b"mime-version:" in lower and b"multipart/related" in lower


def read_document(path: str) -> Document:
    """Read any supported file. Never raises: problems are returned in the document."""
    path = os.fspath(path)
    fmt = _EXT_FORMAT.get(os.path.splitext(path)[1].lower(), "unknown")
    try:
        return _read_document(path, fmt)
    except MemoryError:
        return _fatal(path, fmt, "文件过大，内存不足，未能读取")
    except Exception as exc:  # a reader bug must not take the run down
        return _fatal(path, fmt, f"读取文件时发生内部错误：{type(exc).__name__}: {exc}")


def _read_document(path: str, ext_fmt: str) -> Document:
    from openlint.read.text import file_problem, read_head

    reason = file_problem(path)
    if reason:
        return _fatal(path, ext_fmt, reason)
    head, err = read_head(path, _SNIFF_BYTES)
    if err:
        return _fatal(path, ext_fmt, err)
    if not head:
        return _fatal(path, ext_fmt, "文件为空（0 字节）")
    kind = sniff(head)
    if kind == "pdf":
        doc = _read_pdf(path)
        actual = "pdf"
    elif kind == "zip":
        doc, actual = _read_zip(path, ext_fmt)
    elif kind == "ole":
        from openlint.read.docx import MSG_OLE
        from openlint.read.xlsx import MSG_ENCRYPTED, is_doc, is_encrypted_ole, is_xls, read_xls

        if is_encrypted_ole(path):
            return _fatal(path, ext_fmt, MSG_ENCRYPTED)
        if is_xls(path) or (ext_fmt == "xls" and not is_doc(path)):
            doc, actual = read_xls(path), "xls"
        elif is_doc(path) or ext_fmt == "doc":
            from openlint.read.doc import read_doc

            doc, actual = read_doc(path), "doc"
        else:
            return _fatal(path, ext_fmt, MSG_OLE)
    elif kind == "xml-spreadsheet":
        from openlint.read.xlsx import read_xml_spreadsheet

        doc, actual = read_xml_spreadsheet(path), "xls"
    elif kind == "html":
        from openlint.read.html import read_html

        doc, actual = read_html(path), "html"
    elif kind == "json":
        return _fatal(path, ext_fmt, MSG_JSON)
    elif kind.startswith("binary:"):
        return _fatal(path, ext_fmt, f"无法识别的文件格式（{kind[7:]}），不是 PDF、Word、Excel、网页或文本文件")
    else:
        from openlint.read.text import read_text

        doc = read_text(path)
        actual = "txt"
    if ext_fmt != "unknown" and ext_fmt != actual and (ext_fmt, actual) not in _SAVED_SO and doc.readable:
        doc = doc.with_problem(
            Problem(
                f"扩展名与内容不符：内容是{_FORMAT_NAME[actual]}，已按{_FORMAT_NAME[actual]}读取",
                Location(file=path),
                info=True,
            )
        )
    return doc


def _read_zip(path: str, ext_fmt: str) -> tuple[Document, str]:
    """A zip holding an Excel workbook part is an .xlsx/.xlsm whatever its name says; any other
    zip goes to the .docx reader, which says what else it is. The zip is opened once for the
    look and the .docx reader."""
    from openlint.read._zip import open_zip
    from openlint.read.docx import read_docx
    from openlint.read.xlsx import read_xlsx

    try:
        package = open_zip(path, ".docx")
    except Exception:  # a damaged or oversized zip: the reader its name asks for reports it
        if ext_fmt == "xlsx":
            return read_xlsx(path), "xlsx"
        return read_docx(path), "docx"
    with package:
        if "xl/workbook.xml" in package.NameToInfo:
            return read_xlsx(path), "xlsx"
        return read_docx(path, package), "docx"


def _read_pdf(path: str) -> Document:
    try:
        from openlint.read.pdf import read_pdf
    except ImportError as exc:
        return _fatal(path, "pdf", f"PDF 读取器不可用，无法读取 PDF 文件（{exc}）")
    try:
        return read_pdf(path)
    except MemoryError:
        return _fatal(path, "pdf", "文件过大，内存不足，未能读取")
    except Exception as exc:
        return _fatal(path, "pdf", f"读取 PDF 时发生内部错误：{type(exc).__name__}: {exc}")


def _fatal(path: str, fmt: str, message: str) -> Document:
    return Document(path=path, format=fmt, problems=(Problem(message, Location(file=path), fatal=True),))
