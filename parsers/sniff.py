"""What a file really is, from its first bytes (never from its name)."""

from __future__ import annotations

import io
import zipfile

from parsers.errors import EmptyFile, UnsupportedFormat
from parsers.html_source import looks_like_html

__all__ = ["sniff_format"]


def sniff_format(data: bytes) -> str:
    """``pdf``, ``xlsx``, ``docx``, ``xls``, ``doc`` or ``html``; raise for anything else."""
    if not data.strip():
        raise EmptyFile("文件为空")
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as exc:
            raise UnsupportedFormat("ZIP 文件损坏") from exc
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
        raise UnsupportedFormat("压缩包不是 Excel/Word 文件，请先解压")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls" if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in data[:65536] or b"Workbook" in data else "doc"
    if looks_like_html(head):
        return "html"  # a page that is the disclosure, or an error page: read_html tells them apart
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")):
        raise UnsupportedFormat("这是一张图片，不是预决算文件；请提供 PDF")
    raise UnsupportedFormat("无法识别的文件格式（支持 PDF、XLSX、XLS、DOCX、DOC）")
