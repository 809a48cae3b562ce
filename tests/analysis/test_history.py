from datetime import date
from decimal import Decimal

from analysis import DepartmentHistory, DocumentRecord, check_history, default_rules
from parsers.model import DocumentKind
from tests.analysis.builders import (
    EXPENSE_ROWS,
    SOME_3P,
    consistent_final,
    document,
    summary_table,
    table,
    three_public_table,
    with_table,
)

FINAL, BUDGET = DocumentKind.FINAL, DocumentKind.BUDGET
TODAY = date(2024, 12, 1)


def _history(*records):
    return DepartmentHistory("焦作市测试局", tuple(records))


def _fired(history, rule_id, today=TODAY):
    return [f for f in check_history(history, default_rules(), today) if f.rule_id == rule_id]


def _scaled(rows, code, factor):
    return [
        (c, n, {k: str((Decimal(v) * factor).quantize(Decimal("0.01"))) for k, v in cells.items()} if c == code else cells)
        for c, n, cells in rows
    ]


def test_quiet_on_two_identical_years():
    history = _history(DocumentRecord(FINAL, 2022, consistent_final(2022)), DocumentRecord(FINAL, 2023, consistent_final(2023)))
    found = [f for f in check_history(history, default_rules(), TODAY) if not f.rule_id.startswith("presence")]
    assert found == []


def test_yoy_lines_beyond_relative_and_absolute_thresholds():
    prev = with_table(consistent_final(2022), table("final_gpb_expense", _scaled(EXPENSE_ROWS, "201", Decimal("0.5"))))
    history = _history(DocumentRecord(FINAL, 2022, prev), DocumentRecord(FINAL, 2023, consistent_final(2023)))
    found = _fired(history, "yoy.lines")
    assert [(f.row_key, f.year, f.expected, f.actual) for f in found] == [("201", 2023, Decimal("297.36"), Decimal("594.73"))]


def test_small_absolute_change_is_not_a_swing():
    prev = with_table(consistent_final(2022), table("final_gpb_expense", _scaled(EXPENSE_ROWS, "210", Decimal("0.5"))))
    history = _history(DocumentRecord(FINAL, 2022, prev), DocumentRecord(FINAL, 2023, consistent_final(2023)))
    assert _fired(history, "yoy.lines") == []  # 210 doubles, but by 1.53 万元 only


def test_codes_appearing_and_vanishing():
    rows = [r for r in EXPENSE_ROWS if r[0] != "2010350"] + [("2010399", "其他", {"total": "28.81"})]
    prev = with_table(consistent_final(2022), table("final_gpb_expense", rows))
    history = _history(DocumentRecord(FINAL, 2022, prev), DocumentRecord(FINAL, 2023, consistent_final(2023)))
    found = _fired(history, "yoy.codes")
    assert sorted((f.row_key, f.column_key) for f in found) == [("2010350", "appeared"), ("2010399", "vanished")]


def test_carry_over_must_chain():
    prev = with_table(consistent_final(2022), summary_table(carry_out="0.00"))
    cur = with_table(consistent_final(2023), summary_table(carry_in="5.00"))
    found = _fired(_history(DocumentRecord(FINAL, 2022, prev), DocumentRecord(FINAL, 2023, cur)), "yoy.carry_over")
    assert [(f.expected, f.actual) for f in found] == [(Decimal("0.00"), Decimal("5.00"))]


def test_three_public_component_jump_needs_relative_and_absolute():
    jump = {**SOME_3P, "reception": "2.30", "total": "14.52"}  # +80%, +1.02 万元
    tiny = {**SOME_3P, "reception": "2.00", "total": "14.22"}  # +56%, +0.72 万元: below 1 万元
    for final, expected in ((jump, ["reception"]), (tiny, [])):
        cur = with_table(consistent_final(2023), three_public_table(final, final))
        history = _history(DocumentRecord(FINAL, 2022, consistent_final(2022)), DocumentRecord(FINAL, 2023, cur))
        assert [f.row_key for f in _fired(history, "three_public.yoy")] == expected


def test_final_three_public_budget_must_match_published_budget():
    budget = document([three_public_table({**SOME_3P, "reception": "2.28", "total": "14.50"}, {}, "budget_three_public")],
                      kind=BUDGET)
    history = _history(DocumentRecord(BUDGET, 2023, budget), DocumentRecord(FINAL, 2023, consistent_final(2023)))
    found = _fired(history, "three_public.budget_match")
    assert sorted((f.row_key, f.expected, f.actual) for f in found) == [
        ("reception", Decimal("2.28"), Decimal("1.28")),
        ("total", Decimal("14.50"), Decimal("13.50")),
    ]


def test_execution_far_from_budget_without_reason():
    planned = document([table("budget_gpb_expense", _scaled(EXPENSE_ROWS, "2010301", Decimal("1.5")))], kind=BUDGET)
    history = _history(DocumentRecord(BUDGET, 2023, planned), DocumentRecord(FINAL, 2023, consistent_final(2023)))
    found = _fired(history, "execution.budget_vs_final")
    assert [(f.row_key, f.expected, f.actual) for f in found] == [("2010301", Decimal("815.96"), Decimal("543.97"))]
    quiet = document([table("budget_gpb_expense", EXPENSE_ROWS)], kind=BUDGET)
    assert _fired(_history(DocumentRecord(BUDGET, 2023, quiet), DocumentRecord(FINAL, 2023, consistent_final())),
                  "execution.budget_vs_final") == []


def test_presence_missing_from_history_and_deadline():
    history = _history(DocumentRecord(FINAL, 2021), DocumentRecord(FINAL, 2022), DocumentRecord(BUDGET, 2024))
    assert [(f.kind, f.year) for f in _fired(history, "presence.missing", date(2024, 11, 30))] == [("决算", 2023)]
    assert _fired(history, "presence.missing", date(2024, 10, 30)) == []  # not yet due


def test_late_publication():
    history = _history(DocumentRecord(BUDGET, 2024, published=date(2024, 5, 10)), DocumentRecord(FINAL, 2023, published=date(2024, 9, 1)))
    found = _fired(history, "presence.late")
    assert [(f.kind, f.year) for f in found] == [("预算", 2024)] and "40 天" in found[0].message


def test_late_department_and_unit_documents_of_one_year_are_two_findings():
    """Shanghai 06 / 07: a body's 部门 and 单位 budgets of one year, both late."""
    from parsers.model import Scope

    late = date(2024, 5, 10)
    history = _history(DocumentRecord(BUDGET, 2024, published=late, document_id="6"),
                       DocumentRecord(BUDGET, 2024, published=late, document_id="7", scope=Scope.UNIT))
    found = _fired(history, "presence.late")
    assert sorted((f.scope, f.document_id) for f in found) == [("单位", "7"), ("部门", "6")]
    assert len({f.fingerprint for f in found}) == 2
