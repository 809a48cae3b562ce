"""Which stored figures a finding is about, located on their page.

A finding that records the figures it compares (``finding.cells``: page,
table row, column and amount of each, from ``Finding.cells``) is about
those line items: a total and its summands, both sides of a cross-table
identity, on whatever pages they are printed. Otherwise (a finding stored
before, or a rule comparing no printed cells) it names its version, table,
row (科目代码 or label), column and page; the line items matching those keys
are its cells (when several match, those printing the finding's actual
figure). A finding without table keys (a narrative one) points at the
narrative figures of its page that print its actual or expected value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from analysis.tables import norm_label
from storage.findings import FindingRow
from storage.models import DocumentVersion, LineItemRow, NarrativeFigureRow
from web.cells import Box, Cell

if TYPE_CHECKING:
    from web.pdfpages import PdfPages

__all__ = ["Figure", "Located", "finding_figures", "item_cell", "item_figure", "page_siblings", "locate_figures"]


@dataclass(frozen=True)
class Figure:
    """A printed figure: what it is, where it is, and its cell for ``web.cells``."""

    kind: str  # line_item | narrative
    id: int
    name: str
    column: str
    amount: Decimal
    page: int
    cell: Cell


@dataclass(frozen=True)
class Located:
    figure: Figure
    box: Box | None


def item_cell(item: LineItemRow) -> Cell:
    return Cell(item.raw, item.name, (item.parsed_table_id, item.row, item.column))


def item_figure(item: LineItemRow) -> Figure:
    return Figure("line_item", item.id or 0, item.name, item.column_label, item.amount, item.page, item_cell(item))


def narrative_figure(fig: NarrativeFigureRow) -> Figure:
    return Figure("narrative", fig.id or 0, fig.label or fig.section or "说明", fig.kind, fig.value, fig.page or 0,
                  Cell(fig.raw, None, (10**9, fig.ordinal)))


def page_siblings(session: Session, version_id: int, page: int) -> list[Cell]:
    """Every figure parsed from one page, for ranking equal texts (``web.cells.locate``)."""
    items = session.exec(select(LineItemRow).where(LineItemRow.version_id == version_id, LineItemRow.page == page)).all()
    figures = session.exec(
        select(NarrativeFigureRow).where(NarrativeFigureRow.version_id == version_id, NarrativeFigureRow.page == page)
    ).all()
    return [item_cell(i) for i in items] + [narrative_figure(f).cell for f in figures]


def locate_figures(pages: PdfPages, session: Session, version: DocumentVersion, figures: Sequence[Figure]
                   ) -> list[Located]:
    """Each figure with its box on its page (one sibling query per page, not per figure)."""
    siblings: dict[int, list[Cell]] = {}
    found = []
    for figure in figures:
        if figure.page not in siblings:
            siblings[figure.page] = page_siblings(session, version.id or 0, figure.page)
        found.append(Located(figure, pages.locate(version.sha256, figure.page, figure.cell, siblings[figure.page])))
    return found


def _ref(cell: object) -> tuple[int, int, int, Decimal] | None:
    """A stored ``[page, row, column, "amount"]``, or None when it is not one."""
    try:
        page, row, column, amount = cell  # type: ignore[misc]
        return int(page), int(row), int(column), Decimal(str(amount))
    except (TypeError, ValueError, InvalidOperation):
        return None


def compared_items(session: Session, version_id: int, cells: list | None) -> list[LineItemRow]:
    """The line items a finding's recorded cells name, in the finding's order (one query)."""
    refs = [r for r in map(_ref, (cells or [])[:MAX_FIGURES]) if r is not None]
    if not refs:
        return []
    rows = session.exec(
        select(LineItemRow).where(LineItemRow.version_id == version_id,
                                  col(LineItemRow.page).in_({r[0] for r in refs}),
                                  col(LineItemRow.row).in_({r[1] for r in refs}))
        .order_by(LineItemRow.id).limit(MAX_CANDIDATES)
    ).all()
    by_ref: dict[tuple[int, int, int, Decimal], LineItemRow] = {}
    for item in rows:
        by_ref.setdefault((item.page, item.row, item.column, item.amount), item)
    return [by_ref[r] for r in dict.fromkeys(refs) if r in by_ref]


def _version_id(finding: FindingRow) -> int | None:
    try:
        return int(finding.version_id) if finding.version_id else None
    except ValueError:
        return None


def finding_figures(session: Session, finding: FindingRow) -> tuple[DocumentVersion | None, list[Figure]]:
    """The version a finding is about and the figures it concerns (maybe none)."""
    version_id = _version_id(finding)
    version = session.get(DocumentVersion, version_id) if version_id else None
    if version is None:
        return None, []
    compared = compared_items(session, version.id or 0, finding.cells)
    if compared:
        return version, [item_figure(i) for i in compared]
    if finding.table_id:
        query = select(LineItemRow).where(LineItemRow.version_id == version.id, LineItemRow.table_id == finding.table_id)
        if finding.column_key:
            query = query.where(LineItemRow.column_key == finding.column_key)
        if finding.page:
            query = query.where(LineItemRow.page == finding.page)
        items = list(session.exec(query.order_by(LineItemRow.id).limit(MAX_CANDIDATES)).all())
        # row_key is a code or label, or (三公 rules) the component its column key already names.
        named = [i for i in items if finding.row_key in (i.code, i.name, norm_label(i.name))]
        items = named or (items if finding.column_key else [])
        wanted = {finding.actual, finding.expected} - {None}
        items = [i for i in items if i.amount in wanted] or items
        if items:
            return version, [item_figure(i) for i in items[:MAX_FIGURES]]
    # A narrative finding: the figure the document prints (actual) in the section the finding names.
    printed = finding.actual if finding.actual is not None else finding.expected
    if finding.page and printed is not None:
        figures = list(session.exec(
            select(NarrativeFigureRow).where(NarrativeFigureRow.version_id == version.id,
                                             NarrativeFigureRow.page == finding.page,
                                             NarrativeFigureRow.value == printed)
            .order_by(NarrativeFigureRow.ordinal).limit(MAX_CANDIDATES)
        ).all())
        section = norm_label((finding.row_key or "").split("|")[0])
        figures = [f for f in figures if section and norm_label(f.section) == section] or figures
        return version, [narrative_figure(f) for f in figures[:MAX_FIGURES]]
    return version, []


MAX_CANDIDATES = 500
MAX_FIGURES = 100  # a total and its summands; an evidence page outlines them all
