"""Crawl entry point, run as its own process: ``python -m crawler.run``.

One process crawls the chosen sources (each its own Scrapy crawler, with
its politeness overrides) and prints one ``BUDGETWATCH_RUN {json}`` line
per source. ``launch.run_crawl`` starts it; a Twisted reactor cannot be
restarted, hence the subprocess.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from config import load_settings
from crawler.errors import SourceConfigError
from crawler.settings import base
from crawler.sources import Source, load_sources
from crawler.spiders.generic import GenericSpider
from storage.db import make_engine, migrate
from storage.errors import StorageError

__all__ = ["main", "select_sources"]


def select_sources(sources: list[Source], source_id: str | None) -> list[Source]:
    """The enabled sources, or the one named (even if disabled)."""
    if source_id is None:
        return [s for s in sources if s.enabled]
    chosen = [s for s in sources if s.id == source_id]
    if not chosen:
        raise SourceConfigError(f"unknown source id {source_id!r}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.run", description="抓取预决算公开文件")
    parser.add_argument("--source", help="只抓取这个来源（ID）")
    parser.add_argument("--sources", type=Path, help="来源登记文件（YAML）")
    args = parser.parse_args(argv)
    config = load_settings()
    try:
        sources = select_sources(load_sources(args.sources or config.sources), args.source)
        migrate(make_engine(config.database_url))
    except (SourceConfigError, StorageError) as exc:
        print(f"无法开始抓取：{exc}", file=sys.stderr)
        return 2
    settings = Settings()
    settings.setmodule(base, priority="project")
    settings.set("BUDGETWATCH_DATABASE_URL", config.database_url, priority="project")
    settings.set("BUDGETWATCH_ARCHIVE_DIR", str(config.archive_dir), priority="project")
    process = CrawlerProcess(settings, install_root_handler=True)
    for source in sources:
        spider_class = type(
            f"Spider_{source.id.replace('-', '_')}",
            (GenericSpider,),
            {"name": source.id, "custom_settings": source.scrapy_settings()},
        )
        process.crawl(spider_class, source=source)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
