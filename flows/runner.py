"""``PrefectRunner``: the pipeline's steps as Prefect tasks on the flow's task runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from prefect import task
from prefect.cache_policies import NO_CACHE

__all__ = ["PrefectRunner", "RETRY_DELAYS_SECONDS"]

T = TypeVar("T")
R = TypeVar("R")
# Backoff between retries of a task whose runner (not whose item) failed.
RETRY_DELAYS_SECONDS = [10, 60, 300]


class PrefectRunner:
    """Each item becomes a task run: visible in the Prefect UI, retried with
    backoff, bounded by a timeout, and placed by the flow's task runner
    (threads here, Dask workers with prefect-dask).

    Results are not cached by Prefect: the database is the cache (a version
    the current parser has read is never parsed again, by sha256 and parser
    version), which holds across hosts and restarts.
    """

    def each(self, fn: Callable[[T], R], items: Sequence[T], *, name: str, parallel: int = 1, retries: int = 0) -> Iterator[R]:
        step = task(fn, name=name, retries=retries, retry_delay_seconds=RETRY_DELAYS_SECONDS[:max(retries, 1)],
                    cache_policy=NO_CACHE, persist_result=False)
        if parallel <= 1:
            for item in items:  # one after another: politeness, or a step that must not overlap
                yield step(item)
            return
        for future in step.map(list(items)):
            yield future.result()
