"""XLSX workbooks hold the figures as numbers; scanned PDFs hold no text."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

from demo.errors import DemoError
from demo.render_pdf import RenderManifest
from demo.render_scanned import render_scanned
from demo.render_xlsx import sheet_name
from demo.seeds import SeedDocument, numeric_cells


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_xlsx_sheets_hold_every_figure_as_a_number(
    seed_docs: dict[str, SeedDocument], seed_xlsx: Mapping[str, Path], name: str
) -> None:
    seed = seed_docs[name]
    book = openpyxl.load_workbook(seed_xlsx[name])
    assert book.sheetnames == [sheet_name(t, i) for i, t in enumerate(seed.tables)]
    for index, table in enumerate(seed.tables):
        sheet = book[sheet_name(table, index)]
        assert (sheet.cell(row=1, column=1).value or "") == (table.title or "")
        first_body = 3 + len(table.header_rows)
        for r, c, value in numeric_cells(table):
            cell = sheet.cell(row=first_body + r, column=c + 1)
            assert isinstance(cell.value, (int, float)), (table.title, r, c, cell.value)
            assert Decimal(str(cell.value)) == value
            assert cell.number_format == "0.00"


def test_xlsx_merges_the_three_public_header(
    seed_docs: dict[str, SeedDocument], seed_xlsx: Mapping[str, Path]
) -> None:
    seed = seed_docs["003"]
    index = seed.tables.index(seed.table("final_three_public"))
    sheet = openpyxl.load_workbook(seed_xlsx["003"])[sheet_name(seed.tables[index], index)]
    merged = {str(rng) for rng in sheet.merged_cells.ranges}
    # row 3 is the first header row: 预算数 over columns A-F, 决算数 over G-L
    assert {"A3:F3", "G3:L3"} <= merged
    assert sheet["A3"].value == "预算数" and sheet["G3"].value == "决算数"
    assert sheet["A7"].value == 12.22  # the single data row after 4 header rows


def test_scanned_pdf_has_no_text_layer(
    seed_scanned: Mapping[tuple[str, str], tuple[Path, RenderManifest]],
    rendered_seeds: Mapping[tuple[str, str], tuple[Path, RenderManifest]],
) -> None:
    scanned, manifest = seed_scanned[("002", "rotated")]
    source, _ = rendered_seeds[("002", "rotated")]
    with pdfplumber.open(scanned) as pdf, pdfplumber.open(source) as original:
        assert len(pdf.pages) == manifest.page_count == len(original.pages)
        assert all(not page.chars and page.images for page in pdf.pages)
        assert any(original.pages[n - 1].chars for n in manifest.tables[0].pages)
        # the turned table pages are scanned upright, as landscape images
        turned = manifest.tables[0].pages[0] - 1
        assert pdf.pages[turned].width > pdf.pages[turned].height


def test_scanning_a_non_pdf_fails_cleanly(tmp_path: Path) -> None:
    bogus = tmp_path / "not.pdf"
    bogus.write_text("hello")
    with pytest.raises(DemoError):
        render_scanned(bogus, tmp_path / "out.pdf")
