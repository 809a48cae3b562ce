"""``budgetwatch check``, ``budgetwatch diff`` and ``budgetwatch findings``."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import typer

from budgetwatch.options import parse_day


if TYPE_CHECKING:
    from analysis import DocumentDiff

__all__ = ["register", "format_diff"]

SEVERITY_NAMES = {"high": "高", "medium": "中", "low": "低"}


def format_diff(diff: DocumentDiff) -> str:
    """The diff as Chinese text."""

    def amount(value: Decimal | None) -> str:
        return "—" if value is None else f"{value:,.2f}"

    lines = [f"比较：{diff.before} → {diff.after}"]
    if diff.tables_removed:
        lines.append("删除的表：" + "、".join(diff.tables_removed))
    if diff.tables_added:
        lines.append("新增的表：" + "、".join(diff.tables_added))
    status = {"added": "新增", "removed": "删除", "changed": "变动"}
    if diff.lines:
        lines.append(f"明细变动 {len(diff.lines)} 项：")
    for change in diff.lines:
        pct = f"（{change.change_pct:+}%）" if change.change_pct is not None else ""
        lines.append(
            f"  [{status[change.status]}] {change.table} {change.row_key} {change.name} {change.column_key}："
            f"{amount(change.before)} → {amount(change.after)}{pct}"
        )
    if diff.three_public:
        lines.append("三公经费（万元）：")
        for row in diff.three_public:
            pct = f"（{row.change_pct:+}%）" if row.change_pct is not None else ""
            lines.append(f"  {row.name}：{amount(row.before)} → {amount(row.after)}{pct}")
    if diff.sections_changed:
        lines.append("说明文字有改动的章节：" + "、".join(diff.sections_changed))
    return "\n".join(lines)


def _document_name(row) -> str:  # noqa: ANN001 - FindingRow
    """``2025单位预算`` for a unit's document, ``2025预算`` for the department's."""
    return f"{row.year or ''}{'单位' if row.scope == '单位' else ''}{row.kind or ''}"


def _finding_json(row) -> dict:  # noqa: ANN001 - FindingRow
    data = {k: getattr(row, k) for k in (
        "fingerprint", "rule_id", "category", "severity", "department", "scope", "kind", "year", "document_id",
        "version_id", "table_id", "row_key", "column_key", "page", "expected", "actual", "message")}
    for key in ("expected", "actual"):
        data[key] = None if data[key] is None else str(data[key])
    data["first_seen"] = row.first_seen.isoformat()
    return data


def _severity(value: str) -> str:
    if value not in SEVERITY_NAMES:
        raise typer.BadParameter(f"{value} 不是问题级别，应为 {'、'.join(SEVERITY_NAMES)} 之一")
    return value


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(
        department: str | None = typer.Option(None, "--department", "-d", help="只检查这个部门"),
        today: date | None = typer.Option(
            None, parser=parse_day, metavar="YYYY-MM-DD", help="以此日期（YYYY-MM-DD）判断是否逾期，默认今天"
        ),
    ) -> None:
        """检查数据库中各文件的当前版本，并与往年对比，保存发现的问题。"""
        from analysis import load_identity
        from pipeline.check import check_database, configured_rules
        from config import load_settings
        from storage import make_engine, migrate, session_scope
        from storage.findings import store_findings

        settings = load_settings()
        rules = configured_rules(settings.rules)
        identity = load_identity()
        engine = make_engine(settings.database_url)
        migrate(engine)
        day = today or date.today()
        with session_scope(engine) as session:
            findings, checked = check_database(session, rules, identity, day, department)
            result = store_findings(session, findings, datetime.now(UTC), departments=None if department is None else checked)
        own = [f for f in findings if not f.is_parse_quality]
        typer.echo(f"检查了 {len(checked)} 个部门，发现问题 {len(own)} 条，解析质量提示 {len(findings) - len(own)} 条。")
        typer.echo(f"新增 {result.new} 条，再次出现 {result.seen_again} 条，已解决 {result.resolved} 条。")

    @app.command("diff")
    def diff(
        department: str = typer.Argument(..., help="部门名称"),
        years: tuple[int, int] = typer.Option(..., "--years", help="比较的两个年度，如 --years 2022 2023"),
        kind: str = typer.Option("决算", "--kind", help="预算 或 决算"),
    ) -> None:
        """比较一个部门两个年度的公开文件：明细增删改与三公经费。"""
        from analysis import diff_documents, load_identity
        from pipeline.check import department_records
        from config import load_settings
        from storage import make_engine, migrate, session_scope

        settings = load_settings()
        identity = load_identity()
        engine = make_engine(settings.database_url)
        migrate(engine)
        with session_scope(engine) as session:
            records = department_records(session, identity, department).get(identity.key(department) or "", [])
        by_year = {r.year: r for r in records if str(r.kind) == kind and r.document is not None}
        missing = [y for y in years if y not in by_year]
        if missing:
            typer.echo(f"未找到 {department} {'、'.join(map(str, missing))} 年度的{kind}。", err=True)
            raise typer.Exit(1)
        typer.echo(format_diff(diff_documents(by_year[years[0]].document, by_year[years[1]].document)))

    @app.command("findings")
    def findings(
        as_json: bool = typer.Option(False, "--json", help="以 JSON 输出"),
        severity: str | None = typer.Option(None, "--severity", parser=_severity, help="只看此级别：high、medium 或 low"),
        category: str | None = typer.Option(None, "--category", help="只看此类别，如 three_public"),
    ) -> None:
        """列出尚未解决的问题；解析质量提示单独列出。"""
        from config import load_settings
        from storage import make_engine, migrate, session_scope
        from storage.findings import open_findings

        engine = make_engine(load_settings().database_url)
        migrate(engine)
        with session_scope(engine) as session:
            rows = open_findings(session, severity=severity, category=category)
        if as_json:
            typer.echo(json.dumps([_finding_json(r) for r in rows], ensure_ascii=False, indent=2))
            return
        own = [r for r in rows if r.category != "parse_quality"]
        quality = [r for r in rows if r.category == "parse_quality"]
        typer.echo(f"部门公开问题 {len(own)} 条：")
        for row in own:
            where = "，".join(x for x in (row.table_id, row.row_key, f"第{row.page}页" if row.page else None) if x)
            typer.echo(f"  [{SEVERITY_NAMES.get(row.severity, row.severity)}] {row.department} {_document_name(row)}：{row.message}（{where}）")
        if quality:
            typer.echo(f"解析质量提示 {len(quality)} 条（系提取问题，并非部门的错误）：")
            for row in quality:
                typer.echo(f"  {row.department} {_document_name(row)}：{row.message}")
