"""Safe ZIP unpacking: size, ratio, count and path limits."""

from __future__ import annotations

import io
import zipfile

import pytest

from crawler.errors import UnsafeArchiveError
from crawler.unpack import ZipLimits, unpack_zip


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_two_pdfs_come_out() -> None:
    entries = unpack_zip(_zip({"甲单位2024年度单位预算.pdf": b"%PDF-a", "乙/乙单位.pdf": b"%PDF-b"}))
    assert [(e.name, e.data) for e in entries] == [("甲单位2024年度单位预算.pdf", b"%PDF-a"), ("乙/乙单位.pdf", b"%PDF-b")]


class _GbkInfo(zipfile.ZipInfo):
    """An entry named in raw GBK without the UTF-8 flag, as Chinese Windows tools write."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 - zipfile hook
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def test_gbk_entry_names_are_decoded() -> None:
    name = "甲单位预算.pdf"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_GbkInfo(name), b"%PDF-x")
    assert unpack_zip(buffer.getvalue())[0].name == name


@pytest.mark.parametrize("name", ["../evil.pdf", "/etc/passwd", "a/../../b.pdf", "C:/x.pdf"])
def test_path_traversal_is_refused(name: str) -> None:
    with pytest.raises(UnsafeArchiveError):
        unpack_zip(_zip({name: b"%PDF-"}))


def test_zip_bomb_ratio_is_refused() -> None:
    with pytest.raises(UnsafeArchiveError, match="ratio"):
        unpack_zip(_zip({"bomb.pdf": b"\0" * 5_000_000}))


def test_total_size_is_refused() -> None:
    with pytest.raises(UnsafeArchiveError):
        unpack_zip(_zip({"a.pdf": bytes(range(256)) * 40}), ZipLimits(max_total_bytes=5000, max_ratio=1000))


def test_entry_count_is_refused() -> None:
    with pytest.raises(UnsafeArchiveError, match="entries"):
        unpack_zip(_zip({f"{i}.pdf": b"x" for i in range(6)}), ZipLimits(max_entries=5))


def test_not_a_zip_is_refused() -> None:
    with pytest.raises(UnsafeArchiveError):
        unpack_zip(b"PK\x03\x04 but broken")
