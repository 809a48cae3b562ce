"""A SeedDocument as one printable HTML page, laid out as a ``PdfVariant`` says.

The browser producer prints it (``demo.producers``). Where each table and
row lands is left to the browser's pagination; the first printed cell
of every body row is a link named by ``demo.marks``,
which the print keeps as link annotations.
"""

from __future__ import annotations

from html import escape

from demo.derive import compatibility_forms
from demo.fonts import FONTS
from demo.header import header_spans
from demo.marks import LINK_BASE, mark
from demo.seeds import Heading, SeedDocument, SeedTable
from demo.table_layout import column_layout, number_columns
from demo.variants import PdfVariant

__all__ = ["PAGE_MARGIN", "page_size", "render_html", "table_width"]

PAGE_MARGIN = 36.0  # points
_A4 = (595.28, 841.89)
# Browsers and office suites measure CJK fonts a little wider than reportlab's
# metrics: lay tables out for a narrower page so that numbers never wrap.
_WIDTH_SLACK = 0.9

_RULES = {
    "grid": "td, th { border: 0.5pt solid #000; }",
    "hrules": "td, th { border-top: 0.5pt solid #000; border-bottom: 0.5pt solid #000; }",
    "none": "",
}


def page_size(variant: PdfVariant) -> tuple[float, float]:
    """Width and height of the variant's page in points."""
    return (_A4[1], _A4[0]) if variant.landscape else _A4


def table_width(variant: PdfVariant) -> float:
    """The width tables are laid out for (points)."""
    return (page_size(variant)[0] - 2 * PAGE_MARGIN) * _WIDTH_SLACK


def _style(variant: PdfVariant) -> str:
    width, height = page_size(variant)
    return f"""
@page {{ size: {width}pt {height}pt; margin: {PAGE_MARGIN}pt; }}
body {{ font-family: "{FONTS[variant.font].family}"; font-size: 10.5pt; line-height: 1.35; margin: 0; }}
a {{ color: inherit; text-decoration: none; }}
.cover {{ text-align: center; font-size: 22pt; margin-top: 120pt; break-after: page; }}
.cover .date {{ font-size: 14pt; margin-top: 200pt; }}
h1 {{ font-size: 16pt; text-align: center; }} h2 {{ font-size: 13pt; }}
h3 {{ font-size: 11.5pt; }} h4 {{ font-size: 10.5pt; }}
p {{ text-indent: 2em; margin: 0 0 4pt 0; }}
.label {{ text-align: right; font-size: 9pt; margin: 0; text-indent: 0; }}
.title {{ text-align: center; font-size: 14pt; margin: 4pt 0; text-indent: 0; }}
.meta {{ font-size: 9pt; margin: 0 0 3pt 0; text-indent: 0; white-space: pre; }}
.note {{ font-size: 8.5pt; margin-top: 3pt; text-indent: 0; }}
.newpage {{ break-before: page; }}
table {{ border-collapse: collapse; table-layout: fixed; margin: 0 auto; }}
td, th {{ padding: 1.5pt 2pt; vertical-align: middle; font-weight: normal; overflow-wrap: anywhere; }}
th {{ text-align: center; }}
td.num {{ text-align: {variant.align}; white-space: nowrap; }}
tr {{ break-inside: avoid; }}
{_RULES[variant.rules]}
"""


def _header_html(table: SeedTable) -> str:
    """Header rows with every grid position either a span or an empty cell:
    a browser packs a row's cells to the left, so an uncovered position left
    out would shift every heading after it one column."""
    spans = {(s.row, s.col): s for s in header_spans(table.header_rows)}
    covered = {
        (r, c) for s in spans.values() for r in range(s.row, s.row + s.rows) for c in range(s.col, s.col + s.cols)
    }
    rows = []
    for r in range(len(table.header_rows)):
        cells = []
        for c in range(table.width):
            if (r, c) in spans:
                s = spans[r, c]
                cells.append(f'<th rowspan="{s.rows}" colspan="{s.cols}">{escape(s.text)}</th>')
            elif (r, c) not in covered:
                cells.append("<th></th>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return "".join(rows)


def _body_html(table: SeedTable, index: int, rows: range) -> str:
    numbers = set(number_columns(table))
    out = []
    for r in rows:
        row = table.body_rows[r]
        marked = next((c for c, text in enumerate(row) if text.strip()), None)
        cells = []
        for c, text in enumerate(row):
            content = escape(text)
            if c == marked:
                content = f'<a href="{LINK_BASE}{mark(index, r)}">{content}</a>'
            kind = ' class="num"' if c in numbers else ""
            cells.append(f"<td{kind}>{content}</td>")
        out.append(f"<tr>{''.join(cells)}</tr>")
    return "".join(out)


def _grid_html(table: SeedTable, index: int, rows: range, header: bool, repeat: bool, widths: list[float],
               size: float, new_page: bool) -> str:
    """One ``<table>``: the header in ``<thead>`` when it repeats on every page
    (browsers repeat it), else as plain first rows."""
    cols = "".join(f'<col style="width:{w:.2f}pt">' for w in widths)
    head = _header_html(table) if header else ""
    head_part = f"<thead>{head}</thead><tbody>" if repeat else f"<tbody>{head}"
    style = f"width:{sum(widths):.2f}pt; font-size:{size}pt"
    cls = ' class="newpage"' if new_page else ""
    return f'<table{cls} style="{style}"><colgroup>{cols}</colgroup>{head_part}{_body_html(table, index, rows)}</tbody></table>'


def _table_html(table: SeedTable, index: int, variant: PdfVariant, repeat: bool) -> str:
    parts = [f'<div{" class=newpage" if not variant.flow else ""}>']
    if table.label:
        parts.append(f'<p class="label">{escape(table.label)}</p>')
    if table.title:
        parts.append(f'<p class="title">{escape(table.title)}</p>')
    meta = [line for line in (table.department_line, table.year_line, table.unit_line) if line]
    if meta:
        parts.append(f'<p class="meta">{escape("      ".join(meta))}</p>')
    widths, size = column_layout(table, table_width(variant), variant.font, variant.size)
    body = len(table.body_rows)
    if variant.force_breaks and body >= 2:
        half = body // 2
        parts.append(_grid_html(table, index, range(half), True, repeat, widths, size, False))
        parts.append(_grid_html(table, index, range(half, body), repeat, repeat, widths, size, True))
    else:
        parts.append(_grid_html(table, index, range(body), True, repeat, widths, size, False))
    parts += [f'<p class="note">{escape(note)}</p>' for note in table.notes]
    if table.empty_note:
        parts.append(f'<p class="note">{escape(table.empty_note)}</p>')
    parts.append("</div>")
    return "".join(parts)


def render_html(seed: SeedDocument, variant: PdfVariant) -> str:
    """The whole document (cover, narrative, tables) as HTML for printing."""
    if variant.compat:
        seed = compatibility_forms(seed)
    repeats = variant.header_repeats([len(t.body_rows) for t in seed.tables])
    body = ['<div class="cover">']
    body += [f"<div>{escape(line)}</div>" for line in seed.title_lines]
    if seed.date_line:
        body.append(f'<div class="date">{escape(seed.date_line)}</div>')
    body.append("</div>")
    index = 0
    for block in seed.blocks:
        if isinstance(block, SeedTable):
            body.append(_table_html(block, index, variant, repeats[index]))
            index += 1
        elif isinstance(block, Heading):
            body.append(f"<h{block.level}>{escape(block.text)}</h{block.level}>")
        else:
            body.append(f"<p>{escape(block.text)}</p>")
    title = escape(" ".join(seed.title_lines))
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{_style(variant)}</style></head><body>{''.join(body)}</body></html>"
    )
