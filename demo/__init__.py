"""Fixture generator: seed reader, renderers (PDF, XLSX, scanned) and derivations.

The local replica site (``demo.site*``) lives beside it and has its own surface.
"""

from demo.errors import DemoError, DeriveError, SeedFormatError
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
]
