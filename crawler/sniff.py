"""What a downloaded file really is, and what it is called.

Government servers label HTML error pages ``.pdf``, send GBK file names in
``Content-Disposition`` and percent-encode URLs in GBK or UTF-8; these
helpers read the bytes, not the labels.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import unquote_to_bytes, urlsplit

from parsers.sniff import detect_format
from parsers.text import decode_name

__all__ = ["sniff_format", "decode_name", "file_name_from", "DOCUMENT_EXTENSIONS"]

DOCUMENT_EXTENSIONS = (".pdf", ".xls", ".xlsx", ".doc", ".docx", ".zip", ".rar")


def sniff_format(body: bytes, name: str | None = None) -> str | None:
    """``pdf``, ``xlsx``, ``docx``, ``xls``, ``doc``, ``zip``, ``rar``, or
    ``None`` when the bytes are none of them (an HTML error page, say): the
    parser's sniffer, with what the crawler does not archive as a document left out.
    """
    fmt = detect_format(body, name)
    return None if fmt in ("html", "image") else fmt


_EXT_VALUE = re.compile(r"filename\*\s*=\s*([\w-]+)'[^']*'([^;]+)", re.I)
_PLAIN_VALUE = re.compile(rb"filename\s*=\s*(\"([^\"]*)\"|([^;]+))", re.I)


def _from_disposition(header: bytes) -> str | None:
    text = header.decode("latin-1")
    if match := _EXT_VALUE.search(text):  # RFC 5987: filename*=UTF-8''%E2%82%AC.pdf
        charset = match.group(1).lower()
        raw = unquote_to_bytes(match.group(2).strip())
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return decode_name(raw)
    if match := _PLAIN_VALUE.search(header):
        raw = (match.group(2) if match.group(2) is not None else match.group(3)).strip()
        if b"%" in raw:
            raw = unquote_to_bytes(raw.decode("latin-1"))
        return decode_name(raw) or None
    return None


def file_name_from(url: str, content_disposition: bytes | None = None) -> str | None:
    """The file's name: ``Content-Disposition`` first, else the URL path."""
    if content_disposition and (name := _from_disposition(content_disposition)):
        return PurePosixPath(name.replace("\\", "/")).name or None
    parts = urlsplit(url)
    query_name = re.search(r"(?:^|&)(?:filename|fileName|name)=([^&]+)", parts.query)
    raw = query_name.group(1) if query_name else parts.path.rsplit("/", 1)[-1]
    return decode_name(unquote_to_bytes(raw)) or None
