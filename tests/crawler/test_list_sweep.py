"""Deeper list pages between sweeps, on a fake clock (``BUDGETWATCH_CRAWL_NOW``).

A 60-document newest-first list (20 a page) crawled on chosen nights:

0. first crawl: every list page read (a sweep)
1. nothing changed: only page 1 asked, the deeper pages followed from their state
2. three new documents pushed old entries down into a deferred page, and one
   of those pushed-down files was silently replaced
3. a deep entry unlisted (its page and file still online)
4. the replacement + the bound (30 days): caught while its list page is deferred
5. a sweep: every list page read, the unlisted document withdrawn

and no night but the sweep withdraws anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlmodel import Session, select

from crawler.launch import RunSummary, run_crawl
from crawler.schedule import Revalidation, sweep_due
from demo.site import ReplicaSite
from demo.site_bulk import BULK
from demo.site_files import DocSpec
from storage.crawl_models import CrawlEvent
from storage.db import make_engine
from storage.models import Document, DocumentVersion

T0 = datetime(2025, 3, 20, 2, 0, tzinfo=UTC)
BOUND = timedelta(days=30)
NIGHTS = [T0, T0 + timedelta(days=1), T0 + timedelta(days=2), T0 + timedelta(days=3), T0 + timedelta(days=2) + BOUND,
          T0 + timedelta(days=33)]
LONG_SWEEP = 1000.0  # days: no sweep between the first crawl and night 4 …
SWEEP = 7.0  # … then the default: the last sweep is a month old, so night 5 sweeps


@dataclass
class Night:
    summary: RunSummary
    list_paths: list[str]  # list pages the site served


@dataclass
class World:
    site: ReplicaSite
    home: Path
    nights: list[Night]
    replaced_url: str
    unlisted_url: str

    def session(self) -> Session:
        return Session(make_engine(f"sqlite:///{self.home / 'budgetwatch.db'}"))


def _crawl(site: ReplicaSite, home: Path, registry: Path, night: int, sweep_days: float) -> Night:
    env = {
        "BUDGETWATCH_HOME": str(home),
        "BUDGETWATCH_CRAWL_NOW": NIGHTS[night].isoformat(),
        "BUDGETWATCH_LIST_SWEEP_DAYS": str(sweep_days),
    }
    (summary,) = run_crawl(sources_file=registry, env=env, timeout=180)
    lists = [r.path for r in site.take_log() if r.path.startswith("/bulk/yjsgk/index")]
    return Night(summary, lists)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    home = tmp_path_factory.mktemp("sweep")
    policy = Revalidation(list_sweep=timedelta(days=LONG_SWEEP))
    assert not sweep_due("replica-bulk", T0, NIGHTS[4], policy)  # the premise of nights 1-4
    with ReplicaSite(bulk=60) as site:
        (entry,) = site.source_entries((BULK,))
        registry = home / "sources.yaml"
        registry.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True), encoding="utf-8")
        articles = site.sections[BULK].articles
        pushed_down = articles[39]  # last of page 2: three new entries push it onto page 3
        unlisted = articles[50]  # on page 3
        nights = [_crawl(site, home, registry, 0, LONG_SWEEP), _crawl(site, home, registry, 1, LONG_SWEEP)]
        for n in range(3):
            site.publish(BULK, DocSpec(f"新乡市新设机构{n + 1}", "预算", 2025), published=date(2025, 3, 21))
        replaced_url = pushed_down.attachments[0].url
        site.replace_file(replaced_url, b"%PDF-1.4\n% silently replaced\n" + b"1" * 9000)
        nights.append(_crawl(site, home, registry, 2, LONG_SWEEP))
        site.unlist(unlisted.path)
        nights.append(_crawl(site, home, registry, 3, LONG_SWEEP))
        nights.append(_crawl(site, home, registry, 4, LONG_SWEEP))
        nights.append(_crawl(site, home, registry, 5, SWEEP))
        yield World(site, home, nights, replaced_url, unlisted.attachments[0].url)


def test_first_crawl_reads_every_list_page_and_counts_as_a_sweep(world: World) -> None:
    first = world.nights[0]
    assert len(set(first.list_paths)) == 3
    assert first.summary.stats["lists_swept"] == 1 and first.summary.stats["lists_deferred"] == 0
    assert first.summary.stats["new_documents"] == 60


def test_a_quiet_night_asks_only_the_first_list_page(world: World) -> None:
    quiet = world.nights[1]
    assert quiet.list_paths == ["/bulk/yjsgk/index.html"]
    assert quiet.summary.stats["lists_deferred"] == 2
    assert quiet.summary.stats["entries"] == world.nights[0].summary.stats["entries"]  # deferred pages still listed
    assert quiet.summary.stats["lists_swept"] == 0 and quiet.summary.health == "ok"


def test_new_entries_are_found_and_the_cascade_stops_below_them(world: World) -> None:
    busy = world.nights[2]
    assert busy.summary.stats["new_documents"] == 3
    assert "/bulk/yjsgk/index_1.html" in busy.list_paths  # page 2 received page 1's pushed-down entries
    assert "/bulk/yjsgk/index_2.html" not in busy.list_paths  # page 2 held nothing new: page 3 deferred
    assert busy.summary.stats["lists_deferred"] >= 1


def test_deferred_list_pages_never_cause_or_hide_a_withdrawal(world: World) -> None:
    assert [n.summary.stats["withdrawn"] for n in world.nights] == [0, 0, 0, 0, 0, 1]
    sweep = world.nights[5]
    assert sweep.summary.stats["lists_swept"] == 1 and sweep.summary.stats["lists_deferred"] == 0
    assert len(set(sweep.list_paths)) == 4
    with world.session() as session:
        gone = session.exec(select(Document).where(Document.withdrawn_at.is_not(None))).all()  # type: ignore[union-attr]
        events = session.exec(select(CrawlEvent).where(CrawlEvent.code == "withdrawn")).all()
    assert [d.url for d in gone] == [world.unlisted_url]
    assert [e.run_id for e in events] == [sweep.summary.run_id]


def test_a_pushed_down_file_replaced_silently_is_caught_within_the_bound(world: World) -> None:
    nights = world.nights
    assert [n.summary.stats["new_versions"] for n in nights[:4]] == [0, 0, 0, 0]
    caught = nights[4]
    assert caught.summary.stats["new_versions"] == 1
    assert "/bulk/yjsgk/index_2.html" not in caught.list_paths  # its list page was not read: carried
    with world.session() as session:
        document = session.exec(select(Document).where(Document.url == world.replaced_url)).one()
        versions = session.exec(select(DocumentVersion).where(DocumentVersion.document_id == document.id)).all()
    assert len(versions) == 2
