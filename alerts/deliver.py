"""The alert step of the nightly flow: compose, queue, send, report.

``deliver_alerts`` first checks the whole configuration (every channel URL
must load in Apprise), then queues this run's digests in the outbox in one
transaction, then sends every pending message channel by channel, oldest
first: messages left pending by an earlier run go out before tonight's.
A row is marked sent only after its channel accepted it, so a crash in
between re-sends at most that one message. One channel failing never stops
the others.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from alerts.compose import compose_run, load_candidates
from alerts.config import AlertConfig, RetryPolicy, load_alert_config
from alerts.errors import AlertConfigError
from alerts.figures import baseline_failure_rate, run_summary
from alerts.health import MISSING_RULES, health_conditions, night_of, source_health
from alerts.send import Notifier, build_notifiers
from config import Settings
from pipeline.runs import RunSummary
from storage.alert_models import AlertMessage
from storage.columns import utcnow
from storage.db import session_scope
from storage.findings import FindingRow

__all__ = ["DeliveryReport", "ChannelReport", "deliver_alerts", "check_channels", "nightly_step", "send_pending", "configured_alerts",
           "source_regions", "queue_run"]


@dataclass(frozen=True)
class ChannelReport:
    channel: str
    sent: int
    pending: int
    error: str | None = None


@dataclass(frozen=True)
class DeliveryReport:
    """What the alert step did; ``configured`` is False when no alert file is set."""

    configured: bool
    queued: int = 0
    sent: int = 0
    pending: int = 0
    channels: tuple[ChannelReport, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> dict[str, str]:
        """Channels that refused a message this run, with the reason."""
        return {c.channel: c.error for c in self.channels if c.error}

    def to_json(self) -> dict[str, Any]:
        """For ``RunSummary.alerts``."""
        return {"configured": self.configured, "queued": self.queued, "sent": self.sent, "pending": self.pending,
                "failed": self.failed}


def configured_alerts(path: Path | None) -> tuple[AlertConfig, dict[str, Notifier]] | None:
    """The configuration and one loaded notifier per channel; ``None`` when unset.

    Raises ``AlertConfigError`` when the file, a secret or a channel URL is unusable."""
    if path is None:
        return None
    config = load_alert_config(path)
    return config, build_notifiers(config)


def check_channels(settings: Settings) -> int:
    """Load the alert configuration and every channel as a run would: the
    number of channels (0 when unconfigured); ``AlertConfigError`` when unusable.

    The nightly run calls this at its start, so a bad URL stops it before the crawl."""
    loaded = configured_alerts(settings.alerts)
    return 0 if loaded is None else len(loaded[1])


def source_regions(sources_path: Path) -> dict[str, str]:
    """source_id → region (省/市/县) from the source registry, for routes by region."""
    from crawler.errors import SourceConfigError
    from crawler.sources import load_sources

    try:
        return {s.id: s.region for s in load_sources(sources_path) if s.region}
    except SourceConfigError as exc:
        raise AlertConfigError(f"按地区路由需要来源登记表：{exc}") from exc


def send_pending(
    engine: Engine,
    notifiers: dict[str, Notifier],
    retry: RetryPolicy,
    now: Callable[[], datetime],
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> list[ChannelReport]:
    """Send every pending message of every configured channel, oldest first.

    A channel that refuses a message (after ``retry.attempts`` tries with
    exponential backoff) keeps it and its later messages pending for the next run."""
    reports = []
    for name, notifier in notifiers.items():
        with Session(engine) as session:
            pending = session.exec(select(AlertMessage).where(AlertMessage.channel == name, AlertMessage.status == "pending")
                                   .order_by(col(AlertMessage.id))).all()
        sent, error = 0, None
        for message in pending:
            tries = 0
            for tries in range(1, retry.attempts + 1):
                if tries > 1:
                    sleep(retry.backoff_seconds * 2 ** (tries - 2))
                error = notifier.send(message.subject, message.payload)
                if error is None:
                    break
            with session_scope(engine) as session:
                row = session.get(AlertMessage, message.id)
                if row is not None and row.status == "pending":
                    row.attempts += tries
                    row.last_error = error
                    if error is None:
                        row.status, row.sent_at = "sent", now()
            if error is not None:
                break
            sent += 1
        reports.append(ChannelReport(name, sent, len(pending) - sent, error))
    return reports


def queue_run(
    session: Session,
    config: AlertConfig,
    settings: Settings,
    run_id: int | None,
    now: datetime,
    figures: RunSummary | None,
) -> list[AlertMessage]:
    """Compose and queue this run's digests in ``session`` (the caller commits, or rolls back to preview)."""
    regions = source_regions(settings.sources) if any(r.regions for r in config.routes) else {}
    missing = session.exec(select(FindingRow).where(col(FindingRow.resolved_at).is_(None),
                                                    col(FindingRow.rule_id).in_(MISSING_RULES))).all()
    conditions = health_conditions(source_health(session, now), missing, figures,
                                   baseline_failure_rate(session, run_id), config.health, now)
    return compose_run(session, config, load_candidates(session, regions), conditions, base_url=settings.base_url,
                       run_id=run_id, day=night_of(now), figures=figures, now=now)


def deliver_alerts(
    engine: Engine,
    settings: Settings,
    run_id: int | None,
    now: datetime,
    figures: RunSummary | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryReport:
    """Queue this run's digests and send everything pending.

    ``now`` is aware UTC. ``figures`` default to the summary of run
    ``run_id`` in ``pipeline_run`` (store it before calling). Raises ``AlertConfigError`` before anything is
    queued or sent when the configuration is unusable; returns
    ``DeliveryReport(configured=False)`` when setting ``alerts`` is unset."""
    loaded = configured_alerts(settings.alerts)
    if loaded is None:
        return DeliveryReport(configured=False)
    config, notifiers = loaded
    with session_scope(engine) as session:
        if figures is None and run_id is not None:
            figures = run_summary(session, run_id)
        queued = queue_run(session, config, settings, run_id, now, figures)
    reports = send_pending(engine, notifiers, config.retry, lambda: max(now, utcnow()), sleep=sleep)
    return DeliveryReport(True, len(queued), sum(r.sent for r in reports), sum(r.pending for r in reports),
                          tuple(reports))


def nightly_step(engine: Engine, settings: Settings, run_id: int) -> dict[str, Any]:
    """``deliver_alerts`` in the shape ``pipeline.nightly.run_nightly(deliver=...)`` takes."""
    return deliver_alerts(engine, settings, run_id, utcnow()).to_json()
