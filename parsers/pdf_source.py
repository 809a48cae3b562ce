"""PDF pages → ``Block`` stream, read with pypdfium2 only.

Each page's text sorts it into a narrative page (plain text lines) or a
table candidate, whose chars and ruling paths go through pdfplumber's table
finder (``page_blocks`` on a ``PdfiumPage``; no pdfminer parsing, which is
what makes this several times faster than pdfplumber alone). Candidates
without ruling lines keep their words' positions so the assembler can
rebuild the grid. Pages without characters but with images are reported as
scanned; fonts without a Unicode map are reported, not guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.errors import CorruptFile, EncryptedFile, LimitExceeded
from parsers.layout import Block, TextLine
from parsers.limits import LIMITS, InputLimits
from parsers.model import ParseWarning
from parsers.page_blocks import page_blocks
from parsers.pdfium_tables import PdfiumPage
from parsers.registry import looks_like_title
from parsers.text import nfkc
from parsers.tolerances import TOLERANCES as T

__all__ = ["PdfPages", "read_pdf"]

_MONEY = re.compile(r"\d\.\d{2}(?!\d)|\d,\d{3}(?![\d,])")  # 599.47, or 2,932,700 (tables in 元)
_DECIMAL = re.compile(r"\d\.\d")
_SPACED_DECIMAL = re.compile(r"(\d\.)[ \t]+(\d)")
_NUMBER_TOKEN = re.compile(r"(?<![\d.,])\d+(?![\d.,])")
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


def _head(text: str) -> frozenset[str]:
    """The first lines of a page, compacted: what a continuation page repeats."""
    lines = (re.sub(r"\s+", "", line) for line in text.splitlines()[: T.candidate_head_lines])
    return frozenset(line for line in lines if line)


def _is_table_candidate(text: str, stripped: str, previous: frozenset[str] | None) -> bool:
    """Worth pdfplumber's table finder: figures, a table title anywhere on it, or (right
    after such a page, whose head lines are ``previous``) a header that may carry a
    continuation with few or no figures: header words, or the previous page's head
    lines printed again (a repeated header of any vocabulary)."""
    after_candidate = previous is not None
    text = _SPACED_DECIMAL.sub(r"\1\2", text)  # 599. 47: a decimal point set apart by the producer
    if len(_MONEY.findall(text)) >= T.candidate_amounts:
        return True
    # Some producers' text layers put every glyph on a line of its own (43.1 | 4): after a
    # candidate page, decimal points between digits mark the continuation of a table.
    if after_candidate and len(_DECIMAL.findall(stripped)) >= T.candidate_amounts:
        return True
    lines = text.splitlines()
    if sum(len(_NUMBER_TOKEN.findall(line)) >= T.candidate_amounts for line in lines) >= T.candidate_amounts:
        return True  # rows of whole numbers
    head = lines[: T.candidate_head_lines]
    if after_candidate and any(_HEADER_WORDS.search(line) for line in head):
        return True
    if previous and len(_head(text) & previous) >= T.candidate_repeated_lines:
        return True
    return any(looks_like_title(line) for line in lines)  # a table may begin anywhere on the page


def _unmapped_share(text: str) -> float:
    """Share of characters a font without ToUnicode typically yields (U+FFFD, private use)."""
    bad = sum(1 for c in text if c == "\ufffd" or "\ue000" <= c <= "\uf8ff")
    return bad / max(len(text), 1)


def _text_lines(text: str, page_no: int) -> list[TextLine]:
    """Lines of a page read as plain text (narrative pages: no positions needed)."""
    return [TextLine(text=line, page=page_no, top=float(i)) for i, line in enumerate(text.splitlines()) if line.strip()]


def _has_images(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _has_rulings(page: pdfium.PdfPage) -> bool:
    """Lines drawn on the page: a ruled table going on with few figures (绩效目标 rows of
    indicators and percentages)."""
    paths = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)
    return sum(1 for _ in zip(range(T.candidate_rulings), paths)) >= T.candidate_rulings


def _read_page(
    page: pdfium.PdfPage, page_no: int, previous: frozenset[str] | None, result: PdfPages
) -> frozenset[str] | None:
    """Append one page's blocks to ``result``; the page's head lines when it was a
    table candidate (a blank page keeps ``previous``), else None."""
    textpage = page.get_textpage()
    try:
        text = nfkc(textpage.get_text_range())  # its blocks are normalised by parsers.document
        stripped = re.sub(r"\s+", "", text)
        if not stripped:
            if _has_images(page):
                result.scanned_pages.append(page_no)
            return previous
        if _unmapped_share(stripped) > T.unmapped_share:
            result.warnings.append(
                ParseWarning("unmapped_font", "字体缺少 Unicode 映射，本页文字无法可靠提取", page=page_no)
            )
            return None
        if not _is_table_candidate(text, stripped, previous) and not (previous is not None and _has_rulings(page)):
            result.blocks.extend(_text_lines(text, page_no))
            return None
        try:
            result.blocks.extend(page_blocks(PdfiumPage(page, textpage), page_no))
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the rest
            result.warnings.append(
                ParseWarning("page_unreadable", f"第 {page_no} 页无法解析表格：{exc}", page=page_no)
            )
            result.blocks.extend(_text_lines(text, page_no))
        return _head(text)
    finally:
        textpage.close()


def _damaged(page_no: int, exc: Exception) -> ParseWarning:
    return ParseWarning("page_damaged", f"第 {page_no} 页已损坏，无法读取，已跳过：{exc}", page=page_no)


def read_pdf(data: bytes, limits: InputLimits = LIMITS) -> PdfPages:
    """Read every page of a PDF into blocks; raise only when nothing is readable.

    A page pdfium cannot load or read (damaged objects) is skipped with a
    ``page_damaged`` warning; the other pages are read.
    """
    document = _open_pdfium(data)
    try:
        count = len(document)
        if count > limits.pdf_pages:
            raise LimitExceeded("too_many_pages", f"PDF 共 {count} 页，超过上限 {limits.pdf_pages} 页")
        result = PdfPages(page_count=count)
        previous: frozenset[str] | None = None  # head lines of the last page, when a table candidate
        for index in range(count):
            try:
                page = document[index]
            except pdfium.PdfiumError as exc:
                result.warnings.append(_damaged(index + 1, exc))
                previous = None
                continue
            try:
                previous = _read_page(page, index + 1, previous, result)
            except pdfium.PdfiumError as exc:
                result.warnings.append(_damaged(index + 1, exc))
                previous = None
            finally:
                page.close()
    finally:
        document.close()
    if count and sum(w.code == "page_damaged" for w in result.warnings) == count:
        raise CorruptFile(f"PDF 的全部 {count} 页均已损坏，无法读取")
    result.blocks = _without_page_numbers(result.blocks)
    return result


def _without_page_numbers(blocks: list[Block]) -> list[Block]:
    """Blocks without the page numbers: a lone number (- 3 -, 第 3 页, 3/20) printed
    above or below everything else of its page. A lone number between a page's rows is
    a cell wrapped onto a line of its own (3020 | 1)."""
    edges: dict[int, list[Block]] = {}
    for block in blocks:
        edges.setdefault(block.page, []).append(block)
    ends = {id(b) for page in edges.values() for b in (min(page, key=_top), max(page, key=_top))}
    return [b for b in blocks if not (isinstance(b, TextLine) and id(b) in ends and _PAGE_NUMBER.match(b.text))]


def _top(block: Block) -> float:
    return block.top
