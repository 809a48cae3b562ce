"""Acceptance on rendered seeds, derived years and the real PDFs (slow-ish: parses PDFs)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from analysis import (
    DepartmentHistory,
    DocumentRecord,
    RuleConfig,
    RuleSet,
    check_document,
    check_history,
    default_rules,
    diff_documents,
)
from analysis.three_public import three_public_figures

parsers = pytest.importorskip("parsers", reason="parser not importable yet")
derive = pytest.importorskip("demo.derive", reason="fixture generator (demo.derive) not importable yet")
render = pytest.importorskip("demo.render_pdf", reason="fixture generator (demo.render_pdf) not importable yet")

VARIANT = "ruled_portrait"
ARITHMETIC = "arithmetic."


@pytest.fixture(scope="module")
def seed_findings(rendered_seeds):
    cache: dict[str, list] = {}

    def get(seed: str):
        if seed not in cache:
            path, _ = rendered_seeds[(seed, VARIANT)]
            cache[seed] = check_document(parsers.parse_file(path), default_rules())
        return cache[seed]

    return get


def _keys(findings):
    return {(f.rule_id, f.table_id, f.row_key) for f in findings}


def test_seed_003_real_inconsistencies(seed_findings):
    found = seed_findings("003")
    rules = {f.rule_id for f in found}
    # headers naming 中山区 / 站区 instead of 中站区
    other = {f.table_id for f in found if f.rule_id == "metadata.other_department"}
    assert {"final_summary", "final_expense", "final_income", "final_three_public"} <= other
    assert "final_gpb_basic" not in other  # its header names the right department
    # 35.36.00 in the narrative; 30217 labelled 公务招待费
    assert any("35.36.00" in f.message for f in found if f.rule_id == "narrative.malformed_number")
    assert ("metadata.code_name", "final_gpb_basic", "30217") in _keys(found)
    # 下降 20.26% computed on this year's 611.70 instead of last year's 735.65
    rates = [f for f in found if f.rule_id == "narrative.rate" and f.actual == Decimal("20.26")]
    assert rates and all(f.expected == Decimal("16.85") for f in rates)
    # 基本支出 611.70 in the text, 605.00 in the tables; 保有量 10 vs 共有车辆 9
    assert any(f.actual == Decimal("611.70") and f.expected == Decimal("605.00")
               for f in found if f.rule_id == "narrative.amount")
    assert "three_public.vehicle_stock" in rules
    # 04 prints 611.70 in the 政府性基金 and 国有资本 columns of its totals rows
    assert any(f.table_id == "final_fiscal_summary" for f in found if f.rule_id == "arithmetic.row_total")


def test_seed_000_share_over_100_percent(seed_findings):
    shares = [f for f in seed_findings("000") if f.rule_id == "narrative.share"]
    assert [(f.expected, f.actual) for f in shares] == [(Decimal("100.00"), Decimal("599.47"))]


def test_seed_004_zero_budget_completion_and_vehicle_count(seed_findings):
    found = seed_findings("004")
    zero = [f for f in found if f.rule_id == "narrative.completion_rate" and f.expected is None]
    assert zero, "年初预算为 0.00 万元 … 完成年初预算的 100.00% must be reported"
    assert "three_public.vehicle_stock" in {f.rule_id for f in found}


@pytest.mark.parametrize("seed", ["000", "002", "004"])
def test_no_arithmetic_finding_on_tables_that_add_up(seed_findings, seed):
    assert [f.message for f in seed_findings(seed) if f.rule_id.startswith(ARITHMETIC)] == []


def test_seed_003_arithmetic_only_where_the_document_is_wrong(seed_findings):
    tables = {f.table_id for f in seed_findings("003") if f.rule_id.startswith(ARITHMETIC)}
    # 04's totals rows, and 06 whose 302/303 detail rows the document leaves out
    assert tables <= {"final_fiscal_summary", "final_gpb_basic"}


@pytest.fixture(scope="module")
def two_years(seed_docs, tmp_path_factory):
    """Seed 004 as 2022, and as 2023 with 公务接待费 +80% and table 08 removed."""
    seed = seed_docs["004"]
    before = derive.shift_year(seed, 2022)
    after = derive.scale_item(seed, "final_three_public", None, "决算数/公务接待费", "1.8")
    after = derive.drop_table(after, "final_state_capital")
    out = tmp_path_factory.mktemp("two_years")
    docs = []
    for name, derived in (("2022", before), ("2023", after)):
        manifest = render.render_pdf(derived, out / f"{name}.pdf")
        docs.append(parsers.parse_file(manifest.path))
    return docs


def test_diff_shows_exactly_the_derived_changes(two_years):
    a, b = two_years
    diff = diff_documents(a, b)
    assert diff.tables_removed == ("state_capital",) and diff.tables_added == ()
    changed = {(c.table, c.column_key, c.before, c.after) for c in diff.lines}
    assert changed == {
        ("three_public", "final.reception", Decimal("0.51"), Decimal("0.92")),
        ("three_public", "final.total", Decimal("2.30"), Decimal("2.71")),
    }
    reception = next(r for r in diff.three_public if r.component == "reception")
    assert (reception.before, reception.after, reception.change_pct) == (Decimal("0.51"), Decimal("0.92"), Decimal("80.39"))


def test_findings_show_exactly_the_derived_changes(two_years):
    a, b = two_years
    rules = default_rules()
    low = dict(rules.rules)
    low["three_public.yoy"] = RuleConfig(params={"relative_pct": Decimal(30), "absolute": Decimal("0.1")})
    history = DepartmentHistory("新乡市政务服务和大数据管理局", (
        DocumentRecord(a.kind, 2022, a), DocumentRecord(b.kind, 2023, b)))
    history_findings = check_history(history, RuleSet(low, rules.defaults), date(2024, 11, 1))
    yoy = [f for f in history_findings if f.rule_id == "three_public.yoy"]
    assert [(f.year, f.row_key, f.expected, f.actual) for f in yoy] == [(2023, "reception", Decimal("0.51"), Decimal("0.92"))]
    # "exactly those changes": no other year-over-year finding (lines, codes, carry-over, restated)
    others = [f.rule_id for f in history_findings if f.category == "year_over_year"]
    assert others == []

    def located(findings):
        return {(f.rule_id, f.table_id, f.row_key, f.column_key) for f in findings}

    new = located(check_document(b, rules)) - located(check_document(a, rules))
    assert ("completeness.required_tables", "final_state_capital", None, None) in new
    assert ("three_public.final_over_budget", "final_three_public", "reception", "final.reception") in new
    for rule_id, table_id, row_key, column_key in new:
        about_drop = table_id == "final_state_capital"
        about_reception = (row_key or "").endswith(("reception", "total", "公务接待费"))
        assert about_drop or about_reception, (rule_id, table_id, row_key, column_key)


def test_three_year_three_public_series_from_real_budgets(realdocs_dir):
    files = {2017: "29_", 2018: "30_", 2019: "28_"}
    records = []
    series = {}
    for year, prefix in files.items():
        doc = parsers.parse_file(next(realdocs_dir.glob(prefix + "*.pdf")))
        assert (doc.year, str(doc.kind)) == (year, "预算")
        figures = three_public_figures(doc)["budget"]
        series[year] = tuple(figures[k].amount for k in ("total", "abroad", "vehicle_total", "reception"))
        records.append(DocumentRecord(doc.kind, year, doc))
    assert series == {
        2017: (Decimal("670.12"), Decimal("180.00"), Decimal("304.40"), Decimal("185.72")),
        2018: (Decimal("620.75"), Decimal("170.00"), Decimal("266.80"), Decimal("183.95")),
        2019: (Decimal("513.75"), Decimal("160.00"), Decimal("266.80"), Decimal("86.95")),
    }
    found = check_history(DepartmentHistory("江苏省高级人民法院", tuple(records)), default_rules(), date(2019, 12, 31))
    yoy = [(f.year, f.row_key) for f in found if f.rule_id == "three_public.yoy"]
    # 30% and 1 万元: only 2019's 公务接待费 (183.95 → 86.95, −52.7%) crosses both
    assert yoy == [(2019, "reception")]
    # 2018 says 一般行政管理事务 6049.97, 减少 392.92 (so 6442.89); the 2017 budget printed 6432.89.
    # Every other "与上年相比" statement of 2018 and 2019 agrees with the year before.
    restated = [(f.year, f.expected, f.actual) for f in found if f.rule_id == "yoy.restated"]
    assert restated == [(2018, Decimal("6432.89"), Decimal("6442.89"))]


def test_same_inputs_same_findings(seed_findings, rendered_seeds):
    path, _ = rendered_seeds[("003", VARIANT)]
    again = check_document(parsers.parse_file(Path(path)), default_rules())
    assert [f.fingerprint for f in again] == [f.fingerprint for f in seed_findings("003")]
    assert again == seed_findings("003")
