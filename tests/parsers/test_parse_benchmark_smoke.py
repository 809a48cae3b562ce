"""The parse benchmark runs end to end on one rendered seed and prints its figures (no timing asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_parse_benchmark_quick_prints_figures_and_a_verdict(seeds_dir: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "parse_benchmark.py"), "--quick"],
        check=True, capture_output=True, text=True, cwd=REPO, timeout=300,
    ).stdout
    for contender in ("budgetwatch", "pdfplumber"):
        assert re.search(rf"^{contender}\s+1\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+$", out, re.M), out
        recovered = re.search(rf"^{contender}\s+numeric cells of standard tables recovered: (\d+)/(\d+)$", out, re.M)
        assert recovered and int(recovered.group(2)) > 0, out
    assert re.search(r"^verdict: (PASS|FAIL) — budgetwatch is [\d.]+x pdfplumber's pages/s", out, re.M), out
