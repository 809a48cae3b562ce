"""Acceptance 1: every standard table of every rendered seed, with its pages and every number."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from demo.render_pdf import VARIANTS, render_pdf
from demo.seeds import load_seed, numeric_cells
from parsers import parse_file

SEEDS = ["000", "001", "002", "003", "004"]
# Seed 001 (a 单位预算 of 14 tables) still loses its 机关运行经费 table: open in issue #2.
IDENTIFIED_SEEDS = [
    pytest.param(s, marks=pytest.mark.xfail(reason="open: 001's 机关（机构）运行经费 table is not found")) if s == "001" else s
    for s in SEEDS
]
VARIANT_NAMES = ["ruled_portrait", "ruled_landscape", "page_breaks"]


@pytest.fixture(scope="module")
def rendered(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("rendered")
    result = {}
    for seed_path in sorted(seeds_dir.glob("*.txt")):
        seed = load_seed(seed_path)
        for name in VARIANT_NAMES:
            pdf = out / f"{seed_path.stem}_{name}.pdf"
            manifest = render_pdf(seed, pdf, VARIANTS[name])
            result[(seed_path.name[:3], name)] = (seed, pdf, manifest)
    return result


@pytest.mark.parametrize("variant", VARIANT_NAMES)
@pytest.mark.parametrize("seed", IDENTIFIED_SEEDS)
def test_every_standard_table_found_on_its_pages(rendered: dict, seed: str, variant: str) -> None:
    seed_doc, pdf, manifest = rendered[(seed, variant)]
    parsed = parse_file(pdf)
    assert parsed.kind is not None and parsed.kind.value == seed_doc.kind
    assert parsed.year == seed_doc.year
    for placement in manifest.tables:
        if placement.canonical_id is None:
            continue
        table = parsed.table(placement.canonical_id)
        assert table is not None, f"{placement.canonical_id} not found"
        assert table.pages == list(placement.pages), placement.canonical_id


@pytest.mark.xfail(reason="open: 行次 columns and split headers still leak or lose cells (issue #2, acceptance 1)")
@pytest.mark.parametrize("variant", VARIANT_NAMES)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_numeric_cell_equals_the_seed(rendered: dict, seed: str, variant: str) -> None:
    seed_doc, pdf, manifest = rendered[(seed, variant)]
    parsed = parse_file(pdf)
    for placement in manifest.tables:
        table = parsed.table(placement.canonical_id) if placement.canonical_id else None
        if table is None:
            continue
        expected = Counter(value for _r, _c, value in numeric_cells(seed_doc.tables[placement.index]))
        found = Counter(item.amount for item in table.items)
        assert found == expected, placement.canonical_id
