"""Block stream → table drafts and narrative lines.

Walks the blocks in reading order: a title line opens a table; the lines
after it give its label (公开01表 / 表一), department, year and unit; grids
(or, without ruling lines, aligned text lines) give its cells; 注/说明 lines
close it. A grid at the top of the next page with no title before it
continues the open table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.layout import Block, Grid, TextLine, cells_in_columns, grid_from_lines, realign_rows
from parsers.model import DocumentKind
from parsers.registry import identify_table, looks_like_title
from parsers.text import clean, compact

__all__ = ["TableDraft", "Assembly", "assemble"]

_LABEL_TEXT = r"(附表\d+|(公开|预算|决算|部门|单位)?\s*(\d{1,2}|[一二三四五六七八九十]+)\s*表|(公开)?表\s*[一二三四五六七八九十\d]+)"
_LABEL = re.compile(rf"^{_LABEL_TEXT}$")
_LEADING_LABEL = re.compile(rf"^{_LABEL_TEXT}\s*(?=\S)")
_UNIT = re.compile(r"(?:金额)?单位[:：]\s*(万元|元|千元|亿元)")
# 部门：/部门名称：/单位名称：/预算单位：… — a bare 单位： states the unit of money
_DEPARTMENT = re.compile(
    r"^(?:(?:预算|决算)?(?:编制)?部门(?:名称)?|单位名称|(?:预算|决算|编制)单位)[:：]\s*(.+?)\s*(?:(?:金额)?单位[:：].*)?$"
)
_UNIT_NAME = re.compile(r"(万元|元|千元|亿元)")  # 单位：万元 names a unit of money, not a department
_YEAR_LINE = re.compile(r"^((?:19|20)\d{2})\s*年度?$")
_NOTE = re.compile(r"^(注|备注)\s*\d*\s*[:：]?")
_EXPLANATION = re.compile(r"^说明\s*[:：]")
_EMPTY_STATEMENT = re.compile(r"本表无数据|故本表为?空|本表为空|此表无数据|本表无(?:内容|金额)")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")


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


@dataclass
class Assembly:
    tables: list[TableDraft] = field(default_factory=list)
    narrative: list[TextLine] = field(default_factory=list)


def _title_of(lines: list[TextLine], index: int, kind: DocumentKind | None) -> tuple[str, int] | None:
    """The table title starting at lines[index], joined with the next line when broken."""
    whole = clean(lines[index].text)
    line = re.split(r"[。；]", whole)[-1].strip()  # a sentence tail glued to the title
    if _PART.match(line) or not re.search(r"[\u4e00-\u9fff]", line):
        return None
    if looks_like_title(line):
        return line, 1
    key = re.sub(r"^(19|20)\d{2}年度?", "", compact(line))  # a leading year is part of many titles
    # one printed word, no sentence tail, no 二十三、 enumeration: not a row or a heading
    single = line == whole and len(lines[index].words) <= 1 and not _HEADING.match(line)
    if single and len(key) <= 20 and not re.search(r"\d|说明|情况|[，。：]", key) and identify_table(line, kind):
        return line, 1  # a title printed without 表 (机关（机构）运行经费)
    if index + 1 < len(lines) and len(compact(line)) <= 40 and not re.search(r"\d[\d,.]{2,}", line):
        joined = line + clean(lines[index + 1].text)
        if looks_like_title(joined) and identify_table(joined, kind):
            return joined, 2
    return None


def _is_tabular(line: TextLine) -> bool:
    """A line of an unruled table: several separated words, some of them numbers."""
    if len(line.words) < 2:
        return False
    return any(re.search(r"\d", w.text) for w in line.words) or len(compact(line.text)) <= 40


_WRAP_GAP = 16.0  # points: a wrapped cell line sits closer to its row than the next row's gap plus a bit


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


def _table_fragment(line: TextLine, table: TableDraft) -> bool:
    """A line of an unruled table that is no row of figures: part of a multi-line
    header (附属单 | 位上缴) above the first row, a row left blank, or a cell
    wrapped onto its own line (…群众性 | 自治组织补贴)."""
    text = clean(line.text)
    last = table.pending_lines[-1]
    if not any(_has_figures(p) for p in table.pending_lines):  # header zone
        return len(compact(text)) <= 15 and len(line.words) <= 2 and not _HEADING.match(text)
    # body: a row without figures (十一、节能环保) or a wrapped cell, right under the last row
    return len(compact(text)) <= 40 and last.page == line.page and line.top - last.top <= _WRAP_GAP


_FIGURE_WORD = re.compile(r"-?[\d,]*\.?\d+%?")
_YEAR_WORD = re.compile(r"(19|20)\d{2}")


def _has_figures(line: TextLine) -> bool:
    """A row of an unruled table, even when its label looks like a heading
    (一、…收入 1 599.47); years (第三部分 2023 年度…) are no figures."""
    words = [w.text for w in line.words]
    return sum(bool(_FIGURE_WORD.fullmatch(w)) and not _YEAR_WORD.fullmatch(w) for w in words) >= 2


def _same_columns(a: list[tuple[float, float]], b: list[tuple[float, float]], tolerance: float = 3.0) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tolerance for pa, pb in zip(a, b) for x, y in zip(pa, pb))


def _same_row(a: list[str | None], b: list[str | None]) -> bool:
    return [compact(c) for c in a] == [compact(c) for c in b]


class _Assembler:
    def __init__(self, kind: DocumentKind | None) -> None:
        self.kind = kind
        self.out = Assembly()
        self.current: TableDraft | None = None
        self.last_grid_header: list[list[str | None]] = []
        self.chars_since_close = 0
        self.next_label: str | None = None  # a label printed above the next title

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
            if grid is not None and len(grid.rows) >= 2 and any(_has_figures(line) for line in table.pending_lines):
                table.rows.extend(grid.rows)
                table.row_pages.extend(grid.pages_of_rows())
            else:
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
        return bool(text) and not re.search(r"\d\.\d", text) and self.meta(table, text)

    def _continues_last(self, grid: Grid) -> bool:
        """An untitled grid right after a table, on a later page, continues it."""
        if not self.out.tables or self.chars_since_close > 30:
            return False
        last = self.out.tables[-1]
        return bool(last.row_pages) and last.row_pages[-1] < grid.page and not last.notes

    def open(self, title: str, page: int) -> None:
        self.close()
        label = _LEADING_LABEL.match(title)  # 公开01表收支预算总表: a label glued to its title
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
                self.meta(table, text)
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
                    table.rows = realign_rows(table.rows, table.column_bounds, grid.column_bounds)
                    table.column_bounds = grid.column_bounds
                    table.origins = {}
        else:
            self.last_grid_header = rows[:4]
            table.column_bounds = grid.column_bounds
            offset = len(grid.rows) - len(rows)
            for (r, c), (r0, c0) in (grid.origins or {}).items():
                if r - offset >= 0 and r0 - offset >= 0:
                    table.origins[(r - offset, c)] = (r0 - offset, c0)
            pages = grid.pages_of_rows()[-len(rows):] if rows else []
        table.rows.extend(rows)
        table.row_pages.extend(pages)

    # -- lines -------------------------------------------------------------
    def meta(self, table: TableDraft, text: str) -> bool:
        """Absorb a label/department/year/unit line; True when it was one."""
        key = compact(text)
        unit = _UNIT.search(key)
        department = _DEPARTMENT.match(clean(text))
        found = False
        if unit:
            table.unit = table.unit or unit.group(1)
            found = True
        if department and department.group(1).strip() and not _UNIT_NAME.fullmatch(compact(department.group(1))):
            table.department = table.department or clean(department.group(1))
            found = True
        year = _YEAR_LINE.match(key) or re.search(r"((?:19|20)\d{2})年度?$", key)
        if year and (found or _YEAR_LINE.match(key)):
            table.year = table.year or int(year.group(1))
            found = True
        for part in re.split(r"\s+", clean(text)):
            if _LABEL.match(compact(part)):
                table.label = table.label or compact(part)
                found = True
        return found

    def line(self, lines: list[TextLine], index: int) -> int:
        line = lines[index]
        text = clean(line.text)
        if _LABEL.match(compact(text)):
            table = self.current
            if table is not None and not table.rows and not table.pending_lines and not table.label:
                table.label = compact(text)  # printed below its title
            else:
                self.next_label = compact(text)
            return 1
        title = _title_of(lines, index, self.kind)
        if title:
            self.open(title[0], line.page)
            return title[1]
        table = self.current
        if table is None:
            self.narrative(line)
            return 1
        if not re.search(r"[\w\u4e00-\u9fff]", text):
            return 1  # stray punctuation (quote glyphs set apart from their title)
        if _EXPLANATION.match(text) or _EMPTY_STATEMENT.search(text):
            table.empty_note = text
            return 1
        if _NOTE.match(text):
            table.notes.append(text)
            return 1
        if not table.rows and len(table.pending_lines) < 2 and self.meta(table, text):
            return 1
        if table.rows and not table.pending_lines:
            if table.empty_note and not _HEADING.match(text) and not table.notes:
                table.empty_note += text
                return 1
            if self.meta(TableDraft(title="", page=line.page), text):
                return 1  # a repeated 单位/部门 line above a continuation
            if table.column_bounds and not table.notes and _has_figures(line) and line.words:
                table.pending_lines.append(line)  # a row of a ruled table printed outside its ruling
                return 1
            self.close()
            self.narrative(line)
            return 1
        if (_HEADING.match(text) and not _has_figures(line)) or not _is_tabular(line):
            if (table.pending_lines and not _table_fragment(line, table)) or not line.words:
                self.close()
                self.narrative(line)
                return 1
        if line.words:
            table.pending_lines.append(line)
            return 1
        self.narrative(line)
        return 1

    def narrative(self, line: TextLine) -> None:
        self.out.narrative.append(line)
        self.chars_since_close += len(compact(line.text))

    def run(self, blocks: list[Block]) -> Assembly:
        # Group consecutive text lines so titles broken across two lines can be joined.
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if isinstance(block, Grid):
                self.add_grid(block)
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


def assemble(blocks: list[Block], kind: DocumentKind | None) -> Assembly:
    return _Assembler(kind).run(blocks)
