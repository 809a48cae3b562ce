"""The check step: check stored documents and department histories.

``check_database`` reads the current version of every stored document (or
one department's), groups them by department identity and runs the
document and history rules of ``analysis``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from analysis import (
    CheckContext,
    DepartmentHistory,
    DepartmentIdentity,
    DocumentRecord,
    Finding,
    check_document,
    check_history,
)
from analysis.rules import RuleSet
from parsers.model import DocumentKind, Scope
from storage import Document, DocumentVersion, load_parsed, session_scope
from storage.check_state import CheckState
from storage.columns import utcnow
from storage.findings import store_findings

__all__ = ["CheckReport", "check_changed", "configured_rules", "check_database", "department_records", "checker_version"]

_ANALYSIS_DIR = Path(__file__).resolve().parent.parent / "analysis"


def department_records(session: Session, identity: DepartmentIdentity,
                       departments: Collection[str] | None = None) -> dict[str, list[DocumentRecord]]:
    """Current parsed versions grouped by department key (only ``departments``' keys when given).

    A document's department comes from its row (filled from its parse), so
    only the chosen departments' parses are loaded.
    """
    grouped: dict[str, list[DocumentRecord]] = defaultdict(list)
    rows = session.exec(
        select(Document, DocumentVersion.id, DocumentVersion.publish_date, DocumentVersion.parse_status)
        .join(DocumentVersion, col(DocumentVersion.id) == col(Document.current_version_id))
        .where(col(Document.withdrawn_at).is_(None)).order_by(col(Document.id))
    ).all()
    for document, version_id, publish_date, status in rows:  # parses (large JSON) only of the chosen departments
        key = identity.key(document.department)
        if key is None or (departments is not None and key not in departments):
            continue
        parsed = load_parsed(session, version_id) if status in ("ok", "warning") else None
        kind = document.kind or (parsed.kind.value if parsed and parsed.kind else None)
        scope = document.scope or (parsed.scope.value if parsed and parsed.scope else None)
        year = document.year or (parsed.year if parsed else None)
        if kind not in ("预算", "决算") or year is None:
            continue
        grouped[key].append(
            DocumentRecord(DocumentKind(kind), year, parsed, publish_date, str(document.id), str(version_id),
                           Scope(scope) if scope in ("部门", "单位") else None)
        )
        for part in parsed.parts if parsed else []:  # further documents printed in the same file
            part_key = identity.key(part.department)
            if part_key and part.kind and part.year and (departments is None or part_key in departments):
                grouped[part_key].append(
                    DocumentRecord(part.kind, part.year, part, publish_date, str(document.id), str(version_id),
                                   part.scope)
                )
    return grouped


def published_documents(session: Session, identity: DepartmentIdentity) -> set[tuple[str, str, int]]:
    """(department key, kind, year) of every current document, from document rows alone."""
    rows = session.exec(
        select(Document.department, Document.kind, Document.year).where(
            col(Document.withdrawn_at).is_(None), col(Document.current_version_id).is_not(None))
    ).all()
    published = set()
    for department, kind, year in rows:
        key = identity.key(department)
        if key and kind in ("预算", "决算") and year is not None:
            published.add((key, kind, year))
    return published


def check_database(session: Session, rules: RuleSet, identity: DepartmentIdentity, today: date,
                   department: str | None = None, *,
                   departments: Collection[str] | None = None) -> tuple[list[Finding], list[str]]:
    """Check the current versions and histories of every department, of one
    (``department``, a printed name) or of several (``departments``, keys);
    returns the findings and the department keys that were checked."""
    if department is not None:
        departments = {identity.key(department) or department}
    findings: list[Finding] = []
    grouped = department_records(session, identity, departments)
    published = published_documents(session, identity)
    published |= {(key, str(r.kind), r.year) for key, records in grouped.items() for r in records}
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


def configured_rules(rules_file: Path | None) -> RuleSet:
    """The rule file of the settings, or the packaged one."""
    from analysis import RULES, load_rules

    return load_rules(rules_file, known=set(RULES)) if rules_file else load_rules(known=set(RULES))


@dataclass(frozen=True)
class CheckReport:
    departments_checked: int
    findings_new: int
    findings_seen_again: int
    findings_resolved: int


def department_inputs(session: Session, identity: DepartmentIdentity) -> dict[str, str]:
    """A digest per department key of what its check reads: its documents'
    current versions, their parses (parser version, status) and withdrawals."""
    rows = session.exec(
        select(Document.id, Document.department, Document.current_version_id, Document.withdrawn_at,
               DocumentVersion.parser_version, DocumentVersion.parse_status, DocumentVersion.parsed_at)
        .join(DocumentVersion, col(DocumentVersion.id) == col(Document.current_version_id))
        .order_by(col(Document.id))
    ).all()
    parts: dict[str, list[str]] = defaultdict(list)
    for doc_id, department, version_id, withdrawn, parser, status, parsed_at in rows:
        key = identity.key(department)
        if key is not None:
            parts[key].append(f"{doc_id}:{version_id}:{withdrawn is not None}:{parser}:{status}:{parsed_at}")
    return {key: hashlib.sha256("|".join(values).encode()).hexdigest() for key, values in parts.items()}


def checker_version(rules: RuleSet, today: date) -> str:
    """What, besides a department's documents, decides its findings: the
    rules, the checking code, and which publication deadlines have passed.

    Deadlines are the rules' ``*_deadline`` month-days (plus ``grace_days``):
    the key changes only on the days a deadline passes, so on other nights an
    unchanged department is not checked again.
    """
    digest = hashlib.sha256(repr(sorted((k, repr(v)) for k, v in rules.rules.items())).encode())
    digest.update(repr(sorted(rules.defaults.items())).encode())
    for path in sorted(_ANALYSIS_DIR.rglob("*.py")):
        digest.update(path.read_bytes())
    passed: list[date] = []
    for config in rules.rules.values():
        grace = timedelta(days=int(config.params.get("grace_days", 0) or 0))
        for name, value in config.params.items():
            if name.endswith("_deadline"):
                month, day = (int(p) for p in str(value).split("-"))
                for year in (today.year - 1, today.year):
                    due = date(year, month, day) + grace
                    if due < today:
                        passed.append(due)
    digest.update(str(max(passed, default=date.min)).encode())
    return digest.hexdigest()


def check_changed(engine: Engine, rules: RuleSet, identity: DepartmentIdentity, today: date, *,
                  everything: bool = False, now: datetime | None = None) -> CheckReport:
    """Check the departments whose inputs changed since their last check (all with ``everything``).

    A department's last-checked digest is stored with its findings in one
    transaction, so a run killed mid-check checks the rest next time, and a
    quiet night reads no parse at all.
    """
    now = now or utcnow()
    version = checker_version(rules, today)
    with session_scope(engine) as session:
        inputs = {key: hashlib.sha256(f"{digest}:{version}".encode()).hexdigest()
                  for key, digest in department_inputs(session, identity).items()}
        known = {row.department: row.digest for row in session.exec(select(CheckState)).all()}
        stale = sorted(key for key, digest in inputs.items() if everything or known.get(key) != digest)
        gone = sorted(set(known) - set(inputs))  # departments no longer in the archive: resolve their findings
        if not stale and not gone:
            return CheckReport(0, 0, 0, 0)
        findings, checked = check_database(session, rules, identity, today, departments=set(stale))
        result = store_findings(session, findings, now, departments=[*stale, *gone])
        for key in stale:
            state = session.get(CheckState, key) or CheckState(department=key, digest="", checked_at=now)
            state.digest, state.checked_at = inputs[key], now
            session.add(state)
        for key in gone:
            session.delete(session.get(CheckState, key))
    return CheckReport(len(stale), result.new, result.seen_again, result.resolved)
