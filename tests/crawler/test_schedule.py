"""The revalidation schedule on a fake clock."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from crawler.schedule import Revalidation, interval, is_due, next_check, sweep_due

NOW = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
POLICY = Revalidation(max_interval=timedelta(days=30))
URLS = [f"http://a.gov.cn/files/{n}.pdf" for n in range(300)]
OLD = NOW - timedelta(days=800)


def _due(url: str, *, checked: datetime, changed: datetime, now: datetime, entry_changed: bool = False,
         policy: Revalidation = POLICY) -> bool:
    return is_due(url, checked_at=checked, changed_at=changed, entry_changed=entry_changed, now=now, policy=policy)


def _nightly(keys: list[str], changed: datetime, nights: int, policy: Revalidation = POLICY) -> list[list[str]]:
    """The keys asked on each of ``nights`` nights after all were checked at NOW."""
    checked = dict.fromkeys(keys, NOW)
    asked = []
    for night in range(1, nights + 1):
        now = NOW + timedelta(days=night)
        due = [k for k in keys if _due(k, checked=checked[k], changed=changed, now=now, policy=policy)]
        checked.update(dict.fromkeys(due, now))
        asked.append(due)
    return asked


def test_unknown_changed_or_forced_urls_are_always_due() -> None:
    assert is_due(URLS[0], checked_at=None, changed_at=None, entry_changed=False, now=NOW, policy=POLICY)
    assert _due(URLS[0], checked=NOW - timedelta(hours=1), changed=OLD, now=NOW, entry_changed=True)
    assert _due(URLS[0], checked=NOW - timedelta(hours=1), changed=OLD, now=NOW, policy=Revalidation(full=True))
    assert not _due(URLS[0], checked=NOW - timedelta(hours=1), changed=OLD, now=NOW)


def test_old_files_are_asked_once_per_bound_and_never_later() -> None:
    asked = _nightly(URLS, OLD, 120)
    per_key = Counter(k for night in asked[30:] for k in night)  # nights 31-120: three full bounds
    assert set(per_key.values()) == {3}  # the mean interval is the bound, not a fraction of it
    last = dict.fromkeys(URLS, 0)
    for night, due in enumerate(asked, 1):
        for key in due:
            assert night - last[key] <= POLICY.max_interval.days
            last[key] = night


def test_a_batch_first_seen_together_spreads_over_the_bound() -> None:
    first_month = [len(due) for due in _nightly(URLS, OLD, 30)]
    assert sum(first_month) == len(URLS)
    assert max(first_month) <= 3 * len(URLS) / 30  # no night carries the batch


def test_backoff_grows_with_age_and_respects_a_configured_bound() -> None:
    assert interval(timedelta(days=2), POLICY) == timedelta(days=1)
    assert interval(timedelta(days=120), POLICY) == timedelta(days=8)
    assert interval(timedelta(days=365), POLICY) == timedelta(days=30)  # a year unchanged: monthly
    assert interval(timedelta(days=3000), Revalidation(max_interval=timedelta(days=7))) == timedelta(days=7)
    for url in URLS[:50]:
        young = next_check(url, NOW, NOW - timedelta(days=2), POLICY) - NOW
        old = next_check(url, NOW, OLD, POLICY) - NOW
        assert timedelta(0) < young <= timedelta(days=1) and timedelta(0) < old <= timedelta(days=30)


@pytest.mark.parametrize("wobble_hours", [3, 6, 11])
def test_nightly_runs_starting_at_wobbling_hours_keep_the_rhythm(wobble_hours: int) -> None:
    checked = dict.fromkeys(URLS, NOW)
    counts: Counter[str] = Counter()
    longest = timedelta(0)
    for night in range(1, 121):
        now = NOW + timedelta(days=night, hours=wobble_hours * (-1) ** night)  # early, late, early …
        for url in URLS:
            if _due(url, checked=checked[url], changed=OLD, now=now):
                longest = max(longest, now - checked[url])
                checked[url] = now
                if night > 30:
                    counts[url] += 1
    assert set(counts.values()) <= {3, 4} and sum(counts.values()) <= 3.1 * len(URLS)
    assert longest <= POLICY.max_interval + timedelta(days=1)


def test_a_source_sweeps_its_lists_once_per_period_and_after_a_failed_sweep() -> None:
    policy = Revalidation(list_sweep=timedelta(days=7))
    sources = [f"source-{n}" for n in range(40)]
    for source in sources:
        nights = [n for n in range(1, 29) if sweep_due(source, NOW, NOW + timedelta(days=n), policy)]
        assert nights and nights[0] <= 7  # the first sweep within the period
    assert sweep_due("x", None, NOW, policy) and sweep_due("x", NOW, NOW, Revalidation(full=True))
    # a sweep that failed does not move ``last_sweep``: the next night sweeps again
    late = next(n for n in range(1, 8) if sweep_due("x", NOW, NOW + timedelta(days=n), policy))
    assert sweep_due("x", NOW, NOW + timedelta(days=late + 1), policy)
    firsts = Counter(next(n for n in range(1, 8) if sweep_due(s, NOW, NOW + timedelta(days=n), policy)) for s in sources)
    assert len(firsts) >= 4  # sources sweep on different nights
