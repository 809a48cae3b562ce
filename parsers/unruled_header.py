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

__all__ = ["header_readings"]

Origins = dict[tuple[int, int], tuple[int, int]]


@dataclass(frozen=True)
class _Fragment:
    text: str
    top: float
    first: int  # first and last column covered
    last: int

    def overlaps(self, other: _Fragment) -> bool:
        return self.first <= other.last and other.first <= self.last


def _is_cjk(text: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in text)


def _is_letter(word: Word) -> bool:
    return len(word.text) == 1 and _is_cjk(word.text)


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


def _groups(x0: float, x1: float, spans: list[tuple[float, float]],
            below: set[int], claimed: set[int]) -> list[tuple[int, int]]:
    """The runs of columns a heading may stand over, best centred first: runs around
    it, none under another heading of its line, at least two with sub-headings below,
    whose extent is centred on the heading within ``T.header_centre`` (headings are
    centred over their group, however narrow they are printed); else the column
    under it. Several runs can be centred on one heading (a wider run balanced on
    both sides): the table's arithmetic decides between them (``tables.best_reading``)."""
    centre = (x0 + x1) / 2
    home = _centre_column(centre, spans)
    found: list[tuple[float, int, int]] = []
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
            if offset <= T.header_centre * (right - left):
                found.append((offset, first, last))
    return [(first, last) for _offset, first, last in sorted(found)] or [(home, home)]


def _single(run: tuple[int, int]) -> bool:
    return run[0] == run[1]


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
        # side by side means less than a line apart: a share of the type size, which
        # CJK words give as their width per character
        sizes = sorted((w.x1 - w.x0) / len(w.text) for w in self.words if len(w.text) >= 2 and _is_cjk(w.text))
        size = sizes[len(sizes) // 2] if sizes else T.header_band
        self.band = min(T.header_band, T.header_band_em * size)

    def columns(self, cell: _Cell, taken: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
        """The column runs a cell may stand over, likeliest first: a heading word of the
        vocabulary may head a group of columns, none of them ``taken`` by a heading
        beside it; any other text (a wrapped fragment, 项目) heads its own column."""
        if not is_heading_word(cell.text):
            return [(cell.home, cell.home)]
        below = {w.home for w in self.words if w.top >= cell.bottom + self.band}
        beside = {w.home for w in self.words if self._beside(cell, w) and not (cell.x0 <= w.x0 and w.x1 <= cell.x1)}
        return _groups(cell.x0, cell.x1, self.spans, below, beside | taken)

    def _beside(self, cell: _Cell, other: _Cell) -> bool:
        return cell.top - self.band < other.top < cell.bottom + self.band

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
                and _single(self.columns(cell)[0])
            ):
                cell.text += w.text
                cell.bottom, cell.x0, cell.x1 = w.top, min(cell.x0, w.x0), max(cell.x1, w.x1)
            else:
                cells.append(_Cell(w.text, w.top, w.top, w.x0, w.x1, w.home))
        return cells


def _placings(header: _Header, cells: list[_Cell]) -> list[list[_Fragment]]:
    """Every header cell with the columns it stands over, once per way of placing the
    group headings: the likeliest run for each first, then the others, fewest
    departures from the likeliest first (at most ``T.header_readings`` placings)."""
    found: list[tuple[int, list[_Fragment]]] = []

    def place(i: int, placed: list[tuple[_Cell, _Fragment]], departures: int) -> None:
        if i == len(cells):
            found.append((departures, [f for _, f in placed]))
            return
        cell = cells[i]
        # headings side by side share no column (公用经费 centred over 商品和服务支出 |
        # 资本性支出 is centred over the column before and after them too)
        taken = frozenset(
            c for other, f in placed if header._beside(cell, other) for c in range(f.first, f.last + 1)
        )
        for rank, run in enumerate(header.columns(cell, taken)):
            if departures + (rank > 0) > T.header_departures:
                break
            place(i + 1, [*placed, (cell, _Fragment(cell.text, cell.top, *run))], departures + (rank > 0))

    place(0, [], 0)
    return [fragments for _d, fragments in sorted(found, key=lambda f: f[0])][: T.header_readings]


def _rows(fragments: list[_Fragment], width: int) -> HeaderRows:
    cells = sorted(fragments, key=lambda f: f.top)
    levels: list[int] = []
    for i, cell in enumerate(cells):
        above = [levels[j] for j in range(i) if cells[j].overlaps(cell)]
        levels.append(max(above, default=-1) + 1)
    rows: list[list[str | None]] = [[""] * width for _ in range(max(levels, default=-1) + 1)]
    origins: Origins = {}
    for cell, level in zip(cells, levels):
        rows[level][cell.first] = cell.text
        for c in range(cell.first + 1, cell.last + 1):
            rows[level][c] = None
            origins[(level, c)] = (level, cell.first)
    return HeaderRows(rows, origins)


def header_readings(lines: list[TextLine], spans: list[tuple[float, float]]) -> list[HeaderRows]:
    """Readings of an unruled table's header from its header lines, as header rows with
    merge origins: the likeliest first, then others where group headings stand over
    other runs of columns centred under them (the table's arithmetic judges them)."""
    header = _Header(lines, spans)
    cells = sorted(header.cells(), key=lambda c: c.x0)
    return [_rows(fragments, len(spans)) for fragments in _placings(header, cells)]
