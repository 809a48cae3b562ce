"""Downloader middlewares: conditional requests and the revalidation
schedule from ``url_state``, retry backoff, and redirects that never loop
silently.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from crawler.clock import crawl_clock, revalidation_policy
from crawler.extract import Link, newest_first
from crawler.schedule import is_due, sweep_due
from storage.crawl_models import CrawlRun, UrlState
from storage.db import make_engine

__all__ = ["ConditionalRequestMiddleware", "RetryBackoffMiddleware", "LoopAwareRedirectMiddleware", "RedirectLoop"]


class ConditionalRequestMiddleware:
    """Ask only what is due, and ask it conditionally.

    The validators come from ``url_state`` (the database is the single source
    of truth), and the page state stored there rides along in
    ``meta["known_page"]`` so a 304 can be followed without its body. A URL
    is only asked conditionally when its last answer was fully recorded.

    A detail page or file that is not due (``crawler.schedule``) is not
    asked at all: it gets a local 304 flagged ``deferred``, so the spider
    follows it from its stored state exactly as after a real 304. So does a
    deeper list page the spider marks ``may_defer`` (the page above it held
    nothing new and is newest-first) unless its source's sweep is due;
    on a sweep night every list request carries ``meta["sweep"]``.

    Counts, per source, requests sent and body bytes received
    (``budgetwatch/requests/<id>``, ``budgetwatch/body_bytes/<id>``,
    ``budgetwatch/file_bytes/<id>``).
    """

    def __init__(self, engine: Engine, crawler: Crawler) -> None:
        self.engine = engine
        self.stats = crawler.stats
        self.now = crawl_clock(crawler.settings)()
        self.policy = revalidation_policy(crawler.settings)
        self.sweeps: dict[str, bool] = {}  # source id → whether this run reads every list page

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        return cls(make_engine(crawler.settings["BUDGETWATCH_DATABASE_URL"]), crawler)

    def _count(self, request: Request, key: str, amount: int) -> None:
        if self.stats is not None and "source_id" in request.meta:
            self.stats.inc_value(f"budgetwatch/{key}/{request.meta['source_id']}", amount)

    def process_request(self, request: Request, spider: Spider | None = None) -> Response | None:
        if "role" not in request.meta:
            return None
        if request.meta["role"] == "list":
            request.meta["sweep"] = self._sweep(request.meta["source_id"])
        if "known_page" not in request.meta:  # first attempt (not a retry or redirect)
            with Session(self.engine) as session:
                state = session.exec(select(UrlState).where(UrlState.url == request.url)).first()
            if state is not None and state.last_status in (200, 304) and (state.page is not None or state.sha256):
                request.meta["known_page"] = state.page or {}
                if self._deferred(request, state):
                    return Response(request.url, status=304, request=request, flags=["deferred"])
                if state.etag:
                    request.headers["If-None-Match"] = state.etag
                if state.last_modified:
                    request.headers["If-Modified-Since"] = state.last_modified
        self._count(request, "requests", 1)
        return None

    def _sweep(self, source_id: str) -> bool:
        if source_id not in self.sweeps:
            with Session(self.engine) as session:
                runs = session.exec(
                    select(CrawlRun)
                    .where(CrawlRun.source_id == source_id, CrawlRun.status == "finished")
                    .order_by(col(CrawlRun.id).desc())
                )
                last = next((r.started_at for r in runs if (r.stats or {}).get("lists_swept")), None)
            self.sweeps[source_id] = sweep_due(source_id, last, self.now, self.policy)
        return self.sweeps[source_id]

    def _deferred(self, request: Request, state: UrlState) -> bool:
        page = state.page or {}
        if request.meta["role"] == "list":
            stored = [Link(**d) for d in page.get("links", [])]
            return bool(request.meta.get("may_defer") and not request.meta["sweep"] and stored and newest_first(stored))
        if page.get("rejected"):
            return False
        return not is_due(
            request.meta.get("page_url") or request.url,
            checked_at=state.checked_at,
            changed_at=state.changed_at,
            entry_changed=request.meta.get("list_entry") != state.list_entry,
            now=self.now,
            policy=self.policy,
        )

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if "role" in request.meta and "deferred" not in response.flags:
            self._count(request, "body_bytes", len(response.body))
            if request.meta["role"] == "file" and response.status == 200:
                self._count(request, "file_bytes", len(response.body))
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
        base = request.meta.get("retry_backoff", self.base)  # a source's own backoff
        if attempt and base > 0:
            await asyncio.sleep(min(self.cap, base * 2 ** (attempt - 1)))
        return None


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL already in the chain; the message is the chain."""


class LoopAwareRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirects, with two fixes: a redirect back into its own
    chain fails at once as ``RedirectLoop`` (stock Scrapy hands it to the
    duplicate filter, which drops it without a word), and other redirect
    targets bypass the duplicate filter (the chain is bounded by
    ``REDIRECT_MAX_TIMES``)."""

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request) and result is not request:
            chain = [*request.meta.get("redirect_urls", []), request.url]
            if result.url in chain:
                raise RedirectLoop(" → ".join([*chain, result.url]))
            result.dont_filter = True
        return result
