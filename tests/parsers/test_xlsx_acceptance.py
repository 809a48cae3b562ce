"""Acceptance 3: an XLSX rendering of a seed's tables yields the same line items as its PDF.

Line items are compared as a multiset of (table id, code, name, column key,
amount) over the identified (standard) tables: everything but page/row
provenance, which differs by construction (one sheet per table). Whitespace
inside names is ignored: a header cell wrapped onto two printed lines is
layout, not content.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from demo.render_pdf import RenderManifest
from demo.seeds import SeedDocument
from parsers import ParsedDocument, parse_bytes, parse_file

SEEDS = ["000", "001", "002", "003", "004"]
LineKey = tuple[str | None, str | None, str, str, Decimal]


def _line_items(doc: ParsedDocument) -> Counter[LineKey]:
    return Counter(
        (table.id, item.code, re.sub(r"\s+", "", item.name), item.column_key, item.amount)
        for table in doc.tables
        if table.id
        for item in table.items
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_xlsx_yields_the_same_line_items_as_pdf(
    seed: str,
    seed_xlsx: Mapping[str, Path],
    rendered_seeds: Mapping[tuple[str, str], tuple[Path, RenderManifest]],
) -> None:
    pdf, _manifest = rendered_seeds[(seed, "ruled_portrait")]
    from_pdf = _line_items(parse_file(pdf))
    from_xlsx = _line_items(parse_file(seed_xlsx[seed]))
    assert sum(from_pdf.values()) > 0
    only_pdf, only_xlsx = from_pdf - from_xlsx, from_xlsx - from_pdf
    assert not only_pdf and not only_xlsx, {"only in PDF": only_pdf, "only in XLSX": only_xlsx}


@pytest.mark.parametrize("seed", SEEDS)
def test_xlsx_finds_every_standard_table_on_its_sheet(
    seed: str, seed_docs: dict[str, SeedDocument], seed_xlsx: Mapping[str, Path]
) -> None:
    doc = parse_file(seed_xlsx[seed])
    seed_doc = seed_docs[seed]
    assert doc.source.format == "xlsx"
    assert doc.kind is not None and doc.kind.value == seed_doc.kind
    for index, table in enumerate(seed_doc.tables):
        if table.canonical_id is None:
            continue
        parsed = doc.table(table.canonical_id)
        assert parsed is not None, table.canonical_id
        assert parsed.pages == [index + 1], table.canonical_id  # one sheet per table


def _workbook(rows: list[list[object]], formats: dict[tuple[int, int], str], merges: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for (r, c), number_format in formats.items():
        sheet.cell(row=r, column=c).number_format = number_format
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_sheet_cells_print_as_their_number_format_and_merges_name_columns() -> None:
    data = _workbook(
        [
            ["财政拨款“三公”经费支出预算表"],
            [None, None, None, "单位：万元"],
            ["合计", "因公出国（境）费", "公务用车购置及运行维护费", None],
            [None, None, "公务用车购置费", "公务用车运行维护费"],
            [12, 0.1 + 0.2, 5.5, Decimal("6.5")],
        ],
        {(5, 1): "0.00", (5, 2): "#,##0.00", (5, 3): "0.00"},
        ["C3:D3", "A3:A4", "B3:B4"],
    )
    doc = parse_bytes(data, "三公.xlsx")
    table = doc.table("budget_three_public")
    assert table is not None and table.unit == "万元"
    assert table.rows == [["12.00", "0.30", "5.50", "6.5"]]
    keys = {item.column_key: item.amount for item in table.items}
    assert keys == {
        "total": Decimal("12.00"),
        "abroad": Decimal("0.30"),
        "vehicle_purchase": Decimal("5.50"),
        "vehicle_operation": Decimal("6.5"),
    }
