"""The archive browser's findings pages on 100,000 documents, and the cells a finding compares.

Revision ID: 0010_web_search
Revises: 0009_web_indexes
Create Date: 2026-12-06

- ``finding.last_seen``: the latest check (``max(last_seen)``) from the
  index, not a scan of every finding (``status=new``).
- ``finding.first_seen``: the findings first seen by that check.
- ``finding.cells``: the printed figures a finding compares, each
  ``[page, row, column, amount]`` as the parser read it (``Finding.cells``),
  so the evidence page outlines all of them; ``NULL`` for findings stored
  before (the page then outlines the finding's own figure).

Hand-written; kept equal to ``storage/findings.py``.
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


def upgrade() -> None:
    op.create_index("ix_finding_last_seen", "finding", ["last_seen"])
    op.create_index("ix_finding_first_seen", "finding", ["first_seen"])
    with op.batch_alter_table("finding") as batch:
        batch.add_column(sa.Column("cells", JSONType, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("finding") as batch:
        batch.drop_column("cells")
    op.drop_index("ix_finding_first_seen", table_name="finding")
    op.drop_index("ix_finding_last_seen", table_name="finding")
