"""One list of rules: each check registers itself with a decorator."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from analysis.findings import DEPARTMENT, Category, FigureRef, Finding, Severity
from parsers.model import LineItem

__all__ = ["Rule", "Run", "RULES", "at_item", "document_rule", "history_rule"]


@dataclass(frozen=True)
class Rule:
    """``target`` is ``document`` (one ParsedDocument) or ``history`` (a
    DepartmentHistory). ``title`` is the Chinese name shown to users."""

    id: str
    category: Category
    severity: Severity
    title: str
    target: str
    func: Callable[..., Iterable[Finding]]


RULES: dict[str, Rule] = {}


def _register(target: str, rule_id: str, category: Category, severity: Severity, title: str) -> Callable:
    def wrap(func: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        if rule_id in RULES:
            raise ValueError(f"duplicate rule id {rule_id}")
        RULES[rule_id] = Rule(rule_id, category, severity, title, target, func)
        return func

    return wrap


def document_rule(rule_id: str, category: Category, severity: Severity, title: str) -> Callable:
    """Register ``func(doc, run) -> Iterable[Finding]``."""
    return _register("document", rule_id, category, severity, title)


def history_rule(rule_id: str, category: Category, severity: Severity, title: str) -> Callable:
    """Register ``func(history, run) -> Iterable[Finding]``."""
    return _register("history", rule_id, category, severity, title)


@dataclass(frozen=True)
class Run:
    """What a rule function gets besides its input: its parameters, the
    shared tolerance and an ``emit`` that fills the finding's identity."""

    rule: Rule
    severity: Severity
    params: Mapping[str, Any]
    tolerances: Callable[[str | None], Decimal]
    department: str | None
    kind: str | None = None
    year: int | None = None
    document_id: str | None = None
    version_id: str | None = None
    today: date | None = None
    profile: str | None = None
    scope: str = DEPARTMENT
    extra: Mapping[str, Any] = field(default_factory=dict)

    def param(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)

    def emit(self, message: str, **where: Any) -> Finding:
        """A finding of this rule; ``where`` sets location, values, and for
        history rules ``kind``/``year``/``document_id``/``version_id``/``scope``
        (``DocumentRecord.where``); ``cells`` the line items compared."""
        severity = where.pop("severity", None) or self.severity
        where["cells"] = tuple(FigureRef(i.page, i.row, i.column, i.amount) for i in where.pop("cells", ()) or ())
        base = {
            "kind": self.kind,
            "year": self.year,
            "document_id": self.document_id,
            "version_id": self.version_id,
            "scope": self.scope,
        }
        base.update(where)
        return Finding(
            rule_id=self.rule.id,
            category=self.rule.category,
            severity=Severity(severity),
            department=self.department,
            message=message,
            **base,
        )


def at_item(item: LineItem) -> dict[str, Any]:
    """Where a finding about one printed figure points: its column and page, and the
    figure as the actual value (``run.emit(…, **at_item(item))``)."""
    return {"column_key": item.column_key, "page": item.page, "actual": item.amount}
