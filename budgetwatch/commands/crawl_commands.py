"""``budgetwatch crawl``: run the crawler subprocess, print per-source
statistics, health and failures."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from crawler.launch import RunSummary

__all__ = ["register", "format_summary"]

LABELS = (
    ("pages", "页面"),
    ("requests", "请求"),
    ("new_documents", "新文件"),
    ("new_versions", "新版本"),
    ("unchanged", "未变"),
    ("deferred", "暂不复查"),
    ("lists_deferred", "其中列表页"),
    ("skipped", "跳过"),
    ("errors", "错误"),
    ("warnings", "警告"),
    ("withdrawn", "撤下"),
    ("restored", "恢复"),
    ("bytes", "字节"),
)
HEALTH_LABELS = {"ok": "正常", "failing": "来源异常", "layout_changed": "页面结构改变"}
MAX_PROBLEMS = 20  # per source; the rest are counted


def format_summary(summary: RunSummary) -> str:
    """One line of Chinese statistics for a source's run."""
    status = "完成" if summary.status == "finished" else "失败"
    figures = "，".join(f"{label} {summary.stats.get(key, 0)}" for key, label in LABELS)
    health = HEALTH_LABELS.get(summary.health, summary.health)
    if summary.health_message:
        health += f"（{summary.health_message}）"
    return f"[{summary.source_id}] 第 {summary.run_id} 次抓取{status}：{figures}；来源状态：{health}"


def _print_problems(summaries: list[RunSummary]) -> None:
    from config import load_settings
    from crawler.health import run_problems
    from storage import make_engine, session_scope

    with session_scope(make_engine(load_settings().database_url)) as session:
        for summary in summaries:
            problems = run_problems(session, summary.run_id)
            if not problems:
                continue
            typer.echo(f"[{summary.source_id}] 问题 {len(problems)} 条：")
            for event in problems[:MAX_PROBLEMS]:
                level = "错误" if event.level == "error" else "警告"
                typer.echo(f"  {level} {event.code}  {event.url or ''}  {event.message}")
            if len(problems) > MAX_PROBLEMS:
                typer.echo(f"  …另有 {len(problems) - MAX_PROBLEMS} 条（见 crawl_event 表，run_id={summary.run_id}）")


def crawl(
    source: Annotated[str | None, typer.Option("--source", help="只抓取这个来源（来源登记中的 ID）")] = None,
    sources: Annotated[
        Path | None, typer.Option("--sources", help="来源登记文件（YAML），默认 crawler/sources.yaml")
    ] = None,
    full: Annotated[bool, typer.Option("--full", help="重新检查所有已知的详情页和文件（忽略复查计划）")] = False,
) -> None:
    """抓取已登记网站的部门预算/决算公开文件，存档原件，打印每个来源的统计、状态和问题。"""
    from crawler.launch import run_crawl

    # CrawlRunError: one line at the edge (budgetwatch/edge.py); a relative --sources is the user's current directory.
    summaries = run_crawl(source_id=source, sources_file=sources.resolve() if sources else None, full=full)
    if not summaries:
        typer.echo("没有启用的来源：请在来源登记中设置 enabled: true")
    for summary in summaries:
        typer.echo(format_summary(summary))
    _print_problems(summaries)


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl)
