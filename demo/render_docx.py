"""A SeedDocument as a Word document (DOCX), laid out as a ``PdfVariant`` says.

LibreOffice prints it to PDF (``demo.producers``), and the ``.doc`` tests
convert it to old binary Word. The first printed cell of each body row
carries a bookmark named by ``demo.marks`` (LibreOffice
exports bookmarks as named destinations), so each row's page can be told.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from demo.derive import compatibility_forms
from demo.fonts import FONTS
from demo.header import header_spans
from demo.marks import mark
from demo.render_html import PAGE_MARGIN, page_size, table_width
from demo.seeds import Heading, SeedDocument, SeedTable
from demo.table_layout import column_layout, number_columns
from demo.variants import PdfVariant

__all__ = ["render_docx"]

_ALIGN = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT}
_BORDERS = {
    "grid": ("top", "left", "bottom", "right", "insideH", "insideV"),
    "hrules": ("top", "bottom", "insideH"),
    "none": (),
}


def _write(paragraph: Paragraph, text: str, size: float, bookmark: str | None = None) -> None:
    """Add ``text`` to ``paragraph`` at ``size``, inside a bookmark if one is named."""
    if bookmark is not None:
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(zlib.crc32(bookmark.encode())))
        start.set(qn("w:name"), bookmark)
        paragraph._p.append(start)
    paragraph.add_run(text).font.size = Pt(size)
    if bookmark is not None:
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), start.get(qn("w:id")))
        paragraph._p.append(end)


def _paragraph(document: docx.Document, text: str, size: float, align: WD_ALIGN_PARAGRAPH | None = None,
               bookmark: str | None = None, new_page: bool = False) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(3)
    paragraph.paragraph_format.page_break_before = new_page
    _write(paragraph, text, size, bookmark)
    return paragraph


def _table_properties(table: Table, variant: PdfVariant) -> None:
    """Borders as the variant says, and narrow cell margins."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        drawn = edge in _BORDERS[variant.rules]
        element.set(qn("w:val"), "single" if drawn else "nil")
        if drawn:
            element.set(qn("w:sz"), "4")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    properties.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "40")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties.append(margins)


def _row_flag(row: object, tag: str) -> None:
    """Mark a table row (``w:tblHeader`` repeats it on every page, ``w:cantSplit`` keeps it whole)."""
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    properties.append(OxmlElement(tag))


def _grid(document: docx.Document, table: SeedTable, index: int, rows: range, header: bool, repeat: bool,
          widths: list[float], size: float, variant: PdfVariant) -> None:
    head = table.header_rows if header else []
    grid = document.add_table(rows=len(head) + len(rows), cols=table.width)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _table_properties(grid, variant)
    for column, width in zip(grid._tbl.tblGrid.gridCol_lst, widths):
        column.w = Pt(width)  # LibreOffice lays out by the grid's column widths
    for span in header_spans(head):
        cell = grid.cell(span.row, span.col)
        if span.rows > 1 or span.cols > 1:
            cell = cell.merge(grid.cell(span.row + span.rows - 1, span.col + span.cols - 1))
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _write(paragraph, span.text, size)
    for r in range(len(head)):
        _row_flag(grid.rows[r], "w:cantSplit")
        if repeat:
            _row_flag(grid.rows[r], "w:tblHeader")
    numbers = set(number_columns(table))
    for offset, r in enumerate(rows):
        line = grid.rows[len(head) + offset]
        _row_flag(line, "w:cantSplit")
        printed = table.body_rows[r]
        marked = next((c for c, text in enumerate(printed) if text.strip()), None)
        for c, text in enumerate(printed):
            paragraph = line.cells[c].paragraphs[0]
            if c in numbers:
                paragraph.alignment = _ALIGN[variant.align]
            if text:
                _write(paragraph, text, size, mark(index, r) if c == marked else None)


def _table(document: docx.Document, table: SeedTable, index: int, variant: PdfVariant, repeat: bool) -> None:
    new_page = not variant.flow
    if table.label:
        _paragraph(document, table.label, 9, WD_ALIGN_PARAGRAPH.RIGHT, new_page=new_page)
        new_page = False
    if table.title:
        _paragraph(document, table.title, 14, WD_ALIGN_PARAGRAPH.CENTER, new_page=new_page)
        new_page = False
    meta = [line for line in (table.department_line, table.year_line, table.unit_line) if line]
    if meta:
        _paragraph(document, "      ".join(meta), 9, new_page=new_page)
    widths, size = column_layout(table, table_width(variant), variant.font, variant.size)
    body = len(table.body_rows)
    if variant.force_breaks and body >= 2:
        half = body // 2
        _grid(document, table, index, range(half), True, repeat, widths, size, variant)
        _paragraph(document, "", 1, new_page=True)
        _grid(document, table, index, range(half, body), repeat, repeat, widths, size, variant)
    else:
        _grid(document, table, index, range(body), True, repeat, widths, size, variant)
    for note in [*table.notes, *([table.empty_note] if table.empty_note else [])]:
        _paragraph(document, note, 8.5)


def _page_setup(document: docx.Document, variant: PdfVariant) -> None:
    section = document.sections[0]
    width, height = page_size(variant)
    section.orientation = WD_ORIENT.LANDSCAPE if variant.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Pt(width), Pt(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Pt(PAGE_MARGIN))
    normal = document.styles["Normal"]
    normal.font.name = FONTS[variant.font].family
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONTS[variant.font].family)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def render_docx(seed: SeedDocument, out: Path, variant: PdfVariant) -> Path:
    """Write ``seed`` (cover, narrative, tables) as a Word document at ``out``."""
    if variant.compat:
        seed = compatibility_forms(seed)
    document = docx.Document()
    _page_setup(document, variant)
    for line in seed.title_lines:
        _paragraph(document, line, 22, WD_ALIGN_PARAGRAPH.CENTER)
    if seed.date_line:
        _paragraph(document, seed.date_line, 14, WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "", 1, new_page=True)  # the cover stands alone
    repeats = variant.header_repeats([len(t.body_rows) for t in seed.tables])
    index = 0
    for block in seed.blocks:
        if isinstance(block, SeedTable):
            _table(document, block, index, variant, repeats[index])
            index += 1
            continue
        size = {1: 16, 2: 13, 3: 11.5}.get(block.level, 10.5) if isinstance(block, Heading) else 10.5
        _paragraph(document, block.text, size)
    document.core_properties.title = " ".join(seed.title_lines)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    return out
