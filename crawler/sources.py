"""The source registry: the government sites watched, read from YAML.

See ``docs/sources.md`` for the fields. Loading validates every entry and
fails with ``SourceConfigError`` naming the bad one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from crawler.classify import Region, place_of
from crawler.errors import SourceConfigError

__all__ = ["Source", "load_sources", "parse_sources", "REGIONS", "LAYOUT_NAMES", "POLITENESS_SETTINGS"]

REGIONS = ("省", "市", "县")
LAYOUT_NAMES = ("auto", "hanweb", "trs", "plain")
# Registry politeness keys → Scrapy settings they override for that source.
POLITENESS_SETTINGS = {
    "download_delay": "DOWNLOAD_DELAY",
    "download_timeout": "DOWNLOAD_TIMEOUT",
    "autothrottle_start_delay": "AUTOTHROTTLE_START_DELAY",
    "autothrottle_max_delay": "AUTOTHROTTLE_MAX_DELAY",
    "retry_times": "RETRY_TIMES",
    "retry_backoff": "BUDGETWATCH_RETRY_BACKOFF",
    "max_file_bytes": "DOWNLOAD_MAXSIZE",
    "user_agent": "USER_AGENT",
}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Source:
    """One watched site.

    ``hints``: ``detail_pattern`` (regex a detail-page URL matches; adds to
    the layout's), ``list_pattern`` (regex of further list pages to follow),
    ``max_list_pages`` (pagination cap per start URL, default 50).
    """

    id: str
    name: str
    region: str
    start_urls: tuple[str, ...]
    allowed_hosts: tuple[str, ...]
    layout: str = "auto"
    enabled: bool = True
    verified: bool = False
    hints: dict[str, Any] = field(default_factory=dict)
    politeness: dict[str, Any] = field(default_factory=dict)
    place: str | None = None  # 焦作市中站区; default: the place the name starts with

    @property
    def home(self) -> Region:
        """The source's region as a classification clue."""
        return Region(self.place or place_of(self.name), self.region)

    def scrapy_settings(self) -> dict[str, Any]:
        """This source's politeness overrides as Scrapy settings."""
        return {POLITENESS_SETTINGS[k]: v for k, v in self.politeness.items()}

    def allows(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        return host in self.allowed_hosts


def _source(entry: Any, index: int) -> Source:
    if not isinstance(entry, dict):
        raise SourceConfigError(f"entry {index} is not a mapping")
    where = f"source {entry.get('id', index)!r}"
    missing = [k for k in ("id", "name", "region", "start_urls") if not entry.get(k)]
    if missing:
        raise SourceConfigError(f"{where}: missing {', '.join(missing)}")
    if not _ID.match(str(entry["id"])):
        raise SourceConfigError(f"{where}: id must be lowercase letters, digits, - or _")
    if entry["region"] not in REGIONS:
        raise SourceConfigError(f"{where}: region must be one of {'/'.join(REGIONS)}")
    layout = entry.get("layout", "auto")
    if layout not in LAYOUT_NAMES:
        raise SourceConfigError(f"{where}: layout must be one of {', '.join(LAYOUT_NAMES)}")
    unknown = set(entry.get("politeness") or {}) - set(POLITENESS_SETTINGS)
    if unknown:
        raise SourceConfigError(f"{where}: unknown politeness keys {sorted(unknown)}")
    start_urls = tuple(entry["start_urls"])
    hosts = tuple(entry.get("allowed_hosts") or ())
    hosts = hosts or tuple(sorted({urlsplit(u).hostname or "" for u in start_urls}))
    for url in start_urls:
        if urlsplit(url).scheme not in ("http", "https") or urlsplit(url).hostname not in hosts:
            raise SourceConfigError(f"{where}: start URL {url!r} is not http(s) on an allowed host")
    hints = dict(entry.get("hints") or {})
    for key in ("detail_pattern", "list_pattern"):
        if key in hints:
            try:
                re.compile(hints[key])
            except re.error as exc:
                raise SourceConfigError(f"{where}: bad {key}: {exc}") from exc
    return Source(
        id=entry["id"],
        name=entry["name"],
        region=entry["region"],
        start_urls=start_urls,
        allowed_hosts=hosts,
        layout=layout,
        enabled=bool(entry.get("enabled", True)),
        verified=bool(entry.get("verified", False)),
        hints=hints,
        politeness=dict(entry.get("politeness") or {}),
        place=entry.get("place"),
    )


def parse_sources(data: Any) -> list[Source]:
    """Sources from the parsed YAML document (``{sources: [...]}``)."""
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise SourceConfigError("the registry must be a mapping with a 'sources' list")
    sources = [_source(entry, i) for i, entry in enumerate(data["sources"])]
    ids = [s.id for s in sources]
    if dupes := sorted({i for i in ids if ids.count(i) > 1}):
        raise SourceConfigError(f"duplicate source ids: {dupes}")
    return sources


def load_sources(path: Path) -> list[Source]:
    """Every source of the registry file, enabled or not."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SourceConfigError(f"cannot read source registry {path}: {exc}") from exc
    return parse_sources(data)
