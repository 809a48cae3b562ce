"""The pipeline's health, as conditions worth telling the operator.

Each condition has a stable ``key``: it is alerted once when it appears and
once more ("已恢复") when it is gone, through the same per-channel ledger as
findings. Source figures come from ``crawl_run`` rows through
``source_health`` alone, so it can be swapped for the crawler's own
``crawler.health.source_health`` when that lands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from alerts.config import HealthLimits
from pipeline.runs import RunSummary
from storage.crawl_models import CrawlEvent, CrawlRun
from storage.findings import FindingRow

__all__ = ["SourceHealth", "HealthCondition", "source_health", "health_conditions", "night_of",
           "MISSING_RULES", "LAYOUT_EVENT"]

LOCAL_TIME = ZoneInfo("Asia/Shanghai")
# A run still "running" this long after it started has died without saying so.
STALE_RUN = timedelta(hours=12)
# Presence findings that mean "an expected document is still missing after its deadline".
MISSING_RULES = ("presence.missing", "presence.unit_missing")
# The crawler's event for a list page on which no candidate link was found (site redesigned).
LAYOUT_EVENT = "list_empty"


def night_of(moment: datetime) -> date:
    """The local (Beijing) date a run belongs to."""
    return moment.astimezone(LOCAL_TIME).date()


@dataclass(frozen=True)
class SourceHealth:
    """One source as its recent crawls show it."""

    source_id: str
    failing_nights: int          # consecutive failed nights, counted back from the latest
    last_published: datetime | None  # start of the latest crawl that found new documents
    layout_changed: bool         # the latest crawl found a list page without candidate links


@dataclass(frozen=True)
class HealthCondition:
    key: str
    title: str
    recovered: str
    detail: str = ""


def _failed(run: CrawlRun, now: datetime) -> bool | None:
    """Whether ``run`` failed; ``None`` while it may still be running."""
    if run.status == "running":
        return True if now - run.started_at > STALE_RUN else None
    stats = run.stats or {}
    return run.status == "failed" or (int(stats.get("pages", 0) or 0) == 0 and int(stats.get("errors", 0) or 0) > 0)


def source_health(session: Session, now: datetime) -> list[SourceHealth]:
    """Per source, from its ``crawl_run`` rows: a night failed when none of its runs succeeded."""
    runs = session.exec(select(CrawlRun).where(col(CrawlRun.started_at) <= now).order_by(col(CrawlRun.started_at))).all()
    nights: dict[str, dict[date, bool]] = defaultdict(dict)
    published: dict[str, datetime] = {}
    latest: dict[str, CrawlRun] = {}
    for run in runs:
        failed = _failed(run, now)
        if failed is not None:
            night = night_of(run.started_at)
            nights[run.source_id][night] = nights[run.source_id].get(night, True) and failed
            latest[run.source_id] = run
        if int((run.stats or {}).get("new_documents", 0) or 0) > 0:
            published[run.source_id] = run.started_at
    layout = {
        event.run_id for event in session.exec(
            select(CrawlEvent).where(CrawlEvent.code == LAYOUT_EVENT,
                                     col(CrawlEvent.run_id).in_([r.id for r in latest.values()]))
        ).all()
    } if latest else set()
    result = []
    for source_id, by_night in sorted(nights.items()):
        streak = 0
        for night in sorted(by_night, reverse=True):
            if not by_night[night]:
                break
            streak += 1
        result.append(SourceHealth(source_id, streak, published.get(source_id), latest[source_id].id in layout))
    return result


def health_conditions(
    sources: Iterable[SourceHealth],
    missing: Iterable[FindingRow],
    figures: RunSummary | None,
    baseline_failure_rate: float | None,
    limits: HealthLimits,
    now: datetime,
) -> list[HealthCondition]:
    """Everything the operator should know about tonight, each under a stable key."""
    found: list[HealthCondition] = []
    for source in sources:
        if source.failing_nights >= limits.failing_nights:
            found.append(HealthCondition(f"source_failing:{source.source_id}",
                                         f"来源 {source.source_id} 连续 {source.failing_nights} 晚抓取失败",
                                         f"来源 {source.source_id} 抓取已恢复正常"))
        if source.last_published and now - source.last_published > timedelta(days=limits.silent_days):
            found.append(HealthCondition(f"source_silent:{source.source_id}",
                                         f"来源 {source.source_id} 已 {limits.silent_days} 天以上未发现新文件",
                                         f"来源 {source.source_id} 又发现了新文件",
                                         f"上次发现新文件：{night_of(source.last_published).isoformat()}"))
        if source.layout_changed:
            found.append(HealthCondition(f"layout_changed:{source.source_id}",
                                         f"来源 {source.source_id} 的列表页未找到任何文件链接（网站可能已改版）",
                                         f"来源 {source.source_id} 的列表页又能找到文件链接"))
    if figures is not None and figures.parse_failed >= limits.parse_failures_min:
        rate = figures.parse_failed / max(figures.parsed + figures.parse_failed, 1)
        if baseline_failure_rate is None or rate >= limits.parse_failures_factor * max(baseline_failure_rate, 0.01):
            found.append(HealthCondition("parse_failures", "解析失败明显增多", "解析失败已回落",
                                         f"本次 {figures.parse_failed} 份解析失败，共 {figures.parsed + figures.parse_failed} 份，"
                                         f"失败率 {rate:.0%}"))
    for row in missing:
        found.append(HealthCondition(f"missing:{row.fingerprint}", f"逾期未公开：{row.department or ''} {row.message}",
                                     f"已公开：{row.department or ''} {row.kind or ''} {row.year or ''}"))
    return found
