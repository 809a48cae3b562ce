"""``budgetwatch db upgrade`` / ``db status`` against a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from budgetwatch.cli import app
from storage import make_engine, record_version, session_scope, store_parse_error
from tests.storage.samples import SHA_A, SHA_B


def test_upgrade_then_status(tmp_path: Path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'bw.db'}"
    monkeypatch.setenv("BUDGETWATCH_DATABASE_URL", url)
    runner = CliRunner()
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    with session_scope(make_engine(url)) as session:
        record_version(session, sha256=SHA_A, size=1, file_name="a.pdf", url="http://x/a")
        failed = record_version(session, sha256=SHA_B, size=1, file_name="b.pdf", url="http://x/b")
        store_parse_error(session, failed.version_id, "encrypted_pdf", "加密")
    shown = runner.invoke(app, ["db", "status"])
    assert shown.exit_code == 0, shown.output
    assert "文件 2 个（已撤下 0 个），版本 2 个" in shown.output
    assert "待解析 1，解析成功 0，有警告 0，解析失败 1" in shown.output


def test_unreachable_database_is_a_clean_error(monkeypatch) -> None:
    monkeypatch.setenv("BUDGETWATCH_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    result = CliRunner().invoke(app, ["db", "status"])
    assert result.exit_code == 1 and "无法连接数据库" in result.output
