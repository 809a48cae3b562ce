"""Codes (detail, validity), subordinate units, restated prior-year figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from analysis import DepartmentHistory, DocumentRecord, check_history, default_rules
from analysis.units import stated_units
from parsers.model import DocumentKind, Scope
from tests.analysis.builders import (
    EXPENSE_ROWS,
    SOME_3P,
    consistent_final,
    document,
    fired,
    section,
    table,
    three_public_table,
    with_table,
)

FINAL, BUDGET = DocumentKind.FINAL, DocumentKind.BUDGET
TODAY = date(2024, 12, 1)


def _expense(rows):
    return with_table(consistent_final(), table("final_gpb_expense", rows, title="一般公共预算财政拨款支出决算表"))


def test_function_codes_must_reach_xiang():
    coarse = [r for r in EXPENSE_ROWS if r[0] not in ("2101101", "2101102")]  # 21011 left without 项
    found = fired(_expense(coarse), "codes.detail")
    assert [(f.table_id, f.row_key) for f in found] == [("final_gpb_expense", "21011")]


def test_economic_codes_must_reach_kuan():
    doc = consistent_final()
    basic = doc.table("final_gpb_basic")
    doc = with_table(doc, replace(basic, items=[i for i in basic.items if i.code != "31002"],
                                  rows=[r for r in basic.rows if r[0] != "31002"]))
    assert [f.row_key for f in fired(doc, "codes.detail")] == ["310"]


def test_invalid_codes_shape_and_orphans():
    rows = [*EXPENSE_ROWS, ("2239901", "孤立的项", {"total": "0.00"}), ("20A03", "坏代码", {"total": "0.00"}),
            ("201030", "六位", {"total": "0.00"}), ("50101", "非功能分类", {"total": "0.00"})]
    found = {f.row_key: f.message for f in fired(_expense(rows), "codes.invalid")}
    assert set(found) == {"2239901", "20A03", "201030", "50101"}
    assert "22399" in found["2239901"] and "非数字" in found["20A03"]


def test_flat_listing_of_xiang_codes_is_not_orphaned():
    flat = [r for r in EXPENSE_ROWS if r[0] is None or len(r[0]) == 7]
    assert fired(_expense(flat), "codes.invalid") == []


def test_flat_listing_printed_in_split_code_columns_is_not_orphaned():
    # seed 001 单位支出预算表: 类 | 款 | 项 columns, 项 lines only; the row starts with its 类
    flat = _expense([r for r in EXPENSE_ROWS if r[0] is None or len(r[0]) == 7])
    table = flat.table("final_gpb_expense")
    split = [[r[0][:3], r[0][3:5], r[0][5:], *r[1:]] if r[0] else [None, None, None, *r[1:]] for r in table.rows]
    doc = with_table(flat, replace(table, rows=split))
    assert fired(doc, "codes.invalid") == []


UNITS = "从预算单位构成看，纳入本部门 2023 年度部门决算编制范围的单位共 3 家，具体包括：焦作市测试局机关（本级）、焦作市测试中心、焦作市检测站。"


def _with_units(text=UNITS, year=2023):
    doc = consistent_final(year)
    return replace(doc, sections=[section("二、部门决算单位构成", text), *doc.sections])


def test_stated_units_read_cleanly_or_not_at_all():
    assert stated_units(_with_units()) == ["焦作市测试中心", "焦作市检测站"]
    assert stated_units(_with_units(UNITS.replace("共 3 家", "共 4 家"))) == []  # count disagrees
    assert stated_units(_with_units("决算包括：本级决算，无二级决算单位。")) == []


def _unit_findings(history, published):
    found = check_history(history, default_rules(), TODAY, published=published)
    return [f for f in found if f.rule_id == "presence.unit_missing"]


def test_listed_unit_without_its_own_document():
    history = DepartmentHistory("焦作市测试局", (DocumentRecord(FINAL, 2023, _with_units()),))
    published = {("焦作市测试局", "决算", 2023), ("河南省焦作市测试中心", "决算", 2023)}
    found = _unit_findings(history, published)
    assert [(f.row_key, f.year) for f in found] == [("焦作市检测站", 2023)]
    published.add(("焦作市检测站", "决算", 2023))
    assert _unit_findings(history, published) == []


def test_unit_that_stopped_publishing():
    unit = lambda year: DocumentRecord(FINAL, year, scope=Scope.UNIT)  # noqa: E731
    history = DepartmentHistory("焦作市测试中心", (unit(2021), unit(2022), DocumentRecord(FINAL, 2023)))
    found = _unit_findings(history, None)
    assert [(f.kind, f.year) for f in found] == [("决算", 2023)]
    assert _unit_findings(DepartmentHistory("焦作市测试中心", (unit(2022), unit(2023))), None) == []


def test_unit_and_department_documents_of_one_year_are_not_mixed():
    department = DocumentRecord(FINAL, 2023, consistent_final(2023))
    unit_2022 = DocumentRecord(FINAL, 2022, with_table(consistent_final(2022), three_public_table(SOME_3P, {**SOME_3P, "reception": "9.00"})), scope=Scope.UNIT)
    found = check_history(DepartmentHistory("焦作市测试局", (unit_2022, department)), default_rules(), TODAY)
    assert [f for f in found if f.rule_id == "three_public.yoy"] == []


def _restated(prev, cur, kind=FINAL):
    history = DepartmentHistory("焦作市测试局", (DocumentRecord(kind, 2022, prev), DocumentRecord(kind, 2023, cur)))
    return [f for f in check_history(history, default_rules(), TODAY) if f.rule_id == "yoy.restated"]


def test_prior_year_column_differs_from_last_years_document():
    prior = [(c, n, {**cells, "prior.total": cells["total"]}) for c, n, cells in EXPENSE_ROWS]
    cur = with_table(consistent_final(2023), table("final_gpb_expense", prior))
    assert _restated(consistent_final(2022), cur) == []
    restated = [(c, n, {**cells, "prior.total": "30.00" if c == "2010350" else cells["total"]}) for c, n, cells in EXPENSE_ROWS]
    cur = with_table(consistent_final(2023), table("final_gpb_expense", restated))
    found = _restated(consistent_final(2022), cur)
    assert [(f.row_key, f.expected, f.actual) for f in found] == [("2010350", Decimal("28.81"), Decimal("30.00"))]


def _stating(text):
    doc = consistent_final(2023)
    return replace(doc, sections=[*doc.sections, section("六、项目支出说明", text)])


def test_narrative_prior_year_figure_differs():
    # last year 行政运行 543.97; this year the same 543.97 "比上年增加 10.00 万元" says last year was 533.97
    found = _restated(consistent_final(2022), _stating("行政运行(项)支出 543.97 万元，比上年决算增加 10.00 万元。"))
    assert [(f.expected, f.actual) for f in found] == [(Decimal("543.97"), Decimal("533.97"))]
    assert _restated(consistent_final(2022), _stating("行政运行(项)支出 543.97 万元，与上年一致。")) == []


def test_narrative_three_public_prior_year():
    text = "公务接待费支出决算 1.28 万元，比上年决算减少 0.50 万元，主要原因是压减接待。"
    found = _restated(consistent_final(2022), _stating(text))
    assert [(f.expected, f.actual) for f in found] == [(Decimal("1.28"), Decimal("1.78"))]
    prev = with_table(consistent_final(2022), three_public_table(SOME_3P, {**SOME_3P, "reception": "1.78", "total": "14.00"}))
    assert _restated(prev, _stating(text)) == []
