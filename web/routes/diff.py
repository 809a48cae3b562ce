"""The diff of any two versions (of one document, or two documents of a department)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from sqlmodel import Session

from analysis import diff_documents, diff_revisions
from storage import load_parsed
from storage.models import Document, DocumentVersion
from web.render import respond
from web.routes import get_session, page

router = APIRouter()
MAX_LINES = 2000  # a diff larger than this is cut (the JSON says so)


def _side(session: Session, version_id: int):  # noqa: ANN202
    version = session.get(DocumentVersion, version_id)
    parsed = load_parsed(session, version_id) if version else None
    if version is None or parsed is None:
        raise HTTPException(404, f"版本 {version_id} 不存在或未解析")
    return version, session.get(Document, version.document_id), parsed


@page(router, "/diff")
def diff(request: Request, a: int = Query(..., ge=1), b: int = Query(..., ge=1),
         session: Session = Depends(get_session)):  # noqa: ANN201
    va, da, pa = _side(session, a)
    vb, db, pb = _side(session, b)
    result = diff_revisions(pa, pb) if va.document_id == vb.document_id else diff_documents(pa, pb)
    lines = [{"table": c.table, "row_key": c.row_key, "name": c.name, "column_key": c.column_key, "status": c.status,
              "before": c.before, "after": c.after, "change": c.change, "change_pct": c.change_pct, "page": c.page}
             for c in result.lines[:MAX_LINES]]
    three = [{"component": r.component, "name": r.name, "before": r.before, "after": r.after, "change": r.change,
              "change_pct": r.change_pct} for r in result.three_public]
    data = {"a": {"version": va.id, "document": da}, "b": {"version": vb.id, "document": db},
            "before": result.before, "after": result.after, "tables_added": result.tables_added,
            "tables_removed": result.tables_removed, "sections_changed": result.sections_changed,
            "lines": lines, "lines_total": len(result.lines), "truncated": len(result.lines) > MAX_LINES,
            "three_public": three}
    return respond(request, "diff.html", data, rows="lines")
