"""The reparse step: after a parser or rule upgrade, read the archive again and re-check it.

Reports how documents and findings changed, with examples, so an upgrade's
effect is seen before anyone reads the next alert.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import col, select

from config import Settings
from pipeline.check import check_changed, configured_rules
from pipeline.ingest import ERROR, REPARSED, STORED, parse_versions, versions_to_parse
from pipeline.parse_worker import ParseLimits
from pipeline.runs import RunSummary, finish_run, record_event, start_run
from storage import ArchiveStore, Document, DocumentVersion, make_engine, migrate, session_scope
from storage.columns import utcnow
from storage.findings import FindingRow

__all__ = ["ReparseReport", "reparse_archive", "format_reparse"]

EXAMPLES = 5


@dataclass
class ReparseReport:
    run_id: int
    versions: int = 0
    changed: int = 0
    failed: int = 0
    findings_new: int = 0
    findings_resolved: int = 0
    changed_examples: list[str] = field(default_factory=list)
    finding_examples: list[str] = field(default_factory=list)


def reparse_archive(settings: Settings, *, source_id: str | None = None, department: str | None = None,
                    year: int | None = None, today: date | None = None) -> ReparseReport:
    """Re-parse every archived version in scope with the current parser, then re-check."""
    from analysis import load_identity

    engine = make_engine(settings.database_url)
    migrate(engine)
    run_id = start_run(engine, "reparse")
    summary = RunSummary()
    report = ReparseReport(run_id)
    ids = versions_to_parse(engine, everything=True, source_id=source_id, department=department, year=year)
    parsed = parse_versions(engine, ArchiveStore(settings.archive_dir), ids, ParseLimits.from_settings(settings),
                            settings.parse_workers, force=True)
    counts = parsed.counts
    report.versions, report.changed, report.failed = len(ids), counts[REPARSED] + counts[STORED], counts[ERROR]
    summary.parsed, summary.parse_failed = report.changed, report.failed
    for version_id, (code, message) in parsed.errors.items():
        record_event(engine, run_id, "parse", "error", code, message, version_id=version_id)
    changed_ids = [v for v, s in parsed.statuses.items() if s in (REPARSED, STORED)]
    with session_scope(engine) as session:
        if changed_ids:
            rows = session.exec(select(Document, DocumentVersion).join(
                DocumentVersion, col(DocumentVersion.document_id) == col(Document.id))
                .where(col(DocumentVersion.id).in_(changed_ids[:EXAMPLES]))).all()
            report.changed_examples = [f"{d.department or '?'} {d.year or ''}{d.kind or ''}（版本 {v.id}）" for d, v in rows]
    started = utcnow()
    result = check_changed(engine, configured_rules(settings.rules), load_identity(), today or date.today())
    report.findings_new, report.findings_resolved = result.findings_new, result.findings_resolved
    summary.departments_checked = result.departments_checked
    summary.findings_new, summary.findings_resolved = result.findings_new, result.findings_resolved
    with session_scope(engine) as session:
        moved = session.exec(select(FindingRow).where(
            (col(FindingRow.first_seen) >= started) | (col(FindingRow.resolved_at) >= started)).limit(EXAMPLES)).all()
        report.finding_examples = [f"{'已解决' if f.resolved_at else '新增'} {f.department} {f.year or ''}：{f.message}"
                                   for f in moved]
    finish_run(engine, run_id, summary)
    return report




def format_reparse(report: ReparseReport) -> str:
    lines = [f"重新解析 {report.versions} 个文件版本：结果有变化 {report.changed} 个，失败 {report.failed} 个。",
             *(f"  变化：{x}" for x in report.changed_examples),
             f"重新检查：新增问题 {report.findings_new} 条，已解决 {report.findings_resolved} 条。",
             *(f"  {x}" for x in report.finding_examples),
             f"运行记录：budgetwatch runs show {report.run_id}"]
    return "\n".join(lines)
