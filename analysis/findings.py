"""Findings: one problem of one document (or one department's history)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from parsers.model import Scope

__all__ = ["Category", "Severity", "Finding", "FigureRef", "fingerprint"]


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


DEPARTMENT = Scope.DEPARTMENT.value

SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


def fingerprint(
    rule_id: str,
    department: str | None,
    kind: str | None,
    year: int | None,
    table_id: str | None,
    row_key: str | None,
    column_key: str | None,
    scope: str | None = None,
) -> str:
    """Stable identity of a problem: never includes values or version ids,
    so an unchanged problem keeps its fingerprint across re-checks and new
    versions of the same document.

    A body may publish a 部门 and a 单位 document of the same kind and year,
    so the scope is part of the identity; 部门 (or none) adds nothing, which
    keeps the fingerprints stored before scope was recorded."""
    parts = [rule_id, department or "", kind or "", str(year or ""), table_id or "", row_key or "", column_key or ""]
    if scope and scope != DEPARTMENT:
        parts.append(scope)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class FigureRef:
    """A printed figure a finding compares, where the parser read it: page, table row and column, amount.

    With the finding's version this names one stored line item (the amount
    tells apart two tables sharing a page), so the archive browser can
    outline every figure of a comparison, not only the finding's own.
    """

    page: int
    row: int
    column: int
    amount: Decimal


@dataclass(frozen=True)
class Finding:
    """One finding with its evidence.

    ``department`` is the normalised department key (see ``identity``);
    ``row_key`` a 科目代码, a row label or another subject inside the table;
    ``expected`` / ``actual`` the amounts (or percentages) involved;
    ``scope`` 部门 or 单位, the scope of the document the finding is about;
    ``cells`` the printed figures compared (evidence, not identity: left out
    of equality and the fingerprint).
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
    scope: str = DEPARTMENT
    cells: tuple[FigureRef, ...] = field(default=(), compare=False)

    @property
    def fingerprint(self) -> str:
        return fingerprint(
            self.rule_id, self.department, self.kind, self.year, self.table_id, self.row_key, self.column_key,
            self.scope,
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
            self.scope,
            self.rule_id,
            self.table_id or "",
            self.row_key or "",
            self.column_key or "",
        )
