from dataclasses import replace
from decimal import Decimal

import pytest

from analysis import (
    RULES,
    RuleConfigError,
    RuleSet,
    check_document,
    default_rules,
    diff_documents,
    diff_revisions,
    load_identity,
    normalise_name,
)
from analysis.identity import split_region
from parsers.model import LineItem
from tests.analysis.builders import SOME_3P, consistent_final, section, three_public_table, with_table, without_table


def _broken():
    return without_table(consistent_final(), "final_three_public")


def test_rule_file_turns_rules_off_and_overrides_severity():
    base = default_rules()
    assert any(f.rule_id == "completeness.required_tables" for f in check_document(_broken(), base))
    off = RuleSet.from_mapping({"rules": {"completeness.required_tables": {"enabled": False}}}, set(RULES))
    assert not any(f.rule_id == "completeness.required_tables" for f in check_document(_broken(), off))
    low = RuleSet.from_mapping({"rules": {"completeness.required_tables": {
        "severity": "low", **base.config("completeness.required_tables").params}}}, set(RULES))
    found = [f for f in check_document(_broken(), low) if f.rule_id == "completeness.required_tables"]
    assert found and all(f.severity == "low" for f in found)


def test_rule_file_rejects_unknown_rules_and_reads_floats_as_decimals():
    with pytest.raises(RuleConfigError):
        RuleSet.from_mapping({"rules": {"no.such_rule": {}}}, set(RULES))
    rules = RuleSet.from_mapping({"defaults": {"tolerance": {"万元": 0.05}}, "rules": {}})
    assert rules.tolerance("万元") == Decimal("0.05")


def test_bad_input_becomes_a_parse_quality_finding_not_a_crash():
    doc = consistent_final()
    t = doc.table("final_three_public")
    t.columns = []  # a rule reading columns must not stop the run
    t.items.append(LineItem(None, "x", "final.total", "x", Decimal("NaN"), 1, 0, 99, "x"))
    found = check_document(doc, default_rules())
    assert all(f.is_parse_quality for f in found if f.rule_id == "engine.rule_error")


def test_fingerprint_ignores_values_and_versions():
    a = check_document(with_table(consistent_final(), three_public_table(SOME_3P, {**SOME_3P, "total": "14.50"})),
                       default_rules())
    b = check_document(with_table(consistent_final(), three_public_table(SOME_3P, {**SOME_3P, "total": "15.50"})),
                       default_rules())
    fa = {f.fingerprint for f in a if f.rule_id == "arithmetic.three_public"}
    fb = {f.fingerprint for f in b if f.rule_id == "arithmetic.three_public"}
    assert fa and fa == fb
    other_year = check_document(with_table(consistent_final(2022), three_public_table(SOME_3P, {**SOME_3P, "total": "14.50"})),
                                default_rules())
    assert fa.isdisjoint(f.fingerprint for f in other_year)


@pytest.mark.parametrize("a, b", [
    ("中国共产党焦作市中站区委员会", "中共焦作市中站区委员会"),
    ("焦作市中站区政务服务和 大数据管理局部门", "焦作市中站区政务服务和大数据管理局"),
    ("江苏省人大常委会办公厅（本级）", "江苏省人大常委会办公厅"),
    ("中国共产党焦作市中山区委员会办公室2023 年度", "中共焦作市中山区委员会办公室"),
])
def test_name_normalisation(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_aliases_renames_and_mergers():
    identity = load_identity()
    assert identity.key("省法院") == identity.key("江苏省高级人民法院")
    assert identity.key("焦作市中站区财政局") != identity.key("焦作市山阳区财政局")
    merged = identity.history_of("焦作市政务大数据中心")
    assert {p.name for p in merged} >= {"焦作市外来投资服务中心", "焦作市人民政府电子政务管理中心"}
    assert all(p.how == "merged" and p.year == 2024 for p in merged)
    assert split_region("焦作市中站区财政局") == ("焦作市中站区", "财政局")


def test_diff_of_two_documents_lists_added_removed_changed_lines():
    a = consistent_final(2022)
    b = without_table(with_table(consistent_final(2023), three_public_table(SOME_3P, {**SOME_3P, "reception": "2.28", "total": "14.50"})),
                      "final_gov_fund")
    diff = diff_documents(a, b)
    assert diff.tables_removed == ("gov_fund",)
    assert {(c.column_key, c.before, c.after, c.change, c.change_pct) for c in diff.lines} == {
        ("final.reception", Decimal("1.28"), Decimal("2.28"), Decimal("1.00"), Decimal("78.13")),
        ("final.total", Decimal("13.50"), Decimal("14.50"), Decimal("1.00"), Decimal("7.41")),
    }
    assert diff_documents(a, a).empty


def test_revision_diff_adds_changed_sections():
    old = consistent_final()
    new = replace(old, sections=[*old.sections[:-1], section("十二、国有资产占用情况说明", "共有车辆 3 辆。")])
    diff = diff_revisions(old, new)
    assert diff.sections_changed == ("国有资产占用情况说明",) and diff.lines == ()
