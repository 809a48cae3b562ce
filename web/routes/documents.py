"""A document: metadata, versions and their changes, parsed tables, narrative, findings; its items and tables as data."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from sqlmodel import Session

from analysis import diff_revisions
from storage import load_parsed
from storage.errors import NotFoundError
from web.paging import Paging, paging
from web.queries.documents import (
    document_dict,
    get_document,
    items_of,
    sections_of,
    tables_of,
    version_dict,
    versions,
    warnings_of,
)
from web.queries.findings import FindingFilter, list_findings
from web.render import respond
from web.routes import get_session, page

router = APIRouter()
VERSION_CHANGES = 10  # compare at most the latest ten versions pairwise
DOCUMENT_FINDINGS = 200


def _document(session: Session, document_id: int):  # noqa: ANN202
    try:
        return get_document(session, document_id)
    except NotFoundError as exc:
        raise HTTPException(404, "未找到该文件") from exc


def _chosen(all_versions, doc, version_id: int | None):  # noqa: ANN001, ANN202
    wanted = version_id or doc.current_version_id
    chosen = next((v for v in all_versions if v.id == wanted), None)
    if chosen is None and version_id is not None:
        raise HTTPException(404, "该文件没有这个版本")
    return chosen or (all_versions[-1] if all_versions else None)


def _changes(session: Session, all_versions) -> list[dict]:  # noqa: ANN001
    """What changed from each version to the next (latest pairs only)."""
    parsed = [(v, load_parsed(session, v.id)) for v in all_versions[-VERSION_CHANGES:] if v.parse_status in ("ok", "warning")]
    found = []
    for (old, a), (new, b) in zip(parsed, parsed[1:]):
        if a is None or b is None:
            continue
        diff = diff_revisions(a, b)
        found.append({"before": old.id, "after": new.id, "lines": len(diff.lines), "tables_added": diff.tables_added,
                      "tables_removed": diff.tables_removed, "sections_changed": diff.sections_changed})
    return found


@page(router, "/documents/{document_id:int}")
def document(request: Request, document_id: int, version: int | None = Query(None),
             session: Session = Depends(get_session)):  # noqa: ANN201
    doc = _document(session, document_id)
    all_versions = versions(session, document_id)
    chosen = _chosen(all_versions, doc, version)
    findings, total = list_findings(session, FindingFilter(document_id=str(document_id), status=None),
                                    Paging(1, DOCUMENT_FINDINGS))
    data = {
        "document": document_dict(doc),
        "versions": [version_dict(v) for v in all_versions],
        "version": version_dict(chosen) if chosen else None,
        "changes": _changes(session, all_versions),
        "tables": [t.model_dump() for t in tables_of(session, chosen.id)] if chosen else [],
        "sections": [s.model_dump() for s in sections_of(session, chosen.id)] if chosen else [],
        "warnings": [w.model_dump() for w in warnings_of(session, chosen.id)] if chosen else [],
        "findings": findings,
        "findings_total": total,
    }
    return respond(request, "document.html", data, rows="tables")


@page(router, "/documents/{document_id:int}/items")
def items(request: Request, document_id: int, version: int | None = Query(None), table: int | None = Query(None),
          p: Paging = Depends(paging), session: Session = Depends(get_session)):  # noqa: ANN201
    doc = _document(session, document_id)
    chosen = _chosen(versions(session, document_id), doc, version)
    rows, total = items_of(session, chosen.id, p, table_ordinal=table) if chosen else ([], 0)
    data = {"document": document_dict(doc), "version": version_dict(chosen) if chosen else None, "table": table,
            "items": [r.model_dump() for r in rows], "paging": p.info(len(rows), total)}
    return respond(request, "items.html", data, rows="items")


@page(router, "/documents/{document_id:int}/tables/{ordinal:int}")
def table(request: Request, document_id: int, ordinal: int, version: int | None = Query(None),
          session: Session = Depends(get_session)):  # noqa: ANN201
    """One parsed table's grid as printed (CSV: header rows, then body rows with their page)."""
    doc = _document(session, document_id)
    chosen = _chosen(versions(session, document_id), doc, version)
    found = next((t for t in tables_of(session, chosen.id) if t.ordinal == ordinal), None) if chosen else None
    if found is None:
        raise HTTPException(404, "未找到该表")
    width = max((len(r) for r in [*found.header, *found.rows]), default=0)
    names = [f"c{i + 1}" for i in range(width)]
    grid = [{"part": "表头", "page": found.pages[0] if found.pages else None, **dict(zip(names, row))} for row in found.header]
    grid += [{"part": "表体", "page": page_no, **dict(zip(names, row))} for row, page_no in zip(found.rows, found.row_pages)]
    data = {"document": document_dict(doc), "table": found.model_dump(), "grid": grid}
    return respond(request, "table.html", data, rows="grid")
