"""The nightly run in-process (``budgetwatch run``'s path) against the local replica.

Acceptance of issue 8: every disclosure stored and parsed, findings stored,
a run summary per source; a second night is quiet; a run killed while
parsing resumes with no duplicates; unreachable and failing sources are
recorded as failed while the others are processed. SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func
from sqlmodel import Session, col, select

from config import Settings
from demo.site import ReplicaSite
from demo.site_catalog import ZHONGZHAN
from pipeline.nightly import NightlyOptions, run_nightly
from storage import Document, DocumentVersion, make_engine
from storage.findings import FindingRow
from storage.run_models import PipelineEvent, PipelineRun

TODAY = date(2026, 12, 6)


@pytest.fixture(scope="module")
def site() -> Iterator[ReplicaSite]:
    with ReplicaSite() as replica:
        yield replica


def _settings(tmp_path: Path, db_url: str, sources: Path, **extra: object) -> Settings:
    return Settings(home=tmp_path, database_url=db_url, archive_dir=str(tmp_path / "archive"), sources=sources,
                    **extra)


def _counts(db_url: str) -> dict[str, int]:
    engine = make_engine(db_url)
    with Session(engine) as session:
        counts = {
            "documents": session.exec(select(func.count()).select_from(Document)).one(),
            "versions": session.exec(select(func.count()).select_from(DocumentVersion)).one(),
            "pending": session.exec(select(func.count()).select_from(DocumentVersion)
                                    .where(DocumentVersion.parse_status == "pending")).one(),
            "findings": session.exec(select(func.count()).select_from(FindingRow)).one(),
            "open_findings": session.exec(select(func.count()).select_from(FindingRow)
                                          .where(col(FindingRow.resolved_at).is_(None))).one(),
            "runs": session.exec(select(func.count()).select_from(PipelineRun)).one(),
        }
    engine.dispose()
    return counts


def test_first_night_stores_parses_and_checks_everything_and_the_second_is_quiet(
        site: ReplicaSite, tmp_path: Path, db_url: str) -> None:
    settings = _settings(tmp_path, db_url, site.write_sources(tmp_path / "sources.yaml"))
    run_id, first = run_nightly(settings, NightlyOptions(today=TODAY))
    counts = _counts(db_url)
    assert {s.source_id for s in first.sources} == {"replica-zhongzhan", "replica-xinxiang"}
    assert all(s.status == "finished" and s.pages > 0 for s in first.sources)
    assert sum(s.new_documents for s in first.sources) == counts["documents"] >= 10
    assert counts["pending"] == 0, "nothing is left waiting for a parse"
    assert first.parsed + first.parse_failed + first.parse_reused == counts["versions"]
    assert first.findings_new == counts["findings"] > 0
    assert first.departments_checked > 0 and not first.quiet
    assert set(first.step_seconds) == {"crawl", "parse", "check", "alerts"}

    second_id, second = run_nightly(settings, NightlyOptions(today=TODAY))
    assert second_id != run_id
    assert second.quiet, second
    assert (second.parsed, second.parse_failed, second.departments_checked, second.findings_new) == (0, 0, 0, 0)
    assert _counts(db_url) == {**counts, "runs": 2}
    engine = make_engine(db_url)
    with Session(engine) as session:
        stored = session.get(PipelineRun, second_id)
        assert stored.status == "finished" and stored.summary["sources"][0]["pages"] > 0
    engine.dispose()


class _Failing(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(500)
        self.end_headers()
        self.wfile.write(b"Internal Server Error")

    def log_message(self, *args: object) -> None:
        pass


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_source_and_a_failing_one_are_recorded_and_the_others_processed(
        site: ReplicaSite, tmp_path: Path, db_url: str) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        entries = site.source_entries((ZHONGZHAN,))
        template = entries[0]
        for source_id, base in (("down-site", f"http://127.0.0.1:{_closed_port()}"),
                                ("error-site", f"http://127.0.0.1:{server.server_address[1]}")):
            entries.append({**template, "id": source_id, "name": source_id, "start_urls": [f"{base}/list/index.html"],
                            "allowed_hosts": ["127.0.0.1"]})
        sources = tmp_path / "sources.yaml"
        sources.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), encoding="utf-8")
        run_id, summary = run_nightly(_settings(tmp_path, db_url, sources), NightlyOptions(today=TODAY))
    finally:
        server.shutdown()
    by_id = {s.source_id: s for s in summary.sources}
    assert by_id["replica-zhongzhan"].status == "finished" and by_id["replica-zhongzhan"].new_documents > 0
    for source_id in ("down-site", "error-site"):
        assert by_id[source_id].status == "failed" and by_id[source_id].error, by_id[source_id]
    assert "500" in by_id["error-site"].error
    assert summary.parsed > 0
    engine = make_engine(db_url)
    with Session(engine) as session:
        events = session.exec(select(PipelineEvent).where(PipelineEvent.run_id == run_id)).all()
        assert {e.source_id for e in events if e.code == "source_failed"} == {"down-site", "error-site"}
        assert session.get(PipelineRun, run_id).status == "finished"
        withdrawn = session.exec(select(Document).where(col(Document.withdrawn_at).is_not(None))).all()
        assert withdrawn == [], "a site's failure is never a withdrawal"
    engine.dispose()


def _parsed_so_far(db_url: str) -> tuple[int, int]:
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            done = session.exec(select(func.count()).select_from(DocumentVersion)
                                .where(DocumentVersion.parse_status != "pending")).one()
            pending = session.exec(select(func.count()).select_from(DocumentVersion)
                                   .where(DocumentVersion.parse_status == "pending")).one()
        return done, pending
    except Exception:  # noqa: BLE001 - tables not created yet
        return 0, 0
    finally:
        engine.dispose()


def test_a_run_killed_while_parsing_resumes_with_no_duplicates(site: ReplicaSite, tmp_path: Path, db_url: str) -> None:
    sources = site.write_sources(tmp_path / "sources.yaml", (ZHONGZHAN,))
    env = {**os.environ, "BUDGETWATCH_HOME": str(tmp_path), "BUDGETWATCH_DATABASE_URL": db_url,
           "BUDGETWATCH_SOURCES": str(sources), "BUDGETWATCH_PARSE_WORKERS": "1"}
    command = [sys.executable, "-m", "budgetwatch", "run", "--today", TODAY.isoformat()]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        done, pending = _parsed_so_far(db_url)
        if done >= 1 and pending >= 1:
            break
        time.sleep(0.2)
    assert process.poll() is None, "the run ended before it could be killed mid-parse"
    os.killpg(process.pid, signal.SIGKILL)  # the run and its parse children
    process.wait()
    killed = _counts(db_url)
    assert killed["pending"] >= 1

    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    after = _counts(db_url)
    assert after["pending"] == 0 and after["documents"] == killed["documents"]
    assert after["versions"] == killed["versions"]
    engine = make_engine(db_url)
    with Session(engine) as session:
        runs = session.exec(select(PipelineRun).order_by(col(PipelineRun.id))).all()
        assert [r.status for r in runs] == ["failed", "finished"], "the killed run is closed, not left running"
        urls = session.exec(select(Document.url)).all()
        assert len(urls) == len(set(urls))
        fingerprints = session.exec(select(FindingRow.fingerprint)).all()
        assert len(fingerprints) == len(set(fingerprints)) and fingerprints
    engine.dispose()

    # The same archive checked from scratch finds exactly the same problems.
    fresh = _settings(tmp_path / "fresh", f"sqlite:///{tmp_path / 'fresh.db'}", sources)
    _, clean = run_nightly(fresh, NightlyOptions(today=TODAY))
    assert _counts(f"sqlite:///{tmp_path / 'fresh.db'}")["findings"] == after["findings"]
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert "平静的一夜" in again.stdout, again.stdout
    assert _counts(db_url)["findings"] == after["findings"]


def test_sources_sharing_a_host_are_crawled_together_and_others_apart() -> None:
    from crawler.sources import parse_sources
    from pipeline.nightly import host_groups

    def entry(source_id: str, url: str) -> dict[str, object]:
        return {"id": source_id, "name": source_id, "region": "县", "start_urls": [url], "enabled": True}

    sources = parse_sources({"sources": [
        entry("a", "http://one.gov.cn/list/"), entry("b", "http://two.gov.cn/col/"),
        entry("c", "http://one.gov.cn/other/"), entry("d", "http://three.gov.cn/")]})
    assert host_groups(sources) == [("a", "c"), ("b",), ("d",)]
