"""Where a parsed figure sits on its page: one mechanism for every document.

The parser keeps each line item's page, table row/column and raw text but no
coordinates. We find the cell again in pypdfium2's text layer:

1. every occurrence of the raw text on the page as a whole token (a number
   is never matched inside a longer number; cells are told apart by printed
   spaces or by a gap between glyphs), an optional space or thousands
   separator allowed between characters, NFKC-folded so Kangxi radicals and
   full-width digits match;
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
# A horizontal gap wider than this share of a glyph's height separates two tokens (cells).
TOKEN_GAP = 0.6
_SEPARATORS = " ?[,，]? ?"
_NUMBER_EDGE = "0-9.,，"


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
    """A figure to find: its printed text, row label and place in the document.

    ``order`` sorts figures in printed order and ends with the column:
    ``(table, row, column)``; figures sharing ``order[:-1]`` are one row.
    """

    raw: str
    label: str | None
    order: tuple[int, ...]


@dataclass(frozen=True)
class PageText:
    """A page's visible characters, one space between tokens, and each character's box."""

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
    chars: list[str] = []
    boxes: list[Box] = []

    def boundary(box: Box | None) -> None:
        if chars and chars[-1] != " ":
            chars.append(" ")
            boxes.append(boxes[-1] if box is None else box)

    try:
        for index in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(textpage, index)
            folded = unicodedata.normalize("NFKC", chr(code)) if code else ""
            if not folded.strip():
                boundary(None)
                continue
            left, bottom, right, top = textpage.get_charbox(index)
            box = Box(left, height - top, right, height - bottom)
            if boxes and chars[-1] != " ":
                last = boxes[-1]
                if not last.same_line(box) or box.x0 - last.x1 > TOKEN_GAP * max(box.bottom - box.top, 1.0):
                    boundary(last)
            for ch in folded:
                chars.append(ch)
                boxes.append(box)
    finally:
        textpage.close()
    return PageText("".join(chars), tuple(boxes), width, height)


def occurrences(text: PageText, needle: str) -> list[Box]:
    """Boxes of every occurrence of ``needle`` on the page, in reading order."""
    folded = fold(needle).replace(",", "").replace("，", "")
    if not folded:
        return []
    body = _SEPARATORS.join(map(re.escape, folded))
    before = f"(?<![{_NUMBER_EDGE}])" if folded[0].isdigit() or folded[0] in "-." else ""
    after = f"(?![{_NUMBER_EDGE[:-2]}]|[.,，][0-9])" if folded[-1].isdigit() else ""
    pattern = re.compile(before + body + after)
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


def _lines(boxes: list[Box]) -> list[Box]:
    """One box per distinct line, in reading order."""
    found: list[Box] = []
    for box in boxes:
        if not any(box.same_line(line) for line in found):
            found.append(box)
    return found


def _label_line(text: PageText, cell: Cell, siblings: Sequence[Cell]) -> Box | None:
    """The line of ``cell``'s row: the label's lines matched in order to the rows carrying that label.

    A label printed on more (or fewer) lines than rows carry it is no
    reliable guide (a figure used as a label, a wrapped label): ``None``.
    """
    if not cell.label or not fold(cell.label):
        return None
    lines = _lines(occurrences(text, cell.label))
    if not lines:
        return None
    rows = sorted({s.order[:-1] for s in [*siblings, cell] if s.label and fold(s.label) == fold(cell.label)})
    return lines[rows.index(cell.order[:-1])] if len(lines) == len(rows) else None


def locate(text: PageText, cell: Cell, siblings: Sequence[Cell]) -> Box | None:
    """The box of ``cell`` on the page; ``siblings`` are the figures parsed from the same page."""
    candidates = occurrences(text, cell.raw)
    if not candidates:
        return None
    same = sorted({s.order for s in [*siblings, cell] if fold(s.raw) == fold(cell.raw)})
    line = _label_line(text, cell, siblings)
    on_line = [c for c in candidates if line is not None and c.same_line(line)]
    if on_line:
        in_row = [order for order in same if order[:-1] == cell.order[:-1]]
        return on_line[min(in_row.index(cell.order), len(on_line) - 1)]
    return candidates[min(same.index(cell.order), len(candidates) - 1)]
