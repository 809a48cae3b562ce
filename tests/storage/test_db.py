"""Engines and session scopes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from storage.db import make_engine, session_scope
from storage.errors import DatabaseError
from storage.models import Document, DocumentVersion

NOW = datetime(2024, 9, 1, tzinfo=UTC)


def test_sqlite_engine_settings(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    assert (tmp_path / "nested" / "dir" / "x.db").exists()
    engine.dispose()


def test_plain_postgresql_url_gets_psycopg() -> None:
    engine = make_engine("postgresql://postgres@127.0.0.1:1/none")
    assert engine.url.drivername == "postgresql+psycopg"
    engine.dispose()


def test_invalid_url_is_a_database_error() -> None:
    with pytest.raises(DatabaseError):
        make_engine("not a database url")


def _documents(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(Document)).scalar_one()


def test_session_scope_commits_or_rolls_back(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.add(Document(url="http://x/1", first_seen=NOW, last_seen=NOW))
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        session.add(Document(url="http://x/2", first_seen=NOW, last_seen=NOW))
        session.flush()
        raise RuntimeError("step failed")
    assert _documents(engine) == 1


def test_database_errors_are_translated_and_rolled_back(engine: Engine) -> None:
    with pytest.raises(DatabaseError), session_scope(engine) as session:
        session.add(Document(url="http://x/3", first_seen=NOW, last_seen=NOW))
        session.flush()
        session.add(DocumentVersion(document_id=999, sha256="a" * 64, size=1, created_at=NOW))  # no such document
        session.flush()
    assert _documents(engine) == 0
