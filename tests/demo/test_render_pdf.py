"""Rendered PDFs read back with pdfplumber: titles and figures on the manifest's pages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pytest

from demo.render_pdf import VARIANTS, RenderManifest
from demo.seeds import SeedDocument, numeric_cells

SEEDS = ["000", "001", "002", "003", "004"]
Rendered = Mapping[tuple[str, str], tuple[Path, RenderManifest]]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@lru_cache(maxsize=None)
def _page_texts(pdf_path: Path, pages: frozenset[int]) -> dict[int, str]:
    """Characters of the given 1-based pages in drawing order, whitespace removed
    (rotation-proof); pdfplumber is slow, so only table pages are read."""
    with pdfplumber.open(pdf_path) as pdf:
        return {n: _squeeze("".join(ch["text"] for ch in pdf.pages[n - 1].chars)) for n in pages}


def _table_texts(pdf_path: Path, manifest: RenderManifest) -> dict[int, str]:
    return _page_texts(pdf_path, frozenset(n for p in manifest.tables for n in p.pages))


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("name", SEEDS)
def test_titles_and_figures_land_on_manifest_pages(
    seed_docs: dict[str, SeedDocument], rendered_seeds: Rendered, name: str, variant: str
) -> None:
    seed = seed_docs[name]
    pdf_path, manifest = rendered_seeds[(name, variant)]
    texts = _table_texts(pdf_path, manifest)
    with pdfplumber.open(pdf_path) as pdf:
        assert manifest.page_count == len(pdf.pages)
    assert [p.canonical_id for p in manifest.tables] == [t.canonical_id for t in seed.tables]
    for placement, table in zip(manifest.tables, seed.tables):
        assert placement.pages == tuple(sorted(set(placement.row_pages) | {placement.pages[0]}))
        assert len(placement.row_pages) == len(table.body_rows)
        if table.title:
            assert _squeeze(table.title) in texts[placement.pages[0]], table.title
        for r, c, _ in numeric_cells(table):
            page = placement.row_pages[r]
            assert _squeeze(table.body_rows[r][c]) in texts[page], (table.title, r, c)


@pytest.mark.parametrize("name", SEEDS)
def test_page_breaks_split_tables_and_alternate_repeated_headers(
    seed_docs: dict[str, SeedDocument], rendered_seeds: Rendered, name: str
) -> None:
    seed = seed_docs[name]
    pdf_path, manifest = rendered_seeds[(name, "page_breaks")]
    texts = _table_texts(pdf_path, manifest)
    split = [(p, t) for p, t in zip(manifest.tables, seed.tables) if len(t.body_rows) >= 2]
    assert split and all(len(p.pages) >= 2 for p, _ in split)
    assert [p.header_repeated for p, _ in split] == [i % 2 == 0 for i in range(len(split))]
    for placement, table in split:
        continuation = texts[placement.row_pages[-1]]
        header = "".join(_squeeze(cell) for cell in table.header_rows[-1])
        assert (header in continuation) == placement.header_repeated, table.title


@pytest.mark.parametrize("name", SEEDS)
def test_unruled_tables_have_no_lines(rendered_seeds: Rendered, name: str) -> None:
    pdf_path, manifest = rendered_seeds[(name, "unruled")]
    table_pages = {page for p in manifest.tables for page in p.pages}
    with pdfplumber.open(pdf_path) as pdf:
        for page in table_pages:
            assert not pdf.pages[page - 1].edges
    ruled_path, ruled = rendered_seeds[(name, "ruled_portrait")]
    with pdfplumber.open(ruled_path) as pdf:
        assert pdf.pages[ruled.tables[0].pages[0] - 1].edges


@pytest.mark.parametrize("name", SEEDS)
def test_rotated_variant_turns_table_pages(rendered_seeds: Rendered, name: str) -> None:
    pdf_path, manifest = rendered_seeds[(name, "rotated")]
    table_pages = {page for p in manifest.tables for page in p.pages}
    with pdfplumber.open(pdf_path) as pdf:
        rotations = {n: page.rotation for n, page in enumerate(pdf.pages, start=1)}
        for number in table_pages:  # portrait MediaBox, displayed landscape
            box = pdf.pages[number - 1].page_obj.mediabox
            assert rotations[number] == 90 and box[2] < box[3]
    # the cover and the narrative stay upright (notes may spill onto a turned page)
    assert rotations[1] == 0 and sum(r == 0 for r in rotations.values()) >= 2


def test_landscape_variant_pages_are_wide(rendered_seeds: Rendered) -> None:
    pdf_path, _ = rendered_seeds[("003", "ruled_landscape")]
    with pdfplumber.open(pdf_path) as pdf:
        assert all(page.width > page.height for page in pdf.pages)


def test_rendering_is_deterministic(seed_docs: dict[str, SeedDocument], tmp_path: Path) -> None:
    from demo.render_pdf import RULED_PORTRAIT, render_pdf

    first = render_pdf(seed_docs["002"], tmp_path / "a.pdf", RULED_PORTRAIT)
    second = render_pdf(seed_docs["002"], tmp_path / "b.pdf", RULED_PORTRAIT)
    assert first.path.read_bytes() == second.path.read_bytes()
