"""SQLModel tables of the core schema (revision ``0001_core``).

``document`` is a logical disclosure (usually one URL); each distinct file
seen for it is a ``document_version`` (by sha256). A parse of a version is
stored twice: whole, as ``parsed_json`` (``parsers.model.to_jsonable``), and
normalised into ``parsed_table`` / ``line_item`` / ``narrative_section`` /
``narrative_figure`` / ``parse_warning`` rows that mirror the dataclasses of
``parsers.model`` field for field, for querying and diffing.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import JSONType, Money, UTCDateTime

__all__ = [
    "SEARCH_OBJECTS",
    "managed_by_metadata",
    "PARSE_STATUSES",
    "Document",
    "DocumentVersion",
    "ParsedTableRow",
    "LineItemRow",
    "NarrativeSectionRow",
    "NarrativeFigureRow",
    "ParseWarningRow",
    "PARSE_ROW_MODELS",
]

PARSE_STATUSES = ("pending", "ok", "warning", "error")


def _version_fk() -> Any:
    return Field(foreign_key="document_version.id", ondelete="CASCADE", index=True)


class Document(SQLModel, table=True):
    """A logical document; ``current_version_id`` names its latest file.

    ``current_version_id`` has no foreign key on purpose (it would make the
    two tables depend on each other).
    """

    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    url: str | None = Field(default=None, sa_type=Text, unique=True)
    source_id: str | None = Field(default=None, index=True)
    kind: str | None = None
    scope: str | None = None
    year: int | None = Field(default=None, index=True)
    department: str | None = Field(default=None, index=True)
    unit: str | None = None
    title: str | None = Field(default=None, sa_type=Text)
    first_seen: datetime = Field(sa_type=UTCDateTime, index=True)  # 0009_web_indexes
    last_seen: datetime = Field(sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    current_version_id: int | None = None


class DocumentVersion(SQLModel, table=True):
    """One file (by sha256) seen for a document, with its fetch and parse state."""

    __tablename__ = "document_version"
    __table_args__ = (
        UniqueConstraint("document_id", "sha256", name="uq_document_version_sha256"),
        CheckConstraint(
            "parse_status IN ('pending', 'ok', 'warning', 'error')",
            name="ck_document_version_parse_status",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE", index=True)
    sha256: str = Field(max_length=64, index=True)
    size: int = Field(sa_type=BigInteger)
    file_name: str | None = Field(default=None, sa_type=Text)
    format: str | None = None
    archive_key: str | None = None
    fetched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    final_url: str | None = Field(default=None, sa_type=Text)
    link_text: str | None = Field(default=None, sa_type=Text)
    publish_date: date | None = None
    http_etag: str | None = None
    http_last_modified: str | None = None
    parse_status: str = Field(default="pending", index=True)
    parse_error: str | None = Field(default=None, sa_type=Text)
    parsed_json: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    parsed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    parser_version: str | None = Field(default=None, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class ParsedTableRow(SQLModel, table=True):
    """``parsers.model.ParsedTable``; ``table_id`` is its canonical ``id``."""

    __tablename__ = "parsed_table"
    __table_args__ = (UniqueConstraint("version_id", "ordinal", name="uq_parsed_table_ordinal"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    ordinal: int
    table_id: str | None = Field(default=None, index=True)
    title: str = Field(sa_type=Text)
    label: str | None = None
    pages: list[int] = Field(sa_type=JSONType)
    unit: str | None = None
    department: str | None = None
    year: int | None = None
    empty: bool
    empty_note: str | None = Field(default=None, sa_type=Text)
    header: list[list[str | None]] = Field(sa_type=JSONType)
    columns: list[str] = Field(sa_type=JSONType)
    rows: list[list[str | None]] = Field(sa_type=JSONType)
    row_pages: list[int] = Field(sa_type=JSONType)
    notes: list[str] = Field(sa_type=JSONType)
    # ``parsers.model.TableConfidence`` (revision 0008_parse_confidence; NULL for rows stored before)
    confidence: float | None = Field(default=None, index=True)
    identities_checked: int | None = None
    identities_held: int | None = None
    amounts_unkeyed: int | None = None
    unplaced: int | None = None
    confidence_evidence: list[str] | None = Field(default=None, sa_type=JSONType)


class LineItemRow(SQLModel, table=True):
    """``parsers.model.LineItem`` with its table and version, for diffing."""

    __tablename__ = "line_item"
    __table_args__ = (Index("ix_line_item_diff", "table_id", "code", "column_key"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    parsed_table_id: int = Field(foreign_key="parsed_table.id", ondelete="CASCADE", index=True)
    ordinal: int
    table_id: str | None = None
    code: str | None = None
    name: str = Field(sa_type=Text)
    column_key: str
    column_label: str = Field(sa_type=Text)
    amount: Decimal = Field(sa_type=Money)
    page: int
    row: int
    column: int
    raw: str = Field(sa_type=Text)


class NarrativeSectionRow(SQLModel, table=True):
    """``parsers.model.Section`` (its figures are ``narrative_figure`` rows)."""

    __tablename__ = "narrative_section"
    __table_args__ = (UniqueConstraint("version_id", "ordinal", name="uq_narrative_section_ordinal"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    ordinal: int
    heading: str = Field(sa_type=Text)
    level: int
    page: int | None = None
    text: str = Field(sa_type=Text)


class NarrativeFigureRow(SQLModel, table=True):
    """``parsers.model.NarrativeFigure``; ``section`` is the heading it was under."""

    __tablename__ = "narrative_figure"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    section_id: int = Field(foreign_key="narrative_section.id", ondelete="CASCADE", index=True)
    ordinal: int
    kind: str
    value: Decimal = Field(sa_type=Money)
    unit: str | None = None
    raw: str = Field(sa_type=Text)
    label: str | None = None
    direction: str | None = None
    context: str = Field(sa_type=Text)
    page: int | None = None
    section: str | None = Field(default=None, sa_type=Text)


class ParseWarningRow(SQLModel, table=True):
    """``parsers.model.ParseWarning``."""

    __tablename__ = "parse_warning"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _version_fk()
    ordinal: int
    code: str = Field(index=True)
    message: str = Field(sa_type=Text)
    page: int | None = None
    table_index: int | None = None
    row: int | None = None
    column: int | None = None
    raw: str | None = Field(default=None, sa_type=Text)


# Children first: the order in which a version's parse rows are deleted.
PARSE_ROW_MODELS: tuple[type[SQLModel], ...] = (
    LineItemRow,
    NarrativeFigureRow,
    ParseWarningRow,
    NarrativeSectionRow,
    ParsedTableRow,
)


# 0010_web_search: the document search, built per dialect outside the metadata (SQLite: the FTS5
# table document_search and its shadow tables; PostgreSQL: trigram GIN indexes).
SEARCH_OBJECTS = ("document_search", "ix_document_title_trgm", "ix_document_department_trgm")


def managed_by_metadata(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic ``include_object``: autogenerate and ``alembic check`` leave the search structures alone."""
    return not (name or "").startswith(SEARCH_OBJECTS)
