"""A view of a ParsedDocument in the shape the rules expect.

The parser keys the columns it can read; what it still prints as it sees,
the rules need read:

- two-sided summary tables (收入 | 支出): every amount gets an ``income.`` /
  ``expense.`` key. The parser prefixes a side only when the header names it
  over the column (本年收入 / 本年支出); a side printed vertically (支 | 出)
  or not at all is told by the ``收``/``支`` of the label, else by the half of
  the table the column sits in. In layouts without rulings the 行次 columns
  still come out as amounts: columns of consecutive integers are dropped.
- other tables: a 本年收入 / 本年支出 group heading over their columns is no
  side (the parser prefixes it all the same): ``expense.basic`` is ``basic``,
  ``income.total`` under 本年收入 | 合计 is ``total``; a column headed 本年收入
  alone (the 政府性基金 table) is ``income``, as the rules read it.
- 类 | 款 | 项 code columns read as amounts when their header row ``类 款 项``
  is printed as the first body row (real PDF 01): the code is joined from the
  three cells and the code cells stop being amounts.
- 三公 columns the parser left unkeyed (``col<N>``, e.g. a ``"三公"经费合计``
  header): keyed by their printed header path. Keys the parser gave are kept
  (``grand_total``, ``meeting``, ``training``, ``operating_cost`` included).

The original document is never modified.
"""

from __future__ import annotations

import re
from dataclasses import replace

from parsers.model import LineItem, ParsedDocument, ParsedTable

__all__ = ["normalise_document", "TWO_SIDED"]

TWO_SIDED = ("final_summary", "budget_summary", "final_fiscal_summary", "budget_fiscal_summary")
THREE_PUBLIC = ("final_three_public", "budget_three_public")
SIDES = ("income", "expense")
_INTEGER = re.compile(r"^\d+$")


def normalise_document(doc: ParsedDocument) -> ParsedDocument:
    return replace(doc, tables=[_table(t) for t in doc.tables])


def _table(table: ParsedTable) -> ParsedTable:
    items = _split_codes(table, table.items)
    if table.id in TWO_SIDED:
        skip = _row_number_columns(items)
        items = [replace(i, column_key=_sided_key(table, i)) for i in items if i.column not in skip]
    else:
        items = [_one_sided(table, i) for i in items]
    if table.id in THREE_PUBLIC:
        items = [_three_public(table, i) if i.column_key.startswith("col") else i for i in items]
    return replace(table, items=items)


def _cell(table: ParsedTable, row: int, column: int) -> str:
    if 0 <= row < len(table.rows) and 0 <= column < len(table.rows[row]):
        return re.sub(r"\s+", "", table.rows[row][column] or "")
    return ""


def _label(table: ParsedTable, item: LineItem) -> str:
    return re.sub(r"\s+", "", table.columns[item.column] if item.column < len(table.columns) else "")


def _split_codes(table: ParsedTable, items: list[LineItem]) -> list[LineItem]:
    """Join 类 | 款 | 项 cells into one code when the parser left them apart."""
    head = [_cell(table, 0, c) for c in range(3)]
    if head[:2] != ["类", "款"]:
        return items
    width = 3 if head[2] == "项" else 2
    joined: list[LineItem] = []
    for item in items:
        if item.column < width:
            continue  # a code cell, not an amount
        parts = [_cell(table, item.row, c) for c in range(width)]
        if item.code and parts[0] == item.code and all(p.isdigit() for p in parts if p):
            code = parts[0] + "".join(p.zfill(2) for p in parts[1:] if p)
            item = replace(item, code=code)
        joined.append(item)
    return joined


def _sided_key(table: ParsedTable, item: LineItem) -> str:
    """``income.<key>`` / ``expense.<key>``."""
    if item.column_key.split(".", 1)[0] in SIDES:
        return item.column_key
    label = _label(table, item)
    if label.startswith(("收", "支")):
        side = "income" if label.startswith("收") else "expense"
    else:
        side = "income" if item.column < len(table.columns) / 2 else "expense"
    return f"{side}.{item.column_key}"


def _one_sided(table: ParsedTable, item: LineItem) -> LineItem:
    side, _, key = item.column_key.partition(".")
    if side not in SIDES or not key:
        return item
    if side == "income" and _label(table, item).rpartition("/")[2] == "本年收入":
        key = "income"
    return replace(item, column_key=key)


def _row_number_columns(items: list[LineItem]) -> set[int]:
    """Columns holding only (mostly) consecutive integers: 行次, not amounts."""
    by_column: dict[int, list[LineItem]] = {}
    for item in items:
        by_column.setdefault(item.column, []).append(item)
    found: set[int] = set()
    for column, column_items in by_column.items():
        raws = [i.raw.strip() for i in column_items]
        if len(raws) >= 3 and all(_INTEGER.match(r) for r in raws):
            values = [int(r) for r in raws]
            steps = [b == a + 1 for a, b in zip(values, values[1:])]
            if sum(steps) >= 0.8 * len(steps):
                found.add(column)
    return found


def _three_public(table: ParsedTable, item: LineItem) -> LineItem:
    """Key an unkeyed 三公 column by its printed header path: the side from
    预算数 / 决算数 / 上年, the component from the last level."""
    label = _label(table, item)
    if not label:
        return item
    *path, last = label.split("/")
    side = next((k for w, k in (("上年", "prior"), ("决算", "final"), ("预算", "budget")) if w in "".join(path)), None)
    component = next(
        (k for words, k in _COMPONENT_WORDS if any(w in last for w in words) and not ("及" in last and k != "vehicle_total")),
        None,
    )
    if last == "小计":
        parent = "".join(path)
        component = "vehicle_total" if "公务用车" in parent else "total" if "三公" in parent else None
    if component is None:
        return item
    return replace(item, column_key=f"{side}.{component}" if side else component)


_COMPONENT_WORDS = (
    (("合计", "总计"), "total"),
    (("出国",), "abroad"),
    (("购置及运行",), "vehicle_total"),
    (("购置",), "vehicle_purchase"),
    (("运行",), "vehicle_operation"),
    (("接待",), "reception"),
)
