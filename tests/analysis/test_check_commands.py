"""budgetwatch check / findings / diff end to end on a real SQLite database."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from budgetwatch.cli import app

derive = pytest.importorskip("demo.derive", reason="fixture generator not importable yet")
render = pytest.importorskip("demo.render_pdf", reason="fixture generator not importable yet")


@pytest.fixture(scope="module")
def home(seed_docs, tmp_path_factory):
    root = tmp_path_factory.mktemp("check_cli")
    seed = seed_docs["004"]
    files = []
    for year, doc in ((2022, derive.shift_year(seed, 2022)),
                      (2023, derive.scale_item(seed, "final_three_public", None, "决算数/公务接待费", "3"))):
        files.append(str(render.render_pdf(doc, root / f"{year}.pdf").path))
    env = {"BUDGETWATCH_HOME": str(root / "home")}
    result = CliRunner().invoke(app, ["ingest", *files], env=env)
    assert result.exit_code == 0, result.output
    return env


def _run(env, *args):
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_check_stores_findings_once_and_lists_them(home):
    first = _run(home, "check", "--today", "2024-11-30")
    assert "发现问题" in first
    listed = json.loads(_run(home, "findings", "--json"))
    again = _run(home, "check", "--today", "2024-11-30")
    assert "新增 0 条" in again and "已解决 0 条" in again
    relisted = json.loads(_run(home, "findings", "--json"))
    assert sorted(f["fingerprint"] for f in relisted) == sorted(f["fingerprint"] for f in listed)
    yoy = [f for f in listed if f["rule_id"] == "three_public.yoy"]
    # 接待 ×3 (+1.02 万元, +200%) and with it the 合计 (2.30 → 3.32, +44%) cross 30% and 1 万元
    assert sorted((f["year"], f["row_key"], f["expected"], f["actual"]) for f in yoy) == [
        (2023, "reception", "0.5100", "1.5300"),
        (2023, "total", "2.3000", "3.3200"),
    ]
    high = json.loads(_run(home, "findings", "--json", "--severity", "high"))
    assert high and all(f["severity"] == "high" for f in high)
    text = _run(home, "findings")
    assert "三公" in text
    only = json.loads(_run(home, "findings", "--json", "--category", "three_public"))
    assert only and {f["category"] for f in only} == {"three_public"}
    assert {f["fingerprint"] for f in only} == {f["fingerprint"] for f in listed if f["category"] == "three_public"}


def test_diff_command_shows_the_three_public_change(home):
    out = _run(home, "diff", "新乡市政务服务和大数据管理局", "--years", "2022", "2023")
    assert "公务接待费：0.51 → 1.53（+200.00%）" in out
