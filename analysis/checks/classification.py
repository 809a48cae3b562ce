"""Economic against functional classification: one payment printed twice.

A social-insurance or housing contribution is one 经济分类 款 (30108 养老保险缴费)
and one 功能分类 line (2080505 机关事业单位基本养老保险缴费支出). The economic
table (基本支出 only) can never exceed its functional counterpart, which holds
both 基本 and 项目 money of the same funds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

from analysis.findings import Category, Finding, Severity
from analysis.registry import Run, document_rule
from analysis.tables import fmt, per_summand, unit_of
from parsers.model import LineItem, ParsedDocument, ParsedTable

def _row_totals(table: ParsedTable) -> list[LineItem]:
    """Each coded row's first amount: its total (合计, 决算数, 一般公共预算支出/合计 …)."""
    first: dict[int, LineItem] = {}
    for item in table.items:
        if item.code and item.code.isdigit() and (item.row not in first or item.column < first[item.row].column):
            first[item.row] = item
    return list(first.values())


def _economic_sums(table: ParsedTable) -> dict[str, tuple[Decimal, LineItem, int]]:
    """Code → (sum, first item, number of printed lines): a code printed on
    several lines (单位 and 政府 economic sets side by side) adds up."""
    found: dict[str, tuple[Decimal, LineItem, int]] = {}
    seen: set[tuple[int, str]] = set()
    for item in sorted(table.items, key=lambda i: (i.row, i.column)):
        if not item.code or not item.code.isdigit():
            continue
        # a code's first (total) amount on its row; side-by-side blocks put several codes on one row
        key = (item.row, item.code)
        if key in seen:
            continue
        seen.add(key)
        total, first, count = found.get(item.code, (Decimal(0), item, 0))
        found[item.code] = (total + item.amount, first, count + 1)
    return found


def _functional_amount(table: ParsedTable, prefixes: list[str]) -> tuple[Decimal, int]:
    """Sum of the functional lines under ``prefixes`` at the finest level the
    table prints for each (项 lines if any, else the 款 line), and their count."""
    items = _row_totals(table)
    total, count = Decimal(0), 0
    for prefix in prefixes:
        under = [i for i in items if i.code.startswith(prefix)]
        finest = max((len(i.code) for i in under), default=0)
        for item in under:
            if len(item.code) == finest:
                total, count = total + item.amount, count + 1
    return total, count


def _pairs(doc: ParsedDocument, run: Run) -> Iterator[tuple[ParsedTable, ParsedTable]]:
    """(economic table, functional table) pairs the rule file names, first present."""
    for pair in run.param("tables", []) or []:
        economic, functional = doc.table(pair["economic"]), next(
            (t for t in (doc.table(f) for f in pair["functional"]) if t is not None and t.items), None
        )
        if economic is not None and functional is not None:
            yield economic, functional


@document_rule(
    "classification.economic_vs_functional", Category.CONSISTENCY, Severity.MEDIUM, "经济分类科目大于对应功能分类科目"
)
def economic_vs_functional(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """30108 ≤ 2080505, 30110 ≤ 21011, 30113 ≤ 22102 … (the rule file's ``codes``)."""
    codes: Mapping[str, list[str]] = run.param("codes", {}) or {}
    for economic, functional in _pairs(doc, run):
        if unit_of(doc, economic) != unit_of(doc, functional):
            continue
        tolerance = run.tolerances(unit_of(doc, economic))
        sums = _economic_sums(economic)
        for code, prefixes in codes.items():
            if str(code) not in sums:
                continue
            amount, item, lines = sums[str(code)]
            counterpart, count = _functional_amount(functional, [str(p) for p in prefixes])
            if amount - counterpart <= per_summand(tolerance, lines + count):
                continue
            where = "、".join(str(p) for p in prefixes)
            missing = "，功能分类表中没有对应科目" if count == 0 else ""
            yield run.emit(
                f"《{economic.title or economic.id}》{code} {item.name} {fmt(amount)}，大于《{functional.title or functional.id}》"
                f"对应功能分类（{where}）{fmt(counterpart)}{missing}",
                table_id=economic.id,
                row_key=str(code),
                column_key=item.column_key,
                page=item.page,
                expected=counterpart,
                actual=amount,
            )
