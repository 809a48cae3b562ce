"""When a detail page, a file or a source's deep list pages are due.

Detail pages and files: asked again when their list entry changed (title
or date), when new or last failed, and otherwise on a schedule that backs
off with age (time since the content last changed, counted from its
publish date on first sight). The interval is ``age / AGE_DIVISOR`` rounded
down to a power of two days (1, 2, 4, 8, 16), and ``max_interval`` once
that reaches it — the configurable bound within which a file replaced
silently at its URL is noticed.

The checks of one key fall on a fixed lattice: every ``interval``, at the
key's own phase (a stable hash). Crawled nightly, a key is therefore asked
exactly once per interval (the mean interval is the interval, not a
fraction of it) and never later than one interval after its last check,
while a batch first seen together is spread evenly over the interval's
nights. A file shares the phase of the detail page it hangs from, so the
two are checked the same night.

List pages: the first page of each list is read every run; the deeper
pages of a newest-first list are read on a *sweep*, once every
``list_sweep`` days per source (same lattice, the source's phase), and on
any night a page above them shows entries it did not hold before (see
``crawler.spiders.generic``). Between sweeps they are followed from their
stored entries. Absence-based withdrawal needs a run that read every list
page, so it waits for a sweep.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = ["Revalidation", "next_check", "is_due", "interval", "sweep_due", "SLACK"]

AGE_DIVISOR = 12  # unchanged for a year → about monthly
MIN_INTERVAL = timedelta(days=1)
# A nightly run a little earlier than last night's still counts as a night later.
SLACK = timedelta(hours=12)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Revalidation:
    """The schedule's knobs: ``max_interval`` bounds how late a silent
    replacement is seen; ``list_sweep`` how often every list page is read
    (and so how late a document merely unlisted is withdrawn); ``full``
    asks everything (``crawl --full``)."""

    max_interval: timedelta = timedelta(days=30)
    list_sweep: timedelta = timedelta(days=7)
    full: bool = False


def _phase(key: str) -> float:
    """A stable number in [0, 1) for ``key``."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 2**32


def interval(age: timedelta, policy: Revalidation) -> timedelta:
    """How often content unchanged for ``age`` is asked again."""
    raw = age / AGE_DIVISOR
    if raw >= policy.max_interval:
        return policy.max_interval
    if raw <= MIN_INTERVAL:
        return MIN_INTERVAL
    return min(policy.max_interval, MIN_INTERVAL * 2 ** math.floor(math.log2(raw / MIN_INTERVAL)))


def _next_slot(key: str, after: datetime, every: timedelta) -> datetime:
    """The first moment of ``key``'s lattice (period ``every``) strictly after ``after``."""
    phase = _phase(key)
    index = math.floor((after - _EPOCH) / every - phase) + 1
    return _EPOCH + (index + phase) * every


def _slot_between(key: str, since: datetime, now: datetime, every: timedelta) -> bool:
    """Whether a run at ``now`` covers a slot of ``key`` not covered at ``since``."""
    return _next_slot(key, since + SLACK, every) <= now + SLACK


def next_check(key: str, checked_at: datetime, changed_at: datetime, policy: Revalidation) -> datetime:
    """The first run moment at which ``key`` (last asked at ``checked_at``,
    unchanged since ``changed_at``) is due; at most one interval later."""
    every = interval(max(checked_at - changed_at, timedelta(0)), policy)
    return _next_slot(key, checked_at + SLACK, every) - SLACK


def is_due(
    key: str,
    *,
    checked_at: datetime | None,
    changed_at: datetime | None,
    entry_changed: bool,
    now: datetime,
    policy: Revalidation,
) -> bool:
    """Whether to ask the URL scheduled under ``key`` this run (see the module docstring)."""
    if policy.full or entry_changed or checked_at is None or changed_at is None:
        return True
    return next_check(key, checked_at, changed_at, policy) <= now


def sweep_due(source_id: str, last_sweep: datetime | None, now: datetime, policy: Revalidation) -> bool:
    """Whether a run at ``now`` must read every list page of ``source_id``,
    whose last complete, healthy read of its lists began at ``last_sweep``."""
    if policy.full or last_sweep is None:
        return True
    return _slot_between(f"lists:{source_id}", last_sweep, now, policy.list_sweep)
