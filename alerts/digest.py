"""What one channel is told in one run: the digest, before any formatting."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Literal

from alerts.config import SEVERITY_RANK
from alerts.figures import figures_line, run_totals
from pipeline.runs import RunSummary

__all__ = ["Digest", "DigestItem", "Department", "HealthNote", "plain_amount", "SEVERITY_NAMES", "CATEGORY_NAMES", "STATUS_NAMES"]

SEVERITY_NAMES = {"high": "高", "medium": "中", "low": "低"}
CATEGORY_NAMES = {
    "completeness": "完整性", "consistency": "勾稽一致", "narrative": "说明文字", "metadata": "基本信息",
    "timeliness": "及时性", "year_over_year": "年度对比", "three_public": "三公经费", "parse_quality": "解析质量",
}
STATUS_NAMES = {"new": "新问题", "changed": "数值变动", "resolved": "已解决"}
NO_DEPARTMENT = "（未识别部门）"


@dataclass(frozen=True)
class DigestItem:
    """One finding as the digest shows it, with links to its evidence."""

    fingerprint: str
    status: Literal["new", "changed", "resolved"]
    department: str
    severity: str
    category: str
    rule_id: str
    message: str
    expected: Decimal | None
    actual: Decimal | None
    document: str
    page: int | None
    finding_link: str
    evidence_link: str
    file_link: str | None
    before_expected: Decimal | None = None
    before_actual: Decimal | None = None

    @property
    def severity_name(self) -> str:
        return SEVERITY_NAMES.get(self.severity, self.severity)

    @property
    def category_name(self) -> str:
        return CATEGORY_NAMES.get(self.category, self.category)

    def values(self) -> str:
        """Expected/actual (and what they were) as one short Chinese phrase."""
        parts = []
        if self.expected is not None:
            parts.append(f"应为 {_amount(self.expected)}")
        if self.actual is not None:
            parts.append(f"实为 {_amount(self.actual)}")
        before = f"（原：应为 {_amount(self.before_expected)}，实为 {_amount(self.before_actual)}）"
        return "，".join(parts) + (before if self.status == "changed" else "")

    def where(self) -> str:
        return self.document + (f" 第 {self.page} 页" if self.page else "")

    def sort_key(self) -> tuple[int, str, str]:
        return SEVERITY_RANK.get(self.severity, 3), self.rule_id, self.fingerprint


def _amount(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():,f}"


def plain_amount(value: Decimal | None) -> str | None:
    """An amount as plain decimal text for CSV and JSON (``599.47``; never a float)."""
    return None if value is None else f"{value.normalize():f}"


@dataclass(frozen=True)
class HealthNote:
    """A pipeline-health condition that appeared (or, ``recovered``, went away)."""

    key: str
    title: str
    detail: str = ""
    recovered: bool = False


@dataclass(frozen=True)
class Department:
    name: str
    items: tuple[DigestItem, ...]

    def count(self, severity: str | None = None) -> int:
        return sum(1 for i in self.items if severity is None or i.severity == severity)


@dataclass(frozen=True)
class Digest:
    """One channel's message for one run (sections may be empty)."""

    channel: str
    day: date
    run_id: int | None
    figures: RunSummary | None
    link: str
    items: tuple[DigestItem, ...] = ()
    parse_quality: tuple[DigestItem, ...] = ()
    health: tuple[HealthNote, ...] = ()
    heartbeat: bool = False
    test: bool = field(default=False)

    def figures_line(self) -> str:
        return figures_line(self.figures) if self.figures else ""

    @property
    def empty(self) -> bool:
        return not (self.items or self.parse_quality or self.health or self.heartbeat or self.test)

    def section(self, status: str) -> list[DigestItem]:
        return [i for i in self.items if i.status == status]

    def departments(self, status: str | None = None) -> list[Department]:
        """Departments of a section, the one with the most severe findings first."""
        chosen = sorted((i for i in self.items if status is None or i.status == status),
                        key=lambda i: (i.department, i.sort_key()))
        groups = [Department(name, tuple(items)) for name, items in groupby(chosen, key=lambda i: i.department)]
        return sorted(groups, key=lambda d: (min(i.sort_key()[0] for i in d.items), -len(d.items), d.name))

    def sections(self) -> Iterator[tuple[str, str, list[Department]]]:
        """(status, Chinese heading, departments) of the non-empty finding sections."""
        for status, name in STATUS_NAMES.items():
            groups = self.departments(status)
            if groups:
                yield status, name, groups

    def subject(self) -> str:
        """A subject that says what happened."""
        head = f"预决算监测 {self.day.month}月{self.day.day}日："
        published = f"新公开 {run_totals(self.figures)['new_documents']} 份" if self.figures else ""
        if self.test:
            return head + "测试消息"
        new = self.section("new")
        parts = []
        if new:
            departments = len({i.department for i in new})
            high = sum(1 for i in new if i.severity == "high")
            parts.append(f"{departments} 个部门 {high} 项高风险问题" + (f"（共 {len(new)} 项）" if len(new) > high else "")
                         if high else f"{departments} 个部门 {len(new)} 项新问题")
        for status, label in (("changed", "数值变动"), ("resolved", "已解决")):
            if count := len(self.section(status)):
                parts.append(f"{count} 项{label}")
        health = [h for h in self.health if not h.recovered]
        if health:
            parts.append(f"{len(health)} 项运行异常")
        if any(h.recovered for h in self.health) and not health:
            parts.append("运行已恢复")
        if self.parse_quality:
            parts.append(f"{len(self.parse_quality)} 项解析质量提示")
        if not parts:
            parts.append("今日无新问题")
        if published:
            parts.append(published)
        return head + "，".join(parts)
