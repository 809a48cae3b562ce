"""docs/checks.md has a section for every registered rule (Datasette's test_docs habit)."""

import re
from pathlib import Path

import pytest

from analysis import RULE_ERROR, RULES, default_rules

DOC = Path(__file__).resolve().parents[2] / "docs" / "checks.md"
SECTIONS = set(re.findall(r"^### (\S+)$", DOC.read_text(encoding="utf-8"), re.M))


@pytest.mark.parametrize("rule_id", sorted(RULES) + [RULE_ERROR])
def test_rule_has_a_doc_section(rule_id):
    assert rule_id in SECTIONS


def test_no_section_for_a_rule_that_does_not_exist():
    assert SECTIONS - set(RULES) - {RULE_ERROR} == set()


def test_every_rule_is_configured_in_the_rule_file():
    assert set(RULES) == set(default_rules().rules)
