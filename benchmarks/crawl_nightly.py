"""Benchmark: what a night costs on a site with 2,000 documents.

Builds the replica with a bulk section (``demo.site_bulk``), crawls it at
pretended moments (``BUDGETWATCH_CRAWL_NOW``) and prints, per night, the
requests the site served, their share of the first crawl's, 304s, file
bytes, the URLs left for later (not due), new documents and versions, the
real wall time (no delay) and the wall time simulated at the default
politeness (2 s between requests to one host, hosts in parallel), and the
crawl process's peak memory.

Nights: the first crawl; a night with no change; a night with 3 new
documents (and one old file silently replaced); the night the
replacement's bound (30 days) runs out. Nights in between are not crawled,
so the last one also asks what fell due meanwhile (and sweeps the lists);
the steady nightly cost (list pages and revalidation) is modelled with the
same schedule (``crawler.schedule``) over 90 consecutive nights.

    .venv/bin/python benchmarks/crawl_nightly.py [--documents 2000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from crawler.launch import run_crawl
from crawler.schedule import Revalidation, is_due, sweep_due
from crawler.settings import base
from demo.site import ReplicaSite
from demo.site_bulk import BULK
from demo.site_files import DocSpec

T0 = datetime(2025, 3, 20, 2, 0, tzinfo=UTC)
BOUND = timedelta(days=30)


def _simulated(log: list, delay: float) -> float:
    """Seconds at ``delay`` per request and host, hosts in parallel."""
    per_host = Counter(r.host for r in log)
    return max(per_host.values(), default=0) * delay


def modelled_steady_state(site: ReplicaSite, source_id: str, nights: int = 90) -> tuple[float, float, int]:
    """Crawled every night with nothing changing: the average list pages
    and detail pages + files asked per night over nights 31..``nights``,
    and the number of such detail pages + files. The same schedule as the
    crawl (``crawler.schedule``): page 1 every night, every list page on a
    sweep; a file shares its detail page's phase."""
    policy = Revalidation()
    section = site.sections[BULK]
    list_pages = -(-len(section.articles) // section.per_page)
    keys = []  # (schedule key, changed at)
    for article in section.articles:
        changed = datetime(article.published.year, article.published.month, article.published.day, tzinfo=UTC)
        detail = site.pages_base + article.path
        keys += [(detail, changed)] * (1 + len(article.attachments))
    checked = [T0] * len(keys)
    last_sweep = T0
    lists, pages = [], []
    for night in range(1, nights + 1):
        now = T0 + timedelta(days=night)
        sweep = sweep_due(source_id, last_sweep, now, policy)
        last_sweep = now if sweep else last_sweep
        lists.append(list_pages if sweep else 1)
        due = [
            n for n, (key, changed) in enumerate(keys)
            if is_due(key, checked_at=checked[n], changed_at=changed, entry_changed=False, now=now, policy=policy)
        ]
        for n in due:
            checked[n] = now
        pages.append(len(due))
    return sum(lists[30:]) / len(lists[30:]), sum(pages[30:]) / len(pages[30:]), len(keys)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ReplicaSite(bulk=args.documents) as site:
        home = Path(tmp)
        (entry,) = site.source_entries((BULK,))
        entry["politeness"]["download_timeout"] = 30
        registry = home / "sources.yaml"
        registry.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True), encoding="utf-8")
        replaced = site.sections[BULK].articles[-1].attachments[0].url  # the oldest file

        def three_new() -> None:
            for n in range(3):
                site.publish(BULK, DocSpec(f"新乡市新设机构{n + 1}", "预算", 2025))
            site.replace_file(replaced, b"%PDF-1.4\n% silently replaced\n" + b"1" * 9000)

        nights = [
            ("first crawl", T0, None),
            ("no change", T0 + timedelta(days=1), None),
            ("3 new (+1 replaced)", T0 + timedelta(days=2), three_new),
            ("replaced + 30 d bound", T0 + timedelta(days=2) + BOUND, None),
        ]
        print(f"replica: {args.documents} documents; default delay {base.DOWNLOAD_DELAY:.0f} s per host; bound {BOUND.days} d")
        header = f"{'night':<28}{'requests':>9}{'% first':>8}{'304s':>6}{'file MB':>8}{'not due':>8}{'new':>5}{'versions':>9}{'wall s':>8}{'simulated':>11}{'peak MB':>8}"
        print(header)
        first = 0
        for label, moment, change in nights:
            if change:
                change()
            started = time.perf_counter()
            (summary,) = run_crawl(
                sources_file=registry,
                env={"BUDGETWATCH_HOME": str(home), "BUDGETWATCH_CRAWL_NOW": moment.isoformat()},
                timeout=3600,
            )
            wall = time.perf_counter() - started
            log = site.take_log()
            first = first or len(log)
            simulated = timedelta(seconds=round(_simulated(log, base.DOWNLOAD_DELAY)))
            print(
                f"{label:<28}{len(log):>9}{100 * len(log) / first:>7.1f}%{sum(r.status == 304 for r in log):>6}"
                f"{summary.file_bytes / 1024 / 1024:>8.1f}{summary.stats['deferred']:>8}{summary.stats['new_documents']:>5}"
                f"{summary.stats['new_versions']:>9}{wall:>8.1f}{str(simulated):>11}{summary.peak_memory_mb:>8.0f}"
            )
        print("(requests: served by the replica, robots.txt included; simulated: the busiest host's requests x delay)")
        lists, checks, total = modelled_steady_state(site, entry["id"])
        steady = lists + checks + 2
        print(
            f"steady state (modelled, nights 31-90 crawled nightly, defaults: bound {Revalidation().max_interval.days} d,"
            f" list sweep {Revalidation().list_sweep.days} d): {checks:.0f} of {total} detail pages/files"
            f" + {lists:.1f} list pages + 2 robots.txt = {steady:.0f} requests a night"
            f" ({100 * steady / first:.1f}% of the first crawl), simulated"
            f" {timedelta(seconds=round(max(lists + checks / 2, checks / 2 + 1) * base.DOWNLOAD_DELAY))}"
        )


if __name__ == "__main__":
    main()
