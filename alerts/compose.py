"""Compose each channel's digest for a run and queue it in the outbox.

In one transaction, per channel: the routed findings are compared with the
channel's ledger (new, values moved, resolved), operator channels also get
the health conditions and parse-quality notes, the digest is rendered into
an outbox row and the ledger records it. Since the ledger is written with
the message, a finding already queued is never queued again, whether or
not the message has gone out yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from sqlmodel import Session, col, select

from alerts.config import SEVERITY_RANK, AlertConfig, Channel, Route
from alerts.digest import NO_DEPARTMENT, Digest, DigestItem, HealthNote
from alerts.health import HealthCondition
from alerts.render import render_payload
from pipeline.runs import RunSummary
from storage.alert_models import AlertLedgerEntry, AlertMessage
from storage.findings import FindingRow
from storage.models import Document, DocumentVersion
from web.urls import evidence_url, file_url, finding_url, run_url

__all__ = ["Candidate", "load_candidates", "compose_run", "queue_message", "PARSE_QUALITY"]

PARSE_QUALITY = "parse_quality"
HEALTH_PREFIX = "health:"
HEARTBEAT_PREFIX = "heartbeat:"


@dataclass(frozen=True)
class Candidate:
    """A stored finding with what routing and links need from its document."""

    row: FindingRow
    source_id: str | None
    region: str | None
    sha256: str | None
    title: str | None

    @property
    def snapshot(self) -> dict[str, str | None]:
        """The values whose movement makes a finding worth alerting again."""
        return {"expected": _text(self.row.expected), "actual": _text(self.row.actual)}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _int_ids(values: Iterable[str | None]) -> list[int]:
    return sorted({int(v) for v in values if v and v.isdigit()})


def load_candidates(session: Session, regions: Mapping[str, str]) -> list[Candidate]:
    """Open findings, plus resolved ones some channel still has open in its ledger."""
    open_keys = select(AlertLedgerEntry.key).where(AlertLedgerEntry.kind == "finding", AlertLedgerEntry.state == "open")
    rows = session.exec(select(FindingRow).where(
        col(FindingRow.resolved_at).is_(None) | col(FindingRow.fingerprint).in_(open_keys)
    )).all()
    documents = {d.id: d for d in session.exec(
        select(Document).where(col(Document.id).in_(_int_ids(r.document_id for r in rows))))}
    versions = {v.id: v for v in session.exec(
        select(DocumentVersion).where(col(DocumentVersion.id).in_(_int_ids(r.version_id for r in rows))))}
    result = []
    for row in rows:
        document = documents.get(int(row.document_id)) if row.document_id and row.document_id.isdigit() else None
        version = versions.get(int(row.version_id)) if row.version_id and row.version_id.isdigit() else None
        source = document.source_id if document else None
        result.append(Candidate(row, source, regions.get(source or ""), version.sha256 if version else None,
                                document.title if document else None))
    return result


def routed(route: Route, candidate: Candidate) -> bool:
    row = candidate.row
    return (
        SEVERITY_RANK.get(row.severity, 3) <= SEVERITY_RANK[route.min_severity]
        and (not route.categories or row.category in route.categories)
        and (not route.regions or candidate.region in route.regions)
        and (not route.sources or candidate.source_id in route.sources)
        and (not route.departments or row.department in route.departments)
    )


def _document_label(candidate: Candidate) -> str:
    row = candidate.row
    name = f"{row.year or ''}年{'单位' if row.scope == '单位' else '部门'}{row.kind or '文件'}"
    return f"{name}《{candidate.title}》" if candidate.title else name


def _item(candidate: Candidate, status: Literal["new", "changed", "resolved"], base_url: str,
          before: Mapping[str, str | None] | None = None) -> DigestItem:
    row = candidate.row
    before = before or {}
    return DigestItem(
        fingerprint=row.fingerprint, status=status, department=row.department or NO_DEPARTMENT,
        severity=row.severity, category=row.category, rule_id=row.rule_id, message=row.message,
        expected=row.expected, actual=row.actual, document=_document_label(candidate), page=row.page,
        finding_link=finding_url(base_url, row.id or 0), evidence_link=evidence_url(base_url, row.id or 0),
        file_link=file_url(base_url, candidate.sha256) if candidate.sha256 else None,
        before_expected=Decimal(before["expected"]) if before.get("expected") else None,
        before_actual=Decimal(before["actual"]) if before.get("actual") else None,
    )


class _Ledger:
    """One channel's ledger, changed in place and flushed with its message."""

    def __init__(self, session: Session, channel: str, now: datetime) -> None:
        self.channel, self.now = channel, now
        self.entries = {e.key: e for e in session.exec(select(AlertLedgerEntry).where(AlertLedgerEntry.channel == channel))}
        self.touched: list[AlertLedgerEntry] = []

    def open_entry(self, key: str) -> AlertLedgerEntry | None:
        entry = self.entries.get(key)
        return entry if entry is not None and entry.state == "open" else None

    def open_keys(self, kind: str) -> list[str]:
        return [k for k, e in self.entries.items() if e.kind == kind and e.state == "open"]

    def record(self, key: str, kind: str, state: str, snapshot: Mapping[str, object] | None = None) -> None:
        entry = self.entries.get(key)
        if entry is None:
            entry = AlertLedgerEntry(channel=self.channel, key=key, kind=kind, first_alerted_at=self.now,
                                     last_alerted_at=self.now)
            self.entries[key] = entry
        entry.state, entry.last_alerted_at = state, self.now
        if snapshot is not None:
            entry.snapshot = dict(snapshot)
        self.touched.append(entry)


def _finding_items(candidates: Sequence[Candidate], ledger: _Ledger, wanted: Callable[[Candidate], bool],
                   base_url: str) -> list[DigestItem]:
    """New, changed and resolved items of the wanted candidates; the ledger records each."""
    items = []
    for candidate in candidates:
        row, entry = candidate.row, ledger.open_entry(candidate.row.fingerprint)
        if row.resolved_at is not None:
            if entry is not None:
                items.append(_item(candidate, "resolved", base_url))
                ledger.record(row.fingerprint, "finding", "resolved")
            continue
        if not wanted(candidate):
            continue
        if entry is None:
            items.append(_item(candidate, "new", base_url))
        elif entry.snapshot != candidate.snapshot:
            items.append(_item(candidate, "changed", base_url, entry.snapshot))
        else:
            continue
        ledger.record(row.fingerprint, "finding", "open", candidate.snapshot)
    return items


def _health_notes(conditions: Sequence[HealthCondition], ledger: _Ledger) -> list[HealthNote]:
    notes, current = [], {HEALTH_PREFIX + c.key for c in conditions}
    for condition in conditions:
        key = HEALTH_PREFIX + condition.key
        if ledger.open_entry(key) is None:
            notes.append(HealthNote(condition.key, condition.title, condition.detail))
            ledger.record(key, "health", "open", {"title": condition.title, "recovered": condition.recovered})
    for key in ledger.open_keys("health"):
        if key not in current:
            entry = ledger.entries[key]
            notes.append(HealthNote(key.removeprefix(HEALTH_PREFIX),
                                    str(entry.snapshot.get("recovered") or entry.snapshot.get("title", key)),
                                    recovered=True))
            ledger.record(key, "health", "resolved")
    return notes


def queue_message(session: Session, channel: Channel, digest: Digest, kind: str, now: datetime) -> AlertMessage:
    """Render ``digest`` for ``channel`` into a pending outbox row."""
    message = AlertMessage(channel=channel.name, run_id=digest.run_id, kind=kind, subject=digest.subject(),
                           payload=render_payload(digest, channel.format), created_at=now)
    session.add(message)
    session.flush()
    return message


def compose_run(
    session: Session,
    config: AlertConfig,
    candidates: Sequence[Candidate],
    conditions: Sequence[HealthCondition],
    *,
    base_url: str,
    run_id: int | None,
    day: date,
    figures: RunSummary | None,
    now: datetime,
) -> list[AlertMessage]:
    """Queue this run's digest for every channel that has something to say."""
    departmental = [c for c in candidates if c.row.category != PARSE_QUALITY]
    parse_notes = [c for c in candidates if c.row.category == PARSE_QUALITY]
    link = run_url(base_url, run_id) if run_id is not None else base_url.rstrip("/") + "/findings"
    queued = []
    for channel in config.channels:
        ledger = _Ledger(session, channel.name, now)
        routes = config.routes_for(channel)
        items = _finding_items(departmental, ledger, lambda c: any(routed(r, c) for r in routes), base_url)
        operator = config.is_operator(channel)
        quality = [i for i in _finding_items(parse_notes, ledger, lambda _c: operator, base_url) if i.status != "resolved"]
        health = _health_notes(conditions, ledger) if operator else []
        digest = Digest(channel.name, day, run_id, figures, link, tuple(items), tuple(quality), tuple(health))
        kind, heard_today = "digest", HEARTBEAT_PREFIX + day.isoformat()
        if channel.heartbeat:
            # A heartbeat channel hears from us once a day at least: the digest or "今日无新问题".
            if digest.empty and ledger.open_entry(heard_today) is None:
                digest, kind = Digest(channel.name, day, run_id, figures, link, heartbeat=True), "heartbeat"
            if not digest.empty:
                ledger.record(heard_today, "heartbeat", "open")
        message = None if digest.empty else queue_message(session, channel, digest, kind, now)
        for entry in ledger.touched:
            entry.message_id = message.id if message else entry.message_id
            session.add(entry)
        if message is not None:
            queued.append(message)
    session.flush()
    return queued
