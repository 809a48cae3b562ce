"""Input bounds of the parser, named in one place and checked before the expensive work.

A real 部门预算/决算 disclosure is a PDF of at most a few hundred pages (a
city's compiled volume: about a thousand), a spreadsheet of at most a few
thousand rows, or a Word file of a few megabytes of XML. The defaults sit
far above that and far below what exhausts a 2-core, 4 GB worker: every
refusal is a ``LimitExceeded`` with a stable ``code`` and a Chinese message,
raised before the work it protects (reading the file, loading pages,
inflating zip members, typing rows, splitting narrative).

Zip containers (XLSX, DOCX) are checked twice: the sizes the directory
declares, then the bytes actually inflated, streamed in chunks and counted
(a lying directory cannot inflate past the bound, and nothing is kept).
The same pass counts an XLSX's cell elements, so a workbook far beyond
any disclosure is refused in about a second, before openpyxl reads a row.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass

from parsers.errors import CorruptFile, LimitExceeded
from parsers.text import file_name

__all__ = ["InputLimits", "LIMITS", "read_regular_file", "check_size", "check_zip", "too_many_rows", "too_many_cells"]

_MB = 1024 * 1024


@dataclass(frozen=True)
class InputLimits:
    """Upper bounds of one file's parse (see the module docstring for the reasoning)."""

    file_bytes: int = 200 * _MB  # scanned PDFs of a few hundred pages: tens of MB
    pdf_pages: int = 3_000
    zip_members: int = 5_000
    zip_member_bytes: int = 64 * _MB  # one inflated sheet or document.xml
    zip_total_bytes: int = 256 * _MB  # all members inflated
    sheet_rows: int = 20_000  # rows of one workbook up to its last filled row, all sheets
    sheet_cells: int = 400_000  # cells of one workbook: cell elements in its XML, then rows × used width
    narrative_chars: int = 5_000_000  # text outside tables, whole file

    def mb(self, value: int) -> str:
        return f"{value / _MB:.0f} MB"


LIMITS = InputLimits()
_CHUNK = 1 * _MB
_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")  # <c r="A1" …>, <x:c …>, <c/>


def check_size(size: int, limits: InputLimits = LIMITS) -> None:
    if size > limits.file_bytes:
        raise LimitExceeded("file_too_large", f"文件大小 {size / _MB:.1f} MB，超过上限 {limits.mb(limits.file_bytes)}")


def read_regular_file(path: str | os.PathLike[str], limits: InputLimits = LIMITS) -> bytes:
    """The bytes of a regular file within the size bound; devices, pipes and folders are refused unread.

    Opened non-blocking so that a named pipe without a writer cannot hang the
    open; the file type is checked on the open descriptor (no race with a rename).
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise CorruptFile(f"无法读取文件 {file_name(path)}：{exc.strerror or exc}") from exc
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise LimitExceeded("not_a_regular_file", f"{file_name(path)} 不是普通文件（设备、管道或目录），不予读取")
        check_size(info.st_size, limits)
        try:
            data = handle.read(limits.file_bytes + 1)
        except OSError as exc:
            raise CorruptFile(f"无法读取文件 {file_name(path)}：{exc.strerror or exc}") from exc
    check_size(len(data), limits)  # the file grew while read
    return data


def check_zip(data: bytes, what: str, limits: InputLimits = LIMITS) -> None:
    """Refuse a zip container (XLSX/DOCX) whose members inflate past the bounds, before any reader inflates them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, ValueError) as exc:
        raise CorruptFile(f"{what}文件损坏（ZIP 结构无法读取）：{exc}") from exc
    if len(members) > limits.zip_members:
        raise LimitExceeded("too_many_members", f"{what}文件包含 {len(members)} 个部件，超过上限 {limits.zip_members}")
    declared = sum(info.file_size for info in members)
    biggest = max(members, key=lambda info: info.file_size, default=None)
    if biggest is not None and biggest.file_size > limits.zip_member_bytes:
        raise _member_too_large(what, biggest.filename, biggest.file_size, limits)
    if declared > limits.zip_total_bytes:
        raise _total_too_large(what, declared, limits)
    total = cells = 0
    for info in members:
        size = 0
        sheet = _SHEET.match(info.filename) is not None
        try:
            with archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    if size > limits.zip_member_bytes:
                        raise _member_too_large(what, info.filename, size, limits)
                    if total + size > limits.zip_total_bytes:
                        raise _total_too_large(what, total + size, limits)
                    cells += len(_CELL.findall(chunk)) if sheet else 0  # a tag cut by a chunk edge: off by one
                    if cells > limits.sheet_cells:
                        raise too_many_cells(limits)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
            raise CorruptFile(f"{what}文件损坏：部件 {info.filename} 无法解压（{exc}）") from exc
        total += size


def too_many_rows(limits: InputLimits) -> LimitExceeded:
    return LimitExceeded("too_many_rows", f"表格超过 {limits.sheet_rows} 行，远超任何预决算公开表，不予解析")


def too_many_cells(limits: InputLimits) -> LimitExceeded:
    return LimitExceeded("too_many_cells", f"表格超过 {limits.sheet_cells} 个单元格，远超任何预决算公开表，不予解析")


def _member_too_large(what: str, name: str, size: int, limits: InputLimits) -> LimitExceeded:
    return LimitExceeded(
        "zip_member_too_large",
        f"{what}文件的部件 {name} 解压后至少 {size / _MB:.0f} MB，超过上限 {limits.mb(limits.zip_member_bytes)}（疑似压缩炸弹）",
    )


def _total_too_large(what: str, size: int, limits: InputLimits) -> LimitExceeded:
    return LimitExceeded(
        "zip_too_large",
        f"{what}文件解压后至少 {size / _MB:.0f} MB，超过上限 {limits.mb(limits.zip_total_bytes)}（疑似压缩炸弹）",
    )
