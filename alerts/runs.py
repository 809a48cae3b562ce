"""A pipeline run's figures for the digest ("新公开 14 份") and the parse-failure baseline."""

from __future__ import annotations

from sqlalchemy import Engine

from alerts.figures import RunFigures

__all__ = ["run_figures"]


def run_figures(engine: Engine, run_id: int | None) -> RunFigures | None:
    """Figures of run ``run_id`` (the latest run when ``None``); ``None`` when unknown.

    Run records (``pipeline_run``) are not on this branch yet."""
    return None
