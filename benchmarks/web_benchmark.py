"""Benchmark: the archive browser on 100,000 documents.

Fills a database (SQLite by default, or ``--database-url``) with synthetic
documents derived from the seeds' departments and regions — every document
with a version, a 三公经费 table of six line items and about one finding —
by bulk inserts, then times the home, department, findings (filtered) and
search pages (terms from department names, and words found in titles only)
through the ASGI app and prints p50/p95 per page.

    .venv/bin/python benchmarks/web_benchmark.py
    .venv/bin/python benchmarks/web_benchmark.py --database-url $(bash scripts/pg url)
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, insert

from analysis.identity import split_region
from analysis.three_public import COMPONENTS
from demo.seeds import load_seed
from storage import make_engine, migrate
from storage.findings import FindingRow
from storage.models import Document, DocumentVersion, LineItemRow, ParsedTableRow

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
YEARS = range(2016, 2026)
KINDS = ("预算", "决算")
DISTRICT_WORDS = "东西南北中新华兴安平和康宁阳山河湖川城"
RULES = (("three_public.yoy", "three_public", "high"), ("arithmetic.row_total", "consistency", "medium"),
         ("narrative.rate", "narrative", "medium"), ("metadata.row_numbers", "metadata", "low"),
         ("presence.late", "timeliness", "medium"), ("parse.warnings", "parse_quality", "low"))
CHUNK = 5000


def department_names(count: int) -> list[str]:
    """Names in the seeds' pattern: the seeds' cities, invented districts, the seeds' bureaus."""
    seeds = [load_seed(p) for p in sorted(SEEDS.glob("*.txt"))]
    cities = sorted({split_region(s.department)[0][:3] for s in seeds if split_region(s.department)[0]}) or ["焦作市"]
    bureaus = sorted({split_region(s.department)[1] for s in seeds}) + [
        "财政局", "教育局", "民政局", "卫生健康委员会", "住房和城乡建设局", "交通运输局", "农业农村局", "水利局",
        "文化广电和旅游局", "市场监督管理局", "应急管理局", "自然资源局", "生态环境局", "人力资源和社会保障局",
        "审计局", "统计局", "退役军人事务局", "医疗保障局"]
    names = []
    district = 0
    while len(names) < count:
        city = cities[district % len(cities)]
        word = DISTRICT_WORDS[district % len(DISTRICT_WORDS)] + DISTRICT_WORDS[(district // len(DISTRICT_WORDS)) % len(DISTRICT_WORDS)]
        names += [f"{city}{word}区{b}" for b in bureaus]
        district += 1
    return names[:count]


def _insert(engine: Engine, model, rows: list[dict]) -> None:  # noqa: ANN001
    with engine.begin() as conn:
        for start in range(0, len(rows), CHUNK):
            conn.execute(insert(model.__table__), rows[start:start + CHUNK])


def fill(engine: Engine, documents: int, rng: random.Random) -> list[str]:
    names = department_names(documents // (len(YEARS) * len(KINDS)) + 1)
    now = datetime(2025, 11, 1, tzinfo=UTC)
    docs, versions, tables, items, findings = [], [], [], [], []
    doc_id = 0
    for name in names:
        for year in YEARS:
            for kind in KINDS:
                doc_id += 1
                if doc_id > documents:
                    break
                seen = now - timedelta(days=(2025 - year) * 365 + rng.randrange(300))
                docs.append({"id": doc_id, "url": f"http://bench.test/{doc_id}.pdf", "source_id": f"src{doc_id % 40}",
                             "kind": kind, "scope": "部门", "year": year, "department": name,
                             "title": f"{name}{year}年度部门{kind}", "first_seen": seen, "last_seen": now,
                             "current_version_id": doc_id})
                sha = hashlib.sha256(str(doc_id).encode()).hexdigest()
                versions.append({"id": doc_id, "document_id": doc_id, "sha256": sha, "size": 400_000,
                                 "file_name": f"{doc_id}.pdf", "format": "pdf", "archive_key": sha,
                                 "parse_status": "ok", "created_at": seen})
                side = "final" if kind == "决算" else "budget"
                tables.append({"id": doc_id, "version_id": doc_id, "ordinal": 0, "table_id": f"{side}_three_public",
                               "title": "财政拨款“三公”经费支出表", "pages": [12], "empty": False, "header": [],
                               "columns": [], "rows": [], "row_pages": [], "notes": []})
                for ordinal, component in enumerate(COMPONENTS):
                    amount = Decimal(rng.randrange(0, 5000)) / 100
                    items.append({"version_id": doc_id, "parsed_table_id": doc_id, "ordinal": ordinal,
                                  "table_id": f"{side}_three_public", "name": component,
                                  "column_key": f"{side}.{component}", "column_label": component, "amount": amount,
                                  "page": 12, "row": 0, "column": ordinal + 1, "raw": f"{amount:.2f}"})
                for n in range(rng.choice((0, 1, 1, 2))):
                    rule, category, severity = rng.choice(RULES)
                    resolved = now if rng.random() < 0.3 else None
                    findings.append({"fingerprint": hashlib.sha256(f"{doc_id}/{n}".encode()).hexdigest(),
                                     "rule_id": rule, "category": category, "severity": severity,
                                     "department": name, "scope": "部门", "document_id": str(doc_id),
                                     "version_id": str(doc_id), "kind": kind, "year": year,
                                     "table_id": f"{side}_three_public", "message": f"{name}{year}年{kind}：{rule}",
                                     "first_seen": seen, "last_seen": now, "resolved_at": resolved})
    for model, rows in ((Document, docs), (DocumentVersion, versions), (ParsedTableRow, tables),
                        (LineItemRow, items), (FindingRow, findings)):
        _insert(engine, model, rows)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    print(f"filled: {len(docs)} documents, {len(items)} line items, {len(findings)} findings, {len(names)} departments")
    return names


def time_pages(settings, names: list[str], rng: random.Random, samples: int) -> None:  # noqa: ANN001
    from fastapi.testclient import TestClient

    from web.app import create_app

    regions = sorted({split_region(n)[0] for n in names})
    pages = {
        "home": lambda: "/",
        "department": lambda: "/departments/" + quote(rng.choice(names), safe=""),
        "findings (filtered)": lambda: rng.choice([
            f"/findings?severity=high&region={quote(rng.choice(regions))}",
            f"/findings?category=narrative&year={rng.choice(YEARS)}",
            f"/findings?rule=three_public.yoy&status=resolved",
            "/findings?severity=medium",
            f"/findings?department={quote(rng.choice(names))}",
            f"/findings?status=open&_page={rng.randrange(1, 50)}",
            "/findings?status=new",
        ]),
        "search": lambda: "/search?q=" + quote(rng.choice(names)[rng.randrange(0, 4):][:rng.choice((3, 5, 8))]),
        # Words of titles only (no department matches them): common, tied to a year, two characters, absent.
        "search (title words)": lambda: "/search?q=" + quote(rng.choice([
            f"{rng.choice(YEARS)}年度", rng.choice(KINDS), f"部门{rng.choice(KINDS)}", f"{rng.choice(YEARS)}年度部门决算",
            "未出现的标题"])),
    }
    with TestClient(create_app(settings)) as client:
        cold = time.perf_counter()
        client.get("/")
        print(f"first request (builds the department index): {(time.perf_counter() - cold) * 1000:.0f} ms")
        print(f"{'page':<24}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
        for label, path in pages.items():
            times = []
            for _ in range(samples):
                url = path()
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            print(f"{label:<24}{len(times):>5}{statistics.median(times):>9.1f}{p95:>9.1f}{times[-1]:>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="an empty database (default: SQLite in a temp dir)")
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="time an already filled --database-url again")
    args = parser.parse_args()
    from config import Settings

    rng = random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        migrate(engine)
        started = time.perf_counter()
        if args.reuse:
            names = department_names(args.documents // (len(YEARS) * len(KINDS)) + 1)
        else:
            names = fill(engine, args.documents, rng)
            print(f"fill: {time.perf_counter() - started:.1f} s on {engine.dialect.name}")
        engine.dispose()
        time_pages(Settings(database_url=url, archive_dir=str(Path(tmp) / "archive")), names, rng, args.samples)


if __name__ == "__main__":
    main()
