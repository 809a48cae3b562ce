"""The seed reader: document facts, tables, and the numeric ground truth.

Expected values are read off the seed text by hand (the line is quoted where
it helps), never produced by the reader itself.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from demo.seeds import (
    Heading,
    SeedDocument,
    SeedTable,
    is_malformed_number,
    malformed_cells,
    numeric_cells,
    parse_amount,
    parse_seed,
)
from demo.table_ids import table_id_for

FINAL_IDS = [
    "final_summary",
    "final_income",
    "final_expense",
    "final_fiscal_summary",
    "final_gpb_expense",
    "final_gpb_basic",
    "final_gov_fund",
    "final_state_capital",
    "final_three_public",
]
BUDGET_IDS = [
    "budget_summary",
    "budget_income",
    "budget_expense",
    "budget_fiscal_summary",
    "budget_gpb_expense",
    "budget_gpb_basic",
    "budget_gpb_basic_detail",
    "budget_economic_summary",
    "budget_three_public",
    "budget_gov_fund",
    "budget_state_capital",
    "budget_project_expense",
    "budget_operating_cost",
    "budget_performance",
]
FACTS = {
    "000": ("决算", "部门", 2023, "焦作市中站区政务服务和大数据管理局"),
    "001": ("预算", "单位", 2024, "焦作市政务大数据中心"),
    "002": ("决算", "部门", 2023, "洛阳市偃师区政务服务和大数据管理局"),
    "003": ("决算", "部门", 2023, "中国共产党焦作市中站区委员会"),
    "004": ("决算", "部门", 2023, "新乡市政务服务和大数据管理局"),
}


def _row(table: SeedTable, label: str) -> list[str]:
    return next(row for row in table.body_rows if label in [c.replace(" ", "") for c in row])


def _amounts(table: SeedTable, r: int) -> dict[int, Decimal]:
    return {c: v for rr, c, v in numeric_cells(table) if rr == r}


@pytest.mark.parametrize("name", sorted(FACTS))
def test_document_facts(seed_docs: dict[str, SeedDocument], name: str) -> None:
    doc = seed_docs[name]
    assert (doc.kind, doc.scope, doc.year, doc.department) == FACTS[name]


@pytest.mark.parametrize("name", sorted(FACTS))
def test_standard_tables_identified_in_order(seed_docs: dict[str, SeedDocument], name: str) -> None:
    doc = seed_docs[name]
    expected = BUDGET_IDS if doc.kind == "预算" else FINAL_IDS
    assert [t.canonical_id for t in doc.standard_tables] == expected


def test_narrative_headings_and_toc_are_not_tables(seed_docs: dict[str, SeedDocument]) -> None:
    doc = seed_docs["003"]
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert "十、机关运行经费支出情况说明" in headings
    assert "一、收入支出决算总体情况说明" in headings
    titles = [t.title for t in doc.standard_tables]
    assert titles.count("收入支出决算总表") == 1  # not the 目录 line "- 一、收入支出决算总表"


def test_hand_checked_figures_seed_003(seed_docs: dict[str, SeedDocument]) -> None:
    doc = seed_docs["003"]
    summary = doc.table("final_summary")
    r = summary.body_rows.index(_row(summary, "本年收入合计"))
    # "本年收入合计	27	611.70	本年支出合计	58	611.70"
    assert _amounts(summary, r) == {2: Decimal("611.70"), 5: Decimal("611.70")}
    three = doc.table("final_three_public")
    assert len(three.header_rows) == 4 and len(three.body_rows) == 1
    values = [v for _, _, v in numeric_cells(three)]
    assert values == [Decimal(x) for x in "12.22 0.00 12.22 0.00 12.22 0.00".split()] * 2
    gov_fund = doc.table("final_gov_fund")
    assert numeric_cells(gov_fund) == [] and "本表无数据" in gov_fund.empty_note


def test_three_pair_basic_detail_table(seed_docs: dict[str, SeedDocument]) -> None:
    table = seed_docs["003"].table("final_gpb_basic")
    assert table.width == 9 and len(table.body_rows) == 18
    # "301	工资福利支出	435.66	302	商品和服务支出	161.08	310	资本性支出	0.00"
    assert _amounts(table, 0) == {2: Decimal("435.66"), 5: Decimal("161.08"), 8: Decimal("0.00")}
    assert len(numeric_cells(table)) == 18 * 3  # codes are not amounts


def test_spaced_and_grouped_numbers(seed_docs: dict[str, SeedDocument]) -> None:
    spaced = seed_docs["000"].table("final_summary")
    assert spaced.body_rows[0][2] == "599. 47"  # kept as printed
    assert _amounts(spaced, 0)[2] == Decimal("599.47")
    grouped = seed_docs["004"].table("final_summary")
    assert grouped.body_rows[0][2] == "3,026.66"
    assert _amounts(grouped, 0)[2] == Decimal("3026.66")
    # 004 prints zero as an empty cell: "三、国有资本经营预算财政拨款收入	3		三、国防支出	34	"
    assert _amounts(grouped, 2) == {}


def test_budget_seed_tables(seed_docs: dict[str, SeedDocument]) -> None:
    doc = seed_docs["001"]
    summary = doc.table("budget_summary")
    assert summary.label == "预算01表" and summary.unit == "万元"
    three = doc.table("budget_three_public")
    assert [v for _, _, v in numeric_cells(three)] == [Decimal(x) for x in ("4.00", "3.00", "3.00", "1.00")]
    assert [c for _, c, _ in numeric_cells(three)] == [0, 2, 4, 5]
    assert doc.table("budget_gov_fund").empty_note.endswith("故本表无数据。")
    assert doc.table("budget_gpb_expense").notes[-1] == "本表仅含当年财政拨款安排的支出。"


def test_repeated_header_after_page_break_is_dropped(seed_docs: dict[str, SeedDocument]) -> None:
    table = seed_docs["001"].table("budget_fiscal_summary")
    headers = {tuple(row) for row in table.header_rows}
    assert not any(tuple(row) in headers for row in table.body_rows)
    # the table continues after the repeated header with "(十三) 农林水事务支出"
    assert any("农林水事务支出" in cell for row in table.body_rows for cell in row)


@pytest.mark.parametrize("name", ["000", "002", "003", "004"])
def test_coded_tables_add_up(seed_docs: dict[str, SeedDocument], name: str) -> None:
    """合计 = Σ 类 rows in every amount column of table 05: a misread column or
    a lost row would break this (the seeds' own figures do add up here)."""
    table = seed_docs[name].table("final_gpb_expense")
    cells = numeric_cells(table)
    total_row = table.body_rows.index(_row(table, "合计"))
    class_rows = {r for r, row in enumerate(table.body_rows) if len(row[0].strip()) == 3}
    for c in (2, 3, 4):
        total = sum((v for r, cc, v in cells if r == total_row and cc == c), Decimal(0))
        parts = sum((v for r, cc, v in cells if r in class_rows and cc == c), Decimal(0))
        assert abs(total - parts) <= Decimal("0.01") * len(class_rows), (name, c)


def test_amount_parsing() -> None:
    assert parse_amount("3,026.66") == Decimal("3026.66")
    assert parse_amount("599. 47") == Decimal("599.47")
    assert parse_amount("0") == Decimal("0")
    assert parse_amount("—") is None and parse_amount("72.08 %") is None
    assert is_malformed_number("35.36.00")
    assert not is_malformed_number("35.36") and not is_malformed_number("合计")


SYNTHETIC = """2023 年度测试局部门决算

二〇二四年九月

一、部门职责

本部门负责测试。

一般公共预算财政拨款支出决算表

公开 05 表

部门：测试局

2023 年度

单位：万元

项目\t\t本年支出\t\t
科目代码\t科目名称\t小计\t基本支出\t项目支出
栏次\t\t1\t2\t3
合计\t\t10.00\t35.36.00\t1.00

项目\t\t本年支出\t\t
科目代码\t科目名称\t小计\t基本支出\t项目支出
栏次\t\t1\t2\t3
201\t一般公共服务支出\t10.00\t9.00\t1.00

注：本表反映部门本年度一般公共预算财政拨款支出情况。
本表金额转换为万元时，因四舍五入可能存在尾差。

二、收入决算情况说明
"""


def test_synthetic_seed_with_page_break_artefacts() -> None:
    doc = parse_seed(SYNTHETIC, name="synthetic")
    (table,) = doc.tables
    assert table.canonical_id == "final_gpb_expense"
    assert (table.label, table.department_line, table.year_line, table.unit) == (
        "公开 05 表",
        "部门：测试局",
        "2023 年度",
        "万元",
    )
    assert [row[0] for row in table.body_rows] == ["合计", "201"]
    assert malformed_cells(table) == [(0, 3, "35.36.00")]
    assert (0, 3) not in {(r, c) for r, c, _ in numeric_cells(table)}
    assert len(numeric_cells(table)) == 5
    assert table.notes == [
        "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
        "本表金额转换为万元时，因四舍五入可能存在尾差。",
    ]
    assert isinstance(doc.blocks[-1], Heading) and doc.blocks[-1].text == "二、收入决算情况说明"


@pytest.mark.parametrize(
    ("title", "kind", "expected"),
    [
        ("2024年单位收支预算表", "预算", "budget_summary"),
        ("2024年财政拨款收支预算表", "预算", "budget_fiscal_summary"),
        ("2024年机关（机构）运行经费", "预算", "budget_operating_cost"),
        ("一般公共预算财政拨款基本支出决算明细表", "决算", "final_gpb_basic"),
        ("财政拨款“三公”经费支出决算表", "决算", "final_three_public"),
        ("部门整体支出绩效自评情况表", "决算", None),
    ],
)
def test_table_ids(title: str, kind: str, expected: str | None) -> None:
    assert table_id_for(title, kind) == expected
