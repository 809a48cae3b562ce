"""The ingest step: archive originals, record their versions, parse them and store the parses.

Parses run in bounded child processes (``pipeline.parse_worker``); a file
that fails, hangs or exhausts memory is stored as that version's error and
the batch goes on. A version the current parser has already read (the same
sha256 and ``parsers.version.parser_version()``) is never parsed again, and
bytes already parsed under another version are reused, not re-read.

Why an original and its version row survive together (issue 9): the archive
is content-addressed, so ``put`` is idempotent, and ``ingest_file`` runs it
inside the transaction that records the version, after the row is written
and before the commit. A kill before the ``put`` leaves neither; a kill
between ``put`` and commit leaves an archived file no row names, which
nothing reads (readers reach the archive only through a version row) and
the next ingest of the file takes as its own; after the commit the row is
``pending`` until its parse is stored, and the next run parses every
pending version. The opposite order could leave a row naming an original
that is not there.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import col, select

from parsers import ParsedDocument
from parsers.sniff import sniff_format
from parsers.errors import ParseError
from parsers.limits import read_regular_file
from parsers.text import file_name
from parsers.version import parser_version
from pipeline.parse_worker import ParseLimits, ParseOutcome, default_workers, parse_isolated
from pipeline.runner import LocalRunner, StepRunner
from storage import ArchiveStore, DocumentVersion, archive_key, load_parsed, record_version, session_scope, store_parse
from storage import VersionRecord, store_parse_error

__all__ = ["ParseJob", "ParseReport", "archive_and_record", "ingest_file", "parse_versions", "run_parse_job", "versions_to_parse"]

# Status of one version after the parse step.
STORED, REPARSED, UNCHANGED, REUSED, ERROR = "stored", "reparsed", "unchanged", "reused", "error"


@dataclass
class ParseReport:
    """What the parse step did, per version id."""

    statuses: dict[int, str] = field(default_factory=dict)
    errors: dict[int, tuple[str, str]] = field(default_factory=dict)

    @property
    def counts(self) -> Counter[str]:
        return Counter(self.statuses.values())


def versions_to_parse(engine: Engine, *, everything: bool = False, source_id: str | None = None,
                      department: str | None = None, year: int | None = None) -> list[int]:
    """Versions not yet read by the current parser (pending ones first), or every
    archived version with ``everything`` (``reparse`` after an upgrade), optionally of
    one source, department or year."""
    from storage import Document

    query = (select(DocumentVersion.id).join(Document, col(Document.id) == col(DocumentVersion.document_id))
             .where(col(DocumentVersion.archive_key).is_not(None)))
    if not everything:
        query = query.where((col(DocumentVersion.parser_version).is_(None))
                            | (col(DocumentVersion.parser_version) != parser_version())
                            | (col(DocumentVersion.parse_status) == "pending"))
    for column, value in ((Document.source_id, source_id), (Document.department, department), (Document.year, year)):
        if value is not None:
            query = query.where(column == value)
    with session_scope(engine) as session:
        return list(session.exec(query.order_by(col(DocumentVersion.id))).all())


@dataclass(frozen=True)
class ParseJob:
    """One archived version to parse; picklable, so it can run on another process or host."""

    version_id: int
    sha256: str
    file_name: str
    archive_root: str
    limits: ParseLimits


def run_parse_job(job: ParseJob) -> tuple[int, ParseOutcome]:
    """Load the original from the archive and parse it in a bounded child process."""
    try:
        data = ArchiveStore(job.archive_root).get(job.sha256)
    except Exception as exc:  # noqa: BLE001 - an unreadable original is this version's error
        return job.version_id, ParseOutcome(None, "archive_unreadable", f"读取存档原件失败：{exc}")
    return job.version_id, parse_isolated(data, job.file_name, job.limits)


def parse_versions(engine: Engine, archive: ArchiveStore, version_ids: Iterable[int], limits: ParseLimits,
                   workers: int = 0, *, force: bool = False, runner: StepRunner | None = None,
                   on_done: Callable[[int, str], None] | None = None) -> ParseReport:
    """Parse archived versions and store each result in its own transaction.

    Each stored result is final, so a run killed at any point resumes with the
    versions it had not stored. ``force`` parses even versions the current
    parser has read (the reparse flow's comparison).
    """
    current = parser_version()
    report = ParseReport()
    jobs: list[ParseJob] = []
    with session_scope(engine) as session:
        for version_id in version_ids:
            version = session.get(DocumentVersion, version_id)
            if version is None or version.archive_key is None:
                continue
            if not force and version.parser_version == current and version.parse_status != "pending":
                report.statuses[version_id] = UNCHANGED
            elif not force and _reuse(session, version, current):
                report.statuses[version_id] = REUSED
            else:
                jobs.append(ParseJob(version_id, version.sha256, version.file_name or version.sha256,
                                     archive.root, limits))
    runner = runner or LocalRunner()
    for version_id, outcome in runner.each(run_parse_job, jobs, name="parse", parallel=workers or default_workers(), retries=1):
        status = _store(engine, version_id, outcome, current)
        report.statuses[version_id] = status
        if status == ERROR:
            report.errors[version_id] = (outcome.error_code or "parse_error", outcome.error_message or "")
        if on_done:
            on_done(version_id, status)
    return report


def ingest_file(path: Path, engine: Engine, archive: ArchiveStore,
                limits: ParseLimits = ParseLimits()) -> tuple[str, ParsedDocument | None]:
    """Archive, record and parse one local file; a parse error is stored, never raised.

    Only a file that cannot be read at all (not a regular file, beyond the
    size bound of ``parsers.limits``) raises its ``ParseError``, before any row.
    """
    data = read_regular_file(path)
    with session_scope(engine) as session:
        record = archive_and_record(session, archive, data, file_name(path))
    status = parse_versions(engine, archive, [record.version_id], limits, workers=1).statuses[record.version_id]
    with session_scope(engine) as session:
        doc = load_parsed(session, record.version_id)
    if status in (REUSED, UNCHANGED) and not record.created_version:
        status = UNCHANGED  # the same bytes under another name are no new reading
    elif status == REUSED:
        status = STORED
    return status, doc


def archive_and_record(session, archive: ArchiveStore, data: bytes, name: str | None,  # noqa: ANN001 - Session
                       **where: Any) -> VersionRecord:
    """Record the version of ``data`` (pending its parse) and archive it, in the caller's transaction.

    The put comes last, before the caller commits: see the module docstring.
    ``where`` goes to ``record_version`` (``url``, ``fetch`` …).
    """
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        fmt: str | None = sniff_format(data)
    except ParseError:
        fmt = None
    record = record_version(session, sha256=sha256, size=len(data), file_name=name, format=fmt,
                            archive_key=archive_key(sha256), **where)
    archive.put(data)
    return record


def _reuse(session, version: DocumentVersion, current: str) -> bool:  # noqa: ANN001 - Session
    """Copy the parse of the same bytes made by the current parser for another version."""
    twin = session.exec(
        select(DocumentVersion).where(
            DocumentVersion.sha256 == version.sha256, DocumentVersion.parser_version == current,
            col(DocumentVersion.parse_status).in_(("ok", "warning", "error")), DocumentVersion.id != version.id)
        .limit(1)
    ).first()
    if twin is None:
        return False
    if twin.parse_status == "error":
        code, _, message = (twin.parse_error or "parse_error: ").partition(": ")
        store_parse_error(session, version.id, code, message, parser_version=current)
    else:
        parsed = load_parsed(session, twin.id)
        assert parsed is not None
        store_parse(session, version.id, parsed, parser_version=current)
    return True


def _store(engine: Engine, version_id: int, outcome: ParseOutcome, current: str) -> str:
    with session_scope(engine) as session:
        version = session.get(DocumentVersion, version_id)
        assert version is not None
        before = load_parsed(session, version_id) if version.parse_status in ("ok", "warning") else None
        if outcome.document is None:
            store_parse_error(session, version_id, outcome.error_code or "parse_error", outcome.error_message or "",
                              parser_version=current)
            return ERROR
        doc = outcome.document
        store_parse(session, version_id, doc, parser_version=current)
        if before is None:
            return STORED
        return UNCHANGED if replace(before, source=doc.source) == doc else REPARSED
