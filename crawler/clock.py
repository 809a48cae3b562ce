"""The run's notion of "now" and of the revalidation schedule, from the
Scrapy settings ``crawler.run`` fills in.

``BUDGETWATCH_NOW`` (ISO time) pretends the crawl runs at another moment:
tests and the nightly benchmark replay weeks of nights in minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from scrapy.settings import BaseSettings

from crawler.schedule import Revalidation
from storage.columns import utcnow

__all__ = ["crawl_clock", "revalidation_policy"]


def crawl_clock(settings: BaseSettings) -> Callable[[], datetime]:
    """``utcnow``, or a clock fixed at ``BUDGETWATCH_NOW`` when set."""
    fixed = settings.get("BUDGETWATCH_NOW")
    if not fixed:
        return utcnow
    moment = datetime.fromisoformat(fixed)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return lambda: moment


def revalidation_policy(settings: BaseSettings) -> Revalidation:
    return Revalidation(
        max_interval=timedelta(days=settings.getfloat("BUDGETWATCH_REVALIDATE_MAX_DAYS")),
        list_sweep=timedelta(days=settings.getfloat("BUDGETWATCH_LIST_SWEEP_DAYS")),
        full=settings.getbool("BUDGETWATCH_FULL_REVALIDATION"),
    )
