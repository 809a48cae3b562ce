"""Delivery through Apprise: one loaded notifier per channel.

Apprise drops a URL it cannot parse with only a log line, so every channel
is loaded up front and the number of loaded services is checked: a bad URL
is an ``AlertConfigError`` before anything is sent. Error messages name the
channel, never its URL (which holds secrets).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import apprise

from alerts.config import AlertConfig, Channel
from alerts.errors import AlertConfigError

__all__ = ["Notifier", "build_notifiers", "CSV_NAME"]

CSV_NAME = "预决算监测问题清单.csv"
_FORMATS = {"email": apprise.NotifyFormat.HTML, "json": apprise.NotifyFormat.TEXT}
# Their debug lines carry full URLs, paths and payloads (tokens, passwords); warnings name the host only.
_CHATTY_LOGGERS = ("apprise", "urllib3", "requests")


@contextmanager
def _no_debug_lines() -> Iterator[None]:
    """While sending, those loggers stay at INFO or above whatever level the application logs at."""
    loggers = [logging.getLogger(name) for name in _CHATTY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.getEffectiveLevel(), logging.INFO))
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@dataclass
class Notifier:
    """A channel and its Apprise instance (exactly one service)."""

    channel: Channel
    apprise: apprise.Apprise

    def send(self, subject: str, payload: dict[str, Any]) -> str | None:
        """Send one stored message; ``None`` when the service accepted it, else the reason (Chinese)."""
        fmt = payload.get("format", "text")
        # IM services get the subject inside the body (their title is unused or merged).
        title = subject if fmt in ("email", "json") else ""
        try:
            with _no_debug_lines(), tempfile.TemporaryDirectory(prefix="bw-alert-") as folder:
                attach = None
                if payload.get("csv"):
                    path = Path(folder) / CSV_NAME
                    path.write_text(payload["csv"], encoding="utf-8")
                    attach = apprise.AppriseAttachment(str(path))
                accepted = self.apprise.notify(body=payload["body"], title=title,
                                               body_format=_FORMATS.get(fmt, apprise.NotifyFormat.TEXT), attach=attach)
        except Exception as exc:  # a plugin bug must not stop the other channels
            return f"发送时出错：{type(exc).__name__}"
        if accepted is None:
            return "没有可用的服务"
        return None if accepted else "渠道未接受消息（详见 Apprise 日志）"


def _load(channel: Channel) -> apprise.Apprise:
    with _no_debug_lines():
        instance = apprise.Apprise()
        added = instance.add(channel.url)
    if not added or len(instance) != 1:
        raise AlertConfigError(f"渠道 {channel.name} 的地址 Apprise 无法识别（已加载 {len(instance)} 个服务，应为 1 个）")
    return instance


def build_notifiers(config: AlertConfig) -> dict[str, Notifier]:
    """One notifier per channel, in configuration order; raises on any unusable URL."""
    return {channel.name: Notifier(channel, _load(channel)) for channel in config.channels}
