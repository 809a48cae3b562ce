"""Tables printed without ruling lines, rebuilt from word positions: the
mechanisms the producer matrix needed, each on the smallest page that shows it.

Words are placed by hand (x in points, 6 points a character) the way the
matrix's producers print them: amounts right-aligned, codes and labels
left-aligned, headings centred, cells vertically centred in their row.
"""

from __future__ import annotations

from parsers.assemble import assemble
from parsers.layout import TextLine, Word, grid_from_lines, realign_grid
from parsers.model import DocumentKind
from parsers.pdf_source import _without_page_numbers
from parsers.unruled_header import header_readings


def _at(page: int, top: float, *words: tuple[str, float]) -> TextLine:
    """A line of words, each starting at its x."""
    placed = [Word(text, x, x + 6 * len(text)) for text, x in words]
    return TextLine(text=" ".join(text for text, _x in words), page=page, top=top, words=placed)


def _right(text: str, x1: float) -> tuple[str, float]:
    """A word right-aligned at ``x1``."""
    return text, x1 - 6 * len(text)


def test_a_code_wrapped_above_and_below_its_centred_row_is_joined_back() -> None:
    """30201 wraps in a narrow code cell (3020 | 1) while the rest of its row prints
    between its two halves: one row, one code, no stray rows of digits."""
    lines = [
        _at(1, 100, ("科目代码", 40), ("科目名称", 100), ("决算数", 220), ("基本支出", 290)),
        _at(1, 120, ("301", 40), ("工资福利支出", 100), _right("291.36", 250), _right("291.36", 320)),
        _at(1, 135, ("3020", 40)),
        _at(1, 140, ("基本工资", 100), _right("24.71", 250), _right("24.71", 320)),
        _at(1, 145, ("1", 40)),
    ]
    grid = grid_from_lines(lines)
    assert grid is not None
    assert [row[0] for row in grid.rows[1:]] == ["301", "30201"]
    assert grid.rows[2][1:] == ["基本工资", "24.71", "24.71"]


def test_a_lone_number_between_rows_is_no_page_number() -> None:
    """A page number is a lone number above or below everything else of its page."""
    blocks = [
        _at(1, 100, ("301", 40), ("工资福利支出", 100), _right("291.36", 250)),
        _at(1, 110, ("2", 40)),
        _at(1, 120, ("302", 40), ("商品和服务支出", 100), _right("297.46", 250)),
        _at(1, 800, ("3", 300)),
    ]
    kept = _without_page_numbers(blocks)
    assert [b.text for b in kept] == [b.text for b in blocks[:3]]


def test_a_sequence_row_numbers_columns_that_print_no_figure() -> None:
    """三公: one row of figures with empty columns between, headings spread letter by
    letter; the 栏次 row (1 … 6) still names six columns, each amount under its own
    (right-aligned, not under the centred number's neighbour)."""
    headings = ["合计", "出国费", "小计", "购置费", "运行费", "接待费"]
    centres = [70, 150, 230, 310, 390, 470]
    # headings spread letter by letter (as a browser justifies a narrow cell): every letter
    # is a word of its own, over no figure
    letters = [(ch, c - 15 + 10 * i) for h, c in zip(headings, centres) for i, ch in enumerate(h)]
    lines = [
        TextLine(text=" ".join(ch for ch, _x in letters), page=1, top=100,
                 words=[Word(ch, x, x + 6) for ch, x in letters]),
        _at(1, 115, *((str(n), c - 3) for n, c in zip(range(1, 7), centres))),
        _at(1, 130, _right("2.30", 105), _right("1.79", 265), _right("1.79", 425), _right("0.51", 505)),
    ]
    grid = grid_from_lines(lines)
    assert grid is not None
    assert grid.rows[-1] == ["2.30", None, "1.79", None, "1.79", "0.51"]


def test_a_table_of_one_row_of_figures_takes_its_columns_from_its_lowest_headings() -> None:
    """Without a 栏次 row, one row of figures shows four of six columns: the lowest
    heading over each column places the amounts (公务用车购置及运行费 is a group)."""
    lines = [
        _at(1, 100, ("“三公”经费合计", 40), ("因公出国(境)费", 140), ("公务用车购置及运行费", 250), ("公务接待费", 470)),
        _at(1, 115, ("小计", 240), ("公务用车购置费", 290), ("公务用车运行费", 380)),
        _at(1, 130, _right("4.00", 100), _right("3.00", 275), _right("3.00", 435), _right("1.00", 520)),
    ]
    grid = grid_from_lines(lines)
    assert grid is not None
    assert grid.rows[-1] == ["4.00", None, "3.00", None, "3.00", "1.00"]


def _two_sided_summary(second_page_head: list[TextLine], one_figure_row: bool = True) -> list[TextLine]:
    xs = {"income": 40, "amount": 250, "expense": 260, "spent": 470}
    return [
        _at(1, 60, ("收支决算总表", 200)),
        _at(1, 80, ("收入", 120), ("支出", 360)),
        _at(1, 95, ("项目", 120), ("金额", 230), ("项目", 330), ("金额", 450)),
        _at(1, 110, ("一、一般公共预算财政拨款收入", xs["income"]), _right("512.02", xs["amount"]),
            ("一、一般公共服务支出", xs["expense"]), _right("417.76", xs["spent"])),
        *second_page_head,
        *([_at(2, 60, ("其中：财政拨款", xs["income"]), _right("512.02", xs["amount"]), ("二、外交", xs["expense"]))]
          if one_figure_row else []),
        _at(2, 75, ("二、政府性基金预算拨款收入", xs["income"]), ("三、国防", xs["expense"])),
        _at(2, 90, ("十一、节能环保", xs["expense"])),
        _at(2, 105, ("收入总计", xs["income"]), _right("512.02", xs["amount"]),
            ("支出总计", xs["expense"]), _right("512.02", xs["spent"])),
    ]


def test_a_continuation_page_keeps_its_rows_without_figures_after_a_repeated_header() -> None:
    """The header printed again on page 2 is skipped by its words; the rows after it,
    with one figure or none (二、政府性基金预算拨款收入 | 三、国防), stay rows."""
    repeated = [_at(2, 30, ("收入", 120), ("支出", 360)), _at(2, 45, ("项目", 120), ("金额", 230), ("项目", 330), ("金额", 450))]
    (table,) = assemble(_two_sided_summary(repeated), DocumentKind.FINAL).tables
    labels = [row[0] for row in table.rows if row[0]]
    assert "收入" not in labels[2:] and "其中：财政拨款" in labels and "收入总计" in labels
    assert any(row[2] == "三、国防" for row in table.rows)


def test_a_continuation_page_without_its_header_starts_with_rows_on_its_columns() -> None:
    """No header on page 2: a first line whose words start where the table's columns
    start is a row without figures, not a heading of the text closing the table."""
    (table,) = assemble(_two_sided_summary([], one_figure_row=False), DocumentKind.FINAL).tables
    assert table.rows[-1][0] == "收入总计"
    assert any(row[0] == "二、政府性基金预算拨款收入" and row[2] == "三、国防" for row in table.rows)


def test_a_heading_centred_over_two_runs_of_columns_gives_a_reading_for_each() -> None:
    """基本支出 is printed as well centred over 人员经费 | 公用经费 as over 合计 … 项目支出
    (whose headings, tall cells, print lower): a reading for each run, the better
    centred first; ``tables.best_reading`` judges them by the table's arithmetic."""
    header = [
        _at(1, 60, ("基本支出", 191)),
        _at(1, 70, ("合计", 52), ("项目支出", 316)),
        _at(1, 80, ("人员经费", 146), ("公用经费", 226)),
    ]
    spans = [(64.0, 100.0), (150.0, 180.0), (230.0, 260.0), (310.0, 340.0)]
    groups = [
        next((c, row.count(None) + 1) for c, cell in enumerate(row) if cell == "基本支出")
        for reading in header_readings(header, spans)
        for row in reading.rows
        if "基本支出" in row
    ]
    assert groups[:2] == [(0, 4), (1, 2)]


def test_merged_header_cells_keep_their_columns_when_moved_onto_a_finer_grid() -> None:
    """A header whose first rows end a page on a coarser ruling (人员经费 over three
    columns, 公用经费 over two) realigned onto the next page's columns."""
    rows = [["合计", "人员经费", None, "公用经费"], ["", "小计", "工资", ""]]
    coarse = [(0.0, 50.0), (50.0, 200.0), (200.0, 250.0), (250.0, 350.0)]
    fine = [(0.0, 50.0), (50.0, 100.0), (100.0, 150.0), (150.0, 200.0), (200.0, 250.0), (250.0, 300.0), (300.0, 350.0)]
    realigned, origins = realign_grid(rows, coarse, fine, {})
    assert realigned[0][1] == "人员经费" and realigned[0][5] == "公用经费"
    assert [origins.get((0, c)) for c in (2, 3, 4)] == [(0, 1)] * 3
    assert origins.get((0, 6)) == (0, 5)
