"""page_blocks reads every page of a PdfiumPage as it reads the same pdfplumber page.

Compared page by page on every rendered seed variant and every real PDF: the
same grids (shape, merge origins, column bounds, top, cell text) and the same
text on the lines outside them.

Two differences are legitimate and normalised away, both in the text only:
- whitespace: pdfium's text page leaves out the trailing spaces of some text
  objects (``公开 `` + ``01表`` reads ``公开01表``), so text is compared with
  whitespace removed;
- characters pdfminer never sees: with a predefined CMap (reportlab's
  UniGB-UCS2-H in the rendered seeds) pdfminer drops codes the CMap cannot
  map (U+00A0, U+00B7, U+0131 in the seeds) without advancing, while pdfium
  draws them; characters absent from pdfplumber's page are therefore ignored.
Outside the grids the text is compared as a multiset of characters, not line by
line or word by word: pdfminer's dropped codes also move the rest of their
string left (``局`` + six U+00A0 + ``2023`` becomes the word ``局2023``), and
words a whole 3 pt apart vertically sit on the line tolerance, where float32
(pdfium) against float64 (pdfminer) coordinates decide it either way.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from demo.render_pdf import VARIANTS
from parsers.layout import Block, Grid, TextLine
from parsers.page_blocks import page_blocks
from parsers.pdfium_tables import PdfiumPage

SEEDS = ["000", "001", "002", "003", "004"]
REALDOCS = sorted((Path(__file__).resolve().parents[2].parent / "shared" / "realdocs").glob("*.pdf"))


def _normalise(text: str | None, known: set[str]) -> str | None:
    return None if text is None else "".join(c for c in text if c in known and not c.isspace())


def _grids(blocks: list[Block]) -> list[Grid]:
    return [b for b in blocks if isinstance(b, Grid)]


def _line_chars(blocks: list[Block], known: set[str]) -> Counter[str]:
    return Counter("".join(_normalise(b.text, known) or "" for b in blocks if isinstance(b, TextLine)))


def _assert_same_origins(have: Grid, want: Grid, at: str) -> None:
    """Equal merge origins, but for a tie: a row whose middle lies on the ruling
    between a merged cell above and one below is covered by either, as the last
    bits of float32 (pdfium) or float64 (pdfminer) coordinates decide (file 30, p15)."""
    have_origins, want_origins = have.origins or {}, want.origins or {}
    assert have_origins.keys() == want_origins.keys(), at
    for (row, column), origin in want_origins.items():
        other = have_origins[(row, column)]
        if other != origin:
            above, below = sorted((origin[0], other[0]))
            assert origin[1] == other[1] == column and above < row < below, f"{at}: origin of {(row, column)}"


def _assert_same_page(expected: list[Block], actual: list[Block], known: set[str], where: str) -> None:
    grids, got = _grids(expected), _grids(actual)
    assert len(got) == len(grids), f"{where}: {len(got)} grids, pdfplumber {len(grids)}"
    for i, (want, have) in enumerate(zip(grids, got)):
        at = f"{where} grid {i}"
        assert have.top == pytest.approx(want.top, abs=0.05), at
        _assert_same_origins(have, want, at)
        flat = [x for bounds in want.column_bounds or [] for x in bounds]
        assert [x for bounds in have.column_bounds or [] for x in bounds] == pytest.approx(flat, abs=0.05), at
        assert [[_normalise(c, known) for c in row] for row in have.rows] == [
            [_normalise(c, known) for c in row] for row in want.rows
        ], at
    assert _line_chars(actual, known) == _line_chars(expected, known), f"{where}: text outside grids"


def _assert_same_document(path: Path) -> None:
    doc = pdfium.PdfDocument(path)
    try:
        with pdfplumber.open(path) as plumber:
            assert len(doc) == len(plumber.pages)
            for index, page in enumerate(plumber.pages):
                known = {c["text"] for c in page.chars}
                expected = page_blocks(page, index + 1)
                actual = page_blocks(PdfiumPage(doc[index]), index + 1)
                _assert_same_page(expected, actual, known, f"{path.name} p{index + 1}")
                page.flush_cache()
    finally:
        doc.close()


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("seed", SEEDS)
def test_rendered_seed_pages_read_as_pdfplumber_reads_them(rendered_seeds, seed: str, variant: str) -> None:
    path, _manifest = rendered_seeds[(seed, variant)]
    _assert_same_document(path)


@pytest.mark.parametrize("path", REALDOCS, ids=[p.name[:2] for p in REALDOCS])
def test_realdoc_pages_read_as_pdfplumber_reads_them(realdocs_dir: Path, path: Path) -> None:
    _assert_same_document(path)


def _page_pdfminer_reads_whole(path: Path) -> int:
    """A ruled page without codes pdfminer drops, so both sides see the same chars."""
    with pdfplumber.open(path) as plumber:
        doc = pdfium.PdfDocument(path)
        for index, page in enumerate(plumber.pages):
            texts = sorted(c["text"] for c in PdfiumPage(doc[index]).chars)
            if len(texts) > 300 and page.edges and texts == sorted(c["text"] for c in page.chars):
                doc.close()
                return index
    raise AssertionError("no such page")


def _geometry(objs: list[dict], labels: tuple[str, ...]) -> tuple[list[tuple], list[float]]:
    """Objects sorted by labels and rounded position: their labels, and their
    coordinates (x0, top, x1, bottom) flattened for an approximate comparison."""
    ordered = sorted(objs, key=lambda o: (*(o[k] for k in labels), round(o["top"]), round(o["x0"])))
    return [tuple(o[k] for k in labels) for o in ordered], [o[k] for o in ordered for k in ("x0", "top", "x1", "bottom")]


def _assert_same_geometry(ours: list[dict], theirs: list[dict], labels: tuple[str, ...]) -> None:
    our_labels, our_coordinates = _geometry(ours, labels)
    their_labels, their_coordinates = _geometry(theirs, labels)
    assert our_labels == their_labels
    assert our_coordinates == pytest.approx(their_coordinates, abs=0.01)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_coordinates_follow_rotation_and_an_offset_media_box(rendered_seeds, tmp_path: Path, rotation: int) -> None:
    """Chars and edges land where pdfplumber puts them on a turned page whose
    MediaBox does not start at the origin, and the same tables are found."""
    source, _manifest = rendered_seeds[("001", "ruled_portrait")]
    keep = _page_pdfminer_reads_whole(source)
    doc = pdfium.PdfDocument(source)
    for index in reversed(range(len(doc))):
        if index != keep:
            doc.del_page(index)
    left, bottom, right, top = doc[0].get_mediabox()
    doc[0].set_mediabox(left - 30, bottom - 50, right + 20, top + 10)
    doc[0].set_rotation(rotation)
    turned = tmp_path / f"turned_{rotation}.pdf"
    doc.save(turned)
    doc.close()

    doc = pdfium.PdfDocument(turned)
    ours = PdfiumPage(doc[0])
    with pdfplumber.open(turned) as plumber:
        theirs = plumber.pages[0]
        _assert_same_geometry(ours.chars, theirs.chars, ("text", "upright"))
        _assert_same_geometry(ours.edges, theirs.edges, ("orientation",))
        our_boxes = [c for t in ours.find_tables() for c in t.bbox]
        assert our_boxes == pytest.approx([c for t in theirs.find_tables() for c in t.bbox], abs=0.01)
        assert ours.find_tables(), "the page has a ruled table"
    doc.close()
