"""OCR of scanned pages (rapidocr, whose Chinese models ship in its wheel).

OCR gives text boxes, not a grid. When the page image shows a ruled table,
its ruling lines give the grid: each band between two horizontal lines is a
row, vertical lines split it into cells, and every box goes to the cell under
it (a box the recogniser glued across a ruling line, such as
``611.70本年支出合计``, is cut at the line). Boxes outside the ruling, and
whole pages without one, become positioned text lines for the assembler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pypdfium2 as pdfium

from parsers.layout import Block, Grid, TextLine, Word

__all__ = ["ocr_available", "ocr_pages"]

_SCALE = 2.0  # render at 144 dpi; coordinates are divided back to points
_DARK = 128  # grey level below which a pixel is ink
_LINE_SHARE = 0.5  # share of a cell side its ruling line covers
_MIN_RULE = 40  # pixels: no run of text ink is this long, the narrowest cell's ruling is
_WIDE = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True)
class _Box:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@cache
def _engine() -> Any | None:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        return None
    return RapidOCR()


def ocr_available() -> bool:
    return _engine() is not None


def _runs(mask: np.ndarray) -> list[float]:
    """Centres of the runs of True in a 1-D mask (a ruling line is a few pixels thick)."""
    centres: list[float] = []
    start = None
    for i, on in enumerate([*mask.tolist(), False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            centres.append((start + i - 1) / 2)
            start = None
    return centres


def _longest_runs(ink: np.ndarray) -> np.ndarray:
    """Per row of a 2-D mask, the length of its longest run of ink."""
    padded = np.zeros((ink.shape[0], ink.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    longest = np.zeros(ink.shape[0], dtype=int)
    for i, row in enumerate(np.diff(padded, axis=1)):
        starts, ends = np.flatnonzero(row == 1), np.flatnonzero(row == -1)
        if starts.size:
            longest[i] = int((ends - starts).max())
    return longest


def _ruling(ink: np.ndarray) -> tuple[list[float], list[float]]:
    """Horizontal line ys and vertical line xs of the page's ruled table, in pixels.

    A ruling line is one long unbroken run of ink; a line of dense text never is.
    """
    longest = _longest_runs(ink)
    frame = _runs(longest > 0.15 * ink.shape[1])
    if len(frame) < 2:
        return [], []
    top, bottom = int(frame[0]), int(frame[-1]) + 1
    # Inside the frame, a line under a merged header cell may span one column only.
    rows = [top + y for y in _runs(longest[top:bottom] > _MIN_RULE)]
    band = ink[top:bottom]
    cols = _runs(_longest_runs(band.T) > max(0.2 * band.shape[0], _MIN_RULE))
    return (rows, cols) if len(cols) >= 2 else ([], [])


def _width(text: str) -> int:
    return len(text) + len(_WIDE.findall(text))  # a CJK glyph is about two digits wide


def _cut(box: _Box, xs: list[float]) -> list[_Box]:
    """Split a box at the ruling lines it crosses, sharing its text by glyph width."""
    inner = [x for x in xs if box.x0 + 3 < x < box.x1 - 3]
    if not inner or len(box.text) < 2:
        return [box]
    total = _width(box.text)
    pieces: list[_Box] = []
    start, left = 0, box.x0
    for x in [*inner, box.x1]:
        share = (x - box.x0) / (box.x1 - box.x0)
        end = start
        while end < len(box.text) and _width(box.text[: end + 1]) <= share * total + 0.5:
            end += 1
        if x == box.x1:
            end = len(box.text)
        if box.text[start:end].strip():
            pieces.append(_Box(box.text[start:end].strip(), left, x, box.top, box.bottom))
        start, left = end, x
    return pieces


def _merges(
    ink: np.ndarray, ys: list[float], xs: list[float]
) -> tuple[dict[tuple[int, int], tuple[int, int]], list[list[float]]]:
    """Where ruling lines are missing: each merged cell's top-left cell, and each row's drawn walls."""

    def ruled(mask: np.ndarray) -> bool:
        return mask.size > 0 and bool(mask.mean() > _LINE_SHARE)

    def h_line(y: float, c: int) -> bool:
        band = ink[max(int(y) - 2, 0) : int(y) + 3, int(xs[c]) + 3 : int(xs[c + 1]) - 2]
        return band.size > 0 and ruled(band.max(axis=0))

    def v_line(x: float, r: int) -> bool:
        band = ink[int(ys[r]) + 3 : int(ys[r + 1]) - 2, max(int(x) - 2, 0) : int(x) + 3]
        return band.size > 0 and ruled(band.max(axis=1))

    origin: dict[tuple[int, int], tuple[int, int]] = {}
    walls: list[list[float]] = []
    for r in range(len(ys) - 1):
        walls.append([x for i, x in enumerate(xs) if i in (0, len(xs) - 1) or v_line(x, r)])
        for c in range(len(xs) - 1):
            if c > 0 and not v_line(xs[c], r):
                origin[(r, c)] = origin.get((r, c - 1), (r, c - 1))
            elif r > 0 and not h_line(ys[r], c):
                origin[(r, c)] = origin.get((r - 1, c), (r - 1, c))
    return origin, walls


def _grid(boxes: list[_Box], ink: np.ndarray, ys: list[float], xs: list[float], page: int) -> Grid:
    """Place each box's text in the cell under it (the merged box's top-left cell, as PDFs print it)."""
    origin, walls = _merges(ink, ys, xs)
    cells: dict[tuple[int, int], list[_Box]] = {}
    for box in boxes:
        r = next(i for i in range(len(ys) - 1) if ys[i] <= box.middle <= ys[i + 1])
        for piece in _cut(box, walls[r]):
            centre = (piece.x0 + piece.x1) / 2
            c = next((i for i in range(len(xs) - 1) if xs[i] <= centre <= xs[i + 1]), None)
            if c is not None:
                cells.setdefault(origin.get((r, c), (r, c)), []).append(piece)
    rows: list[list[str | None]] = []
    for r in range(len(ys) - 1):
        row = []
        for c in range(len(xs) - 1):
            lines = _lines(cells.get((r, c), []), page)
            row.append("".join(w.text for line in lines for w in line.words) or None)
        rows.append(row)
    return Grid(rows=rows, page=page, top=ys[0] / _SCALE, origins=origin)


def _lines(boxes: list[_Box], page: int) -> list[TextLine]:
    """Boxes on one baseline form a line, its words kept with their positions (in points)."""
    groups: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: (b.top, b.x0)):
        if groups and abs(groups[-1][0].top - box.top) < (box.bottom - box.top) * 0.5:
            groups[-1].append(box)
        else:
            groups.append([box])
    lines = []
    for group in groups:
        group.sort(key=lambda b: b.x0)
        lines.append(
            TextLine(
                text=" ".join(b.text for b in group),
                page=page,
                top=min(b.top for b in group) / _SCALE,
                words=[Word(b.text, b.x0 / _SCALE, b.x1 / _SCALE) for b in group],
            )
        )
    return lines


def _page_blocks(image: np.ndarray, raw: list[tuple[list[list[float]], str, float]], page: int) -> list[Block]:
    boxes = [
        _Box(text.strip(), min(p[0] for p in pts), max(p[0] for p in pts), min(p[1] for p in pts), max(p[1] for p in pts))
        for pts, text, _score in raw
        if text.strip()
    ]
    grey = image.mean(axis=2) if image.ndim == 3 else image
    ink = grey < _DARK
    ys, xs = _ruling(ink)
    if not ys:
        return list(_lines(boxes, page))
    inside = [b for b in boxes if ys[0] <= b.middle <= ys[-1]]
    outside = [b for b in boxes if not ys[0] <= b.middle <= ys[-1]]
    blocks: list[Block] = [*_lines(outside, page), _grid(inside, ink, ys, xs, page)]
    return sorted(blocks, key=lambda b: b.top)


def ocr_pages(data: bytes, pages: list[int]) -> list[Block]:
    """OCR the given 1-based pages of a PDF into grids (ruled tables) and positioned text lines."""
    engine = _engine()
    if engine is None:
        return []
    document = pdfium.PdfDocument(data)
    blocks: list[Block] = []
    try:
        for page_no in pages:
            image = document[page_no - 1].render(scale=_SCALE).to_numpy()
            raw, _elapsed = engine(image, use_cls=False)  # scans are upright; the angle classifier only costs
            blocks.extend(_page_blocks(image, raw or [], page_no))
    finally:
        document.close()
    return blocks
