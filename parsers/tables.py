"""Table draft → ``ParsedTable``: header, column keys, codes, typed line items."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from parsers.assemble import TableDraft
from parsers.column_contract import contract_keys
from parsers.confidence import table_confidence
from parsers.layout import SEQUENCE_LABELS, is_sequence_row
from parsers.model import DocumentKind, LineItem, ParsedTable, ParseWarning
from parsers.numbers import normalise_cell, read_number
from parsers.registry import column_key, identify_table
from parsers.text import compact
from parsers.tolerances import TOLERANCES as T

__all__ = ["best_reading", "build_table", "row_class"]

_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_CENTS = re.compile(r"-?[\d,]*\d\.\d{2}")
_SPLIT_CODE_HEADERS = ("类", "款", "项")
_IDENTIFIER_HEADER = re.compile(r"^(单位|项目|部门).*(编码|代码|编号)")


@dataclass
class _Columns:
    header_rows: int
    paths: list[list[str]]
    keys: list[str]
    labels: list[str]
    code_groups: list[list[int]]  # per code column group: one column, or 类/款/项 split columns
    text_cols: set[int]
    skip_cols: set[int]


    @cached_property
    def code_cols(self) -> set[int]:  # asked for every cell of the table
        return {c for group in self.code_groups for c in group}


def _is_body_row(row: list[str | None]) -> bool:
    cells = [compact(c) for c in row if c]
    if not cells:
        return False
    if _CODE.match(cells[0]):
        return True
    return any(re.fullmatch(r"-?[\d,]*\.\d+", c) for c in cells)


def row_class(row: list[str | None]) -> str:
    """``sequence`` (栏次 1 2 3), ``body`` (a code or a decimal) or ``header``, as ``build_table`` reads a grid row."""
    if is_sequence_row(row):
        return "sequence"
    return "body" if _is_body_row(row) else "header"


def _header_count(rows: list[list[str | None]]) -> int:
    for index, row in enumerate(rows):
        if is_sequence_row(row):
            return index + 1
        if _is_body_row(row):
            return index
    return min(len(rows), 1)


def _filled_header(
    rows: list[list[str | None]], width: int, origins: dict[tuple[int, int], tuple[int, int]]
) -> list[list[str]]:
    """Header cells with merged (None) cells filled from the printed cell covering them.

    Without known merge boxes (``origins``), a merged cell is filled from above
    when the column has a heading above it, else from the left.
    """
    filled: list[list[str]] = []
    for r, row in enumerate(rows):
        row = list(row) + [None] * (width - len(row))
        out: list[str] = []
        for c, cell in enumerate(row):
            origin = origins.get((r, c))
            if cell is not None:
                out.append(cell)
            elif origin is not None and origin[0] <= r and (origin[0] < r or origin[1] < c):
                out.append(filled[origin[0]][origin[1]] if origin[0] < r else out[origin[1]])
            elif r > 0 and filled[r - 1][c]:
                out.append(filled[r - 1][c])
            elif c > 0:
                out.append(out[c - 1])
            elif r > 0:
                out.append(filled[r - 1][c])
            else:
                out.append("")
        filled.append(out)
    return filled


def _join_spaced_letters(row: list[str | None]) -> list[str | None]:
    """A heading printed letter by letter across a merged cell (支 | 出) is one cell;
    类 | 款 | 项 stay three columns."""
    out = list(row)
    c = 0
    while c < len(out):
        end = c
        while end + 1 < len(out) and _is_spaced_letter(out[c]) and _is_spaced_letter(out[end + 1]):
            end += 1
        if end > c:
            out[c] = "".join(compact(out[i]) for i in range(c, end + 1))
            for i in range(c + 1, end + 1):
                out[i] = None
        c = end + 1
    return out


def _is_spaced_letter(cell: str | None) -> bool:
    text = compact(cell)
    return len(text) == 1 and "\u4e00" <= text <= "\u9fff" and text not in "类款项甲乙丙丁"


def _side_of_unprefixed(keys: list[str]) -> list[str]:
    """The 收入/支出 side of keyed columns printed without it in a two-sided table.

    When only one side's heading came through (garbled, or never printed), the
    columns left of the 支出 side are income and those right of 收入 expense.
    When both did, a column without a side is on the side of the nearest sided
    column to its left: a side heading printed over only some of its columns
    (支 出 centred over 合计 | 一般公共预算, not over 政府性基金 | 国有资本)."""
    sides = [key.split(".")[0] if key.split(".")[0] in ("income", "expense") else None for key in keys]
    if "expense" in sides and "income" not in sides:
        first = sides.index("expense")
        return [f"income.{key}" if c < first and not key.startswith("col") else key for c, key in enumerate(keys)]
    if "income" in sides and "expense" not in sides:
        last = len(sides) - 1 - sides[::-1].index("income")
        return [f"expense.{key}" if c > last and not key.startswith("col") else key for c, key in enumerate(keys)]
    out, current = [], None
    for key, side in zip(keys, sides):
        current = side or current
        out.append(f"{current}.{key}" if side is None and current and not key.startswith("col") else key)
    return out


def _drop_lone_stage(keys: list[str]) -> list[str]:
    """Keep 预算数/决算数 prefixes only where a table prints both (三公: budget vs final)."""
    stages = {part for key in keys for part in key.split(".")[:-1] if part in ("budget", "final")}
    if len(stages) > 1:
        return keys
    return [".".join(p for p in key.split(".") if p not in stages or p == key.split(".")[-1]) for key in keys]


def _outer_totals(keys: list[str], paths: list[list[str]]) -> list[str]:
    """``total`` is the 三公 total; a 合计 outside the 三公 group (三公 + 会议费 + 培训费,
    as Jiangsu prints it) becomes ``grand_total``."""
    in_group = ["三公" in "".join(path) for path in paths]
    if not any(key.split(".")[-1] == "total" and inside for key, inside in zip(keys, in_group)):
        return keys
    out = []
    for key, inside in zip(keys, in_group):
        stem, _, last = key.rpartition(".")
        out.append(".".join(filter(None, [stem, "grand_total"])) if last == "total" and not inside else key)
    return out


def _columns(
    rows: list[list[str | None]], width: int, header_rows: int, origins: dict[tuple[int, int], tuple[int, int]]
) -> _Columns:
    header = [_join_spaced_letters(r) for r in rows[:header_rows] if not is_sequence_row(r)]
    filled = _filled_header(header, width, origins) if header else [[""] * width]
    paths = []
    for c in range(width):
        path: list[str] = []
        for row in filled:
            if row[c] and (not path or path[-1] != row[c]):
                path.append(row[c])
        # A column printed with a blank header (figures shifted right of their
        # heading) belongs to the heading on its left.
        paths.append(path or (list(paths[-1]) if paths else []))
    body = rows[header_rows:]
    text_cols: set[int] = set()
    code_cols: list[int] = []
    skip_cols: set[int] = set()
    to_the_cent = any(_CENTS.fullmatch(compact(cell)) for row in body for cell in row if cell)
    for c in range(width):
        # 类/款/项 printed in the first body row (beside 合计) label the code columns
        values = [v for v in (compact(r[c]) for r in body if c < len(r) and r[c]) if v and v not in _SPLIT_CODE_HEADERS]
        bottom = compact(paths[c][-1]) if paths[c] else ""
        # a heading's wrapped tail may have been read as a level of its own (单位代 | 码)
        wrapped = compact(paths[c][-2]) + bottom if len(bottom) <= 2 and len(paths[c]) >= 2 else bottom
        sequence = any(label in bottom for label in SEQUENCE_LABELS) or _counts_rows(values)
        if sequence or _IDENTIFIER_HEADER.match(wrapped):
            skip_cols.add(c)  # 行次, or a unit/project identifier that is neither amount nor 科目代码
            continue
        if bottom in _SPLIT_CODE_HEADERS and _code_parts(values):
            code_cols.append(c)
            continue
        if not values:
            continue
        codes = sum(bool(_CODE.match(v)) for v in values)
        numbers = sum(read_number(v).value is not None or read_number(v).malformed for v in values)
        small = sum(bool(re.fullmatch(r"\d{1,2}", v)) for v in values)
        if codes and codes >= T.code_share * len(values) and numbers - codes <= T.code_noise_share * len(values):
            code_cols.append(c)
        elif to_the_cent and _whole_codes(values):
            code_cols.append(c)  # 科目代码 some of which wrapping broke (3020 | 2): not amounts
        elif code_cols and code_cols[-1] == c - 1 and small == len(values):
            code_cols.append(c)  # 款/项 part of a code split over columns
        elif numbers < T.number_share * len(values):
            text_cols.add(c)
    keys = _outer_totals(_drop_lone_stage([column_key(paths[c]) or f"col{c}" for c in range(width)]), paths)
    keys = _side_of_unprefixed(keys)
    labels = ["/".join(p) for p in paths]
    return _Columns(header_rows, paths, keys, labels, _adjacent_groups(code_cols), text_cols, skip_cols)


def _whole_codes(values: list[str]) -> bool:
    """A column of 3- to 7-digit whole numbers, most of them, in a table printing its
    amounts to the cent: 科目代码, some broken by wrapping, not amounts."""
    whole = sum(v.isdigit() and 3 <= len(v) <= 7 for v in values)
    return whole >= T.code_share * len(values) and not any("." in v for v in values)


def _code_parts(values: list[str]) -> bool:
    """Cells of a 类, 款 or 项 column: 1–3 digit numbers, not an amount column of zeros
    under a header whose last line happens to be 款 (财政拨 | 款)."""
    return all(v.isdigit() and len(v) <= 3 for v in values) and any(int(v) for v in values)


def _counts_rows(values: list[str]) -> bool:
    """A 行次 column whose header did not come through: 1, 2, 3 … (or 32, 33 …) row after row."""
    if len(values) < 3 or not all(v.isdigit() and len(v) <= 3 for v in values):
        return False
    numbers = [int(v) for v in values]
    return all(b == a + 1 for a, b in zip(numbers, numbers[1:]))


def _adjacent_groups(columns: list[int]) -> list[list[int]]:
    """Split code columns into groups: 类/款/项 parts sit side by side; tables printing
    several 科目代码|科目名称|金额 blocks (人员经费 | 公用经费) have one group per block."""
    groups: list[list[int]] = []
    for c in columns:
        if groups and groups[-1][-1] == c - 1:
            groups[-1].append(c)
        else:
            groups.append([c])
    return groups


def _row_code(row: list[str | None], group: list[int], previous: list[str]) -> tuple[str | None, list[str]]:
    """The 科目代码 of a row in one code group: one column, or 类/款/项 parts (类 inherited)."""
    code_cells = [compact(row[c]) if c < len(row) and row[c] else "" for c in group]
    if len(code_cells) == 1:
        code = code_cells[0]
        return (code if _CODE.match(code) else None), previous
    parts = [p if i == 0 or not p.isdigit() else p.zfill(2) for i, p in enumerate(code_cells)]
    if not any(parts):
        return None, previous
    for i, part in enumerate(parts):
        if not part and any(parts[i + 1 :]) and i < len(previous):
            parts[i] = previous[i]
    code = "".join(p for p in parts if p)
    return (code if _CODE.match(code) else None), parts


def _code_for(column: int, groups: list[list[int]], codes: list[str | None]) -> str | None:
    """The code of the nearest code group left of an amount column."""
    found = None
    for group, code in zip(groups, codes):
        if group[-1] < column:
            found = code
    return found


def _label_for(row: list[str | None], column: int, cols: _Columns) -> str | None:
    """The row label of an amount cell: the nearest printed text cell to its left
    (当年支出小计 spans the 功能分类 columns, its amount sits under 支出用途), else
    words printed in a code column (合计 merged across 类|款|项 and 科目名称)."""
    for c in range(column - 1, -1, -1):
        if c in cols.text_cols and row[c]:
            return row[c]
    for c in range(column):
        if c in cols.code_cols and row[c] and re.search(r"[\u4e00-\u9fff]", row[c]):
            return row[c]
    return None


def _move_spanning_cells(rows: list[list[str | None]], header_rows: int) -> None:
    """A body cell merged across columns is printed in the first of them; when that
    column has no heading (a narrow spacer column of the ruling), move the cell
    right, over empty cells, to the first column that has one (33,172.15 spanning
    the spacer and 合计 columns). Works the same on cells realigned from
    continuation pages, whose merge boxes are unknown."""
    headed = {c for row in rows[:header_rows] for c, cell in enumerate(row) if cell and cell.strip()}
    if not headed:
        return
    for row in rows[header_rows:]:
        for c, cell in enumerate(row):
            if not cell or c in headed:
                continue
            for target in range(c + 1, min(c + 3, len(row))):
                if row[target] is not None:
                    break
                if target in headed:
                    row[target], row[c] = cell, None
                    break


def best_reading(draft: TableDraft, index: int, kind: DocumentKind | None) -> tuple[ParsedTable, list[ParseWarning]]:
    """The table from the reading of ``draft`` that its columns and its own arithmetic
    back best: most amounts under a known column, then fewest line items keyed twice
    alike (a reading that keys two columns of one line item alike checks fewer
    identities, it does not hold more; side-by-side blocks of code | name | amount
    repeat their keys for other items), then fewest identities failing (a misread
    column can add identities that hold trivially, so holding counts only after),
    then most identities holding; the first (likeliest) reading on a tie."""
    built = [build_table(reading, index, kind) for reading in draft.readings()]
    return max(built, key=lambda b: _judged(b[0]))


def _judged(table: ParsedTable) -> tuple[float, int, int, int]:
    c = table.confidence
    keyed = [i for i in table.items if not i.column_key.startswith("col")]
    twice = len(keyed) - len({(i.row, i.code, i.name, i.column_key) for i in keyed})
    share = c.amounts_keyed / c.amounts if c.amounts else 1.0
    return (share, -twice, c.identities_held - c.identities_checked, c.identities_held)


def build_table(draft: TableDraft, index: int, kind: DocumentKind | None) -> tuple[ParsedTable, list[ParseWarning]]:
    """Type the cells of one table; every unreadable number becomes a warning."""
    warnings: list[ParseWarning] = []
    width = max((len(r) for r in draft.rows), default=0)
    rows = [list(r) + [None] * (width - len(r)) for r in draft.rows]
    header_rows = _header_count(rows) if rows else 0
    _move_spanning_cells(rows, header_rows)
    cols = _columns(rows, width, header_rows, draft.origins) if rows else _Columns(0, [], [], [], [], set(), set())
    table_id = identify_table(draft.title, kind) if draft.title else None
    cols.keys = contract_keys(table_id, cols.keys, cols.labels)
    body = rows[header_rows:]
    body_pages = draft.row_pages[header_rows:]
    items: list[LineItem] = []
    previous_parts: list[list[str]] = [[] for _ in cols.code_groups]
    printed_rows: list[list[str | None]] = []
    for r, (row, page) in enumerate(zip(body, body_pages)):
        printed_rows.append([normalise_cell(c) for c in row])
        if is_sequence_row(row):
            continue
        codes: list[str | None] = []
        for g, group in enumerate(cols.code_groups):
            code, previous_parts[g] = _row_code(row, group, previous_parts[g])
            codes.append(code)
        for c, cell in enumerate(row):
            if [c] in cols.code_groups and cell and not _CODE.match(compact(cell)) and read_number(cell).value is not None:
                warnings.append(
                    ParseWarning("number_in_code_column", f"科目代码列中的数字未计入金额：{cell}", page=page, table_index=index, row=r, column=c, raw=cell)
                )
            if c in cols.text_cols or c in cols.code_cols or c in cols.skip_cols or not cell:
                continue
            number = read_number(cell)
            if number.malformed:
                warnings.append(
                    ParseWarning("malformed_number", f"无法识别的数字：{cell}", page=page, table_index=index, row=r, column=c, raw=cell)
                )
                continue
            if number.value is None:
                continue
            label = _label_for(row, c, cols)
            items.append(
                LineItem(
                    code=_code_for(c, cols.code_groups, codes),
                    name=compact(label) if label else cols.labels[c],
                    column_key=cols.keys[c],
                    column_label=cols.labels[c],
                    amount=number.value,
                    page=page,
                    row=r,
                    column=c,
                    raw=cell,
                )
            )
    if draft.title and table_id is None:
        warnings.append(ParseWarning("table_not_identified", f"未能识别的表：{draft.title}", page=draft.page, table_index=index))
    if not draft.title:
        warnings.append(ParseWarning("table_without_title", "未找到表名的表格", page=draft.page, table_index=index))
    pages = sorted(set([draft.page] + draft.row_pages)) if draft.row_pages else [draft.page]
    table = ParsedTable(
        id=table_id,
        title=draft.title,
        label=draft.label,
        pages=pages,
        unit=draft.unit,
        department=draft.department,
        year=draft.year,
        empty=not items,
        empty_note=draft.empty_note,
        header=[[normalise_cell(c) for c in row] for row in rows[:header_rows]],
        columns=cols.labels,
        rows=printed_rows,
        row_pages=list(body_pages),
        items=items,
        notes=list(draft.notes),
        confidence=table_confidence(items, draft.unplaced + sum(w.code == "malformed_number" for w in warnings)),
    )
    return table, warnings
