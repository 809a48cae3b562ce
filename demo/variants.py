"""Layout variants of a rendered disclosure and the manifest every renderer returns.

A ``PdfVariant`` describes a table style and page layout independently of
the program that draws it; every PDF producer (``demo.producers``) reads the
same flags, so the fixture matrix is styles × producers, never per-file code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = [
    "Rules",
    "Align",
    "PdfVariant",
    "TablePlacement",
    "RenderManifest",
    "VARIANTS",
    "RULED_PORTRAIT",
    "RULED_LANDSCAPE",
    "PAGE_BREAKS",
    "UNRULED",
    "ROTATED",
]

Rules = Literal["grid", "hrules", "none"]
Align = Literal["right", "center", "left"]


@dataclass(frozen=True)
class PdfVariant:
    """One page layout and table style.

    ``rules``: full grid, horizontal rules only (the Excel/WPS export look) or
    no lines. ``force_breaks`` splits every table with two or more body rows
    across a page break; the header is then repeated on the continuation page
    for every other such table. ``repeat_header`` repeats the header when a
    table runs over a page by itself. ``flow`` starts each table right after
    the text before it (anywhere on a page) instead of on a new page.
    ``align`` places the amounts in their cells. ``font`` names a font family
    of ``demo.fonts``; ``size`` is the largest table font size tried (smaller
    ones are used when the table would not fit the page width). ``compat``
    prints CJK compatibility code points (Kangxi radicals, ``⼊`` for 入) in
    the text layer, as some producers' font maps do.
    """

    name: str
    landscape: bool = False
    rules: Rules = "grid"
    rotated: bool = False
    force_breaks: bool = False
    repeat_header: bool = True
    flow: bool = False
    align: Align = "right"
    font: str = "song"
    size: float = 8.0
    compat: bool = False

    def header_repeats(self, body_lengths: list[int]) -> list[bool]:
        """Whether each table's header repeats on its continuation pages: with
        forced breaks, alternately for the tables that are split."""
        flags, breakable = [], 0
        for length in body_lengths:
            if self.force_breaks and length >= 2:
                flags.append(breakable % 2 == 0)
                breakable += 1
            else:
                flags.append(self.repeat_header)
        return flags


RULED_PORTRAIT = PdfVariant("ruled_portrait")
RULED_LANDSCAPE = PdfVariant("ruled_landscape", landscape=True)
PAGE_BREAKS = PdfVariant("page_breaks", force_breaks=True)
UNRULED = PdfVariant("unruled", rules="none", repeat_header=False)
ROTATED = PdfVariant("rotated", rotated=True)
VARIANTS: dict[str, PdfVariant] = {
    v.name: v for v in (RULED_PORTRAIT, RULED_LANDSCAPE, PAGE_BREAKS, UNRULED, ROTATED)
}


@dataclass(frozen=True)
class TablePlacement:
    """Where one seed table landed. ``index`` is its position in ``seed.tables``;
    ``row_pages[i]`` is the page of ``body_rows[i]``."""

    index: int
    canonical_id: str | None
    title: str | None
    pages: tuple[int, ...]
    row_pages: tuple[int, ...]
    header_repeated: bool
    rotated: bool


@dataclass(frozen=True)
class RenderManifest:
    path: Path
    variant: str
    page_count: int
    tables: tuple[TablePlacement, ...]

    def placement(self, table_id: str) -> TablePlacement | None:
        return next((t for t in self.tables if t.canonical_id == table_id), None)
