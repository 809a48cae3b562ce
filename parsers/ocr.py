"""OCR of scanned pages (rapidocr, whose Chinese models ship in its wheel).

OCR gives text boxes, not a grid: each box becomes a positioned word, boxes
on one baseline a line, and the assembler rebuilds tables from alignment as
it does for PDFs without ruling lines.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pypdfium2 as pdfium

from parsers.layout import TextLine, Word

__all__ = ["ocr_available", "ocr_pages"]

_SCALE = 2.0  # render at 144 dpi; coordinates are divided back to points


@cache
def _engine() -> Any | None:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        return None
    return RapidOCR()


def ocr_available() -> bool:
    return _engine() is not None


def _lines_from_boxes(boxes: list[tuple[list[list[float]], str, float]], page: int) -> list[TextLine]:
    words = []
    for box, text, _score in boxes:
        xs = [p[0] / _SCALE for p in box]
        ys = [p[1] / _SCALE for p in box]
        words.append((min(ys), max(ys), Word(text.strip(), min(xs), max(xs))))
    words.sort(key=lambda w: (w[0], w[2].x0))
    lines: list[list[tuple[float, float, Word]]] = []
    for word in words:
        if lines and abs(lines[-1][0][0] - word[0]) < (word[1] - word[0]) * 0.5:
            lines[-1].append(word)
        else:
            lines.append([word])
    result = []
    for group in lines:
        group.sort(key=lambda w: w[2].x0)
        result.append(
            TextLine(
                text=" ".join(w[2].text for w in group),
                page=page,
                top=min(w[0] for w in group),
                words=[w[2] for w in group],
            )
        )
    return result


def ocr_pages(data: bytes, pages: list[int]) -> list[TextLine]:
    """OCR the given 1-based pages of a PDF into positioned text lines."""
    engine = _engine()
    if engine is None:
        return []
    document = pdfium.PdfDocument(data)
    lines: list[TextLine] = []
    try:
        for page_no in pages:
            image = document[page_no - 1].render(scale=_SCALE).to_numpy()
            boxes, _elapsed = engine(image)
            lines.extend(_lines_from_boxes(boxes or [], page_no))
    finally:
        document.close()
    return lines
