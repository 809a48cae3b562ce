"""Pages of archived PDFs: rendered images, text layers, cell boxes, annotated copies.

pdfium is not thread-safe and the app serves from a thread pool, so every
pdfium call goes through ``PDFIUM_LOCK``. Rendered pages and text layers are
cached by (sha256, page): archived files never change under their hash.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pypdfium2 as pdfium

from web.cells import Box, Cell, PageText, locate, page_text

__all__ = ["PdfPages", "Note", "PDFIUM_LOCK", "RENDER_SCALE", "PageError"]

PDFIUM_LOCK = threading.Lock()
RENDER_SCALE = 2.0  # 144 dpi: table digits stay legible on a phone when zoomed
CACHE_PAGES = 64


class PageError(LookupError):
    """The file is no PDF pdfium can open, or has no such page."""


@dataclass(frozen=True)
class Note:
    """A finding to write into the PDF: its page, the cells it concerns (maybe none found) and its text."""

    page: int
    boxes: tuple[Box, ...]
    title: str
    text: str


class PdfPages:
    """Page-level access to archived originals, by sha256; ``load(sha) -> bytes``."""

    def __init__(self, load: Callable[[str], bytes]) -> None:
        self._load = load
        self.render = lru_cache(CACHE_PAGES)(self._render)
        self.text = lru_cache(CACHE_PAGES)(self._text)

    def _open(self, sha256: str) -> pdfium.PdfDocument:
        try:
            return pdfium.PdfDocument(self._load(sha256))
        except pdfium.PdfiumError as exc:
            raise PageError(f"{sha256} is not a readable PDF") from exc

    def _page(self, doc: pdfium.PdfDocument, page: int) -> pdfium.PdfPage:
        if not 1 <= page <= len(doc):
            raise PageError(f"no page {page}")
        return doc[page - 1]

    def _render(self, sha256: str, page: int) -> tuple[bytes, float, float]:
        """PNG of ``page`` (1-based) and the page size in points."""
        with PDFIUM_LOCK:
            doc = self._open(sha256)
            try:
                pdf_page = self._page(doc, page)
                width, height = pdf_page.get_size()
                image = pdf_page.render(scale=RENDER_SCALE).to_pil()
            finally:
                doc.close()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        return out.getvalue(), width, height

    def _text(self, sha256: str, page: int) -> PageText:
        with PDFIUM_LOCK:
            doc = self._open(sha256)
            try:
                return page_text(self._page(doc, page))
            finally:
                doc.close()

    def page_count(self, sha256: str) -> int:
        with PDFIUM_LOCK:
            doc = self._open(sha256)
            try:
                return len(doc)
            finally:
                doc.close()

    def locate(self, sha256: str, page: int, cell: Cell, siblings: Sequence[Cell]) -> Box | None:
        try:
            return locate(self.text(sha256, page), cell, siblings)
        except PageError:
            return None

    def annotated(self, sha256: str, notes: Sequence[Note]) -> bytes:
        """The original with each note as a highlight of its cells (or a sticky note when none was found)."""
        import pikepdf

        with pikepdf.open(io.BytesIO(self._load(sha256))) as pdf:
            for note in notes:
                if not 1 <= note.page <= len(pdf.pages):
                    continue
                page = pdf.pages[note.page - 1]
                height = float(page.mediabox[3]) - float(page.mediabox[1])
                x_base, y_base = float(page.mediabox[0]), float(page.mediabox[1])
                annots = page.obj.get("/Annots") or pdf.make_indirect(pikepdf.Array())
                for annotation in _annotations(pdf, note, height, x_base, y_base):
                    annots.append(annotation)
                page.obj["/Annots"] = annots
            out = io.BytesIO()
            pdf.save(out)
        return out.getvalue()


def _annotations(pdf, note: Note, height: float, x0: float, y0: float) -> list:  # noqa: ANN001 - pikepdf objects
    import pikepdf

    def rect(box: Box) -> list[float]:
        return [x0 + box.x0, y0 + height - box.bottom, x0 + box.x1, y0 + height - box.top]

    common = {"/T": pikepdf.String(note.title), "/Contents": pikepdf.String(note.text), "/C": [1, 0.2, 0.2]}
    if not note.boxes:
        return [pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[x0 + 12, y0 + height - 36, x0 + 36, y0 + height - 12],
            Name=pikepdf.Name.Comment, **{k[1:]: v for k, v in common.items()}))]
    found = []
    for box in note.boxes:
        left, bottom, right, top = rect(box)
        found.append(pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Highlight, Rect=[left, bottom, right, top],
            QuadPoints=[left, top, right, top, left, bottom, right, bottom], **{k[1:]: v for k, v in common.items()})))
    return found
