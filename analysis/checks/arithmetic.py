"""Arithmetic identities of domain.md §4 inside and across tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from decimal import Decimal

from analysis.findings import Category, Finding, Severity
from analysis.registry import Run, at_item, document_rule
from analysis.tables import (
    find_item,
    fmt,
    items_by_code,
    norm_label,
    per_summand,
    side_of,
    total_item,
    unit_of,
)
from analysis.three_public import COMPONENT_NAMES, three_public_figures, three_public_table
from parsers.model import LineItem, ParsedDocument, ParsedTable
from parsers.registry import column_key as header_key

THREE_PUBLIC_TABLES = ("final_three_public", "budget_three_public")


def _off(run: Run, doc: ParsedDocument, table: ParsedTable | None, actual: Decimal, expected: Decimal, n: int) -> bool:
    return abs(actual - expected) > per_summand(run.tolerances(unit_of(doc, table)), n)


@document_rule("arithmetic.hierarchy", Category.CONSISTENCY, Severity.MEDIUM, "类/款/项层级合计不符")
def hierarchy(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """类 = Σ 款, 款 = Σ 项 (code + 2 digits), 合计 = Σ 类, per column."""
    for table in doc.tables:
        if table.id in THREE_PUBLIC_TABLES:
            continue
        for column_key in sorted({i.column_key for i in table.items}):
            coded = items_by_code(table, column_key)
            parents: list[tuple[str, LineItem, list[LineItem]]] = []
            for code, item in coded.items():
                children = [c for k, c in coded.items() if len(k) == len(code) + 2 and k.startswith(code)]
                if children:
                    parents.append((code, item, children))
            total = total_item(table, column_key)
            tops = [i for k, i in coded.items() if len(k) == 3]
            if total is not None and tops:
                parents.append(("合计", total, tops))
            for key, parent, children in parents:
                expected = sum((c.amount for c in children), Decimal(0))
                if _off(run, doc, table, parent.amount, expected, len(children)):
                    yield run.emit(
                        f"{table.title}中“{parent.name}”{fmt(parent.amount)}不等于其下级科目之和"
                        f"{fmt(expected)}（差 {fmt(parent.amount - expected)}）",
                        table_id=table.id or table.title,
                        row_key=key,
                        column_key=column_key,
                        page=parent.page,
                        expected=expected,
                        actual=parent.amount,
                        cells=[parent, *children],
                    )


@document_rule("arithmetic.row_total", Category.CONSISTENCY, Severity.MEDIUM, "行合计不等于各列之和")
def row_total(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """Each row's total column = Σ one group of component columns to its right
    (the first group of the rule file with two or more columns present); a
    subtotal column (基本支出) = Σ its own breakdown (人员经费 + 公用经费)."""
    totals = set(run.param("total_keys", ["total", "income"]))
    groups = [list(g) for g in run.param("component_groups", [])]
    # a component that is itself broken down (基本支出 = 人员经费 + 公用经费)
    subtotals = {k: [list(g) for g in v] for k, v in (run.param("subtotals", {}) or {}).items()}
    for table in doc.tables:
        if table.id in THREE_PUBLIC_TABLES:
            continue
        rows: dict[int, list[LineItem]] = defaultdict(list)
        columns_of: dict[str, set[int]] = defaultdict(set)
        for item in table.items:
            rows[item.row].append(item)
            columns_of[_bare(item.column_key)].add(item.column)
        # A key printed in several columns means a nested header the parser
        # flattened: which column is the subtotal is unknown, so skip it.
        usable = [g for g in groups if all(len(columns_of.get(k, ())) <= 1 for k in g)]
        for items in rows.values():
            items.sort(key=lambda i: i.column)
            for index, item in enumerate(items):
                key = _bare(item.column_key)
                if key not in totals and key not in subtotals:
                    continue
                right: list[LineItem] = []
                for other in items[index + 1 :]:
                    if _bare(other.column_key) in totals:
                        break
                    right.append(other)
                if key in totals:
                    parts = _group(right, usable)
                else:  # a subtotal's breakdown: a blank cell under a printed column is 0
                    printed = [g for g in subtotals[key] if g in usable and sum(k in columns_of for k in g) >= 2]
                    parts = next(([i for i in right if _bare(i.column_key) in g] for g in printed), [])
                if not parts or {_parent(table, p.column) for p in parts} != {_parent(table, item.column)}:
                    # components under different header parents are not one breakdown; under a
                    # group below the total's level (基本支出 | 人员经费, 公用经费, real 07)
                    # they break down that group, not the total
                    continue
                expected = sum((p.amount for p in parts), Decimal(0))
                if _off(run, doc, table, item.amount, expected, len(parts)):
                    yield run.emit(
                        f"{table.title}“{item.name}”行合计 {fmt(item.amount)} 不等于各分项之和 {fmt(expected)}",
                        table_id=table.id or table.title,
                        row_key=item.code or norm_label(item.name),
                        expected=expected,
                        cells=[item, *parts],
                        **at_item(item),
                    )


def _parent(table: ParsedTable, column: int) -> str:
    label = table.columns[column] if column < len(table.columns) else ""
    return (label or "").rpartition("/")[0]


def _group(items: list[LineItem], groups: list[list[str]]) -> list[LineItem]:
    for group in groups:
        found = [i for i in items if _bare(i.column_key) in group]
        if len({_bare(i.column_key) for i in found}) >= 2:
            return found
    return []


def _bare(column_key: str) -> str:
    return column_key.rpartition(".")[2]


SUMMARY_TABLES = ("final_summary", "budget_summary", "final_fiscal_summary", "budget_fiscal_summary")


@document_rule("arithmetic.summary", Category.CONSISTENCY, Severity.HIGH, "收支总表不平衡")
def summary(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """收入总计 = 支出总计; 01's 总计 composition; 本年支出合计 = Σ 类."""
    for table_id in SUMMARY_TABLES:
        table = doc.table(table_id)
        if table is None:
            continue
        income_total = find_item(table, ["总计", "收入总计"], side="income")
        expense_total = find_item(table, ["总计", "支出总计"], side="expense")
        checks: list[tuple[str, LineItem, list[LineItem]]] = []
        if income_total and expense_total:
            checks.append(("收入总计=支出总计", income_total, [expense_total]))
        if table_id == "final_summary":
            checks += _composition(table, income_total, "income", ["本年收入合计"], ["使用非财政拨款结余", "年初结转和结余"])
            checks += _composition(table, expense_total, "expense", ["本年支出合计"], ["结余分配", "年末结转和结余"])
            spend = find_item(table, ["本年支出合计"], side="expense")
            lines = _class_lines(table, spend)
            if spend and lines:
                checks.append(("本年支出合计=Σ类", spend, lines))
        for key, item, parts in checks:
            expected = sum((p.amount for p in parts), Decimal(0))
            if _off(run, doc, table, item.amount, expected, len(parts)):
                yield run.emit(
                    f"{table.title}：{key.replace('=', ' 应等于 ')}，表列 {fmt(item.amount)}，计算得 {fmt(expected)}",
                    table_id=table_id,
                    row_key=key,
                    expected=expected,
                    cells=[item, *parts],
                    **at_item(item),
                )


def _composition(
    table: ParsedTable, total: LineItem | None, side: str, main: list[str], others: list[str]
) -> list[tuple[str, LineItem, list[LineItem]]]:
    first = find_item(table, main, side=side)
    if total is None or first is None:
        return []
    parts = [first] + [i for i in (find_item(table, [o], side=side) for o in others) if i is not None]
    return [(f"{'收入' if side == 'income' else '支出'}总计构成", total, parts)]


def _class_lines(table: ParsedTable, spend: LineItem | None) -> list[LineItem]:
    """Expense-side rows above 本年支出合计 (the 类 lines of 01)."""
    if spend is None:
        return []
    return [
        i
        for i in table.items
        if side_of(i) == "expense"
        and i.column_key == spend.column_key
        and i.row < spend.row
        and norm_label(i.name).endswith("支出")
    ]


def _total_of(doc: ParsedDocument, table_id: str, keys: tuple[str, ...]) -> LineItem | None:
    table = doc.table(table_id)
    return next((t for k in keys if (t := total_item(table, k)) is not None), None)


def _sum_of_classes(doc: ParsedDocument, table_id: str) -> Decimal | None:
    table = doc.table(table_id)
    if table is None:
        return None
    tops = [i for i in table.items if i.code and i.code.isdigit() and len(i.code) == 3]
    return sum((i.amount for i in tops), Decimal(0)) if tops else None


def _labelled(doc: ParsedDocument, table_id: str, labels: list[str], side: str | None = None, keys=None):
    return lambda: find_item(doc.table(table_id), labels, side=side, column_keys=keys)


def _identities(doc: ParsedDocument) -> list[tuple[str, str, Callable[[], LineItem | None], str, Callable[[], object]]]:
    """(name, left table, left, right table, right) pairs that must be equal."""
    total = ("total", "income")
    return [
        ("01本年收入合计=02合计", "final_summary", _labelled(doc, "final_summary", ["本年收入合计"], "income"),
         "final_income", lambda: _total_of(doc, "final_income", total)),
        ("01本年支出合计=03合计", "final_summary", _labelled(doc, "final_summary", ["本年支出合计"], "expense"),
         "final_expense", lambda: _total_of(doc, "final_expense", total)),
        ("04一般公共预算支出=05合计", "final_fiscal_summary",
         _labelled(doc, "final_fiscal_summary", ["本年支出合计"], "expense", {"gpb"}),
         "final_gpb_expense", lambda: _total_of(doc, "final_gpb_expense", total)),
        ("05基本支出=06合计", "final_gpb_expense", lambda: _total_of(doc, "final_gpb_expense", ("basic",)),
         "final_gpb_basic", lambda: _sum_of_classes(doc, "final_gpb_basic")),
        ("06人员经费+公用经费=Σ类", "final_gpb_basic", lambda: _personnel_public(doc, "final_gpb_basic"),
         "final_gpb_basic", lambda: _sum_of_classes(doc, "final_gpb_basic")),
        ("收支总表支出=支出总表合计", "budget_summary", _labelled(doc, "budget_summary", ["本年支出合计", "支出合计"], "expense"),
         "budget_expense", lambda: _total_of(doc, "budget_expense", total)),
        ("一般公共预算支出表基本支出=基本支出表合计", "budget_gpb_expense",
         lambda: _total_of(doc, "budget_gpb_expense", ("basic",)),
         "budget_gpb_basic", lambda: _total_of(doc, "budget_gpb_basic", total)),
    ]


def _personnel_public(doc: ParsedDocument, table_id: str) -> Decimal | None:
    table = doc.table(table_id)
    people = find_item(table, ["人员经费合计", "人员经费"])
    public = find_item(table, ["公用经费合计", "公用经费"])
    return people.amount + public.amount if people and public else None


@document_rule("arithmetic.cross_table", Category.CONSISTENCY, Severity.HIGH, "表间数据不一致")
def cross_table(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """The same figure printed in two tables must agree (01↔02/03, 04↔05, 05↔06 …)."""
    for name, left_table, left, right_table, right in _identities(doc):
        a, b = _value(left()), _value(right())
        if a is None or b is None:
            continue
        if _off(run, doc, doc.table(left_table), a, b, 2):
            item = left()
            printed = [v for v in (item, right()) if isinstance(v, LineItem)]  # a computed sum has no cell
            yield run.emit(
                f"表间不一致（{name}）：{fmt(a)} ≠ {fmt(b)}",
                table_id=left_table,
                row_key=name,
                column_key=right_table,
                page=item.page if isinstance(item, LineItem) else None,
                expected=b,
                actual=a,
                cells=printed,
            )
    yield from _class_rows(doc, run)


def _class_rows(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """01's spending by 类 = 03's 类 rows, matched by name."""
    summary_table, expense = doc.table("final_summary"), doc.table("final_expense")
    if summary_table is None or expense is None:
        return
    spend = find_item(summary_table, ["本年支出合计"], side="expense")
    lines = {norm_label(i.name): i for i in _class_lines(summary_table, spend)}
    key = next((k for k in ("total", "income") if total_item(expense, k)), None)
    for item in expense.items:
        if key is None or item.column_key != key or not item.code or len(item.code) != 3:
            continue
        line = lines.get(norm_label(item.name))
        if line and _off(run, doc, expense, line.amount, item.amount, 2):
            yield run.emit(
                f"收入支出决算总表“{line.name}”{fmt(line.amount)} 与支出决算表 {item.code} {fmt(item.amount)} 不一致",
                table_id="final_summary",
                row_key=item.code,
                column_key="final_expense",
                page=line.page,
                expected=item.amount,
                actual=line.amount,
                cells=[line, item],
            )


def _value(value: object) -> Decimal | None:
    if isinstance(value, LineItem):
        return value.amount
    return value if isinstance(value, Decimal) else None


@document_rule("arithmetic.three_public", Category.CONSISTENCY, Severity.HIGH, "三公经费合计不符")
def three_public_sums(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """合计 = 出国 + 公务用车小计 + 接待; 公务用车小计 = 购置 + 运行维护; a blank
    cell under a printed component column counts as 0."""
    table = three_public_table(doc)
    # a component whose column is printed but whose cell is blank is an unprinted zero
    printed = {header_key(label.split("/")) for label in table.columns} if table else set()
    for side, figures in three_public_figures(doc).items():
        for total_key, parts in (
            ("total", ("abroad", "vehicle_total", "reception")),
            ("vehicle_total", ("vehicle_purchase", "vehicle_operation")),
        ):
            total = figures.get(total_key)
            found = [figures[p] for p in parts if p in figures]
            blank = [p for p in parts if p not in figures and ({f"{side}.{p}", p} & printed)]
            if total is None or not found or len(found) + len(blank) != len(parts):
                continue
            expected = sum((p.amount for p in found), Decimal(0))
            if _off(run, doc, table, total.amount, expected, len(parts)):
                yield run.emit(
                    f"三公经费表{side}“{COMPONENT_NAMES[total_key]}”{fmt(total.amount)} 不等于分项之和 {fmt(expected)}",
                    table_id=table.id if table else None,
                    row_key=total_key,
                    expected=expected,
                    cells=[total, *found],
                    **at_item(total),
                )


@document_rule("arithmetic.three_public_detail", Category.CONSISTENCY, Severity.MEDIUM, "基本支出明细超过三公经费")
def three_public_detail(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """06's 30217 / 30231 / 31013 may be smaller than the 三公 决算, never larger."""
    detail = doc.table("final_gpb_basic")
    final = three_public_figures(doc).get("final", {})
    if detail is None or not final:
        return
    codes = {i.code: i for i in detail.items if i.code}
    for code, component in (("30217", "reception"), ("30231", "vehicle_operation"), ("31013", "vehicle_purchase")):
        item, cap = codes.get(code), final.get(component)
        if item and cap and item.amount - cap.amount > run.tolerances(unit_of(doc, detail)):
            yield run.emit(
                f"基本支出明细表 {code} {fmt(item.amount)} 大于三公经费{COMPONENT_NAMES[component]}决算 {fmt(cap.amount)}",
                table_id="final_gpb_basic",
                row_key=code,
                expected=cap.amount,
                cells=[item, cap],
                **at_item(item),
            )


@document_rule("arithmetic.fund_balance", Category.CONSISTENCY, Severity.MEDIUM, "基金结转结余不平衡")
def fund_balance(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """07 rows: 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余."""
    table = doc.table("final_gov_fund")
    if table is None:
        return
    rows: dict[int, dict[str, LineItem]] = defaultdict(dict)
    for item in table.items:
        rows[item.row].setdefault(_bare(item.column_key), item)
    for row in rows.values():
        if not {"carry_in", "income", "total", "carry_out"} <= row.keys():
            continue
        expected = row["carry_in"].amount + row["income"].amount - row["total"].amount
        end = row["carry_out"]
        if _off(run, doc, table, end.amount, expected, 3):
            yield run.emit(
                f"政府性基金表“{end.name}”年末结转和结余 {fmt(end.amount)}，按年初+收入−支出应为 {fmt(expected)}",
                table_id=table.id,
                row_key=end.code or norm_label(end.name),
                expected=expected,
                cells=[end, row["carry_in"], row["income"], row["total"]],
                **at_item(end),
            )
