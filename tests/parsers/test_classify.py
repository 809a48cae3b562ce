"""The line classifier (named features → class + reason), the assembler's state
machine over its classes, words split at cell boundaries, and ``parse --explain``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from parsers.assemble import Step, assemble
from parsers.classify import LineClass, classify_line
from parsers.layout import TextLine, Word, grid_from_lines
from parsers.model import DocumentKind
from parsers.page_blocks import split_cells


def _line(text: str, page: int = 1, top: float = 0.0, xs: list[float] | None = None) -> TextLine:
    """A line whose words (split on spaces) sit at ``xs`` (default: 60 points apart)."""
    parts = text.split()
    xs = xs or [40.0 + 60 * i for i in range(len(parts))]
    words = [Word(p, x, x + 6 * len(p)) for p, x in zip(parts, xs)]
    return TextLine(text=text, page=page, top=top, words=words)


@pytest.mark.parametrize(
    ("text", "cls"),
    [
        ("公开01表", LineClass.LABEL),
        ("收入支出决算总表", LineClass.TITLE),
        ("部门：某某局 2023年度", LineClass.META),
        ("单位：万元", LineClass.META),
        ("注：本表反映部门收支。", LineClass.NOTE),
        ("说明：本单位无政府性基金收支，故本表为空。", LineClass.EMPTY_NOTE),
        ("201 一般公共服务支出 584.73 584.73", LineClass.ROW),
        ("一、 基本支出", LineClass.HEADING),
        ("项目 行次 金额", LineClass.HEADER),
        ("”", LineClass.PUNCT),
    ],
)
def test_each_class_from_its_feature(text: str, cls: LineClass) -> None:
    seen = classify_line([_line(text)], 0, DocumentKind.FINAL)
    assert seen.cls is cls, seen.reason
    assert seen.reason


def test_a_line_without_word_positions_is_narrative() -> None:
    line = TextLine(text="本部门2023年度收入合计599.47万元，比上年增加。", page=3)
    seen = classify_line([line], 0, DocumentKind.FINAL)
    assert seen.cls is LineClass.NARRATIVE and "plain text" in seen.reason


def test_a_title_broken_over_two_lines_spans_both() -> None:
    lines = [_line("一般公共预算财政拨款"), _line("支出决算表")]
    seen = classify_line(lines, 0, DocumentKind.FINAL)
    assert seen.cls is LineClass.TITLE and seen.span == 2 and seen.title == "一般公共预算财政拨款支出决算表"


def test_a_title_wrapped_in_a_narrow_cell_spans_its_three_lines() -> None:
    lines = [_line("项目支出"), _line("绩效自评"), _line("情况表"), _line("项目名称 人员工资")]
    seen = classify_line(lines, 0, DocumentKind.FINAL)
    assert seen.cls is LineClass.TITLE and seen.span == 3 and seen.title == "项目支出绩效自评情况表"


def test_a_row_above_a_title_is_no_part_of_it() -> None:
    """The tail of a wrapped row (1 | 心 | 2 …) above a table's title: three lines would
    spell a title, but a title wraps over more than two lines only word by word."""
    lines = [_line("1 心 2 2 2"), _line("预算03表"), _line("2024年单位支出预算表")]
    assert classify_line(lines, 0, DocumentKind.BUDGET).cls is not LineClass.TITLE


def test_a_table_opened_after_narrative_at_a_page_bottom_keeps_title_and_rows_of_both_pages() -> None:
    """Title, label, meta, header and first row on page 4, the body on page 5, no header repeated."""
    xs = [40.0, 200.0, 300.0]
    blocks = [
        TextLine(text="（三）支出情况说明，全年支出合计599.47万元。", page=4, top=10.0),
        _line("公开08表", 4, 600.0),
        _line("一般公共预算财政拨款支出决算表", 4, 615.0),
        _line("部门：某某局 单位：万元", 4, 630.0),
        _line("科目名称 本年支出 基本支出", 4, 650.0, xs),
        _line("合计 599.47 599.47", 4, 665.0, xs),
        _line("201一般公共服务支出 584.73 584.73", 5, 40.0, xs),
        _line("208社会保障和就业支出 14.74 14.74", 5, 55.0, xs),
    ]
    trace: list = []
    out = assemble(blocks, DocumentKind.FINAL, trace)
    (table,) = out.tables
    assert (table.title, table.label, table.unit) == ("一般公共预算财政拨款支出决算表", "公开08表", "万元")
    assert [r[1] for r in table.rows[1:]] == ["599.47", "584.73", "14.74"]
    assert table.row_pages == [4, 4, 5, 5]
    actions = [(s.seen.cls, s.action) for s in trace if isinstance(s, Step)]
    assert actions[1] == (LineClass.LABEL, "label of the next title")
    assert actions[2] == (LineClass.TITLE, "opens a table")


def _word(text: str, x: float, gaps: dict[int, float], width: float = 4.4) -> dict:
    chars, left = [], x
    for i, ch in enumerate(text):
        left += gaps.get(i, 0.0)
        chars.append({"text": ch, "x0": left, "x1": left + width})
        left += width
    return {"text": text, "x0": chars[0]["x0"], "x1": chars[-1]["x1"], "top": 0.0, "bottom": 8.0, "chars": chars}


def test_words_run_over_two_cells_are_split_where_no_printed_text_has_a_gap() -> None:
    # 行次 39 right-aligned against 6.52: 1.5 points of cell padding between two digits
    assert [w["text"] for w in split_cells(_word("396.52", 0, {2: 1.5}))] == ["39", "6.52"]
    # an amount against the next column's label
    assert [w["text"] for w in split_cells(_word("0.00八、社会保障", 0, {4: 1.5}))] == ["0.00", "八、社会保障"]
    # a year spaced from 年 (CJK typesetting), digits spread out letter by letter: one word
    assert [w["text"] for w in split_cells(_word("2017年度", 0, {4: 2.5}))] == ["2017年度"]
    assert [w["text"] for w in split_cells(_word("35869", 0, {1: 1.2, 2: 1.2, 3: 1.2, 4: 1.2}))] == ["35869"]


def test_a_row_number_printed_against_its_amount_is_its_own_column() -> None:
    lines = [
        _line("一、一般公共预算财政拨款收入 1 599.47", xs=[40.0, 225.0, 228.0]),
        _line("二、政府性基金预算财政拨款收入 2 10.00", xs=[40.0, 225.0, 240.0]),
        _line("三、国有资本经营预算财政拨款收入 3 0.00", xs=[40.0, 225.0, 246.0]),
    ]
    for line in lines:  # the 行次 ends 1.5 points before the amount column starts
        line.words[1] = Word(line.words[1].text, 220.0, 226.5)
        line.words[2] = Word(line.words[2].text, 228.0, 228.0 + 4.4 * len(line.words[2].text))
    grid = grid_from_lines(lines)
    assert grid is not None
    assert [row[1:] for row in grid.rows] == [["1", "599.47"], ["2", "10.00"], ["3", "0.00"]]


def test_parse_explain_prints_class_and_reason_per_line_of_one_page(tmp_path: Path, seeds_dir: Path) -> None:
    from budgetwatch.cli import app
    from demo.render_pdf import UNRULED, render_pdf
    from demo.seeds import load_seed

    pdf = tmp_path / "seed.pdf"
    manifest = render_pdf(load_seed(sorted(seeds_dir.glob("000_*.txt"))[0]), pdf, UNRULED)
    page = manifest.placement("final_income").pages[0]
    result = CliRunner().invoke(app, ["parse", str(pdf), "--explain", "--page", str(page)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()[1:]
    assert lines and all(line.startswith(f"p{page}") for line in lines)
    rows = [line.split(None, 3) for line in lines]
    by_text = {line.rpartition(" | ")[2]: (cls, state, line) for line, (_p, cls, state, _rest) in zip(lines, rows)}
    assert by_text["收入决算表"][0] == "title"
    assert "opens a table" in by_text["收入决算表"][2]
    meta = next(v for k, v in by_text.items() if k.startswith("部门"))
    assert meta[:2] == ("meta", "head") and "states department" in meta[2]
    total = next(v for k, v in by_text.items() if k.startswith("合计"))
    assert total[0] == "row" and "≥2 figures → unruled table line" in total[2]
    note = next(v for k, v in by_text.items() if k.startswith("注"))
    assert note[0] == "note" and "note of the table" in note[2]
    other = CliRunner().invoke(app, ["parse", str(pdf), "--explain", "--page", "999"])
    assert other.exit_code == 1 and "没有文字行" in other.output


def test_header_cells_printed_close_together_are_a_header_not_narrative() -> None:
    """Producers that pad cells by a point print a header row as one long word;
    without sentence punctuation it is no narrative, and does not close the table."""
    glued = _line("科目名称本年收入合计财政拨款收入上级补助收入事业收入经营收入附属单位上缴收入其他收入")
    assert classify_line([glued], 0, DocumentKind.FINAL).cls is LineClass.HEADER
    sentence = _line("本年收入合计599.47万元，其中：财政拨款收入599.47万元，占总收入的100%，比上年增加。")
    assert classify_line([sentence], 0, DocumentKind.FINAL).cls is not LineClass.HEADER
