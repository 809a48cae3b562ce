"""The rules a budget reviewer's reading asked for (issue 14): each fires on a
constructed case and stays quiet on consistent data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from analysis import DepartmentHistory, DocumentRecord, check_history, default_rules
from tests.analysis.builders import (
    EXPENSE_ROWS,
    basic_detail,
    consistent_final,
    document,
    fired,
    grid,
    overall_evaluation,
    project_evaluation,
    section,
    summary_evaluation,
    summary_table,
    table,
    with_table,
)


def _with_sections(doc, *sections):
    return replace(doc, sections=[*doc.sections, *sections])


def _with_tables(doc, *tables):
    return replace(doc, tables=[*doc.tables, *tables])


def test_consistent_document_with_attachments_is_quiet():
    doc = _with_tables(consistent_final(), overall_evaluation(), project_evaluation())
    doc = _with_sections(doc, section("(二)项目绩效自评结果", "本部门 1 个项目支出绩效自评中，满意度均达到 95%。"))
    found = fired(doc, "performance.execution_rate") + [
        f for rule in ("target_missed", "weights", "low_execution", "stated_twice", "project_count",
                       "project_spending", "satisfaction", "year", "narrative_budget")
        for f in fired(doc, f"performance.{rule}")
    ]
    assert found == []


# --- economic vs functional classification ---------------------------------

def _basic(code: str, amount: str):
    rows = [r for r in basic_detail().items]
    detail = basic_detail()
    extra = table("final_gpb_basic", [(r.code, r.name, {"final": str(r.amount)}) for r in rows if r.column_key == "final"]
                  + [(code, "住房公积金" if code == "30113" else "机关事业单位基本养老保险缴费", {"final": amount})],
                  title=detail.title)
    return with_table(consistent_final(), extra)


def test_housing_fund_larger_than_its_functional_line():
    found = fired(_basic("30113", "50.30"), "classification.economic_vs_functional")
    assert [(f.row_key, f.expected, f.actual) for f in found] == [("30113", Decimal("5.16"), Decimal("50.30"))]


def test_pension_without_any_functional_line():
    rows = [r for r in EXPENSE_ROWS if not (r[0] or "").startswith("208")]
    doc = with_table(_basic("30108", "6.52"), table("final_gpb_expense", rows, title="一般公共预算财政拨款支出决算表"))
    found = fired(doc, "classification.economic_vs_functional")
    assert [(f.row_key, f.expected) for f in found] == [("30108", Decimal("0"))]


def test_economic_equal_to_functional_within_rounding_is_quiet():
    assert fired(_basic("30113", "5.17"), "classification.economic_vs_functional") == []
    assert fired(_basic("30108", "6.52"), "classification.economic_vs_functional") == []


# --- narrative statements against the tables --------------------------------

CARRIED = "住房公积金(项)。年初预算数为 4.10 万元，决算数 1.24 万元，完成年初预算的 30.24%，主要原因是财政未及时清算，该项资金已结转下年。"


def test_carried_to_next_year_while_closing_balance_is_zero():
    doc = _with_sections(consistent_final(), section("(三) 具体情况", CARRIED))
    assert len(fired(doc, "narrative.carry_over")) == 1
    carried = with_table(doc, summary_table(carry_out="3.00"))
    assert fired(carried, "narrative.carry_over") == []


OPERATING = ("十、机关运行经费支出情况说明", "2023年度机关运行经费支出 308.11万元，比 2022年度减少 315.32万元，下降 50.58%。"
             "主要原因是一是新建智慧城市平台服务项目支出减少，二是部分办公费用年底未支付完成。")


def _without_projects(doc):
    """Every expense table's 项目支出 printed as 0."""
    def zero(t):
        items = [replace(i, amount=Decimal("0.00")) if i.column_key == "project" else i for i in t.items]
        return replace(t, items=items)
    return replace(doc, tables=[zero(t) if t.id in ("final_expense", "final_gpb_expense") else t for t in doc.tables])


def test_operating_cost_explained_by_projects_the_tables_do_not_have():
    doc = _with_sections(_without_projects(consistent_final()), section(*OPERATING))
    found = fired(doc, "narrative.operating_cost_reason")
    assert len(found) == 1 and "项目支出" in found[0].message and found[0].page == 10


def test_operating_cost_reason_quiet_with_projects_a_scope_change_or_another_reason():
    assert fired(_with_sections(consistent_final(), section(*OPERATING)), "narrative.operating_cost_reason") == []
    scope = (OPERATING[0], OPERATING[1] + "此外本年机关运行经费统计口径不再包含项目支出中的运行经费。")
    assert fired(_with_sections(_without_projects(consistent_final()), section(*scope)), "narrative.operating_cost_reason") == []
    other = (OPERATING[0], "2023年度机关运行经费支出 308.11万元，比上年减少 3.32万元。主要原因是压减办公费、印刷费。")
    assert fired(_with_sections(_without_projects(consistent_final()), section(*other)), "narrative.operating_cost_reason") == []


def test_last_years_balance_spent_while_opening_balance_is_zero():
    text = "大数据产业园建设（二期）专项债券 3777.98 万元，上年结转支出 1539.81 万元，当年支出 2238.17 万元。"
    doc = _with_sections(consistent_final(), section("(二)项目绩效自评结果", text))
    found = fired(doc, "narrative.carry_over")
    assert [(f.expected, f.actual) for f in found] == [(Decimal("0.00"), Decimal("1539.81"))]
    assert fired(with_table(doc, summary_table(carry_in="1539.81")), "narrative.carry_over") == []


def test_glossary_definition_of_carry_over_is_no_statement():
    doc = _with_sections(consistent_final(), section("第四部分 名词解释", "年末结转和结余：指单位按有关规定结转到下年继续使用的资金。"))
    assert fired(doc, "narrative.carry_over") == []


MERGED = ("2024年收入总计512.02万元，与上年相比，收、支总计各增加337.87万元，增长194.01%，主要原因：整合A中心和B中心，"
          "组建本中心。2023年A中心收入总计174.15万元，支出总计174.15万元；B中心收入总计147.57万元，支出总计147.57万元。")


def test_merged_body_compared_with_one_predecessor():
    doc = document([], [section("一、收入支出预算总体情况说明", MERGED)], year=2024)
    found = fired(doc, "narrative.merger_base")
    assert [(f.expected, f.actual) for f in found] == [(Decimal("59.15"), Decimal("194.01"))]


def test_merged_body_compared_with_both_predecessors_is_quiet():
    both = MERGED.replace("各增加337.87万元，增长194.01%", "各增加190.30万元，增长59.15%")
    assert fired(document([], [section("一、收入支出预算总体情况说明", both)], year=2024), "narrative.merger_base") == []


# --- 三公 year over year from the narrative's own last-year figures ----------

STATED_3P = ("2024年“三公”经费预算为4万元。比上年预算数增加2.70万元，增长207.69%。"
             "公务用车运行维护费 3万元，主要用于燃料费等支出，比上年预算数增加1.70万元，增长130.77%。")


def _history(doc, *extra):
    records = (DocumentRecord(doc.kind, doc.year, doc), *extra)
    return [f for f in check_history(DepartmentHistory("测试中心", records), default_rules(), date(2025, 1, 1))
            if f.rule_id == "three_public.yoy"]


def test_three_public_jump_stated_in_the_narrative_without_last_years_document():
    doc = document([], [section("九、一般公共预算“三公”经费支出预算情况说明", STATED_3P)], year=2024)
    found = _history(doc)
    assert sorted((f.row_key, f.expected, f.actual) for f in found) == [
        ("total", Decimal("1.30"), Decimal("4")), ("vehicle_operation", Decimal("1.30"), Decimal("3"))]
    assert all(f.page == 10 for f in found)  # the narrative page the figures were read from


def test_three_public_small_stated_change_is_quiet():
    small = STATED_3P.replace("增加2.70万元，增长207.69%", "增加0.40万元，增长11.11%").replace("增加1.70万元，增长130.77%", "增加0.20万元，增长7.14%")
    assert _history(document([], [section("九、“三公”经费支出预算情况说明", small)], year=2024)) == []


def test_stated_figures_are_not_used_when_last_years_document_is_archived():
    doc = document([], [section("九、一般公共预算“三公”经费支出预算情况说明", STATED_3P)], year=2024)
    last = document([], [], year=2023)
    assert _history(doc, DocumentRecord(last.kind, 2023, last)) == []


# --- stated execution rates ---------------------------------------------------

def test_one_word_reason_is_no_reason_and_each_item_is_its_own_finding():
    text = ("1. 行政运行(项)。年初预算数为 36.45 万元，决算数 76.94 万元，完成年初预算的 211.08%，主要原因是人员增加。"
            "2. 住房公积金(项)。年初预算数为 5.40 万元，决算数 10.27 万元，完成年初预算的 190.19%，主要原因是人员增加。")
    found = fired(_with_sections(consistent_final(), section("(三) 具体情况", text)), "execution.stated_rate")
    assert sorted(f.actual for f in found) == [Decimal("190.19"), Decimal("211.08")]
    assert len({f.fingerprint for f in found}) == 2
    reasoned = text.replace("人员增加", "年中新增编制人员 6 人，工资基数调整")
    assert fired(_with_sections(consistent_final(), section("(三) 具体情况", reasoned)), "execution.stated_rate") == []


def test_zero_of_zero_completion_is_quiet():
    text = "2023年度“三公”经费支出决算中，因公出国（境）费支出决算 0.00 万元，完成预算的 0.00%；公务接待费 1.28 万元，完成预算的 100.00%。"
    assert fired(_with_sections(consistent_final(), section("(二)具体情况", text)), "execution.stated_rate") == []


def test_two_zero_budget_statements_in_one_section_are_two_findings():
    text = ("5. 社会保障和就业支出（类）信息化建设（项）。年初预算为 0.00 万元，支出决算为 19.68 万元，完成年初预算的 100.00%。"
            "13. 农林水支出（类）其他支出（项）。年初预算为 0.00 万元，支出决算为 2.97 万元，完成年初预算的 100.00%。")
    found = fired(_with_sections(consistent_final(), section("(三)具体情况。", text)), "narrative.completion_rate")
    assert len(found) == 2 and len({f.fingerprint for f in found}) == 2


def test_execution_rate_stated_in_the_narrative_is_recomputed():
    wrong = "市区加密气象观测设备建设预算 160 万元，实际支出 159.85 万元，执行率 99.99%，绩效自评得分 99.99；"
    found = fired(_with_sections(consistent_final(), section("(二)项目绩效自评结果。", wrong)), "narrative.completion_rate")
    assert [(f.expected, f.actual) for f in found] == [(Decimal("99.91"), Decimal("99.99"))]
    right = wrong.replace("99.99%", "99.91%")
    assert fired(_with_sections(consistent_final(), section("(二)项目绩效自评结果。", right)), "narrative.completion_rate") == []


# --- self-evaluation attachments ---------------------------------------------

def _attached(*tables, text: str | None = None):
    doc = _with_tables(consistent_final(), *tables)
    return _with_sections(doc, section("(二)项目绩效自评结果", text)) if text else doc


def test_execution_rate_against_the_wrong_base():
    doc = _attached(overall_evaluation(initial="122.23", full="95.46", executed="95.46", rate="78.10%", score="7.81"))
    found = fired(doc, "performance.execution_rate")
    assert [(f.expected, f.actual, f.page) for f in found] == [(Decimal("100.00"), Decimal("78.10"), 16)]


def test_score_ninety_percent_rule_reproduces_and_plain_rule_reproduces():
    ninety = overall_evaluation(initial="1284.3", full="670.74", executed="599.47", rate="89.37%", score="9.93")
    assert fired(_attached(ninety), "performance.execution_rate") == []
    wrong = overall_evaluation(initial="1284.3", full="670.74", executed="599.47", rate="89.37%", score="7.50")
    assert [f.actual for f in fired(_attached(wrong), "performance.execution_rate")] == [Decimal("7.50")]


def test_target_missed():
    doc = _attached(overall_evaluation(adjustment=("≤30%", "47.77%", "5", "2.05"), total="97.05"))
    found = fired(doc, "performance.target_missed")
    assert len(found) == 1 and "预算调整率" in found[0].message and found[0].page == 16
    assert fired(_attached(overall_evaluation(adjustment=("≤30%", "12%", "5", "5"))), "performance.target_missed") == []


def test_block_weight_and_total_recomputed():
    doc = _attached(overall_evaluation(output_weight="25"))
    assert [(f.expected, f.actual) for f in fired(doc, "performance.weights")] == [(Decimal("30"), Decimal("25"))]
    doc = _attached(overall_evaluation(total="96.81"))
    assert [(f.expected, f.actual) for f in fired(doc, "performance.weights")] == [(Decimal("100"), Decimal("96.81"))]


def test_total_not_judged_when_a_line_was_not_read():
    lost = overall_evaluation(total="96.81")
    lost.rows = [[c.replace("≤30%", "≤30%").replace("5", "5分") if "预算调整率" in r else c for c in r] for r in lost.rows]
    assert fired(_attached(lost), "performance.weights") == []


def test_low_execution_marked_without_deviation():
    lines = [("保综网建设维护费", "3", "0.08", "0.08", "2.67%", "否"), ("应急移动通信费", "0.5", "0.38", "0.38", "76%", "否")]
    found = fired(_attached(summary_evaluation(lines)), "performance.low_execution")
    assert [f.actual for f in found] == [Decimal("2.67")]
    honest = [("保综网建设维护费", "3", "0.08", "0.08", "2.67%", "是")]
    assert fired(_attached(summary_evaluation(honest)), "performance.low_execution") == []


def test_low_execution_in_a_project_table_with_full_marks():
    doc = _attached(project_evaluation(full="10.00", executed="2.98", rate="29.80%", score="2.98", cost_actual="2.98万元"))
    assert len(fired(doc, "performance.low_execution")) == 1


def test_one_projects_spending_stated_twice():
    lines = [("2023年其他人员经费", "9.00", "6.71", "5.42", "74.56%", "否")]
    found = fired(_attached(summary_evaluation(lines)), "performance.stated_twice")
    assert [(f.expected, f.actual) for f in found] == [(Decimal("5.42"), Decimal("6.71"))]
    found = fired(_attached(project_evaluation(cost_actual="8.84万元")), "performance.stated_twice")
    assert [(f.expected, f.actual) for f in found] == [(Decimal("9.98"), Decimal("8.84"))]


def test_project_count_and_spending_against_narrative_and_tables():
    lines = [(f"项目{i}", "3", "2.5", "2.5", "83.33%", "否") for i in range(5)]
    doc = _attached(summary_evaluation(lines), text="我部门 2023 年度 2 个项目支出绩效自评中，2 个项目自评等级为优。")
    assert [(f.expected, f.actual) for f in fired(doc, "performance.project_count")] == [(Decimal(5), Decimal(2))]
    assert [(f.expected, f.actual) for f in fired(doc, "performance.project_spending")] == [(Decimal("10.00"), Decimal("12.5"))]
    few = _attached(summary_evaluation(lines[:2]), text="我部门 2023 年度 2 个项目支出绩效自评中。")
    assert fired(few, "performance.project_count") == [] and fired(few, "performance.project_spending") == []


def test_all_satisfied_while_a_table_says_less():
    doc = _attached(project_evaluation(satisfaction="90%"), text="社会对象满意度及服务对象满意度均已达到 100%。")
    found = fired(doc, "performance.satisfaction")
    assert [(f.expected, f.actual) for f in found] == [(Decimal("90"), Decimal("100"))]
    assert fired(_attached(project_evaluation(satisfaction="100%"), text="满意度均已达到 100%。"), "performance.satisfaction") == []


def test_attachment_covering_another_year():
    doc = _attached(text="注：1.本表统计的是 2022 年的部门预算资金。")
    assert [f.actual for f in fired(doc, "performance.year")] == [Decimal(2022)]
    assert fired(_attached(text="注：本表统计的是 2023 年的项目资金。"), "performance.year") == []


def test_narrative_initial_budget_against_the_overall_evaluation():
    said = section("五、一般公共预算财政拨款支出决算情况说明",
                   "2023年度一般公共预算财政拨款支出年初预算为 609.47 万元，支出决算为 609.47 万元，完成年初预算的 100.00%。")
    doc = _with_sections(_attached(overall_evaluation(initial="1284.3", full="670.74", executed="609.47", rate="90.87%",
                                                      score="9.09")), said)
    found = fired(doc, "performance.narrative_budget")
    assert [(f.expected, f.actual, f.page) for f in found] == [(Decimal("1284.3"), Decimal("609.47"), 16)]
    agreeing = _with_sections(_attached(overall_evaluation(initial="609.47", executed="609.47")), said)
    assert fired(agreeing, "performance.narrative_budget") == []


# --- layout of the summary tables ---------------------------------------------

def test_summary_without_totals_and_income_labels_on_the_expense_side():
    found = fired(with_table(consistent_final(), summary_table(totals=False)), "structure.summary_layout")
    assert [f.row_key for f in found] == ["总计"]
    shifted = table("final_fiscal_summary", [(None, "本年收入合计", {"expense.total": "609.47"}),
                                             (None, "收入/金额", {"income.total": "609.47"})],
                    title="财政拨款收入支出决算总表")
    found = fired(with_table(consistent_final(), shifted), "structure.summary_layout")
    assert sorted(f.row_key for f in found) == ["expense_label|本年收入合计", "income_label"]
    assert fired(consistent_final(), "structure.summary_layout") == []


# --- identities that must fire everywhere ---------------------------------------

def test_three_public_identity_with_a_blank_component():
    from tests.analysis.builders import three_public_table

    blank = {"total": "3.00", "vehicle_total": "1.79", "vehicle_operation": "1.79", "reception": "0.51"}
    tp = three_public_table(blank, blank)
    tp.columns = [f"{side}/{name}" for side in ("预算数", "决算数")
                  for name in ("合计", "因公出国(境)费", "公务用车购置及运行维护费/小计", "公务用车购置及运行维护费/公务用车购置费",
                               "公务用车购置及运行维护费/公务用车运行维护费", "公务接待费")]
    found = fired(with_table(consistent_final(), tp), "arithmetic.three_public")
    assert sorted((f.row_key, f.expected) for f in found) == [("total", Decimal("2.30")), ("total", Decimal("2.30"))]
    fine = {**blank, "total": "2.30"}
    tp_fine = three_public_table(fine, fine)
    tp_fine.columns = tp.columns
    assert fired(with_table(consistent_final(), tp_fine), "arithmetic.three_public") == []


def test_personnel_amount_from_the_lines_when_the_total_row_is_missing():
    detail = basic_detail()
    rows = [(i.code, i.name, {"final": str(i.amount)}) for i in detail.items if i.code]
    no_totals = with_table(consistent_final(), table("final_gpb_basic", rows, title=detail.title))
    wrong = _with_sections(no_totals, section("六、基本支出决算情况说明", "其中：人员经费 301.36 万元；公用经费 308.11 万元。"))
    found = fired(wrong, "narrative.amount")
    assert [(f.expected, f.actual) for f in found] == [(Decimal("291.36"), Decimal("301.36"))]
    right = _with_sections(no_totals, section("六、基本支出决算情况说明", "其中：人员经费 291.36 万元；公用经费 308.11 万元。"))
    assert fired(right, "narrative.amount") == []


def test_wrong_year_in_the_title_or_on_the_department_line():
    doc = consistent_final()
    titled = replace(doc.tables[2], title="2022年度支出决算表")
    assert [f.table_id for f in fired(with_table(doc, titled), "metadata.wrong_year")] == ["final_expense"]
    shared = replace(doc.tables[2], department="焦作市测试局 2022 年度")
    assert [f.table_id for f in fired(with_table(doc, shared), "metadata.wrong_year")] == ["final_expense"]
    same = replace(doc.tables[2], title="2023年度支出决算表", department="焦作市测试局 2023 年度")
    assert fired(with_table(doc, same), "metadata.wrong_year") == []


def test_basic_equals_personnel_plus_public_on_every_row():
    rows = [(None, "合计", {"basic": "477.62", "personnel": "444.24", "public": "33.38"}),
            ("30101", "基本工资", {"basic": "45.14", "personnel": "43.14"})]
    doc = document([table("budget_gpb_basic", rows, title="一般公共预算基本支出预算表")], kind=consistent_final().kind)
    found = fired(doc, "arithmetic.row_total")
    assert [(f.row_key, f.expected, f.actual) for f in found] == [("30101", Decimal("43.14"), Decimal("45.14"))]
    rows[1] = ("30101", "基本工资", {"basic": "43.14", "personnel": "43.14"})
    assert fired(document([table("budget_gpb_basic", rows, title="一般公共预算基本支出预算表")]), "arithmetic.row_total") == []
