"""Downloader middlewares: conditional requests from ``url_state``, and
retry backoff.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.crawl_models import UrlState
from storage.db import make_engine

__all__ = ["ConditionalRequestMiddleware", "RetryBackoffMiddleware"]


class ConditionalRequestMiddleware:
    """Send ``If-None-Match`` / ``If-Modified-Since`` for URLs we know.

    The validators come from ``url_state`` (the database is the single source
    of truth), and the page state stored there rides along in
    ``meta["known_page"]`` so a 304 can be followed without its body. A URL
    is only asked conditionally when its last answer was fully recorded.
    Also counts body bytes received (``budgetwatch/body_bytes``,
    ``budgetwatch/file_bytes``).
    """

    def __init__(self, engine: Engine, crawler: Crawler) -> None:
        self.engine = engine
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        return cls(make_engine(crawler.settings["BUDGETWATCH_DATABASE_URL"]), crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if "role" not in request.meta or "known_page" in request.meta:
            return None
        with Session(self.engine) as session:
            state = session.exec(select(UrlState).where(UrlState.url == request.url)).first()
        if state is None or state.last_status not in (200, 304):
            return None
        if state.page is None and state.sha256 is None:
            return None
        request.meta["known_page"] = state.page or {}
        if state.etag:
            request.headers["If-None-Match"] = state.etag
        if state.last_modified:
            request.headers["If-Modified-Since"] = state.last_modified
        return None

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if self.stats is not None and "role" in request.meta:
            self.stats.inc_value("budgetwatch/body_bytes", len(response.body))
            if request.meta["role"] == "file" and response.status == 200:
                self.stats.inc_value("budgetwatch/file_bytes", len(response.body))
        return response


class RetryBackoffMiddleware:
    """Wait before a retried request: ``BUDGETWATCH_RETRY_BACKOFF`` seconds,
    doubled for each further attempt (Scrapy's retry has no backoff).
    """

    def __init__(self, base: float, cap: float) -> None:
        self.base = base
        self.cap = cap

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryBackoffMiddleware:
        settings = crawler.settings
        return cls(settings.getfloat("BUDGETWATCH_RETRY_BACKOFF"), settings.getfloat("BUDGETWATCH_RETRY_BACKOFF_MAX"))

    async def process_request(self, request: Request, spider: Spider | None = None) -> Any:
        attempt = request.meta.get("retry_times", 0)
        if attempt and self.base > 0:
            await asyncio.sleep(min(self.cap, self.base * 2 ** (attempt - 1)))
        return None
