"""What the spider hands to the pipeline: plain dataclasses, no DB types.

Every item names the source it was found for (``source_id``, stamped by the
spider): one crawl process serves all sources of a run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler.classify import Classification, Region

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
    list_entry: str | None = None  # detail pages: the list entry that led here
    source_id: str = ""


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
    list_entry: str | None = None  # the list entry that led here (text|date)
    region: Region | None = None  # the source's, for what a ZIP holds
    source_id: str = ""


@dataclass
class Unchanged:
    """A URL that answered 304 to our conditional request."""

    url: str
    role: str
    deferred: bool = False  # not due for revalidation: not asked at all
    list_entry: str | None = None
    source_id: str = ""


@dataclass
class Gone:
    """A URL that answered 404 or 410."""

    url: str
    role: str
    status: int
    title: str | None = None
    source_id: str = ""


@dataclass
class Event:
    """Something to record in ``crawl_event`` (error, warning, skipped, info)."""

    level: str
    code: str
    url: str | None = None
    message: str = ""
    title: str | None = None
    source_id: str = ""
