"""Quiet nights, the heartbeat, pipeline health and parse-quality notes (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from alerts import deliver_alerts
from analysis.findings import Category, Severity
from pipeline.runs import RunSummary, SourceFigures
from storage.crawl_models import CrawlRun
from storage.db import session_scope
from tests.alerts.conftest import NIGHT_1, Webhook, finding, settings_for, store, write_config


def _messages(webhook: Webhook, path: str) -> list[dict]:
    return [json.loads(post["message"]) for post in webhook.posts.get(path, [])]


def test_rerun_with_nothing_new_sends_nothing_or_only_the_heartbeat(engine: Engine, tmp_path: Path,
                                                                     webhook: Webhook) -> None:
    store(engine, [finding("焦作市财政局", 1)])
    config = write_config(tmp_path / "alerts.yaml", [
        {"name": "plain", "url": webhook.url("plain"), "tags": ["all"]},
        {"name": "alive", "url": webhook.url("alive"), "tags": ["all"], "heartbeat": True},
    ])
    settings, figures = settings_for(tmp_path, config), RunSummary(sources=[SourceFigures("jiaozuo-city", new_documents=3)], parsed=12)

    night_1 = [deliver_alerts(engine, settings, 1, NIGHT_1, figures) for _ in range(2)]  # the night, then a re-run
    night_2 = [deliver_alerts(engine, settings, 2, NIGHT_1 + timedelta(days=1), figures) for _ in range(2)]

    assert [r.sent for r in night_1] == [2, 0] and [r.sent for r in night_2] == [1, 0]
    assert len(webhook.posts["plain"]) == 1
    first, heartbeat = _messages(webhook, "alive")
    assert len(first["findings"]) == 1 and not first["heartbeat"]
    assert heartbeat["heartbeat"] and heartbeat["findings"] == []
    assert heartbeat["subject"] == "预决算监测 12月3日：今日无新问题，新公开 3 份"
    assert heartbeat["figures"]["parsed"] == 12


def _crawl(engine: Engine, source: str, night: datetime, ok: bool) -> None:
    with session_scope(engine) as session:
        session.add(CrawlRun(source_id=source, started_at=night, finished_at=night + timedelta(minutes=5),
                             status="finished" if ok else "failed", stats={"pages": 4 if ok else 0, "errors": 0 if ok else 1}))


def test_a_source_failing_three_nights_raises_one_alert_and_one_recovered(engine: Engine, tmp_path: Path,
                                                                          webhook: Webhook) -> None:
    config = write_config(tmp_path / "alerts.yaml", [
        {"name": "ops", "url": webhook.url("ops"), "tags": ["operator"]},
        {"name": "committee", "url": webhook.url("committee"), "tags": ["committee"], "heartbeat": False},
    ], routes=[{"to": ["committee"]}], health={"failing_nights": 3})
    settings = settings_for(tmp_path, config)
    outcomes = [False, False, False, False, True, True]  # source "jiaozuo-city", six nights
    for night, ok in enumerate(outcomes):
        moment = NIGHT_1 + timedelta(days=night)
        _crawl(engine, "jiaozuo-city", moment - timedelta(hours=1), ok)
        _crawl(engine, "henan-province", moment - timedelta(hours=1), True)
        deliver_alerts(engine, settings, night + 1, moment)

    notes = [h for message in _messages(webhook, "ops") for h in message["health"]]
    assert [(h["key"], h["recovered"]) for h in notes] == [
        ("source_failing:jiaozuo-city", False), ("source_failing:jiaozuo-city", True)]
    assert "连续 3 晚" in notes[0]["title"] and "恢复" in notes[1]["title"]
    assert [m["date"] for m in _messages(webhook, "ops")] == ["2026-12-04", "2026-12-06"]
    assert "committee" not in webhook.posts


def test_parse_quality_goes_to_the_operator_never_among_department_findings(engine: Engine, tmp_path: Path,
                                                                           webhook: Webhook) -> None:
    store(engine, [finding("焦作市财政局", 1),
                   finding("焦作市财政局", 2, Severity.HIGH, category=Category.PARSE_QUALITY)])
    config = write_config(tmp_path / "alerts.yaml", [
        {"name": "ops", "url": webhook.url("ops"), "tags": ["operator"]},
        {"name": "committee", "url": webhook.url("committee"), "tags": ["committee"]},
    ], routes=[{"to": ["committee"]}])

    deliver_alerts(engine, settings_for(tmp_path, config), 1, NIGHT_1)

    [committee] = _messages(webhook, "committee")
    assert [f["message"] for f in committee["findings"]] == ["第 1 行合计与分项之和不符"]
    assert committee["parse_quality"] == []
    [ops] = _messages(webhook, "ops")
    assert ops["findings"] == [] and [p["message"] for p in ops["parse_quality"]] == ["第 2 行合计与分项之和不符"]


def test_missing_document_and_parse_failure_jump_reach_the_operator(engine: Engine, tmp_path: Path,
                                                                    webhook: Webhook) -> None:
    missing = finding("焦作市教育局", 1, category=Category.TIMELINESS)
    store(engine, [type(missing)(**{**missing.__dict__, "rule_id": "presence.missing",
                                    "message": "2025年度部门决算应于 2026-09-30 前公开，至今未见"})])
    config = write_config(tmp_path / "alerts.yaml", [{"name": "ops", "url": webhook.url("ops"), "tags": ["operator"]}],
                          routes=[])

    deliver_alerts(engine, settings_for(tmp_path, config), 1, NIGHT_1, RunSummary(parsed=10, parse_failed=6))

    [ops] = _messages(webhook, "ops")
    titles = {h["key"].split(":")[0]: h["title"] for h in ops["health"]}
    assert set(titles) == {"missing", "parse_failures"}
    assert "焦作市教育局" in titles["missing"] and "至今未见" in titles["missing"]
    assert "6 份解析失败" in next(h["detail"] for h in ops["health"] if h["key"] == "parse_failures")


def test_parse_failures_are_a_jump_only_against_the_earlier_runs(engine: Engine) -> None:
    from alerts.config import HealthLimits
    from alerts.figures import baseline_failure_rate
    from alerts.health import health_conditions
    from pipeline.runs import finish_run, start_run
    from storage.db import session_scope

    for failed in (1, 2):  # two earlier nights: 3 failures in 30 attempts
        finish_run(engine, start_run(engine, "nightly"), RunSummary(parsed=15 - failed, parse_failed=failed))
    tonight = start_run(engine, "nightly")
    with session_scope(engine) as session:
        baseline = baseline_failure_rate(session, tonight)
    assert baseline == 0.1

    def jumps(parsed: int, failed: int) -> bool:
        found = health_conditions([], [], RunSummary(parsed=parsed, parse_failed=failed), baseline, HealthLimits(),
                                  NIGHT_1)
        return any(c.key == "parse_failures" for c in found)

    assert jumps(10, 4)            # 29 % against 10 %
    assert not jumps(30, 4)        # 12 %: under twice the baseline
    assert not jumps(1, 2)         # too few to matter


def test_silent_source_and_changed_list_layout_come_from_the_crawl_records(engine: Engine) -> None:
    from alerts.config import HealthLimits
    from alerts.health import health_conditions, source_health
    from storage.crawl_models import CrawlEvent

    now = NIGHT_1
    with session_scope(engine) as session:
        published = CrawlRun(source_id="quiet-city", started_at=now - timedelta(days=500), status="finished",
                             stats={"pages": 3, "new_documents": 12})
        lately = CrawlRun(source_id="quiet-city", started_at=now - timedelta(hours=2), status="finished",
                          stats={"pages": 3, "new_documents": 0})
        redesigned = CrawlRun(source_id="new-cms", started_at=now - timedelta(hours=2), status="finished",
                              stats={"pages": 1, "new_documents": 4})
        session.add_all([published, lately, redesigned])
        session.flush()
        session.add(CrawlEvent(run_id=redesigned.id, source_id="new-cms", level="warning", code="list_empty",
                               message="列表页未发现任何候选链接", created_at=now))
    with session_scope(engine) as session:
        sources = {s.source_id: s for s in source_health(session, now)}

    assert sources["quiet-city"].failing_nights == 0 and not sources["quiet-city"].layout_changed
    assert sources["new-cms"].layout_changed
    keys = {c.key for c in health_conditions(sources.values(), [], None, None, HealthLimits(silent_days=400), now)}
    assert keys == {"source_silent:quiet-city", "layout_changed:new-cms"}
    keys = {c.key for c in health_conditions(sources.values(), [], None, None, HealthLimits(silent_days=600), now)}
    assert keys == {"layout_changed:new-cms"}
