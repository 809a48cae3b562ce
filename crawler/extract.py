"""Read list and detail pages of the common CMS layouts (pure, on responses).

Hanweb column pages (``/col/colN/index.html``) carry their records inside a
``<script type="text/xml"><datastore>`` block as CDATA; TRS and plain list
pages carry ordinary links. Detail pages name their title and publish date
in ``<meta name="ArticleTitle">`` / ``<meta name="PubDate">`` or in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

from crawler.sniff import DOCUMENT_EXTENSIONS, file_name_from

__all__ = [
    "Link",
    "Layout",
    "LAYOUTS",
    "page_links",
    "unique_links",
    "parse_date",
    "page_title",
    "page_date",
    "is_next_link",
    "newest_first",
    "is_file_url",
    "is_html_url",
    "has_disclosure_table",
    "Pagination",
    "pagination",
    "page_family",
    "layout_signature",
    "looks_like_challenge",
    "list_heading",
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
    return unique_links(links)


def unique_links(links: Iterable[Link], present: Iterable[Link] = ()) -> list[Link]:
    """``links`` in order, each URL once, leaving out those among ``present``."""
    seen = {link.url for link in present}
    unique = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            unique.append(link)
    return unique


def is_next_link(link: Link) -> bool:
    return link.text.strip() in _NEXT_TEXTS


def newest_first(links: list[Link]) -> bool:
    """Whether every link is dated and the dates never increase: a list whose
    new entries appear at its top."""
    dates = [link.date for link in links]
    return bool(dates) and None not in dates and all(a >= b for a, b in zip(dates, dates[1:], strict=False))  # type: ignore[operator]


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


# -- pagination ---------------------------------------------------------------

_PAGE_SUFFIX = re.compile(r"^(?P<stem>.*?)(?:_(?P<n>\d{1,4}))?(?:\.(?P<ext>s?html?|jsp|php|aspx?))?$")
_PAGE_PARAMS = {"page", "pageno", "pagenum", "pageindex", "p", "pn", "curpage", "currentpage", "page_no"}
_TRS_CALL = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_JS_VAR = re.compile(r"(?:var|let|const)?\s*([A-Za-z_$][\w$]*)\s*=\s*(\d+|\"[^\"]*\"|'[^']*')(?=\s*(?:[;,\n]|//|$))")
_TOTAL_PAGES = re.compile(r"共\s*(\d+)\s*页|(\d+)\s*页\s*共|/\s*(\d+)\s*页")
_HANWEB_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*(\d+)", re.I)
_HANWEB_NEXT = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=[\"']([^\"']+)[\"']", re.S)


@dataclass(frozen=True)
class Pagination:
    """Further list pages a page announces. ``declared`` is the page count
    the page prints (共 N 页, createPageHTML), if any; ``problem`` says why
    announced pages could not be read."""

    urls: tuple[str, ...] = ()
    declared: int | None = None
    problem: str | None = None


def page_family(url: str) -> tuple[str, str, str, str] | None:
    """What the pages of one paginated list share: host, folder, file stem
    and query without the page number (``index.html`` ≡ ``index_3.shtml`` ≡
    ``list.jsp?page=3``)."""
    parts = urlsplit(url)
    folder, _, name = parts.path.rpartition("/")
    match = _PAGE_SUFFIX.match(name or "index")
    if match is None:
        return None
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if k.lower() not in _PAGE_PARAMS))
    return (parts.netloc, folder, match["stem"] or "index", query)


def _js_value(token: str, variables: dict[str, str]) -> str | None:
    token = token.strip()
    if token.isdigit():
        return token
    if token[:1] in "\"'" and token[-1:] == token[:1]:
        return token[1:-1]
    return variables.get(token)


def _trs_pages(html: str, url: str) -> Pagination | None:
    """TRS ``createPageHTML(count, current, "index", "shtml")``: pages
    ``index.shtml``, ``index_1.shtml`` … beside the list page."""
    call = _TRS_CALL.search(html)
    if call is None:
        return None
    variables = {}
    for name, value in _JS_VAR.findall(html[: call.start()]):
        variables[name] = value.strip("\"'")
    args = [_js_value(a, variables) for a in call.group(1).split(",")]
    if len(args) < 4 or not (args[0] or "").isdigit() or not (args[1] or "").isdigit() or not args[2] or not args[3]:
        return Pagination(problem=f"无法读出 createPageHTML({call.group(1).strip()}) 的参数")
    count, stem, ext = int(args[0]), args[2], args[3]
    urls = tuple(urljoin(url, f"{stem}_{n}.{ext}") for n in range(1, count))
    return Pagination(urls, declared=count)


def _hanweb_pages(html: str, url: str, records: int) -> Pagination | None:
    """Hanweb: the column page holds the first records; the rest come from
    the data request named in ``<nextgroup>`` (``startrecord``/``endrecord``)."""
    total = _HANWEB_TOTAL.search(html)
    if total is None or records == 0 or "startrecord=" in url:  # no total, or itself a data request
        return None
    count = int(total.group(1) or total.group(2))
    if count <= records:
        return Pagination(declared=1)
    nextgroup = _HANWEB_NEXT.search(html)
    if nextgroup is None:
        return Pagination(declared=None, problem=f"共 {count} 条记录，但页面没有数据请求地址（nextgroup）")
    base = urlsplit(urljoin(url, nextgroup.group(1)))
    params = [(k, v) for k, v in parse_qsl(base.query) if k not in ("startrecord", "endrecord", "perpage")]
    urls = []
    for start in range(records + 1, count + 1, records):
        query = urlencode([*params, ("startrecord", start), ("endrecord", min(start + records - 1, count)), ("perpage", records)])
        urls.append(urlunsplit((base.scheme, base.netloc, base.path, query, "")))
    return Pagination(tuple(urls), declared=-(-count // records))


def pagination(html: str, url: str, links: list[Link], records: int) -> Pagination:
    """The list pages a list page leads to, with no per-site code: 下一页
    links, links to the same list under another page number (``_N.html``,
    ``?page=N``), TRS ``createPageHTML`` and Hanweb data requests.

    ``records`` is the number of entries read from the page (Hanweb's
    group size). A page that prints a page count but yields no way to the
    other pages gets a ``problem``.
    """
    family = page_family(url)
    found = [link.url for link in links if is_next_link(link) or (family and page_family(link.url) == family and link.url != url)]
    declared = None
    problems = []
    for special in (_trs_pages(html, url), _hanweb_pages(html, url, records)):
        if special is None:
            continue
        found.extend(special.urls)
        declared = special.declared or declared
        if special.problem:
            problems.append(special.problem)
    if declared is None and (printed := _TOTAL_PAGES.search(" ".join(Selector(text=html).css("body ::text").getall()))):
        declared = int(next(g for g in printed.groups() if g))
    unique = tuple(dict.fromkeys(u for u in found if u != url))
    if not unique and declared and declared > 1 and not problems:
        problems.append(f"页面显示共 {declared} 页，但未找到翻页地址")
    return Pagination(unique, declared, "；".join(problems) or None)


# -- page health ----------------------------------------------------------------

_CHALLENGE = re.compile(
    r"验证码|安全验证|人机验证|滑动验证|访问验证|请完成验证|请登录|用户登录|统一身份认证|访问过于频繁|访问受限|"
    r"captcha|verify you are human|access denied|请开启JavaScript|请启用JavaScript",
    re.I,
)


def looks_like_challenge(html: str) -> bool:
    """A login, captcha or anti-bot page answered with HTTP 200."""
    return bool(_CHALLENGE.search(" ".join(Selector(text=html).css("title::text, body ::text").getall())))


def _anchor_path(anchor: Selector) -> str:
    steps = []
    for node in anchor.xpath("ancestor-or-self::*")[-5:]:
        tag = node.root.tag if isinstance(node.root.tag, str) else "?"
        cls = (node.attrib.get("class") or "").split()
        steps.append(tag + (f".{cls[0]}" if cls else ""))
    return ">".join(steps)


def layout_signature(html: str, base_url: str, entry_urls: set[str]) -> str | None:
    """Where a list page prints its entries: the most common element path
    (tags and first class, five levels) of the anchors leading to them.
    Hanweb records (in a script block) count as ``record``."""
    paths: dict[str, int] = {}
    for anchor in Selector(text=html).css("a[href]"):
        if urljoin(base_url, (anchor.attrib.get("href") or "").strip()) in entry_urls:
            path = _anchor_path(anchor)
            paths[path] = paths.get(path, 0) + 1
    if not paths and _RECORD.search(html):
        return "record"
    return max(paths, key=lambda p: paths[p]) if paths else None


def list_heading(html: str) -> str:
    """The list's own name (its heading, else the page title): a clue to
    what its entries are."""
    sel = Selector(text=html)
    for query in ("h2 ::text", "h1 ::text", ".title ::text", "title::text"):
        if text := _clean(" ".join(sel.css(query).getall())):
            return text
    return ""
