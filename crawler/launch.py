"""Run a crawl in a subprocess and collect its per-source summaries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.errors import CrawlRunError
from crawler.pipelines.record import SUMMARY_PREFIX

__all__ = ["RunSummary", "run_crawl"]


@dataclass(frozen=True)
class RunSummary:
    """One source's run. ``health`` is ``ok``, ``failing`` or
    ``layout_changed`` (``crawler.health`` for the history); the failures
    themselves are the run's ``crawl_event`` rows."""

    run_id: int
    source_id: str
    status: str
    stats: dict[str, int]
    file_bytes: int
    health: str = "ok"
    health_message: str | None = None
    peak_memory_mb: float = 0.0


def run_crawl(
    *,
    source_id: str | None = None,
    sources_file: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
    source_ids: Sequence[str] = (),
    full: bool = False,
) -> list[RunSummary]:
    """Crawl the enabled sources (or ``source_id`` / ``source_ids``) in a
    fresh ``python -m crawler.run``.

    Crawl all sources of a night in ONE call: politeness (delay, one
    request at a time, robots.txt) is per host only within a process.
    ``full`` revalidates every known page and file. ``env`` is added to the
    current environment (``BUDGETWATCH_*``). Raises ``CrawlRunError`` only
    when the crawl could not run at all.
    """
    command = [sys.executable, "-m", "crawler.run"]
    for chosen in ([source_id] if source_id else []) + list(source_ids):
        command += ["--source", chosen]
    if sources_file:
        command += ["--sources", str(sources_file)]
    if full:
        command.append("--full")
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
    return RunSummary(
        data["run_id"],
        data["source_id"],
        data["status"],
        data["stats"],
        data["file_bytes"],
        data.get("health", "ok"),
        data.get("health_message"),
        data.get("peak_memory_mb", 0.0),
    )
