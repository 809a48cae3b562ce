"""The format-neutral page stream every source (PDF, XLSX, DOCX, OCR) produces.

A source turns a file into ``Block``s in reading order: text lines and
grids (tables whose cells the source could delimit, e.g. ruling lines or
spreadsheet cells). The assembler then finds titles, tables and sections in
that stream without knowing where it came from. Lines keep their words'
positions so that tables without ruling lines can be rebuilt from alignment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.tolerances import TOLERANCES as T

__all__ = ["Word", "TextLine", "Grid", "Block", "grid_from_lines", "realign_rows", "cells_in_columns"]


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float


@dataclass
class TextLine:
    text: str
    page: int
    top: float = 0.0
    words: list[Word] = field(default_factory=list)


@dataclass
class Grid:
    rows: list[list[str | None]]
    page: int
    top: float = 0.0
    # page of each row when a grid spans pages (OCR/XLSX sources); default: `page`
    row_pages: list[int] | None = None
    # for a merged (None) cell, the (row, column) of the printed cell covering it
    origins: dict[tuple[int, int], tuple[int, int]] | None = None
    # x-extent of each column when the source knows it (ruled PDF tables)
    column_bounds: list[tuple[float, float]] | None = None

    def pages_of_rows(self) -> list[int]:
        return self.row_pages or [self.page] * len(self.rows)


Block = TextLine | Grid

_FIGURE = re.compile(r"[-\d.,%]+")
_COMPLETE_DECIMAL = re.compile(r"\d\.\d+%?$")  # 291.36 | 302: no digits continue a finished decimal
_ROW_NUMBER = re.compile(r"\d{1,3}")  # 39 | 6.52: a 行次 beside an amount (not 599. | 47, not a long code)


def _type_cuts(lines: list[TextLine]) -> list[float]:
    """X positions where a figure meets a label, or a finished number meets another
    figure, across a small gap (599.47 | 一、一般公共服务支出; 291.36 | 302; 39 | 6.52)."""
    cuts = []
    for line in lines:
        for a, b in zip(line.words, line.words[1:]):
            gap = b.x0 - a.x1
            if gap >= T.cell_gap and (
                bool(_FIGURE.fullmatch(a.text)) != bool(_FIGURE.fullmatch(b.text))
                or (_COMPLETE_DECIMAL.search(a.text) and _FIGURE.fullmatch(b.text))
            ):
                cuts.append((a.x1 + b.x0) / 2)
            elif gap >= T.cell_gap and _ROW_NUMBER.fullmatch(a.text) and _FIGURE.fullmatch(b.text) and b.text[0].isdigit():
                cuts.append((a.x1 + b.x0) / 2)
    return cuts


def _column_spans(lines: list[TextLine]) -> list[tuple[float, float]]:
    """X-intervals covered by words of the lines, merged where they overlap, split
    where a figure and a label meet and no word straddles the gap."""
    words = [w for line in lines for w in line.words]
    spans = sorted((w.x0, w.x1) for w in words)
    # one candidate per position (every row of a column repeats it), then keep those no word straddles
    cuts = [x for x in {round(x, 1) for x in _type_cuts(lines)} if not any(w.x0 < x < w.x1 for w in words)]
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1] + T.column_gap and not any(merged[-1][1] <= x <= x0 for x in cuts):
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def grid_from_lines(lines: list[TextLine]) -> Grid | None:
    """Rebuild a grid from text lines of a table printed without ruling lines.

    Columns are the x-intervals occupied by the words of the body lines (the
    lines holding numbers); header words are placed in the column they
    overlap most, and words of a wide header cell spanning several columns
    go to the first of them (the others stay None, as merged cells do).
    """
    lines = [line for line in lines if line.words]
    if not lines:
        return None
    body = [line for line in lines if sum(any(c.isdigit() for c in w.text) for w in line.words) >= 2]
    spans = _column_spans(body or lines)
    if len(spans) < 2:
        return None
    rows: list[list[str | None]] = []
    row_pages: list[int] = []
    for line in lines:
        cells: list[list[str]] = [[] for _ in spans]
        for word in line.words:
            overlaps = [min(word.x1, b) - max(word.x0, a) for a, b in spans]
            best = max(range(len(spans)), key=lambda i: overlaps[i])
            if overlaps[best] <= 0:
                centre = (word.x0 + word.x1) / 2
                best = min(range(len(spans)), key=lambda i: abs(centre - (spans[i][0] + spans[i][1]) / 2))
            cells[best].append(word.text)
        rows.append(["".join(c) if c else None for c in cells])
        row_pages.append(line.page)
    return Grid(rows=rows, page=lines[0].page, top=lines[0].top, row_pages=row_pages)


def realign_rows(
    rows: list[list[str | None]], bounds: list[tuple[float, float]], target: list[tuple[float, float]]
) -> list[list[str | None]]:
    """Place cells of a grid into the columns of another grid of the same table.

    A continuation page is often ruled differently (合计 merged across the code
    and name columns): each cell goes to the first free target column whose
    centre lies inside the cell's extent (its column and the merged ones after it).
    """
    centres = [(a + b) / 2 for a, b in target]
    realigned = []
    for row in rows:
        out: list[str | None] = [None] * len(target)
        for c, cell in enumerate(row):
            if cell is None or c >= len(bounds):
                continue
            # A cell spans the columns covered by the None cells after it (a merge).
            end = c
            while end + 1 < min(len(row), len(bounds)) and row[end + 1] is None:
                end += 1
            x0, x1 = bounds[c][0], bounds[end][1]
            inside = [t for t, centre in enumerate(centres) if x0 <= centre <= x1 and out[t] is None]
            if inside:
                out[inside[0]] = cell
        realigned.append(out)
    return realigned


def cells_in_columns(line: TextLine, bounds: list[tuple[float, float]]) -> list[str | None]:
    """A text line's words placed in known columns: each word in the column
    holding its centre (else the nearest), words of one column joined."""
    cells: list[list[str]] = [[] for _ in bounds]
    for word in line.words:
        centre = (word.x0 + word.x1) / 2
        inside = [i for i, (a, b) in enumerate(bounds) if a <= centre <= b]
        column = inside[0] if inside else min(range(len(bounds)), key=lambda i: abs(centre - sum(bounds[i]) / 2))
        cells[column].append(word.text)
    return ["".join(c) if c else None for c in cells]
