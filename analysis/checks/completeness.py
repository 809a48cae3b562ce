"""Completeness: required tables, empty tables, required narrative sections."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from analysis.findings import Category, Finding, Severity
from analysis.registry import Run, document_rule
from analysis.tables import norm_label
from parsers.model import DocumentKind, ParsedDocument

EMPTY_SUBJECTS = {"gov_fund": "政府性基金", "state_capital": "国有资本经营"}
KIND_KEYS = {DocumentKind.FINAL: "final", DocumentKind.BUDGET: "budget"}


def _publication(doc: ParsedDocument, run: Run) -> list[ParsedDocument]:
    """The document and the other files published with it (``CheckContext.companions``)."""
    return [doc, *run.extra.get("companions", ())]


def province_profile(profiles: dict[str, Any], department: str | None) -> str | None:
    """The profile whose ``match`` prefixes the department's name (江苏省… → jiangsu)."""
    for name, profile in profiles.items():
        if department and any(department.startswith(prefix) for prefix in profile.get("match", [])):
            return name
    return None


def required_tables(run: Run, doc: ParsedDocument) -> dict[str, str]:
    """{table id: name} for the document's kind; the province profile (given in
    the context, else found from the department's name) overrides."""
    assert doc.kind is not None
    key = KIND_KEYS[doc.kind]
    profiles = run.param("profiles", {}) or {}
    name = run.profile or province_profile(profiles, doc.department or run.department)
    profile = profiles.get(name or "", {})
    return dict(profile.get(key) or run.param(key, {}) or {})


@document_rule("completeness.required_tables", Category.COMPLETENESS, Severity.HIGH, "缺少必需的公开表")
def required(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    if doc.kind is None or doc.scanned_pages and not doc.tables:
        return  # unreadable documents are a parse-quality finding, not a missing table
    tables = [t for d in _publication(doc, run) for t in d.tables]
    if tables and not any(t.id for t in tables):
        return  # tables printed but not one identified: the reading failed (a parse-quality note), nothing is "missing"
    present = {t.id for t in tables}
    for table_id, name in required_tables(run, doc).items():
        if table_id not in present:
            yield run.emit(f"未公开《{name}》", table_id=table_id)


@document_rule("completeness.empty_table", Category.COMPLETENESS, Severity.MEDIUM, "空表未说明")
def empty_without_note(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """A table with no data must still be published with an explanation (143号)."""
    narrative = "".join(norm_label(s.text) for s in doc.sections)
    for table in doc.tables:
        if not table.id or not table.empty or (table.empty_note or "").strip():
            continue
        subject = next((k for k in EMPTY_SUBJECTS if k in table.id), None)
        if subject and re.search(f"(无|没有|未)[^。]{{0,20}}{EMPTY_SUBJECTS[subject]}", narrative):
            continue  # explained in the narrative instead of under the table
        yield run.emit(
            f"《{table.title}》为空表，但未说明无数据的原因",
            table_id=table.id,
            page=table.pages[0] if table.pages else None,
        )


@document_rule("completeness.required_sections", Category.COMPLETENESS, Severity.MEDIUM, "缺少必需的说明部分")
def required_sections(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """三公, 机关运行经费, 政府采购, 国有资产 must each be explained."""
    sections = [s for d in _publication(doc, run) for s in d.sections]
    if not sections:
        return  # tables-only files carry no narrative at all: one finding is enough
    text = "".join(norm_label(s.heading) + norm_label(s.text) for s in sections)
    for name, keywords in (run.param("sections", {}) or {}).items():
        if not any(k in text for k in keywords):
            yield run.emit(f"情况说明中缺少“{name}”相关说明", row_key=name)


@document_rule("completeness.narrative_missing", Category.COMPLETENESS, Severity.LOW, "未附情况说明")
def narrative_missing(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    if doc.tables and not any(d.sections for d in _publication(doc, run)):
        yield run.emit("文件只有表格，没有情况说明（可能另行发布）")
