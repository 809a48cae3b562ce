"""How much of a rendered seed a reading recovered: numeric cells in the right
table, column and page, for budgetwatch and for plain pdfplumber.

The truth is the seed (``numeric_cells``) with the pages the producer
printed each row on (the manifest). Column keys are the registry's
vocabulary, which only the parser speaks: a seed cell's key is the one the
parser gives it when reading the seed's own XLSX rendering, where cells and
headers are exact (``reference``); that reading must reproduce the seed's
figures one for one, or the truth is refused. Readings are duck-typed
(``ParsedDocument``), so the fixtures still do not import the parser.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber

from demo.seeds import SeedDocument, numeric_cells, parse_amount
from demo.variants import RenderManifest

__all__ = ["OVERALL_TARGET", "FILE_TARGET", "Cell", "Recovery", "expected_cells", "score", "pdfplumber_recovered"]

# Issue 10, acceptance 1: share of numeric cells recovered over the whole matrix, and in every file.
OVERALL_TARGET = 0.995
FILE_TARGET = 0.98


@dataclass(frozen=True)
class Cell:
    table: str
    page: int
    column: str
    amount: Decimal

    @property
    def loose(self) -> tuple[str, int, Decimal]:
        """The cell without its column: what a reading without column names can match."""
        return (self.table, self.page, self.amount)


@dataclass
class Recovery:
    """``recovered``: cells found in the right table, column and page;
    ``placed``: in the right table and page, whatever the column."""

    expected: int
    recovered: int
    placed: int
    missing_tables: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.recovered / self.expected if self.expected else 1.0


def _tables(document: Any) -> list[Any]:
    """Tables of a reading and of the further documents it found in the file."""
    return [*document.tables, *(t for part in document.parts for t in part.tables)]


def expected_cells(seed: SeedDocument, manifest: RenderManifest, reference: Any) -> list[Cell]:
    """Every amount cell of every standard table, with its page and column key."""
    cells = []
    for placement in manifest.tables:
        if placement.canonical_id is None:
            continue
        truth = numeric_cells(seed.tables[placement.index])
        table = reference.table(placement.canonical_id)
        items = sorted(table.items, key=lambda i: (i.row, i.column)) if table else []
        if [i.amount for i in items] != [value for _r, _c, value in truth]:
            raise ValueError(f"{seed.name}: the XLSX reading of {placement.canonical_id} is no exact reference")
        cells += [
            Cell(placement.canonical_id, placement.row_pages[r], item.column_key, value)
            for (r, _c, value), item in zip(truth, items)
        ]
    return cells


def score(expected: list[Cell], manifest: RenderManifest, parsed: Any) -> Recovery:
    """Compare a budgetwatch reading with the truth (multisets: a figure printed
    twice must be found twice)."""
    found = Counter(
        Cell(t.id, item.page, item.column_key, item.amount) for t in _tables(parsed) if t.id for item in t.items
    )
    want = Counter(expected)
    placed = Counter(c.loose for c in found.elements()) & Counter(c.loose for c in expected)
    identified = {t.id for t in _tables(parsed)}
    missing = sorted({p.canonical_id for p in manifest.tables if p.canonical_id} - identified)
    return Recovery(len(expected), sum((found & want).values()), sum(placed.values()), missing)


def pdfplumber_recovered(pdf: Path, expected: list[Cell]) -> int:
    """Cells plain pdfplumber ``extract_tables`` puts in the right table and page.

    pdfplumber names no tables: each table it finds counts for the standard
    table on that page whose figures it shares most (the most generous reading).
    """
    want = Counter(c.loose for c in expected)
    pages = sorted({c.page for c in expected})
    found: Counter[tuple[str, int, Decimal]] = Counter()
    with pdfplumber.open(pdf) as document:
        for page in pages:
            here = {table: Counter(c.amount for c in expected if c.page == page and c.table == table)
                    for table in {c.table for c in expected if c.page == page}}
            for grid in document.pages[page - 1].extract_tables():
                amounts = Counter(
                    value for row in grid for text in row if text and (value := parse_amount(text)) is not None
                )
                best = max(here, key=lambda t: sum((here[t] & amounts).values()))
                found.update({(best, page, a): n for a, n in amounts.items()})
    return sum((found & want).values())
