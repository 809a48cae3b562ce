"""Alert test fixtures: a stored world of findings, a real SMTP server
(aiosmtpd) and a real HTTP webhook receiver, both on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiosmtpd.controller import Controller
from sqlalchemy import Engine

from analysis.findings import Category, Finding, Severity
from config import Settings
from storage.db import session_scope
from storage.findings import store_findings
from storage.models import Document, DocumentVersion

BASE_URL = "https://bw.example.org"
NIGHT_1 = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)  # 12月2日 02:00 in Beijing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd hook
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


@dataclass
class SmtpServer:
    port: int
    inbox: _Inbox

    def url(self, to: str = "committee@example.org") -> str:
        return f"mailto://127.0.0.1:{self.port}?mode=insecure&from=bw@example.org&to={to}"

    @property
    def messages(self) -> list[EmailMessage]:
        return self.inbox.messages


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(port, inbox)
    finally:
        controller.stop()


@dataclass
class Webhook:
    """Receives ``json://`` posts; ``down`` makes it answer 503; ``on_post`` runs before answering."""

    port: int
    posts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    down: set[str] = field(default_factory=set)
    on_post: Callable[[str, dict[str, Any]], None] | None = None

    def url(self, path: str) -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def findings(self, path: str) -> list[dict[str, Any]]:
        return [f for post in self.posts.get(path, []) for f in json.loads(post["message"])["findings"]]


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook(0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server hook
            path = self.path.strip("/")
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if path in hook.down:
                self.send_response(503)
                self.end_headers()
                return
            hook.posts.setdefault(path, []).append(body)
            if hook.on_post:
                hook.on_post(path, body)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()


def write_config(path: Path, channels: list[dict[str, Any]], routes: list[dict[str, Any]] | None = None,
                 **extra: Any) -> Path:
    data = {"version": 1, "channels": channels, "routes": routes if routes is not None else
            [{"to": sorted({t for c in channels for t in c.get("tags", [])})}],
            "retry": {"attempts": 2, "backoff_seconds": 0}, **extra}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def settings_for(tmp_path: Path, alerts: Path) -> Settings:
    return Settings(home=tmp_path, alerts=alerts, base_url=BASE_URL)


def finding(department: str, index: int, severity: Severity = Severity.HIGH, *,
            category: Category = Category.CONSISTENCY, actual: Decimal | None = None,
            document: tuple[str, str] | None = None) -> Finding:
    """A consistency finding with values and provenance, one per (department, index)."""
    doc_id, version_id = document or (None, None)
    return Finding(
        rule_id="arithmetic.row_sum", category=category, severity=severity, department=department, kind="决算",
        year=2025, message=f"第 {index} 行合计与分项之和不符", table_id="final_expenditure", row_key=f"2010{index:02d}",
        column_key="total", page=3 + index % 5, expected=Decimal("599.47") + index,
        actual=actual if actual is not None else Decimal("598.47") + index,
        document_id=doc_id, version_id=version_id,
    )


def add_document(engine: Engine, department: str, sha256: str, source_id: str = "jiaozuo-city") -> tuple[str, str]:
    """A stored document with one version; (document id, version id) as findings record them."""
    now = NIGHT_1
    with session_scope(engine) as session:
        document = Document(url=f"https://example.gov.cn/{sha256[:8]}.pdf", source_id=source_id, kind="决算",
                            scope="部门", year=2025, department=department, title=f"{department}2025年部门决算",
                            first_seen=now, last_seen=now)
        session.add(document)
        session.flush()
        version = DocumentVersion(document_id=document.id, sha256=sha256, size=100, created_at=now)
        session.add(version)
        session.flush()
        return str(document.id), str(version.id)


def store(engine: Engine, findings: list[Finding], now: datetime = NIGHT_1) -> None:
    with session_scope(engine) as session:
        store_findings(session, findings, now)
