"""Stored findings (revisions ``0003_findings``, ``0004_findings_scope``):
one row per fingerprint.

``store_findings`` upserts: a finding seen again keeps its row and
``first_seen`` (its evidence is refreshed), a new one is inserted, and an
open finding of the checked scope that is no longer reported gets
``resolved_at``. Re-checking unchanged inputs therefore changes nothing but
``last_seen``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, Text
from sqlmodel import Field, Session, SQLModel, col, select

from analysis.findings import Finding
from storage.columns import JSONType, Money, UTCDateTime

__all__ = ["FindingRow", "StoreResult", "store_findings", "open_findings"]


class FindingRow(SQLModel, table=True):
    __tablename__ = "finding"
    # 0009_web_indexes: open findings counted by severity from the index alone (archive browser).
    # 0010_web_search: the latest check (max last_seen) and its new findings (first_seen) by index;
    # a department's or region's open findings of one severity in id order (no statistics needed).
    __table_args__ = (Index("ix_finding_severity_open", "severity", "category", "resolved_at"),
                      Index("ix_finding_last_seen", "last_seen"), Index("ix_finding_first_seen", "first_seen"),
                      Index("ix_finding_department_open", "department", "severity", "resolved_at"))

    id: int | None = Field(default=None, primary_key=True)
    fingerprint: str = Field(unique=True, max_length=64)
    rule_id: str = Field(index=True)
    category: str = Field(index=True)
    severity: str = Field(index=True)
    department: str | None = Field(default=None, index=True)
    scope: str = Field(default="部门", sa_column_kwargs={"server_default": "部门"})
    document_id: str | None = None
    version_id: str | None = None
    kind: str | None = None
    year: int | None = Field(default=None, index=True)
    table_id: str | None = None
    row_key: str | None = Field(default=None, sa_type=Text)
    column_key: str | None = None
    page: int | None = None
    expected: Decimal | None = Field(default=None, sa_type=Money)
    actual: Decimal | None = Field(default=None, sa_type=Money)
    message: str = Field(sa_type=Text)
    first_seen: datetime = Field(sa_type=UTCDateTime)
    last_seen: datetime = Field(sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # 0010_web_search: the figures compared, [[page, row, column, "amount"], …] (``Finding.cells``).
    cells: list | None = Field(default=None, sa_type=JSONType)


@dataclass(frozen=True)
class StoreResult:
    new: int
    seen_again: int
    resolved: int


_EVIDENCE = (
    "rule_id", "category", "severity", "department", "scope", "document_id", "version_id", "kind", "year",
    "table_id", "row_key", "column_key", "page", "expected", "actual", "message",
)


def _fields(finding: Finding) -> dict[str, object]:
    values = {name: getattr(finding, name) for name in _EVIDENCE}
    values["category"], values["severity"] = str(finding.category), str(finding.severity)
    values["cells"] = [[c.page, c.row, c.column, str(c.amount)] for c in finding.cells] or None
    return values


def store_findings(
    session: Session,
    findings: Iterable[Finding],
    now: datetime,
    *,
    departments: Iterable[str | None] | None = None,
) -> StoreResult:
    """Upsert ``findings``; resolve open findings of ``departments`` (all when
    ``None``) that were not reported this time. ``now`` must be aware UTC."""
    current = {f.fingerprint: f for f in findings}
    existing = {
        row.fingerprint: row
        for row in session.exec(select(FindingRow).where(col(FindingRow.fingerprint).in_(list(current)))).all()
    } if current else {}
    new = seen = 0
    for key, finding in current.items():
        row = existing.get(key)
        if row is None:
            session.add(FindingRow(fingerprint=key, first_seen=now, last_seen=now, **_fields(finding)))
            new += 1
            continue
        for name, value in _fields(finding).items():
            setattr(row, name, value)
        row.last_seen, row.resolved_at = now, None
        seen += 1
    query = select(FindingRow).where(col(FindingRow.resolved_at).is_(None))
    if departments is not None:
        query = query.where(col(FindingRow.department).in_([d for d in departments if d is not None]))
    resolved = 0
    for row in session.exec(query).all():
        if row.fingerprint not in current:
            row.resolved_at = now
            resolved += 1
    session.flush()
    return StoreResult(new, seen, resolved)


def open_findings(
    session: Session,
    *,
    severity: str | None = None,
    category: str | None = None,
    department: str | None = None,
) -> list[FindingRow]:
    """Unresolved findings, most severe first."""
    query = select(FindingRow).where(col(FindingRow.resolved_at).is_(None))
    for column, value in ((FindingRow.severity, severity), (FindingRow.category, category),
                          (FindingRow.department, department)):
        if value is not None:
            query = query.where(column == value)
    order = {"high": 0, "medium": 1, "low": 2}
    rows = list(session.exec(query).all())
    return sorted(rows, key=lambda r: (order.get(r.severity, 3), r.department or "", r.year or 0, r.rule_id, r.id or 0))
