"""Several processes record and parse at once: no lock errors, no duplicates."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select, text

from storage.db import make_engine, migrate, session_scope
from storage.models import Document, DocumentVersion, LineItemRow
from storage.repository import record_version, store_parse
from tests.storage.samples import make_parsed

WORKERS = 4
FILES_PER_WORKER = 12
SHARED_URLS = 5


def _sha(n: int) -> str:
    return f"{n:064x}"


def _work(url: str, worker: int) -> str:
    """Record one file of its own per round plus one shared file; parse its own."""
    engine = make_engine(url)
    try:
        for n in range(FILES_PER_WORKER):
            sha = _sha(1000 * (worker + 1) + n)
            now = datetime.now(UTC)
            with session_scope(engine) as session:
                own = record_version(
                    session, sha256=sha, size=10, file_name=f"{worker}-{n}.pdf", url=f"http://x/{worker}/{n}", now=now
                )
                store_parse(session, own.version_id, make_parsed(sha))
            with session_scope(engine) as session:
                record_version(
                    session, sha256=_sha(n % SHARED_URLS), size=10, file_name="shared.pdf",
                    url=f"http://x/shared/{n % SHARED_URLS}", now=now,
                )
        return "ok"
    except Exception as exc:  # reported to the parent, which fails the test
        return f"{type(exc).__name__}: {exc}"
    finally:
        engine.dispose()


def test_concurrent_writers(engine: Engine, db_url: str) -> None:
    context = multiprocessing.get_context("fork")
    with context.Pool(WORKERS) as pool:
        results = pool.starmap(_work, [(db_url, w) for w in range(WORKERS)])
    assert results == ["ok"] * WORKERS
    with session_scope(engine) as session:
        count = lambda model: session.execute(select(func.count()).select_from(model)).scalar_one()  # noqa: E731
        assert count(Document) == WORKERS * FILES_PER_WORKER + SHARED_URLS
        assert count(DocumentVersion) == WORKERS * FILES_PER_WORKER + SHARED_URLS
        assert count(LineItemRow) == 2 * WORKERS * FILES_PER_WORKER


def _migrate(url: str) -> str:
    engine = make_engine(url)
    try:
        migrate(engine)
        return "ok"
    except Exception as exc:  # reported to the parent, which fails the test
        return f"{type(exc).__name__}: {exc}"
    finally:
        engine.dispose()


def test_concurrent_migrate_on_an_empty_database(db_url: str) -> None:
    with multiprocessing.get_context("fork").Pool(3) as pool:
        results = pool.map(_migrate, [db_url] * 3)
    assert results == ["ok"] * 3
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM document")).scalar_one() == 0
    engine.dispose()
