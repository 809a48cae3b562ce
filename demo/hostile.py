"""Hostile inputs, generated: the cases of issue 9 as bytes, for tests and benchmarks.

Nothing here is committed as a binary; every file is built on demand from a
size and a seed, so a test states the case it means (1,100 one-row summary
pages, a 3 GiB XLSX sheet in 3 MB, a damaged page …) rather than carrying it.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

__all__ = [
    "summary_pages_pdf",
    "big_xlsx",
    "xlsx_bomb",
    "docx_bomb",
    "malformed_xls",
    "byte_flips",
    "gbk_name",
]

FONT = "STSong-Light"
TITLE = "2024年部门收支总表"
_ITEMS = ("一般公共预算拨款收入", "政府性基金预算拨款收入", "事业收入", "经营收入", "其他收入", "上年结转")


def _font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def summary_pages_pdf(pages: int, rows: int = 0) -> bytes:
    """``pages`` ruled pages, each titled 2024年部门收支总表 with ``rows`` figure rows and a 合计 row.

    ``rows=0`` is the recursion case of issue 9 (each page one 合计 row);
    ``rows`` > 0 gives pages that look like tables throughout.
    """
    _font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(595, 842))
    left, right, middle, line = 60.0, 535.0, 380.0, 22.0
    for page in range(pages):
        pdf.setFont(FONT, 16)
        pdf.drawCentredString(297, 790, TITLE)
        pdf.setFont(FONT, 10)
        pdf.drawString(left, 765, "单位：万元")
        body = [(_ITEMS[r % len(_ITEMS)], Decimal(1000 + 37 * r + page) / 100) for r in range(rows)]
        printed = [("项目", "金额"), *((name, f"{amount:,.2f}") for name, amount in body)]
        printed.append(("合计", f"{sum((a for _, a in body), Decimal(0)) or Decimal(page + 1):,.2f}"))
        top = 750.0
        for index, (name, amount) in enumerate(printed):
            y = top - index * line
            pdf.line(left, y, right, y)
            pdf.drawString(left + 4, y - 15, name)
            pdf.drawRightString(right - 4, y - 15, amount)
        bottom = top - len(printed) * line
        pdf.line(left, bottom, right, bottom)
        for x in (left, middle, right):
            pdf.line(x, top, x, bottom)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def big_xlsx(rows: int) -> bytes:
    """A one-sheet 部门支出预算表 of ``rows`` item rows with its title, unit, header and 合计.

    The sheet XML is written directly (streamed into the zip): a million rows
    take seconds, where openpyxl's writer takes a quarter of an hour.
    """
    book = Workbook()
    book.active["A1"] = 1.0
    book.active["A1"].number_format = "0.00"  # cell style 1: amounts print with two decimals
    template = io.BytesIO()
    book.save(template)

    def text(ref: str, value: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'

    def amount(ref: str, value: Decimal) -> str:
        return f'<c r="{ref}" s="1"><v>{value}</v></c>'

    def sheet() -> Iterator[bytes]:
        yield b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        head = [["2024年部门支出预算表"], ["单位：万元"], ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]
        for r, cells in enumerate(head, start=1):
            yield f'<row r="{r}">{"".join(text(f"{chr(65 + c)}{r}", v) for c, v in enumerate(cells))}</row>'.encode()
        total = Decimal(0)
        chunk: list[str] = []
        for n in range(rows):
            r = n + 4
            basic, project = Decimal(100 + n % 997) / 100, Decimal(n % 89) / 100
            total += basic + project
            code = f"2{n % 13 + 1:02d}{n % 90 + 10:02d}{n % 99 + 1:02d}"  # 类|款|项, seven digits
            chunk.append(f'<row r="{r}">{text(f"A{r}", code)}{text(f"B{r}", f"支出项目{n}")}'
                         f'{amount(f"C{r}", basic + project)}{amount(f"D{r}", basic)}{amount(f"E{r}", project)}</row>')
            if len(chunk) == 10_000:
                yield "".join(chunk).encode()
                chunk.clear()
        r = rows + 4
        chunk.append(f'<row r="{r}">{text(f"B{r}", "合计")}{amount(f"C{r}", total)}</row>')
        yield ("".join(chunk) + "</sheetData></worksheet>").encode()

    return _zip_with("xl/worksheets/sheet1.xml", sheet(), template.getvalue())


def _zip_with(member: str, chunks: Iterator[bytes], template: bytes) -> bytes:
    """``template`` (a valid XLSX/DOCX) with ``member`` replaced by the streamed ``chunks``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,  # level 1: ~50 MB/s inflated
    ):
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info))
        with target.open(member, "w", force_zip64=True) as handle:
            for chunk in chunks:
                handle.write(chunk)
    return out.getvalue()


def _repeated(head: bytes, unit: bytes, inflated: int, tail: bytes) -> Iterator[bytes]:
    yield head
    block = unit * max(1, (1 << 20) // len(unit))
    for _ in range(max(1, inflated // len(block))):
        yield block
    yield tail


def xlsx_bomb(inflated: int = 3 << 30) -> bytes:
    """An XLSX whose one sheet inflates to ``inflated`` bytes of rows (3 GiB: about 20 MB on disk, a minute to build)."""
    book = Workbook()
    book.active.append(["2024年部门收支总表"])
    template = io.BytesIO()
    book.save(template)
    ns = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    row = b'<row><c t="inlineStr"><is><t>1</t></is></c></row>'
    return _zip_with("xl/worksheets/sheet1.xml", _repeated(ns, row, inflated, b"</sheetData></worksheet>"), template.getvalue())


def docx_bomb(inflated: int = 3 << 30) -> bytes:
    """A DOCX whose document.xml is one text node of ``inflated`` bytes."""
    import docx  # python-docx: loaded only when a DOCX case is built

    template = io.BytesIO()
    docx.Document().save(template)
    head = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>")
    return _zip_with("word/document.xml", _repeated(head, b"A", inflated, b"</w:t></w:r></w:p></w:body></w:document>"),
                     template.getvalue())


def malformed_xls() -> bytes:
    """An OLE2 compound-file header with a broken sector table: looks like an XLS, xlrd fails (CompDocError)."""
    header = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    header[0x1C:0x1E] = b"\xfe\xff"  # little-endian marker
    header[0x1E:0x20] = (9).to_bytes(2, "little")  # 512-byte sectors
    header[0x20:0x22] = (6).to_bytes(2, "little")  # 64-byte mini sectors
    header[0x2C:0x30] = (1).to_bytes(4, "little")  # one FAT sector …
    header[0x4C:0x50] = (0x7FFFFFF0).to_bytes(4, "little")  # … far beyond the file
    body = "Workbook".encode("utf-16-le") + bytes(range(256)) * 8
    return bytes(header) + body


def byte_flips(data: bytes, seed: int, flips: int = 40, keep_head: int = 1024) -> bytes:
    """``data`` with ``flips`` random bytes replaced (a fixed ``seed`` gives the same mutant); the
    first ``keep_head`` bytes stay, so the format is still recognised and the damage lies in the body."""
    rng = random.Random(seed)
    mutant = bytearray(data)
    for _ in range(flips):
        mutant[rng.randrange(min(keep_head, len(data) - 1), len(data))] = rng.randrange(256)
    return bytes(mutant)


def gbk_name(directory: Path, name: str) -> Path:
    """A path whose file name is ``name`` in GBK bytes, as Chinese Windows tools and zips leave them
    (on a UTF-8 system Python sees it with surrogate escapes)."""
    import os

    return Path(os.fsdecode(os.fsencode(directory) + b"/" + name.encode("gbk")))
