"""Acceptance 1: every standard table of every rendered seed, with its pages and every number."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from demo.render_pdf import VARIANTS, render_pdf
from demo.seeds import load_seed, numeric_cells
from parsers import parse_file

SEEDS = ["000", "001", "002", "003", "004"]
VARIANT_NAMES = ["ruled_portrait", "ruled_landscape", "page_breaks", "unruled", "rotated"]


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
@pytest.mark.parametrize("seed", SEEDS)
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


@pytest.mark.parametrize("variant", VARIANT_NAMES)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_numeric_cell_equals_the_seed(rendered: dict, seed: str, variant: str) -> None:
    """Every amount cell of every standard table, on the page it was printed on."""
    seed_doc, pdf, manifest = rendered[(seed, variant)]
    parsed = parse_file(pdf)
    for placement in manifest.tables:
        if placement.canonical_id is None:
            continue
        table = parsed.table(placement.canonical_id)
        assert table is not None, placement.canonical_id
        cells = numeric_cells(seed_doc.tables[placement.index])
        expected = Counter((placement.row_pages[r], value) for r, _c, value in cells)
        found = Counter((item.page, item.amount) for item in table.items)
        assert found == expected, placement.canonical_id


@pytest.mark.parametrize("seed", ["000", "002", "003", "004"])
def test_two_sided_summary_columns_carry_their_side(rendered: dict, seed: str) -> None:
    """The seeds print 收入 garbled (ı) and 支 | 出 letter by letter: the sides still come through."""
    _seed_doc, pdf, _manifest = rendered[(seed, "ruled_portrait")]
    parsed = parse_file(pdf)
    for table_id in ("final_summary", "final_fiscal_summary"):
        table = parsed.table(table_id)
        assert table is not None
        sides = {item.column_key.split(".")[0] for item in table.items}
        assert sides == {"income", "expense"}, (table_id, sides)
    fiscal = {item.column_key for item in parsed.table("final_fiscal_summary").items}
    assert {"expense.total", "expense.gpb", "expense.gov_fund"} <= fiscal
