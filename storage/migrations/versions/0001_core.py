"""Core schema: documents, their versions, and normalised parse rows.

Revision ID: 0001_core
Revises:
Create Date: 2026-11-20

Hand-written; kept equal to ``storage/models.py`` (tests/storage checks
that autogenerate finds no drift).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.columns import JSONType, Money, UTCDateTime

revision: str = "0001_core"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _version_fk() -> sa.Column:
    return sa.Column(
        "version_id", sa.Integer(), sa.ForeignKey("document_version.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "document",
        _id(),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("source_id", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=True),
        sa.Column("scope", sa.String(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("department", sa.String(), nullable=True),
        sa.Column("unit", sa.String(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("first_seen", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.Column("withdrawn_at", UTCDateTime(), nullable=True),
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.UniqueConstraint("url"),
    )
    op.create_index("ix_document_source_id", "document", ["source_id"])
    op.create_index("ix_document_year", "document", ["year"])
    op.create_index("ix_document_department", "document", ["department"])

    op.create_table(
        "document_version",
        _id(),
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=True),
        sa.Column("format", sa.String(), nullable=True),
        sa.Column("archive_key", sa.String(), nullable=True),
        sa.Column("fetched_at", UTCDateTime(), nullable=True),
        sa.Column("final_url", sa.Text(), nullable=True),
        sa.Column("link_text", sa.Text(), nullable=True),
        sa.Column("publish_date", sa.Date(), nullable=True),
        sa.Column("http_etag", sa.String(), nullable=True),
        sa.Column("http_last_modified", sa.String(), nullable=True),
        sa.Column("parse_status", sa.String(), nullable=False),
        sa.Column("parse_error", sa.Text(), nullable=True),
        sa.Column("parsed_json", JSONType, nullable=True),
        sa.Column("parsed_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("document_id", "sha256", name="uq_document_version_sha256"),
        sa.CheckConstraint(
            "parse_status IN ('pending', 'ok', 'warning', 'error')",
            name="ck_document_version_parse_status",
        ),
    )
    op.create_index("ix_document_version_document_id", "document_version", ["document_id"])
    op.create_index("ix_document_version_sha256", "document_version", ["sha256"])
    op.create_index("ix_document_version_parse_status", "document_version", ["parse_status"])

    op.create_table(
        "parsed_table",
        _id(),
        _version_fk(),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.String(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("label", sa.String(), nullable=True),
        sa.Column("pages", JSONType, nullable=False),
        sa.Column("unit", sa.String(), nullable=True),
        sa.Column("department", sa.String(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("empty", sa.Boolean(), nullable=False),
        sa.Column("empty_note", sa.Text(), nullable=True),
        sa.Column("header", JSONType, nullable=False),
        sa.Column("columns", JSONType, nullable=False),
        sa.Column("rows", JSONType, nullable=False),
        sa.Column("row_pages", JSONType, nullable=False),
        sa.Column("notes", JSONType, nullable=False),
        sa.UniqueConstraint("version_id", "ordinal", name="uq_parsed_table_ordinal"),
    )
    op.create_index("ix_parsed_table_version_id", "parsed_table", ["version_id"])
    op.create_index("ix_parsed_table_table_id", "parsed_table", ["table_id"])

    op.create_table(
        "line_item",
        _id(),
        _version_fk(),
        sa.Column(
            "parsed_table_id", sa.Integer(), sa.ForeignKey("parsed_table.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.String(), nullable=True),
        sa.Column("code", sa.String(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("column_key", sa.String(), nullable=False),
        sa.Column("column_label", sa.Text(), nullable=False),
        sa.Column("amount", Money(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("column", sa.Integer(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
    )
    op.create_index("ix_line_item_version_id", "line_item", ["version_id"])
    op.create_index("ix_line_item_parsed_table_id", "line_item", ["parsed_table_id"])
    op.create_index("ix_line_item_diff", "line_item", ["table_id", "code", "column_key"])

    op.create_table(
        "narrative_section",
        _id(),
        _version_fk(),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("heading", sa.Text(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.UniqueConstraint("version_id", "ordinal", name="uq_narrative_section_ordinal"),
    )
    op.create_index("ix_narrative_section_version_id", "narrative_section", ["version_id"])

    op.create_table(
        "narrative_figure",
        _id(),
        _version_fk(),
        sa.Column(
            "section_id", sa.Integer(), sa.ForeignKey("narrative_section.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("value", Money(), nullable=False),
        sa.Column("unit", sa.String(), nullable=True),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("label", sa.String(), nullable=True),
        sa.Column("direction", sa.String(), nullable=True),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("section", sa.Text(), nullable=True),
    )
    op.create_index("ix_narrative_figure_version_id", "narrative_figure", ["version_id"])
    op.create_index("ix_narrative_figure_section_id", "narrative_figure", ["section_id"])

    op.create_table(
        "parse_warning",
        _id(),
        _version_fk(),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("table_index", sa.Integer(), nullable=True),
        sa.Column("row", sa.Integer(), nullable=True),
        sa.Column("column", sa.Integer(), nullable=True),
        sa.Column("raw", sa.Text(), nullable=True),
    )
    op.create_index("ix_parse_warning_version_id", "parse_warning", ["version_id"])
    op.create_index("ix_parse_warning_code", "parse_warning", ["code"])


def downgrade() -> None:
    for table in (
        "parse_warning",
        "narrative_figure",
        "narrative_section",
        "line_item",
        "parsed_table",
        "document_version",
        "document",
    ):
        op.drop_table(table)
