"""HTML of the replica site, in the shapes real CMSs print.

``hanweb``: a column page whose first records sit in a ``<datastore>``
script block, the rest behind its data request (``data_records``),
articles at ``/art/Y/M/D/art_C_N.html``. ``trs``: ``index.html``,
``index_1.html``… with 下一页 links, or (``pager="script"``) only a
``createPageHTML(count, current, "index", "shtml")`` call; articles at
``YYYYMM/tYYYYMMDD_N.html``. ``plain``: ``list.html``, ``list_2.html``… of
ordinary links. A section can be ``broken`` the ways real lists break:
``empty`` (a redesign filled by script), ``challenge`` (a captcha page
answered with HTTP 200); ``redirect_loop`` is served by ``demo.site``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import Any

__all__ = ["Attachment", "Article", "Section", "list_pages", "data_records", "detail_page", "article_path", "CHALLENGE_PAGE"]


@dataclass
class Attachment:
    """A file linked from an article; ``body`` ``None`` answers 404."""

    text: str
    url: str
    body: bytes | None
    content_type: str = "application/pdf"
    disposition: bytes | None = None
    spec: Any = None  # the DocSpec the body was rendered from, if any
    redirect_loop: bool = False  # the URL redirects to a twin that redirects back
    stream_bytes: int = 0  # served as this many streamed bytes without Content-Length


@dataclass
class Article:
    title: str
    published: date
    path: str
    attachments: list[Attachment] = field(default_factory=list)
    body_html: str = ""
    delay: float = 0.0
    listed: bool = True  # False: still served at its URL, but no list links it


@dataclass
class Section:
    id: str
    name: str
    layout: str
    list_path: str
    articles: list[Article]
    per_page: int = 10
    pager: str = "links"  # links | script (TRS createPageHTML only)
    broken: str | None = None  # None | empty | challenge | redirect_loop


def article_path(section: Section, day: date, number: int) -> str:
    """Where an article of ``section`` published on ``day`` lives."""
    if section.layout == "hanweb":
        return f"/art/{day.year}/{day.month}/{day.day}/art_1001_{number}.html"
    directory = section.list_path.rsplit("/", 1)[0]
    if section.layout == "trs":
        return f"{directory}/{day:%Y%m}/t{day:%Y%m%d}_{number}.html"
    return f"{directory}/{day:%Y%m%d}/c{number}.html"


def _page(title: str, body: str, head: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(title)}</title>{head}</head>"
        f"<body><div class='header'><a href='/'>首页</a> <a href='/col/col1000/index.html'>政府信息公开</a></div>"
        f"{body}</body></html>"
    )


def _chunks(section: Section) -> list[list[Article]]:
    items = [a for a in section.articles if a.listed]
    return [items[i: i + section.per_page] for i in range(0, len(items), section.per_page)] or [[]]


def _page_path(section: Section, number: int) -> str:
    if number == 0:
        return section.list_path
    directory, name = section.list_path.rsplit("/", 1)
    stem, ext = name.rsplit(".", 1)
    suffix = number if section.layout == "trs" else number + 1
    return f"{directory}/{stem}_{suffix}.{ext}"


def _li(article: Article, href: str) -> str:
    return (
        f"<li><a href='{escape(href)}' title='{escape(article.title)}' target='_blank'>{escape(article.title)}</a>"
        f"<span class='date'>{article.published.isoformat()}</span></li>"
    )


CHALLENGE_PAGE = _page(
    "安全验证",
    "<div class='verify'><h3>访问验证</h3><p>请输入验证码后继续访问</p>"
    "<img src='/captcha.jpg'><form><input name='code'><button>提交</button></form></div>",
)


def _records(articles: list[Article]) -> str:
    return "".join(f"<record><![CDATA[{_li(a, a.path)}]]></record>" for a in articles)


def data_records(section: Section, start: int, end: int) -> str:
    """The Hanweb data request's answer: records ``start``..``end`` (1-based)."""
    chosen = [] if section.broken else section.articles[start - 1: end]
    return (
        f"<?xml version='1.0' encoding='UTF-8'?><datastore><totalrecord>{len(section.articles)}</totalrecord>"
        f"<recordset>{_records(chosen)}</recordset></datastore>"
    )


def list_pages(section: Section) -> dict[str, str]:
    """Every list page of ``section`` by path."""
    if section.broken == "challenge":
        return {section.list_path: CHALLENGE_PAGE}
    if section.broken == "empty":  # a redesign whose list a script fills in
        body = f"<h2>{escape(section.name)}</h2><div id='list' data-src='/api/list.json'></div>"
        return {section.list_path: _page(section.name, body)}
    if section.layout == "hanweb":
        body = (
            f"<div class='nav'><a href='/col/col1002/index.html'>部门预算</a>"
            f"<a href='/col/col1003/index.html'>部门决算</a></div><h2>{escape(section.name)}</h2>"
            f"<div id='{section.id}'><script type='text/xml'><datastore>"
            f"<nextgroup><![CDATA[<a href='/module/web/jpage/dataproxy.jsp?page=1&columnid=1001'></a>]]></nextgroup>"
            f"<totalrecord>{len(section.articles)}</totalrecord>"
            f"<recordset>{_records(section.articles[: section.per_page])}</recordset></datastore></script></div>"
        )
        return {section.list_path: _page(section.name, body)}
    chunks = _chunks(section)
    pages = {}
    for number, chunk in enumerate(chunks):
        directory = section.list_path.rsplit("/", 1)[0]
        links = "".join(_li(a, a.path.removeprefix(directory + "/") if section.layout == "trs" else a.path) for a in chunk)
        pager = ""
        if section.pager == "script":
            stem, ext = section.list_path.rsplit("/", 1)[1].rsplit(".", 1)
            pager = f"<div class='page'><script>createPageHTML({len(chunks)}, {number}, \"{stem}\", \"{ext}\");</script></div>"
        elif number + 1 < len(chunks):
            following = _page_path(section, number + 1).rsplit("/", 1)[1]
            pager = f"<div class='page'><a href='{following}'>下一页</a> <a href='{_page_path(section, len(chunks) - 1).rsplit('/', 1)[1]}'>尾页</a></div>"
        body = f"<h2>{escape(section.name)}</h2><ul class='list'>{links}</ul>{pager}"
        pages[_page_path(section, number)] = _page(section.name, body)
    return pages


def detail_page(section: Section, article: Article) -> str:
    stamp = article.published.isoformat()
    files = "".join(f"<p><a href='{escape(a.url)}'>{escape(a.text)}</a></p>" for a in article.attachments)
    attachments = f"<div class='fj'>附件：{files}</div>" if files else ""
    head = (
        f"<meta name='ArticleTitle' content='{escape(article.title)}'>"
        f"<meta name='PubDate' content='{stamp} 09:30'>"
        if section.layout != "plain"
        else ""
    )
    body = (
        f"<div class='title'><h1>{escape(article.title)}</h1></div>"
        f"<div class='info'>发布时间：{stamp}　来源：{escape(section.name)}</div>"
        f"<div id='zoom' class='TRS_Editor'><p>根据预算法和地方预决算公开操作规程，现将{escape(article.title)}予以公开。</p>"
        f"{article.body_html}</div>{attachments}"
    )
    return _page(article.title, body, head)
