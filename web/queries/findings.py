"""Findings: filtered, paginated lists and counts.

Status: ``open`` (not resolved), ``resolved``, and ``new`` — first seen by
the latest check. ``store_findings`` stamps every finding a check reports
with the same ``now``, so the latest check is ``max(last_seen)`` and its new
findings are those whose ``first_seen`` equals it.

Counts (per severity, of a filter) are kept in a ``CountCache`` until the
findings change: counting 70,000 open findings walks 70,000 index entries,
on every request, for figures that change once a night (Datasette caches
or estimates its counts for the same reason).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from cachetools import TTLCache
from sqlalchemy import case, func
from sqlmodel import Session, col, select

from storage.findings import FindingRow
from web.paging import Paging

__all__ = ["FindingFilter", "CountCache", "list_findings", "severity_counts", "finding_dict", "STATUSES", "SEVERITIES",
           "COUNTS_TTL_S"]

STATUSES = ("open", "new", "resolved")
SEVERITIES = ("high", "medium", "low")
COUNTS_TTL_S = 60.0  # a check that only resolves findings shows in the counts after this long at most
COUNTS_KEPT = 512
SORT_AT_MOST = 5000  # matches sorted in one query; more are walked per severity


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


class CountCache:
    """Counts by key, valid while the findings' stamp (highest id, latest check) is unchanged and for ``ttl`` s.

    The stamp is two index lookups (``ix_finding_last_seen``, the primary
    key), so a check that adds or re-reports findings is seen at once.
    """

    def __init__(self, ttl: float = COUNTS_TTL_S, size: int = COUNTS_KEPT) -> None:
        self._cache: TTLCache = TTLCache(size, ttl)
        self._lock = threading.Lock()

    def get(self, session: Session, key: Hashable, compute: Callable[[], dict[str, int]]) -> dict[str, int]:
        # One scalar subquery per max(): SQLite answers a lone max() from its index, not two in one SELECT.
        stamp = tuple(session.exec(select(select(func.max(FindingRow.id)).scalar_subquery(),
                                          select(func.max(FindingRow.last_seen)).scalar_subquery())).one())
        with self._lock:
            found = self._cache.get((key, stamp))
        if found is None:
            found = compute()
            with self._lock:
                self._cache[(key, stamp)] = found
        return found


def latest_check(session: Session) -> datetime | None:
    return session.exec(select(func.max(FindingRow.last_seen))).one()


def _where(session: Session, query, filt: FindingFilter, latest: datetime | None = None):  # noqa: ANN001, ANN202
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
            query = query.where(FindingRow.first_seen == (latest or latest_check(session)))
    return query


def list_findings(session: Session, filt: FindingFilter, paging: Paging, counts: CountCache | None = None
                  ) -> tuple[list[FindingRow], int]:
    """One page of matching findings, most severe first (newest first within a severity), and the number matching.

    Up to ``SORT_AT_MOST`` matches, one query sorting them (found through
    the filter's own index). More, one query per severity rather than
    ``ORDER BY CASE``: each an index walk that stops at the page's end
    instead of a sort of every match. (SQLite, without statistics, would
    walk a severity's whole index for a selective filter too.)
    """
    latest = latest_check(session) if filt.status == "new" else None

    def count() -> dict[str, int]:
        query = _where(session, select(FindingRow.severity, func.count()), filt, latest)
        return dict(session.exec(query.group_by(FindingRow.severity)).all())

    found = counts.get(session, ("list", filt), count) if counts else count()
    order = [*SEVERITIES, *sorted(set(found) - set(SEVERITIES))]
    if sum(found.values()) <= SORT_AT_MOST:
        rank = case({s: n for n, s in enumerate(order)}, value=FindingRow.severity, else_=len(order))
        query = _where(session, select(FindingRow), filt, latest).order_by(rank, col(FindingRow.id).desc())
        return list(session.exec(query.offset(paging.offset).limit(paging.size)).all()), sum(found.values())
    rows: list[FindingRow] = []
    skip, wanted = paging.offset, paging.size
    for severity in order:
        matching = found.get(severity, 0)
        if skip >= matching:
            skip -= matching
            continue
        query = _where(session, select(FindingRow), filt, latest).where(FindingRow.severity == severity)
        rows += session.exec(query.order_by(col(FindingRow.id).desc()).offset(skip).limit(wanted - len(rows))).all()
        skip = 0
        if len(rows) >= wanted:
            break
    return rows, sum(found.values())


def severity_counts(session: Session, counts: CountCache | None = None) -> dict[str, int]:
    """Open findings per severity, parse-quality notes left out (they are not the department's)."""

    def count() -> dict[str, int]:
        rows = session.exec(
            select(FindingRow.severity, func.count())
            .where(col(FindingRow.resolved_at).is_(None), FindingRow.category != "parse_quality")
            .group_by(FindingRow.severity)
        ).all()
        return dict(rows)

    found = counts.get(session, "severity", count) if counts else count()
    return {s: found.get(s, 0) for s in SEVERITIES}


def finding_dict(row: FindingRow) -> dict[str, Any]:
    return row.model_dump()
