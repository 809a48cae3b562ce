"""The storage API the other areas call: record files, store parses, query.

Every function takes an open ``Session`` and never commits: the caller owns
the transaction (``storage.db.session_scope``), so a step either stores
everything or nothing.

Identity of documents and versions (``record_version``):

- with a URL, the document is the one at that URL; a file whose sha256 the
  document already has is not new (the document is seen again); a different
  sha256 is a new version that becomes current, earlier ones are kept;
- without a URL, a file whose sha256 is known anywhere is not new; otherwise
  it starts a new document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from parsers.model import ParsedDocument, document_from_jsonable, to_jsonable
from storage.columns import utcnow
from storage.errors import NotFoundError
from storage.models import PARSE_STATUSES, Document, DocumentVersion, LineItemRow
from storage.parse_rows import clear_parse_rows, insert_parse_rows

__all__ = [
    "FetchMeta",
    "Classification",
    "VersionRecord",
    "CurrentVersion",
    "record_version",
    "store_parse",
    "store_parse_error",
    "mark_withdrawn",
    "pending_versions",
    "load_parsed",
    "current_versions",
    "find_version_by_sha",
    "versions_of",
    "line_items",
    "status_counts",
]


@dataclass(frozen=True)
class FetchMeta:
    """How a file was fetched (from the crawler)."""

    final_url: str | None = None
    link_text: str | None = None
    publish_date: date | None = None
    fetched_at: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Classification:
    """What the crawler inferred from titles and links; fills null document fields."""

    kind: str | None = None
    scope: str | None = None
    year: int | None = None
    department: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class VersionRecord:
    document_id: int
    version_id: int
    created_document: bool
    created_version: bool


class CurrentVersion(NamedTuple):
    document: Document
    version: DocumentVersion


def record_version(
    session: Session,
    *,
    sha256: str,
    size: int,
    file_name: str | None,
    format: str | None = None,
    archive_key: str | None = None,
    url: str | None = None,
    source_id: str | None = None,
    fetch: FetchMeta | None = None,
    classification: Classification | None = None,
    now: datetime | None = None,
) -> VersionRecord:
    """Record that a file was seen; see the module docstring for identity.

    Seeing a document again updates ``last_seen``; seeing it at its URL also
    clears ``withdrawn_at``. Fetch metadata and classification only fill fields
    that are still empty.
    """
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware (UTC) datetime")
    version: DocumentVersion | None
    if url is not None:
        document, created_document = _document_at(session, url, now)
        version = _version_of(session, _id(document), sha256)
    else:
        version = find_version_by_sha(session, sha256)
        if version is None:
            document, created_document = _insert_document(session, Document(first_seen=now, last_seen=now)), True
        else:
            document, created_document = _get(session, Document, version.document_id), False
    created_version = version is None
    if version is None:
        version, created_version = _version_for(session, _id(document), sha256, size, now)
    if url is not None or created_version or document.current_version_id is None:
        document.current_version_id = version.id
    _fill_nulls(version, file_name=file_name, format=format, archive_key=archive_key, **_fetch_fields(fetch))
    _fill_nulls(document, source_id=source_id, **_classification_fields(classification))
    document.last_seen = max(document.last_seen, now)
    if url is not None:  # published again; a file ingested by hand says nothing about the site
        document.withdrawn_at = None
    session.flush()
    return VersionRecord(_id(document), _id(version), created_document, created_version)


def store_parse(session: Session, version_id: int, parsed: ParsedDocument, *, now: datetime | None = None,
                parser_version: str | None = None) -> None:
    """Store ``parsed`` as the parse of ``version_id``, replacing any earlier one.

    Status is ``warning`` when the parse has warnings (or an amount too
    large to store, see ``parse_rows``), else ``ok``.
    Idempotent: storing an identical parse again changes nothing. The
    document's kind, scope, year, department and unit take the values the
    parse found (for a non-current version, only where still empty); its
    title only where it has none (the site's title is the one people know).
    """
    version = _get(session, DocumentVersion, version_id)
    version.parser_version = parser_version or version.parser_version
    data = to_jsonable(parsed)
    if version.parse_status in ("ok", "warning") and version.parsed_json == data:
        return
    clear_parse_rows(session, version_id)
    dropped = insert_parse_rows(session, version_id, parsed)
    version.parse_status = "warning" if parsed.warnings or dropped else "ok"
    version.parse_error = None
    version.parsed_json = data
    version.parsed_at = now or utcnow()
    document = _get(session, Document, version.document_id)
    found = {
        "kind": parsed.kind.value if parsed.kind else None,
        "scope": parsed.scope.value if parsed.scope else None,
        "year": parsed.year,
        "department": parsed.department,
        "unit": parsed.unit,
        "title": parsed.title,
    }
    title = found.pop("title")
    if document.current_version_id == version_id:
        for name, value in found.items():
            if value is not None:
                setattr(document, name, value)
    else:
        _fill_nulls(document, **found)
    _fill_nulls(document, title=title)  # the title the site published it under stays the document's
    session.flush()


def store_parse_error(
    session: Session, version_id: int, code: str, message: str, *, now: datetime | None = None,
    parser_version: str | None = None,
) -> None:
    """Mark ``version_id`` as failed to parse (``parse_error`` = ``code: message``); no parse rows remain."""
    version = _get(session, DocumentVersion, version_id)
    version.parser_version = parser_version or version.parser_version
    clear_parse_rows(session, version_id)
    version.parse_status = "error"
    version.parse_error = f"{code}: {message}"
    version.parsed_json = None
    version.parsed_at = now or utcnow()
    session.flush()


def mark_withdrawn(session: Session, document_id: int, when: datetime) -> None:
    """Record that the document is no longer published (the first time counts)."""
    document = _get(session, Document, document_id)
    if document.withdrawn_at is None:
        document.withdrawn_at = when
        session.flush()


def pending_versions(session: Session, *, limit: int | None = None) -> list[DocumentVersion]:
    """Versions not parsed yet, oldest first."""
    query = select(DocumentVersion).where(DocumentVersion.parse_status == "pending").order_by(col(DocumentVersion.id))
    return list(session.exec(query.limit(limit)).all())


def load_parsed(session: Session, version_id: int) -> ParsedDocument | None:
    """The stored parse of ``version_id``, or ``None`` if it has none."""
    version = _get(session, DocumentVersion, version_id)
    return document_from_jsonable(version.parsed_json) if version.parsed_json else None


def current_versions(
    session: Session,
    *,
    department: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    include_withdrawn: bool = False,
) -> list[CurrentVersion]:
    """(document, its current version) pairs, filtered, ordered by document id."""
    query = select(Document, DocumentVersion).join(
        DocumentVersion, col(DocumentVersion.id) == col(Document.current_version_id)
    )
    for column, value in ((Document.department, department), (Document.year, year), (Document.kind, kind)):
        if value is not None:
            query = query.where(column == value)
    if not include_withdrawn:
        query = query.where(col(Document.withdrawn_at).is_(None))
    return [CurrentVersion(d, v) for d, v in session.exec(query.order_by(col(Document.id))).all()]


def find_version_by_sha(session: Session, sha256: str) -> DocumentVersion | None:
    """The earliest version with this sha256, in any document."""
    query = select(DocumentVersion).where(DocumentVersion.sha256 == sha256).order_by(col(DocumentVersion.id))
    return session.exec(query.limit(1)).first()


def versions_of(session: Session, document_id: int) -> list[DocumentVersion]:
    """All versions of a document, oldest first."""
    query = select(DocumentVersion).where(DocumentVersion.document_id == document_id)
    return list(session.exec(query.order_by(col(DocumentVersion.id))).all())


def line_items(session: Session, version_id: int, *, table_id: str | None = None) -> list[LineItemRow]:
    """A version's line items in table and item order, optionally of one canonical table."""
    query = select(LineItemRow).where(LineItemRow.version_id == version_id)
    if table_id is not None:
        query = query.where(LineItemRow.table_id == table_id)
    return list(session.exec(query.order_by(col(LineItemRow.parsed_table_id), col(LineItemRow.ordinal))).all())


def status_counts(session: Session) -> dict[str, int]:
    """How many documents, withdrawn documents, and versions in each parse status."""
    counts = {status: 0 for status in PARSE_STATUSES}
    query = select(DocumentVersion.parse_status, func.count()).group_by(DocumentVersion.parse_status)
    counts.update({status: n for status, n in session.exec(query).all()})
    counts["documents"] = session.exec(select(func.count()).select_from(Document)).one()
    withdrawn = select(func.count()).select_from(Document).where(col(Document.withdrawn_at).is_not(None))
    counts["withdrawn"] = session.exec(withdrawn).one()
    return counts


def _id(row: Document | DocumentVersion) -> int:
    assert row.id is not None, "row not flushed"
    return row.id


def _get(session: Session, model: Any, row_id: int) -> Any:
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(f"{model.__tablename__} {row_id} does not exist")
    return row


def _document_at(session: Session, url: str, now: datetime) -> tuple[Document, bool]:
    existing = session.exec(select(Document).where(Document.url == url)).first()
    if existing is not None:
        return existing, False
    try:
        return _insert_document(session, Document(url=url, first_seen=now, last_seen=now)), True
    except IntegrityError:  # another writer created it meanwhile
        return session.exec(select(Document).where(Document.url == url)).one(), False


def _insert_document(session: Session, document: Document) -> Document:
    with session.begin_nested():
        session.add(document)
    return document


def _version_of(session: Session, document_id: int, sha256: str) -> DocumentVersion | None:
    query = select(DocumentVersion).where(
        DocumentVersion.document_id == document_id, DocumentVersion.sha256 == sha256
    )
    return session.exec(query).first()


def _version_for(
    session: Session, document_id: int, sha256: str, size: int, now: datetime
) -> tuple[DocumentVersion, bool]:
    version = DocumentVersion(document_id=document_id, sha256=sha256, size=size, created_at=now)
    try:
        with session.begin_nested():
            session.add(version)
        return version, True
    except IntegrityError:  # another writer recorded the same file meanwhile
        existing = _version_of(session, document_id, sha256)
        assert existing is not None
        return existing, False


def _fill_nulls(row: Any, **values: Any) -> None:
    for name, value in values.items():
        if value is not None and getattr(row, name) is None:
            setattr(row, name, value)


def _fetch_fields(fetch: FetchMeta | None) -> dict[str, Any]:
    if fetch is None:
        return {}
    return {
        "final_url": fetch.final_url,
        "link_text": fetch.link_text,
        "publish_date": fetch.publish_date,
        "fetched_at": fetch.fetched_at,
        "http_etag": fetch.etag,
        "http_last_modified": fetch.last_modified,
    }


def _classification_fields(classification: Classification | None) -> dict[str, Any]:
    if classification is None:
        return {}
    return {
        "kind": classification.kind,
        "scope": classification.scope,
        "year": classification.year,
        "department": classification.department,
        "title": classification.title,
    }
