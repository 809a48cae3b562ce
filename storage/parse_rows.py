"""Write and clear the normalised rows of one version's parse.

Pure mapping from ``parsers.model`` dataclasses to table rows plus the two
statements that use it; ``repository.store_parse`` owns the transaction.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session

from parsers.model import ParsedDocument, ParsedTable, ParseWarning, Section
from storage.columns import fits_money
from storage.models import (
    PARSE_ROW_MODELS,
    LineItemRow,
    NarrativeFigureRow,
    NarrativeSectionRow,
    ParsedTableRow,
    ParseWarningRow,
)

__all__ = ["clear_parse_rows", "insert_parse_rows"]


def clear_parse_rows(session: Session, version_id: int) -> None:
    """Delete every parse row of ``version_id`` (children first)."""
    for model in PARSE_ROW_MODELS:
        session.execute(
            delete(model).where(model.version_id == version_id),  # type: ignore[attr-defined]
            execution_options={"synchronize_session": False},
        )


def insert_parse_rows(session: Session, version_id: int, parsed: ParsedDocument) -> list[ParseWarning]:
    """Insert the rows of ``parsed`` for ``version_id`` (none may exist yet).

    An amount too large for the money column (a misread number) gets no
    ``line_item`` / ``narrative_figure`` row; an ``amount_out_of_range``
    warning row says so instead, and is returned. ``parsed_json`` still
    holds the figure as parsed.
    """
    tables = [_table_row(version_id, ordinal, table) for ordinal, table in enumerate(parsed.tables)]
    sections = [_section_row(version_id, ordinal, section) for ordinal, section in enumerate(parsed.sections)]
    session.add_all(tables + sections)
    session.flush()
    dropped: list[ParseWarning] = []
    items = []
    for index, (row, table) in enumerate(zip(tables, parsed.tables, strict=True)):
        for n, item in enumerate(table.items):
            if not fits_money(item.amount):
                dropped.append(_out_of_range(item.amount, item.raw, item.page, index, item.row, item.column))
                continue
            items.append(
                {**_fields(item), "version_id": version_id, "parsed_table_id": row.id, "ordinal": n, "table_id": table.id}
            )
    figures = []
    for row, section in zip(sections, parsed.sections, strict=True):
        for n, figure in enumerate(section.figures):
            if not fits_money(figure.value):
                dropped.append(_out_of_range(figure.value, figure.raw, figure.page, None, None, None))
                continue
            figures.append({**_fields(figure), "version_id": version_id, "section_id": row.id, "ordinal": n})
    warnings = [
        {**_fields(warning), "version_id": version_id, "ordinal": n}
        for n, warning in enumerate([*parsed.warnings, *dropped])
    ]
    for model, rows in ((LineItemRow, items), (NarrativeFigureRow, figures), (ParseWarningRow, warnings)):
        if rows:
            session.execute(insert(model), rows)
    return dropped


def _out_of_range(
    value: Decimal, raw: str, page: int | None, table_index: int | None, row: int | None, column: int | None
) -> ParseWarning:
    return ParseWarning(
        code="amount_out_of_range",
        message=f"数值 {value} 超出可存储范围（整数部分最多 16 位），未写入明细表",
        page=page,
        table_index=table_index,
        row=row,
        column=column,
        raw=raw,
    )


def _fields(value: Any) -> dict[str, Any]:
    """A dataclass's fields, shallow (Decimals stay Decimals)."""
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}


def _table_row(version_id: int, ordinal: int, table: ParsedTable) -> ParsedTableRow:
    fields = _fields(table)
    del fields["items"]
    fields["table_id"] = fields.pop("id")
    confidence = fields.pop("confidence")
    return ParsedTableRow(
        **fields,
        version_id=version_id,
        ordinal=ordinal,
        confidence=confidence.score,
        identities_checked=confidence.identities_checked,
        identities_held=confidence.identities_held,
        amounts_unkeyed=confidence.amounts - confidence.amounts_keyed,
        unplaced=confidence.unplaced,
        confidence_evidence=list(confidence.evidence),
    )


def _section_row(version_id: int, ordinal: int, section: Section) -> NarrativeSectionRow:
    fields = _fields(section)
    del fields["figures"]
    return NarrativeSectionRow(**fields, version_id=version_id, ordinal=ordinal)
