from dataclasses import replace
from decimal import Decimal

from parsers.model import ParseWarning
from tests.analysis.builders import (
    consistent_final, document, fired, grid, project_evaluation, section, summary_evaluation, table, with_table, without_table,
)


def test_required_table_missing_is_reported_once_per_table():
    found = fired(without_table(consistent_final(), "final_three_public"), "completeness.required_tables")
    assert [(f.table_id, f.severity) for f in found] == [("final_three_public", "high")]
    assert "三公" in found[0].message


def test_required_tables_follow_the_province_profile():
    budget = document([table("budget_summary", [])], kind="预算")
    default = {f.table_id for f in fired(budget, "completeness.required_tables")}
    shanghai = {f.table_id for f in fired(budget, "completeness.required_tables", profile="shanghai")}
    assert "budget_gov_fund" in default and "budget_gov_fund" not in shanghai


def test_province_profile_is_found_from_the_department_name():
    jiangsu_set = ["budget_summary", "budget_income", "budget_expense", "budget_fiscal_summary",
                   "budget_fiscal_expense", "budget_gpb_expense", "budget_gpb_basic", "budget_three_public",
                   "budget_gov_fund", "budget_operating_cost", "budget_procurement"]
    tables = [table(table_id, []) for table_id in jiangsu_set]
    jiangsu = document(tables, kind="预算", department="江苏省高级人民法院")
    henan = document(tables, kind="预算", department="焦作市测试局")
    assert fired(jiangsu, "completeness.required_tables") == []  # Jiangsu prints no 国有资本经营 table
    assert [f.table_id for f in fired(henan, "completeness.required_tables")] == ["budget_state_capital"]
    short = document(tables[:-1], kind="预算", department="江苏省高级人民法院")
    assert [f.table_id for f in fired(short, "completeness.required_tables")] == ["budget_procurement"]


def test_a_publication_split_over_two_files_is_complete():
    full = consistent_final()
    tables_only = replace(full, sections=[])
    narrative_only = replace(full, tables=[])
    rules = ("completeness.required_tables", "completeness.required_sections", "completeness.narrative_missing")
    for rule in rules:
        assert fired(tables_only, rule, companions=(narrative_only,)) == []
        assert fired(narrative_only, rule, companions=(tables_only,)) == []
    assert fired(tables_only, "completeness.narrative_missing")  # alone, it is reported
    assert fired(narrative_only, "completeness.required_tables")


def test_empty_table_without_explanation():
    doc = with_table(consistent_final(), table("final_gov_fund", [], empty=True, empty_note=None))
    assert [f.table_id for f in fired(doc, "completeness.empty_table")] == ["final_gov_fund"]


def test_missing_required_sections():
    doc = consistent_final()
    doc = replace(doc, sections=[s for s in doc.sections if "政府采购" not in s.heading])
    assert [f.row_key for f in fired(doc, "completeness.required_sections")] == ["政府采购"]


def test_tables_only_document_has_no_narrative():
    doc = replace(consistent_final(), sections=[])
    assert len(fired(doc, "completeness.narrative_missing")) == 1
    assert fired(doc, "completeness.required_sections") == []


def test_header_naming_another_department():
    doc = consistent_final(department="中国共产党焦作市中站区委员会")
    doc.tables[0].department = "中国共产党焦作市中山区委员会办公室"
    doc.tables[1].department = "中国共产党焦作市中站区委员会办公室"  # a part of the same body: fine
    found = fired(doc, "metadata.other_department")
    assert [(f.table_id, f.row_key) for f in found] == [("final_summary", "中共焦作市中山区委员会办公室")]


def _named(department: str, *grids):
    doc = consistent_final(department="中国共产党焦作市中站区委员会")
    return replace(doc, tables=[*doc.tables, *grids])


def _overall(name: str):
    return grid("final_perf_overall", "部门整体支出绩效自评表", [
        ["部门(单位)名称", name], ["部门整体支出情况", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ])


def test_attachment_naming_another_department():
    """The self-evaluation grids name the department in their cells (seed 003:
    中山区 / 站区 for 中站区); one finding per wrong name, at its page."""
    project = project_evaluation(page=21)
    project = replace(project, rows=[["主管部门", "中国共产党焦作市中山区委员会办公室", "实施单位", "焦作市中站区档案馆"], *project.rows])
    summary = summary_evaluation([("应急移动通信费", "3", "2", "2", "66.67%", "否")])
    summary.rows = [[c.replace("测试局", "中国共产党焦作市站区委员会办公室") for c in r] for r in summary.rows]
    doc = _named("", _overall("中国共产党焦作市中山区委员会办公室"), project, summary)
    found = fired(doc, "metadata.other_department")
    assert [(f.table_id, f.row_key, f.page) for f in found] == [
        ("final_perf_overall", "中共焦作市中山区委员会办公室", 16),
        ("final_perf_summary", "中共焦作市站区委员会办公室", 19),
    ]


def test_attachment_naming_the_department_or_its_unit_is_quiet():
    project = project_evaluation(page=21)
    # a unit carries out the project (实施单位 is no department label); a character
    # doubled where the cell wraps is the extraction's
    project = replace(project, rows=[["主管部门", "中国共产党焦作市中站区委委员会办公室", "实施单位", "焦作市中站区档案馆"], *project.rows])
    summary = summary_evaluation([("应急移动通信费", "3", "2", "2", "66.67%", "否")])
    summary.rows = [[c.replace("测试局", "中国共产党焦作市中站区委员会办公室") for c in r] for r in summary.rows]
    doc = _named("", _overall("中国共产党焦作市中站区委员会办公室"), project, summary)
    assert fired(doc, "metadata.other_department") == []


def test_a_units_document_may_name_its_parent_as_supervisor():
    project = project_evaluation(page=21)
    project = replace(project, rows=[["主管部门", "焦作市中站区人民政府办公室"], *project.rows])
    doc = _named("", project)
    assert len(fired(doc, "metadata.other_department")) == 1
    assert fired(doc, "metadata.other_department", scope="单位") == []


def test_header_with_wrong_year():
    doc = consistent_final()
    doc.tables[2].year = 2022
    assert [f.table_id for f in fired(doc, "metadata.wrong_year")] == ["final_expense"]


def test_broken_row_numbers():
    doc = consistent_final()
    t = table("final_summary", [(None, "a", {"income.total": "1"})], columns=["项目", "行次", "金额"])
    t.rows = [["a", "1", "1"], ["b", "2", "1"], ["c", "4", "1"], ["d", "5", "1"]]
    t.row_pages = [1, 1, 1, 1]
    found = fired(with_table(doc, t), "metadata.row_numbers")
    assert [f.row_key for f in found] == ["行次2"]


def test_mixed_units():
    doc = consistent_final()
    doc.tables[3].unit = "元"
    assert [f.table_id for f in fired(doc, "metadata.mixed_units")] == ["final_fiscal_summary"]


def test_code_with_wrong_name():
    doc = consistent_final()
    detail = doc.table("final_gpb_basic")
    detail.items[5] = replace(detail.items[5], name="公务招待费")
    found = fired(doc, "metadata.code_name")
    assert [(f.table_id, f.row_key) for f in found] == [("final_gpb_basic", "30217")]


def test_placeholder_left_in_text():
    doc = consistent_final()
    doc.sections.append(section("十三、预算绩效情况说明", "我部门共开展 XX 个项目评价。"))
    assert len(fired(doc, "metadata.placeholder")) == 1


def test_parse_quality_findings_stay_apart():
    doc = replace(consistent_final(), scanned_pages=[3, 4], ocr_pages=[3],
                  warnings=[ParseWarning("cid_font", "字体无法解码", page=2)])
    doc.tables.append(table(None, [], title="某未知表"))
    for rule_id in ("parse.scanned_unread", "parse.warnings", "parse.unidentified_table"):
        found = fired(doc, rule_id)
        assert len(found) == 1 and all(f.is_parse_quality for f in found), rule_id
    assert fired(doc, "parse.scanned_unread")[0].page == 4
