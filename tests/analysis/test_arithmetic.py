from decimal import Decimal

from parsers.column_contract import contract_keys

from tests.analysis.builders import (
    EXPENSE_ROWS,
    SOME_3P,
    basic_detail,
    consistent_final,
    fired,
    summary_table,
    table,
    three_public_table,
    with_table,
)


def _rows_with(code, column, value):
    return [(c, n, {**cells, column: value} if c == code else cells) for c, n, cells in EXPENSE_ROWS]


def test_hierarchy_flags_a_class_that_is_not_the_sum_of_its_items():
    doc = with_table(consistent_final(), table("final_gpb_expense", _rows_with("201", "basic", "580.00")))
    found = fired(doc, "arithmetic.hierarchy")
    keys = {(f.row_key, f.column_key) for f in found}
    assert ("201", "basic") in keys  # 201 ≠ 20103
    assert ("合计", "basic") in keys  # 合计 ≠ Σ 类
    f = next(f for f in found if f.row_key == "201")
    assert f.expected == Decimal("584.73") and f.actual == Decimal("580.00")
    assert f.table_id == "final_gpb_expense" and f.page == 1
    # The cells compared: the class's own figure, then its items (the evidence page outlines them all).
    assert f.cells[0].amount == f.actual and sum(c.amount for c in f.cells[1:]) == f.expected
    assert len({(c.page, c.row, c.column) for c in f.cells}) == len(f.cells) >= 2


def test_hierarchy_tolerates_rounding_tails():
    doc = with_table(consistent_final(), table("final_gpb_expense", _rows_with("2010301", "basic", "543.98")))
    # one summand off by 0.01 against a 3-summand parent is a rounding tail
    assert fired(doc, "arithmetic.hierarchy") == []


def test_row_total_flags_total_unequal_to_components():
    doc = with_table(consistent_final(), table("final_expense", _rows_with("2010303", "project", "12.00")))
    found = fired(doc, "arithmetic.row_total")
    assert [(f.row_key, f.expected, f.actual) for f in found] == [("2010303", Decimal("23.95"), Decimal("21.95"))]
    assert found[0].cells[0].amount == found[0].actual and sum(c.amount for c in found[0].cells[1:]) == found[0].expected
    assert {c.row for c in found[0].cells} == {found[0].cells[0].row}  # one row: total and its columns


def test_summary_flags_unbalanced_totals_and_class_lines():
    doc = with_table(consistent_final(), summary_table(carry_in="5.00"))
    found = fired(doc, "arithmetic.summary")
    assert {f.row_key for f in found} == {"收入总计=支出总计"}
    assert found[0].expected == Decimal("609.47") and found[0].actual == Decimal("614.47")


def test_cross_table_flags_income_table_disagreeing_with_summary():
    doc = with_table(consistent_final(), table("final_income", [(None, "合计", {"income": "600.00", "fiscal": "600.00"})]))
    found = fired(doc, "arithmetic.cross_table")
    assert [(f.row_key, f.expected, f.actual) for f in found] == [
        ("01本年收入合计=02合计", Decimal("600.00"), Decimal("609.47"))
    ]
    # Both printed figures, one in each table.
    assert [c.amount for c in found[0].cells] == [Decimal("609.47"), Decimal("600.00")]


def test_cross_table_flags_basic_detail_disagreeing_with_gpb_expense():
    detail = basic_detail()
    detail.items[0] = detail.items[0].__class__(**{**detail.items[0].__dict__, "amount": Decimal("281.36")})
    found = fired(with_table(consistent_final(), detail), "arithmetic.cross_table")
    assert {f.row_key for f in found} == {"05基本支出=06合计", "06人员经费+公用经费=Σ类"}


def test_three_public_sums_flag_wrong_total():
    broken = {**SOME_3P, "total": "14.50"}
    found = fired(with_table(consistent_final(), three_public_table(SOME_3P, broken)), "arithmetic.three_public")
    assert [(f.row_key, f.column_key, f.expected) for f in found] == [("total", "final.total", Decimal("13.50"))]


def test_three_public_detail_flags_detail_above_three_public():
    smaller = {**SOME_3P, "reception": "1.00", "total": "13.22"}
    found = fired(with_table(consistent_final(), three_public_table(SOME_3P, smaller)), "arithmetic.three_public_detail")
    assert [(f.row_key, f.expected, f.actual) for f in found] == [("30217", Decimal("1.00"), Decimal("1.28"))]


def test_fund_balance_flags_unbalanced_fund_row():
    fund = table(
        "final_gov_fund",
        [("2120801", "征地补偿", {"carry_in": "5.00", "income": "10.00", "total": "12.00", "basic": "0.00",
                                "project": "12.00", "carry_out": "4.00"})],
    )
    found = fired(with_table(consistent_final(), fund), "arithmetic.fund_balance")
    assert [(f.expected, f.actual) for f in found] == [(Decimal("3.00"), Decimal("4.00"))]


def test_fund_balance_with_keys_as_the_parser_gives_them():
    """本年收入 alone and 本年支出 | 小计/项目支出 (seed 004's 07 table) read
    income./expense. from their header words; the table has one side, so the
    parser's column contract keys them as the 本年收入 and 本年支出 columns."""
    columns = ["科目代码", "科目名称", "年初结转和结余", "本年收入", "本年支出/小计", "本年支出/项目支出", "年末结转和结余"]
    keys = contract_keys("final_gov_fund", ["carry_in", "income.total", "expense.total", "expense.project", "carry_out"],
                         columns[2:])
    assert keys == ["carry_in", "income", "total", "project", "carry_out"]
    fund = table(
        "final_gov_fund",
        [("2120801", "征地补偿", dict(zip(keys, ["5.00", "10.00", "12.00", "12.00", "4.00"])))],
        columns=columns,
    )
    found = fired(with_table(consistent_final(), fund), "arithmetic.fund_balance")
    assert [(f.expected, f.actual, f.column_key) for f in found] == [(Decimal("3.00"), Decimal("4.00"), "carry_out")]


def test_cross_table_reads_a_gpb_expense_table_headed_benianzhichu():
    """05 printed 本年支出 | 小计 | 基本支出 | 项目支出 (seeds 002-004): its 基本支出
    合计 must still meet 06."""
    columns = ["科目代码", "科目名称", "本年支出/小计", "本年支出/基本支出", "本年支出/项目支出"]
    keys = dict(zip(["total", "basic", "project"], contract_keys(
        "final_gpb_expense", ["expense.total", "expense.basic", "expense.project"], columns[2:])))
    rows = [(c, n, {keys[k]: v for k, v in cells.items()}) for c, n, cells in EXPENSE_ROWS]
    agreeing = with_table(consistent_final(), table("final_gpb_expense", rows, columns=columns))
    assert fired(agreeing, "arithmetic.cross_table") == []
    detail = basic_detail()
    detail.items[0] = detail.items[0].__class__(**{**detail.items[0].__dict__, "amount": Decimal("281.36")})
    found = fired(with_table(agreeing, detail), "arithmetic.cross_table")
    assert "05基本支出=06合计" in {f.row_key for f in found}
