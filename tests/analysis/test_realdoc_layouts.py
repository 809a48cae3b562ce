"""Layouts of the real PDFs that made rules report what the documents do not
say (each case mirrors a file of ../shared/realdocs, named in the test)."""

from dataclasses import replace
from decimal import Decimal

from parsers.model import DocumentKind
from tests.analysis.builders import consistent_final, document, fired, section, table, three_public_table, with_table

JIANGSU_2018 = {"total": "833.60", "abroad": "222.50", "vehicle_total": "183.60", "vehicle_purchase": "0",
                "vehicle_operation": "183.60", "reception": "427.50"}


def _budget_with_text(text):
    t = table("budget_three_public", [(None, "", JIANGSU_2018)])
    return document([t], [section("九、一般公共预算“三公”经费支出预算情况说明", text)], kind=DocumentKind.BUDGET)


def test_share_of_the_three_public_total_in_a_budget():
    """15 p28: 占“三公”经费的 22.03% is 183.6 of the budget's 三公 total 833.60."""
    right = ("因公出国（境）费支出 222.5 万元，占“三公”经费的 26.69%；公务用车购置及运行费支出 183.6 万元，"
             "占“三公”经费的22.03%；公务接待费支出 427.5 万元，占“三公”经费的51.28%。")
    assert fired(_budget_with_text(right), "narrative.share") == []
    # 12 p28 states the shares of 三公 + 会议费 + 培训费 as shares of the 三公
    wrong = right.replace("26.69%", "8.75%")
    assert [(f.expected, f.actual) for f in fired(_budget_with_text(wrong), "narrative.share")] == [
        (Decimal("26.69"), Decimal("8.75"))]


def test_share_of_a_named_whole_that_is_not_known_is_not_guessed():
    """Without a 三公 table, the paragraph's first amount (因公出国 222.5) is not the 三公 total."""
    doc = _budget_with_text("因公出国（境）费支出 222.5 万元，占“三公”经费的 26.69%；公务用车购置及运行费支出 183.6 万元，"
                            "占“三公”经费的22.03%。")
    doc = replace(doc, tables=[])
    assert fired(doc, "narrative.share") == []


def test_zero_change_stated_as_zero_percent_is_no_rate_on_a_zero_base():
    """15 p19: 政府性基金收入预算0万元，与上年相比增加（减少）0万元，增长（减少） 0 %。"""
    text = "政府性基金收入预算0万元，与上年相比增加（减少）0万元，增长（减少） 0 %。"
    assert fired(_budget_with_text(text), "narrative.rate") == []
    claimed = "政府性基金收入预算5万元，与上年相比增加5万元，增长 100%。"
    assert [f.actual for f in fired(_budget_with_text(claimed), "narrative.rate")] == [Decimal("100")]


def test_money_unit_in_the_department_slot_is_no_other_department():
    """01, 29, 30: 单位：万元 read as the header's department."""
    doc = consistent_final()
    doc = replace(doc, tables=[replace(t, department="万元") for t in doc.tables])
    assert fired(doc, "metadata.other_department") == []
    doc = replace(doc, tables=[replace(t, department="焦作市另一个局") for t in doc.tables])
    assert len(fired(doc, "metadata.other_department")) == len(doc.tables)


def test_row_total_is_not_compared_with_a_subgroup_of_its_components():
    """07 p8: 合计 | 基本支出 (人员经费 | 公用经费) | 项目支出: 合计 is not 人员经费 + 公用经费."""
    columns = ["项目", "支出/项目", "支出/预算数/合计", "支出/预算数/基本支出/人员经费", "支出/预算数/基本支出/公用经费",
               "支出/预算数/项目支出"]
    cells = {"expense.total": "100.00", "expense.personnel": "20.00", "expense.public": "10.00", "expense.project": "70.00"}
    summary = table("budget_summary", [(None, "一般公共服务支出", cells)], columns=columns)
    doc = document([summary], kind=DocumentKind.BUDGET)
    assert fired(doc, "arithmetic.row_total") == []
    flat = ["项目", "支出/项目", "支出/预算数/合计", "支出/预算数/人员经费", "支出/预算数/公用经费"]
    two = table("budget_summary", [(None, "一般公共服务支出", {"expense.total": "100.00", "expense.personnel": "20.00",
                                                        "expense.public": "10.00"})], columns=flat)
    assert [f.expected for f in fired(document([two], kind=DocumentKind.BUDGET), "arithmetic.row_total")] == [
        Decimal("30.00")]


def test_three_public_table_of_a_final_still_gives_the_final_whole():
    doc = with_table(consistent_final(), three_public_table(JIANGSU_2018, JIANGSU_2018))
    assert fired(doc, "narrative.share") == []


def test_amount_of_a_subject_against_a_table_in_yuan():
    """04 p32: 政府采购项目预算为465.49万元 names no 项目支出; 04-07 print tables in 元."""
    expense = table("budget_expense", [(None, "合计", {"total": "56505103.00", "basic": "51000000.00",
                                                       "project": "5505103.00"})], unit="元")

    def doc(text):
        return document([expense], [section("三、预算情况", text)], kind=DocumentKind.BUDGET)

    assert fired(doc("预留给小型和微型企业的政府采购项目预算为465.49万元。"), "narrative.amount") == []
    assert fired(doc("项目支出 550.51 万元。"), "narrative.amount") == []
    found = fired(doc("项目支出 560.51 万元。"), "narrative.amount")
    assert [(f.expected, f.actual) for f in found] == [(Decimal("550.5103"), Decimal("560.51"))]
