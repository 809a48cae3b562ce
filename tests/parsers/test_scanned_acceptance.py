"""Acceptance 4: a scanned rendering (page images only) is detected; OCR reads its 三公 and summary tables.

Only the two tables' pages of seed 003 are scanned (OCR costs seconds per
page), and the document is OCR'd once for the module.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import pytest

from demo.render_pdf import RenderManifest
from demo.render_scanned import render_scanned
from demo.seeds import SeedDocument, numeric_cells
from parsers import ParsedDocument, parse_file

SEED = "003"
TABLES = ("final_summary", "final_three_public")
# fonts-wqy-microhei: pdfium draws the fixtures' STSong-Light text with it when scanning.
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@pytest.fixture(scope="module")
def scanned(
    rendered_seeds: Mapping[tuple[str, str], tuple[Path, RenderManifest]],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, RenderManifest]:
    if not CJK_FONT.exists():
        message = f"{CJK_FONT} is absent (apt-get install fonts-wqy-microhei; scripts/setup does it as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    pdf, manifest = rendered_seeds[(SEED, "ruled_portrait")]
    pages = [page for p in manifest.tables if p.canonical_id in TABLES for page in p.pages]
    assert len(pages) == len(TABLES)
    return render_scanned(pdf, tmp_path_factory.mktemp("scanned") / f"{SEED}_scanned.pdf", pages=pages), manifest


@pytest.fixture(scope="module")
def with_ocr(scanned: tuple[Path, RenderManifest]) -> ParsedDocument:
    return parse_file(scanned[0])


def test_scanned_pages_are_detected_and_read_with_ocr(with_ocr: ParsedDocument) -> None:
    assert with_ocr.scanned_pages == [1, 2]
    assert with_ocr.ocr_pages == [1, 2]
    assert "scanned_ocr" in {w.code for w in with_ocr.warnings}


@pytest.mark.parametrize("table_id", TABLES)
def test_ocr_reads_every_figure_of_the_table(
    with_ocr: ParsedDocument, seed_docs: dict[str, SeedDocument], table_id: str
) -> None:
    seed_table = seed_docs[SEED].table(table_id)
    assert seed_table is not None
    table = with_ocr.table(table_id)
    assert table is not None, f"{table_id} not found in the OCR result"
    expected = Counter(value for _r, _c, value in numeric_cells(seed_table))
    found = Counter(item.amount for item in table.items)
    assert found == expected


def test_without_ocr_the_document_says_scanned_not_read(scanned: tuple[Path, RenderManifest]) -> None:
    doc = parse_file(scanned[0], ocr=False)
    assert doc.scanned_pages == [1, 2]
    assert doc.ocr_pages == []
    assert doc.tables == []
    warning = next(w for w in doc.warnings if w.code == "scanned_not_read")
    assert "扫描" in warning.message and "未读取" in warning.message
