"""Classification codes: detail deep enough (功能分类 to 项, 经济分类 to 款) and valid shapes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from analysis.findings import Category, Finding, Severity
from analysis.registry import Run, document_rule
from parsers.model import LineItem, ParsedDocument, ParsedTable

FUNCTION, ECONOMIC = "function", "economic"
# Full depth and valid lengths per classification (domain.md §3).
DEPTH = {FUNCTION: 7, ECONOMIC: 5}
LENGTHS = {FUNCTION: (3, 5, 7), ECONOMIC: (3, 5)}
# 功能分类 类 codes are 2xx; 经济分类 3xx (department set) or 5xx (government set).
FIRST_DIGITS = {FUNCTION: "2", ECONOMIC: "35"}
LEVEL_NAMES = {3: "类", 5: "款", 7: "项"}


def _classified_tables(doc: ParsedDocument, run: Run) -> Iterator[tuple[ParsedTable, str]]:
    """(table, classification) for the tables the rule file names."""
    for classification, param in ((FUNCTION, "function_tables"), (ECONOMIC, "economic_tables")):
        wanted = set(run.param(param, []) or [])
        for table in doc.tables:
            if table.id in wanted:
                yield table, classification


def _codes(table: ParsedTable) -> dict[str, LineItem]:
    """Each code's first item (codes of any shape, digits or not)."""
    found: dict[str, LineItem] = {}
    for item in table.items:
        if item.code:
            found.setdefault(item.code.strip(), item)
    return found


_CODE_CELL = re.compile(r"\d{3}(?:\d{2}){0,2}")


def _printed_codes(table: ParsedTable, classification: str) -> set[str]:
    """Codes of the items and codes printed first in a row: a line whose
    amount the parser could not attach still shows that its code exists."""
    printed = set(_codes(table))
    coded_rows = {item.row for item in table.items if item.code}
    for r, row in enumerate(table.rows):
        if r in coded_rows:
            continue  # its code is known (a split 类|款|项 row starts with its 类 only)
        first = next((c.strip() for c in row if c and c.strip()), "")
        if _CODE_CELL.fullmatch(first) and first[0] in FIRST_DIGITS[classification]:
            printed.add(first)
    return printed


@document_rule("codes.detail", Category.COMPLETENESS, Severity.MEDIUM, "科目未细化到规定级次")
def detail(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """A 类 or 款 line with money and no child line: 功能分类 must reach 项,
    经济分类 款."""
    for table, classification in _classified_tables(doc, run):
        depth = DEPTH[classification]
        codes, printed = _codes(table), _printed_codes(table, classification)
        amounts: dict[str, bool] = {}
        for item in table.items:
            if item.code:
                code = item.code.strip()
                amounts[code] = amounts.get(code, False) or item.amount != 0
        for code, item in codes.items():
            if not code.isdigit() or len(code) >= depth or not amounts.get(code):
                continue
            if any(len(other) > len(code) and other.startswith(code) for other in printed):
                continue
            level = LEVEL_NAMES.get(depth, "")
            yield run.emit(
                f"《{table.title}》科目 {code} {item.name} 有金额但未细化到{level}级",
                table_id=table.id,
                row_key=code,
                page=item.page,
                actual=item.amount,
            )


@document_rule("codes.invalid", Category.CONSISTENCY, Severity.LOW, "科目代码无效")
def invalid(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """Malformed codes (not digits, wrong length, wrong first digit) and, in
    tables that print parent lines, lines whose 类/款 parent is absent."""
    for table, classification in _classified_tables(doc, run):
        codes, printed = _codes(table), _printed_codes(table, classification)
        has_parents = any(len(c) < DEPTH[classification] for c in printed if c.isdigit())
        for code, item in codes.items():
            problem = _shape_problem(code, classification)
            if problem is None and has_parents and len(code) > 3:
                parent = code[:-2]
                if parent not in printed:
                    problem = f"其上级科目 {parent} 未列出"
            if problem:
                yield run.emit(
                    f"《{table.title}》科目代码“{code}”（{item.name}）无效：{problem}",
                    table_id=table.id,
                    row_key=code,
                    page=item.page,
                )


def _shape_problem(code: str, classification: str) -> str | None:
    if not re.fullmatch(r"\d+", code):
        return "含非数字字符"
    if len(code) not in LENGTHS[classification]:
        lengths = "/".join(map(str, LENGTHS[classification]))
        return f"位数为 {len(code)}，应为 {lengths} 位"
    if code[0] not in FIRST_DIGITS[classification]:
        return "类级代码不在该分类的范围内"
    return None
