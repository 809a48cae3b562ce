"""Hand every spider item to the run's ``CrawlRecorder``.

A storage failure on one item becomes an error event of the run; it never
stops the crawl.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler.items import Event, FileFetched, Gone, PageFetched, Unchanged
from crawler.recorder import CrawlRecorder
from crawler.unpack import ZipLimits
from storage.archive import ArchiveStore
from storage.db import make_engine
from storage.errors import StorageError

__all__ = ["RecordPipeline", "SUMMARY_PREFIX"]

log = logging.getLogger(__name__)
SUMMARY_PREFIX = "BUDGETWATCH_RUN "


class RecordPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.engine = make_engine(settings["BUDGETWATCH_DATABASE_URL"])
        self.archive = ArchiveStore(settings["BUDGETWATCH_ARCHIVE_DIR"])
        self.zip_limits = ZipLimits(
            max_entries=settings.getint("BUDGETWATCH_ZIP_MAX_ENTRIES"),
            max_total_bytes=settings.getint("BUDGETWATCH_ZIP_MAX_BYTES"),
            max_entry_bytes=settings.getint("BUDGETWATCH_ZIP_MAX_BYTES"),
            max_ratio=settings.getfloat("BUDGETWATCH_ZIP_MAX_RATIO"),
        )
        self.recorder: CrawlRecorder | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordPipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider: Spider) -> None:
        self.recorder = CrawlRecorder(self.engine, self.archive, spider.source.id, zip_limits=self.zip_limits)
        self.recorder.start()

    def process_item(self, item: Any, spider: Spider) -> Any:
        assert self.recorder is not None
        handlers = {
            Event: self.recorder.event,
            PageFetched: self.recorder.page,
            FileFetched: self.recorder.file,
            Unchanged: self.recorder.unchanged,
            Gone: self.recorder.gone,
        }
        try:
            handlers[type(item)](item)
        except StorageError as exc:
            log.exception("storing %s failed", getattr(item, "url", item))
            self.recorder.event(Event("error", "storage_failed", getattr(item, "url", None), f"存储失败：{exc}"))
        return item

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Close the run once every item is stored; print its summary line."""
        assert self.recorder is not None
        stats = self.crawler.stats
        assert stats is not None
        finished = reason == "finished"
        summary = self.recorder.finish(
            absence_counts=finished and not spider.list_failures and not spider.list_truncated,
            requests=stats.get_value("downloader/request_count", 0),
            bytes_received=stats.get_value("budgetwatch/body_bytes", 0),
            failed=not finished,
        )
        summary["file_bytes"] = stats.get_value("budgetwatch/file_bytes", 0)
        print(SUMMARY_PREFIX + json.dumps(summary, ensure_ascii=False), flush=True)
