"""Revision 0006_alerts matches storage/alert_models.py."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import SQLModel

import storage.alert_models  # noqa: F401 - registers the tables

ALERT_TABLES = {"alert_outbox", "alert_ledger"}


def test_no_drift_between_alert_models_and_migration(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        diffs = compare_metadata(context, SQLModel.metadata)
    tables = {name for d in diffs for name in _tables(d)}
    assert not tables & ALERT_TABLES, [d for d in diffs if set(_tables(d)) & ALERT_TABLES]


def _tables(diff: tuple | list) -> list[str]:
    entry = diff[0] if isinstance(diff, list) else diff
    subject = entry[1]
    if hasattr(subject, "table"):
        return [subject.table.name]
    if hasattr(subject, "name") and entry[0] in ("add_table", "remove_table"):
        return [subject.name]
    return [str(entry[2])]
