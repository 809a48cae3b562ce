"""One reviewer problem of each family injected at a time into a seed,
rendered by more than one producer (reportlab, Chromium, LibreOffice: see
demo/producers.py), parsed and checked: the problem is found, and no other
finding appears or disappears; two problems of one section are two findings.

Each producer renders its whole batch (every seed's baseline and every
injected case) at once: a browser or an office suite starts once. Chromium's
full grid runs by default (about a minute); the other renders are slow.
Cases a producer misreads are xfail with what the parser read wrong.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from analysis import DepartmentHistory, DocumentRecord, check_document, check_history, default_rules
from demo.seeds import Paragraph, SeedDocument

parsers = pytest.importorskip("parsers", reason="parser not importable yet")
producers = pytest.importorskip("demo.producers", reason="fixture producers not importable yet")
from demo.matrix import MATRIX_STYLES  # noqa: E402  (after the producers it needs)
from demo.variants import VARIANTS  # noqa: E402

# (producer, style, slow): reportlab's own variants, or the fixture matrix's styles.
RENDERS = [
    ("chromium", "grid", False),
    ("libreoffice", "grid", True),
    ("chromium", "hrules", True),
    ("reportlab", "ruled_portrait", True),
    ("reportlab", "ruled_landscape", True),
    ("reportlab", "no_lines", True),
    ("libreoffice", "hrules", True),
]
# Cases a producer's misreading makes fail, reported to the parser's owner (issue 10):
# (producer, style, case) → what was read wrong.
_FORMS_004 = (
    "parser: seed 004's twelve 项目支出绩效自评情况表 are forms (label | value cells over several columns); "
    "printed without vertical rules they open as tables (a title wrapped over three lines in a narrow cell "
    "included), but read by word position the form's upper part (项目名称, 主管部门, 项目资金 …) becomes header "
    "rows, so the project's funds or its 主管部门 are not read"
)
PARSER_PROBLEMS = {
    ("chromium", "hrules", "self_evaluation"): _FORMS_004,
    ("chromium", "hrules", "attachment_department"): _FORMS_004,
    ("libreoffice", "hrules", "self_evaluation"): _FORMS_004,
    ("libreoffice", "hrules", "attachment_department"): _FORMS_004,
    ("reportlab", "no_lines", "attachment_department"): _FORMS_004,
}


def _paragraph(seed: SeedDocument, contains: str, change: Callable[[str], str]) -> SeedDocument:
    doc = copy.deepcopy(seed)
    block = next(b for b in doc.blocks if isinstance(b, Paragraph) and contains in b.text)
    block.text = change(block.text)
    return doc


def _cells(seed: SeedDocument, table_id: str, change: Callable[[list[list[str]]], None]) -> SeedDocument:
    doc = copy.deepcopy(seed)
    change(doc.table(table_id).body_rows)
    return doc


def _move_between(rows: list[list[str]], code_to: str, code_from: str, amount: str) -> None:
    """Move money between two lines of one parent: the parent and every total stay."""
    from decimal import Decimal

    for row in rows:
        for c, cell in enumerate(row[:-2]):
            if cell.strip() in (code_to, code_from):
                value = Decimal(row[c + 2].replace(" ", ""))
                row[c + 2] = f"{value + (Decimal(amount) if cell.strip() == code_to else -Decimal(amount)):.2f}"


def _drop_totals(rows: list[list[str]]) -> None:
    rows[:] = [r for r in rows if "总计" not in r]


def _zero_budgets(text: str) -> str:
    return text.replace("年初预算为 1.61 万元", "年初预算为 0.00 万元").replace("年初预算为1.45万元", "年初预算为0.00万元")


MERGER = ("与上年相比，机关运行经费增加 3.22 万元，增长 80.90%，主要原因：整合甲中心和乙中心，组建本局。"
          "2022 年甲中心机关运行经费 3.98 万元，乙中心机关运行经费 2.00 万元。")

# (family, seed, injection, rule that must find it, findings expected)
CASES = [
    ("classification", "000", lambda s: _cells(s, "final_gpb_basic", lambda r: _move_between(r, "30113", "30199", "3.00")),
     "classification.economic_vs_functional", 1),
    ("narrative", "000", lambda s: _paragraph(s, "住房公积金(项)", lambda t: t.replace("不存在差异。", "不存在差异，该项资金已结转下年。")),
     "narrative.carry_over", 1),
    ("fingerprint", "000", lambda s: _paragraph(s, "卫生健康支出(类)行政事业单位医疗(款)行政单位医疗", _zero_budgets),
     "narrative.completion_rate", 1),
    ("fingerprint_two", "000", lambda s: _paragraph(
        _paragraph(s, "卫生健康支出(类)行政事业单位医疗(款)行政单位医疗", _zero_budgets), "事业单位 医疗", _zero_budgets),
     "narrative.completion_rate", 2),
    ("structure", "000", lambda s: _cells(s, "final_summary", _drop_totals), "structure.summary_layout", 1),
    ("merger", "002", lambda s: _paragraph(s, "机关运行经费年初预算", lambda t: t + MERGER), "narrative.merger_base", 1),
    ("three_public_stated", "004", lambda s: _paragraph(
        s, "公务用车运行维护支出 1.79", lambda t: t.replace("主要用于购买汽油", "比上年增加 1.50 万元，增长 517.24%，主要原因是新增保障用车。主要用于购买汽油")),
     "three_public.yoy", 1),
    ("self_evaluation", "004", lambda s: _attachment_cost(s), "performance.stated_twice", 1),
    # rules that did not fire everywhere: a 三公 total over a blank component; a 单位预算's 基本 = 人员 + 公用
    ("three_public_blank", "004", lambda s: _cells(s, "final_three_public", lambda r: r[0].__setitem__(0, "2.80")),
     "arithmetic.three_public", 1),
    ("unit_budget_basic", "001", lambda s: _cells(s, "budget_gpb_basic", _first_basic_line), "arithmetic.row_total", 1),
    # an attachment naming another department (seed 003's 中山区 for 中站区)
    ("attachment_department", "004", lambda s: _attachment_department(s), "metadata.other_department", 1),
]


def _first_basic_line(rows: list[list[str]]) -> None:
    """基本工资 43.14 (人员经费 43.14) printed as 45.14 in the 合计 column."""
    row = next(r for r in rows if "30101" in r and "43.14" in r)
    row[row.index("43.14")] = "45.14"


def _attachment_cost(seed: SeedDocument) -> SeedDocument:
    """The "4050" project's cost indicator printed with another amount than its 全年执行数."""
    doc = copy.deepcopy(seed)
    for table in doc.tables:
        for row in table.body_rows:
            for c, cell in enumerate(row):
                if cell.strip() == "41.09万元":
                    row[c] = "39.09万元"
                    return doc
    raise AssertionError("no 41.09万元 cell in seed 004")


def _attachment_department(seed: SeedDocument) -> SeedDocument:
    """A project's 主管部门 printed as another body (the "名校英才" project's, a 科 before)."""
    doc = copy.deepcopy(seed)
    for table in doc.tables:
        for row in table.body_rows:
            if row and row[0].strip() == "主管部门":
                row[2] = "新乡市卫生健康委员会"
                return doc
    raise AssertionError("no 主管部门 line in seed 004's attachments")


def _findings(doc) -> set[tuple]:
    history = DepartmentHistory(doc.department or "", (DocumentRecord(doc.kind, doc.year, doc),))
    found = check_document(doc, default_rules()) + [
        f for f in check_history(history, default_rules(), date(2025, 6, 1)) if f.category != "timeliness"
    ]
    return {(f.rule_id, f.table_id, f.row_key, f.column_key) for f in found}


def _variant(style: str):
    return VARIANTS.get(style) or MATRIX_STYLES[style]


@pytest.fixture(scope="module")
def checked(seed_docs, tmp_path_factory):
    """(producer, style) → {(case, seed) → findings}: the baselines of the seeds
    the cases use and every injected case, rendered in one batch, then read."""
    out = tmp_path_factory.mktemp("injected")
    cache: dict[tuple[str, str], dict[tuple[str, str], set[tuple]]] = {}

    def get(producer: str, style: str) -> dict[tuple[str, str], set[tuple]]:
        if not producers.producer_available(producer):
            pytest.skip(f"{producer} is not installed")
        if (producer, style) not in cache:
            cases = [("baseline", name, seed_docs[name]) for name in sorted({c[1] for c in CASES})]
            cases += [(family, name, inject(seed_docs[name])) for family, name, inject, _rule, _n in CASES]
            jobs = [producers.Job(seed, Path(out) / f"{producer}_{style}_{family}_{name}.pdf", _variant(style))
                    for family, name, seed in cases]
            manifests = producers.render_with(producer, jobs)
            cache[(producer, style)] = {
                (family, name): _findings(parsers.parse_file(manifest.path))
                for (family, name, _seed), manifest in zip(cases, manifests)
            }
        return cache[(producer, style)]

    return get


def _params() -> list:
    params = []
    for producer, style, slow in RENDERS:
        for family, seed_name, inject, rule_id, count in CASES:
            marks = [pytest.mark.slow] if slow else []
            if (producer, style, family) in PARSER_PROBLEMS:
                marks.append(pytest.mark.xfail(reason=PARSER_PROBLEMS[(producer, style, family)], strict=False))
            params.append(pytest.param(producer, style, family, seed_name, inject, rule_id, count, marks=marks,
                                       id=f"{producer}-{style}-{family}"))
    return params


@pytest.mark.parametrize("producer,style,family,seed_name,inject,rule_id,count", _params())
def test_injected_problem_found_and_nothing_else_changes(checked, producer, style, family, seed_name, inject, rule_id, count):
    found = checked(producer, style)
    before, after = found[("baseline", seed_name)], found[(family, seed_name)]
    new = after - before
    assert len([k for k in new if k[0] == rule_id]) == count, (new, before - after)
    assert {k for k in new if k[0] != rule_id} == set(), new
    assert before - after == set()
