"""A small hand-built ParsedDocument for the storage tests."""

from __future__ import annotations

from decimal import Decimal

from parsers.model import (
    DocumentKind,
    LineItem,
    NarrativeFigure,
    ParsedDocument,
    ParsedTable,
    ParseWarning,
    Scope,
    Section,
    SourceInfo,
)

SHA_A = "a" * 64
SHA_B = "b" * 64


def make_parsed(sha256: str = SHA_A, *, amount: Decimal = Decimal("599.47"), warnings: bool = True) -> ParsedDocument:
    """A 决算 with one summary table (two amounts), an empty table, a section with a figure."""
    items = [
        LineItem("201", "一般公共服务支出", "total", "合计", amount, 3, 0, 2, str(amount)),
        LineItem("20103", "政府办公厅(室)及相关机构事务", "basic", "基本支出", Decimal("12345678.90"), 3, 1, 3, "12,345,678.90"),
    ]
    summary = ParsedTable(
        id="final_expenditure",
        title="支出决算表",
        label="公开03表",
        pages=[3],
        unit="万元",
        department="某某市财政局",
        year=2023,
        empty=False,
        empty_note=None,
        header=[["科目编码", "科目名称", "合计", "基本支出"], [None, None, "1", "2"]],
        columns=["code", "name", "total", "basic"],
        rows=[["201", "一般公共服务支出", "599.47", None], ["20103", "政府办公厅(室)及相关机构事务", None, "12345678.90"]],
        row_pages=[3, 3],
        items=items,
        notes=["注：本表金额保留两位小数。"],
    )
    empty = ParsedTable(
        id="final_gov_fund",
        title="政府性基金预算财政拨款收入支出决算表",
        label="公开07表",
        pages=[7],
        unit="万元",
        department=None,
        year=2023,
        empty=True,
        empty_note="本部门无政府性基金预算财政拨款收入，也无相应支出，故本表为空。",
        header=[],
        columns=[],
        rows=[],
        row_pages=[],
    )
    figure = NarrativeFigure(
        kind="rate",
        value=Decimal("-12.5"),
        unit="%",
        raw="下降12.5%",
        label="公务接待费",
        direction="减少",
        context="公务接待费支出较上年下降12.5%。",
        page=9,
        section="“三公”经费支出情况说明",
    )
    section = Section(heading="“三公”经费支出情况说明", level=1, page=9, text="公务接待费支出较上年下降12.5%。", figures=[figure])
    return ParsedDocument(
        source=SourceInfo(file_name="2023决算.pdf", sha256=sha256, format="pdf", page_count=10, size=1234),
        kind=DocumentKind.FINAL,
        scope=Scope.DEPARTMENT,
        year=2023,
        department="某某市财政局",
        unit="万元",
        title="某某市财政局2023年度部门决算",
        tables=[summary, empty],
        sections=[section],
        warnings=[ParseWarning("malformed_number", "无法识别的数字", page=3, table_index=0, row=1, column=2, raw="12,3")]
        if warnings
        else [],
    )
