"""Budget vs final: execution by 项 far from 100% without a stated reason."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from analysis.context import DepartmentHistory
from analysis.findings import Category, Finding, Severity
from analysis.narrative import numbers, paragraphs, subject_key
from analysis.registry import Run, document_rule, history_rule
from analysis.tables import fmt, items_by_code, norm_label
from parsers.model import DocumentKind, ParsedDocument

HUNDRED = Decimal(100)
REASON = re.compile(r"原因|由于|因为|主要是|系")
# A reason is what follows its marker up to the end of the sentence.
_REASON_TEXT = re.compile(r"(?:原因(?:是|为|主要是|:|：)?|由于|因为|主要是)([^。；;]*)")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _reason_length(sentence_and_rest: str) -> int:
    """Chinese characters of the longest stated reason (0 when none)."""
    return max((len(_CJK.findall(m.group(1))) for m in _REASON_TEXT.finditer(sentence_and_rest)), default=0)


def _own_explanation(text: str, end: int) -> str:
    """The rest of the statement's sentence and the sentence after it, up to
    the next stated rate (the next 项 of a list has its own reason)."""
    stops = [i for i in (text.find("。", end),) if i >= 0]
    stop = text.find("。", stops[0] + 1) if stops else -1
    window = text[end : stop if stop >= 0 else len(text)]
    following = window.find("完成")
    return window if following < 0 else window[:following]


@document_rule("execution.stated_rate", Category.CONSISTENCY, Severity.MEDIUM, "预算执行率偏离且未说明原因")
def stated_rate(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """完成年初预算的 X% far from 100% with no reason — or a reason of a few
    characters (人员增加) — in the rest of the paragraph."""
    threshold = Decimal(run.param("deviation_pct", 20))
    min_reason = int(run.param("min_reason_chars", 5))
    for section in doc.sections:
        for text in paragraphs(section):
            nums = list(numbers(text))
            for index, number in enumerate(nums):
                if number.unit != "%" or "完成" not in text[max(0, number.start - 12) : number.start]:
                    continue
                sentence_start = max(text.rfind(c, 0, number.start) for c in "。；;") + 1
                own = [n for n in nums[:index] if n.is_money and n.start >= sentence_start]
                if not own or all(n.value == 0 for n in own):
                    continue  # nothing budgeted and nothing spent: no execution to judge
                if abs(number.value - HUNDRED) <= threshold:
                    continue
                if re.match(r"[。,，]?\s*其中", text[number.end :]):
                    continue  # the 项 listed next carry their own reasons
                reason = _reason_length(_own_explanation(text, number.end))
                if reason >= min_reason:
                    continue
                told = "未说明原因" if reason == 0 else "原因仅寥寥数字"
                yield run.emit(
                    f"“{section.heading}”预算完成 {number.raw}，偏离 100% 超过 {threshold}% 但{told}",
                    table_id="narrative",
                    row_key=f"{norm_label(section.heading)}|{subject_key(text, number.start)}",
                    page=section.page,
                    expected=HUNDRED,
                    actual=number.value,
                )


@history_rule("execution.budget_vs_final", Category.CONSISTENCY, Severity.MEDIUM, "项级预算执行偏离过大")
def budget_vs_final(history: DepartmentHistory, run: Run) -> Iterator[Finding]:
    """Per 项: 决算 / 年初预算 (from that year's published budget) beyond the
    threshold, unless the final's narrative names the 项 with a reason."""
    threshold = Decimal(run.param("deviation_pct", 20))
    absolute = Decimal(run.param("absolute", 10))
    for final in history.records:
        budget = history.get(DocumentKind.BUDGET, final.year, final.own_scope)
        if final.kind != DocumentKind.FINAL or final.document is None or budget is None or budget.document is None:
            continue
        spent = final.document.table("final_gpb_expense")
        planned = budget.document.table("budget_gpb_expense")
        if spent is None or planned is None:
            continue
        text = "\n".join(s.text for s in final.document.sections)
        old, new = items_by_code(planned, "total"), items_by_code(spent, "total")
        for code, plan in old.items():
            if len(code) != 7:
                continue
            actual = new[code].amount if code in new else Decimal(0)
            if abs(actual - plan.amount) <= absolute:
                continue
            rate = actual / plan.amount * HUNDRED if plan.amount else None
            if rate is not None and abs(rate - HUNDRED) <= threshold:
                continue
            if _explained(text, plan.name):
                continue
            yield run.emit(
                f"{final.year}年 {code} {plan.name} 年初预算 {fmt(plan.amount)} 万元，决算 {fmt(actual)} 万元"
                f"（执行率 {'—' if rate is None else f'{rate:.2f}%'}），未说明原因",
                table_id="final_gpb_expense",
                row_key=code,
                column_key="total",
                page=new[code].page if code in new else None,
                expected=plan.amount,
                actual=actual,
                **final.where(),
            )


def _explained(text: str, name: str) -> bool:
    for paragraph in text.split("\n"):
        if norm_label(name) in norm_label(paragraph) and REASON.search(paragraph):
            return True
    return False
