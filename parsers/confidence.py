"""How sure the parser is of a table: the table's own arithmetic, and its columns.

Budget tables carry checksums: 合计 = Σ 类, 类 = Σ 款, 款 = Σ 项 (per column),
合计 = 基本支出 + 项目支出 (per row), 收入总计 = 支出总计 (two-sided summaries).
A reading that shifted a column, dropped rows or split a number breaks them;
a reading that holds them is very likely the printed table. The share of
identities holding, together with the share of amounts under a known column,
is the table's confidence: the checks report a department's error only on
tables the parser is confident about (``analysis``), and the parser uses the
same score to choose between readings of one region.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from parsers.model import LineItem, TableConfidence
from parsers.registry import row_components
from parsers.text import compact
from parsers.tolerances import TOLERANCES as T

__all__ = ["table_confidence", "identities"]

_CENT = Decimal(T.identity_cent)
_TOTAL_NAME = re.compile(r"^(?:[一二三四五六七八九十]+、)?(?:本年)?(?:收入|支出)?(?:合计|总计)$")
_GRAND_TOTAL = re.compile(r"总计$")
_EVIDENCE = 5


def _side(key: str) -> str:
    head, _, _ = key.rpartition(".")
    return head


def _bare(key: str) -> str:
    return key.rpartition(".")[2]


def _quantum(items: list[LineItem]) -> Decimal:
    """Rounding step of the printed amounts: a cent, or one unit when every amount is whole (tables in 元)."""
    return _CENT if any(i.amount != i.amount.to_integral_value() for i in items) else Decimal(1)


def _parent(item: LineItem) -> str:
    return item.column_label.rpartition("/")[0]


def _close(a: Decimal, b: Decimal, terms: int, quantum: Decimal = _CENT) -> bool:
    return abs(a - b) <= quantum * max(1, terms)


def _hierarchy(items: list[LineItem]) -> Iterable[tuple[bool, str]]:
    """Per column key: each parent code = Σ its children (code + 2 digits); 合计 = Σ 类."""
    by_column: dict[str, list[LineItem]] = defaultdict(list)
    for item in items:
        by_column[item.column_key].append(item)
    for column_items in by_column.values():
        quantum = _quantum(column_items)
        coded: dict[str, LineItem] = {}
        for item in column_items:
            if item.code and item.code.isdigit():
                coded.setdefault(item.code, item)
        children_of: dict[str, list[LineItem]] = defaultdict(list)
        for code, item in coded.items():
            children_of[code[:-2]].append(item)  # a code's parent is the code two digits shorter
        for code, parent in coded.items():
            children = children_of.get(code, [])
            if children:
                total = sum((c.amount for c in children), Decimal(0))
                yield _close(parent.amount, total, len(children), quantum), f"{code} {parent.amount} ≠ Σ下级 {total}（第{parent.column + 1}列）"
        tops = [i for k, i in coded.items() if len(k) == 3]
        total_row = next((i for i in column_items if not i.code and _TOTAL_NAME.match(compact(i.name))), None)
        if tops and total_row is not None:
            total = sum((c.amount for c in tops), Decimal(0))
            yield _close(total_row.amount, total, len(tops), quantum), f"合计 {total_row.amount} ≠ Σ类 {total}（第{total_row.column + 1}列）"


def _row_totals(items: list[LineItem]) -> Iterable[tuple[bool, str]]:
    """Per row and side: total = Σ the first component group with two or more columns
    printed. A key printed in several columns (a nested header flattened) is no breakdown."""
    columns_of: dict[str, set[int]] = defaultdict(set)
    rows: dict[tuple[int, str], dict[str, LineItem]] = defaultdict(dict)
    for item in items:
        columns_of[item.column_key].add(item.column)
        rows[(item.row, _side(item.column_key))].setdefault(_bare(item.column_key), item)
    if any(len(c) > 1 for c in columns_of.values()):
        return
    quantum = _quantum(items)
    for cells in rows.values():
        total = cells.get("total")
        group = next((g for g in row_components() if sum(k in cells for k in g) >= 2), None)
        if total is None or group is None:
            continue
        parts = [cells[k] for k in group if k in cells]
        head = _parent(total)
        if not all(_parent(p) == head or (head and _parent(p).startswith(head + "/")) for p in parts):
            continue  # components under another heading break down that heading, not this total
        expected = sum((p.amount for p in parts), Decimal(0))
        names = "+".join(k for k in group if k in cells)
        yield _close(total.amount, expected, len(parts), quantum), f"第{total.row + 1}行 合计 {total.amount} ≠ {names} {expected}"


def _two_sides(items: list[LineItem]) -> Iterable[tuple[bool, str]]:
    """收入总计 = 支出总计 on a two-sided summary."""
    totals = {}
    for item in items:
        side = item.column_key.split(".")[0]
        if side in ("income", "expense") and _GRAND_TOTAL.search(compact(item.name)) and _bare(item.column_key) == "total":
            totals.setdefault(side, item)
    if len(totals) == 2:
        income, expense = totals["income"].amount, totals["expense"].amount
        yield _close(income, expense, 1), f"收入总计 {income} ≠ 支出总计 {expense}"


def identities(items: list[LineItem]) -> list[tuple[bool, str]]:
    """Every identity the items allow checking: (holds, what it states when it fails)."""
    return [*_hierarchy(items), *_row_totals(items), *_two_sides(items)]


def table_confidence(items: list[LineItem], unplaced: int = 0) -> TableConfidence:
    """The confidence of one reading of a table.

    ``score`` is the lowest of: the share of identities holding (1 when all
    hold or none can be checked; smoothed, so that one failure among many is
    a department's error rather than a doubtful reading), the share of amounts under a keyed column, and the share
    of figures placed in a cell at all (``unplaced`` words left over).
    """
    checked = identities(items)
    held = sum(ok for ok, _ in checked)
    keyed = sum(not i.column_key.startswith("col") for i in items)
    shares = [
        (held + 1) / (len(checked) + 2) if checked and held < len(checked) else 1.0,
        keyed / len(items) if items else 1.0,
        len(items) / (len(items) + unplaced) if items or unplaced else 1.0,
    ]
    return TableConfidence(
        score=round(min(shares), 3),
        identities_checked=len(checked),
        identities_held=held,
        amounts=len(items),
        amounts_keyed=keyed,
        unplaced=unplaced,
        evidence=[why for ok, why in checked if not ok][:_EVIDENCE],
    )
