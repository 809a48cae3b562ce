"""Findings: one problem of one document (or one department's history)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

__all__ = ["Category", "Severity", "Finding", "fingerprint"]


class Category(StrEnum):
    COMPLETENESS = "completeness"
    CONSISTENCY = "consistency"
    NARRATIVE = "narrative"
    METADATA = "metadata"
    TIMELINESS = "timeliness"
    YEAR_OVER_YEAR = "year_over_year"
    THREE_PUBLIC = "three_public"
    PARSE_QUALITY = "parse_quality"


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


def fingerprint(
    rule_id: str,
    department: str | None,
    kind: str | None,
    year: int | None,
    table_id: str | None,
    row_key: str | None,
    column_key: str | None,
) -> str:
    """Stable identity of a problem: never includes values or version ids,
    so an unchanged problem keeps its fingerprint across re-checks and new
    versions of the same document."""
    parts = [rule_id, department or "", kind or "", str(year or ""), table_id or "", row_key or "", column_key or ""]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Finding:
    """One finding with its evidence.

    ``department`` is the normalised department key (see ``identity``);
    ``row_key`` a 科目代码, a row label or another subject inside the table;
    ``expected`` / ``actual`` the amounts (or percentages) involved.
    """

    rule_id: str
    category: Category
    severity: Severity
    department: str | None
    kind: str | None
    year: int | None
    message: str
    table_id: str | None = None
    row_key: str | None = None
    column_key: str | None = None
    page: int | None = None
    expected: Decimal | None = None
    actual: Decimal | None = None
    document_id: str | None = None
    version_id: str | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(
            self.rule_id, self.department, self.kind, self.year, self.table_id, self.row_key, self.column_key
        )

    @property
    def is_parse_quality(self) -> bool:
        """True for extraction artefacts, which are not the department's error."""
        return self.category is Category.PARSE_QUALITY

    def sort_key(self) -> tuple[object, ...]:
        return (
            SEVERITY_ORDER[self.severity],
            self.department or "",
            self.year or 0,
            self.rule_id,
            self.table_id or "",
            self.row_key or "",
            self.column_key or "",
        )
