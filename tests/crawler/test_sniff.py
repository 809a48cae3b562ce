"""Sniffing file types and decoding file names."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import pytest

from crawler.sniff import file_name_from, sniff_format


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, b"x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("body", "name", "expected"),
    [
        (b"%PDF-1.7\n...", "a.pdf", "pdf"),
        (b"\r\n%PDF-1.4\n", "a.pdf", "pdf"),
        (b"<!DOCTYPE html><html><body>\xe7\xb3\xbb\xe7\xbb\x9f\xe7\xb9\x81\xe5\xbf\x99</body></html>", "a.pdf", None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "t.xls", "xls"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "t.doc", "doc"),
        (b"Rar!\x1a\x07\x00", "a.rar", "rar"),
        (_zip(["xl/workbook.xml"]), "a.xlsx", "xlsx"),
        (_zip(["word/document.xml"]), "a.docx", "docx"),
        (_zip(["a.pdf", "b.pdf"]), "a.zip", "zip"),
        (b"", "a.pdf", None),
    ],
    # Explicit ids: zip bodies embed a timestamp, and xdist workers must
    # collect identical test ids.
    ids=["pdf", "pdf-after-crlf", "html-as-pdf", "xls", "doc", "rar", "xlsx", "docx", "zip", "empty"],
)
def test_sniff_reads_bytes_not_labels(body: bytes, name: str, expected: str | None) -> None:
    assert sniff_format(body, name) == expected


NAME = "2023年度中站区委部门决算.pdf"


def test_gbk_content_disposition() -> None:
    header = b'attachment; filename="' + NAME.encode("gbk") + b'"'
    assert file_name_from("http://x/downfile.jsp?id=1", header) == NAME


def test_rfc5987_content_disposition() -> None:
    header = f"attachment; filename*=UTF-8''{quote(NAME)}".encode()
    assert file_name_from("http://x/d", header) == NAME


def test_percent_encoded_utf8_url() -> None:
    assert file_name_from(f"http://x/files/{quote(NAME)}") == NAME


def test_percent_encoded_gbk_url() -> None:
    assert file_name_from(f"http://x/files/{quote(NAME.encode('gbk'))}") == NAME


def test_file_name_in_query() -> None:
    assert file_name_from("http://x/module/download/downfile.jsp?classid=0&filename=240925.pdf") == "240925.pdf"
