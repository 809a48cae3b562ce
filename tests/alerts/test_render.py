"""IM payloads as Apprise posts them (vendor hosts are unreachable here: the
HTTP post is captured) stay within each service's limit and name every
affected department; lines are dropped whole, never cut."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import requests

from alerts.config import Channel, parse_alert_config
from alerts.digest import Digest, DigestItem
from alerts.render import MESSAGE_LIMITS, render_im, render_payload
from alerts.send import build_notifiers
from pipeline.runs import RunSummary, SourceFigures

# Realistic department names of varied length (6 to 14 characters).
_BUREAUS = ("财政局", "教育局", "公安局", "民政局", "司法局", "自然资源局", "生态环境局", "住房和城乡建设局",
            "交通运输局", "水利局", "农业农村局", "商务局", "文化广电和旅游局", "卫生健康委员会", "退役军人事务局",
            "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局")
DEPARTMENTS = [f"{city}{bureau}" for city in ("焦作市", "新乡市", "洛阳市偃师区") for bureau in _BUREAUS]
SEVERITIES = ("high", "medium", "low")


def _digest(findings: int, departments: list[str]) -> Digest:
    items = tuple(
        DigestItem(
            fingerprint=f"{i:064x}", status="new" if i % 7 else "changed", department=departments[i % len(departments)],
            severity=SEVERITIES[i % 3], category="consistency", rule_id="arithmetic.row_sum",
            message=f"支出决算表第 {i} 行合计与分项之和不符", expected=Decimal("1234.56") + i, actual=Decimal("1200.00"),
            document="2025年部门决算《2025年部门决算公开》", page=3 + i % 40,
            finding_link=f"https://bw.example.org/findings/{i}", evidence_link=f"https://bw.example.org/findings/{i}/evidence",
            file_link=f"https://bw.example.org/files/{i:064x}", before_expected=Decimal("1"), before_actual=Decimal("2"),
        )
        for i in range(findings)
    )
    return Digest("群", date(2026, 12, 2), 41, RunSummary([SourceFigures("s", new_documents=14)], parsed=30), "https://bw.example.org/runs/41",
                  items)


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    posts: list[dict[str, Any]] = []

    class Accepted:
        status_code = 200
        content = b'{"errcode": 0, "code": 0}'
        text = content.decode()

        def json(self) -> dict[str, int]:
            return {"errcode": 0, "code": 0}

    def post(url: str, data: Any = None, **kwargs: Any) -> Accepted:
        posts.append({"url": url, "data": data if isinstance(data, bytes) else str(data).encode()})
        return Accepted()

    monkeypatch.setattr(requests, "post", post)
    return posts


CHANNELS = {
    "wecom": ("wecombot://0123456789abcdef", lambda body: body["text"]["content"]),
    "dingtalk": ("dingtalk://abcdef0123456789abcdef/", lambda body: body["text"]["content"]),
    "feishu": ("feishu://0123456789abcdef", lambda body: body["content"]["text"]),
}
# The limits as each service states them: WeCom text.content 2048 bytes, DingTalk 20000 bytes,
# Feishu a request body of at most 20 KB.
SERVICE_LIMITS = {"wecom": ("content", 2048), "dingtalk": ("content", 20000), "feishu": ("request", 20 * 1024)}


@pytest.mark.parametrize("fmt", sorted(CHANNELS))
def test_500_findings_over_60_departments_fit_and_name_every_department(fmt: str, captured: list) -> None:
    url, content_of = CHANNELS[fmt]
    config = parse_alert_config({"channels": [{"name": fmt, "url": url}]})
    notifier = build_notifiers(config)[fmt]
    digest = _digest(500, DEPARTMENTS)
    assert len(DEPARTMENTS) == 60

    payload = render_payload(digest, notifier.channel.format)
    assert notifier.send(digest.subject(), payload) is None

    [post] = captured
    content = content_of(json.loads(post["data"]))
    measured, limit = SERVICE_LIMITS[fmt]
    size = len(post["data"]) if measured == "request" else len(content.encode("utf-8"))
    assert size <= limit, f"{fmt}: {size} > {limit}"
    assert content == payload["body"]
    assert content.startswith("预决算监测 12月2日：60 个部门 143 项高风险问题（共 428 项），72 项数值变动，新公开 14 份\n")
    assert all(name in content for name in DEPARTMENTS)
    assert "https://bw.example.org/runs/41" in content


def test_a_digest_that_fits_lists_every_finding_with_its_link() -> None:
    digest = _digest(6, DEPARTMENTS[:2])
    text = render_im(digest, MESSAGE_LIMITS["wecom"])
    assert all(item.message in text and item.finding_link in text for item in digest.items)
    assert text.index("【新问题】") < text.index("【数值变动】")


def test_too_many_departments_drop_whole_lines_and_say_how_many() -> None:
    departments = [f"第{i:03d}号{bureau}" for i in range(20) for bureau in _BUREAUS]  # 400 departments
    digest = _digest(2000, departments)
    limit = MESSAGE_LIMITS["wecom"]
    text = render_im(digest, limit)
    assert limit.fits(text)
    left_out = re.search(r"……另有 (\d+) 行未列出，见完整列表", text)
    assert left_out and int(left_out[1]) > 0
    entries = [line for line in text.splitlines() if line.startswith("第")]
    assert entries and all(re.fullmatch(r"第\d{3}号\S+ \d+", e) for e in entries)  # every line whole
    assert text.endswith("完整列表：https://bw.example.org/runs/41")


def test_email_and_json_payloads_carry_every_finding() -> None:
    digest = _digest(40, DEPARTMENTS[:5])
    email = render_payload(digest, "email")
    assert email["body"].count("/evidence") == 40 and email["csv"].count("\n") == 41
    records = json.loads(render_payload(digest, "json")["body"])["findings"]
    assert len(records) == 40 and {r["expected"] for r in records} >= {"1234.56"}


def test_channel_format_follows_the_url_scheme() -> None:
    formats = {url: Channel(name="x", url=url).format for url in (
        "mailtos://u:p@example.org", "wecombot://k", "dingtalk://t/", "lark://t", "json://h/p", "tgram://b/c")}
    assert list(formats.values()) == ["email", "wecom", "dingtalk", "feishu", "json", "text"]
