"""Run the registered rules over one document or one department's history."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

import analysis.checks  # noqa: F401  (registers the rules)
from analysis.context import CheckContext, DepartmentHistory
from analysis.findings import Category, Finding, Severity
from analysis.identity import DepartmentIdentity
from analysis.reading import separate_artefacts
from analysis.registry import RULES, Rule, Run
from analysis.rules import RuleSet
from parsers.model import ParsedDocument, Scope

__all__ = ["check_document", "check_history", "RULE_ERROR"]

RULE_ERROR = "engine.rule_error"

# Input the rule did not foresee must not stop the run: the failure becomes a
# parse-quality finding, and the other rules still run.
_BAD_INPUT = (ArithmeticError, ValueError, KeyError, IndexError, TypeError, AttributeError)


def _run(rule: Rule, rules: RuleSet, **fields) -> Run:
    config = rules.config(rule.id)
    return Run(
        rule=rule,
        severity=config.severity or rule.severity,
        params=config.params,
        tolerances=rules.tolerance,
        **fields,
    )


def _collect(rule: Rule, run: Run, subject: object) -> list[Finding]:
    try:
        return list(rule.func(subject, run))
    except _BAD_INPUT as exc:
        return [
            Finding(
                rule_id=RULE_ERROR,
                category=Category.PARSE_QUALITY,
                severity=Severity.LOW,
                department=run.department,
                kind=run.kind,
                year=run.year,
                message=f"规则 {rule.id} 无法处理该文件：{type(exc).__name__}",
                row_key=rule.id,
                document_id=run.document_id,
                version_id=run.version_id,
                scope=run.scope,
            )
        ]


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per fingerprint (the first), in a stable order."""
    seen: dict[str, Finding] = {}
    for finding in findings:
        seen.setdefault(finding.fingerprint, finding)
    return sorted(seen.values(), key=Finding.sort_key)


def check_document(
    doc: ParsedDocument,
    rules: RuleSet,
    context: CheckContext | None = None,
    identity: DepartmentIdentity | None = None,
) -> list[Finding]:
    """All enabled document rules over ``doc``."""
    context = context or CheckContext()
    identity = identity or DepartmentIdentity()
    name = context.department or doc.department
    fields = {
        "department": identity.key(name),
        "kind": str(doc.kind) if doc.kind else None,
        "year": doc.year,
        "document_id": context.document_id or doc.source.sha256,
        "version_id": context.version_id,
        "profile": context.profile,
        "scope": str(context.scope or doc.scope or Scope.DEPARTMENT),
        "extra": {"identity": identity, "department_name": name, "companions": context.companions},
    }
    found: list[Finding] = []
    for rule in RULES.values():
        if rule.target == "document" and rules.enabled(rule.id):
            found += _collect(rule, _run(rule, rules, **fields), doc)
    return _unique(separate_artefacts(doc, _unique(found)))


def check_history(
    history: DepartmentHistory,
    rules: RuleSet,
    today: date,
    *,
    published: Collection[tuple[str, str, int]] | None = None,
    identity: DepartmentIdentity | None = None,
) -> list[Finding]:
    """All enabled history rules (year over year, presence, timeliness);
    ``today`` is passed in so results never depend on the clock.

    ``published`` lists (department key, kind, year) of every body's
    documents: with it, units a 部门 document lists are looked up.
    """
    extra = {"published": published, "identity": identity or DepartmentIdentity()}
    found: list[Finding] = []
    for rule in RULES.values():
        if rule.target == "history" and rules.enabled(rule.id):
            run = _run(rule, rules, department=history.department, today=today, extra=extra)
            found += _collect(rule, run, history)
    return _unique(found)
