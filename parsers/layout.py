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

from parsers.text import compact
from parsers.tolerances import TOLERANCES as T

__all__ = ["Word", "TextLine", "HeaderRows", "Grid", "Block", "grid_from_lines", "is_sequence_row", "SEQUENCE_LABELS", "realign_rows", "cells_in_columns"]


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


@dataclass(frozen=True)
class HeaderRows:
    """Header rows of a table with the merge origins of their merged (None) cells."""

    rows: list[list[str | None]]
    origins: dict[tuple[int, int], tuple[int, int]]


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
    # other readings of the header, the grid's first ``len(header.rows)`` rows (unruled tables)
    header: HeaderRows | None = None
    other_headers: list[HeaderRows] = field(default_factory=list)

    def pages_of_rows(self) -> list[int]:
        return self.row_pages or [self.page] * len(self.rows)


Block = TextLine | Grid

_FIGURE = re.compile(r"[-\d.,%]+")
_COMPLETE_DECIMAL = re.compile(r"\d\.\d+%?$")  # 291.36 | 302: no digits continue a finished decimal
_CENTS = re.compile(r"-?[\d,]*\d\.\d{2}")
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
            elif gap >= 0 and _CENTS.fullmatch(a.text) and b.text[:1].isdigit():
                cuts.append((a.x1 + b.x0) / 2)  # 291.36 | 302 touching: two cells (page_blocks split the word)
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
    return [part for a, b in merged for part in _split_at_valleys((a, b), lines)]


def _split_at_valleys(span: tuple[float, float], lines: list[TextLine]) -> list[tuple[float, float]]:
    """A span cut where few lines print anything: a label merged across two columns
    (人员经费合计 over 科目代码 | 科目名称) bridges their gap in one or two rows only.
    Cut at a run of at least ``T.column_gap`` points that fewer than
    ``T.column_valley`` × the lines printing on either side of it cover."""
    start, end = int(span[0]), int(span[1]) + 1
    coverage = [0] * (end - start)
    for line in lines:
        covered = set()
        for w in line.words:
            if w.x1 > span[0] and w.x0 < span[1]:
                covered.update(range(max(int(w.x0), start) - start, min(int(w.x1) + 1, end) - start))
        for x in covered:
            coverage[x] += 1
    parts: list[tuple[float, float]] = []
    left = 0
    x = 0
    while x < len(coverage):
        peak_left = max(coverage[left:x], default=0)
        run = x
        while run < len(coverage) and coverage[run] < T.column_valley * peak_left:
            run += 1
        peak_right = max(coverage[run:], default=0)
        if run - x >= T.column_gap and run < len(coverage) and coverage[x:run] and max(coverage[x:run]) < T.column_valley * peak_right:
            parts.append((start + left, start + x))
            left = x = run
            continue
        x = max(run, x + 1)
    parts.append((start + left, span[1]))
    if len(parts) == 1:
        return [span]
    parts[0] = (span[0], parts[0][1])
    return parts


_AMOUNT = re.compile(r"-?[\d,]*\d\.\d+")


def _is_body_line(line: TextLine) -> bool:
    return sum(any(c.isdigit() for c in w.text) for w in line.words) >= 2


def _holds_amount(line: TextLine) -> bool:
    """A line printing an amount (合计 24.75): a row, however few its figures."""
    return any(_AMOUNT.fullmatch(w.text) for w in line.words)


SEQUENCE_LABELS = frozenset({"栏次", "行次", "栏号"})
_SEQUENCE_MARKS = frozenset({"甲", "乙", "丙", "丁"})


def is_sequence_row(cells: list[str | None]) -> bool:
    """The 栏次 row under a header (栏次 | 1 | 2 …), not a header row naming a 行次 column.
    ``cells`` are a grid row's cells or a text line's words."""
    texts = [t for t in (compact(c) for c in cells if c) if t]
    numbers = [t for t in texts if t.isdigit()]
    marks = [t for t in texts if t in SEQUENCE_LABELS or t in _SEQUENCE_MARKS]
    if marks and numbers and len(marks) + len(numbers) == len(texts):
        return True
    return len(numbers) >= 2 and len(numbers) == len(texts) and [int(n) for n in numbers] == list(
        range(int(numbers[0]), int(numbers[0]) + len(numbers))
    )


def _with_header_columns(spans: list[tuple[float, float]], header: list[TextLine]) -> list[tuple[float, float]]:
    """The body's columns and those only the header shows: a column no row prints a
    figure in (政府性基金 | 国有资本 … all blank) still has its heading, clear of
    every column of the body."""
    clear = sorted(
        (w.x0, w.x1)
        for line in header
        for w in line.words
        if not any(w.x0 - T.column_gap < b and a < w.x1 + T.column_gap for a, b in spans)
    )
    extra: list[list[float]] = []
    for x0, x1 in clear:
        if extra and x0 - extra[-1][1] < T.word_x:
            extra[-1][1] = max(extra[-1][1], x1)
        else:
            extra.append([x0, x1])
    return sorted([*spans, *((a, b) for a, b in extra)])


_UNFINISHED_DECIMAL = re.compile(r"\d\.\d?$")
_FIGURE_TAIL = re.compile(r"\d{1,2}")


def _join_wrapped_figures(lines: list[TextLine]) -> list[TextLine]:
    """Amounts wrapped inside narrow cells (512.0 | 2) joined back: a line whose words
    are one- or two-digit tails under amounts of the line above that stop short of
    their cents, and short ends of that row's other cells wrapped with them
    (12220 | 1, 焦作市政务大数据中 | 心)."""
    out: list[TextLine] = []
    for line in lines:
        above = out[-1] if out else None
        if above is not None and line.page == above.page and line.top - above.top <= T.wrap_gap:
            targets = [_wrapped_under(word, above) for word in line.words]
            tails = [w for w, t in zip(line.words, targets) if t is not None and _UNFINISHED_DECIMAL.search(above.words[t].text)]
            if tails and all(_FIGURE_TAIL.fullmatch(w.text) for w in tails) and all(t is not None for t in targets):
                words = list(above.words)
                for word, target in zip(line.words, targets):
                    assert target is not None
                    old = words[target]
                    words[target] = Word(old.text + word.text, min(old.x0, word.x0), max(old.x1, word.x1))
                out[-1] = TextLine(" ".join(w.text for w in words), above.page, above.top, words)
                continue
        out.append(line)
    return out


def _wrapped_under(word: Word, above: TextLine) -> int | None:
    """Index of the word of ``above`` that ``word`` may end: printed over it, and either
    an amount stopping short of its cents over a figure tail, or any cell over a
    fragment of at most two characters."""
    for index, candidate in enumerate(above.words):
        if min(word.x1, candidate.x1) - max(word.x0, candidate.x0) <= -T.cell_gap:
            continue
        unfinished = _UNFINISHED_DECIMAL.search(candidate.text)
        if (unfinished and _FIGURE_TAIL.fullmatch(word.text)) or (not unfinished and len(word.text) <= 2):
            return index
    return None


def grid_from_lines(lines: list[TextLine]) -> Grid | None:
    """Rebuild a grid from text lines of a table printed without ruling lines.

    Columns are the x-intervals occupied by the words of the body lines (the
    lines holding numbers); each body word goes to the column it overlaps
    most. The header above the first body line is read by the position of
    its words (``parsers.unruled_header``): wrapped cells joined, headings
    over several columns as merged cells.
    """
    from parsers.unruled_header import header_rows  # it reads the registry's vocabulary

    lines = _join_wrapped_figures([line for line in lines if line.words])
    if not lines:
        return None
    body = [line for line in lines if _is_body_line(line)]
    spans = _column_spans([line for line in body if not is_sequence_row([w.text for w in line.words])] or body or lines)
    if len(spans) < 2:
        return None
    start = next((i for i, line in enumerate(lines) if _is_body_line(line) or _holds_amount(line)), 0)
    spans = _with_header_columns(spans, lines[:start])
    header = header_rows(lines[:start], spans)
    by_line = HeaderRows([_placed_by_overlap(line, spans) for line in lines[:start]], {})
    rows: list[list[str | None]] = list(header.rows)
    row_pages: list[int] = [lines[0].page] * len(rows)
    for line in lines[start:]:
        rows.append(_placed_by_overlap(line, spans))
        row_pages.append(line.page)
    return Grid(rows=rows, page=lines[0].page, top=lines[0].top, row_pages=row_pages, origins=header.origins,
                header=header, other_headers=[by_line] if by_line.rows else [])


def _placed_by_overlap(line: TextLine, spans: list[tuple[float, float]]) -> list[str | None]:
    """A line's words in the columns they overlap most (else the nearest), those of one column joined."""
    cells: list[list[str]] = [[] for _ in spans]
    for word in line.words:
        overlaps = [min(word.x1, b) - max(word.x0, a) for a, b in spans]
        best = max(range(len(spans)), key=lambda i: overlaps[i])
        if overlaps[best] <= 0:
            centre = (word.x0 + word.x1) / 2
            best = min(range(len(spans)), key=lambda i: abs(centre - (spans[i][0] + spans[i][1]) / 2))
        cells[best].append(word.text)
    return ["".join(c) if c else None for c in cells]


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
