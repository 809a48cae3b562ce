"""End-to-end crawls of the replica site on loopback (acceptance 1–5).

One replica serves the whole module; the crawls run in order in a
module-scoped fixture (first crawl, no-change crawl, publish + replace,
withdraw) and each test checks one acceptance criterion on what they stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlmodel import Session, select
from typer.testing import CliRunner

from budgetwatch.cli import app
from crawler.launch import RunSummary, run_crawl
from demo.site import ReplicaSite
from demo.site_catalog import XINXIANG, YANSHI, ZHONGZHAN
from demo.site_files import DocSpec
from storage.archive import ArchiveStore
from storage.crawl_models import CrawlEvent, CrawlRun, UrlState
from storage.db import make_engine
from storage.models import Document, DocumentVersion

# Every disclosure of the replica's default sections: (kind, year, department, scope).
EXPECTED = {
    ("预算", 2024, "焦作市中站区政务服务和大数据管理局", "部门"),
    ("预算", 2024, "焦作市政务大数据中心", "单位"),  # in the ZIP
    ("预算", 2024, "焦作市中站区政务服务中心", "单位"),  # in the ZIP
    ("决算", 2023, "焦作市中站区政务服务和大数据管理局", "部门"),
    ("决算", 2023, "中国共产党焦作市中站区委员会", "部门"),  # GBK Content-Disposition
    ("决算", 2022, "中国共产党焦作市中站区委员会", "部门"),
    ("预算", 2024, "新乡市政务服务和大数据管理局", "部门"),
    ("决算", 2023, "新乡市政务服务和大数据管理局", "部门"),
    ("预算", 2024, "新乡市机关事务服务中心", "单位"),  # the page is the disclosure
    ("决算", 2022, "新乡市政务服务和大数据管理局", "部门"),  # on list page 2
}


@dataclass
class Crawl:
    summaries: list[RunSummary]
    log: list[Any]
    run_ids: list[int] = field(default_factory=list)

    def total(self, key: str) -> int:
        return sum(s.stats[key] for s in self.summaries)


@dataclass
class World:
    site: ReplicaSite
    home: Path
    sources: Path
    crawls: list[Crawl]
    replaced_url: str = ""
    published_url: str = ""
    withdrawn_url: str = ""

    def session(self) -> Session:
        return Session(make_engine(f"sqlite:///{self.home / 'budgetwatch.db'}"))

    def events(self, run_ids: list[int]) -> list[CrawlEvent]:
        with self.session() as session:
            return list(session.exec(select(CrawlEvent).where(CrawlEvent.run_id.in_(run_ids))).all())  # type: ignore[attr-defined]


def _crawl(site: ReplicaSite, home: Path, sources: Path, source_id: str | None = None) -> Crawl:
    summaries = run_crawl(
        sources_file=sources, source_id=source_id, env={"BUDGETWATCH_HOME": str(home)}, timeout=180
    )
    return Crawl(summaries, site.take_log(), [s.run_id for s in summaries])


def _file_url(site: ReplicaSite, section: str, title_part: str) -> str:
    for article in site.sections[section].articles:
        for attachment in article.attachments:
            if title_part in attachment.text:
                return attachment.url
    raise KeyError(title_part)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Any:
    home = tmp_path_factory.mktemp("crawl")
    with ReplicaSite() as site:
        sources = site.write_sources(home / "sources.yaml")
        w = World(site, home, sources, [])
        w.crawls.append(_crawl(site, home, sources))  # 0: first crawl
        w.crawls.append(_crawl(site, home, sources))  # 1: nothing changed
        w.published_url = site.publish(ZHONGZHAN, DocSpec("焦作市中站区政务服务和大数据管理局", "预算", 2025)).path
        w.replaced_url = _file_url(site, XINXIANG, "新乡市政务服务和大数据管理局2023年度部门决算")
        site.replace_file(w.replaced_url)
        w.crawls.append(_crawl(site, home, sources))  # 2: one new, one replaced
        w.withdrawn_url = _file_url(site, XINXIANG, "新乡市政务服务和大数据管理局2022年度部门决算")
        site.withdraw_file(w.withdrawn_url)
        w.crawls.append(_crawl(site, home, sources))  # 3: one withdrawn
        yield w


def _documents(w: World) -> list[Document]:
    with w.session() as session:
        return list(session.exec(select(Document)).all())


def test_first_crawl_finds_and_classifies_every_disclosure(world: World) -> None:
    assert world.crawls[0].total("new_documents") == len(EXPECTED)
    found = {(d.kind, d.year, d.department, d.scope) for d in _documents(world)}
    published_later = ("预算", 2025, "焦作市中站区政务服务和大数据管理局", "部门")
    assert found == EXPECTED | {published_later}


def test_first_crawl_keeps_file_metadata_and_originals(world: World) -> None:
    archive = ArchiveStore(world.home / "archive")
    with world.session() as session:
        gbk = session.exec(
            select(DocumentVersion).where(DocumentVersion.file_name == "中国共产党焦作市中站区委员会2023年度部门决算.pdf")
        ).one()
        assert gbk.format == "pdf" and gbk.publish_date.isoformat() == "2024-09-25"
        assert gbk.http_etag and gbk.http_last_modified and gbk.final_url.startswith("http://localhost:")
        for version in session.exec(select(DocumentVersion)).all():
            assert archive.exists(version.sha256)
            assert version.parse_status == "pending"
        # the detail pages the files came from are archived too
        details = session.exec(select(UrlState).where(UrlState.role == "detail")).all()
        assert details and all(archive.exists(s.sha256) for s in details if s.sha256)


def test_first_crawl_skips_what_is_not_ours_without_downloading(world: World) -> None:
    first = world.crawls[0]
    skipped = {(e.code, e.title) for e in world.events(first.run_ids) if e.level == "skipped"}
    assert skipped == {
        ("annual_report", "2023年政府信息公开工作年度报告"),
        ("government_level", "关于2023年度中站区本级决算的报告"),
        ("performance", "2023年度新乡市政务服务和大数据管理局部门整体支出绩效评价报告"),
    }
    fetched = {entry.path for entry in first.log}
    assert not any(path.endswith(("art_1001_5.html", "art_1001_6.html", "t20241012_5005.html")) for path in fetched)


def test_each_bad_case_is_an_event_and_the_run_completes(world: World) -> None:
    first = world.crawls[0]
    assert {s.status for s in first.summaries} == {"finished"}
    errors = {(e.code, e.url.rsplit("/", 1)[-1]) for e in world.events(first.run_ids) if e.level == "error"}
    assert errors == {
        ("http_404", "missing-2022.pdf"),
        ("timeout", "art_1001_9.html"),
        ("not_a_document", "P020240918_busy.pdf"),
    }
    assert first.total("errors") == 3


def test_second_crawl_downloads_no_file_and_stores_nothing(world: World) -> None:
    second = world.crawls[1]
    assert second.total("new_documents") == 0 and second.total("new_versions") == 0
    assert sum(s.file_bytes for s in second.summaries) == 0
    served = [r for r in second.log if r.host == "localhost" and r.path != "/robots.txt"]
    assert served and all(r.status in (304, 404) and r.bytes <= 100 for r in served)
    assert all(r.conditional for r in second.log if r.status == 304)
    assert second.total("bytes") < world.crawls[0].total("bytes") / 50


def test_publish_and_replace_give_one_document_and_one_version(world: World) -> None:
    third = world.crawls[2]
    assert third.total("new_documents") == 1
    assert third.total("new_versions") == 1
    archive = ArchiveStore(world.home / "archive")
    with world.session() as session:
        document = session.exec(select(Document).where(Document.url == world.replaced_url)).one()
        versions = session.exec(select(DocumentVersion).where(DocumentVersion.document_id == document.id)).all()
        assert len(versions) == 2 and versions[0].sha256 != versions[1].sha256
        assert all(archive.exists(v.sha256) for v in versions)
        assert document.current_version_id == max(v.id for v in versions)
        new = session.exec(select(Document).where(Document.year == 2025)).one()
        assert (new.kind, new.department, new.scope) == ("预算", "焦作市中站区政务服务和大数据管理局", "部门")


def test_a_file_taken_down_is_withdrawn(world: World) -> None:
    fourth = world.crawls[3]
    with world.session() as session:
        gone = session.exec(select(Document).where(Document.url == world.withdrawn_url)).one()
        assert gone.withdrawn_at is not None
        others = session.exec(select(Document).where(Document.url != world.withdrawn_url)).all()
        assert all(d.withdrawn_at is None for d in others)
    assert fourth.total("withdrawn") == 1


def test_runs_record_statistics(world: World) -> None:
    with world.session() as session:
        runs = session.exec(select(CrawlRun)).all()
    assert len(runs) == 2 * len(world.crawls)
    assert all(r.status == "finished" and r.finished_at and r.stats["requests"] > 0 for r in runs)


def test_new_source_of_a_supported_layout_needs_no_code(world: World, tmp_path: Path) -> None:
    """Acceptance 5: a plain-layout site added to the registry at run time."""
    (entry,) = world.site.source_entries((YANSHI,))
    registry = tmp_path / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["crawl", "--sources", str(registry)], env={"BUDGETWATCH_HOME": str(tmp_path / "home")}
    )
    assert result.exit_code == 0, result.output
    assert "[replica-yanshi]" in result.output and "新文件 3" in result.output
    engine = make_engine(f"sqlite:///{tmp_path / 'home' / 'budgetwatch.db'}")
    with Session(engine) as session:
        found = {(d.kind, d.year, d.department) for d in session.exec(select(Document)).all()}
    assert found == {
        ("决算", 2023, "洛阳市偃师区政务服务和大数据管理局"),
        ("预算", 2024, "洛阳市偃师区政务服务和大数据管理局"),
        ("决算", 2022, "洛阳市偃师区政务服务和大数据管理局"),
    }


def test_cli_reports_a_registry_it_cannot_read(tmp_path: Path) -> None:
    registry = tmp_path / "bad.yaml"
    registry.write_text("sources: [{id: x}]", encoding="utf-8")
    result = CliRunner().invoke(app, ["crawl", "--sources", str(registry)], env={"BUDGETWATCH_HOME": str(tmp_path)})
    assert result.exit_code == 1
    assert "抓取无法运行" in result.output
