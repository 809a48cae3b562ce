"""End-to-end crawls of the replica site on loopback, nights apart.

One replica serves the whole module; the crawls run in order in a
module-scoped fixture, each at a pretended moment (``BUDGETWATCH_CRAWL_NOW``,
the fake clock of the revalidation schedule):

0. first crawl (T0)
1. a night later, nothing changed
2. a night later, one article published and one file silently replaced
3. the replacement plus the configured bound (30 days) later
4. a file taken down, ``--full`` revalidation
5. three lists broken (empty, redirect loop, challenge page)
6. lists mended and the file put back

and each test checks one thing on what they stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlmodel import Session, select
from typer.testing import CliRunner

from budgetwatch.cli import app
from crawler.classify import is_generic
from crawler.health import source_health
from crawler.launch import RunSummary, run_crawl
from demo.site import HOSTILE_SECTIONS, ReplicaSite
from demo.site_catalog import CZJ, XINXIANG, YANSHI, ZHONGZHAN
from demo.site_files import DocSpec
from storage.archive import ArchiveStore
from storage.crawl_models import CrawlEvent, CrawlRun, UrlState
from storage.db import make_engine
from storage.models import Document, DocumentVersion

# Every disclosure of the Hanweb and TRS sections: (kind, year, department, scope).
EXPECTED = {
    ("预算", 2024, "焦作市中站区政务服务和大数据管理局", "部门"),
    ("预算", 2024, "焦作市政务大数据中心", "单位"),  # in the ZIP
    ("预算", 2024, "焦作市中站区政务服务中心", "单位"),  # in the ZIP
    ("决算", 2023, "焦作市中站区政务服务和大数据管理局", "部门"),  # behind the Hanweb data request
    ("决算", 2023, "中国共产党焦作市中站区委员会", "部门"),  # GBK Content-Disposition
    ("决算", 2022, "中国共产党焦作市中站区委员会", "部门"),
    ("预算", 2024, "新乡市政务服务和大数据管理局", "部门"),
    ("决算", 2023, "新乡市政务服务和大数据管理局", "部门"),
    ("预算", 2024, "新乡市机关事务服务中心", "单位"),  # the page is the disclosure
    ("决算", 2022, "新乡市政务服务和大数据管理局", "部门"),  # on list page 2
}
BOUND = timedelta(days=30)  # BUDGETWATCH_REVALIDATE_MAX_DAYS default
T0 = (datetime.now(UTC) - timedelta(days=40)).replace(microsecond=0)
NIGHTS = [T0, T0 + timedelta(days=1), T0 + timedelta(days=2), T0 + timedelta(days=2) + BOUND,
          T0 + timedelta(days=36), T0 + timedelta(days=38, hours=12), T0 + timedelta(days=39, hours=12)]
BROKEN = {ZHONGZHAN: "empty", XINXIANG: "redirect_loop", CZJ: "challenge"}
BROKEN_CODES = {"replica-zhongzhan": "list_empty", "replica-xinxiang": "redirect_loop", "replica-czj": "challenge_page"}


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
    withdrawn_url: str = ""
    listing_broken: str = ""  # `budgetwatch sources` after night 5
    listing_mended: str = ""  # … and after night 6

    def session(self) -> Session:
        return Session(make_engine(f"sqlite:///{self.home / 'budgetwatch.db'}"))

    def events(self, run_ids: list[int]) -> list[CrawlEvent]:
        with self.session() as session:
            return list(session.exec(select(CrawlEvent).where(CrawlEvent.run_id.in_(run_ids))).all())  # type: ignore[attr-defined]


def _env(home: Path, now: datetime | None = None) -> dict[str, str]:
    env = {"BUDGETWATCH_HOME": str(home)}
    if now is not None:
        env["BUDGETWATCH_CRAWL_NOW"] = now.isoformat()
    return env


def _crawl(w: World, night: int, *, full: bool = False) -> None:
    summaries = run_crawl(sources_file=w.sources, env=_env(w.home, NIGHTS[night]), timeout=180, full=full)
    w.crawls.append(Crawl(summaries, w.site.take_log(), [s.run_id for s in summaries]))


def _listing(w: World) -> str:
    result = CliRunner().invoke(app, ["sources", "--sources", str(w.sources)], env=_env(w.home))
    assert result.exit_code == 0, result.output
    return result.output


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
        w = World(site, home, site.write_sources(home / "sources.yaml", HOSTILE_SECTIONS), [])
        _crawl(w, 0)
        _crawl(w, 1)
        site.publish(ZHONGZHAN, DocSpec("焦作市中站区政务服务和大数据管理局", "预算", 2025))
        w.replaced_url = _file_url(site, XINXIANG, "新乡市政务服务和大数据管理局2023年度部门决算")
        site.replace_file(w.replaced_url)
        _crawl(w, 2)
        _crawl(w, 3)
        w.withdrawn_url = _file_url(site, XINXIANG, "新乡市政务服务和大数据管理局2022年度部门决算")
        site.withdraw_file(w.withdrawn_url)
        _crawl(w, 4, full=True)
        for section, how in BROKEN.items():
            site.break_list(section, how)
        _crawl(w, 5)
        w.listing_broken = _listing(w)
        for section in BROKEN:
            site.break_list(section, None)
        site.restore_file(w.withdrawn_url)
        _crawl(w, 6)
        w.listing_mended = _listing(w)
        yield w


def _documents(w: World) -> list[Document]:
    with w.session() as session:
        return list(session.exec(select(Document)).all())


def _czj_expected(site: ReplicaSite) -> set[tuple[str, int, str, str]]:
    specs = [a.spec for article in site.sections[CZJ].articles for a in article.attachments if a.spec]
    return {(s.kind, s.year, s.department, s.scope) for s in specs}


def test_first_crawl_finds_and_classifies_every_disclosure(world: World) -> None:
    czj = _czj_expected(world.site)
    assert len(czj) == 9  # three list pages linked only by createPageHTML
    assert world.crawls[0].total("new_documents") == len(EXPECTED) + len(czj)
    found = {(d.kind, d.year, d.department, d.scope) for d in _documents(world)}
    published_later = ("预算", 2025, "焦作市中站区政务服务和大数据管理局", "部门")
    assert found == EXPECTED | czj | {published_later}


def test_generic_links_take_department_and_year_from_the_file_name(world: World) -> None:
    generic = {
        a.url: (a.spec.department, a.spec.year, a.spec.kind)
        for article in world.site.sections[CZJ].articles
        for a in article.attachments
        if a.text in ("附件下载", "点击下载")
    }
    assert len(generic) == 3  # UTF-8 URL, GBK URL, Content-Disposition only
    with world.session() as session:
        for url, expected in generic.items():
            document = session.exec(select(Document).where(Document.url == url)).one()
            assert (document.department, document.year, document.kind) == expected
    assert not any(d.department and is_generic(d.department) for d in _documents(world))


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


def test_every_failure_is_recorded_with_its_code_and_a_message(world: World) -> None:
    first = world.crawls[0]
    assert {s.status for s in first.summaries} == {"finished"}
    errors = [e for e in world.events(first.run_ids) if e.level == "error"]
    assert {(e.code, e.url.rsplit("/", 1)[-1]) for e in errors} == {
        ("http_404", "missing-2022.pdf"),
        ("timeout", "art_1001_9.html"),
        ("not_a_document", "P020240918_busy.pdf"),
        ("redirect_loop", "loop.pdf"),  # an attachment redirecting to a twin that redirects back
    }
    assert all(len(e.message) > 4 for e in errors)
    loop = next(e for e in errors if e.code == "redirect_loop")
    assert "loop.pdf?from=cdn" in loop.message
    assert first.total("errors") == 4
    assert {s.health for s in first.summaries} == {"ok"}


def test_no_change_night_asks_only_lists_and_failures(world: World) -> None:
    first, second = world.crawls[0], world.crawls[1]
    assert second.total("new_documents") == 0 and second.total("new_versions") == 0
    assert sum(s.file_bytes for s in second.summaries) == 0
    assert not [r for r in second.log if r.host == "localhost" and r.status == 200 and r.path != "/robots.txt"]
    assert not [r for r in second.log if "/art/" in r.path and r.status == 200 and "art_1001_9" not in r.path]
    assert second.total("deferred") >= 30  # detail pages and files not due: not asked at all
    assert len(second.log) < len(first.log) / 2
    assert second.total("withdrawn") == 0


def test_new_article_next_night_and_silent_replacement_within_the_bound(world: World) -> None:
    third, fourth = world.crawls[2], world.crawls[3]
    assert third.total("new_documents") == 1
    # Caught the night its schedule slot falls (night 2 only if that slot happens to
    # fall then; T0 follows the real clock), at the latest at replacement + bound.
    assert (third.total("new_versions"), fourth.total("new_versions")) in {(0, 1), (1, 0)}
    archive = ArchiveStore(world.home / "archive")
    with world.session() as session:
        document = session.exec(select(Document).where(Document.url == world.replaced_url)).one()
        versions = session.exec(select(DocumentVersion).where(DocumentVersion.document_id == document.id)).all()
        assert len(versions) == 2 and versions[0].sha256 != versions[1].sha256
        assert all(archive.exists(v.sha256) for v in versions)
        assert document.current_version_id == max(v.id for v in versions)
        new = session.exec(select(Document).where(Document.year == 2025)).one()
        assert (new.kind, new.department, new.scope) == ("预算", "焦作市中站区政务服务和大数据管理局", "部门")


def test_a_file_taken_down_is_withdrawn_on_full_revalidation(world: World) -> None:
    fifth = world.crawls[4]
    assert fifth.total("withdrawn") == 1
    assert fifth.total("deferred") == 0
    gone = [e for e in world.events(fifth.run_ids) if e.code == "withdrawn"]
    assert [e.url for e in gone] == [world.withdrawn_url]


def test_broken_lists_are_source_health_events_not_withdrawals(world: World) -> None:
    broken = world.crawls[5]
    assert broken.total("withdrawn") == 0
    assert {s.source_id: s.health for s in broken.summaries} == dict.fromkeys(BROKEN_CODES, "failing")
    events = world.events(broken.run_ids)
    by_source = {s.run_id: s.source_id for s in broken.summaries}
    for source_id, code in BROKEN_CODES.items():
        assert any(e.code == code and by_source[e.run_id] == source_id and e.message for e in events), code
    assert not [e for e in events if e.code == "withdrawn"]
    assert not [e for e in events if e.code == "list_shrunk"]  # an empty list is not also "shrunk"
    with world.session() as session:
        runs = session.exec(select(CrawlRun).where(CrawlRun.id.in_(broken.run_ids))).all()  # type: ignore[attr-defined]
        assert all(r.health == "failing" and r.health_message for r in runs)
        health = source_health(session, "replica-czj", NIGHTS[5] + timedelta(hours=1))
    assert (health.status, health.failing_nights) == ("failing", 1)
    assert "验证码" in (health.message or "")


def test_mended_lists_are_healthy_and_a_returned_file_is_restored(world: World) -> None:
    mended = world.crawls[6]
    assert {s.health for s in mended.summaries} == {"ok"}
    assert mended.total("withdrawn") == 0 and mended.total("restored") == 1
    restored = [e for e in world.events(mended.run_ids) if e.code == "restored"]
    assert [e.url for e in restored] == [world.withdrawn_url]
    with world.session() as session:
        assert session.exec(select(Document).where(Document.withdrawn_at.is_not(None))).all() == []  # type: ignore[union-attr]


def test_sources_lists_health_last_run_and_counts(world: World) -> None:
    broken = world.listing_broken
    for source_id in BROKEN_CODES:
        assert source_id in broken
    assert broken.count("连续 1 晚失败") == 3
    assert "验证码" in broken and "重定向循环" in broken and "列表页为空" in broken
    assert "撤下 1" in broken  # the file taken down at its URL
    mended = world.listing_mended
    assert mended.count("状态：正常") == 3 and "撤下 0" in mended
    assert "文件 9（撤下 0）" in mended  # replica-czj


def test_sources_check_shows_entries_pagination_and_classification(world: World) -> None:
    result = CliRunner().invoke(app, ["sources", "check", "replica-czj", "--sources", str(world.sources)])
    assert result.exit_code == 0, result.output
    assert "页面声明共 3 页" in result.output and "index_1.shtml" in result.output and "index_2.shtml" in result.output
    assert "[2024 新乡市审计局 部门预算] 2024年度新乡市审计局部门预算" in result.output
    assert "条目 4 个" in result.output
    hanweb = CliRunner().invoke(app, ["sources", "check", "replica-zhongzhan", "--sources", str(world.sources)])
    assert "跳过（government_level）" in hanweb.output and "dataproxy.jsp" in hanweb.output and "startrecord=6" in hanweb.output
    unknown = CliRunner().invoke(app, ["sources", "check", "nope", "--sources", str(world.sources)])
    assert unknown.exit_code == 1 and "没有 nope" in unknown.output


def test_runs_record_statistics(world: World) -> None:
    with world.session() as session:
        runs = session.exec(select(CrawlRun)).all()
    assert len(runs) == 3 * len(world.crawls)
    assert all(r.status == "finished" and r.finished_at and r.stats["requests"] > 0 for r in runs)


def test_new_source_of_a_supported_layout_needs_no_code(world: World, tmp_path: Path) -> None:
    """A plain-layout site added to the registry at run time; crawl prints figures."""
    (entry,) = world.site.source_entries((YANSHI,))
    registry = tmp_path / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["crawl", "--sources", str(registry)], env={"BUDGETWATCH_HOME": str(tmp_path / "home")}
    )
    assert result.exit_code == 0, result.output
    assert "[replica-yanshi]" in result.output and "新文件 3" in result.output and "来源状态：正常" in result.output
    engine = make_engine(f"sqlite:///{tmp_path / 'home' / 'budgetwatch.db'}")
    with Session(engine) as session:
        found = {(d.kind, d.year, d.department) for d in session.exec(select(Document)).all()}
    assert found == {
        ("决算", 2023, "洛阳市偃师区政务服务和大数据管理局"),
        ("预算", 2024, "洛阳市偃师区政务服务和大数据管理局"),
        ("决算", 2022, "洛阳市偃师区政务服务和大数据管理局"),
    }


def test_crawl_prints_the_failures(world: World, tmp_path: Path) -> None:
    (entry,) = world.site.source_entries((CZJ,))
    registry = tmp_path / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(app, ["crawl", "--sources", str(registry)], env={"BUDGETWATCH_HOME": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert "[replica-czj] 问题 1 条" in result.output
    assert "错误 redirect_loop" in result.output and "loop.pdf" in result.output


def test_cli_reports_a_registry_it_cannot_read(tmp_path: Path) -> None:
    registry = tmp_path / "bad.yaml"
    registry.write_text("sources: [{id: x}]", encoding="utf-8")
    result = CliRunner().invoke(app, ["crawl", "--sources", str(registry)], env={"BUDGETWATCH_HOME": str(tmp_path)})
    assert result.exit_code == 1
    assert "抓取无法运行" in result.output
