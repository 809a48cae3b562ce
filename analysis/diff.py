"""Diffs: two documents of a department, or two versions of one document."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from analysis.performance import ATTACHMENT_IDS
from analysis.tables import norm_label
from analysis.three_public import COMPONENT_NAMES, COMPONENTS, three_public_figures
from parsers.model import DocumentKind, LineItem, ParsedDocument

__all__ = ["LineChange", "ComponentRow", "DocumentDiff", "diff_documents", "diff_revisions", "table_key"]

HUNDRED = Decimal(100)


def table_key(table_id: str) -> str:
    """``final_gpb_expense`` and ``budget_gpb_expense`` compare as ``gpb_expense``."""
    head, _, rest = table_id.partition("_")
    return rest if head in ("final", "budget") and rest else table_id


def percent(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    if before is None or after is None or before == 0:
        return None
    return ((after - before) / abs(before) * HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)


class _BeforeAfter:
    """Change and % change of a figure present before and/or after."""

    before: Decimal | None
    after: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return None if self.before is None or self.after is None else self.after - self.before

    @property
    def change_pct(self) -> Decimal | None:
        return percent(self.before, self.after)


@dataclass(frozen=True)
class LineChange(_BeforeAfter):
    """One line item added, removed or changed (``status``)."""

    table: str
    row_key: str
    name: str
    column_key: str
    before: Decimal | None
    after: Decimal | None
    status: str
    page: int | None


@dataclass(frozen=True)
class ComponentRow(_BeforeAfter):
    """One 三公 component of both documents, side by side."""

    component: str
    name: str
    before: Decimal | None
    after: Decimal | None


@dataclass(frozen=True)
class DocumentDiff:
    before: str
    after: str
    tables_added: tuple[str, ...]
    tables_removed: tuple[str, ...]
    lines: tuple[LineChange, ...]
    three_public: tuple[ComponentRow, ...]
    sections_changed: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.tables_added or self.tables_removed or self.lines or self.sections_changed) and all(
            row.change in (None, 0) for row in self.three_public
        )


def _label(doc: ParsedDocument) -> str:
    return f"{doc.year or '?'}年{doc.kind or ''}".strip()


def _lines(doc: ParsedDocument) -> dict[tuple[str, str, str], LineItem]:
    found: dict[tuple[str, str, str], LineItem] = {}
    for table in doc.tables:
        if table.id is None or table.id in ATTACHMENT_IDS:
            continue  # an attachment's grid has no line items to pair
        for item in table.items:
            key = (table_key(table.id), item.code or norm_label(item.name), item.column_key)
            found.setdefault(key, item)
    return found


def _three_public(doc: ParsedDocument) -> dict[str, LineItem]:
    side = "final" if doc.kind == DocumentKind.FINAL else "budget"
    return three_public_figures(doc).get(side, {})


def diff_documents(a: ParsedDocument, b: ParsedDocument) -> DocumentDiff:
    """What changed from ``a`` (earlier) to ``b``: tables, line items, 三公."""
    keys_a = {table_key(t.id) for t in a.tables if t.id}
    keys_b = {table_key(t.id) for t in b.tables if t.id}
    old, new = _lines(a), _lines(b)
    changes: list[LineChange] = []
    for key in sorted(set(old) | set(new)):
        table, row_key, column = key
        if table not in keys_a or table not in keys_b:
            continue  # whole tables added or removed are reported once, not line by line
        x, y = old.get(key), new.get(key)
        if x is not None and y is not None and x.amount == y.amount:
            continue
        status = "added" if x is None else "removed" if y is None else "changed"
        ref = y or x
        changes.append(
            LineChange(table, row_key, ref.name, column, x.amount if x else None, y.amount if y else None, status, ref.page)
        )
    tp_a, tp_b = _three_public(a), _three_public(b)
    rows = tuple(
        ComponentRow(
            c,
            COMPONENT_NAMES[c],
            tp_a[c].amount if c in tp_a else None,
            tp_b[c].amount if c in tp_b else None,
        )
        for c in COMPONENTS
        if c in tp_a or c in tp_b
    )
    return DocumentDiff(
        before=_label(a),
        after=_label(b),
        tables_added=tuple(sorted(keys_b - keys_a)),
        tables_removed=tuple(sorted(keys_a - keys_b)),
        lines=tuple(changes),
        three_public=rows,
    )


def diff_revisions(old: ParsedDocument, new: ParsedDocument) -> DocumentDiff:
    """Two versions of one document: the document diff plus changed narrative sections."""
    base = diff_documents(old, new)
    before = {norm_label(s.heading): norm_label(s.text) for s in old.sections}
    after = {norm_label(s.heading): norm_label(s.text) for s in new.sections}
    changed = tuple(sorted(h for h in set(before) | set(after) if before.get(h) != after.get(h)))
    return DocumentDiff(
        before=f"{base.before}（旧版）",
        after=f"{base.after}（新版）",
        tables_added=base.tables_added,
        tables_removed=base.tables_removed,
        lines=base.lines,
        three_public=base.three_public,
        sections_changed=changed,
    )
