"""`budgetwatch serve` on a database whose schema is behind the code: one Chinese line, not a failing page."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from budgetwatch.cli import app
from storage import make_engine, migrate


def test_serve_refuses_a_database_not_upgraded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate(engine, "0009_web_indexes")  # before finding.cells, which the pages read
    engine.dispose()
    result = CliRunner().invoke(app, ["serve", "--port", "0"],
                                env={"BUDGETWATCH_HOME": str(tmp_path), "BUDGETWATCH_DATABASE_URL": url})
    assert result.exit_code == 1
    assert "budgetwatch db upgrade" in result.stderr and "Traceback" not in result.output
