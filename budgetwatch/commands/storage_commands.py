"""``budgetwatch db upgrade`` and ``budgetwatch db status``."""

from __future__ import annotations

import typer


__all__ = ["register"]

db_app = typer.Typer(help="数据库管理：升级表结构、查看入库情况。", no_args_is_help=True)


def _engine():  # noqa: ANN202 - storage's Engine, imported lazily to keep the CLI fast
    from config import load_settings
    from storage import make_engine

    return make_engine(load_settings().database_url)


@db_app.command("upgrade")
def upgrade() -> None:
    """把数据库表结构升级到最新版本（可重复执行）。"""
    from storage import migrate

    migrate(_engine())  # a failure becomes one line at the edge (budgetwatch/edge.py)
    typer.echo("数据库表结构已是最新版本。")


@db_app.command("status")
def status() -> None:
    """显示已入库的文件数量及解析状态。"""
    from storage import migrate, session_scope, status_counts

    engine = _engine()
    migrate(engine)
    with session_scope(engine) as session:
        counts = status_counts(session)
    versions = sum(counts[k] for k in ("pending", "ok", "warning", "error"))
    typer.echo(f"文件 {counts['documents']} 个（已撤下 {counts['withdrawn']} 个），版本 {versions} 个：")
    typer.echo(
        f"待解析 {counts['pending']}，解析成功 {counts['ok']}，有警告 {counts['warning']}，解析失败 {counts['error']}"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
