"""Benchmark: the crawl process's peak memory when a server streams a body
far over the size limit without ``Content-Length`` (issue 13, acceptance 3:
refused at the limit with a clear message, peak under 200 MB).

Crawls the replica's plain-layout section twice in fresh homes: as it is
(the baseline), and with one attachment streaming ``--mb`` MB (default
300) under the default 200 MB limit. Prints, per crawl, the peak resident
set size of the crawl process (``RunSummary.peak_memory_mb``), wall time,
body bytes received, and for the streamed URL how much the server wrote
before the crawler hung up and the event recorded.

    .venv/bin/python benchmarks/crawl_memory.py [--mb 300]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from sqlmodel import Session, select

from crawler.launch import run_crawl
from crawler.settings import base
from demo.site import ReplicaSite
from demo.site_catalog import YANSHI
from storage.crawl_models import CrawlEvent
from storage.db import make_engine

MB = 1024 * 1024
TARGET_MB = 200


def _crawl(streamed_mb: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, ReplicaSite() as site:
        home = Path(tmp)
        url = site.publish_stream(YANSHI, "2024年度洛阳市偃师区教育局部门预算", streamed_mb * MB) if streamed_mb else None
        (entry,) = site.source_entries((YANSHI,))
        entry["politeness"]["download_timeout"] = 600
        registry = home / "sources.yaml"
        registry.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True), encoding="utf-8")
        started = time.perf_counter()
        (summary,) = run_crawl(sources_file=registry, env={"BUDGETWATCH_HOME": str(home)}, timeout=1200)
        wall = time.perf_counter() - started
        streamed = sum(r.bytes for r in site.take_log() if url and r.path == urlsplit(url).path)
        event = ""
        if url:
            with Session(make_engine(f"sqlite:///{home / 'budgetwatch.db'}")) as session:
                found = session.exec(select(CrawlEvent).where(CrawlEvent.url == url)).all()
            event = "; ".join(f"{e.level} {e.code}: {e.message}" for e in found) or "NO EVENT"
        label = f"{streamed_mb} MB streamed, no Content-Length" if streamed_mb else "baseline (no stream)"
        verdict = "ok" if summary.peak_memory_mb < TARGET_MB else "OVER TARGET"
        print(
            f"{label:<36} peak RSS {summary.peak_memory_mb:>6.1f} MB ({verdict}), wall {wall:6.1f} s,"
            f" body bytes {summary.stats['bytes'] / MB:7.1f} MB, new documents {summary.stats['new_documents']}"
        )
        if event:
            print(f"  server wrote {streamed / MB:.0f} MB before the crawler hung up; event: {event}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=300, help="size of the streamed body")
    args = parser.parse_args()
    print(f"size limit {base.DOWNLOAD_MAXSIZE / MB:.0f} MB; target: crawl process peak < {TARGET_MB} MB")
    _crawl(0)
    _crawl(args.mb)


if __name__ == "__main__":
    main()
