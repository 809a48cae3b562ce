"""Read-only database access for the archive browser.

The browser never writes: SQLite is opened with ``mode=ro`` (and without
storage's ``BEGIN IMMEDIATE``, which would queue readers behind the nightly
writer), PostgreSQL sessions start with ``default_transaction_read_only``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

__all__ = ["readonly_engine"]

SQLITE_BUSY_TIMEOUT_S = 30


def readonly_engine(url: str) -> Engine:
    """An engine that cannot write, for ``url`` (``sqlite:///…`` or PostgreSQL)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        return create_engine(
            parsed, pool_pre_ping=True, connect_args={"options": "-c default_transaction_read_only=on"}
        )
    path = Path(parsed.database or "").expanduser().resolve()
    engine = create_engine(
        f"sqlite:///file:{quote(str(path))}?mode=ro&uri=true",
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API objects
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA query_only = ON")
        cursor.close()

    return engine
