"""`budgetwatch alerts test|pending|preview` and configuration errors, in Chinese, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from alerts import AlertConfigError, deliver_alerts, load_alert_config
from alerts.preview import CHROMIUM
from alerts.send import build_notifiers
from budgetwatch.cli import app
from storage.db import make_engine, migrate
from tests.alerts.conftest import BASE_URL, NIGHT_1, SmtpServer, Webhook, finding, settings_for, store, write_config

SECRET = "s3cr3t-token-value"


def _run(engine: Engine, tmp_path: Path, config: Path, *args: str):
    env = {"BUDGETWATCH_HOME": str(tmp_path), "BUDGETWATCH_ALERTS": str(config), "BUDGETWATCH_BASE_URL": BASE_URL,
           "BUDGETWATCH_DATABASE_URL": engine.url.render_as_string(hide_password=False), "HOOK_TOKEN": SECRET}
    return CliRunner().invoke(app, ["alerts", *args], env=env)


def test_test_command_reports_every_channel(engine: Engine, tmp_path: Path, smtp_server: SmtpServer,
                                            webhook: Webhook) -> None:
    webhook.down.add("down")
    config = write_config(tmp_path / "alerts.yaml", [
        {"name": "邮箱", "url": smtp_server.url(), "tags": ["a"]},
        {"name": "运维", "url": webhook.url("ops/${HOOK_TOKEN}"), "tags": ["a"]},
        {"name": "坏渠道", "url": webhook.url("down"), "tags": ["a"]},
    ])
    result = _run(engine, tmp_path, config, "test")
    assert result.exit_code == 1, result.output
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines() if line.count("│") >= 3}
    assert "成功" in lines["邮箱"] and "成功" in lines["运维"] and "失败" in lines["坏渠道"]
    assert smtp_server.messages[0]["Subject"].endswith("测试消息")
    assert SECRET not in result.output


def test_pending_shows_what_a_down_channel_still_owes(engine: Engine, tmp_path: Path, webhook: Webhook) -> None:
    store(engine, [finding("焦作市财政局", 1)])
    webhook.down.add("b")
    config = write_config(tmp_path / "alerts.yaml", [{"name": "b", "url": webhook.url("b"), "tags": ["a"]}])
    deliver_alerts(engine, settings_for(tmp_path, config), 3, NIGHT_1, sleep=lambda _s: None)
    result = _run(engine, tmp_path, config, "pending")
    assert result.exit_code == 0, result.output
    assert "待发送 1 条，已发送 0 条" in result.output and "预决算监测 12月2日" in result.output


def _preview_world(engine: Engine, tmp_path: Path, smtp_server: SmtpServer) -> Path:
    store(engine, [finding("焦作市财政局", i) for i in range(1, 4)] + [finding("焦作市教育局", 9)])
    return write_config(tmp_path / "alerts.yaml", [
        {"name": "人大预算工委", "url": smtp_server.url(), "tags": ["a"]},
        {"name": "企业微信", "url": "wecombot://0123456789abcdef", "tags": ["a"]},
    ])


def test_preview_writes_each_channels_digest_and_changes_nothing(engine: Engine, tmp_path: Path,
                                                                 smtp_server: SmtpServer) -> None:
    config = _preview_world(engine, tmp_path, smtp_server)
    out = tmp_path / "preview"
    result = _run(engine, tmp_path, config, "preview", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "焦作市教育局" in (out / "人大预算工委.html").read_text(encoding="utf-8")
    assert (out / "人大预算工委.csv").exists() and not (out / "人大预算工委.png").exists()
    assert (out / "企业微信.txt").read_text(encoding="utf-8").startswith("预决算监测")
    # nothing was stored: the real run still sends the digest, and the preview shows it again until then
    assert _run(engine, tmp_path, config, "preview", "--out", str(out)).exit_code == 0
    report = deliver_alerts(engine, settings_for(tmp_path, config), 1, NIGHT_1)
    assert report.queued == 2 and len(smtp_server.messages) == 1
    assert "没有需要发送的内容" in _run(engine, tmp_path, config, "preview", "--out", str(out)).output
    unknown = _run(engine, tmp_path, config, "preview", "--run", "999", "--out", str(out))
    assert unknown.exit_code == 1 and "未找到编号为 999 的运行记录" in unknown.output and "Traceback" not in unknown.output


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed (bash scripts/setup)")
def test_preview_png_is_a_screenshot_of_the_email(tmp_path: Path, smtp_server: SmtpServer) -> None:
    """Browser only: one database backend is enough (the rendering does not depend on it)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'bw.db'}")
    migrate(engine)
    config = _preview_world(engine, tmp_path, smtp_server)
    out = tmp_path / "preview"
    result = _run(engine, tmp_path, config, "preview", "--png", "--out", str(out))
    assert result.exit_code == 0, result.output
    png = out / "人大预算工委.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    assert "截图" in result.output and not (out / "企业微信.png").exists()


def test_a_url_apprise_cannot_load_stops_the_run_before_anything_is_sent(engine: Engine, tmp_path: Path,
                                                                         webhook: Webhook) -> None:
    store(engine, [finding("焦作市财政局", 1)])
    config = write_config(tmp_path / "alerts.yaml", [
        {"name": "好渠道", "url": webhook.url("ok"), "tags": ["a"]},
        {"name": "拼错的渠道", "url": "wecombott://abc", "tags": ["a"]},
    ])
    with pytest.raises(AlertConfigError, match="拼错的渠道.*已加载 0 个服务"):
        deliver_alerts(engine, settings_for(tmp_path, config), 1, NIGHT_1)
    assert webhook.posts == {}
    result = _run(engine, tmp_path, config, "test")
    assert result.exit_code == 1 and "拼错的渠道" in result.output and "Traceback" not in result.output


def test_secrets_come_from_the_environment_or_a_file_and_a_missing_one_is_named(tmp_path: Path) -> None:
    secrets = tmp_path / "outside" / "alerts.env"
    secrets.parent.mkdir()
    secrets.write_text("# tokens\nWECOM_KEY=from-file-key\n", encoding="utf-8")
    path = write_config(tmp_path / "alerts.yaml", [
        {"name": "企业微信", "url": "wecombot://${WECOM_KEY}", "tags": ["a"]},
        {"name": "邮箱", "url": "mailtos://bw:${SMTP_PASSWORD}@smtp.example.org?to=a@example.org", "tags": ["a"]},
    ], secrets_file="outside/alerts.env")  # relative to the configuration's folder
    config = load_alert_config(path, env={"SMTP_PASSWORD": SECRET})
    assert [c.url for c in config.channels][0] == "wecombot://from-file-key"
    assert SECRET in config.channels[1].url and SECRET not in repr(config)
    assert len(build_notifiers(config)) == 2
    with pytest.raises(AlertConfigError, match="SMTP_PASSWORD") as error:
        load_alert_config(path, env={})
    assert "from-file-key" not in str(error.value)


def test_secrets_stay_out_of_the_logs_even_at_debug(engine: Engine, tmp_path: Path, webhook: Webhook,
                                                   caplog: pytest.LogCaptureFixture, monkeypatch) -> None:
    import logging

    store(engine, [finding("焦作市财政局", 1)])
    monkeypatch.setenv("HOOK_TOKEN", SECRET)
    webhook.down.add(f"down/{SECRET}")
    config = write_config(tmp_path / "alerts.yaml", [
        {"name": "ok", "url": webhook.url("ok/${HOOK_TOKEN}"), "tags": ["a"]},
        {"name": "down", "url": webhook.url("down/${HOOK_TOKEN}"), "tags": ["a"]},
    ])
    caplog.set_level(logging.DEBUG)
    report = deliver_alerts(engine, settings_for(tmp_path, config), 1, NIGHT_1, sleep=lambda _s: None)
    assert report.sent == 1 and set(report.failed) == {"down"}
    assert len(webhook.posts[f"ok/{SECRET}"]) == 1  # the secret is in the URL that was used
    assert caplog.records and SECRET not in caplog.text and SECRET not in str(report.to_json())


def test_help_shows_no_secret(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["alerts", "test", "--help"], env={**os.environ, "SMTP_PASSWORD": SECRET})
    assert result.exit_code == 0 and SECRET not in result.output


def test_the_example_configuration_loads_every_channel(tmp_path: Path) -> None:
    import yaml

    example = yaml.safe_load((Path(__file__).resolve().parents[2] / "alerts.example.yaml").read_text(encoding="utf-8"))
    secrets = tmp_path / "alerts.env"
    secrets.write_text("\n".join(f"{name}=abcdef0123456789" for name in (
        "SMTP_PASSWORD", "WECOM_BOT_KEY", "DINGTALK_SECRET", "DINGTALK_TOKEN", "FEISHU_TOKEN", "OPS_TOKEN")))
    path = tmp_path / "alerts.yaml"
    path.write_text(yaml.safe_dump({**example, "secrets_file": str(secrets)}, allow_unicode=True), encoding="utf-8")
    config = load_alert_config(path, env={})
    assert [c.format for c in config.channels] == ["email", "wecom", "dingtalk", "feishu", "json"]
    assert len(build_notifiers(config)) == 5
