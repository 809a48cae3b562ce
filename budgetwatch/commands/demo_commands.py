"""``budgetwatch demo``: the main job on the embedded default, end to end."""

from __future__ import annotations

from pathlib import Path

import typer

from budgetwatch.commands.parse_commands import STATUS_LABELS
__all__ = ["register"]

_DEFAULT_SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_command(
        seeds: Path = typer.Option(_DEFAULT_SEEDS, help="种子文本目录（../shared/seeds）"),
    ) -> None:
        """演示：由种子文本生成 PDF，解析入库（SQLite），并打印汇总。可重复运行。"""
        from config import load_settings
        from demo.render_pdf import RULED_PORTRAIT, render_pdf
        from demo.seeds import load_seed
        from storage import ArchiveStore, make_engine, migrate

        if not seeds.is_dir():
            typer.echo(f"找不到种子目录：{seeds}", err=True)
            raise typer.Exit(2)
        settings = load_settings()
        out_dir = settings.home / "demo"
        out_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.database_url)
        migrate(engine)
        archive = ArchiveStore(settings.archive_dir)
        counts = {"stored": 0, "unchanged": 0, "reparsed": 0, "error": 0}
        for seed_path in sorted(seeds.glob("*.txt")):
            seed = load_seed(seed_path)
            pdf = out_dir / f"{seed_path.stem}.pdf"
            render_pdf(seed, pdf, RULED_PORTRAIT)
            status, doc = ingest_file(pdf, engine, archive, ParseLimits.from_settings(settings))
            counts[status] += 1
            if doc is not None:
                found = sum(1 for t in doc.tables if t.id)
                typer.echo(f"{doc.year or '?'} {doc.scope or ''}{doc.kind or '?'}　{doc.department or '?'}：识别标准表 {found} 张，警告 {len(doc.warnings)} 条（{STATUS_LABELS[status]}）")
        typer.echo(f"完成：新入库 {counts['stored']} 份，未变化 {counts['unchanged']} 份，重新解析 {counts['reparsed']} 份，失败 {counts['error']} 份。数据库：{settings.database_url}")
