"""A browser test database built by the pipeline's own steps from rendered seeds.

``build_sample_db(seeds_dir, out_dir)`` renders seed PDFs (with derived
years), ingests them (``pipeline.ingest.ingest_file``), records one document
seen at a URL in two versions (as the crawler does), one crawled document
whose title carries markup, a crawl run with its events, then runs the check
step and stores the findings. Used by tests/web and scripts/screenshots.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from analysis import default_rules, load_identity
from demo.derive import drop_table, scale_item, shift_year
from demo.render_pdf import render_pdf
from demo.seeds import load_seed
from parsers import parse_bytes
from pipeline.check import check_database
from pipeline.ingest import ingest_file
from storage import ArchiveStore, Classification, FetchMeta, make_engine, migrate, record_version, session_scope, store_parse
from storage.crawl_models import CrawlEvent, CrawlRun
from storage.findings import store_findings

__all__ = ["SampleDb", "build_sample_db", "SCRIPT_TITLE", "THREE_YEARS", "CHECK_DAY"]

SCRIPT_TITLE = '<script>window.__pwned = 1</script>2025年度部门预算<img src=x onerror="window.__pwned=2">'
THREE_YEARS = (2021, 2022, 2023)  # seed 004 as three 决算 years; 2023 with 公务接待费 ×1.8
CHECK_DAY = date(2024, 12, 1)
REVISED_URL = "http://replica.test/jiaozuo/2023-final.pdf"


@dataclass(frozen=True)
class SampleDb:
    database_url: str
    archive_dir: Path
    three_year_department: str  # as printed in the documents
    revised_document_id: int
    script_document_id: int


def _seed(seeds_dir: Path, number: str):  # noqa: ANN202 - SeedDocument
    return load_seed(next(seeds_dir.glob(f"{number}_*.txt")))


def build_sample_db(seeds_dir: Path, out_dir: Path) -> SampleDb:
    out_dir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{out_dir / 'sample.db'}"
    archive = ArchiveStore(out_dir / "archive")
    engine = make_engine(url)
    migrate(engine)
    base = _seed(seeds_dir, "004")
    pdfs = []
    for year in THREE_YEARS:
        derived = shift_year(base, year)
        if year == THREE_YEARS[-1]:
            derived = scale_item(derived, "final_three_public", None, "决算数/公务接待费", "1.8")
        pdfs.append(render_pdf(derived, out_dir / f"004_{year}.pdf").path)
    for number in ("000", "003"):
        pdfs.append(render_pdf(_seed(seeds_dir, number), out_dir / f"{number}.pdf").path)
    for pdf in pdfs:
        ingest_file(pdf, engine, archive)

    # A document the crawler saw at one URL in two versions (a table dropped, a figure changed).
    seed = _seed(seeds_dir, "003")
    first = render_pdf(seed, out_dir / "003_v1.pdf").path.read_bytes()
    second = render_pdf(drop_table(scale_item(seed, "final_three_public", None, "决算数/公务接待费", "0.5"),
                                   "final_state_capital"), out_dir / "003_v2.pdf").path.read_bytes()
    now = datetime(2024, 11, 20, 1, 30, tzinfo=UTC)
    revised_id = 0
    for offset, data in enumerate((first, second)):
        ref = archive.put(data)
        with session_scope(engine) as session:
            record = record_version(session, sha256=ref.sha256, size=ref.size, file_name=f"决算-v{offset + 1}.pdf",
                                    format="pdf", archive_key=ref.key, url=REVISED_URL, source_id="replica-jiaozuo",
                                    fetch=FetchMeta(final_url=REVISED_URL, link_text="2023年度部门决算",
                                                    publish_date=date(2024, 9, 20)),
                                    now=now + timedelta(days=offset))
            store_parse(session, record.version_id, parse_bytes(data, f"v{offset + 1}.pdf"))
            revised_id = record.document_id

    # A crawled title with markup, never parsed (its file is not a PDF).
    ref = archive.put(b"not a pdf: the crawler's link pointed at an HTML error page")
    with session_scope(engine) as session:
        script = record_version(session, sha256=ref.sha256, size=ref.size, file_name="index.html", format="html",
                                archive_key=ref.key, url="http://replica.test/x.html", source_id="replica-xinxiang",
                                classification=Classification(kind="预算", scope="部门", year=2025,
                                                              department="新乡市政务服务和大数据管理局", title=SCRIPT_TITLE),
                                now=now)
        run = CrawlRun(source_id="replica-xinxiang", started_at=now, finished_at=now + timedelta(minutes=3),
                       status="finished", stats={"pages": 12, "new_documents": 1, "errors": 1})
        session.add(run)
        session.add(CrawlRun(source_id="replica-jiaozuo", started_at=now - timedelta(minutes=5),
                             finished_at=now - timedelta(minutes=1), status="finished",
                             stats={"pages": 30, "new_documents": 6, "new_versions": 1}))
        session.flush()
        session.add(CrawlEvent(run_id=run.id, source_id=run.source_id, url="javascript:alert(1)", level="error",
                               code="http_404", message="附件无法下载", title=SCRIPT_TITLE, created_at=now))

    identity, rules = load_identity(), default_rules()
    with session_scope(engine) as session:
        findings, _ = check_database(session, rules, identity, CHECK_DAY)
        store_findings(session, findings, datetime(2024, 12, 1, 2, 0, tzinfo=UTC))
    engine.dispose()
    return SampleDb(url, out_dir / "archive", base.department, revised_id, script.document_id)
