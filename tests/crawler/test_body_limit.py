"""A body streamed without Content-Length past the size limit is refused at
the limit with a clear message, and the crawl's memory stays bounded."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlmodel import Session, select

from crawler.bodies import SpooledBody
from crawler.launch import run_crawl
from demo.site import ReplicaSite
from demo.site_catalog import YANSHI
from storage.crawl_models import CrawlEvent
from storage.db import make_engine

MB = 1024 * 1024


def test_spooled_body_keeps_bytes_and_drops_them_on_truncate() -> None:
    body = SpooledBody()
    for _ in range(6):
        body.write(b"x" * MB)
    assert len(body.getvalue()) == 6 * MB
    dropped = SpooledBody()
    dropped.write(b"y" * 5 * MB)
    dropped.truncate(0)
    assert dropped.getvalue() == b""


@pytest.mark.slow
def test_streamed_300_mb_body_is_refused_at_the_limit(tmp_path: Path, seeds_dir: Path) -> None:
    with ReplicaSite() as site:
        url = site.publish_stream(YANSHI, "2024年度洛阳市偃师区教育局部门预算", 300 * MB)
        (entry,) = site.source_entries((YANSHI,))  # the default 200 MB limit: no max_file_bytes override
        entry["politeness"]["download_timeout"] = 180  # time enough to stream 200 MB on a busy machine
        registry = tmp_path / "sources.yaml"
        registry.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True), encoding="utf-8")
        (summary,) = run_crawl(sources_file=registry, env={"BUDGETWATCH_HOME": str(tmp_path)}, timeout=600)
    assert summary.status == "finished" and summary.stats["new_documents"] == 3  # the others still stored
    with Session(make_engine(f"sqlite:///{tmp_path / 'budgetwatch.db'}")) as session:
        (event,) = session.exec(select(CrawlEvent).where(CrawlEvent.url == url)).all()
    assert (event.level, event.code) == ("error", "too_large")
    assert "200 MB" in event.message and "停止下载" in event.message
    # The crawl process's peak memory is a target, printed by benchmarks/crawl_nightly.py, not asserted here.


def test_the_spooling_reader_replaces_scrapys() -> None:
    """A Scrapy upgrade that renames the reader must fail here, not silently buffer in memory."""
    from scrapy.core.downloader.handlers import http11

    from crawler import bodies

    original = http11._ResponseReader
    try:
        bodies.install()
        assert http11._ResponseReader.__name__ == "_SpooledReader"
        assert issubclass(http11._ResponseReader, original)
    finally:
        http11._ResponseReader = original
