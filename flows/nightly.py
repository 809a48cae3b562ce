"""The Prefect deployments of budgetwatch: ``nightly``, ``ingest`` and ``reparse``.

Each flow calls the same step functions as the CLI (``pipeline``). The
parse step runs on the flow's task runner: threads waiting on bounded
parse processes, or — with ``BUDGETWATCH_DASK_ADDRESS`` — the workers of an
existing Dask cluster through prefect-dask.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner

from config import load_settings
from flows.runner import PrefectRunner

__all__ = ["nightly", "ingest", "reparse", "task_runner"]


def task_runner() -> Any:
    """Threads by default; the Dask cluster named by ``BUDGETWATCH_DASK_ADDRESS`` when set."""
    settings = load_settings()
    if settings.dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=settings.dask_address)
    from pipeline.parse_worker import default_workers

    return ThreadPoolTaskRunner(max_workers=settings.parse_workers or default_workers())


@flow(name="nightly", log_prints=True, task_runner=task_runner())
def nightly(sources_file: str | None = None, source_ids: list[str] | None = None, today: date | None = None,
            check_all: bool = False) -> dict[str, Any]:
    """预决算公开监测：每夜抓取、解析、检查、告警。"""
    from pipeline.nightly import NightlyOptions, run_nightly

    settings = load_settings()
    if sources_file:
        settings = settings.model_copy(update={"sources": Path(sources_file).resolve()})
    options = NightlyOptions(source_ids=tuple(source_ids or ()), today=today, check_everything=check_all)
    run_id, summary = run_nightly(settings, options, runner=PrefectRunner())
    print(f"run {run_id}: {summary.to_json()}")
    return {"run_id": run_id, **summary.to_json()}


@flow(name="ingest", log_prints=True, task_runner=task_runner())
def ingest(paths: list[str] | None = None, urls: list[str] | None = None) -> dict[str, Any]:
    """补录：入库一个文件夹的文件或一组网址（一个地区的历史文件）。"""
    from pipeline.backfill import backfill

    run_id, summary = backfill(load_settings(), paths=[Path(p) for p in paths or ()], urls=list(urls or ()),
                               runner=PrefectRunner())
    return {"run_id": run_id, **summary.to_json()}


@flow(name="reparse", log_prints=True)
def reparse(source_id: str | None = None, department: str | None = None, year: int | None = None) -> dict[str, Any]:
    """解析程序或规则升级后：重新解析、重新检查存档，报告变化。"""
    from pipeline.reparse import format_reparse, reparse_archive

    report = reparse_archive(load_settings(), source_id=source_id, department=department, year=year)
    print(format_reparse(report))
    return vars(report)
