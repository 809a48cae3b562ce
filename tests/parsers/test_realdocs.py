"""Acceptance 2 (part): real published PDFs, read in place from ../shared/realdocs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from parsers import parse_file

# Hand-checked against the covers and file names of the PDFs.
EXPECTED = {
    "01_": ("决算", "部门", 2024, "上海市普陀区财政局"),
    "04_": ("预算", "部门", 2024, "上海市普陀区人民政府万里街道办事处"),
    "05_": ("预算", "部门", 2025, "上海市普陀区人民政府万里街道办事处"),
    "06_": ("预算", "部门", 2025, "上海市普陀区人民政府办公室"),
    "07_": ("预算", "单位", 2025, "上海市普陀区人民政府办公室"),
    "12_": ("预算", "部门", 2017, "江苏省人大常委会办公厅"),
    "15_": ("预算", "部门", 2018, "江苏省人大常委会办公厅"),
    "28_": ("预算", "部门", 2019, "江苏省高级人民法院"),
    "29_": ("预算", "部门", 2017, "江苏省高级人民法院"),
    "30_": ("预算", "部门", 2018, "江苏省高级人民法院"),
}
FINAL_TABLES = [
    "final_summary", "final_income", "final_expense", "final_fiscal_summary", "final_gpb_expense",
    "final_gpb_basic", "final_gov_fund", "final_state_capital", "final_three_public",
]


def _doc(realdocs_dir: Path, prefix: str) -> Path:
    matches = sorted(realdocs_dir.glob(f"{prefix}*.pdf"))
    if not matches:
        pytest.skip(f"{prefix}* absent from realdocs")
    return matches[0]


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_metadata(realdocs_dir: Path, prefix: str) -> None:
    doc = parse_file(_doc(realdocs_dir, prefix))
    kind, scope, year, department = EXPECTED[prefix]
    assert (doc.kind, doc.scope, doc.year, doc.department) == (kind, scope, year, department)


def test_shanghai_final_account_tables_and_totals(realdocs_dir: Path) -> None:
    doc = parse_file(_doc(realdocs_dir, "01_"))
    assert [t.id for t in doc.tables] == [
        "final_summary", "final_income", "final_expense", "final_fiscal_summary", "final_gpb_expense",
        "final_gpb_basic", "final_three_public", "final_gov_fund", "final_state_capital",
    ]
    assert set(FINAL_TABLES) <= {t.id for t in doc.tables}
    summary = doc.table("final_summary")
    assert summary is not None and summary.pages == [6, 7]
    amounts = {(i.name, i.column_key): i.amount for i in summary.items}
    # printed on pages 6 (本年收入合计) and 7 (总计) of the PDF
    assert amounts[("本年收入合计", "income.total")] == Decimal("2946.25")
    assert amounts[("总计", "income.total")] == Decimal("2995.39")
    assert amounts[("总计", "expense.total")] == Decimal("2995.39")
    three = doc.table("final_three_public")
    assert three is not None and three.pages == [18]
    assert {(i.column_key, i.amount) for i in three.items} >= {("budget.total", Decimal("0.95"))}


def test_codes_split_over_columns_are_joined(realdocs_dir: Path) -> None:
    doc = parse_file(_doc(realdocs_dir, "01_"))
    table = doc.table("final_gpb_expense")
    assert table is not None
    codes = {i.code for i in table.items}
    assert {"201", "20106", "2010601"} <= codes
    first = next(i for i in table.items if i.code == "201" and i.column_key == "total")
    assert (first.amount, first.page) == (Decimal("2106.66"), 15)


def _unbalanced_parents(table) -> list[tuple[str, str, Decimal, Decimal]]:  # noqa: ANN001 - ParsedTable
    """(code, column key, printed, sum of children) where a 类/款 line differs from its lines."""
    by_column: dict[str, dict[str, Decimal]] = {}
    for item in table.items:
        if item.code:
            by_column.setdefault(item.column_key, {})[item.code] = item.amount
    found = []
    for column, amounts in by_column.items():
        for code, amount in amounts.items():
            children = [v for c, v in amounts.items() if c.startswith(code) and len(c) == len(code) + 2]
            tolerance = Decimal("0.01") * len(children) if table.unit != "元" else Decimal(1) * len(children)
            if children and abs(sum(children) - amount) > tolerance:
                found.append((code, column, amount, sum(children)))
    return found


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_every_code_hierarchy_adds_up(realdocs_dir: Path, prefix: str) -> None:
    """These published tables add up; a sum that does not is a row lost or misplaced
    by the parser (at a page break, above a continuation's ruling, in a spacer column)."""
    doc = parse_file(_doc(realdocs_dir, prefix))
    checked = [t for t in doc.tables if any(i.code for i in t.items)]
    assert checked
    assert {t.title: _unbalanced_parents(t) for t in checked if _unbalanced_parents(t)} == {}
