"""Archived originals, served by sha256 only: the file, a page as PNG, a copy annotated with its findings.

Nothing from the request becomes a path: the sha256 must be well formed and
belong to a stored version, and the archive derives the key from it.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import Session, col, select

from storage.errors import ArchiveError
from storage.findings import FindingRow
from storage.models import DocumentVersion
from web.pdfpages import Note, PageError
from web.queries.documents import version_by_sha
from web.queries.evidence import finding_figures, locate_figures
from web.routes import Ctx, get_session

router = APIRouter()
SHA256 = re.compile(r"[0-9a-f]{64}")
ANNOTATED_FINDINGS = 500
MEDIA = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "xls": "application/vnd.ms-excel", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "doc": "application/msword"}
CACHE = {"Cache-Control": "public, max-age=31536000, immutable"}  # content never changes under its hash


def _known(session: Session, sha256: str) -> DocumentVersion:
    if not SHA256.fullmatch(sha256):
        raise HTTPException(404, "未找到该文件")
    version = version_by_sha(session, sha256)
    if version is None:
        raise HTTPException(404, "未找到该文件")
    return version


def _bytes(request: Request, sha256: str) -> bytes:
    try:
        return Ctx(request).archive.get(sha256)
    except ArchiveError as exc:
        raise HTTPException(404, "存档中缺少该文件") from exc


def _download_name(version: DocumentVersion, suffix: str = "") -> str:
    ext = (version.format or "bin").lower()
    return f"{version.sha256[:12]}{suffix}.{ext}"


@router.get("/files/{sha256}")
def original(request: Request, sha256: str, session: Session = Depends(get_session)) -> Response:
    version = _known(session, sha256)
    data = _bytes(request, sha256)
    media = MEDIA.get((version.format or "").lower(), "application/octet-stream")
    return Response(data, media_type=media, headers={
        **CACHE, "Content-Disposition": f'inline; filename="{_download_name(version)}"',
        "X-Content-Type-Options": "nosniff"})


@router.get("/files/{sha256}/pages/{page_no:int}.png")
def page_image(request: Request, sha256: str, page_no: int, session: Session = Depends(get_session)) -> Response:
    _known(session, sha256)
    try:
        png, _, _ = Ctx(request).pages.render(sha256, page_no)
    except (PageError, ArchiveError) as exc:
        raise HTTPException(404, "无法显示该页") from exc
    return Response(png, media_type="image/png", headers=CACHE)


@router.get("/files/{sha256}/annotated.pdf")
def annotated(request: Request, sha256: str, session: Session = Depends(get_session)) -> Response:
    """The original PDF with every finding of its versions highlighted on its page."""
    version = _known(session, sha256)
    if (version.format or "").lower() != "pdf":
        raise HTTPException(404, "只有 PDF 原文可以加注")
    ctx = Ctx(request)
    ids = [str(v) for v in session.exec(select(DocumentVersion.id).where(DocumentVersion.sha256 == sha256)).all()]
    rows = session.exec(select(FindingRow).where(col(FindingRow.version_id).in_(ids), col(FindingRow.resolved_at).is_(None))
                        .order_by(FindingRow.id).limit(ANNOTATED_FINDINGS)).all()
    notes = []
    for row in rows:
        found_version, figures = finding_figures(session, row)
        located = locate_figures(ctx.pages, session, found_version, figures) if found_version else []
        title = f"{row.rule_id}（{row.severity}）"
        # One note per page the finding's figures are printed on (a cross-table finding spans two).
        for page_no in dict.fromkeys([loc.figure.page for loc in located] or [row.page]):
            if page_no:
                boxes = tuple(loc.box for loc in located if loc.figure.page == page_no and loc.box is not None)
                notes.append(Note(page_no, boxes, title, row.message))
    try:
        data = ctx.pages.annotated(sha256, notes)
    except ArchiveError as exc:
        raise HTTPException(404, "存档中缺少该文件") from exc
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{_download_name(version, "-annotated")}"'})
