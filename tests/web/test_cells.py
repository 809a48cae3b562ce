"""web.cells finds every parsed figure's cell again in the page's text layer."""

from __future__ import annotations

import re
from collections import defaultdict

import pypdfium2 as pdfium
import pytest

from parsers import parse_file
from web.cells import Box, Cell, fold, locate, occurrences, page_text

SEEDS = ["000", "003", "004"]
VARIANTS = ["ruled_portrait", "ruled_landscape"]


def _located(path):  # noqa: ANN001, ANN202
    """(item, cell, box, text under the box, page text) for every line item of the document's
    identified tables (findings point into those; unidentified ones such as 绩效自评表 use
    figures as row labels and are outlined on a best-effort basis)."""
    parsed = parse_file(path)
    pdf = pdfium.PdfDocument(path)
    by_page = defaultdict(list)
    for t, table in enumerate(parsed.tables):
        for item in table.items if table.id else []:
            by_page[item.page].append((item, Cell(item.raw, item.name, (t, item.row, item.column))))
    found = []
    for page_no, entries in by_page.items():
        page = pdf[page_no - 1]
        text = page_text(page)
        textpage = page.get_textpage()
        siblings = [cell for _, cell in entries]
        for item, cell in entries:
            box = locate(text, cell, siblings)
            under = None
            if box is not None:
                under = textpage.get_text_bounded(box.x0 - 0.5, text.height - box.bottom - 0.5, box.x1 + 0.5,
                                                  text.height - box.top + 0.5)
            found.append((item, cell, box, under, text))
    return found


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_figure_is_outlined_on_its_own_text(rendered_seeds, seed, variant):  # noqa: ANN001
    found = _located(rendered_seeds[(seed, variant)][0])
    assert found
    missing = [item for item, _, box, _, _ in found if box is None]
    assert missing == []
    # The box holds the figure and no other digit (a unit such as 名 or 万 may touch it).
    wrong = [(item.raw, under) for item, _, _, under, _ in found
             if fold(item.raw).replace(",", "") not in fold(under).replace(",", "")
             or re.search(r"\d", fold(under).replace(",", "").replace(fold(item.raw).replace(",", ""), "", 1))]
    assert wrong == []


@pytest.mark.parametrize("seed", SEEDS)
def test_equal_figures_get_their_own_cells_in_table_order(rendered_seeds, seed):  # noqa: ANN001
    found = _located(rendered_seeds[(seed, "ruled_portrait")][0])
    by_page: dict[int, list[tuple[Cell, Box]]] = defaultdict(list)
    for item, cell, box, _, _ in found:
        by_page[item.page].append((cell, box))
    for page_no, cells in by_page.items():
        boxes = [box for _, box in cells]
        assert len(set(boxes)) == len(boxes), f"two figures share one box on page {page_no}"
        rows: dict[tuple, list[tuple[int, Box]]] = defaultdict(list)
        for cell, box in cells:
            rows[cell.order[:2]].append((cell.order[2], box))
        for row in rows.values():
            xs = [box.x0 for _, box in sorted(row)]
            assert xs == sorted(xs), "cells of one row are outlined left to right in column order"


def test_occurrences_ignore_spacing_and_thousands_separators():
    boxes = tuple(Box(float(i), 0.0, i + 1.0, 10.0) for i in range(9))
    text = page_textless("1234.56xx")
    assert len(occurrences(text, "1,234.56")) == 1
    assert len(occurrences(text, "1 234. 56")) == 1
    assert occurrences(text, "999") == []
    assert boxes  # the synthetic page has one box per character


def page_textless(chars: str):  # noqa: ANN201
    from web.cells import PageText

    return PageText(chars, tuple(Box(float(i), 0.0, i + 1.0, 10.0) for i in range(len(chars))), 100.0, 100.0)
