"""Fixture generator: seed reader, renderers (PDF, XLSX, scanned) and derivations.

The local replica site (``demo.site*``) lives beside it and has its own surface.
"""

from demo.derive import drop_table, rename_department, scale_item, shift_year
from demo.errors import DemoError, DeriveError, SeedFormatError
from demo.render_pdf import VARIANTS, PdfVariant, RenderManifest, TablePlacement, render_pdf
from demo.render_scanned import render_scanned
from demo.render_xlsx import render_xlsx
from demo.seeds import (
    Heading,
    Paragraph,
    SeedDocument,
    SeedTable,
    load_seed,
    malformed_cells,
    numeric_cells,
    parse_seed,
)

__all__ = [
    "DemoError",
    "DeriveError",
    "SeedFormatError",
    "Heading",
    "Paragraph",
    "SeedDocument",
    "SeedTable",
    "load_seed",
    "parse_seed",
    "numeric_cells",
    "malformed_cells",
    "PdfVariant",
    "RenderManifest",
    "TablePlacement",
    "VARIANTS",
    "render_pdf",
    "render_xlsx",
    "render_scanned",
    "shift_year",
    "scale_item",
    "drop_table",
    "rename_department",
]
