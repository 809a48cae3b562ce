"""Engines, sessions and schema migrations.

SQLite is tuned for several writer processes: WAL, ``synchronous=NORMAL``, a
busy timeout, foreign keys on, and every transaction opened with
``BEGIN IMMEDIATE``. The last matters: a deferred transaction that reads
and then writes can fail at once with "database is locked" when another
process committed in between, whatever the busy timeout; taking the write
lock up front makes writers queue instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from storage.errors import DatabaseError, MigrationError

__all__ = ["make_engine", "migrate", "schema_is_current", "session_scope", "alembic_config", "MIGRATIONS_DIR"]

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any constant: serialises concurrent migrate() calls on one PostgreSQL database.
_PG_MIGRATION_LOCK = 7_310_425_511
SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://…``).

    A plain ``postgresql://`` URL is given the psycopg 3 driver. Extra
    keyword arguments go to ``create_engine``.
    """
    try:
        parsed = make_url(url)
    except SQLAlchemyError as exc:
        raise DatabaseError(f"invalid database URL: {exc}") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, **kwargs)
    try:
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    except (SQLAlchemyError, ImportError) as exc:
        raise DatabaseError(f"cannot create engine: {exc}") from exc


def _sqlite_engine(url: Any, **kwargs: Any) -> Engine:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        try:
            Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create the directory of {database}: {exc}") from exc
    kwargs.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config for ``storage/migrations`` (no ini file needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def migrate(engine: Engine, revision: str = "heads") -> None:
    """Upgrade the schema to ``revision`` (all heads: every area's branch).

    Safe to call from several processes at once: SQLite's ``BEGIN IMMEDIATE``
    and a PostgreSQL advisory lock let one run while the others wait.
    """
    config = alembic_config(engine)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except (SQLAlchemyError, CommandError) as exc:
        raise MigrationError(f"migration to {revision} failed: {exc}") from exc


def schema_is_current(engine: Engine) -> bool:
    """Every migration head is applied: what a read-only reader (the archive browser), which cannot upgrade, needs."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads()) == heads


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error.

    Objects stay readable after the block (``expire_on_commit=False``).
    SQLAlchemy errors come out as ``DatabaseError``.
    """
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except SQLAlchemyError as exc:
        session.rollback()
        raise DatabaseError(str(exc)) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
