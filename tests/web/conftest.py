"""Web fixtures: the sample database (built once), the app served by uvicorn, one chromium per session.

The sample database is SQLite, built once for all xdist workers; with
``BUDGETWATCH_WEB_TEST_DB=postgresql`` every test runs on PostgreSQL
instead (a database per worker on the server of ``tests/fixtures_db.py``,
dropped afterwards).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

from config import Settings
from tests.web.sample_db import SampleDb, build_sample_db

CHROMIUM = Path("/usr/bin/chromium")


WEB_TEST_DB = os.environ.get("BUDGETWATCH_WEB_TEST_DB", "sqlite")


@pytest.fixture(scope="session")
def sample_db(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory,
              request: pytest.FixtureRequest) -> Iterator[SampleDb]:
    if WEB_TEST_DB == "postgresql":
        from tests.fixtures_db import fresh_pg_database

        with fresh_pg_database(request.getfixturevalue("pg_server_url")) as url:
            yield build_sample_db(tmp_path_factory.mktemp("web_sample"), url)
    else:
        yield _shared_sqlite_sample(tmp_path_factory)


def _shared_sqlite_sample(tmp_path_factory: pytest.TempPathFactory) -> SampleDb:
    """Built once per test run, shared by the xdist workers (two nightly runs take a while)."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    # Common to every xdist worker of this run (their basetemps share a parent); without xdist, this run's own.
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    done = shared / "web_sample.json"
    with FileLock(str(shared / "web_sample.lock")):
        if not done.exists():
            built = build_sample_db(shared / "web_sample")
            done.write_text(json.dumps({**asdict(built), "archive_dir": str(built.archive_dir)}))
    data = json.loads(done.read_text())
    return SampleDb(**{**data, "archive_dir": Path(data["archive_dir"])})


@pytest.fixture(scope="session")
def web_settings(sample_db: SampleDb) -> Settings:
    return Settings(database_url=sample_db.database_url, archive_dir=str(sample_db.archive_dir))


@pytest.fixture(scope="session")
def client(web_settings: Settings):  # noqa: ANN201 - TestClient
    from fastapi.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(web_settings)) as test_client:
        yield test_client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_url(web_settings: Settings) -> Iterator[str]:
    """The app served by a real uvicorn on a free local port."""
    import uvicorn

    from web.app import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(web_settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201 - playwright Browser
    """Debian's headless chromium through Playwright, one per session."""
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is missing (scripts/setup installs it)")
        pytest.skip("chromium is missing (scripts/setup installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_url: str):  # noqa: ANN001, ANN201
    context = browser.new_context(base_url=live_url, locale="zh-CN")
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"
