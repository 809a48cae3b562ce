"""``budgetwatch sources`` (the registry with each source's last run,
health and counts) and ``budgetwatch sources check ID`` (one list page as
the spider sees it)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]

sources_app = typer.Typer(help="来源登记：各来源的最近抓取、状态和文件数；检查一个列表页。", invoke_without_command=True)

SourcesOption = Annotated[Path | None, typer.Option("--sources", help="来源登记文件（YAML），默认 crawler/sources.yaml")]


def _registry(path: Path | None):  # noqa: ANN202 - crawler.sources types, imported lazily
    from config import load_settings
    from crawler.errors import SourceConfigError
    from crawler.sources import load_sources

    try:
        return load_sources(path or load_settings().sources)
    except SourceConfigError as exc:
        typer.echo(f"无法读取来源登记：{exc}", err=True)
        raise typer.Exit(1) from exc


@sources_app.callback()
def sources(ctx: typer.Context, registry: SourcesOption = None) -> None:
    """列出来源登记中的每个来源：最近一次抓取、状态（正常 / 连续 N 晚失败 / 无抓取 / 页面结构改变）和文件数。"""
    if ctx.invoked_subcommand is not None:
        return
    from sqlmodel import col, func, select

    from config import load_settings
    from crawler.health import describe, source_health
    from storage import make_engine, migrate, session_scope
    from storage.columns import utcnow
    from storage.crawl_models import CrawlRun
    from storage.models import Document

    entries = _registry(registry)
    # An unusable database is one Chinese line at the edge (budgetwatch/edge.py).
    engine = make_engine(load_settings().database_url)
    migrate(engine)
    with session_scope(engine) as session:
        now = utcnow()
        for source in entries:
            health = source_health(session, source.id, now)
            documents = session.exec(select(func.count()).select_from(Document).where(Document.source_id == source.id)).one()
            withdrawn = session.exec(
                select(func.count()).select_from(Document)
                .where(Document.source_id == source.id, col(Document.withdrawn_at).is_not(None))
            ).one()
            last = session.exec(
                select(CrawlRun).where(CrawlRun.source_id == source.id).order_by(col(CrawlRun.id).desc())
            ).first()
            enabled = "启用" if source.enabled else "停用"
            when = f"{health.last_run:%Y-%m-%d %H:%M}" if health.last_run else "从未"
            typer.echo(f"{source.id}  {source.name}（{enabled}）")
            line = f"  最近抓取 {when}；状态：{describe(health)}"
            if health.message and health.status != "ok":
                line += f"（{health.message}）"
            if health.last_ok and health.status != "ok":
                line += f"；最近正常 {health.last_ok:%Y-%m-%d}"
            typer.echo(line)
            stats = (last.stats or {}) if last else {}
            typer.echo(
                f"  文件 {documents}（撤下 {withdrawn}）；最近一次：新文件 {stats.get('new_documents', 0)}，"
                f"错误 {stats.get('errors', 0)}，请求 {stats.get('requests', 0)}"
            )


@sources_app.command("check")
def check(
    source_id: Annotated[str, typer.Argument(help="来源 ID")],
    url: Annotated[str | None, typer.Option("--url", help="要检查的列表页（默认：该来源的第一个起始地址）")] = None,
    registry: SourcesOption = None,
) -> None:
    """抓取一个列表页，显示爬虫在此页看到的内容：条目及其分类、翻页、页面结构。"""
    from crawler.inspect import check_list

    chosen = [s for s in _registry(registry) if s.id == source_id]
    if not chosen:
        typer.echo(f"来源登记中没有 {source_id}", err=True)
        raise typer.Exit(1)
    result = check_list(chosen[0], url)
    typer.echo(f"列表页 {result.url}" + (f" → {result.final_url}" if result.final_url not in (None, result.url) else ""))
    if result.reading is None:
        typer.echo(f"无法读取：{result.error}")
        raise typer.Exit(1)
    reading = result.reading
    typer.echo(f"栏目标题：{reading.heading or '（无）'}；页面结构：{reading.signature or '（未识别）'}")
    if reading.problem:
        typer.echo(f"问题：{reading.problem[0]} {reading.problem[1]}")
    typer.echo(f"条目 {len(reading.entries)} 个：")
    for link in reading.entries:
        verdict = reading.verdicts[link.url]
        if verdict.ours:
            label = f"{verdict.year or '年度?'} {verdict.department or '部门?'} {verdict.scope}{verdict.kind}"
        else:
            label = f"跳过（{verdict.skip_reason}）"
        typer.echo(f"  [{label}] {link.text}  {link.date or ''}  {link.url}")
    pages = reading.pages
    declared = f"，页面声明共 {pages.declared} 页" if pages.declared else ""
    typer.echo(f"翻页：{len(pages.urls)} 个后续列表页{declared}")
    for page_url in pages.urls:
        typer.echo(f"  {page_url}")
    if pages.problem:
        typer.echo(f"翻页问题：{pages.problem}")


def register(app: typer.Typer) -> None:
    app.add_typer(sources_app, name="sources")
