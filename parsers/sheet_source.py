"""Spreadsheets (XLSX, XLS) → ``Block`` stream: one sheet is one page.

A sheet lays a table out as a PDF page does: title row, label/department/
year/unit cells, header rows with merged cells, body, 注 rows. Rows above the
grid become text lines (one per meta cell, so the assembler reads each as it
reads a printed line); merged ranges become the grid's ``origins``; numbers
are printed as the cell's number format shows them (``0.00`` → two decimals).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

import openpyxl
import xlrd
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.cell_range import CellRange

from parsers.errors import CorruptFile, LimitExceeded
from parsers.layout import Block, Grid, TextLine
from parsers.limits import LIMITS, InputLimits, too_many_cells, too_many_rows
from parsers.registry import looks_like_title

__all__ = ["read_xlsx", "read_xls"]

_LABEL_CELL = re.compile(
    r"^((公开|预算|决算|部门|单位)?\s*(\d{1,2}|[一二三四五六七八九十]+)\s*表"
    r"|(公开)?表\s*[一二三四五六七八九十\d]+"
    r"|附表\s*\d+)$"
)
_META_CELL = re.compile(
    r"^((预算|决算)?(编制)?(部门|单位)(名称)?\s*[:：].*"
    r"|(金额)?单位\s*[:：]\s*(万元|元|千元|亿元)"
    r"|(19|20)\d{2}\s*年度?)$"
)
_DECIMALS = re.compile(r"0\.(0+)")


@dataclass
class _Sheet:
    """A sheet's cells as text, and its merged ranges (0-based, inclusive)."""

    rows: list[list[str | None]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1


def _number_text(value: float | int | Decimal, number_format: str) -> str:
    """A numeric cell as printed: the format's decimals, else the shortest exact form."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    percent = "%" in number_format
    if percent:
        number *= 100
    decimals = _DECIMALS.search(number_format)
    if decimals:
        number = number.quantize(Decimal(1).scaleb(-len(decimals.group(1))))
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return format(number, "f") + ("%" if percent else "")


def _cell_text(value: object, number_format: str = "General") -> str | None:
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, (int, float, Decimal)):
        return _number_text(value, number_format)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip() or None


def _is_meta_row(filled: list[str]) -> bool:
    return all(_LABEL_CELL.match(cell) or _META_CELL.match(cell) for cell in filled)


def _meta_line(cell: str, page: int, top: float) -> TextLine:
    # A label cell is one token (公开01表): spaces in it are typesetting, not word breaks.
    return TextLine(text=re.sub(r"\s+", "", cell) if _LABEL_CELL.match(cell) else cell, page=page, top=top)


def _origins(merges: list[tuple[int, int, int, int]], first: int, last: int) -> dict[tuple[int, int], tuple[int, int]]:
    """Merged positions of sheet rows first..last, relative to the grid's first row."""
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in merges:
        if r0 < first or r0 > last:
            continue
        for r in range(r0, min(r1, last) + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    origins[(r - first, c)] = (r0 - first, c0)
    return origins


def _sheet_blocks(sheet: _Sheet, page: int) -> list[Block]:
    """Rows before the grid are title and meta lines; 注/说明 rows after it are lines; the rest is grid."""
    blocks: list[Block] = []
    grid: list[list[str | None]] = []
    grid_start = 0
    title_seen = False

    def flush(end: int) -> None:
        if grid:
            blocks.append(Grid(rows=list(grid), page=page, top=float(grid_start), origins=_origins(sheet.merges, grid_start, end)))
            grid.clear()

    for index, row in enumerate(sheet.rows):
        filled = [c for c in row if c]
        if not filled:
            continue
        single = len(filled) == 1
        meta = _is_meta_row(filled)
        note = single and filled[0].startswith(("注", "备注", "说明"))
        if not grid and (meta or (single and (not title_seen or looks_like_title(filled[0])))):
            # Each meta cell is its own line, as label, department, year and unit print on a page.
            blocks.extend(_meta_line(cell, page, float(index)) for cell in filled)
            title_seen = title_seen or not meta
            continue
        if note or (grid and single and meta):
            flush(index - 1)
            blocks.append(TextLine(text=filled[0], page=page, top=float(index)))
            continue
        if grid and single and looks_like_title(filled[0]):
            flush(index - 1)  # a second table on the same sheet
            blocks.append(TextLine(text=filled[0], page=page, top=float(index)))
            title_seen = True
            continue
        if not grid:
            grid_start = index
        grid.append(row)
    flush(len(sheet.rows) - 1)
    return blocks


def _trimmed(rows: list[list[str | None]]) -> list[list[str | None]]:
    """Rows cut to the widest filled column (sheets often carry empty formatted columns)."""
    width = max((i + 1 for row in rows for i, c in enumerate(row) if c), default=0)
    return [row[:width] + [None] * (width - len(row[:width])) for row in rows]


class _RowBudget:
    """Rows and cells a workbook may still use (``InputLimits.sheet_rows``/``sheet_cells``), counted while streaming."""

    def __init__(self, limits: InputLimits) -> None:
        self.limits = limits
        self.rows = 0
        self.cells = 0

    def check(self, rows: int, width: int) -> None:
        """Refuse once the rows read so far (this sheet's ``rows`` × ``width`` on top of earlier sheets) pass a bound."""
        if self.rows + rows > self.limits.sheet_rows:
            raise too_many_rows(self.limits)
        if self.cells + rows * width > self.limits.sheet_cells:
            raise too_many_cells(self.limits)

    def spend(self, rows: int, width: int) -> None:
        self.check(rows, width)
        self.rows += rows
        self.cells += rows * width


def _dense(cells: dict[tuple[int, int], str], height: int, width: int) -> list[list[str | None]]:
    rows: list[list[str | None]] = [[None] * width for _ in range(height)]
    for (r, c), text in cells.items():
        rows[r][c] = text
    return rows


def _xlsx_sheet(book: Workbook, sheet: ReadOnlyWorksheet, budget: _RowBudget) -> _Sheet:
    """One sheet, streamed: bounded before any grid is built.

    openpyxl's read-only mode streams rows but does not expose merged ranges;
    its own sheet parser collects them while streaming (private API of the
    pinned openpyxl 3.1.5, hence here only).
    """
    cells: dict[tuple[int, int], str] = {}
    height = width = 0
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source, sheet._shared_strings, data_only=True, epoch=book.epoch,
            date_formats=book._date_formats, timedelta_formats=book._timedelta_formats,
        )
        for _number, row in parser.parse():
            for cell in row:
                if cell["value"] is None:
                    continue
                read = ReadOnlyCell(sheet, cell["row"], cell["column"], cell["value"], cell["data_type"], cell["style_id"])
                text = _cell_text(read.value, read.number_format)
                if text:
                    cells[(cell["row"] - 1, cell["column"] - 1)] = text
                    width = max(width, cell["column"])
                    height = max(height, cell["row"])
            budget.check(height, width)  # empty (formatted) rows cost streaming time only, no cells
        merged = parser.merged_cells.mergeCell if parser.merged_cells else []
    budget.spend(height, width)
    merges = []
    for merge in merged:
        m = CellRange(merge.ref)
        merges.append((m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1))
    return _Sheet(rows=_dense(cells, height, width), merges=merges)


def read_xlsx(data: bytes, limits: InputLimits = LIMITS) -> tuple[list[Block], int]:
    """An XLSX read in openpyxl's streaming (read-only) mode; bounds as in ``parsers.limits``."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise CorruptFile(f"Excel 文件无法打开：{exc}") from exc
    budget = _RowBudget(limits)
    blocks: list[Block] = []
    try:
        sheets = [_xlsx_sheet(book, sheet, budget) for sheet in book.worksheets]
    except LimitExceeded:
        raise
    except Exception as exc:  # noqa: BLE001 - malformed sheet XML, bad cell references …
        raise CorruptFile(f"Excel 工作表无法读取：{exc}") from exc
    finally:
        book.close()
    for page, sheet in enumerate(sheets, start=1):
        blocks.extend(_sheet_blocks(sheet, page))
    return blocks, len(sheets)


def _xls_sheet(book: xlrd.book.Book, sheet: xlrd.sheet.Sheet) -> _Sheet:
    def text(r: int, c: int) -> str | None:
        cell = sheet.cell(r, c)
        if cell.ctype in (xlrd.XL_CELL_NUMBER,):
            fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key) if book.xf_list else None
            return _number_text(cell.value, fmt.format_str if fmt else "General")
        return _cell_text(cell.value if cell.ctype != xlrd.XL_CELL_EMPTY else None)

    rows = [[text(r, c) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
    merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
    return _Sheet(rows=_trimmed(rows), merges=merges)


def read_xls(data: bytes, limits: InputLimits = LIMITS) -> tuple[list[Block], int]:
    """A legacy XLS; xlrd reads the whole (size-bounded) file, rows × columns are bounded before cells are read."""
    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO()  # xlrd logs to stdout
        )
    except Exception as exc:  # noqa: BLE001 - xlrd raises XLRDError, CompDocError, struct.error, …
        raise CorruptFile(f"Excel 文件无法打开（文件损坏或不是 Excel）：{exc}") from exc
    budget = _RowBudget(limits)
    blocks: list[Block] = []
    try:
        for page in range(1, book.nsheets + 1):
            sheet = book.sheet_by_index(page - 1)
            budget.spend(sheet.nrows, sheet.ncols)
            blocks.extend(_sheet_blocks(_xls_sheet(book, sheet), page))
            book.unload_sheet(page - 1)
    except LimitExceeded:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet record
        raise CorruptFile(f"Excel 工作表无法读取：{exc}") from exc
    finally:
        book.release_resources()
    return blocks, book.nsheets
