"""Run a crawl in a subprocess and collect its per-source summaries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.errors import CrawlRunError
from crawler.pipelines.record import SUMMARY_PREFIX

__all__ = ["RunSummary", "run_crawl"]


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    source_id: str
    status: str
    stats: dict[str, int]
    file_bytes: int


def run_crawl(
    *,
    source_id: str | None = None,
    sources_file: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> list[RunSummary]:
    """Crawl the enabled sources (or one) in a fresh ``python -m crawler.run``.

    ``env`` is added to the current environment (``BUDGETWATCH_*``).
    Raises ``CrawlRunError`` only when the crawl could not run at all.
    """
    command = [sys.executable, "-m", "crawler.run"]
    if source_id:
        command += ["--source", source_id]
    if sources_file:
        command += ["--sources", str(sources_file)]
    try:
        done = subprocess.run(
            command,
            env={**os.environ, **(env or {})},
            cwd=Path(__file__).resolve().parent.parent,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CrawlRunError(f"crawl process failed: {exc}") from exc
    summaries = [_summary(line) for line in done.stdout.splitlines() if line.startswith(SUMMARY_PREFIX)]
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise CrawlRunError(f"crawl process exited with {done.returncode}:\n{tail}")
    return summaries


def _summary(line: str) -> RunSummary:
    data: dict[str, Any] = json.loads(line[len(SUMMARY_PREFIX):])
    return RunSummary(data["run_id"], data["source_id"], data["status"], data["stats"], data["file_bytes"])
