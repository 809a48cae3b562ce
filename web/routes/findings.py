"""Findings: the filtered list, one finding, and the evidence on the original page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from sqlmodel import Session

from analysis import RULES
from storage.findings import FindingRow
from storage.models import Document, DocumentVersion, LineItemRow
from web.labels import LABELS
from web.paging import Paging, paging
from web.pdfpages import PageError
from web.queries.evidence import Figure, finding_figures, item_figure, locate_figures
from web.queries.findings import SEVERITIES, STATUSES, FindingFilter, list_findings
from web.render import respond
from web.routes import Ctx, get_session, page

router = APIRouter()


def rule_titles() -> dict[str, str]:
    return {rule_id: rule.title for rule_id, rule in RULES.items()}


@page(router, "/findings")
def findings(
    request: Request,
    severity: str | None = Query(None, max_length=16),
    category: str | None = Query(None, max_length=32),
    region: str | None = Query(None, max_length=64),
    year: int | None = Query(None, ge=1900, le=2200),
    department: str | None = Query(None, max_length=200),
    rule: str | None = Query(None, max_length=64),
    status: str = Query("open", max_length=16),
    p: Paging = Depends(paging),
    session: Session = Depends(get_session),
):  # noqa: ANN201
    ctx = Ctx(request)
    in_region = None
    if region:
        in_region = tuple(e.key for e in ctx.index_cache.get(session).by_region.get(region, []))
    filt = FindingFilter(severity or None, category or None, region or None, year, department or None, rule or None,
                         status if status in STATUSES else None, region_departments=in_region)
    rows, total = list_findings(session, filt, p, ctx.counts)
    data = {"filter": filt.query_args(), "findings": rows, "paging": p.info(len(rows), total),
            "severities": SEVERITIES, "statuses": STATUSES, "rules": rule_titles(),
            "categories": LABELS["category"]}
    return respond(request, "findings.html", data, rows="findings")


def _finding(session: Session, finding_id: int) -> FindingRow:
    row = session.get(FindingRow, finding_id)
    if row is None:
        raise HTTPException(404, "未找到该问题")
    return row


def _document_of(session: Session, version: DocumentVersion | None) -> Document | None:
    return session.get(Document, version.document_id) if version else None


@page(router, "/findings/{finding_id:int}")
def finding(request: Request, finding_id: int, session: Session = Depends(get_session)):  # noqa: ANN201
    row = _finding(session, finding_id)
    version, figures = finding_figures(session, row)
    data = {"finding": row, "rule_title": rule_titles().get(row.rule_id, row.rule_id), "version": version.id if version else None,
            "sha256": version.sha256 if version else None, "document": _document_of(session, version),
            "figures": figures}
    return respond(request, "finding.html", data, rows="figures")


def _evidence(request: Request, session: Session, version: DocumentVersion | None, figures: list[Figure],
              page_no: int | None, extra: dict) -> object:
    """The page ``page_no`` (default: the first figure's) with its figures outlined; every figure is listed,
    numbered as on the page, those of other pages linking to theirs."""
    ctx = Ctx(request)
    if version is None:
        raise HTTPException(404, "该问题没有可查看的原文页面")
    pages = sorted({f.page for f in figures if f.page})
    page_no = page_no or (figures[0].page if figures else None)
    located = locate_figures(ctx.pages, session, version, [f for f in figures if f.page == page_no])
    boxes = {id(loc.figure): loc.box for loc in located}
    try:
        _, width, height = ctx.pages.render(version.sha256, page_no or 1) if page_no else (None, 0, 0)
    except PageError as exc:
        raise HTTPException(404, "原文无法显示为图片（非 PDF 文件或页码不存在）") from exc
    cells = [{"n": n, "figure": f, "page": f.page, "box": boxes.get(id(f)), "here": f.page == page_no}
             for n, f in enumerate(figures, 1)]
    data = {**extra, "version": version.id, "sha256": version.sha256, "document": _document_of(session, version),
            "page": page_no, "pages": pages, "page_width": width, "page_height": height, "cells": cells}
    return respond(request, "evidence.html", data, rows="cells")


@page(router, "/findings/{finding_id:int}/evidence")
def finding_evidence(request: Request, finding_id: int, page_no: int | None = Query(None, alias="page", ge=1, le=100_000),
                     session: Session = Depends(get_session)):  # noqa: ANN201
    row = _finding(session, finding_id)
    version, figures = finding_figures(session, row)
    extra = {"finding": row, "rule_title": rule_titles().get(row.rule_id, row.rule_id), "item": None}
    return _evidence(request, session, version, figures, page_no or row.page, extra)


@page(router, "/items/{item_id:int}/evidence")
def item_evidence(request: Request, item_id: int, session: Session = Depends(get_session)):  # noqa: ANN201
    item = session.get(LineItemRow, item_id)
    if item is None:
        raise HTTPException(404, "未找到该数字")
    version = session.get(DocumentVersion, item.version_id)
    return _evidence(request, session, version, [item_figure(item)], item.page, {"finding": None, "item": item})


