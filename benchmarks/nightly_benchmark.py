"""Benchmarks of the nightly pipeline (issue 8, acceptance 6). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/nightly_benchmark.py            # everything
    .venv/bin/python benchmarks/nightly_benchmark.py --only help,check

1. nightly: the replica, first run and no-change run, wall time per step;
2. parse: the parse step over >= 40 documents (the five seeds in eight
   renderings) with 1 and with 2 parse processes, and the speed-up;
3. check: 1,000 stored documents (the seeds' parses under 200 departments);
   the check step after 1 document changed against a full check;
4. help: ``budgetwatch --help`` wall time (median of 5).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
TODAY = date(2026, 12, 6)


def bench_nightly(tmp: Path) -> None:
    from config import Settings
    from demo.site import ReplicaSite
    from pipeline.nightly import NightlyOptions, run_nightly

    with ReplicaSite() as site:
        settings = Settings(home=tmp / "nightly", sources=site.write_sources(tmp / "sources.yaml"))
        print("nightly over the replica (2 sources)")
        for label in ("first run", "no-change run"):
            started = time.perf_counter()
            _, summary = run_nightly(settings, NightlyOptions(today=TODAY))
            steps = "  ".join(f"{k} {v:6.2f}s" for k, v in summary.step_seconds.items())
            print(f"  {label:<14} total {time.perf_counter() - started:6.2f}s   {steps}   parsed {summary.parsed}, "
                  f"departments checked {summary.departments_checked}")


def _rendered(tmp: Path) -> list[Path]:
    from demo.render_pdf import VARIANTS, PdfVariant, render_pdf
    from demo.seeds import load_seed

    variants = list(VARIANTS.values())
    variants += [dataclasses.replace(v, name=f"{v.name}_b") for v in variants[: 8 - len(variants)]] if len(variants) < 8 else []
    files = []
    for seed_path in sorted(SEEDS.glob("*.txt")):
        seed = load_seed(seed_path)
        for index, variant in enumerate(variants[:8]):
            out = tmp / "files" / f"{seed_path.stem}_{index}.pdf"
            out.parent.mkdir(parents=True, exist_ok=True)
            render_pdf(seed, out, variant if isinstance(variant, PdfVariant) else variants[0])
            # Distinct bytes per file, or the parse step would rightly reuse one parse for the copies.
            out.write_bytes(out.read_bytes() + f"\n% copy {index}\n".encode())
            files.append(out)
    return files


def bench_parse(tmp: Path) -> None:
    from config import Settings
    from pipeline.ingest import parse_versions, versions_to_parse
    from pipeline.parse_worker import ParseLimits
    from storage import ArchiveStore, make_engine, migrate, record_version, session_scope

    files = _rendered(tmp)
    print(f"parse step over {len(files)} documents")
    timings = {}
    for workers in (1, 2):
        settings = Settings(home=tmp / f"parse{workers}")
        engine = make_engine(settings.database_url)
        migrate(engine)
        archive = ArchiveStore(settings.archive_dir)
        for path in files:
            ref = archive.put(path.read_bytes())
            with session_scope(engine) as session:
                record_version(session, sha256=ref.sha256, size=ref.size, file_name=path.name, archive_key=ref.key)
        started = time.perf_counter()
        report = parse_versions(engine, archive, versions_to_parse(engine), ParseLimits(ocr=False), workers)
        timings[workers] = time.perf_counter() - started
        print(f"  {workers} process(es): {timings[workers]:7.2f}s  {dict(report.counts)}")
    print(f"  speed-up with 2 processes: {timings[1] / timings[2]:.2f}x")


def bench_check(tmp: Path) -> None:
    from analysis import load_identity
    from config import Settings
    from parsers import parse_file
    from pipeline.check import check_changed, configured_rules
    from storage import make_engine, migrate, record_version, session_scope, store_parse

    rendered = tmp / "check_src"
    rendered.mkdir(parents=True, exist_ok=True)
    from demo.render_pdf import RULED_PORTRAIT, render_pdf
    from demo.seeds import load_seed

    parsed = []
    for seed_path in sorted(SEEDS.glob("*.txt")):
        pdf = rendered / f"{seed_path.stem}.pdf"
        render_pdf(load_seed(seed_path), pdf, RULED_PORTRAIT)
        parsed.append(parse_file(pdf, ocr=False))
    settings = Settings(home=tmp / "check")
    engine = make_engine(settings.database_url)
    migrate(engine)
    started = time.perf_counter()
    versions = []
    for n in range(200):
        for i, doc in enumerate(parsed):
            twin = dataclasses.replace(doc, department=f"{doc.department}{n:03d}")
            sha = f"{n:08x}{i:056x}"
            with session_scope(engine) as session:
                record = record_version(session, sha256=sha, size=1, file_name=f"{n}-{i}.pdf", url=f"http://x/{n}/{i}.pdf")
                store_parse(session, record.version_id, twin, parser_version="bench")
            versions.append(record.version_id)
    print(f"check step over {len(versions)} stored documents (filled in {time.perf_counter() - started:.0f}s)")
    rules, identity = configured_rules(None), load_identity()
    started = time.perf_counter()
    full = check_changed(engine, rules, identity, TODAY, everything=True)
    full_s = time.perf_counter() - started
    started = time.perf_counter()
    quiet = check_changed(engine, rules, identity, TODAY)
    quiet_s = time.perf_counter() - started
    with session_scope(engine) as session:  # one document changes: a new parse of its version
        store_parse(session, versions[0], dataclasses.replace(parsed[0], department=f"{parsed[0].department}000",
                                                             title="更正"), parser_version="bench2")
    started = time.perf_counter()
    one = check_changed(engine, rules, identity, TODAY)
    one_s = time.perf_counter() - started
    print(f"  full check:        {full_s:7.2f}s  ({full.departments_checked} departments)")
    print(f"  nothing changed:   {quiet_s:7.2f}s  ({quiet.departments_checked} departments)")
    print(f"  1 document changed:{one_s:7.2f}s  ({one.departments_checked} department) — "
          f"{one_s / full_s:.1%} of the full check")


def bench_help() -> None:
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("budgetwatch")), "--help"], capture_output=True, check=True)
        runs.append(time.perf_counter() - started)
    print(f"budgetwatch --help: median {statistics.median(runs):.3f}s (min {min(runs):.3f}s, target < 0.5s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="nightly,parse,check,help")
    chosen = set(parser.parse_args().only.split(","))
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if "help" in chosen:
            bench_help()
        if "nightly" in chosen:
            bench_nightly(tmp)
        if "parse" in chosen:
            bench_parse(tmp)
        if "check" in chosen:
            bench_check(tmp)


if __name__ == "__main__":
    main()
