"""The run figures a digest quotes ("新公开 14 份"), read from the run's
summary (``pipeline.runs.RunSummary``, stored as ``pipeline_run.summary``),
and the earlier runs' parse-failure rate the health check compares with."""

from __future__ import annotations

from sqlmodel import Session, col, select

from pipeline.runs import RunSummary
from storage.run_models import PipelineRun

__all__ = ["run_totals", "figures_line", "run_summary", "baseline_failure_rate", "BASELINE_RUNS"]

# How many earlier finished nightly runs make the parse-failure baseline.
BASELINE_RUNS = 7


def run_totals(summary: RunSummary) -> dict[str, int]:
    """The run's figures, per-source ones added up."""
    return {
        "new_documents": sum(s.new_documents for s in summary.sources),
        "new_versions": sum(s.new_versions for s in summary.sources),
        "withdrawn": sum(s.withdrawn for s in summary.sources),
        "parsed": summary.parsed,
        "parse_failed": summary.parse_failed,
        "sources": len(summary.sources),
        "sources_failed": sum(1 for s in summary.sources if s.status == "failed"),
    }


def figures_line(summary: RunSummary) -> str:
    """One Chinese line of the run's figures."""
    t = run_totals(summary)
    parts = [f"新公开 {t['new_documents']} 份", f"更新 {t['new_versions']} 份"]
    if t["withdrawn"]:
        parts.append(f"撤下 {t['withdrawn']} 份")
    parts.append(f"解析 {t['parsed']} 份")
    if t["parse_failed"]:
        parts.append(f"解析失败 {t['parse_failed']} 份")
    if t["sources"]:
        parts.append(f"来源 {t['sources']} 个" + (f"（{t['sources_failed']} 个失败）" if t["sources_failed"] else ""))
    return "，".join(parts)


def run_summary(session: Session, run_id: int | None) -> RunSummary | None:
    """The summary of run ``run_id`` (the latest nightly run when ``None``); ``None`` when there is none."""
    query = select(PipelineRun)
    query = query.where(PipelineRun.id == run_id) if run_id is not None else \
        query.where(PipelineRun.flow == "nightly").order_by(col(PipelineRun.id).desc()).limit(1)
    run = session.exec(query).first()
    return RunSummary.from_json(run.summary) if run is not None and run.summary else None


def baseline_failure_rate(session: Session, run_id: int | None) -> float | None:
    """Parse-failure rate of the earlier finished nightly runs; ``None`` without any."""
    query = select(PipelineRun).where(PipelineRun.flow == "nightly", PipelineRun.status == "finished")
    if run_id is not None:
        query = query.where(col(PipelineRun.id) < run_id)
    runs = session.exec(query.order_by(col(PipelineRun.id).desc()).limit(BASELINE_RUNS)).all()
    summaries = [RunSummary.from_json(r.summary) for r in runs if r.summary]
    attempted = sum(s.parsed + s.parse_failed for s in summaries)
    return sum(s.parse_failed for s in summaries) / attempted if attempted else None
