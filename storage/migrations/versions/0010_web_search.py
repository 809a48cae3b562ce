"""The archive browser's findings pages on 100,000 documents, and the cells a finding compares.

Revision ID: 0010_web_search
Revises: 0009_web_indexes
Create Date: 2026-12-06

- ``finding.last_seen``: the latest check (``max(last_seen)``) from the
  index, not a scan of every finding (``status=new``).
- ``finding.first_seen``: the findings first seen by that check.
- ``finding (department, severity, resolved_at)``: a department's or a
  region's open findings of one severity, newest first, from the index
  (SQLite, without statistics, otherwise walked a whole severity).
- ``finding.cells``: the printed figures a finding compares, each
  ``[page, row, column, amount]`` as the parser read it (``Finding.cells``),
  so the evidence page outlines all of them; ``NULL`` for findings stored
  before (the page then outlines the finding's own figure).
- Search of documents by title or department name (``/search``), a
  substring of three characters or more found from an index instead of a
  scan of every document: on SQLite the FTS5 table ``document_search``
  (trigram tokenizer, external content ``document``, kept by triggers); on
  PostgreSQL trigram GIN indexes on ``document.title`` / ``department``
  (``pg_trgm``; skipped, and searches scan, where the extension cannot be
  created). See ``web/queries/search.py``.

Hand-written; kept equal to ``storage/findings.py`` and ``storage/models.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.columns import JSONType

revision: str = "0010_web_search"
down_revision: str | Sequence[str] | None = "0009_web_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE document_search USING fts5(title, department, content='document', content_rowid='id',"
    " tokenize='trigram')",
    "CREATE TRIGGER document_search_ai AFTER INSERT ON document BEGIN"
    " INSERT INTO document_search(rowid, title, department) VALUES (new.id, new.title, new.department); END",
    "CREATE TRIGGER document_search_ad AFTER DELETE ON document BEGIN"
    " INSERT INTO document_search(document_search, rowid, title, department)"
    " VALUES ('delete', old.id, old.title, old.department); END",
    "CREATE TRIGGER document_search_au AFTER UPDATE OF title, department ON document BEGIN"
    " INSERT INTO document_search(document_search, rowid, title, department)"
    " VALUES ('delete', old.id, old.title, old.department);"
    " INSERT INTO document_search(rowid, title, department) VALUES (new.id, new.title, new.department); END",
    "INSERT INTO document_search(document_search) VALUES ('rebuild')",
)
PG_SEARCH = (
    "CREATE INDEX ix_document_title_trgm ON document USING gin (title gin_trgm_ops)",
    "CREATE INDEX ix_document_department_trgm ON document USING gin (department gin_trgm_ops)",
)


def upgrade() -> None:
    op.create_index("ix_finding_last_seen", "finding", ["last_seen"])
    op.create_index("ix_finding_first_seen", "finding", ["first_seen"])
    op.create_index("ix_finding_department_open", "finding", ["department", "severity", "resolved_at"])
    with op.batch_alter_table("finding") as batch:
        batch.add_column(sa.Column("cells", JSONType, nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_SEARCH:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        try:
            with bind.begin_nested():  # a role that may not create the extension keeps the scan
                bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except sa.exc.DBAPIError:
            return
        for statement in PG_SEARCH:
            op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("document_search_ai", "document_search_ad", "document_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS document_search")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_document_department_trgm")
        op.execute("DROP INDEX IF EXISTS ix_document_title_trgm")
    with op.batch_alter_table("finding") as batch:
        batch.drop_column("cells")
    op.drop_index("ix_finding_department_open", table_name="finding")
    op.drop_index("ix_finding_first_seen", table_name="finding")
    op.drop_index("ix_finding_last_seen", table_name="finding")
