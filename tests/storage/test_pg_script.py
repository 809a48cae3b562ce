"""scripts/pg: a second throwaway server in its own directory, started twice, then stopped."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pg"
pytestmark = pytest.mark.postgres


def _pg(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture
def pg_env() -> Iterator[dict[str, str]]:
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("PostgreSQL server binaries not installed")
    # not under pytest's tmp_path: that is private to root, and the server runs as postgres
    directory = Path("/tmp") / f"bw-pg-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "BUDGETWATCH_PG_DIR": str(directory), "BUDGETWATCH_PG_PORT": "56432"}
    yield env
    _pg("stop", env)
    shutil.rmtree(directory, ignore_errors=True)
    Path(f"{directory}.lock").unlink(missing_ok=True)


def test_start_is_idempotent_and_serves_the_test_database(pg_env: dict[str, str]) -> None:
    first = _pg("start", pg_env)
    assert first.returncode == 0, first.stderr
    url = first.stdout.strip()
    assert url.startswith("postgresql+psycopg://postgres@127.0.0.1:") and url.endswith("/budgetwatch_test")
    again = _pg("start", pg_env)
    assert (again.returncode, again.stdout.strip()) == (0, url)
    assert _pg("url", pg_env).stdout.strip() == url
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SHOW listen_addresses")).scalar_one() == "127.0.0.1"
    engine.dispose()
    assert _pg("stop", pg_env).returncode == 0
    assert _pg("url", pg_env).returncode != 0
