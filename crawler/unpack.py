"""Unpack ZIP attachments within limits (size, ratio, entry count, paths)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from crawler.errors import UnsafeArchiveError
from crawler.sniff import decode_name

__all__ = ["ZipLimits", "ZipEntry", "unpack_zip"]


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 200
    max_total_bytes: int = 500 * 1024 * 1024
    max_entry_bytes: int = 200 * 1024 * 1024
    max_ratio: float = 100.0


@dataclass(frozen=True)
class ZipEntry:
    name: str
    data: bytes


def _entry_name(info: zipfile.ZipInfo) -> str:
    # Without the UTF-8 flag, zipfile decoded the name as cp437; Chinese
    # Windows tools wrote GBK bytes.
    if info.flag_bits & 0x800:
        return info.filename
    return decode_name(info.filename.encode("cp437"))


def _safe_path(name: str) -> str:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise UnsafeArchiveError(f"unsafe path in ZIP: {name!r}")
    return str(path)


def unpack_zip(body: bytes, limits: ZipLimits = ZipLimits()) -> list[ZipEntry]:
    """The files of a ZIP, refusing the whole archive when a limit is broken.

    Sizes are checked against the header first and against the bytes
    actually read, so a lying header cannot inflate past the limits.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except zipfile.BadZipFile as exc:
        raise UnsafeArchiveError(f"not a readable ZIP: {exc}") from exc
    if len(infos) > limits.max_entries:
        raise UnsafeArchiveError(f"ZIP holds {len(infos)} entries (limit {limits.max_entries})")
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_total_bytes:
        raise UnsafeArchiveError(f"ZIP expands to {declared} bytes (limit {limits.max_total_bytes})")
    entries: list[ZipEntry] = []
    total = 0
    for info in infos:
        name = _safe_path(_entry_name(info))
        if info.file_size > limits.max_entry_bytes:
            raise UnsafeArchiveError(f"ZIP entry {name!r} is {info.file_size} bytes")
        if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
            raise UnsafeArchiveError(f"ZIP entry {name!r} compression ratio exceeds {limits.max_ratio}")
        try:
            with archive.open(info) as handle:
                data = handle.read(limits.max_entry_bytes + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as exc:
            raise UnsafeArchiveError(f"ZIP entry {name!r} unreadable: {exc}") from exc
        total += len(data)
        if len(data) > limits.max_entry_bytes or total > limits.max_total_bytes:
            raise UnsafeArchiveError(f"ZIP entry {name!r} inflates past its limit")
        entries.append(ZipEntry(name, data))
    return entries
