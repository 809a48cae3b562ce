"""Preview: the digests a run would send, written to files, nothing stored or sent.

The run is composed exactly as ``deliver_alerts`` would compose it, inside a
transaction that is rolled back. ``screenshot`` renders an email digest in
headless Chromium (Debian's ``/usr/bin/chromium`` through Playwright).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from alerts.config import load_alert_config
from alerts.deliver import queue_run
from alerts.errors import AlertError
from alerts.send import build_notifiers
from config import Settings
from pipeline.runs import RunSummary

__all__ = ["PreviewFile", "preview_run", "screenshot", "CHROMIUM"]

CHROMIUM = Path("/usr/bin/chromium")
_EXTENSIONS = {"email": "html", "json": "json"}
_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class PreviewFile:
    channel: str
    subject: str
    path: Path
    format: str


def preview_run(engine: Engine, settings: Settings, run_id: int | None, now: datetime,
                figures: RunSummary | None, out: Path) -> list[PreviewFile]:
    """Write each channel's digest for this run under ``out``; the database is left unchanged."""
    if settings.alerts is None:
        raise AlertError("未配置告警渠道（设置 BUDGETWATCH_ALERTS 指向告警配置文件）")
    config = load_alert_config(settings.alerts)
    build_notifiers(config)  # the same configuration check as a real run
    out.mkdir(parents=True, exist_ok=True)
    files = []
    with Session(engine) as session:
        try:
            messages = queue_run(session, config, settings, run_id, now, figures)
        finally:
            session.rollback()
    for message in messages:
        fmt = message.payload["format"]
        stem = _UNSAFE.sub("_", message.channel).strip("_") or "channel"
        path = out / f"{stem}.{_EXTENSIONS.get(fmt, 'txt')}"
        path.write_text(message.payload["body"], encoding="utf-8")
        files.append(PreviewFile(message.channel, message.subject, path, fmt))
        if message.payload.get("csv"):
            path.with_suffix(".csv").write_text(message.payload["csv"], encoding="utf-8")
    return files


def screenshot(html: Path, png: Path, *, width: int = 1100) -> Path:
    """A full-page PNG of ``html`` in headless Chromium."""
    from playwright.sync_api import Error, sync_playwright

    if not CHROMIUM.exists():
        raise AlertError(f"未找到 {CHROMIUM}：请先运行 bash scripts/setup（安装 chromium 与 fonts-noto-cjk）")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            try:
                page = browser.new_page(viewport={"width": width, "height": 800})
                page.goto(html.resolve().as_uri())
                page.screenshot(path=str(png), full_page=True)
            finally:
                browser.close()
    except Error as exc:
        raise AlertError(f"截图失败：{exc}") from exc
    return png
