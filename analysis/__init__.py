"""Checks and diffs of parsed disclosure documents (pure: no DB, no network).

``check_document`` / ``check_history`` run the registered rules (configured by
``rules.yaml``) and return ``Finding``s; ``diff_documents`` / ``diff_revisions``
compare documents; ``identity`` maps department names across years.
"""

from analysis.context import CheckContext, DepartmentHistory, DocumentRecord
from analysis.diff import ComponentRow, DocumentDiff, LineChange, diff_documents, diff_revisions
from analysis.engine import RULE_ERROR, check_document, check_history
from analysis.errors import AnalysisError, IdentityConfigError, RuleConfigError
from analysis.findings import Category, Finding, Severity, fingerprint
from analysis.identity import DepartmentIdentity, load_identity, normalise_name
from analysis.registry import RULES, Rule
from analysis.rules import RuleConfig, RuleSet, load_rules

__all__ = [
    "AnalysisError",
    "CheckContext",
    "Category",
    "ComponentRow",
    "DepartmentHistory",
    "DepartmentIdentity",
    "DocumentDiff",
    "DocumentRecord",
    "Finding",
    "IdentityConfigError",
    "LineChange",
    "RULES",
    "RULE_ERROR",
    "Rule",
    "RuleConfig",
    "RuleConfigError",
    "RuleSet",
    "Severity",
    "check_document",
    "check_history",
    "default_rules",
    "diff_documents",
    "diff_revisions",
    "fingerprint",
    "load_identity",
    "load_rules",
    "normalise_name",
]


def default_rules() -> RuleSet:
    """The packaged rules.yaml, validated against the registered rules."""
    return load_rules(known=set(RULES))
