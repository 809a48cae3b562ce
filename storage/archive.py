"""Content-addressed archive of original files, keyed by sha256.

Files live at ``<root>/ab/cd/<sha256>``. ``root`` is a local directory or
any fsspec URL (``s3://bucket/prefix``, ``memory://x`` …): moving to an
object store is a configuration change. Local writes go to a temporary file
renamed into place, so a crash never leaves a partial file under a key.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import fsspec
from fsspec.implementations.local import LocalFileSystem

from storage.errors import ArchiveCorrupt, ArchiveError, ArchiveMissing

__all__ = ["ArchiveRef", "ArchiveStore", "archive_key"]

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ArchiveRef:
    sha256: str
    key: str
    size: int


def archive_key(sha256: str) -> str:
    """The relative key of a file: ``ab/cd/<sha256>``."""
    if not _SHA256.fullmatch(sha256):
        raise ArchiveError(f"not a lowercase hex sha256: {sha256!r}")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


class ArchiveStore:
    """Put and get files by the sha256 of their content."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = str(root)
        try:
            self._fs, self._base = fsspec.core.url_to_fs(self.root)
        except (ValueError, ImportError) as exc:
            raise ArchiveError(f"unsupported archive location {self.root!r}: {exc}") from exc
        self._local = isinstance(self._fs, LocalFileSystem)

    def _path(self, sha256: str) -> str:
        return f"{self._base.rstrip('/')}/{archive_key(sha256)}"

    def put(self, data: bytes) -> ArchiveRef:
        """Store ``data`` (idempotent) and return its reference.

        An existing file under the key is kept when it holds the same bytes;
        if it does not (a damaged file), ``ArchiveCorrupt`` is raised rather
        than overwriting it.
        """
        sha256 = hashlib.sha256(data).hexdigest()
        ref = ArchiveRef(sha256=sha256, key=archive_key(sha256), size=len(data))
        path = self._path(sha256)
        try:
            if self._fs.exists(path):
                if hashlib.sha256(self._fs.cat_file(path)).hexdigest() != sha256:
                    raise ArchiveCorrupt(f"{path} does not hold the content of {sha256}")
                return ref
            if self._local:
                _write_atomically(Path(path), data)
            else:
                self._fs.pipe_file(path, data)
        except OSError as exc:
            raise ArchiveError(f"cannot store {sha256}: {exc}") from exc
        return ref

    def get(self, sha256: str) -> bytes:
        """The bytes stored under ``sha256``; ``ArchiveMissing`` when absent."""
        path = self._path(sha256)
        try:
            return self._fs.cat_file(path)
        except FileNotFoundError as exc:
            raise ArchiveMissing(f"no archived file {sha256}") from exc
        except OSError as exc:
            raise ArchiveError(f"cannot read {sha256}: {exc}") from exc

    def exists(self, sha256: str) -> bool:
        try:
            return bool(self._fs.exists(self._path(sha256)))
        except OSError as exc:
            raise ArchiveError(f"cannot check {sha256}: {exc}") from exc

    def path_for(self, sha256: str) -> Path:
        """The local file of ``sha256`` (local archives only; may not exist yet)."""
        if not self._local:
            raise ArchiveError(f"{self.root} is not a local archive")
        return Path(self._path(sha256))


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
