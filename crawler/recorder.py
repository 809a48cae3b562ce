"""Record what a crawl saw: archive originals, versions, URL state, events,
and the run's statistics. The only crawler module that writes storage.

Each item is stored in its own transaction, so a failure on one file never
loses the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from crawler.classify import Classification, classify
from crawler.errors import UnsafeArchiveError
from crawler.items import Event, FileFetched, Gone, PageFetched, Unchanged
from crawler.sniff import DOCUMENT_EXTENSIONS, sniff_format
from crawler.unpack import ZipLimits, unpack_zip
from storage.archive import ArchiveStore, archive_key
from storage.columns import utcnow
from storage.crawl_models import STAT_KEYS, CrawlEvent, CrawlRun, UrlState
from storage.db import session_scope
from storage.models import Document
from storage.repository import Classification as StoredClassification
from storage.repository import FetchMeta, VersionRecord, mark_withdrawn, record_version

__all__ = ["CrawlRecorder"]

PARSEABLE = ("pdf", "xls", "xlsx", "doc", "docx", "html")


def _stored(verdict: Classification, title: str | None) -> StoredClassification:
    return StoredClassification(
        kind=verdict.kind, scope=verdict.scope, year=verdict.year, department=verdict.department, title=title
    )


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class CrawlRecorder:
    """One source's crawl run, recorded item by item."""

    def __init__(
        self,
        engine: Engine,
        archive: ArchiveStore,
        source_id: str,
        *,
        zip_limits: ZipLimits = ZipLimits(),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.engine = engine
        self.archive = archive
        self.source_id = source_id
        self.zip_limits = zip_limits
        self.clock = clock
        self.stats: dict[str, int] = dict.fromkeys(STAT_KEYS, 0)
        self.failed_urls: set[str] = set()
        self.run_id: int | None = None

    # -- run ----------------------------------------------------------------

    def start(self) -> int:
        with session_scope(self.engine) as session:
            run = CrawlRun(source_id=self.source_id, started_at=self.clock(), status="running", stats=self.stats)
            session.add(run)
            session.flush()
            self.run_id = run.id
        assert self.run_id is not None
        return self.run_id

    def finish(self, *, absence_counts: bool, requests: int, bytes_received: int, failed: bool = False) -> dict[str, Any]:
        """Close the run; when ``absence_counts``, documents no longer
        linked are marked withdrawn. Returns the run summary."""
        if absence_counts:
            self._withdraw_absent()
        self.stats["requests"] = requests
        self.stats["bytes"] = bytes_received
        status = "failed" if failed else "finished"
        with session_scope(self.engine) as session:
            run = session.get(CrawlRun, self.run_id)
            assert run is not None
            run.finished_at = self.clock()
            run.status = status
            run.stats = dict(self.stats)
        return {"run_id": self.run_id, "source_id": self.source_id, "status": status, "stats": dict(self.stats)}

    # -- items --------------------------------------------------------------

    def event(self, item: Event) -> None:
        counter = {"error": "errors", "warning": "warnings", "skipped": "skipped"}.get(item.level)
        if counter:
            self.stats[counter] += 1
        if item.level == "error" and item.url:
            self.failed_urls.add(item.url)
        with session_scope(self.engine) as session:
            session.add(
                CrawlEvent(
                    run_id=self.run_id,
                    source_id=self.source_id,
                    url=item.url,
                    level=item.level,
                    code=item.code,
                    message=item.message,
                    title=item.title,
                    created_at=self.clock(),
                )
            )

    def page(self, item: PageFetched) -> None:
        self.stats["pages"] += 1
        fields: dict[str, Any] = {"page": item.page, "size": None, "sha256": None}
        if item.body is not None:  # detail pages are originals too
            ref = self.archive.put(item.body)
            fields.update(sha256=ref.sha256, size=ref.size)
        with session_scope(self.engine) as session:
            self._upsert(
                session,
                item.url,
                item.role,
                etag=item.etag,
                last_modified=item.last_modified,
                content_type=item.content_type,
                last_status=200,
                **fields,
            )

    def unchanged(self, item: Unchanged) -> None:
        self.stats["pages" if item.role in ("list", "detail") else "unchanged"] += 1
        with session_scope(self.engine) as session:
            state = self._state(session, item.url)
            if state is None:
                return
            state.last_seen_run = self.run_id
            state.last_status = 304
            page = state.page or {}
            for entry_url in page.get("entries", []):
                if entry := self._state(session, entry_url):
                    entry.last_seen_run = self.run_id
        if rejected := page.get("rejected"):
            self.event(Event("error", rejected["code"], item.url, rejected["message"], page.get("link_text")))

    def gone(self, item: Gone) -> None:
        self.event(Event("error", f"http_{item.status}", item.url, f"{item.role} 返回 HTTP {item.status}", item.title))
        with session_scope(self.engine) as session:
            state = self._state(session, item.url)
            if state is None:
                return
            state.last_status = item.status
            withdrawn = state.document_id is not None and self._withdraw(session, state.document_id)
        if withdrawn:
            self.event(Event("warning", "withdrawn", item.url, "已公开的文件被撤下（HTTP %d）" % item.status, item.title))

    def file(self, item: FileFetched) -> None:
        fmt = item.declared_format or sniff_format(item.body, item.file_name)
        if fmt is None:
            self._reject(item, "not_a_document", "文件内容不是 PDF/Excel/Word/压缩包（可能是错误页）")
            return
        sha256 = hashlib.sha256(item.body).hexdigest()
        state_fields: dict[str, Any] = {"sha256": sha256, "size": len(item.body)}
        notes: list[Event] = []  # recorded after the transaction (SQLite has one writer)
        with session_scope(self.engine) as session:
            if fmt == "zip":
                state_fields["page"] = {"entries": self._record_zip(session, item, notes), "parent": item.page_url}
            elif fmt == "rar":
                state_fields["page"] = {"parent": item.page_url}
            else:
                record = self._record(session, item, item.url, item.file_name, fmt, sha256, len(item.body), item.classification)
                state_fields["document_id"] = record.document_id
                if fmt != "html":  # a page that is the document keeps its page state
                    state_fields["page"] = {"parent": item.page_url}
            self._upsert(
                session,
                item.url,
                "detail" if fmt == "html" else "file",
                etag=item.etag,
                last_modified=item.last_modified,
                content_type=item.content_type,
                last_status=200,
                **state_fields,
            )
            self.archive.put(item.body)  # last before the commit: an original and its rows survive together (pipeline/ingest.py)
        if fmt == "rar":
            notes.append(Event("warning", "rar_not_unpacked", item.url, "RAR 压缩包已存档，但未解压", item.link_text))
        for note in notes:
            self.event(note)

    # -- helpers ------------------------------------------------------------

    def _record(
        self,
        session: Session,
        item: FileFetched,
        url: str,
        file_name: str | None,
        fmt: str,
        sha256: str,
        size: int,
        verdict: Classification,
    ) -> VersionRecord:
        fetch = FetchMeta(
            final_url=item.final_url,
            link_text=item.link_text,
            publish_date=_iso_date(item.published),
            fetched_at=self.clock(),
            etag=item.etag,
            last_modified=item.last_modified,
        )
        record = record_version(
            session,
            sha256=sha256,
            size=size,
            file_name=file_name,
            format=fmt,
            archive_key=archive_key(sha256),
            url=url,
            source_id=self.source_id,
            fetch=fetch,
            classification=_stored(verdict, item.link_text),
            now=self.clock(),
        )
        if record.created_document:
            self.stats["new_documents"] += 1
        elif record.created_version:
            self.stats["new_versions"] += 1
        else:
            self.stats["unchanged"] += 1
        return record

    def _record_zip(self, session: Session, item: FileFetched, notes: list[Event]) -> list[str]:
        try:
            entries = unpack_zip(item.body, self.zip_limits)
        except UnsafeArchiveError as exc:
            notes.append(Event("error", "unsafe_zip", item.url, f"压缩包不安全，未解压：{exc}", item.link_text))
            return []
        urls = []
        for entry in entries:
            url = f"{item.url}#{entry.name}"
            fmt = sniff_format(entry.data, entry.name)
            if fmt not in PARSEABLE or not entry.name.lower().endswith(DOCUMENT_EXTENSIONS):
                notes.append(Event("warning", "zip_entry_ignored", url, "压缩包内的文件不是可解析的公开文件", entry.name))
                continue
            verdict = classify(entry.name, parent=item.classification)
            if not verdict.ours:
                notes.append(Event("skipped", verdict.skip_reason or "not_ours", url, title=entry.name))
                continue
            ref = self.archive.put(entry.data)
            record = self._record(session, item, url, entry.name, fmt, ref.sha256, ref.size, verdict)
            self._upsert(
                session, url, "entry", sha256=ref.sha256, size=ref.size, document_id=record.document_id,
                last_status=200, page={"parent": item.url},
            )
            urls.append(url)
        return urls

    def _reject(self, item: FileFetched, code: str, message: str) -> None:
        self.event(Event("error", code, item.url, message, item.link_text))
        with session_scope(self.engine) as session:
            self._upsert(
                session,
                item.url,
                "file",
                etag=item.etag,
                last_modified=item.last_modified,
                content_type=item.content_type,
                last_status=200,
                sha256=hashlib.sha256(item.body).hexdigest(),
                size=len(item.body),
                page={"rejected": {"code": code, "message": message}, "link_text": item.link_text},
            )

    def _state(self, session: Session, url: str) -> UrlState | None:
        return session.exec(select(UrlState).where(UrlState.url == url)).first()

    def _upsert(self, session: Session, url: str, role: str, **fields: Any) -> None:
        state = self._state(session, url)
        if state is None:
            state = UrlState(url=url, source_id=self.source_id, role=role, updated_at=self.clock())
            session.add(state)
        elif role != "detail" or state.role != "detail":
            state.role = role
        for key, value in fields.items():
            setattr(state, key, value)
        state.last_seen_run = self.run_id
        state.updated_at = self.clock()
        session.flush()

    def _withdraw(self, session: Session, document_id: int) -> bool:
        document = session.get(Document, document_id)
        if document is None or document.withdrawn_at is not None:
            return False
        mark_withdrawn(session, document_id, self.clock())
        self.stats["withdrawn"] += 1
        return True

    def _ancestor_failed(self, session: Session, state: UrlState) -> bool:
        """Whether the page (or ZIP, or the page of the ZIP) a URL hangs from
        failed this run: then its absence proves nothing."""
        parent = (state.page or {}).get("parent")
        for _ in range(3):
            if not parent:
                return False
            if parent in self.failed_urls:
                return True
            above = self._state(session, parent)
            parent = (above.page or {}).get("parent") if above else None
        return False

    def _withdraw_absent(self) -> None:
        """Documents whose URL (and whose page) this run no longer reached."""
        gone: list[str] = []
        with session_scope(self.engine) as session:
            query = select(UrlState).where(
                UrlState.source_id == self.source_id, col(UrlState.document_id).is_not(None)
            )
            for state in session.exec(query).all():
                if state.last_seen_run == self.run_id or state.url in self.failed_urls:
                    continue
                if self._ancestor_failed(session, state):
                    continue
                assert state.document_id is not None
                if self._withdraw(session, state.document_id):
                    gone.append(state.url)
        for url in gone:
            self.event(Event("warning", "withdrawn", url, "已公开的文件不再出现在网站上"))
