from dataclasses import replace
from decimal import Decimal

from parsers.column_contract import contract_keys
from analysis.three_public import three_public_figures
from parsers.model import DocumentKind
from tests.analysis.builders import (
    SOME_3P,
    consistent_final,
    document,
    fired,
    section,
    table,
    three_public_table,
    with_table,
)


def test_final_above_budget():
    budget = {**SOME_3P, "reception": "1.00", "total": "13.22"}
    found = fired(with_table(consistent_final(), three_public_table(budget, SOME_3P)), "three_public.final_over_budget")
    assert [(f.row_key, f.expected, f.actual) for f in found] == [
        ("reception", Decimal("1.00"), Decimal("1.28")),
        ("total", Decimal("13.22"), Decimal("13.50")),
    ] or sorted(f.row_key for f in found) == ["reception", "total"]


def test_vehicle_money_without_split():
    partial = {k: v for k, v in SOME_3P.items() if k not in ("vehicle_purchase", "vehicle_operation")}
    found = fired(with_table(consistent_final(), three_public_table(partial, partial)), "three_public.split_missing")
    assert sorted(f.column_key for f in found) == ["budget.vehicle_total", "final.vehicle_total"]


def _three_public_text(doc, text):
    sections = [s for s in doc.sections if "三公" not in s.heading]
    return replace(doc, sections=[*sections, section("九、财政拨款“三公”经费支出决算情况说明", text)])


def test_counts_missing():
    doc = _three_public_text(consistent_final(), "公务用车运行维护支出 12.22 万元。公务接待费支出决算 1.28 万元。")
    assert sorted(f.row_key for f in fired(doc, "three_public.counts_missing")) == ["reception", "vehicle_operation"]


def test_purchase_without_vehicle_count():
    bought = {**SOME_3P, "vehicle_purchase": "20.00", "vehicle_total": "32.22", "total": "33.50"}
    doc = with_table(consistent_final(), three_public_table(bought, bought))
    assert [f.row_key for f in fired(doc, "three_public.counts_missing")] == ["vehicle_purchase"]
    doc = _three_public_text(doc, doc.sections[3].text + "\n公务用车购置支出为 20.00 万元，购置车辆 1 台。")
    assert fired(doc, "three_public.counts_missing") == []


def test_change_without_reason():
    doc = _three_public_text(consistent_final(), "公务接待费 1.28 万元，比上年增加 0.50 万元。")
    assert len(fired(doc, "three_public.reasons_missing")) == 1
    doc = _three_public_text(consistent_final(), "公务接待费 1.28 万元，比上年增加 0.50 万元，主要原因是接待任务增加。")
    assert fired(doc, "three_public.reasons_missing") == []


def test_vehicle_stock_contradiction_from_seed_003():
    doc = consistent_final()
    sections = [s for s in doc.sections if "国有资产" not in s.heading]
    doc = replace(doc, sections=[*sections, section("十二、国有资产占用情况说明", "2023年期末，我部门共有车辆 9 辆。")])
    found = fired(doc, "three_public.vehicle_stock")
    assert [(f.expected, f.actual) for f in found] == [(Decimal("9"), Decimal("2"))]



JIANGSU_KEYS = ["grand_total", "total", "abroad", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception",
                "meeting", "training"]
# 29's header as the parser reads it: words broken over lines keep a "/".
JIANGSU_COLUMNS = ["", "", "合计", '"三公"经费/小计', '"三公"经费/因公出国/(境)费',
                   '"三公"经费/公务用车购置及运行维护费/小计', '"三公"经费/公务用车购置及运行维护费/公务用车/购置费',
                   '"三公"经费/公务用车购置及运行维护费/公务用车运/行维护费', '"三公"经费/公务接/待费', "会议费", "培训费"]


def _jiangsu_budget(amounts, columns=JIANGSU_COLUMNS):
    """A budget 三公 table as the Jiangsu files print it: 合计 (三公 + 会议费 +
    培训费), the 三公 小计, its components, 会议费, 培训费; keys as the parser
    gives them, a blank cell has no item."""
    t = table("budget_three_public", [(None, "", {k: a for k, a in zip(JIANGSU_KEYS, amounts) if a is not None})])
    t.columns = columns
    for i, item in enumerate(t.items):
        t.items[i] = replace(item, column=2 + JIANGSU_KEYS.index(item.column_key))
    return document([t], kind=DocumentKind.BUDGET, year=2017)


# 29 (2017): 公务用车购置费 printed blank.
COURT_2017 = ["2599.37", "670.12", "180.00", "304.40", None, "304.40", "185.72", "228.00", "1701.25"]


def test_three_public_total_is_the_three_public_subtotal_not_the_grand_total():
    doc = _jiangsu_budget(COURT_2017)
    figures = three_public_figures(doc)["budget"]
    assert {k: str(v.amount) for k, v in figures.items()} == {
        "total": "670.12", "abroad": "180.00", "vehicle_total": "304.40", "vehicle_operation": "304.40",
        "reception": "185.72"}
    assert fired(doc, "arithmetic.three_public") == []
    wrong = _jiangsu_budget(["2599.37", "680.12", *COURT_2017[2:]])
    assert [(f.row_key, f.expected, f.actual) for f in fired(wrong, "arithmetic.three_public")] == [
        ("total", Decimal("670.12"), Decimal("680.12"))]


def test_printed_split_with_broken_header_words_and_a_blank_purchase_cell():
    assert fired(_jiangsu_budget(COURT_2017), "three_public.split_missing") == []
    unsplit = [c for c in JIANGSU_COLUMNS if "公务用车/购置费" not in c and "运/行" not in c]
    amounts = [a for k, a in zip(JIANGSU_KEYS, COURT_2017) if k not in ("vehicle_purchase", "vehicle_operation")]
    keys = [k for k in JIANGSU_KEYS if k not in ("vehicle_purchase", "vehicle_operation")]
    t = table("budget_three_public", [(None, "", dict(zip(keys, amounts)))])
    t.columns = unsplit
    found = fired(document([t], kind=DocumentKind.BUDGET), "three_public.split_missing")
    assert [f.row_key for f in found] == ["vehicle_total"]


def test_operating_cost_and_unkeyed_columns_of_a_three_public_table():
    """机关运行经费 (Shanghai 06: vehicle cells blank) is no 三公 component; a
    column the header words left unkeyed (``"三公"经费合计``, seed 001) is keyed
    by the parser's column contract from its header path."""
    labels = ['"三公"经费合计', "因公出国(境)费", "公务接待费", "机关运行经费预算数"]
    keys = contract_keys("budget_three_public", ["col2", "abroad", "reception", "operating_cost"], labels)
    assert keys == ["total", "abroad", "reception", "operating_cost"]
    t = table("budget_three_public", [(None, "", dict(zip(keys, ["867.50", "839.00", "28.50", "443.18"])))])
    t.columns = ["", "", *labels]
    figures = three_public_figures(document([t], kind=DocumentKind.BUDGET))["budget"]
    assert {k: str(v.amount) for k, v in figures.items()} == {"total": "867.50", "abroad": "839.00", "reception": "28.50"}
