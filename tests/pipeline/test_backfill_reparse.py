"""Backfill from a folder and from URLs; reparse after a parser upgrade. SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlmodel import Session, select

from config import Settings
from parsers.version import parser_version
from pipeline.backfill import backfill
from pipeline.reparse import reparse_archive
from storage import Document, DocumentVersion, make_engine
from storage.run_models import PipelineEvent, PipelineRun

TODAY = date(2026, 12, 6)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _versions(db_url: str) -> list[DocumentVersion]:
    engine = make_engine(db_url)
    with Session(engine) as session:
        rows = list(session.exec(select(DocumentVersion)).all())
    engine.dispose()
    return rows


def test_backfill_of_a_folder_and_urls_then_reparse_after_an_upgrade(
        tmp_path: Path, db_url: str, rendered_seeds) -> None:  # noqa: ANN001
    folder, served = tmp_path / "folder", tmp_path / "served"
    folder.mkdir()
    served.mkdir()
    first, _ = rendered_seeds[("000", "ruled_portrait")]
    second, _ = rendered_seeds[("002", "ruled_portrait")]
    (folder / "a.pdf").write_bytes(first.read_bytes())
    (served / "b.pdf").write_bytes(second.read_bytes())
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(served)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings = Settings(home=tmp_path / "home", database_url=db_url)
    try:
        run_id, summary = backfill(settings, paths=[folder], urls=[f"{base}/b.pdf", f"{base}/missing.pdf"], today=TODAY)
        again_id, again = backfill(settings, paths=[folder], urls=[f"{base}/b.pdf"], today=TODAY)
    finally:
        server.shutdown()
    assert summary.parsed == 2 and summary.findings_new > 0
    assert (again.parsed, again.findings_new, again.departments_checked) == (0, 0, 0), "a backfill re-run is a no-op"
    versions = _versions(db_url)
    assert len(versions) == 2 and {v.parser_version for v in versions} == {parser_version()}
    engine = make_engine(db_url)
    with Session(engine) as session:
        urls = set(session.exec(select(Document.url)).all())
        assert f"{base}/b.pdf" in urls
        events = session.exec(select(PipelineEvent).where(PipelineEvent.run_id == run_id)).all()
        assert [(e.code, e.url) for e in events] == [("download_failed", f"{base}/missing.pdf")]
        for version in session.exec(select(DocumentVersion)).all():  # as if stored by an older parser
            version.parser_version = "older"
            session.add(version)
        session.commit()
    engine.dispose()

    report = reparse_archive(settings, today=TODAY)
    assert report.versions == 2 and report.failed == 0
    assert report.changed == 0, "the same parser reads the same bytes the same way"
    assert {v.parser_version for v in _versions(db_url)} == {parser_version()}
    engine = make_engine(db_url)
    with Session(engine) as session:
        flows = [r.flow for r in session.exec(select(PipelineRun)).all()]
    engine.dispose()
    assert flows == ["ingest", "ingest", "reparse"]
