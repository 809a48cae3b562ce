"""PDF pages → ``Block`` stream (pdfplumber for tables, pypdfium2 for fast text).

A quick pypdfium2 text pass sorts pages into narrative pages (text only, ~15×
faster) and table candidates, which pdfplumber reads with ruling-line table
detection; candidates without ruling lines keep their words' positions so
the assembler can rebuild the grid. Pages without characters are reported
as scanned; pages whose fonts extract as ``(cid:NNN)`` fall back to
pypdfium2's text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.table import Table as TableFinder

from parsers.errors import CorruptFile, EncryptedFile
from parsers.layout import Block, Grid, TextLine, Word
from parsers.model import ParseWarning
from parsers.registry import looks_like_title

__all__ = ["PdfPages", "read_pdf"]

RULED_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
    "text_x_tolerance": 5,
    "text_y_tolerance": 3,
}
_MONEY = re.compile(r"\d\.\d{2}(?!\d)|\d,\d{3}(?![\d,])")  # 599.47, or 2,932,700 (tables in 元)
_NUMBER_TOKEN = re.compile(r"(?<![\d.,])\d+(?![\d.,])")
_CID = re.compile(r"\(cid:\d+\)")
_PAGE_NUMBER = re.compile(r"^[-—\s]*(第\s*)?\d+\s*(页|/\s*\d+)?[-—\s]*$")


@dataclass
class PdfPages:
    blocks: list[Block] = field(default_factory=list)
    page_count: int = 0
    scanned_pages: list[int] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)


def _open_pdfium(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message or "security" in message:
            raise EncryptedFile("PDF 已加密，无法读取") from exc
        raise CorruptFile(f"PDF 文件损坏或不完整：{exc}") from exc


_HEADER_WORDS = re.compile(r"项目|科目|合计|金额|栏次|行次")


def _is_table_candidate(text: str, after_candidate: bool) -> bool:
    """Worth pdfplumber's table finder: figures, a table title, or (right after such a
    page) a header that may carry a continuation with few or no figures."""
    if len(_MONEY.findall(text)) >= 3:
        return True
    lines = text.splitlines()
    if sum(len(_NUMBER_TOKEN.findall(line)) >= 3 for line in lines) >= 3:
        return True  # rows of whole numbers
    head = lines[:12]
    if after_candidate and any(_HEADER_WORDS.search(line) for line in head):
        return True
    return any(looks_like_title(line) for line in head)


def _line_from_words(words: list[dict], page_no: int) -> TextLine:
    words = sorted(words, key=lambda w: w["x0"])
    return TextLine(
        text=" ".join(w["text"] for w in words),
        page=page_no,
        top=min(w["top"] for w in words),
        words=[Word(w["text"], w["x0"], w["x1"]) for w in words],
    )


def _group_lines(words: list[dict], page_no: int) -> list[TextLine]:
    """Words → lines by vertical position (tolerance 3pt)."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [_line_from_words(group, page_no) for group in lines]


def _inside(word: dict, bboxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in bboxes)


def _row_mid(cells: list[tuple[float, float, float, float] | None]) -> float:
    """Middle of a row's own height: its shortest cell, not cells merged down from it."""
    boxes = [b for b in cells if b is not None]
    return (min(b[1] for b in boxes) + min(b[3] for b in boxes)) / 2 if boxes else 0.0


def _merge_origins(table: TableFinder) -> dict[tuple[int, int], tuple[int, int]]:
    """For each merged (None) position, the printed cell whose box covers it."""
    row_mids = [_row_mid(row.cells) for row in table.rows]
    # Not table.columns: its order need not follow the cell index of the rows.
    col_mids = [(x0 + x1) / 2 for x0, x1 in _column_bounds(table)]
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(table.rows):
        for c, box in enumerate(row.cells):
            if box is None:
                continue
            x0, top, x1, bottom = box
            for rr, ym in enumerate(row_mids):
                for cc, xm in enumerate(col_mids):
                    if (rr, cc) != (r, c) and top <= ym <= bottom and x0 <= xm <= x1:
                        origins.setdefault((rr, cc), (r, c))
    return origins


def _column_bounds(table: TableFinder) -> list[tuple[float, float]]:
    """The x-extent of each column: where its unmerged cells sit."""
    width = max(len(row.cells) for row in table.rows)
    bounds = []
    for c in range(width):
        boxes = [row.cells[c] for row in table.rows if c < len(row.cells) and row.cells[c] is not None]
        bounds.append((min(b[0] for b in boxes), min(b[2] for b in boxes)) if boxes else (0.0, 0.0))
    return bounds


def _plumber_page(page: pdfplumber.page.Page, page_no: int) -> list[Block]:
    blocks: list[Block] = []
    page = page.crop(page.bbox)  # text drawn off the page (below its edge) is not printed
    tables = page.find_tables(RULED_SETTINGS)
    # A frame around text is not a table; a lone row of several cells may be the
    # last row (合计) of a table continued from the previous page.
    tables = [t for t in tables if max(len(r.cells) for r in t.rows) >= (2 if len(t.rows) >= 2 else 3)]
    bboxes = [t.bbox for t in tables]
    for table in tables:
        rows = table.extract(x_tolerance=5, y_tolerance=3)
        blocks.append(
            Grid(rows=rows, page=page_no, top=table.bbox[1], origins=_merge_origins(table), column_bounds=_column_bounds(table))
        )
    words = page.extract_words(x_tolerance=3, y_tolerance=3, keep_blank_chars=False, use_text_flow=False)
    outside = [w for w in words if not _inside(w, bboxes)]
    blocks.extend(_group_lines(outside, page_no))
    return sorted(blocks, key=lambda b: b.top)


def _unmapped_share(text: str) -> float:
    """Share of characters a font without ToUnicode typically yields (U+FFFD, private use)."""
    bad = sum(1 for c in text if c == "\ufffd" or "\ue000" <= c <= "\uf8ff")
    return bad / max(len(text), 1)


def _pdfium_lines(text: str, page_no: int) -> list[TextLine]:
    return [TextLine(text=line, page=page_no, top=float(i)) for i, line in enumerate(text.splitlines()) if line.strip()]


def read_pdf(data: bytes) -> PdfPages:
    """Read every page of a PDF into blocks; raise only when nothing is readable."""
    fast = _open_pdfium(data)
    result = PdfPages(page_count=len(fast))
    fast_texts = []
    for index in range(len(fast)):
        page = fast[index]
        fast_texts.append(page.get_textpage().get_text_range())
        page.close()
    fast.close()
    try:
        plumber = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise EncryptedFile("PDF 已加密，无法读取") from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise CorruptFile(f"PDF 文件损坏或不完整：{exc}") from exc
    with plumber:
        after_candidate = False
        for index, text in enumerate(fast_texts):
            page_no = index + 1
            stripped = re.sub(r"\s+", "", text)
            if not stripped:
                if plumber.pages[index].images:
                    result.scanned_pages.append(page_no)
                continue
            if _unmapped_share(stripped) > 0.3:
                result.warnings.append(
                    ParseWarning("unmapped_font", "字体缺少 Unicode 映射，本页文字无法可靠提取", page=page_no)
                )
                continue
            candidate = _is_table_candidate(text, after_candidate)
            after_candidate = candidate
            if not candidate:
                result.blocks.extend(_pdfium_lines(text, page_no))
                continue
            try:
                page_blocks = _plumber_page(plumber.pages[index], page_no)
                if any(_CID.search(b.text) for b in page_blocks if isinstance(b, TextLine)):
                    result.warnings.append(
                        ParseWarning("cid_font", "字体提取为 (cid:NNN)，改用备用文字层", page=page_no)
                    )
                    page_blocks = _pdfium_lines(text, page_no)
            except Exception as exc:  # noqa: BLE001 - one bad page must not lose the rest
                result.warnings.append(
                    ParseWarning("page_unreadable", f"第 {page_no} 页无法解析表格：{exc}", page=page_no)
                )
                page_blocks = _pdfium_lines(text, page_no)
            result.blocks.extend(page_blocks)
    result.blocks = [b for b in result.blocks if not (isinstance(b, TextLine) and _PAGE_NUMBER.match(b.text))]
    return result
