"""What a file really is, from its bytes (its name only breaks a tie the bytes leave).

``detect_format`` is the one sniffer: the crawler asks it what it downloaded
(``crawler.sniff``), the parser asks it what it reads (``sniff_format``,
which refuses what it cannot read with a Chinese message).
"""

from __future__ import annotations

import io
import zipfile

from parsers.errors import EmptyFile, UnsupportedFormat
from parsers.html_source import looks_like_html

__all__ = ["detect_format", "sniff_format"]

_OLE2 = b"\xd0\xcf\x11\xe0"
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")


def _ole2_flavour(data: bytes, name: str | None) -> str:
    """xls or doc: the OLE2 stream names say which; a body cut short leaves the name to tell."""
    window = data[:1 << 20]
    if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in window or b"Workbook" in window:
        return "xls"
    if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in window:
        return "doc"
    if name is not None:
        return "doc" if name.lower().endswith(".doc") else "xls"
    return "doc"


def _zip_flavour(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return "zip"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        return "docx"
    return "zip"


def detect_format(data: bytes, name: str | None = None) -> str | None:
    """``pdf``, ``xlsx``, ``docx``, ``xls``, ``doc``, ``zip``, ``rar``, ``html``,
    ``image``, or ``None`` when the bytes are none of them (or empty)."""
    head = data[:1024]
    stripped = head.lstrip()
    if not data.strip():
        return None
    if stripped.startswith(b"%PDF-") or (b"%PDF-" in head and not stripped.startswith(b"<")):
        return "pdf"
    if data.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if data.startswith(b"PK\x03\x04"):
        return _zip_flavour(data)
    if data.startswith(_OLE2):
        return _ole2_flavour(data, name)
    if looks_like_html(head):
        return "html"
    if head.startswith(_IMAGES):
        return "image"
    return None


def sniff_format(data: bytes) -> str:
    """``pdf``, ``xlsx``, ``docx``, ``xls``, ``doc`` or ``html``; raise for anything else."""
    fmt = detect_format(data)
    if fmt is None and not data.strip():
        raise EmptyFile("文件为空")
    if fmt in ("pdf", "xlsx", "docx", "xls", "doc", "html"):
        return fmt
    if fmt == "zip":
        raise UnsupportedFormat("压缩包不是 Excel/Word 文件（或已损坏），请先解压")
    if fmt == "rar":
        raise UnsupportedFormat("RAR 压缩包，请先解压")
    if fmt == "image":
        raise UnsupportedFormat("这是一张图片，不是预决算文件；请提供 PDF")
    raise UnsupportedFormat("无法识别的文件格式（支持 PDF、XLSX、XLS、DOCX、DOC）")
