"""三公经费 inside one document: 决算 over 预算, split, counts, reasons, vehicles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from analysis.findings import Category, Finding, Severity
from analysis.narrative import section_text
from analysis.registry import Run, at_item, document_rule
from analysis.tables import fmt, unit_of
from analysis.three_public import COMPONENT_NAMES, COMPONENTS, three_public_figures, three_public_table
from parsers.model import ParsedDocument


@document_rule("three_public.final_over_budget", Category.THREE_PUBLIC, Severity.HIGH, "三公经费决算超预算")
def final_over_budget(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    figures = three_public_figures(doc)
    budget, final = figures.get("budget", {}), figures.get("final", {})
    table = three_public_table(doc)
    tolerance = run.tolerances(unit_of(doc, table))
    for component in COMPONENTS:
        if component in budget and component in final and final[component].amount - budget[component].amount > tolerance:
            item = final[component]
            yield run.emit(
                f"{COMPONENT_NAMES[component]}决算 {fmt(item.amount)} 万元超过预算 {fmt(budget[component].amount)} 万元",
                table_id=table.id if table else None,
                row_key=component,
                expected=budget[component].amount,
                **at_item(item),
            )


@document_rule("three_public.split_missing", Category.THREE_PUBLIC, Severity.MEDIUM, "公务用车费用未分列购置和运行")
def split_missing(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    table = three_public_table(doc)
    # Header words may be broken over lines (公务用车运/行维护费): read each
    # label whole, without the 公务用车购置及运行维护费 group it sits under.
    labels = [re.sub(r"\s+|/", "", c or "").replace("购置及运行", "") for c in (table.columns if table else [])]
    has_split = any("购置" in c for c in labels) and any("运行" in c for c in labels)
    for side, figures in three_public_figures(doc).items():
        vehicles = figures.get("vehicle_total")
        printed = has_split or {"vehicle_purchase", "vehicle_operation"} <= figures.keys()
        if vehicles and vehicles.amount and not printed:
            yield run.emit(
                f"公务用车购置及运行费 {fmt(vehicles.amount)} 万元未分列购置费和运行维护费（{side}）",
                table_id=table.id if table else None,
                row_key="vehicle_total",
                column_key=vehicles.column_key,
                page=vehicles.page,
            )


COUNT_PATTERNS = {
    "abroad": (r"团组|人次", "因公出国(境)团组数和人次"),
    "reception": (r"批次|人次|团组", "公务接待批次和人次"),
    "vehicle_purchase": (r"购置(?:车辆|公务用车)?\s*\d+\s*(?:辆|台)|购置.{0,6}\d+\s*(?:辆|台)", "购置车辆数"),
    "vehicle_operation": (r"保有量", "公务用车保有量"),
}


@document_rule("three_public.counts_missing", Category.THREE_PUBLIC, Severity.MEDIUM, "三公经费缺少数量说明")
def counts_missing(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """Money spent on a 三公 component needs its counts in the explanation."""
    final = three_public_figures(doc).get("final", {})
    text, section = section_text(doc.sections, "三公")
    if not final or section is None:
        return
    for component, (pattern, what) in COUNT_PATTERNS.items():
        item = final.get(component)
        if item and item.amount > 0 and not re.search(pattern, text):
            yield run.emit(
                f"{COMPONENT_NAMES[component]}决算 {fmt(item.amount)} 万元，但说明中未列出{what}",
                table_id="narrative",
                row_key=component,
                page=section.page,
            )


@document_rule("three_public.reasons_missing", Category.THREE_PUBLIC, Severity.LOW, "三公经费增减未说明原因")
def reasons_missing(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    text, section = section_text(doc.sections, "三公")
    if section is None:
        return
    for sentence in re.split(r"[。]", text):
        if re.search(r"(增加|减少|增长|下降)\s*\d", sentence) and not re.search(r"原因|由于|因为|主要是|用于", sentence):
            yield run.emit(
                f"三公经费说明“{sentence.strip()[:40]}”有增减但未说明原因",
                table_id="narrative",
                row_key=re.sub(r"[\d.,\s]+", "", sentence)[:20],
                page=section.page,
            )


_STOCK = re.compile(r"保有量\s*(?:为|共)?\s*(\d+)\s*辆")
_ASSETS = re.compile(r"共有(?:车辆|公务用车)\s*(\d+)\s*辆")


@document_rule("three_public.vehicle_stock", Category.THREE_PUBLIC, Severity.MEDIUM, "公务用车数量前后不一致")
def vehicle_stock(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """The 三公 section's 保有量 should match the 国有资产 section's vehicle count."""
    three, section = section_text(doc.sections, "三公")
    assets, _ = section_text(doc.sections, "国有资产")
    stock, owned = _STOCK.search(three), _ASSETS.search(assets)
    if stock and owned and stock.group(1) != owned.group(1):
        yield run.emit(
            f"三公经费说明称公务用车保有量 {stock.group(1)} 辆，国有资产占用情况称共有车辆 {owned.group(1)} 辆",
            table_id="narrative",
            row_key="vehicle_stock",
            page=section.page if section else None,
            expected=Decimal(owned.group(1)),
            actual=Decimal(stock.group(1)),
        )
