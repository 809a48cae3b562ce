"""Restated prior-year figures: what a document says last year was, against
what last year's own document published."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from analysis.context import DepartmentHistory, DocumentRecord
from analysis.diff import table_key
from analysis.findings import Category, Finding, Severity
from analysis.narrative import Number, numbers, paragraphs
from analysis.registry import Run, at_item, history_rule
from analysis.tables import fmt, norm_label, unit_of
from analysis.three_public import COMPONENT_NAMES, three_public_figures
from parsers.model import DocumentKind, LineItem, ParsedDocument, ParsedTable

# "比上年预算减少 10 万元", "与上年相比增加 4016.19 万元", "与上年一致"
_COMPARED = re.compile(
    r"(?:比|与|较)上年(?:度)?(?:预算|决算)?数?(?:相比)?[^。；;\d%]{0,14}?"
    r"(?:(增加|增长|减少|下降)了?\s*(?=\d)|(持平|一致))"
)
_DOWN = ("减少", "下降")
_WORDS = re.compile(r"[\u4e00-\u9fff]")
_ITEM_NAME = re.compile(r"([^()]+)\(项\)")
# 三公 subjects of the narrative, most specific first.
_COMPONENT_WORDS = (
    ("购置及运行", "vehicle_total"),
    ("运行维护", "vehicle_operation"),
    ("购置", "vehicle_purchase"),
    ("出国", "abroad"),
    ("接待", "reception"),
    ("三公", "total"),
)



@history_rule("yoy.restated", Category.YEAR_OVER_YEAR, Severity.MEDIUM, "上年数与上年公开数不符")
def restated(history: DepartmentHistory, run: Run) -> Iterator[Finding]:
    """上年 columns of the tables, and narrative statements "X 万元，比上年
    增加 C 万元" (last year = X ∓ C), against last year's own document."""
    for kind in (DocumentKind.BUDGET, DocumentKind.FINAL):
        for prev, cur in history.pairs(kind):
            yield from _prior_columns(prev, cur, run)
            yield from _narrative(prev, cur, run)


def _row_key(item: LineItem) -> str:
    return item.code or norm_label(item.name)


def _is_prior(table: ParsedTable, item: LineItem) -> bool:
    label = table.columns[item.column] if item.column < len(table.columns) else ""
    return item.column_key.startswith("prior.") or ("上年" in (label or "") and "结转" not in (label or ""))


def _prior_columns(prev: DocumentRecord, cur: DocumentRecord, run: Run) -> Iterator[Finding]:
    for table in cur.document.tables:
        last = next((t for t in prev.document.tables if t.id and table.id and table_key(t.id) == table_key(table.id)), None)
        if last is None:
            continue
        published = {(_row_key(i), i.column_key): i for i in reversed(last.items)}
        for item in table.items:
            if not _is_prior(table, item):
                continue
            bare = item.column_key.removeprefix("prior.")
            before = published.get((_row_key(item), bare))
            if before is None or abs(before.amount - item.amount) <= run.tolerances(unit_of(cur.document, table)):
                continue
            yield run.emit(
                f"{cur.year}年{cur.kind}《{table.title}》列“{item.name}”上年数 {fmt(item.amount)}，"
                f"{prev.year}年{prev.kind}公开为 {fmt(before.amount)}",
                table_id=table.id,
                row_key=_row_key(item),
                expected=before.amount,
                **at_item(item),
                **cur.where(),
            )


def _narrative(prev: DocumentRecord, cur: DocumentRecord, run: Run) -> Iterator[Finding]:
    tolerance = run.tolerances("万元")
    for section in cur.document.sections:
        for p_index, text in enumerate(paragraphs(section)):
            for sentence in re.split(r"(?<=[。；;])", text):
                for amount, change, prefix in _statements(sentence):
                    implied = amount.in_wan() - change.in_wan() if change else amount.in_wan()
                    counterparts = _counterparts(cur.document, prev.document, prefix, amount.in_wan())
                    if not counterparts:
                        continue
                    slack = 2 * tolerance + amount.half_unit + (change.half_unit if change else 0)
                    if any(abs(p.amount - implied) <= slack for _, p in counterparts):
                        continue
                    name, published = counterparts[0]
                    subject = re.sub(r"[\d.,]+", "", norm_label(prefix))[-12:]
                    yield run.emit(
                        f"{cur.year}年{cur.kind}“{section.heading}”称{name} {amount.raw}、与上年相比"
                        f"{_stated(change)}，即上年 {fmt(implied)} 万元；"
                        f"{prev.year}年{prev.kind}公开为 {fmt(published.amount)} 万元",
                        table_id="narrative",
                        row_key=f"{norm_label(section.heading)}|{p_index}|{subject}",
                        page=section.page,
                        expected=published.amount,
                        actual=implied,
                        **cur.where(),
                    )


def _stated(change: Number | None) -> str:
    if change is None:
        return "持平"
    return f"{'增加' if change.value > 0 else '减少'} {abs(change.value)} {change.unit}"


def _statements(sentence: str) -> Iterator[tuple[Number, Number | None, str]]:
    """(amount, signed change or None for 持平, the text naming the subject)."""
    nums = list(numbers(sentence))
    for match in _COMPARED.finditer(sentence):
        before = [n for n in nums if n.end <= match.start() and n.is_money]
        if not before:
            continue
        amount = before[-1]
        previous_end = max((n.end for n in nums if n.end <= amount.start and n is not amount), default=0)
        prefix = sentence[previous_end : amount.start]
        if match.group(2):
            yield amount, None, prefix
            continue
        change = next((n for n in nums if n.start == match.end()), None)
        if change is None or not change.is_money:
            continue
        signed = Number(-change.value if match.group(1) in _DOWN else change.value, change.decimals, change.unit,
                        change.start, change.end, change.raw)
        yield amount, signed, prefix


def _counterparts(doc: ParsedDocument, last: ParsedDocument, prefix: str, amount: Decimal) -> list[tuple[str, LineItem]]:
    """(subject, last year's item) for the subjects ``prefix`` names whose
    figure this year equals ``amount``."""
    subject = norm_label(prefix)
    side = "final" if doc.kind == DocumentKind.FINAL else "budget"
    now, then = three_public_figures(doc).get(side, {}), three_public_figures(last).get(side, {})
    component = next((k for word, k in _COMPONENT_WORDS if word in subject), None)
    if component and component in now and component in then and now[component].amount == amount:
        return [(COMPONENT_NAMES[component], then[component])]
    rows: dict[tuple[str, str], list[LineItem]] = {}
    for table in last.tables:
        for item in table.items if table.id else ():
            rows.setdefault((table_key(table.id), _row_key(item)), []).append(item)
    found = []
    for table in doc.tables:
        if table.id is None or "three_public" in table.id:
            continue
        for item in table.items:
            if item.amount == amount and _names(_row_name(table, item), prefix):
                before = _same_column(rows.get((table_key(table.id), _row_key(item)), []), item.column_key)
                if before is not None:
                    found.append((_row_name(table, item), before))
    return found


def _row_name(table: ParsedTable, item: LineItem) -> str:
    """The item's name, else the row's first cell in words (the parser may
    leave the name of a line empty)."""
    if _WORDS.search(item.name or "") and norm_label(item.name) not in ("金额", "合计"):
        return item.name
    row = table.rows[item.row] if item.row < len(table.rows) else []
    return next((c for c in row if c and _WORDS.search(c)), item.name)


def _names(name: str, prefix: str) -> bool:
    """The subject text names the line: its name appears in it, or the
    printed 项 name has the same characters in another order (一般行政事务管理
    for 一般行政管理事务)."""
    name = norm_label(name)
    if len(name) < 2:
        return False
    if name in norm_label(prefix):
        return True
    match = _ITEM_NAME.search(prefix.replace(" ", ""))
    return match is not None and sorted(match.group(1)) == sorted(name)


def _same_column(items: list[LineItem], column_key: str) -> LineItem | None:
    """Last year's item of the same column, or the row's only amount (the
    parser may key an unlabelled column differently from year to year)."""
    same = next((i for i in items if i.column_key == column_key), None)
    return same or (items[0] if len(items) == 1 else None)
