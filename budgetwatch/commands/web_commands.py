"""``budgetwatch serve``: the archive browser."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="监听地址（对外提供服务用 0.0.0.0）"),
        port: int = typer.Option(8000, "--port", help="监听端口"),
    ) -> None:
        """启动存档浏览网站（只读访问数据库）。"""
        import uvicorn

        from config import load_settings
        from storage import session_scope, status_counts
        from storage.db import schema_is_current
        from web.app import create_app

        settings = load_settings()  # a SettingsError is one line at the edge (budgetwatch/edge.py)
        app = create_app(settings)
        with session_scope(app.state.engine) as session:  # an unusable database is told now, not per request
            status_counts(session)
        if not schema_is_current(app.state.engine):  # the site reads the database only: it cannot upgrade it
            typer.echo("数据库表结构不是最新版本，网站无法读取。请先运行：budgetwatch db upgrade", err=True)
            raise typer.Exit(1)

        typer.echo(f"存档浏览网站：http://{host}:{port}/ （数据库 {settings.database_url}）")
        uvicorn.run(app, host=host, port=port, log_level="warning")
