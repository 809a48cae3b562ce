"""The JSON/CSV twins, filters, paging bounds, read-only access and annotated originals."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from urllib.parse import quote

import pikepdf
import pypdfium2 as pdfium
import pytest
from sqlalchemy import text

from tests.web.sample_db import THREE_YEARS
from tests.web.stored import finding_id
from web.db import readonly_engine


def _csv(response) -> list[dict]:  # noqa: ANN001
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))


def _lists(client, sample_db) -> dict[str, str]:  # noqa: ANN001
    region = client.get("/.json").json()["regions"][0]["region"]
    return {
        "/findings": "findings",
        "/regions/" + quote(region): "departments",
        "/departments/" + quote(sample_db.three_year_department, safe=""): "findings",
        f"/documents/{sample_db.revised_document_id}/items": "items",
        f"/documents/{sample_db.revised_document_id}/tables/0": "grid",
        f"/documents/{sample_db.revised_document_id}": "tables",
        "/search?q=" + quote("焦作"): "documents",
        "/runs": "runs",
        f"/crawls/{sample_db.script_crawl_id}": "events",
        "/": "recent",
    }


def test_every_list_is_also_json_and_csv(client, sample_db):  # noqa: ANN001
    for path, key in _lists(client, sample_db).items():
        base, _, query = path.partition("?")
        suffix = "" if base == "/" else base
        as_json = client.get(f"{suffix or ''}.json{'?' + query if query else ''}" if suffix else f"/.json{'?' + query if query else ''}")
        assert as_json.status_code == 200, path
        rows = as_json.json()[key]
        assert rows, f"{path}: the sample database should fill {key}"
        twin = _csv(client.get(f"{suffix or ''}.csv{'?' + query if query else ''}" if suffix else "/.csv"))
        by_param = _csv(client.get(path + ("&" if query else "?") + "_format=csv"))
        assert len(twin) == len(by_param) == len(rows), path
        if "id" in rows[0]:
            assert [int(r["id"]) for r in twin] == [r["id"] for r in rows], path


def test_findings_filters(client, sample_db):  # noqa: ANN001
    everything = client.get("/findings.json?status=&_size=500").json()["findings"]
    assert {f["severity"] for f in everything} == {"high", "medium", "low"}
    high = client.get("/findings.json?severity=high&_size=500").json()
    assert high["findings"] and {f["severity"] for f in high["findings"]} == {"high"}
    assert high["paging"]["total"] == len(high["findings"])
    ordered = client.get("/findings.json?_size=500").json()["findings"]
    ranks = [{"high": 0, "medium": 1, "low": 2}[f["severity"]] for f in ordered]
    assert ranks == sorted(ranks)
    region = client.get("/findings.json?region=" + quote("焦作市中站区") + "&_size=500").json()["findings"]
    assert region and all(f["department"].startswith(("焦作市中站区", "中共焦作市中站区")) for f in region)
    year = client.get(f"/findings.json?year={THREE_YEARS[0]}&_size=500").json()["findings"]
    assert year and {f["year"] for f in year} == {THREE_YEARS[0]}
    rule = client.get("/findings.json?rule=arithmetic.hierarchy").json()["findings"]
    assert rule and {f["rule_id"] for f in rule} == {"arithmetic.hierarchy"}
    # The second night re-checked only the re-exported document: what it first reported is "new".
    new = client.get("/findings.json?status=new&_size=500").json()["findings"]
    assert {f["first_seen"] for f in new} <= {max(f["last_seen"] for f in ordered)}
    resolved = client.get("/findings.json?status=resolved&_size=500").json()["findings"]
    assert all(f["resolved_at"] for f in resolved)
    department = client.get("/findings.json?department=" + quote(sample_db.three_year_department)).json()["findings"]
    assert department and {f["department"] for f in department} == {sample_db.three_year_department}


def test_lists_are_paged_and_bounded(client):  # noqa: ANN001
    first = client.get("/findings.json?_size=2").json()
    second = client.get("/findings.json?_size=2&_page=2").json()
    assert len(first["findings"]) == 2 and first["paging"]["has_next"]
    assert {f["id"] for f in first["findings"]}.isdisjoint(f["id"] for f in second["findings"])
    assert client.get("/findings.json?_size=100000").status_code == 400
    assert client.get("/findings.json?_page=0").status_code == 400
    assert client.get("/search.json?q=" + "x" * 500).status_code == 400


def test_no_write_endpoint(client):  # noqa: ANN001
    def routes(container):  # noqa: ANN001, ANN202 - routers nest (FastAPI wraps included ones)
        for route in container.routes:
            inner = getattr(route, "original_router", None)
            yield from routes(inner) if inner is not None else [route]

    checked = 0
    for route in routes(client.app):
        if hasattr(route, "methods") and route.methods is not None:
            assert set(route.methods) <= {"GET", "HEAD"}, route.path
            checked += 1
    assert checked > 20
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)("/findings").status_code == 405


def test_unknown_things_are_404_in_every_format(client):  # noqa: ANN001
    for path in ("/documents/999999", "/findings/999999", "/departments/" + quote("不存在的部门"), "/regions/x",
                 "/runs/999999", "/items/999999/evidence"):
        assert client.get(path).status_code == 404, path
        response = client.get(path + ".json")
        assert response.status_code == 404 and "error" in response.json(), path
    assert client.get("/documents/1.xml").status_code == 404


def test_readonly_engine_cannot_write(db_url, engine):  # noqa: ANN001 - both backends
    reader = readonly_engine(db_url)
    with reader.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM document")).scalar_one() == 0
    with pytest.raises(Exception), reader.begin() as conn:  # noqa: B017 - each driver names it differently
        conn.execute(text("INSERT INTO crawl_run (source_id, started_at, status, stats) "
                          "VALUES ('x', CURRENT_TIMESTAMP, 'running', '{}')"))
    reader.dispose()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM crawl_run")).scalar_one() == 0


def test_annotated_pdf_highlights_the_finding_cells(client, sample_db):  # noqa: ANN001
    fid = finding_id(sample_db.database_url, "arithmetic.hierarchy", "302", 2023)
    evidence = client.get(f"/findings/{fid}/evidence.json").json()
    response = client.get(f"/files/{evidence['sha256']}/annotated.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = pikepdf.open(io.BytesIO(response.content))
    page = pdf.pages[evidence["page"] - 1]
    highlights = [a for a in page.obj.get("/Annots", []) if a.get("/Subtype") == "/Highlight"]
    assert any("161.08" in str(a.get("/Contents")) for a in highlights)
    doc = pdfium.PdfDocument(response.content)
    textpage = doc[evidence["page"] - 1].get_textpage()
    texts = {textpage.get_text_bounded(*[float(v) for v in a.Rect]).replace(" ", "") for a in highlights}
    assert "161.08" in texts
    assert Decimal(evidence["cells"][0]["figure"]["amount"]) == Decimal("161.08")
    doc.close()


@pytest.mark.parametrize("query", [{}, {"status": None}, {"category": "consistency"}])
def test_findings_sorted_in_one_query_or_walked_per_severity_agree(sample_db, monkeypatch, query):  # noqa: ANN001
    """A few matches are sorted in one query, many walked per severity: the same pages either way."""
    from sqlmodel import Session

    from web.paging import Paging
    from web.queries import findings as queries

    engine = readonly_engine(sample_db.database_url)
    filt = queries.FindingFilter(**query)

    def pages(session) -> list[tuple[list[int], int]]:  # noqa: ANN001
        found = [queries.list_findings(session, filt, Paging(n, 7)) for n in range(1, 40)]
        return [([r.id for r in rows], total) for rows, total in found]

    with Session(engine) as session:
        sorted_once = pages(session)
        monkeypatch.setattr(queries, "SORT_AT_MOST", 0)
        walked = pages(session)
    engine.dispose()
    assert walked == sorted_once
    ids = [i for rows, _ in walked for i in rows]
    assert len(ids) == walked[0][1] > 7  # several pages, every match once
    assert len(set(ids)) == len(ids)


def test_a_finding_across_two_tables_is_outlined_on_both_pages(client, sample_db, web_settings):  # noqa: ANN001
    """As a cross-table finding records them (01 本年支出合计 vs 03 合计): each figure found on its own page."""
    from datetime import UTC, datetime

    from sqlmodel import Session, col, select

    from storage.archive import ArchiveStore
    from storage.findings import FindingRow
    from storage.models import LineItemRow
    from web.pdfpages import PdfPages
    from web.queries.evidence import finding_figures, locate_figures

    version = client.get(f"/findings/{finding_id(sample_db.database_url, 'arithmetic.hierarchy', '302', 2023)}"
                         "/evidence.json").json()["version"]
    engine = readonly_engine(sample_db.database_url)
    pages = PdfPages(ArchiveStore(web_settings.archive_dir).get)
    with Session(engine) as session:
        def item(table: str, key: str, label: str) -> LineItemRow:
            return session.exec(select(LineItemRow).where(
                LineItemRow.version_id == version, LineItemRow.table_id == table, LineItemRow.column_key == key,
                col(LineItemRow.name).contains(label)).order_by(LineItemRow.id)).first()

        compared = [item("final_summary", "expense.total", "本年支出合计"), item("final_expense", "total", "合计")]
        now = datetime.now(UTC)
        finding = FindingRow(fingerprint="-", rule_id="arithmetic.cross_table", category="consistency", severity="high",
                             message="-", version_id=str(version), table_id="final_summary", first_seen=now,
                             last_seen=now, cells=[[i.page, i.row, i.column, str(i.amount)] for i in compared])
        found, figures = finding_figures(session, finding)
        assert [f.id for f in figures] == [i.id for i in compared] and compared[0].page != compared[1].page
        located = locate_figures(pages, session, found, figures)
    engine.dispose()
    pdf = pdfium.PdfDocument(client.get(f"/files/{found.sha256}").content)
    for loc in located:
        page = pdf[loc.figure.page - 1]
        height = page.get_size()[1]
        box = loc.box
        assert box is not None, loc.figure
        inside = page.get_textpage().get_text_bounded(box.x0, height - box.bottom, box.x1, height - box.top)
        assert inside.replace(" ", "") == loc.figure.cell.raw
    pdf.close()
