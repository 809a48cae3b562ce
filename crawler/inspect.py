"""``budgetwatch sources check``: fetch one list page and show what the
spider sees there — the tool for adding a new site.

One polite GET (robots.txt asked first, the source's user agent and
timeout, the body capped) read by the same ``crawler.listing.read_list``
the spider uses; no Scrapy process, nothing stored.
"""

from __future__ import annotations

import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from scrapy.http import HtmlResponse

from crawler.listing import ListReading, ListRules, read_list
from crawler.settings import base
from crawler.sources import Source

__all__ = ["ListCheck", "check_list", "LIST_PAGE_MAX_BYTES"]

LIST_PAGE_MAX_BYTES = 10 * 1024 * 1024


class _NoRedirectLoop(urllib.request.HTTPRedirectHandler):
    max_redirections = base.REDIRECT_MAX_TIMES


@dataclass(frozen=True)
class ListCheck:
    """One list page as fetched: ``error`` (Chinese) when it could not be
    read, else the spider's ``reading`` of it."""

    url: str
    final_url: str | None
    status: int | None
    reading: ListReading | None
    error: str | None = None


def _header(value: str) -> str:
    """A header value as http.client sends it (UTF-8 bytes, as Scrapy sends them)."""
    return value.encode("utf-8").decode("latin-1")


def _robots_allow(url: str, user_agent: str, timeout: float) -> bool:
    parts = urlsplit(url)
    parser = urllib.robotparser.RobotFileParser()
    robots = f"{parts.scheme}://{parts.netloc}/robots.txt"
    try:
        request = urllib.request.Request(robots, headers={"User-Agent": _header(user_agent)})
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            parser.parse(answer.read(LIST_PAGE_MAX_BYTES).decode("utf-8", "replace").splitlines())
    except urllib.error.HTTPError as exc:
        return exc.code not in (401, 403)  # no robots.txt: allowed
    except (OSError, ValueError):
        return True
    return parser.can_fetch(user_agent, url)


def check_list(source: Source, url: str | None = None) -> ListCheck:
    """Fetch ``url`` (default: the source's first start URL) and read it."""
    url = url or source.start_urls[0]
    user_agent = str(source.politeness.get("user_agent", base.USER_AGENT))
    timeout = float(source.politeness.get("download_timeout", base.DOWNLOAD_TIMEOUT))
    if not _robots_allow(url, user_agent, timeout):
        return ListCheck(url, None, None, None, "robots.txt 不允许抓取此页")
    opener = urllib.request.build_opener(_NoRedirectLoop())
    try:
        with opener.open(urllib.request.Request(url, headers={"User-Agent": _header(user_agent)}), timeout=timeout) as answer:
            body = answer.read(LIST_PAGE_MAX_BYTES)
            final_url, status, headers = answer.geturl(), answer.status, dict(answer.headers.items())
    except urllib.error.HTTPError as exc:
        message = "重定向循环或次数过多" if exc.code in (301, 302, 303, 307, 308) else f"HTTP {exc.code}"
        return ListCheck(url, None, exc.code, None, message)
    except (OSError, ValueError) as exc:
        return ListCheck(url, None, None, None, f"无法连接：{exc}")
    response = HtmlResponse(final_url, body=body, headers={k: v for k, v in headers.items()})
    return ListCheck(url, urljoin(url, final_url), status, read_list(response.text, final_url, ListRules.of(source)))
