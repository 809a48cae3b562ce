"""The PostgreSQL fixture skips when no server is reachable, but fails under CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/nothing"


def _run(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_needs_pg.py").write_text("def test_needs_pg(pg_server_url):\n    assert pg_server_url\n")
    env = {**os.environ, "BUDGETWATCH_TEST_PG_URL": UNREACHABLE, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("CI", None)
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "tests.fixtures_db", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.mark.parametrize(("ci", "outcome"), [(None, "1 skipped"), ("true", "1 error")])
def test_missing_postgresql(tmp_path: Path, ci: str | None, outcome: str) -> None:
    done = _run(tmp_path, ci)
    assert outcome in done.stdout, done.stdout + done.stderr
    assert "PostgreSQL unavailable" in done.stdout
    assert (done.returncode == 0) == (ci is None)
