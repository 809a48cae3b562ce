"""Which stored figures a finding is about, located on their page.

A finding names its version, table, row (科目代码 or label), column and page;
the line items matching those keys are its cells (when several match, those
printing the finding's actual figure). A finding without table keys (a
narrative one) points at the narrative figures of its page that print its
actual or expected value.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, select

from analysis.tables import norm_label
from storage.findings import FindingRow
from storage.models import DocumentVersion, LineItemRow, NarrativeFigureRow
from web.cells import Box, Cell

__all__ = ["Figure", "Located", "finding_figures", "item_cell", "item_figure", "page_siblings"]


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
MAX_FIGURES = 20
