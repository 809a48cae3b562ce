"""When a detail page or file is due for revalidation.

List pages are read every run. A detail page or file is asked again when
its list entry changed (title or date), when it is new or last failed, and
otherwise on a schedule that backs off with its age (time since its
content last changed, counted from its publish date on first sight):
``age / AGE_DIVISOR``, at least one day, at most ``max_interval`` — the
configurable bound within which a file replaced silently at the same URL
is noticed. A deterministic per-URL spread (the interval times 0.5–1)
keeps documents first seen in one run from all falling due on one night.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["Revalidation", "next_check", "is_due"]

AGE_DIVISOR = 12  # unchanged for a year → about monthly
MIN_INTERVAL = timedelta(days=1)


@dataclass(frozen=True)
class Revalidation:
    """The schedule's knobs: ``max_interval`` bounds how late a silent
    replacement is seen; ``full`` asks everything (``crawl --full``)."""

    max_interval: timedelta = timedelta(days=30)
    full: bool = False


def _spread(url: str) -> float:
    """A stable number in [0.5, 1) for ``url``."""
    return 0.5 + int(hashlib.sha256(url.encode()).hexdigest()[:8], 16) / 2**33


def next_check(url: str, checked_at: datetime, changed_at: datetime, policy: Revalidation) -> datetime:
    """When ``url``, last asked at ``checked_at`` and unchanged since
    ``changed_at``, should be asked again."""
    age = max(checked_at - changed_at, timedelta(0))
    interval = min(policy.max_interval, age / AGE_DIVISOR)
    return checked_at + max(MIN_INTERVAL, interval * _spread(url))


def is_due(
    url: str,
    *,
    checked_at: datetime | None,
    changed_at: datetime | None,
    entry_changed: bool,
    now: datetime,
    policy: Revalidation,
) -> bool:
    """Whether to ask ``url`` this run (see the module docstring)."""
    if policy.full or entry_changed or checked_at is None or changed_at is None:
        return True
    # Half a day of slack: a nightly run a little earlier than last night's still counts.
    return next_check(url, checked_at, changed_at, policy) <= now + timedelta(hours=12)
