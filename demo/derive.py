"""Derive new documents from a seed: other years, other departments, edits.

All functions are pure: they return a new ``SeedDocument`` and leave the
argument untouched. ``scale_item`` keeps the identities *within* the edited
table (the row's total columns, its 款/类 parents and the 合计 row); it does
not follow the figure into other tables, so cross-table checks will flag the
change, as they would in a real document edited by hand.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from demo.errors import DeriveError
from demo.header import column_paths
from demo.seeds import Heading, Paragraph, SeedDocument, SeedTable, amount_columns, key_columns, parse_amount

__all__ = ["shift_year", "scale_item", "drop_table", "rename_department", "compatibility_forms"]

_CN_DIGITS = "〇一二三四五六七八九"
_TOTAL_WORDS = ("合计", "小计", "总计")


def _map_text(seed: SeedDocument, change: Callable[[str], str]) -> SeedDocument:
    """A copy of ``seed`` with ``change`` applied to every printed string."""
    doc = copy.deepcopy(seed)

    def opt(text: str | None) -> str | None:
        return change(text) if text else text

    doc.title_lines = [change(line) for line in doc.title_lines]
    doc.date_line = opt(doc.date_line)
    for block in doc.blocks:
        if isinstance(block, (Heading, Paragraph)):
            block.text = change(block.text)
            continue
        block.title = opt(block.title)
        block.label = opt(block.label)
        block.department_line = opt(block.department_line)
        block.year_line = opt(block.year_line)
        block.unit_line = opt(block.unit_line)
        block.header_rows = [[change(cell) for cell in row] for row in block.header_rows]
        block.body_rows = [[change(cell) for cell in row] for row in block.body_rows]
        block.notes = [change(note) for note in block.notes]
        block.empty_note = opt(block.empty_note)
    return doc


def shift_year(seed: SeedDocument, year: int) -> SeedDocument:
    """Move the document to ``year``: every year near the seed's moves by the same
    offset, in Arabic (``2023``) and Chinese (``二〇二四``) numerals alike."""
    offset = year - seed.year
    window = range(seed.year - 3, seed.year + 4)

    def arabic(match: re.Match[str]) -> str:
        value = int(match.group())
        return str(value + offset) if value in window else match.group()

    def chinese(match: re.Match[str]) -> str:
        value = int("".join(str(_CN_DIGITS.index(ch)) for ch in match.group().replace("零", "〇")))
        if value not in window:
            return match.group()
        return "".join(_CN_DIGITS[int(d)] for d in str(value + offset))

    def change(text: str) -> str:
        text = re.sub(r"(?<![\d.])(?:19|20)\d{2}(?!\d|\.\d)", arabic, text)
        return re.sub(r"[〇零一二][〇零一二三四五六七八九]{3}(?=年)", chinese, text)

    doc = _map_text(seed, change)
    doc.year = year
    return doc


def rename_department(seed: SeedDocument, name: str) -> SeedDocument:
    """Replace the department's name everywhere it is printed (spacing ignored)."""
    pattern = re.compile(r"\s*".join(map(re.escape, seed.department)))
    doc = _map_text(seed, lambda text: pattern.sub(name, text))
    doc.department = name
    return doc


def drop_table(seed: SeedDocument, table_id: str) -> SeedDocument:
    """The document without the table(s) of canonical id ``table_id``."""
    if seed.table(table_id) is None:
        raise DeriveError(f"{seed.name} has no table {table_id}")
    doc = copy.deepcopy(seed)
    doc.blocks = [
        b for b in doc.blocks if not (isinstance(b, SeedTable) and b.canonical_id == table_id)
    ]
    return doc


# Each CJK character that has a Kangxi radical twin (U+2F00–U+2FD5), mapped to it.
_KANGXI = str.maketrans(
    {unicodedata.normalize("NFKC", chr(cp)): chr(cp) for cp in range(0x2F00, 0x2FD6)}
)


def compatibility_forms(seed: SeedDocument) -> SeedDocument:
    """The document as a producer whose font maps glyphs to compatibility code
    points prints it: every character with a Kangxi radical twin (入 → ⼊,
    支 → ⽀, 一 → ⼀) written as the radical. NFKC gives the seed back."""
    return _map_text(seed, lambda text: text.translate(_KANGXI))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _paths(table: SeedTable) -> list[tuple[str, ...]]:
    """Column header paths without the 栏次 / column-number row."""
    return [
        tuple(
            _squeeze(text)
            for text in path
            if not (_squeeze(text).isdigit() or "栏次" in text)
        )
        for path in column_paths(table.header_rows, table.width)
    ]


def _find_column(table: SeedTable, column: int | str) -> int:
    if isinstance(column, int):
        if not 0 <= column < table.width:
            raise DeriveError(f"column {column} is outside the table")
        return column
    parts = [_squeeze(part) for part in column.split("/")]
    amounts = amount_columns(table)
    found = [
        c
        for c, path in enumerate(_paths(table))
        if amounts[c] and all(any(part in text for text in path) for part in parts)
    ]
    if len(found) != 1:
        raise DeriveError(f"column {column!r} matches {len(found)} columns; name its group, e.g. 决算数/{column}")
    return found[0]


def _find_row(table: SeedTable, row: str | None) -> int:
    if row is None:
        filled = [
            r for r, cells in enumerate(table.body_rows) if any(parse_amount(c) is not None for c in cells)
        ]
        if len(filled) != 1:
            raise DeriveError("the table has several rows: name one by label or code")
        return filled[0]
    key = _squeeze(row)
    for r, cells in enumerate(table.body_rows):
        if any(_squeeze(cell) == key for cell in cells):
            return r
    raise DeriveError(f"no row labelled or coded {row!r}")


def _total_columns(table: SeedTable, column: int) -> list[int]:
    """Columns holding a total that includes ``column`` (合计/小计 of its group)."""
    paths = _paths(table)
    own = paths[column]
    return [
        c
        for c, path in enumerate(paths)
        if c != column
        and path
        and any(word in path[-1] for word in _TOTAL_WORDS)
        and own[: len(path) - 1] == path[:-1]
        and len(own) >= len(path)
    ]


def _code(table: SeedTable, row: int, column: int) -> str:
    """The 科目 code printed left of ``column`` on ``row`` (类/款/项 joined)."""
    declared = key_columns(table)
    paths = _paths(table)
    keys = [c for c in range(column) if declared[c] and not any("行次" in t for t in paths[c])]
    if not keys:
        return ""
    run = [keys[-1]]
    while run[0] - 1 in keys:
        run.insert(0, run[0] - 1)
    code = "".join(_squeeze(table.body_rows[row][c]) for c in run)
    return code if re.fullmatch(r"\d{3,}", code) else ""


def _total_rows(table: SeedTable, row: int, column: int) -> list[int]:
    """Rows whose figure in ``column`` includes this row's: 款, 类, the unit's
    subtotal (a row coded in a 单位代码 column) and 合计."""
    code = _code(table, row, column)
    if not code:
        return []
    unit_columns = [
        c
        for c, path in enumerate(_paths(table))
        if any("单位" in t and ("代码" in t or "编码" in t) for t in path)
    ]
    found = []
    for r, cells in enumerate(table.body_rows):
        parent = _code(table, r, column)
        if r == row:
            continue
        if parent and len(parent) in (3, 5) and len(parent) < len(code) and code.startswith(parent):
            found.append(r)
        elif any(_squeeze(cells[c]).isdigit() for c in unit_columns) and not any(
            _squeeze(table.body_rows[row][c]).isdigit() for c in unit_columns
        ):
            found.append(r)
        elif next((_squeeze(c) for c in cells if c.strip()), "") in ("合计", "总计"):
            found.append(r)
    return found


def _add(table: SeedTable, row: int, column: int, delta: Decimal, commas: bool) -> None:
    text = table.body_rows[row][column]
    old = parse_amount(text) if text.strip() else Decimal(0)
    if old is None:
        raise DeriveError(f"cell {text!r} is not a number")
    new = old + delta
    places = len(text.split(".")[1].strip()) if "." in text else 2
    quantum = Decimal(1).scaleb(-places)
    pattern = f"{{:,.{places}f}}" if commas else f"{{:.{places}f}}"
    table.body_rows[row][column] = pattern.format(new.quantize(quantum, ROUND_HALF_UP))


def scale_item(
    seed: SeedDocument,
    table_id: str,
    row_label_or_code: str | None,
    column: int | str,
    factor: Decimal | str | float,
) -> SeedDocument:
    """Multiply one amount by ``factor`` and carry the difference into the totals
    of the same table (row total columns, parent 款/类 rows, 合计).

    ``row_label_or_code`` names the row by a printed label or code (None for a
    one-row table such as 三公); ``column`` is an index or a header path such
    as ``决算数/公务接待费``.
    """
    doc = copy.deepcopy(seed)
    table = doc.table(table_id)
    if table is None:
        raise DeriveError(f"{seed.name} has no table {table_id}")
    row = _find_row(table, row_label_or_code)
    col = _find_column(table, column)
    old = parse_amount(table.body_rows[row][col]) or Decimal(0)
    new = (old * Decimal(str(factor))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    delta = new - old
    commas = any("," in cell for cells in table.body_rows for cell in cells)
    if delta:
        for r in [row, *_total_rows(table, row, col)]:
            for c in [col, *_total_columns(table, col)]:
                _add(table, r, c, delta, commas)
    return doc
