"""Presence and timeliness: expected documents and units, publication deadlines."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date, timedelta

from analysis.context import DepartmentHistory
from analysis.findings import Category, Finding, Severity
from analysis.identity import DepartmentIdentity
from analysis.registry import Run, history_rule
from analysis.units import stated_units
from parsers.model import DocumentKind, Scope


def deadline(run: Run, kind: DocumentKind, year: int) -> date:
    """Budgets for year N are due in N, finals for N in N+1 (month-day from the rule file)."""
    key = "budget_deadline" if kind == DocumentKind.BUDGET else "final_deadline"
    month, day = (int(p) for p in str(run.param(key, "03-31" if kind == DocumentKind.BUDGET else "10-31")).split("-"))
    return date(year if kind == DocumentKind.BUDGET else year + 1, month, day)


@history_rule("presence.missing", Category.TIMELINESS, Severity.HIGH, "应公开而未公开")
def missing(history: DepartmentHistory, run: Run) -> Iterator[Finding]:
    """From the years a department published before, the documents now due."""
    today = run.today or date.min
    back = int(run.param("max_years_back", 3))
    for kind in (DocumentKind.BUDGET, DocumentKind.FINAL):
        years = history.years(kind)
        if not years:
            continue
        due = [y for y in range(years[0] + 1, today.year + 1) if deadline(run, kind, y) < today]
        for year in due[-back:]:
            if year not in years:
                yield run.emit(
                    f"{year}年度部门{kind}应于 {deadline(run, kind, year).isoformat()} 前公开，至今未见（此前已公开 {years[-1]} 年度）",
                    kind=str(kind),
                    year=year,
                    document_id=None,
                    version_id=None,
                )


@history_rule("presence.late", Category.TIMELINESS, Severity.MEDIUM, "公开超过期限")
def late(history: DepartmentHistory, run: Run) -> Iterator[Finding]:
    grace = timedelta(days=int(run.param("grace_days", 0)))
    for record in history.records:
        if record.published is None:
            continue
        due = deadline(run, record.kind, record.year)
        if record.published > due + grace:
            days = (record.published - due).days
            yield run.emit(
                f"{record.year}年度部门{record.kind}于 {record.published.isoformat()} 公开，晚于期限 {due.isoformat()} {days} 天",
                **record.where(),
            )


@history_rule("presence.unit_missing", Category.COMPLETENESS, Severity.MEDIUM, "所属单位未公开")
def unit_missing(history: DepartmentHistory, run: Run) -> Iterator[Finding]:
    """A 单位 document published in earlier years and not now; a unit the
    部门 document lists (单位构成) with no document of its own."""
    today = run.today or date.min
    back = int(run.param("max_years_back", 3))
    for kind in (DocumentKind.BUDGET, DocumentKind.FINAL):
        years = history.years(kind, Scope.UNIT)
        due = [y for y in range(years[0] + 1, today.year + 1) if deadline(run, kind, y) < today] if years else []
        for year in due[-back:]:
            if year not in years:
                yield run.emit(
                    f"此前已公开 {years[-1]} 年度单位{kind}，{year} 年度单位{kind}至今未见",
                    kind=str(kind), year=year, document_id=None, version_id=None, scope=str(Scope.UNIT),
                )
    published = run.extra.get("published")
    if published is None:
        return  # without the catalogue of all bodies' documents, listed units cannot be looked up
    identity: DepartmentIdentity = run.extra.get("identity") or DepartmentIdentity()
    own = identity.key(history.department)
    for record in history.records:
        if record.document is None or record.own_scope != Scope.DEPARTMENT or deadline(run, record.kind, record.year) >= today:
            continue
        for name in stated_units(record.document):
            key = identity.key(name)
            if key in (own, f"{own}机关") or _published(published, key, str(record.kind), record.year):
                continue
            yield run.emit(
                f"{record.year}年度部门{record.kind}列明所属单位“{name}”，但未见该单位的{record.year}年度单位{record.kind}",
                row_key=key, **record.where(),
            )


def _published(published: Collection[tuple[str, str, int]], key: str, kind: str, year: int) -> bool:
    """True when a body whose key equals ``key`` or differs by a region
    prefix (江苏省徐州… / 徐州…) published ``kind`` for ``year``."""
    return any(k == kind and y == year and (b == key or b.endswith(key) or key.endswith(b)) for b, k, y in published)
