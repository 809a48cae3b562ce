"""The parser's output: a disclosure document as typed, traceable data.

Every number carries its provenance (table, page, row, column) and is a
``Decimal``. These dataclasses are the contract between ``parsers/`` and the
rest of budgetwatch (storage, analysis, web); ``docs/parse-format.md``
documents their JSON form (see ``to_jsonable``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

__all__ = [
    "DocumentKind",
    "Scope",
    "ParseWarning",
    "LineItem",
    "ParsedTable",
    "TableConfidence",
    "NarrativeFigure",
    "Section",
    "SourceInfo",
    "ParsedDocument",
    "to_jsonable",
    "document_from_jsonable",
]


class DocumentKind(StrEnum):
    BUDGET = "预算"
    FINAL = "决算"


class Scope(StrEnum):
    DEPARTMENT = "部门"
    UNIT = "单位"


@dataclass(frozen=True)
class ParseWarning:
    """Something the parser could not read or had to guess.

    ``code`` is a stable machine key (e.g. ``malformed_number``,
    ``scanned_not_read``, ``cid_font``, ``table_not_identified``).
    """

    code: str
    message: str
    page: int | None = None
    table_index: int | None = None
    row: int | None = None
    column: int | None = None
    raw: str | None = None


@dataclass(frozen=True)
class LineItem:
    """One amount of a table, typed.

    ``code`` is the 科目代码 joined to one string (``2010301``) when the row
    has one; ``name`` the printed 科目名称 or row label. ``column_key`` is a
    canonical key from the table registry (``total``, ``basic``, ``project``,
    ``budget.total`` …) or ``col<N>`` when the column is unknown.
    ``row`` / ``column`` index into ``ParsedTable.rows`` (0-based).
    """

    code: str | None
    name: str
    column_key: str
    column_label: str
    amount: Decimal
    page: int
    row: int
    column: int
    raw: str


@dataclass(frozen=True)
class TableConfidence:
    """How sure the parser is of a table's reading (``parsers.confidence``).

    ``score`` (0–1) is the lowest of: the share of the table's arithmetic
    identities that hold (``identities_held`` of ``identities_checked``),
    the share of amounts under a keyed column (``amounts_keyed`` of
    ``amounts``) and the share of figures placed in a cell (``unplaced``
    left over). ``evidence`` states the first identities that failed.
    """

    score: float = 1.0
    identities_checked: int = 0
    identities_held: int = 0
    amounts: int = 0
    amounts_keyed: int = 0
    unplaced: int = 0
    evidence: list[str] = field(default_factory=list)


@dataclass
class ParsedTable:
    """One table of the document, as printed and typed.

    ``id`` is the canonical registry id (``final_summary`` …) or ``None`` when
    the title matched no registry entry. ``rows`` holds the body cell by cell
    as printed (numbers normalised; ``None`` for an empty cell), and
    ``row_pages[i]`` the page of ``rows[i]``.
    """

    id: str | None
    title: str
    label: str | None
    pages: list[int]
    unit: str | None
    department: str | None
    year: int | None
    empty: bool
    empty_note: str | None
    header: list[list[str | None]]
    columns: list[str]
    rows: list[list[str | None]]
    row_pages: list[int]
    items: list[LineItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    confidence: TableConfidence = field(default_factory=TableConfidence)


@dataclass(frozen=True)
class NarrativeFigure:
    """A number stated in the narrative, with its context.

    ``kind``: ``amount`` (a sum of money, ``unit`` 万元/元), ``share``
    (占比, percent), ``rate`` (增长/下降率, percent, signed by the direction
    word), ``count`` (人次, 辆 …). ``label`` is the nearest subject the
    sentence names (e.g. ``公务接待费``); ``direction`` is 增加/减少/持平
    when the sentence states one.
    """

    kind: str
    value: Decimal
    unit: str | None
    raw: str
    label: str | None
    direction: str | None
    context: str
    page: int | None
    section: str | None


@dataclass
class Section:
    """A heading of the narrative (情况说明) and the text under it."""

    heading: str
    level: int
    page: int | None
    text: str
    figures: list[NarrativeFigure] = field(default_factory=list)


@dataclass(frozen=True)
class SourceInfo:
    file_name: str | None
    sha256: str
    format: str  # pdf | xlsx | xls | docx
    page_count: int
    size: int


@dataclass
class ParsedDocument:
    source: SourceInfo
    kind: DocumentKind | None
    scope: Scope | None
    year: int | None
    department: str | None
    unit: str | None
    title: str | None
    tables: list[ParsedTable] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    scanned_pages: list[int] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    # Further documents printed in the same file (a 部门预算 followed by its
    # 单位预算): each complete with its own metadata and pages; never nested.
    parts: list[ParsedDocument] = field(default_factory=list)

    def table(self, table_id: str) -> ParsedTable | None:
        """The first table with this canonical id, if any."""
        return next((t for t in self.tables if t.id == table_id), None)


def to_jsonable(value: Any) -> Any:
    """Convert parser dataclasses to JSON-ready data; Decimals become strings."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, StrEnum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def document_from_jsonable(data: dict[str, Any]) -> ParsedDocument:
    """Rebuild a ParsedDocument from the output of ``to_jsonable``."""

    def figure(d: dict[str, Any]) -> NarrativeFigure:
        return NarrativeFigure(**{**d, "value": Decimal(d["value"])})

    def table(d: dict[str, Any]) -> ParsedTable:
        items = [LineItem(**{**i, "amount": Decimal(i["amount"])}) for i in d["items"]]
        confidence = TableConfidence(**d["confidence"]) if d.get("confidence") else TableConfidence()
        return ParsedTable(**{**d, "items": items, "confidence": confidence})

    def section(d: dict[str, Any]) -> Section:
        return Section(**{**d, "figures": [figure(f) for f in d["figures"]]})

    return ParsedDocument(
        source=SourceInfo(**data["source"]),
        kind=DocumentKind(data["kind"]) if data["kind"] else None,
        scope=Scope(data["scope"]) if data["scope"] else None,
        year=data["year"],
        department=data["department"],
        unit=data["unit"],
        title=data["title"],
        tables=[table(t) for t in data["tables"]],
        sections=[section(s) for s in data["sections"]],
        warnings=[ParseWarning(**w) for w in data["warnings"]],
        scanned_pages=data["scanned_pages"],
        ocr_pages=data["ocr_pages"],
        parts=[document_from_jsonable(part) for part in data.get("parts", [])],
    )
