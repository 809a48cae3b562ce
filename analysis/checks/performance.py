"""Performance self-evaluations (绩效自评) against themselves, the narrative and the tables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from analysis.findings import Category, Finding, Severity
from analysis.narrative import normalise_text, numbers, paragraphs
from analysis.performance import OVERALL, PROJECT, SUMMARY, Indicator, SelfEvaluation, Value, parse_target, self_evaluations
from analysis.registry import Run, document_rule
from analysis.tables import find_item, fmt, norm_label, total_item
from parsers.model import ParsedDocument

HUNDRED = Decimal(100)
_DIGITS = re.compile(r"[\d.,%]+")
# How much a printed percentage may differ from its recomputation (two decimals printed, rounding of both).
_RATE_TOLERANCE = Decimal("0.06")
# Scores are printed to two decimals, sometimes truncated: a score within this is no error.
_SCORE_TOLERANCE = Decimal("0.05")


def _where(evaluation: SelfEvaluation, key: str, at: Value | Indicator | None = None, **more) -> dict:
    """Location of a finding in an attachment: its table id, a row key naming
    the evaluation (project) and the problem, and the page it is printed on."""
    subject = evaluation.project or evaluation.kind
    page = at.page if at is not None else evaluation.table.pages[0]
    row_key = _DIGITS.sub("", f"{subject}|{key}")  # no year or amount: the identity survives a new edition
    return {"table_id": evaluation.table.id or evaluation.kind, "row_key": row_key, "page": page, **more}


def _evaluations(doc: ParsedDocument) -> list[SelfEvaluation]:
    return self_evaluations(doc)


def _rate(executed: Decimal, budget: Decimal) -> Decimal:
    return executed / budget * HUNDRED


@document_rule("performance.execution_rate", Category.CONSISTENCY, Severity.MEDIUM, "绩效自评表执行率或得分计算有误")
def execution_rate(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """执行率 = 全年执行数 / 全年预算数; 得分 = 分值 × 执行率 — or the rule some
    provinces state, 分值 × 执行率 / 90% capped at 分值; an indicator named
    …执行率 scores 分值 × its actual rate by the same rules."""
    for evaluation in _evaluations(doc):
        for funds in evaluation.funds[:1]:
            budget = funds.full or funds.initial
            if funds.rate is not None and funds.executed is not None and budget is not None and budget.amount:
                expected = _rate(funds.executed.amount, budget.amount)
                if abs(expected - funds.rate.amount) > _RATE_TOLERANCE:
                    yield run.emit(
                        f"《{evaluation.table.title or '绩效自评表'}》{evaluation.project or ''}执行率 {funds.rate.raw}，"
                        f"按全年执行数 {fmt(funds.executed.amount)} / 全年预算数 {fmt(budget.amount)} 应为 {expected:.2f}%",
                        expected=expected.quantize(Decimal("0.01")),
                        actual=funds.rate.amount,
                        **_where(evaluation, "execution_rate", funds.rate, column_key="rate"),
                    )
                    continue
            if funds.rate is not None and funds.weight is not None and funds.score is not None:
                yield from _score(run, evaluation, funds.weight, funds.rate.amount, funds.score, "执行率")
        for indicator in evaluation.indicators:
            actual = _percent(indicator.actual)
            target = parse_target(indicator.target)
            proportional = target is not None and target.unit == "%" and target.value == HUNDRED
            if "预算执行率" in indicator.name and actual is not None and proportional:
                yield from _score(run, evaluation, indicator.weight, actual, indicator.score, indicator.name)


def _percent(text: str) -> Decimal | None:
    target = parse_target(text)
    return target.value if target is not None and target.unit == "%" else None


def _score(run: Run, evaluation: SelfEvaluation, weight: Value, rate: Decimal, score: Value, name: str) -> Iterator[Finding]:
    linear = weight.amount * min(rate, HUNDRED) / HUNDRED
    scaled = min(weight.amount, weight.amount * rate / Decimal(90))  # 执行率得分 = 分值 × 执行率 / 90%
    tolerance = _SCORE_TOLERANCE
    if min(abs(score.amount - linear), abs(score.amount - scaled)) <= tolerance:
        return
    yield run.emit(
        f"《{evaluation.table.title or '绩效自评表'}》{evaluation.project or ''}“{name}”分值 {weight.raw}、执行率 {rate}%，"
        f"得分 {score.raw}，按分值×执行率应为 {linear:.2f}",
        expected=linear.quantize(Decimal("0.01")),
        actual=score.amount,
        **_where(evaluation, f"score|{name}", score, column_key="score"),
    )


def _missed(target_text: str, actual_text: str) -> bool:
    target, actual = parse_target(target_text), parse_target(actual_text)
    if target is None or actual is None or actual.op != "=" or target.unit != actual.unit:
        return False
    a, t = actual.value, target.value
    return {"≤": a > t, "<": a >= t, "≥": a < t, ">": a <= t, "=": a != t}[target.op]


@document_rule("performance.target_missed", Category.CONSISTENCY, Severity.MEDIUM, "绩效指标未达目标值")
def target_missed(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """A quantified target (≤30%, ≥70.4万元) the stated actual misses — worse
    when the indicator still gets full marks."""
    for evaluation in _evaluations(doc):
        for indicator in evaluation.indicators:
            if not _missed(indicator.target, indicator.actual):
                continue
            full = indicator.score.amount >= indicator.weight.amount
            how = "却得满分" if full else f"得分 {indicator.score.raw}/{indicator.weight.raw}"
            yield run.emit(
                f"{evaluation.project or '部门整体'}绩效指标“{indicator.name}”目标 {indicator.target}，实际 {indicator.actual}，未达目标{how}",
                actual=indicator.score.amount,
                expected=indicator.weight.amount,
                **_where(evaluation, f"target|{norm_label(indicator.name)}", indicator),
            )


@document_rule("performance.weights", Category.CONSISTENCY, Severity.HIGH, "绩效自评分值或总分不符")
def weights(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """A 一级指标's declared 分值 = Σ its indicators' 分值; 总分 = Σ 得分 (with the
    执行率 得分). Judged only on grids read whole (no unread page between)."""
    for evaluation in _evaluations(doc):
        for block in evaluation.blocks:
            if not block.closed:
                continue
            total = sum((i.weight.amount for i in block.indicators), Decimal(0))
            if total != block.weight.amount:
                yield run.emit(
                    f"{evaluation.project or '部门整体'}绩效自评“{block.name}”分值 {block.weight.raw}，其下各指标分值合计 {fmt(total)}",
                    expected=total,
                    actual=block.weight.amount,
                    **_where(evaluation, f"block|{block.name}", block.weight),
                )
        if evaluation.total is None or not evaluation.complete or not evaluation.funds or evaluation.kind == SUMMARY:
            continue
        funds = evaluation.funds[0]
        full_mark = sum((i.weight.amount for i in evaluation.indicators), Decimal(0)) + (
            funds.weight.amount if funds.weight else Decimal(0)
        )
        if full_mark != evaluation.total_weight:
            continue  # not every line was read (a wrapped or lost row): the sum proves nothing
        scores = [i.score.amount for i in evaluation.indicators]
        funds_score = funds.score
        recomputed = sum(scores, Decimal(0)) + (funds_score.amount if funds_score else Decimal(0))
        if abs(recomputed - evaluation.total.amount) > Decimal("0.01") * (len(scores) + 1):
            yield run.emit(
                f"{evaluation.project or '部门整体'}绩效自评总分 {evaluation.total.raw}，各项得分合计 {fmt(recomputed)}",
                expected=recomputed,
                actual=evaluation.total.amount,
                **_where(evaluation, "total", evaluation.total),
            )


@document_rule("performance.low_execution", Category.CONSISTENCY, Severity.MEDIUM, "执行率低却称无偏差")
def low_execution(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """A project executed below ``min_rate_pct`` marked 无偏差 (汇总表 是否有偏差 = 否,
    or every indicator's 偏差度 0 with no reason)."""
    threshold = Decimal(run.param("min_rate_pct", 60))
    evaluations = _evaluations(doc)
    summarised = {norm_label(line.project) for e in evaluations for line in e.summary}
    for evaluation in evaluations:
        for line in evaluation.summary:
            if line.rate is not None and line.rate.amount < threshold and line.deviated == "否":
                yield run.emit(
                    f"项目“{line.project}”执行率 {line.rate.raw}，自评汇总表却标为无偏差",
                    actual=line.rate.amount,
                    **_where(evaluation, f"deviation|{norm_label(line.project)}", line.rate),
                )
        if evaluation.kind != PROJECT or not evaluation.funds or not evaluation.indicators:
            continue
        if norm_label(evaluation.project) in summarised:
            continue  # judged on its 汇总表 line
        rate = evaluation.funds[0].rate
        if rate is None or rate.amount >= threshold:
            continue
        if any(i.reason for i in evaluation.indicators) or any(
            i.score.amount < i.weight.amount for i in evaluation.indicators
        ):
            continue
        yield run.emit(
            f"项目“{evaluation.project or ''}”执行率 {rate.raw}，各绩效指标却均得满分且未说明偏差",
            actual=rate.amount,
            **_where(evaluation, "deviation", rate),
        )


@document_rule("performance.stated_twice", Category.CONSISTENCY, Severity.MEDIUM, "同一项目执行数前后不一")
def stated_twice(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """One project's spending printed twice: 汇总表 全年执行数 vs 系统查询全年执行数,
    or a project table's 全年执行数 vs its cost indicator's actual (万元)."""
    tolerance = run.tolerances("万元")
    for evaluation in _evaluations(doc):
        for line in evaluation.summary:
            if line.executed and line.queried and abs(line.executed.amount - line.queried.amount) > tolerance:
                yield run.emit(
                    f"项目“{line.project}”全年执行数 {line.executed.raw}，系统查询全年执行数 {line.queried.raw}",
                    expected=line.queried.amount,
                    actual=line.executed.amount,
                    **_where(evaluation, f"executed|{norm_label(line.project)}", line.executed),
                )
        if evaluation.kind != PROJECT or not evaluation.funds or evaluation.funds[0].executed is None:
            continue
        executed = evaluation.funds[0].executed
        for indicator in evaluation.indicators:
            actual = parse_target(indicator.actual)
            if indicator.block != "成本指标" or actual is None or actual.unit != "万元":
                continue
            if abs(actual.value - executed.amount) > tolerance:
                yield run.emit(
                    f"项目“{evaluation.project or ''}”全年执行数 {executed.raw} 万元，成本指标“{indicator.name}”实际 {indicator.actual}",
                    expected=executed.amount,
                    actual=actual.value,
                    **_where(evaluation, f"cost|{norm_label(indicator.name)}", indicator),
                )


def _projects(evaluations: list[SelfEvaluation]) -> list[tuple[str, Value | None]]:
    """(project, 全年执行数) of the attachment: the 汇总表 lines, else the project tables."""
    summary = [(line.project, line.executed) for e in evaluations for line in e.summary]
    if summary:
        return summary
    return [(e.project or "", e.funds[0].executed if e.funds else None) for e in evaluations if e.kind == PROJECT]


_COUNT = re.compile(r"(\d+)\s*个项目(?:支出)?绩效自评|自评项目\s*(\d+)\s*个")


@document_rule("performance.project_count", Category.NARRATIVE, Severity.MEDIUM, "说明中自评项目数与附件不符")
def project_count(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """"N 个项目支出绩效自评" against the projects the attachment lists."""
    evaluations = _evaluations(doc)
    if not any(e.kind in (PROJECT, SUMMARY) for e in evaluations):
        return
    listed = len(_projects(evaluations))
    for section in doc.sections:
        text = normalise_text(section.text).replace("\n", "")
        for match in _COUNT.finditer(text):
            stated = int(match.group(1) or match.group(2))
            if stated != listed:
                yield run.emit(
                    f"“{section.heading}”称 {stated} 个项目开展绩效自评，附件列有 {listed} 个项目",
                    table_id="narrative",
                    row_key=f"{norm_label(section.heading)}|project_count",
                    page=section.page,
                    expected=Decimal(listed),
                    actual=Decimal(stated),
                )
                return


@document_rule("performance.project_spending", Category.CONSISTENCY, Severity.HIGH, "自评项目执行数超过项目支出")
def project_spending(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """The projects the attachment evaluates spent more than the tables' 项目支出."""
    evaluations = _evaluations(doc)
    spent = [v for _, v in _projects(evaluations) if v is not None]
    if not spent:
        return
    table = doc.table("final_expense") or doc.table("final_gpb_expense")
    project = total_item(table, "project")
    if project is None:
        return
    listed = sum((v.amount for v in spent), Decimal(0))
    if listed - project.amount > run.tolerances("万元") * (len(spent) + 1):
        first = next(e for e in evaluations if e.kind in (PROJECT, SUMMARY))
        yield run.emit(
            f"绩效自评附件列出的 {len(spent)} 个项目全年执行数合计 {fmt(listed)} 万元，"
            f"大于《{table.title}》项目支出 {fmt(project.amount)} 万元（第 {project.page} 页）",
            expected=project.amount,
            actual=listed,
            **_where(first, "project_spending", spent[0]),
        )


_ALL_SATISFIED = re.compile(r"满意度[^。；;]{0,6}?(?:均|都|全部)(?:已)?(?:达到|达|为)\s*(\d+(?:\.\d+)?)\s*%")


@document_rule("performance.satisfaction", Category.NARRATIVE, Severity.MEDIUM, "说明中满意度与自评表不符")
def satisfaction(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """"满意度均达到 100%" while an attachment's 满意度 indicator is lower."""
    lows = [
        (e, i, _percent(i.actual))
        for e in _evaluations(doc)
        for i in e.indicators
        if "满意" in i.name and _percent(i.actual) is not None
    ]
    for section in doc.sections:
        text = normalise_text(section.text).replace("\n", "")
        for match in _ALL_SATISFIED.finditer(text):
            stated = Decimal(match.group(1))
            below = [(e, i, v) for e, i, v in lows if v < stated]
            if below:
                e, i, v = min(below, key=lambda x: x[2])
                yield run.emit(
                    f"“{section.heading}”称满意度均达 {stated}%，而绩效自评表中有 {len(below)} 项满意度低于此"
                    f"（如{e.project or ''}“{i.name}”{i.actual}，第 {i.page} 页）",
                    table_id="narrative",
                    row_key=f"{norm_label(section.heading)}|satisfaction",
                    page=section.page,
                    expected=v,
                    actual=stated,
                )
                return


_COVERS = re.compile(r"本表(?:统计|反映)的?是\s*(\d{4})\s*年")


@document_rule("performance.year", Category.METADATA, Severity.MEDIUM, "绩效自评表所属年度与文件不符")
def evaluation_year(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """A note "本表统计的是 2022 年的…资金" in a 2023 document."""
    if doc.year is None:
        return
    places = [(t.id or "attachment", t.pages[0] if t.pages else None, note) for t in doc.tables for note in t.notes]
    places += [("narrative", s.page, s.text) for s in doc.sections]
    for table_id, page, text in places:
        for match in _COVERS.finditer(normalise_text(text).replace("\n", "")):
            if int(match.group(1)) != doc.year:
                yield run.emit(
                    f"附表注明“{match.group(0)}”，与文件年度 {doc.year} 不符",
                    table_id=table_id,
                    row_key=f"covers|{match.group(0)[:6]}",
                    page=page,
                    expected=Decimal(doc.year),
                    actual=Decimal(match.group(1)),
                )


_NARRATIVE_BUDGET = re.compile(r"年初预算(?:数)?为?\s*$")


@document_rule("performance.narrative_budget", Category.NARRATIVE, Severity.HIGH, "说明中年初预算与绩效自评表不符")
def narrative_budget(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """The narrative's 一般公共预算 年初预算 against the 部门整体自评表's 年初预算数
    of the same money, when the department has no other fiscal funds."""
    overall = next((e for e in _evaluations(doc) if e.kind == OVERALL and e.funds), None)
    if overall is None or overall.funds[0].initial is None:
        return
    summary = doc.table("final_summary")
    other = [find_item(summary, [label], side="income") for label in ("政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入")]
    if any(item is not None and item.amount for item in other):
        return  # the attachment's total covers more than 一般公共预算
    initial = overall.funds[0].initial
    tolerance = run.tolerances("万元")
    for section in doc.sections:
        if "一般公共预算" not in section.heading and "具体情况" not in section.heading:
            continue
        for text in paragraphs(section):
            if "一般公共预算" not in text:
                continue
            for number in numbers(text):
                if not (number.is_money and _NARRATIVE_BUDGET.search(text[max(0, number.start - 8) : number.start])):
                    continue
                if abs(number.in_wan() - initial.amount) > tolerance * 2:
                    yield run.emit(
                        f"“{section.heading}”称年初预算 {number.raw}，部门整体支出绩效自评表年初预算数为 "
                        f"{initial.raw} 万元（第 {initial.page} 页）",
                        expected=initial.amount,
                        actual=number.in_wan(),
                        **_where(overall, "initial_budget", initial),
                    )
                return
