"""Spreadsheets (XLSX, XLS) → ``Block`` stream: one sheet is one page."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import xlrd

from parsers.errors import CorruptFile
from parsers.layout import Block, Grid, TextLine

__all__ = ["read_xlsx", "read_xls"]


def _cell_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        # Spreadsheets store binary floats; 2 decimals is how amounts print.
        return format(Decimal(repr(value)).quantize(Decimal("0.01")), "f") if value != int(value) else str(int(value))
    if isinstance(value, (int, Decimal)):
        return str(value)
    return str(value).strip() or None


def _sheet_blocks(rows: list[list[str | None]], page: int) -> list[Block]:
    """Single-cell rows around the grid are title/meta/note lines; the rest is the grid."""
    blocks: list[Block] = []
    grid: list[list[str | None]] = []
    for index, row in enumerate(rows):
        filled = [c for c in row if c]
        if not filled:
            continue
        if len(filled) == 1 and (not grid or filled[0].startswith(("注", "说明"))):
            if grid:
                blocks.append(Grid(rows=grid, page=page, top=float(index)))
                grid = []
            blocks.append(TextLine(text=filled[0], page=page, top=float(index)))
            continue
        if not grid and len(filled) <= 3 and all(len(c) < 30 for c in filled) and any("单位" in c or "部门" in c for c in filled):
            blocks.append(TextLine(text="  ".join(filled), page=page, top=float(index)))
            continue
        grid.append(row)
    if grid:
        blocks.append(Grid(rows=grid, page=page, top=float(len(rows))))
    return blocks


def read_xlsx(data: bytes) -> tuple[list[Block], int]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise CorruptFile(f"Excel 文件无法打开：{exc}") from exc
    blocks: list[Block] = []
    for page, sheet in enumerate(book.worksheets, start=1):
        rows = [[_cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        blocks.extend(_sheet_blocks(rows, page))
    return blocks, len(book.worksheets)


def read_xls(data: bytes) -> tuple[list[Block], int]:
    try:
        book = xlrd.open_workbook(file_contents=data)
    except xlrd.XLRDError as exc:
        raise CorruptFile(f"Excel 文件无法打开：{exc}") from exc
    blocks: list[Block] = []
    for page, sheet in enumerate(book.sheets(), start=1):
        rows = [[_cell_text(sheet.cell_value(r, c)) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
        blocks.extend(_sheet_blocks(rows, page))
    return blocks, book.nsheets
