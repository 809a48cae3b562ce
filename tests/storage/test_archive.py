"""The content-addressed archive, on a local directory and an fsspec memory store."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest

from storage.archive import ArchiveStore, archive_key
from storage.errors import ArchiveCorrupt, ArchiveError, ArchiveMissing

PDF = b"%PDF-1.7\n\xe9\x83\xa8\xe9\x97\xa8\xe5\x86\xb3\xe7\xae\x97\n%%EOF\n"
SHA = hashlib.sha256(PDF).hexdigest()


@pytest.fixture(params=["local", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ArchiveStore:
    if request.param == "local":
        return ArchiveStore(tmp_path / "archive")
    return ArchiveStore(f"memory://bw-{uuid.uuid4().hex}")


def test_put_then_get_returns_the_bytes(store: ArchiveStore) -> None:
    ref = store.put(PDF)
    assert (ref.sha256, ref.size, ref.key) == (SHA, len(PDF), f"{SHA[:2]}/{SHA[2:4]}/{SHA}")
    assert store.exists(SHA)
    assert store.get(SHA) == PDF


def test_put_is_idempotent(store: ArchiveStore) -> None:
    assert store.put(PDF) == store.put(PDF)
    assert store.get(SHA) == PDF


def test_missing_file(store: ArchiveStore) -> None:
    assert not store.exists("0" * 64)
    with pytest.raises(ArchiveMissing):
        store.get("0" * 64)


def test_local_layout_and_no_temp_files_left(tmp_path: Path) -> None:
    store = ArchiveStore(str(tmp_path))
    store.put(PDF)
    path = store.path_for(SHA)
    assert path == tmp_path / SHA[:2] / SHA[2:4] / SHA and path.read_bytes() == PDF
    assert [p.name for p in path.parent.iterdir()] == [SHA]


def test_damaged_file_is_never_overwritten(tmp_path: Path) -> None:
    store = ArchiveStore(tmp_path)
    store.put(PDF)
    store.path_for(SHA).write_bytes(b"truncated")
    with pytest.raises(ArchiveCorrupt):
        store.put(PDF)
    assert store.path_for(SHA).read_bytes() == b"truncated"


def test_keys_must_be_sha256() -> None:
    with pytest.raises(ArchiveError):
        archive_key("../../etc/passwd")
    with pytest.raises(ArchiveError):
        ArchiveStore("memory://x").get("ABC")


def test_path_for_refuses_remote_stores() -> None:
    with pytest.raises(ArchiveError):
        ArchiveStore("memory://remote").path_for(SHA)
