"""The archive browser in real headless chromium, on a database built by the pipeline from rendered seeds."""

from __future__ import annotations

import hashlib
import unicodedata
from decimal import Decimal
from urllib.parse import quote

import pypdfium2 as pdfium
import pytest

from tests.web.sample_db import SCRIPT_TITLE, THREE_YEARS
from tests.web.stored import finding_cells, finding_id, three_public_finals


# seed 003's department (中共焦作市中站区委): its 302 line is printed as 161.08 where 96.77 adds up.
CLICK_DEPARTMENT, CLICK_YEAR = "中国共产党焦作市中站区委员会", 2023


def _department_url(sample_db) -> str:  # noqa: ANN001
    return "/departments/" + quote(sample_db.three_year_department, safe="")


def test_every_page_type_loads_with_data(page, client, sample_db):  # noqa: ANN001
    home = client.get("/.json").json()
    region = home["regions"][0]["region"]
    finding = next(f["id"] for f in client.get("/findings.json").json()["findings"] if f.get("page"))  # one on a page
    expectations = {
        "/": "新公开的文件",
        f"/regions/{quote(region)}": region,
        _department_url(sample_db): sample_db.three_year_department,
        f"/documents/{sample_db.revised_document_id}": "版本（2）",
        f"/documents/{sample_db.revised_document_id}/items": "明细数字",
        "/findings?severity=high": "问题",
        f"/findings/{finding}": "位置",
        f"/findings/{finding}/evidence": "原文第",
        "/search?q=" + quote("焦作"): "焦作市中站区",
        "/runs": "replica-xinxiang",
        "/runs/1": "replica-zhongzhan",
        f"/crawls/{sample_db.script_crawl_id}": "not_a_document",
    }
    versions = client.get(f"/documents/{sample_db.revised_document_id}.json").json()["versions"]
    expectations[f"/diff?a={versions[0]['id']}&b={versions[1]['id']}"] = "公务接待费"
    for path, text in expectations.items():
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert text in page.inner_text("main"), path


def test_click_path_department_document_finding_evidence_original(page):  # noqa: ANN001
    page.goto("/departments/" + quote(CLICK_DEPARTMENT, safe=""))
    page.locator(f"xpath=//ol[@class='timeline']/li[b='{CLICK_YEAR}']//a[contains(., '决算')]").first.click()
    page.wait_for_url("**/documents/*")
    row = page.locator("table.findings tr", has_text="arithmetic.hierarchy").first
    row.locator("a[href^='/findings/']").first.click()
    page.wait_for_url("**/findings/*")
    page.locator("a.evidence-link").click()
    page.wait_for_url("**/evidence")
    page.wait_for_function("document.getElementById('page-image').complete")
    assert page.evaluate("document.getElementById('page-image').naturalWidth") > 500
    assert page.locator(".page-view .box").count() >= 1
    with page.expect_download() as download_info:
        page.evaluate("""() => { const a = document.querySelector('a.original'); a.setAttribute('download', ''); a.click(); }""")
    data = open(download_info.value.path(), "rb").read()
    assert data.startswith(b"%PDF")
    assert page.locator("a.original").get_attribute("href") == f"/files/{hashlib.sha256(data).hexdigest()}"


def test_three_public_chart_shows_the_stored_figures(page, sample_db):  # noqa: ANN001
    stored = three_public_finals(sample_db.database_url, sample_db.three_year_department)
    assert sorted(stored) == list(THREE_YEARS)
    page.goto(_department_url(sample_db))
    page.wait_for_selector("[data-chart='three_public'] svg")
    charts = page.evaluate("""() => Array.from(document.querySelectorAll("[data-chart='three_public']")).map(el => {
        const option = echarts.getInstanceByDom(el).getOption();
        return {component: el.dataset.component, years: option.xAxis[0].data,
                final: option.series.find(s => s.name === '决算').data};
    })""")
    shown = {c["component"]: dict(zip(map(int, c["years"]), c["final"])) for c in charts}
    compared = 0
    for year, components in stored.items():
        for component, amount in components.items():
            assert Decimal(str(shown[component][year])) == amount, (year, component)
            compared += 1
    assert compared >= 3 * 4


def _outlined(page, client, fid: int) -> tuple[list[dict], dict, pdfium.PdfPage, pdfium.PdfDocument]:  # noqa: ANN001
    """The boxes drawn on the evidence page of finding ``fid``, its JSON, and its PDF page (pdfium)."""
    page.goto(f"/findings/{fid}/evidence")
    page.wait_for_function("document.getElementById('page-image').complete")
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('.page-view .box')).map(b => ({
        n: +b.dataset.n, x0: +b.dataset.x0, top: +b.dataset.top, x1: +b.dataset.x1, bottom: +b.dataset.bottom,
        amount: b.dataset.amount, rect: b.getBoundingClientRect().toJSON()}))""")
    data = client.get(f"/findings/{fid}/evidence.json").json()
    pdf = pdfium.PdfDocument(client.get(f"/files/{data['sha256']}").content)
    return boxes, data, pdf[data["page"] - 1], pdf


def _text_in(pdf_page: pdfium.PdfPage, box: dict) -> str:
    height = pdf_page.get_size()[1]
    return pdf_page.get_textpage().get_text_bounded(box["x0"], height - box["bottom"], box["x1"], height - box["top"])


def test_evidence_outlines_the_cell_of_the_figure(page, client, sample_db):  # noqa: ANN001
    fid = finding_id(sample_db.database_url, "arithmetic.hierarchy", "302", CLICK_YEAR)
    boxes, data, pdf_page, pdf = _outlined(page, client, fid)
    image = page.locator("#page-image").bounding_box()
    own = [b for b in boxes if Decimal(b["amount"]) == Decimal("161.08")]
    assert len(own) == 1
    box = own[0]
    assert _text_in(pdf_page, box).replace(" ", "") == "161.08"
    # The outline drawn in the browser covers that spot of the page image.
    scale = image["width"] / pdf_page.get_size()[0]
    rect = box["rect"]
    assert rect["x"] <= image["x"] + box["x0"] * scale <= rect["x"] + rect["width"]
    assert rect["y"] <= image["y"] + box["top"] * scale <= rect["y"] + rect["height"]
    pdf.close()


def test_evidence_outlines_every_figure_the_finding_compares(page, client, sample_db):  # noqa: ANN001
    """302 商品和服务支出 = Σ its 302xx items: the total and each summand outlined, each box on its own row."""
    fid = finding_id(sample_db.database_url, "arithmetic.hierarchy", "302", CLICK_YEAR)
    stored = finding_cells(sample_db.database_url, fid)
    boxes, data, pdf_page, pdf = _outlined(page, client, fid)
    figures = {c["n"]: c["figure"] for c in data["cells"]}
    # Every figure the finding compares (the total, then its summands) is outlined once.
    assert [Decimal(f["amount"]) for f in figures.values()] == [Decimal(c[3]) for c in stored]
    assert len(stored) > 2 and sorted(b["n"] for b in boxes) == sorted(figures)
    assert Decimal(figures[1]["amount"]) == Decimal("161.08")
    assert sum(Decimal(f["amount"]) for n, f in figures.items() if n > 1) == Decimal("96.77")
    textpage = pdf_page.get_textpage()
    height = pdf_page.get_size()[1]
    for box in boxes:
        figure = figures[box["n"]]
        # The box holds the figure's printed text …
        assert _text_in(pdf_page, box).replace(" ", "") == figure["cell"]["raw"], figure
        # … on the line of its own row label (eight of the summands print 0.00: each must be on its row).
        labels = [textpage.get_charbox(i) for i in _label_chars(textpage, figure["name"])]
        assert any(min(box["bottom"], height - b[1]) - max(box["top"], height - b[3]) > 0 for b in labels), figure
    assert len({(b["x0"], b["top"]) for b in boxes}) == len(boxes)  # no two figures share an outline
    pdf.close()


def _label_chars(textpage, label: str) -> list[int]:  # noqa: ANN001
    """Indexes of the first character of each occurrence of ``label`` on the page (NFKC: printed （境） is (境))."""
    text = "".join((unicodedata.normalize("NFKC", ch) or " ")[0] for ch in textpage.get_text_range())
    label = unicodedata.normalize("NFKC", label)
    return [i for i in range(len(text)) if text.startswith(label, i)]


def test_crawled_markup_is_shown_as_text(page, sample_db):  # noqa: ANN001
    for path in (f"/documents/{sample_db.script_document_id}", "/", "/search?q=" + quote("三公经费"),
                 f"/crawls/{sample_db.script_crawl_id}"):
        page.goto(path)
        assert SCRIPT_TITLE in page.inner_text("main"), path
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator("main script, main img[src='x']").count() == 0, path


@pytest.mark.parametrize("path", [
    "/files/" + "0" * 64,
    "/files/" + "A" * 64,
    "/files/..%2F..%2Fetc%2Fpasswd",
    "/files/../../etc/passwd",
    "/files/" + "0" * 63,
    "/files/" + "0" * 64 + "/pages/1.png",
    "/files/" + "0" * 64 + "/annotated.pdf",
])
def test_files_only_by_known_sha256(client, path):  # noqa: ANN001
    assert client.get(path).status_code == 404


def test_known_sha256_serves_the_original(client, sample_db):  # noqa: ANN001
    version = client.get(f"/documents/{sample_db.revised_document_id}.json").json()["version"]
    response = client.get(f"/files/{version['sha256']}")
    assert response.status_code == 200 and hashlib.sha256(response.content).hexdigest() == version["sha256"]
    assert client.get(f"/files/{version['sha256']}/pages/9999.png").status_code == 404
