"""Migrations apply on an empty database and match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

import storage.models
from storage.db import alembic_config, migrate

CORE_TABLES = {
    "document",
    "document_version",
    "parsed_table",
    "line_item",
    "narrative_section",
    "narrative_figure",
    "parse_warning",
}


def test_migrate_creates_core_tables(engine: Engine) -> None:
    assert CORE_TABLES <= set(inspect(engine).get_table_names())


def test_migrate_reaches_every_head_and_is_repeatable(engine: Engine) -> None:
    migrate(engine)  # second run: nothing to do, no error
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    with engine.connect() as conn:
        applied = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    assert applied == heads


def test_no_drift_between_models_and_migrations(engine: Engine) -> None:
    core = {name: table for name, table in SQLModel.metadata.tables.items() if name in CORE_TABLES}
    assert set(core) == CORE_TABLES, "a core model is missing from storage.models"
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True,
                                                         "include_object": storage.models.managed_by_metadata})
        diffs = compare_metadata(context, SQLModel.metadata)

    assert [d for d in diffs if _table_of(d) in CORE_TABLES] == []


def _table_of(diff: tuple | list) -> str:
    """The table an Alembic autogenerate diff entry is about."""
    entry = diff[0] if isinstance(diff, list) else diff
    subject = entry[1]
    if hasattr(subject, "table"):  # index, constraint, foreign key
        return subject.table.name
    if hasattr(subject, "name") and entry[0] in ("add_table", "remove_table"):
        return subject.name
    return entry[2]  # column-level entries: (op, schema, table, ...)


def test_models_module_registers_core_tables() -> None:
    assert {m.__tablename__ for m in storage.models.PARSE_ROW_MODELS} < CORE_TABLES


def test_alembic_check_finds_no_drift_in_any_area(engine: Engine) -> None:
    """What ``alembic check`` says: every area's models equal its migrations."""
    from alembic import command

    command.check(alembic_config(engine))
