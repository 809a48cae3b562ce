"""Findings: filtered, paginated lists and counts.

Status: ``open`` (not resolved), ``resolved``, and ``new`` — first seen by
the latest check. ``store_findings`` stamps every finding a check reports
with the same ``now``, so the latest check is ``max(last_seen)`` and its new
findings are those whose ``first_seen`` equals it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.findings import FindingRow
from web.paging import Paging

__all__ = ["FindingFilter", "list_findings", "severity_counts", "finding_dict", "STATUSES", "SEVERITIES"]

STATUSES = ("open", "new", "resolved")
SEVERITIES = ("high", "medium", "low")


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
    # The region's department keys (from the department index): an indexed IN, not a LIKE scan.
    region_departments: tuple[str, ...] | None = None

    def query_args(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "") and k != "region_departments"}


def latest_check(session: Session):  # noqa: ANN201 - datetime | None
    return session.exec(select(func.max(FindingRow.last_seen))).one()


def _where(session: Session, query, filt: FindingFilter):  # noqa: ANN001, ANN202 - SQL expressions
    for column, value in ((FindingRow.severity, filt.severity), (FindingRow.category, filt.category),
                          (FindingRow.year, filt.year), (FindingRow.department, filt.department),
                          (FindingRow.rule_id, filt.rule), (FindingRow.document_id, filt.document_id)):
        if value not in (None, ""):
            query = query.where(column == value)
    if filt.region_departments is not None:
        query = query.where(col(FindingRow.department).in_(filt.region_departments))
    if filt.status == "resolved":
        query = query.where(col(FindingRow.resolved_at).is_not(None))
    elif filt.status in ("open", "new"):
        query = query.where(col(FindingRow.resolved_at).is_(None))
        if filt.status == "new":
            query = query.where(FindingRow.first_seen == latest_check(session))
    return query


def list_findings(session: Session, filt: FindingFilter, paging: Paging) -> tuple[list[FindingRow], int]:
    """One page of matching findings, most severe first (newest first within a severity), and the number matching.

    One query per severity rather than ``ORDER BY CASE``: each is an index
    walk that stops at the page's end instead of a sort of every match.
    """
    counts = dict(session.exec(_where(session, select(FindingRow.severity, func.count()), filt)
                               .group_by(FindingRow.severity)).all())
    order = [*SEVERITIES, *sorted(set(counts) - set(SEVERITIES))]
    rows: list[FindingRow] = []
    skip, wanted = paging.offset, paging.size
    for severity in order:
        count = counts.get(severity, 0)
        if skip >= count:
            skip -= count
            continue
        query = _where(session, select(FindingRow), filt).where(FindingRow.severity == severity)
        rows += session.exec(query.order_by(col(FindingRow.id).desc()).offset(skip).limit(wanted - len(rows))).all()
        skip = 0
        if len(rows) >= wanted:
            break
    return rows, sum(counts.values())


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
