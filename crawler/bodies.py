"""Response bodies that cannot grow memory past a small spool.

Scrapy's HTTP/1.1 handler collects a body in a ``BytesIO`` until
``DOWNLOAD_MAXSIZE``: a server streaming hundreds of MB without
``Content-Length`` costs that much memory before it is refused. Here the
body is collected in a ``SpooledTemporaryFile`` (memory up to
``SPOOL_BYTES``, then disk) and a body passing the limit is marked on its
request (``failures.OVER_LIMIT_META``) so the failure gets code
``too_large`` and a clear message. ``install()`` swaps the reader class in
the handler module (Scrapy is pinned; ``tests/crawler`` checks the swap).
"""

from __future__ import annotations

import tempfile
from typing import Any

from scrapy.core.downloader.handlers import http11

from crawler.failures import OVER_LIMIT_META

__all__ = ["SpooledBody", "install", "SPOOL_BYTES"]

SPOOL_BYTES = 4 * 1024 * 1024


class SpooledBody:
    """The part of ``BytesIO`` the reader uses, kept mostly on disk."""

    def __init__(self) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)

    def write(self, data: bytes) -> None:
        self._file.write(data)

    def truncate(self, size: int = 0) -> None:
        """Drop the body (the reader does this when it refuses one)."""
        self._file.close()
        self._file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)

    def getvalue(self) -> bytes:
        self._file.seek(0)
        data = self._file.read()
        self._file.close()
        return data


class _SpooledReader(http11._ResponseReader):  # type: ignore[misc,name-defined]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._bodybuf = SpooledBody()

    def dataReceived(self, data: bytes) -> None:  # noqa: N802 - Twisted API
        if self._maxsize and not self._finished.called and self._bytes_received + len(data) > self._maxsize:
            self._request.meta[OVER_LIMIT_META] = self._maxsize
        super().dataReceived(data)


def install() -> None:
    """Make Scrapy's HTTP/1.1 handler collect bodies in ``SpooledBody``."""
    http11._ResponseReader = _SpooledReader
