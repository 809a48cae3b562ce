"""A parser misreading is never a department's error: arithmetic findings on
tables the parser is unsure of, or whose figures look like an extraction
artefact, become parse-quality notes with their evidence."""

from __future__ import annotations

from dataclasses import replace

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
