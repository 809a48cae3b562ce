"""build_table on small printed grids: what a table's cells become."""

from __future__ import annotations

from decimal import Decimal

from parsers.assemble import TableDraft
from parsers.model import DocumentKind
from parsers.tables import build_table


def _build(rows: list[list[str | None]]):  # noqa: ANN202 - ParsedTable
    draft = TableDraft(title="支出决算表", page=1, rows=rows, row_pages=[1] * len(rows))
    table, _warnings = build_table(draft, 0, DocumentKind.FINAL)
    return table


def test_split_code_columns_are_joined_when_类款项_is_printed_beside_合计():
    # real PDF 01: the 类 | 款 | 项 labels share the first body row with 合计
    table = _build([
        ["科目编码", "科目编码", "科目编码", "科目名称", "合计"],
        ["类", "款", "项", "合计", "5.00"],
        ["201", "6", "1", "行政运行", "5.00"],
    ])
    assert [(i.code, i.name, i.column_key, i.amount) for i in table.items] == [
        (None, "合计", "total", Decimal("5.00")),
        ("2010601", "行政运行", "total", Decimal("5.00")),
    ]


def test_row_numbers_counting_up_are_no_amounts():
    table = _build([
        ["项目", "", "金额"],
        ["一、一般公共预算财政拨款收入", "1", "599.47"],
        ["二、政府性基金预算财政拨款收入", "2", "0.00"],
        ["三、国有资本经营预算财政拨款收入", "3", "0.00"],
    ])
    assert sorted(i.amount for i in table.items) == [Decimal("0.00"), Decimal("0.00"), Decimal("599.47")]


def test_column_keys_are_decided_once_by_the_table_they_belong_to():
    """本年支出 over 基本支出 | 项目支出 is a side on a two-sided summary only: the
    checks, the database and ``parse --json`` all read ``basic`` here."""
    table = _build([
        ["科目编码", "科目名称", "本年支出", "本年支出", "本年支出"],
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["201", "一般公共服务支出", "5.00", "3.00", "2.00"],
    ])
    assert [i.column_key for i in table.items] == ["total", "basic", "project"]


def test_code_cells_keep_their_printed_text_in_rows():
    table = _build([
        ["类", "款", "项", "科目名称", "合计"],
        ["201", "03", "01", "行政运行", "5.00"],
    ])
    assert table.rows[0][:3] == ["201", "03", "01"]
    assert [(i.code, i.amount) for i in table.items] == [("2010301", Decimal("5.00"))]


def _two_readings(first_header: list[str | None], second_header: list[str | None]) -> TableDraft:
    """An unruled 支出决算表 whose header was read two ways; the body is the same."""
    from parsers.layout import HeaderRows

    body = [
        ["201", "一般公共服务支出", "30.00", "20.00", "10.00"],
        ["20101", "人大事务", "30.00", "20.00", "10.00"],
    ]
    first = HeaderRows([first_header], {})
    return TableDraft(
        title="支出决算表", page=1, rows=[first_header, *body], row_pages=[1] * 3,
        header=first, other_headers=[HeaderRows([second_header], {})],
    )


def test_of_several_header_readings_the_one_whose_row_totals_hold_is_kept():
    from parsers.tables import best_reading

    # read by position, the 基本/项目 headings landed one column off: 合计 20.00 ≠ 基本 30.00 + 项目 10.00
    shifted = ["科目编码", "科目名称", "基本支出", "合计", "项目支出"]
    printed = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    table, _ = best_reading(_two_readings(shifted, printed), 0, DocumentKind.FINAL)
    assert {(i.code, i.column_key, i.amount) for i in table.items if i.code == "201"} == {
        ("201", "total", Decimal("30.00")), ("201", "basic", Decimal("20.00")), ("201", "project", Decimal("10.00")),
    }
    assert table.confidence.identities_checked and table.confidence.identities_checked == table.confidence.identities_held


def test_a_reading_that_keys_two_columns_alike_does_not_win_by_checking_less():
    from parsers.tables import best_reading

    printed = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    doubled = ["科目编码", "科目名称", "合计", "基本支出", "基本支出"]  # no row total can be checked
    table, _ = best_reading(_two_readings(doubled, printed), 0, DocumentKind.FINAL)
    assert sorted({i.column_key for i in table.items}) == ["basic", "project", "total"]


def test_a_column_of_codes_broken_by_wrapping_is_no_amount_column():
    # LibreOffice wraps 30202 in a narrow unruled cell: 3020 | 2; the column still holds codes
    table = _build([
        ["科目代码", "科目名称", "决算数", "科目代码", "科目名称", "决算数"],
        ["301", "工资福利支出", "291.36", "302", "商品和服务支出", "297.46"],
        ["30101", "基本工资", "24.71", "30201", "办公费", "115.14"],
        ["30102", "津贴补贴", "19.23", "3020", "印刷费", "16.62"],
        ["30103", "奖金", "19.26", "3020", "咨询费", "0.00"],
        ["30106", "伙食补助费", "0.00", "3020", "手续费", "0.00"],
    ])
    assert {i.amount for i in table.items if i.column == 3} == set()
    assert [(i.code, i.amount) for i in table.items if i.column == 5][:2] == [("302", Decimal("297.46")), ("30201", Decimal("115.14"))]
