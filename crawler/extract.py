"""Read list and detail pages of the common CMS layouts (pure, on responses).

Hanweb column pages (``/col/colN/index.html``) carry their records inside a
``<script type="text/xml"><datastore>`` block as CDATA; TRS and plain list
pages carry ordinary links. Detail pages name their title and publish date
in ``<meta name="ArticleTitle">`` / ``<meta name="PubDate">`` or in the text.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.sniff import DOCUMENT_EXTENSIONS, file_name_from

__all__ = [
    "Link",
    "Layout",
    "LAYOUTS",
    "page_links",
    "parse_date",
    "page_title",
    "page_date",
    "is_next_link",
    "is_file_url",
    "is_html_url",
    "has_disclosure_table",
]


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    date: str | None = None  # ISO date printed beside the link, if any

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Layout:
    """URL shapes of one CMS family."""

    name: str
    detail: re.Pattern[str]


LAYOUTS: dict[str, Layout] = {
    "hanweb": Layout("hanweb", re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$")),
    "trs": Layout("trs", re.compile(r"/t\d{8}_\d+\.s?html?$")),
}

_HTML_PATH = re.compile(r"(\.s?html?|/[^./]*)$")
_NEXT_TEXTS = ("下一页", "下页", "后一页", "next", "Next", "›", ">")
_DATE = re.compile(r"(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_TRS_DATE = re.compile(r"/t(20\d{2})(\d{2})(\d{2})_\d+")
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_PUBLISH_LABEL = re.compile(r"(发布|公开|成文|发文)(时间|日期)\s*[:：]?\s*")


def parse_date(text: str | None) -> str | None:
    """The first date in ``text`` as ISO ``YYYY-MM-DD``, if valid."""
    if not text or not (match := _DATE.search(text)):
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _anchor_links(selector: Selector, base_url: str) -> list[Link]:
    links = []
    for anchor in selector.css("a[href]"):
        href = (anchor.attrib.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        text = _clean(anchor.attrib.get("title") or " ".join(anchor.css("::text").getall()))
        container = anchor.xpath("ancestor::li[1] | ancestor::tr[1]")
        nearby = " ".join(container[-1].css("::text").getall()) if container else ""
        links.append(Link(urljoin(base_url, href), text, parse_date(nearby.replace(text, ""))))
    return links


def page_links(html: str, base_url: str) -> list[Link]:
    """Every link of a page, Hanweb datastore records included, in order."""
    links = _anchor_links(Selector(text=html), base_url)
    for record in _RECORD.findall(html):
        links.extend(_anchor_links(Selector(text=record), base_url))
    seen: set[str] = set()
    unique = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            unique.append(link)
    return unique


def is_next_link(link: Link) -> bool:
    return link.text.strip() in _NEXT_TEXTS


def is_html_url(url: str) -> bool:
    return bool(_HTML_PATH.search(urlsplit(url).path))


def is_file_url(url: str) -> bool:
    name = (file_name_from(url) or "").lower()
    return name.endswith(DOCUMENT_EXTENSIONS) or "/download" in urlsplit(url).path.lower()


def page_title(html: str) -> str:
    sel = Selector(text=html)
    for query in (
        'meta[name="ArticleTitle"]::attr(content)',
        "h1 ::text",
        ".title ::text",
        "title::text",
    ):
        if text := _clean(" ".join(sel.css(query).getall())):
            return text
    return ""


def page_date(html: str, url: str) -> str | None:
    """The publish date: PubDate meta, a 发布时间 label, or a TRS URL."""
    sel = Selector(text=html)
    if found := parse_date(sel.css('meta[name="PubDate"]::attr(content)').get()):
        return found
    text = " ".join(sel.css("body ::text").getall())
    if label := _PUBLISH_LABEL.search(text):
        if found := parse_date(text[label.end(): label.end() + 40]):
            return found
    if match := _TRS_DATE.search(url):
        return parse_date("-".join(match.groups()))
    return None


def has_disclosure_table(html: str) -> bool:
    """Whether the page body itself is a disclosure: a table of amounts."""
    sel = Selector(text=html)
    for table in sel.css("table"):
        text = " ".join(table.css("::text").getall())
        if re.search(r"预算|决算|合计", text) and len(re.findall(r"\d+\.\d{2}", text)) >= 3:
            return True
    return False
