"""Column widths and font size of a printed table, shared by every producer.

Numbers and short codes never wrap; text columns share what is left. The
largest font size (up to the variant's) at which the table fits the width
wins, so wide tables print small, as real disclosures do.
"""

from __future__ import annotations

from demo.fonts import text_width
from demo.seeds import SeedTable, amount_columns, parse_amount

__all__ = ["CELL_PAD", "FONT_SIZES", "column_layout", "number_columns"]

CELL_PAD = 2.0
FONT_SIZES = (10.5, 9.0, 8.0, 7.0, 6.0, 5.0, 4.5)
MAX_NATURAL_WIDTH = 160.0


def column_layout(
    table: SeedTable, available: float, family: str = "song", max_size: float = 8.0
) -> tuple[list[float], float]:
    """Column widths (points) summing to at most ``available``, and the font size."""
    columns = range(table.width)
    sizes = [s for s in FONT_SIZES if s <= max_size] or [FONT_SIZES[-1]]
    for size in sizes:
        pad = 2 * CELL_PAD + 1
        floor = [2 * size + pad for _ in columns]
        natural = list(floor)
        for row in table.body_rows:
            for c, text in enumerate(row):
                width = text_width(text, size, family) + pad
                natural[c] = max(natural[c], min(width, MAX_NATURAL_WIDTH))
                if parse_amount(text) is not None or len(text) <= 4:
                    floor[c] = max(floor[c], width)
        if sum(natural) <= available:
            scale = available / sum(natural)
            return [w * scale for w in natural], size
        spare = sum(natural) - sum(floor)
        if sum(floor) <= available and spare > 0:
            share = (available - sum(floor)) / spare
            return [f + (n - f) * share for f, n in zip(floor, natural)], size
    return floor, sizes[-1]


def number_columns(table: SeedTable) -> list[int]:
    """Amount columns whose filled body cells are mostly numbers (aligned as the variant says)."""
    found = []
    for c, is_amount in enumerate(amount_columns(table)):
        cells = [row[c] for row in table.body_rows if row[c]]
        numbers = sum(parse_amount(text) is not None for text in cells)
        if is_amount and numbers and numbers * 2 >= len(cells):
            found.append(c)
    return found
