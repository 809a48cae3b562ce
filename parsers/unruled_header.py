"""The header of a table printed without ruling lines, read from word positions.

Without rulings, a header's lines do not make rows: each cell is centred in
its own box, so the wrapped lines of one cell (一般公 | 共预算 | 财政拨 | 款)
interleave with the lines of its neighbours, and a heading over a group of
columns (预算数, 公务用车购置及运行维护费, 支 出) is one word above several
columns. Reading the header line by line therefore mixes levels and cuts
cells. Instead, every header word is placed by its x-extent against the
columns found in the body:

- a word over one column is a fragment of that column's cell; fragments of
  one column (or one group) printed within ``T.header_wrap_gap`` of each other
  are the wrapped lines of one cell and are joined;
- a word over two or more columns, with sub-headings under at least two of
  them, is a group heading: a merged cell over those columns;
- headings printed letter by letter (支    出) are rejoined when the letters
  make a heading word of the registry's vocabulary.

The result is header rows with merge origins, the same shape a ruled grid
gives, so ``tables.build_table`` keys the columns the same way for both.
"""

from __future__ import annotations

from dataclasses import dataclass

from parsers.layout import HeaderRows, TextLine, Word
from parsers.registry import is_heading_word
from parsers.tolerances import TOLERANCES as T

__all__ = ["header_rows"]

Origins = dict[tuple[int, int], tuple[int, int]]


@dataclass(frozen=True)
class _Fragment:
    text: str
    top: float
    first: int  # first and last column covered
    last: int

    def overlaps(self, other: _Fragment) -> bool:
        return self.first <= other.last and other.first <= self.last


def _is_letter(word: Word) -> bool:
    return len(word.text) == 1 and "\u4e00" <= word.text <= "\u9fff"


def _spaced_headings(words: list[Word]) -> list[Word]:
    """Single letters of one line rejoined where, side by side, they spell a heading word."""
    out: list[Word] = []
    i = 0
    while i < len(words):
        end = i
        if _is_letter(words[i]):
            for j in range(i + 1, len(words)):
                if not _is_letter(words[j]):
                    break
                if is_heading_word("".join(w.text for w in words[i : j + 1])):
                    end = j
        out.append(Word("".join(w.text for w in words[i : end + 1]), words[i].x0, words[end].x1))
        i = end + 1
    return out


def _close_words(words: list[Word]) -> list[Word]:
    """A header line's words, those closer than the word tolerance joined (位 | 上缴:
    one wrapped line of one cell that the text layer split)."""
    out: list[Word] = []
    for w in sorted(words, key=lambda w: w.x0):
        if out and w.x0 - out[-1].x1 < T.word_x:
            out[-1] = Word(out[-1].text + w.text, out[-1].x0, max(out[-1].x1, w.x1))
        else:
            out.append(w)
    return out


def _centre_column(x: float, spans: list[tuple[float, float]]) -> int:
    return min(range(len(spans)), key=lambda c: abs(x - (spans[c][0] + spans[c][1]) / 2))


def _group(x0: float, x1: float, spans: list[tuple[float, float]],
           below: set[int], claimed: set[int]) -> tuple[int, int]:
    """The columns a heading stands over: the run of columns around it, none
    under another heading of its line, at least two with sub-headings below,
    whose extent is centred on the heading (headings are centred over their
    group, however narrow they are printed); else the column under it."""
    centre = (x0 + x1) / 2
    home = _centre_column(centre, spans)
    best: tuple[float, int, int] | None = None
    for first in range(home, -1, -1):
        if first != home and first in claimed:
            break
        for last in range(home, len(spans)):
            if last != home and last in claimed:
                break
            if last == first or len(below & set(range(first, last + 1))) < 2:
                continue
            left, right = spans[first][0], spans[last][1]
            offset = abs((left + right) / 2 - centre)
            if offset <= T.header_centre * (right - left) and (best is None or offset < best[0]):
                best = (offset, first, last)
    return (best[1], best[2]) if best else (home, home)


@dataclass
class _Cell:
    """The header words of one column stacked line under line: one cell, wrapped."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    home: int


class _Header:
    """Header words over the columns of an unruled table's body."""

    def __init__(self, lines: list[TextLine], spans: list[tuple[float, float]]) -> None:
        self.spans = spans
        self.words = [
            _Cell(w.text, line.top, line.top, w.x0, w.x1, _centre_column((w.x0 + w.x1) / 2, spans))
            for line in sorted(lines, key=lambda line: line.top)
            for w in _spaced_headings(_close_words(line.words))
        ]

    def columns(self, cell: _Cell) -> tuple[int, int]:
        """The columns a cell stands over: a heading word of the vocabulary may head a
        group of columns; any other text (a wrapped fragment, 项目) heads its own."""
        if not is_heading_word(cell.text):
            return cell.home, cell.home
        below = {w.home for w in self.words if w.top >= cell.bottom + T.header_band}
        beside = {
            w.home for w in self.words
            if cell.top - T.header_band < w.top < cell.bottom + T.header_band and not (cell.x0 <= w.x0 and w.x1 <= cell.x1)
        }
        return _group(cell.x0, cell.x1, self.spans, below, beside)

    def cells(self) -> list[_Cell]:
        """Words joined into cells: words over the same column on one line, or on lines
        within ``T.header_wrap_gap`` of each other, are one wrapped cell, unless the one
        above heads a group, or each of the two names a heading already
        (公务用车购置及运行维护费 over 公务用车运行维护费)."""
        cells: list[_Cell] = []
        for w in self.words:
            cell = next((c for c in reversed(cells) if c.home == w.home), None)
            if (
                cell is not None
                and w.top - cell.bottom <= T.header_wrap_gap
                and not (is_heading_word(cell.text) and is_heading_word(w.text))
                and len(set(self.columns(cell))) == 1
            ):
                cell.text += w.text
                cell.bottom, cell.x0, cell.x1 = w.top, min(cell.x0, w.x0), max(cell.x1, w.x1)
            else:
                cells.append(_Cell(w.text, w.top, w.top, w.x0, w.x1, w.home))
        return cells


def _placed(lines: list[TextLine], spans: list[tuple[float, float]]) -> list[_Fragment]:
    """Every header cell with the columns it stands over."""
    header = _Header(lines, spans)
    return [_Fragment(cell.text, cell.top, *header.columns(cell)) for cell in header.cells()]


def header_rows(lines: list[TextLine], spans: list[tuple[float, float]]) -> HeaderRows:
    """Header rows (with merge origins) of an unruled table from its header lines."""
    cells = sorted(_placed(lines, spans), key=lambda f: f.top)
    levels: list[int] = []
    for i, cell in enumerate(cells):
        above = [levels[j] for j in range(i) if cells[j].overlaps(cell)]
        levels.append(max(above, default=-1) + 1)
    rows: list[list[str | None]] = [[""] * len(spans) for _ in range(max(levels, default=-1) + 1)]
    origins: Origins = {}
    for cell, level in zip(cells, levels):
        rows[level][cell.first] = cell.text
        for c in range(cell.first + 1, cell.last + 1):
            rows[level][c] = None
            origins[(level, c)] = (level, cell.first)
    return HeaderRows(rows, origins)
