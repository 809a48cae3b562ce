"""What a printed line is, from named features: a pure function, no state.

``classify_line`` looks at one text line (and the next, for a title broken
over two lines) and returns its class with the feature that decided it. The
assembler's state machine (``assemble.py``) then decides what the class means
where the line stands (a ``header`` line above a table's first row, a
``row`` under a ruled table …). ``budgetwatch parse --explain`` prints both.

Classes, in the order they are tested:

- ``label``: 公开01表, 表一, 附表3
- ``title``: a table title (one line, or two joined)
- ``punct``: stray punctuation (quote glyphs set apart from their title)
- ``empty_note``: 说明：… / 本表无数据: the statement of an empty table
- ``note``: 注：… under a table
- ``meta``: 部门：…, 单位：万元, 2023 年度
- ``row``: a line carrying figures (a table body row)
- ``heading``: 一、… / （二）… / 第三部分 without figures
- ``header``: several separated short words without figures (a header or a row without figures)
- ``text``: one short word (a wrapped cell, a heading fragment)
- ``narrative``: sentences, or a line of a page read as plain text
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from parsers.layout import TextLine
from parsers.model import DocumentKind
from parsers.registry import identify_attachment, identify_table, looks_like_title
from parsers.text import clean, compact
from parsers.tolerances import TOLERANCES as T

__all__ = ["LineClass", "Classified", "Meta", "classify_line", "read_meta", "read_label", "has_figures", "LEADING_LABEL"]

_LABEL_TEXT = r"(附表\d+|(公开|预算|决算|部门|单位)?\s*(\d{1,2}|[一二三四五六七八九十]+)\s*表|(公开)?表\s*[一二三四五六七八九十\d]+)"
_LABEL = re.compile(rf"^{_LABEL_TEXT}$")
LEADING_LABEL = re.compile(rf"^{_LABEL_TEXT}\s*(?=\S)")
_UNIT = re.compile(r"(?:金额)?单位[:：]\s*(万元|元|千元|亿元)")
# 部门：/部门名称：/单位名称：/预算单位：… — a bare 单位： states the unit of money
_DEPARTMENT = re.compile(
    r"^(?:(?:预算|决算)?(?:编制)?部门(?:名称)?|单位名称|(?:预算|决算|编制)单位)[:：]\s*(.+?)\s*(?:(?:金额)?单位[:：].*)?$"
)
_UNIT_NAME = re.compile(r"(万元|元|千元|亿元)")  # 单位：万元 names a unit of money, not a department
_YEAR_LINE = re.compile(r"^((?:19|20)\d{2})\s*年度?$")
_YEAR_TAIL = re.compile(r"((?:19|20)\d{2})年度?$")
_NOTE = re.compile(r"^(注|备注)\s*\d*\s*[:：]?")
_EXPLANATION = re.compile(r"^说明\s*[:：]")
_EMPTY_STATEMENT = re.compile(r"本表无数据|故本表为?空|本表为空|此表无数据|本表无(?:内容|金额)")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
_FIGURE_WORD = re.compile(r"-?[\d,]*\.?\d+%?")
_YEAR_WORD = re.compile(r"(19|20)\d{2}")
_WORDLIKE = re.compile(r"[\w\u4e00-\u9fff]")
_SENTENCE = re.compile(r"[，。；：！？,;:!?]")


class LineClass(StrEnum):
    LABEL = "label"
    TITLE = "title"
    PUNCT = "punct"
    EMPTY_NOTE = "empty_note"
    NOTE = "note"
    META = "meta"
    ROW = "row"
    HEADING = "heading"
    HEADER = "header"
    TEXT = "text"
    NARRATIVE = "narrative"


@dataclass(frozen=True)
class Meta:
    """What a meta line states (any of the fields may be missing)."""

    unit: str | None = None
    department: str | None = None
    year: int | None = None
    label: str | None = None


@dataclass(frozen=True)
class Classified:
    """A line's class, the feature that decided it, and how many lines it spans.

    ``shape`` is what the line is as table text when its class does not apply
    where it stands (a meta-looking line inside a table body): ``row``,
    ``heading``, ``header``, ``text`` or ``narrative``.
    """

    cls: LineClass
    reason: str
    shape: LineClass
    span: int = 1
    title: str | None = None
    meta: Meta | None = None


def has_figures(line: TextLine) -> bool:
    """A row of a table, even when its label looks like a heading (一、…收入 1 599.47);
    years (第三部分 2023 年度…) are no figures."""
    words = [w.text for w in line.words]
    figures = sum(bool(_FIGURE_WORD.fullmatch(w)) and not _YEAR_WORD.fullmatch(w) for w in words)
    return figures >= T.row_figures


def _is_tabular(line: TextLine) -> bool:
    """Several separated words, some of them numbers, or short enough for a header."""
    if len(line.words) < 2:
        return False
    return any(re.search(r"\d", w.text) for w in line.words) or len(compact(line.text)) <= T.tabular_chars


def read_label(text: str) -> str | None:
    """公开01表 / 表一 when the whole line is a label."""
    key = compact(text)
    return key if _LABEL.match(key) else None


def read_meta(text: str) -> Meta | None:
    """The unit/department/year/label a line states, or None when it states none."""
    key = compact(text)
    unit = _UNIT.search(key)
    department = _DEPARTMENT.match(clean(text))
    found: dict[str, object] = {}
    if unit:
        found["unit"] = unit.group(1)
    if department and department.group(1).strip() and not _UNIT_NAME.fullmatch(compact(department.group(1))):
        found["department"] = clean(department.group(1))
    year = _YEAR_LINE.match(key) or _YEAR_TAIL.search(key)
    if year and (found or _YEAR_LINE.match(key)):
        found["year"] = int(year.group(1))
    label = next((compact(p) for p in re.split(r"\s+", clean(text)) if _LABEL.match(compact(p))), None)
    if label:
        found["label"] = label
    return Meta(**found) if found else None  # type: ignore[arg-type]


def _title_of(lines: list[TextLine], index: int, kind: DocumentKind | None) -> tuple[str, int, str] | None:
    """The table title starting at lines[index] (joined with the next line when broken), its span and why."""
    whole = clean(lines[index].text)
    line = re.split(r"[。；]", whole)[-1].strip()  # a sentence tail glued to the title
    if _PART.match(line) or not re.search(r"[\u4e00-\u9fff]", line):
        return None
    if looks_like_title(line):
        return line, 1, "title words (…表)"
    key = re.sub(r"^(19|20)\d{2}年度?", "", compact(line))  # a leading year is part of many titles
    # one printed word, no sentence tail, no 二十三、 enumeration: not a row or a heading
    single = line == whole and len(lines[index].words) <= 1 and not _HEADING.match(line)
    if single and len(key) <= T.bare_title_chars and not re.search(r"\d|说明|情况|[，。：]", key) and identify_table(line, kind):
        return line, 1, "registry name printed without 表"
    joined = line
    for span in range(2, T.title_lines + 1):
        if index + span > len(lines) or len(compact(joined)) > T.title_chars or re.search(r"\d[\d,.]{2,}", joined):
            break
        part = lines[index + span - 1]
        if span > 2 and not all(_title_fragment(lines[i], lines[index]) for i in range(index, index + span)):
            break  # over more than two lines only a title wrapped in a narrow cell (项目支出 | 绩效自评 | 情况表)
        joined += clean(part.text)
        if looks_like_title(joined) and (identify_table(joined, kind) or identify_attachment(joined)):
            return joined, span, f"title broken over {span} lines"
    return None


def _title_fragment(line: TextLine, first: TextLine) -> bool:
    """One short printed word without digits or sentence marks, on the page of the
    title's first line: a piece of a title wrapped in a narrow cell."""
    text = compact(line.text)
    return (
        line.page == first.page and len(line.words) <= 1 and len(text) <= T.title_fragment_chars
        and not re.search(r"\d", text) and not _SENTENCE.search(text)
    )


def _shape(line: TextLine, text: str) -> tuple[LineClass, str]:
    figures = has_figures(line)
    if figures and line.words:
        return LineClass.ROW, f"≥{T.row_figures} figures"
    if _HEADING.match(text) and not figures:
        return LineClass.HEADING, "enumeration (一、/（二）/第N部分) without figures"
    if not line.words:
        return LineClass.NARRATIVE, "no word positions (page read as plain text)"
    if _is_tabular(line):
        return LineClass.HEADER, f"{len(line.words)} separated words, no figures"
    if len(line.words) == 1 and len(compact(text)) <= T.body_fragment_chars:
        return LineClass.TEXT, "one short word"
    if not _SENTENCE.search(text):
        return LineClass.HEADER, "long text without sentence punctuation (header cells printed close together)"
    return LineClass.NARRATIVE, "long text"


def classify_line(lines: list[TextLine], index: int, kind: DocumentKind | None) -> Classified:
    """Class of ``lines[index]``; ``lines`` is the run of text lines it stands in."""
    line = lines[index]
    text = clean(line.text)
    shape, shape_reason = _shape(line, text)
    label = read_label(text)
    if label:
        return Classified(LineClass.LABEL, f"label {label}", shape)
    title = _title_of(lines, index, kind)
    if title:
        return Classified(LineClass.TITLE, title[2], shape, span=title[1], title=title[0])
    if not _WORDLIKE.search(text):
        return Classified(LineClass.PUNCT, "no letters or digits", shape)
    if _EXPLANATION.match(text) or _EMPTY_STATEMENT.search(text):
        return Classified(LineClass.EMPTY_NOTE, "说明：/本表无数据 statement", shape)
    if _NOTE.match(text):
        return Classified(LineClass.NOTE, "starts with 注/备注", shape)
    meta = read_meta(text)
    if meta:
        fields = ", ".join(k for k in ("unit", "department", "year", "label") if getattr(meta, k))
        return Classified(LineClass.META, f"states {fields}", shape, meta=meta)
    return Classified(shape, shape_reason, shape)
