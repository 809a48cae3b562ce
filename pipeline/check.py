"""The check step: check stored documents and department histories.

``check_database`` reads the current version of every stored document (or
one department's), groups them by department identity and runs the
document and history rules of ``analysis``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from analysis import (
    CheckContext,
    DepartmentHistory,
    DepartmentIdentity,
    DocumentRecord,
    Finding,
    check_document,
    check_history,
)
from parsers.model import DocumentKind, Scope

__all__ = ["check_database", "department_records"]


def department_records(session, identity: DepartmentIdentity, department: str | None):  # noqa: ANN001 - storage types
    """Current parsed versions grouped by department key."""
    from storage import current_versions, load_parsed

    wanted = identity.key(department) if department else None
    grouped: dict[str, list[DocumentRecord]] = defaultdict(list)
    for document, version in current_versions(session):
        parsed = load_parsed(session, version.id) if version.parsed_json else None
        name = document.department or (parsed.department if parsed else None)
        key = identity.key(name)
        if key is None or (wanted and key != wanted):
            continue
        kind = document.kind or (parsed.kind.value if parsed and parsed.kind else None)
        scope = document.scope or (parsed.scope.value if parsed and parsed.scope else None)
        year = document.year or (parsed.year if parsed else None)
        if kind not in ("预算", "决算") or year is None:
            continue
        grouped[key].append(
            DocumentRecord(DocumentKind(kind), year, parsed, version.publish_date, str(document.id), str(version.id),
                           Scope(scope) if scope in ("部门", "单位") else None)
        )
        for part in parsed.parts if parsed else []:  # further documents printed in the same file
            part_key = identity.key(part.department)
            if part_key and part.kind and part.year and (wanted is None or part_key == wanted):
                grouped[part_key].append(
                    DocumentRecord(part.kind, part.year, part, version.publish_date, str(document.id), str(version.id),
                                   part.scope)
                )
    return grouped


def check_database(session, rules, identity: DepartmentIdentity, today: date,  # noqa: ANN001
                   department: str | None = None) -> tuple[list[Finding], list[str]]:
    """Check every current version (of one department) and the histories;
    returns the findings and the department keys that were checked."""
    findings: list[Finding] = []
    everyone = department_records(session, identity, None)
    published = {(key, str(r.kind), r.year) for key, records in everyone.items() for r in records}
    wanted = identity.key(department) if department else None
    grouped = {k: v for k, v in everyone.items() if wanted is None or k == wanted}
    for key, records in grouped.items():
        for record in records:
            if record.document is not None:
                companions = tuple(
                    other.document for other in records
                    if other is not record and other.document is not None
                    and (other.kind, other.year, other.own_scope) == (record.kind, record.year, record.own_scope)
                )
                context = CheckContext(department=key, document_id=record.document_id, version_id=record.version_id,
                                       scope=record.own_scope, companions=companions)
                findings += check_document(record.document, rules, context, identity)
        history = DepartmentHistory(key, tuple(records))
        findings += check_history(history, rules, today, published=published, identity=identity)
    return findings, sorted(grouped)
