"""Departments and regions: every printed department name mapped to its identity key.

Documents store the name as printed; findings store the identity key
(``analysis.identity``). The index maps both ways once, for all pages, and
is rebuilt when it is older than ``INDEX_TTL_S`` (the database changes
nightly, not per request).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from analysis.identity import DepartmentIdentity, normalise_name, split_region
from storage.findings import FindingRow
from storage.models import Document

__all__ = ["DepartmentEntry", "DepartmentIndex", "IndexCache", "NO_REGION", "INDEX_TTL_S"]

INDEX_TTL_S = 60.0
NO_REGION = "未注明地区"


@dataclass
class DepartmentEntry:
    key: str
    region: str
    names: list[str] = field(default_factory=list)
    documents: int = 0


class DepartmentIndex:
    """Identity key → entry, with regions and a name search."""

    def __init__(self, identity: DepartmentIdentity, entries: dict[str, DepartmentEntry]) -> None:
        self.identity = identity
        self.entries = entries
        self.by_region: dict[str, list[DepartmentEntry]] = defaultdict(list)
        for entry in sorted(entries.values(), key=lambda e: e.key):
            self.by_region[entry.region].append(entry)
        # Every spelling folded once, so a search is a substring test per department.
        self._searchable = [("\x1f".join([e.key, *map(normalise_name, e.names)]), e) for e in entries.values()]

    @classmethod
    def build(cls, session: Session, identity: DepartmentIdentity) -> DepartmentIndex:
        entries: dict[str, DepartmentEntry] = {}

        def entry(key: str) -> DepartmentEntry:
            if key not in entries:
                entries[key] = DepartmentEntry(key, split_region(key)[0] or NO_REGION)
            return entries[key]

        counts = session.exec(select(Document.department, func.count()).group_by(Document.department)).all()
        for name, count in counts:
            key = identity.key(name) if name else None
            if key:
                found = entry(key)
                found.names.append(name)
                found.documents += count
        for key in session.exec(select(FindingRow.department).distinct()).all():
            if key:
                entry(key)
        return cls(identity, entries)

    def get(self, name: str) -> DepartmentEntry | None:
        key = self.identity.key(name)
        return self.entries.get(key) if key else None

    def regions(self) -> list[tuple[str, int]]:
        return sorted(((region, len(found)) for region, found in self.by_region.items()),
                      key=lambda r: (r[0] == NO_REGION, r[0]))

    def search(self, query: str, limit: int) -> list[DepartmentEntry]:
        needle = normalise_name(query)
        if not needle:
            return []
        found = [e for text, e in self._searchable if needle in text]
        return sorted(found, key=lambda e: (len(e.key), e.key))[:limit]


class IndexCache:
    """The department index, refreshed when older than ``ttl`` seconds.

    The first request builds it; later refreshes run in a background thread
    while requests keep the previous index (a rebuild on 100,000 documents
    takes about a second; no page should wait for it).
    """

    def __init__(self, identity: DepartmentIdentity, engine: Engine, ttl: float = INDEX_TTL_S) -> None:
        self.identity, self.engine, self.ttl = identity, engine, ttl
        self._lock = threading.Lock()
        self._index: DepartmentIndex | None = None
        self._built = 0.0
        self._refreshing = False

    def get(self, session: Session) -> DepartmentIndex:
        with self._lock:
            if self._index is None:
                self._index, self._built = DepartmentIndex.build(session, self.identity), time.monotonic()
            elif time.monotonic() - self._built > self.ttl and not self._refreshing:
                self._refreshing = True
                threading.Thread(target=self._refresh, daemon=True).start()
            return self._index

    def _refresh(self) -> None:
        try:
            with Session(self.engine) as session:
                index = DepartmentIndex.build(session, self.identity)
            with self._lock:
                self._index, self._built = index, time.monotonic()
        finally:
            self._refreshing = False
