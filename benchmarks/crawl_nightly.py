"""Benchmark: a first crawl of the replica against a no-change nightly crawl.

Prints, for each crawl, the requests the site served, the body bytes it sent
(files and pages), the 304 share and the wall time.

    .venv/bin/python benchmarks/crawl_nightly.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from crawler.launch import run_crawl
from demo.site import ReplicaSite


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, ReplicaSite() as site:
        home = Path(tmp)
        sources = site.write_sources(home / "sources.yaml")
        print(f"{'crawl':<10}{'requests':>10}{'304s':>7}{'bytes':>12}{'file bytes':>12}{'new docs':>10}{'wall s':>9}")
        for label in ("first", "nightly"):
            started = time.perf_counter()
            summaries = run_crawl(sources_file=sources, env={"BUDGETWATCH_HOME": str(home)}, timeout=600)
            wall = time.perf_counter() - started
            log = site.take_log()
            print(
                f"{label:<10}{len(log):>10}{sum(r.status == 304 for r in log):>7}"
                f"{sum(r.bytes for r in log):>12}{sum(s.file_bytes for s in summaries):>12}"
                f"{sum(s.stats['new_documents'] for s in summaries):>10}{wall:>9.1f}"
            )
        print("(wall time includes the subprocess start and the replica's deliberately slow page)")


if __name__ == "__main__":
    main()
