"""``budgetwatch crawl``: run the crawler subprocess and print per-source statistics."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from crawler.launch import RunSummary

__all__ = ["register"]

LABELS = (
    ("pages", "页面"),
    ("requests", "请求"),
    ("new_documents", "新文件"),
    ("new_versions", "新版本"),
    ("unchanged", "未变"),
    ("skipped", "跳过"),
    ("errors", "错误"),
    ("warnings", "警告"),
    ("withdrawn", "撤下"),
    ("bytes", "字节"),
)


def format_summary(summary: RunSummary) -> str:
    """One line of Chinese statistics for a source's run."""
    status = "完成" if summary.status == "finished" else "失败"
    figures = "，".join(f"{label} {summary.stats.get(key, 0)}" for key, label in LABELS)
    return f"[{summary.source_id}] 第 {summary.run_id} 次抓取{status}：{figures}"


def crawl(
    source: Annotated[str | None, typer.Option("--source", help="只抓取这个来源（来源登记中的 ID）")] = None,
    sources: Annotated[
        Path | None, typer.Option("--sources", help="来源登记文件（YAML），默认 crawler/sources.yaml")
    ] = None,
) -> None:
    """抓取已登记网站的部门预算/决算公开文件，存档原件并记录每个来源的统计。"""
    from crawler.launch import run_crawl

    summaries = run_crawl(source_id=source, sources_file=sources)  # CrawlRunError: one line at the edge
    if not summaries:
        typer.echo("没有启用的来源：请在来源登记中设置 enabled: true")
    for summary in summaries:
        typer.echo(format_summary(summary))


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl)
