from dataclasses import replace
from decimal import Decimal

from tests.analysis.builders import SOME_3P, consistent_final, fired, section, three_public_table, with_table


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
