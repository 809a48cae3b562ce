"""Findings in the database: upsert by fingerprint, resolution, SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from analysis import check_document, default_rules
from storage import make_engine, migrate, session_scope
from storage.findings import FindingRow, open_findings, store_findings
from tests.analysis.builders import SOME_3P, consistent_final, three_public_table, with_table

REPO = Path(__file__).resolve().parents[2]
T1, T2, T3 = (datetime(2024, 11, d, tzinfo=UTC) for d in (1, 2, 3))


def _postgres_url() -> str | None:
    url = os.environ.get("BUDGETWATCH_TEST_PG_URL")
    if url:
        return url
    try:
        out = subprocess.run([str(REPO / "scripts" / "pg"), "url"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request, tmp_path):
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'f.db'}")
        migrate(eng)
        yield eng
        eng.dispose()
        return
    url = _postgres_url()
    if not url:
        pytest.skip("PostgreSQL not running (scripts/pg start)")
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    eng = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    migrate(eng)
    yield eng
    eng.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


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
