"""The nightly run: crawl every enabled source → parse what is new → check
what changed → deliver alerts → record the run.

Written once; ``budgetwatch run`` executes it in-process (``LocalRunner``)
and the Prefect flow ``flows.nightly`` with Prefect tasks (``PrefectRunner``).
Every step is idempotent and stores its results as it goes, so a run killed
at any point and started again finishes the work with no duplicate
documents, findings or alerts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy import Engine
from sqlmodel import col, select

from config import Settings
from pipeline.ingest import ERROR, REPARSED, REUSED, STORED, parse_versions, versions_to_parse
from pipeline.parse_worker import ParseLimits
from pipeline.runner import LocalRunner, StepRunner
from pipeline.runs import RunSummary, SourceFigures, close_stale, finish_run, record_event, start_run
from storage import ArchiveStore, make_engine, migrate, session_scope
from storage.crawl_models import CrawlEvent

if TYPE_CHECKING:
    from crawler.sources import Source

__all__ = ["NightlyOptions", "run_nightly", "crawl_sources", "host_groups", "CRAWL_TIMEOUT_SECONDS"]

# A whole source's crawl; beyond it the crawl process is stopped and the source marked failed.
CRAWL_TIMEOUT_SECONDS = 3 * 3600
# How many of a failed source's error events the run summary quotes.
QUOTED_ERRORS = 3


@dataclass(frozen=True)
class NightlyOptions:
    source_ids: tuple[str, ...] = ()  # empty: every enabled source
    today: date | None = None
    check_everything: bool = False
    full_revalidation: bool = False  # re-ask every known page and file (crawl --full)


@dataclass
class Progress:
    """Callbacks for a progress display; the CLI passes Rich-backed ones."""

    step: Callable[[str, int], None] = lambda name, total: None
    advance: Callable[[str], None] = lambda name: None


@dataclass(frozen=True)
class CrawlJob:
    """Sources that share a host, crawled in one process: politeness (delay,
    one request at a time, one robots.txt) holds per host across them."""

    source_ids: tuple[str, ...]
    sources_file: Path
    env: dict[str, str] = field(default_factory=dict)
    full: bool = False


def crawl_sources(job: CrawlJob) -> list[SourceFigures]:
    """Crawl one host group in its own process; a site's failure is data, never an exception."""
    from crawler.errors import CrawlRunError
    from crawler.launch import run_crawl

    try:
        summaries = run_crawl(source_ids=job.source_ids, sources_file=job.sources_file, env=job.env,
                              timeout=CRAWL_TIMEOUT_SECONDS, full=job.full)
    except CrawlRunError as exc:
        return [SourceFigures(source_id, status="failed", error=str(exc)[-500:]) for source_id in job.source_ids]
    figures = {s.source_id: _figures(s) for s in summaries}
    return [figures.get(source_id) or SourceFigures(source_id, status="failed", error="抓取进程未报告这个来源的结果")
            for source_id in job.source_ids]


def _figures(s) -> SourceFigures:  # noqa: ANN001 - crawler.launch.RunSummary, imported lazily
    stats = s.stats
    figures = SourceFigures(
        s.source_id, crawl_run_id=s.run_id, pages=stats.get("pages", 0), new_documents=stats.get("new_documents", 0),
        new_versions=stats.get("new_versions", 0), withdrawn=stats.get("withdrawn", 0), errors=stats.get("errors", 0),
        health=s.health, health_message=s.health_message,
    )
    if s.status != "finished" or (figures.pages == 0 and figures.errors):
        figures.status = "failed"
    return figures


def host_groups(sources: Sequence[Source]) -> list[tuple[str, ...]]:
    """Source ids grouped so that sources sharing a host (of a start URL or an
    allowed host) land in one group; groups in registry order."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for source in sources:
        hosts = {urlsplit(u).hostname or u for u in source.start_urls}
        for host in hosts:
            parent[find(host)] = find(source.id)
    groups: dict[str, list[str]] = {}
    for source in sources:
        groups.setdefault(find(source.id), []).append(source.id)
    return [tuple(ids) for ids in groups.values()]


def _quote_errors(engine: Engine, figures: SourceFigures) -> None:
    """Name what failed: the first error events of the source's crawl run."""
    if figures.crawl_run_id is None or figures.error:
        return
    with session_scope(engine) as session:
        events = session.exec(
            select(CrawlEvent).where(CrawlEvent.run_id == figures.crawl_run_id, CrawlEvent.level == "error")
            .order_by(col(CrawlEvent.id)).limit(QUOTED_ERRORS)
        ).all()
        if events:
            figures.error = "；".join(f"{e.code} {e.url or ''} {e.message}".strip() for e in events)


def _enabled_sources(sources_file: Path, wanted: Sequence[str]) -> list[Source]:
    from crawler.run import select_sources
    from crawler.sources import load_sources

    sources = load_sources(sources_file)
    if wanted:
        return [s for source_id in wanted for s in select_sources(sources, source_id)]
    return select_sources(sources, None)


@contextmanager
def _timed(summary: RunSummary, step: str) -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    finally:
        summary.step_seconds[step] = round(summary.step_seconds.get(step, 0) + time.monotonic() - started, 3)


def run_nightly(settings: Settings, options: NightlyOptions = NightlyOptions(), *,
                runner: StepRunner | None = None, progress: Progress | None = None,
                deliver: Callable[[Engine, Settings, int], dict] | None = None) -> tuple[int, RunSummary]:
    """One night's work; returns the run id and its summary.

    ``deliver`` is the alert step (``alerts.nightly_step`` unless given; it
    does nothing without an alerts file). Raises only when the run itself
    cannot run (database unreachable, source registry or alert channels
    unusable); every source's and every file's failure is recorded.
    """
    import alerts
    from analysis import load_identity
    from pipeline.check import check_changed, configured_rules

    runner = runner or LocalRunner()
    progress = progress or Progress()
    deliver = deliver or alerts.nightly_step
    alerts.check_channels(settings)  # a channel Apprise cannot load stops the run here, not silently later
    engine = make_engine(settings.database_url)
    migrate(engine)
    archive = ArchiveStore(settings.archive_dir)
    groups = host_groups(_enabled_sources(settings.sources, options.source_ids))
    rules = configured_rules(settings.rules)
    close_stale(engine, "nightly")
    run_id = start_run(engine, "nightly")
    summary = RunSummary()
    try:
        with _timed(summary, "crawl"):
            progress.step("crawl", sum(map(len, groups)))
            env = {"BUDGETWATCH_DATABASE_URL": settings.database_url, "BUDGETWATCH_ARCHIVE_DIR": settings.archive_dir}
            jobs = [CrawlJob(group, settings.sources, env, options.full_revalidation) for group in groups]
            for group in runner.each(crawl_sources, jobs, name="crawl", parallel=1, retries=1):
                for figures in group:
                    _quote_errors(engine, figures)
                    summary.sources.append(figures)
                    if figures.status == "failed":
                        record_event(engine, run_id, "crawl", "error", "source_failed", figures.error or "",
                                     source_id=figures.source_id)
                    elif figures.health != "ok":
                        record_event(engine, run_id, "crawl", "warning", f"source_{figures.health}",
                                     figures.health_message or "", source_id=figures.source_id)
                    progress.advance("crawl")
        with _timed(summary, "parse"):
            pending = versions_to_parse(engine)
            progress.step("parse", len(pending))
            report = parse_versions(engine, archive, pending, ParseLimits.from_settings(settings),
                                    settings.parse_workers, runner=runner,
                                    on_done=lambda version_id, status: progress.advance("parse"))
            counts = report.counts
            summary.parsed = counts[STORED] + counts[REPARSED]
            summary.parse_reused = counts[REUSED]
            summary.parse_failed = counts[ERROR]
            for version_id, (code, message) in report.errors.items():
                record_event(engine, run_id, "parse", "error", code, message, version_id=version_id)
        with _timed(summary, "check"):
            progress.step("check", 1)
            result = check_changed(engine, rules, load_identity(), options.today or date.today(),
                                   everything=options.check_everything)
            summary.departments_checked = result.departments_checked
            summary.findings_new, summary.findings_resolved = result.findings_new, result.findings_resolved
            progress.advance("check")
        with _timed(summary, "alerts"):
            finish_run(engine, run_id, summary)  # the digest reads this run's figures
            summary.alerts = deliver(engine, settings, run_id)
    except BaseException as exc:
        finish_run(engine, run_id, summary, error=f"{type(exc).__name__}: {exc}")
        raise
    finish_run(engine, run_id, summary)
    return run_id, summary
