"""A browser test database built by the nightly pipeline from the replica site.

``build_sample_db(out_dir)`` serves the replica (``demo.site``) with two
additions — a third year of 新乡市's 决算, and a link whose text carries
markup and whose "PDF" is an HTML error page (so the crawled title is what
the archive shows) — and runs ``pipeline.nightly.run_nightly`` twice, the
second time after the 新乡 2023 决算 was silently re-exported (a second
version at the same URL). Used by tests/web and scripts/screenshots.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import text

from config import Settings
from demo.site import ReplicaSite
from demo.site_catalog import HTML_TABLE, XINXIANG, XX_ZWFW
from demo.site_files import ERROR_PAGE, DocSpec
from pipeline.nightly import NightlyOptions, run_nightly
from storage import make_engine

__all__ = ["SampleDb", "build_sample_db", "SCRIPT_TITLE", "THREE_YEARS", "TODAY", "THREE_YEAR_DEPARTMENT"]

SCRIPT_TITLE = ('<script>window.__pwned = 1</script>2025年度新乡市政务服务和大数据管理局部门预算三公经费'
                '<img src=x onerror="window.__pwned=2">')
THREE_YEAR_DEPARTMENT = XX_ZWFW
THREE_YEARS = (2021, 2022, 2023)  # the replica publishes 2022 and 2023; 2021 is added here
TODAY = date(2024, 12, 1)


@dataclass(frozen=True)
class SampleDb:
    database_url: str
    archive_dir: Path
    three_year_department: str
    revised_document_id: int  # seen at one URL in two versions
    script_document_id: int  # its crawled title carries markup
    script_crawl_id: int  # a crawl whose events quote that title


def _document_id(database_url: str, sql: str, **params: object) -> int:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        found = conn.execute(text(sql), params).scalar_one()
    engine.dispose()
    return int(found)


def build_sample_db(out_dir: Path, database_url: str | None = None) -> SampleDb:
    """The sample in ``out_dir`` (archive, sources), on ``database_url`` (an empty database; default SQLite there)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    url = database_url or f"sqlite:///{out_dir / 'sample.db'}"
    with ReplicaSite() as site:
        site.publish(XINXIANG, DocSpec(XX_ZWFW, "决算", THREE_YEARS[0]), published=date(THREE_YEARS[0] + 1, 9, 16))
        # An article whose body is the disclosure and whose title carries markup (kept as the document's title),
        # and a link with that text to an error page (kept in the crawl's events).
        page = site.publish(XINXIANG, DocSpec(XX_ZWFW, "预算", 2025, "单位"), published=date(2024, 11, 27))
        page.title, page.attachments, page.body_html = SCRIPT_TITLE, [], HTML_TABLE
        link = site.publish(XINXIANG, DocSpec(XX_ZWFW, "预算", 2025), published=date(2024, 11, 28))
        link.attachments[0].text = SCRIPT_TITLE
        site.replace_file(link.attachments[0].url, ERROR_PAGE)  # (re-renders the site, page included)
        settings = Settings(home=out_dir, database_url=url, archive_dir=str(out_dir / "archive"),
                            sources=site.write_sources(out_dir / "sources.yaml"))
        run_nightly(settings, NightlyOptions(today=TODAY))
        final_2023 = next(a for s in site.sections.values() for art in s.articles for a in art.attachments
                          if a.spec == DocSpec(XX_ZWFW, "决算", THREE_YEARS[-1]))
        site.replace_file(final_2023.url)  # re-exported in landscape: a second version at the same URL
        # A silent replacement is caught on the revalidation schedule; a full night asks for every file now.
        run_nightly(settings, NightlyOptions(today=TODAY, full_revalidation=True))
    revised = _document_id(url, "SELECT document_id FROM document_version GROUP BY document_id HAVING count(*) > 1 "
                                "ORDER BY document_id LIMIT 1")
    script = _document_id(url, "SELECT id FROM document WHERE title = :t", t=SCRIPT_TITLE)
    crawl = _document_id(url, "SELECT run_id FROM crawl_event WHERE title = :t LIMIT 1", t=SCRIPT_TITLE)
    return SampleDb(url, out_dir / "archive", XX_ZWFW, revised, script, crawl)
