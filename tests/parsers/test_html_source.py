"""Pages whose body is the disclosure are read like any other source; error pages stay errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parsers import UnsupportedFormat, parse_bytes
from parsers.html_source import read_html
from parsers.layout import Grid, TextLine

PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>公开</title></head><body>
<div class="header"><a href="/">首页</a> <a href="/zwgk">政府信息公开</a></div>
<div class="crumb">当前位置：首页 &gt; 财政预决算</div>
<div id="zoom"><h1>2024年度新乡市机关事务服务中心单位预算公开</h1>
<p>单位：万元</p>
<table border="1">
<tr><th rowspan="2">项目</th><th colspan="2">预算数</th></tr>
<tr><th>2024年</th><th>2023年</th></tr>
<tr><td>合计</td><td>12.50</td><td>13.80</td></tr>
<tr><td>公务接待费</td><td>4.20</td><td>4.70</td></tr>
</table></div><script>var x = "<table><tr><td>9.99</td></tr></table>";</script></body></html>"""


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_a_disclosure_page_becomes_text_lines_and_a_grid_with_merged_cells(charset: str) -> None:
    blocks, pages = read_html(PAGE.format(charset=charset).encode(charset))
    texts = [b.text for b in blocks if isinstance(b, TextLine)]
    grids = [b for b in blocks if isinstance(b, Grid)]
    assert pages == 1
    assert texts[0] == "2024年度新乡市机关事务服务中心单位预算公开", "site chrome (menus, breadcrumbs) is not the document"
    assert "首页" not in " ".join(texts)
    assert len(grids) == 1, "a table written inside a script is no table"
    assert grids[0].rows == [
        ["项目", "预算数", None],
        [None, "2024年", "2023年"],
        ["合计", "12.50", "13.80"],
        ["公务接待费", "4.20", "4.70"],
    ]


def test_a_parsed_page_keeps_its_figures_as_decimals() -> None:
    doc = parse_bytes(PAGE.format(charset="utf-8").encode(), "page.html")
    assert doc.source.format == "html" and doc.year == 2024
    amounts = {item.amount for table in doc.tables for item in table.items}
    assert {Decimal("12.50"), Decimal("4.70")} <= amounts


def test_an_error_page_served_as_a_file_is_refused_with_a_clear_message() -> None:
    with pytest.raises(UnsupportedFormat, match="HTML 网页"):
        parse_bytes(b"<html><body><h1>404 Not Found</h1><table><tr><td>\xe8\xbf\x94\xe5\x9b\x9e</td></tr></table></body></html>",
                    "budget.pdf")
