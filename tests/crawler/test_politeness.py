"""Politeness is per host across sources: two sources on one host share
its delay, its one-request-at-a-time slot and one robots.txt fetch."""

from __future__ import annotations

from pathlib import Path

import yaml

from crawler.launch import run_crawl
from demo.site import FILES_HOST, PAGES_HOST, ReplicaSite
from demo.site_catalog import XINXIANG, ZHONGZHAN

DELAY = 0.4


def _source_of(path: str) -> str:
    return "xinxiang" if path.startswith(("/zwgk/", "/files/xx/")) else "zhongzhan"


def test_two_sources_on_one_host_share_its_delay_and_robots_txt(tmp_path: Path, seeds_dir: Path) -> None:
    with ReplicaSite() as site:
        entries = site.source_entries((ZHONGZHAN, XINXIANG))
        for entry in entries:
            entry["politeness"]["download_delay"] = DELAY
        registry = tmp_path / "sources.yaml"
        registry.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), encoding="utf-8")
        summaries = run_crawl(sources_file=registry, env={"BUDGETWATCH_HOME": str(tmp_path)}, timeout=300)
        log = site.take_log()
    assert {s.source_id for s in summaries} == {"replica-zhongzhan", "replica-xinxiang"}
    for host in (PAGES_HOST, FILES_HOST):
        served = sorted((r for r in log if r.host == host), key=lambda r: r.at)
        assert [r.path for r in served].count("/robots.txt") == 1, host
        pages = [r for r in served if r.path != "/robots.txt"]
        gaps = [(b.at - a.at, _source_of(a.path) != _source_of(b.path)) for a, b in zip(pages, pages[1:], strict=False)]
        assert any(across for _, across in gaps), "both sources fetched from this host"
        shortest = min(gap for gap, _ in gaps)
        assert shortest >= DELAY * 0.8, f"{host}: requests {shortest:.2f}s apart, delay {DELAY}s"
