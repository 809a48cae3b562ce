"""A source's health over its recent runs, for ``budgetwatch sources``,
the nightly run summary and the alerts.

Each run stores its own verdict (``crawl_run.health``, set by
``CrawlRecorder.finish``); this module reads the history. Pure apart from
the one query: pass any open ``Session`` and the moment to judge at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from storage.crawl_models import CrawlEvent, CrawlRun

__all__ = ["SourceHealth", "source_health", "run_problems", "HEALTH_STATUSES", "SILENT_AFTER", "describe"]

HEALTH_STATUSES = ("ok", "failing", "layout_changed", "silent")
SILENT_AFTER = timedelta(hours=48)  # no finished run for this long: the nightly crawl stopped reaching it
_HISTORY = 60  # runs looked at


@dataclass(frozen=True)
class SourceHealth:
    """``status``: ``ok``; ``failing`` (its lists failed, were empty, a
    challenge page or shrank sharply — ``failing_nights`` consecutive
    nights); ``layout_changed`` (lists read but printed differently);
    ``silent`` (no run for ``SILENT_AFTER``, or never run). ``message``
    says what went wrong in Chinese."""

    status: str
    failing_nights: int
    last_ok: datetime | None
    last_run: datetime | None
    message: str | None


def _is_ok(run: CrawlRun) -> bool:
    return run.status == "finished" and run.health in ("ok", None)  # None: runs before 0007_crawl_health


def source_health(session: Session, source_id: str, now: datetime) -> SourceHealth:
    """How ``source_id`` stands at ``now``, from its runs up to then."""
    runs = session.exec(
        select(CrawlRun)
        .where(CrawlRun.source_id == source_id, CrawlRun.status != "running", col(CrawlRun.started_at) <= now)
        .order_by(col(CrawlRun.started_at).desc(), col(CrawlRun.id).desc())
        .limit(_HISTORY)
    ).all()
    if not runs:
        return SourceHealth("silent", 0, None, None, "从未抓取")
    latest = runs[0]
    last_ok = next((r.started_at for r in runs if _is_ok(r)), None)
    failing = []
    for run in runs:
        if _is_ok(run):
            break
        failing.append(run)
    nights = len({r.started_at.date() for r in failing})
    if now - latest.started_at > SILENT_AFTER:
        days = (now - latest.started_at).days
        return SourceHealth("silent", nights, last_ok, latest.started_at, f"已 {days} 天没有抓取")
    if not failing:
        return SourceHealth("ok", 0, last_ok, latest.started_at, None)
    status = "layout_changed" if latest.health == "layout_changed" else "failing"
    message = latest.health_message or ("抓取进程异常结束" if latest.status == "failed" else None)
    return SourceHealth(status, nights, last_ok, latest.started_at, message)


def describe(health: SourceHealth) -> str:
    """The status in a few Chinese words (正常 / 连续 3 晚失败 / …)."""
    if health.status == "ok":
        return "正常"
    if health.status == "failing":
        return f"连续 {health.failing_nights} 晚失败"
    if health.status == "layout_changed":
        return "页面结构改变"
    return "无抓取"


def run_problems(session: Session, run_id: int) -> list[CrawlEvent]:
    """A run's errors and warnings, errors first, in the order they happened."""
    events = session.exec(
        select(CrawlEvent)
        .where(CrawlEvent.run_id == run_id, col(CrawlEvent.level).in_(("error", "warning")))
        .order_by(col(CrawlEvent.id))
    ).all()
    return sorted(events, key=lambda e: e.level != "error")
