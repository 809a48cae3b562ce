"""HTML pages whose body is the disclosure → ``Block`` stream.

Many county sites publish a department's budget as tables in the article
page itself. Headings and paragraphs become text lines and each ``<table>``
a grid (``rowspan``/``colspan`` cells repeated as merged ``None`` cells, as
the DOCX reader does), in document order, so the assembler treats them
like any other source. A page with no table of figures is no disclosure:
typically an error page served in place of a file.
"""

from __future__ import annotations

import re

import lxml.html
from charset_normalizer import from_bytes
from lxml.etree import ParserError

from parsers.errors import CorruptFile, UnsupportedFormat
from parsers.layout import Block, Grid, TextLine

__all__ = ["read_html", "looks_like_html"]

_SKIPPED = {"script", "style", "noscript", "nav", "header", "footer", "select", "button", "form", "iframe", "a"}
# Site chrome around the article: menus, breadcrumbs ("当前位置"), headers, footers, share bars.
_CHROME = re.compile(r"nav|menu|header|footer|crumb|position|location|share|sidebar|toolbar", re.I)
_TEXT_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "caption", "dt", "dd", "pre", "blockquote"}
_FIGURE = re.compile(r"\d[\d,]*\.\d+|\d{2,}")
_SPACES = re.compile(r"\s+")
# A table span beyond this is a malformed page, not a layout: cap it.
MAX_SPAN = 50


def looks_like_html(head: bytes) -> bool:
    lowered = head.lstrip().lower()
    return lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in lowered


def _decode(data: bytes) -> str:
    declared = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    best = from_bytes(data[:200_000]).best()
    return data.decode(best.encoding if best else "utf-8", errors="replace")


def _text(element: lxml.html.HtmlElement) -> str:
    return _SPACES.sub(" ", element.text_content()).strip()


def _grid(table: lxml.html.HtmlElement, top: float) -> Grid:
    rows: list[list[str | None]] = []
    pending: dict[int, int] = {}  # column → rows still covered by a rowspan above
    for tr in table.iter("tr"):
        if tr.getparent() is not None and any(a is not table and a.tag == "table" for a in tr.iterancestors("table")):
            if next(tr.iterancestors("table")) is not table:
                continue  # a nested table's row
        row: list[str | None] = []
        column = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while pending.get(column, 0) > 0:
                row.append(None)
                pending[column] -= 1
                column += 1
            text = _text(cell) or None
            colspan = min(max(int(cell.get("colspan", "1") or 1), 1), MAX_SPAN) if str(cell.get("colspan", "1")).isdigit() else 1
            rowspan = min(max(int(cell.get("rowspan", "1") or 1), 1), MAX_SPAN) if str(cell.get("rowspan", "1")).isdigit() else 1
            for offset in range(colspan):
                row.append(text if offset == 0 else None)
                if rowspan > 1:
                    pending[column + offset] = rowspan - 1
            column += colspan
        while pending.get(column, 0) > 0:
            row.append(None)
            pending[column] -= 1
            column += 1
        if any(cell is not None for cell in row):
            rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return Grid(rows=[r + [None] * (width - len(r)) for r in rows], page=1, top=top)


def read_html(data: bytes) -> tuple[list[Block], int]:
    """The page's headings, paragraphs and tables; all on page 1 (a web page has no pages)."""
    try:
        root = lxml.html.document_fromstring(_decode(data))
    except (ParserError, ValueError) as exc:
        raise CorruptFile(f"网页无法解析：{exc}") from exc
    blocks: list[Block] = []
    position = 0.0

    def walk(element: lxml.html.HtmlElement) -> None:
        nonlocal position
        for child in element:
            if not isinstance(child.tag, str) or child.tag in _SKIPPED:
                continue
            if _CHROME.search(f"{child.get('class', '')} {child.get('id', '')}"):
                continue
            position += 1
            if child.tag == "table":
                grid = _grid(child, position)
                if grid.rows:
                    blocks.append(grid)
            elif child.tag in _TEXT_BLOCKS or (child.tag in ("div", "span", "td", "section") and not len(child)):
                text = _text(child)
                if text:
                    blocks.append(TextLine(text=text, page=1, top=position))
            else:
                if child.text and child.text.strip():
                    blocks.append(TextLine(text=_SPACES.sub(" ", child.text).strip(), page=1, top=position))
                walk(child)

    body = root.find("body")
    walk(body if body is not None else root)
    if not any(isinstance(b, Grid) and any(_FIGURE.search(c or "") for row in b.rows for c in row) for b in blocks):
        raise UnsupportedFormat("这是一个 HTML 网页，不是预决算文件（可能是网站的错误页面）")
    return blocks, 1
