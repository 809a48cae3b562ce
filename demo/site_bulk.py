"""A large section for the nightly-cost benchmark: ``count`` disclosures
published 2015–2024 on TRS list pages (20 per page, 下一页 links), each an
article with one small PDF (the crawler only sniffs the bytes; rendering
thousands of real disclosures would only slow the benchmark down)."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote

from demo.site_pages import Article, Attachment, Section, article_path

__all__ = ["BULK", "build_bulk"]

BULK = "bulk"
_OFFICES = ("教育局", "民政局", "财政局", "水利局", "审计局", "统计局", "商务局", "林业局", "司法局", "人防办")
_TOWNS = ("新乡市", "卫辉市", "辉县市", "长垣市", "获嘉县", "原阳县", "延津县", "封丘县", "红旗区", "卫滨区")


def _pdf(n: int) -> bytes:
    return b"%PDF-1.4\n% budgetwatch bulk disclosure " + str(n).encode() + b"\n" + b"0" * 8000 + b"\n%%EOF\n"


def build_bulk(files_base: str, count: int) -> Section:
    section = Section(BULK, "新乡市部门预决算公开（大量文件）", "trs", "/bulk/yjsgk/index.html", [], per_page=20)
    first = date(2015, 2, 1)
    articles = []
    for n in range(count):
        office = f"{_TOWNS[n % len(_TOWNS)]}{_OFFICES[(n // len(_TOWNS)) % len(_OFFICES)]}第{n // 100 + 1}分局"
        kind = "预算" if n % 2 else "决算"
        day = first + timedelta(days=(n * 3653) // count)
        year = day.year if kind == "预算" else day.year - 1
        title = f"{year}年度{office}部门{kind}"
        url = f"{files_base}/files/bulk/{quote(title)}.pdf"
        articles.append(Article(title, day, article_path(section, day, 10000 + n), [Attachment(f"{title}.pdf", url, _pdf(n))]))
    section.articles = sorted(articles, key=lambda a: a.published, reverse=True)
    return section
