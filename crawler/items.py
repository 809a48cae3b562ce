"""What the spider hands to the pipeline: plain dataclasses, no DB types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler.classify import Classification

__all__ = ["PageFetched", "FileFetched", "Unchanged", "Gone", "Event"]


@dataclass
class PageFetched:
    """A list or detail page that came back 200.

    ``page`` is what the page links to (``title``, ``date``, ``links``);
    detail pages keep their ``body`` for the archive.
    """

    url: str
    role: str
    etag: str | None
    last_modified: str | None
    content_type: str | None
    page: dict[str, Any]
    body: bytes | None = None


@dataclass
class FileFetched:
    """A candidate file (or a detail page that is itself the disclosure)."""

    url: str
    final_url: str
    body: bytes
    file_name: str | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    link_text: str | None
    page_url: str | None
    published: str | None
    classification: Classification
    declared_format: str | None = None  # "html" for a page that is the document


@dataclass
class Unchanged:
    """A URL that answered 304 to our conditional request."""

    url: str
    role: str


@dataclass
class Gone:
    """A URL that answered 404 or 410."""

    url: str
    role: str
    status: int
    title: str | None = None


@dataclass
class Event:
    """Something to record in ``crawl_event`` (error, warning, skipped, info)."""

    level: str
    code: str
    url: str | None = None
    message: str = ""
    title: str | None = None
