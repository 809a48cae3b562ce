"""One PDF page → ``Block``s: ruled tables as grids, the other words as lines.

Works on anything shaped like a pdfplumber page: pdfplumber's own, or
``parsers.pdfium_tables.PdfiumPage`` (the same data read by pdfium, several
times faster). Table geometry is pdfplumber's ``TableFinder`` either way.
"""

from __future__ import annotations

from typing import Any, Protocol

from pdfplumber.table import Table as TableFinder

from parsers.layout import Block, Grid, TextLine, Word

__all__ = ["RULED_SETTINGS", "PageLike", "page_blocks"]

RULED_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
    "text_x_tolerance": 5,
    "text_y_tolerance": 3,
}


class PageLike(Protocol):
    """What ``page_blocks`` reads of a page (pdfplumber's ``Page`` API)."""

    @property
    def bbox(self) -> tuple[float, float, float, float]: ...

    def crop(self, bbox: tuple[float, float, float, float]) -> Any: ...

    def find_tables(self, table_settings: dict[str, Any] | None = None) -> list[TableFinder]: ...

    def extract_words(self, **kwargs: Any) -> list[dict[str, Any]]: ...


def _line_from_words(words: list[dict], page_no: int) -> TextLine:
    words = sorted(words, key=lambda w: w["x0"])
    return TextLine(
        text=" ".join(w["text"] for w in words),
        page=page_no,
        top=min(w["top"] for w in words),
        words=[Word(w["text"], w["x0"], w["x1"]) for w in words],
    )


def _group_lines(words: list[dict], page_no: int) -> list[TextLine]:
    """Words → lines by vertical position (tolerance 3pt)."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [_line_from_words(group, page_no) for group in lines]


def _inside(word: dict, bboxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in bboxes)


def _row_mid(cells: list[tuple[float, float, float, float] | None]) -> float:
    """Middle of a row's own height: its shortest cell, not cells merged down from it."""
    boxes = [b for b in cells if b is not None]
    return (min(b[1] for b in boxes) + min(b[3] for b in boxes)) / 2 if boxes else 0.0


def _merge_origins(table: TableFinder) -> dict[tuple[int, int], tuple[int, int]]:
    """For each merged (None) position, the printed cell whose box covers it."""
    row_mids = [_row_mid(row.cells) for row in table.rows]
    # Not table.columns: its order need not follow the cell index of the rows.
    col_mids = [(x0 + x1) / 2 for x0, x1 in _column_bounds(table)]
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(table.rows):
        for c, box in enumerate(row.cells):
            if box is None:
                continue
            x0, top, x1, bottom = box
            for rr, ym in enumerate(row_mids):
                for cc, xm in enumerate(col_mids):
                    if (rr, cc) != (r, c) and top <= ym <= bottom and x0 <= xm <= x1:
                        origins.setdefault((rr, cc), (r, c))
    return origins


def _column_bounds(table: TableFinder) -> list[tuple[float, float]]:
    """The x-extent of each column: where its unmerged cells sit."""
    width = max(len(row.cells) for row in table.rows)
    bounds = []
    for c in range(width):
        boxes = [row.cells[c] for row in table.rows if c < len(row.cells) and row.cells[c] is not None]
        bounds.append((min(b[0] for b in boxes), min(b[2] for b in boxes)) if boxes else (0.0, 0.0))
    return bounds


def page_blocks(page: PageLike, page_no: int) -> list[Block]:
    """Grids of a page's ruled tables and lines of its other text, in reading order."""
    blocks: list[Block] = []
    page = page.crop(page.bbox)  # text drawn off the page (below its edge) is not printed
    tables = page.find_tables(RULED_SETTINGS)
    # A frame around text is not a table; a lone row of several cells may be the
    # last row (合计) of a table continued from the previous page.
    tables = [t for t in tables if max(len(r.cells) for r in t.rows) >= (2 if len(t.rows) >= 2 else 3)]
    bboxes = [t.bbox for t in tables]
    for table in tables:
        rows = table.extract(x_tolerance=5, y_tolerance=3)
        blocks.append(
            Grid(rows=rows, page=page_no, top=table.bbox[1], origins=_merge_origins(table), column_bounds=_column_bounds(table))
        )
    words = page.extract_words(x_tolerance=3, y_tolerance=3, keep_blank_chars=False, use_text_flow=False)
    outside = [w for w in words if not _inside(w, bboxes)]
    blocks.extend(_group_lines(outside, page_no))
    return sorted(blocks, key=lambda b: b.top)
