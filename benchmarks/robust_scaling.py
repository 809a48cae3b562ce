"""Robust scaling benchmark (issue 9, acceptance 2): parse time and peak memory grow linearly.

Generates (``demo.hostile``) table-like PDFs of 50, 100, 200 and 2,000 ruled
summary pages and one-sheet XLSX workbooks of 10k, 100k and 1M item rows,
then parses each in a fresh child process and prints the parse time (taken
in the child, imports excluded: wall clock, and CPU seconds, which the
linearity verdict uses because a shared machine's load distorts the wall
clock) and the child's peak resident memory
(``os.wait4`` rusage of that one child, interpreter and imports included).
A workbook beyond ``parsers.limits`` is refused before it is read: its row
shows the refusal code and the time and memory the refusal took.

Verdicts printed at the end: 2,000 pages take at most 12x the time of 200
pages, and no case's peak exceeds the configured bound
(``Settings.parse_memory_mb``).

    .venv/bin/python benchmarks/robust_scaling.py [--quick]   # --quick: 50/100/200 pages, 10k rows
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = (50, 100, 200, 2_000)
ROWS = (10_000, 100_000, 1_000_000)
MAX_PAGE_RATIO = 12.0


def _child(path: str) -> None:
    """Parse one file; print seconds and what came out as one JSON line."""
    from parsers import ParseError, parse_file

    started, cpu = time.perf_counter(), time.process_time()
    try:
        doc = parse_file(path, ocr=False)
        outcome = f"{1 + len(doc.parts)} 份文件，{sum(len(t.items) for d in (doc, *doc.parts) for t in d.tables)} 个数"
    except ParseError as exc:
        outcome = f"拒绝 [{exc.code}]"
    took = {"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu}
    print(json.dumps({**took, "outcome": outcome}, ensure_ascii=False))


def _measure(path: Path) -> tuple[float, float, float, str]:
    """Wall and CPU seconds of the parse, peak MB and outcome of parsing ``path`` in a fresh process."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"child failed on {path.name} (exit {process.returncode})")
    result = json.loads(output.strip().splitlines()[-1])
    return result["wall"], result["cpu"], usage.ru_maxrss / 1024, result["outcome"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    sys.path.insert(0, str(REPO))
    from config import load_settings
    from demo.hostile import big_xlsx, summary_pages_pdf

    bound_mb = load_settings().parse_memory_mb
    pages = PAGES[:3] if args.quick else PAGES
    rows = ROWS[:1] if args.quick else ROWS
    seconds: dict[str, float] = {}
    peaks: list[float] = []
    print(f"{'case':<16}{'file MB':>9}{'build s':>9}{'parse s':>9}{'CPU s':>9}{'peak MB':>9}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        cases = [(f"{n} pages", f"pages-{n}.pdf", lambda n=n: summary_pages_pdf(n, rows=8)) for n in pages]
        cases += [(f"{n:,} rows", f"rows-{n}.xlsx", lambda n=n: big_xlsx(n)) for n in rows]
        for label, name, build in cases:
            started = time.perf_counter()
            path = Path(tmp) / name
            path.write_bytes(build())
            built = time.perf_counter() - started
            wall, cpu, peak, outcome = _measure(path)
            size = path.stat().st_size
            path.unlink()
            seconds[label] = cpu
            peaks.append(peak)
            print(f"{label:<16}{size / 1e6:>9.1f}{built:>9.1f}{wall:>9.2f}{cpu:>9.2f}{peak:>9.0f}  {outcome}", flush=True)
    if "2000 pages" in seconds:
        ratio = seconds["2000 pages"] / seconds["200 pages"]
        verdict = "通过" if ratio <= MAX_PAGE_RATIO else "未通过"
        print(f"2,000 页 / 200 页 CPU 耗时比 {ratio:.1f}x（上限 {MAX_PAGE_RATIO:.0f}x）：{verdict}")
    top = max(peaks)
    print(f"最高内存 {top:.0f} MB，上限 parse_memory_mb={bound_mb} MB：{'通过' if top <= bound_mb else '未通过'}")


if __name__ == "__main__":
    main()
