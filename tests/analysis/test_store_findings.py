"""Findings in the database: upsert by fingerprint, resolution, SQLite and
PostgreSQL (the shared ``engine`` fixture of tests/fixtures_db.py runs each
test on both)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from analysis import check_document, default_rules
from storage import session_scope
from storage.findings import FindingRow, open_findings, store_findings
from tests.analysis.builders import SOME_3P, consistent_final, three_public_table, with_table

T1, T2, T3 = (datetime(2024, 11, d, tzinfo=UTC) for d in (1, 2, 3))


def _broken():
    over = {**SOME_3P, "total": "14.50"}
    return check_document(with_table(consistent_final(), three_public_table(SOME_3P, over)), default_rules())


def _rows(engine):
    with session_scope(engine) as session:
        return list(session.exec(select(FindingRow).order_by(FindingRow.fingerprint)).all())


def test_recheck_of_unchanged_input_adds_no_duplicates(engine):
    findings = _broken()
    assert findings, "the broken document must produce findings"
    with session_scope(engine) as session:
        first = store_findings(session, findings, T1)
    with session_scope(engine) as session:
        again = store_findings(session, _broken(), T2)
    rows = _rows(engine)
    assert (first.new, again.new, again.seen_again, again.resolved) == (len(findings), 0, len(findings), 0)
    assert sorted(r.fingerprint for r in rows) == sorted(f.fingerprint for f in findings)
    assert all(r.first_seen == T1 and r.last_seen == T2 for r in rows)
    by_fp = {f.fingerprint: f for f in findings}
    assert all(r.expected == by_fp[r.fingerprint].expected and r.actual == by_fp[r.fingerprint].actual for r in rows)


def test_finding_no_longer_reported_is_resolved_and_reopens(engine):
    with session_scope(engine) as session:
        store_findings(session, _broken(), T1)
    with session_scope(engine) as session:
        result = store_findings(session, [], T2, departments=["焦作市测试局"])
        assert open_findings(session) == []
    assert result.resolved == len(_broken())
    with session_scope(engine) as session:
        store_findings(session, _broken(), T3)
        assert len(open_findings(session, severity="high")) >= 1


def test_resolution_is_limited_to_the_checked_departments(engine):
    with session_scope(engine) as session:
        store_findings(session, _broken(), T1)
        store_findings(session, [], T2, departments=["另一个部门"])
        assert len(open_findings(session)) == len(_broken())


def test_stored_findings_equal_the_checked_ones_on_each_backend(engine):
    """Acceptance 5: each backend returns exactly the in-memory findings, so
    both hold the same findings with the same fingerprints and values."""
    from datetime import date

    from analysis import DepartmentHistory, DocumentRecord, check_history
    from parsers.model import DocumentKind
    from tests.analysis.builders import section

    cur = with_table(consistent_final(2023), three_public_table(SOME_3P, {**SOME_3P, "reception": "4.28", "total": "16.50"}))
    cur.sections.append(section("六、项目支出说明", "行政运行(项)支出 543.97 万元，比上年决算增加 10.00 万元。"))
    history = DepartmentHistory("焦作市测试局", (
        DocumentRecord(DocumentKind.FINAL, 2022, consistent_final(2022)), DocumentRecord(DocumentKind.FINAL, 2023, cur)))
    findings = check_document(cur, default_rules()) + check_history(history, default_rules(), date(2024, 12, 1))
    assert {"yoy.restated", "three_public.yoy", "three_public.final_over_budget"} <= {f.rule_id for f in findings}
    with session_scope(engine) as session:
        store_findings(session, findings, T1)
    stored = {(r.fingerprint, r.rule_id, r.expected, r.actual, r.message) for r in _rows(engine)}
    assert stored == {(f.fingerprint, f.rule_id, f.expected, f.actual, f.message) for f in findings}


def _department_and_unit():
    """The same broken 三公 table in a body's 部门 and 单位 documents of one year."""
    from dataclasses import replace

    from parsers.model import Scope

    department = _broken()
    unit_doc = with_table(consistent_final(), three_public_table(SOME_3P, {**SOME_3P, "total": "14.50"}))
    unit = check_document(replace(unit_doc, scope=Scope.UNIT), default_rules())
    return department, unit


def test_department_and_unit_findings_are_stored_apart_and_recheck_is_idempotent(engine):
    department, unit = _department_and_unit()
    assert {f.scope for f in department} == {"部门"} and {f.scope for f in unit} == {"单位"}
    same = {(f.rule_id, f.table_id, f.row_key, f.column_key) for f in department}
    assert same == {(f.rule_id, f.table_id, f.row_key, f.column_key) for f in unit}
    assert not {f.fingerprint for f in department} & {f.fingerprint for f in unit}
    with session_scope(engine) as session:
        first = store_findings(session, department + unit, T1)
    with session_scope(engine) as session:
        again = store_findings(session, department + unit, T2)
    rows = _rows(engine)
    assert (first.new, again.new, again.seen_again, again.resolved) == (2 * len(unit), 0, 2 * len(unit), 0)
    assert sorted((r.fingerprint, r.scope) for r in rows) == sorted((f.fingerprint, f.scope) for f in department + unit)


def test_department_fingerprints_are_the_ones_stored_before_scope():
    """部门 adds nothing to the fingerprint, so rows stored before scope was
    recorded keep their identity."""
    from analysis import fingerprint

    for finding in _broken():
        where = (finding.rule_id, finding.department, finding.kind, finding.year, finding.table_id,
                 finding.row_key, finding.column_key)
        assert finding.fingerprint == fingerprint(*where) != fingerprint(*where, scope="单位")


def test_migration_gives_unit_rows_their_own_fingerprint(db_url):
    """Rows stored under 0003 (one fingerprint for 部门 and 单位): after 0004
    the row whose document is a 单位 document carries the 单位 fingerprint,
    so the next check sees both rows again and adds only the missing half."""
    import sqlalchemy as sa

    from analysis import fingerprint
    from storage import make_engine, migrate
    from storage.columns import UTCDateTime

    department, unit = _department_and_unit()
    engine = make_engine(db_url)
    try:
        migrate(engine, "0003_findings")
        def seen():
            return sa.column("first_seen", UTCDateTime()), sa.column("last_seen", UTCDateTime())

        texts = ("fingerprint", "rule_id", "category", "severity", "department", "document_id", "kind", "year",
                 "table_id", "row_key", "column_key", "message")
        document = sa.table("document", sa.column("id"), sa.column("scope"), *seen())
        finding_0003 = sa.table("finding", *(sa.column(c) for c in texts), *seen())
        stored = [(department[0], "1"), (unit[1], "2")]
        with engine.begin() as conn:
            conn.execute(document.insert(), [{"id": 1, "scope": "部门", "first_seen": T1, "last_seen": T1},
                                             {"id": 2, "scope": "单位", "first_seen": T1, "last_seen": T1}])
            for finding, document_id in stored:
                old = fingerprint(finding.rule_id, finding.department, finding.kind, finding.year,
                                  finding.table_id, finding.row_key, finding.column_key)
                values = {c: getattr(finding, c, None) for c in texts}
                values.update(fingerprint=old, document_id=document_id, category=str(finding.category),
                              severity=str(finding.severity), first_seen=T1, last_seen=T1)
                conn.execute(finding_0003.insert().values(**values))
        migrate(engine)
        rows = _rows(engine)
        assert sorted((r.fingerprint, r.scope, r.first_seen) for r in rows) == sorted(
            (f.fingerprint, f.scope, T1) for f, _ in stored)
        with session_scope(engine) as session:
            result = store_findings(session, department + unit, T2)
        assert (result.new, result.seen_again, result.resolved) == (len(department) + len(unit) - 2, 2, 0)
    finally:
        engine.dispose()
