"""The repository API on both backends: identity, parse storage, queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from storage.errors import NotFoundError
from storage.models import (
    PARSE_ROW_MODELS,
    Document,
    DocumentVersion,
    LineItemRow,
    NarrativeFigureRow,
    ParsedTableRow,
    ParseWarningRow,
)
from storage.repository import (
    Classification,
    FetchMeta,
    current_versions,
    find_version_by_sha,
    line_items,
    load_parsed,
    mark_withdrawn,
    pending_versions,
    record_version,
    store_parse,
    store_parse_error,
    versions_of,
)
from tests.storage.samples import SHA_A, SHA_B, make_parsed

URL = "http://127.0.0.1/czj/2023/jsgk.pdf"
T0 = datetime(2024, 9, 1, 8, 0, tzinfo=UTC)


def _count(session: Session, model: type) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def _record(session: Session, sha: str = SHA_A, **kwargs):
    kwargs.setdefault("url", URL)
    kwargs.setdefault("now", T0)
    return record_version(session, sha256=sha, size=100, file_name="jsgk.pdf", format="pdf", **kwargs)


def test_same_file_twice_is_one_version(session: Session) -> None:
    first = _record(session)
    again = _record(session, now=T0 + timedelta(days=1))
    session.commit()
    assert (first.created_document, first.created_version) == (True, True)
    assert (again.created_document, again.created_version) == (False, False)
    assert again.version_id == first.version_id
    assert _count(session, DocumentVersion) == 1
    document = session.get(Document, first.document_id)
    assert document.first_seen == T0 and document.last_seen == T0 + timedelta(days=1)


def test_new_file_at_same_url_becomes_current_and_keeps_old(session: Session) -> None:
    old = _record(session, SHA_A)
    new = _record(session, SHA_B, now=T0 + timedelta(days=30))
    session.commit()
    assert new.document_id == old.document_id
    assert (new.created_document, new.created_version) == (False, True)
    assert [v.sha256 for v in versions_of(session, old.document_id)] == [SHA_A, SHA_B]
    assert session.get(Document, old.document_id).current_version_id == new.version_id
    # the old file reappearing at the URL makes it current again, with no new row
    back = _record(session, SHA_A, now=T0 + timedelta(days=31))
    assert back.version_id == old.version_id and not back.created_version
    assert session.get(Document, old.document_id).current_version_id == old.version_id
    assert _count(session, DocumentVersion) == 2


def test_without_url_identity_is_the_sha(session: Session) -> None:
    at_url = _record(session, SHA_A)
    same_file = _record(session, SHA_A, url=None)
    other = _record(session, SHA_B, url=None)
    session.commit()
    assert same_file.version_id == at_url.version_id and not same_file.created_version
    assert other.created_document and other.created_version and other.document_id != at_url.document_id
    assert session.get(Document, other.document_id).url is None
    assert find_version_by_sha(session, SHA_B).id == other.version_id
    assert find_version_by_sha(session, "c" * 64) is None


def test_fetch_and_classification_fill_empty_fields_only(session: Session) -> None:
    fetch = FetchMeta(
        final_url=URL + "?x=1", link_text="2023年度部门决算", publish_date=date(2024, 8, 30),
        fetched_at=T0, etag='"abc"', last_modified="Fri, 30 Aug 2024 02:00:00 GMT",
    )
    rec = _record(session, source_id="czj", fetch=fetch, classification=Classification(kind="决算", year=2023))
    _record(session, source_id="other", classification=Classification(kind="预算", department="某某市财政局"))
    session.commit()
    version = session.get(DocumentVersion, rec.version_id)
    assert (version.final_url, version.link_text, version.publish_date) == (URL + "?x=1", "2023年度部门决算", date(2024, 8, 30))
    assert (version.http_etag, version.fetched_at, version.archive_key) == ('"abc"', T0, None)
    document = session.get(Document, rec.document_id)
    assert (document.source_id, document.kind, document.year, document.department) == ("czj", "决算", 2023, "某某市财政局")


def test_store_parse_round_trip_keeps_decimals_and_provenance(session: Session) -> None:
    rec = _record(session)
    parsed = make_parsed()
    store_parse(session, rec.version_id, parsed)
    session.commit()
    session.expunge_all()
    items = line_items(session, rec.version_id)
    assert [(i.code, i.amount) for i in items] == [("201", Decimal("599.47")), ("20103", Decimal("12345678.90"))]
    assert all(isinstance(i.amount, Decimal) for i in items)
    assert (items[1].table_id, items[1].page, items[1].row, items[1].column, items[1].raw) == (
        "final_expenditure", 3, 1, 3, "12,345,678.90",
    )
    assert load_parsed(session, rec.version_id) == parsed
    tables = session.exec(select(ParsedTableRow).order_by(ParsedTableRow.ordinal)).scalars().all()
    assert [t.table_id for t in tables] == ["final_expenditure", "final_gov_fund"]
    assert tables[0].rows == parsed.tables[0].rows and tables[0].header == parsed.tables[0].header
    assert tables[1].empty and tables[1].empty_note.startswith("本部门无政府性基金")
    figure = session.exec(select(NarrativeFigureRow)).scalars().one()
    assert figure.value == Decimal("-12.5") and figure.label == "公务接待费"
    version = session.get(DocumentVersion, rec.version_id)
    assert version.parse_status == "warning" and version.parsed_at is not None
    document = session.get(Document, rec.document_id)
    assert (document.kind, document.scope, document.year, document.department) == ("决算", "部门", 2023, "某某市财政局")


def test_large_amount_is_exact(session: Session) -> None:
    rec = _record(session)
    store_parse(session, rec.version_id, make_parsed(amount=Decimal("9876543210123.4567")))
    session.commit()
    session.expunge_all()
    assert line_items(session, rec.version_id, table_id="final_expenditure")[0].amount == Decimal("9876543210123.4567")


def _snapshot(session: Session) -> dict[str, list[tuple]]:
    snap = {}
    for model in PARSE_ROW_MODELS:
        rows = session.exec(select(model).order_by(model.id)).scalars().all()
        snap[model.__tablename__] = [tuple(sorted(r.model_dump().items())) for r in rows]
    return snap


def test_storing_the_same_parse_twice_changes_nothing(session: Session) -> None:
    rec = _record(session)
    store_parse(session, rec.version_id, make_parsed())
    session.commit()
    before = _snapshot(session)
    store_parse(session, rec.version_id, make_parsed())
    session.commit()
    session.expunge_all()
    assert _snapshot(session) == before
    assert _count(session, LineItemRow) == 2


def test_a_new_parse_replaces_the_old_rows(session: Session) -> None:
    rec = _record(session)
    store_parse(session, rec.version_id, make_parsed())
    store_parse(session, rec.version_id, make_parsed(amount=Decimal("600.00"), warnings=False))
    session.commit()
    assert [i.amount for i in line_items(session, rec.version_id)] == [Decimal("600.00"), Decimal("12345678.90")]
    assert _count(session, ParseWarningRow) == 0 and _count(session, ParsedTableRow) == 2
    assert session.get(DocumentVersion, rec.version_id).parse_status == "ok"


def test_store_parse_error_leaves_no_rows(session: Session) -> None:
    rec = _record(session)
    store_parse(session, rec.version_id, make_parsed())
    store_parse_error(session, rec.version_id, "encrypted_pdf", "文件已加密，无法读取")
    session.commit()
    assert all(_count(session, model) == 0 for model in PARSE_ROW_MODELS)
    version = session.get(DocumentVersion, rec.version_id)
    assert version.parse_status == "error" and version.parse_error == "encrypted_pdf: 文件已加密，无法读取"
    assert load_parsed(session, rec.version_id) is None
    assert pending_versions(session) == []


def test_pending_and_current_versions(session: Session) -> None:
    a = _record(session, SHA_A, classification=Classification(department="甲局", year=2023, kind="决算"))
    b = _record(session, SHA_B, url=URL + "2", classification=Classification(department="乙局", year=2023, kind="预算"))
    assert [v.id for v in pending_versions(session)] == [a.version_id, b.version_id]
    store_parse(session, a.version_id, make_parsed(warnings=False))
    assert [v.id for v in pending_versions(session)] == [b.version_id]
    # the parse of a's current version names its department: the document takes it
    assert [c.version.id for c in current_versions(session, department="某某市财政局")] == [a.version_id]
    assert [c.document.id for c in current_versions(session, kind="预算", year=2023)] == [b.document_id]
    mark_withdrawn(session, b.document_id, T0 + timedelta(days=2))
    session.commit()
    assert [c.document.id for c in current_versions(session)] == [a.document_id]
    assert len(current_versions(session, include_withdrawn=True)) == 2
    # the same file ingested by hand says nothing about the site; seen at its URL again, it is back
    _record(session, SHA_B, url=None, now=T0 + timedelta(days=3))
    assert session.get(Document, b.document_id).withdrawn_at == T0 + timedelta(days=2)
    _record(session, SHA_B, url=URL + "2", now=T0 + timedelta(days=3))
    assert session.get(Document, b.document_id).withdrawn_at is None


def test_unknown_version_raises_not_found(session: Session) -> None:
    with pytest.raises(NotFoundError):
        store_parse(session, 999, make_parsed())
    with pytest.raises(NotFoundError):
        mark_withdrawn(session, 999, T0)


def test_naive_datetime_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="naive"):
        _record(session, now=datetime(2024, 1, 1))


def test_amount_too_large_becomes_a_warning_not_a_failure(session: Session) -> None:
    rec = _record(session)
    huge = Decimal("12345678901234567890")  # a misread number: 20 integer digits
    parsed = make_parsed(amount=huge, warnings=False)
    store_parse(session, rec.version_id, parsed)
    session.commit()
    session.expunge_all()
    assert [i.code for i in line_items(session, rec.version_id)] == ["20103"]
    warning = session.exec(select(ParseWarningRow)).scalars().one()
    assert (warning.code, warning.page, warning.table_index, warning.row, warning.column) == (
        "amount_out_of_range", 3, 0, 0, 2,
    )
    assert session.get(DocumentVersion, rec.version_id).parse_status == "warning"
    assert load_parsed(session, rec.version_id).tables[0].items[0].amount == huge
