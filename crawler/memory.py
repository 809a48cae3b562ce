"""Peak memory of this process (reported with each run summary, so the
nightly benchmark and tests can hold the crawl to its memory budget)."""

from __future__ import annotations

import resource
import sys

__all__ = ["peak_memory_mb"]


def peak_memory_mb() -> float:
    """Peak resident set size so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)
