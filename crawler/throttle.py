"""Per-host politeness across every source of a run.

``crawler.run`` crawls all sources with one spider, so Scrapy's download
slots are per host whatever source a request serves: one request at a time
per host and one robots.txt per host. ``host_slots`` gives each host the
strictest delay of the sources that fetch from it; ``HostAutoThrottle``
keeps AutoThrottle from adjusting a host below that delay (stock
AutoThrottle's floor is the global ``DOWNLOAD_DELAY``).
"""

from __future__ import annotations

from typing import Any

from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings

from crawler.sources import Source

__all__ = ["HostAutoThrottle", "host_slots"]


def host_slots(sources: list[Source], default_delay: float) -> dict[str, dict[str, Any]]:
    """``DOWNLOAD_SLOTS``: per host, one request at a time, the largest
    delay any source on it asks for, no jitter (the delay is a floor)."""
    slots: dict[str, dict[str, Any]] = {}
    for source in sources:
        delay = float(source.politeness.get("download_delay", default_delay))
        for host in source.allowed_hosts:
            slot = slots.setdefault(host, {"concurrency": 1, "delay": delay, "jitter": 0})
            slot["delay"] = max(slot["delay"], delay)
    return slots


class HostAutoThrottle(AutoThrottle):
    """AutoThrottle that never goes below a host's configured delay."""

    def _floor(self, key: str, settings: BaseSettings) -> float:
        return float(settings.getdict("DOWNLOAD_SLOTS").get(key, {}).get("delay", 0.0))

    def _response_downloaded(self, response: Response, request: Request, spider: Any) -> None:
        super()._response_downloaded(response, request, spider)
        key, slot = self._get_slot(request, spider)
        if key is not None and slot is not None:
            slot.delay = max(slot.delay, self._floor(key, self.crawler.settings))
