"""The generic spider: list pages → pagination → detail pages → attachments.

It reads one ``Source`` and knows the common CMS layouts (``extract``);
it yields ``crawler.items`` and never touches the database. Conditional
request headers and the state replayed on a 304 (``meta["known_page"]``)
come from ``ConditionalRequestMiddleware``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import scrapy
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from crawler.classify import Classification, classify, parse_year
from crawler.extract import (
    LAYOUTS,
    Link,
    has_disclosure_table,
    is_file_url,
    is_html_url,
    is_next_link,
    page_date,
    page_links,
    page_title,
)
from crawler.items import Event, FileFetched, Gone, PageFetched, Unchanged
from crawler.sniff import file_name_from
from crawler.sources import Source

__all__ = ["GenericSpider"]

GONE_STATUSES = (404, 410)


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class GenericSpider(scrapy.Spider):
    name = "budgetwatch"
    handle_httpstatus_list = [304, *GONE_STATUSES]

    def __init__(self, source: Source, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = source
        self.allowed_domains = list(source.allowed_hosts)
        layouts = [source.layout] if source.layout in LAYOUTS else list(LAYOUTS)
        self.detail_patterns = [LAYOUTS[name].detail for name in layouts]
        if pattern := source.hints.get("detail_pattern"):
            self.detail_patterns.append(re.compile(pattern))
        self.list_pattern = re.compile(source.hints["list_pattern"]) if "list_pattern" in source.hints else None
        self.by_text = source.layout in ("auto", "plain")
        self.max_list_pages = int(source.hints.get("max_list_pages", 50))
        self.list_truncated = False  # pagination cap hit: absence proves nothing
        self.list_failures = 0  # list pages that failed: absence proves nothing

    # -- requests -----------------------------------------------------------

    def _request(self, url: str, role: str, callback: Any, **meta: Any) -> Request:
        return Request(
            url,
            callback=callback,
            errback=self.on_error,
            meta={"role": role, "candidate_url": url, **meta},
        )

    async def start(self) -> AsyncIterator[Request]:
        for url in self.source.start_urls:
            yield self._request(url, "list", self.parse_list, list_page=1)

    # -- list pages ---------------------------------------------------------

    def parse_list(self, response: Response) -> Iterator[Any]:
        url = response.meta["candidate_url"]
        if response.status in GONE_STATUSES:
            self.list_failures += 1
            yield Gone(url, "list", response.status)
            return
        if response.status == 304:
            yield Unchanged(url, "list")
            links = [Link(**d) for d in response.meta.get("known_page", {}).get("links", [])]
        else:
            links = page_links(response.text, response.url)
            kept = [link for link in links if self._is_list_candidate(link)]
            yield PageFetched(
                url,
                "list",
                _header(response, "ETag"),
                _header(response, "Last-Modified"),
                _header(response, "Content-Type"),
                {"links": [link.to_json() for link in kept]},
            )
            links = kept
            if not any(not is_next_link(link) for link in kept):
                yield Event("warning", "list_empty", url, "列表页未发现任何候选链接（网站可能已改版）")
        yield from self._follow_list(links, response.meta["list_page"])

    def _is_detail(self, link: Link) -> bool:
        if any(p.search(link.url) for p in self.detail_patterns):
            return True
        return self.by_text and is_html_url(link.url) and parse_year(link.text) is not None

    def _is_list_candidate(self, link: Link) -> bool:
        if not self.source.allows(link.url) or link.url in self.source.start_urls:
            return False
        if is_next_link(link) or (self.list_pattern and self.list_pattern.search(link.url)):
            return True
        return is_file_url(link.url) or self._is_detail(link)

    def _follow_list(self, links: Iterable[Link], list_page: int) -> Iterator[Any]:
        for link in links:
            if is_next_link(link) or (self.list_pattern and self.list_pattern.search(link.url)):
                if list_page >= self.max_list_pages:
                    self.list_truncated = True
                    continue
                yield self._request(link.url, "list", self.parse_list, list_page=list_page + 1)
                continue
            file_like = is_file_url(link.url)
            verdict = classify(link.text, file_name_from(link.url) if file_like else None)
            if not verdict.ours:
                yield Event("skipped", verdict.skip_reason or "not_ours", link.url, title=link.text)
            elif file_like:
                yield self._file_request(link, verdict, page_url=None, published=link.date)
            else:
                yield self._request(
                    link.url, "detail", self.parse_detail, link_text=link.text, list_date=link.date
                )

    # -- detail pages -------------------------------------------------------

    def parse_detail(self, response: Response) -> Iterator[Any]:
        url = response.meta["candidate_url"]
        if response.status in GONE_STATUSES:
            yield Gone(url, "detail", response.status, title=response.meta.get("link_text"))
            return
        if response.status == 304:
            yield Unchanged(url, "detail")
            page = response.meta.get("known_page", {})
        else:
            html = response.text
            page = {
                "title": page_title(html) or response.meta.get("link_text") or "",
                "date": page_date(html, response.url) or response.meta.get("list_date"),
                "links": [link.to_json() for link in page_links(html, response.url) if is_file_url(link.url)],
                "is_document": has_disclosure_table(html),
            }
            yield PageFetched(
                url,
                "detail",
                _header(response, "ETag"),
                _header(response, "Last-Modified"),
                _header(response, "Content-Type"),
                page,
                body=response.body,
            )
        verdict = classify(page.get("title"), response.meta.get("link_text"))
        if not verdict.ours:
            yield Event("skipped", verdict.skip_reason or "not_ours", url, title=page.get("title"))
            return
        files = [Link(**d) for d in page.get("links", [])]
        for link in files:
            if not self.source.allows(link.url):
                yield Event("warning", "host_not_allowed", link.url, "附件所在主机不在允许列表中", link.text)
                continue
            file_verdict = classify(link.text, file_name_from(link.url), parent=verdict)
            if file_verdict.ours:
                yield self._file_request(link, file_verdict, page_url=url, published=page.get("date"))
            else:
                yield Event("skipped", file_verdict.skip_reason or "not_ours", link.url, title=link.text)
        if files:
            return
        if page.get("is_document"):
            if response.status == 200:
                yield FileFetched(
                    url=url,
                    final_url=response.url,
                    body=response.body,
                    file_name=None,
                    etag=_header(response, "ETag"),
                    last_modified=_header(response, "Last-Modified"),
                    content_type=_header(response, "Content-Type"),
                    link_text=page.get("title"),
                    page_url=url,
                    published=page.get("date"),
                    classification=verdict,
                    declared_format="html",
                )
        else:
            yield Event("warning", "no_document", url, "详情页既无附件也无公开表格", page.get("title"))

    # -- files --------------------------------------------------------------

    def _file_request(
        self, link: Link, verdict: Classification, *, page_url: str | None, published: str | None
    ) -> Request:
        return self._request(
            link.url,
            "file",
            self.parse_file,
            link_text=link.text,
            classification=verdict,
            page_url=page_url,
            published=published,
        )

    def parse_file(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        url = meta["candidate_url"]
        if response.status == 304:
            yield Unchanged(url, "file")
            return
        if response.status in GONE_STATUSES:
            yield Gone(url, "file", response.status, title=meta.get("link_text"))
            return
        yield FileFetched(
            url=url,
            final_url=response.url,
            body=response.body,
            file_name=file_name_from(response.url, response.headers.get("Content-Disposition")),
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
            content_type=_header(response, "Content-Type"),
            link_text=meta.get("link_text"),
            page_url=meta.get("page_url"),
            published=meta.get("published"),
            classification=meta["classification"],
        )

    # -- failures -----------------------------------------------------------

    def on_error(self, failure: Failure) -> Iterator[Event]:
        request = failure.request  # type: ignore[attr-defined]
        url = request.meta.get("candidate_url", request.url)
        title = request.meta.get("link_text")
        role = request.meta.get("role", "")
        if role == "list":
            self.list_failures += 1
        if failure.check(HttpError):
            status = failure.value.response.status
            yield Event("error", f"http_{status}", url, f"{role} 返回 HTTP {status}", title)
        elif failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
            yield Event("error", "timeout", url, f"{role} 请求超时", title)
        elif failure.check(IgnoreRequest):
            yield Event("warning", "ignored", url, f"{role} 请求被忽略：{failure.value}", title)
        else:
            message = f"{role} 下载失败：{type(failure.value).__name__}: {failure.value}"
            yield Event("error", "download_failed", url, message, title)
