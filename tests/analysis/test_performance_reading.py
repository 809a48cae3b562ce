"""How the self-evaluation attachments are read when producers cut their grids
differently (issue 14, acceptance 5): an evaluation drawn as several tables,
a header repeated from the run's first project, a long sentence wrapped over
a page break."""

from __future__ import annotations

from dataclasses import replace

from analysis.performance import self_evaluations
from tests.analysis.builders import consistent_final, fired, grid, overall_evaluation, project_evaluation


def _attached(*tables):
    doc = consistent_final()
    return replace(doc, tables=[*doc.tables, *tables])


def _overall_in_three_grids(adjustment: tuple[str, str, str, str]):
    """The 部门整体 evaluation as Chromium and LibreOffice draw it: the money
    line, then the 年度总体目标 grid (no self-evaluation words), then the
    indicators under their own untitled header."""
    whole = overall_evaluation(adjustment=adjustment)
    money, indicators = whole.rows[:3], whole.rows[3:]
    goals = grid(None, "", [["任务名称", "主要内容", "实际完成情况"], ["智慧城市平台", "租赁场地", "已完成"]], page=17)
    rest = replace(grid(None, "", indicators[1:], page=18), header=[indicators[0]])
    return replace(whole, rows=money, row_pages=[16] * len(money)), goals, rest


def test_an_untitled_goals_grid_does_not_end_the_evaluation():
    doc = _attached(*_overall_in_three_grids(("≤30%", "47.77%", "5", "2.05")))
    found = fired(doc, "performance.target_missed")
    assert [(f.table_id, f.page) for f in found] == [("final_perf_overall", 18)]
    (evaluation,) = self_evaluations(doc)
    assert evaluation.complete and evaluation.funds and evaluation.total is not None


def test_an_evaluation_in_three_grids_that_adds_up_is_quiet():
    doc = _attached(*_overall_in_three_grids(("≤30%", "12%", "5", "5")))
    assert fired(doc, "performance.target_missed") == [] and fired(doc, "performance.weights") == []


def test_an_unmarked_grid_after_the_evaluation_is_not_part_of_it():
    other = grid(None, "", [["名称", "目标", "实际", "甲", "乙"], ["乱码", "≤30%", "47.77%", "5", "2"]], page=30)
    doc = _attached(overall_evaluation(), other)
    assert fired(doc, "performance.target_missed") == []


def test_a_project_is_named_by_its_own_line_not_a_repeated_header():
    first = project_evaluation(name="人员工资")
    second = project_evaluation(name="大厅运行经费", cost_actual="8.84万元", page=21)
    # the page's header repeats the run's first project; the second's own 项目名称 line is a row
    second = replace(second, header=[["项目名称", "人员工资"]])
    names = [e.project for e in self_evaluations(_attached(first, second))]
    assert names == ["人员工资", "大厅运行经费"]
    found = fired(_attached(first, second), "performance.stated_twice")
    assert len(found) == 1 and "大厅运行经费" in found[0].message


def test_a_wrapped_sentence_naming_the_funds_total_is_no_second_money_line():
    project = project_evaluation(cost_actual="8.84万元")
    wrapped = ["", "2023年全市信息化专项资金总额1952.65万元,其中:1.气象观测设备建设30万元", "", "", ""]
    rows = [*project.rows[:4], wrapped, *project.rows[4:]]
    doc = _attached(replace(project, rows=rows, row_pages=[20] * len(rows)))
    assert len(self_evaluations(doc)) == 1
    assert len(fired(doc, "performance.stated_twice")) == 1
