"""A local replica of government disclosure sites, for tests and the demo.

``ReplicaSite`` serves the sections of ``demo.site_catalog`` on loopback
(port 0 by default) under two host names: pages on ``127.0.0.1``,
attachments on ``localhost``. It answers ``ETag`` / ``Last-Modified``
conditional requests with 304, serves ``robots.txt`` and Hanweb data
requests, logs every request (with its time), and between two crawls can
publish a new document, replace a file in place, withdraw one, break a
list (empty, redirect loop, challenge page) and mend it again.

    python -m demo.site --port 8800 --write-sources var/replica-sources.yaml
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from urllib.parse import parse_qs

from demo.site_bulk import BULK, build_bulk
from demo.site_catalog import CZJ, XINXIANG, YANSHI, ZHONGZHAN, build_sections, pdf_attachment
from demo.site_files import DocSpec, render_disclosure
from demo.site_pages import Article, Attachment, Section, article_path, data_records, detail_page, list_pages

__all__ = ["ReplicaSite", "Resource", "LoggedRequest", "REPLICA_POLITENESS", "DEFAULT_SECTIONS", "HOSTILE_SECTIONS", "main"]

PAGES_HOST = "127.0.0.1"
FILES_HOST = "localhost"
ROBOTS = b"User-agent: *\nDisallow: /admin/\n"
# Registry politeness for the replica: only delays and timeouts change.
REPLICA_POLITENESS = {
    "download_delay": 0,
    "autothrottle_start_delay": 0.01,
    "autothrottle_max_delay": 0.2,
    "download_timeout": 1.5,
    "retry_times": 1,
    "retry_backoff": 0.1,
}
_SOURCES = {
    ZHONGZHAN: ("replica-zhongzhan", "焦作市中站区人民政府（本地仿真）", "县"),
    XINXIANG: ("replica-xinxiang", "新乡市人民政府（本地仿真）", "市"),
    CZJ: ("replica-czj", "新乡市财政局（本地仿真）", "市"),
    YANSHI: ("replica-yanshi", "洛阳市偃师区人民政府（本地仿真）", "县"),
    BULK: ("replica-bulk", "新乡市部门预决算（本地仿真，大量文件）", "市"),
}
DEFAULT_SECTIONS = (ZHONGZHAN, XINXIANG)
HOSTILE_SECTIONS = (ZHONGZHAN, XINXIANG, CZJ)  # with the createPageHTML list and generic links
BREAKAGES = ("empty", "redirect_loop", "challenge")
DATA_PROXY = "/module/web/jpage/dataproxy.jsp"
_STREAM_CHUNK = 1024 * 1024


@dataclass
class Resource:
    body: bytes
    content_type: str
    last_modified: datetime
    disposition: bytes | None = None
    delay: float = 0.0
    redirect: str | None = None  # answer 302 to this path
    stream_bytes: int = 0  # stream this many bytes, no Content-Length

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'


@dataclass(frozen=True)
class LoggedRequest:
    host: str
    path: str
    status: int
    bytes: int
    conditional: bool
    at: float = 0.0  # time.monotonic() when the request arrived


def _not_modified(headers: Any, resource: Resource) -> bool:
    if tags := headers.get("If-None-Match"):
        return resource.etag in [t.strip() for t in tags.split(",")]
    if since := headers.get("If-Modified-Since"):
        try:
            return resource.last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        return None

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        site = self.server.site
        arrived = time.monotonic()
        host = urlsplit(f"//{self.headers.get('Host', '')}").hostname or PAGES_HOST
        resource = site.resource(host, self.path)
        conditional = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))
        if resource is not None and resource.redirect:
            self._send(302, {"Location": resource.redirect}, b"")
            site.log(LoggedRequest(host, self.path, 302, 0, conditional, arrived))
            return
        if resource is not None and resource.stream_bytes:
            sent = self._stream(resource.stream_bytes)
            site.log(LoggedRequest(host, self.path, 200, sent, conditional, arrived))
            return
        if resource is None:
            body = "<html><body><h1>404 页面不存在</h1></body></html>".encode()
            self._send(404, {"Content-Type": "text/html; charset=utf-8"}, body)
            site.log(LoggedRequest(host, self.path, 404, len(body), conditional, arrived))
            return
        if resource.delay:
            time.sleep(resource.delay)
        headers = {
            "Content-Type": resource.content_type,
            "ETag": resource.etag,
            "Last-Modified": format_datetime(resource.last_modified, usegmt=True),
        }
        if _not_modified(self.headers, resource):
            self._send(304, headers, b"")
            site.log(LoggedRequest(host, self.path, 304, 0, conditional, arrived))
            return
        if resource.disposition:
            # http.server writes headers as latin-1: this sends the raw bytes.
            headers["Content-Disposition"] = resource.disposition.decode("latin-1")
        self._send(200, headers, resource.body)
        site.log(LoggedRequest(host, self.path, 200, len(resource.body), conditional, arrived))

    def _stream(self, size: int) -> int:
        """A PDF-looking body of ``size`` bytes, sent in chunks with no
        Content-Length (HTTP/1.0: the end is the connection closing).
        Returns the bytes written before the client hung up."""
        sent = 0
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.end_headers()
            chunk = b"%PDF-1.4\n" + b"0" * (_STREAM_CHUNK - 9)
            while sent < size:
                piece = chunk[: size - sent]
                self.wfile.write(piece)
                sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler stopped reading at its limit
        return sent

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to do


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: ReplicaSite


class ReplicaSite:
    """The replica, serving in a background thread (``with ReplicaSite() as site``)."""

    def __init__(self, port: int = 0, *, epoch: datetime | None = None, bulk: int = 0) -> None:
        """``bulk``: add a section of that many small disclosures (``demo.site_bulk``)."""
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.site = self
        self.port = self._server.server_address[1]
        self.pages_base = f"http://{PAGES_HOST}:{self.port}"
        self.files_base = f"http://{FILES_HOST}:{self.port}"
        self._lock = threading.Lock()
        self._clock = epoch or datetime(2024, 11, 1, 8, 0, tzinfo=UTC)
        self.sections: dict[str, Section] = build_sections(self.files_base)
        if bulk:
            self.sections[BULK] = build_bulk(self.files_base, bulk)
        self._resources: dict[tuple[str, str], Resource] = {}
        self.requests: list[LoggedRequest] = []
        self._thread: threading.Thread | None = None
        self._rebuild()

    # -- serving --------------------------------------------------------------

    def start(self) -> ReplicaSite:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted (the CLI)."""
        try:
            self._server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self._server.server_close()

    def __enter__(self) -> ReplicaSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def resource(self, host: str, path: str) -> Resource | None:
        kind = "files" if host == FILES_HOST else "pages"
        if kind == "pages" and path.startswith(DATA_PROXY + "?"):
            return self._data_request(path)
        with self._lock:
            return self._resources.get((kind, path))

    def _data_request(self, path: str) -> Resource | None:
        """Hanweb's data request: records startrecord..endrecord of a column."""
        query = {k: v[0] for k, v in parse_qs(path.split("?", 1)[1]).items()}
        section = next((s for s in self.sections.values() if s.layout == "hanweb"), None)
        try:
            start, end = int(query["startrecord"]), int(query["endrecord"])
        except (KeyError, ValueError):
            return None
        if section is None:
            return None
        with self._lock:
            stamp = self._clock
        return Resource(data_records(section, start, end).encode(), "text/xml; charset=utf-8", stamp)

    def log(self, entry: LoggedRequest) -> None:
        with self._lock:
            self.requests.append(entry)

    def take_log(self) -> list[LoggedRequest]:
        """The requests served since the last call."""
        with self._lock:
            taken, self.requests = self.requests, []
        return taken

    # -- content ----------------------------------------------------------------

    def _tick(self) -> datetime:
        self._clock += timedelta(seconds=1)
        return self._clock

    def _rebuild(self) -> None:
        """(Re)render every resource; unchanged bodies keep their dates."""
        fresh: dict[tuple[str, str], Resource] = {
            ("pages", "/robots.txt"): Resource(ROBOTS, "text/plain", self._clock),
            ("files", "/robots.txt"): Resource(ROBOTS, "text/plain", self._clock),
        }
        html = "text/html; charset=utf-8"
        for section in self.sections.values():
            if section.broken == "redirect_loop":
                twin = section.list_path + "?from=portal"
                fresh[("pages", section.list_path)] = Resource(b"", html, self._clock, redirect=twin)
                fresh[("pages", twin)] = Resource(b"", html, self._clock, redirect=section.list_path)
            else:
                for path, text in list_pages(section).items():
                    fresh[("pages", path)] = Resource(text.encode(), html, self._clock)
            for article in section.articles:
                page = detail_page(section, article).encode()
                fresh[("pages", article.path)] = Resource(page, html, self._clock, delay=article.delay)
                for attachment in article.attachments:
                    fresh.update(self._file_resources(attachment))
        with self._lock:
            stamp = self._tick()
            for key, resource in fresh.items():
                old = self._resources.get(key)
                resource.last_modified = old.last_modified if old and old.body == resource.body else stamp
            self._resources = fresh

    def _file_resources(self, attachment: Attachment) -> dict[tuple[str, str], Resource]:
        parts = urlsplit(attachment.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if attachment.redirect_loop:
            twin = path + ("&" if parts.query else "?") + "from=cdn"
            return {
                ("files", path): Resource(b"", "text/html", self._clock, redirect=twin),
                ("files", twin): Resource(b"", "text/html", self._clock, redirect=path),
            }
        if attachment.stream_bytes:
            return {("files", path): Resource(b"", attachment.content_type, self._clock, stream_bytes=attachment.stream_bytes)}
        if attachment.body is None:
            return {}
        return {("files", path): Resource(attachment.body, attachment.content_type, self._clock, attachment.disposition)}

    def break_list(self, section_id: str, how: str | None) -> None:
        """Break a section's list pages (``empty``, ``redirect_loop``,
        ``challenge``), or mend them (``None``); articles and files stay."""
        if how is not None and how not in BREAKAGES:
            raise ValueError(f"unknown breakage {how!r}; one of {BREAKAGES}")
        self.sections[section_id].broken = how
        self._rebuild()

    def restore_file(self, url: str) -> None:
        """Put a withdrawn file back at its URL (rendered anew from its spec)."""
        attachment = self._attachment(url)
        attachment.body = render_disclosure(attachment.spec)
        self._rebuild()

    def publish_stream(self, section_id: str, title: str, size: int) -> str:
        """An article whose attachment streams ``size`` bytes with no
        Content-Length (a hostile or broken server); returns its URL."""
        section = self.sections[section_id]
        day = date(2024, 3, 1)
        url = f"{self.files_base}/files/{section_id}/stream-{len(section.articles)}.pdf"
        attachment = Attachment(f"{title}.pdf", url, b"", stream_bytes=size)
        section.articles.insert(0, Article(title, day, article_path(section, day, 900 + len(section.articles)), [attachment]))
        self._rebuild()
        return url

    def publish(self, section_id: str, spec: DocSpec, *, published: date | None = None) -> Article:
        """Put a new article with one PDF on top of a section's list."""
        section = self.sections[section_id]
        day = published or date(spec.year, 3, 1)
        title = f"{spec.year}年度{spec.department}{spec.scope}{spec.kind}公开"
        path = article_path(section, day, 100 + len(section.articles))
        article = Article(title, day, path, [pdf_attachment(self.files_base, section_id, spec)])
        section.articles.insert(0, article)
        self._rebuild()
        return article

    def _attachment(self, url: str) -> Attachment:
        for section in self.sections.values():
            for article in section.articles:
                for attachment in article.attachments:
                    if attachment.url == url:
                        return attachment
        raise KeyError(url)

    def replace_file(self, url: str, body: bytes | None = None) -> bytes:
        """Silently replace the file at ``url`` (same URL, new bytes).

        Without ``body`` the same document is re-rendered in landscape, as
        when a department re-exports its file.
        """
        attachment = self._attachment(url)
        if body is None:
            body = render_disclosure(dataclasses.replace(attachment.spec, variant="ruled_landscape"))
        attachment.body = body
        self._rebuild()
        return body

    def unlist(self, article_path: str) -> None:
        """Drop an article from its list; its page and files stay online."""
        for section in self.sections.values():
            for article in section.articles:
                if article.path == article_path:
                    article.listed = False
        self._rebuild()

    def withdraw_file(self, url: str) -> None:
        """Take the file at ``url`` down: it answers 404 from now on."""
        self._attachment(url).body = None
        self._rebuild()

    def source_entries(self, sections: tuple[str, ...] = DEFAULT_SECTIONS) -> list[dict[str, Any]]:
        """Registry entries (``crawler/sources.yaml`` form) for the sections."""
        entries = []
        for section_id in sections:
            section = self.sections[section_id]
            source_id, name, region = _SOURCES[section_id]
            entries.append(
                {
                    "id": source_id,
                    "name": name,
                    "region": region,
                    "layout": section.layout,
                    "start_urls": [self.pages_base + section.list_path],
                    "allowed_hosts": [PAGES_HOST, FILES_HOST],
                    "verified": True,
                    "enabled": True,
                    "politeness": dict(REPLICA_POLITENESS),
                }
            )
        return entries

    def write_sources(self, path: Path, sections: tuple[str, ...] = DEFAULT_SECTIONS) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump({"sources": self.source_entries(sections)}, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m demo.site", description="本地仿真的政府预决算公开网站")
    parser.add_argument("--port", type=int, default=8800, help="监听端口（127.0.0.1）")
    parser.add_argument("--write-sources", type=Path, help="写出对应的来源登记文件（YAML）")
    parser.add_argument("--all", action="store_true", help="来源登记包含全部四个仿真网站（含 TRS 脚本翻页、通用链接文字的新乡市财政局和偃师区）")
    args = parser.parse_args(argv)
    site = ReplicaSite(args.port)
    if args.write_sources:
        sections = tuple(site.sections) if args.all else DEFAULT_SECTIONS
        print(f"来源登记已写入 {site.write_sources(args.write_sources, sections)}")
    print(f"仿真网站：{site.pages_base}/col/col1001/index.html （附件主机 {site.files_base}）")
    site.serve_forever()


if __name__ == "__main__":
    main()
