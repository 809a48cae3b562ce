"""A run's figures, as the digest quotes them ("新公开 14 份")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RunFigures", "SourceFigures"]


def _int(data: Mapping[str, Any], key: str) -> int:
    try:
        return int(data.get(key) or 0)
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class SourceFigures:
    source_id: str
    status: str
    pages: int = 0
    new_documents: int = 0
    new_versions: int = 0
    withdrawn: int = 0
    errors: int = 0


@dataclass(frozen=True)
class RunFigures:
    """What one nightly run did; the shape of ``pipeline_run.summary``."""

    new_documents: int = 0
    new_versions: int = 0
    withdrawn: int = 0
    parsed: int = 0
    parse_failed: int = 0
    findings_new: int = 0
    findings_resolved: int = 0
    sources: tuple[SourceFigures, ...] = field(default_factory=tuple)

    @classmethod
    def from_summary(cls, summary: Mapping[str, Any]) -> RunFigures:
        """From a run summary: per-source figures add up to the run's."""
        sources = tuple(
            SourceFigures(str(s.get("source_id", "")), str(s.get("status", "")),
                          *(_int(s, k) for k in ("pages", "new_documents", "new_versions", "withdrawn", "errors")))
            for s in summary.get("sources") or () if isinstance(s, Mapping)
        )
        return cls(
            new_documents=sum(s.new_documents for s in sources) or _int(summary, "new_documents"),
            new_versions=sum(s.new_versions for s in sources) or _int(summary, "new_versions"),
            withdrawn=sum(s.withdrawn for s in sources) or _int(summary, "withdrawn"),
            parsed=_int(summary, "parsed"),
            parse_failed=_int(summary, "parse_failed"),
            findings_new=_int(summary, "findings_new"),
            findings_resolved=_int(summary, "findings_resolved"),
            sources=sources,
        )

    def line(self) -> str:
        """One Chinese line of the run's figures."""
        parts = [f"新公开 {self.new_documents} 份", f"更新 {self.new_versions} 份"]
        if self.withdrawn:
            parts.append(f"撤下 {self.withdrawn} 份")
        parts.append(f"解析 {self.parsed} 份")
        if self.parse_failed:
            parts.append(f"解析失败 {self.parse_failed} 份")
        failing = [s.source_id for s in self.sources if s.status == "failed"]
        if self.sources:
            parts.append(f"来源 {len(self.sources)} 个" + (f"（{len(failing)} 个失败）" if failing else ""))
        return "，".join(parts)
