"""Parse confidence of every stored table (issue 10).

Revision ID: 0008_parse_confidence
Revises: 0001_core
Create Date: 2026-12-06

Hand-written; kept equal to ``storage/models.py`` (``ParsedTableRow``).
Rows stored before this revision keep NULL: their confidence is unknown
until the version is parsed again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.columns import JSONType

revision: str = "0008_parse_confidence"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("confidence", sa.Float()),
    ("identities_checked", sa.Integer()),
    ("identities_held", sa.Integer()),
    ("amounts_unkeyed", sa.Integer()),
    ("unplaced", sa.Integer()),
    ("confidence_evidence", JSONType),
)


def upgrade() -> None:
    with op.batch_alter_table("parsed_table") as batch:
        for name, type_ in _COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.create_index("ix_parsed_table_confidence", ["confidence"])


def downgrade() -> None:
    with op.batch_alter_table("parsed_table") as batch:
        batch.drop_index("ix_parsed_table_confidence")
        for name, _type in reversed(_COLUMNS):
            batch.drop_column(name)
