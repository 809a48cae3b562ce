"""Reading amounts out of parsed tables: labels, codes, sides, tolerance."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

from parsers.model import LineItem, ParsedDocument, ParsedTable

__all__ = [
    "norm_label",
    "find_item",
    "items_by_code",
    "total_item",
    "side_of",
    "column_items",
    "per_summand",
    "fmt",
    "unit_of",
    "TOTAL_LABELS",
]

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．])")
_SPACES = re.compile(r"\s+")


def norm_label(text: str | None) -> str:
    """A row label without numbering, spaces, width variants or (类)/(款)/(项)."""
    if not text:
        return ""
    label = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    label = _NUMBERING.sub("", label)
    return re.sub(r"\((?:类|款|项)\)", "", label)


def side_of(item: LineItem) -> str | None:
    """``income``/``expense`` on two-sided summary tables (``normalise``
    prefixes every amount there), else ``None``."""
    prefix = item.column_key.split(".", 1)[0]
    return prefix if prefix in ("income", "expense") else None


def find_item(
    table: ParsedTable | None,
    labels: Iterable[str],
    *,
    side: str | None = None,
    column_keys: Iterable[str] | None = None,
) -> LineItem | None:
    """The first item whose row label is one of ``labels`` (normalised)."""
    if table is None:
        return None
    wanted = {norm_label(label) for label in labels}
    keys = set(column_keys) if column_keys is not None else None
    for item in table.items:
        if norm_label(item.name) not in wanted:
            continue
        if side and side_of(item) != side:
            continue
        if keys is not None and _bare_key(item.column_key) not in keys:
            continue
        return item
    return None


def _bare_key(column_key: str) -> str:
    return column_key.split(".", 1)[1] if column_key.split(".", 1)[0] in ("income", "expense") else column_key


def column_items(table: ParsedTable, column_key: str) -> list[LineItem]:
    return [i for i in table.items if i.column_key == column_key]


def items_by_code(table: ParsedTable, column_key: str) -> dict[str, LineItem]:
    """Coded items of one column, first occurrence of each code."""
    found: dict[str, LineItem] = {}
    for item in column_items(table, column_key):
        if item.code and item.code.isdigit():
            found.setdefault(item.code, item)
    return found


TOTAL_LABELS = ("合计", "总计", "本年支出合计", "支出合计")


def total_item(table: ParsedTable | None, column_key: str) -> LineItem | None:
    """The uncoded 合计 row of a coded table, in one column."""
    if table is None:
        return None
    return next(
        (
            i
            for i in table.items
            if i.column_key == column_key and not i.code and norm_label(i.name) in TOTAL_LABELS
        ),
        None,
    )


def unit_of(doc: ParsedDocument, table: ParsedTable | None) -> str:
    unit = (table.unit if table else None) or "万元"
    return "元" if unit.strip() in ("元", "单位:元", "单位：元") else "万元"


def per_summand(tolerance: Decimal, count: int) -> Decimal:
    """Rounding tails add up: the tolerance grows with the summands."""
    return tolerance * max(1, count)


def fmt(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"
