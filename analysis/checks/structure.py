"""The layout of the two-sided summary tables: both sides labelled, each on its own side, 总计 printed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from analysis.checks.arithmetic import SUMMARY_TABLES
from analysis.findings import Category, Finding, Severity
from analysis.registry import Run, at_item, document_rule
from analysis.tables import find_item, norm_label, side_of
from parsers.model import LineItem, ParsedDocument

# An income-side label printed among the expenses (…收入安排的支出 is an expense).
_INCOME_WORDS = re.compile(r"^(?:本年收入|收入合计|收入总计|年初)|收入(?:合计|总计)$")


def _unlabelled(item: LineItem) -> bool:
    """The parser names an item by its column when the row prints no label."""
    name = (item.name or "").strip()
    return not name or name == item.column_label or "/" in name


@document_rule("structure.summary_layout", Category.COMPLETENESS, Severity.MEDIUM, "收支总表结构缺失或错位")
def summary_layout(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """A summary table without its 总计 rows; income amounts without their
    labels; income labels (本年收入合计, 年初结转) on the expense side."""
    for table_id in SUMMARY_TABLES:
        table = doc.table(table_id)
        if table is None or table.empty or not table.items:
            continue
        income = [i for i in table.items if side_of(i) == "income"]
        expense = [i for i in table.items if side_of(i) == "expense"]
        if not income or not expense:
            continue
        totals = [find_item(table, ["总计", "收入总计", "支出总计", "收入合计", "支出合计"], side=side) for side in ("income", "expense")]
        if all(t is None for t in totals) and not any(_unlabelled(i) for i in income):
            last = table.items[-1]
            yield run.emit(
                f"《{table.title}》没有总计行（收入总计 / 支出总计），无法核对收支平衡",
                table_id=table_id,
                row_key="总计",
                page=last.page,
            )
        blank = [i for i in income if _unlabelled(i)]
        if blank:
            yield run.emit(
                f"《{table.title}》收入栏有 {len(blank)} 个金额没有项目名称（第 {blank[0].row + 1} 行起）",
                table_id=table_id,
                row_key="income_label",
                **at_item(blank[0]),
            )
        misplaced = {norm_label(i.name): i for i in expense if _INCOME_WORDS.search(norm_label(i.name))}
        for label, item in misplaced.items():
            yield run.emit(
                f"《{table.title}》支出栏列示收入项目“{label}”",
                table_id=table_id,
                row_key=f"expense_label|{label}",
                **at_item(item),
            )
