"""Merged cells of a multi-row table header, as seeds print them.

A seed header row leaves merged cells empty. A filled cell spans to the right
over empty cells that have sub-headings below them, and down over rows that
are empty across its whole width. Renderers draw these spans; the seed reader
uses them to name each column.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HeaderSpan", "header_spans", "column_paths"]


@dataclass(frozen=True)
class HeaderSpan:
    row: int
    col: int
    rows: int
    cols: int
    text: str


def header_spans(header_rows: list[list[str]]) -> list[HeaderSpan]:
    """The filled header cells with their merged extent."""
    height = len(header_rows)
    width = max((len(row) for row in header_rows), default=0)

    def cell(r: int, c: int) -> str:
        row = header_rows[r]
        return row[c] if c < len(row) else ""

    covered: set[tuple[int, int]] = set()
    spans: list[HeaderSpan] = []
    for r in range(height):
        for c in range(width):
            text = cell(r, c)
            if not text or (r, c) in covered:
                continue
            cols = 1
            while (
                c + cols < width
                and not cell(r, c + cols)
                and (r, c + cols) not in covered
                and any(cell(k, c + cols) for k in range(r + 1, height))
            ):
                cols += 1
            rows = 1
            while r + rows < height and all(
                not cell(r + rows, k) and (r + rows, k) not in covered for k in range(c, c + cols)
            ):
                rows += 1
            covered.update((rr, cc) for rr in range(r, r + rows) for cc in range(c, c + cols))
            spans.append(HeaderSpan(r, c, rows, cols, text))
    return spans


def column_paths(header_rows: list[list[str]], width: int) -> list[tuple[str, ...]]:
    """For each column, the header texts above it, top to bottom."""
    paths: list[list[str]] = [[] for _ in range(width)]
    for span in sorted(header_spans(header_rows), key=lambda s: s.row):
        for c in range(span.col, min(span.col + span.cols, width)):
            paths[c].append(span.text)
    return [tuple(path) for path in paths]
