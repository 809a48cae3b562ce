"""Performance self-evaluation attachments (绩效自评表) read as typed records.

部门整体支出绩效自评表, 项目支出绩效自评表 and 项目自评汇总表 are printed as
key/value grids rather than column tables: merged label cells leave blanks
and shift a row's cells, so a figure is found by its place among the row's
printed values (the 执行率 percentage anchors the money line; 分值 and 得分
are the first two plain numbers of an indicator line), never by a fixed
column. Every value keeps its page, row and column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from parsers.model import ParsedDocument, ParsedTable
from parsers.registry import identify_attachment

__all__ = [
    "Value",
    "Funds",
    "Indicator",
    "Block",
    "SummaryRow",
    "SelfEvaluation",
    "Target",
    "parse_target",
    "self_evaluations",
    "ATTACHMENT_IDS",
    "OVERALL",
    "PROJECT",
    "SUMMARY",
]

OVERALL, PROJECT, SUMMARY = "final_perf_overall", "final_perf_project", "final_perf_summary"
# Registry ids of the attachments: grids of evaluations, not line-item tables.
ATTACHMENT_IDS = frozenset({OVERALL, PROJECT, SUMMARY, "final_perf_key_evaluation"})
# Words of a grid that make it a self-evaluation (its title may be printed inside the grid).
_MARKERS = ("自评", "三级指标", "年初预算数", "全年执行数", "全年预算数")
# the money line's label cell (年度资金总额:, 部门预算总额); a long text cell that
# mentions 资金总额 (a wrapped 年度目标 sentence) is no label
_FUNDS_LABEL = re.compile(r"^.{0,8}(?:资金总额|预算总额).{0,4}$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_PERCENT = re.compile(r"^(-?\d+(?:\.\d+)?)\s*%$")
_FIRST_LEVEL = re.compile(r"^(投入管理指标|投入指标|产出指标|效益指标|满意度指标|成本指标)$")
# A money line's label: 资金来源 / 财政拨款 / 上年结转资金 … (its figures are no 分值/得分)
_FUNDS_LINE = re.compile(r"(?:资金|拨款)[:：]?$")


def clean(cell: str | None) -> str:
    """A cell's text as printed, width variants folded and spaces inside numbers removed."""
    text = unicodedata.normalize("NFKC", cell or "").strip()
    return re.sub(r"(?<=\d)\s*\.\s*(?=\d)|(?<=\d)\s+(?=%)", lambda m: "." if "." in m.group(0) else "", text)


def _decimal(text: str) -> Decimal | None:
    match = _NUMBER.match(text) or _PERCENT.match(text)
    if not match:
        return None
    try:
        return Decimal(match.group(1) if match.re is _PERCENT else match.group(0))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Value:
    """One printed figure with its provenance."""

    amount: Decimal
    raw: str
    page: int
    row: int
    column: int


@dataclass(frozen=True)
class Funds:
    """The money line: 年初预算数, 全年预算数, 全年执行数, 分值, 执行率 (percent), 得分."""

    label: str
    initial: Value | None
    full: Value | None
    executed: Value | None
    weight: Value | None
    rate: Value | None
    score: Value | None
    page: int
    row: int


@dataclass(frozen=True)
class Target:
    """A target such as ``≥90%``: comparison, value, unit."""

    op: str
    value: Decimal
    unit: str


@dataclass(frozen=True)
class Indicator:
    """One indicator line: its block (一级指标), name, target, actual, 分值, 得分, reason."""

    block: str | None
    name: str
    target: str
    actual: str
    weight: Value
    score: Value
    reason: str
    page: int
    row: int


@dataclass(frozen=True)
class Block:
    """A 一级指标 with its declared 分值 and the indicator lines under it;
    ``closed`` when the next block (or the 总分 line) follows in the same grid."""

    name: str
    weight: Value
    indicators: tuple[Indicator, ...]
    closed: bool


@dataclass(frozen=True)
class SummaryRow:
    """A project line of the 项目自评汇总表."""

    project: str
    full: Value | None
    executed: Value | None
    queried: Value | None
    rate: Value | None
    deviated: str | None
    page: int
    row: int


@dataclass
class SelfEvaluation:
    """One self-evaluation grid of the document."""

    kind: str
    table: ParsedTable
    table_index: int
    project: str | None = None
    funds: list[Funds] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    total: Value | None = None
    total_weight: Decimal = Decimal(100)
    summary: list[SummaryRow] = field(default_factory=list)
    complete: bool = True
    grids: list[ParsedTable] = field(default_factory=list)  # every grid the evaluation was read from

    @property
    def table_id(self) -> str:
        return self.table.id or self.kind


_TARGET = re.compile(r"^(≤|≥|=|<|>|€|<=|>=)?\s*(\d+(?:\.\d+)?)\s*(%|万元|元|个|人次|人|次|件|天|小时|条|项|套|辆|台)?$")


def parse_target(text: str) -> Target | None:
    """``≥90%`` → (≥, 90, %); a bare number means equality; words → None.
    ``€`` is how some exports print ``≤``."""
    match = _TARGET.match(clean(text).replace(" ", ""))
    if not match:
        return None
    op = {"€": "≤", "<=": "≤", ">=": "≥", None: "="}.get(match.group(1), match.group(1))
    return Target(op, Decimal(match.group(2)), match.group(3) or "")


def _title_words(table: ParsedTable) -> str:
    header = " ".join(clean(c) for row in table.header[:3] for c in row if c)
    return f"{table.title or ''} {header}"


def _kind_of(table: ParsedTable, previous: str | None) -> str | None:
    """The registry id by title (or by the title printed inside the grid);
    an untitled grid of self-evaluation words continues the previous one."""
    if table.id in (OVERALL, PROJECT, SUMMARY):
        return table.id
    if table.id is not None:
        return None
    words = _title_words(table)
    for candidate in (table.title or "", *(clean(c) for row in table.header[:3] for c in row if c)):
        found = identify_attachment(candidate) if candidate else None
        if found in (OVERALL, PROJECT, SUMMARY):
            return found
    grid = " ".join(clean(c) for row in [*table.header, *table.rows[:8]] for c in row if c)
    text = f"{words} {grid} {' '.join(table.columns)}"
    if not any(m in text for m in _MARKERS) and not ("分值" in text and "得分" in text):
        return None
    if "汇总" in words or "预算执行率" in text and "是否有偏差" in text:
        return SUMMARY
    if "项目名称" in words or "项目资金" in words:
        return PROJECT
    if "整体" in words or "部门预算总额" in text:
        return OVERALL
    return previous


def _value(cells: list[str], index: int, page: int, row: int) -> Value | None:
    if index < 0 or index >= len(cells):
        return None
    amount = _decimal(cells[index])
    return Value(amount, cells[index], page, row, index) if amount is not None else None


def _funds(cells: list[str], page: int, row: int) -> Funds | None:
    label_at = next((i for i, c in enumerate(cells) if _FUNDS_LABEL.search(c)), None)
    if label_at is None:
        return None
    figures = [i for i in range(label_at + 1, len(cells)) if _decimal(cells[i]) is not None]
    rate_at = next((k for k, i in enumerate(figures) if _PERCENT.match(cells[i])), None)
    if rate_at is None and len(figures) >= 6:
        rate_at = 4  # 执行率 printed without its % sign (header "执行率 %")
    if rate_at is None or rate_at < 3:
        return None

    def at(k: int) -> Value | None:
        return _value(cells, figures[k], page, row) if 0 <= k < len(figures) else None

    return Funds(
        label=cells[label_at],
        initial=at(rate_at - 4) if rate_at >= 4 else None,
        full=at(rate_at - 3),
        executed=at(rate_at - 2),
        weight=at(rate_at - 1),
        rate=at(rate_at),
        score=at(rate_at + 1),
        page=page,
        row=row,
    )


def _indicator(cells: list[str], block: str | None, page: int, row: int) -> Indicator | None:
    """分值 and 得分: the first two consecutive plain numbers after a text cell."""
    filled = [i for i, c in enumerate(cells) if c]
    for a, b in zip(filled, filled[1:]):
        if _NUMBER.match(cells[a]) and _NUMBER.match(cells[b]) and a > 0 and any(cells[i] for i in range(a)):
            before = [cells[i] for i in range(a) if cells[i]]
            if _FUNDS_LINE.search(before[-1]):
                return None  # 财政拨款 1284.3 670.74 …: a money line, not an indicator
            actual = before[-1] if before else ""
            # the target is the nearest short cell before the actual (a long 指标说明 may sit between)
            rest = before[:-1]
            target_at = next((k for k in range(len(rest) - 1, -1, -1) if parse_target(rest[k])), None)
            if target_at is None:
                target_at = next((k for k in range(len(rest) - 1, -1, -1) if len(rest[k]) <= 12), None)
            target = rest[target_at] if target_at is not None else ""
            name = rest[target_at - 1] if target_at else ""
            weight, score = _value(cells, a, page, row), _value(cells, b, page, row)
            reason = " ".join(c for c in cells[b + 1 :] if c and _decimal(c) is None and c not in ("无", "-", "—"))
            return Indicator(block, name, target, actual, weight, score, reason, page, row)
    return None


def _block_start(cells: list[str]) -> tuple[str, int] | None:
    """(一级指标, index of its declared 分值) when the row opens a block."""
    for i, cell in enumerate(cells[:-1]):
        if _FIRST_LEVEL.match(cell.replace(" ", "")):
            following = next((c for c in cells[i + 1 :] if c), "")
            if _NUMBER.match(following):
                return cell, cells.index(following, i + 1)
    return None


def _first_level(cells: list[str]) -> str | None:
    return next((c.replace(" ", "") for c in cells if _FIRST_LEVEL.match(c.replace(" ", ""))), None)


def _summary_row(cells: list[str], page: int, row: int) -> SummaryRow | None:
    rate_at = next((i for i, c in enumerate(cells) if _PERCENT.match(c)), None)
    if rate_at is None or rate_at < 4:
        return None
    name_candidates = [c for c in cells[: rate_at - 3] if c and not _NUMBER.match(c)]
    # 单位名称, 主管部门名称, 项目名称, 项目类型, 资金归口处室: the name is third from the end
    project = name_candidates[-3] if len(name_candidates) >= 3 else (name_candidates[-1] if name_candidates else "")
    deviated = next((c for c in reversed(cells) if c in ("是", "否")), None)
    return SummaryRow(
        project,
        _value(cells, rate_at - 3, page, row),
        _value(cells, rate_at - 2, page, row),
        _value(cells, rate_at - 1, page, row),
        _value(cells, rate_at, page, row),
        deviated,
        page,
        row,
    )


def _read(evaluation: SelfEvaluation, rows: list[tuple[int, list[str], int]]) -> None:
    """Fill ``evaluation`` from its grid rows (row index, cleaned cells, page)."""
    table = evaluation.table
    if evaluation.project is None and not (rows and _named_project(rows[0][1])):
        # the grid's own 项目名称 line, else the last one of the header (a header
        # repeated on each page names the first project of the run)
        header = [_named_project([clean(c) for c in row]) for row in table.header]
        evaluation.project = next((name for name in reversed(header) if name), None)
    block: str | None = None
    open_block: tuple[str, Value, list[Indicator | None]] | None = None

    def close(closed: bool) -> None:
        if open_block is not None:
            name, weight, items = open_block
            whole = closed and None not in items
            evaluation.blocks.append(Block(name, weight, tuple(i for i in items if i is not None), whole))

    last_page: int | None = None
    for r, cells, page in rows:
        if last_page is not None and page > last_page + 1:
            evaluation.complete = False  # pages between are not read: sums over the gap prove nothing
            if open_block is not None:
                open_block = (open_block[0], open_block[1], [*open_block[2], None])
        last_page = page
        if evaluation.kind == SUMMARY:
            line = _summary_row(cells, page, r)
            if line is not None and line.deviated is not None:
                evaluation.summary.append(line)
            continue
        if not evaluation.project and _named_project(cells):
            evaluation.project = _named_project(cells)
            continue
        funds = _funds(cells, page, r)
        if funds is not None:
            evaluation.funds.append(funds)
            continue
        if _is_total(cells):
            figures = [i for i, c in enumerate(cells) if _NUMBER.match(c)]
            if figures:
                evaluation.total = _value(cells, figures[-1], page, r)
            if len(figures) >= 2:
                evaluation.total_weight = Decimal(cells[figures[-2]])  # 总分 | 100 | 99: the full mark, then the score
            close(True)
            open_block = None
            continue
        start = _block_start(cells)
        if start is not None:
            close(True)
            block = start[0]
            weight = _value(cells, start[1], page, r)
            open_block = (block, weight, []) if weight is not None else None
            cells = [*cells[: start[1]], "", *cells[start[1] + 1 :]]  # the block's 分值 is no indicator's
        else:
            block = _first_level(cells) or block
        indicator = _indicator(cells, block, page, r)
        if indicator is not None:
            evaluation.indicators.append(indicator)
            if open_block is not None:
                open_block[2].append(indicator)
        elif open_block is not None and any(_decimal(c) is not None for c in cells):
            open_block[2].append(None)  # a line with figures that did not read as an indicator
    close(False)


# Labels whose value is the department itself (主管部门 only in a department's own
# document: a unit's 主管部门 is its parent).
_DEPARTMENT_LABELS = ("部门(单位)名称", "部门名称")
_SUPERVISOR_LABELS = ("主管部门", "主管部门名称")


# A body's full name: a region, then an office word at the end (a wrapped cell's
# fragment, 员会办公室 or 焦作市站区委, is none).
_BODY_NAME = re.compile(r"^.{1,12}?[省市县区州旗盟].{2,}(?:局|委员会|办公室|中心|院|厅|部|会|室|所|站|馆|队|政府|处|社|校)$")


def named_departments(evaluation: SelfEvaluation, supervisor: bool) -> list[tuple[str, int]]:
    """(name, page) of each department an evaluation's grids name: the body
    name after a 部门(单位)名称 label, or (``supervisor``) after 主管部门, or
    under a 主管部门名称 column heading."""
    labels = _DEPARTMENT_LABELS + (_SUPERVISOR_LABELS if supervisor else ())
    found: list[tuple[str, int]] = []
    for table in evaluation.grids:
        lines = [(row, table.pages[0] if table.pages else 0) for row in table.header]
        lines += list(zip(table.rows, table.row_pages))
        columns: set[int] = set()
        for raw, page in lines:
            cells = [clean(c).replace(" ", "") for c in raw]
            for c, cell in enumerate(cells):
                if cell in labels:
                    value = next((v for v in cells[c + 1 :] if v), "")
                    if _BODY_NAME.search(value):
                        found.append((value, page))
                    else:
                        columns.add(c)  # a column heading: the names are printed under it
                elif c in columns and _BODY_NAME.search(cell):
                    found.append((cell, page))
    return found


def _named_project(cells: list[str]) -> str | None:
    """The project a 项目名称 line names (the first cell printed after the label)."""
    label = next((i for i, c in enumerate(cells) if c == "项目名称"), None)
    return None if label is None else next((c for c in cells[label + 1 :] if c), None)


def _starts_project(cells: list[str]) -> bool:
    """A 项目名称 line (or a project self-evaluation title) inside a grid: the
    parser may have joined consecutive project tables into one."""
    return any(c == "项目名称" or identify_attachment(c) == PROJECT for c in cells if c and len(c) <= 20)


def self_evaluations(doc: ParsedDocument) -> list[SelfEvaluation]:
    """Every self-evaluation of ``doc``, in order, read. Consecutive grids of
    one kind are one stream (the parser cuts at page breaks, not at
    evaluations); a stream of project evaluations is split at each 项目名称."""
    found: list[SelfEvaluation] = []
    current: SelfEvaluation | None = None
    rows: list[tuple[int, list[str], int]] = []

    def flush() -> None:
        if current is not None and rows:
            _read(current, rows)
            found.append(current)

    def add(table: ParsedTable, index: int) -> None:
        nonlocal current, rows
        current.grids.append(table)
        for r, (raw, page) in enumerate(zip(table.rows, table.row_pages)):
            cells = [clean(c) for c in raw]
            project = current.kind == PROJECT and bool(rows)
            after_total = project and _is_total(rows[-1][1])
            second_funds = project and _is_funds(cells) and any(_is_funds(c) for _, c, _ in rows)
            if rows and (after_total or second_funds or _starts_project(cells) and (current.kind != PROJECT or _has_figures(rows))):
                flush()
                current, rows = SelfEvaluation(PROJECT, table, index, grids=[table]), []
            rows.append((r, cells, page))

    previous: str | None = None
    # An untitled grid without self-evaluation words inside a stream (the 年度总体目标
    # 任务名称 | 主要内容 grid some producers draw as a table of its own) is held: it
    # belongs to the stream when the next grid continues it, and is dropped otherwise.
    held: list[tuple[ParsedTable, int]] = []
    for index, table in enumerate(doc.tables):
        kind = _kind_of(table, previous)
        if kind is None and table.id is None and current is not None:
            held.append((table, index))
            continue
        if kind is None or kind != previous:
            flush()
            current, rows, held = (SelfEvaluation(kind, table, index) if kind else None), [], []
        previous = kind
        if current is not None:
            for grid, at in [*held, (table, index)]:
                add(grid, at)
        held = []
    flush()
    return found


def _is_funds(cells: list[str]) -> bool:
    return any(_FUNDS_LABEL.search(c) for c in cells if c)


def _is_total(cells: list[str]) -> bool:
    return any(c in ("总分", "合计得分") for c in cells)


def _has_figures(rows: list[tuple[int, list[str], int]]) -> bool:
    return any(_decimal(c) is not None for _, cells, _ in rows for c in cells)
