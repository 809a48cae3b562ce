"""Crawl 政府信息公开 sites for 部门预算/部门决算 files and archive them.

The Scrapy project: the source registry, the generic spider, its
middlewares and pipeline, ``run_crawl`` which runs it in a subprocess, and
``source_health`` which reads how each source has been doing.
"""

from crawler.classify import Classification, classify
from crawler.errors import CrawlerError, CrawlRunError, SourceConfigError, UnsafeArchiveError
from crawler.health import SourceHealth, source_health
from crawler.launch import RunSummary, run_crawl
from crawler.sources import Source, load_sources, parse_sources

__all__ = [
    "Classification",
    "classify",
    "CrawlerError",
    "CrawlRunError",
    "SourceConfigError",
    "UnsafeArchiveError",
    "Source",
    "load_sources",
    "parse_sources",
    "RunSummary",
    "run_crawl",
    "SourceHealth",
    "source_health",
]
