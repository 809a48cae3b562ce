"""Word documents (DOCX) → ``Block`` stream; Word has no pages, so all is page 1."""

from __future__ import annotations

import io

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from parsers.errors import CorruptFile
from parsers.layout import Block, Grid, TextLine

__all__ = ["read_docx"]


def _table_rows(table: Table) -> list[list[str | None]]:
    rows: list[list[str | None]] = []
    for row in table.rows:
        cells: list[str | None] = []
        previous = None
        for cell in row.cells:
            # python-docx repeats a merged cell's object across its span.
            cells.append(None if cell._tc is previous else (cell.text.strip() or None))
            previous = cell._tc
        rows.append(cells)
    return rows


def read_docx(data: bytes) -> tuple[list[Block], int]:
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds
        raise CorruptFile(f"Word 文件无法打开：{exc}") from exc
    blocks: list[Block] = []
    for index, element in enumerate(document.element.body.iterchildren()):
        if element.tag.endswith("}p"):
            text = Paragraph(element, document).text.strip()
            if text:
                blocks.append(TextLine(text=text, page=1, top=float(index)))
        elif element.tag.endswith("}tbl"):
            blocks.append(Grid(rows=_table_rows(Table(element, document)), page=1, top=float(index)))
    return blocks, 1
