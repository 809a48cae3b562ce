"""Findings: filtered, paginated lists and counts.

Status: ``open`` (not resolved), ``resolved``, and ``new`` — first seen by
the latest check. ``store_findings`` stamps every finding a check reports
with the same ``now``, so the latest check is ``max(last_seen)`` and its new
findings are those whose ``first_seen`` equals it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from storage.findings import FindingRow
from web.paging import Paging

__all__ = ["FindingFilter", "list_findings", "severity_counts", "finding_dict", "STATUSES", "SEVERITIES"]

STATUSES = ("open", "new", "resolved")
SEVERITIES = ("high", "medium", "low")
_SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class FindingFilter:
    severity: str | None = None
    category: str | None = None
    region: str | None = None
    year: int | None = None
    department: str | None = None
    rule: str | None = None
    status: str | None = "open"
    document_id: str | None = None

    def query_args(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


def latest_check(session: Session):  # noqa: ANN201 - datetime | None
    return session.exec(select(func.max(FindingRow.last_seen))).one()


def _where(session: Session, query, filt: FindingFilter):  # noqa: ANN001, ANN202 - SQL expressions
    for column, value in ((FindingRow.severity, filt.severity), (FindingRow.category, filt.category),
                          (FindingRow.year, filt.year), (FindingRow.department, filt.department),
                          (FindingRow.rule_id, filt.rule), (FindingRow.document_id, filt.document_id)):
        if value not in (None, ""):
            query = query.where(column == value)
    if filt.region:
        # Department keys start with their region (analysis.identity.split_region).
        escaped = filt.region.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(col(FindingRow.department).like(escaped + "%", escape="\\"))
    if filt.status == "resolved":
        query = query.where(col(FindingRow.resolved_at).is_not(None))
    elif filt.status in ("open", "new"):
        query = query.where(col(FindingRow.resolved_at).is_(None))
        if filt.status == "new":
            query = query.where(FindingRow.first_seen == latest_check(session))
    return query


def list_findings(session: Session, filt: FindingFilter, paging: Paging) -> tuple[list[FindingRow], int]:
    """One page of matching findings, most severe first, and the number matching."""
    total = session.exec(_where(session, select(func.count()).select_from(FindingRow), filt)).one()
    rank = case(_SEVERITY_RANK, value=FindingRow.severity, else_=len(_SEVERITY_RANK))
    query = _where(session, select(FindingRow), filt).order_by(rank, col(FindingRow.id).desc())
    return list(session.exec(query.offset(paging.offset).limit(paging.size)).all()), total


def severity_counts(session: Session) -> dict[str, int]:
    """Open findings per severity, parse-quality notes left out (they are not the department's)."""
    rows = session.exec(
        select(FindingRow.severity, func.count())
        .where(col(FindingRow.resolved_at).is_(None), FindingRow.category != "parse_quality")
        .group_by(FindingRow.severity)
    ).all()
    found = dict(rows)
    return {s: found.get(s, 0) for s in SEVERITIES}


def finding_dict(row: FindingRow) -> dict[str, Any]:
    return row.model_dump()
