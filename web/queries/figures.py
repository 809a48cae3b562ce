"""A department's 三公经费 and totals by year, read from stored line items.

One rule per side, the same as ``analysis.three_public``: a table's column
key is ``side.component`` (a budget document's unprefixed columns are its
预算数) and the first item of a component counts. The 决算 of year N comes
from the 决算 document; its 预算 from the 预算 document when there is one,
else from the 预算数 column the 决算 prints.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from analysis.three_public import COMPONENTS
from storage.models import LineItemRow
from web.queries.documents import Published

__all__ = ["Figure", "figure_items", "three_public_by_year", "totals_by_year", "THREE_PUBLIC_TABLES", "TOTAL_TABLES"]

THREE_PUBLIC_TABLES = ("final_three_public", "budget_three_public")
# 收支总表: its 支出总计 row is the document's total.
TOTAL_TABLES = ("final_summary", "budget_summary")
BUDGET, FINAL = "预算", "决算"


@dataclass(frozen=True)
class Figure:
    amount: Decimal
    item_id: int
    page: int


def figure_items(session: Session, published: list[Published]) -> dict[int, list[LineItemRow]]:
    """The 三公 and 收支总表 line items of the department's documents, by version (one query)."""
    version_ids = [p.version.id for p in _department_documents(published)]  # type: ignore[union-attr]
    tables = THREE_PUBLIC_TABLES + TOTAL_TABLES
    found: dict[int, list[LineItemRow]] = defaultdict(list)
    if not version_ids:
        return found
    rows = session.exec(
        # coalesce() keeps SQLite (no statistics) on the version index instead of the far wider table_id one.
        select(LineItemRow).where(col(LineItemRow.version_id).in_(version_ids),
                                  func.coalesce(LineItemRow.table_id, "").in_(tables))
        .order_by(LineItemRow.version_id, LineItemRow.parsed_table_id, LineItemRow.ordinal)
    ).all()
    for row in rows:
        found[row.version_id].append(row)
    return found


def _department_documents(published: list[Published]) -> list[Published]:
    """The department's own documents (not its units'), current version parsed."""
    return [p for p in published if p.version is not None and p.document.year and p.document.kind in (BUDGET, FINAL)
            and p.document.scope in (None, "部门")]


def three_public_by_year(published: list[Published], items: dict[int, list[LineItemRow]]
                         ) -> dict[int, dict[str, dict[str, Figure]]]:
    """year → component → {"预算": Figure, "决算": Figure}, oldest year first (``items``: ``figure_items``)."""
    docs = _department_documents(published)
    sides: dict[tuple[int, str, str], dict[str, Figure]] = defaultdict(dict)  # (year, doc kind, side) → component
    for p in docs:
        default = "final" if p.document.kind == FINAL else "budget"
        for item in items.get(p.version.id, []):  # type: ignore[union-attr]
            if item.table_id not in THREE_PUBLIC_TABLES:
                continue
            side, _, component = item.column_key.rpartition(".")
            if component in COMPONENTS:
                sides[(p.document.year, p.document.kind, side or default)].setdefault(  # type: ignore[arg-type]
                    component, Figure(item.amount, item.id, item.page))  # type: ignore[arg-type]
    years = sorted({year for year, _, _ in sides})
    result: dict[int, dict[str, dict[str, Figure]]] = {}
    for year in years:
        final = sides.get((year, FINAL, "final"), {})
        budget = sides.get((year, BUDGET, "budget")) or sides.get((year, FINAL, "budget"), {})
        result[year] = {
            c: {k: v for k, v in ((BUDGET, budget.get(c)), (FINAL, final.get(c))) if v is not None}
            for c in COMPONENTS if c in budget or c in final
        }
    return result


def totals_by_year(published: list[Published], items: dict[int, list[LineItemRow]]) -> dict[int, dict[str, Figure]]:
    """year → {"预算": total, "决算": total}: the 支出总计 of each document's 收支总表."""
    result: dict[int, dict[str, Figure]] = defaultdict(dict)
    for p in _department_documents(published):
        rows = [r for r in items.get(p.version.id, []) if r.table_id in TOTAL_TABLES]  # type: ignore[union-attr]
        total = next((r for r in rows if "支出总计" in r.name.replace(" ", "") and r.column_key.endswith("total")), None)
        total = total or next((r for r in rows if "总计" in r.name.replace(" ", "")), None)
        if total is not None:
            result[p.document.year].setdefault(p.document.kind, Figure(total.amount, total.id, total.page))  # type: ignore[index]
    return dict(sorted(result.items()))

