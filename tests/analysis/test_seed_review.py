"""The checker against a reviewer's reading of the five seeds
(tests/analysis/data/seed_problems.yaml, docs/seed-review.md): on the
project's renders of the seeds it finds at least 80% of the high and medium
problems listed, and nothing on the stay-quiet list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from analysis import DepartmentHistory, DocumentRecord, check_document, check_history, default_rules
from analysis.findings import Finding

parsers = pytest.importorskip("parsers", reason="parser not importable yet")

LIST = yaml.safe_load((Path(__file__).parent / "data" / "seed_problems.yaml").read_text(encoding="utf-8"))
VARIANT = "ruled_portrait"
MINIMUM_RATIO = Decimal("0.80")


def findings_of(doc) -> list[Finding]:
    """Document rules, and the history rules on the document alone (no earlier
    document in the archive, as a new user's first night)."""
    history = DepartmentHistory(doc.department or "", (DocumentRecord(doc.kind, doc.year, doc),))
    alone = [f for f in check_history(history, default_rules(), date(2025, 6, 1)) if f.category != "timeliness"]
    return check_document(doc, default_rules()) + alone


@pytest.fixture(scope="module")
def seed_findings(rendered_seeds):
    cache: dict[str, list[Finding]] = {}

    def get(seed: str) -> list[Finding]:
        if seed not in cache:
            cache[seed] = findings_of(parsers.parse_file(rendered_seeds[(seed, VARIANT)][0]))
        return cache[seed]

    return get


def matches(finding: Finding, spec: dict) -> bool:
    return (
        finding.rule_id == spec["rule"]
        and ("table" not in spec or finding.table_id == spec["table"])
        and ("row" not in spec or str(spec["row"]) in (finding.row_key or ""))
        and ("actual" not in spec or finding.actual == Decimal(spec["actual"]))
    )


def detected(problem: dict, found: list[Finding]) -> bool:
    return any(matches(f, spec) for f in found for spec in problem["detect"])


def test_the_list_is_a_reviewers_list():
    serious = [p for p in LIST["problems"] if p["severity"] in ("high", "medium")]
    assert len(serious) >= 38
    assert len({p["id"] for p in LIST["problems"]}) == len(LIST["problems"])
    assert all(p["evidence"] and p["where"] for p in LIST["problems"])


def test_checker_finds_most_high_and_medium_problems(seed_findings):
    serious = [p for p in LIST["problems"] if p["severity"] in ("high", "medium")]
    found = [p["id"] for p in serious if detected(p, seed_findings(p["seed"]))]
    ratio = Decimal(len(found)) / Decimal(len(serious))
    print(f"\nseed review: {len(found)} of {len(serious)} high/medium problems found ({ratio:.1%})")
    assert ratio >= MINIMUM_RATIO
    # every problem the list says is detected is detected (no silent regression)
    promised = [p["id"] for p in LIST["problems"] if p["detect"]]
    assert [i for i in promised if not detected(next(p for p in LIST["problems"] if p["id"] == i),
                                                 seed_findings(i[:3]))] == []


@pytest.mark.parametrize("quiet", LIST["quiet"], ids=lambda q: q["rule_prefix"])
def test_nothing_on_the_stay_quiet_list(seed_findings, quiet):
    for seed in quiet["seeds"]:
        loud = [
            f.message for f in seed_findings(seed)
            if f.rule_id.startswith(quiet["rule_prefix"])
            and ("row" not in quiet or quiet["row"] in (f.row_key or ""))
            and ("actual" not in quiet or f.actual == Decimal(quiet["actual"]))
        ]
        assert loud == [], (seed, loud)


def test_attachment_findings_carry_page_provenance(seed_findings):
    """Findings about the self-evaluation attachments point at the page the figure is printed on."""
    attached = [f for s in ("000", "002", "003", "004") for f in seed_findings(s) if (f.table_id or "").startswith("final_perf")]
    assert attached and all(f.page for f in attached)
    pages = {(f.rule_id, f.page) for f in seed_findings("000") if (f.table_id or "").startswith("final_perf")}
    assert pages == {("performance.narrative_budget", 16), ("performance.target_missed", 18)}
