"""What the caller knows about a document beyond its content."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from parsers.model import DocumentKind, ParsedDocument, Scope

__all__ = ["CheckContext", "DocumentRecord", "DepartmentHistory"]


@dataclass(frozen=True)
class CheckContext:
    """``department``: the name the source registry gives (else the document's
    own); ``profile``: a province profile of the rule file (required tables
    differ by province); ``scope``: the stored document's scope (else the
    document's own, else 部门); ``companions``: the other files of the same
    publication (department, kind, year, scope) — some sites publish the
    tables and the 情况说明 as separate files, and completeness is judged on
    the publication, not on one file."""

    department: str | None = None
    document_id: str | None = None
    version_id: str | None = None
    profile: str | None = None
    scope: Scope | None = None
    companions: tuple[ParsedDocument, ...] = ()


@dataclass(frozen=True)
class DocumentRecord:
    """One published document of a department's history.

    ``document`` may be ``None`` when only the publication is known (presence
    and timeliness need no content); ``published`` is the date printed on the
    page or the first time the crawler saw it; ``scope`` 单位 marks a unit's
    own document (``None`` counts as 部门).
    """

    kind: DocumentKind
    year: int
    document: ParsedDocument | None = None
    published: date | None = None
    document_id: str | None = None
    version_id: str | None = None
    scope: Scope | None = None

    @property
    def own_scope(self) -> Scope:
        return self.scope or Scope.DEPARTMENT

    def where(self) -> dict[str, object]:
        """The identity fields of a finding about this record (for ``Run.emit``)."""
        return {
            "kind": str(self.kind),
            "year": self.year,
            "document_id": self.document_id,
            "version_id": self.version_id,
            "scope": str(self.own_scope),
        }


@dataclass(frozen=True)
class DepartmentHistory:
    """All known documents of one department (key from ``identity``).

    A body may publish a 部门 and a 单位 document of the same kind and year
    (Shanghai 06 / 07): records are compared within one scope only.
    """

    department: str
    records: tuple[DocumentRecord, ...] = field(default_factory=tuple)

    def get(self, kind: DocumentKind, year: int, scope: Scope = Scope.DEPARTMENT) -> DocumentRecord | None:
        return next((r for r in self.records if (r.kind, r.year, r.own_scope) == (kind, year, scope)), None)

    def years(self, kind: DocumentKind, scope: Scope = Scope.DEPARTMENT) -> list[int]:
        return sorted({r.year for r in self.records if r.kind == kind and r.own_scope == scope})

    def pairs(self, kind: DocumentKind) -> list[tuple[DocumentRecord, DocumentRecord]]:
        """(previous, current) records of consecutive years that both have
        content, within each scope."""
        found = []
        for scope in Scope:
            by_year = {r.year: r for r in self.records if (r.kind, r.own_scope) == (kind, scope) and r.document}
            found += [(by_year[y - 1], by_year[y]) for y in sorted(by_year) if y - 1 in by_year]
        return found
