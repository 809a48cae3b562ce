"""The revalidation schedule on a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler.schedule import Revalidation, is_due, next_check

NOW = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
POLICY = Revalidation(max_interval=timedelta(days=30))
URLS = [f"http://a.gov.cn/files/{n}.pdf" for n in range(300)]


def _due(url: str, *, checked: datetime, changed: datetime, now: datetime, entry_changed: bool = False,
         policy: Revalidation = POLICY) -> bool:
    return is_due(url, checked_at=checked, changed_at=changed, entry_changed=entry_changed, now=now, policy=policy)


def test_unknown_changed_or_forced_urls_are_always_due() -> None:
    old = NOW - timedelta(days=800)
    assert is_due(URLS[0], checked_at=None, changed_at=None, entry_changed=False, now=NOW, policy=POLICY)
    assert _due(URLS[0], checked=NOW - timedelta(hours=1), changed=old, now=NOW, entry_changed=True)
    assert _due(URLS[0], checked=NOW - timedelta(hours=1), changed=old, now=NOW, policy=Revalidation(full=True))
    assert not _due(URLS[0], checked=NOW - timedelta(hours=1), changed=old, now=NOW)


def test_a_year_old_file_is_asked_about_monthly_never_past_the_bound() -> None:
    changed = NOW - timedelta(days=365)
    waits = []
    for url in URLS:
        wait = next_check(url, NOW, changed, POLICY) - NOW
        assert timedelta(days=15) <= wait <= POLICY.max_interval
        assert not _due(url, checked=NOW, changed=changed, now=NOW + timedelta(days=1))
        assert _due(url, checked=NOW, changed=changed, now=NOW + POLICY.max_interval)
        waits.append(wait)
    assert max(waits) - min(waits) > timedelta(days=10)  # a batch first seen together is spread out


def test_backoff_grows_with_age_and_respects_a_configured_bound() -> None:
    url = URLS[7]
    young = next_check(url, NOW, NOW - timedelta(days=2), POLICY) - NOW
    middle = next_check(url, NOW, NOW - timedelta(days=120), POLICY) - NOW
    old = next_check(url, NOW, NOW - timedelta(days=3000), POLICY) - NOW
    assert young == timedelta(days=1) < middle < old <= timedelta(days=30)
    tight = Revalidation(max_interval=timedelta(days=7))
    assert next_check(url, NOW, NOW - timedelta(days=3000), tight) - NOW <= timedelta(days=7)


@pytest.mark.parametrize("hours_early", [0, 6, 11])
def test_a_run_a_little_earlier_than_last_night_still_counts(hours_early: int) -> None:
    url = URLS[3]
    changed = NOW - timedelta(days=3)
    due_at = next_check(url, NOW, changed, POLICY)
    assert _due(url, checked=NOW, changed=changed, now=due_at - timedelta(hours=hours_early))
