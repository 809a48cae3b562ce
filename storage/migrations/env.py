"""Alembic environment, driven programmatically by ``storage.db.migrate``.

The caller passes an open connection in ``config.attributes["connection"]``;
without one (the ``alembic`` command line) the URL comes from the config or
``BUDGETWATCH_DATABASE_URL``.
"""

from __future__ import annotations

import os

from alembic import context
from sqlmodel import SQLModel

# Every module that defines tables, so autogenerate sees the whole schema.
import storage.alert_models  # noqa: F401
import storage.crawl_models  # noqa: F401
import storage.findings  # noqa: F401
import storage.models  # noqa: F401
import storage.check_state  # noqa: F401
import storage.run_models  # noqa: F401

config = context.config
target_metadata = SQLModel.metadata


def _configure_and_run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=storage.models.managed_by_metadata,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    from storage.db import make_engine

    url = config.get_main_option("sqlalchemy.url") or os.environ["BUDGETWATCH_DATABASE_URL"]
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            _configure_and_run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; connect to a database")
run_migrations_online()
