"""Crawl entry point, run as its own process: ``python -m crawler.run``.

One process crawls the chosen sources with one spider, so politeness is
per host across sources (``crawler.throttle``), and prints one
``BUDGETWATCH_RUN {json}`` line per source. ``launch.run_crawl`` starts it;
a Twisted reactor cannot be restarted, hence the subprocess.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from config import load_settings
from crawler import bodies
from crawler.errors import SourceConfigError
from crawler.settings import base
from crawler.sources import Source, load_sources
from crawler.spiders.generic import GenericSpider
from crawler.throttle import host_slots
from storage.db import make_engine, migrate
from storage.errors import StorageError

__all__ = ["main", "select_sources", "crawl_settings"]


def select_sources(sources: list[Source], source_id: str | None) -> list[Source]:
    """The enabled sources, or the one named (even if disabled)."""
    if source_id is None:
        return [s for s in sources if s.enabled]
    chosen = [s for s in sources if s.id == source_id]
    if not chosen:
        raise SourceConfigError(f"unknown source id {source_id!r}")
    return chosen


def crawl_settings(sources: list[Source], *, full: bool = False, now: str | None = None) -> Settings:
    """Scrapy settings for one run over ``sources``: the polite defaults,
    per-host slots (the strictest delay of the sources on a host), and the
    run-wide values a source may raise (AutoThrottle's ceiling)."""
    settings = Settings()
    settings.setmodule(base, priority="project")
    slots = host_slots(sources, base.DOWNLOAD_DELAY)
    settings.set("DOWNLOAD_SLOTS", slots, priority="project")
    # AutoThrottle never goes below DOWNLOAD_DELAY: the smallest host delay
    # (HostAutoThrottle keeps each host at its own).
    settings.set("DOWNLOAD_DELAY", min((s["delay"] for s in slots.values()), default=base.DOWNLOAD_DELAY), priority="project")
    for key, name in (("autothrottle_max_delay", "AUTOTHROTTLE_MAX_DELAY"), ("autothrottle_start_delay", "AUTOTHROTTLE_START_DELAY")):
        values = [float(s.politeness.get(key, getattr(base, name))) for s in sources]
        settings.set(name, max(values, default=getattr(base, name)), priority="project")
    settings.set("BUDGETWATCH_FULL_REVALIDATION", full, priority="project")
    if now:
        settings.set("BUDGETWATCH_NOW", now, priority="project")
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.run", description="抓取预决算公开文件")
    parser.add_argument("--source", action="append", help="只抓取这个来源（ID，可重复）")
    parser.add_argument("--sources", type=Path, help="来源登记文件（YAML）")
    parser.add_argument("--full", action="store_true", help="重新检查所有已知页面和文件")
    args = parser.parse_args(argv)
    config = load_settings()
    try:
        registry = load_sources(args.sources or config.sources)
        sources = [s for source_id in args.source for s in select_sources(registry, source_id)] if args.source else select_sources(registry, None)
        migrate(make_engine(config.database_url))
    except (SourceConfigError, StorageError) as exc:
        print(f"无法开始抓取：{exc}", file=sys.stderr)
        return 2
    if not sources:
        return 0
    settings = crawl_settings(sources, full=args.full, now=config.crawl_now)
    settings.set("BUDGETWATCH_DATABASE_URL", config.database_url, priority="project")
    settings.set("BUDGETWATCH_ARCHIVE_DIR", str(config.archive_dir), priority="project")
    settings.set("BUDGETWATCH_REVALIDATE_MAX_DAYS", config.revalidate_max_days, priority="project")
    settings.set("BUDGETWATCH_LIST_SWEEP_DAYS", config.list_sweep_days, priority="project")
    bodies.install()
    process = CrawlerProcess(settings, install_root_handler=True)
    process.crawl(GenericSpider, sources=sources)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
