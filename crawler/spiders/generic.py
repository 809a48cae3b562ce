"""The generic spider: list pages → pagination → detail pages → attachments.

One spider crawls every source of a run, so Scrapy's per-host download
slots and robots.txt cache are shared across sources (politeness per host,
not per source). Each request carries its ``source_id``; each item is
stamped with it. The spider never touches the database: conditional
request headers, the state replayed on a 304 (``meta["known_page"]``) and
the revalidation schedule come from ``ConditionalRequestMiddleware``.

A list page that is empty, a challenge page, changed layout or failed
makes its source *unhealthy* for the run (``SourceCrawl.unhealthy``): then
absence from the lists proves nothing and nothing is withdrawn for it.

Deeper list pages (``crawler.schedule``): a list page is *novel* when it
holds an entry that neither its stored state nor any list page handled
before it this run listed (a new document on page 1; page 2 only receiving
page 1's last entry is not novel). The pages below a page that is not
novel and newest-first may be deferred: followed from their stored entries
without a request. Entries that left a page read afresh (pushed down by
new ones) are *carried* in that page's state and followed from there until
the next sweep, so every entry stays followed (and revalidated on time)
however stale the deferred pages' states are. A run that deferred a list
page or followed a carried entry is not a complete read of the lists: it
withdraws nothing by absence (a sweep does).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import scrapy
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.classify import Classification, classify
from crawler.extract import Link, has_disclosure_table, is_file_url, newest_first, page_date, page_links, page_title, unique_links
from crawler.failures import describe_failure
from crawler.items import Event, FileFetched, Gone, PageFetched, Unchanged
from crawler.listing import ListRules, entry_verdict, read_list
from crawler.sniff import file_name_from
from crawler.sources import Source

__all__ = ["GenericSpider", "SourceCrawl", "entry_key"]

GONE_STATUSES = (404, 410)


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def entry_key(link: Link) -> str:
    """What a list says of an entry; a change means "look again now"."""
    return f"{link.text}|{link.date or ''}"


@dataclass
class SourceCrawl:
    """One source's part of the run."""

    source: Source
    rules: ListRules
    entries: int = 0  # list entries read this run
    truncated: bool = False  # pagination cap hit or unreadable: the lists were not read completely
    problems: list[str] = field(default_factory=list)  # list-page health event codes
    deferred_lists: int = 0  # list pages followed from their stored entries, not asked
    carried: bool = False  # entries followed because an earlier read listed them (see ``_parse_list``)
    listed: set[str] = field(default_factory=set)  # entry URLs of the list pages handled so far

    @property
    def lists_complete(self) -> bool:
        """Whether absence from this run's lists proves anything: every list
        page read over the network, healthy, and nothing followed from memory."""
        return not self.truncated and not self.problems and not self.deferred_lists and not self.carried


class GenericSpider(scrapy.Spider):
    name = "budgetwatch"
    handle_httpstatus_list = [304, *GONE_STATUSES]

    def __init__(self, sources: list[Source], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.crawls = {s.id: SourceCrawl(s, ListRules.of(s)) for s in sources}
        self.allowed_domains = sorted({host for s in sources for host in s.allowed_hosts})

    # -- requests -----------------------------------------------------------

    def _request(self, crawl: SourceCrawl, url: str, role: str, callback: Any, **meta: Any) -> Request:
        politeness = crawl.source.politeness
        extra: dict[str, Any] = {}
        if "download_timeout" in politeness:
            extra["download_timeout"] = politeness["download_timeout"]
        if "max_file_bytes" in politeness:
            extra["download_maxsize"] = politeness["max_file_bytes"]
        if "retry_times" in politeness:
            extra["max_retry_times"] = politeness["retry_times"]
        if "retry_backoff" in politeness:
            extra["retry_backoff"] = politeness["retry_backoff"]
        headers = {"User-Agent": politeness["user_agent"]} if "user_agent" in politeness else None
        return Request(
            url,
            callback=callback,
            errback=self.on_error,
            headers=headers,
            meta={"role": role, "candidate_url": url, "source_id": crawl.source.id, **extra, **meta},
        )

    async def start(self) -> AsyncIterator[Request]:
        for crawl in self.crawls.values():
            for url in crawl.source.start_urls:
                yield self._request(crawl, url, "list", self.parse_list, list_page=1)

    def _crawl_of(self, request: Request) -> SourceCrawl:
        return self.crawls[request.meta["source_id"]]

    @staticmethod
    def _stamped(crawl: SourceCrawl, outputs: Iterable[Any]) -> Iterator[Any]:
        for output in outputs:
            if not isinstance(output, Request):
                output.source_id = crawl.source.id
            yield output

    # -- list pages ---------------------------------------------------------

    def parse_list(self, response: Response) -> Iterator[Any]:
        crawl = self._crawl_of(response.request)  # type: ignore[arg-type]
        yield from self._stamped(crawl, self._parse_list(crawl, response))

    def _parse_list(self, crawl: SourceCrawl, response: Response) -> Iterator[Any]:
        url = response.meta["candidate_url"]
        known = response.meta.get("known_page") or {}
        sweep = response.meta.get("sweep", True)
        if response.status in GONE_STATUSES:
            crawl.problems.append(f"http_{response.status}")
            yield Event("error", f"http_{response.status}", url, f"列表页返回 HTTP {response.status}（来源异常，不据此判定撤下）")
            return
        stored = [Link(**d) for d in known.get("links", [])]
        carried = [] if sweep else [Link(**d) for d in known.get("carried", [])]
        novel = False
        if response.status == 304:
            deferred = "deferred" in response.flags
            crawl.deferred_lists += deferred
            yield Unchanged(url, "list", deferred)
            entries = stored
            pages = known.get("pages", [])
            heading = known.get("heading", "")
        else:
            reading = read_list(response.text, response.url, crawl.rules)
            if reading.problem:  # keep the last healthy state: nothing stored
                crawl.problems.append(reading.problem[0])
                yield Event("error", reading.problem[0], url, reading.problem[1])
                return
            if known.get("signature") and reading.signature and reading.signature != known["signature"]:
                crawl.problems.append("layout_changed")
                message = f"列表页结构改变（{known['signature']} → {reading.signature}），本次不据此判定撤下"
                yield Event("error", "layout_changed", url, message)
            if reading.pages.problem:
                crawl.truncated = True
                yield Event("warning", "pagination_unreadable", url, f"无法读取列表页 {url} 的翻页：{reading.pages.problem}")
            entries, pages, heading = reading.entries, list(reading.pages.urls), reading.heading
            before = crawl.listed | {link.url for link in stored + carried}
            novel = any(link.url not in before for link in entries)
            carried = [] if sweep else unique_links(stored + carried, entries)
            yield PageFetched(
                url,
                "list",
                _header(response, "ETag"),
                _header(response, "Last-Modified"),
                _header(response, "Content-Type"),
                {
                    "links": [link.to_json() for link in entries],
                    "carried": [link.to_json() for link in carried],
                    "pages": pages,
                    "signature": reading.signature,
                    "heading": heading,
                },
            )
        crawl.carried = crawl.carried or bool(carried)
        crawl.listed.update(link.url for link in [*stored, *entries, *carried])
        crawl.entries += len(entries)
        list_page = response.meta["list_page"]
        may_defer = not novel and newest_first(entries)
        for page_url in pages:
            if list_page >= crawl.rules.max_list_pages:
                if not crawl.truncated:
                    message = f"列表翻页超过 {crawl.rules.max_list_pages} 层上限，其余列表页未读（可在来源登记 hints.max_list_pages 调高）"
                    yield Event("warning", "list_cap_reached", url, message)
                crawl.truncated = True
                break
            yield self._request(crawl, page_url, "list", self.parse_list, list_page=list_page + 1, may_defer=may_defer)
        for link in [*entries, *unique_links(carried, entries)]:
            verdict = entry_verdict(link, heading, crawl.source)
            if not verdict.ours:
                yield Event("skipped", verdict.skip_reason or "not_ours", link.url, title=link.text)
            elif is_file_url(link.url):
                yield self._file_request(crawl, link, verdict, None, page_url=None, published=link.date)
            else:
                yield self._request(
                    crawl, link.url, "detail", self.parse_detail,
                    link_text=link.text, list_date=link.date, section=heading, list_entry=entry_key(link),
                )

    # -- detail pages -------------------------------------------------------

    def parse_detail(self, response: Response) -> Iterator[Any]:
        crawl = self._crawl_of(response.request)  # type: ignore[arg-type]
        yield from self._stamped(crawl, self._parse_detail(crawl, response))

    def _parse_detail(self, crawl: SourceCrawl, response: Response) -> Iterator[Any]:
        url = response.meta["candidate_url"]
        if response.status in GONE_STATUSES:
            yield Gone(url, "detail", response.status, title=response.meta.get("link_text"))
            return
        if response.status == 304:
            yield Unchanged(url, "detail", "deferred" in response.flags, response.meta.get("list_entry"))
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
                list_entry=response.meta.get("list_entry"),
            )
        verdict = classify(
            page.get("title"), response.meta.get("link_text"), section=response.meta.get("section"), region=crawl.source.home
        )
        if not verdict.ours:
            yield Event("skipped", verdict.skip_reason or "not_ours", url, title=page.get("title"))
            return
        files = [Link(**d) for d in page.get("links", [])]
        for link in files:
            if not crawl.source.allows(link.url):
                yield Event("warning", "host_not_allowed", link.url, "附件所在主机不在允许列表中", link.text)
                continue
            file_verdict = classify(link.text, file_name_from(link.url), parent=verdict, region=crawl.source.home)
            if file_verdict.ours:
                yield self._file_request(crawl, link, file_verdict, verdict, page_url=url, published=page.get("date"))
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
                    list_entry=response.meta.get("list_entry"),
                    region=crawl.source.home,
                )
        else:
            yield Event("warning", "no_document", url, "详情页既无附件也无公开表格", page.get("title"))

    # -- files --------------------------------------------------------------

    def _file_request(
        self,
        crawl: SourceCrawl,
        link: Link,
        verdict: Classification,
        parent: Classification | None,
        *,
        page_url: str | None,
        published: str | None,
    ) -> Request:
        return self._request(
            crawl,
            link.url,
            "file",
            self.parse_file,
            link_text=link.text,
            classification=verdict,
            parent_classification=parent,
            page_url=page_url,
            published=published,
            list_entry=entry_key(link),
        )

    def parse_file(self, response: Response) -> Iterator[Any]:
        crawl = self._crawl_of(response.request)  # type: ignore[arg-type]
        yield from self._stamped(crawl, self._parse_file(crawl, response))

    def _parse_file(self, crawl: SourceCrawl, response: Response) -> Iterator[Any]:
        meta = response.meta
        url = meta["candidate_url"]
        if response.status == 304:
            yield Unchanged(url, "file", "deferred" in response.flags, meta.get("list_entry"))
            return
        if response.status in GONE_STATUSES:
            yield Gone(url, "file", response.status, title=meta.get("link_text"))
            return
        file_name = file_name_from(response.url, response.headers.get("Content-Disposition"))
        verdict: Classification = meta["classification"]
        if file_name and file_name != file_name_from(url):  # the server named it: one more clue
            verdict = classify(
                meta.get("link_text"), file_name, parent=meta.get("parent_classification"), region=crawl.source.home
            )
            if not verdict.ours:
                yield Event("skipped", verdict.skip_reason or "not_ours", url, title=file_name)
                return
        yield FileFetched(
            url=url,
            final_url=response.url,
            body=response.body,
            file_name=file_name,
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
            content_type=_header(response, "Content-Type"),
            link_text=meta.get("link_text"),
            page_url=meta.get("page_url"),
            published=meta.get("published"),
            classification=verdict,
            list_entry=meta.get("list_entry"),
            region=crawl.source.home,
        )

    # -- failures -----------------------------------------------------------

    def on_error(self, failure: Failure) -> Iterator[Event]:
        request: Request = failure.request  # type: ignore[attr-defined]
        crawl = self._crawl_of(request)
        url = request.meta.get("candidate_url", request.url)
        code, message = describe_failure(failure, request)
        if request.meta.get("role") == "list":
            crawl.problems.append(code)
            message += "（来源异常，不据此判定撤下）"
        yield from self._stamped(crawl, [Event("error", code, url, message, request.meta.get("link_text"))])
