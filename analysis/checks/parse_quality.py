"""Parse quality: extraction artefacts, kept apart from the department's errors."""

from __future__ import annotations

from collections.abc import Iterator

from analysis.findings import Category, Finding, Severity
from analysis.registry import Run, document_rule
from parsers.model import ParsedDocument


@document_rule("parse.scanned_unread", Category.PARSE_QUALITY, Severity.MEDIUM, "扫描页未识别")
def scanned_unread(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    unread = sorted(set(doc.scanned_pages) - set(doc.ocr_pages))
    if unread:
        yield run.emit(
            f"共 {len(unread)} 页为扫描图像且未经 OCR 识别（第 {', '.join(map(str, unread[:10]))} 页），无法检查其内容",
            page=unread[0],
        )


@document_rule("parse.warnings", Category.PARSE_QUALITY, Severity.LOW, "解析警告")
def warnings(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """One finding per warning code (unreadable cells, unknown tables, cid fonts …)."""
    by_code: dict[str, list] = {}
    for warning in doc.warnings:
        if warning.code in run.param("ignore_codes", []):
            continue
        by_code.setdefault(warning.code, []).append(warning)
    for code, found in sorted(by_code.items()):
        first = found[0]
        yield run.emit(
            f"解析警告“{code}”共 {len(found)} 处，例如：{first.message}",
            row_key=code,
            page=first.page,
        )


@document_rule("parse.unidentified_table", Category.PARSE_QUALITY, Severity.LOW, "表格未能识别")
def unidentified(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    for table in doc.tables:
        if table.id is None:
            yield run.emit(
                f"表格“{table.title}”未能对应到标准表",
                row_key=table.title,
                page=table.pages[0] if table.pages else None,
            )
