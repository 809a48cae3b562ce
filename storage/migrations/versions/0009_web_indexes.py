"""Indexes the archive browser's pages need on 100,000 documents.

Revision ID: 0009_web_indexes
Revises: 0004_findings_scope (it indexes the finding table; a branch of its own from there)
Create Date: 2026-12-06

- ``document.first_seen``: the home page's newly published documents.
- ``finding (severity, category, resolved_at)``: open findings counted by
  severity (home page, findings list) from the index alone.

Hand-written; kept equal to ``storage/models.py`` and ``storage/findings.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009_web_indexes"
down_revision: str | Sequence[str] | None = "0004_findings_scope"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_document_first_seen", "document", ["first_seen"])
    op.create_index("ix_finding_severity_open", "finding", ["severity", "category", "resolved_at"])


def downgrade() -> None:
    op.drop_index("ix_finding_severity_open", table_name="finding")
    op.drop_index("ix_document_first_seen", table_name="document")
