"""Chinese names of the codes stored in the database, for the pages."""

from __future__ import annotations

__all__ = ["LABELS"]

LABELS: dict[str, dict[str | None, str]] = {
    "severity": {"high": "高", "medium": "中", "low": "低"},
    "category": {
        "completeness": "完整性",
        "consistency": "一致性",
        "narrative": "说明文字",
        "metadata": "表头信息",
        "timeliness": "及时性",
        "year_over_year": "同比变动",
        "three_public": "三公经费",
        "parse_quality": "解析质量",
    },
    "parse_status": {"pending": "待解析", "ok": "解析成功", "warning": "有警告", "error": "解析失败"},
    "run_status": {"running": "运行中", "finished": "已完成", "failed": "失败"},
    "publication": {"on_time": "按时", "late": "逾期", "missing": "未公开", "published": "已公开"},
    "change": {"added": "新增", "removed": "删除", "changed": "变动"},
    "finding_status": {"open": "未解决", "new": "新发现", "resolved": "已解决"},
}
