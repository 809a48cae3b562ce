"""Digests to what each kind of channel receives.

Email gets HTML (Apprise adds the plain-text alternative) and a CSV of the
digest's findings; ``json://`` webhooks get the findings as structured
JSON. WeCom, DingTalk and Feishu get text: Apprise 1.13.1 posts all three as
text messages (``msgtype``/``msg_type`` text), so markdown syntax would show
raw. Each has a size limit measured the way the service counts it; a digest
too long for it becomes counts per department, then a compact list of
departments, and only then drops whole departments (saying how many) —
lines are never cut.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from alerts.config import ChannelFormat
from alerts.figures import run_totals
from alerts.digest import Department, Digest, DigestItem, HealthNote, plain_amount

__all__ = ["render_payload", "render_html", "render_im", "render_csv", "render_json", "MessageLimit",
           "MESSAGE_LIMITS", "utf8_bytes", "json_bytes"]


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def json_bytes(text: str) -> int:
    """Size of ``text`` inside a JSON body as Apprise writes it (``json.dumps``: non-ASCII as \\uXXXX)."""
    return len(json.dumps(text))


@dataclass(frozen=True)
class MessageLimit:
    size: int
    measure: Callable[[str], int]

    def fits(self, text: str) -> bool:
        return self.measure(text) <= self.size


# WeCom bot text.content ≤ 2048 UTF-8 bytes (4096 is its markdown limit, which Apprise does not use);
# DingTalk text.content ≤ 20000 bytes; a Feishu bot refuses request bodies over 20 KB — the content
# is measured as escaped in that body, leaving room for the envelope ({"msg_type": ...}).
MESSAGE_LIMITS: dict[str, MessageLimit] = {
    "wecom": MessageLimit(2048, utf8_bytes),
    "dingtalk": MessageLimit(20000, utf8_bytes),
    "feishu": MessageLimit(20 * 1024 - 128, json_bytes),
    "text": MessageLimit(4096, utf8_bytes),
}
CSV_COLUMNS = ("状态", "部门", "严重程度", "类别", "规则", "问题", "应为", "实为", "原应为", "原实为",
               "文件", "页码", "问题链接", "原页标注", "原文件")


@cache
def _templates() -> Environment:
    return Environment(loader=PackageLoader("alerts", "templates"), autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


def render_html(digest: Digest) -> str:
    return _templates().get_template("digest.html").render(digest=digest)


def _counts(department: Department) -> str:
    high = department.count("high")
    return f"{len(department.items)} 项" + (f"（高 {high}）" if high else "")


def _item_lines(item: DigestItem) -> list[str]:
    values = item.values()
    text = f"  · [{item.severity_name}] {item.message}" + (f"；{values}" if values else "") + f"；{item.where()}"
    return [text, f"    {item.finding_link}"]


def _health_line(note: HealthNote) -> str:
    return f"· {'已恢复：' if note.recovered else ''}{note.title}" + (f"（{note.detail}）" if note.detail else "")


def _head(digest: Digest) -> list[str]:
    lines = [digest.subject()]
    if digest.figures:
        lines.append(f"本次运行：{digest.figures_line()}")
    if digest.heartbeat:
        lines.append("今日无新问题。监测程序运行正常。")
    if digest.test:
        lines.append("这是一条测试消息：本渠道配置正确，可以收到预决算监测的告警。")
    return lines


def _operator(digest: Digest) -> list[str]:
    lines: list[str] = []
    if digest.health:
        lines += ["", "【运行状况】", *map(_health_line, digest.health)]
    if digest.parse_quality:
        lines += ["", f"【解析质量提示：{len(digest.parse_quality)} 项，非部门问题】"]
        lines += [f"· {i.department}：{i.message}（{i.where()}）" for i in digest.parse_quality]
    return lines


def _full(digest: Digest) -> list[str]:
    lines: list[str] = []
    for _status, heading, departments in digest.sections():
        lines += ["", f"【{heading}】"]
        for department in departments:
            lines.append(f"{department.name}：{_counts(department)}")
            for item in department.items:
                lines += _item_lines(item)
    return lines


def _per_department(digest: Digest) -> list[str]:
    lines: list[str] = []
    for _status, heading, departments in digest.sections():
        lines += ["", f"【{heading}：{len(departments)} 个部门】"]
        lines += [f"· {d.name}：{_counts(d)}" for d in departments]
    return lines


def _compact(digest: Digest) -> list[str]:
    """Every department once, one short line each, with its number of findings across all sections."""
    departments = digest.departments()
    if not departments:
        return []
    return ["", f"【涉及 {len(departments)} 个部门，后附问题数】", *(f"{d.name} {len(d.items)}" for d in departments)]


def render_im(digest: Digest, limit: MessageLimit) -> str:
    """Text within ``limit``: every finding when it fits, else counts per
    department, else a compact department list under the subject alone, else
    as many whole lines as fit and how many were left out; always the link
    to the full list."""
    tail = ["", f"完整列表：{digest.link}"]
    levels = ((_head(digest), _full(digest)), (_head(digest), _per_department(digest)),
              ([digest.subject()], _compact(digest)))
    for head, body in levels:
        text = "\n".join(head + body + _operator(digest) + tail)
        if limit.fits(text):
            return text
    body, kept = _compact(digest) + _operator(digest), [digest.subject()]
    for index, line in enumerate(body):
        rest = sum(1 for later in body[index:] if later and not later.startswith("【"))
        note = [f"……另有 {rest} 行未列出，见完整列表"]
        if not limit.fits("\n".join(kept + [line] + note + tail)):
            return "\n".join(kept + note + tail)
        kept.append(line)
    return "\n".join(kept + tail)


def _item_record(item: DigestItem) -> dict[str, Any]:
    text = plain_amount
    return {
        "status": item.status, "fingerprint": item.fingerprint, "department": item.department,
        "severity": item.severity, "category": item.category, "rule_id": item.rule_id, "message": item.message,
        "expected": text(item.expected), "actual": text(item.actual),
        "before_expected": text(item.before_expected), "before_actual": text(item.before_actual),
        "document": item.document, "page": item.page,
        "finding_url": item.finding_link, "evidence_url": item.evidence_link, "file_url": item.file_link,
    }


def _ordered(items: Sequence[DigestItem]) -> list[DigestItem]:
    return sorted(items, key=lambda i: (i.status, i.department, i.sort_key()))


def render_json(digest: Digest) -> str:
    """The digest as JSON; amounts are decimal strings, never floats."""
    figures = digest.figures
    data = {
        "subject": digest.subject(), "date": digest.day.isoformat(), "run_id": digest.run_id, "link": digest.link,
        "figures": None if figures is None else run_totals(figures),
        "heartbeat": digest.heartbeat, "test": digest.test,
        "findings": [_item_record(i) for i in _ordered(digest.items)],
        "health": [{"key": h.key, "title": h.title, "detail": h.detail, "recovered": h.recovered}
                   for h in digest.health],
        "parse_quality": [_item_record(i) for i in digest.parse_quality],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


def render_csv(digest: Digest) -> str:
    """The digest's findings as CSV (with a BOM, so spreadsheet programs read the Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in _ordered(digest.items):
        writer.writerow([
            item.status, item.department, item.severity_name, item.category_name, item.rule_id, item.message,
            *map(plain_amount, (item.expected, item.actual, item.before_expected, item.before_actual)),
            item.document, item.page,
            item.finding_link, item.evidence_link, item.file_link,
        ])
    return "\ufeff" + out.getvalue()


def render_payload(digest: Digest, fmt: ChannelFormat) -> dict[str, Any]:
    """Everything the outbox keeps to send ``digest`` to a channel of format ``fmt``."""
    if fmt == "email":
        return {"format": fmt, "body": render_html(digest), "csv": render_csv(digest) if digest.items else None}
    if fmt == "json":
        return {"format": fmt, "body": render_json(digest)}
    return {"format": fmt, "body": render_im(digest, MESSAGE_LIMITS[fmt])}
