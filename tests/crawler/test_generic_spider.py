"""Spider callbacks on saved pages of both CMS layouts (no network)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse, Request

from crawler.classify import classify
from crawler.items import Event, FileFetched, PageFetched, Unchanged
from crawler.sources import parse_sources
from crawler.spiders.generic import GenericSpider

FILES = Path(__file__).resolve().parents[1] / "files" / "crawler"


def _spider(layout: str, host: str, start: str) -> GenericSpider:
    (source,) = parse_sources(
        {
            "sources": [
                {
                    "id": "t",
                    "name": "测试",
                    "region": "县",
                    "layout": layout,
                    "start_urls": [start],
                    "allowed_hosts": [host, f"oss.{host.removeprefix('www.')}"],
                }
            ]
        }
    )
    return GenericSpider(sources=[source])


def _response(url: str, fixture: str | None, status: int = 200, **meta: Any) -> HtmlResponse:
    body = (FILES / fixture).read_bytes() if fixture else b""
    request = Request(url, meta={"candidate_url": url, "source_id": "t", **meta})
    return HtmlResponse(url, status=status, body=body, encoding="utf-8", request=request)


def _split(output: Any) -> tuple[list[Request], list[Any]]:
    out = list(output)
    return [o for o in out if isinstance(o, Request)], [o for o in out if not isinstance(o, Request)]


HANWEB_LIST = "http://www.jzzz.gov.cn/col/col1001/index.html"
TRS_LIST = "https://www.xinxiang.gov.cn/zwgk/czyjs/index.html"


def test_hanweb_list_reads_datastore_records() -> None:
    spider = _spider("hanweb", "www.jzzz.gov.cn", HANWEB_LIST)
    requests, items = _split(spider.parse_list(_response(HANWEB_LIST, "hanweb_col1001.html", list_page=1)))
    assert [r.url for r in requests] == [
        "http://www.jzzz.gov.cn/art/2024/2/20/art_1001_7.html",
        "http://www.jzzz.gov.cn/art/2024/9/25/art_1001_3.html",
    ]
    # the full title comes from the title attribute, the date from the record
    assert requests[0].meta["link_text"] == "2024年度焦作市中站区政务服务和大数据管理局部门预算公开"
    assert requests[0].meta["list_date"] == "2024-02-20"
    skipped = [i for i in items if isinstance(i, Event)]
    assert [(e.level, e.code) for e in skipped] == [("skipped", "annual_report")]
    (page,) = [i for i in items if isinstance(i, PageFetched)]
    assert len(page.page["links"]) == 3  # nav, other-host and javascript links are not kept


def test_hanweb_detail_finds_attachment_and_skips_performance_report() -> None:
    spider = _spider("hanweb", "www.jzzz.gov.cn", HANWEB_LIST)
    url = "http://www.jzzz.gov.cn/art/2024/2/20/art_1001_7.html"
    requests, items = _split(spider.parse_detail(_response(url, "hanweb_art.html", link_text="2024年度焦作市中站区…")))
    (request,) = requests
    assert request.url == "http://www.jzzz.gov.cn/module/download/downfile.jsp?classid=0&filename=2402201030.pdf"
    verdict = request.meta["classification"]
    assert (verdict.kind, verdict.year, verdict.department, verdict.scope) == (
        "预算", 2024, "焦作市中站区政务服务和大数据管理局", "部门"
    )
    assert request.meta["published"] == "2024-02-20"
    assert request.meta["page_url"] == url
    assert [(e.level, e.code) for e in items if isinstance(e, Event)] == [("skipped", "performance")]


def test_trs_list_paginates_and_takes_direct_files() -> None:
    spider = _spider("trs", "www.xinxiang.gov.cn", TRS_LIST)
    requests, items = _split(spider.parse_list(_response(TRS_LIST, "trs_index.html", list_page=1)))
    by_role = {r.meta["role"]: r for r in requests}
    assert by_role["detail"].url == "https://www.xinxiang.gov.cn/zwgk/czyjs/202409/t20240920_5004.html"
    # 下一页 and 尾页 are both pages of the same list (index_N.html)
    lists = [r for r in requests if r.meta["role"] == "list"]
    assert [r.url.rsplit("/", 1)[1] for r in lists] == ["index_1.html", "index_9.html"]
    assert {r.meta["list_page"] for r in lists} == {2}
    assert by_role["file"].url == "http://oss.xinxiang.gov.cn/P020240301_1.pdf"
    assert by_role["file"].meta["classification"].department == "新乡市财政局"
    assert len(requests) == 4
    assert [e.code for e in items if isinstance(e, Event)] == ["performance"]


def test_pagination_stops_at_the_cap() -> None:
    spider = _spider("trs", "www.xinxiang.gov.cn", TRS_LIST)
    requests, items = _split(spider.parse_list(_response(TRS_LIST, "trs_index.html", list_page=300)))
    assert all(r.meta["role"] != "list" for r in requests)
    assert [e.code for e in items if isinstance(e, Event) and e.level == "warning"] == ["list_cap_reached"]
    assert spider.crawls["t"].truncated and not spider.crawls["t"].lists_complete


def test_detail_page_that_is_the_disclosure_is_kept() -> None:
    spider = _spider("trs", "www.xinxiang.gov.cn", TRS_LIST)
    url = "https://www.xinxiang.gov.cn/zwgk/czyjs/202403/t20240301_5002.html"
    requests, items = _split(spider.parse_detail(_response(url, "trs_detail_table.html")))
    assert requests == []
    (document,) = [i for i in items if isinstance(i, FileFetched)]
    assert document.declared_format == "html"
    assert document.published == "2024-03-01"  # from the TRS URL
    assert document.classification == classify("2024年度新乡市机关事务服务中心单位预算三公经费公开", region=spider.crawls["t"].source.home)
    assert document.classification.region == "市"  # named by its own place, not the source's level (县)


def test_redesigned_list_page_is_a_source_health_event() -> None:
    spider = _spider("auto", "www.yanshi.gov.cn", "http://www.yanshi.gov.cn/zwgk/czyjs/")
    requests, items = _split(
        spider.parse_list(_response("http://www.yanshi.gov.cn/zwgk/czyjs/", "plain_redesigned.html", list_page=1))
    )
    assert requests == []
    assert [(e.level, e.code) for e in items if isinstance(e, Event)] == [("error", "list_empty")]
    assert not any(isinstance(i, PageFetched) for i in items)  # the last healthy reading is kept
    assert spider.crawls["t"].problems == ["list_empty"] and not spider.crawls["t"].lists_complete


def test_unchanged_list_replays_its_stored_links() -> None:
    spider = _spider("trs", "www.xinxiang.gov.cn", TRS_LIST)
    known = {
        "links": [
            {"url": "https://www.xinxiang.gov.cn/zwgk/czyjs/202409/t20240920_5004.html",
             "text": "2023年度新乡市政务服务和大数据管理局部门决算", "date": "2024-09-20"}
        ]
    }
    response = _response(TRS_LIST, None, status=304, list_page=1, known_page=known)
    requests, items = _split(spider.parse_list(response))
    assert [r.url for r in requests] == [known["links"][0]["url"]]
    assert items == [Unchanged(TRS_LIST, "list", source_id="t")]


def test_changed_layout_is_a_health_event_but_the_entries_are_followed() -> None:
    spider = _spider("trs", "www.xinxiang.gov.cn", TRS_LIST)
    known = {"signature": "html>body>div.news>p>a", "links": []}
    requests, items = _split(spider.parse_list(_response(TRS_LIST, "trs_index.html", list_page=1, known_page=known)))
    assert [(e.level, e.code) for e in items if isinstance(e, Event) and e.level == "error"] == [("error", "layout_changed")]
    (page,) = [i for i in items if isinstance(i, PageFetched)]
    assert page.page["signature"] == "html>body>ul.list>li>a"  # the new layout is remembered
    assert any(r.meta["role"] == "detail" for r in requests)
    assert spider.crawls["t"].problems == ["layout_changed"]


def test_challenge_page_answered_200_is_a_health_event() -> None:
    spider = _spider("trs", "www.xinxiang.gov.cn", TRS_LIST)
    response = HtmlResponse(
        TRS_LIST, body="<html><title>安全验证</title><body>请输入验证码 <input name='code'></body></html>".encode(),
        encoding="utf-8", request=Request(TRS_LIST, meta={"candidate_url": TRS_LIST, "source_id": "t", "list_page": 1}),
    )
    requests, items = _split(spider.parse_list(response))
    assert requests == [] and [e.code for e in items] == ["challenge_page"]
