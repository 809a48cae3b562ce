"""Where rows landed in a PDF whose producer paginated by itself, read from marks.

Renderers that hand layout to another program (a browser, LibreOffice) mark
each table title and the first printed cell of each body row with a name
(``mark``): HTML as a link to ``LINK_BASE/<name>`` (kept as a link
annotation by the print), Word as a bookmark (exported as a named
destination). Neither changes the text layer the parser reads; the page of
each mark is the page its row was printed on.
"""

from __future__ import annotations

import ctypes
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from demo.seeds import SeedDocument
from demo.variants import PdfVariant, RenderManifest, TablePlacement

__all__ = ["LINK_BASE", "mark", "marked_pages", "manifest_from_marks"]

LINK_BASE = "https://fixture.invalid/"
_MARK = re.compile(r"fxt(\d+)(title|r\d+)$")  # letters and digits only: producers escape the rest


def mark(table: int, row: int | None = None) -> str:
    """The mark of a table's title (``row`` None) or of one of its body rows."""
    return f"fxt{table}" + ("title" if row is None else f"r{row}")


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


def marked_pages(pdf: Path) -> tuple[dict[str, int], int]:
    """``mark → 1-based page`` of every mark in the PDF, and its page count."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        return {**_destinations(document), **_links(document)}, len(document)
    finally:
        document.close()


def manifest_from_marks(pdf: Path, seed: SeedDocument, variant: PdfVariant) -> RenderManifest:
    """Where each seed table and body row landed. A row without a mark (nothing
    printed in it) is on the page of the row before it."""
    pages, count = marked_pages(pdf)
    repeats = variant.header_repeats([len(t.body_rows) for t in seed.tables])
    placements = []
    for index, table in enumerate(seed.tables):
        start = pages.get(mark(index))
        row_pages: list[int] = []
        for r in range(len(table.body_rows)):
            page = pages.get(mark(index, r), row_pages[-1] if row_pages else start)
            if page is None:
                raise ValueError(f"{pdf.name}: row {r} of table {index} carries no mark")
            row_pages.append(page)
        first = start if start is not None else (row_pages[0] if row_pages else None)
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
    return RenderManifest(Path(pdf), variant.name, count, tuple(placements))
