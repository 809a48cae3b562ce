"""Issue 10, acceptance 1: every seed × table style × PDF producer read back.

The invariant: every numeric cell of every standard table recovered in the
right table (registry id), the right column key and on the right page
(``demo.recovery``); every standard table identified; never fewer cells than
plain pdfplumber ``extract_tables`` on a ruled file.

Seed 000 runs in every producer × style on each run; ``pytest --matrix full``
adds the other seeds (marked slow: about 15 minutes on two cores) and the
whole-matrix target. Cases the parser does not meet yet are
``xfail(strict=False)`` with the figure measured when they were written
(``benchmarks/producer_matrix.py`` prints the whole table): they turn to
XPASS as the parser improves.
Renders come from the session fixture ``producer_matrix`` (batched per
producer: one browser, one LibreOffice run).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from analysis import check_document, default_rules
from analysis.findings import Category
from demo.matrix import MATRIX_PRODUCERS, MATRIX_STYLES, RULED_STYLES
from demo.producers import producer_available
from demo.recovery import FILE_TARGET, OVERALL_TARGET, Cell, expected_cells, pdfplumber_recovered, score
from demo.seeds import SeedDocument
from demo.variants import RenderManifest
from parsers import ParsedDocument, parse_file, to_jsonable
from tests.fixtures_seeds import LazyMap

SEEDS = ("000", "001", "002", "003", "004")
FAST_SEED = "000"
_COMPAT = re.compile("[\u2f00-\u2fd5]")  # Kangxi radicals

Case = tuple[str, str, str]  # (producer, style, seed number)

# Measured after the issue-10 parser redesign (2026-12-06, ``benchmarks/producer_matrix.py``):
# (producer, style, seed) → share of cells in the right table, column and page, for the files
# still below the 98 % target. Chromium's seed-000 figure is one table: it draws that seed's
# ragged 06 header with 公用经费 over another column than the XLSX reference does (27 cells).
SHORTFALLS: dict[Case, str] = {
    ("chromium", "compat", "000"): "94.6% of 516 cells",
    ("chromium", "grid", "000"): "94.6% of 516 cells",
    ("chromium", "grid_breaks", "000"): "94.6% of 516 cells",
    ("chromium", "grid_landscape", "000"): "94.6% of 516 cells",
    ("chromium", "hrules", "000"): "94.2% of 516 cells",
    ("chromium", "hrules", "001"): "92.6% of 487 cells",
    ("chromium", "no_lines", "000"): "94.2% of 516 cells",
    ("chromium", "no_lines", "001"): "92.2% of 487 cells",
    ("chromium", "no_lines", "004"): "93.1% of 276 cells",
    ("libreoffice", "grid_landscape", "001"): "96.9% of 487 cells",
    ("libreoffice", "hrules", "001"): "97.5% of 487 cells",
    ("libreoffice", "hrules", "002"): "95.6% of 518 cells",
    ("libreoffice", "no_lines", "001"): "94.3% of 487 cells",
    ("libreoffice", "no_lines", "004"): "97.8% of 276 cells",
    ("reportlab", "hrules", "001"): "95.1% of 487 cells",
    ("reportlab", "no_lines", "001"): "87.5% of 487 cells",
    ("reportlab", "no_lines", "002"): "96.5% of 518 cells",
}
# Standard tables not identified: none since the redesign.
UNIDENTIFIED: dict[Case, str] = {}
# Ruled files where plain pdfplumber placed more cells.
BELOW_PDFPLUMBER: dict[Case, str] = {
    ("reportlab", "grid_landscape", "001"): "budgetwatch 99.6%, pdfplumber 100.0% of 487 cells",
}
# Files on which the checker reported a completeness or arithmetic finding the seed's own
# reading (its exact XLSX grid) does not give, measured 2026-12-06: the unruled renders of
# seed 001's budget (its 总计 rows, 单位代码 and 三公 columns misread), and two more.
_SEED_001_BUDGET = "budget_summary 总计 rows not read (structure.summary_layout)"
FALSE_FINDINGS: dict[Case, str] = {
    ("reportlab", "hrules", "001"): f"{_SEED_001_BUDGET}; arithmetic.three_public",
    ("reportlab", "no_lines", "001"): f"{_SEED_001_BUDGET}; arithmetic.three_public; codes.detail 122",
    ("chromium", "hrules", "001"): _SEED_001_BUDGET,
    ("chromium", "no_lines", "001"): f"{_SEED_001_BUDGET}; arithmetic.three_public; codes.detail 122",
    ("libreoffice", "hrules", "001"): _SEED_001_BUDGET,
    ("libreoffice", "no_lines", "001"): f"{_SEED_001_BUDGET}; arithmetic.three_public",
    ("chromium", "hrules", "004"): "final_fiscal_summary income label (structure.summary_layout)",
    ("chromium", "no_lines", "002"): "codes.detail 310 in final_gpb_basic",
    ("libreoffice", "no_lines", "002"): "codes.detail 310 in final_gpb_basic",
}
OVERALL_MEASURED = "98.8% of 42,570 cells (90.8% before the header-by-position reader)"
_KNOWN = {
    "test_numeric_cells_in_right_table_column_and_page": (tuple(MATRIX_STYLES), SHORTFALLS),
    "test_every_standard_table_identified": (tuple(MATRIX_STYLES), UNIDENTIFIED),
    "test_never_fewer_cells_than_plain_pdfplumber_on_ruled_files": (RULED_STYLES, BELOW_PDFPLUMBER),
    "test_no_completeness_or_arithmetic_finding_the_seed_does_not_give": (tuple(MATRIX_STYLES), FALSE_FINDINGS),
}


def _cases(seeds: tuple[str, ...], styles: tuple[str, ...], known: dict[Case, str]) -> list[Any]:
    cases = []
    for producer in MATRIX_PRODUCERS:
        for style in styles:
            for seed in seeds:
                marks = [] if seed == FAST_SEED else [pytest.mark.slow]
                if (producer, style, seed) in known:
                    marks.append(pytest.mark.xfail(strict=False, reason=f"measured {known[producer, style, seed]}"))
                cases.append(pytest.param(producer, style, seed, marks=marks, id=f"{producer}-{style}-{seed}"))
    return cases


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise over the matrix: seed 000 by default, every seed with ``--matrix full``."""
    if not {"producer", "style", "seed"} <= set(metafunc.fixturenames):
        return
    seeds = SEEDS if metafunc.config.getoption("matrix") == "full" else (FAST_SEED,)
    styles, known = _KNOWN[metafunc.function.__name__]
    metafunc.parametrize(("producer", "style", "seed"), _cases(seeds, styles, known))


@pytest.fixture(scope="module")
def parsed(producer_matrix: Mapping[Case, RenderManifest]) -> Mapping[Case, ParsedDocument]:
    return LazyMap(list(producer_matrix), lambda case: parse_file(producer_matrix[case].path))


@pytest.fixture(scope="module")
def references(seed_xlsx: Mapping[str, Path]) -> Mapping[str, ParsedDocument]:
    """Each seed's exact-grid XLSX reading: the column key of every seed cell."""
    return LazyMap(list(seed_xlsx), lambda name: parse_file(seed_xlsx[name]))


@pytest.fixture(scope="module")
def truth(
    producer_matrix: Mapping[Case, RenderManifest], seed_docs: dict[str, SeedDocument], references: Mapping[str, ParsedDocument]
) -> Mapping[Case, list[Cell]]:
    return LazyMap(list(producer_matrix), lambda case: expected_cells(seed_docs[case[2]], producer_matrix[case], references[case[2]]))


def test_numeric_cells_in_right_table_column_and_page(
    producer_matrix: Mapping[Case, RenderManifest], parsed: Mapping[Case, ParsedDocument],
    truth: Mapping[Case, list[Cell]], producer: str, style: str, seed: str,
) -> None:
    case = (producer, style, seed)
    result = score(truth[case], producer_matrix[case], parsed[case])
    assert result.expected > 0
    assert result.rate >= FILE_TARGET, f"{result.recovered}/{result.expected} = {result.rate:.1%}"


def test_every_standard_table_identified(
    producer_matrix: Mapping[Case, RenderManifest], parsed: Mapping[Case, ParsedDocument],
    truth: Mapping[Case, list[Cell]], producer: str, style: str, seed: str,
) -> None:
    case = (producer, style, seed)
    assert score(truth[case], producer_matrix[case], parsed[case]).missing_tables == []


def test_never_fewer_cells_than_plain_pdfplumber_on_ruled_files(
    producer_matrix: Mapping[Case, RenderManifest], parsed: Mapping[Case, ParsedDocument],
    truth: Mapping[Case, list[Cell]], producer: str, style: str, seed: str,
) -> None:
    """Judged without the column (pdfplumber names none): cells in the right table and page."""
    case = (producer, style, seed)
    ours = score(truth[case], producer_matrix[case], parsed[case]).placed
    theirs = pdfplumber_recovered(producer_matrix[case].path, truth[case])
    assert ours >= theirs, f"budgetwatch {ours}, pdfplumber {theirs} of {len(truth[case])}"


def _department_findings(document: ParsedDocument) -> set[tuple[str, str | None, str | None, str | None]]:
    """Completeness and arithmetic (within and across tables) findings the checker reports
    against the department, as what they are about (not where: pages differ by producer).
    Narrative and attachment rules are left out: the XLSX reference carries tables only."""
    return {
        (f.rule_id, f.table_id, f.row_key, f.column_key)
        for f in check_document(document, default_rules())
        if f.category is Category.COMPLETENESS or f.rule_id.startswith("arithmetic.")
    }


def test_no_completeness_or_arithmetic_finding_the_seed_does_not_give(
    parsed: Mapping[Case, ParsedDocument], references: Mapping[str, ParsedDocument],
    producer: str, style: str, seed: str,
) -> None:
    """Issue 10, acceptance 2: a producer's way of drawing a table never becomes a
    department's error. The seed's own errors (its exact XLSX reading finds them) may be
    reported, nothing else."""
    extra = _department_findings(parsed[producer, style, seed]) - _department_findings(references[seed])
    assert extra == set()


@pytest.mark.slow
@pytest.mark.xfail(strict=False, reason=f"measured {OVERALL_MEASURED}")
def test_whole_matrix_recovery(
    request: pytest.FixtureRequest, producer_matrix: Mapping[Case, RenderManifest],
    parsed: Mapping[Case, ParsedDocument], truth: Mapping[Case, list[Cell]],
) -> None:
    if request.config.getoption("matrix") != "full":
        pytest.skip("the whole matrix runs with --matrix full")
    cases = [case for case in producer_matrix if producer_available(case[0])]
    results = [score(truth[case], producer_matrix[case], parsed[case]) for case in cases]
    recovered, expected = sum(r.recovered for r in results), sum(r.expected for r in results)
    assert recovered / expected >= OVERALL_TARGET, f"{recovered}/{expected} = {recovered / expected:.2%}"


@pytest.mark.parametrize("producer", MATRIX_PRODUCERS)
def test_compatibility_code_points_read_as_their_characters(
    producer_matrix: Mapping[Case, RenderManifest], parsed: Mapping[Case, ParsedDocument], producer: str
) -> None:
    """The compat variant prints Kangxi radicals (⼊⽀ for 入支) in the text layer;
    nothing the parser returns carries them, and the titles still match."""
    case = (producer, "compat", FAST_SEED)
    document = pdfium.PdfDocument(str(producer_matrix[case].path))
    try:
        page = document[producer_matrix[case].tables[0].pages[0] - 1]
        printed = page.get_textpage().get_text_range()
    finally:
        document.close()
    assert len(_COMPAT.findall(printed)) >= 10  # the fixture really prints them
    output = json.dumps(to_jsonable(parsed[case]), ensure_ascii=False)
    assert _COMPAT.findall(output) == []
    assert parsed[case].table(producer_matrix[case].tables[0].canonical_id) is not None
