"""Record what a crawl saw: archive originals, versions, URL state, events,
and the run's statistics. The only crawler module that writes storage.

Each item is stored in its own transaction, so a failure on one file never
loses the others. Every URL asked over the network gets ``checked_at``;
``changed_at`` moves when its content changes (on first sight: its publish
date), which drives ``crawler.schedule``.

Withdrawal needs positive evidence: the document's own URL answering
404/410, or its absence from list pages that were all read and healthy
(``finish``). A withdrawn document seen again is restored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from crawler.classify import Classification, classify
from crawler.errors import UnsafeArchiveError
from crawler.failures import ROLE_NAMES
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

__all__ = ["CrawlRecorder", "ListOutcome", "SHRINK_RATIO", "SHRINK_MIN_ENTRIES"]

PARSEABLE = ("pdf", "xls", "xlsx", "doc", "docx", "html")
# A source whose lists hold fewer than SHRINK_RATIO of the entries of its
# last healthy run (which had at least SHRINK_MIN_ENTRIES) shrank sharply.
SHRINK_RATIO = 0.5
SHRINK_MIN_ENTRIES = 4
_HEALTH_NAMES = {
    "list_empty": "列表页为空",
    "challenge_page": "列表页是验证码/登录页",
    "list_shrunk": "列表条目骤减",
    "layout_changed": "列表页结构改变",
    "redirect_loop": "列表页重定向循环",
    "too_many_redirects": "列表页重定向过多",
    "timeout": "列表页超时",
    "dns_failed": "域名无法解析",
    "tls_failed": "HTTPS 连接失败",
    "robots_forbidden": "robots.txt 禁止抓取列表页",
}


@dataclass(frozen=True)
class ListOutcome:
    """How the source's list pages went this run (from the spider)."""

    complete: bool  # every list page asked and reached, pagination read, cap not hit, nothing carried
    problems: tuple[str, ...]  # health event codes of list pages
    entries: int  # list entries read
    deferred: int = 0  # list pages followed from their stored state, not asked


def _stored(verdict: Classification, title: str | None) -> StoredClassification:
    return StoredClassification(
        kind=verdict.kind, scope=verdict.scope, year=verdict.year, department=verdict.department, title=title
    )


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _first_change(published: str | None, now: datetime) -> datetime:
    """When content first seen at ``now`` last changed: its publish date, if plausible."""
    day = _iso_date(published)
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC) if day else now
    return min(moment, now)


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
        self._pending_notes: list[Event] = []  # events found inside a transaction

    # -- run ----------------------------------------------------------------

    def start(self) -> int:
        with session_scope(self.engine) as session:
            run = CrawlRun(source_id=self.source_id, started_at=self.clock(), status="running", stats=self.stats)
            session.add(run)
            session.flush()
            self.run_id = run.id
        assert self.run_id is not None
        return self.run_id

    def finish(self, lists: ListOutcome, *, requests: int, bytes_received: int, failed: bool = False) -> dict[str, Any]:
        """Close the run: judge the source's health, withdraw documents no
        longer linked only when every list was read and healthy. Returns
        the run summary."""
        problems = list(lists.problems)
        self.stats["entries"] = lists.entries
        if not problems and (shrunk := self._shrinkage(lists.entries)):
            problems.append("list_shrunk")
            self.event(Event("error", "list_shrunk", None, shrunk))
        health = "ok" if not problems else ("layout_changed" if set(problems) == {"layout_changed"} else "failing")
        swept = not failed and lists.complete and health == "ok"
        if swept:
            self._withdraw_absent()
        self.stats["lists_deferred"] = lists.deferred
        self.stats["lists_swept"] = int(swept)  # the schedule's next sweep counts from here
        self.stats["requests"] = requests
        self.stats["bytes"] = bytes_received
        status = "failed" if failed else "finished"
        message = "、".join(dict.fromkeys(_HEALTH_NAMES.get(p, p) for p in problems)) or None
        with session_scope(self.engine) as session:
            run = session.get(CrawlRun, self.run_id)
            assert run is not None
            run.finished_at = self.clock()
            run.status = status
            run.stats = dict(self.stats)
            run.health = health
            run.health_message = message
        return {
            "run_id": self.run_id,
            "source_id": self.source_id,
            "status": status,
            "health": health,
            "health_message": message,
            "stats": dict(self.stats),
        }

    def _shrinkage(self, entries: int) -> str | None:
        """A message when the lists hold far fewer entries than at the last healthy run."""
        with session_scope(self.engine) as session:
            last = session.exec(
                select(CrawlRun)
                .where(CrawlRun.source_id == self.source_id, CrawlRun.health == "ok", CrawlRun.id != self.run_id)
                .order_by(col(CrawlRun.id).desc())
            ).first()
            before = int((last.stats or {}).get("entries", 0)) if last else 0
        if before >= SHRINK_MIN_ENTRIES and entries < before * SHRINK_RATIO:
            return f"列表条目骤减：上次正常时 {before} 条，本次 {entries} 条（不据此判定撤下）"
        return None

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
            if item.role == "detail":
                fields.update(self._revalidated(session, item.url, item.page.get("links"), item.page.get("date")))
                fields["list_entry"] = item.list_entry
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
        if item.deferred:
            self.stats["deferred"] += 1
        else:
            self.stats["pages" if item.role in ("list", "detail") else "unchanged"] += 1
        restored: list[str] = []
        with session_scope(self.engine) as session:
            state = self._state(session, item.url)
            if state is None:
                return
            state.last_seen_run = self.run_id
            if not item.deferred:
                state.last_status = 304
                state.checked_at = self.clock()
            if item.list_entry is not None:
                state.list_entry = item.list_entry
            page = state.page or {}
            for entry in [state, *filter(None, (self._state(session, u) for u in page.get("entries", [])))]:
                entry.last_seen_run = self.run_id
                if entry.document_id is not None and self._restore(session, entry.document_id):
                    restored.append(entry.url)
        for url in restored:
            self.event(Event("info", "restored", url, "此前判定撤下的文件重新出现在网站上", None))
        if rejected := page.get("rejected"):
            self.event(Event("error", rejected["code"], item.url, rejected["message"], page.get("link_text")))

    def gone(self, item: Gone) -> None:
        what = ROLE_NAMES.get(item.role, item.role)
        self.event(Event("error", f"http_{item.status}", item.url, f"{what}返回 HTTP {item.status}", item.title))
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
        state_fields: dict[str, Any] = {"sha256": sha256, "size": len(item.body), "list_entry": item.list_entry}
        notes: list[Event] = []  # recorded after the transaction (SQLite has one writer)
        with session_scope(self.engine) as session:
            state_fields.update(self._revalidated(session, item.url, sha256, item.published))
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
        if item.classification.conflicts:
            message = "线索不一致：" + "；".join(item.classification.conflicts)
            notes.append(Event("info", "classification_conflict", item.url, message, item.link_text))
        notes.extend(self._pending_notes)
        self._pending_notes.clear()
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
        existing = session.exec(select(Document).where(Document.url == url)).first()
        was_withdrawn = existing is not None and existing.withdrawn_at is not None
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
        if was_withdrawn:
            self.stats["restored"] += 1
            self._pending_notes.append(Event("info", "restored", url, "此前判定撤下的文件重新出现在网站上", item.link_text))
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
            verdict = classify(entry.name, parent=item.classification, region=item.region)
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

    def _revalidated(self, session: Session, url: str, content: Any, published: str | None) -> dict[str, Any]:
        """``checked_at`` now; ``changed_at`` now when ``content`` (a sha256,
        or what a detail page links) differs from what was stored."""
        now = self.clock()
        state = self._state(session, url)
        if state is None or state.changed_at is None:
            return {"checked_at": now, "changed_at": _first_change(published, now)}
        before = state.sha256 if isinstance(content, str) else (state.page or {}).get("links")
        return {"checked_at": now, "changed_at": state.changed_at if before == content else now}

    def _restore(self, session: Session, document_id: int) -> bool:
        document = session.get(Document, document_id)
        if document is None or document.withdrawn_at is None:
            return False
        document.withdrawn_at = None
        self.stats["restored"] += 1
        return True

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
                    state.list_entry = None  # asked again at once should it reappear
                    gone.append(state.url)
        for url in gone:
            self.event(Event("warning", "withdrawn", url, "已公开的文件不再出现在网站上"))
