"""Derivations: new documents from a seed, the seed itself untouched."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from demo.derive import drop_table, rename_department, scale_item, shift_year
from demo.errors import DeriveError
from demo.seeds import SeedDocument, numeric_cells


def _cells(seed: SeedDocument, table_id: str) -> dict[tuple[int, int], Decimal]:
    return {(r, c): v for r, c, v in numeric_cells(seed.table(table_id))}


def test_scaling_reception_raises_three_public_total(seed_docs: dict[str, SeedDocument]) -> None:
    seed = seed_docs["004"]
    before = copy.deepcopy(seed)
    # 004 三公 决算数: 合计 2.30, 公务用车小计 1.79, 公务接待费 0.51 (columns 6, 8, 11)
    derived = scale_item(seed, "final_three_public", None, "决算数/公务接待费", "1.8")
    cells = _cells(derived, "final_three_public")
    assert cells[(0, 11)] == Decimal("0.92")  # 0.51 × 1.8 = 0.918
    assert cells[(0, 6)] == Decimal("2.71")  # 2.30 + 0.41
    assert cells[(0, 8)] == Decimal("1.79") and cells[(0, 0)] == Decimal("2.30")
    assert seed == before


def test_scaling_a_coded_row_updates_parents_and_total(seed_docs: dict[str, SeedDocument]) -> None:
    # 004 05: 2010301 行政运行 基本支出 412.96 under 20103, 201 and 合计 (1,071.03)
    derived = scale_item(seed_docs["004"], "final_gpb_expense", "2010301", "基本支出", 2)
    rows = {row[0]: row for row in derived.table("final_gpb_expense").body_rows}
    assert rows["2010301"][2:4] == ["825.92", "825.92"]
    assert rows["20103"][2:4] == ["1,891.70", "1,295.65"]
    assert rows["201"][2:4] == ["1,891.70", "1,295.65"]
    assert rows["合计"][2:5] == ["3,439.62", "1,483.99", "1,955.64"]
    assert rows["2010302"][2:5] == ["596.05", "", "596.05"]


def test_scale_item_refuses_unknown_or_ambiguous_targets(seed_docs: dict[str, SeedDocument]) -> None:
    seed = seed_docs["003"]
    with pytest.raises(DeriveError):
        scale_item(seed, "final_three_public", None, "公务接待费", 2)  # 预算数 or 决算数?
    with pytest.raises(DeriveError):
        scale_item(seed, "final_gpb_expense", "9999999", "基本支出", 2)
    with pytest.raises(DeriveError):
        scale_item(seed, "budget_summary", None, 2, 2)


def test_shift_year_moves_every_year(seed_docs: dict[str, SeedDocument]) -> None:
    seed = seed_docs["003"]
    derived = shift_year(seed, 2024)
    assert derived.year == 2024 and seed.year == 2023
    assert derived.title_lines == ["2024 年度中国共产党焦作市 中站区委员会 部门决算"]
    assert derived.date_line == "二〇二五年九月"
    assert derived.table("final_summary").year_line == "2024 年度"
    # codes and amounts are not years
    assert derived.table("final_income").body_rows == seed.table("final_income").body_rows


def test_rename_department_everywhere(seed_docs: dict[str, SeedDocument]) -> None:
    seed = seed_docs["000"]  # the title prints the name with a space inside
    derived = rename_department(seed, "焦作市中站区测试局")
    assert derived.department == "焦作市中站区测试局"
    assert derived.title_lines == ["2023 年度焦作市中站区测试局部门决算"]
    assert derived.table("final_summary").department_line == "部门: 焦作市中站区测试局"


def test_drop_table(seed_docs: dict[str, SeedDocument]) -> None:
    seed = seed_docs["002"]
    derived = drop_table(seed, "final_three_public")
    assert derived.table("final_three_public") is None
    assert len(derived.tables) == len(seed.tables) - 1
    with pytest.raises(DeriveError):
        drop_table(derived, "final_three_public")
