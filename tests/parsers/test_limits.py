"""Issue 9: input bounds refused before the work, damaged parts read around, linear document splitting."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from demo.hostile import big_xlsx, byte_flips, docx_bomb, malformed_xls, summary_pages_pdf, xlsx_bomb
from parsers import CorruptFile, ParseError, parse_bytes, parse_file
from parsers.errors import LimitExceeded
from parsers.limits import LIMITS

SMALL = replace(LIMITS, zip_member_bytes=8 << 20, zip_total_bytes=16 << 20)


def _refused(code: str, data: bytes, name: str, limits=LIMITS) -> LimitExceeded:  # noqa: ANN001
    with pytest.raises(LimitExceeded) as raised:
        parse_bytes(data, name, limits=limits)
    assert raised.value.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(raised.value))
    return raised.value


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_only_regular_files_are_read(device: str) -> None:
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as raised:
        parse_file(device)
    assert raised.value.code == "not_a_regular_file"
    assert time.monotonic() - started < 2


def test_a_named_pipe_without_writer_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with pytest.raises(LimitExceeded, match="不是普通文件"):
        parse_file(fifo)


def test_file_size_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"0" * 2048)
    with pytest.raises(LimitExceeded) as raised:
        parse_file(path, limits=replace(LIMITS, file_bytes=1024))
    assert raised.value.code == "file_too_large"


def test_pdf_pages_are_bounded() -> None:
    _refused("too_many_pages", summary_pages_pdf(5), "p.pdf", replace(LIMITS, pdf_pages=4))
    assert parse_bytes(summary_pages_pdf(4), "p.pdf", limits=replace(LIMITS, pdf_pages=4)).source.page_count == 4


@pytest.mark.parametrize(("build", "name"), [(xlsx_bomb, "bomb.xlsx"), (docx_bomb, "bomb.docx")])
def test_zip_bombs_are_refused_before_inflating(build, name: str) -> None:  # noqa: ANN001
    data = build(24 << 20)  # 24 MB inflated, in well under 1 MB
    assert len(data) < 1 << 20
    started = time.monotonic()
    error = _refused("zip_member_too_large", data, name, SMALL)
    assert "压缩炸弹" in str(error)
    assert time.monotonic() - started < 5


def test_a_lying_zip_directory_is_caught_while_inflating() -> None:
    data = bytearray(xlsx_bomb(12 << 20))
    # Declare the sheet 1 KB in the central directory: only the inflated bytes tell.
    directory = data.rfind(b"PK\x01\x02", 0, data.rfind(b"xl/worksheets/sheet1.xml"))
    assert directory > 0
    data[directory + 24:directory + 28] = (1024).to_bytes(4, "little")
    with pytest.raises(ParseError):  # too large, or corrupt (a size that disagrees with the data)
        parse_bytes(bytes(data), "lying.xlsx", limits=SMALL)


def test_workbook_rows_and_cells_are_bounded() -> None:
    _refused("too_many_cells", big_xlsx(2_000), "cells.xlsx", replace(LIMITS, sheet_cells=5_000))
    _refused("too_many_rows", big_xlsx(2_000), "rows.xlsx", replace(LIMITS, sheet_rows=500))


def test_line_items_are_the_printed_amount_cells() -> None:
    doc = parse_bytes(big_xlsx(300), "items.xlsx")
    (table,) = doc.tables
    assert table.id == "budget_expense"
    assert len(table.items) == 300 * 3 + 1  # 合计, 基本支出, 项目支出 per row, and the 合计 line's total


def test_narrative_length_is_bounded() -> None:
    _refused("narrative_too_long", summary_pages_pdf(3), "p.pdf", replace(LIMITS, narrative_chars=20))


def test_malformed_xls_is_a_corrupt_file() -> None:
    with pytest.raises(CorruptFile, match="Excel"):
        parse_bytes(malformed_xls(), "bad.xls")


def test_a_damaged_page_is_skipped_with_a_warning_and_the_rest_read() -> None:
    data = summary_pages_pdf(6, rows=3)
    start = data.find(b"/Type /Page", data.find(b"/Type /Page") + 1)
    # Break one page object's dictionary: pdfium cannot load that page, the others stand.
    damaged = data[:start] + b"/Type /Qage" + data[start + len(b"/Type /Page"):]
    doc = parse_bytes(damaged, "damaged.pdf")
    warnings = [w for w in doc.warnings if w.code == "page_damaged"]
    read = [doc, *doc.parts]
    assert warnings and all(w.page for w in warnings)
    assert 1 <= len(warnings) < 6 and len(read) == 6 - len(warnings)


def test_byte_flip_mutants_never_raise_anything_but_parse_errors() -> None:
    data = summary_pages_pdf(4, rows=3)
    for seed in range(12):
        try:
            parse_bytes(byte_flips(data, seed), "m.pdf")
        except ParseError:
            pass


@pytest.mark.slow
def test_1100_one_row_summary_pages_split_without_recursion() -> None:
    doc = parse_bytes(summary_pages_pdf(1_100), "many.pdf")
    assert len(doc.parts) == 1_099
    assert sum(w.code == "several_documents" for d in (doc, *doc.parts) for w in d.warnings) == 1_099
