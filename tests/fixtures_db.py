"""Database fixtures: every test that asks for ``engine`` runs on SQLite and PostgreSQL.

PostgreSQL comes from ``BUDGETWATCH_TEST_PG_URL`` or, failing that, from
``scripts/pg start``. Without it the PostgreSQL cases are skipped, except
when ``CI=true``: there a missing PostgreSQL fails the run.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from storage.db import make_engine, migrate

REPO_ROOT = Path(__file__).resolve().parent.parent


def _start_pg() -> str:
    """The server URL from the environment or ``scripts/pg start``; raises on failure."""
    url = os.environ.get("BUDGETWATCH_TEST_PG_URL")
    if url:
        return url
    done = subprocess.run(
        [str(REPO_ROOT / "scripts" / "pg"), "start"], capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or f"scripts/pg start exited {done.returncode}")
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """URL of a PostgreSQL server to create test databases on."""
    try:
        url = _start_pg()
        probe = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
        with probe.connect() as conn:
            conn.execute(text("SELECT 1"))
        probe.dispose()
    except Exception as exc:  # any failure means "no PostgreSQL here"
        reason = f"PostgreSQL unavailable (set BUDGETWATCH_TEST_PG_URL or run scripts/pg start): {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return url


@contextmanager
def fresh_pg_database(pg_server_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the server, dropped on exit."""
    server = make_url(pg_server_url).set(drivername="postgresql+psycopg")
    name = f"bw_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\''))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_database_url(pg_server_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    with fresh_pg_database(pg_server_url) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a fresh, empty database, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'budgetwatch.db'}"
    return request.getfixturevalue("pg_database_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated engine on a fresh database."""
    eng = make_engine(db_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the migrated database (``expire_on_commit=False``)."""
    with Session(engine, expire_on_commit=False) as sess:
        yield sess
