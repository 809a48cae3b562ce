"""Crawler errors.

    CrawlerError
    ├── SourceConfigError   the source registry (YAML) is unreadable or invalid
    ├── UnsafeArchiveError  a ZIP exceeds a limit or holds an unsafe path
    └── CrawlRunError       the crawl subprocess could not run at all

Problems of a single page or file are not exceptions: they become
``crawl_event`` rows of the run and the crawl goes on.
"""

from __future__ import annotations

__all__ = ["CrawlerError", "SourceConfigError", "UnsafeArchiveError", "CrawlRunError"]


class CrawlerError(Exception):
    """Base of every error raised by ``crawler``."""


class SourceConfigError(CrawlerError):
    """The source registry cannot be loaded or an entry is invalid."""


class UnsafeArchiveError(CrawlerError):
    """A ZIP attachment breaks a safety limit (size, ratio, count, path)."""


class CrawlRunError(CrawlerError):
    """The crawl subprocess failed to start or died before recording a run."""
