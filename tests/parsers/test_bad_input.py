"""Acceptance 5: bad input gives a clear error or warning, and a non-zero exit where nothing was read."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from budgetwatch.cli import app
from parsers import EmptyFile, EncryptedFile, ParseError, UnsupportedFormat, parse_bytes


def _pdf(path: Path, pages: int, encrypt: str | None = None) -> bytes:
    c = canvas.Canvas(str(path), encrypt=encrypt)
    for n in range(pages):
        c.drawString(72, 720, f"page {n + 1} text without any table")
        c.showPage()
    c.save()
    return path.read_bytes()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyFile),
        (b"<!DOCTYPE html><html><body>404 Not Found</body></html>", UnsupportedFormat),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, UnsupportedFormat),
    ],
)
def test_non_documents_are_rejected_with_a_clear_error(data: bytes, error: type[ParseError]) -> None:
    with pytest.raises(error) as raised:
        parse_bytes(data, "x.pdf")
    assert str(raised.value)


def test_truncated_pdf_is_an_error(tmp_path: Path) -> None:
    data = _pdf(tmp_path / "a.pdf", 3)
    with pytest.raises(ParseError):
        parse_bytes(data[: len(data) // 3], "a.pdf")


def test_encrypted_pdf_is_an_error(tmp_path: Path) -> None:
    data = _pdf(tmp_path / "e.pdf", 1, encrypt="secret")
    with pytest.raises(EncryptedFile):
        parse_bytes(data, "e.pdf")


def test_300_pages_without_tables_warn(tmp_path: Path) -> None:
    doc = parse_bytes(_pdf(tmp_path / "long.pdf", 300), "long.pdf")
    assert doc.source.page_count == 300
    assert doc.tables == []
    assert {w.code for w in doc.warnings} & {"no_standard_table", "nothing_read"}


def test_cli_exit_codes(tmp_path: Path) -> None:
    html = tmp_path / "error.pdf"
    html.write_text("<html><body>系统繁忙</body></html>", encoding="utf-8")
    result = CliRunner().invoke(app, ["parse", str(html)])
    assert result.exit_code == 2
    assert "HTML" in result.output
