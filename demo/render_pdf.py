"""Render a SeedDocument as a disclosure PDF with reportlab, recording where each table landed.

reportlab's built-in CID font ``STSong-Light`` draws the Chinese text with no
font files (the ``hei`` family embeds WenQuanYi Micro Hei instead), and
pdfplumber reads it back. Each variant mimics one layout that real
disclosures use (see ``docs/fixtures.md``); the manifest tells tests the
1-based pages of every table and of every body row.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
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

from demo.derive import compatibility_forms
from demo.fonts import reportlab_font, text_width
from demo.header import header_spans
from demo.seeds import Heading, SeedDocument, SeedTable
from demo.table_layout import CELL_PAD, column_layout, number_columns
from demo.variants import (
    PAGE_BREAKS,
    ROTATED,
    RULED_LANDSCAPE,
    RULED_PORTRAIT,
    UNRULED,
    VARIANTS,
    PdfVariant,
    RenderManifest,
    TablePlacement,
)

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

MARGIN = 36.0


@cache
def _styles(family: str, keep: bool = True) -> dict[str, ParagraphStyle]:
    """The document's paragraph styles in one font family. ``keep`` keeps a
    table's label, title and meta line with the table's first rows (``False``:
    they may stay at the bottom of a page, as in a flowing layout)."""
    font = reportlab_font(family)

    def style(name: str, size: float, **extra: Any) -> ParagraphStyle:
        settings = {"leading": size * 1.35, "wordWrap": "CJK", **extra}
        return ParagraphStyle(f"{family}-{name}-{keep}", fontName=font, fontSize=size, **settings)

    return {
        "body": style("body", 10.5, firstLineIndent=21, spaceAfter=4),
        "h1": style("h1", 16, alignment=TA_CENTER, spaceBefore=10, spaceAfter=8),
        "h2": style("h2", 13, spaceBefore=8, spaceAfter=4),
        "h3": style("h3", 11.5, spaceBefore=6, spaceAfter=3),
        "h4": style("h4", 10.5, spaceBefore=4, spaceAfter=2),
        "cover": style("cover", 22, alignment=TA_CENTER, spaceAfter=14),
        "cover_date": style("cover_date", 14, alignment=TA_CENTER, spaceBefore=200),
        "table_title": style("table_title", 14, alignment=TA_CENTER, spaceAfter=4, keepWithNext=keep),
        "table_label": style("table_label", 9, alignment=TA_RIGHT, keepWithNext=keep),
        "table_meta": style("table_meta", 9, spaceAfter=3, keepWithNext=keep),
        "note": style("note", 8.5, spaceBefore=3),
    }


@cache
def _cell_style(family: str, size: float, header: bool) -> ParagraphStyle:
    kind = "head" if header else "cell"
    extra = {"alignment": TA_CENTER} if header else {}
    return ParagraphStyle(
        f"{family}-{kind}{size}", fontName=reportlab_font(family), fontSize=size, leading=size * 1.2,
        wordWrap="CJK", **extra,
    )


class _Mark(Flowable):
    """Zero-size marker: where a table's block starts or its grid ends."""

    def __init__(self, index: int, start: bool, keep: bool = True) -> None:
        super().__init__()
        self.index, self.start = index, start
        self.width = self.height = 0
        self.keepWithNext = start and keep  # stays on the page of the label it marks

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


def _cell(text: str, width: float, style: ParagraphStyle, family: str) -> str | Paragraph:
    if text_width(text, style.fontSize, family) + 2 * CELL_PAD + 1 <= width:
        return text
    return Paragraph(escape(text), style)


_RULES = {
    "grid": lambda: [("GRID", (0, 0), (-1, -1), 0.5, "black")],
    "hrules": lambda: [("LINEABOVE", (0, 0), (-1, 0), 0.75, "black"), ("LINEBELOW", (0, 0), (-1, -1), 0.5, "black")],
    "none": lambda: [],
}


def _grid(
    table: SeedTable,
    body: list[list[str]],
    with_header: bool,
    widths: list[float],
    size: float,
    variant: PdfVariant,
    repeat: bool,
) -> Table:
    family = variant.font
    style, header_style = _cell_style(family, size, False), _cell_style(family, size, True)
    header = table.header_rows if with_header else []
    spans = header_spans(header)
    span_width = {
        (s.row, s.col): sum(widths[s.col : s.col + s.cols]) for s in spans
    }
    rows: list[list[Any]] = []
    for r, row in enumerate(header):
        rows.append(
            [_cell(text, span_width.get((r, c), widths[c]), header_style, family) for c, text in enumerate(row)]
        )
    for row in body:
        rows.append([_cell(text, widths[c], style, family) for c, text in enumerate(row)])
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), reportlab_font(family), size),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    commands += _RULES[variant.rules]()
    if header:
        commands.append(("ALIGN", (0, 0), (-1, len(header) - 1), "CENTER"))
    commands += [
        ("SPAN", (s.col, s.row), (s.col + s.cols - 1, s.row + s.rows - 1))
        for s in spans
        if s.cols > 1 or s.rows > 1
    ]
    if body:
        commands += [
            ("ALIGN", (c, len(header)), (c, -1), variant.align.upper()) for c in number_columns(table)
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
    styles = _styles(variant.font, keep=not variant.flow)
    flows: list[Flowable] = [_Mark(index, start=True, keep=not variant.flow)]
    if table.label:
        flows.append(Paragraph(escape(table.label), styles["table_label"]))
    if table.title:
        flows.append(Paragraph(escape(table.title), styles["table_title"]))
    meta = [line for line in (table.department_line, table.year_line, table.unit_line) if line]
    if meta:
        flows.append(Paragraph(("&nbsp;" * 6).join(escape(m) for m in meta), styles["table_meta"]))
    widths, size = column_layout(table, available, variant.font, variant.size)
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
    flows += [Paragraph(escape(note), styles["note"]) for note in table.notes]
    if table.empty_note:
        flows.append(Paragraph(escape(table.empty_note), styles["note"]))
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
    styles = _styles(variant.font)
    story: list[Flowable] = [Spacer(1, 120)]
    story += [Paragraph(escape(line), styles["cover"]) for line in seed.title_lines]
    if seed.date_line:
        story.append(Paragraph(escape(seed.date_line), styles["cover_date"]))
    story.append(PageBreak())
    on_table_page = False
    index = 0
    for block in seed.blocks:
        if isinstance(block, SeedTable):
            story.append(NextPageTemplate("table"))
            if not variant.flow or (variant.rotated and not on_table_page):
                story.append(PageBreak())
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
            story.append(Paragraph(escape(block.text), styles[f"h{block.level}"]))
        else:
            story.append(Paragraph(escape(block.text), styles["body"]))
    return story


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
    if variant.compat:
        seed = compatibility_forms(seed)
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
    repeats = variant.header_repeats([len(t.body_rows) for t in seed.tables])
    doc.build(_story(seed, variant, table_page[0] - 2 * MARGIN - 4, repeats))
    return RenderManifest(out, variant.name, doc.page, _placements(seed, doc, variant, repeats))
