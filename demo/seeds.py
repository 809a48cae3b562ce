"""Read a seed (an extracted disclosure document) into a ``SeedDocument``.

Seeds are markdown-ish text: headings and paragraphs one per line, tables as
runs of tab-separated lines. Extraction left page-break artefacts: blank lines
inside tables, header rows repeated where a table continued on a new page,
spaces inside numbers (``599. 47``) and stray HTML tags. The reader keeps
every cell as printed (minus those tags) and leaves judging figures to
``numeric_cells``, which is the ground truth the parser tests compare with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Union

from demo.errors import SeedFormatError
from demo.header import column_paths
from demo.table_ids import table_id_for
from parsers.model import DocumentKind, Scope

__all__ = [
    "Heading",
    "Paragraph",
    "SeedTable",
    "Block",
    "SeedDocument",
    "load_seed",
    "parse_seed",
    "parse_amount",
    "is_malformed_number",
    "amount_columns",
    "numeric_cells",
    "malformed_cells",
]


@dataclass
class Heading:
    text: str
    level: int


@dataclass
class Paragraph:
    text: str


@dataclass
class SeedTable:
    """One table as printed. ``body_rows[r][c]`` is the ground-truth grid."""

    title: str | None
    label: str | None
    department_line: str | None
    year_line: str | None
    unit_line: str | None
    header_rows: list[list[str]]
    body_rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    empty_note: str | None = None
    canonical_id: str | None = None

    @property
    def width(self) -> int:
        return max((len(row) for row in self.header_rows + self.body_rows), default=0)

    @property
    def unit(self) -> str | None:
        """``万元`` / ``元`` from the unit line."""
        if not self.unit_line:
            return None
        return re.sub(r"^\s*单位\s*[:：]\s*", "", self.unit_line).strip() or None


Block = Union[Heading, Paragraph, SeedTable]


@dataclass
class SeedDocument:
    name: str
    kind: DocumentKind
    scope: Scope
    year: int
    department: str
    title_lines: list[str]
    date_line: str | None
    blocks: list[Block]

    @property
    def tables(self) -> list[SeedTable]:
        return [block for block in self.blocks if isinstance(block, SeedTable)]

    @property
    def standard_tables(self) -> list[SeedTable]:
        """The tables whose title matched the registry."""
        return [table for table in self.tables if table.canonical_id]

    def table(self, table_id: str) -> SeedTable | None:
        return next((t for t in self.tables if t.canonical_id == table_id), None)


_LABEL = re.compile(r"^(公开|预算|决算)?\d+表$|^表[一二三四五六七八九十\d]+$")
_DEPARTMENT = re.compile(r"^(部门名称|部门|单位名称|预算单位|编制单位)\s*[:：]")
_YEAR = re.compile(r"^[（(]?\d{4}年度?[）)]?$")
_UNIT = re.compile(r"^单位\s*[:：]\s*(万元|元|千元)$")
_NOTE = re.compile(r"^注\s*[:：]")
_EMPTY = re.compile(r"本表无数据|本表为空|故本表无")
_ENUMERATED = re.compile(r"^\d+\s*[.、．]")
_DATE = re.compile(r"^[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]+月$")
_HTML = re.compile(r"</?[a-zA-Z][^>]*>")
_MARKUP = re.compile(r"\*\*")
_HEADING_PATTERNS = (
    (re.compile(r"^第[一二三四五六七八九十]+部分"), 1),
    (re.compile(r"^[一二三四五六七八九十]+、"), 2),
    (re.compile(r"^[（(][一二三四五六七八九十]+[）)]"), 3),
)
_CODE_HEADERS = ("行次", "编码", "代码", "功能分类", "经济分类科目")
_CODE_EXACT = {"类", "款", "项"}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _strip_markup(text: str) -> str:
    return _MARKUP.sub("", _HTML.sub("", text)).strip()


def parse_amount(text: str) -> Decimal | None:
    """The number a cell prints (``3,026.66`` → 3026.66, ``599. 47`` → 599.47), else None."""
    compact = re.sub(r"[\s,，]", "", text)
    if re.fullmatch(r"-?\d+(\.\d+)?", compact):
        return Decimal(compact)
    return None


def is_malformed_number(text: str) -> bool:
    """A cell made of digits and dots that is no number (``35.36.00``)."""
    compact = re.sub(r"[\s,，]", "", text)
    return (
        bool(re.fullmatch(r"-?[\d.]+", compact))
        and any(ch.isdigit() for ch in compact)
        and parse_amount(compact) is None
    )


def _mostly_text(table: SeedTable, column: int) -> bool:
    """A column whose printed cells are mostly words (项目名称, 类型 holding a stray unit code)."""
    cells = [row[column] for row in table.body_rows if column < len(row) and row[column].strip()]
    numbers = sum(parse_amount(text) is not None or is_malformed_number(text) for text in cells)
    return numbers * 2 < len(cells)


def key_columns(table: SeedTable) -> list[bool]:
    """Which columns the header declares as keys: 行次, codes, 类/款/项."""
    flags = []
    for path in column_paths(table.header_rows, table.width):
        squeezed = [_squeeze(text) for text in path]
        flags.append(
            any(word in text for text in squeezed for word in _CODE_HEADERS) or any(text in _CODE_EXACT for text in squeezed)
        )
    return flags


def amount_columns(table: SeedTable) -> list[bool]:
    """Which columns hold amounts (not key columns, not text)."""
    return [not key and not _mostly_text(table, c) for c, key in enumerate(key_columns(table))]


def numeric_cells(table: SeedTable) -> list[tuple[int, int, Decimal]]:
    """Ground truth: (body row, column, amount) of every amount cell."""
    amounts = amount_columns(table)
    found = []
    for r, row in enumerate(table.body_rows):
        for c, text in enumerate(row):
            value = parse_amount(text) if text and amounts[c] else None
            if value is not None:
                found.append((r, c, value))
    return found


def malformed_cells(table: SeedTable) -> list[tuple[int, int, str]]:
    """Cells printed as numbers that are not (kept out of ``numeric_cells``)."""
    amounts = amount_columns(table)
    return [
        (r, c, text)
        for r, row in enumerate(table.body_rows)
        for c, text in enumerate(row)
        if amounts[c] and is_malformed_number(text)
    ]


def _is_meta(line: str) -> bool:
    squeezed = _squeeze(line)
    return bool(
        _LABEL.match(squeezed)
        or _DEPARTMENT.match(squeezed)
        or _YEAR.match(squeezed)
        or _UNIT.match(squeezed)
    )


def _is_data_row(row: list[str]) -> bool:
    filled = [_squeeze(cell) for cell in row if cell.strip()]
    if not filled:
        return False
    first, rest = filled[0], filled[1:]
    return (
        any(re.fullmatch(r"-?[\d,]*\d\.\d+", cell) for cell in filled)
        or (first in ("合计", "总计") and all(parse_amount(cell) is not None for cell in rest))
        or bool(re.fullmatch(r"\d{3,}", first) and rest)
    )


def _is_column_number_row(row: list[str]) -> bool:
    filled = [_squeeze(cell) for cell in row if cell.strip()]
    if any("栏次" in cell for cell in filled):
        return True
    return len(filled) > 1 and filled == [str(n) for n in range(1, len(filled) + 1)]


def _split_header(rows: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    for i, row in enumerate(rows):
        if _is_column_number_row(row):
            return rows[: i + 1], rows[i + 1 :]
        if _is_data_row(row):
            return rows[:i], rows[i:]
    return rows, []


def _table_rows(lines: list[str]) -> list[list[str]]:
    rows = [[_HTML.sub("", cell).strip() for cell in line.split("\t")] for line in lines]
    width = max(len(row) for row in rows)
    return [row + [""] * (width - len(row)) for row in rows]


def _build_table(
    prelude: list[str], run: list[str], trailer: list[str], kind: DocumentKind, department: str
) -> SeedTable:
    label = department_line = year_line = unit_line = title = None
    for line in prelude:
        squeezed = _squeeze(line)
        if _LABEL.match(squeezed):
            label = line.strip()
        elif _DEPARTMENT.match(squeezed):
            department_line = line.strip()
        elif _YEAR.match(squeezed):
            year_line = line.strip()
        elif _UNIT.match(squeezed):
            unit_line = line.strip()
        else:
            title = _strip_markup(line.lstrip("# "))
    header, body = _split_header(_table_rows(run))
    repeated = {tuple(_squeeze(c) for c in row) for row in header}
    body = [row for row in body if tuple(_squeeze(c) for c in row) not in repeated]
    notes = [line.strip() for line in trailer if not _EMPTY.search(line)]
    empty = next((line.strip() for line in trailer if _EMPTY.search(line)), None)
    return SeedTable(
        title=title,
        label=label,
        department_line=department_line,
        year_line=year_line,
        unit_line=unit_line,
        header_rows=header,
        body_rows=body,
        notes=notes,
        empty_note=empty,
        canonical_id=table_id_for(title, kind, department) if title else None,
    )


def _take_prelude(pending: list[str], kind: DocumentKind) -> list[str]:
    """Pop the title and metadata lines that precede a table off ``pending``."""
    taken: list[str] = []
    while pending and _is_meta(pending[-1]):
        taken.insert(0, pending.pop())
    if pending:
        candidate = _strip_markup(pending[-1].lstrip("# "))
        if len(candidate) <= 40 and (
            table_id_for(candidate, kind) or _squeeze(candidate).endswith("表")
        ):
            taken.insert(0, pending.pop())
            while pending and _is_meta(pending[-1]):
                taken.insert(0, pending.pop())
    return taken


def _text_block(line: str) -> Block:
    heading = re.match(r"^(#+)\s*(.*)$", line)
    if heading:
        return Heading(_strip_markup(heading.group(2)), min(len(heading.group(1)), 4))
    text = _strip_markup(re.sub(r"^[-•]\s+", "", line.strip()))
    if len(text) <= 40 and not re.search(r"[，；]", text):
        for pattern, level in _HEADING_PATTERNS:
            if pattern.match(text):
                return Heading(text, level)
    return Paragraph(text)


def _trailer(lines: list[str], start: int) -> tuple[list[str], int]:
    """The note lines after a table run, and the index after them."""
    taken: list[str] = []
    i = start
    in_note = False
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            in_note = False
            i += 1
            continue
        if "\t" in line:
            break
        squeezed = _squeeze(line)
        if _NOTE.match(squeezed) or _EMPTY.search(line) or (taken and in_note) or (
            taken and _ENUMERATED.match(squeezed) and _NOTE.match(_squeeze(taken[0]))
        ):
            taken.append(line.strip())
            in_note = True
            i += 1
            continue
        break
    # Blank lines after the last note belong to the text that follows.
    while i > start and not lines[i - 1].strip():
        i -= 1
    return taken, i


def _cover(lines: list[str]) -> tuple[list[str], str | None, int]:
    """Title lines and date line at the top, and where the body starts."""
    head = [(i, line) for i, line in enumerate(lines[:15]) if line.strip()]
    for i, line in head:
        if _DATE.match(_squeeze(line)):
            titles = [_strip_markup(l.lstrip("# ")) for j, l in head if j < i]
            return titles, line.strip(), i + 1
    first_index, first = head[0]
    return [_strip_markup(first.lstrip("# "))], None, first_index + 1


def _document_facts(title_lines: list[str]) -> tuple[DocumentKind, Scope, int, str]:
    joined = _squeeze("".join(title_lines))
    year = re.search(r"\d{4}", joined)
    if not year:
        raise SeedFormatError(f"no year in the title {joined!r}")
    kind = DocumentKind.FINAL if "决算" in joined else DocumentKind.BUDGET
    scope = Scope.UNIT if re.search(r"单位(预算|决算)", joined) else Scope.DEPARTMENT
    name = re.sub(r"\d{4}年度?", "", joined)
    name = re.sub(r"(部门|单位)?(预算|决算)(公开)?表?$", "", name)
    return kind, scope, int(year.group()), name


def parse_seed(text: str, name: str = "seed") -> SeedDocument:
    """Parse seed text (see module docstring)."""
    lines = [line.rstrip(" \u3000\r") for line in text.splitlines()]
    if not any(line.strip() for line in lines):
        raise SeedFormatError(f"seed {name!r} is empty")
    title_lines, date_line, start = _cover(lines)
    kind, scope, year, department = _document_facts(title_lines)
    blocks: list[Block] = []
    pending: list[str] = []
    i = start
    while i < len(lines):
        line = lines[i]
        if "\t" not in line:
            if line.strip():
                pending.append(line)
            i += 1
            continue
        run: list[str] = []
        while i < len(lines) and ("\t" in lines[i] or not lines[i].strip()):
            if lines[i].strip():
                run.append(lines[i])
            i += 1
        prelude = _take_prelude(pending, kind)
        blocks.extend(_text_block(p) for p in pending)
        pending = []
        trailer, i = _trailer(lines, i)
        blocks.append(_build_table(prelude, run, trailer, kind, department))
    blocks.extend(_text_block(p) for p in pending)
    return SeedDocument(name, kind, scope, year, department, title_lines, date_line, blocks)


def load_seed(path: Path) -> SeedDocument:
    """Read a seed file; the document is named after the file's stem."""
    return parse_seed(Path(path).read_text(encoding="utf-8"), name=Path(path).stem)
