"""A view of a ParsedDocument in the shape the rules expect.

The parser prints what it sees; a few layouts need reading before the rules
can compare numbers:

- two-sided summary tables (收入 | 支出): the 行次 columns are row numbers,
  not amounts; amounts get ``income.`` / ``expense.`` keys by side; on the
  财政拨款 summary the expense columns are, in order, 合计 / 一般公共预算 /
  政府性基金 / 国有资本经营 when the header gave no key;
- 代码 | 名称 | 金额 groups (the 经济分类 detail table) whose items lack a
  code: the code is the cell two columns left (but a 单位代码 cell, on a
  unit's subtotal row, is no 科目代码);
- the 合计 row of coded tables, whose item may carry a column label as name;
- 类 | 款 | 项 code columns the parser read as amounts (their header row
  ``类 款 项`` printed as the first body row): the code is joined from the
  three cells and the code cells stop being amounts.

The original document is never modified.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from parsers.model import LineItem, ParsedDocument, ParsedTable

__all__ = ["normalise_document"]

TWO_SIDED = ("final_summary", "budget_summary", "final_fiscal_summary", "budget_fiscal_summary")
FISCAL_EXPENSE_KEYS = ("total", "gpb", "gov_fund", "state_capital")
THREE_PUBLIC = ("final_three_public", "budget_three_public")
_INTEGER = re.compile(r"^\d+$")
_TOTAL_CELLS = {"合计", "总计"}


def normalise_document(doc: ParsedDocument) -> ParsedDocument:
    return replace(doc, tables=[_table(t) for t in doc.tables])


def _table(table: ParsedTable) -> ParsedTable:
    items = _split_codes(table, table.items)
    items = [_coded(table, _total_name(table, i)) for i in items]
    if table.id in TWO_SIDED:
        items = _two_sided(table, items)
    if table.id in THREE_PUBLIC:
        items = [_three_public(table, i) for i in items]
        if table.id == "budget_three_public" and not _adds_up(items):
            items = _three_public_by_sum(table, items) or items
    return replace(table, items=items)


def _cell(table: ParsedTable, row: int, column: int) -> str:
    if 0 <= row < len(table.rows) and 0 <= column < len(table.rows[row]):
        return re.sub(r"\s+", "", table.rows[row][column] or "")
    return ""


def _coded(table: ParsedTable, item: LineItem) -> LineItem:
    if item.code is None and not _is_unit_code_column(table, item.column - 2):
        code = _cell(table, item.row, item.column - 2)
        if code.isdigit() and len(code) in (3, 5, 7):
            return replace(item, code=code)
    return item


def _is_unit_code_column(table: ParsedTable, column: int) -> bool:
    label = table.columns[column] if 0 <= column < len(table.columns) else ""
    return "单位代码" in (label or "") or "单位编码" in (label or "")


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


def _total_name(table: ParsedTable, item: LineItem) -> LineItem:
    """The 合计 row of a coded table, whatever name the item carries."""
    if table.id in TWO_SIDED or item.code is not None:
        return item
    label = next((c for c in (_cell(table, item.row, 0), _cell(table, item.row, 1)) if c in _TOTAL_CELLS), None)
    return replace(item, name=label) if label else item


def _side(table: ParsedTable, item: LineItem) -> str:
    prefix = item.column_key.split(".", 1)[0]
    if prefix in ("income", "expense"):
        return prefix
    label = table.columns[item.column] if item.column < len(table.columns) else ""
    if label.startswith("收"):
        return "income"
    if label.startswith("支"):
        return "expense"
    return "income" if item.column < len(table.columns) / 2 else "expense"


def _row_number_columns(table: ParsedTable, items: list[LineItem]) -> set[int]:
    """Columns labelled 行次, or holding only consecutive integers."""
    found = {i for i, label in enumerate(table.columns) if "行次" in (label or "")}
    by_column: dict[int, list[LineItem]] = {}
    for item in items:
        by_column.setdefault(item.column, []).append(item)
    for column, column_items in by_column.items():
        raws = [i.raw.strip() for i in column_items]
        if len(raws) >= 3 and all(_INTEGER.match(r) for r in raws):
            values = [int(r) for r in raws]
            steps = [b == a + 1 for a, b in zip(values, values[1:])]
            if sum(steps) >= 0.8 * len(steps):
                found.add(column)
    return found


def _two_sided(table: ParsedTable, items: list[LineItem]) -> list[LineItem]:
    skip = _row_number_columns(table, items)
    kept = [i for i in items if i.column not in skip]
    keyed: list[LineItem] = []
    for side in ("income", "expense"):
        own = [i for i in kept if _side(table, i) == side]
        columns = sorted({i.column for i in own})
        for item in own:
            key = item.column_key.split(".", 1)[1] if item.column_key.startswith(side + ".") else item.column_key
            if key.startswith("col"):
                if len(columns) == 1:
                    key = "total"
                elif side == "expense" and table.id in ("final_fiscal_summary", "budget_fiscal_summary"):
                    position = columns.index(item.column)
                    key = FISCAL_EXPENSE_KEYS[position] if position < len(FISCAL_EXPENSE_KEYS) else key
            keyed.append(replace(item, column_key=f"{side}.{key}"))
    return sorted(keyed, key=lambda i: (i.row, i.column))


def _three_public(table: ParsedTable, item: LineItem) -> LineItem:
    """Key a 三公 column by its printed header path: the side from 预算数 /
    决算数 / 上年, the component from the last level."""
    label = re.sub(r"\s+", "", table.columns[item.column] if item.column < len(table.columns) else "")
    if not label:
        return item
    *path, last = label.split("/")
    side = next((k for w, k in (("上年", "prior"), ("决算", "final"), ("预算", "budget")) if w in "".join(path)), None)
    if side is None:
        side = item.column_key.rpartition(".")[0] or None
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


def _adds_up(items: list[LineItem]) -> bool:
    keys: dict[str, Decimal] = {}
    for item in items:  # the first column of each key counts, as in three_public_figures
        keys.setdefault(item.column_key.rpartition(".")[2], item.amount)
    parts = ("abroad", "vehicle_total", "reception")
    return "total" in keys and all(p in keys for p in parts) and keys["total"] == sum(keys[p] for p in parts)


def _three_public_by_sum(table: ParsedTable, items: list[LineItem]) -> list[LineItem] | None:
    """Budget 三公 tables with nested headers (合计 | 三公 小计 | 出国 | 公务用车
    小计 | 购置 | 运行 | 接待 | 会议费 | 培训费) whose header the parser could not
    key: the printed order is fixed, so take the first run total, abroad,
    vehicles, reception (left to right) where total = the sum of the three."""
    row = sorted((i for i in items if i.row == items[0].row), key=lambda i: i.column) if items else []
    n = len(row)
    runs = [
        (d - a, a, b, c, d)
        for a in range(n)
        for b in range(a + 1, n)
        for c in range(b + 1, n)
        for d in range(c + 1, n)
        if row[a].amount and row[a].amount == row[b].amount + row[c].amount + row[d].amount
    ]
    if not runs:
        return None
    _, a, b, c, d = min(runs)  # the tightest run: a grand 合计 with 会议费/培训费 spans wider
    keyed = {a: "total", b: "abroad", c: "vehicle_total", d: "reception"}
    for e in range(c + 1, d):
        label = table.columns[row[e].column] if row[e].column < len(table.columns) else ""
        keyed[e] = "vehicle_operation" if "运行" in label else "vehicle_purchase" if "购置" in label else ""
    return [replace(row[i], column_key=f"budget.{k}") for i, k in keyed.items() if k]
