"""What a set of departments published per year: on time, late or missing.

Publication is a document of (kind, scope, year); lateness and absence are
what the timeliness rules found (``presence.late`` / ``presence.missing``,
still open), so the page says exactly what the alerts said.
"""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from storage.findings import FindingRow
from storage.models import Document
from web.queries.departments import DepartmentEntry

__all__ = ["publication_grid", "KINDS", "SCOPES", "YEARS_SHOWN"]

KINDS = ("预算", "决算")
SCOPES = ("部门", "单位")
YEARS_SHOWN = 6
LATE, MISSING = "presence.late", "presence.missing"


def publication_grid(session: Session, entries: list[DepartmentEntry]) -> tuple[list[int], dict[str, dict]]:
    """(years shown, newest first; key → year → kind → scope → on_time|late|missing)."""
    by_name = {name: e.key for e in entries for name in e.names}
    grid: dict[str, dict] = {e.key: defaultdict(lambda: defaultdict(dict)) for e in entries}
    if by_name:
        rows = session.exec(
            select(Document.department, Document.year, Document.kind, Document.scope)
            .where(col(Document.department).in_(list(by_name)), col(Document.year).is_not(None))
        ).all()
        for name, year, kind, scope in rows:
            grid[by_name[name]][year][kind or "?"][scope or "部门"] = "on_time"
    keys = [e.key for e in entries]
    if keys:
        late = session.exec(
            select(FindingRow.department, FindingRow.year, FindingRow.kind, FindingRow.scope, FindingRow.rule_id)
            .where(col(FindingRow.rule_id).in_([LATE, MISSING]), col(FindingRow.department).in_(keys),
                   col(FindingRow.resolved_at).is_(None))
        ).all()
        for key, year, kind, scope, rule in late:
            if year is not None:
                grid[key][year][kind or "?"][scope or "部门"] = "late" if rule == LATE else "missing"
    years = sorted({y for cells in grid.values() for y in cells}, reverse=True)[:YEARS_SHOWN]
    return years, {k: {y: {kind: dict(s) for kind, s in v.items()} for y, v in cells.items()} for k, cells in grid.items()}
