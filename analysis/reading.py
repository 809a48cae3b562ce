"""A parser misreading is never a department's error.

An arithmetic finding stands as the department's only when the parser is
confident of the table it is about (``ParsedTable.confidence``, from the
table's own identities and columns) and the figures do not look like an
extraction artefact: a gap of orders of magnitude, an expected sum that
another column of the same row prints (cells shifted by a column), or a code
hierarchy in a table some of whose codes could not be read. A comparison
between two tables needs both to be read with confidence. Otherwise
the finding becomes a parse-quality note that keeps its evidence.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from analysis.findings import Category, Finding, Severity
from analysis.tables import norm_label
from parsers.model import ParsedDocument, ParsedTable
from parsers.tolerances import TOLERANCES

__all__ = ["DOUBTFUL_READING", "separate_artefacts"]

DOUBTFUL_READING = "parse.doubtful_reading"
_GATED = (Category.CONSISTENCY,)
_MAGNITUDE = Decimal(100)
_BETWEEN_TABLES = frozenset({"arithmetic.cross_table"})
_BY_CODES = frozenset({"arithmetic.hierarchy", "arithmetic.cross_table"})  # rules summing by 科目代码


def _table(doc: ParsedDocument, table_id: str | None) -> ParsedTable | None:
    if not table_id:
        return None
    return next((t for t in doc.tables if t.id == table_id or (t.id is None and t.title == table_id)), None)


def _tables_compared(doc: ParsedDocument, finding: Finding) -> list[ParsedTable]:
    """The tables a finding is about: its own, and for a comparison between two tables
    the other one, which the cross-table rules name in ``column_key``."""
    named = [finding.table_id, finding.column_key if finding.rule_id in _BETWEEN_TABLES else None]
    return [table for table_id in named if (table := _table(doc, table_id)) is not None]


def _broken_codes(doc: ParsedDocument, table: ParsedTable) -> list[str]:
    """Cells of the table's code columns the parser could not read as 科目代码 (a code
    broken by wrapping: 3020 | 2)."""
    index = next((i for i, t in enumerate(doc.tables) if t is table), None)
    return [w.raw or "" for w in doc.warnings if w.code == "number_in_code_column" and w.table_index == index]


def _artefact(doc: ParsedDocument, finding: Finding, table: ParsedTable) -> str | None:
    """Why the figures of a finding look like a misreading, or None."""
    actual, expected = finding.actual, finding.expected
    if actual is not None and expected is not None and actual and expected:
        ratio = abs(actual / expected)
        if ratio >= _MAGNITUDE or ratio <= 1 / _MAGNITUDE:
            return f"两数相差两个数量级以上（{actual} 与 {expected}）"
    if expected is not None and expected and finding.row_key:
        row = [i for i in table.items if i.code == finding.row_key or norm_label(i.name) == finding.row_key]
        rows = {i.row for i in row}
        for item in table.items:
            if item.row in rows and item.column_key != finding.column_key and item.amount == expected:
                others = [i.amount for i in table.items if i.row == item.row
                          and i.column_key not in (finding.column_key, item.column_key)]
                if not any(others):
                    continue  # the other summands are zero or unprinted: the sum rightly equals its one part
                return f"应有数 {expected} 正是同行“{item.column_label}”列的数字，疑似列错位"
    if finding.rule_id in _BY_CODES:
        broken = _broken_codes(doc, table)
        if broken:
            return f"科目代码未能完整读出（{'、'.join(broken[:3])}），上下级关系不可靠"
    c = table.confidence
    layout = min(c.amounts_keyed / c.amounts if c.amounts else 1.0, 1.0 - c.unplaced / (c.amounts + c.unplaced or 1))
    held = (c.identities_held + 1) / (c.identities_checked + 2) if c.identities_checked else 1.0
    if layout < TOLERANCES.confident or held < TOLERANCES.identities_doubtful:
        evidence = "；".join(table.confidence.evidence[:3]) or "列名未能识别"
        return f"解析可信度 {table.confidence.score:.2f}（{evidence}）"
    return None


def separate_artefacts(doc: ParsedDocument, findings: list[Finding]) -> list[Finding]:
    """Findings with those that look like misreadings turned into parse-quality notes,
    and a message repeated word for word reported once."""
    out: list[Finding] = []
    messages: set[object] = set()
    for finding in findings:
        tables = _tables_compared(doc, finding) if finding.category in _GATED else []
        why = next((why for table in tables if (why := _artefact(doc, finding, table))), None)
        if why:
            finding = replace(
                finding,
                rule_id=DOUBTFUL_READING,
                category=Category.PARSE_QUALITY,
                severity=Severity.LOW,
                message=f"疑似解析问题，未作为部门问题报告：{finding.message}（依据：{why}）",
                row_key=f"{finding.rule_id}:{finding.row_key or ''}",
            )
        # A misreading repeats itself word for word across rows; a department's findings are one per fingerprint.
        key = (finding.rule_id, finding.message) if finding.category == Category.PARSE_QUALITY else finding.fingerprint
        if key in messages:
            continue
        messages.add(key)
        out.append(finding)
    return out
