"""CrawlRecorder against a real SQLite database and archive folder."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from sqlmodel import Session, select

from crawler.classify import Region, classify
from crawler.items import FileFetched, Gone, Unchanged
from crawler.recorder import CrawlRecorder, ListOutcome
from storage.archive import ArchiveStore
from storage.crawl_models import CrawlEvent, CrawlRun
from storage.db import make_engine, migrate
from storage.models import Document, DocumentVersion

PAGE = classify("2024年度焦作市中站区财政局部门预算公开")


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _file(url: str, body: bytes, name: str = "a.pdf") -> FileFetched:
    return FileFetched(url, url, body, name, '"e1"', None, "application/pdf", name, "http://p/art.html", "2024-02-20", PAGE)


@pytest.fixture()
def recorder(tmp_path: Path) -> CrawlRecorder:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    migrate(engine)
    rec = CrawlRecorder(engine, ArchiveStore(tmp_path / "archive"), "src")
    rec.start()
    return rec


def _events(rec: CrawlRecorder) -> list[tuple[str, str]]:
    with Session(rec.engine) as session:
        return [(e.level, e.code) for e in session.exec(select(CrawlEvent)).all()]


def test_same_bytes_twice_is_not_new(recorder: CrawlRecorder) -> None:
    recorder.file(_file("http://f/a.pdf", b"%PDF-1.4 one"))
    recorder.file(_file("http://f/a.pdf", b"%PDF-1.4 one"))
    recorder.file(_file("http://f/a.pdf", b"%PDF-1.4 two"))
    assert (recorder.stats["new_documents"], recorder.stats["unchanged"], recorder.stats["new_versions"]) == (1, 1, 1)


def test_html_served_as_pdf_is_an_error_every_run(recorder: CrawlRecorder) -> None:
    recorder.file(_file("http://f/busy.pdf", b"<html><body>busy</body></html>"))
    recorder.unchanged(Unchanged("http://f/busy.pdf", "file"))  # next night: 304
    assert _events(recorder) == [("error", "not_a_document")] * 2
    with Session(recorder.engine) as session:
        assert session.exec(select(DocumentVersion)).all() == []


def test_zip_entries_become_documents_and_not_ours_entries_are_skipped(recorder: CrawlRecorder) -> None:
    body = _zip(
        {
            "甲中心2024年度单位预算.pdf": b"%PDF-1.4 a",
            "乙中心2024年度单位预算.pdf": b"%PDF-1.4 b",
            "2024年度项目绩效评价报告.pdf": b"%PDF-1.4 c",
            "说明.txt": b"text",
        }
    )
    recorder.file(_file("http://f/u.zip", body, "u.zip"))
    with Session(recorder.engine) as session:
        documents = session.exec(select(Document)).all()
    assert {(d.department, d.scope, d.url) for d in documents} == {
        ("甲中心", "单位", "http://f/u.zip#甲中心2024年度单位预算.pdf"),
        ("乙中心", "单位", "http://f/u.zip#乙中心2024年度单位预算.pdf"),
    }
    assert sorted(_events(recorder)) == [("skipped", "performance"), ("warning", "zip_entry_ignored")]
    assert recorder.archive.exists(hashlib.sha256(body).hexdigest())  # the original ZIP


def test_zip_entries_named_without_a_place_take_the_source_region(recorder: CrawlRecorder) -> None:
    body = _zip({"教育局2024年度部门预算.pdf": b"%PDF-1.4 a"})
    item = dataclasses.replace(_file("http://f/v.zip", body, "v.zip"), region=Region("焦作市中站区", "县"))
    recorder.file(item)
    with Session(recorder.engine) as session:
        (document,) = session.exec(select(Document)).all()
    assert document.department == "焦作市中站区教育局"


def test_zip_bomb_is_an_error_and_stores_no_document(recorder: CrawlRecorder) -> None:
    recorder.file(_file("http://f/bomb.zip", _zip({"x.pdf": b"\0" * 3_000_000}), "bomb.zip"))
    assert _events(recorder) == [("error", "unsafe_zip")]
    with Session(recorder.engine) as session:
        assert session.exec(select(Document)).all() == []


def test_gone_document_is_withdrawn_and_run_closes(recorder: CrawlRecorder) -> None:
    recorder.file(_file("http://f/a.pdf", b"%PDF-1.4 one"))
    recorder.gone(Gone("http://f/a.pdf", "file", 410))
    summary = recorder.finish(ListOutcome(complete=False, problems=(), entries=0), requests=3, bytes_received=12)
    assert ("warning", "withdrawn") in _events(recorder)
    with Session(recorder.engine) as session:
        assert session.exec(select(Document)).one().withdrawn_at is not None
        run = session.exec(select(CrawlRun)).one()
    assert run.status == "finished" and run.stats == summary["stats"]
    assert run.stats["withdrawn"] == 1 and run.stats["errors"] == 1 and run.stats["requests"] == 3


def test_withdrawn_document_seen_again_is_restored(recorder: CrawlRecorder) -> None:
    recorder.file(_file("http://f/a.pdf", b"%PDF-1.4 one"))
    recorder.gone(Gone("http://f/a.pdf", "file", 404))
    recorder.file(_file("http://f/a.pdf", b"%PDF-1.4 one"))
    assert ("info", "restored") in _events(recorder)
    with Session(recorder.engine) as session:
        assert session.exec(select(Document)).one().withdrawn_at is None
    assert recorder.stats["restored"] == 1 and recorder.stats["withdrawn"] == 1


def test_unhealthy_lists_withdraw_nothing(recorder: CrawlRecorder) -> None:
    """A document no longer linked stays when the lists were a challenge page."""
    recorder.file(_file("http://f/a.pdf", b"%PDF-1.4 one"))
    later = CrawlRecorder(recorder.engine, recorder.archive, recorder.source_id)
    later.start()
    summary = later.finish(ListOutcome(complete=True, problems=("challenge_page",), entries=0), requests=1, bytes_received=0)
    assert summary["health"] == "failing" and summary["stats"]["withdrawn"] == 0
    with Session(recorder.engine) as session:
        assert session.exec(select(Document)).one().withdrawn_at is None
    healthy = CrawlRecorder(recorder.engine, recorder.archive, recorder.source_id)
    healthy.start()
    assert healthy.finish(ListOutcome(complete=True, problems=(), entries=0), requests=1, bytes_received=0)["stats"]["withdrawn"] == 1
