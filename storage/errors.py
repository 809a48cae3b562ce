"""Storage errors: one tree, raised at the edge where SQLAlchemy, Alembic,
fsspec or the OS fail.

    StorageError
    ├── DatabaseError        a database operation failed (connect, query, commit)
    │   └── MigrationError   Alembic could not bring the schema to ``heads``
    ├── NotFoundError        a row the caller named does not exist
    └── ArchiveError         the content-addressed archive failed
        ├── ArchiveMissing   no file for that sha256
        └── ArchiveCorrupt   the file stored under a sha256 does not hash to it
"""

from __future__ import annotations

__all__ = [
    "StorageError",
    "DatabaseError",
    "MigrationError",
    "NotFoundError",
    "ArchiveError",
    "ArchiveMissing",
    "ArchiveCorrupt",
]


class StorageError(Exception):
    """Base of every error raised by ``storage``."""


class DatabaseError(StorageError):
    """A database operation failed; the SQLAlchemy error is chained."""


class MigrationError(DatabaseError):
    """Alembic could not upgrade the schema."""


class NotFoundError(StorageError):
    """A row named by id does not exist."""


class ArchiveError(StorageError):
    """Reading or writing the archive failed."""


class ArchiveMissing(ArchiveError):
    """No archived file has this sha256."""


class ArchiveCorrupt(ArchiveError):
    """An archived file's content does not match its sha256 key."""
