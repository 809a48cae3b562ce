"""``budgetwatch run``, ``runs`` and ``runs show`` as a user types them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from budgetwatch.cli import app
from demo.site import ReplicaSite
from demo.site_catalog import XINXIANG


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BUDGETWATCH_HOME", "var")  # relative: resolved against the current directory
    for name in ("BUDGETWATCH_DATABASE_URL", "BUDGETWATCH_ARCHIVE_DIR", "BUDGETWATCH_SOURCES"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "var"


def test_run_then_runs_and_runs_show_without_sql(home: Path) -> None:
    runner = CliRunner()
    with ReplicaSite() as site:
        site.write_sources(Path("sources.yaml"), (XINXIANG,))
        first = runner.invoke(app, ["run", "--sources", "sources.yaml", "--today", "2026-12-06"])
        assert first.exit_code == 0, first.output
        second = runner.invoke(app, ["run", "--sources", "sources.yaml", "--today", "2026-12-06"])
    assert "第 1 次运行完成" in first.output and "[replica-xinxiang] 正常" in first.output
    assert "平静的一夜" in second.output
    assert (home / "budgetwatch.db").is_file()

    listed = runner.invoke(app, ["runs", "--json", "--last", "5"])
    runs = json.loads(listed.output)
    assert [r["id"] for r in runs] == [2, 1] and runs[1]["summary"]["sources"][0]["new_documents"] > 0

    shown = runner.invoke(app, ["runs", "show", "1"])
    assert shown.exit_code == 0 and "replica-xinxiang" in shown.output
    assert "not_a_document" in shown.output or "错误" in shown.output, "the replica's error page is named"
    missing = runner.invoke(app, ["runs", "show", "99"])
    assert missing.exit_code == 1 and "没有第 99 次运行" in missing.output


def test_a_bad_date_is_a_chinese_message_not_a_traceback(home: Path) -> None:
    result = CliRunner().invoke(app, ["run", "--today", "2024-13-01"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output and "Traceback" not in result.output


def test_every_command_answers_help_quickly() -> None:
    """Imports are lazy: --help loads no crawler, parser or database code."""
    probe = ("import sys, budgetwatch.cli; heavy = [m for m in ('scrapy', 'sqlmodel', 'pypdfium2', 'prefect', "
             "'analysis', 'parsers.document') if m in sys.modules]; print(heavy)")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
    help_text = subprocess.run([sys.executable, "-m", "budgetwatch", "--help"], capture_output=True, text=True)
    assert help_text.returncode == 0 and "run" in help_text.stdout  # its wall time: benchmarks/nightly_benchmark.py
