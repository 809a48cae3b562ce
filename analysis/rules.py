"""The rule file: on/off, severity and thresholds per rule (``rules.yaml``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from analysis.errors import RuleConfigError
from analysis.findings import Severity

__all__ = ["RuleConfig", "RuleSet", "load_rules", "DEFAULT_RULES_FILE"]

DEFAULT_RULES_FILE = Path(__file__).with_name("rules.yaml")


@dataclass(frozen=True)
class RuleConfig:
    enabled: bool = True
    severity: Severity | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSet:
    """``defaults`` holds settings every rule shares (rounding tolerance)."""

    rules: Mapping[str, RuleConfig]
    defaults: Mapping[str, Any] = field(default_factory=dict)

    def config(self, rule_id: str) -> RuleConfig:
        return self.rules.get(rule_id, RuleConfig())

    def enabled(self, rule_id: str) -> bool:
        return self.config(rule_id).enabled

    def tolerance(self, unit: str | None) -> Decimal:
        """Rounding tolerance per summand for amounts in ``unit``."""
        table = self.defaults.get("tolerance", {"万元": Decimal("0.01"), "元": Decimal("1")})
        return Decimal(table.get(unit or "万元", table.get("万元", Decimal("0.01"))))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], known: set[str] | None = None) -> RuleSet:
        """Build from parsed YAML; ``known`` rule ids reject typos in the file."""
        if not isinstance(data, Mapping):
            raise RuleConfigError("规则文件必须是映射")
        rules: dict[str, RuleConfig] = {}
        for rule_id, body in (data.get("rules") or {}).items():
            if known is not None and rule_id not in known:
                raise RuleConfigError(f"未知规则：{rule_id}")
            body = dict(body or {})
            severity = body.pop("severity", None)
            try:
                rules[rule_id] = RuleConfig(
                    enabled=bool(body.pop("enabled", True)),
                    severity=Severity(severity) if severity else None,
                    params=_decimals(body),
                )
            except ValueError as exc:
                raise RuleConfigError(f"规则 {rule_id} 配置无效：{exc}") from exc
        return cls(rules=rules, defaults=_decimals(data.get("defaults") or {}))


def _decimals(value: Any) -> Any:
    """YAML floats become Decimals (through their text, never binary)."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, Mapping):
        return {k: _decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    return value


def load_rules(path: Path | None = None, known: set[str] | None = None) -> RuleSet:
    """Read a rule file (the packaged ``rules.yaml`` by default)."""
    path = path or DEFAULT_RULES_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RuleConfigError(f"无法读取规则文件 {path}：{exc}") from exc
    return RuleSet.from_mapping(data, known)
