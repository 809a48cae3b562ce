"""The outbox: a channel down gets its digest on the next run exactly once; a
process killed between sending and marking re-sends at most that message."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from alerts import deliver_alerts
from storage.alert_models import AlertMessage
from tests.alerts.conftest import (
    BASE_URL, NIGHT_1, Webhook, add_document, finding, settings_for, store, write_config,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def _three_channels(tmp_path: Path, webhook: Webhook) -> Path:
    return write_config(tmp_path / "alerts.yaml", [
        {"name": name, "url": webhook.url(name), "tags": ["all"]} for name in ("a", "b", "c")
    ])


def test_channel_down_gets_its_digest_next_run_exactly_once(engine: Engine, tmp_path: Path, webhook: Webhook) -> None:
    document = add_document(engine, "焦作市财政局", "f" * 64)
    store(engine, [finding("焦作市财政局", i, document=document) for i in range(1, 4)])
    settings = settings_for(tmp_path, _three_channels(tmp_path, webhook))
    waits: list[float] = []
    webhook.down.add("b")

    first = deliver_alerts(engine, settings, 1, NIGHT_1, sleep=waits.append)

    assert (first.queued, first.sent, first.pending) == (3, 2, 1) and set(first.failed) == {"b"}
    assert waits == [0.0]  # the configured retry: 2 attempts, the second after backoff 0·2⁰
    assert [len(webhook.posts.get(n, [])) for n in "abc"] == [1, 0, 1]
    with Session(engine) as session:
        pending = session.exec(select(AlertMessage).where(AlertMessage.status == "pending")).one()
    assert (pending.channel, pending.attempts) == ("b", 2) and pending.last_error

    webhook.down.clear()
    second = deliver_alerts(engine, settings, 2, NIGHT_1 + timedelta(days=1), sleep=waits.append)
    third = deliver_alerts(engine, settings, 3, NIGHT_1 + timedelta(days=2), sleep=waits.append)

    assert (second.queued, second.sent, second.failed) == (0, 1, {})
    assert (third.queued, third.sent) == (0, 0)
    assert [len(webhook.posts[n]) for n in "abc"] == [1, 1, 1]
    assert sorted(f["message"] for f in webhook.findings("b")) == sorted(f["message"] for f in webhook.findings("a"))


_CHILD = """
import sys
from datetime import datetime
from pathlib import Path
from alerts import deliver_alerts
from config import Settings
from storage.db import make_engine
engine = make_engine(sys.argv[1])
deliver_alerts(engine, Settings(home=Path(sys.argv[2]), alerts=Path(sys.argv[3]), base_url=sys.argv[4]), 1,
               datetime.fromisoformat(sys.argv[5]))
"""


def test_killed_between_send_and_mark_resends_only_the_message_in_flight(
    engine: Engine, tmp_path: Path, webhook: Webhook
) -> None:
    document = add_document(engine, "焦作市财政局", "f" * 64)
    store(engine, [finding("焦作市财政局", i, document=document) for i in range(1, 4)])
    config = _three_channels(tmp_path, webhook)
    child: list[subprocess.Popen[bytes]] = []

    def kill_on_b(path: str, _body: object) -> None:
        if path == "b" and child:  # b has the message; its sender dies before it hears back
            os.kill(child[0].pid, signal.SIGKILL)
            child[0].wait()

    webhook.on_post = kill_on_b
    url = engine.url.render_as_string(hide_password=False)
    child.append(subprocess.Popen([sys.executable, "-c", _CHILD, url, str(tmp_path), str(config), BASE_URL,
                                   NIGHT_1.isoformat()], cwd=REPO_ROOT))
    assert child[0].wait(timeout=60) == -signal.SIGKILL
    child.clear()
    assert [len(webhook.posts.get(n, [])) for n in "abc"] == [1, 1, 0]

    report = deliver_alerts(engine, settings_for(tmp_path, config), 2, NIGHT_1 + timedelta(hours=1))

    assert (report.queued, report.sent, report.pending) == (0, 2, 0)
    assert [len(webhook.posts[n]) for n in "abc"] == [1, 2, 1]  # b at most once more; a and c once
    assert webhook.posts["b"][0] == webhook.posts["b"][1]
    again = deliver_alerts(engine, settings_for(tmp_path, config), 3, NIGHT_1 + timedelta(days=1))
    assert (again.queued, again.sent) == (0, 0)
