"""Hand every spider item to its source's ``CrawlRecorder``.

A storage failure on one item becomes an error event of the run; it never
stops the crawl. When the spider closes, each source's run is finished and
its summary printed as one ``BUDGETWATCH_RUN {json}`` line.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler.clock import crawl_clock
from crawler.items import Event, FileFetched, Gone, PageFetched, Unchanged
from crawler.memory import peak_memory_mb
from crawler.recorder import CrawlRecorder, ListOutcome
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
        self.clock = crawl_clock(settings)
        self.recorders: dict[str, CrawlRecorder] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordPipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider: Spider) -> None:
        for source_id in spider.crawls:
            recorder = CrawlRecorder(self.engine, self.archive, source_id, zip_limits=self.zip_limits, clock=self.clock)
            recorder.start()
            self.recorders[source_id] = recorder

    def process_item(self, item: Any, spider: Spider) -> Any:
        recorder = self.recorders[item.source_id]
        handlers = {
            Event: recorder.event,
            PageFetched: recorder.page,
            FileFetched: recorder.file,
            Unchanged: recorder.unchanged,
            Gone: recorder.gone,
        }
        try:
            handlers[type(item)](item)
        except StorageError as exc:
            log.exception("storing %s failed", getattr(item, "url", item))
            recorder.event(Event("error", "storage_failed", getattr(item, "url", None), f"存储失败：{exc}"))
        return item

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Close each source's run once every item is stored; print its summary line."""
        stats = self.crawler.stats
        assert stats is not None
        finished = reason == "finished"
        for source_id, recorder in self.recorders.items():
            crawl = spider.crawls[source_id]
            summary = recorder.finish(
                ListOutcome(crawl.lists_complete, tuple(crawl.problems), crawl.entries, crawl.deferred_lists),
                requests=stats.get_value(f"budgetwatch/requests/{source_id}", 0),
                bytes_received=stats.get_value(f"budgetwatch/body_bytes/{source_id}", 0),
                failed=not finished,
            )
            summary["file_bytes"] = stats.get_value(f"budgetwatch/file_bytes/{source_id}", 0)
            summary["peak_memory_mb"] = peak_memory_mb()
            print(SUMMARY_PREFIX + json.dumps(summary, ensure_ascii=False), flush=True)
