"""Source health from the run history (``crawler.health.source_health``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from crawler.health import describe, source_health
from storage.crawl_models import CrawlRun
from storage.db import make_engine, migrate

NOW = datetime(2026, 5, 10, 6, 0, tzinfo=UTC)


@pytest.fixture
def session(tmp_path: Path) -> Session:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    migrate(engine)
    with Session(engine) as session:
        yield session


def _run(session: Session, nights_ago: float, health: str, status: str = "finished", message: str | None = None) -> None:
    started = NOW - timedelta(days=nights_ago)
    session.add(CrawlRun(source_id="s", started_at=started, finished_at=started, status=status, health=health,
                         health_message=message, stats={}))
    session.commit()


def test_never_run_is_silent(session: Session) -> None:
    health = source_health(session, "s", NOW)
    assert (health.status, health.last_ok, health.last_run) == ("silent", None, None)


def test_ok_then_failing_nights_are_counted(session: Session) -> None:
    _run(session, 3, "ok")
    _run(session, 2, "failing", message="列表页是验证码/登录页")
    _run(session, 1, "failing", message="列表页是验证码/登录页")
    _run(session, 0.9, "failing", message="列表页是验证码/登录页")  # a second run the same night
    health = source_health(session, "s", NOW)
    assert (health.status, health.failing_nights) == ("failing", 2)
    assert health.last_ok == NOW - timedelta(days=3) and "验证码" in (health.message or "")
    assert describe(health) == "连续 2 晚失败"
    earlier = source_health(session, "s", NOW - timedelta(days=2, hours=-1))  # judged as of then
    assert (earlier.status, earlier.failing_nights) == ("failing", 1)


def test_layout_change_and_recovery(session: Session) -> None:
    _run(session, 2, "ok")
    _run(session, 1, "layout_changed", message="列表页结构改变")
    assert source_health(session, "s", NOW).status == "layout_changed"
    _run(session, 0.5, "ok")
    assert source_health(session, "s", NOW).status == "ok"


def test_a_crashed_run_is_failing_and_an_old_one_silent(session: Session) -> None:
    _run(session, 1, "ok", status="failed")
    assert source_health(session, "s", NOW).status == "failing"
    assert source_health(session, "s", NOW + timedelta(days=5)).status == "silent"
    assert "天没有抓取" in (source_health(session, "s", NOW + timedelta(days=5)).message or "")
