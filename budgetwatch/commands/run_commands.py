"""``budgetwatch run``, ``budgetwatch runs`` and ``budgetwatch reparse``: the nightly run and its history."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from budgetwatch.options import parse_day

if TYPE_CHECKING:
    from pipeline.runs import RunSummary
    from storage.run_models import PipelineRun

__all__ = ["register", "format_summary"]

runs_app = typer.Typer(help="查看历次运行：每个来源的抓取数字、解析与检查结果、出错的网址及原因。",
                       invoke_without_command=True)
STEP_LABELS = {"crawl": "抓取", "parse": "解析", "check": "检查", "alerts": "告警"}
STATUS_LABELS = {"running": "运行中", "finished": "完成", "failed": "失败"}


def format_summary(run_id: int, summary: RunSummary) -> str:
    """The Chinese summary printed at the end of a run."""
    lines = [f"第 {run_id} 次运行{'：平静的一夜，没有新内容' if summary.quiet else '完成'}。"]
    for s in summary.sources:
        state = "失败" if s.status == "failed" else ("正常" if s.health == "ok" else f"异常：{s.health_message or s.health}")
        lines.append(f"  [{s.source_id}] {state}：页面 {s.pages}，新文件 {s.new_documents}，新版本 {s.new_versions}，"
                     f"撤下 {s.withdrawn}，错误 {s.errors}" + (f"（{s.error}）" if s.error and s.status == "failed" else ""))
    lines.append(f"  解析 {summary.parsed} 份，失败 {summary.parse_failed} 份，复用已有解析 {summary.parse_reused} 份；"
                 f"检查部门 {summary.departments_checked} 个，新问题 {summary.findings_new} 条，已解决 {summary.findings_resolved} 条。")
    if summary.alerts.get("configured"):
        failed = "、".join(summary.alerts.get("failed") or {})
        lines.append(f"  告警：发送 {summary.alerts.get('sent', 0)} 条，待重发 {summary.alerts.get('pending', 0)} 条"
                     + (f"（未送达的渠道：{failed}，下次运行重发）" if failed else ""))
    times = "，".join(f"{STEP_LABELS.get(k, k)} {v:.1f} 秒" for k, v in summary.step_seconds.items())
    lines.append(f"  用时：{times}")
    return "\n".join(lines)


def _run_json(run: PipelineRun) -> dict:
    return {"id": run.id, "flow": run.flow, "status": run.status, "started_at": run.started_at.isoformat(),
            "finished_at": run.finished_at.isoformat() if run.finished_at else None, "error": run.error,
            "summary": run.summary}


def _session():  # noqa: ANN202 - a storage Session context, imported lazily
    from config import load_settings
    from storage import make_engine, migrate, session_scope

    engine = make_engine(load_settings().database_url)
    migrate(engine)
    return session_scope(engine)


@runs_app.callback()
def runs(
    ctx: typer.Context,
    last: Annotated[int, typer.Option("--last", min=1, max=1000, help="显示最近几次运行")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
) -> None:
    """列出最近的运行及每个来源的数字和错误。"""
    if ctx.invoked_subcommand is not None:
        return
    from pipeline.runs import RunSummary, list_runs

    with _session() as session:
        rows = list_runs(session, last=last)
    if as_json:
        typer.echo(json.dumps([_run_json(r) for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo("还没有运行记录：用 budgetwatch run 运行一次。")
    for run in rows:
        started = run.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        typer.echo(f"#{run.id} {run.flow} {started} {STATUS_LABELS.get(run.status, run.status)}"
                   + (f"：{run.error}" if run.error else ""))
        if run.summary:
            typer.echo("\n".join(format_summary(run.id or 0, RunSummary.from_json(run.summary)).splitlines()[1:]))


@runs_app.command("show")
def show(run_id: Annotated[int, typer.Argument(help="运行编号（见 budgetwatch runs）")]) -> None:
    """显示一次运行的经过：哪个网址、哪个文件出了什么问题。"""
    from pipeline.runs import RunSummary, run_events
    from storage.run_models import PipelineRun

    with _session() as session:
        run = session.get(PipelineRun, run_id)
        events = run_events(session, run_id) if run else []
    if run is None:
        typer.echo(f"没有第 {run_id} 次运行。", err=True)
        raise typer.Exit(1)
    typer.echo(format_summary(run_id, RunSummary.from_json(run.summary)) if run.summary else f"第 {run_id} 次运行：{run.status}")
    if run.error:
        typer.echo(f"运行出错：{run.error}")
    typer.echo(f"事件 {len(events)} 条：" if events else "没有错误或警告。")
    for e in events:
        where = " ".join(x for x in (e.source_id, e.url, f"版本 {e.version_id}" if e.version_id else None) if x)
        typer.echo(f"  [{STEP_LABELS.get(e.step, e.step)}·{e.level}] {e.code} {where}：{e.message}")


def register(app: typer.Typer) -> None:
    app.add_typer(runs_app, name="runs")

    @app.command("run")
    def run(
        sources: Annotated[Path | None, typer.Option("--sources", help="来源登记文件（YAML），默认取设置")] = None,
        source: Annotated[list[str] | None, typer.Option("--source", help="只运行这些来源（可重复）")] = None,
        today: Annotated[date | None, typer.Option(parser=parse_day, metavar="YYYY-MM-DD",
                                                   help="以此日期（YYYY-MM-DD）判断是否逾期，默认今天")] = None,
        check_all: Annotated[bool, typer.Option("--check-all", help="检查所有部门，而不只是有变化的")] = False,
        full: Annotated[bool, typer.Option("--full", help="重新核对所有已知页面和文件（不按复查计划跳过）")] = False,
    ) -> None:
        """运行一夜的全部工作：抓取 → 解析 → 检查 → 告警 → 记录本次运行（无需 Prefect 服务）。"""
        from config import load_settings
        from pipeline.nightly import NightlyOptions, run_nightly

        settings = load_settings()
        if sources is not None:
            settings = settings.model_copy(update={"sources": sources.resolve()})
        options = NightlyOptions(source_ids=tuple(source or ()), today=today, check_everything=check_all,
                                 full_revalidation=full)
        with _rich_progress() as progress:
            run_id, summary = run_nightly(settings, options, progress=progress)
        typer.echo(format_summary(run_id, summary))
        typer.echo(f"详情：budgetwatch runs show {run_id}；问题列表：budgetwatch findings")

    @app.command("reparse")
    def reparse(
        source: Annotated[str | None, typer.Option("--source", help="只重新解析这个来源的文件")] = None,
        department: Annotated[str | None, typer.Option("--department", "-d", help="只重新解析这个部门的文件")] = None,
        year: Annotated[int | None, typer.Option("--year", help="只重新解析这个年度的文件")] = None,
        today: Annotated[date | None, typer.Option(parser=parse_day, metavar="YYYY-MM-DD",
                                                   help="以此日期（YYYY-MM-DD）判断是否逾期，默认今天")] = None,
    ) -> None:
        """解析程序或规则升级后：重新解析存档并重新检查，报告文件和问题的变化。"""
        from config import load_settings
        from pipeline.reparse import format_reparse, reparse_archive

        settings = load_settings()
        report = reparse_archive(settings, source_id=source, department=department, year=year,
                                 today=today)
        typer.echo(format_reparse(report))


class _rich_progress:
    """A Rich progress display fed by the run's step callbacks."""

    def __enter__(self):  # noqa: ANN204
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from pipeline.nightly import Progress as StepProgress

        self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                             transient=False)
        self._tasks: dict[str, int] = {}
        self._bar.start()

        def step(name: str, total: int) -> None:
            self._tasks[name] = self._bar.add_task(STEP_LABELS.get(name, name), total=total)

        def advance(name: str) -> None:
            if name in self._tasks:
                self._bar.advance(self._tasks[name])

        return StepProgress(step, advance)

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()
