"""Year over year within one department: totals, 类/款 lines, codes, carry-over, 三公."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from analysis.context import DepartmentHistory, DocumentRecord
from analysis.findings import Category, Finding, Severity
from analysis.registry import Run, at_item, history_rule
from analysis.tables import find_item, fmt, items_by_code, total_item
from analysis.three_public import COMPONENT_NAMES, COMPONENTS, stated_changes, three_public_figures
from parsers.model import DocumentKind, LineItem, ParsedTable

HUNDRED = Decimal(100)
EXPENSE_TABLES = {DocumentKind.FINAL: "final_gpb_expense", DocumentKind.BUDGET: "budget_gpb_expense"}



def _expense_table_pairs(history: DepartmentHistory) -> Iterator[tuple[DocumentKind, str, DocumentRecord, ParsedTable, ParsedTable]]:
    """(kind, table id, this year's record, last year's table, this year's table) of consecutive years."""
    for kind in (DocumentKind.BUDGET, DocumentKind.FINAL):
        table_id = EXPENSE_TABLES[kind]
        for prev, cur in history.pairs(kind):
            a, b = prev.document.table(table_id), cur.document.table(table_id)
            if a is not None and b is not None:
                yield kind, table_id, cur, a, b


def beyond(previous: Decimal, current: Decimal, relative: Decimal, absolute: Decimal) -> bool:
    """Both the relative AND the absolute change exceed their thresholds."""
    change = current - previous
    if abs(change) <= absolute:
        return False
    return previous == 0 or abs(change) / abs(previous) * HUNDRED > relative


def _pct(previous: Decimal, current: Decimal) -> str:
    if previous == 0:
        return "上年为 0"
    return f"{(current - previous) / abs(previous) * HUNDRED:+.2f}%"


@history_rule("yoy.lines", Category.YEAR_OVER_YEAR, Severity.MEDIUM, "支出总额及类/款同比变动过大")
def lines(history: DepartmentHistory, run: Run) -> Iterator[Finding]:
    """Totals and 类/款 lines of the 一般公共预算 expense table beyond thresholds."""
    relative, absolute = Decimal(run.param("relative_pct", 30)), Decimal(run.param("absolute", 50))
    levels = set(run.param("code_lengths", [3, 5]))
    for kind, table_id, cur, a, b in _expense_table_pairs(history):
        old, new = items_by_code(a, "total"), items_by_code(b, "total")
        pairs = [(code, old[code].amount, new[code]) for code in new if code in old and len(code) in levels]
        total_a, total_b = total_item(a, "total"), total_item(b, "total")
        if total_a and total_b:
            pairs.insert(0, ("合计", total_a.amount, total_b))
        for code, before, item in pairs:
            if beyond(before, item.amount, relative, absolute):
                yield run.emit(
                    f"{cur.year}年{kind}“{item.name}”{fmt(item.amount)} 万元，上年 {fmt(before)} 万元（{_pct(before, item.amount)}）",
                    table_id=table_id,
                    row_key=code,
                    column_key="total",
                    page=item.page,
                    expected=before,
                    actual=item.amount,
                    **cur.where(),
                )


@history_rule("yoy.codes", Category.YEAR_OVER_YEAR, Severity.LOW, "支出科目新增或消失")
def codes(history: DepartmentHistory, run: Run) -> Iterator[Finding]:
    """项-level codes appearing or vanishing between consecutive years."""
    minimum = Decimal(run.param("min_amount", 0))
    for kind, table_id, cur, a, b in _expense_table_pairs(history):
        old, new = _codes(a), _codes(b)
        for code in sorted(set(old) ^ set(new)):
            if len(code) != 7:
                continue
            item = new.get(code) or old[code]
            if abs(item.amount) <= minimum:
                continue
            appeared = code in new
            yield run.emit(
                f"{cur.year}年{kind}{'新增' if appeared else '不再列出'}科目 {code} {item.name}（{fmt(item.amount)} 万元）",
                table_id=table_id,
                row_key=code,
                column_key="appeared" if appeared else "vanished",
                page=item.page if appeared else None,
                expected=None if appeared else item.amount,
                actual=item.amount if appeared else None,
                **cur.where(),
            )


def _codes(table: ParsedTable) -> dict[str, LineItem]:
    """Each code's 合计 item, else its first: a code printed in any column
    exists, whatever key the parser gave that column."""
    found: dict[str, LineItem] = {}
    for item in table.items:
        if not (item.code and item.code.isdigit()):
            continue
        if item.code not in found or (item.column_key == "total" and found[item.code].column_key != "total"):
            found[item.code] = item
    return found


@history_rule("yoy.carry_over", Category.YEAR_OVER_YEAR, Severity.HIGH, "年初结转结余与上年年末不符")
def carry_over(history: DepartmentHistory, run: Run) -> Iterator[Finding]:
    for prev, cur in history.pairs(DocumentKind.FINAL):
        end = find_item(prev.document.table("final_summary"), ["年末结转和结余"], side="expense")
        start = find_item(cur.document.table("final_summary"), ["年初结转和结余"], side="income")
        if end and start and abs(end.amount - start.amount) > run.tolerances("万元"):
            yield run.emit(
                f"{cur.year}年年初结转和结余 {fmt(start.amount)} 万元，与{prev.year}年决算年末结转和结余 {fmt(end.amount)} 万元不符",
                table_id="final_summary",
                row_key="年初结转和结余",
                page=start.page,
                expected=end.amount,
                actual=start.amount,
                **cur.where(),
            )


@history_rule("three_public.yoy", Category.THREE_PUBLIC, Severity.HIGH, "三公经费同比变动过大")
def three_public_yoy(history: DepartmentHistory, run: Run) -> Iterator[Finding]:
    """Per component, relative AND absolute change beyond thresholds; with no
    previous document, against the figures the narrative states for last year."""
    relative, absolute = Decimal(run.param("relative_pct", 30)), Decimal(run.param("absolute", 1))
    for kind, side in ((DocumentKind.BUDGET, "budget"), (DocumentKind.FINAL, "final")):
        for prev, cur in history.pairs(kind):
            old = three_public_figures(prev.document).get(side, {})
            new = three_public_figures(cur.document).get(side, {})
            for component in COMPONENTS:
                if component not in old or component not in new:
                    continue
                before, item = old[component].amount, new[component]
                if beyond(before, item.amount, relative, absolute):
                    yield run.emit(
                        f"{cur.year}年{kind}{COMPONENT_NAMES[component]} {fmt(item.amount)} 万元，"
                        f"上年 {fmt(before)} 万元（{_pct(before, item.amount)}）",
                        table_id=f"{kind.name.lower()}_three_public",
                        row_key=component,
                        expected=before,
                        **at_item(item),
                        **cur.where(),
                    )
    yield from _stated_yoy(history, run, relative, absolute)


def _stated_yoy(history: DepartmentHistory, run: Run, relative: Decimal, absolute: Decimal) -> Iterator[Finding]:
    """Documents whose previous year is not in the archive: last year's
    figures as their own narrative states them (比上年增加 C 万元)."""
    for record in history.records:
        if record.document is None or history.get(record.kind, record.year - 1, record.own_scope) is not None:
            continue
        for stated in stated_changes(record.document):
            if beyond(stated.previous, stated.current, relative, absolute):
                yield run.emit(
                    f"{record.year}年{record.kind}{COMPONENT_NAMES[stated.component]} {fmt(stated.current)} 万元，"
                    f"说明所称上年 {fmt(stated.previous)} 万元（{_pct(stated.previous, stated.current)}）",
                    table_id=f"{record.kind.name.lower()}_three_public",
                    row_key=stated.component,
                    page=stated.page,
                    expected=stated.previous,
                    actual=stated.current,
                    **record.where(),
                )


@history_rule("three_public.budget_match", Category.THREE_PUBLIC, Severity.MEDIUM, "决算中三公预算数与当年预算不符")
def budget_match(history: DepartmentHistory, run: Run) -> Iterator[Finding]:
    """A 决算's 三公 预算数 should equal what that year's budget published
    (a difference may be a legitimate adjustment: stated, not judged)."""
    for final in history.records:
        budget = history.get(DocumentKind.BUDGET, final.year, final.own_scope)
        if final.kind != DocumentKind.FINAL or final.document is None or budget is None or budget.document is None:
            continue
        stated = three_public_figures(final.document).get("budget", {})
        published = three_public_figures(budget.document).get("budget", {})
        for component in COMPONENTS:
            if component in stated and component in published:
                a, b = stated[component], published[component]
                if abs(a.amount - b.amount) > run.tolerances("万元"):
                    yield run.emit(
                        f"{final.year}年决算列{COMPONENT_NAMES[component]}预算数 {fmt(a.amount)} 万元，当年预算公开 {fmt(b.amount)} 万元",
                        table_id="final_three_public",
                        row_key=component,
                        expected=b.amount,
                        **at_item(a),
                        **final.where(),
                    )
