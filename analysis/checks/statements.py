"""Narrative statements of fact against the tables: carried-over money,
year-over-year changes of a merged body measured against one predecessor, and
机关运行经费 explained by project money the tables do not have."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from analysis.findings import Category, Finding, Severity
from analysis.narrative import Number, numbers, paragraphs, subject_key
from analysis.registry import Run, document_rule
from analysis.tables import find_item, fmt, norm_label, total_item
from parsers.model import ParsedDocument, ParsedTable, Section

HUNDRED = Decimal(100)

# "该项资金已结转下年" — money said to be carried into next year
_CARRIED_OUT = re.compile(r"结转(?:至|到)?下(?:一)?年")
# "上年结转支出 1539.81 万元" — money said to come from last year's balance
_CARRIED_IN = re.compile(r"上年结转(?:资金|支出|结余)?(?:为|共|金额)?\s*$")
_DEFINITIONS = ("名词解释",)


def _balance(table: ParsedTable | None, labels: list[str], side: str) -> tuple[Decimal, int | None] | None:
    """A carry-over line of the summary table: its amount (a printed row with
    a blank amount is 0) and page; ``None`` when the table has no such row."""
    if table is None:
        return None
    item = find_item(table, labels, side=side)
    if item is not None:
        return item.amount, item.page
    wanted = {norm_label(label) for label in labels}
    for row, page in zip(table.rows, table.row_pages):
        if any(norm_label(cell) in wanted for cell in row if cell):
            return Decimal(0), page
    return None


def _statements(doc: ParsedDocument) -> Iterator[tuple[Section, str]]:
    """Paragraphs of the narrative outside the glossary (its definitions
    mention 结转到下年 as a concept, not a fact)."""
    for section in doc.sections:
        if any(word in section.heading for word in _DEFINITIONS):
            continue
        yield from ((section, text) for text in paragraphs(section))


@document_rule("narrative.carry_over", Category.NARRATIVE, Severity.HIGH, "说明称有结转而表中结转为零")
def carry_over(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """"已结转下年" while 年末结转和结余 is 0; "上年结转 X 万元" (X > 0) while
    年初结转和结余 is 0."""
    summary = doc.table("final_summary") or doc.table("budget_summary")
    closing = _balance(summary, ["年末结转和结余", "年末结转结余", "年终结转结余"], "expense")
    opening = _balance(summary, ["年初结转和结余", "年初结转结余", "上年结转结余", "上年结转"], "income")
    for section, text in _statements(doc):
        if closing is not None and closing[0] == 0:
            for match in _CARRIED_OUT.finditer(text):
                sentence = text[max(text.rfind(c, 0, match.start()) for c in "。；;") + 1 : match.start()]
                if re.search(r"无|未|没有|不", sentence[-6:]) or "指" in sentence:
                    continue
                yield run.emit(
                    f"“{section.heading}”称资金“{match.group(0)}”，而收入支出总表年末结转和结余为 0",
                    table_id="narrative",
                    row_key=f"{norm_label(section.heading)}|carry_out|{subject_key(text, match.start())}",
                    page=section.page,
                    expected=closing[0],
                )
        if opening is not None and opening[0] == 0:
            for number in numbers(text):
                if number.is_money and number.value > 0 and _CARRIED_IN.search(text[max(0, number.start - 12) : number.start]):
                    yield run.emit(
                        f"“{section.heading}”称上年结转 {number.raw}，而收入支出总表年初结转和结余为 0",
                        table_id="narrative",
                        row_key=f"{norm_label(section.heading)}|carry_in|{subject_key(text, number.start)}",
                        page=section.page,
                        expected=opening[0],
                        actual=number.in_wan(),
                    )


_MERGER = re.compile(r"合并|整合|组建|划入|并入|撤并")
_LAST_YEAR_RATE = re.compile(r"(?:增加|减少)\s*$")


def _change_statement(text: str, nums: list[Number]) -> Iterator[tuple[Number, Number, Number]]:
    """(this year, change, stated rate) of "X 万元 … 增加 C 万元，增长 R%"."""
    for index, rate in enumerate(nums):
        if rate.unit != "%" or not re.search(r"(增长|下降)\s*$", text[max(0, rate.start - 4) : rate.start]):
            continue
        money = [n for n in nums[:index] if n.is_money]
        if len(money) < 2 or not _LAST_YEAR_RATE.search(text[max(0, money[-1].start - 4) : money[-1].start]):
            continue
        change = money[-1]
        sign = 1 if "增加" in text[max(0, change.start - 4) : change.start] else -1
        # this year's figure: the nearest amount before the change that leaves a positive base
        current = next((m for m in reversed(money[:-1]) if m.in_wan() - sign * change.in_wan() > 0), None)
        if current is not None:
            yield current, change, rate


@document_rule("narrative.merger_base", Category.NARRATIVE, Severity.HIGH, "合并组建单位的增减按单一前身计算")
def merger_base(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """A body formed from several predecessors states last year's figure of
    each, yet computes its change against one of them only: the base of
    "增加 C，增长 R%" (X − C) equals one stated predecessor figure while the
    paragraph states at least two (whose sum is the comparable base)."""
    if doc.year is None:
        return
    last_year = str(doc.year - 1)
    tolerance = run.tolerances("万元")
    for section, text in _statements(doc):
        if last_year not in text or not _MERGER.search(text):
            continue
        nums = list(numbers(text))
        for current, change, rate in _change_statement(text, nums):
            sign = 1 if "增加" in text[max(0, change.start - 4) : change.start] else -1
            base = current.in_wan() - sign * change.in_wan()
            stated = _predecessor_figures(text, rate.end, last_year)
            if len(stated) < 2 or not any(abs(v - base) <= 2 * tolerance for v in stated):
                continue
            combined = sum(stated, Decimal(0))
            expected = (current.in_wan() - combined) / combined * HUNDRED
            yield run.emit(
                f"“{section.heading}”按单一前身的上年数 {fmt(base)} 计算增减（{rate.raw}），而同段列出的"
                f"各前身上年数合计 {fmt(combined)}，可比口径应为 {expected:+.2f}%",
                table_id="narrative",
                row_key=f"{norm_label(section.heading)}|merger|{subject_key(text, current.start)}",
                page=section.page,
                expected=expected.quantize(Decimal("0.01")),
                actual=rate.value,
            )


def _predecessor_figures(text: str, after: int, last_year: str) -> list[Decimal]:
    """Last year's figures the paragraph states after the change: amounts of
    the sentences after the rate that name last year, in order, a figure
    repeated at once (收入总计 174.15，支出总计 174.15) counted once."""
    figures: list[Decimal] = []
    for sentence in text[after:].split("。"):
        if last_year not in sentence:
            continue
        for number in numbers(sentence):
            if number.is_money and (not figures or figures[-1] != number.in_wan()):
                figures.append(number.in_wan())
    return figures


# "主要原因是…项目支出减少": a reason naming project money
_REASON = re.compile(r"(?:主要)?原因(?:是|为|:|：)?|由于|主要是")
_PROJECT_MONEY = re.compile(r"(?<!不含)(?<!不再包含)(?<!不包括)项目(?:支出|经费|资金)?")
_EXPENSE_TABLES = ("final_expense", "final_gpb_expense", "budget_expense", "budget_gpb_expense")


def _no_project_spending(doc: ParsedDocument) -> tuple[str, int | None] | None:
    """(table title, page) when every expense table's 项目支出 合计 is 0."""
    totals = [(t, total_item(t, "project")) for t in (doc.table(i) for i in _EXPENSE_TABLES) if t is not None]
    printed = [(t, item) for t, item in totals if item is not None]
    if printed and all(item.amount == 0 for _t, item in printed):
        return printed[0][0].title, printed[0][1].page
    return None


@document_rule("narrative.operating_cost_reason", Category.NARRATIVE, Severity.MEDIUM, "机关运行经费变动以项目支出解释")
def operating_cost_reason(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """The 机关运行经费 section explains its change by project money while the
    tables show no 项目支出 at all: 机关运行经费 is basic spending, and there is
    no project to explain it (seed 000). A section stating a change of 口径
    (the pre-2018 scope included project operating money) is no finding."""
    zero = _no_project_spending(doc)
    if zero is None:
        return
    for section, text in _statements(doc):
        if "机关运行经费" not in section.heading or "口径" in text:
            continue
        for reason in _REASON.finditer(text):
            clause = text[reason.end() : min((i for i in (text.find(c, reason.end()) for c in "。；;") if i >= 0), default=len(text))]
            project = _PROJECT_MONEY.search(clause)
            if project is None:
                continue
            yield run.emit(
                f"“{section.heading}”以“{clause[: project.end()].strip('，,')}”解释机关运行经费的变动，"
                f"而{zero[0]}的项目支出为 0（机关运行经费属基本支出）",
                table_id="narrative",
                row_key=f"{norm_label(section.heading)}|operating_reason|{subject_key(text, reason.start())}",
                page=section.page,
                expected=Decimal(0),
            )
            break
