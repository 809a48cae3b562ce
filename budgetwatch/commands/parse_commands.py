"""``budgetwatch parse`` and ``budgetwatch ingest``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from parsers import ParsedDocument

__all__ = ["register", "summarise"]


STATUS_LABELS = {
    "stored": "已入库",
    "unchanged": "未变化（已存在）",
    "reparsed": "文件未变，已按新版解析结果更新",
    "error": "无法解析，已记录错误",
}

def summarise(doc: ParsedDocument) -> str:
    """A short Chinese summary of a parse, for people."""
    lines = [
        f"文件：{doc.source.file_name}（{doc.source.format.upper()}，{doc.source.page_count} 页）",
        f"类型：{doc.scope or '?'}{doc.kind or '?'}　年度：{doc.year or '?'}　部门：{doc.department or '?'}　单位：{doc.unit or '?'}",
        f"表格 {len(doc.tables)} 张：",
    ]
    for table in doc.tables:
        pages = ",".join(map(str, table.pages))
        state = "空表" + ("（有说明）" if table.empty_note else "") if table.empty else f"{len(table.items)} 个数"
        lines.append(f"  - {table.id or '（未识别）'}　{table.title}　第 {pages} 页　{state}")
    lines.append(f"说明章节 {len(doc.sections)} 个，文字中的数字 {sum(len(s.figures) for s in doc.sections)} 个")
    if doc.warnings:
        lines.append(f"警告 {len(doc.warnings)} 条：")
        lines.extend(f"  ! [{w.code}] {w.message}" + (f"（第 {w.page} 页）" if w.page else "") for w in doc.warnings[:20])
    return "\n".join(lines)


def _nothing_read(doc: ParsedDocument) -> bool:
    return any(w.code == "nothing_read" for w in doc.warnings)


def _explain(file: Path, page: int | None) -> None:
    from parsers import ParseError
    from parsers.explain import explain_lines

    try:
        lines = explain_lines(file.read_bytes(), file.name, page)
    except ParseError as exc:
        typer.echo(f"无法解析 {file.name}：{exc}", err=True)
        raise typer.Exit(2) from exc
    if not lines:
        typer.echo(f"第 {page} 页没有文字行" if page else "文件中没有文字行", err=True)
        raise typer.Exit(1)
    typer.echo("页   类别       状态    理由 → 处理 | 文字")
    typer.echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    @app.command("parse")
    def parse_command(
        file: Path = typer.Argument(..., exists=True, dir_okay=False, help="要解析的文件（PDF/XLSX/XLS/DOCX）"),
        as_json: bool = typer.Option(False, "--json", help="输出完整的 JSON 结果"),
        explain: bool = typer.Option(False, "--explain", help="逐行显示解析器给出的类别和理由"),
        page: int | None = typer.Option(None, "--page", min=1, help="与 --explain 一起使用：只显示这一页"),
    ) -> None:
        """解析一个预决算公开文件并显示结果（不写入数据库）。"""
        if explain:
            _explain(file, page)
            return
        from parsers import ParseError, parse_file, to_jsonable
        from parsers.text import file_name

        try:
            doc = parse_file(file)  # only a regular file within the size bound is read
        except ParseError as exc:
            typer.echo(f"无法解析 {file_name(file)}：{exc}", err=True)
            raise typer.Exit(2) from exc
        if as_json:
            typer.echo(json.dumps(to_jsonable(doc), ensure_ascii=False, indent=1))
        else:
            typer.echo(summarise(doc))
        if _nothing_read(doc):
            raise typer.Exit(1)

    @app.command("ingest")
    def ingest_command(
        files: list[Path] = typer.Argument(..., exists=True, dir_okay=False, help="要入库的文件"),
    ) -> None:
        """解析文件并存入数据库与原件档案库；重复入库同一文件不会产生重复记录。"""
        from config import load_settings
        from parsers import ParseError
        from parsers.text import file_name
        from pipeline.ingest import ingest_file
        from pipeline.parse_worker import ParseLimits
        from storage import ArchiveStore, make_engine, migrate

        settings = load_settings()
        engine = make_engine(settings.database_url)
        migrate(engine)
        archive = ArchiveStore(settings.archive_dir)
        failed = 0
        for path in files:
            name = file_name(path)
            try:
                status, doc = ingest_file(path, engine, archive, ParseLimits.from_settings(settings))
            except ParseError as exc:  # unreadable (a device, beyond the size bound): reported, the batch goes on
                typer.echo(f"{name}：无法读取，未入库：{exc}")
                failed += 1
                continue
            label = STATUS_LABELS[status]
            detail = f"　{doc.kind or '?'} {doc.year or '?'} {doc.department or '?'}，{len(doc.tables)} 张表" if doc else ""
            typer.echo(f"{name}：{label}{detail}")
            failed += status == "error"
        if failed:
            raise typer.Exit(1)
