"""``budgetwatch alerts test|pending|preview``: check channels, show the outbox, preview digests."""

from __future__ import annotations

from pathlib import Path

import typer

__all__ = ["register"]

alerts_app = typer.Typer(help="告警：测试渠道、查看待发送消息、预览摘要。", no_args_is_help=True)


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(1)


def _context():  # noqa: ANN202 - (settings, engine), imported lazily to keep --help fast
    """Settings and a migrated engine; their errors become one Chinese line at the edge (budgetwatch/edge.py)."""
    from config import load_settings
    from storage import make_engine, migrate

    settings = load_settings()
    engine = make_engine(settings.database_url)
    migrate(engine)
    return settings, engine


@alerts_app.command("test")
def test() -> None:
    """向每个告警渠道发送一条测试消息，并显示各渠道的结果。"""
    from rich.console import Console
    from rich.table import Table

    from alerts.deliver import configured_alerts
    from alerts.digest import Digest
    from alerts.errors import AlertError
    from alerts.health import night_of
    from alerts.render import render_payload
    from config import SettingsError, load_settings
    from storage.columns import utcnow

    try:
        settings = load_settings()
        loaded = configured_alerts(settings.alerts)
    except (SettingsError, AlertError) as exc:
        raise _fail(str(exc)) from exc
    if loaded is None:
        raise _fail("未配置告警渠道：请设置 BUDGETWATCH_ALERTS 指向告警配置文件（示例见 alerts.example.yaml）。")
    _config, notifiers = loaded
    now = utcnow()
    table = Table("渠道", "类型", "结果")
    failures = 0
    for name, notifier in notifiers.items():
        digest = Digest(name, night_of(now), None, None, settings.base_url, test=True)
        error = notifier.send(digest.subject(), render_payload(digest, notifier.channel.format))
        failures += error is not None
        table.add_row(name, notifier.channel.format, "成功" if error is None else f"失败：{error}")
    Console().print(table)
    if failures:
        raise typer.Exit(1)


@alerts_app.command("pending")
def pending() -> None:
    """显示发件箱中尚未发送成功的消息（下次运行时会重试）。"""
    from sqlmodel import col, func, select

    from storage import session_scope
    from storage.alert_models import AlertMessage

    _settings, engine = _context()
    with session_scope(engine) as session:
        rows = session.exec(select(AlertMessage).where(AlertMessage.status == "pending")
                            .order_by(col(AlertMessage.id))).all()
        sent = session.exec(select(func.count()).select_from(AlertMessage).where(AlertMessage.status == "sent")).one()
    if not rows:
        typer.echo(f"发件箱中没有待发送的消息（已发送 {sent} 条）。")
        return
    for row in rows:
        typer.echo(f"#{row.id} {row.channel}（运行 {row.run_id or '—'}，生成于 {row.created_at:%Y-%m-%d %H:%M} UTC，"
                   f"已尝试 {row.attempts} 次）：{row.subject}")
        if row.last_error:
            typer.echo(f"    最近错误：{row.last_error}")
    typer.echo(f"待发送 {len(rows)} 条，已发送 {sent} 条。")


@alerts_app.command("preview")
def preview(
    run: int | None = typer.Option(None, "--run", help="按这次运行的编号生成（默认：当前的问题与运行情况）"),
    out: Path = typer.Option(Path("alerts-preview"), "--out", help="输出目录"),
    png: bool = typer.Option(False, "--png", help="同时用无界面 Chromium 为邮件摘要截图（PNG）"),
) -> None:
    """生成本次运行将要发送的摘要（邮件为 HTML，即时通讯为文本），不发送，也不改动数据库。"""
    from alerts.errors import AlertError
    from alerts.preview import preview_run, screenshot
    from alerts.figures import run_summary
    from storage import session_scope
    from storage.columns import utcnow

    settings, engine = _context()
    try:
        with session_scope(engine) as session:
            figures = run_summary(session, run)
        if run is not None and figures is None:
            raise AlertError(f"未找到编号为 {run} 的运行记录")
        files = preview_run(engine, settings, run, utcnow(), figures, out)
        if not files:
            typer.echo("本次没有需要发送的内容（所有问题都已通知过）。")
            return
        for file in files:
            typer.echo(f"{file.channel}：{file.subject} → {file.path}")
            if png and file.format == "email":
                typer.echo(f"{file.channel}：截图 → {screenshot(file.path, file.path.with_suffix('.png'))}")
        if png and not any(f.format == "email" for f in files):
            typer.echo("没有邮件渠道，未生成截图。")
    except AlertError as exc:
        raise _fail(str(exc)) from exc


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")
