"""Parse benchmark (issue 2, acceptance 6): budgetwatch's parser beside plain pdfplumber.

Over the rendered seeds (rendered into a temporary directory) and every PDF
in ../shared/realdocs, each contender parses every document in a fresh
subprocess, so peak memory figures are comparable:

- ``budgetwatch``: ``parsers.parse_file``
- ``pdfplumber``: open the PDF and call ``page.extract_tables()`` on every page

Printed: pages, seconds, pages/s, seconds per document (parsing only: each
contender's imports are timed apart and printed on their own line, since a
crawl pays them once per process; reading pdfplumber's cells as amounts is
not timed either), peak memory (growth of ru_maxrss while parsing, libraries'
import included; tracemalloc is not used because its tracing overhead would
distort the timings), and result quality: numeric cells
of the seeds' standard tables recovered (against the seed ground truth) and
tables found per realdoc. Ends with a verdict line against the target
(at least 2x pdfplumber's speed with equal or better results), which also
gives the ratio with every document's fresh-process imports counted.

    .venv/bin/python benchmarks/parse_benchmark.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CONTENDERS = ("budgetwatch", "pdfplumber")


def _amount(cell: str | None) -> Decimal | None:
    from parsers.numbers import read_number

    return read_number(cell).value if cell else None


def _load(contender: str) -> Any:
    """Import a contender's parser. Timed apart from parsing: a crawl parses many
    documents in one process and pays its imports once."""
    if contender == "budgetwatch":
        from parsers import parse_file

        return parse_file
    import pdfplumber

    return pdfplumber


def _parse(contender: str, parser: Any, path: Path) -> Any:
    """The timed work: parse one document."""
    if contender == "budgetwatch":
        return parser(path)
    tables = []
    with parser.open(path) as pdf:
        for page in pdf.pages:
            tables.extend(page.extract_tables())
            page.flush_cache()
        return len(pdf.pages), tables


def _results(contender: str, parsed: Any) -> tuple[int, list[list[str]], int | None]:
    """Pages, each table's amounts and (budgetwatch) how many tables were identified.
    Untimed: reading pdfplumber's cells as amounts is the quality check, not its parsing."""
    if contender == "budgetwatch":
        tables = [[str(i.amount) for i in t.items] for t in parsed.tables]
        return parsed.source.page_count, tables, sum(1 for t in parsed.tables if t.id)
    pages, raw_tables = parsed
    tables = []
    for table in raw_tables:
        amounts = [_amount(c) for row in table for c in row]
        tables.append([str(a) for a in amounts if a is not None])
    return pages, tables, None


def child(contender: str, paths: list[str]) -> None:
    """Run one contender over the documents; print one JSON line per document."""
    for path in paths:
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        parser = _load(contender)
        loaded = time.perf_counter()
        parsed = _parse(contender, parser, Path(path))
        seconds = time.perf_counter() - loaded
        rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
        pages, tables, identified = _results(contender, parsed)
        print(json.dumps({"path": path, "pages": pages, "seconds": seconds, "import_seconds": loaded - start,
                          "rss_kb": rss_growth, "tables": tables, "identified": identified}), flush=True)


def _measure(contender: str, path: Path) -> dict:
    """One document in a fresh interpreter, so every peak starts from the same baseline."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", contender, str(path)],
        check=True, capture_output=True, text=True, cwd=REPO,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _render_seeds(out: Path, quick: bool) -> list[tuple[Path, Counter]]:
    """Seed PDFs (ruled_portrait) and the ground-truth amounts of their standard tables."""
    from demo.render_pdf import VARIANTS, render_pdf
    from demo.seeds import load_seed, numeric_cells

    seeds = sorted((SHARED / "seeds").glob("*.txt"))[: 1 if quick else None]
    rendered = []
    for path in seeds:
        seed = load_seed(path)
        pdf = render_pdf(seed, out / f"{path.stem}.pdf", VARIANTS["ruled_portrait"]).path
        truth = Counter(v for t in seed.tables if t.canonical_id for _r, _c, v in numeric_cells(t))
        rendered.append((pdf, truth))
    return rendered


def _recovered(truth: Counter, tables: list[list[str]]) -> int:
    """How many ground-truth amounts appear among the amounts a contender found."""
    found = Counter(Decimal(a) for table in tables for a in table)
    return sum((truth & found).values())


def _summary(name: str, rows: list[dict]) -> dict:
    pages = sum(r["pages"] for r in rows)
    seconds = sum(r["seconds"] for r in rows)
    return {
        "name": name, "docs": len(rows), "pages": pages, "seconds": seconds,
        "import_seconds": sum(r["import_seconds"] for r in rows),
        "pages_per_s": pages / seconds if seconds else 0.0, "s_per_doc": seconds / max(len(rows), 1),
        "rss_mb": max((r["rss_kb"] for r in rows), default=0) / 1024,
    }


def _print_speed(label: str, results: dict[str, list[dict]]) -> dict[str, dict]:
    print(f"\n== {label} ==")
    print(f"{'contender':<12}{'docs':>5}{'pages':>7}{'seconds':>9}{'pages/s':>9}{'s/doc':>8}{'peak RSS+ MB':>14}")
    summaries = {}
    for name in CONTENDERS:
        s = summaries[name] = _summary(name, results[name])
        print(f"{name:<12}{s['docs']:>5}{s['pages']:>7}{s['seconds']:>9.2f}{s['pages_per_s']:>9.1f}"
              f"{s['s_per_doc']:>8.2f}{s['rss_mb']:>14.1f}")
    for name, s in summaries.items():
        print(f"{name:<12} imports, once per process and not in the seconds above: {s['import_seconds']:.2f} s")
    return summaries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one seed, no realdocs (smoke run)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.child:
        child(args.child[0], args.child[1:])
        return 0
    total = {name: [] for name in CONTENDERS}
    with tempfile.TemporaryDirectory() as tmp:
        seeds = _render_seeds(Path(tmp), args.quick)
        seed_results = {name: [_measure(name, pdf) for pdf, _truth in seeds] for name in CONTENDERS}
        speed = _print_speed(f"rendered seeds ({len(seeds)} PDFs, ruled_portrait)", seed_results)
        truth_total = sum(sum(t.values()) for _pdf, t in seeds)
        quality = {n: sum(_recovered(t, r["tables"]) for (_p, t), r in zip(seeds, seed_results[n])) for n in CONTENDERS}
        for name in CONTENDERS:
            print(f"{name:<12} numeric cells of standard tables recovered: {quality[name]}/{truth_total}")
            total[name].extend(seed_results[name])
    realdocs = [] if args.quick else sorted((SHARED / "realdocs").glob("*.pdf"))
    if realdocs:
        real_results = {name: [_measure(name, pdf) for pdf in realdocs] for name in CONTENDERS}
        _print_speed(f"realdocs ({len(realdocs)} PDFs)", real_results)
        print(f"\n{'realdoc':<48}{'budgetwatch tables (standard)':>30}{'pdfplumber tables':>19}")
        for i, pdf in enumerate(realdocs):
            bw, pl = real_results["budgetwatch"][i], real_results["pdfplumber"][i]
            print(f"{pdf.name[:46]:<48}{len(bw['tables']):>22} ({bw['identified']:>3}){len(pl['tables']):>19}")
        for name in CONTENDERS:
            total[name].extend(real_results[name])
    overall = _print_speed("all documents", total)
    ratio = overall["budgetwatch"]["pages_per_s"] / max(overall["pdfplumber"]["pages_per_s"], 1e-9)
    bw, pl = (overall[n]["seconds"] + overall[n]["import_seconds"] for n in CONTENDERS)
    better = quality["budgetwatch"] >= quality["pdfplumber"]
    verdict = "PASS" if ratio >= 2 and better else "FAIL"
    print(f"\nverdict: {verdict} — budgetwatch is {ratio:.2f}x pdfplumber's pages/s (target >= 2x); "
          f"seed cells recovered {quality['budgetwatch']} vs {quality['pdfplumber']} "
          f"({'equal or better' if better else 'worse'}); "
          f"{pl / max(bw, 1e-9):.2f}x with a fresh process's imports counted for every document")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
