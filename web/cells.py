"""Where a parsed figure sits on its page: one mechanism for every document.

The parser keeps each line item's page, table row/column and raw text but no
coordinates. We find the cell again in pypdfium2's text layer:

1. every occurrence of the raw text on the page (whitespace ignored, an
   optional thousands separator allowed between characters, NFKC-folded so
   Kangxi radicals and full-width digits match);
2. when the row label is found on the page, only occurrences on a label's
   line (vertical overlap) are kept;
3. the remaining occurrences, in reading order, belong to the cells with
   that same text (and label) in table order: the cell's rank among those
   siblings picks its occurrence.

Boxes are in PDF points with the origin at the page's top-left (y down), as
an image or an HTML overlay wants them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

__all__ = ["Box", "Cell", "PageText", "page_text", "occurrences", "locate", "LINE_TOLERANCE"]

# Share of the shorter box's height two boxes must overlap by to be on one line.
LINE_TOLERANCE = 0.5
_SEPARATORS = "[,，]?"


@dataclass(frozen=True)
class Box:
    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.top, other.top), max(self.x1, other.x1),
                   max(self.bottom, other.bottom))

    def same_line(self, other: Box) -> bool:
        overlap = min(self.bottom, other.bottom) - max(self.top, other.top)
        return overlap >= LINE_TOLERANCE * min(self.bottom - self.top, other.bottom - other.top)

    def contains(self, other: Box, slack: float = 0.5) -> bool:
        return (self.x0 - slack <= other.x0 and other.x1 <= self.x1 + slack
                and self.top - slack <= other.top and other.bottom <= self.bottom + slack)


@dataclass(frozen=True)
class Cell:
    """A figure to find: its printed text, row label and order in its document (table, row, column)."""

    raw: str
    label: str | None
    order: tuple[int, ...]


@dataclass(frozen=True)
class PageText:
    """A page's visible characters (whitespace dropped) and each one's box."""

    text: str
    boxes: tuple[Box, ...]
    width: float
    height: float


def fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())


def page_text(page: pdfium.PdfPage) -> PageText:
    """The text layer of ``page`` (call under the caller's pdfium lock)."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        chars: list[str] = []
        boxes: list[Box] = []
        for index in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(textpage, index)
            for ch in unicodedata.normalize("NFKC", chr(code)) if code else "":
                if ch.isspace():
                    continue
                left, bottom, right, top = textpage.get_charbox(index)
                chars.append(ch)
                boxes.append(Box(left, height - top, right, height - bottom))
    finally:
        textpage.close()
    return PageText("".join(chars), tuple(boxes), width, height)


def occurrences(text: PageText, needle: str) -> list[Box]:
    """Boxes of every occurrence of ``needle`` on the page, in reading order."""
    folded = fold(needle).replace(",", "").replace("，", "")
    if not folded:
        return []
    pattern = re.compile(_SEPARATORS.join(map(re.escape, folded)))
    found = []
    for match in pattern.finditer(text.text):
        box = text.boxes[match.start()]
        for other in text.boxes[match.start() + 1: match.end()]:
            box = box.union(other)
        found.append(box)
    return _reading_order(found)


def _reading_order(boxes: list[Box]) -> list[Box]:
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.top, b.x0)):
        if lines and lines[-1][0].same_line(box):
            lines[-1].append(box)
        else:
            lines.append([box])
    return [box for line in lines for box in sorted(line, key=lambda b: b.x0)]


def _on_label_lines(candidates: list[Box], labels: list[Box]) -> list[Box]:
    return [c for c in candidates if any(c.same_line(label) for label in labels)]


def locate(text: PageText, cell: Cell, siblings: Sequence[Cell]) -> Box | None:
    """The box of ``cell`` on the page; ``siblings`` are the figures parsed from the same page (``cell`` among them)."""
    candidates = occurrences(text, cell.raw)
    if not candidates:
        return None
    same = [s for s in siblings if fold(s.raw) == fold(cell.raw)]
    labels = occurrences(text, cell.label) if cell.label and fold(cell.label) else []
    on_line = _on_label_lines(candidates, labels) if labels else []
    if on_line:
        candidates = on_line
        same = [s for s in same if s.label and fold(s.label) == fold(cell.label or "")]
    ordered = sorted({s.order: s for s in [*same, cell]}.values(), key=lambda s: s.order)
    rank = next(i for i, s in enumerate(ordered) if s.order == cell.order)
    return candidates[min(rank, len(candidates) - 1)]
