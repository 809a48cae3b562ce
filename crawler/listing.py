"""What a list page says, as the spider and ``budgetwatch sources check``
both see it: entries (detail pages and files), further list pages, the
layout signature, and whether the page looks like a list at all.

Pure functions on HTML; the source's rules come from its registry entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.classify import Classification, classify, parse_year
from crawler.extract import (
    LAYOUTS,
    Link,
    Pagination,
    is_file_url,
    is_html_url,
    is_next_link,
    layout_signature,
    list_heading,
    looks_like_challenge,
    page_family,
    page_links,
    pagination,
)
from crawler.sniff import file_name_from
from crawler.sources import Source

__all__ = ["ListRules", "ListReading", "read_list", "entry_verdict", "DEFAULT_MAX_LIST_PAGES"]

DEFAULT_MAX_LIST_PAGES = 300  # a runaway (calendar-like) pagination stops here


@dataclass(frozen=True)
class ListRules:
    """Which links of a source's list pages are entries or further pages."""

    source: Source
    detail_patterns: tuple[re.Pattern[str], ...]
    list_pattern: re.Pattern[str] | None
    by_text: bool
    max_list_pages: int

    @classmethod
    def of(cls, source: Source) -> ListRules:
        layouts = [source.layout] if source.layout in LAYOUTS else list(LAYOUTS)
        patterns = [LAYOUTS[name].detail for name in layouts]
        if pattern := source.hints.get("detail_pattern"):
            patterns.append(re.compile(pattern))
        list_pattern = re.compile(source.hints["list_pattern"]) if "list_pattern" in source.hints else None
        return cls(
            source,
            tuple(patterns),
            list_pattern,
            source.layout in ("auto", "plain"),
            int(source.hints.get("max_list_pages", DEFAULT_MAX_LIST_PAGES)),
        )

    def is_detail(self, link: Link) -> bool:
        if any(p.search(link.url) for p in self.detail_patterns):
            return True
        return self.by_text and is_html_url(link.url) and parse_year(link.text) is not None

    def is_list_page(self, link: Link, page_url: str) -> bool:
        if is_next_link(link) or (self.list_pattern and self.list_pattern.search(link.url)):
            return True
        family = page_family(page_url)
        return family is not None and page_family(link.url) == family and not self.is_detail(link)

    def is_entry(self, link: Link) -> bool:
        return is_file_url(link.url) or self.is_detail(link)


@dataclass
class ListReading:
    """One list page as read. ``problem`` is a (code, message) pair when the
    page does not look like a healthy list (empty, challenge page)."""

    entries: list[Link]
    pages: Pagination
    signature: str | None
    heading: str
    problem: tuple[str, str] | None = None
    verdicts: dict[str, Classification] = field(default_factory=dict)


def entry_verdict(link: Link, heading: str | None, source: Source) -> Classification:
    """What a list entry is, from its text, its file name, the list heading and the source's region."""
    name = file_name_from(link.url) if is_file_url(link.url) else None
    return classify(link.text, name, section=heading, region=source.home)


def read_list(html: str, url: str, rules: ListRules) -> ListReading:
    """Entries, further pages and health of the list page ``html`` at ``url``."""
    links = [
        link for link in page_links(html, url)
        if rules.source.allows(link.url) and link.url not in rules.source.start_urls
    ]
    more = [link for link in links if rules.is_list_page(link, url)]
    more_urls = {link.url for link in more}
    entries = [link for link in links if link.url not in more_urls and rules.is_entry(link)]
    heading = list_heading(html)
    pages = pagination(html, url, more, len(entries))
    verdicts = {link.url: entry_verdict(link, heading, rules.source) for link in entries}
    reading = ListReading(entries, pages, layout_signature(html, url, {e.url for e in entries}), heading, verdicts=verdicts)
    if not entries:
        if looks_like_challenge(html):
            reading.problem = ("challenge_page", "列表页返回的是验证码、登录或拦截页面（HTTP 200）")
        else:
            reading.problem = ("list_empty", "列表页未发现任何候选链接（网站可能已改版）")
    return reading
