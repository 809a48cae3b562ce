"""Recovery over the fixture matrix (issue 10, acceptance 1): seeds × styles × producers.

Every seed in ../shared/seeds is rendered in every style of
``demo.matrix.MATRIX_STYLES`` by every producer (reportlab, Chromium,
LibreOffice; those not installed are skipped) and read back by budgetwatch
and by plain pdfplumber ``extract_tables``. Printed per producer × style:

- budgetwatch: numeric cells recovered in the right table, column and page
  (all files together), and the worst file;
- placed: the same without the column (what pdfplumber can be judged on);
- pdfplumber: cells of its tables in the right table and page;
- tables not identified.

Targets: ≥ 99.5 % overall, no file below 98 %, every standard table
identified, budgetwatch never below pdfplumber on a ruled file.

    .venv/bin/python benchmarks/producer_matrix.py [--seeds 000,004] [--producers chromium]
        [--styles grid,hrules] [--out DIR] [--files] [--no-pdfplumber]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from demo.matrix import MATRIX_PRODUCERS, MATRIX_STYLES, render_matrix  # noqa: E402
from demo.producers import producer_available  # noqa: E402
from demo.recovery import Recovery, expected_cells, pdfplumber_recovered, score  # noqa: E402
from demo.render_xlsx import render_xlsx  # noqa: E402
from demo.seeds import load_seed  # noqa: E402
from parsers import parse_file  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

SEEDS = REPO.parent / "shared" / "seeds"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", help="comma-separated seed numbers (default: all)")
    parser.add_argument("--producers", default=",".join(MATRIX_PRODUCERS))
    parser.add_argument("--styles", default=",".join(MATRIX_STYLES))
    parser.add_argument("--out", type=Path, help="keep the rendered PDFs here")
    parser.add_argument("--files", action="store_true", help="print every file's figures")
    parser.add_argument("--no-pdfplumber", action="store_true", help="skip the (slow) pdfplumber baseline")
    args = parser.parse_args()
    console = Console(width=160)
    seeds = {p.stem.split("_")[0]: load_seed(p) for p in sorted(SEEDS.glob("*.txt"))}
    if args.seeds:
        seeds = {k: v for k, v in seeds.items() if k in args.seeds.split(",")}
    out = args.out or Path(tempfile.mkdtemp(prefix="producer-matrix-"))
    out.mkdir(parents=True, exist_ok=True)
    references = {name: parse_file(render_xlsx(seed, out / f"{name}.xlsx")) for name, seed in seeds.items()}
    summary = Table(title="Numeric cells recovered (right table, column and page)")
    for column in ("producer", "style", "budgetwatch", "worst file", "placed", "pdfplumber", "not identified"):
        summary.add_column(column, justify="left" if column in ("producer", "style", "not identified") else "right")
    files = Table(title="Per file")
    for column in ("file", "cells", "budgetwatch", "placed", "pdfplumber", "not identified"):
        files.add_column(column)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    started = time.perf_counter()
    for producer in args.producers.split(","):
        if not producer_available(producer):
            console.print(f"[yellow]{producer} is not installed: skipped")
            continue
        for style in args.styles.split(","):
            manifests = {name: m for (_style, name), m in
                         render_matrix(producer, [(style, name) for name in seeds], seeds, out).items()}
            scores: list[Recovery] = []
            plumber = 0
            missing: list[str] = []
            for name, manifest in manifests.items():
                expected = expected_cells(seeds[name], manifest, references[name])
                result = score(expected, manifest, parse_file(manifest.path))
                scores.append(result)
                plain = 0 if args.no_pdfplumber else pdfplumber_recovered(manifest.path, expected)
                plumber += plain
                missing += [f"{name}:{t}" for t in result.missing_tables]
                files.add_row(manifest.path.name, str(result.expected), _percent(result.recovered, result.expected),
                              _percent(result.placed, result.expected),
                              "–" if args.no_pdfplumber else _percent(plain, result.expected),
                              " ".join(result.missing_tables))
            expected_total = sum(s.expected for s in scores)
            recovered = sum(s.recovered for s in scores)
            totals["all"][0] += recovered
            totals["all"][1] += expected_total
            worst = min(scores, key=lambda s: s.rate)
            row = (producer, style, _percent(recovered, expected_total), _percent(worst.recovered, worst.expected),
                   _percent(sum(s.placed for s in scores), expected_total),
                   "–" if args.no_pdfplumber else _percent(plumber, expected_total), ", ".join(missing))
            summary.add_row(*row)
            console.print(" | ".join(row), highlight=False)  # progress: a full run takes a while
    console.print(summary)
    if args.files:
        console.print(files)
    overall, cells = totals["all"]
    console.print(f"overall: {_percent(overall, cells)} of {cells} cells; "
                  f"{time.perf_counter() - started:.0f} s; files in {out}")


if __name__ == "__main__":
    main()
