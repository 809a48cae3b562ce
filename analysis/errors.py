"""Errors of the analysis package.

AnalysisError              base: anything analysis raises
├── RuleConfigError        the YAML rule file is unreadable or names unknown rules
└── IdentityConfigError    the alias/merger file is unreadable

Bad documents never raise: an unreadable figure is skipped, a missing table
is a finding.
"""

from __future__ import annotations

__all__ = ["AnalysisError", "RuleConfigError", "IdentityConfigError"]


class AnalysisError(Exception):
    """Base class of every error raised by ``analysis``."""


class RuleConfigError(AnalysisError):
    """The rule file is malformed or configures a rule that does not exist."""


class IdentityConfigError(AnalysisError):
    """The department alias file is malformed."""
