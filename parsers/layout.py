"""The format-neutral page stream every source (PDF, XLSX, DOCX, OCR) produces.

A source turns a file into ``Block``s in reading order: text lines and
grids (tables whose cells the source could delimit, e.g. ruling lines or
spreadsheet cells). The assembler then finds titles, tables and sections in
that stream without knowing where it came from. Lines keep their words'
positions so that tables without ruling lines can be rebuilt from alignment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from parsers.text import compact
from parsers.tolerances import TOLERANCES as T

__all__ = ["Word", "TextLine", "HeaderRows", "Grid", "Block", "grid_from_lines", "is_sequence_row", "SEQUENCE_LABELS", "realign_rows", "realign_grid", "cells_in_columns"]


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


def _type_gaps(lines: list[TextLine]) -> list[tuple[float, float]]:
    """Gaps where a figure meets a label, or a finished number meets another figure,
    across a small space (599.47 | 一、一般公共服务支出; 291.36 | 302; 39 | 6.52)."""
    gaps = []
    for line in lines:
        for a, b in zip(line.words, line.words[1:]):
            gap = b.x0 - a.x1
            if gap >= T.cell_gap and (
                bool(_FIGURE.fullmatch(a.text)) != bool(_FIGURE.fullmatch(b.text))
                or (_COMPLETE_DECIMAL.search(a.text) and _FIGURE.fullmatch(b.text))
            ):
                gaps.append((a.x1, b.x0))
            elif gap >= T.cell_gap and _ROW_NUMBER.fullmatch(a.text) and _FIGURE.fullmatch(b.text) and b.text[0].isdigit():
                gaps.append((a.x1, b.x0))
            elif gap >= 0 and _CENTS.fullmatch(a.text) and b.text[:1].isdigit():
                gaps.append((a.x1, b.x0))  # 291.36 | 302 touching: two cells (page_blocks split the word)
    return gaps


def _type_cuts(lines: list[TextLine], words: list[Word]) -> list[float]:
    """X positions between two cells of different type (``_type_gaps``) that no word
    crosses by more than ``T.cell_gap`` on both sides (the widest amount of a column
    may touch the code printed after it)."""
    points = {round(x, 1) for lo, hi in _type_gaps(lines) for x in (lo, (lo + hi) / 2, hi)}
    return [x for x in points if not any(w.x0 < x - T.cell_gap and x + T.cell_gap < w.x1 for w in words)]


def _column_spans(lines: list[TextLine]) -> list[tuple[float, float]]:
    """X-intervals covered by words of the lines, merged where they overlap, split
    where a figure and a label meet and no word straddles the gap."""
    words = [w for line in lines for w in line.words]
    spans = sorted((w.x0, w.x1) for w in words)
    cuts = _type_cuts(lines, words)
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1] + T.column_gap and not any(merged[-1][1] <= x <= x0 for x in cuts):
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [
        part for a, b in merged for cut in _cut_at((a, b), cuts, words) for part in _split_at_valleys(cut, lines)
    ]


def _cut_at(span: tuple[float, float], cuts: list[float], words: list[Word]) -> list[tuple[float, float]]:
    """A span split at the type cuts inside it, each part the extent of the words
    centred in it (an amount printed a little into the next cell stays in its own)."""
    a, b = span
    inside = sorted(x for x in cuts if a < x < b)
    if not inside:
        return [span]
    parts = []
    for lo, hi in zip([a, *inside], [*inside, b]):
        centred = [w for w in words if a <= w.x0 and w.x1 <= b and lo <= (w.x0 + w.x1) / 2 < hi]
        if centred:
            parts.append((min(w.x0 for w in centred), max(w.x1 for w in centred)))
    return parts


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
    if marks and numbers and (len(marks) + len(numbers) == len(texts) or texts[0] in SEQUENCE_LABELS):
        return True  # 栏次 | 1 | 2 …, however a header's wrapped tail ran into one of its cells
    return len(numbers) >= 2 and len(numbers) == len(texts) and [int(n) for n in numbers] == list(
        range(int(numbers[0]), int(numbers[0]) + len(numbers))
    )


def _with_header_columns(spans: list[tuple[float, float]], header: list[TextLine]) -> list[tuple[float, float]]:
    """The body's columns and those only the header shows: a column no row prints a
    figure in (政府性基金 | 国有资本 … all blank) still has its heading, clear of
    every column of the body and not a wrapped line of a body column's heading
    (事业收 | 入). A heading just beside a body column that no heading overlaps is
    that column's (事业收 | 0: a narrow figure printed at the right of a wide cell)."""
    words = [(w.x0, w.x1, line.top) for line in header for w in line.words]

    def over(x0: float, x1: float, a: float, b: float) -> bool:
        return x0 < b and a < x1

    headings = [  # words heading exactly one body column
        (x0, x1, top) for x0, x1, top in words if sum(over(x0, x1, a, b) for a, b in spans) == 1
    ]
    margins = [0.0 if any(over(x0, x1, a, b) for x0, x1, _ in words) else T.column_gap for a, b in spans]
    clear_words = sorted(
        (x0, x1)
        for x0, x1, top in words
        if not any(over(x0 - m, x1 + m, a, b) for (a, b), m in zip(spans, margins))
        and not any(a <= x0 and x1 <= b and abs(top - t) <= T.header_wrap_gap for a, b, t in headings)
    )
    extra: list[list[float]] = []
    for x0, x1 in clear_words:
        if extra and x0 - extra[-1][1] < T.word_x:
            extra[-1][1] = max(extra[-1][1], x1)
        else:
            extra.append([x0, x1])
    return sorted([*spans, *((a, b) for a, b in extra)])


# an amount stopping short of its cents (512.0), or a 科目代码 short of its 5 or 7 digits (3100)
_UNFINISHED = re.compile(r"\d\.\d?$|^(\d{4}|\d{6})$")
_FIGURE_TAIL = re.compile(r"\d{1,2}")


def _join_wrapped_figures(lines: list[TextLine]) -> list[TextLine]:
    """Amounts and codes wrapped inside narrow cells (512.0 | 2, 3100 | 1) joined back:
    a line whose words are one- or two-digit tails under amounts of the line above
    that stop short of their cents or codes short of their digits, and short ends of
    that row's other cells wrapped with them (12220 | 1, 焦作市政务大数据中 | 心)."""
    out: list[TextLine] = []
    for line in lines:
        above = out[-1] if out else None
        if above is not None and line.page == above.page and line.top - above.top <= T.wrap_gap:
            targets = [_wrapped_under(word, above) for word in line.words]
            tails = [w for w, t in zip(line.words, targets) if t is not None and _UNFINISHED.search(above.words[t].text)]
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


def _join_centred_cells(lines: list[TextLine]) -> list[TextLine]:
    """Cells wrapped over lines of their own in a row whose other cells are centred on
    them (3020 | row | 1; 二、政府性基金预算财政拨 | row | 款) joined back into their row:
    a line printed only in gaps between the words of the nearest row of figures within
    ``T.wrap_gap`` is part of it, when it has a part above the row and one below; the
    parts over one another are one cell, read top to bottom."""
    first = next((i for i, line in enumerate(lines) if _is_body_line(line) or _holds_amount(line)), len(lines))
    fragments: dict[int, list[tuple[TextLine, Word]]] = {}
    for i in range(first + 1, len(lines)):
        row = _row_of_fragment(lines, i)
        if row is not None:
            fragments.setdefault(row, []).extend((lines[i], w) for w in lines[i].words)
    joined: dict[int, TextLine] = {}
    used: set[int] = set()  # ids of the words moved into a row
    for row, parts in fragments.items():
        line = lines[row]
        stacks = [s for s in _stacks(parts) if min(p.top for p, _w in s) < line.top < max(p.top for p, _w in s)]
        if not stacks:
            continue
        words = list(line.words)
        for stack in stacks:
            text = "".join(w.text for _l, w in sorted(stack, key=lambda p: p[0].top))
            words.append(Word(text, min(w.x0 for _l, w in stack), max(w.x1 for _l, w in stack)))
            used.update(id(w) for _l, w in stack)
        words.sort(key=lambda w: w.x0)
        joined[row] = replace(line, text=" ".join(w.text for w in words), words=words)
    out = []
    for i, line in enumerate(lines):
        line = joined.get(i, line)
        left = [w for w in line.words if id(w) not in used]
        if len(left) == len(line.words):
            out.append(line)
        elif left:
            out.append(replace(line, text=" ".join(w.text for w in left), words=left))
    return out


_NEIGHBOURS = 3  # lines looked at on each side of a fragment


def _row_of_fragment(lines: list[TextLine], index: int) -> int | None:
    """The index of the row of figures a line of cell fragments belongs to, or None."""
    line = lines[index]
    if not line.words or _holds_amount(line):
        return None
    near = [  # lines are in reading order: the row is one of the few around
        (abs(lines[j].top - line.top), j)
        for j in range(max(0, index - _NEIGHBOURS), min(len(lines), index + _NEIGHBOURS + 1))
        if j != index and lines[j].page == line.page and abs(lines[j].top - line.top) <= T.wrap_gap
    ]
    if not near:
        return None
    _gap, j = min(near)
    row = lines[j]
    fits = (_is_body_line(row) or _holds_amount(row)) and len(row.words) > 2 * len(line.words) and not any(
        w.x0 < r.x1 and r.x0 < w.x1 for w in line.words for r in row.words
    )
    return j if fits else None


def _stacks(parts: list[tuple[TextLine, Word]]) -> list[list[tuple[TextLine, Word]]]:
    """Fragments grouped by the column they share (overlapping x-extents)."""
    stacks: list[list[tuple[TextLine, Word]]] = []
    for part in sorted(parts, key=lambda p: p[1].x0):
        if stacks and any(part[1].x0 < w.x1 and w.x0 < part[1].x1 for _l, w in stacks[-1]):
            stacks[-1].append(part)
        else:
            stacks.append([part])
    return stacks


def _wrapped_under(word: Word, above: TextLine) -> int | None:
    """Index of the word of ``above`` that ``word`` may end: printed over it, and either
    an amount or code stopping short (``_UNFINISHED``) over a figure tail, or any cell over a
    fragment of at most two characters, or text over text (a wrapped name)."""
    for index, candidate in enumerate(above.words):
        if min(word.x1, candidate.x1) - max(word.x0, candidate.x0) <= -T.cell_gap:
            continue
        unfinished = _UNFINISHED.search(candidate.text)
        text_under_text = not _FIGURE.fullmatch(word.text) and not _FIGURE.fullmatch(candidate.text)
        if (unfinished and _FIGURE_TAIL.fullmatch(word.text)) or (not unfinished and (len(word.text) <= 2 or text_under_text)):
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
    from parsers.unruled_header import header_readings  # it reads the registry's vocabulary

    lines = _join_centred_cells(_join_wrapped_figures([line for line in lines if line.words]))
    if not lines:
        return None
    body = [line for line in lines if _is_body_line(line)]
    numbered = [line for line in body if is_sequence_row([w.text for w in line.words])]
    spans = _column_spans([line for line in body if line not in numbered] or body or lines)
    if len(spans) < 2:
        return None
    start = next((i for i, line in enumerate(lines) if _is_body_line(line) or _holds_amount(line)), 0)
    if numbered:
        spans = _anchored_columns(_with_header_columns(spans, lines[:start]), _sequence_numbers(numbered[0].words))
    elif len(body) <= T.sparse_body_rows:
        spans = _anchored_columns(spans, _leaf_headings(lines[:start]))  # too few rows to show the columns
    else:
        spans = _with_header_columns(spans, lines[:start])
    header, *others = header_readings(_stacked(lines[:start]), spans)
    by_line = HeaderRows([_placed_by_overlap(line, spans) for line in lines[:start]], {})
    rows: list[list[str | None]] = list(header.rows)
    row_pages: list[int] = [lines[0].page] * len(rows)
    for line in lines[start:]:
        rows.append(_placed_by_overlap(line, spans))
        row_pages.append(line.page)
    return Grid(rows=rows, page=lines[0].page, top=lines[0].top, row_pages=row_pages, origins=header.origins,
                header=header, other_headers=[*others, by_line] if by_line.rows else others)


def _sequence_numbers(words: list[Word]) -> list[Word]:
    """The numbers of a 栏次 row (1 | 2 | 3 …) when they number consecutive columns: one
    run after at most one label (a two-sided table numbers its columns on each side,
    栏次 | 1 | 栏次 | 2, with labels printed between); else none."""
    first = next((i for i, w in enumerate(words) if w.text.isdigit()), len(words))
    numbers = words[first:]
    return numbers if first <= 1 and all(w.text.isdigit() for w in numbers) else []


def _leaf_headings(header: list[TextLine]) -> list[Word]:
    """The lowest heading over each column: header words with no header word printed
    under them."""
    words = [(line.top, w) for line in header for w in line.words]
    return sorted(
        (w for top, w in words if not any(t > top and v.x0 < w.x1 and w.x0 < v.x1 for t, v in words)),
        key=lambda w: w.x0,
    )


def _anchored_columns(spans: list[tuple[float, float]], anchors: list[Word]) -> list[tuple[float, float]]:
    """One column per anchor (a 栏次 number, or the lowest heading over a column), however
    empty below, holding the spans centred between its neighbours' midpoints (anchors are
    centred, amounts right-aligned); the spans beyond the anchors as they are."""
    if len(anchors) < 2:
        return spans
    centres = [(w.x0 + w.x1) / 2 for w in anchors]
    bounds = [(a + b) / 2 for a, b in zip(centres, centres[1:])]
    edges = [2 * centres[0] - bounds[0], *bounds, 2 * centres[-1] - bounds[-1]]
    columns: list[list[float]] = [[w.x0, w.x1] for w in anchors]
    outside: list[tuple[float, float]] = []
    for a, b in spans:
        centre = (a + b) / 2
        k = next((i for i in range(len(anchors)) if edges[i] <= centre < edges[i + 1]), None)
        if k is None:
            outside.append((a, b))
        else:
            columns[k] = [min(columns[k][0], a), max(columns[k][1], b)]
    return sorted([*outside, *((a, b) for a, b in columns)])


def _stacked(lines: list[TextLine]) -> list[TextLine]:
    """Lines of a header broken over a page break, with the later page's lines moved
    under the earlier page's (their tops start again at the top of the page)."""
    out: list[TextLine] = []
    shift = 0.0
    for line in lines:
        if out and line.page != out[-1].page:
            shift = out[-1].top + T.header_wrap_gap + T.header_band - line.top
        out.append(replace(line, top=line.top + shift) if shift else line)
    return out


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
    return realign_grid(rows, bounds, target, {})[0]


def realign_grid(
    rows: list[list[str | None]], bounds: list[tuple[float, float]], target: list[tuple[float, float]],
    origins: dict[tuple[int, int], tuple[int, int]],
) -> tuple[list[list[str | None]], dict[tuple[int, int], tuple[int, int]]]:
    """``realign_rows``, with the merge origins of the rows moved onto the target
    columns: every target column a merged cell covers points to where the cell went."""
    centres = [(a + b) / 2 for a, b in target]
    realigned = []
    placed: dict[tuple[int, int], tuple[int, int]] = {}  # printed cell → its target position
    covers: dict[tuple[int, int], list[int]] = {}  # printed cell → the target columns it covers
    for r, row in enumerate(rows):
        out: list[str | None] = [None] * len(target)
        for c, cell in enumerate(row):
            if cell is None or c >= len(bounds):
                continue
            # A cell spans the columns covered by the None cells after it (a merge).
            end = c
            while end + 1 < min(len(row), len(bounds)) and row[end + 1] is None:
                end += 1
            x0, x1 = bounds[c][0], bounds[end][1]
            inside = [t for t, centre in enumerate(centres) if x0 <= centre <= x1]
            free = [t for t in inside if out[t] is None]
            if free:
                out[free[0]] = cell
                placed[(r, c)] = (r, free[0])
                covers[(r, c)] = inside
        realigned.append(out)
    moved: dict[tuple[int, int], tuple[int, int]] = {}
    for (r, c), (r1, t1) in placed.items():  # columns a cell spans on the target grid
        for t in covers[(r, c)]:
            if t != t1 and realigned[r][t] is None:
                moved[(r, t)] = (r1, t1)
    for (r, c), (r0, c0) in origins.items():  # other merged positions (down the rows)
        if (r0, c0) in placed and c < len(bounds):
            for t, centre in enumerate(centres):
                if bounds[c][0] <= centre <= bounds[c][1] and (r, t) != placed[(r0, c0)]:
                    moved.setdefault((r, t), placed[(r0, c0)])
    return realigned, moved


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
