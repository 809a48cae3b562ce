"""Errors of the fixture generator.

    DemoError                 base of everything demo/ raises
    ├── SeedFormatError       a seed file cannot be read as a disclosure
    └── DeriveError           a derivation names a table, row or column the seed lacks
"""

from __future__ import annotations

__all__ = ["DemoError", "SeedFormatError", "DeriveError"]


class DemoError(Exception):
    """Base class of the fixture generator's errors."""


class SeedFormatError(DemoError):
    """The seed text has no recognisable title or year."""


class DeriveError(DemoError):
    """A derivation refers to a table, row or column the seed does not have."""
