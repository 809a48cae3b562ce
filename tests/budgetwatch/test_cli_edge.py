"""Acceptance 5 of issue 9: every command's failure is one Chinese line and a non-zero exit, never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from budgetwatch.cli import app
from tests.conftest import REPO_ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")


def _leaves(group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:  # noqa: ANN001 - click group
    """Every invocable command path (a group that runs without a sub-command counts too)."""
    commands = getattr(group, "commands", None)
    if not commands:
        return [prefix]
    own = [prefix] if prefix and getattr(group, "invoke_without_command", False) else []
    return own + [leaf for name, command in sorted(commands.items()) for leaf in _leaves(command, (*prefix, name))]


COMMANDS = _leaves(typer.main.get_command(app))


def _arguments(tmp: Path) -> dict[tuple[str, ...], list[str]]:
    """Arguments that make each command reach its work (a new command needs an entry: see the test below)."""
    pdf = tmp / "a.pdf"
    if not pdf.exists():
        pdf.write_bytes(b"%PDF-1.4\n% not really a PDF\n")
    return {
        ("parse",): [str(pdf)],
        ("ingest",): [str(pdf)],
        ("demo",): ["--port", "0"],
        ("crawl",): [],
        ("check",): ["--today", "2024-06-30"],
        ("diff",): ["某部门", "--years", "2022", "2023"],
        ("findings",): [],
        ("db", "status"): [],
        ("db", "upgrade"): [],
        ("run",): ["--today", "2024-06-30", "--sources", str(tmp / "no-sources.yaml")],
        ("runs",): [],
        ("runs", "show"): ["1"],
        ("reparse",): [],
        ("alerts", "test"): [],
        ("alerts", "pending"): [],
        ("alerts", "preview"): ["--out", str(tmp / "preview")],
        ("serve",): ["--port", "0"],
        ("sources",): [],
        ("sources", "check"): ["replica-zhongzhan"],
    }


def test_every_command_has_arguments_here(tmp_path: Path) -> None:
    assert set(COMMANDS) == set(_arguments(tmp_path))


def _one_chinese_line(result) -> str:  # noqa: ANN001 - click Result
    """The one line on stderr (stdout may have said what the command started, as demo does)."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.output
    assert len(lines) == 1, result.output
    assert CJK.search(lines[0]), lines[0]
    assert result.exit_code != 0
    return lines[0]


def _corrupt(tmp: Path) -> str:
    path = tmp / "corrupt.db"
    path.write_bytes(b"this is not a database " * 400)
    return f"sqlite:///{path}"


BROKEN = {
    "unreachable": lambda tmp: "postgresql+psycopg://nobody@127.0.0.1:1/none",
    "corrupt": _corrupt,
    "unknown_scheme": lambda tmp: "nosuchdb://x/y",
}
# These read no database: given a broken one they still work, and their own failure is their input's
# (the file; the alert channels; the source registry entry).
NO_DATABASE = {("parse",), ("alerts", "test"), ("sources", "check")}
DATABASE_COMMANDS = [c for c in COMMANDS if c not in NO_DATABASE]


@pytest.mark.parametrize("broken", sorted(BROKEN))
@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=" ".join)
def test_a_broken_database_is_one_chinese_line(command: tuple[str, ...], broken: str, tmp_path: Path) -> None:
    env = {"BUDGETWATCH_HOME": str(tmp_path), "BUDGETWATCH_DATABASE_URL": BROKEN[broken](tmp_path)}
    result = CliRunner().invoke(app, [*command, *_arguments(tmp_path)[command]], env=env)
    line = _one_chinese_line(result)
    if command != ("crawl",):  # the crawl subprocess reports its own start failure
        assert "数据库" in line


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_unknown_option_is_one_chinese_line(command: tuple[str, ...], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, [*command, *_arguments(tmp_path)[command], "--no-such-option"],
                                env={"BUDGETWATCH_HOME": str(tmp_path)})
    assert "--no-such-option" in _one_chinese_line(result)


@pytest.mark.parametrize(
    ("arguments", "needle"),
    [
        (["check", "--today", "2024-13-01"], "--today"),
        (["run", "--today", "2024-13-01"], "--today"),
        (["reparse", "--today", "tomorrow"], "--today"),
        (["findings", "--severity", "huge"], "--severity"),
        (["diff", "某部门", "--years", "x", "2023"], "--years"),
    ],
)
def test_a_bad_option_value_is_one_chinese_line(arguments: list[str], needle: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, arguments, env={"BUDGETWATCH_HOME": str(tmp_path)})
    assert needle in _one_chinese_line(result)


def test_a_bad_setting_is_one_chinese_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["findings"], env={"BUDGETWATCH_HOME": str(tmp_path),
                                                       "BUDGETWATCH_ARCHIVE_DIR": "s4://bucket/x"})
    assert "BUDGETWATCH_ARCHIVE_DIR" in _one_chinese_line(result)


def test_the_installed_command_prints_no_traceback_and_debug_does(tmp_path: Path) -> None:
    env = {"BUDGETWATCH_HOME": str(tmp_path), "BUDGETWATCH_DATABASE_URL": _corrupt(tmp_path), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-c", "from budgetwatch.cli import app; app()"]  # what the console script runs
    plain = subprocess.run([*command, "check"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert plain.stderr.strip().splitlines() == ["数据库文件已损坏或不是 SQLite 数据库（BUDGETWATCH_DATABASE_URL），请检查或从备份恢复"]
    debug = subprocess.run([*command, "--debug", "check"], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                           timeout=120)
    assert debug.returncode != 0 and "Traceback" in debug.stderr and "file is not a database" in debug.stderr
