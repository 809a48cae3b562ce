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
