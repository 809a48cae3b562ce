"""Render a SeedDocument as a disclosure PDF, recording where each table landed.

reportlab's built-in CID font ``STSong-Light`` draws the Chinese text with no
font files, and pdfplumber reads it back. Each variant mimics one layout that
real disclosures use (see ``docs/fixtures.md``); the manifest tells tests the
1-based pages of every table and of every body row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from demo.header import header_spans
from demo.seeds import Heading, SeedDocument, SeedTable, amount_columns, parse_amount

__all__ = [
    "PdfVariant",
    "TablePlacement",
    "RenderManifest",
    "VARIANTS",
    "RULED_PORTRAIT",
    "RULED_LANDSCAPE",
    "PAGE_BREAKS",
    "UNRULED",
    "ROTATED",
    "render_pdf",
]

FONT = "STSong-Light"
MARGIN = 36.0
CELL_PAD = 2.0
FONT_SIZES = (8.0, 7.0, 6.0, 5.0, 4.5)
MAX_NATURAL_WIDTH = 160.0


@dataclass(frozen=True)
class PdfVariant:
    """One page layout. ``force_breaks`` splits every table with two or more
    body rows across a page break; the header is then repeated on the
    continuation page for every other such table."""

    name: str
    landscape: bool = False
    ruled: bool = True
    rotated: bool = False
    force_breaks: bool = False
    repeat_header: bool = True


RULED_PORTRAIT = PdfVariant("ruled_portrait")
RULED_LANDSCAPE = PdfVariant("ruled_landscape", landscape=True)
PAGE_BREAKS = PdfVariant("page_breaks", force_breaks=True)
UNRULED = PdfVariant("unruled", ruled=False, repeat_header=False)
ROTATED = PdfVariant("rotated", rotated=True)
VARIANTS: dict[str, PdfVariant] = {
    v.name: v for v in (RULED_PORTRAIT, RULED_LANDSCAPE, PAGE_BREAKS, UNRULED, ROTATED)
}


@dataclass(frozen=True)
class TablePlacement:
    """Where one seed table landed. ``index`` is its position in ``seed.tables``;
    ``row_pages[i]`` is the page of ``body_rows[i]``."""

    index: int
    canonical_id: str | None
    title: str | None
    pages: tuple[int, ...]
    row_pages: tuple[int, ...]
    header_repeated: bool
    rotated: bool


@dataclass(frozen=True)
class RenderManifest:
    path: Path
    variant: str
    page_count: int
    tables: tuple[TablePlacement, ...]

    def placement(self, table_id: str) -> TablePlacement | None:
        return next((t for t in self.tables if t.canonical_id == table_id), None)


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _style(name: str, size: float, **extra: Any) -> ParagraphStyle:
    settings = {"leading": size * 1.35, "wordWrap": "CJK", **extra}
    return ParagraphStyle(name, fontName=FONT, fontSize=size, **settings)


_BODY = _style("body", 10.5, firstLineIndent=21, spaceAfter=4)
_HEADINGS = {
    1: _style("h1", 16, alignment=TA_CENTER, spaceBefore=10, spaceAfter=8),
    2: _style("h2", 13, spaceBefore=8, spaceAfter=4),
    3: _style("h3", 11.5, spaceBefore=6, spaceAfter=3),
    4: _style("h4", 10.5, spaceBefore=4, spaceAfter=2),
}
_COVER = _style("cover", 22, alignment=TA_CENTER, spaceAfter=14)
_COVER_DATE = _style("cover_date", 14, alignment=TA_CENTER, spaceBefore=200)
_TABLE_TITLE = _style("table_title", 14, alignment=TA_CENTER, spaceAfter=4, keepWithNext=1)
_TABLE_LABEL = _style("table_label", 9, alignment=TA_RIGHT, keepWithNext=1)
_TABLE_META = _style("table_meta", 9, spaceAfter=3, keepWithNext=1)
_NOTE = _style("note", 8.5, spaceBefore=3)


class _Mark(Flowable):
    """Zero-size marker: where a table's block starts or its grid ends."""

    def __init__(self, index: int, start: bool) -> None:
        super().__init__()
        self.index, self.start = index, start
        self.width = self.height = 0

    def draw(self) -> None:  # nothing to draw
        pass


class _TrackingDoc(BaseDocTemplate):
    """Records the page of each table marker and each drawn table piece."""

    def __init__(self, path: str, **kwargs: Any) -> None:
        super().__init__(path, **kwargs)
        self.current: int | None = None
        self.mark_pages: dict[int, list[int]] = {}
        self.pieces: dict[int, list[tuple[int, int]]] = {}

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _Mark):
            self.current = flowable.index if flowable.start else None
            self.mark_pages.setdefault(flowable.index, []).append(self.page)
        elif isinstance(flowable, Table) and self.current is not None:
            rows = len(flowable._cellvalues)
            self.pieces.setdefault(self.current, []).append((self.page, rows))


def _width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def _column_widths(table: SeedTable, available: float) -> tuple[list[float], float]:
    """Column widths and font size: numbers never wrap, text shares the rest."""
    columns = range(table.width)
    for size in FONT_SIZES:
        pad = 2 * CELL_PAD + 1
        floor = [2 * size + pad for _ in columns]
        natural = list(floor)
        for row in table.body_rows:
            for c, text in enumerate(row):
                width = _width(text, size) + pad
                natural[c] = max(natural[c], min(width, MAX_NATURAL_WIDTH))
                if parse_amount(text) is not None or len(text) <= 4:
                    floor[c] = max(floor[c], width)
        if sum(natural) <= available:
            scale = available / sum(natural)
            return [w * scale for w in natural], size
        spare = sum(natural) - sum(floor)
        if sum(floor) <= available and spare > 0:
            share = (available - sum(floor)) / spare
            return [f + (n - f) * share for f, n in zip(floor, natural)], size
    return floor, FONT_SIZES[-1]


def _cell(text: str, width: float, style: ParagraphStyle) -> str | Paragraph:
    if _width(text, style.fontSize) + 2 * CELL_PAD + 1 <= width:
        return text
    return Paragraph(escape(text), style)


def _number_columns(table: SeedTable) -> list[int]:
    """Amount columns whose filled body cells are mostly numbers (right-aligned)."""
    found = []
    for c, is_amount in enumerate(amount_columns(table)):
        cells = [row[c] for row in table.body_rows if row[c]]
        numbers = sum(parse_amount(text) is not None for text in cells)
        if is_amount and numbers and numbers * 2 >= len(cells):
            found.append(c)
    return found


def _grid(
    table: SeedTable,
    body: list[list[str]],
    with_header: bool,
    widths: list[float],
    size: float,
    variant: PdfVariant,
    repeat: bool,
) -> Table:
    style = _style(f"cell{size}", size, leading=size * 1.2)
    header_style = _style(f"head{size}", size, leading=size * 1.2, alignment=TA_CENTER)
    header = table.header_rows if with_header else []
    spans = header_spans(header)
    span_width = {
        (s.row, s.col): sum(widths[s.col : s.col + s.cols]) for s in spans
    }
    rows: list[list[Any]] = []
    for r, row in enumerate(header):
        rows.append(
            [_cell(text, span_width.get((r, c), widths[c]), header_style) for c, text in enumerate(row)]
        )
    for row in body:
        rows.append([_cell(text, widths[c], style) for c, text in enumerate(row)])
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, size),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    if variant.ruled:
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
    if header:
        commands.append(("ALIGN", (0, 0), (-1, len(header) - 1), "CENTER"))
    commands += [
        ("SPAN", (s.col, s.row), (s.col + s.cols - 1, s.row + s.rows - 1))
        for s in spans
        if s.cols > 1 or s.rows > 1
    ]
    if body:
        commands += [
            ("ALIGN", (c, len(header)), (c, -1), "RIGHT") for c in _number_columns(table)
        ]
    return Table(
        rows,
        colWidths=widths,
        repeatRows=len(header) if repeat and header else 0,
        style=TableStyle(commands),
        hAlign="CENTER",
    )


def _table_flowables(
    table: SeedTable, index: int, available: float, variant: PdfVariant, repeat: bool
) -> list[Flowable]:
    flows: list[Flowable] = [_Mark(index, start=True)]
    if table.label:
        flows.append(Paragraph(escape(table.label), _TABLE_LABEL))
    if table.title:
        flows.append(Paragraph(escape(table.title), _TABLE_TITLE))
    meta = [line for line in (table.department_line, table.year_line, table.unit_line) if line]
    if meta:
        flows.append(Paragraph(("&nbsp;" * 6).join(escape(m) for m in meta), _TABLE_META))
    widths, size = _column_widths(table, available)
    body = table.body_rows
    if variant.force_breaks and len(body) >= 2:
        half = len(body) // 2
        flows += [
            _grid(table, body[:half], True, widths, size, variant, repeat),
            PageBreak(),
            _grid(table, body[half:], repeat, widths, size, variant, repeat),
        ]
    else:
        flows.append(_grid(table, body, True, widths, size, variant, repeat))
    flows.append(_Mark(index, start=False))
    flows += [Paragraph(escape(note), _NOTE) for note in table.notes]
    if table.empty_note:
        flows.append(Paragraph(escape(table.empty_note), _NOTE))
    return flows


def _page_templates(variant: PdfVariant) -> tuple[list[PageTemplate], tuple[float, float]]:
    page = landscape(A4) if variant.landscape else A4
    width, height = page

    text = PageTemplate(
        "text", [Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN)], pagesize=page
    )
    if not variant.rotated:
        return [text, PageTemplate("table", text.frames, pagesize=page)], page
    # A portrait page displayed as landscape: content drawn turned a quarter
    # counter-clockwise, the page marked /Rotate 90 (as Jiangsu PDFs are).
    wide, tall = landscape(A4)

    def turned(canvas: Any, _doc: Any) -> None:
        canvas.translate(A4[0], 0)
        canvas.rotate(90)

    table = PageTemplate(
        "table",
        [Frame(MARGIN, MARGIN, wide - 2 * MARGIN, tall - 2 * MARGIN)],
        onPage=turned,
        pagesize=(wide, tall),  # reportlab swaps the MediaBox of a /Rotate 90 page
    )
    table.rotation = 90  # read by BaseDocTemplate.handle_pageEnd as the page's /Rotate
    return [text, table], landscape(A4)


def _story(
    seed: SeedDocument, variant: PdfVariant, table_width: float, repeats: list[bool]
) -> list[Flowable]:
    story: list[Flowable] = [Spacer(1, 120)]
    story += [Paragraph(escape(line), _COVER) for line in seed.title_lines]
    if seed.date_line:
        story.append(Paragraph(escape(seed.date_line), _COVER_DATE))
    story.append(PageBreak())
    on_table_page = False
    index = 0
    for block in seed.blocks:
        if isinstance(block, SeedTable):
            story += [NextPageTemplate("table"), PageBreak()]
            story += _table_flowables(block, index, table_width, variant, repeats[index])
            index += 1
            on_table_page = True
            continue
        if on_table_page:
            story.append(NextPageTemplate("text"))
            if variant.rotated:
                story.append(PageBreak())
            on_table_page = False
        if isinstance(block, Heading):
            story.append(Paragraph(escape(block.text), _HEADINGS[block.level]))
        else:
            story.append(Paragraph(escape(block.text), _BODY))
    return story


def _repeats(variant: PdfVariant, seed: SeedDocument) -> list[bool]:
    """Whether each table's header repeats on its continuation pages."""
    flags, breakable = [], 0
    for table in seed.tables:
        if variant.force_breaks and len(table.body_rows) >= 2:
            flags.append(breakable % 2 == 0)
            breakable += 1
        else:
            flags.append(variant.repeat_header)
    return flags


def _placements(
    seed: SeedDocument, doc: _TrackingDoc, variant: PdfVariant, repeats: list[bool]
) -> tuple[TablePlacement, ...]:
    placements = []
    for index, (table, repeat) in enumerate(zip(seed.tables, repeats)):
        header = len(table.header_rows)
        row_pages: list[int] = []
        pages = set(doc.mark_pages.get(index, [])[:1])
        for piece, (page, rows) in enumerate(doc.pieces.get(index, [])):
            shown = header if piece == 0 or repeat else 0
            row_pages += [page] * (rows - shown)
            pages.add(page)
        placements.append(
            TablePlacement(
                index=index,
                canonical_id=table.canonical_id,
                title=table.title,
                pages=tuple(sorted(pages)),
                row_pages=tuple(row_pages),
                header_repeated=repeat,
                rotated=variant.rotated,
            )
        )
    return tuple(placements)


def render_pdf(seed: SeedDocument, out: Path, variant: PdfVariant = RULED_PORTRAIT) -> RenderManifest:
    """Write ``seed`` as a PDF at ``out`` laid out as ``variant``."""
    _register_font()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    templates, table_page = _page_templates(variant)
    doc = _TrackingDoc(
        str(out),
        pageTemplates=templates,
        pagesize=templates[0].pagesize,
        title=" ".join(seed.title_lines),
        author=seed.department,
        invariant=1,
    )
    repeats = _repeats(variant, seed)
    doc.build(_story(seed, variant, table_page[0] - 2 * MARGIN - 4, repeats))
    return RenderManifest(out, variant.name, doc.page, _placements(seed, doc, variant, repeats))
