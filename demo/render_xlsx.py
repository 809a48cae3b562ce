"""Render a SeedDocument's tables as an XLSX workbook, one sheet per table.

Amount cells are written as numbers (from the ``Decimal`` ground truth, via
its string form, so nothing is rounded through float) with format ``0.00``;
codes, 行次 and text stay strings. Merged header cells are merged.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from demo.header import header_spans
from demo.seeds import SeedDocument, SeedTable, numeric_cells

__all__ = ["render_xlsx", "sheet_name"]

NUMBER_FORMAT = "0.00"


def sheet_name(table: SeedTable, index: int) -> str:
    """A unique, valid sheet title: the table's position and title."""
    title = re.sub(r"[\[\]:*?/\\]", "", table.title or "表")
    return f"{index + 1:02d}{title}"[:31]


def _write_table(sheet: Worksheet, table: SeedTable) -> None:
    width = max(table.width, 1)
    sheet.append([table.title or ""])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    meta = [table.label, table.department_line, table.year_line, table.unit_line]
    sheet.append([text for text in meta if text] or [""])
    top = sheet.max_row + 1
    for row in table.header_rows:
        sheet.append(row)
    for span in header_spans(table.header_rows):
        if span.rows > 1 or span.cols > 1:
            sheet.merge_cells(
                start_row=top + span.row,
                start_column=span.col + 1,
                end_row=top + span.row + span.rows - 1,
                end_column=span.col + span.cols,
            )
    first_body = sheet.max_row + 1
    numbers = {(r, c): value for r, c, value in numeric_cells(table)}
    for r, row in enumerate(table.body_rows):
        sheet.append([text if text else None for text in row])
        for c in range(len(row)):
            if (r, c) in numbers:
                cell = sheet.cell(row=first_body + r, column=c + 1)
                cell.value = numbers[(r, c)]
                cell.number_format = NUMBER_FORMAT
    for note in table.notes + ([table.empty_note] if table.empty_note else []):
        sheet.append([note])
    for c in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 14


def render_xlsx(seed: SeedDocument, out: Path) -> Path:
    """Write every table of ``seed`` to the workbook ``out``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    book.remove(book.active)
    for index, table in enumerate(seed.tables):
        _write_table(book.create_sheet(sheet_name(table, index)), table)
    book.properties.title = " ".join(seed.title_lines)
    book.save(out)
    return out
