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
from parsers.text import compact
from parsers.tolerances import TOLERANCES as T

__all__ = ["table_confidence", "identities"]

_CENT = Decimal(T.identity_cent)
_TOTAL_NAME = re.compile(r"^(?:[一二三四五六七八九十]+、)?(?:本年)?(?:收入|支出)?(?:合计|总计)$")
_GRAND_TOTAL = re.compile(r"总计$")
_COMPONENTS = (("basic", "project"),)
_EVIDENCE = 5


def _side(key: str) -> str:
    head, _, _ = key.rpartition(".")
    return head


def _bare(key: str) -> str:
    return key.rpartition(".")[2]


def _close(a: Decimal, b: Decimal, terms: int) -> bool:
    return abs(a - b) <= _CENT * max(1, terms)


def _hierarchy(items: list[LineItem]) -> Iterable[tuple[bool, str]]:
    """Per column: each parent code = Σ its children (code + 2 digits); 合计 = Σ 类."""
    by_column: dict[int, list[LineItem]] = defaultdict(list)
    for item in items:
        by_column[item.column].append(item)
    for column_items in by_column.values():
        coded: dict[str, LineItem] = {}
        for item in column_items:
            if item.code and item.code.isdigit():
                coded.setdefault(item.code, item)
        for code, parent in coded.items():
            children = [c for k, c in coded.items() if len(k) == len(code) + 2 and k.startswith(code)]
            if children:
                total = sum((c.amount for c in children), Decimal(0))
                yield _close(parent.amount, total, len(children)), f"{code} {parent.amount} ≠ Σ下级 {total}（第{parent.column + 1}列）"
        tops = [i for k, i in coded.items() if len(k) == 3]
        total_row = next((i for i in column_items if not i.code and _TOTAL_NAME.match(compact(i.name))), None)
        if tops and total_row is not None:
            total = sum((c.amount for c in tops), Decimal(0))
            yield _close(total_row.amount, total, len(tops)), f"合计 {total_row.amount} ≠ Σ类 {total}（第{total_row.column + 1}列）"


def _row_totals(items: list[LineItem]) -> Iterable[tuple[bool, str]]:
    """Per row and side: total = basic + project when all three are printed."""
    rows: dict[tuple[int, str], dict[str, LineItem]] = defaultdict(dict)
    for item in items:
        rows[(item.row, _side(item.column_key))].setdefault(_bare(item.column_key), item)
    for cells in rows.values():
        total = cells.get("total")
        for group in _COMPONENTS:
            parts = [cells[k] for k in group if k in cells]
            if total is not None and len(parts) == len(group):
                expected = sum((p.amount for p in parts), Decimal(0))
                yield _close(total.amount, expected, len(parts)), f"第{total.row + 1}行 合计 {total.amount} ≠ {'+'.join(group)} {expected}"


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

    ``score`` is the lowest of: the share of identities holding (1 when none
    can be checked), the share of amounts under a keyed column, and the share
    of figures placed in a cell at all (``unplaced`` words left over).
    """
    checked = identities(items)
    held = sum(ok for ok, _ in checked)
    keyed = sum(not i.column_key.startswith("col") for i in items)
    shares = [
        held / len(checked) if checked else 1.0,
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
