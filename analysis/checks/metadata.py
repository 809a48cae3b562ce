"""Metadata: headers naming another department or year, 行次, units, code names."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from analysis.findings import DEPARTMENT, Category, Finding, Severity
from analysis.identity import DepartmentIdentity, normalise_name
from analysis.performance import named_departments, self_evaluations
from analysis.registry import Run, document_rule
from analysis.tables import norm_label
from parsers.model import ParsedDocument


def document_department(doc: ParsedDocument, run: Run) -> str | None:
    """The caller's name, else the document's, else the tables' majority."""
    name = run.extra.get("department_name") or doc.department
    if name:
        return name
    names = Counter(t.department for t in doc.tables if t.department)
    return names.most_common(1)[0][0] if names else None


# A header's 单位：万元 read as its department (real PDFs 01, 29, 30) names no body.
_MONEY_UNIT = re.compile(r"\s*(?:单位\s*[:：]\s*)?(?:万元|千元|元)\s*")


@document_rule("metadata.other_department", Category.METADATA, Severity.HIGH, "表头部门名称错误")
def other_department(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    own = document_department(doc, run)
    identity: DepartmentIdentity = run.extra.get("identity") or DepartmentIdentity()
    if not own:
        return
    for table in doc.tables:
        if table.department and not _MONEY_UNIT.fullmatch(table.department) and not identity.same(own, table.department):
            yield run.emit(
                f"《{table.title}》表头部门为“{table.department}”，与本部门“{own}”不符",
                table_id=table.id or table.title,
                row_key=normalise_name(table.department),
                page=table.pages[0] if table.pages else None,
            )
    # the self-evaluation attachments name the department inside their grids
    seen: set[str] = set()
    for evaluation in self_evaluations(doc):
        for name, page in named_departments(evaluation, supervisor=run.scope == DEPARTMENT):
            key = normalise_name(name)
            # a character doubled where a grid cell wraps (中站区委委员会) is the
            # extraction's, not a wrong name
            if key in seen or identity.same(own, name) or identity.same(own, re.sub(r"(.)\1", r"\1", name)):
                continue
            seen.add(key)  # one finding per name, however many grids repeat it
            yield run.emit(
                f"绩效自评附件中部门名称为“{name}”，与本部门“{own}”不符",
                table_id=evaluation.kind,
                row_key=key,
                page=page,
            )


_PRINTED_YEAR = re.compile(r"(?<!\d)(20\d{2})\s*年")


@document_rule("metadata.wrong_year", Category.METADATA, Severity.MEDIUM, "表头年度错误")
def wrong_year(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """The year of a table's header, title, or the line it shares with the
    department or unit ("部门：… 2022 年度"), against the document's year."""
    if doc.year is None:
        return
    for table in doc.tables:
        printed = [table.year] if table.year is not None else []
        for text in (table.title, table.department, table.unit):
            printed += [int(y) for y in _PRINTED_YEAR.findall(text or "")]
        wrong = next((y for y in printed if y != doc.year), None)
        if wrong is not None:
            yield run.emit(
                f"《{table.title}》表头年度为 {wrong}，文件年度为 {doc.year}",
                table_id=table.id or table.title,
                page=table.pages[0] if table.pages else None,
            )


@document_rule("metadata.row_numbers", Category.METADATA, Severity.LOW, "行次编号不连续")
def row_numbers(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """Each 行次 column counts up by one."""
    for table in doc.tables:
        for index, label in enumerate(table.columns):
            if "行次" not in (label or ""):
                continue
            previous: int | None = None
            for r, row in enumerate(table.rows):
                cell = (row[index] if index < len(row) else None) or ""
                if not cell.strip().isdigit():
                    continue
                number = int(cell)
                if previous is not None and number != previous + 1:
                    yield run.emit(
                        f"《{table.title}》行次 {previous} 之后为 {number}，编号不连续",
                        table_id=table.id or table.title,
                        row_key=f"行次{previous}",
                        column_key=label,
                        page=table.row_pages[r] if r < len(table.row_pages) else None,
                    )
                previous = number


@document_rule("metadata.mixed_units", Category.METADATA, Severity.LOW, "金额单位不一致")
def mixed_units(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    units = Counter(norm_label(t.unit).removeprefix("单位:") for t in doc.tables if t.unit)
    if len(units) > 1:
        usual = units.most_common(1)[0][0]
        for table in doc.tables:
            unit = norm_label(table.unit).removeprefix("单位:") if table.unit else None
            if unit and unit != usual:
                yield run.emit(
                    f"《{table.title}》金额单位为“{unit}”，其他表为“{usual}”",
                    table_id=table.id or table.title,
                    page=table.pages[0] if table.pages else None,
                )


@document_rule("metadata.code_name", Category.METADATA, Severity.LOW, "科目名称与代码不符")
def code_name(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    """Key 经济分类 codes must carry their standard names (30217 公务接待费 …)."""
    names: dict[str, str] = {str(k): v for k, v in (run.param("codes", {}) or {}).items()}
    seen: set[tuple[str | None, str]] = set()
    for table in doc.tables:
        for item in table.items:
            standard = names.get(item.code or "")
            if standard is None or (table.id, item.code) in seen:
                continue
            printed = norm_label(item.name)
            if printed and _loose(printed) != _loose(standard):
                seen.add((table.id, item.code))
                yield run.emit(
                    f"《{table.title}》科目 {item.code} 名称为“{item.name}”，标准名称为“{standard}”",
                    table_id=table.id or table.title,
                    row_key=item.code,
                    page=item.page,
                )


def _loose(name: str) -> str:
    return re.sub(r"[()（）]|费用$|费$", "", norm_label(name))


PLACEHOLDER = re.compile(r"X{2,}|×{2,}|＊{2,}|\*{2,}")


@document_rule("metadata.placeholder", Category.METADATA, Severity.MEDIUM, "残留占位符")
def placeholder(doc: ParsedDocument, run: Run) -> Iterator[Finding]:
    for section in doc.sections:
        match = PLACEHOLDER.search(section.text)
        if match:
            yield run.emit(
                f"“{section.heading}”中残留占位符“{match.group(0)}”",
                row_key=norm_label(section.heading),
                page=section.page,
            )
