"""Document metadata: kind, scope, year, department and unit from cover, tables and file name."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from parsers.layout import TextLine
from parsers.model import DocumentKind, ParsedTable, Scope
from parsers.text import clean, compact

__all__ = ["Metadata", "read_metadata"]

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_SHORT_YEAR = re.compile(r"(?<!\d)(\d{2})年(?:度)?(?:部门|单位)?(?:预算|决算)")
_FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_TITLE_NOISE = re.compile(
    r"((?:19|20)\d{2}\s*年度?|\d{2}年|区级|市级|县级|省级|部门预算|部门决算|单位预算|单位决算|预算单位|预算|决算|公开|情况说明|表|[（(].*?[)）]|\s)"
)


@dataclass(frozen=True)
class Metadata:
    kind: DocumentKind | None
    scope: Scope | None
    year: int | None
    department: str | None
    unit: str | None
    title: str | None


def _cover_title(lines: list[TextLine]) -> str | None:
    """The document title: the first lines of page one, joined until 预算/决算 is named."""
    first_page = [clean(l.text) for l in lines if l.page == min((x.page for x in lines), default=1)][:8]
    joined = ""
    for text in first_page:
        if not text or text.startswith(("目录", "目 录")) or re.fullmatch(r"[二〇零一二三四五六七八九十]+年.*月", compact(text)):
            if joined:
                break
            continue
        joined += compact(text)
        if re.search(r"预算|决算", joined) and len(joined) >= 6:
            return joined
    return None


_COVER_DEPARTMENT = re.compile(r"^(?:预算主管部门|决算主管部门|主管部门|预算单位|决算单位|部门名称|单位名称)[:：]\s*(\S.+)$")


def _cover_department(lines: list[TextLine]) -> str | None:
    """A department named on the cover (上海: 预算主管部门：…)."""
    first = min((l.page for l in lines), default=1)
    for line in lines:
        if line.page > first + 1:
            break
        match = _COVER_DEPARTMENT.match(clean(line.text))
        if match:
            return compact(match.group(1))
    return None


def _department_from_title(title: str) -> str | None:
    name = _TITLE_NOISE.sub("", title)
    name = re.sub(r"^(第[一二三四五]部分)", "", name)
    name = re.sub(r"(部门|单位)$", "", name)
    return name or None


def _most_common(values: list) -> object | None:
    values = [v for v in values if v]
    return Counter(values).most_common(1)[0][0] if values else None


def read_metadata(narrative: list[TextLine], tables: list[ParsedTable], file_name: str | None) -> Metadata:
    title = _cover_title(narrative)
    table_kinds = [t.id.split("_")[0] for t in tables if t.id]
    text = title or ""
    if "决算" in text:
        kind = DocumentKind.FINAL
    elif "预算" in text:
        kind = DocumentKind.BUDGET
    elif table_kinds:
        kind = DocumentKind.FINAL if table_kinds.count("final") > table_kinds.count("budget") else DocumentKind.BUDGET
    elif file_name and "决算" in file_name:
        kind = DocumentKind.FINAL
    elif file_name and "预算" in file_name:
        kind = DocumentKind.BUDGET
    else:
        kind = None

    scope_text = text or (file_name or "")
    if re.search(r"单位(预算|决算)|预算单位|单位\d{2}年", scope_text) or (
        not text and file_name and re.search(r"单位\d{0,4}年?(预算|决算)", file_name)
    ):
        scope = Scope.UNIT
    elif kind is not None:
        scope = Scope.DEPARTMENT
    else:
        scope = None

    year = None
    for source in (text, file_name or ""):
        match = _YEAR.search(source) or _SHORT_YEAR.search(source)
        if match:
            value = int(match.group(1))
            year = value + 2000 if value < 100 else value
            break
    if year is None:
        year = _most_common([t.year for t in tables])  # type: ignore[assignment]
    if year is None and file_name:
        match = _FILE_YEAR.search(file_name)
        year = int(match.group(1)) if match else None

    department = _cover_department(narrative) or (_department_from_title(title) if title else None)
    if not department:
        department = _most_common([t.department for t in tables])  # type: ignore[assignment]
    unit = _most_common([t.unit for t in tables])
    return Metadata(kind, scope, year, department, unit, title)  # type: ignore[arg-type]
