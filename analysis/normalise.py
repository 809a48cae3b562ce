"""A view of a ParsedDocument in the shape the rules expect.

The parser keys the columns it can read (sides of two-sided summary tables,
split 类 | 款 | 项 codes and 行次 columns included); the rules still read two
things differently:

- tables other than the two-sided summaries: a 本年收入 / 本年支出 group
  heading over their columns is no side (the parser prefixes it all the same):
  ``expense.basic`` is ``basic``, ``income.total`` under 本年收入 | 合计 is
  ``total``; a column headed 本年收入 alone (the 政府性基金 table) is
  ``income``, as the rules read it.
- 三公 columns the parser left unkeyed (``col<N>``): keyed by their printed
  header path. Keys the parser gave are kept (``grand_total``, ``meeting``,
  ``training``, ``operating_cost`` included).

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


def normalise_document(doc: ParsedDocument) -> ParsedDocument:
    return replace(doc, tables=[_table(t) for t in doc.tables])


def _table(table: ParsedTable) -> ParsedTable:
    items = table.items
    if table.id not in TWO_SIDED:
        items = [_one_sided(table, i) for i in items]
    if table.id in THREE_PUBLIC:
        items = [_three_public(table, i) if i.column_key.startswith("col") else i for i in items]
    return replace(table, items=items)


def _label(table: ParsedTable, item: LineItem) -> str:
    return re.sub(r"\s+", "", table.columns[item.column] if item.column < len(table.columns) else "")


def _one_sided(table: ParsedTable, item: LineItem) -> LineItem:
    side, _, key = item.column_key.partition(".")
    if side not in SIDES or not key:
        return item
    if side == "income" and _label(table, item).rpartition("/")[2] == "本年收入":
        key = "income"
    return replace(item, column_key=key)


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
