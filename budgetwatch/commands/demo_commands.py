"""``budgetwatch demo``: the whole product on the embedded default.

Serves the local replica of two government sites, runs the nightly flow on
it (SQLite under the home, no Prefect server), and prints what was found and
where to look. The replica keeps its port between runs (documents are
identified by URL), so a second run is a quiet night.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from budgetwatch.options import parse_day

__all__ = ["register"]

DEFAULT_PORT = 8800
SHOWN_FINDINGS = 8


def _port(home: Path, wanted: int | None) -> int:
    """The replica's port: the one asked for, else the one of the last demo, else the default."""
    remembered = home / "replica.port"
    if wanted is None:
        wanted = int(remembered.read_text()) if remembered.is_file() else DEFAULT_PORT
    home.mkdir(parents=True, exist_ok=True)
    remembered.write_text(str(wanted))
    return wanted


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_command(
        port: Annotated[int | None, typer.Option("--port", help="仿真网站端口（默认沿用上次，首次 8800）")] = None,
        today: Annotated[date | None, typer.Option(parser=parse_day, metavar="YYYY-MM-DD",
                                                   help="以此日期（YYYY-MM-DD）判断是否逾期，默认今天")] = None,
    ) -> None:
        """演示：启动本地仿真网站，对它运行一夜的完整流程，并说明发现了什么、去哪里看。可重复运行。"""
        from budgetwatch.commands.run_commands import _rich_progress, format_summary
        from config import load_settings
        from demo.site import ReplicaSite
        from pipeline.nightly import NightlyOptions, run_nightly
        from storage import make_engine, session_scope
        from storage.findings import open_findings

        settings = load_settings()
        chosen = _port(settings.home, port)
        try:
            site = ReplicaSite(chosen)
        except OSError as exc:
            typer.echo(f"端口 {chosen} 已被占用（{exc.strerror}）：请用 --port 换一个端口。", err=True)
            raise typer.Exit(2) from exc
        with site:
            sources = site.write_sources(settings.home / "replica-sources.yaml")
            typer.echo(f"本地仿真网站：{site.pages_base}（来源登记 {sources}）")
            settings = settings.model_copy(update={"sources": sources})
            with _rich_progress() as progress:
                run_id, summary = run_nightly(settings, NightlyOptions(today=today), progress=progress)
        typer.echo(format_summary(run_id, summary))
        with session_scope(make_engine(settings.database_url)) as session:
            findings = [f for f in open_findings(session) if f.category != "parse_quality"]
        if findings:
            typer.echo(f"待核实的问题 {len(findings)} 条，最严重的几条：")
            for f in findings[:SHOWN_FINDINGS]:
                where = "，".join(x for x in (f.table_id, f"第{f.page}页" if f.page else None) if x)
                typer.echo(f"  [{ {'high': '高', 'medium': '中', 'low': '低'}.get(f.severity, f.severity)}] "
                           f"{f.department} {f.year or ''}{f.kind or ''}：{f.message}" + (f"（{where}）" if where else ""))
        typer.echo("去哪里看：")
        typer.echo("  budgetwatch serve             在浏览器中查看存档、问题及其原件页面（http://127.0.0.1:8000）")
        typer.echo("  budgetwatch findings          全部问题（--json 可导出）")
        typer.echo(f"  budgetwatch runs show {run_id}      本次运行的经过与出错的网址")
        typer.echo(f"  数据库 {settings.database_url}；原件存档 {settings.archive_dir}")
