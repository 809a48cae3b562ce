"""How a run's steps are executed: in-process, or as Prefect tasks.

The nightly work is written once (``pipeline.nightly``); what differs
between ``budgetwatch run`` and the Prefect deployment is only how a step
is applied to many items. ``LocalRunner`` maps in this process (threads for
the parse step, whose real work happens in bounded child processes);
``flows.runner.PrefectRunner`` submits each item as a Prefect task on the
flow's task runner (threads, or a Dask cluster through prefect-dask).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

__all__ = ["StepRunner", "LocalRunner"]

T = TypeVar("T")
R = TypeVar("R")


class StepRunner(Protocol):
    def each(self, fn: Callable[[T], R], items: Sequence[T], *, name: str, parallel: int = 1, retries: int = 0) -> Iterator[R]:
        """Apply ``fn`` to every item, ``parallel`` at a time; results in item order.

        ``fn`` must never raise for an item's sake (it returns the item's
        error as data, within its own time bound); ``retries`` are a safety
        net for the runner's own failures.
        """
        ...


class LocalRunner:
    """Runs steps in this process (``budgetwatch run``, no Prefect server)."""

    def each(self, fn: Callable[[T], R], items: Sequence[T], *, name: str, parallel: int = 1, retries: int = 0) -> Iterator[R]:
        if parallel <= 1 or len(items) <= 1:
            yield from map(fn, items)
            return
        with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix=name) as pool:
            yield from pool.map(fn, items)
