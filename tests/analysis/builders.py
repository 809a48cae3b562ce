"""Hand-built ParsedDocuments for rule tests (the parser is not needed)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal

from parsers.model import DocumentKind, LineItem, ParsedDocument, ParsedTable, Scope, Section, SourceInfo

Row = tuple[str | None, str, Mapping[str, str]]


def table(
    table_id: str | None,
    rows: Iterable[Row],
    *,
    title: str | None = None,
    unit: str | None = "万元",
    department: str | None = None,
    year: int | None = None,
    empty: bool = False,
    empty_note: str | None = None,
    page: int = 1,
    columns: list[str] | None = None,
) -> ParsedTable:
    """Rows as (code, name, {column_key: amount}); column order = first seen."""
    rows = list(rows)
    keys: list[str] = []
    for _, _, cells in rows:
        keys += [k for k in cells if k not in keys]
    items = [
        LineItem(code, name, key, key, Decimal(value), page, r, 2 + keys.index(key), value)
        for r, (code, name, cells) in enumerate(rows)
        for key, value in cells.items()
    ]
    grid = [[code, name, *[cells.get(k) for k in keys]] for code, name, cells in rows]
    return ParsedTable(
        id=table_id,
        title=title or table_id or "未识别表",
        label=None,
        pages=[page],
        unit=unit,
        department=department,
        year=year,
        empty=empty,
        empty_note=empty_note,
        header=[],
        columns=columns or ["科目代码", "科目名称", *keys],
        rows=grid,
        row_pages=[page] * len(grid),
        items=items,
    )


def section(heading: str, text: str, level: int = 1, page: int = 10) -> Section:
    return Section(heading=heading, level=level, page=page, text=text)


def document(
    tables: list[ParsedTable],
    sections: list[Section] | None = None,
    *,
    kind: DocumentKind = DocumentKind.FINAL,
    year: int = 2023,
    department: str = "焦作市测试局",
    sha: str = "a" * 64,
) -> ParsedDocument:
    return ParsedDocument(
        source=SourceInfo("test.pdf", sha, "pdf", 20, 1000),
        kind=kind,
        scope=Scope.DEPARTMENT,
        year=year,
        department=department,
        unit=None,
        title=f"{year}年度{department}部门{kind}",
        tables=tables,
        sections=sections or [],
    )


def with_table(doc: ParsedDocument, new: ParsedTable) -> ParsedDocument:
    """``doc`` with the table of the same id replaced (or added)."""
    tables = [t for t in doc.tables if t.id != new.id] + [new]
    return replace(doc, tables=tables)


def without_table(doc: ParsedDocument, table_id: str) -> ParsedDocument:
    return replace(doc, tables=[t for t in doc.tables if t.id != table_id])


# A consistent 决算 modelled on seed 000 (figures in 万元), with one project line.
EXPENSE_ROWS: list[Row] = [
    (None, "合计", {"total": "609.47", "basic": "599.47", "project": "10.00"}),
    ("201", "一般公共服务支出", {"total": "594.73", "basic": "584.73", "project": "10.00"}),
    ("20103", "政府办公厅(室)及相关机构事务", {"total": "594.73", "basic": "584.73", "project": "10.00"}),
    ("2010301", "行政运行", {"total": "543.97", "basic": "543.97", "project": "0.00"}),
    ("2010303", "机关服务", {"total": "21.95", "basic": "11.95", "project": "10.00"}),
    ("2010350", "事业运行", {"total": "28.81", "basic": "28.81", "project": "0.00"}),
    ("208", "社会保障和就业支出", {"total": "6.52", "basic": "6.52", "project": "0.00"}),
    ("20805", "行政事业单位养老支出", {"total": "6.52", "basic": "6.52", "project": "0.00"}),
    ("2080505", "机关事业单位基本养老保险缴费支出", {"total": "6.52", "basic": "6.52", "project": "0.00"}),
    ("210", "卫生健康支出", {"total": "3.06", "basic": "3.06", "project": "0.00"}),
    ("21011", "行政事业单位医疗", {"total": "3.06", "basic": "3.06", "project": "0.00"}),
    ("2101101", "行政单位医疗", {"total": "1.61", "basic": "1.61", "project": "0.00"}),
    ("2101102", "事业单位医疗", {"total": "1.45", "basic": "1.45", "project": "0.00"}),
    ("221", "住房保障支出", {"total": "5.16", "basic": "5.16", "project": "0.00"}),
    ("22102", "住房改革支出", {"total": "5.16", "basic": "5.16", "project": "0.00"}),
    ("2210201", "住房公积金", {"total": "5.16", "basic": "5.16", "project": "0.00"}),
]


def summary_table(
    income_total: str = "609.47", carry_in: str = "0.00", carry_out: str = "0.00", totals: bool = True
) -> ParsedTable:
    total = str(Decimal(income_total) + Decimal(carry_in))
    rows: list[Row] = [
        (None, "一般公共预算财政拨款收入", {"income.total": income_total}),
        (None, "一般公共服务支出", {"expense.total": "594.73"}),
        (None, "社会保障和就业支出", {"expense.total": "6.52"}),
        (None, "卫生健康支出", {"expense.total": "3.06"}),
        (None, "住房保障支出", {"expense.total": "5.16"}),
        (None, "本年收入合计", {"income.total": income_total}),
        (None, "本年支出合计", {"expense.total": "609.47"}),
        (None, "年初结转和结余", {"income.total": carry_in}),
        (None, "年末结转和结余", {"expense.total": carry_out}),
        (None, "总计", {"income.total": total}),
        (None, "总计", {"expense.total": str(Decimal("609.47") + Decimal(carry_out))}),
    ]
    rows = rows if totals else [r for r in rows if r[1] != "总计"]
    return table("final_summary", rows, title="收入支出决算总表", columns=["项目", "行次", "金额", "项目", "行次", "金额"])


def three_public_table(budget: Mapping[str, str], final: Mapping[str, str], table_id: str = "final_three_public") -> ParsedTable:
    cells = {f"budget.{k}": v for k, v in budget.items()} | {f"final.{k}": v for k, v in final.items()}
    return table(table_id, [(None, "", cells)], title='财政拨款"三公"经费支出决算表')


ZERO_3P = {"total": "0.00", "abroad": "0.00", "vehicle_total": "0.00", "vehicle_purchase": "0.00",
           "vehicle_operation": "0.00", "reception": "0.00"}
SOME_3P = {"total": "13.50", "abroad": "0.00", "vehicle_total": "12.22", "vehicle_purchase": "0.00",
           "vehicle_operation": "12.22", "reception": "1.28"}


def basic_detail() -> ParsedTable:
    rows: list[Row] = [
        ("301", "工资福利支出", {"final": "291.36"}),
        ("30101", "基本工资", {"final": "81.78"}),
        ("30199", "其他工资福利支出", {"final": "209.58"}),
        ("302", "商品和服务支出", {"final": "297.46"}),
        ("30201", "办公费", {"final": "286.18"}),
        ("30217", "公务接待费", {"final": "1.28"}),
        ("30231", "公务用车运行维护费", {"final": "10.00"}),
        ("310", "资本性支出", {"final": "10.65"}),
        ("31002", "办公设备购置", {"final": "10.65"}),
        (None, "人员经费合计", {"final": "291.36"}),
        (None, "公用经费合计", {"final": "308.11"}),
    ]
    return table("final_gpb_basic", rows, title="一般公共预算财政拨款基本支出决算明细表")


NARRATIVE = [
    section("一、收入支出决算总体情况说明",
            "2023年度收、支总计均为 609.47 万元。与上年度相比，收、支总计各减少 113.84 万元，下降 15.74%。主要原因是项目减少。"),
    section("三、支出决算情况说明",
            "2023年度支出合计 609.47万元，其中：基本支出 599.47万元，占 98.36%；项目支出 10.00万元，占 1.64%。"),
    section("五、一般公共预算财政拨款支出决算情况说明",
            "2023年度一般公共预算财政拨款支出 609.47万元，占支出合计的 100.00%。\n"
            "行政运行(项)。年初预算为543.97万元，支出决算为543.97万元，完成年初预算的100.00%。"),
    section("九、财政拨款“三公”经费支出决算情况说明",
            "2023年度“三公”经费财政拨款支出预算为 13.50 万元，支出决算为 13.50 万元。\n"
            "公务用车运行维护支出 12.22 万元。2023 年期末，部门开支财政拨款的公务用车保有量为 2 辆。\n"
            "公务接待费支出决算 1.28 万元。2023 年共接待国内来访团组 3 个、来宾 20 人次。"),
    section("十、机关运行经费支出情况说明", "2023年度机关运行经费支出 308.11万元。"),
    section("十一、政府采购支出情况说明", "2023年度政府采购支出总额 0.00万元。"),
    section("十二、国有资产占用情况说明", "2023年期末，我部门共有车辆 2 辆。"),
]


def consistent_final(year: int = 2023, **kw) -> ParsedDocument:
    """A 决算 on which no document rule fires."""
    empty = dict(empty=True, empty_note="我部门没有政府性基金收入，故本表无数据。")
    tables = [
        summary_table(),
        table("final_income", [(None, "合计", {"income": "609.47", "fiscal": "609.47", "other": "0.00"})],
              title="收入决算表"),
        table("final_expense", EXPENSE_ROWS, title="支出决算表"),
        table("final_fiscal_summary",
              [(None, "本年支出合计", {"expense.total": "609.47", "expense.gpb": "609.47", "expense.gov_fund": "0.00"})],
              title="财政拨款收入支出决算总表", columns=["项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算", "政府性基金"]),
        table("final_gpb_expense", EXPENSE_ROWS, title="一般公共预算财政拨款支出决算表"),
        basic_detail(),
        table("final_gov_fund", [], title="政府性基金预算财政拨款收入支出决算表", **empty),
        table("final_state_capital", [], title="国有资本经营预算财政拨款支出决算表", **empty),
        three_public_table(SOME_3P, SOME_3P),
    ]
    return document(tables, list(NARRATIVE), year=year, **kw)


def fired(doc: ParsedDocument, rule_id: str, **context):
    """Findings of one rule on ``doc`` with the packaged rules."""
    from analysis import CheckContext, check_document, default_rules

    return [f for f in check_document(doc, default_rules(), CheckContext(**context)) if f.rule_id == rule_id]


def grid(table_id: str | None, title: str, rows: list[list[str]], page: int = 16) -> ParsedTable:
    """A key/value grid as printed (self-evaluation attachments): cells only, no typed items."""
    width = max(len(r) for r in rows)
    cells = [[*r, *[""] * (width - len(r))] for r in rows]
    return ParsedTable(
        id=table_id, title=title, label=None, pages=[page], unit="万元", department=None, year=None,
        empty=False, empty_note=None, header=[], columns=[f"col{i}" for i in range(width)],
        rows=cells, row_pages=[page] * len(cells), items=[],
    )


def overall_evaluation(
    initial: str = "599.47", full: str = "599.47", executed: str = "599.47", rate: str = "100.00%",
    score: str = "10", adjustment: tuple[str, str, str, str] = ("≤30%", "0%", "5", "5"), total: str = "100",
    output_weight: str = "30",
) -> ParsedTable:
    """A 部门整体支出绩效自评表 that adds up (weights 10 + 30 + 30 + 30)."""
    target, actual, weight, got = adjustment
    return grid("final_perf_overall", "部门整体支出绩效自评情况表", [
        ["部门整体支出情况", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["", "部门预算总额", initial, full, executed, "10", rate, score],
        ["", "资金来源:(1)财政拨款", initial, full, executed, "—", rate, "—"],
        ["一级指标", "分值", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因"],
        ["投入管理指标", "30", "预算和财务管理", "预算编制完整性", "完整", "100%", "25", "25", ""],
        ["", "", "", "预算调整率", target, actual, weight, got, ""],
        ["产出指标", output_weight, "重点工作任务完成", "任务完成率", "≥90%", "100%", "30", "30", ""],
        ["效益指标", "30", "满意度", "服务对象满意度", "≥90%", "95%", "30", "30", ""],
        ["总分", "", "", "", "", "", "100", total, ""],
    ])


def project_evaluation(
    name: str = "大厅运行经费", full: str = "10.00", executed: str = "9.98", rate: str = "99.80%", score: str = "9.98",
    cost_actual: str = "9.98万元", satisfaction: str = "95%", page: int = 20,
) -> ParsedTable:
    """A 项目支出绩效自评表 that adds up (10 + 20 + 70)."""
    return grid("final_perf_project", "项目支出绩效自评情况表", [
        ["项目名称", name],
        ["项目资金(万元)", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["", "年度资金总额:", full, full, executed, "10", rate, score],
        ["资金管理情况", "安排科学性", "按照合同约定编制预算", "20", "20", ""],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差度", "偏差原因"],
        ["成本指标", "经济成本指标", "预算金额", f"≤{full}万元", cost_actual, "10", "10", "0.00", ""],
        ["产出指标", "数量指标", "办公人员数量", "≥400人", "400人", "30", "30", "0.00", ""],
        ["效益指标", "社会效益指标", "提高行政效益", "提高", "100%", "25", "25", "0.00", ""],
        ["满意度指标", "服务对象满意度指标", "社会公众满意度", "≥90%", satisfaction, "5", "5", "0.00", ""],
        ["总分", "", "", "", "", "100", str(Decimal("90") + Decimal(score)), "", ""],
    ], page=page)


def summary_evaluation(lines: list[tuple[str, str, str, str, str, str]]) -> ParsedTable:
    """A 项目自评汇总表: (project, 全年预算数, 全年执行数, 系统查询全年执行数, 执行率, 是否有偏差)."""
    rows = [["单位编码", "单位名称", "主管部门编码", "主管部门名称", "项目名称", "项目类型", "资金归口处室", "全年预算数",
             "全年执行数", "系统查询全年执行数", "预算执行率", "自评得分", "是否有偏差项目"]]
    rows += [["101001", "测试局", "101", "测试局", p, "可执行项目", "行财科", b, e, q, r, "96", d] for p, b, e, q, r, d in lines]
    return grid("final_perf_summary", "项目单位自评汇总表", rows, page=19)
