"""Backfill: ingest a folder of files or a list of URLs (a region's history), as one recorded run."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import httpx

from config import Settings
from parsers.errors import ParseError
from parsers.limits import LIMITS, read_regular_file
from parsers.text import file_name
from pipeline.check import check_changed, configured_rules
from pipeline.ingest import ERROR, REPARSED, REUSED, STORED, archive_and_record, parse_versions, versions_to_parse
from pipeline.parse_worker import ParseLimits
from pipeline.runner import LocalRunner, StepRunner
from pipeline.runs import RunSummary, finish_run, record_event, start_run
from storage import ArchiveStore, make_engine, migrate, session_scope
from storage.repository import FetchMeta

__all__ = ["backfill", "MAX_DOWNLOAD_BYTES", "DOWNLOAD_TIMEOUT_SECONDS"]

MAX_DOWNLOAD_BYTES = LIMITS.file_bytes  # the parser refuses larger files
DOWNLOAD_TIMEOUT_SECONDS = 60.0
MAX_REDIRECTS = 5


def _files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path


def _download(client: httpx.Client, url: str) -> bytes:
    with client.stream("GET", url) as response:
        response.raise_for_status()
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_DOWNLOAD_BYTES:
                raise ValueError(f"文件超过 {MAX_DOWNLOAD_BYTES // 1024 // 1024} MB 上限")
            chunks.append(chunk)
        return b"".join(chunks)


def backfill(settings: Settings, *, paths: Sequence[Path] = (), urls: Sequence[str] = (),
             runner: StepRunner | None = None, today: date | None = None) -> tuple[int, RunSummary]:
    """Archive and record every file (and URL), parse what is new, check what changed."""
    from analysis import load_identity

    engine = make_engine(settings.database_url)
    migrate(engine)
    archive = ArchiveStore(settings.archive_dir)
    run_id = start_run(engine, "ingest")
    summary = RunSummary()

    def keep(data: bytes, name: str, url: str | None = None) -> None:
        with session_scope(engine) as session:
            archive_and_record(session, archive, data, name, url=url, fetch=FetchMeta(final_url=url) if url else None)

    for path in _files(paths):
        try:
            keep(read_regular_file(path), file_name(path))
        except (OSError, ParseError) as exc:  # a device, a pipe, beyond the size bound: refused unread
            record_event(engine, run_id, "ingest", "error", "unreadable_file", str(exc), url=file_name(path))
    with httpx.Client(timeout=DOWNLOAD_TIMEOUT_SECONDS, follow_redirects=True, max_redirects=MAX_REDIRECTS) as client:
        for url in urls:
            try:
                keep(_download(client, url), url.rsplit("/", 1)[-1] or url, url)
            except (httpx.HTTPError, ValueError) as exc:
                record_event(engine, run_id, "ingest", "error", "download_failed", f"{type(exc).__name__}: {exc}", url=url)
    report = parse_versions(engine, archive, versions_to_parse(engine), ParseLimits.from_settings(settings),
                            settings.parse_workers, runner=runner or LocalRunner())
    counts = report.counts
    summary.parsed, summary.parse_failed, summary.parse_reused = counts[STORED] + counts[REPARSED], counts[ERROR], counts[REUSED]
    for version_id, (code, message) in report.errors.items():
        record_event(engine, run_id, "parse", "error", code, message, version_id=version_id)
    result = check_changed(engine, configured_rules(settings.rules), load_identity(), today or date.today())
    summary.departments_checked = result.departments_checked
    summary.findings_new, summary.findings_resolved = result.findings_new, result.findings_resolved
    finish_run(engine, run_id, summary)
    return run_id, summary
