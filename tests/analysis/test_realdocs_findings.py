"""Findings on the real PDFs (../shared/realdocs), each checked by reading the
PDF: what must be reported, and what was reported wrongly before (skipped
when the folder is absent; parses PDFs, so slow-ish)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from analysis import DepartmentHistory, DocumentRecord, check_document, check_history, default_rules

parsers = pytest.importorskip("parsers", reason="parser not importable yet")

FILES = ("01", "04", "05", "06", "07", "12", "15", "29", "30", "28")


@pytest.fixture(scope="module")
def docs(realdocs_dir):
    return {p: parsers.parse_file(next(realdocs_dir.glob(p + "_*.pdf"))) for p in FILES}


@pytest.fixture(scope="module")
def findings(docs):
    return {p: check_document(doc, default_rules()) for p, doc in docs.items()}


def _history(docs, department, *prefixes):
    records = tuple(DocumentRecord(docs[p].kind, docs[p].year, docs[p]) for p in prefixes)
    return check_history(DepartmentHistory(department, records), default_rules(), date(2025, 12, 31))


def test_no_department_named_wrongly_in_any_header(findings):
    """01, 29, 30 print 单位：万元 where other files print 部门：…"""
    assert [(p, f.table_id) for p, found in findings.items() for f in found
            if f.rule_id == "metadata.other_department"] == []


def test_2017_shares_of_the_three_public_are_shares_of_three_public_plus_meetings_and_training(findings):
    """12 p28: 222.5 / 183.6 / 427.5 万元 stated as 8.75% / 7.22% / 16.81% of the
    三公 (833.60): they are shares of 2542.60 (三公 + 会议费 + 培训费). 15 (2018)
    states 26.69% / 22.03% / 51.28%, which is right."""
    shares = sorted((f.actual, f.expected) for f in findings["12"] if f.rule_id == "narrative.share")
    assert shares == [(Decimal("7.22"), Decimal("22.02")), (Decimal("8.75"), Decimal("26.69")),
                      (Decimal("16.81"), Decimal("51.28"))]
    assert [f for f in findings["15"] + findings["28"] if f.rule_id == "narrative.share"] == []


def test_zero_changes_stated_as_zero_percent_are_not_reported(findings):
    """15 p19/p28: 增加（减少）0 万元，增长（减少）0%."""
    assert [f.message for f in findings["15"] if f.rule_id == "narrative.rate" and f.actual == 0] == []


def test_court_2018_rate_on_the_wrong_base(findings):
    """30 p19: 一般行政事务管理 6049.97 万元，减少 392.92 万元，减少 5.95% (392.92 / 6442.89 is 6.10%)."""
    rates = [(f.actual, f.expected) for f in findings["30"] if f.rule_id == "narrative.rate"]
    assert (Decimal("5.95"), Decimal("6.10")) in rates


def test_vehicle_split_printed_with_a_blank_purchase_cell(findings):
    """29 p17, 30 p14 print 公务用车购置费 (blank) and 公务用车运行维护费 columns."""
    assert [p for p in ("28", "29", "30") for f in findings[p] if f.rule_id == "three_public.split_missing"] == []


def test_shanghai_tables_in_yuan_and_their_narrative_in_wan(findings):
    """04-07: no 政府采购项目 amount read as 项目支出, no 元 table value compared
    with 万元 text; 07's 合计 is 人员经费 + 公用经费 + 项目支出; the 三公 table
    alone is in 万元 (a real inconsistency of presentation)."""
    shanghai = [f for p in ("04", "05", "06", "07") for f in findings[p]]
    assert [f.message for f in shanghai if f.rule_id in ("narrative.amount", "arithmetic.row_total")] == []
    units = {(f.table_id, f.page) for p in ("04", "06") for f in findings[p] if f.rule_id == "metadata.mixed_units"}
    assert units == {("budget_three_public", 31), ("budget_three_public", 20)}


def test_three_public_year_over_year(docs):
    """万里街道 公务用车购置费 25 → 15 万元 (04 p31, 05 p29); 法院 公务接待费
    183.95 → 86.95 万元 (30 p14, 28 p14)."""
    wanli = _history(docs, "上海市普陀区人民政府万里街道办事处", "04", "05")
    assert [(f.year, f.row_key, f.expected, f.actual) for f in wanli if f.rule_id == "three_public.yoy"] == [
        (2025, "vehicle_purchase", Decimal("25"), Decimal("15"))]
    court = _history(docs, "江苏省高级人民法院", "29", "30", "28")
    assert [(f.year, f.row_key) for f in court if f.rule_id == "three_public.yoy"] == [(2019, "reception")]


def test_npc_three_public_series_is_flat(docs):
    """12 (2017) and 15 (2018) print the same 三公 figures (833.60, 222.50,
    183.60, 427.50): no year-over-year 三公 finding, no restated 三公 figure."""
    found = _history(docs, "江苏省人大常委会办公厅", "12", "15")
    assert [f.message for f in found if f.rule_id == "three_public.yoy"] == []
    assert [f.message for f in found if f.rule_id == "yoy.restated" and "公务" in f.message] == []


def test_court_2019_alone_states_its_reception_cut_itself(docs):
    """28 p23 (no 2018 document archived): "公务接待费预算支出 86.95 万元，比上年预算减少
    97 万元" — last year 183.95, which 30 p14 prints; the other stated changes
    (因公出国 170 → 160) stay within the thresholds. 30 alone: 180 → 170,
    304.4 → 266.8, 185.72 → 183.95, all within."""
    alone = _history(docs, "江苏省高级人民法院", "28")
    assert [(f.row_key, f.expected, f.actual, f.page) for f in alone if f.rule_id == "three_public.yoy"] == [
        ("reception", Decimal("183.95"), Decimal("86.95"), 23)]
    assert [f for f in _history(docs, "江苏省高级人民法院", "30") if f.rule_id == "three_public.yoy"] == []


REVIEWER_RULES = ("performance.", "classification.", "structure.", "narrative.carry_over", "narrative.merger_base")


def test_reviewer_rules_find_nothing_in_the_real_documents(findings):
    """Checked against the PDFs: none of them has a self-evaluation attachment,
    an economic line above its functional one, a summary table without 总计,
    a carry-over claim or a merger base (the Shanghai 功能分类 tables total in
    their 一般公共预算支出/合计 column)."""
    assert [(p, f.rule_id, f.message) for p, found in findings.items() for f in found
            if f.rule_id.startswith(REVIEWER_RULES)] == []
