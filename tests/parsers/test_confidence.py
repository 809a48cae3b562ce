"""A table's confidence: its own arithmetic, its keyed columns, its unplaced figures."""

from __future__ import annotations

from decimal import Decimal

from parsers.assemble import TableDraft
from parsers.confidence import table_confidence
from parsers.model import DocumentKind, document_from_jsonable, to_jsonable
from parsers.tables import build_table

HEADER = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]


def _table(rows: list[list[str | None]], unplaced: int = 0):  # noqa: ANN202 - ParsedTable
    draft = TableDraft(title="支出决算表", page=1, rows=[HEADER, *rows], row_pages=[1] * (len(rows) + 1), unplaced=unplaced)
    table, _warnings = build_table(draft, 0, DocumentKind.FINAL)
    return table


FOOTING = [
    ["", "合计", "30.00", "20.00", "10.00"],
    ["201", "一般公共服务支出", "30.00", "20.00", "10.00"],
    ["20101", "人大事务", "30.00", "20.00", "10.00"],
    ["2010101", "行政运行", "18.00", "18.00", "0.00"],
    ["2010102", "一般行政管理事务", "12.00", "2.00", "10.00"],
]


def test_a_table_whose_identities_hold_is_confident() -> None:
    confidence = _table(FOOTING).confidence
    assert confidence.score == 1.0
    assert confidence.identities_checked >= 10 and confidence.identities_held == confidence.identities_checked
    assert confidence.evidence == []


def test_cells_shifted_by_one_column_break_the_identities_and_say_which() -> None:
    shifted = [row[:] for row in FOOTING]
    shifted[3] = ["2010101", "行政运行", None, "18.00", "18.00"]  # 基本 under 项目, 合计 under 基本
    shifted[4] = ["2010102", "一般行政管理事务", None, "12.00", "2.00"]
    confidence = _table(shifted).confidence
    assert confidence.score < 0.8
    assert confidence.identities_held < confidence.identities_checked
    assert any("Σ下级" in why for why in confidence.evidence)


def test_figures_left_out_of_every_cell_lower_the_confidence() -> None:
    assert _table(FOOTING, unplaced=30).confidence.score < _table(FOOTING).confidence.score


def test_amounts_in_yuan_foot_to_the_yuan() -> None:
    table = _table([
        ["", "合计", "1001", "1001", "0"],
        ["201", "一般公共服务支出", "1001", "1001", "0"],
        ["20101", "人大事务", "1001", "1001", "0"],
        ["2010101", "行政运行", "500", "500", "0"],
        ["2010102", "一般行政管理事务", "502", "502", "0"],  # rounded to the 元: off by one
    ])
    assert table.confidence.identities_held == table.confidence.identities_checked


def test_confidence_survives_the_json_form() -> None:
    from parsers.model import ParsedDocument, SourceInfo

    doc = ParsedDocument(SourceInfo("a.pdf", "0" * 64, "pdf", 1, 1), None, None, None, None, None, None, tables=[_table(FOOTING)])
    again = document_from_jsonable(to_jsonable(doc))
    assert again.tables[0].confidence == doc.tables[0].confidence
    assert again.tables[0].items[0].amount == Decimal("30.00")


def test_no_identity_to_check_is_no_doubt() -> None:
    assert table_confidence([]).score == 1.0
