"""One PDF page → ``Block``s: ruled tables as grids, the other words as lines.

Works on anything shaped like a pdfplumber page: pdfplumber's own, or
``parsers.pdfium_tables.PdfiumPage`` (the same data read by pdfium, several
times faster). Table geometry is pdfplumber's ``TableFinder`` either way.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
import re
from typing import Any, Protocol

from pdfplumber.table import Row
from pdfplumber.table import Table as TableFinder
from pdfplumber.utils import extract_text

from parsers.layout import Block, Grid, TextLine, Word
from parsers.tolerances import TOLERANCES as T

__all__ = ["RULED_SETTINGS", "PageLike", "page_blocks"]

RULED_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": T.ruling_snap,
    "join_tolerance": T.ruling_snap,
    "intersection_tolerance": T.ruling_snap,
    "text_x_tolerance": T.cell_text_x,
    "text_y_tolerance": T.line_y,
}


class PageLike(Protocol):
    """What ``page_blocks`` reads of a page (pdfplumber's ``Page`` API)."""

    @property
    def bbox(self) -> tuple[float, float, float, float]: ...

    @property
    def chars(self) -> list[dict[str, Any]]: ...

    def crop(self, bbox: tuple[float, float, float, float]) -> Any: ...

    def find_tables(self, table_settings: dict[str, Any] | None = None) -> list[TableFinder]: ...

    def extract_words(self, **kwargs: Any) -> list[dict[str, Any]]: ...


def _line_from_words(words: list[dict], page_no: int) -> TextLine:
    words = sorted(words, key=lambda w: w["x0"])
    return TextLine(
        text="".join(("" if w.get("glued") else " ") + w["text"] for w in words).strip(),
        page=page_no,
        top=min(w["top"] for w in words),
        words=[Word(w["text"], w["x0"], w["x1"]) for w in words],
    )


_DIGIT = re.compile(r"[0-9]")
_DECIMAL_TAIL = re.compile(r"\d\.\d+%?$")
_CENTS_THEN_CODE = re.compile(r"(\d+\.\d{2})\d{3}")
_FIGURE_CHAR = re.compile(r"[\d.,%-]")
_CENTS_THEN_DIGIT = re.compile(r"(?<![\d.])\d+\.\d{2}\d$")
_LABEL_START = re.compile(r"[^\W\d_]|[(（]")  # a letter, or a bracket opening a label: (一)…


def _cut_between(word: str, a: dict, b: dict, spacing: float) -> bool:
    """Two neighbouring chars of one word that belong to two cells: set apart by
    a cell's padding (``T.cell_gap``) where printed text never is — between two
    digits (39 | 6.52), or after a finished decimal before a label (0.00 | 八、…, 512.02 | (一)…).
    A year before 年 keeps its gap: CJK typesetting spaces digits from letters; and
    text spread out letter by letter (``spacing``, the word's median gap) is one cell."""
    if b["x0"] - a["x1"] - spacing < T.cell_gap:
        return False
    if _DIGIT.fullmatch(a["text"]) and _DIGIT.fullmatch(b["text"]):
        return True
    return bool(_LABEL_START.fullmatch(b["text"])) and bool(_DECIMAL_TAIL.search(word))


def split_cells(word: dict) -> list[dict]:
    """A word as pdfplumber joined it, split where it runs over two table cells
    (producers that pad cells by a point or two print them closer than the word tolerance)."""
    chars = word.pop("chars", None) or []
    gaps = [b["x0"] - a["x1"] for a, b in zip(chars, chars[1:])]
    text = "".join(c["text"] for c in chars)
    if not gaps or (max(gaps) < T.cell_gap and not _CENTS_THEN_CODE.search(text)):
        return [word]  # most words: no gap wide enough to part two cells
    ordered = sorted(gaps)
    spacing = max(ordered[len(ordered) // 2], 0.0)
    cuts: list[int] = []
    for i in range(1, len(chars)):
        start = cuts[-1] if cuts else 0
        cents = _CENTS_THEN_CODE.match(text, start)
        if cents and i == cents.end(1):
            cuts.append(i)  # 291.36 | 302: an amount to the cent, then a code touching it
            continue
        if gaps[i - 1] - spacing < T.cell_gap:
            continue
        if _cut_between("".join(c["text"] for c in chars[start:i]), chars[i - 1], chars[i], spacing):
            cuts.append(i)
    if not cuts:
        return [word]
    parts = []
    for start, end in zip([0, *cuts], [*cuts, len(chars)]):
        group = chars[start:end]
        parts.append({
            **word,
            "text": "".join(c["text"] for c in group),
            "x0": min(c["x0"] for c in group),
            "x1": max(c["x1"] for c in group),
            "glued": start > 0,  # printed closer than a word gap: the line's text keeps it joined
        })
    return parts


def _group_lines(words: list[dict], page_no: int) -> list[TextLine]:
    """Words → lines by vertical position."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= T.line_y:
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


class _Sorted:
    """Values with their indexes in ascending order, to find those in a range by bisection."""

    def __init__(self, values: list[float]) -> None:
        self.order = sorted(range(len(values)), key=values.__getitem__)
        self.values = [values[i] for i in self.order]

    def between(self, low: float, high: float, *, closed: bool) -> list[int]:
        """Indexes of the values from ``low`` to ``high`` (included when ``closed``), ascending."""
        end = (bisect_right if closed else bisect_left)(self.values, high)
        return sorted(self.order[bisect_left(self.values, low):end])


def _merge_origins(rows: list[Row], column_bounds: list[tuple[float, float]]) -> dict[tuple[int, int], tuple[int, int]]:
    """For each merged (None) position, the printed cell whose box covers it."""
    row_mids = _Sorted([_row_mid(row.cells) for row in rows])
    # Not table.columns: its order need not follow the cell index of the rows.
    col_mids = _Sorted([(x0 + x1) / 2 for x0, x1 in column_bounds])
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c, box in enumerate(row.cells):
            if box is None:
                continue
            x0, top, x1, bottom = box
            for rr in row_mids.between(top, bottom, closed=True):
                for cc in col_mids.between(x0, x1, closed=True):
                    if (rr, cc) != (r, c):
                        origins.setdefault((rr, cc), (r, c))
    return origins


def _column_bounds(rows: list[Row]) -> list[tuple[float, float]]:
    """The x-extent of each column: where its unmerged cells sit."""
    width = max(len(row.cells) for row in rows)
    bounds = []
    for c in range(width):
        boxes = [row.cells[c] for row in rows if c < len(row.cells) and row.cells[c] is not None]
        bounds.append((min(b[0] for b in boxes), min(b[2] for b in boxes)) if boxes else (0.0, 0.0))
    return bounds


def _extract(rows: list[Row], chars: list[dict], mids: list[tuple[float, float]], bands: _Sorted) -> list[list[str | None]]:
    """``Table.extract(x_tolerance=5, y_tolerance=3)``: the same cell texts, without
    testing every char of the page against every row. A row looks only at the
    chars whose vertical middle falls in its band, found by bisection and kept
    in page order (``bands`` sorts the chars' vertical middles). ``mids`` are the
    chars' (horizontal, vertical) middles, computed as ``Table.extract`` computes them."""
    table: list[list[str | None]] = []
    for row in rows:
        x0, top, x1, bottom = row.bbox
        row_chars = [i for i in bands.between(top, bottom, closed=False) if x0 <= mids[i][0] < x1]
        cell_of = {i: _cell_at(mids[i], row.cells) for i in row_chars}
        cell_of.update(_straddling_words(row_chars, chars, cell_of))
        cells: list[str | None] = []
        for c, cell in enumerate(row.cells):
            if cell is None:
                cells.append(None)
                continue
            inside = [chars[i] for i in row_chars if cell_of[i] == c]
            cells.append(extract_text(inside, x_tolerance=T.cell_text_x, y_tolerance=T.line_y) if inside else "")
        table.append(cells)
    return table


def _cell_at(mid: tuple[float, float], cells: list[tuple[float, float, float, float] | None]) -> int | None:
    """The cell whose box holds a char's middle (as ``Table.extract`` places chars)."""
    for c, box in enumerate(cells):
        if box is not None and box[0] <= mid[0] < box[2] and box[1] <= mid[1] < box[3]:
            return c
    return None


def _straddling_words(row_chars: list[int], chars: list[dict], cell_of: dict[int, int | None]) -> dict[int, int | None]:
    """Digits of a figure printed across a ruling (an amount overflowing a narrow cell:
    297.4 | 6 under the next heading) go to the cell holding most of the figure.
    Figures are runs of touching digits on one line, cut after an amount to the cent
    (291.36 | 302 touching the next cell's code); text is left where it is printed."""
    moved: dict[int, int | None] = {}
    order = sorted(row_chars, key=lambda i: (round(chars[i]["top"] / T.line_y), chars[i]["x0"]))
    run: list[int] = []
    for i in [*order, None]:
        if run and i is not None:
            last = chars[run[-1]]
            same_line = abs(chars[i]["top"] - last["top"]) <= T.line_y
            text = "".join(chars[j]["text"] for j in run)
            gap = chars[i]["x0"] - last["x1"]
            # touching (kerning may overlap glyphs a little), or 291. 36: a spaced decimal point
            touching = -T.cell_gap < gap < (T.word_x if text.endswith(".") else T.cell_gap)
            figure = _FIGURE_CHAR.fullmatch(chars[i]["text"]) is not None
            if same_line and touching and figure and not _CENTS_THEN_DIGIT.search(text + chars[i]["text"]):
                run.append(i)
                continue
        if len({cell_of[j] for j in run}) > 1 and all(_FIGURE_CHAR.fullmatch(chars[j]["text"]) for j in run):
            home = Counter(cell_of[j] for j in run).most_common(1)[0][0]
            moved.update({j: home for j in run})
        run = [i] if i is not None else []
    return moved


def page_blocks(page: PageLike, page_no: int) -> list[Block]:
    """Grids of a page's ruled tables and lines of its other text, in reading order."""
    blocks: list[Block] = []
    page = page.crop(page.bbox)  # text drawn off the page (below its edge) is not printed
    # A frame around text is not a table; a lone row of several cells may be the
    # last row (合计) of a table continued from the previous page.
    found = [(t, t.rows) for t in page.find_tables(RULED_SETTINGS)]
    tables = [(t, rows) for t, rows in found if max(len(r.cells) for r in rows) >= (2 if len(rows) >= 2 else 3)]
    bboxes = [t.bbox for t, _rows in tables]
    chars = page.chars
    mids = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in chars]
    bands = _Sorted([v for _h, v in mids])
    for table, rows in tables:
        bounds = _column_bounds(rows)
        blocks.append(Grid(rows=_extract(rows, chars, mids, bands), page=page_no, top=table.bbox[1],
                           origins=_merge_origins(rows, bounds), column_bounds=bounds))
    words = page.extract_words(
        x_tolerance=T.word_x, y_tolerance=T.line_y, keep_blank_chars=False, use_text_flow=False, return_chars=True
    )
    outside = [part for w in words if not _inside(w, bboxes) for part in split_cells(w)]
    blocks.extend(_group_lines(outside, page_no))
    return sorted(blocks, key=lambda b: b.top)
