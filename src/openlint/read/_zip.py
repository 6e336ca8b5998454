"""Zip containers (.docx, .xlsx) opened safely: shared by the readers of Office Open XML files.

A decompression bomb is refused from the central directory (entry count, each member's declared
size and compression ratio) before anything is inflated, and a member is read with a hard cap in
case its declared size lies.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

MAX_MEMBER_BYTES = 50 * 1024 * 1024  # a part that inflates beyond this is refused
MAX_RATIO = 200  # deflate ratio above which a part larger than RATIO_FLOOR is refused
RATIO_FLOOR = 1024 * 1024
MAX_ZIP_ENTRIES = 10000  # an Office file has tens of parts, a few hundred with many images
# Deflate cannot inflate a byte to more than 1032 (RFC 1951: a 258-byte match in under 2 bits): a
# member this small compressed stays under MAX_MEMBER_BYTES whatever size it declares.
MAX_DEFLATE_RATIO = 1032
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, (version … sizes), name length, extra length


class Unreadable(Exception):
    """The file cannot be read; the message is for the user."""


def entry_count(path: str) -> int | None:
    """The entry count in the end-of-central-directory record, read before zipfile builds an
    object per entry; None when there is no such record (zipfile then reports the damage)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 65557))
            tail = f.read()
    except OSError:
        return None
    i = tail.rfind(b"PK\x05\x06")
    if i < 0 or len(tail) < i + 22:
        return None
    count = int.from_bytes(tail[i + 10 : i + 12], "little")
    if count == 0xFFFF:  # ZIP64: the real count is in the zip64 record
        j = tail.rfind(b"PK\x06\x06", 0, i)
        if j >= 0 and len(tail) >= j + 40:
            return int.from_bytes(tail[j + 32 : j + 40], "little")
    return count


def open_zip(path: str, what: str) -> zipfile.ZipFile:
    """The zip at `path` (`what` names the expected kind of file in messages); raises `Unreadable`."""
    bad = f"文件已损坏或不完整，无法作为 {what}（zip 压缩包）打开"
    entries = entry_count(path)
    if entries is not None and entries > MAX_ZIP_ENTRIES:
        raise Unreadable(
            f"压缩包内文件数异常（{entries} 个，上限 {MAX_ZIP_ENTRIES}），不像 {what} 文件，未读取"
        )
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        raise Unreadable(bad) from None
    except OSError as exc:
        raise Unreadable(f"{bad}（{getattr(exc, 'strerror', None) or exc}）") from None


def check_member(info: zipfile.ZipInfo) -> None:
    """Refuse a member that would inflate too far (declared size, ratio) or is encrypted."""
    name = info.filename
    if info.file_size > MAX_MEMBER_BYTES:
        raise Unreadable(
            f"{name} 解压后过大（{info.file_size / 1048576:.0f} MB，上限 {MAX_MEMBER_BYTES // 1048576} MB），"
            "疑似压缩炸弹，未读取"
        )
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        raise Unreadable(f"{name} 压缩比异常（{ratio:.0f}:1），疑似压缩炸弹，未读取")
    if info.flag_bits & 0x1:
        raise Unreadable(f"{name} 已加密，暂不支持")


_METHODS = {9: "Deflate64", 10: "PKWARE DCL Implode", 93: "Zstandard", 95: "XZ", 98: "PPMd"}


def read_member(zf: zipfile.ZipFile, name: str) -> bytes:
    """A part's bytes, refusing decompression bombs before inflating them."""
    info = zf.getinfo(name)
    check_member(info)
    if info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size * MAX_DEFLATE_RATIO <= MAX_MEMBER_BYTES:
        return _inflate_at_once(zf, info)
    try:
        with zf.open(info) as f:
            data = f.read(MAX_MEMBER_BYTES + 1)
    except NotImplementedError:  # a compression method zipfile lacks (Deflate64, written by some zip tools)
        method = _METHODS.get(info.compress_type, f"编号 {info.compress_type}")
        raise Unreadable(f"{name} 使用了暂不支持的压缩方式（{method}），请用 Word 或 WPS 另存后再检查") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, RuntimeError, OSError):
        raise Unreadable(f"文件已损坏：{name} 无法解压") from None
    if len(data) > MAX_MEMBER_BYTES:  # the declared size lied
        raise Unreadable(f"{name} 解压后超过 {MAX_MEMBER_BYTES // 1048576} MB 上限，疑似压缩炸弹，未读取")
    return data


def _inflate_at_once(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A deflated member too small compressed to be a bomb, inflated in one call into a buffer of
    its declared size. `ZipExtFile` inflates into growing blocks that it then joins, and the
    memory of a part of a few hundred KB (a styles.xml of table styles) goes back to the system
    and faults in again for every document: several times the cost of inflating it."""
    bad = f"文件已损坏：{info.filename} 无法解压"
    fp = zf.fp
    if fp is None:
        raise Unreadable(bad)
    try:
        fp.seek(info.header_offset)
        signature, name_length, extra_length = _LOCAL_HEADER.unpack(fp.read(_LOCAL_HEADER.size))
        if signature != b"PK\x03\x04":
            raise Unreadable(bad)
        fp.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
        data = zlib.decompress(fp.read(info.compress_size), -15, info.file_size)
    except (struct.error, zlib.error, OSError, ValueError):
        raise Unreadable(bad) from None
    if zlib.crc32(data) != info.CRC:
        raise Unreadable(bad)
    return data
