"""Block stream → table drafts and narrative lines.

Walks the blocks in reading order: a title line opens a table; the lines
after it give its label (公开01表 / 表一), department, year and unit; grids
(or, without ruling lines, aligned text lines) give its cells; 注/说明 lines
close it. A grid at the top of the next page with no title before it
continues the open table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from parsers.classify import LEADING_LABEL, Classified, LineClass, Meta, classify_line, has_figures, read_label, read_meta
from parsers.layout import Block, Grid, HeaderRows, TextLine, cells_in_columns, grid_from_lines, realign_grid, realign_rows
from parsers.model import DocumentKind
from parsers.registry import looks_like_title
from parsers.text import clean, compact
from parsers.tolerances import TOLERANCES as T

__all__ = ["TableDraft", "Assembly", "State", "Step", "GridStep", "assemble"]

_RECENT = 40  # lines of a long table looked at for its row pitch and its columns
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")  # a part of the document, however centred
_NOTE_ITEM = re.compile(r"^(?:\d{1,2}\s*[.、．]|[（(]\d{1,2}[)）])\s*\D")


class State(StrEnum):
    """Where the assembler stands when a line comes."""

    OUTSIDE = "outside"  # no table open: narrative
    HEAD = "head"  # a title seen; label, meta and header lines may follow
    LINES = "lines"  # collecting the lines of an unruled table (or rows outside a ruling)
    BODY = "body"  # the table has rows (from a grid)


@dataclass(frozen=True)
class Step:
    """One line through the state machine, for ``--explain``."""

    line: TextLine
    seen: Classified
    state: State
    action: str


@dataclass(frozen=True)
class GridStep:
    """One ruled grid through the assembler, for ``--explain``."""

    grid: Grid
    state: State
    table: str  # the title of the table its rows went to

@dataclass
class TableDraft:
    title: str
    page: int
    label: str | None = None
    department: str | None = None
    year: int | None = None
    unit: str | None = None
    rows: list[list[str | None]] = field(default_factory=list)
    row_pages: list[int] = field(default_factory=list)
    origins: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    column_bounds: list[tuple[float, float]] | None = None
    notes: list[str] = field(default_factory=list)
    empty_note: str | None = None
    pending_lines: list[TextLine] = field(default_factory=list)
    unplaced: int = 0  # figures of lines under the title that went to no cell
    # an unruled table's header as read (its first rows) and other readings of it
    header: HeaderRows | None = None
    other_headers: list[HeaderRows] = field(default_factory=list)

    def readings(self) -> list[TableDraft]:
        """This draft, then one per other reading of its header (the parser keeps the
        reading whose own arithmetic and columns hold best: ``tables.best_reading``)."""
        if self.header is None:
            return [self]
        body, pages = self.rows[len(self.header.rows):], self.row_pages[len(self.header.rows):]
        return [self, *(
            replace(self, rows=[*other.rows, *body], row_pages=[self.page] * len(other.rows) + pages,
                    origins=dict(other.origins), header=None, other_headers=[])
            for other in self.other_headers
        )]


@dataclass
class Assembly:
    tables: list[TableDraft] = field(default_factory=list)
    narrative: list[TextLine] = field(default_factory=list)


def _slice_grid(grid: Grid, start: int, end: int) -> Grid:
    """Rows start..end of a grid, with merge origins inside the slice kept."""
    origins = {
        (r - start, c): (r0 - start, c0)
        for (r, c), (r0, c0) in (grid.origins or {}).items()
        if start <= r < end and start <= r0 < end
    }
    return Grid(
        rows=grid.rows[start:end],
        page=grid.page,
        top=grid.top,
        row_pages=grid.row_pages[start:end] if grid.row_pages else None,
        origins=origins,
        column_bounds=grid.column_bounds,
    )


def _table_fragment(line: TextLine, table: TableDraft, seen: Classified) -> bool:
    """A line of an unruled table that is no row of figures: part of a multi-line
    header (附属单 | 位上缴) above the first row, a row left blank, or a cell
    wrapped onto its own line (…群众性 | 自治组织补贴)."""
    text = clean(line.text)
    last = table.pending_lines[-1]
    if not any(has_figures(p) for p in table.pending_lines):  # header zone
        short = len(compact(text)) <= T.header_fragment_chars and len(line.words) <= T.header_fragment_words
        return short and seen.shape is not LineClass.HEADING
    # body: a row without figures (十一、节能环保) or a wrapped cell, right under the last row
    near = max(T.wrap_gap, T.row_pitch_slack * _row_pitch(table.pending_lines[-_RECENT:]))
    return len(compact(text)) <= T.body_fragment_chars and last.page == line.page and line.top - last.top <= near


def _on_columns(line: TextLine, pending: list[TextLine]) -> bool:
    """Words each starting where a word of the table's lines starts (二、政府性基金预算
    拨款收入 | 三、国防 at the top of a continuation page), or one word printed right of
    the table's first column (二十七、预备费 under 支出, a wrapped cell's next lines):
    table text, not the document's (which starts at the margin)."""
    starts = [w.x0 for p in pending[:_RECENT] + pending[-_RECENT:] for w in p.words]  # the header's and the last rows'
    if not starts:
        return False
    if len(line.words) == 1:
        return line.words[0].x0 - min(starts) > T.column_gap and not _PART.match(clean(line.text))
    return all(any(abs(w.x0 - x) <= T.same_columns for x in starts) for w in line.words)


def _row_pitch(lines: list[TextLine]) -> float:
    """The usual distance between two consecutive lines of a table on one page (0 when
    no two share a page): a row without figures stands this far below the row above."""
    gaps = sorted(b.top - a.top for a, b in zip(lines, lines[1:]) if a.page == b.page and b.top > a.top)
    return gaps[len(gaps) // 2] if gaps else 0.0


def _repeated_header(line: TextLine, table: TableDraft) -> bool:
    """A line at the top of a new page, above any row there, while an unruled table's
    rows are being collected, whose every word is printed in the table's header: the
    header printed again. (A row without figures there, 其中：财政拨款 | 二、外交, is
    a row of the table.)"""
    pending = table.pending_lines
    if not pending or line.page <= pending[-1].page:
        return False
    first_row = next((i for i, p in enumerate(pending) if has_figures(p)), None)
    if first_row is None:
        return False
    header = "".join(compact(p.text) for p in pending[:first_row])
    words = [compact(w.text) for w in line.words] or [compact(line.text)]
    return bool(header) and all(w in header for w in words if w)


def _note_row(row: list[str | None]) -> bool:
    """A grid's row that is one cell stating the table's note (注：1.本表统计的是…)."""
    filled = [c for c in row if c and c.strip()]
    return len(filled) == 1 and compact(filled[0]).startswith(("注:", "注：", "注1", "说明:", "说明："))


def _same_columns(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= T.same_columns for pa, pb in zip(a, b) for x, y in zip(pa, pb))


def _same_row(a: list[str | None], b: list[str | None]) -> bool:
    """The same header row printed again: equal cells, but for at most one (a header
    cell's wrapped text running into the row below it on one page and not the other)."""
    if len(a) != len(b):
        return False
    pairs = [(compact(x), compact(y)) for x, y in zip(a, b)]
    differing = sum(x != y for x, y in pairs)
    return differing == 0 or (differing == 1 and sum(bool(x) and x == y for x, y in pairs) >= 2)


class _Assembler:
    def __init__(self, kind: DocumentKind | None, trace: list[Step | GridStep] | None = None) -> None:
        self.kind = kind
        self.trace = trace
        self.out = Assembly()
        self.current: TableDraft | None = None
        self.last_grid_header: list[list[str | None]] = []
        self.chars_since_close = 0
        self.next_label: str | None = None  # a label printed above the next title
        self.upcoming: TextLine | None = None  # the line after the one being handled

    # -- table lifecycle -------------------------------------------------
    def close(self) -> None:
        table = self.current
        if table is None:
            return
        if table.pending_lines and table.rows and table.column_bounds:
            self._place_stray_rows(table)
            table.pending_lines = []
        if table.pending_lines:
            grid = grid_from_lines(table.pending_lines)
            if grid is not None and len(grid.rows) >= 2 and any(has_figures(line) for line in table.pending_lines):
                if not table.rows:
                    table.origins = dict(grid.origins or {})
                    table.header, table.other_headers = grid.header, grid.other_headers
                table.rows.extend(grid.rows)
                table.row_pages.extend(grid.pages_of_rows())
            else:
                table.unplaced += sum(len(line.words) for line in table.pending_lines if has_figures(line))
                self.out.narrative.extend(table.pending_lines)
            table.pending_lines = []
        self.current = None
        if not table.rows and not table.empty_note:
            # A title with no cells: an entry of the table of contents, not a table.
            self.out.narrative.append(TextLine(text=table.title, page=table.page))
            return
        self.out.tables.append(table)
        self.chars_since_close = 0

    @staticmethod
    def _caption(first_row: list[str | None]) -> list[str] | None:
        """Lines of a first row that is one merged cell starting with a table title."""
        filled = [c for c in first_row if c]
        if len(filled) != 1:
            return None
        lines = [clean(part) for part in filled[0].splitlines() if clean(part)]
        if lines and looks_like_title(lines[0]):
            return lines  # title, then label/department/unit lines
        joined = clean(filled[0])  # a title broken over lines (…支出预算 | 表)
        return [joined] if looks_like_title(joined) else None

    @staticmethod
    def _place_stray_rows(table: TableDraft) -> None:
        """Put lines of figures that escaped a ruled table (its top rule missing on a
        new page) under the table's columns by the position of their words."""
        assert table.column_bounds is not None
        for line in table.pending_lines:
            table.rows.append(cells_in_columns(line, table.column_bounds))
            table.row_pages.append(line.page)

    def _meta_row(self, table: TableDraft, row: list[str | None]) -> bool:
        """Absorb a grid row that only states the department/unit/year; True when it did."""
        text = " ".join(c for c in row if c)
        meta = read_meta(text) if text and not re.search(r"\d\.\d", text) else None
        if meta:
            self.absorb_meta(table, meta)
        return meta is not None

    def _continues_last(self, grid: Grid) -> bool:
        """An untitled grid right after a table, on a later page, continues it."""
        if not self.out.tables or self.chars_since_close > T.continuation_text_chars:
            return False
        last = self.out.tables[-1]
        return bool(last.row_pages) and last.row_pages[-1] < grid.page and not last.notes

    def open(self, title: str, page: int) -> None:
        self.close()
        label = LEADING_LABEL.match(title)  # 公开01表收支预算总表: a label glued to its title
        if label and looks_like_title(title[label.end() :]):
            self.next_label = self.next_label or compact(label.group(1))
            title = title[label.end() :]
        self.current = TableDraft(title=title, page=page, label=self.next_label)
        self.next_label = None

    def add_grid(self, grid: Grid) -> None:
        rows = [[clean(c) if c is not None else None for c in row] for row in grid.rows]
        split = next((i for i in range(1, len(rows)) if self._caption(grid.rows[i])), None)
        if split is not None:
            # Two tables in one ruling: the next one's title row starts it.
            self.add_grid(_slice_grid(grid, 0, split))
            self.add_grid(_slice_grid(grid, split, len(grid.rows)))
            return
        table = self.current
        caption = self._caption(grid.rows[0]) if rows else None  # raw: clean() joins its lines
        stray: list[TextLine] = []
        if table is not None and table.pending_lines:
            if table.rows and grid.column_bounds and not caption:
                stray = table.pending_lines  # rows printed above the ruling of this continuation
            elif table.rows and table.column_bounds:
                self._place_stray_rows(table)
            else:
                # Lines before a ruled grid were header text outside the ruling.
                self.out.narrative.extend(table.pending_lines)
            table.pending_lines = []
        if caption:
            # The title (and label/unit lines) printed inside the grid's first cell.
            title, *meta_lines = caption
            if table is None or table.rows or compact(title) != compact(table.title):
                self.open(title, grid.page)
            table = self.current
            assert table is not None
            for text in meta_lines:
                meta = read_meta(text)
                if meta:
                    self.absorb_meta(table, meta)
            rows = rows[1:]
            grid = _slice_grid(grid, 1, len(grid.rows))
        elif table is None:
            if self._continues_last(grid):
                self.current = self.out.tables.pop()
            else:
                self.open("", grid.page)
            table = self.current
        assert table is not None
        while rows and not table.rows and self._meta_row(table, rows[0]):
            rows = rows[1:]  # 部门：… 单位：万元 printed inside the ruling, above the header
        if table.rows:
            # Continuation: drop a repeated header; put cells under the table's columns.
            header = self.last_grid_header
            while rows and header and any(_same_row(rows[0], h) for h in header):
                rows = rows[1:]
            pages = [line.page for line in stray] + (grid.pages_of_rows()[-len(rows):] if rows else [])
            rows = [cells_in_columns(line, grid.column_bounds) for line in stray if grid.column_bounds] + rows
            if grid.column_bounds and table.column_bounds and not _same_columns(grid.column_bounds, table.column_bounds):
                if len(grid.column_bounds) <= len(table.column_bounds):
                    rows = realign_rows(rows, grid.column_bounds, table.column_bounds)
                else:  # the table so far was coarser (a lone header row): move it onto the finer grid
                    table.rows, table.origins = realign_grid(
                        table.rows, table.column_bounds, grid.column_bounds, table.origins
                    )
                    table.column_bounds = grid.column_bounds
        else:
            self.last_grid_header = rows[:4]
            table.column_bounds = grid.column_bounds
            offset = len(grid.rows) - len(rows)
            for (r, c), (r0, c0) in (grid.origins or {}).items():
                if r - offset >= 0 and r0 - offset >= 0:
                    table.origins[(r - offset, c)] = (r0 - offset, c0)
            pages = grid.pages_of_rows()[-len(rows):] if rows else []
        while rows and _note_row(rows[-1]):
            table.notes.insert(0, clean(next(c for c in rows.pop() if c and c.strip())))  # 注：… printed inside the ruling
            pages = pages[:-1]
        table.rows.extend(rows)
        table.row_pages.extend(pages)

    # -- lines: a state machine over classified lines -------------------------------
    @staticmethod
    def absorb_meta(table: TableDraft, meta: Meta) -> None:
        """Fill the fields a meta line states that the table does not know yet."""
        table.unit = table.unit or meta.unit
        table.department = table.department or meta.department
        table.year = table.year or meta.year
        table.label = table.label or meta.label

    def state(self) -> State:
        table = self.current
        if table is None:
            return State.OUTSIDE
        if table.pending_lines:
            return State.LINES
        return State.BODY if table.rows else State.HEAD

    def line(self, lines: list[TextLine], index: int) -> int:
        """Handle ``lines[index]``; returns how many lines it consumed."""
        line = lines[index]
        seen = classify_line(lines, index, self.kind)
        self.upcoming = lines[index + seen.span] if index + seen.span < len(lines) else None
        state = self.state()
        action = self._step(line, seen, state)
        if self.trace is not None:
            self.trace.append(Step(line, seen, state, action))
        return seen.span

    def _step(self, line: TextLine, seen: Classified, state: State) -> str:
        """One transition; returns what was done, for ``--explain``."""
        cls, table = seen.cls, self.current
        if cls is LineClass.LABEL:
            if state is State.HEAD and table is not None and not table.label:
                table.label = read_label(line.text)
                return "label of the open table (printed below its title)"
            self.next_label = read_label(line.text)
            return "label of the next title"
        if cls is LineClass.TITLE:
            assert seen.title is not None
            self.open(seen.title, line.page)
            return "opens a table"
        if table is None:
            self.narrative(line)
            return "narrative"
        if cls is LineClass.PUNCT:
            return "skipped"
        if cls is LineClass.EMPTY_NOTE:
            table.empty_note = clean(line.text)
            return "statement of an empty table"
        if cls is LineClass.NOTE:
            table.notes.append(clean(line.text))
            return "note of the table"
        if table.notes and _NOTE_ITEM.match(clean(line.text)):
            table.notes[-1] += clean(line.text)
            return "note of the table, continued (a numbered item after 注：1.)"
        head = state is State.HEAD or (state is State.LINES and not table.rows and len(table.pending_lines) < 2)
        if cls is LineClass.META and head:
            assert seen.meta is not None
            self.absorb_meta(table, seen.meta)
            return "meta of the table"
        if state is State.BODY:
            return self._after_body(line, seen, table)
        return self._table_text(line, seen, table)

    def _after_body(self, line: TextLine, seen: Classified, table: TableDraft) -> str:
        """A line after a table's rows: its statement going on, a repeated meta line,
        a row printed outside the ruling, or the end of the table."""
        if table.empty_note and seen.shape is not LineClass.HEADING and not table.notes:
            table.empty_note += clean(line.text)
            return "statement of an empty table, continued"
        if seen.cls is LineClass.META:
            return "repeated meta line (continuation)"
        if table.column_bounds and not table.notes and seen.shape is LineClass.ROW:
            table.pending_lines.append(line)
            return "row printed outside the ruling"
        self.close()
        self.narrative(line)
        return "closes the table; narrative"

    def _table_text(self, line: TextLine, seen: Classified, table: TableDraft) -> str:
        """A line while a table's header or unruled body is being collected."""
        if seen.shape in (LineClass.TEXT, LineClass.HEADER) and _repeated_header(line, table):
            return "repeated header on a continuation page (skipped)"
        if seen.shape in (LineClass.HEADING, LineClass.TEXT, LineClass.NARRATIVE):
            if not line.words or (
                table.pending_lines
                and not (
                    _table_fragment(line, table, seen)
                    or self._between_rows(line, seen, table)
                    or (seen.shape is not LineClass.NARRATIVE and _on_columns(line, table.pending_lines))
                )
            ):
                self.close()
                self.narrative(line)
                return "closes the table; narrative"
        table.pending_lines.append(line)
        return "unruled table line" if seen.shape is LineClass.ROW else "table header/fragment line"

    def _between_rows(self, line: TextLine, seen: Classified, table: TableDraft) -> bool:
        """A short line between two rows of an unruled table (a cell wrapped onto a line
        of its own, farther below its row than ``T.wrap_gap``): the row after it, on the
        same page, still belongs to the table."""
        after = self.upcoming
        return (
            seen.shape is LineClass.TEXT
            and any(has_figures(p) for p in table.pending_lines)
            and after is not None
            and after.page == line.page
            and has_figures(after)
            and after.top - table.pending_lines[-1].top <= 2 * T.wrap_gap
        )

    def narrative(self, line: TextLine) -> None:
        self.out.narrative.append(line)
        self.chars_since_close += len(compact(line.text))

    def run(self, blocks: list[Block]) -> Assembly:
        # Group consecutive text lines so titles broken across two lines can be joined.
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if isinstance(block, Grid):
                state = self.state()
                self.add_grid(block)
                if self.trace is not None:
                    self.trace.append(GridStep(block, state, self.current.title if self.current else ""))
                index += 1
                continue
            run_end = index
            while run_end < len(blocks) and isinstance(blocks[run_end], TextLine):
                run_end += 1
            lines = blocks[index:run_end]
            i = 0
            while i < len(lines):
                i += self.line(lines, i)  # type: ignore[arg-type]
            index = run_end
        self.close()
        return self.out


def assemble(blocks: list[Block], kind: DocumentKind | None, trace: list[Step | GridStep] | None = None) -> Assembly:
    """Tables and narrative of a block stream; ``trace`` collects every line's step."""
    return _Assembler(kind, trace).run(blocks)
