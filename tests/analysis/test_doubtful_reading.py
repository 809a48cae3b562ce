"""A parser misreading is never a department's error: arithmetic findings on
tables the parser is unsure of, or whose figures look like an extraction
artefact, become parse-quality notes with their evidence."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from analysis import check_document, default_rules
from analysis.reading import DOUBTFUL_READING
from parsers.model import TableConfidence
from tests.analysis.builders import EXPENSE_ROWS, consistent_final, table, with_table


def _rows_with(code: str, column: str, value: str):  # noqa: ANN202
    return [(c, n, {**cells, column: value} if c == code else cells) for c, n, cells in EXPENSE_ROWS]


def _found(doc):  # noqa: ANN202
    findings = check_document(doc, default_rules())
    hierarchy = [f for f in findings if f.rule_id == "arithmetic.hierarchy" and f.table_id == "final_gpb_expense"]
    notes = [f for f in findings if f.rule_id == DOUBTFUL_READING]
    return hierarchy, notes


def test_an_error_on_a_confident_table_is_the_departments() -> None:
    doc = with_table(consistent_final(), table("final_gpb_expense", _rows_with("201", "basic", "580.00")))
    hierarchy, notes = _found(doc)
    assert {f.row_key for f in hierarchy} >= {"201"}
    assert notes == []


def test_the_same_error_on_a_doubtful_reading_is_a_parse_quality_note_with_evidence() -> None:
    doubtful = replace(
        table("final_gpb_expense", _rows_with("201", "basic", "580.00")),
        confidence=TableConfidence(score=0.4, identities_checked=5, identities_held=2, evidence=["201 580.00 ≠ Σ下级 584.73"]),
    )
    hierarchy, notes = _found(with_table(consistent_final(), doubtful))
    assert hierarchy == []
    note = next(f for f in notes if f.row_key.startswith("arithmetic.hierarchy:201"))
    assert note.category == "parse_quality" and note.severity == "low"
    assert "0.40" in note.message and "Σ下级" in note.message


def test_a_gap_of_orders_of_magnitude_is_an_artefact_even_on_a_confident_table() -> None:
    doc = with_table(consistent_final(), table("final_gpb_expense", _rows_with("2010301", "basic", "543970.00")))
    hierarchy, notes = _found(doc)
    assert [f for f in hierarchy if f.row_key == "20103"] == []
    assert any("数量级" in f.message for f in notes)


def test_an_expected_sum_printed_in_another_column_of_the_row_is_a_shifted_column() -> None:
    # 201's 基本支出 reads 594.73: the row's 合计, one column to the left
    doc = with_table(consistent_final(), table("final_gpb_expense", _rows_with("201", "basic", "594.73")))
    _hierarchy, notes = _found(doc)
    assert notes == [] or all("列错位" in f.message or "数量级" in f.message for f in notes)


def _gpb_basic_without_30201() -> object:
    """06 whose 302 no longer adds up: 30201 办公费 (286.18) is not read."""
    basic = next(t for t in consistent_final().tables if t.id == "final_gpb_basic")
    return replace(basic, items=[i for i in basic.items if i.code != "30201"])


def test_a_broken_code_hierarchy_on_a_table_with_unreadable_codes_is_a_parse_quality_note() -> None:
    from parsers.model import ParseWarning

    doc = with_table(consistent_final(), _gpb_basic_without_30201())
    findings = check_document(doc, default_rules())
    assert any(f.rule_id == "arithmetic.hierarchy" and f.row_key == "302" for f in findings)  # the department's, as read

    index = next(i for i, t in enumerate(doc.tables) if t.id == "final_gpb_basic")
    broken = ParseWarning("number_in_code_column", "科目代码列中的数字未计入金额：3020", page=7, table_index=index, raw="3020")
    findings = check_document(replace(doc, warnings=[*doc.warnings, broken]), default_rules())
    assert not any(f.rule_id == "arithmetic.hierarchy" and f.row_key == "302" for f in findings)
    note = next(f for f in findings if f.rule_id == DOUBTFUL_READING and f.row_key.startswith("arithmetic.hierarchy:302"))
    assert "3020" in note.message and "科目代码" in note.message


def test_a_comparison_with_a_doubtful_table_is_a_parse_quality_note() -> None:
    basic = next(t for t in consistent_final().tables if t.id == "final_gpb_basic")
    misread = [replace(i, amount=Decimal("197.46")) if i.code == "302" else i for i in basic.items]
    doc = with_table(consistent_final(), replace(basic, items=misread))  # 06 Σ类 now 100.00 short of 05's 基本支出
    assert any(f.rule_id == "arithmetic.cross_table" and f.row_key == "05基本支出=06合计"
               for f in check_document(doc, default_rules()))

    doubtful = replace(doc.table("final_gpb_basic"), confidence=TableConfidence(
        score=0.3, identities_checked=4, identities_held=1, evidence=["302 297.46 ≠ Σ下级 11.28"]))
    findings = check_document(with_table(doc, doubtful), default_rules())
    assert not any(f.rule_id == "arithmetic.cross_table" and f.row_key == "05基本支出=06合计" for f in findings)
    assert any(f.rule_id == DOUBTFUL_READING and f.row_key.startswith("arithmetic.cross_table:05基本支出") for f in findings)
