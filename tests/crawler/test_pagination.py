"""Pagination of the common CMSs with no per-site code (pure, on HTML)."""

from __future__ import annotations

from crawler.extract import Link, page_family, pagination

LIST = "https://czj.example.gov.cn/zwgk/yjsgk/index.shtml"


def test_trs_create_page_html_with_literals() -> None:
    html = '<div class="page"><script>createPageHTML(4, 0, "index", "shtml");</script></div>'
    found = pagination(html, LIST, [], 20)
    assert found.urls == tuple(f"https://czj.example.gov.cn/zwgk/yjsgk/index_{n}.shtml" for n in (1, 2, 3))
    assert found.declared == 4 and found.problem is None


def test_trs_create_page_html_with_variables() -> None:
    html = "<script>var countPage = 3//共多少页\n;var currentPage = 0;createPageHTML(countPage, currentPage, 'index', 'html');</script>"
    found = pagination(html, "https://a.gov.cn/col/index.html", [], 20)
    assert found.urls == ("https://a.gov.cn/col/index_1.html", "https://a.gov.cn/col/index_2.html")


def test_unreadable_pagination_is_named() -> None:
    found = pagination("<script>createPageHTML(getCount(), 0, 'index', 'shtml')</script>", LIST, [], 20)
    assert found.urls == () and "createPageHTML" in (found.problem or "")
    printed = pagination("<body><ul><li>…</li></ul><span>共 12 页</span></body>", LIST, [], 20)
    assert printed.declared == 12 and "共 12 页" in (printed.problem or "")


def test_same_list_under_another_page_number() -> None:
    assert page_family("http://a.gov.cn/x/list.html") == page_family("http://a.gov.cn/x/list_7.html")
    assert page_family("http://a.gov.cn/x/") == page_family("http://a.gov.cn/x/index_2.shtml")
    assert page_family("http://a.gov.cn/l.jsp?cat=4&page=2") == page_family("http://a.gov.cn/l.jsp?page=9&cat=4")
    assert page_family("http://a.gov.cn/l.jsp?cat=4&page=2") != page_family("http://a.gov.cn/l.jsp?cat=5&page=2")
    links = [Link("http://a.gov.cn/l.jsp?cat=4&page=2", "2"), Link("http://a.gov.cn/l.jsp?cat=4&page=3", "3")]
    assert pagination("<body></body>", "http://a.gov.cn/l.jsp?cat=4", links, 20).urls == tuple(l.url for l in links)


def test_hanweb_data_requests_fetch_the_records_after_the_first_group() -> None:
    html = (
        "<script type='text/xml'><datastore><nextgroup><![CDATA[<a href='/module/web/jpage/dataproxy.jsp?page=1&columnid=9'></a>]]>"
        "</nextgroup><totalrecord>100</totalrecord><recordset>…</recordset></datastore></script>"
    )
    found = pagination(html, "http://a.gov.cn/col/col9/index.html", [], 45)
    assert found.urls == (
        "http://a.gov.cn/module/web/jpage/dataproxy.jsp?page=1&columnid=9&startrecord=46&endrecord=90&perpage=45",
        "http://a.gov.cn/module/web/jpage/dataproxy.jsp?page=1&columnid=9&startrecord=91&endrecord=100&perpage=45",
    )
    answer = pagination("<datastore><totalrecord>100</totalrecord></datastore>", found.urls[0], [], 45)
    assert answer.urls == () and answer.problem is None  # a data request's answer leads nowhere further
