"""Documents, their versions and what each version's parse holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.errors import NotFoundError
from storage.models import (
    Document,
    DocumentVersion,
    LineItemRow,
    NarrativeSectionRow,
    ParsedTableRow,
    ParseWarningRow,
)
from web.paging import Paging

__all__ = [
    "VERSION_FIELDS",
    "get_document",
    "get_version",
    "version_by_sha",
    "versions",
    "recent_documents",
    "documents_of",
    "tables_of",
    "sections_of",
    "warnings_of",
    "items_of",
    "document_dict",
    "version_dict",
    "SHA256",
]

# Every column but the whole parse (kept for re-parsing, far too large for a page).
VERSION_FIELDS = tuple(name for name in DocumentVersion.model_fields if name != "parsed_json")
SHA256 = r"^[0-9a-f]{64}$"


def document_dict(doc: Document) -> dict[str, Any]:
    return doc.model_dump()


def version_dict(version: DocumentVersion) -> dict[str, Any]:
    return {name: getattr(version, name) for name in VERSION_FIELDS}


def get_document(session: Session, document_id: int) -> Document:
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFoundError(f"document {document_id}")
    return doc


def get_version(session: Session, version_id: int) -> DocumentVersion:
    version = session.get(DocumentVersion, version_id)
    if version is None:
        raise NotFoundError(f"version {version_id}")
    return version


def version_by_sha(session: Session, sha256: str) -> DocumentVersion | None:
    return session.exec(
        select(DocumentVersion).where(DocumentVersion.sha256 == sha256).order_by(DocumentVersion.id).limit(1)
    ).first()


def versions(session: Session, document_id: int) -> list[DocumentVersion]:
    """A document's versions, oldest first (without loading their parses)."""
    fields = [getattr(DocumentVersion, name) for name in VERSION_FIELDS]
    rows = session.exec(
        select(*fields).where(DocumentVersion.document_id == document_id).order_by(DocumentVersion.id)
    ).all()
    return [DocumentVersion(**dict(zip(VERSION_FIELDS, row, strict=True))) for row in rows]


def recent_documents(session: Session, limit: int) -> list[Document]:
    """Documents first seen most recently."""
    query = select(Document).order_by(col(Document.first_seen).desc(), col(Document.id).desc()).limit(limit)
    return list(session.exec(query).all())


@dataclass(frozen=True)
class Published:
    document: Document
    version: DocumentVersion | None


def documents_of(session: Session, names: list[str], *, limit: int) -> list[Published]:
    """A department's documents (under any of its printed names) with their current versions, newest first."""
    if not names:
        return []
    docs = list(session.exec(
        select(Document).where(col(Document.department).in_(names))
        .order_by(col(Document.year).desc(), Document.kind, Document.scope, Document.id).limit(limit)
    ).all())
    ids = [d.current_version_id for d in docs if d.current_version_id]
    fields = [getattr(DocumentVersion, name) for name in VERSION_FIELDS]
    found = {
        row[0]: DocumentVersion(**dict(zip(VERSION_FIELDS, row, strict=True)))
        for row in session.exec(select(*fields).where(col(DocumentVersion.id).in_(ids))).all()
    } if ids else {}
    return [Published(d, found.get(d.current_version_id)) for d in docs]


def tables_of(session: Session, version_id: int) -> list[ParsedTableRow]:
    return list(session.exec(
        select(ParsedTableRow).where(ParsedTableRow.version_id == version_id).order_by(ParsedTableRow.ordinal)
    ).all())


def sections_of(session: Session, version_id: int) -> list[NarrativeSectionRow]:
    return list(session.exec(
        select(NarrativeSectionRow).where(NarrativeSectionRow.version_id == version_id)
        .order_by(NarrativeSectionRow.ordinal)
    ).all())


def warnings_of(session: Session, version_id: int) -> list[ParseWarningRow]:
    return list(session.exec(
        select(ParseWarningRow).where(ParseWarningRow.version_id == version_id).order_by(ParseWarningRow.ordinal)
    ).all())


def items_of(session: Session, version_id: int, paging: Paging, *, table_ordinal: int | None = None
             ) -> tuple[list[LineItemRow], int]:
    """One page of a version's line items (of one table), in table and item order."""
    query = select(LineItemRow).where(LineItemRow.version_id == version_id)
    count = select(func.count()).select_from(LineItemRow).where(LineItemRow.version_id == version_id)
    if table_ordinal is not None:
        table = select(ParsedTableRow.id).where(ParsedTableRow.version_id == version_id,
                                                ParsedTableRow.ordinal == table_ordinal).scalar_subquery()
        query, count = query.where(LineItemRow.parsed_table_id == table), count.where(LineItemRow.parsed_table_id == table)
    query = query.order_by(LineItemRow.parsed_table_id, LineItemRow.ordinal).offset(paging.offset).limit(paging.size)
    return list(session.exec(query).all()), session.exec(count).one()
