"""Every document rule stays quiet on consistent data."""

from __future__ import annotations

import pytest

from analysis import RULES, check_document, default_rules
from tests.analysis.builders import consistent_final

DOCUMENT_RULES = sorted(r for r, rule in RULES.items() if rule.target == "document")


@pytest.fixture(scope="module")
def findings():
    return check_document(consistent_final(), default_rules())


@pytest.mark.parametrize("rule_id", DOCUMENT_RULES)
def test_rule_is_quiet_on_consistent_document(findings, rule_id):
    assert [f.message for f in findings if f.rule_id == rule_id] == []
