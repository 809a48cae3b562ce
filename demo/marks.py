"""Where rows landed in a PDF whose producer paginated by itself, read from marks.

Renderers that hand layout to another program (a browser, LibreOffice) mark
the first printed cell of each body row with a name (``mark``): HTML as a
link to ``LINK_BASE/<name>`` (kept as a link annotation by the print), Word
as a bookmark (exported as a named destination). Neither changes the text
layer the parser reads; the page of each mark is the page its row was
printed on. A title's page is where its text is printed, between the
previous table's last row and the table's first row (Chromium may put a
title's link annotation on the page before its text).
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from demo.seeds import SeedDocument
from demo.variants import PdfVariant, RenderManifest, TablePlacement

__all__ = ["LINK_BASE", "mark", "marked_pages", "manifest_from_marks"]

LINK_BASE = "https://fixture.invalid/"
_MARK = re.compile(r"fxt\d+r\d+$")  # letters and digits only: producers escape the rest


def mark(table: int, row: int) -> str:
    """The mark of one body row of a table."""
    return f"fxt{table}r{row}"


def _uri(document: pdfium.PdfDocument, link: pdfium_c.FPDF_LINK) -> str:
    action = pdfium_c.FPDFLink_GetAction(link)
    if not action:
        return ""
    size = pdfium_c.FPDFAction_GetURIPath(document.raw, action, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAction_GetURIPath(document.raw, action, buffer, size)
    return buffer.value.decode("ascii", "replace")


def _links(document: pdfium.PdfDocument) -> dict[str, int]:
    found: dict[str, int] = {}
    for index in range(len(document)):
        page = document[index]
        position, link = ctypes.c_int(0), pdfium_c.FPDF_LINK()
        while pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
            uri = _uri(document, link)
            if uri.startswith(LINK_BASE):
                found.setdefault(uri[len(LINK_BASE):], index + 1)
        page.close()
    return found


def _destinations(document: pdfium.PdfDocument) -> dict[str, int]:
    found: dict[str, int] = {}
    for index in range(pdfium_c.FPDF_CountNamedDests(document.raw)):
        size = ctypes.c_long(0)
        pdfium_c.FPDF_GetNamedDest(document.raw, index, None, ctypes.byref(size))
        buffer = ctypes.create_string_buffer(size.value)
        destination = pdfium_c.FPDF_GetNamedDest(document.raw, index, buffer, ctypes.byref(size))
        name = buffer.raw[: size.value].decode("utf-16-le", "replace").rstrip("\x00")
        if destination and _MARK.match(name):
            found[name] = pdfium_c.FPDFDest_GetDestPageIndex(document.raw, destination) + 1
    return found


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _texts(document: pdfium.PdfDocument) -> list[str]:
    """Each page's text, NFKC (the compatibility variant prints Kangxi radicals), no spaces."""
    texts = []
    for index in range(len(document)):
        page = document[index]
        texts.append(_squeeze(page.get_textpage().get_text_range()))
        page.close()
    return texts


def marked_pages(pdf: Path) -> tuple[dict[str, int], list[str]]:
    """``mark → 1-based page`` of every mark in the PDF, and the pages' texts."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        return {**_destinations(document), **_links(document)}, _texts(document)
    finally:
        document.close()


def _title_page(texts: list[str], title: str | None, after: int, first_row: int | None) -> int | None:
    """The first page from ``after`` to the first row's page that prints ``title``."""
    last = first_row or len(texts)
    key = _squeeze(title or "")
    found = [n for n in range(max(after, 1), last + 1) if key and key in texts[n - 1]]
    return found[0] if found else first_row


def manifest_from_marks(pdf: Path, seed: SeedDocument, variant: PdfVariant) -> RenderManifest:
    """Where each seed table and body row landed. A row without a mark (nothing
    printed in it) is on the page of the row before it."""
    pages, texts = marked_pages(pdf)
    repeats = variant.header_repeats([len(t.body_rows) for t in seed.tables])
    placements: list[TablePlacement] = []
    after = 1  # tables follow one another: a title is printed after the previous table
    for index, table in enumerate(seed.tables):
        rows = [pages.get(mark(index, r)) for r in range(len(table.body_rows))]
        marked = [page for page in rows if page is not None]
        first = _title_page(texts, table.title, after, marked[0] if marked else None)
        row_pages: list[int] = []
        for r, page in enumerate(rows):
            page = page or (row_pages[-1] if row_pages else first)
            if page is None:
                raise ValueError(f"{pdf.name}: row {r} of table {index} carries no mark")
            row_pages.append(page)
        after = max([after, *row_pages, *([first] if first else [])])
        placements.append(
            TablePlacement(
                index=index,
                canonical_id=table.canonical_id,
                title=table.title,
                pages=tuple(sorted({*row_pages, *([first] if first else [])})),
                row_pages=tuple(row_pages),
                header_repeated=repeats[index],
                rotated=False,
            )
        )
    return RenderManifest(Path(pdf), variant.name, len(texts), tuple(placements))
