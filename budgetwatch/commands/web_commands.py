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
        from config import SettingsError, load_settings

        try:
            settings = load_settings()
        except SettingsError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from exc
        import uvicorn

        from web.app import create_app

        typer.echo(f"存档浏览网站：http://{host}:{port}/ （数据库 {settings.database_url}）")
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
