"""Real delivery: SMTP to aiosmtpd, json:// to a local HTTP server, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from sqlalchemy import Engine
from sqlmodel import Session, select

from alerts import deliver_alerts
from analysis.findings import Severity
from pipeline.runs import RunSummary, SourceFigures, finish_run, start_run
from storage.alert_models import AlertMessage
from tests.alerts.conftest import (
    BASE_URL, NIGHT_1, SmtpServer, Webhook, add_document, finding, settings_for, store, write_config,
)


def _world(engine: Engine) -> None:
    finance = add_document(engine, "焦作市财政局", "f" * 64)
    education = add_document(engine, "焦作市教育局", "e" * 64)
    store(engine, [
        finding("焦作市财政局", 1, document=finance), finding("焦作市财政局", 2, document=finance),
        finding("焦作市财政局", 3, Severity.MEDIUM, document=finance),
        finding("焦作市教育局", 4, document=education), finding("焦作市教育局", 5, Severity.LOW, document=education),
    ])


def test_digest_reaches_email_and_webhooks_routed_by_severity(
    engine: Engine, tmp_path, smtp_server: SmtpServer, webhook: Webhook
) -> None:
    _world(engine)
    config = write_config(tmp_path / "alerts.yaml", [
        {"name": "人大预算工委邮箱", "url": smtp_server.url(), "tags": ["committee"]},
        {"name": "运维", "url": webhook.url("ops"), "tags": ["operator"]},
        {"name": "审计", "url": webhook.url("audit"), "tags": ["audit"]},
    ], routes=[{"to": ["committee", "operator"]}, {"to": ["audit"], "min_severity": "high"}])

    run_id = start_run(engine, "nightly", now=NIGHT_1)
    finish_run(engine, run_id, RunSummary(sources=[SourceFigures("jiaozuo-city", new_documents=9),
                                                   SourceFigures("henan-province", new_documents=5)], parsed=14))

    report = deliver_alerts(engine, settings_for(tmp_path, config), run_id, NIGHT_1)  # figures from the run record

    assert (report.queued, report.sent, report.pending, report.failed) == (3, 3, 0, {})
    [mail] = smtp_server.messages
    assert mail["Subject"] == "预决算监测 12月2日：2 个部门 3 项高风险问题（共 5 项），新公开 14 份"
    html = mail.get_body(("html",)).get_content()
    plain = mail.get_body(("plain",)).get_content()
    assert "<table>" in html and html.index("焦作市财政局") < html.index("焦作市教育局")
    assert f"{BASE_URL}/files/{'f' * 64}" in html and f"{BASE_URL}/runs/{run_id}" in html
    assert "焦作市教育局" in plain and "第 4 行合计与分项之和不符" in plain and f"{BASE_URL}/findings/" in plain
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename().endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(attachment.get_payload(decode=True).decode("utf-8-sig"))))
    assert sorted(r["问题"] for r in rows) == [f"第 {i} 行合计与分项之和不符" for i in range(1, 6)]
    assert {Decimal(r["实为"]) for r in rows} == {Decimal("598.47") + i for i in range(1, 6)}

    ops = webhook.findings("ops")
    assert sorted(f["message"] for f in ops) == sorted(r["问题"] for r in rows)
    assert all(f["finding_url"].startswith(f"{BASE_URL}/findings/") and f["page"] for f in ops)
    audit = webhook.findings("audit")
    assert sorted(f["message"] for f in audit) == [f"第 {i} 行合计与分项之和不符" for i in (1, 2, 4)]
    assert {f["severity"] for f in audit} == {"high"}


def test_second_run_with_nothing_new_sends_nothing_and_changed_values_come_back(
    engine: Engine, tmp_path, webhook: Webhook
) -> None:
    _world(engine)
    config = write_config(tmp_path / "alerts.yaml", [{"name": "运维", "url": webhook.url("ops"), "tags": ["ops"]}])
    settings = settings_for(tmp_path, config)
    deliver_alerts(engine, settings, 1, NIGHT_1)
    again = deliver_alerts(engine, settings, 1, NIGHT_1)
    assert (again.queued, again.sent) == (0, 0) and len(webhook.posts["ops"]) == 1

    with Session(engine) as session:
        version = session.exec(select(AlertMessage)).one()
    assert version.status == "sent"
    finance = add_document(engine, "焦作市财政局", "1" * 64)
    store(engine, [finding("焦作市财政局", 1, actual=Decimal("1.00"), document=finance),
                   finding("焦作市财政局", 2, document=finance), finding("焦作市财政局", 3, Severity.MEDIUM),
                   finding("焦作市教育局", 4)])  # 5 resolved, 1 moved
    third = deliver_alerts(engine, settings, 2, NIGHT_1)
    assert third.sent == 1
    latest = webhook.findings("ops")[5:]
    assert sorted((f["status"], f["message"]) for f in latest) == [
        ("changed", "第 1 行合计与分项之和不符"), ("resolved", "第 5 行合计与分项之和不符")]
    changed = next(f for f in latest if f["status"] == "changed")
    assert (changed["actual"], changed["before_actual"]) == ("1", "599.47")


def test_the_nightly_run_delivers_through_nightly_step(engine: Engine, tmp_path, webhook: Webhook) -> None:
    from alerts import nightly_step
    from config import Settings
    from pipeline.nightly import run_nightly

    store(engine, [finding("焦作市财政局", 1)])
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources: []\n", encoding="utf-8")
    config = write_config(tmp_path / "alerts.yaml", [{"name": "ops", "url": webhook.url("ops"), "tags": ["ops"]}])
    settings = Settings(home=tmp_path, alerts=config, base_url=BASE_URL, sources=sources,
                        database_url=engine.url.render_as_string(hide_password=False))

    run_id, summary = run_nightly(settings, deliver=nightly_step)

    assert summary.alerts == {"configured": True, "queued": 1, "sent": 1, "pending": 0, "failed": {}}
    [post] = webhook.posts["ops"]
    assert f"/runs/{run_id}" in post["message"]
