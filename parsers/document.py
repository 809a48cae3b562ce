"""The parser's entry points: a file's bytes → ``ParsedDocument``."""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from parsers.assemble import Assembly, TableDraft, assemble
from parsers.errors import LimitExceeded
from parsers.limits import LIMITS, InputLimits, check_size, check_zip, read_regular_file
from parsers.layout import Block, Grid, TextLine, Word
from parsers.metadata import read_metadata
from parsers.model import DocumentKind, ParsedDocument, ParseWarning, SourceInfo
from parsers.narrative import read_sections
from parsers.registry import identify_table
from parsers.pdf_source import read_pdf
from parsers.sniff import sniff_format
from parsers.tables import best_reading
from parsers.text import file_name, nfkc

__all__ = ["parse_bytes", "parse_file"]


def _guess_kind(blocks: list[Block], file_name: str | None) -> DocumentKind | None:
    """决算 or 预算 from the first lines, to break ties when matching titles."""
    head = " ".join(b.text for b in blocks[:40] if isinstance(b, TextLine)) + (file_name or "")
    if "决算" in head:
        return DocumentKind.FINAL
    return DocumentKind.BUDGET if "预算" in head else None


def _normalised(blocks: list[Block]) -> list[Block]:
    """The readers' text in NFKC, before anything reads it: some producers' fonts
    map glyphs to compatibility code points (⼊⽀ for 入支)."""
    for block in blocks:
        if isinstance(block, Grid):
            block.rows = [[nfkc(cell) if cell else cell for cell in row] for row in block.rows]
        else:
            block.text = nfkc(block.text)
            block.words = [w if w.text == (t := nfkc(w.text)) else Word(t, w.x0, w.x1) for w in block.words]
    return blocks


def _read_blocks(
    data: bytes, fmt: str, warnings: list[ParseWarning], ocr: bool, limits: InputLimits
) -> tuple[list[Block], int, list[int], list[int]]:
    """Every format's reader, its text normalised (``_normalised``)."""
    blocks, count, scanned, ocr_done = _read_format(data, fmt, warnings, ocr, limits)
    return _normalised(blocks), count, scanned, ocr_done


def _read_format(
    data: bytes, fmt: str, warnings: list[ParseWarning], ocr: bool, limits: InputLimits
) -> tuple[list[Block], int, list[int], list[int]]:
    if fmt == "pdf":
        pages = read_pdf(data, limits)
        warnings.extend(pages.warnings)
        blocks = pages.blocks
        ocr_done: list[int] = []
        if pages.scanned_pages:
            from parsers.ocr import ocr_available, ocr_pages  # numpy/onnx: loaded only for scans

            if ocr and ocr_available():
                ocr_blocks = ocr_pages(data, pages.scanned_pages)
                ocr_done = sorted({b.page for b in ocr_blocks})
                blocks = sorted([*blocks, *ocr_blocks], key=lambda b: (b.page, b.top))
                warnings.append(
                    ParseWarning("scanned_ocr", f"扫描页 {len(pages.scanned_pages)} 页，已用 OCR 识别，请对照原件核对")
                )
            else:
                reason = "OCR 已关闭" if not ocr else "未安装 OCR"
                warnings.append(
                    ParseWarning("scanned_not_read", f"扫描页 {len(pages.scanned_pages)} 页，{reason}，未读取")
                )
        return blocks, pages.page_count, pages.scanned_pages, ocr_done
    # Spreadsheet and Word readers are imported on demand: most files are PDFs,
    # and a nightly run pays the import per worker process.
    from parsers.doc_source import read_doc
    from parsers.docx_source import read_docx
    from parsers.sheet_source import read_xls, read_xlsx

    if fmt == "xlsx":
        blocks, count = read_xlsx(data, limits)
    elif fmt == "xls":
        blocks, count = read_xls(data, limits)
    elif fmt == "docx":
        blocks, count = read_docx(data)
    elif fmt == "html":
        from parsers.html_source import read_html

        blocks, count = read_html(data)
    else:  # doc: converted to DOCX by LibreOffice
        blocks, count = read_doc(data)
    return blocks, count, [], []


_COVER = re.compile(r"(部门|单位)(预算|决算)")


def _document_starts(blocks: list[Block], drafts: list[TableDraft]) -> list[int]:
    """The first pages of the further documents printed in the same file (empty: one document).

    A further document shows as the standard tables starting over (the first
    table's id again; other ids may legitimately repeat); it begins on the
    first page after the previous table that prints a 部门/单位 预算/决算
    title (its cover or 目录), else where its first repeated table starts.
    One pass over the drafts, cover pages looked up by bisection: linear in
    the document, however many documents it prints.
    """
    cover_pages = sorted({b.page for b in blocks if isinstance(b, TextLine) and _COVER.search(b.text)})
    starts: list[int] = []
    first: str | None = None
    for index, draft in enumerate(drafts):
        table_id = identify_table(draft.title, None) if draft.title else None
        if table_id is None:
            continue
        role = table_id.split("_", 1)[1]  # final_summary and budget_summary both start a set
        if first is None:
            first = role
            continue
        if role != first:
            continue
        after = max(drafts[index - 1].row_pages or [drafts[index - 1].page])
        cover = bisect.bisect_right(cover_pages, after)
        start = cover_pages[cover] if cover < len(cover_pages) and cover_pages[cover] <= draft.page else draft.page
        if start > (starts[-1] if starts else min((b.page for b in blocks), default=1)):
            starts.append(start)
    return starts


@dataclass
class _Part:
    """One document's share of a file: the blocks, scanned and OCR-read pages of its pages."""

    blocks: list[Block] = field(default_factory=list)
    scanned: list[int] = field(default_factory=list)
    ocr_done: list[int] = field(default_factory=list)


def _split(blocks: list[Block], starts: list[int], scanned: list[int], ocr_done: list[int]) -> list[_Part]:
    """Everything of the file placed in the part its page belongs to."""
    parts = [_Part() for _ in range(len(starts) + 1)]

    def part(page: int) -> _Part:
        return parts[bisect.bisect_right(starts, page)]

    for block in blocks:
        part(block.page).blocks.append(block)
    for page in scanned:
        part(page).scanned.append(page)
    for page in ocr_done:
        part(page).ocr_done.append(page)
    return parts


def _check_text_length(blocks: list[Block], limits: InputLimits) -> None:
    chars = sum(len(b.text) for b in blocks if isinstance(b, TextLine))
    if chars > limits.narrative_chars:
        raise LimitExceeded("narrative_too_long", f"文件文字共 {chars} 字，超过上限 {limits.narrative_chars} 字")


def _documents(
    blocks: list[Block], source: SourceInfo, file_name: str | None, warnings: list[ParseWarning], scanned: list[int],
    ocr_done: list[int],
) -> ParsedDocument:
    """The file's documents: the first, with the others in ``parts``.

    The whole file is assembled once to find where documents start; each
    further document is then assembled once on its own (its kind, 预算 or
    决算, decides how titles printed without 表 read). Every block is
    assembled at most twice: linear, however many documents.
    """
    assembly = assemble(blocks, _guess_kind(blocks, file_name))
    starts = _document_starts(blocks, assembly.tables)
    if not starts:
        return _document(blocks, assembly, source, file_name, warnings, scanned, ocr_done)
    documents = [
        _document(p.blocks, assemble(p.blocks, _guess_kind(p.blocks, file_name)), source, file_name,
                  warnings if n == 0 else [], p.scanned, p.ocr_done)
        for n, p in enumerate(_split(blocks, starts, scanned, ocr_done))
    ]
    for previous, start, following in zip(documents, starts, documents[1:]):
        previous.warnings.append(ParseWarning(
            "several_documents", f"文件包含多份文件，第 {start} 页起为另一份（{following.scope or ''}{following.kind or ''}）", page=start,
        ))
    head = documents[0]
    head.parts = documents[1:]
    return head


def _document(
    blocks: list[Block], assembly: Assembly, source: SourceInfo, file_name: str | None, warnings: list[ParseWarning],
    scanned: list[int], ocr_done: list[int],
) -> ParsedDocument:
    kind_hint = _guess_kind(blocks, file_name)
    tables = []
    warnings = list(warnings)
    for index, draft in enumerate(assembly.tables):
        table, table_warnings = best_reading(draft, index, kind_hint)
        tables.append(table)
        warnings.extend(table_warnings)
    sections, narrative_warnings = read_sections(assembly.narrative)
    warnings.extend(narrative_warnings)
    meta = read_metadata(assembly.narrative, tables, file_name)
    for table in tables:
        table.unit = table.unit or meta.unit
    if not tables and not sections:
        warnings.append(ParseWarning("nothing_read", "文件中未读到任何表格或文字"))
    elif not any(t.id for t in tables):
        warnings.append(ParseWarning("no_standard_table", "文件中没有识别出任何预决算标准表"))
    return ParsedDocument(
        source=source,
        kind=meta.kind,
        scope=meta.scope,
        year=meta.year,
        department=meta.department,
        unit=meta.unit,
        title=meta.title,
        tables=tables,
        sections=sections,
        warnings=warnings,
        scanned_pages=scanned,
        ocr_pages=ocr_done,
    )


def parse_bytes(
    data: bytes, file_name: str | None = None, *, ocr: bool = True, limits: InputLimits = LIMITS
) -> ParsedDocument:
    """Parse one disclosure file. Raises ``ParseError`` only when nothing is readable.

    ``ocr=False`` leaves scanned pages unread (a ``scanned_not_read`` warning) instead of
    running OCR, which costs seconds per page. A file holding several documents
    (部门 and 单位) gives the first, with the others in ``parts``. Input beyond
    ``limits`` is refused (``LimitExceeded``) before it is read.
    """
    check_size(len(data), limits)
    fmt = sniff_format(data)
    if fmt in ("xlsx", "docx"):
        check_zip(data, "Excel " if fmt == "xlsx" else "Word ", limits)
    warnings: list[ParseWarning] = []
    blocks, page_count, scanned, ocr_done = _read_blocks(data, fmt, warnings, ocr, limits)
    _check_text_length(blocks, limits)
    source = SourceInfo(
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        format=fmt,
        page_count=page_count,
        size=len(data),
    )
    return _documents(blocks, source, file_name, warnings, scanned, ocr_done)


def parse_file(path: str | Path, *, ocr: bool = True, limits: InputLimits = LIMITS) -> ParsedDocument:
    """Parse a file on disk: only a regular file within ``limits.file_bytes`` is read."""
    path = Path(path)
    return parse_bytes(read_regular_file(path, limits), file_name(path), ocr=ocr, limits=limits)
