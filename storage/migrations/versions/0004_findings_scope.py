"""Findings record the scope (部门/单位) of their document; 单位 findings get
their own fingerprints.

Revision ID: 0004_findings_scope
Revises: 0003_findings
Create Date: 2026-11-23

Before this revision a finding on a body's 单位 document and the same
finding on its 部门 document of the same kind and year shared one
fingerprint, so one row held whichever was stored last. Existing rows get
``scope`` 部门, except rows whose evidence document (``document_id``) is a
单位 document and the "单位 document no longer published" findings of
``presence.unit_missing`` (no row key): those become 单位 and their
fingerprint is recomputed as ``analysis.findings.fingerprint`` now computes
it. 部门 fingerprints do not change (部门 adds nothing to the fingerprint).
The other half of a merged pair is simply new at the next check.

Hand-written; kept equal to ``storage/findings.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from analysis.findings import fingerprint

revision: str = "0004_findings_scope"
down_revision: str | Sequence[str] | None = "0003_findings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNIT = "单位"
_FIELDS = ("rule_id", "department", "kind", "year", "table_id", "row_key", "column_key")


def upgrade() -> None:
    with op.batch_alter_table("finding") as batch:
        batch.add_column(sa.Column("scope", sa.String(), nullable=False, server_default="部门"))
    finding = sa.table("finding", sa.column("id"), sa.column("fingerprint"), sa.column("scope"),
                       *(sa.column(name) for name in _FIELDS), sa.column("document_id"))
    document = sa.table("document", sa.column("id"), sa.column("scope"))
    unit_documents = sa.select(sa.cast(document.c.id, sa.String())).where(document.c.scope == UNIT)
    is_unit = sa.or_(
        finding.c.document_id.in_(unit_documents),
        sa.and_(finding.c.rule_id == "presence.unit_missing", finding.c.row_key.is_(None)),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(finding.c.id, *(finding.c[name] for name in _FIELDS)).where(is_unit)).all()
    for row in rows:
        new = fingerprint(*(getattr(row, name) for name in _FIELDS), scope=UNIT)
        connection.execute(
            finding.update().where(finding.c.id == row.id).values(scope=UNIT, fingerprint=new)
        )


def downgrade() -> None:
    """Drops the column; 单位 rows keep their 单位 fingerprints (they would
    merge again with the 部门 ones, which the unique fingerprint forbids)."""
    with op.batch_alter_table("finding") as batch:
        batch.drop_column("scope")
