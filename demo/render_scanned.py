"""Turn a PDF into an image-only PDF, as if printed and scanned.

Each page is rasterised with pypdfium2 and saved as a page image (Pillow), so
the result has no text layer at all. Pages marked /Rotate come out
upright, as a scanner would see them. pdfium draws the reportlab fixtures'
non-embedded ``STSong-Light`` text with a system CJK font: without one
(Debian: ``fonts-wqy-microhei``) the Chinese characters come out blank.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from demo.errors import DemoError

__all__ = ["render_scanned"]


def _page_image(page: pdfium.PdfPage, dpi: int) -> Image.Image:
    # pdfium renders a /Rotate page as displayed, so the image is upright.
    return page.render(scale=dpi / 72).to_pil().convert("L")


def render_scanned(pdf_path: Path, out: Path, dpi: int = 200, pages: list[int] | None = None) -> Path:
    """Write an image-only copy of ``pdf_path`` (only ``pages``, 1-based, when given) to ``out``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        document = pdfium.PdfDocument(str(pdf_path))
    except pdfium.PdfiumError as error:
        raise DemoError(f"cannot open {pdf_path}: {error}") from error
    try:
        indexes = [p - 1 for p in pages] if pages is not None else range(len(document))
        images = [_page_image(document[i], dpi) for i in indexes]
    finally:
        document.close()
    if not images:
        raise DemoError(f"{pdf_path} has no pages")
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi))
    return out
